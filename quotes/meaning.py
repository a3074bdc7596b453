"""Differences between two versions of one statement that change what the speaker is reported
to have said: a negation, a number, a name, a modal verb or a qualifier.

Most differences between versions are translation choices ("missiles" / "rockets", "severe" /
"harsh revenge") or cuts (a fragment quotes less); neither is flagged.  Only the words each
side renders of the other are compared (from the first to the last run of words they share,
as the word marks of :mod:`quotes.alignment` do), so a fragment that simply stops earlier
changes nothing.  Plain text in, plain records out: no
spaCy, SQL or HTML here.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

from rapidfuzz.distance import LCSseq, Levenshtein

from .alignment import normalise
from .records import Group, StoredQuote

KINDS = ("negation", "number", "name", "modality", "qualifier")

NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "nowhere"})
# Modal verbs by what they say: a reported "will" is printed "would" and "can" "could" (the
# tense of reported speech), and "must" / "should" are one obligation in two strengths.
MODALITY = {"will": "will", "would": "will", "shall": "will", "may": "may", "might": "may", "can": "can",
            "could": "can", "must": "must", "should": "must", "ought": "must"}
# A negation word that affirms: "there is no doubt that ..." says the same as "undoubtedly".
AFFIRMING_IDIOMS = frozenset({("no", "doubt"), ("not", "only"), ("without", "doubt"), ("no", "wonder")})
# Words by which a reporter or speaker holds back from asserting a thing: "the alleged attack".
QUALIFIERS = frozenset({
    "apparent", "apparently", "alleged", "allegedly", "reportedly", "purported", "purportedly", "suspected",
    "so-called", "supposed", "supposedly", "presumed", "presumably", "ostensible", "ostensibly", "unconfirmed",
    "unverified", "claimed",
})
# Contractions spelled out, so that "won't" and "will not" carry the same negation and modal.
CONTRACTIONS = {"won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"], "shan't": ["shall", "not"]}
SUFFIXES = {"n't": ["not"], "'ll": ["will"]}

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
# Spelled ordinals up to the last day of a month ("twenty-first" is twenty + first).
ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())} | {"thirtieth": 30}
MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?|[^\W_]+(?:['\-][^\W_]+)*|[.!?;:]")
DIGITS = re.compile(r"^\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?$")
ONE_PRONOUN_BEFORE = frozenset({"no", "any", "every", "each", "the", "this", "that", "which", "such", "someone"})
ONE_PRONOUN_AFTER = frozenset({"of", "another", "who", "that", "which", "day"})
# Closed-class words that start sentences capitalised without naming anyone.
FUNCTION_WORDS = frozenset("""
    a an the this that these those we they he she it i you our their his her its my your us them him me
    and but or so yet for nor if when while as because although though since unless until then there here
    what which who whom whose where why how all any each every some no not never none many much more most
    is are was were be been being am do does did have has had will would shall should may might must can could
    let now today tomorrow yesterday also only even just still again thus however therefore indeed
    in on at by with from to of into onto over under after before about against between through during
    """.split())
# How long a differing stretch may be, words a side, for each kind to be read in it (None: any
# length).  A stretch longer than SHORT_CHANGE is a re-wording (an independent translation):
# a negation is read in it only up to 8 words ("there is no doubt" / "undoubtedly" part further
# apart), a modal only when put for another modal; a number or a qualifier says the same
# however re-worded.  (A name, in a stretch of any length, counts only when the other side
# prints no name of that spelling anywhere: _names_swapped.)
SHORT_CHANGE = 4  # words a side: one word put for another, dropped or added, not a re-wording
MAX_CHANGE = {"negation": 8, "number": None, "modality": None, "qualifier": None}
MAX_SKIP = 3  # reference words a lone shared word at an end may lie beyond the version's
EDGE_SLACK = 2  # words one side may say more than the other where both differ at an end
NAME_SLACK = 6  # the same, for a name (see meaning_flags)
FULL = 0.9  # share of the representative's words a wording needs to be the reference in its place
NAME_SPELLING = 0.75  # normalised similarity above which two names are one spelling of the other (Qadir / Qaddir)


@dataclass(frozen=True)
class Flag:
    """A difference of one ``kind`` between the reference text and a version: the words on
    each side that make it (either may be empty: a qualifier dropped or added)."""

    kind: str
    reference: str
    version: str


@dataclass
class _Word:
    key: str  # case-folded, apostrophes straightened
    printed: str
    sentence_start: bool
    number: float | str | None = None  # the value of the number or date this word begins
    name: bool = False
    idiom: bool = False  # a negation that denies nothing: "no doubt", "not only"
    spaced: bool = True  # only a space before the next word ("General Kowalski", not "Eldoria (EL)")


def _tokens(text: str) -> list[_Word]:
    """The text's words with contractions spelled out ("won't" → will not), dotted acronyms
    closed up (U.S. → US), hyphenated words in parts except "so-called", whether each starts a
    sentence (a capital there names nobody by itself), the numbers they state and the names."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    words: list[_Word] = []
    start, end = True, 0
    for match in TOKEN.finditer(text):
        piece = match.group()
        if piece in ".!?":
            start = True
            continue
        if not piece[0].isalnum():
            continue
        if words and not text[end : match.start()].isspace():
            words[-1].spaced = False
        end = match.end()
        piece = piece.replace(".", "") if piece.endswith(".") else piece
        for i, (key, printed) in enumerate(_spelled_out(piece)):
            words.append(_Word(key, printed, start and i == 0))
        start = False
    for i, word in enumerate(words):
        word.name = _is_name(word)
        word.idiom = i + 1 < len(words) and (word.key, words[i + 1].key) in AFFIRMING_IDIOMS
    for i, value in _numbers(words):
        words[i].number = value
    return words


