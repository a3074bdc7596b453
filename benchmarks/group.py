"""Grouping ``--n`` synthetic quotes whose sentence vectors are already stored (on disk, read
through a memory map), in a process of its own so its peak memory is its own.

Prints one JSON object: seconds spent in ``quotes.variants.group_quotes``, the process's peak
RSS in MB, and how many groups it made.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def stored_vectors(statements: list[int], dimensions: int, seed: int = 6) -> np.ndarray:
    """A memory-mapped matrix of unit vectors, one row per quote: the variants of one statement
    lie close to its own direction, unrelated quotes point anywhere."""
    path = corpus.DATA / f"vectors_{len(statements)}_{dimensions}.f32"
    if not path.exists():
        corpus.DATA.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(seed)
        partial = path.with_suffix(".part")
        with open(partial, "wb") as out:
            ids = np.asarray(statements)
            for lo in range(0, len(ids), 50_000):
                chunk = ids[lo : lo + 50_000]
                centre = _centres(chunk, dimensions, seed)
                rows = centre + 0.35 * rng.standard_normal(centre.shape)
                rows /= np.linalg.norm(rows, axis=1, keepdims=True)
                rows.astype(np.float32).tofile(out)
        partial.rename(path)
    return np.memmap(path, dtype=np.float32, mode="r", shape=(len(statements), dimensions))


def _centres(statements: np.ndarray, dimensions: int, seed: int) -> np.ndarray:
    """The same random direction for every quote of one statement."""
    unique, rows = np.unique(statements, return_inverse=True)
    directions = np.stack([np.random.default_rng((seed, s)).standard_normal(dimensions) for s in unique.tolist()])
    return directions[rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    args = parser.parse_args()

    from quotes.embeddings import DIMENSIONS
    from quotes.records import StoredQuote, content_id
    from quotes.variants import group_quotes

    texts = corpus.synthetic_quotes(args.n)
    vectors = stored_vectors([s for _, s in texts], DIMENSIONS)
    quotes = [
        StoredQuote(id=content_id("quote", i), article_id=content_id("article", i // 12), text=text, kind="full",
                    language="en", speaker_id=f"s{statement % 5000}", published=f"2021-11-{1 + statement % 28:02d}")
        for i, (text, statement) in enumerate(texts)
    ]
    del texts  # the quotes hold the texts now; the (text, statement) pairs were only scaffolding
    start = time.perf_counter()
    groups = group_quotes(quotes, vectors)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": args.n, "seconds": seconds, "peak_mb": peak_mb, "groups": len(groups)}))


if __name__ == "__main__":
    main()
