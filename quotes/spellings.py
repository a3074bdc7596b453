"""How often each spelling of a speaker's name was printed: the names the articles used for
one canonical speaker, counted in the articles' own text.  Plain text in, counts out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Spelling:
    name: str
    printed: int  # times, across the articles
    articles: int  # articles that print it at least once


def spelling_counts(names: Iterable[str], texts: Iterable[str]) -> list[Spelling]:
    """Each name with how often the texts print it as a whole word, the most printed first.

    A longer name claims its words first, so "Anna Kowalski" printed once counts once for
    itself and not also for "Kowalski"; letter case counts ("KOWALSKI" is another spelling).
    """
    names = sorted({n.strip() for n in names if n and n.strip()}, key=lambda n: (-len(n), n))
    patterns = [(n, re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)")) for n in names]
    printed = dict.fromkeys(names, 0)
    articles = dict.fromkeys(names, 0)
    for text in texts:
        taken: list[tuple[int, int]] = []
        for name, pattern in patterns:
            found = 0
            for match in pattern.finditer(text):
                if not any(match.start() < end and start < match.end() for start, end in taken):
                    taken.append(match.span())
                    found += 1
            printed[name] += found
            articles[name] += bool(found)
    return sorted((Spelling(n, printed[n], articles[n]) for n in names), key=lambda s: (-s.printed, s.name))
