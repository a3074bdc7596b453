"""Group quotes that are variants of one utterance, and describe each group.

Four kinds of evidence join two quotes, each checked only on candidate pairs, never all pairs:

* **exact** — the same words after normalisation (case, punctuation, curly marks, contractions);
* **carried** — the shorter text's words appear, in order and in a compact span, in the longer
  one (a fragment, a cut, a light rewording); a lower share is accepted when the two sentence
  vectors agree too.  Candidates come from an inverted index of word pairs that leaves out
  stock phrases (a word pair in more than ``max_postings`` quotes says nothing);
* **pivot** — an original-language text (Arabic, Persian … marked by the extraction stage) is
  compared clause by clause with the English quotes of the same days: a translation of any of
  its clauses joins it, so independent translations meet through their original;
* **translated** — English quotes of a speaker whose own words the database holds in another
  language are renderings of translated speech: within one speaker and day, a quote joins the
  group its sentence vector is clearly nearest to (a floor and a margin over the next group),
  when it shares at least one word of substance with the quote it is nearest to.

Short fragments (fewer than ``fragment_words`` words), and quotes carried by a quote at least
twice their length, never bridge two groups: they attach to the one group whose quotes contain
them, and stay alone when that is ambiguous (a stock line repeated in two speeches).
Speaker and date are evidence (blocks, tie-breaks), not walls: the lexical and pivot paths
join quotes whatever their attribution.  The thresholds, and the measurements they were chosen
from, are in :class:`Thresholds`.
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator, NamedTuple

import numpy as np

from .alignment import align, carried_share, covered, normalise
from .embeddings import FAST_LANGUAGES
from .disjoint import DisjointSets
from .records import Group, StoredQuote

ENGLISH = ("en", "und")


@dataclass(frozen=True)
class Thresholds:
    """When two quotes count as one utterance, with the measurements each was chosen from
    (the sample articles' same-group pairs; as negatives the sample × polnear-dev pairs, which
    are all unrelated, and polnear-dev's own same-speaker pairs, the hard cases).

    * Whole-quote cosine of unrelated pairs: median 0.05, 99th percentile 0.31, 99.9th 0.42,
      but different statements by one speaker on one topic reach 0.6–0.88 ("I don't believe in
      the devil" / "Of course I believe in the devil": 0.83).  So a cosine alone never joins
      two English quotes: it confirms a partial word overlap (``reworded_cosine``; the sample's
      rewording carries 7 of 14 words at 0.48, unrelated pairs in that overlap band stay at or
      below 0.35, and the ones above are opposite statements that the negation guard parts),
      or decides within the narrow translated-speech block.
    * English quote against the best clause window of an original (``pivot_cosine``): the
      sample's two full renderings of the Arabic post score 0.80 and 0.75; the best unrelated
      English quote of the same day 0.55, polnear-dev quotes at most 0.58 (99th percentile
      0.36).  A short rendering scoring 0.57 joins through its words instead.
    * Translated-speech block (``translated_*``): the two renderings of one tweet are each
      other's nearest group at 0.417 (margins 0.30 and 0.12) and share the word "fine"; every
      other statement of that speaker and day has its nearest other group at 0.39 or less and
      shares no word of four letters with it.  The cosine gap alone is narrow, hence the shared
      word, and the confinement to one speaker, one day, and speakers quoted in another
      language.
    * Wide encoder (``wide_*``), for originals in a language the fast encoder lacks: its cosines
      are bunched, so a rendering is told by how far it stands above the median of the day's
      candidates.  On labelled pairs of our own (three Persian statements, two English renderings
      each, eight same-topic English sentences that render none of them), renderings stood 0.085
      to 0.124 above the median, the best non-rendering 0.021 to 0.053; the median of unrelated
      pairs was 0.77 to 0.79.
    * Carried share (``contained``): fragments, cuts and light rewordings carry 0.8–1.0 of
      their words; the near miss "failed assassination attempt" carries 2 of 3.
    """

    contained: float = 0.8  # share of the shorter text's words carried, in order, by the longer
    reworded: float = 0.5  # a lower share, accepted with ...
    reworded_cosine: float = 0.45  # ... sentence vectors at least this close, and ...
    reworded_words: int = 5  # ... at least this many words carried ("it was ... bad" is not enough)
    pivot_cosine: float = 0.6  # English quote against the best clause window of an original
    pivot_margin: float = 0.1  # over the same quote's next-best original
    translated_cosine: float = 0.4  # within a translated speaker's day: nearest group at least this close ...
    translated_margin: float = 0.1  # ... and this much closer than the next group
    fragment_words: int = 6  # below this a quote attaches by exact containment only
    strong_words: int = 6  # words carried that let quotes credited to two speakers join
    fragment_gap: int = 2  # words a fragment of four words or more may skip in its host
    speaker_window_days: int = 7  # a line of one speaker's longer text: reported this many days apart at most
    max_postings: int = 50  # a word pair found in more quotes than this is a stock phrase
    date_window_days: int = 1  # pivot candidates: quotes published this many days apart at most
    max_block: int = 5000  # a pivot block larger than this keeps only the original's speaker
    wide_max_block: int = 500  # the same for the slower wide encoder
    wide_margin: float = 0.07  # wide encoder: a rendering stands this far above the day's median candidate ...
    wide_min_block: int = 5  # ... when the day has this many candidates; with fewer, above ...
    wide_background: float = 0.79  # ... this, the median of unrelated same-topic pairs
    wide_runner_up: float = 0.03  # and this much above its next original


def _day(published: str | None) -> int | None:
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def candidate_pairs(tokens: list[list[str]],
                    max_postings: int = 50) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(i, j, shared)`` for quotes sharing at least one word pair that is not a stock phrase,
    with the number of such word pairs they share, ``i < j``, in order of ``i`` then ``j``: three
    arrays a block at a time.  The index is a sorted numpy array of hashed word pairs, and the
    pairs stay in arrays (a million quotes share tens of millions of word pairs by chance, too
    many to visit one by one in Python), so memory and time grow with the corpus, not with its
    square."""
    key_chunks, owner_chunks = [], []
    for begin in range(0, len(tokens), 10_000):
        # Chunks of numpy arrays, not one long list of Python ints: a tenth of the memory.
        keys: list[int] = []
        owners: list[int] = []
        for i, ws in enumerate(tokens[begin : begin + 10_000], begin):
            pairs = {hash((ws[k], ws[k + 1])) for k in range(len(ws) - 1)}
            keys.extend(pairs)
            owners.extend([i] * len(pairs))
        key_chunks.append(np.asarray(keys, dtype=np.int64))
        owner_chunks.append(np.asarray(owners, dtype=np.int32))
    if not key_chunks or not sum(len(k) for k in key_chunks):
        return
    key_array = np.concatenate(key_chunks)
    owner_array = np.concatenate(owner_chunks)
    del key_chunks, owner_chunks
    order = np.argsort(key_array, kind="stable")
    key_array, owner_array = key_array[order], owner_array[order]
    del order
    starts = np.flatnonzero(np.r_[True, key_array[1:] != key_array[:-1]])
    del key_array  # the postings are runs of owner_array from here on
    sizes = np.diff(np.r_[starts, len(owner_array)])
    keep = (sizes >= 2) & (sizes <= max_postings)
    codes = []
    n = np.int64(len(tokens))
    for size in np.unique(sizes[keep]):
        # All postings of one length at once: a (postings, size) matrix of owners.
        rows = starts[keep & (sizes == size)][:, None] + np.arange(size)[None, :]
        owners_of = owner_array[rows].astype(np.int64)
        a, b = np.triu_indices(int(size), 1)
        codes.append((owners_of[:, a] * n + owners_of[:, b]).ravel())
    del owner_array, starts, sizes, keep
    if not codes:
        return
    # One pair code per shared word pair; sorted in place, its runs are the pairs and their counts.
    pair_codes = np.concatenate(codes)
    del codes
    pair_codes.sort()
    # Compacted in blocks that do not split a run, and each block freed once yielded, so that
    # what the caller builds while it checks the pairs replaces this rather than adds to it.
    starts = np.searchsorted(pair_codes, pair_codes[::4_000_000], side="left")
    bounds = np.unique(np.r_[starts, len(pair_codes)]).tolist()
    blocks = []
    for begin, end in zip(bounds, bounds[1:]):
        block = pair_codes[begin:end]
        firsts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
        blocks.append((block[firsts], np.diff(np.r_[firsts, len(block)]).astype(np.int32)))
    del pair_codes, starts, block, firsts
    blocks.reverse()
    while blocks:
        block, shared = blocks.pop()
        yield (block // n).astype(np.int32), (block % n).astype(np.int32), shared
        del block, shared


def _within_days(a: int | None, b: int | None, t: Thresholds) -> bool:
    return a is not None and b is not None and abs(a - b) <= t.date_window_days


def _share_a_word(a: list[str], b: list[str], letters: int = 4) -> bool:
    """Whether the two word lists have a word of at least ``letters`` letters in common."""
    return any(len(w) >= letters for w in set(a) & set(b))


SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\s*\n\s*")


def sentences(text: str) -> list[str]:
    """The text cut into sentences (and at line breaks), keeping the pieces with a word."""
    return [part for part in SENTENCE_BREAK.split(text) if part and re.search(r"[^\W_]", part)]


class _Unit(NamedTuple):
    """One sentence of a quote, as grouping sees it.  A tuple of strings and numbers: there can
    be millions, and the garbage collector stops visiting such a tuple once it has seen it."""

    words: tuple[str, ...]
    quote: int  # index of its quote
    day: int | None
    speaker: str | None
    article: str
    original: bool


@dataclass(slots=True)
class _Group:
    representative: int
    members: list[int]
    # Tuples while small, sets past a few values (_with): most groups hold one quote, and a
    # million sets of one cost far more than a million tuples.
    speakers: tuple | set = ()
    days: tuple | set = ()
    articles: tuple | set = ()


class _Evidence:
    """Why a unit may join an earlier (longer) one: how many of its words the longer carries in
    order, and whether it is a few words or carried by a unit at least twice its length (both
    weak: they never decide between two statements)."""

    __slots__ = ("shared", "weak", "reworded")

    def __init__(self, shared: int, weak: bool, reworded: bool = False) -> None:
        self.shared, self.weak, self.reworded = shared, weak, reworded

    @property
    def reason(self) -> str:
        # Interned: a million quotes have a few dozen distinct reasons.
        if self.reworded:
            return sys.intern(f"{self.shared} words in order, sentence vectors agree")
        return sys.intern(f"{self.shared} words in order")


def group_quotes(
    quotes: list[StoredQuote],
    vectors: np.ndarray | None = None,
    *,
    windows: dict[str, np.ndarray] | None = None,
    wide: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = None,
    thresholds: Thresholds | None = None,
    stage: Callable[[str], None] | None = None,
) -> list[Group]:
    """Every quote in exactly one group; a quote with no variant is a group of one.

    Quotes are cut into sentences, and sentences are grouped one by one, longest first: each
    joins the group it matches as a whole (its representative, or most of its members), never a
    group through one similar member, so a stock phrase cannot chain two statements.  A quote of
    several sentences then goes to the group of its main sentence (the one most quoted
    elsewhere), so that it does not bridge the statements its sentences belong to.  Works on
    quotes and vectors in memory (no database), so a benchmark can call it directly.

    :param quotes: the quotes to group
    :param vectors: L2-normalised sentence vectors, one row per quote in ``quotes`` order (a row
        of zeros for a quote without one); None turns off the paths that need them
    :param windows: for original-language quotes, by quote id, the vectors of their clause
        windows (see :func:`quotes.embeddings.window_vectors`); without them the whole-quote
        vector stands in
    :param wide: for originals in a language the fast encoder lacks, their clause windows' and
        their English candidates' vectors from :class:`quotes.embeddings.WideEncoder` (by quote
        id; see :func:`pivot_blocks` for which candidates)
    :param thresholds: the decision thresholds (default: :class:`Thresholds`)
    :param stage: told "candidate pairs", then "grouping", as each part begins (a progress bar)
    """
    t = thresholds or Thresholds()
    stage = stage or (lambda name: None)
    if vectors is not None and len(vectors) != len(quotes):
        raise ValueError(f"vectors has {len(vectors)} rows for {len(quotes)} quotes")
    units: list[_Unit] = []
    units_of: list[tuple[int, ...]] = []  # tuples, as the units
    for qi, q in enumerate(quotes):
        original = q.language not in ENGLISH
        # An original-language text is one unit: translations are compared with its clauses.
        parts = [q.text] if original else (sentences(q.text) or [q.text])
        day = _day(q.published)
        units_of.append(tuple(range(len(units), len(units) + len(parts))))
        for part in parts:
            # Interned words: a million quotes share one copy of each word.
            units.append(_Unit(tuple(sys.intern(w) for w in normalise(part).split()), qi, day, q.speaker_id,
                               q.article_id, original))
    # Longest first, ties in an order of their own (text, then quote id), so the result does not
    # depend on the order the quotes came in.
    order = sorted(range(len(units)), key=lambda u: (-len(units[u].words), units[u].words, quotes[units[u].quote].id))
    rank = np.empty(len(units), dtype=np.int64)
    rank[order] = np.arange(len(units))
    stage("candidate pairs")
    partners = _Partners(units, rank, t)
    hosts = _one_word_hosts(units, rank, t)
    del rank
    stage("grouping")
    group_of = np.full(len(units), -1, dtype=np.int64)
    reasons: dict[int, str] = {}  # unit -> what joined it to its group (a group's first unit: none)
    groups: list[_Group] = []
    # Sentences first, then the few-word fragments, once the sentences of each quote that no
    # other quote renders have joined the quote's main group: a fragment of such a sentence is
    # a fragment of that statement.
    for phase in (lambda u: len(units[u].words) >= t.fragment_words, lambda u: len(units[u].words) < t.fragment_words):
        first = -1  # the first unit of the run with these words: equal words are adjacent in order
        # The group each speaker's first unit of the run went to: a few words two speakers both
        # said ("unacceptable") make one group for each, not one for the first and loners after.
        speakers_twin: dict[str | None, int] = {}
        for u in filter(phase, order):
            unit = units[u]
            if not unit.words:
                continue
            twins: list[int] = []
            if first >= 0 and units[first].words == unit.words:
                twins = list(dict.fromkeys(g for g in (speakers_twin.get(unit.speaker), int(group_of[first]))
                                           if g is not None))
            else:
                first, speakers_twin = u, {}
            weak = len(unit.words) < t.fragment_words
            twin = next((g for g in twins if _may_join(unit, groups[g], len(unit.words), weak, t)), None)
            if twin is not None:
                chosen, reasons[u] = twin, "the same words"
            else:
                chosen, reason = _choose(unit, partners.of(u) or hosts.get(u, []), units, group_of, groups, vectors, t)
                if reason:
                    reasons[u] = reason
            if chosen is None:
                chosen = len(groups)
                groups.append(_Group(u, []))
            _add(groups[chosen], unit, u)
            group_of[u] = chosen
            speakers_twin.setdefault(unit.speaker, chosen)
        _merge_unquoted_sentences(units, units_of, group_of, groups, reasons)
    del partners
    merged = _Merges(len(groups))
    _join_one_sentence(quotes, units_of, group_of, groups, merged)
    if groups:
        _join_through_originals(quotes, units_of, group_of, vectors, windows or {}, wide, merged, t)
    if vectors is not None and groups:
        _join_translated_speech(units, units_of, group_of, vectors, merged, t)
    # The quotes' groups need only each sentence's quote and length: the sentences, their
    # groups and the order they were taken in go first (hundreds of MB at a million quotes).
    unit_quote = np.fromiter((unit.quote for unit in units), dtype=np.int64, count=len(units))
    unit_size = np.fromiter((len(unit.words) for unit in units), dtype=np.int64, count=len(units))
    del units, units_of, groups, order
    return _quote_groups(quotes, unit_quote, unit_size, group_of, merged, reasons)


class _Merges(DisjointSets):
    """Groups joined after the sentences are grouped (one reporting sentence, the sentence-vector
    paths), with why each was joined."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.reasons: dict[int, str] = {}

    def join(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.union(ra, rb)
            self.reasons.setdefault(max(ra, rb), reason)


def _with(values: tuple | set, value) -> tuple | set:
    """``values`` holding ``value`` too: a tuple up to eight values, then a set."""
    if value in values:
        return values
    if isinstance(values, set):
        values.add(value)
        return values
    return values + (value,) if len(values) < 8 else {*values, value}


def _add(group: _Group, unit: _Unit, u: int) -> None:
    group.members.append(u)
    if unit.speaker:
        group.speakers = _with(group.speakers, unit.speaker)
    if unit.day is not None:
        group.days = _with(group.days, unit.day)
    group.articles = _with(group.articles, unit.article)


def _merge_unquoted_sentences(units: list[_Unit], units_of: list[tuple[int, ...]], group_of: np.ndarray,
                              groups: list[_Group], reasons: dict[int, str]) -> None:
    """The sentences of a quote that no other quote renders (alone in their group) join the
    group of the quote's main sentence, or, when no sentence of it is quoted elsewhere, its
    first sentence's group: the statement's unquoted sentences are part of it."""
    for own in units_of:
        placed = [u for u in own if group_of[u] >= 0]
        if len(placed) < 2:
            continue
        alone = [u for u in placed if all(units[m].quote == units[u].quote for m in groups[group_of[u]].members)]
        if not alone:
            continue
        shared = [u for u in placed if u not in alone]
        main = max(shared, key=lambda u: (len(groups[group_of[u]].members), -u)) if shared else placed[0]
        target = int(group_of[main])
        for u in alone:
            source = int(group_of[u])
            if source == target:
                continue
            for m in groups[source].members:
                _add(groups[target], units[m], m)
                group_of[m] = target
                reasons.setdefault(m, "another sentence of a quote in the group")
            groups[source].members.clear()


def _join_one_sentence(quotes: list[StoredQuote], units_of: list[tuple[int, ...]], group_of: np.ndarray,
                       groups: list[_Group], merged: _Merges) -> None:
    """Quotes one sentence of an article prints and credits to one speaker (the “reckless
    drivers” ruined the “quiet streets”; a quote cut by "he said,") are pieces of one
    utterance: their groups join, when each group holds that speaker's words only, so a phrase
    that some group of another speaker also holds cannot chain two statements."""
    pieces: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for qi, q in enumerate(quotes):
        if q.sentence is not None and q.speaker_id and q.kind != "post" and q.language in ENGLISH and units_of[qi]:
            pieces[(q.article_id, q.sentence, q.speaker_id)].append(qi)
    for (_, _, speaker), members in pieces.items():
        if len(members) < 2:
            continue
        own = [int(group_of[units_of[qi][0]]) for qi in members if group_of[units_of[qi][0]] >= 0]
        own = [g for g in own if set(groups[g].speakers) <= {speaker, None}]
        for g in own[1:]:
            merged.join(own[0], g, "printed in one sentence with a quote of the group, from the same speaker")


def _one_word_hosts(units: list[_Unit], rank: np.ndarray, t: Thresholds, letters: int = 4) -> dict[int, list[int]]:
    """For each one-word quote ("reckless", "heirs"), the longer quotes credited to the same
    speaker that hold that word: a word picked out of a statement quoted in full, in its own
    article or another (a single word shares no word pair, so the word-pair index cannot find
    its host).  A word the speaker says in more than ``max_postings`` quotes is a stock word:
    no host.  Which host it joins, if any, :func:`_choose` decides (one group, or none)."""
    wanted: dict[tuple[str, str], list[int]] = defaultdict(list)
    for u, unit in enumerate(units):
        if len(unit.words) == 1 and unit.speaker and len(unit.words[0]) >= letters:
            wanted[(unit.speaker, unit.words[0])].append(u)
    if not wanted:
        return {}
    speakers = {speaker for speaker, _ in wanted}
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for v, unit in enumerate(units):
        if len(unit.words) > 1 and unit.speaker in speakers:
            for word in set(unit.words):
                key = (unit.speaker, word)
                if key in wanted and len(found[key]) <= t.max_postings:
                    found[key].append(v)
    hosts: dict[int, list[int]] = {}
    for key, candidates in found.items():
        if len(candidates) > t.max_postings:
            continue
        for u in wanted[key]:
            hosts[u] = [v for v in candidates if rank[v] < rank[u] and units[u].quote != units[v].quote]
    return hosts


class _Partners:
    """For each unit, the longer (earlier-ranked) units of other quotes that share a word pair
    with it that is not a stock phrase (from the word-pair index); what they carry of it is
    measured only when a group is chosen, and only as far as the choice needs.  Held as two
    arrays sorted by unit (4 bytes a pair), not lists of Python ints: a million quotes have
    tens of millions of pairs."""

    def __init__(self, units: list[_Unit], rank: np.ndarray, t: Thresholds) -> None:
        size = np.fromiter((len(u.words) for u in units), dtype=np.int32, count=len(units))
        quote = np.fromiter((u.quote for u in units), dtype=np.int32, count=len(units))
        shorts, longs = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
        for i, j, shared_pairs in candidate_pairs([u.words for u in units], t.max_postings):
            i_shorter = rank[i] > rank[j]
            short, long = np.where(i_shorter, i, j), np.where(i_shorter, j, i)
            # One shared word pair cannot carry the share of a longer quote.
            keep = ((size[short] < t.fragment_words) | (shared_pairs >= 2)) & (quote[short] != quote[long])
            shorts.append(short[keep])
            longs.append(long[keep])
        owner = np.concatenate(shorts)
        order = np.argsort(owner, kind="stable")
        self.longs = np.concatenate(longs)[order]
        self.starts = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(units)))]

    def of(self, unit: int) -> list[int]:
        return self.longs[self.starts[unit] : self.starts[unit + 1]].tolist()


def _evidence(a: _Unit, b: _Unit, vectors: np.ndarray | None, t: Thresholds) -> _Evidence | None:
    """What the longer unit ``b`` carries of ``a``: a few words whole, or most of its words in
    order, or half of them with sentence vectors that agree; None when not enough."""
    size = len(a.words)
    start, end, shared = covered(b.words, a.words)
    if size < t.fragment_words:
        # Whole, in one run; four words or more may have a word or two between them
        # ("light the fuse of war" in "light the fuse of a destructive war").
        if shared == size and end - start <= size + (t.fragment_gap if size >= 4 else 0):
            return _Evidence(shared, weak=True)
        return None
    if shared >= t.contained * size:
        return _Evidence(shared, weak=2 * size <= len(b.words))
    if (shared >= max(t.reworded * size, t.reworded_words) and vectors is not None
            and float(vectors[a.quote] @ vectors[b.quote]) >= t.reworded_cosine):
        return _Evidence(shared, weak=False, reworded=True)
    return None


def _may_join(unit: _Unit, group: _Group, shared: int, weak: bool, t: Thresholds, reworded: bool = False) -> bool:
    """Whether the evidence suffices for this group: a quote credited to another speaker needs a
    long run of the same words; a few words, or a line carried by a longer text, need the same
    speaker, or (speaker unknown on either side) the same article or days."""
    other_speaker = bool(unit.speaker and group.speakers and unit.speaker not in group.speakers)
    if other_speaker and shared < t.strong_words:
        return False
    if not weak:
        return True
    if unit.article in group.articles:
        return True
    near = any(_within_days(unit.day, d, t) for d in group.days)
    if other_speaker or unit.speaker in group.speakers:
        # A line of a longer text: days unknown, or reported within days of each other (one
        # line in two speeches months apart is two statements).
        return (unit.day is None or not group.days
                or any(abs(unit.day - d) <= t.speaker_window_days for d in group.days))
    # Credited to nobody on one side: the same days, or, with a day unknown, a sentence's worth
    # of words carried (a few words with no date and no speaker could be anyone's).
    return near or (shared >= t.strong_words and (unit.day is None or not group.days))


def _choose(unit: _Unit, partners: list[int], units: list[_Unit], group_of: np.ndarray, groups: list[_Group],
            vectors: np.ndarray | None, t: Thresholds) -> tuple[int | None, str | None]:
    """The one group this unit matches as a whole (its representative, or at least half of its
    members; a few words need only one host), or None; and the evidence, in words."""
    by_group: dict[int, list[int]] = defaultdict(list)
    for other in partners:
        by_group[int(group_of[other])].append(other)
    fragment = len(unit.words) < t.fragment_words
    fits = []
    for g, candidates in by_group.items():
        group = groups[g]
        needed = 1 if fragment else (len(group.members) + 1) // 2
        # The representative first: matching it is enough.
        candidates.sort(key=lambda v: v != group.representative)
        matched: list[_Evidence] = []
        whole = False
        for k, v in enumerate(candidates):
            if v != group.representative and len(matched) + len(candidates) - k < needed:
                break  # too few left to make half of the group
            found = _evidence(unit, units[v], vectors, t)
            if found is None:
                continue
            matched.append(found)
            if v == group.representative or len(matched) >= needed:
                whole = True
                break
        if not whole:
            continue
        best = max(matched, key=lambda e: (not e.weak, not e.reworded, e.shared))
        if _may_join(unit, group, best.shared, best.weak, t, best.reworded):
            fits.append((g, best))
    if len(fits) > 1:
        for narrower in (lambda g: unit.article in groups[g].articles,
                         lambda g: unit.speaker is not None and unit.speaker in groups[g].speakers,
                         lambda g: unit.day is not None and unit.day in groups[g].days):
            narrowed = [f for f in fits if narrower(f[0])]
            if narrowed:
                fits = narrowed
            if len(fits) == 1:
                break
    if len(fits) == 1:
        return fits[0][0], fits[0][1].reason
    strong = [f for f in fits if not f[1].weak]
    if not strong:
        return None, None  # a few words found in two statements: neither can claim them
    best = max(strong, key=lambda f: (f[1].shared, len(groups[f[0]].members), -f[0]))
    return best[0], best[1].reason


def _quote_groups(quotes: list[StoredQuote], unit_quote: np.ndarray, unit_size: np.ndarray, group_of: np.ndarray,
                  merged: _Merges, reasons: dict[int, str]) -> list[Group]:
    """Each quote in the group of its main sentence: the one whose group holds the most other
    quotes (then the longest), with what joined it; a group no quote chose is gone.  Sentences
    are held in arrays (their quote, length and group): a million quotes have more sentences."""
    root_of = np.array([merged.find(g) for g in range(len(merged.parent))], dtype=np.int64)
    placed = np.flatnonzero(group_of >= 0)
    root = root_of[group_of[placed]]
    quote = unit_quote[placed]
    # How many quotes each group holds: its distinct (group, quote) pairs.
    held = np.bincount(np.unique(root * len(quotes) + quote) // len(quotes), minlength=len(root_of))
    # A quote's sentences ranked by quotes in their group, then length, then position: the first is its main one.
    ranked = placed[np.lexsort((placed, -unit_size[placed], -held[root], quote))]
    first = np.diff(unit_quote[ranked], prepend=-1) != 0
    main = np.full(len(quotes), -1, dtype=np.int64)
    main[unit_quote[ranked[first]]] = ranked[first]
    # One group per root group chosen, and one per quote with no sentence placed, in the order of their first quote.
    key = -1 - np.arange(len(quotes), dtype=np.int64)
    chosen = main >= 0
    key[chosen] = root_of[group_of[main[chosen]]]
    _, first_quote, which = np.unique(key, return_index=True, return_inverse=True)
    by_group = np.argsort(which, kind="stable")
    sizes = np.bincount(which, minlength=len(first_quote))
    ends = np.cumsum(sizes)
    by_id = {q.id: q for q in quotes}
    groups = []
    for g in np.argsort(first_quote).tolist():
        members = by_group[ends[g] - sizes[g] : ends[g]].tolist()
        group = describe(sorted(quotes[i].id for i in members), by_id)
        if len(members) > 1:
            joined_by = {}
            for i in members:  # each placed by its main sentence
                m = int(main[i])
                reason = merged.reasons.get(int(group_of[m])) or reasons.get(m)
                if reason:
                    joined_by[quotes[i].id] = reason
            group.joined_by = {qid: joined_by[qid] for qid in group.quote_ids if qid in joined_by}
        groups.append(group)
    return groups


def pivot_blocks(quotes: list[StoredQuote], thresholds: Thresholds | None = None, *,
                 wide: bool = False) -> dict[int, list[int]]:
    """For each original-language quote (index), the English quotes (indices) of its days, of at
    least ``fragment_words`` words, that may translate one of its clauses; past ``max_block``
    (``wide_max_block`` for originals the fast encoder lacks, ``wide=True``), only its speaker's."""
    t = thresholds or Thresholds()
    originals = [i for i, q in enumerate(quotes) if q.language not in ENGLISH
                 and (q.language not in FAST_LANGUAGES) == wide and normalise(q.text)]
    if not originals:
        return {}
    by_day: dict[int | None, list[int]] = defaultdict(list)
    by_speaker_day: dict[tuple[str | None, int | None], list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        if q.language in ENGLISH and len(q.text.split()) >= t.fragment_words:
            by_day[_day(q.published)].append(i)
            by_speaker_day[(q.speaker_id, _day(q.published))].append(i)
    blocks = {}
    limit = t.wide_max_block if wide else t.max_block
    for o in originals:
        day = _day(quotes[o].published)
        days = [None] if day is None else [None] + [day + k for k in range(-t.date_window_days, t.date_window_days + 1)]
        block = [e for d in days for e in by_day.get(d, ())]
        if len(block) > limit:
            block = [e for d in days for e in by_speaker_day.get((quotes[o].speaker_id, d), ())][:limit]
        if block:
            blocks[o] = block
    return blocks


def _join_through_originals(quotes, units_of, group_of, vectors, windows, wide, merged: _Merges,
                            t: Thresholds) -> None:
    """Each English quote joins the original-language text whose best clause window it matches,
    when that match is close enough and clearly better than its next original: a translation of
    the same linked original is evidence whoever the outlets credit.  Originals in a language the
    fast encoder lacks are compared through the wide encoder's vectors, by how far a quote stands
    above the day's other candidates (their median) rather than by a cosine."""
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)  # english quote -> (score, original)
    if vectors is not None:
        for o, block in pivot_blocks(quotes, t).items():
            clause_vectors = windows.get(quotes[o].id, vectors[o][None, :])
            scores = (vectors[block] @ clause_vectors.T).max(axis=1)
            for e, score in zip(block, scores.tolist()):
                if score >= t.pivot_cosine:
                    best[e].append((score, o))
    wide_best: dict[int, list[tuple[float, int]]] = defaultdict(list)
    if wide:
        wide_windows, wide_vectors = wide
        for o, block in pivot_blocks(quotes, t, wide=True).items():
            block = [e for e in block if quotes[e].id in wide_vectors]
            if quotes[o].id not in wide_windows or not block:
                continue
            scores = (np.vstack([wide_vectors[quotes[e].id] for e in block]) @ wide_windows[quotes[o].id].T).max(axis=1)
            background = float(np.median(scores)) if len(block) >= t.wide_min_block else t.wide_background
            for e, score in zip(block, scores.tolist()):
                if score - background >= t.wide_margin:
                    wide_best[e].append((score - background, o))
    for found_by, margin, reason in ((best, t.pivot_margin, "a translation of the linked original"),
                                     (wide_best, t.wide_runner_up,
                                      "a translation of the linked original (wide encoder)")):
        for e, found in found_by.items():
            found.sort(reverse=True)
            runner_up = found[1][0] if len(found) > 1 else 0.0
            if found[0][0] - runner_up < margin:
                continue
            target = int(group_of[units_of[found[0][1]][0]])
            for u in units_of[e]:
                if group_of[u] >= 0 and target >= 0:
                    merged.join(int(group_of[u]), target, reason)


def _join_translated_speech(units, units_of, group_of, vectors, merged: _Merges, t: Thresholds) -> None:
    """Within one speaker's day, for a speaker the database quotes in another language, an
    English quote joins the group it is clearly nearest to (its sentences with it)."""
    translated = {u.speaker for u in units if u.original and u.speaker}
    blocks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for qi, own in enumerate(units_of):
        unit = units[own[0]]
        if (unit.speaker in translated and unit.day is not None and group_of[own[0]] >= 0
                and sum(len(units[u].words) for u in own) >= t.fragment_words):
            blocks[(unit.speaker, unit.day)].append(qi)
    for block in blocks.values():
        # One quote of each wording and groups: such quotes come out alike, and a statement
        # reprinted word for word must not make the matrix quadratic in its reprints.
        first: dict[tuple, int] = {}
        for qi in block:
            own = units_of[qi]
            key = (tuple(w for u in own for w in units[u].words), vectors[qi].tobytes(), units[own[0]].original,
                   merged.find(int(group_of[own[0]])),
                   tuple(sorted({merged.find(int(group_of[u])) for u in own if group_of[u] >= 0})))
            first.setdefault(key, qi)
        block = list(first.values())
        if len(block) < 2:
            continue
        similarity = vectors[block] @ vectors[block].T
        words = {qi: [w for u in units_of[qi] for w in units[u].words] for qi in block}
        joins = []
        for row, qi in enumerate(block):
            if units[units_of[qi][0]].original:
                continue  # originals join through the pivot, clause by clause
            own = {merged.find(int(group_of[u])) for u in units_of[qi] if group_of[u] >= 0}
            nearest: dict[int, tuple[float, int]] = {}  # group -> (best similarity, its quote)
            for col, other in enumerate(block):
                group = merged.find(int(group_of[units_of[other][0]]))
                if group not in own and float(similarity[row, col]) > nearest.get(group, (-1.0, other))[0]:
                    nearest[group] = (float(similarity[row, col]), other)
            ranked = sorted(nearest.items(), key=lambda kv: -kv[1][0])
            if not ranked:
                continue
            (group, (best, other)), runner_up = ranked[0], (ranked[1][1][0] if len(ranked) > 1 else 0.0)
            # Renderings of one remark keep some word of substance ("fine", "family"), even
            # when they share no sequence of words.
            if best >= t.translated_cosine and best - runner_up >= t.translated_margin and _share_a_word(
                    words[qi], words[other]):
                joins.extend((g, group) for g in own)
        for g, group in joins:
            merged.join(g, group, "the nearest rendering of the speaker's translated words that day")


def describe(ids: list[str], by_id: dict[str, StoredQuote]) -> Group:
    """A group's representative (its fullest English variant, which every other variant is
    aligned against), its original-language text when one is linked, and how much of the
    representative each English variant carries word for word."""
    if len(ids) == 1:  # most groups: nothing to choose or measure
        return Group(quote_ids=ids, representative_id=ids[0], agreement={ids[0]: 1.0})
    originals = [i for i in ids if by_id[i].language not in ENGLISH]
    english = [i for i in ids if by_id[i].language in ENGLISH] or ids
    # Each wording normalised once: a statement reprinted word for word is one text many times.
    words_of: dict[str, list[str]] = {}
    for i in english:
        text = by_id[i].text
        if text not in words_of:
            words_of[text] = normalise(text).split()
    # Among the fullest, one credited to the speaker most versions credit: the page is filed
    # under that speaker, and its top version should not be a minority's credit.
    credits = Counter(by_id[i].speaker_id for i in english if by_id[i].speaker_id)
    representative = max(english, key=lambda i: (len(words_of[by_id[i].text]), by_id[i].kind == "full",
                                                  credits.get(by_id[i].speaker_id, 0), i))
    rep_words = words_of[by_id[representative].text]
    group = Group(quote_ids=ids, representative_id=representative,
                  original_id=originals[0] if originals and len(ids) > 1 else None)
    carried = {text: carried_share(rep_words, words) for text, words in words_of.items()}
    group.agreement = {i: carried[by_id[i].text] for i in english}
    return group


def group_row(group: Group, by_id: dict[str, StoredQuote]) -> dict:
    """The ``quote_groups`` row for a group."""
    members = [by_id[i] for i in group.quote_ids]
    speakers = Counter(q.speaker_id for q in members if q.speaker_id)
    others = [v for i, v in group.agreement.items() if i != group.representative_id]
    original = by_id[group.original_id] if group.original_id else None
    dates = sorted(q.published for q in members if q.published)
    return {
        "representative": by_id[group.representative_id].text,
        "representative_quote_id": group.representative_id,
        "original": original.text if original else None,
        "original_language": original.language if original else None,
        "speaker_id": speakers.most_common(1)[0][0] if speakers else None,
        "variants": len(members),
        "outlets": len({q.outlet or q.article_id for q in members}),
        "agreement": round(sum(others) / len(others), 3) if others else 1.0,
        "first_published": dates[0] if dates else None,
    }


def substitutions(groups: list[Group], by_id: dict[str, StoredQuote], max_words: int = 3) -> list[dict]:
    """The word substitutions seen between variants and their representative across groups
    (missiles ↔ rockets), each pair once whichever side it came from, with the number of groups
    and of variants it was seen in and one group that shows it."""
    seen: dict[tuple[str, str], dict] = {}
    for group in groups:
        rep_text = by_id[group.representative_id].text
        # Each wording aligned once, counted for every variant that prints it.
        wordings = Counter(by_id[qid].text for qid in group.agreement if qid != group.representative_id)
        for text, count in wordings.items():
            for step in align(rep_text, text):
                if step.op != "substitute":
                    continue
                pair = tuple(sorted((step.representative.casefold(), step.variant.casefold())))
                sizes = {len(p.split()) for p in pair}
                # One wording for another of the same length, each with a word of substance:
                # "missiles" for "rockets", not "all" for "the" nor a contraction for its long form.
                if (len(sizes) > 1 or max(sizes) > max_words or normalise(pair[0]) == normalise(pair[1])
                        or not all(re.search(r"[^\W\d_]{4}", p) for p in pair)):
                    continue
                row = seen.setdefault(pair, {"wording_a": pair[0], "wording_b": pair[1], "groups": set(),
                                             "variants": 0, "example_group_id": group.id})
                row["groups"].add(group.id)
                row["variants"] += count
    return [{**row, "groups": len(row["groups"])} for row in seen.values()]
