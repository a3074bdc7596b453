"""The published instance is read-only: crafted search, sort, SQL and canned-query parameters
neither change the data nor cause a server error, and nothing accepts a write."""
import hashlib
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

from quotes.cli import cli

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
DB = "quotes"
SEARCHES = ['"', '""', '"unclosed', "NEAR(", "NEAR(a b", "a NEAR/x b", "*", "a*b*", "AND", "OR OR", "NOT", "-",
            "(", ")", "^", "text:", "{text}: x", "nope:x", "'", "\\", "%", "\x00", "a" * 5000, "said AND (", "quotes_fts"]
SORTS = ["nope", "rowid", "text); drop table quotes; --", "'", '"', "id desc", "quotes_fts", "1", "", "text\x00"]
INJECTIONS = ["' or 1=1 --", "'; drop table quotes; --", "\" or \"\"=\"", "%", "_", "\\", "x') union select 1,2,3,4,5,6 --"]
SQL = ["delete from quotes", "drop table quotes", "update quotes set text = 'x'", "insert into quotes(id) values ('x')",
       "attach database '/tmp/evil.db' as evil", "pragma writable_schema = 1", "select 1; delete from quotes",
       "vacuum into '/tmp/evil-copy.db'", "select load_extension('evil')"]
WRITE_PATHS = ["/quotes", "/quotes/quotes", "/quotes/speaker_quotes", "/quotes/group_variants", "/quotes/export",
               "/quotes/-/create", "/quotes/quotes/-/insert", "/quotes/quotes/-/upsert", "/quotes/quotes/-/drop",
               "/quotes/quotes/x/-/update", "/quotes/quotes/x/-/delete", "/-/messages", "/-/create-token", "/-/logout"]


def fingerprint(path: Path) -> tuple[str, dict[str, int]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [t for (t,) in conn.execute("select name from sqlite_master where type = 'table'")]
        counts = {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    return hashlib.sha256(path.read_bytes()).hexdigest(), counts


@pytest.fixture(scope="module")
def published(seed_db):
    before = fingerprint(seed_db)
    yield Datasette([], immutables=[str(seed_db)], metadata=METADATA)
    assert fingerprint(seed_db) == before, "the published data changed"


def crafted_gets() -> list[str]:
    paths = []
    for text in SEARCHES:
        for table in ("quotes", "speaker_aliases"):
            for mode in ("", "&_searchmode=raw"):
                paths += [f"/{DB}/{table}.json?_search={quote(text)}{mode}", f"/{DB}/{table}?_search={quote(text)}{mode}"]
        paths.append(f"/{DB}/quotes.json?_search_text={quote(text)}")
    for column in SORTS:
        for key in ("_sort", "_sort_desc"):
            paths += [f"/{DB}/quotes.json?{key}={quote(column)}", f"/{DB}/quote_groups?{key}={quote(column)}"]
    for text in INJECTIONS:
        paths += [f"/{DB}/speaker_quotes.json?name={quote(text)}", f"/{DB}/speaker_quotes?name={quote(text)}",
                  f"/{DB}/group_variants.json?group_id={quote(text)}", f"/{DB}/quotes.json?text__contains={quote(text)}",
                  f"/{DB}/quotes.json?_where={quote(text)}", f"/{DB}/quotes.json?_facet={quote(text)}"]
    for sql in SQL:
        paths += [f"/{DB}.json?sql={quote(sql)}", f"/{DB}?sql={quote(sql)}"]
    paths += [f"/{DB}/quotes.json?{p}" for p in ("_size=-1", "_size=abc", "_size=99999999", "_next=abc", "_next=%27",
                                                  "start__gt=abc", "_shape=nope", "_col=nope", "_nocol=nope",
                                                  "_facet_date=nope", "_labels=nope", "_timelimit=1",
                                                  "_timelimit=abc", "_sort=text&_sort_desc=text", "start__in=%5B1",
                                                  "_through=notjson", "_through=" + quote('{"table": "x"}'),
                                                  "_through=" + quote('{"table": "x", "column": "y", "value": "z"}'))]
    paths += ["/nope", f"/{DB}/nope", f"/{DB}/quotes/nope", f"/{DB}/quotes/-/insert", "/-/nope/deeper/still"]
    return paths


async def test_crafted_parameters_never_cause_a_server_error(published):
    failures = []
    for path in crafted_gets():
        response = await published.client.get(path)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {path}")
    assert not failures, "\n".join(failures)


async def test_search_syntax_errors_are_the_readers_not_the_servers(published, seed_statement):
    ok = await published.client.get(f"/{DB}/quotes.json?_search={quote(seed_statement['search'])}&_shape=array")
    assert ok.status_code == 200 and ok.json()
    for text in ('"', "NEAR(", "*"):
        response = await published.client.get(f"/{DB}/quotes.json?_search={quote(text)}&_searchmode=raw")
        assert response.status_code in (200, 400), text


async def test_sorting_by_an_unknown_column_is_a_bad_request(published):
    response = await published.client.get(f"/{DB}/quotes.json?_sort={quote('text); drop table quotes; --')}")
    assert response.status_code == 400 and "Cannot sort table by" in response.json()["error"]


async def test_canned_queries_treat_parameters_as_values(published):
    everything = (await published.client.get(f"/{DB}/speaker_quotes.json?name=&_shape=array&_size=max")).json()
    assert everything, "an empty name matches every speaker"
    for text in INJECTIONS[:3] + INJECTIONS[-1:]:
        for path in (f"/{DB}/speaker_quotes.json?name={quote(text)}&_shape=array",
                     f"/{DB}/group_variants.json?group_id={quote(text)}&_shape=array"):
            response = await published.client.get(path)
            assert response.status_code == 200 and response.json() == [], path


async def test_nothing_accepts_a_write(published):
    for path in WRITE_PATHS:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            body = {} if method == "DELETE" else {"data": {"sql": "delete from quotes", "name": "x"}}
            response = await published.client.request(method, path, **body)
            assert response.status_code == 405, (method, path, response.status_code)
    for sql in SQL:
        response = await published.client.get(f"/{DB}.json?sql={quote(sql)}")
        assert response.status_code in (400, 403), sql


def test_no_canned_query_writes():
    for database in METADATA.get("databases", {}).values():
        for name, query in database.get("queries", {}).items():
            assert not (isinstance(query, dict) and query.get("write")), name


def test_serve_opens_the_database_immutable(seed_db, monkeypatch):
    commands = []
    monkeypatch.setattr("datasette.cli.cli.main", lambda command, **kwargs: commands.append(command))
    result = CliRunner().invoke(cli, ["serve", "--db", str(seed_db)])
    assert result.exit_code == 0, result.output
    command = commands[0]
    assert command[command.index("-i") + 1] == str(seed_db)
