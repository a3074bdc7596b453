"""What the attribution steps read from a Doc, built once per Doc: its text, its sentences,
the whole article a piece was cut from.

Components hand data on through declared extensions: ``doc._.headline_end`` (set by
``quote_finder``), ``doc._.article_text`` and ``doc._.article_tables`` (set by whoever parses an
article in pieces, see :func:`quotes.nlp.extract`).  Tables made during one call of the component live in a private
cache that the component empties before it returns.
"""
from __future__ import annotations

import re
from typing import Callable, TypeVar

from spacy.tokens import Doc, Span, Token

_CACHE = "quote_attributor"
T = TypeVar("T")

if not Doc.has_extension("article_text"):
    # (whole article text, where its headline ends) for a Doc parsed from a part of it
    Doc.set_extension("article_text", default=None)
if not Doc.has_extension("article_tables"):
    # one dict shared by the Docs parsed from parts of one article: tables about its whole text
    Doc.set_extension("article_tables", default=None)


def cached(doc: Doc, key: str, make: Callable[[], T]) -> T:
    """A table kept for one call of the component on ``doc``, made on first use."""
    cache = doc.user_data.setdefault(_CACHE, {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def article_table(doc: Doc, key: str, make: Callable[[], T]) -> T:
    """A table about the whole article's text: made once for all the Docs of one article when
    the caller shares a dict between them (``doc._.article_tables``), else once for this call."""
    shared = doc._.article_tables
    if shared is None:
        return cached(doc, key, make)
    if key not in shared:
        shared[key] = make()
    return shared[key]


def forget(doc: Doc) -> None:
    """Drop the tables of this call: nothing to pickle or keep."""
    doc.user_data.pop(_CACHE, None)


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token again on each access."""
    return cached(doc, "text", lambda: doc.text)


def text_before(doc: Doc, position: int) -> str:
    """The 2,000 characters before ``position``, trailing blanks stripped: slicing the whole
    text before each quote made a long article quadratic."""
    return text_of(doc)[max(0, position - 2_000) : position].rstrip()


def article_text(doc: Doc) -> tuple[str, int]:
    """The whole article's text and where its headline ends: the Doc's own unless it was
    parsed from a piece of a longer text."""
    return doc._.article_text or (text_of(doc), doc._.headline_end)


SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}


def capitalised_headline_end(doc: Doc) -> int:
    """Where the headline ends when it is printed in title case ("Mayor Vows Revenge Over
    Floods"), else 0: there the tagger runs names into the verbs and nouns around them, while a
    headline in sentence case parses as the story does."""
    def measure() -> int:
        words = re.findall(r"[^\W\d_][\w'’-]*", text_of(doc)[: doc._.headline_end])
        words = [w for w in words if w.lower() not in SMALL_WORDS]
        capitalised = sum(1 for w in words if w[:1].isupper())
        return doc._.headline_end if words and capitalised >= 0.8 * len(words) else 0
    return cached(doc, "capitalised_headline_end", measure)


def sentence(token: Token) -> Span:
    """``token.sent`` from a table built once per Doc: ``Token.sent`` walks the sentences."""
    sents, index = cached(token.doc, "sents", lambda: _sentence_index(token.doc))
    return sents[index[token.i]]


def sentence_number(token: Token) -> int:
    """Which sentence of its Doc ``token`` is in, counting from 0."""
    sentence(token)
    return cached(token.doc, "sents", lambda: _sentence_index(token.doc))[1][token.i]


def _sentence_index(doc: Doc) -> tuple[list[Span], list[int]]:
    sents = list(doc.sents)
    index = [0] * len(doc)
    for n, sent in enumerate(sents):
        index[sent.start : sent.end] = [n] * len(sent)
    return sents, index


def usable(entity: Span) -> bool:
    """Not a hashtag, handle or link, where the tagger finds names that are not mentions, nor a
    dateline ("WASHINGTON (Reuters) -", "NEWPORT NEWS, Va. -")."""
    text = text_of(entity.doc)
    before = text[entity.start_char - 1 : entity.start_char]
    if before in ("#", "@", "/") or entity.text.startswith(("#", "@")):
        return False
    line_start = text.rfind("\n", 0, entity.start_char) + 1
    dateline = (entity.text.isupper() and len(entity.text) > 4 and not text[line_start : entity.start_char].strip()
                and re.match(r"\s*[,(—–-]", text[entity.end_char : entity.end_char + 3]) is not None)
    return not dateline
