"""Word-by-word alignment of a variant against its group's representative text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import LCSseq

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]", re.UNICODE)
CONTRACTIONS = {"n't": " not", "'re": " are", "'m": " am", "'ll": " will", "'ve": " have", "'d": " would"}


@dataclass(frozen=True)
class Step:
    """One aligned step: ``op`` is equal, substitute, insert (only in the variant) or delete
    (only in the representative)."""

    op: str
    representative: str
    variant: str


def normalise(text: str) -> str:
    """Case, punctuation, curly vs straight marks and contractions folded away."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").casefold()
    # "&" is a word: tweets write "quick & a quiet move" where outlets print "and".
    text = text.replace("&amp;", "&").replace("&", " and ")
    text = text.replace("won't", "will not").replace("can't", "cannot")
    for short, long in CONTRACTIONS.items():
        text = text.replace(short, long)
    return " ".join(re.findall(r"[^\W_]+", text))


def words(text: str) -> list[str]:
    """The text's words as printed (punctuation dropped)."""
    return [w for w in WORD.findall(text) if w[0].isalnum()]


def _key(word: str) -> str:
    return word.casefold().replace("’", "'")


def covered(representative: list[str], variant: list[str]) -> tuple[int, int, int]:
    """``(start, end, shared)``: the span of ``representative`` that ``variant`` renders and how
    many of its words the variant carries in order (their longest common subsequence).

    The span is built around the longest shared run, from the runs no further from it than the
    variant is long, so that a stray "the" at the far end of a long representative does not
    stretch it; the subsequence is then taken again within that reach, where a tie can no
    longer be broken towards a stray word.
    """
    start, end = 0, len(representative)
    for _ in range(2):
        blocks = [b for b in LCSseq.opcodes(representative[start:end], variant).as_matching_blocks() if b.size]
        if not blocks:
            return 0, 0, 0
        anchor = max(blocks, key=lambda b: b.size)
        reach = len(variant)
        near = [b for b in blocks if anchor.a - reach <= b.a and b.a + b.size <= anchor.a + anchor.size + reach]
        span = (start + min(b.a for b in near), start + max(b.a + b.size for b in near), sum(b.size for b in near))
        if len(near) == len(blocks):
            break  # nothing stray: the subsequence is already the longest one within reach
        start, end = max(0, start + anchor.a - reach), min(len(representative), start + anchor.a + anchor.size + reach)
    return span


def align(representative: str, variant: str, *, span_only: bool = False, as_printed: bool = False) -> list[Step]:
    """Align ``variant`` against ``representative`` word by word, case-insensitively.

    The variant is aligned against the span of the representative it renders (see
    :func:`covered`); the representative's words before and after that span come as one
    leading and one trailing ``delete`` step, or are left out with ``span_only`` (a fragment
    quotes part of a statement, it does not delete the rest).

    :param representative: the group's representative text
    :param variant: the text to align against it
    :param span_only: leave out the representative's words outside the variant's span
    :param as_printed: give each step's words as the text prints them, with the punctuation
        touching them and their capitals, and each run of equal words as one step, so that the
        steps joined by spaces read as the text does (for people; bare words are for counting)
    """
    rep, var = words(representative), words(variant)
    rep_keys, var_keys = [_key(w) for w in rep], [_key(w) for w in var]
    start, end, _ = covered(rep_keys, var_keys)
    if start == end:
        start, end = 0, len(rep)
    # Each step as (op, representative words i1:i2, variant words j1:j2).
    ranges: list[tuple[str, int, int, int, int]] = []
    if start and not span_only:
        ranges.append(("delete", 0, start, 0, 0))
    matcher = SequenceMatcher(a=rep_keys[start:end], b=var_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2 = i1 + start, i2 + start
        if op == "equal":
            ranges.extend(("equal", i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            # "don't" for "do not" is the same wording, not a substitution.
            same = normalise(" ".join(rep[i1:i2])) == normalise(" ".join(var[j1:j2]))
            ranges.append(("equal" if same else "substitute", i1, i2, j1, j2))
        else:
            ranges.append((op, i1, i2, j1, j2))
    if end < len(rep) and not span_only:
        ranges.append(("delete", end, len(rep), len(var), len(var)))
    if not as_printed:
        return [Step(op, " ".join(rep[i1:i2]), " ".join(var[j1:j2])) for op, i1, i2, j1, j2 in ranges]
    merged: list[tuple[str, int, int, int, int]] = []
    for step in ranges:
        if step[0] == "equal" and merged and merged[-1][0] == "equal" and merged[-1][2] == step[1] and merged[-1][4] == step[3]:
            merged[-1] = ("equal", merged[-1][1], step[2], merged[-1][3], step[4])
        else:
            merged.append(step)
    rep_slices, var_slices = _printed_slices(representative), _printed_slices(variant)
    return [Step(op, _printed(representative, rep_slices, i1, i2), _printed(variant, var_slices, j1, j2))
            for op, i1, i2, j1, j2 in merged]


def quoted_span(steps: list[Step]) -> tuple[int, list[Step], int]:
    """(representative words before, steps from the first to the last word the variant carries,
    representative words after): a fragment quotes part of a statement, it does not delete the rest."""
    carried = [i for i, s in enumerate(steps) if s.op != "delete"]
    if not carried:
        return 0, steps, 0
    first, last = carried[0], carried[-1]
    return (sum(len(words(s.representative)) for s in steps[:first]), steps[first : last + 1],
            sum(len(words(s.representative)) for s in steps[last + 1 :]))


def _printed_slices(text: str) -> list[tuple[int, int]]:
    """(start, end) of each of the text's :func:`words` as printed: with the punctuation touching
    it (an opening quotation mark before, a comma after); two words no space separates ("U.S.")
    are cut at the second one's first letter."""
    spans = [m.span() for m in WORD.finditer(text) if m.group()[0].isalnum()]
    bounds = [0]
    for (_, end), (next_start, _) in zip(spans, spans[1:]):
        space = re.search(r"\s", text[end:next_start])
        bounds.append(end + space.start() if space else next_start)
    bounds.append(len(text))
    return [(bounds[i], bounds[i + 1]) for i in range(len(spans))]


def _printed(text: str, slices: list[tuple[int, int]], first: int, stop: int) -> str:
    return text[slices[first][0] : slices[stop - 1][1]].strip() if stop > first else ""


def agreement(representative: str, variant: str) -> float:
    """Share of the representative's words, within the span the variant covers, that the
    variant carries word for word and in order (1.0 for the same wording, 0.0 when nothing is
    shared); contractions count as their long form."""
    return carried_share(normalise(representative).split(), normalise(variant).split())


def carried_share(representative: list[str], variant: list[str]) -> float:
    """:func:`agreement` of two texts already normalised and split into words."""
    if representative == variant:
        return 1.0
    start, end, shared = covered(representative, variant)
    return round(shared / (end - start), 3) if end > start else 0.0
