"""One statement as a reader compares its versions: every version, in the order the group page
and ``quotes diff`` both show them, each in the representative's language aligned word by word
against the representative text; with an original-language text, the English versions nearest
to it first."""
from __future__ import annotations

import sqlite_utils

from . import store
from .alignment import align, quoted_span, words
from .embeddings import MODEL
from .variants import ENGLISH

WHOLE = 0.8  # share of the representative's words a version renders to be compared whole with the original
# Versions whose cosines with the original differ by less than this are called equally close:
# a chosen margin (the encoder does not rank near-equal translations reliably), not a measured one.
TIE = 0.02


def read_statement(db: sqlite_utils.Database, group_id: str) -> dict | None:
    """``{"group": …, "variants": […]}`` for one group, or None when there is no such group.

    Each variant gets ``is_representative``, ``steps`` (its alignment as printed, see
    :func:`quotes.alignment.align`; None for the representative and for a text in another
    language) and ``words_quoted`` (how many of the representative's words the part it quotes
    spans).  The group gets ``words``, ``original_quote``, ``representative_quote``, ``compared``
    (versions aligned) and, without an original, ``speaker_languages`` (other languages the
    speaker is quoted in: the versions may be translations)."""
    group, variants, vectors = store.group_rows(db, group_id, MODEL)
    if group is None:
        return None
    rep_language = next((v["language"] for v in variants if v["id"] == group["representative_quote_id"]), None)
    group["words"] = len(words(group["representative"]))
    aligned: dict[str, tuple[list, int]] = {}  # a wording reprinted by many versions is aligned once
    for v in variants:
        v["is_representative"] = v["id"] == group["representative_quote_id"]
        v["steps"] = v["words_quoted"] = None
        if not v["is_representative"] and v["language"] == rep_language:
            if v["text"] not in aligned:
                steps = align(group["representative"], v["text"], as_printed=True)
                aligned[v["text"]] = steps, sum(len(words(s.representative)) for s in quoted_span(steps)[1]
                                                if s.op != "insert")
            v["steps"], v["words_quoted"] = aligned[v["text"]]
    group["original_quote"] = next((v for v in variants if v["is_original"]), None)
    group["representative_quote"] = next((v for v in variants if v["is_representative"]), None)
    group["compared"] = sum(1 for v in variants if v["steps"] is not None)
    if group["original_quote"]:
        variants = _closest_to_original(group, variants, vectors)
        group["speaker_languages"] = []
    else:
        # The representative first, then the versions that quote most of it, the most alike first.
        variants.sort(key=lambda v: (not v["is_representative"], -(v["words_quoted"] or 0), -(v["agreement"] or 0)))
        group["speaker_languages"] = (store.languages_of_speaker(db, group["speaker_id"], ENGLISH)
                                      if group["speaker_id"] else [])
    return {"group": group, "variants": variants}


def _closest_to_original(group: dict, variants: list[dict], vectors: dict) -> list[dict]:
    """The variants, original first, then English versions by how close their stored sentence
    vector is to the original's; the versions that render (nearly) the whole statement and come
    within ``TIE`` of the best are marked closest.  A version rendering a part of the statement
    scores lower for that alone, so it is never marked."""
    original = vectors.get(group["original_quote"]["id"])
    for v in variants:
        v["closeness"] = (float(vectors[v["id"]] @ original)
                          if original is not None and v["id"] in vectors and not v["is_original"] else None)
        v["whole"] = v["is_representative"] or (v["words_quoted"] or 0) >= WHOLE * group["words"]
    scored = [v["closeness"] for v in variants if v["closeness"] is not None and v["whole"]]
    best = max(scored, default=None)
    for v in variants:
        v["closest"] = best is not None and v["whole"] and v["closeness"] is not None and v["closeness"] >= best - TIE
    group["closest"] = sum(v["closest"] for v in variants)
    return sorted(variants, key=lambda v: (not v["is_original"], v["closeness"] is None, -(v["closeness"] or 0.0)))
