"""Who copied whom: the versions of one statement printed with the same wording (after
normalisation) are one rendering — one translation or one wire copy — printed by several
outlets.  Plain records in and out: no SQL or HTML here."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .alignment import normalise


@dataclass
class Rendering:
    """One wording of a statement and the versions that print it, oldest first."""

    number: int  # 1 for the rendering printed first
    text: str  # as the earliest version printed it
    versions: list[dict] = field(default_factory=list)

    @property
    def first(self) -> dict:
        return self.versions[0]

    @property
    def first_published(self) -> str | None:
        return self.first.get("published")

    @property
    def outlets(self) -> list[str]:
        """Who printed it, each once, in order of publication."""
        return list(dict.fromkeys(printer(v) for v in self.versions))

    @property
    def named_outlets(self) -> int:
        """How many outlets printed it (an article whose outlet is not named is not one)."""
        return len({v["outlet"] for v in self.versions if v.get("outlet")})

    @property
    def unnamed_articles(self) -> int:
        """How many articles whose outlet is not named printed it."""
        return len({v.get("article_id") or v.get("source") for v in self.versions if not v.get("outlet")})

    @property
    def earliest(self) -> list[str]:
        """Who printed it first: every outlet dated the first day (dates are days, so a tie
        cannot be broken), or none when no version is dated."""
        if not self.first_published:
            return []
        return list(dict.fromkeys(printer(v) for v in self.versions if v.get("published") == self.first_published))


def printer(version: dict) -> str:
    """The outlet; when none is known, the article's headline (its ``article_title``, in quotation
    marks: an article, not an outlet) or its file."""
    if version.get("outlet"):
        return version["outlet"]
    title = version.get("article_title")
    return f"“{title}”" if title and title != version.get("source") else version.get("source") or "?"


def _when(version: dict) -> tuple[bool, str, str]:
    # Undated versions last: nothing says whether they came first.
    return (version.get("published") is None, version.get("published") or "", printer(version))


def renderings(versions: Iterable[dict]) -> list[Rendering]:
    """The versions (dicts with ``text``, ``published``, ``outlet`` or ``source``) gathered by
    wording, each rendering's versions oldest first, the renderings by first publication
    (then the most printed first), numbered from 1."""
    by_wording: dict[str, list[dict]] = {}
    wording: dict[str, str] = {}  # text -> its normalised form, once per text however often reprinted
    for version in versions:
        text = version["text"]
        if text not in wording:
            wording[text] = normalise(text)
        by_wording.setdefault(wording[text], []).append(version)
    ordered = sorted((sorted(vs, key=_when) for vs in by_wording.values()), key=lambda vs: (_when(vs[0]), -len(vs)))
    return [Rendering(number, vs[0]["text"], vs) for number, vs in enumerate(ordered, start=1)]


def statements_per_day(quotes: Iterable[dict]) -> list[tuple[str, int, int]]:
    """(day, statements, quotes) for every day a speaker was printed: how many distinct
    statements (variant groups) and how many quotes the articles of that day carry."""
    statements: dict[str, set] = {}
    counts: Counter = Counter()
    for quote in quotes:
        day = (quote.get("published") or "")[:10]
        if not day:
            continue
        statements.setdefault(day, set()).add(quote.get("group_id") or quote.get("id"))
        counts[day] += 1
    return [(day, len(statements[day]), counts[day]) for day in sorted(statements)]
