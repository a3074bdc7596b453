from quotes.marks import pair_marks


def inside(text):
    return [text[s.start : s.end] for s in pair_marks(text)]


def test_straight_and_curly_double():
    assert inside('"One," he said. “Two,” she said.') == ["One,", "Two,"]


def test_mixed_straight_open_curly_close():
    assert inside('"Mixed styles” happen.') == ["Mixed styles"]


def test_guillemets_and_low_high():
    assert inside("Il a dit « Bonjour » et „Hallo“.") == ["Bonjour", "Hallo"]


def test_curly_single_quotes_are_not_apostrophes():
    assert inside("The voters’ choice was ‘mocking’ the camp, don’t you think?") == ["mocking"]


def test_unbalanced_mark_costs_only_itself():
    text = "He survived the 'accident. He said \"we go on.\" Later \"another\"."
    assert inside(text) == ["we go on.", "another"]


def test_multi_paragraph_quote_yields_each_paragraph():
    text = '"First paragraph of it.\n\n"Second paragraph, closed."\n\nAfter.'
    spans = pair_marks(text)
    assert [text[s.start : s.end] for s in spans] == ["First paragraph of it.", "Second paragraph, closed."]
    assert spans[0].continued and not spans[1].continued


def test_nested_quote_inside_transcript():
    text = '"DUARTE: an episode of “Harbour Watch.” But no."'
    spans = pair_marks(text)
    assert [(text[s.start : s.end], s.depth) for s in spans] == [
        ("DUARTE: an episode of “Harbour Watch.” But no.", 0), ("Harbour Watch.", 1)]


def test_thousands_of_unbalanced_marks_do_not_raise():
    text = ('"' * 3001) + " words “ ” ‘ " * 500
    pair_marks(text)


def test_spaced_pair_of_closing_marks_closes_both():
    text = "\"I never liked the word 'outreach,' \" she said."
    assert inside(text) == ["I never liked the word 'outreach,'", "outreach,"]


def test_straight_quote_after_a_word_character_does_not_open():
    assert inside('<img alt="logo" src="a.png"> "Hello there," he said.') == ["Hello there,"]


def test_marks_inside_markup_tags_are_ignored():
    text = '<tweet author=" Jane Rook, who said much" date="May 1">"Polls close at eight," she wrote.'
    assert inside(text) == ["Polls close at eight,"]


def test_doubled_single_marks_are_one_double_mark():
    text = "''Not reform,'' said Ms. Lanford. ''More tinkering.'' She called it ‘‘fine’’."
    assert inside(text) == ["Not reform,", "More tinkering.", "fine"]


def test_a_curly_double_quote_nests_inside_another_of_the_same_mark():
    text = "“I’d sooner stay in what they call “a ruin” than move.” ― A neighbour"
    spans = pair_marks(text)
    assert [(text[s.start : s.end], s.depth) for s in spans] == [
        ("I’d sooner stay in what they call “a ruin” than move.", 0), ("a ruin", 1)]


def test_a_straight_mark_opening_twice_drops_the_stray_first():
    assert inside('He said "it was and "then it was over." Done.') == ["then it was over."]


def test_a_closing_style_mark_printed_to_open_opens():
    text = "Placards read ”down with the mayor”. She said ”No.” and left."
    assert inside(text) == ["down with the mayor", "No."]


def test_a_closing_mark_before_a_lost_space_still_closes():
    text = "The plan “is a ruin for the town, ”he said. Later “it passed.”"
    assert inside(text) == ["is a ruin for the town,", "it passed."]


def test_a_quote_introduced_by_a_colon_and_left_open_runs_on_into_the_next_paragraph():
    text = ("Speaking on Friday, the mayor said: ‘What the council did was years overdue…\n\n"
            "‘We voted last night. We did not vote to close the library.’\n\nThen he left.")
    assert inside(text) == ["What the council did was years overdue…",
                            "We voted last night. We did not vote to close the library."]
