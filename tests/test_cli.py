import json

from click.testing import CliRunner

from quotes import store
from quotes.cli import cli


def test_export_jsonl_has_every_contract_field(seed_db):
    result = CliRunner().invoke(cli, ["export", "--db", str(seed_db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) >= 21
    for line in lines:
        assert set(store.EXPORT_FIELDS) <= set(line)
        assert line["kind"] in ("full", "fragment")
        assert line["group"]


def test_export_csv_has_the_same_columns(seed_db):
    result = CliRunner().invoke(cli, ["export", "--db", str(seed_db), "--format", "csv", "--posts"])
    assert result.exit_code == 0
    header = result.output.splitlines()[0].split(",")
    assert header == store.EXPORT_FIELDS
    assert ",post," in result.output


def test_rebuild_changes_nothing(seed_db, nlp, tmp_path):
    from quotes.build import build

    from .conftest import SEEDS

    db = store.open_db(seed_db)
    before = {t: sorted(r["id"] for r in db.query(f"select id from {t}")) for t in ("quotes", "speakers", "quote_groups")}
    summary = build([SEEDS], seed_db, nlp=nlp)
    assert summary.unchanged == 5
    after = {t: sorted(r["id"] for r in db.query(f"select id from {t}")) for t in ("quotes", "speakers", "quote_groups")}
    assert before == after


def test_diff_prints_the_variants(seed_db):
    db = store.open_db(seed_db)
    group = next(db.query("select id from quote_groups order by variants desc limit 1"))["id"]
    result = CliRunner().invoke(cli, ["diff", group, "--db", str(seed_db), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["group"] == group and len(data["variants"]) >= 2


def test_unknown_group_is_a_one_line_error(seed_db):
    result = CliRunner().invoke(cli, ["diff", "nope", "--db", str(seed_db)])
    assert result.exit_code == 1
    assert "nope: no such group" in result.output


def test_build_of_a_missing_path_writes_no_database(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "no-such-folder"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "no-such-folder: no such file or folder" in result.output
    assert not (tmp_path / "x.db").exists()


def test_a_broken_corpus_yml_is_a_one_line_error_and_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "corpus.yml").write_text("title: [unclosed\n")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "corpus.yml: not a YAML file" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "x.db").exists()


def test_build_stores_the_corpus_description_options_over_the_file(tmp_path, nlp, monkeypatch):
    from quotes.build import build as run_build

    folder = tmp_path / "mill"
    folder.mkdir()
    (folder / "a.txt").write_text('Mill reopens\n\n"We are back," said the owner, Ana Vidal.\n', encoding="utf-8")
    (folder / "corpus.yml").write_text("title: From the file\nsource: County papers\n")
    monkeypatch.setattr("quotes.build.build", lambda *args, **kwargs: run_build(*args, nlp=nlp, **kwargs))
    result = CliRunner().invoke(cli, ["build", str(folder), "--db", str(tmp_path / "mill.db"), "--title", "Mill town news",
                                      "--source-url", "https://example.org/county"])
    assert result.exit_code == 0, result.output
    assert store.corpus_description(store.open_db(tmp_path / "mill.db")) == {
        "title": "Mill town news", "source": "County papers", "source_url": "https://example.org/county"}


def _hand_made(tmp_path):
    from .test_plugin_any_database import make_quotes_database

    return make_quotes_database(tmp_path / "harbour.db")


def test_diff_takes_a_unique_beginning_of_a_group_id(tmp_path):
    path = _hand_made(tmp_path)
    result = CliRunner().invoke(cli, ["diff", "g1", "--db", str(path)])
    assert result.exit_code == 0, result.output
    db = store.open_db(path)
    db["quote_groups"].insert({"id": "g1bis", "representative": "Another statement."})
    ambiguous = CliRunner().invoke(cli, ["diff", "g1", "--db", str(path)])
    assert ambiguous.exit_code == 1 and "g1: ambiguous" in ambiguous.output and "g1bis" in ambiguous.output
    assert CliRunner().invoke(cli, ["diff", "g1b", "--db", str(path)]).exit_code == 0


async def test_diff_shows_the_versions_in_the_pages_order_as_printed(tmp_path):
    import re

    import yaml
    from datasette.app import Datasette

    from .conftest import ROOT

    path = _hand_made(tmp_path)
    data = json.loads(CliRunner().invoke(cli, ["diff", "g1", "--db", str(path), "--format", "json"]).output)
    datasette = Datasette([str(path)], metadata=yaml.safe_load((ROOT / "metadata.yml").read_text()))
    page = (await datasette.client.get("/harbour/quote_groups/g1")).text
    on_page = re.findall(r'<a class="row-link" href="/harbour/quotes/(\w+)"', page)
    assert [v["id"] for v in data["variants"]] == on_page == ["q3", "q1", "q2"]
    text = CliRunner().invoke(cli, ["diff", "g1", "--db", str(path)]).output
    lines = [line.strip() for line in text.splitlines()]
    assert lines.index("The boats hit the northern pier, before dawn.") < lines.index(
        "The [-boats-]{+boat+} hit the northern pier, before dawn.")
