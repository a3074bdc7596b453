"""Find direct quotes: a spaCy pipeline component that sets ``doc._.quotes``.

Quotation marks are paired on the raw text first (``marks``), so a stray mark never costs more
than its own quote; the parse is then used to tell whole quotes from fragments and to drop
quotation marks around titles and nicknames that nobody is quoted as saying.  Embedded social
posts (a ``— Name (@handle) Date`` line after the post's text) become quotes of kind ``post``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from .marks import MARK_RE, MarkedSpan, mark_family, pair_marks

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
PERSIAN_LETTERS = re.compile(r"[پچژگکی]")
POST_AUTHOR_LINE = re.compile(
    r"^[ \t]*[—–-]{1,2}[ \t]*(?P<name>[^\n(]*?)[ \t]*\((?P<handle>@\w{1,30})\)[ \t]*(?P<date>[^\n]*)$",
    re.MULTILINE,
)
# How far around a quote its kind is read: slicing the whole text for each quote made a long
# article quadratic.
NEARBY = 400
POSSESSIVES = {"his", "her", "their", "its", "my", "our", "your"}
# Not words anyone said, though a transcript opens their paragraphs with a quotation mark: a stage
# direction ("(CROSSTALK.)", "[APPLAUSE]") and a writer's sign-off ("Follow Dana Vey on Twitter @dv").
NOT_SAID = re.compile(r"\s*(?:[(\[][^()\[\]\n]{1,40}[)\]]\.?|Follow\b[^\n]{1,80}\bon (?:Twitter|X|Instagram|Facebook|"
                      r"Threads|Bluesky|Mastodon)\b[^\n]*)\s*")
POST_TRAILER = re.compile(r"(?:\s*(?:#\w+|pic\.twitter\.com/\w+|https?://\S+))+\s*$")


@dataclass
class Quotation:
    """One direct quote in a Doc: where its text is and, once attributed, who said it.

    Offsets are character offsets into ``doc.text``; ``content`` is the token span that covers
    them (expanded to whole tokens), so sentences and entities stay one attribute away.
    """

    start: int
    end: int
    content: Span
    kind: str = "full"  # full | fragment | post
    language: str = "en"
    marks: MarkedSpan | None = None
    cue: Span | None = None
    speaker: Span | None = None  # the mention the attribution rests on: "he", "Nazimi", "the statement"
    speaker_name: str | None = None  # fullest name the article gives for that mention
    speaker_kind: str | None = None
    handle: str | None = None
    attributed_by: str | None = None  # the rule that chose the speaker ("cue_verb", "carried_over")
    speaker_confidence: float | None = None  # 0-1: how sure the attribution is (None: not scored)
    # Where the run of quotes that one sentence prints from one cue begins (the offset of its
    # first quote): the pieces of one utterance (the “reckless drivers” ruined the “quiet
    # streets”; a quote cut by "he said,").
    sentence: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        # From the span's own text: ``doc.text`` would rebuild the whole article on each call.
        offset = self.content.start_char
        return self.content.text[self.start - offset : self.end - offset]


def detect_language(text: str) -> str:
    """Language by script, with no model: Arabic and Persian share a script, so Persian is told
    by the letters Arabic lacks."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    arabic = sum(1 for c in letters if ARABIC_SCRIPT.match(c))
    if arabic / len(letters) > 0.5:
        return "fa" if PERSIAN_LETTERS.search(text) else "ar"
    return "en"


