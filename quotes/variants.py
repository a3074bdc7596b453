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
from typing import Iterable, Iterator

import numpy as np

from .alignment import agreement, align, covered, normalise
from .disjoint import DisjointSets
from .records import Group, StoredQuote

NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without"})
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
    max_postings: int = 50  # a word pair found in more quotes than this is a stock phrase
    date_window_days: int = 1  # pivot candidates: quotes published this many days apart at most
    max_block: int = 5000  # a pivot block larger than this keeps only the original's speaker


def _day(published: str | None) -> int | None:
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def _equal_runs(keys: np.ndarray) -> Iterator[np.ndarray]:
    """The positions of each value found more than once in ``keys``, in ascending order."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    repeated = ends - starts > 1
    for start, end in zip(starts[repeated].tolist(), ends[repeated].tolist()):
        yield order[start:end]


def candidate_pairs(tokens: list[list[str]], max_postings: int = 50) -> Iterator[tuple[int, int, int]]:
    """``(i, j, shared)`` for quotes sharing at least one word pair that is not a stock phrase,
    with the number of such word pairs they share, ``i < j``, in order of ``i`` then ``j``.  The
    index is a sorted numpy array of hashed word pairs and the pairs are yielded a block at a
    time, so memory and time grow with the corpus, not with its square."""
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
        for begin in range(0, len(block), 100_000):
            # Python ints a slice at a time: ten million of them at once would take gigabytes.
            part = block[begin : begin + 100_000]
            yield from zip((part // n).tolist(), (part % n).tolist(), shared[begin : begin + 100_000].tolist())
        del block, shared


def _context(a: _Quote, b: _Quote, t: Thresholds) -> bool:
    """Same article, same speaker, or published within the date window."""
    return (a.article == b.article or (a.speaker is not None and a.speaker == b.speaker)
            or (a.day is not None and b.day is not None and abs(a.day - b.day) <= t.date_window_days))


def _share_a_word(a: _Quote, b: _Quote, letters: int = 4) -> bool:
    """Whether the two quotes have a word of at least ``letters`` letters in common."""
    return any(len(w) >= letters for w in set(a.words) & set(b.words))


def _negations(ws: Iterable[str]) -> Counter:
    return Counter(w for w in ws if w in NEGATIONS)


@dataclass(slots=True)
class _Quote:
    """What grouping needs of a quote (slotted: there can be millions)."""

    words: list[str]
    day: int | None
    speaker: str | None
    original: bool
    article: str = ""
    negated: bool = False

    def __post_init__(self) -> None:
        self.negated = not NEGATIONS.isdisjoint(self.words)


def group_quotes(
    quotes: list[StoredQuote],
    vectors: np.ndarray | None = None,
    *,
    windows: dict[str, np.ndarray] | None = None,
    thresholds: Thresholds | None = None,
) -> list[Group]:
    """Every quote in exactly one group; a quote with no variant is a group of one.

    Works on quotes and vectors in memory (no database), so a benchmark can call it directly.

    :param quotes: the quotes to group
    :param vectors: L2-normalised sentence vectors, one row per quote in ``quotes`` order (a row
        of zeros for a quote without one); None turns off the paths that need them
    :param windows: for original-language quotes, by quote id, the vectors of their clause
        windows (see :func:`quotes.embeddings.window_vectors`); without them the whole-quote
        vector stands in
    :param thresholds: the decision thresholds (default: :class:`Thresholds`)
    """
    t = thresholds or Thresholds()
    if vectors is not None and len(vectors) != len(quotes):
        raise ValueError(f"vectors has {len(vectors)} rows for {len(quotes)} quotes")
    # Interned words: a million quotes share one copy of each word.
    info = [_Quote([sys.intern(w) for w in normalise(q.text).split()], _day(q.published), q.speaker_id,
                   q.language not in ENGLISH, q.article_id) for q in quotes]
    sets = DisjointSets(len(quotes))

    # Exact after normalisation: only quotes whose words hash alike are compared word for word
    # (a dict of a million texts would hold every text a second time).
    for run in _equal_runs(np.fromiter((hash(tuple(q.words)) for q in info), np.int64, len(info))):
        first: dict[tuple[str, ...], int] = {}
        for i in run.tolist():
            if info[i].words:
                sets.union(first.setdefault(tuple(info[i].words), i), i)

    # Carried word for word (fragments, cuts, rewordings), from the word-pair index.
    attach: dict[int, list[int]] = defaultdict(list)  # short fragment -> quotes containing it
    # A few words contained in a quote of another article, speaker and day: they may still share
    # those with the rest of that quote's group, known only once the groups have formed.
    no_context: dict[int, list[int]] = defaultdict(list)
    for i, j, shared_pairs in candidate_pairs([q.words for q in info], t.max_postings):
        short, long = (i, j) if len(info[i].words) <= len(info[j].words) else (j, i)
        size = len(info[short].words)
        if size >= t.fragment_words and shared_pairs < 2:
            continue  # one shared word pair cannot carry the share of a longer quote
        if sets.find(i) == sets.find(j):
            continue  # already one group: nothing to verify
        start, end, shared = covered(info[long].words, info[short].words)
        if size < t.fragment_words:
            # A few words carry too little alone: they also need the same article, speaker or days.
            if shared == size == end - start:
                (attach if _context(info[short], info[long], t) else no_context)[short].append(long)
            continue
        if (info[short].negated or info[long].negated) and (
                _negations(info[short].words) != _negations(info[long].words[start:end])):
            continue  # "will not" against "will": the same words, the opposite statement
        if shared >= t.contained * size and 2 * size <= len(info[long].words):
            attach[short].append(long)  # a line repeated in two speeches must not join them
        elif shared >= t.contained * size or (
            shared >= max(t.reworded * size, t.reworded_words) and vectors is not None
            and float(vectors[i] @ vectors[j]) >= t.reworded_cosine
        ):
            sets.union(i, j)

    # Attached before the sentence-vector paths, so that they see whole groups; what is
    # ambiguous now is tried again once those paths may have joined its hosts.
    unresolved = _attach(attach, info, sets)
    del attach
    if vectors is not None:
        _join_through_originals(quotes, info, vectors, windows or {}, sets, t)
        _join_translated_speech(info, vectors, sets, t)
        _attach(unresolved, info, sets)
    _attach(_with_group_context(no_context, info, sets, t), info, sets)

    del info, unresolved, no_context
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[sets.find(i)].append(i)
    by_id = {q.id: q for q in quotes}
    return [describe(sorted(quotes[i].id for i in idx), by_id) for idx in members.values()]


def _with_group_context(candidates: dict[int, list[int]], info: list[_Quote], sets: DisjointSets,
                        t: Thresholds) -> dict[int, list[int]]:
    """The hosts of each few-word fragment whose group holds a quote of the fragment's own
    article or speaker, or of its days (the words of a statement, cut by another outlet)."""
    if not candidates:
        return {}
    roots = {sets.find(h) for hosts in candidates.values() for h in hosts}
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(info)):
        root = sets.find(i)
        if root in roots:
            members[root].append(i)
    found = {}
    for short, hosts in candidates.items():
        kept = [h for h in hosts if any(_context(info[short], info[m], t) for m in members[sets.find(h)])]
        if kept:
            found[short] = kept
    return found


def _attach(attach: dict[int, list[int]], info: list[_Quote], sets: DisjointSets) -> dict[int, list[int]]:
    """Fragments, and quotes carried by one at least twice their length, join the one group
    that contains them; ties go to the same speaker, then the same day; an ambiguous one stays
    alone rather than bridge two statements.  Returns the ones left alone."""
    unresolved = {}
    for short in sorted(attach, key=lambda k: -len(info[k].words)):
        hosts = attach[short]
        for narrower in (
            lambda h: True,
            lambda h: info[h].speaker is not None and info[h].speaker == info[short].speaker,
            lambda h: info[h].day is not None and info[h].day == info[short].day,
        ):
            hosts = [h for h in hosts if narrower(h)]
            groups = {sets.find(h) for h in hosts}
            if len(groups) == 1:
                sets.union(short, hosts[0])
                break
            if not groups:
                unresolved[short] = attach[short]
                break
        else:
            unresolved[short] = attach[short]
    return unresolved


def _join_through_originals(quotes, info, vectors, windows, sets, t: Thresholds) -> None:
    """Each English quote joins the original-language text whose best clause window it matches,
    when that match is close enough and clearly better than its next original."""
    originals = [i for i, q in enumerate(info) if q.original and q.words]
    if not originals:
        return
    # English candidates by day and by speaker, so each original looks only at its own days.
    by_day: dict[int | None, list[int]] = defaultdict(list)
    by_speaker_day: dict[tuple[str | None, int | None], list[int]] = defaultdict(list)
    for i, q in enumerate(info):
        if not q.original and len(q.words) >= t.fragment_words:
            by_day[q.day].append(i)
            by_speaker_day[(q.speaker, q.day)].append(i)
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)  # english quote -> (score, original)
    for o in originals:
        day = info[o].day
        days = [None] if day is None else [None] + [day + k for k in range(-t.date_window_days, t.date_window_days + 1)]
        block = [e for d in days for e in by_day.get(d, ())]
        if len(block) > t.max_block:
            block = [e for d in days for e in by_speaker_day.get((info[o].speaker, d), ())]
        if not block:
            continue
        clause_vectors = windows.get(quotes[o].id, vectors[o][None, :])
        scores = (vectors[block] @ clause_vectors.T).max(axis=1)
        for e, score in zip(block, scores.tolist()):
            if score >= t.pivot_cosine:
                best[e].append((score, o))
    for e, found in best.items():
        found.sort(reverse=True)
        runner_up = found[1][0] if len(found) > 1 else 0.0
        if found[0][0] - runner_up >= t.pivot_margin:
            sets.union(e, found[0][1])


def _join_translated_speech(info, vectors, sets, t: Thresholds) -> None:
    """Within one speaker's day, for a speaker the database quotes in another language, an
    English quote joins the group it is clearly nearest to."""
    translated = {q.speaker for q in info if q.original and q.speaker}
    blocks: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, q in enumerate(info):
        if q.speaker in translated and q.day is not None and len(q.words) >= t.fragment_words:
            blocks[(q.speaker, q.day)].append(i)
    for block in blocks.values():
        if len(block) < 2:
            continue
        similarity = vectors[block] @ vectors[block].T
        joins = []
        for row, i in enumerate(block):
            if info[i].original:
                continue  # originals join through the pivot, clause by clause
            nearest: dict[int, tuple[float, int]] = {}  # group -> (best similarity, its quote)
            for col, j in enumerate(block):
                group = sets.find(j)
                if group != sets.find(i) and float(similarity[row, col]) > nearest.get(group, (-1.0, j))[0]:
                    nearest[group] = (float(similarity[row, col]), j)
            ranked = sorted(nearest.items(), key=lambda kv: -kv[1][0])
            if not ranked:
                continue
            (group, (best, j)), runner_up = ranked[0], (ranked[1][1][0] if len(ranked) > 1 else 0.0)
            # Renderings of one remark keep some word of substance ("fine", "family"), even
            # when they share no sequence of words.
            if best >= t.translated_cosine and best - runner_up >= t.translated_margin and _share_a_word(info[i], info[j]):
                joins.append((i, group))
        for i, group in joins:
            sets.union(i, group)


def describe(ids: list[str], by_id: dict[str, StoredQuote]) -> Group:
    """A group's representative (its fullest English variant, which every other variant is
    aligned against), its original-language text when one is linked, and how much of the
    representative each English variant carries word for word."""
    originals = [i for i in ids if by_id[i].language not in ENGLISH]
    english = [i for i in ids if i not in originals] or ids
    representative = max(english, key=lambda i: (len(normalise(by_id[i].text).split()), by_id[i].kind == "full", i))
    rep_text = by_id[representative].text
    group = Group(quote_ids=ids, representative_id=representative,
                  original_id=originals[0] if originals and len(ids) > 1 else None)
    group.agreement = {i: agreement(rep_text, by_id[i].text) for i in english}
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
        for qid in group.agreement:
            if qid == group.representative_id:
                continue
            for step in align(rep_text, by_id[qid].text):
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
                row["variants"] += 1
    return [{**row, "groups": len(row["groups"])} for row in seen.values()]
