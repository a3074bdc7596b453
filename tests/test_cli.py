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
