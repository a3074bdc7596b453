"""Word-by-word alignment against a group's representative, and ``quotes diff``."""
import json

from click.testing import CliRunner

from quotes import store
from quotes.alignment import Step, agreement, align, covered, normalise
from quotes.cli import cli

REPRESENTATIVE = "The ferries of autumn will not disappoint the travellers, and our crews will hold the line."


def test_substitutions_are_marked_word_for_word():
    steps = align(REPRESENTATIVE, "The boats of winter will not disappoint the travellers, and our crews will hold the line.")
    assert Step("substitute", "ferries", "boats") in steps
    assert Step("substitute", "autumn", "winter") in steps
    assert [s.op for s in steps].count("equal") == 14


def test_insertions_and_deletions_inside_the_span():
    steps = align("we will hold the line", "we will firmly hold line")
    assert Step("insert", "", "firmly") in steps
    assert Step("delete", "the", "") in steps


def test_contractions_are_the_same_wording():
    assert align("we do not build", "we don’t build") == [
        Step("equal", "we", "we"), Step("equal", "do not", "don’t"), Step("equal", "build", "build")]
    assert agreement("we do not build walls", "We don’t build walls") == 1.0


def test_a_fragment_is_aligned_only_against_the_span_it_covers():
    steps = align(REPRESENTATIVE, "our crews will hold", span_only=True)
    assert steps == [Step("equal", w, w) for w in ["our", "crews", "will", "hold"]]
    # Without span_only, what lies outside the span is one deletion before and one after.
    whole = align(REPRESENTATIVE, "our crews will hold")
    assert whole[0] == Step("delete", "The ferries of autumn will not disappoint the travellers and", "")
    assert whole[1:-1] == steps
    assert whole[-1] == Step("delete", "the line", "")


def test_a_stray_common_word_does_not_stretch_the_span():
    rep = "the minister said that the talks had failed and that the army would respond"
    start, end, shared = covered(rep.split(), "the army would respond".split())
    assert rep.split()[start:end] == ["the", "army", "would", "respond"] and shared == 4


def test_agreement_is_the_share_of_the_covered_span_carried():
    assert agreement(REPRESENTATIVE, REPRESENTATIVE) == 1.0
    assert agreement(REPRESENTATIVE, "The boats of autumn will not disappoint the travellers") == 0.889
    assert agreement(REPRESENTATIVE, "our crews will hold") == 1.0
    assert agreement(REPRESENTATIVE, "bread prices rose") == 0.0


def _group_with_an_original(db, seed_statement):
    """The group of the key's statement with an original post, found by its first whole quote's
    text in the key."""
    [row] = db.execute("select group_id from quotes where text = ? and source = ?",
                       [seed_statement["quote"], seed_statement["source"]]).fetchall()
    return row[0]


def test_diff_prints_plain_marks_off_a_terminal(seed_db, seed_statement):
    db = store.open_db(seed_db)
    result = CliRunner().invoke(cli, ["diff", _group_with_an_original(db, seed_statement), "--db", str(seed_db)])
    assert result.exit_code == 0, result.output
    # a word one of the key's texts puts for another's, printed as a plain substitution
    assert any(f"[-{a}-]{{+{b}+}}" in result.output for a, b in seed_statement["swaps"]), result.output
    assert "\x1b[" not in result.output
    assert "original" in result.output and "(ar)" in result.output


def test_diff_json_has_every_variant_and_its_alignment(seed_db, seed_statement):
    db = store.open_db(seed_db)
    group = _group_with_an_original(db, seed_statement)
    result = CliRunner().invoke(cli, ["diff", group, "--db", str(seed_db), "--format", "json"])
    out = json.loads(result.output)
    assert out["group"] == group and out["original_language"] == "ar"
    assert len(out["variants"]) == db.execute("select count(*) from quotes where group_id = ?", [group]).fetchone()[0]
    original = [v for v in out["variants"] if v["is_original"]]
    assert len(original) == 1 and original[0]["alignment"] is None
    ops = {s["op"] for v in out["variants"] if v["alignment"] for s in v["alignment"]}
    assert ops <= {"equal", "substitute", "insert", "delete"} and "substitute" in ops


def test_diff_names_an_unknown_group(seed_db):
    result = CliRunner().invoke(cli, ["diff", "nosuchgroup", "--db", str(seed_db)])
    assert result.exit_code != 0 and "nosuchgroup: no such group" in result.output


def test_an_ampersand_is_the_word_and():
    assert normalise("quick & a quiet move") == normalise("quick and a quiet move")
    assert normalise("safe &amp; sound") == "safe and sound"
