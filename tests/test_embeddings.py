"""Sentence vectors: the encoder's contract, and clause windows of original-language texts."""
import numpy as np
import pytest

from quotes.embeddings import DIMENSIONS, Encoder, clause_windows, clauses, window_vectors


def test_clauses_split_at_latin_and_arabic_punctuation():
    assert clauses("We will rebuild it, and we will stay; always.") == ["We will rebuild it", "and we will stay", "always"]
    assert clauses("سنعيد بناء الجسر، ولن نتخلى عن أهل المدينة.") == ["سنعيد بناء الجسر", "ولن نتخلى عن أهل المدينة"]
    assert clauses("... ,") == []


def test_clause_windows_are_runs_of_consecutive_clauses_and_the_whole():
    windows = clause_windows("one, two, three, four", width=2)
    assert "one, two, three, four" in windows
    assert {"one", "two", "three", "four", "one two", "two three", "three four"} <= set(windows)
    assert "one three" not in windows and "one two three" not in windows


def test_encoder_returns_unit_vectors_one_row_per_text(encoder):
    vectors = encoder.encode(["The bridge will be rebuilt.", "سنعيد بناء الجسر"])
    assert vectors.shape == (2, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_a_translation_is_nearer_its_original_than_unrelated_text(encoder):
    original, translation, unrelated = encoder.encode(
        ["سنعيد بناء الجسر قبل الشتاء", "We will rebuild the bridge before winter", "Bread prices rose sharply this week"])
    assert original @ translation > 0.6 > original @ unrelated + 0.3


def test_window_vectors_let_a_clause_translation_find_its_clause(encoder):
    original = "سنعيد بناء الجسر قبل الشتاء، ولن نتخلى عن أهل المدينة."
    windows = window_vectors({"o": original}, encoder)["o"]
    assert windows.shape == (len(clause_windows(original)), DIMENSIONS)
    clause_only = encoder.encode(["We shall not desert the inhabitants of the town"])[0]
    whole = encoder.encode([original])[0]
    # The whole original hides the match; its second clause shows it.
    assert (windows @ clause_only).max() > 0.6 > whole @ clause_only


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError, match="batch_size"):
        Encoder(batch_size=0)