class QuoteFinder:
    """Pairs quotation marks, classifies each quote and collects embedded posts."""

    def __init__(self, nlp: Language, name: str, title_cues: list[str], headline_max_words: int,
                 quotes_within_quotes: bool):
        self.name = name
        self.quotes_within_quotes = quotes_within_quotes
        self.title_cues = {c.lower() for c in title_cues}
        self.headline_max_words = headline_max_words
        if not Doc.has_extension("quotes"):
            Doc.set_extension("quotes", default=None)
        if not Doc.has_extension("headline_end"):
            # Where the headline ends, for the components after this one.
            Doc.set_extension("headline_end", default=0)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # spaCy joins every token again on each access: once per Doc
        posts = list(self._posts(doc, text))
        post_ranges = [(q.start, q.end) for q in posts]
        found: list[Quotation] = []
        headline_end = doc._.headline_end = self.headline_end(text)
        for marked in pair_marks(text):
            if any(s <= marked.start < e for s, e in post_ranges):
                continue
            if marked.depth and mark_family(marked.open_mark) in ("single", "guillemet_single") and not self.quotes_within_quotes:
                # 'Words' in single marks inside a quote are the speaker quoting someone: they are
                # already part of the outer quote, and the text rarely says whose words they are.
                continue
            content = doc.char_span(marked.start, marked.end, alignment_mode="expand")
            if content is None or len(content) == 0:
                continue
            quote = Quotation(marked.start, marked.end, content, marks=marked,
                              language=detect_language(text[marked.start:marked.end]))
            quote.kind = self._kind(text, quote, in_headline=marked.start < headline_end)
            if quote.kind == "title" or NOT_SAID.fullmatch(text, marked.start, marked.end):
                continue
            found.append(quote)
        doc._.quotes = sorted(found + posts, key=lambda q: q.start)
        return doc

    def headline_end(self, text: str) -> int:
        """Where the headline ends: a short first line standing alone above a blank line.
        Its quotes are kept (how a headline renders a statement is what a reader sees first),
        but its capitalised words say nothing of names and titles."""
        # Possessive \s*+: with backtracking, a long run of blanks (a paragraph blanked before
        # parsing) made this match quadratic.
        m = re.match(r"\s*+([^\n]+)\n[^\S\n]*\n", text)
        if not m or not text[m.end() :].strip():
            return 0  # a one-paragraph text has no headline
        line = m.group(1).strip()
        # A headline is one short phrase; a first line opening with a quotation mark is a quote
        # leading the story, and one holding a sentence break is the story's first paragraph.
        if (len(line.split()) <= self.headline_max_words and not MARK_RE.match(line)
                and not re.search(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]", line)):
            return m.end(1)
        return 0

    def _kind(self, text: str, quote: Quotation, in_headline: bool = False) -> str:
        """``full`` for a quote that stands as its own clause, ``fragment`` for words quoted
        inside the reporter's sentence, ``title`` for a name in quotation marks."""
        opening = text.rfind(quote.marks.open_mark, 0, quote.start) if quote.marks is not None else quote.start - 1
        before = text[max(opening - NEARBY, 0) : max(opening, 0)].rstrip()
        # Past a quote closing just before ("…on “Fox and Friends.” “I mean, …"): its own end.
        prev_char = before.rstrip("”’\"'» ")[-1:] if before else ""
        inner = text[quote.start : quote.end]
        words = inner.split()
        printed = re.findall(r"[\w’']+$", before)
        printed = printed[0] if printed else ""
        previous_word = printed.lower()
        after = re.match(r"[^\w\s]*\s+(\w+)", text[quote.end : quote.end + NEARBY])  # not \W*\s+: backtracks on blanks
        if previous_word in self.title_cues and (inner[:1].isupper() or inner[:1].isdigit()) and (
                _title_case(inner) or not re.search(r"[.!?,]$", inner)):
            return "title"
        capitalised = sum(1 for w in words if len(w) > 3 and w[:1].isupper())
        if _title_case(inner.rstrip(".")) and (previous_word in ("on", "of", "in") or re.search(r"\w['’]s?$", previous_word)
                                               or (previous_word in POSSESSIVES and capitalised >= 2)):
            return "title"  # on CBS's "Face the Nation," / an episode of "The Show" / his "Keepin' It Real"
        line_start = text.rfind("\n", 0, quote.start) + 1
        line_end = text.find("\n", quote.end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if (quote.marks is not None and not quote.marks.continued and line.strip(" \t\"'“”‘’«»„") == inner.strip()
                and _title_case(inner.rstrip(".")) and capitalised >= 2):
            return "title"  # a quoted heading alone on its line: 'All Bets Are Off.'

        if (not in_headline and len(words) <= 3 and printed[:1].isupper() and after and after.group(1)[:1].isupper()
                and not re.search(r"[.!?,:;]", inner) and text[quote.end + 1 : quote.end + 2] == " "):
            return "title"  # a nickname between given name and surname: Carl "The Hammer" Voss
        starts_clause = prev_char in ("", ":", ",", ".", "!", "?", "—", "–", "(") or not text[line_start : max(opening, line_start)].strip()
        if quote.marks is not None and quote.marks.continued:
            return "full"
        if starts_clause and (inner[:1].isupper() or prev_char in (":", ",")) and len(words) >= 2:
            return "full"
        if starts_clause and len(words) >= 6:
            return "full"
        return "fragment"

    def _posts(self, doc: Doc, text: str):
        """Embedded posts: the paragraph just above a ``— Name (@handle) Date`` line."""
        for m in POST_AUTHOR_LINE.finditer(text):
            line_start = m.start()
            # The post's text is the nearest non-blank line(s) above, back to a blank line.
            end = line_start
            while end > 0 and text[end - 1].isspace():
                end -= 1
            start = text.rfind("\n\n", 0, end)
            single = text.rfind("\n", 0, end)
            start = max(start + 2 if start >= 0 else 0, single + 1 if single >= 0 else 0)
            body = text[start:end]
            trailer = POST_TRAILER.search(body)
            if trailer:
                end = start + trailer.start()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            content = doc.char_span(start, end, alignment_mode="expand")
            author = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
            if content is None:
                continue
            quote = Quotation(start, end, content, kind="post",
                              language=detect_language(text[start:end]), handle=m.group("handle"))
            name = re.sub(ARABIC_SCRIPT.pattern + r"+", "", m.group("name")).strip(" -—–")
            quote.speaker = author
            quote.speaker_name = name or m.group("handle")
            quote.attributed_by, quote.speaker_confidence = "post_author_line", 1.0
            quote.extra["post_date"] = m.group("date").strip()
            yield quote


def _title_case(text: str) -> bool:
    """A short run of capitalised words, as titles of shows and books are printed."""
    words = re.findall(r"[^\W_][\w'’-]*", text)
    if not words or len(words) > 8 or re.search(r"[.!?]\W*$", text.rstrip(",")) and len(words) > 3:
        return False
    major = [w for w in words if len(w) > 3 or w is words[0]]
    return all(w[:1].isupper() or w[:1].isdigit() for w in major)  # "13th", "Catch-22"


@Language.factory(
    "quote_finder",
    default_config={
        "title_cues": ["titled", "entitled", "dubbed", "nicknamed", "called", "show", "program", "film",
                       "book", "article", "headline", "column", "series", "documentary", "album", "song"],
        "headline_max_words": 25,
        "quotes_within_quotes": False,
    },
    assigns=["doc._.quotes", "doc._.headline_end"],
)
def make_quote_finder(nlp: Language, name: str, title_cues: list[str], headline_max_words: int,
                      quotes_within_quotes: bool) -> QuoteFinder:
    return QuoteFinder(nlp, name, title_cues, headline_max_words, quotes_within_quotes)
