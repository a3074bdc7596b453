"""quote_finder on short texts written for the purpose: every style of quotation mark, stray
marks, multi-paragraph quotes, fragments, titles, headlines and embedded posts."""
import pytest


def quotes_in(nlp, text):
    return nlp(text)._.quotes


def texts(nlp, text):
    return [q.text for q in quotes_in(nlp, text)]


def test_straight_curly_and_mixed_double_marks(nlp):
    text = ('"The bridge will open in May," the mayor said. “It is safe,” she added. '
            '"We checked every bolt” the engineer said.')
    assert texts(nlp, text) == ["The bridge will open in May,", "It is safe,", "We checked every bolt"]


def test_curly_single_marks_as_quotation_marks_not_apostrophes(nlp):
    text = "The coach’s plan, he said, was ‘to win every match we play this year.’ Don’t bet against it."
    assert texts(nlp, text) == ["to win every match we play this year."]


def test_guillemets_and_low_high_marks(nlp):
    text = ("« Nous resterons ici », a déclaré le maire Paul Girard.\n\n"
            "„Wir bleiben hier“, sagte Bürgermeisterin Anna Vogt.")
    assert texts(nlp, text) == ["Nous resterons ici", "Wir bleiben hier"]


def test_stray_mark_costs_only_its_own_quote(nlp):
    text = ('The council\'s "review began in March.\n\n'
            '"We will publish everything," council leader Ruth Okafor said.')
    found = quotes_in(nlp, text)
    assert [q.text for q in found] == ["We will publish everything,"]
    assert found[0].speaker_name == "Ruth Okafor"


def test_quote_over_several_paragraphs(nlp):
    text = ('Tom Reyes, a farmer, described the flood.\n\n'
            '"The water came at night. We lost the barn.\n\n'
            '"By morning the fields were a lake," Reyes said.')
    found = quotes_in(nlp, text)
    assert [q.text for q in found] == ["The water came at night. We lost the barn.",
                                       "By morning the fields were a lake,"]
    assert all(q.kind == "full" for q in found)
    assert {q.speaker_name for q in found} == {"Tom Reyes"}


def test_fragment_inside_the_reporters_sentence_and_full_quote(nlp):
    text = ('Senator Ada Lindgren called the budget "a betrayal of rural schools" on Monday. '
            '"We will fight it line by line," Lindgren said.')
    kinds = {q.text: q.kind for q in quotes_in(nlp, text)}
    assert kinds == {"a betrayal of rural schools": "fragment", "We will fight it line by line,": "full"}


@pytest.mark.parametrize("text, quotes", [
    pytest.param('Ms. Solvang appeared on CBS\'s "Morning Report" and in a documentary titled "River Towns." '
                 'Her rival, Carl "The Hammer" Voss, was not there. He spoke on NBC\'s "Meet the Voters."',
                 [], id="titles and nicknames"),
    pytest.param('The host took calls on his "Morning With Mara" show. The festival opened with the '
                 'documentary "1984 Revisited." Critics called it "a triumph," Teo Parrish said.',
                 ["a triumph,"], id="a title after a possessive or opening with a number"),
    pytest.param('"The floods will come back," said Ines Moll, a hydrologist.\n\n\'When the River Rises.\'\n\n'
                 '"We will rebuild."\n\nThe town voted on Monday.',
                 ["The floods will come back,", "We will rebuild."], id="a quoted heading alone on its line"),
    pytest.param('<tweet pic="x.jpg" author="Jane Rook">Polls close at eight.</tweet>\n\n"Vote early," Jane Rook wrote.',
                 ["Vote early,"], id="markup attributes"),
])
def test_quotation_marks_that_quote_nobody_are_not_quotes(nlp, text, quotes):
    assert texts(nlp, text) == quotes


@pytest.mark.parametrize("text, quotes", [
    pytest.param('Mayor Says New Bridge Is \'Safe\'\n\nThe mayor, Ivo Brandt, said on Friday that the bridge was '
                 '"perfectly safe."', ["Safe", "perfectly safe."], id="a headline restating the body"),
    pytest.param("Governor Calls Levy An ‘Act of Theft’ Against Farmers\n\nThe governor spoke on Monday.",
                 ["Act of Theft"], id="capitalised words around it are the headline's, not a nickname's"),
])
def test_a_headline_quote_is_a_quote(nlp, text, quotes):
    # How a headline renders a statement is what most readers see of it.
    assert texts(nlp, text) == quotes


def test_a_quote_right_after_a_closed_title_starts_its_own_clause(nlp):
    text = 'Paz said on NBC\u2019s \u201cMorning Desk.\u201d \u201cI mean, the ranks are tired of it.\u201d'
    assert [(q.text, q.kind) for q in quotes_in(nlp, text)] == [("I mean, the ranks are tired of it.", "full")]


def test_a_fragment_inside_a_quote_nobody_said_is_not_a_quote_of_its_own(nlp):
    text = ('Lessons\n\n"I cannot sing. It strikes them as \u201ctoo sharp\u201d or \u201ctoo much.\u201d"\n\n'
            'The debate is on Monday.')
    found = quotes_in(nlp, text)
    assert [q.text for q in found] == ["I cannot sing. It strikes them as \u201ctoo sharp\u201d or \u201ctoo much.\u201d"]


def test_scare_quote_with_no_source_is_dropped_but_an_attributed_fragment_is_kept(nlp):
    text = ('The so-called "reform" passed on Tuesday.\n\n'
            'Union leader Mia Hartig said the deal was "a good start."')
    found = quotes_in(nlp, text)
    assert [(q.text, q.kind) for q in found] == [("a good start.", "fragment")]
    assert found[0].speaker_name == "Mia Hartig"


def test_embedded_post_with_author_handle_and_language(nlp):
    text = ("The minister answered online.\n\n"
            "سنعيد بناء المدينة\n\n"
            "— Omar Haddad عمر حداد (@OHaddad) March 3, 2022\n\n"
            "Reporters could not reach him.")
    [post] = quotes_in(nlp, text)
    assert post.kind == "post"
    assert post.text == "سنعيد بناء المدينة"
    assert post.language == "ar"
    assert post.handle == "@OHaddad"
    assert post.speaker_name == "Omar Haddad"


def test_a_quote_within_a_quote_stays_part_of_the_outer_quote(nlp):
    text = ('"When we met, he told me, \'Nothing will change here,\' and he meant it," '
            'union organiser Dana Whitfield said.')
    found = quotes_in(nlp, text)
    assert [q.text for q in found] == ["When we met, he told me, 'Nothing will change here,' and he meant it,"]
    assert found[0].speaker_name == "Dana Whitfield"
