"""Which parts of an article the parser has to see, cut into pieces spaCy can hold.

Parsing is most of the cost of a build, and most paragraphs of a news article hold no quote.
Given where quotes can be (spans found on the raw text, before any parsing), a paragraph is
kept when it holds one of them or comes just before one that does (where "he said" finds its
antecedent and a speaker is carried over); every other paragraph is blanked with spaces.
Blanking keeps the text's length and line breaks, so every offset the parser reports is
already an offset into the article, and a blanked run costs the parser a single token.

A text longer than ``max_chars`` is cut, at line breaks, into pieces below spaCy's
``max_length``; each piece also carries the paragraphs around it as context, and owns only the
quotes that start in its own part, so no quote is found twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

LINE = re.compile(r"[^\n]+")
# A sentence end inside a line: where a text with few or no line breaks is cut into units.
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
# A line longer than this (no news paragraph is: a text with no line breaks) is cut into its
# sentences, so that it is blanked as finely as a text with a break after every paragraph.
LONG_LINE = 5_000


@dataclass(frozen=True)
class Piece:
    """One stretch of an article to parse.

    ``text`` is the article's characters from ``offset`` on, with unneeded paragraphs blanked;
    the piece owns the quotes that start in ``[own_start, own_end)`` (offsets in the article).
    """

    offset: int
    text: str
    own_start: int
    own_end: int

    def owns(self, start: int) -> bool:
        return self.own_start <= start < self.own_end


def focus(text: str, sites: Iterable[tuple[int, int]], *, context: int = 1) -> str:
    """``text`` with every line blanked that neither overlaps a site nor is among the
    ``context`` non-empty lines before one that does; length and line breaks are unchanged.

    A line longer than ``LONG_LINE`` counts as one line per sentence: a text printed with no
    line breaks is then blanked about as finely as one with a break after every paragraph,
    instead of being parsed whole.

    :param sites: ``(start, end)`` character spans where a quote or its speaker can be
    :param context: how many preceding non-empty lines each kept line brings along
    """
    if context < 0:
        raise ValueError(f"context must be 0 or more, not {context}")
    lines = [unit for m in LINE.finditer(text) if m.group().strip() for unit in _units(text, m.start(), m.end())]
    keep = [False] * len(lines)
    starts = [s for s, _ in lines]
    for site_start, site_end in sites:
        index = _line_at(starts, site_start)
        while index < len(lines) and lines[index][0] <= max(site_start, site_end - 1):
            if lines[index][1] > site_start or site_start == site_end:
                for before in range(max(0, index - context), index + 1):
                    keep[before] = True
            index += 1
    out: list[str] = []
    done = 0
    for (start, end), kept in zip(lines, keep):
        if not kept:
            out += [text[done:start], " " * (end - start)]
            done = end
    out.append(text[done:])
    return "".join(out)


def _units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The line ``[start, end)`` as it is, or, when longer than ``LONG_LINE``, its sentences."""
    if end - start > LONG_LINE:
        for cut in SENTENCE_END.finditer(text, start, end):
            yield start, cut.end()
            start = cut.end()
    yield start, end


def _line_at(starts: list[int], position: int) -> int:
    """Index of the last line that starts at or before ``position`` (0 if none)."""
    from bisect import bisect_right

    return max(0, bisect_right(starts, position) - 1)


def pieces(text: str, *, max_chars: int = 100_000, context_chars: int = 2_000) -> list[Piece]:
    """Cut a (focused) text into pieces of at most ``max_chars`` characters at line breaks.

    A text that fits is one piece.  Otherwise each piece owns a run of whole lines and reaches
    ``context_chars`` further on both sides (to whole lines) for the paragraphs attribution
    looks at; a single line longer than a piece is cut at a space.

    :param max_chars: the longest piece, context included (keep it well below ``nlp.max_length``)
    :param context_chars: how far a piece reaches beyond the lines it owns
    """
    if max_chars <= 2 * context_chars:
        raise ValueError(f"max_chars ({max_chars}) must exceed twice context_chars ({context_chars})")
    if len(text) <= max_chars:
        return [Piece(0, text, 0, len(text))]
    own = max_chars - 2 * context_chars
    result: list[Piece] = []
    start = 0
    while start < len(text):
        end = _cut(text, start, start + own) if start + own < len(text) else len(text)
        lo = _cut(text, max(0, start - context_chars), start, backwards=True)
        hi = _cut(text, end, min(len(text), end + context_chars)) if end < len(text) else end
        result.append(Piece(lo, text[lo:hi], start, end))
        start = end
    return result


def _cut(text: str, lo: int, hi: int, *, backwards: bool = False) -> int:
    """A place between ``lo`` and ``hi`` to cut at: after the last line break before ``hi``
    (or, going backwards, the first one after ``lo``), else at a space, else at ``hi``.
    Going backwards it never returns more than ``hi``."""
    if hi <= lo:
        return hi
    if backwards:
        if lo == 0 or text[lo - 1] == "\n":
            return lo
        for mark in ("\n", " "):
            i = text.find(mark, lo, hi)
            if i >= 0:
                return i + 1
        return lo
    for mark in ("\n", " "):
        i = text.rfind(mark, lo, hi)
        if i >= 0 and i + 1 > lo:
            return i + 1
    return hi
