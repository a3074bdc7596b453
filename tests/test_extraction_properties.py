"""Property tests: whatever text the extractor is fed, it never raises, and every quote's and
speaker mention's offsets point at exactly its text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.nlp import extract
from quotes.records import Article

MARKS = list('"“”„«»‘’\'‹›')
PIECES = MARKS + [" ", " ", "\n", "\n\n", "\r\n", "\t", ".", ",", ":", "—", "–", "-", "(", ")", "said", "he said",
                  "She told reporters", "Mr. Harrow", "Maria Lozano", "the ministry", "we will", "never", "don't",
                  "Kenya's", "'90s", "قال", "«لن نسمح»", "@handle", "— Jane Rook (@jrook) May 1, 2021", "\u200f",
                  "\ufeff", "é", "e\u0301", "😀", "\x00", "  "]
SOUP = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
ANY_TEXT = st.text(max_size=400)
MIXED = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=60).map("".join)
RELAXED = settings(max_examples=200, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def check_offsets(nlp, text: str, **options) -> None:
    [result] = list(extract(nlp, [Article(source="property.txt", text=text)], **options))
    for quote in result.quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_mention is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_mention


@RELAXED
@given(text=ANY_TEXT)
def test_arbitrary_unicode(nlp, text):
    check_offsets(nlp, text)


@RELAXED
@given(text=SOUP)
def test_quotation_mark_soup(nlp, text):
    check_offsets(nlp, text)


@RELAXED
@given(text=MIXED)
def test_marks_among_arbitrary_text(nlp, text):
    check_offsets(nlp, text)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(parts=st.lists(SOUP, min_size=20, max_size=40))
def test_soup_cut_into_pieces(nlp, parts):
    """A text longer than one piece: the offsets found in each piece are shifted back right."""
    check_offsets(nlp, "\n\n".join(parts) * 4, max_chars=2_000)