def _spelled_out(piece: str) -> list[tuple[str, str]]:
    """(key, printed) of the words one printed word stands for."""
    key = piece.casefold()
    if key in CONTRACTIONS:
        return [(k, piece if i == 0 else k) for i, k in enumerate(CONTRACTIONS[key])]
    for suffix, spelled in SUFFIXES.items():
        if key.endswith(suffix) and len(key) > len(suffix):
            stem = key[: -len(suffix)]
            return [({"wo": "will", "ca": "can", "sha": "shall"}.get(stem, stem), piece), *((w, w) for w in spelled)]
    if key.endswith("'s"):
        return [(key[:-2], piece)]
    if "-" in key and key not in QUALIFIERS:
        return list(zip(key.split("-"), piece.split("-")))
    return [(key, piece)]


def _numbers(words: list[_Word]) -> Iterator[tuple[int, float | str]]:
    """(index of its first word, value) of every number, amount and date the words state:
    "three", "3" and "3rd" are one; "twenty-five thousand" is 25000; month and weekday names
    are dates."""
    total: float | None = None  # the part of a spelled number already scaled ("25 thousand")
    current: float | None = None  # the part still growing ("twenty" → "twenty five")
    first = 0

    def close() -> Iterator[tuple[int, float]]:
        nonlocal total, current
        if total is not None or current is not None:
            yield first, (total or 0) + (current or 0)
        total = current = None

    for i, t in enumerate(words):
        k = t.key
        if DIGITS.match(k):
            yield from close()
            digits = re.sub(r"(?:st|nd|rd|th|s)$", "", k).replace(",", "")
            try:
                current, first = float(digits), i
            except ValueError:  # "1.2.3": a code, compared as printed
                yield i, digits
        elif k in SCALES and (total is not None or current is not None):
            if SCALES[k] == 100:
                current = (current or 1) * 100
            else:
                total, current = (total or 0) + (current or 1) * SCALES[k], None
        elif k in TENS or (k in UNITS and (k != "one" or _counts_one(words, i))) or (k in ORDINALS and _in_date(words, i)):
            value = TENS.get(k, UNITS.get(k, ORDINALS.get(k, 0)))
            if current is not None and ((current >= 100 and current % 100 == 0)
                                        or (current >= 20 and current % 10 == 0 and value < 10)):
                current += value
            else:
                yield from close()
                current, first = value, i
        elif k == "and" and current is not None and current >= 100:
            continue  # "two hundred and five"
        else:
            yield from close()
            if k in MONTHS and (k != "may" or _is_the_month_may(t)):
                yield i, "month:" + k
            elif k in WEEKDAYS:
                yield i, "day:" + k
    yield from close()


