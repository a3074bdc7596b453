"""Group quotes that are variants of one utterance, and describe each group.

Candidates come from an inverted index of word shingles, never from all pairs; each candidate
pair is verified with rapidfuzz before it joins two groups.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Iterable

from rapidfuzz import fuzz

from .alignment import agreement
from .records import Group, StoredQuote

CONTRACTIONS = {"n't": " not", "'re": " are", "'m": " am", "'ll": " will", "'ve": " have", "'d": " would"}


def normalise(text: str) -> str:
    """Case, punctuation, curly vs straight marks and contractions folded away."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").casefold()
    text = text.replace("won't", "will not").replace("can't", "cannot")
    for short, long in CONTRACTIONS.items():
        text = text.replace(short, long)
    return " ".join(re.findall(r"[^\W_]+", text))


def _shingles(words: list[str], size: int) -> set[str]:
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def lexical_pairs(quotes: list[StoredQuote], shingle: int = 2, max_postings: int = 50) -> Iterable[tuple[str, str]]:
    """Pairs of quotes sharing a word shingle that is not a stock phrase (a shingle shared by
    more than ``max_postings`` quotes says nothing)."""
    index: dict[str, list[str]] = defaultdict(list)
    for q in quotes:
        for s in _shingles(normalise(q.text).split(), shingle):
            index[s].append(q.id)
    seen: set[tuple[str, str]] = set()
    for ids in index.values():
        if len(ids) > max_postings:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if a != b and pair not in seen:
                    seen.add(pair)
                    yield pair


def same_utterance(a: str, b: str, threshold: float = 85.0) -> bool:
    """Exact after normalisation, or the shorter contained (fuzzily) in the longer."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long = sorted((na, nb), key=len)
    if len(short.split()) < 2:
        return False
    return fuzz.partial_ratio(short, long) >= threshold and fuzz.token_set_ratio(short, long) >= threshold


def group_quotes(quotes: list[StoredQuote]) -> list[Group]:
    """Every quote in exactly one group; a quote with no variant is a group of one."""
    by_id = {q.id: q for q in quotes}
    sets = _UnionFind(by_id)
    for a, b in lexical_pairs(quotes):
        if same_utterance(by_id[a].text, by_id[b].text):
            sets.union(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for q in quotes:
        members[sets.find(q.id)].append(q.id)
    return [describe(sorted(ids), by_id) for ids in members.values()]


def describe(ids: list[str], by_id: dict[str, StoredQuote]) -> Group:
    """A group's representative (the original when one is linked, else the fullest variant)
    and how much of it each variant carries word for word."""
    originals = [i for i in ids if by_id[i].language not in ("en", "und")]
    english = [i for i in ids if i not in originals] or ids
    representative = max(english, key=lambda i: (by_id[i].kind == "full", len(normalise(by_id[i].text).split()), i))
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
