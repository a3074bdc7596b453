"""Which lines the parser sees, and how a long text is cut: no spaCy needed."""
import pytest

from quotes.pieces import focus, pieces

TEXT = (
    "Headline about a bridge\n"
    "\n"
    "The council met on Monday.\n"
    "\n"
    "Mayor Anna Kowalski spoke first.\n"
    "\n"
    "\"We will rebuild it,\" she said.\n"
    "\n"
    "Traffic was light.\n"
)


def span_of(text, words):
    start = text.index(words)
    return start, start + len(words)


def test_focus_keeps_offsets_and_the_line_before_a_quote():
    site = span_of(TEXT, "We will rebuild it,")
    focused = focus(TEXT, [site])
    assert len(focused) == len(TEXT)
    assert [i for i, c in enumerate(focused) if c == "\n"] == [i for i, c in enumerate(TEXT) if c == "\n"]
    kept = [line for line in focused.splitlines() if line.strip()]
    assert kept == ["Mayor Anna Kowalski spoke first.", "\"We will rebuild it,\" she said."]
    assert focused[site[0] : site[1]] == "We will rebuild it,"


def test_focus_without_context_keeps_only_the_quote_line():
    focused = focus(TEXT, [span_of(TEXT, "We will rebuild it,")], context=0)
    assert [line for line in focused.splitlines() if line.strip()] == ["\"We will rebuild it,\" she said."]


def test_focus_keeps_every_line_a_site_spans_and_blanks_a_text_without_sites():
    text = "one\ntwo \"a\nb\" three\nfour\n"
    focused = focus(text, [(text.index("a"), text.index("b") + 1)], context=0)
    assert focused.splitlines() == ["   ", "two \"a", "b\" three", "    "]
    assert focus(text, []).strip() == ""


def test_focus_rejects_a_negative_context():
    with pytest.raises(ValueError, match="context"):
        focus(TEXT, [], context=-1)


def test_a_short_text_is_one_piece():
    (piece,) = pieces(TEXT, max_chars=1_000, context_chars=100)
    assert (piece.offset, piece.text, piece.own_start, piece.own_end) == (0, TEXT, 0, len(TEXT))


def test_a_long_text_is_cut_at_line_breaks_into_pieces_that_own_every_character_once():
    text = "".join(f"Paragraph {i} says little of note here.\n\n" for i in range(400))
    cut = pieces(text, max_chars=2_000, context_chars=300)
    assert len(cut) > 5
    assert cut[0].own_start == 0 and cut[-1].own_end == len(text)
    for before, after in zip(cut, cut[1:]):
        assert before.own_end == after.own_start
        assert text[after.own_start - 1] == "\n"
    for piece in cut:
        assert len(piece.text) <= 2_000
        assert text[piece.offset : piece.offset + len(piece.text)] == piece.text
        assert piece.offset <= piece.own_start < piece.own_end <= piece.offset + len(piece.text)
        assert piece.offset < piece.own_start or piece.offset == 0  # context before, except at the start


def test_a_single_line_longer_than_a_piece_is_cut_at_spaces():
    text = "word " * 2_000
    cut = pieces(text, max_chars=1_000, context_chars=100)
    assert all(len(p.text) <= 1_000 for p in cut)
    assert all(text[p.own_start - 1] == " " for p in cut[1:])


def test_pieces_reject_context_that_leaves_no_room():
    with pytest.raises(ValueError, match="context_chars"):
        pieces(TEXT, max_chars=100, context_chars=50)


# With the pipeline: what focus and pieces change in what is found (nothing but the cost).

NAMES = ["Anna Kowalski", "Tomas Reyes", "Mira Okafor", "Jonas Brekke", "Lena Duarte"]


def long_article(paragraphs: int) -> str:
    """Quotes now and then among many paragraphs that quote nobody."""
    out = []
    for i in range(paragraphs):
        if i % 25 == 7:
            name = NAMES[(i // 25) % len(NAMES)]
            out.append(f"Council member {name} spoke about item {i}.")
            out.append(f"\u201cWe will finish item {i} before the winter,\u201d {name.split()[-1]} said.")
        else:
            out.append(f"The committee reviewed budget line {i} and moved on without a vote.")
    return "\n\n".join(out) + "\n"


def found(nlp, text, **options):
    from quotes.nlp import extract
    from quotes.records import Article

    (result,) = extract(nlp, [Article(source="long.txt", text=text)], **options)
    return [(q.start, q.end, q.kind, q.speaker_name, q.speaker_start, q.speaker_end) for q in result.quotes]


def test_focus_finds_what_the_whole_text_finds_on_the_sample_articles(nlp):
    """Same quotes, kinds, cues and mentions.  The one known difference: a name given in full
    only in a paragraph nobody is quoted in ("Mayor Anna Kowalski") is not seen, so the
    article's own name for the speaker is the shorter form; the speakers stage joins the two."""
    from quotes.nlp import to_record

    from .conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        whole = [to_record(q) for q in nlp(text)._.quotes]
        focused = found(nlp, text)
        assert [f[:3] + f[4:] for f in focused] == [(q.start, q.end, q.kind, q.speaker_start, q.speaker_end) for q in whole], path.name
        for f, q in zip(focused, whole):
            assert f[3] == q.speaker_name or f[3] and q.speaker_name.casefold().endswith(f[3].split()[-1].casefold()), (path.name, f, q)


def test_an_article_longer_than_max_length_is_parsed_in_pieces_with_article_offsets(nlp):
    text = long_article(1_500)
    old = nlp.max_length
    nlp.max_length = 50_000
    try:
        assert len(text) > nlp.max_length
        in_pieces = found(nlp, text, max_chars=20_000)
    finally:
        nlp.max_length = old
    assert in_pieces == found(nlp, text)  # the same as one piece, offsets and speakers included
    assert len(in_pieces) == 60
    for start, end, _, speaker, s_start, s_end in in_pieces:
        assert text[start:end].startswith("We will finish item")
        assert text[s_start:s_end] in {n.split()[-1] for n in NAMES}
        assert speaker.split()[-1] == text[s_start:s_end]


def test_max_chars_must_stay_below_max_length(nlp):
    with pytest.raises(ValueError, match="max_length"):
        found(nlp, TEXT, max_chars=nlp.max_length)


def test_a_text_with_no_line_breaks_is_blanked_sentence_by_sentence():
    filler = "The river rose again overnight. " * 200  # one line, far longer than any paragraph
    text = filler + 'Officials met at noon. "We will open the shelters," Mayor Ines Varga said. ' + filler
    focused = focus(text, [span_of(text, "We will open the shelters,")])
    assert len(focused) == len(text) and "\n" not in focused
    assert " ".join(focused.split()) == 'Officials met at noon. "We will open the shelters," Mayor Ines Varga said.'


def test_an_article_with_no_line_breaks_finds_the_quotes_and_speakers_of_its_paragraphs(nlp):
    text = long_article(300)
    flat = " ".join(text.split())
    assert "\n" not in flat and len(flat) > 5_000

    def said(article):
        return [(article[start:end], speaker) for start, end, _, speaker, _, _ in found(nlp, article)]

    assert said(flat) == said(text)
