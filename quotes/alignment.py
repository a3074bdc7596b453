"""Word-by-word alignment of a variant against its group's representative text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Step:
    """One aligned step: ``op`` is equal, substitute, insert (only in the variant) or delete
    (only in the representative)."""

    op: str
    representative: str
    variant: str


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w[0].isalnum()]


def _key(word: str) -> str:
    return word.casefold().replace("’", "'")


def align(representative: str, variant: str) -> list[Step]:
    """Align ``variant`` against ``representative`` word by word, case-insensitively."""
    rep, var = words(representative), words(variant)
    matcher = SequenceMatcher(a=[_key(w) for w in rep], b=[_key(w) for w in var], autojunk=False)
    steps: list[Step] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            steps.extend(Step("equal", rep[i], var[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
        elif op == "replace":
            steps.append(Step("substitute", " ".join(rep[i1:i2]), " ".join(var[j1:j2])))
        elif op == "delete":
            steps.append(Step("delete", " ".join(rep[i1:i2]), ""))
        else:
            steps.append(Step("insert", "", " ".join(var[j1:j2])))
    return steps


def agreement(representative: str, variant: str) -> float:
    """Share of the representative's words that the variant carries word for word."""
    rep = words(representative)
    if not rep:
        return 1.0
    equal = sum(1 for s in align(representative, variant) if s.op == "equal")
    return round(equal / len(rep), 3)
