"""Extraction and attribution speed: ``quotes build`` without its database-wide stages
(speakers, grouping), in one process and with ``--workers 2``, against spaCy's own
``nlp.pipe`` over the same texts with the same pipeline, measured in the same run.

The baseline is the English pipeline's own components (tok2vec … ner) over every text: the
parse the build would do without :mod:`quotes.pieces`.  The build runs those and the two quote
components on what ``pieces`` keeps (and reads the files and writes SQLite), so this is the
stricter of the two ratios one could take.  Besides wall-clock ratios, the one-process ratio is
also given in CPU seconds, which other work on a shared machine disturbs less.

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


def timed_build(paths: list[Path], db: Path, **options) -> tuple[float, float]:
    """Wall and CPU seconds of ``quotes.build.build`` without the grouping stage: neither its
    sentence embeddings (measured by embed.py) nor the database-wide stages (group.py)."""
    from quotes import build as build_module

    refresh, embed_missing = build_module.refresh, build_module.embed_missing
    build_module.refresh = lambda db, **kw: None
    build_module.embed_missing = lambda db, encoder, **kw: 0
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        summary = build_module.build(paths, db, **options)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        build_module.refresh, build_module.embed_missing = refresh, embed_missing
    if summary.rejected:
        raise SystemExit(f"{len(summary.rejected)} articles rejected: {summary.rejected[0]}")
    return wall, cpu


def timed_pipe(nlp, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``nlp.pipe`` with the English pipeline's own components."""
    wall, cpu = time.perf_counter(), time.process_time()
    with nlp.select_pipes(disable=["quote_finder", "quote_attributor"]):
        for _ in nlp.pipe(texts):
            pass
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=2,
                        help="the corpus is measured part by part, baseline and builds side by side in each, "
                             "so that a change in the machine's load falls on all of them alike")
    args = parser.parse_args()

    from quotes.nlp import load_pipeline

    folder, _ = corpus.corpus_folder(args.words)
    files = sorted(folder.glob("*.txt"))
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    words = sum(corpus.word_count(t) for t in texts.values())
    work = corpus.DATA / "extract"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nlp = load_pipeline()
    list(nlp.pipe(list(texts.values())[:3]))  # load lazily initialised parts before timing

    totals = {"pipe": [0.0, 0.0], "one": [0.0, 0.0], "two": [0.0, 0.0]}
    size = -(-len(files) // args.parts)
    for lo in range(0, len(files), size):
        part = files[lo : lo + size]
        for name, (wall, cpu) in (("pipe", timed_pipe(nlp, [texts[p] for p in part])),
                                  ("one", timed_build(part, work / "one.db", nlp=nlp)),
                                  ("two", timed_build(part, work / "two.db", workers=2))):
            totals[name][0] += wall
            totals[name][1] += cpu
    (pipe_s, pipe_cpu), (one_s, one_cpu), (two_s, _) = totals["pipe"], totals["one"], totals["two"]
    print(json.dumps({
        "words": words, "articles": len(files), "parts": args.parts,
        "pipe_words_per_s": words / pipe_s, "build_1p_words_per_s": words / one_s, "build_2p_words_per_s": words / two_s,
        "extract_ratio_1p": pipe_s / one_s, "extract_ratio_2p": one_s / two_s,
        "extract_ratio_1p_cpu": pipe_cpu / one_cpu,
    }))


if __name__ == "__main__":
    main()
