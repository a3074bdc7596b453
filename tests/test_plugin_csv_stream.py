"""The whole-table CSV stream answered from one query (quotes/plugin/csv_stream.py)."""
import csv
import io
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

from quotes.plugin.metadata import table_metadata
from datasette.utils import LimitedWriter

from quotes.plugin import csv_stream

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
TABLES = ["quotes", "speakers", "speaker_aliases", "quote_groups", "articles", "substitutions"]


@pytest.fixture
def answered(monkeypatch) -> list[str]:
    """The tables this module answered for (the rest went to Datasette)."""
    tables = []
    respond = csv_stream._response

    def spy(datasette, database, table, scope):
        tables.append(table)
        return respond(datasette, database, table, scope)

    monkeypatch.setattr(csv_stream, "_response", spy)
    return tables


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("table", TABLES)
async def test_the_stream_has_datasettes_header_rows_and_order(seed_db, answered, table):
    datasette = Datasette([str(seed_db)], immutables=[str(seed_db)], metadata=METADATA)
    ours = await datasette.client.get(f"/quotes/{table}.csv?_stream=1")
    # _nocount is not a plain request's parameter: Datasette answers this one itself.
    theirs = await datasette.client.get(f"/quotes/{table}.csv?_stream=1&_nocount=1")
    assert answered == [table] and ours.status_code == theirs.status_code == 200
    assert ours.headers["content-type"] == theirs.headers["content-type"]
    ours, theirs = rows(ours.text), rows(theirs.text)
    assert ours[0] == theirs[0] and sorted(ours[1:]) == sorted(theirs[1:]) and len(ours) > 1
    spec = table_metadata()[table]
    sort = spec.get("sort_desc") or spec.get("sort")
    if sort:  # ties may come in another order: Datasette's first page orders by the sort column alone
        column = ours[0].index(sort)
        assert [r[column] for r in ours[1:]] == [r[column] for r in theirs[1:]]
    else:
        assert ours == theirs


async def test_a_download_is_named_after_its_table(seed_db, answered):
    datasette = Datasette([str(seed_db)], immutables=[str(seed_db)], metadata=METADATA)
    response = await datasette.client.get("/quotes/speakers.csv?_stream=1&_dl=1")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="speakers.csv"'
    assert answered == ["speakers"]


@pytest.mark.parametrize("query", ["_stream=1&kind=full", "_stream=1&_col=text", "_stream=1&_labels=on",
                                   "_stream=1&_search={search}", "_size=max", "_stream=1&_sort=text"])
async def test_any_other_request_is_datasettes(seed_db, answered, query, seed_statement):
    query = query.format(search=seed_statement["search"])  # a word the key's quotes print
    datasette = Datasette([str(seed_db)], immutables=[str(seed_db)], metadata=METADATA)
    assert (await datasette.client.get(f"/quotes/quotes.csv?{query}")).status_code == 200
    assert (await datasette.client.get("/quotes/quote_vectors.csv?_stream=1")).status_code == 200  # binary column
    assert answered == []


async def test_the_stream_stops_at_max_csv_mb_with_datasettes_message(seed_db, answered, monkeypatch):
    monkeypatch.setattr(csv_stream, "ROWS_PER_CHUNK", 2)
    # max_csv_mb is a whole number of MB; the sample articles are less than one, so read 1 as 4 kB.
    def kilobytes(writer, mb):
        limited = LimitedWriter(writer, mb)
        limited.limit_bytes = mb * 4096
        return limited

    monkeypatch.setattr(csv_stream, "LimitedWriter", kilobytes)
    datasette = Datasette([str(seed_db)], immutables=[str(seed_db)], metadata=METADATA, settings={"max_csv_mb": 1})
    whole = (await datasette.client.get("/quotes/articles.csv?_stream=1&_nocount=1&_size=max")).text
    stopped = (await datasette.client.get("/quotes/articles.csv?_stream=1")).text
    message = "CSV contains more than 4096 bytes"
    assert answered == ["articles"] and len(whole) > 4096 and stopped.endswith(message)
    assert len(stopped) - len(message) <= 4096 and whole.startswith(stopped[: -len(message)])
