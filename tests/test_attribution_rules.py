"""The attribution sieve: one test per named rule (which rule decided is kept in
``attributed_by``), the rule table's order, and the lexicon that goes with the pipeline."""
import pytest

from quotes.attribution import RULES, load_lexicon
from quotes.attribution.lexicon import Lexicon


def attributions(nlp, text):
    return [(q.text, q.speaker.text if q.speaker is not None else None, q.speaker_name, q.attributed_by)
            for q in nlp(text)._.quotes]


@pytest.mark.parametrize("text, piece, mention, name, rule", [
    ('“They kept telling us «the dam is safe» all week,” Anna Kowalski said.', "the dam is safe",
     "Anna Kowalski", "Anna Kowalski", "inside_quote"),
    ('Harbour Daily\n\n"KOWALSKI: The dam will hold. We checked it twice."\n\n"BREKKE: It will not."', "BREKKE: It",
     "BREKKE", "Brekke", "transcript_label"),
    ('The river rose overnight, according to Anna Kowalski, who called it "the worst in memory."', "the worst",
     "Anna Kowalski", "Anna Kowalski", "source_phrase"),
    ('"We will rebuild," Anna Kowalski said.', "We will", "Anna Kowalski", "Anna Kowalski", "cue_verb"),
    ("Anna Kowalski's statement was blunt. Her claim that the dam was \"a disaster\" angered the council.",
     "a disaster", "Her", "Anna Kowalski", "cue_noun"),
    ('The dam will hold.\n"We will rebuild every home."\n— Anna Kowalski, mayor', "We will",
     "Anna Kowalski", "Anna Kowalski", "dash_line"),
    ('Anna Kowalski said the talks matter. “The other factor is the weather in the hills.”', "The other",
     "Anna Kowalski", "Anna Kowalski", "sentence_before"),
    ('Anna Kowalski spoke about the flood.\n"We will rebuild," she said.\n"Every home will stand again."',
     "Every home", "she", "Anna Kowalski", "carried_over"),
    ('Anna Kowalski rejected the "reckless and costly" plan.', "reckless and", "Anna Kowalski", "Anna Kowalski",
     "governing_subject"),
    ('"We will rebuild every\n\n"home and every road," Anna Kowalski said.', "We will rebuild every",
     "Anna Kowalski", "Anna Kowalski", "continued_paragraph"),
])
def test_each_rule_names_itself(nlp, text, piece, mention, name, rule):
    [found] = [a for a in attributions(nlp, text) if a[0].startswith(piece)]
    assert found[1:] == (mention, name, rule)


def test_inside_a_quote_nobody_said_the_inner_words_have_no_speaker():
    from quotes.nlp import load_pipeline

    keeping = load_pipeline({"quote_attributor": {"keep_scare_quotes": True}})
    text = ("“Nobody hears «the dam is safe» any more,” the crowd chanted.\n\nThe river rose all night.\n\n"
            "The roads closed at dawn.\n\n“Nobody hears «the dam is safe» any more.”")
    inner = [a for a in attributions(keeping, text) if a[0] == "the dam is safe"]
    assert [a[1:] for a in inner] == [("the crowd", None, "inside_quote"), (None, None, None)]


def test_a_quote_nothing_attributes_names_no_rule(nlp):
    text = 'Anna Kowalski spoke to the council on Monday about the flood.\n"We will rebuild every home. Nobody will be left behind."'
    assert attributions(nlp, text)[0][1:] == (None, None, None)


def test_the_rule_table_has_one_entry_per_name_and_ends_with_the_weakest_evidence():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names.index("cue_verb") < names.index("carried_over") < names.index("governing_subject")


def test_the_lexicon_has_each_word_once_and_round_trips():
    lexicon = load_lexicon("en_news")
    assert "promise" in lexicon.cue_verbs and "statement" in lexicon.statement_nouns
    assert Lexicon.from_dict(lexicon.to_dict()) == lexicon
    assert lexicon.unabbreviated("Sen.") == "senator"


def test_a_missing_lexicon_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="no such lexicon"):
        load_lexicon(str(tmp_path / "nowhere.json"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"cue_verbs": ["say"]}')
    with pytest.raises(ValueError, match="broken.json: not a lexicon: lexicon lacks"):
        load_lexicon(str(broken))


def test_the_lexicon_is_saved_with_the_pipeline(nlp, tmp_path):
    attributor = nlp.get_pipe("quote_attributor")
    original = attributor.lexicon
    words = original.to_dict()
    words["cue_verbs"] = words["cue_verbs"] + ["harrumph"]
    attributor.use_lexicon(Lexicon.from_dict(words))
    try:
        attributor.to_disk(tmp_path / "attributor")
        attributor.use_lexicon(original)
        assert "harrumph" not in attributor.lexicon.cue_verbs
        attributor.from_disk(tmp_path / "attributor")
        assert "harrumph" in attributor.lexicon.cue_verbs
        restored = type(attributor).from_bytes(attributor, attributor.to_bytes())
        assert "harrumph" in restored.lexicon.cue_verbs
    finally:
        attributor.use_lexicon(original)


def test_a_transcript_label_names_a_person_and_stage_directions_and_sign_offs_are_no_quotes(nlp):
    text = ('Debate transcript\n\nSenator Anna Morrow met Paul Tolliver on Tuesday. Partial transcript:\n\n'
            '"MORROW: Well, I think the bridge plan works for every county in the state.\n\n'
            '"TOLLIVER: It does not, and you know it does not.\n\n'
            '"(CROSSTALK.)\n\n'
            '"MORROW: We will see who is right in the spring."\n\n'
            '"Follow Dana Vey on Twitter @danavey."\n')
    found = attributions(nlp, text)
    assert [(a[2], a[3]) for a in found] == [("Anna Morrow", "transcript_label"), ("Paul Tolliver", "transcript_label"),
                                             ("Anna Morrow", "transcript_label")]
    assert all(q.speaker_kind == "person" for q in nlp(text)._.quotes)
