"""The pipeline as loaded: the English model, a sentence break at every line break, and the
quote components after the parser."""


def test_the_pipeline_runs_the_quote_components_after_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("paragraph_sentences") < names.index("parser") < names.index("quote_finder") \
        < names.index("quote_attributor")


def test_every_line_break_starts_a_sentence_so_a_dateline_is_not_a_speaker(nlp):
    doc = nlp("6:10 p.m.\n\nThe coach's doctor says the striker is \u201cfit to play.\u201d")
    assert [s.text.strip() for s in doc.sents] == ["6:10 p.m.", "The coach's doctor says the striker is \u201cfit to play.\u201d"]
    [quote] = doc._.quotes
    assert quote.speaker.text == "The coach's doctor"


def test_a_surname_gets_the_given_names_printed_in_a_paragraph_the_parser_never_saw(nlp):
    from quotes.nlp import extract
    from quotes.records import Article

    text = ("Flood bill stalls\n\nRep. Adam Tolliver, who chairs the committee, opened the hearing.\n\n"
            "The room was full.\n\nWitnesses waited for hours.\n\n"
            '"We will not wait for the next flood," Tolliver said.\n')
    (result,) = extract(nlp, [Article(source="a.txt", text=text)])
    assert [(q.speaker_mention, q.speaker_name) for q in result.quotes] == [("Tolliver", "Adam Tolliver")]


def test_a_surname_two_people_share_in_the_article_keeps_no_given_name(nlp):
    text = ("Paul Mensah and Grace Mensah arrived together.\n\nThe crowd cheered.\n\n"
            '"This library keeps every record," Mensah said.\n')
    [quote] = nlp(text)._.quotes
    assert quote.speaker_name == "Mensah"
