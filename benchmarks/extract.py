"""Extraction and attribution speed: ``quotes build`` without its database-wide stages
(speakers, grouping), in one process and with ``--workers 2``, against spaCy's own
``nlp.pipe`` over the same texts with the same pipeline, measured in the same run.

The baseline is the English pipeline's own components (tok2vec … ner) over every text: the
parse the build would do without :mod:`quotes.pieces`.  The build runs those and the two quote
components on what ``pieces`` keeps, so the ratio is the stricter of the two one could take
(``--with-quote-components`` also times ``nlp.pipe`` with them, which is slower still).

Prints one JSON object with words/s of each and the ratios.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def timed_build(folder: Path, db: Path, **options) -> float:
    """Seconds for ``quotes.build.build`` with the database-wide stages left out."""
    from quotes import build as build_module

    db.unlink(missing_ok=True)
    refresh = build_module.refresh
    build_module.refresh = lambda db, **kw: None  # grouping is measured on its own (group.py)
    try:
        start = time.perf_counter()
        summary = build_module.build([folder], db, **options)
        seconds = time.perf_counter() - start
    finally:
        build_module.refresh = refresh
    if summary.rejected:
        raise SystemExit(f"{len(summary.rejected)} articles rejected: {summary.rejected[0]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--with-quote-components", action="store_true",
                        help="also time nlp.pipe with quote_finder and quote_attributor")
    args = parser.parse_args()

    from quotes.nlp import load_pipeline

    folder, texts = corpus.corpus_folder(args.words)
    words = sum(corpus.word_count(t) for t in texts)
    work = corpus.DATA / "extract"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nlp = load_pipeline()
    list(nlp.pipe(texts[:3]))  # load lazily initialised parts before timing

    start = time.perf_counter()
    with nlp.select_pipes(disable=["quote_finder", "quote_attributor"]):
        for _ in nlp.pipe(texts):
            pass
    pipe_s = time.perf_counter() - start
    pipe_all_s = None
    if args.with_quote_components:
        start = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        pipe_all_s = time.perf_counter() - start
    one_s = timed_build(folder, work / "one.db", nlp=nlp)
    two_s = timed_build(folder, work / "two.db", workers=2)
    print(json.dumps({
        "words": words, "articles": len(texts),
        "pipe_words_per_s": words / pipe_s, "pipe_with_quote_components_words_per_s": pipe_all_s and words / pipe_all_s, "build_1p_words_per_s": words / one_s, "build_2p_words_per_s": words / two_s,
        "extract_ratio_1p": pipe_s / one_s, "extract_ratio_2p": one_s / two_s,
        "extract_ratio_1p_vs_pipe_with_quote_components": pipe_all_s and pipe_all_s / one_s,
    }))


if __name__ == "__main__":
    main()
