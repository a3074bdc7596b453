"""Pair quotation marks in raw text, before any parsing.

Works paragraph by paragraph so that a stray or unbalanced mark costs at most its own quote:
an opening mark that never closes is dropped, and the scan goes on after it.  A quote that runs
over several paragraphs (opening mark repeated at each paragraph, closing mark only at the end)
yields one span per paragraph, each flagged ``continued``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

# Marks that can only open, only close, or either (decided by what surrounds them).
OPENERS = {"“": "double", "„": "double", "«": "guillemet", "‹": "guillemet_single", "‘": "single"}
CLOSERS = {"”": "double", "»": "guillemet", "›": "guillemet_single", "’": "single"}
AMBIGUOUS = {'"': "double", "'": "single"}
# Which closers may end a quote opened by a given mark: mixed styles ("…” and „…“) are common.
CLOSES = {
    "“": {"”", '"', "“"},
    "”": {"”", '"', "“"},
    "„": {"“", "”", '"'},
    '"': {'"', "”", "“"},
    "«": {"»"},
    "»": {"«"},  # Danish/Swedish style »…«
    "‹": {"›"},
    "‘": {"’", "'"},
    "'": {"'", "’"},
}
ALL_MARKS = set(OPENERS) | set(CLOSERS) | set(AMBIGUOUS)
MARK_RE = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")
WORD_CHAR = re.compile(r"\w")
NOT_BLANK = re.compile(r"\S")
MARKUP = re.compile(r"<[A-Za-z/][\w:-]*(?:\s[^<>]{0,4000})?/?>")
# Two single marks standing for one double mark (''like this'', ‘‘so’’), as news archives print
# them; an apostrophe after a plural (the voters'') is not doubled.
DOUBLED_SINGLE = re.compile(r"''|‘‘|’’")


@dataclass(frozen=True)
class MarkedSpan:
    """The inside of one pair of quotation marks."""

    start: int  # first character inside the opening mark
    end: int  # first character of the closing mark (or paragraph end when ``continued``)
    open_mark: str
    close_mark: str | None
    continued: bool = False  # part of a multi-paragraph quote that closes in a later paragraph
    depth: int = 0  # 0 for an outer quote, 1 for a quote nested inside another


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(WORD_CHAR.match(ch))


def _roles(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at ``i`` can open and whether it can close a quote."""
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in ("’", "'"):
        # Between two letters it is an apostrophe (don’t, Iraq’s), never a quotation mark.
        if _is_word(before) and _is_word(after):
            return False, False
    if ch == "»" and not (before == "" or before.isspace() or before in "([—–-"):
        return False, True
    if ch == "»":
        return True, True
    if ch == "“":
        # Opens in English, closes in German („…“): which one depends on what is around it.
        can_close = before != "" and not before.isspace() and not _is_word(after)
        return not can_close or after.isalnum(), can_close
    if ch in OPENERS:
        if ch == "‘" and _is_word(before):
            return False, False
        return True, False
    if ch == "”" and (before == "" or before.isspace() or before in "([—–-") and _is_word(after):
        return True, True  # a closing-style mark printed to open (”down with …”), or one closing before a lost space
    if ch in CLOSERS:
        return False, True
    # Straight marks: flanking decides.
    can_open = (before == "" or before.isspace() or before in "([{—–-/:") and after != "" and not after.isspace()
    can_close = before != "" and not before.isspace() and (after == "" or not _is_word(after))
    if ch == '"' and before == " " and i >= 2 and text[i - 2] in "'’" and not _is_word(after):
        can_close = True  # a spaced pair of closing marks: …outreach,' " he said
    if ch == "'" and can_open and _is_word(after) and after.isdigit():
        can_open = False  # '90s
    return can_open, can_close


