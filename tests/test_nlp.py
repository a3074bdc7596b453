"""The pipeline as loaded: the English model, a sentence break at every line break, and the
quote components after the parser."""


def test_the_pipeline_runs_the_quote_components_after_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("paragraph_sentences") < names.index("parser") < names.index("quote_finder") \
        < names.index("quote_attributor")


def test_every_line_break_starts_a_sentence_so_a_dateline_is_not_a_speaker(nlp):
    doc = nlp("5:45 p.m.\n\nThe coach's doctor is calling the striker \u201cfit to play.\u201d")
    assert [s.text.strip() for s in doc.sents] == ["5:45 p.m.", "The coach's doctor is calling the striker \u201cfit to play.\u201d"]
    [quote] = doc._.quotes
    assert quote.speaker.text == "The coach's doctor"
