"""Disjoint sets over 0..n-1, for the stages that join things in clusters (speakers, variants)."""
from __future__ import annotations


class DisjointSets:
    """Union-find with path halving; the smaller index is the root, so results do not depend on
    the order of the unions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