def pair_marks(text: str) -> list[MarkedSpan]:
    """Every quoted span in ``text``, in order of position; never raises on unbalanced marks.

    Markup left in the text (``<tweet author="…">``) is blanked first: the quotation marks of
    its attributes quote nobody.  Doubled single marks are read as one double mark."""
    text = MARKUP.sub(lambda m: " " * len(m.group()), text)
    text = DOUBLED_SINGLE.sub(lambda m: _as_double(text, m), text)
    spans: list[MarkedSpan] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for index, (p_start, p_end) in enumerate(paragraphs):
        found = list(_pair_paragraph(text, p_start, p_end))
        spans.extend(_continued(text, found, paragraphs, index))
    spans = [_trimmed(text, s) for s in spans]
    spans = [s for s in spans if s.end > s.start]
    spans.sort(key=lambda s: (s.start, -s.end))
    nested: list[MarkedSpan] = []
    outer_end = -1
    for span in spans:
        inside = span.end <= outer_end
        nested.append(replace(span, depth=1) if inside else span)
        if not inside:
            outer_end = span.end
    return nested


def _as_double(text: str, match: re.Match) -> str:
    """Two characters for two: a space on the outer side keeps every offset and lets the trim
    drop it from the quote."""
    after = text[match.end() : match.end() + 1]
    opening = after != "" and not after.isspace() and not (match.group() == "’’")
    return ' "' if opening else '" '


def _trimmed(text: str, span: MarkedSpan) -> MarkedSpan:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return replace(span, start=start, end=end)


def _pair_paragraph(text: str, p_start: int, p_end: int) -> Iterator[MarkedSpan]:
    # A stack of open marks: (position, mark). Double-family marks may nest a single-family quote,
    # or a double quote of the other style ("…“title”…").
    stack: list[tuple[int, str]] = []
    for m in MARK_RE.finditer(text, p_start, p_end):
        i, ch = m.start(), m.group()
        can_open, can_close = _roles(text, i)
        if not (can_open or can_close):
            continue
        if can_close:
            for depth in range(len(stack) - 1, -1, -1):
                o_pos, o_ch = stack[depth]
                if ch in CLOSES.get(o_ch, ()) and not (ch == o_ch == "“" and can_open):
                    if i - o_pos > 1:
                        del stack[depth:]
                        yield MarkedSpan(o_pos + 1, i, o_ch, ch)
                        can_open = False
                    break
            else:
                if not can_open:
                    continue
            if not can_open:
                continue
        if can_open:
            if stack and ch == stack[-1][1] and ch in AMBIGUOUS:
                # A straight mark opening again before the first closed: the first one was stray.
                # A curly “ or « only opens, so a second one nests (“… calls “hell” … ”).
                stack.pop()
            stack.append((i, ch))
    # Marks still open at the paragraph end: only the outermost may continue into the next paragraph.
    if stack:
        o_pos, o_ch = stack[0]
        yield MarkedSpan(o_pos + 1, p_end, o_ch, None, continued=True)


def mark_family(mark: str) -> str:
    """"double", "single", "guillemet" … for a quotation mark."""
    return OPENERS.get(mark) or CLOSERS.get(mark) or AMBIGUOUS.get(mark, "")


def _continued(text: str, found: list[MarkedSpan], paragraphs: list[tuple[int, int]], index: int) -> Iterator[MarkedSpan]:
    """Keep an unclosed span only if the next paragraph opens with a quotation mark (the
    convention for a quote running on); otherwise the opening mark was stray."""
    for span in found:
        if not span.continued:
            yield span
            continue
        # At the paragraph's start, or introduced by a colon ("the mayor said: “We …"): a quote
        # opened further in and left open is more likely a stray mark.
        lead_in = text[paragraphs[index][0] : span.start - 1].strip()
        opens_at_paragraph_start = text[span.start - 1 : span.start] and (not lead_in or lead_in.endswith(":"))
        next_opens = False
        if index + 1 < len(paragraphs):
            n_start, _ = paragraphs[index + 1]
            first = NOT_BLANK.search(text, n_start)  # not text[n_start:].lstrip(): a copy of the rest per span
            next_opens = first is not None and first.group() in ('"', "“", "„", "«", "‘")
        if opens_at_paragraph_start and next_opens:
            yield span