def _counts_one(words: list[_Word], i: int) -> bool:
    """"one" is a pronoun as often as a number: not in "no one", "the one who", "one of"."""
    before = words[i - 1].key if i else ""
    after = words[i + 1].key if i + 1 < len(words) else ""
    return before not in ONE_PRONOUN_BEFORE and after not in ONE_PRONOUN_AFTER


def _in_date(words: list[_Word], i: int) -> bool:
    """An ordinal next to a month ("the third of May", "May third") is a day of it."""
    near = words[max(0, i - 2) : i] + words[i + 1 : i + 3]
    return any(t.key in MONTHS and (t.key != "may" or _is_the_month_may(t)) for t in near)


def _is_the_month_may(t: _Word) -> bool:
    return t.key == "may" and t.printed == "May" and not t.sentence_start


def _is_name(t: _Word) -> bool:
    """A capitalised word that is not a sentence's first (those are capitalised anyway), or an
    acronym anywhere (US, UN)."""
    printed = t.printed
    if not printed[:1].isupper() or t.key in FUNCTION_WORDS or t.key in MONTHS or t.key in WEEKDAYS:
        return False
    if len(printed) > 1 and printed.isupper():
        return True
    return not t.sentence_start


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name (Qadir / Qaddir), or a name and its adjective (Iran / Iranian)."""
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        return True
    return Levenshtein.normalized_similarity(a, b) >= NAME_SPELLING


def _spans(reference: list[_Word], version: list[_Word], slack: int = EDGE_SLACK) -> tuple[list[_Word], list[_Word]]:
    """The words of each side that the other renders: from the first to the last run of
    words they share in order (their longest common subsequence), a stray shared word at
    either end left out (:func:`_without_strays`).  When both sides go on past that at one
    end, what they say there differs (a first or last word swapped), and so much is kept,
    give or take ``EDGE_SLACK`` words ("No one" / "Nobody"); when only one side goes on, that
    is a cut, and left out."""
    ref_keys, ver_keys = [t.key for t in reference], [t.key for t in version]
    blocks = [b for b in LCSseq.opcodes(ref_keys, ver_keys).as_matching_blocks() if b.size]
    if not blocks:
        return [], []
    runs = _without_strays(blocks, ref_keys)
    r0, v0 = runs[0].a, runs[0].b
    r1, v1 = runs[-1].a + runs[-1].size, runs[-1].b + runs[-1].size
    r_tail, v_tail = len(reference) - r1, len(version) - v1
    ref_lead, ver_lead = (min(r0, v0 + slack), min(v0, r0 + slack)) if r0 and v0 else (0, 0)
    ref_tail, ver_tail = ((min(r_tail, v_tail + slack), min(v_tail, r_tail + slack))
                          if r_tail and v_tail else (0, 0))
    return reference[r0 - ref_lead : r1 + ref_tail], version[v0 - ver_lead : v1 + ver_tail]


def _without_strays(blocks: list, ref_keys: list[str]) -> list:
    """The shared runs less a lone shared word at either end that is a function word, or that
    the reference reaches only by skipping ``MAX_SKIP`` more words than the version does ("the
    Golestani" matched to a "Golestani" a sentence further on)."""
    def stray(block, neighbour, after: bool) -> bool:
        if block.size > 1:
            return False
        if ref_keys[block.a] in FUNCTION_WORDS:
            return True
        first, second = (neighbour, block) if after else (block, neighbour)
        ref_gap = second.a - (first.a + first.size)
        ver_gap = second.b - (first.b + first.size)
        return ref_gap - ver_gap > MAX_SKIP

    runs = list(blocks)
    while len(runs) > 1 and stray(runs[0], runs[1], after=False):
        runs.pop(0)
    while len(runs) > 1 and stray(runs[-1], runs[-2], after=True):
        runs.pop()
    return runs


def _changes(ref: list[_Word], ver: list[_Word], *, loose: bool = False) -> list[tuple[list[_Word], list[_Word]]]:
    """The stretches that differ between two runs of shared words: words put for others,
    dropped or added (a longest common subsequence, so a word put for another comes as one
    stretch of both).  With ``loose``, shared function words alone ("the", "of the") anchor
    nothing, so "Iran and the allies" / "the nation of Valdora" is one stretch: where a name
    is put for another in a re-worded phrase."""
    blocks = LCSseq.opcodes([t.key for t in ref], [t.key for t in ver]).as_matching_blocks()
    anchors = [b for b in blocks if b.size and (not loose or any(t.key not in FUNCTION_WORDS for t in ref[b.a : b.a + b.size]))]
    found = []
    i = j = 0
    for a, b, size in [(x.a, x.b, x.size) for x in anchors] + [(len(ref), len(ver), 0)]:
        if [t.key for t in ref[i:a]] != [t.key for t in ver[j:b]]:
            found.append((ref[i:a], ver[j:b]))
        i, j = a + size, b + size
    return found


def _feature(kind: str, t: _Word):
    """What a word says of one kind, or None."""
    if kind == "negation":
        return "negation" if t.key in NEGATIONS and not t.idiom else None
    if kind == "number":
        return t.number
    if kind == "modality":
        return None if _is_the_month_may(t) else MODALITY.get(t.key)
    if kind == "qualifier":
        # "alleged" and "allegedly" hold back the same way.
        return t.key.removesuffix("ly") if t.key in QUALIFIERS else None
    return None


def _names_swapped(before: list[_Word], after: list[_Word], ref: list[_Word], ver: list[_Word]) -> bool:
    """One person, place or body put for another: a name on each side of the stretch, in no
    spelling of the other's (and, in a long stretch, printed nowhere on the other side).  A
    name only dropped or only added is a cut or an explanation; a title put for another before
    the same name ("General" / "Commander") is wording."""
    def names(words: list[_Word], side: list[_Word], other: list[_Word]) -> list[_Word]:
        keys = {t.key for t in other}
        found = []
        for t in words:
            i = side.index(t)
            title = (i + 1 < len(side) and t.spaced and side[i + 1].name and side[i + 1].key in keys
                     and not (i and side[i - 1].name))
            if t.name and not title:
                found.append(t)
        return found

    ours, theirs = names(before, ref, ver), names(after, ver, ref)
    if max(len(before), len(after)) > SHORT_CHANGE:
        ours = [t for t in ours if not any(_same_name(t.key, o.key) for o in ver if o.name)]
        theirs = [t for t in theirs if not any(_same_name(t.key, o.key) for o in ref if o.name)]
    return bool(ours and theirs) and not any(_same_name(a.key, b.key) for a in ours for b in theirs)


def _read(kind: str, changes: list[tuple[list[_Word], list[_Word]]]) -> list[tuple[list[_Word], list[_Word]]]:
    """The stretches whose words of ``kind`` differ.  Short stretches are added up (a "not"
    dropped in one place and "never" added in another is the same polarity); in a longer one,
    a re-wording, a modal counts only when put for another modal."""
    limit = MAX_CHANGE[kind]
    short = [(b, a) for b, a in changes if max(len(b), len(a)) <= SHORT_CHANGE]
    long = [(b, a) for b, a in changes
            if SHORT_CHANGE < max(len(b), len(a)) and (limit is None or max(len(b), len(a)) <= limit)]

    def said(words: list[_Word], other: list[_Word]) -> Counter:
        found = Counter(f for t in words if (f := _feature(kind, t)) is not None)
        if kind == "modality" and not any(_feature(kind, t) for t in other):
            # "will" with no modal in its place is tense ("will continue" / "continues"), not modality.
            del found["will"]
        return found

    differing = []
    if sum((said(b, a) for b, a in short), Counter()) != sum((said(a, b) for b, a in short), Counter()):
        differing += [(b, a) for b, a in short if said(b, a) != said(a, b)]
    for b, a in long:
        if said(b, a) != said(a, b) and (kind != "modality" or (said(b, a) and said(a, b))):
            differing.append((b, a))
    return differing


def meaning_flags(reference: str, version: str) -> list[Flag]:
    """The meaning-changing differences of ``version`` from ``reference``, in :data:`KINDS`
    order, among the words each renders of the other.

    >>> [f.kind for f in meaning_flags("We will not close the port", "We will close the port")]
    ['negation']
    >>> meaning_flags("Three ships arrived", "3 ships arrived")
    []
    """
    ref_words, ver_words = _tokens(reference), _tokens(version)
    ref, ver = _spans(ref_words, ver_words)
    changes = _changes(ref, ver)
    flags: list[Flag] = []
    for kind in KINDS:
        if kind == "name":
            # A name is compared further into a differing end: a re-worded phrase names its
            # subject some words away ("Iran and other countries" / "the nation of Iran").
            wide_ref, wide_ver = _spans(ref_words, ver_words, slack=NAME_SLACK)
            differing = [(b, a) for b, a in _changes(wide_ref, wide_ver, loose=True)
                         if _names_swapped(b, a, wide_ref, wide_ver)]
            shown = lambda t: t.name  # noqa: E731
        else:
            differing = _read(kind, changes)
            shown = lambda t: _feature(kind, t) is not None  # noqa: E731
        if differing:
            flags.append(Flag(kind, " ".join(_shown(t, kind) for b, _ in differing for t in b if shown(t)),
                              " ".join(_shown(t, kind) for _, a in differing for t in a if shown(t))))
    return flags


def _shown(t: _Word, kind: str) -> str:
    """The word as printed, or the number it begins ("twenty-five thousand" → 25000)."""
    if kind == "number" and isinstance(t.number, (int, float)):
        return f"{t.number:g}" if t.number < 1e6 else f"{t.number:,.0f}"
    return t.printed


def reference_quote(group: Group, by_id: dict[str, StoredQuote]) -> str:
    """The version the others are compared with: the representative, unless a wording nearly as
    long (``FULL`` of its words) is printed by more outlets — then the representative is more
    likely the one that strayed, and that wording is the reference."""
    representative = by_id[group.representative_id]
    length = len(normalise(representative.text).split())
    wordings: dict[str, list[str]] = {}
    for qid in sorted(group.quote_ids):
        quote = by_id[qid]
        wording = normalise(quote.text)
        if quote.language == representative.language and len(wording.split()) >= FULL * length:
            wordings.setdefault(wording, []).append(qid)
    own = len(wordings.get(normalise(representative.text), []))
    most = max(wordings.values(), key=len, default=[])
    return most[0] if len(most) > own else group.representative_id


def flag_groups(groups: Iterable[Group], by_id: dict[str, StoredQuote]) -> list[dict]:
    """One row per flagged version and kind: every version in the reference's language (an
    original in another language shares no words to compare) against the group's reference
    (:func:`reference_quote`)."""
    rows: list[dict] = []
    for group in groups:
        if len(group.quote_ids) == 1:
            continue  # a version alone differs from nothing
        reference_id = reference_quote(group, by_id)
        reference = by_id[reference_id]
        for qid in group.quote_ids:
            version = by_id[qid]
            if qid == reference_id or version.language != reference.language:
                continue
            for flag in meaning_flags(reference.text, version.text):
                rows.append({"quote_id": qid, "group_id": group.id, "kind": flag.kind, "reference_quote_id": reference_id,
                             "reference": flag.reference, "version": flag.version})
    return rows
