"""The learned speaker choice: the shipped model, its confidence on every quote, its refit from
a folder of annotated articles, and pronouns that agree in gender.  Texts and names are invented."""
import json

import pytest

from quotes.attribution import gender
from quotes.attribution.model import FEATURES, MODEL_FILE, THRESHOLDS_FILE, SpeakerModel
from quotes.attribution.sieve import RULES

STORY = ('Maria Lindqvist said she started the clinic in 2009.\n'
         '"It was a garage then," she said.\n'
         'The clinic grew quickly after the death of Tomas Brekke, its first donor.\n'
         '"We owe him everything," she said.\n'
         'Ana Paz, the town\'s mayor, called the clinic "a lifeline" on Monday.')


def test_the_model_ships_small_with_what_it_was_fitted_on():
    assert MODEL_FILE.stat().st_size < 10_000_000
    thresholds = json.loads(THRESHOLDS_FILE.read_text())
    assert thresholds["fitted_on"].startswith("polnear-train")
    assert 0 <= thresholds["assign_threshold"] <= 1
    model = SpeakerModel.load()
    assert model.booster.num_feature() == len(FEATURES)


def test_a_missing_model_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="no fitted speaker model"):
        SpeakerModel.load(tmp_path / "none.txt", tmp_path / "none.json")


def test_every_quote_has_a_confidence_and_a_reason(nlp):
    quotes = nlp(STORY)._.quotes
    assert quotes
    reasons = {rule.name for rule in RULES} | {"model", "continued_paragraph"}
    for quote in quotes:
        assert 0.0 <= quote.speaker_confidence <= 1.0
        assert quote.attributed_by in reasons
    by_text = {q.text: q for q in quotes}
    assert by_text["We owe him everything,"].speaker_name == "Maria Lindqvist"
    assert by_text["a lifeline"].speaker_name == "Ana Paz"


def test_a_pronoun_chain_stays_with_the_person_the_passage_is_about(nlp):
    quote = next(q for q in nlp(STORY)._.quotes if q.text.startswith("We owe"))
    assert quote.speaker.text == "she" and quote.speaker_name == "Maria Lindqvist"


@pytest.mark.parametrize("text, name", [
    ('Maria Lindqvist opened the clinic.\nTomas Brekke, the mayor, visited on Monday.\n"We owe her everything," he said.',
     "Tomas Brekke"),
    ('Tomas Brekke opened the clinic.\nMaria Lindqvist, the mayor, visited on Monday.\n"We owe him everything," she said.',
     "Maria Lindqvist"),
])
def test_he_and_she_go_to_a_person_of_that_gender(nlp, text, name):
    [quote] = nlp(text)._.quotes
    assert quote.speaker_name == name


def test_gender_from_the_article_before_the_first_name(nlp):
    doc = nlp("Kim Sorensen opened the clinic. She hired two nurses.\nLev Aron visited. He praised it.")
    assert gender.gender_of(doc, "Kim Sorensen") == "female"
    assert gender.gender_of(doc, "Lev Aron") == "male"
    assert gender.from_first_name("A.") is None
    assert gender.agrees(doc, "he", "Kim Sorensen") is False and gender.agrees(doc, "they", "Kim Sorensen")


def test_the_model_is_refitted_reproducibly_from_a_folder(tmp_path):
    from quotes.attribution import fit

    folder = tmp_path / "annotated"
    (folder / "articles").mkdir(parents=True)
    articles, key = {}, {}
    people = [("Maria Lindqvist", "she"), ("Tomas Brekke", "he"), ("Ana Paz", "she"), ("Lev Aron", "he")]
    for n in range(8):
        name, pronoun = people[n % 4]
        other = people[(n + 1) % 4][0]
        text = (f"Harbour news {n}\n\n{name} met {other} on Monday.\n\n"
                f'"The bridge will open in spring," {pronoun} said.\n\n'
                f'{other} called the plan "rushed" in a letter.\n')
        articles[f"a{n}.txt"] = text
        quotes = []
        for words, mention in (("The bridge will open in spring,", pronoun), ("rushed", other)):
            start = text.index(words)
            speaker = text.index(f'," {pronoun} said') + 3 if mention == pronoun else text.rindex(other)
            quotes.append({"text": words, "start": start, "end": start + len(words),
                           "speaker_span": [speaker, speaker + len(mention)], "speaker_text": mention})
        key[f"a{n}.txt"] = {"quotes": quotes}
        (folder / "articles" / f"a{n}.txt").write_text(text)
    (folder / "gold.json").write_text(json.dumps({"about": "invented", "articles": key}))
    outs = []
    for run in ("one", "two"):
        out = tmp_path / run
        fit.main([str(folder), "--dev", str(folder), "--cache", str(tmp_path / "cache"), "--out", str(out)])
        outs.append(out)
    assert (outs[0] / MODEL_FILE.name).read_text() == (outs[1] / MODEL_FILE.name).read_text()
    summary = json.loads((outs[0] / THRESHOLDS_FILE.name).read_text())
    assert summary["fitted_on"].startswith("annotated: 16 quotes")
    assert list((tmp_path / "cache").glob("parsed-*.spacy"))  # parsed once, then read back


@pytest.mark.parametrize("text, name", [
    ('Rookie defenceman Erik Solvang scored twice on Saturday.\n"I just shot it," the rookie defenceman said.', "Erik Solvang"),
    ('Erik Solvang, the lanky professor, spoke first.\n"Nobody listens," the professor said.', "Erik Solvang"),
    ('The Water Department closed the dam on Monday.\n"It is not safe," the department said.', "Water Department"),
    # No one introduced in the role: the mention stays, with no name (a bare noun is no speaker).
    ('"It is not safe," the advertisement said.', None),
])
def test_a_role_noun_names_whom_the_article_introduced_in_that_role(text, name):
    from quotes.nlp import load_pipeline

    rules = load_pipeline({"quote_attributor": {"speaker_model": False}})
    [quote] = rules(text)._.quotes
    assert quote.speaker is not None and quote.speaker_name == name
