"""Adding 10 ordinary articles to a database of ``--n`` quotes (of distinct statements, with
their vectors stored, speakers and groups made), in a process of its own, beside the time
``quotes.variants.group_quotes`` takes on the same quotes in the same run.

Prints one JSON object: the seconds of ``quotes build`` on the 10 articles (pipeline loading,
extraction, vectors and the database-wide stages), of grouping the database once, their
ratio, and the process's peak RSS in MB.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import popular_statement  # noqa: E402

ARTICLES = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    args = parser.parse_args()

    from quotes import store
    from quotes.build import build, refresh
    from quotes.embeddings import DIMENSIONS, MODEL
    from quotes.variants import group_quotes

    base = corpus.DATA / f"incremental_{args.n}.db"
    if not base.exists():  # the large database is made once and copied for each run
        partial = base.with_suffix(".part")
        partial.unlink(missing_ok=True)
        popular_statement.build_database(partial, popular_statement.statements(args.n, "distinct"))
        db = store.open_db(partial)
        with store.write_transaction(db):
            refresh(db)
        db.close()
        partial.rename(base)
    path = corpus.DATA / "incremental" / "quotes.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(base, path)
    folder = corpus.DATA / "incremental" / "new"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, text in corpus.real_articles()[:ARTICLES]:
        (folder / name).write_text(text, encoding="utf-8")

    db = store.open_db(path)
    quotes = store.stored_quotes(db)
    vectors = store.vector_matrix(db, MODEL, [q.id for q in quotes], DIMENSIONS)
    db.close()
    start = time.perf_counter()
    group_quotes(quotes, vectors)
    group_s = time.perf_counter() - start
    del quotes, vectors

    start = time.perf_counter()
    summary = build([folder], path)
    add_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": args.n, "articles": ARTICLES, "add_s": add_s, "group_s": group_s,
                      "incremental_ratio": add_s / group_s, "peak_mb": peak_mb, "summary": summary.line()}))


if __name__ == "__main__":
    main()
