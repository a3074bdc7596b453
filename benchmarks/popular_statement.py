"""Building, grouping and showing ``--n`` quotes that are all one statement (a wire quote
reprinted everywhere), or ``--n`` quotes of distinct statements: the stages after extraction
(store the articles' quotes, speakers, grouping, writing the groups, the group page), in a
process of its own.

The sentence vectors are stored beforehand (one vector per distinct text), so the encoder's
time, the same for both forms, does not hide what grouping costs.  Prints one JSON object:
seconds, peak RSS in MB, the largest group's size, and the time of its page.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

QUOTES_PER_ARTICLE = 10
# Invented people: the same pool for both forms, so speakers cost the same in both.
SPEAKERS = [f"{given} {family}" for given in ("Mara", "Tobias", "Ilse", "Quentin", "Odile")
            for family in ("Lindqvist", "Arrow", "Pellham", "Vasquez", "Okonjo", "Brandt", "Sallow", "Tiernan", "Moss", "Fenwick")]


def statements(n: int, form: str) -> list[str]:
    """The text of each quote: one real quote ``n`` times, or ``n`` quotes nobody said twice."""
    base = [q for q in corpus.real_quotes() if len(q.split()) >= 20]
    if form == "popular":
        return [base[len(base) // 2]] * n
    rng = random.Random(6)
    vocabulary = sorted({w for q in base for w in q.split()})
    return [corpus.unrelated(vocabulary, rng) for _ in range(n)]


def build_database(path: Path, texts: list[str]) -> None:
    """Every quote stored as ``quotes build`` stores it, ``QUOTES_PER_ARTICLE`` to an article,
    with one stored vector per distinct text."""
    from quotes import store
    from quotes.embeddings import DIMENSIONS, MODEL
    from quotes.records import Article, Quote

    db = store.open_db(path)
    store.ensure_db_shape(db)
    rng = np.random.default_rng(6)
    vector_of: dict[str, np.ndarray] = {}
    for a in range(0, len(texts), QUOTES_PER_ARTICLE):
        body, quotes = "", []
        for i in range(a, min(len(texts), a + QUOTES_PER_ARTICLE)):
            name = SPEAKERS[i % len(SPEAKERS)]
            start = len(body) + 1
            body += f"\u201c{texts[i]}\u201d {name} said.\n\n"
            quotes.append(Quote(text=texts[i], start=start, end=start + len(texts[i]), cue="said",
                                speaker_mention=name, speaker_name=name, speaker_kind="person"))
        article = Article(source=f"{a:07d}.txt", text=body, outlet=f"Outlet {a % 37}", published=f"2021-11-{1 + a % 28:02d}")
        store.save_article(db, article, quotes)
        ids = [q.id(article.id) for q in quotes]
        for q in quotes:
            if q.text not in vector_of:
                v = rng.standard_normal(DIMENSIONS).astype(np.float32)
                vector_of[q.text] = v / np.linalg.norm(v)
        store.save_vectors(db, MODEL, ((qid, vector_of[q.text]) for qid, q in zip(ids, quotes)))
    db.close()


async def group_page_seconds(path: Path, group_id: str) -> float:
    """The time of the group page of ``group_id``, served in-process as ``quotes serve`` serves it."""
    from datasette.app import Datasette

    ds = Datasette([str(path)], immutables=[], metadata=json.loads(json.dumps(_metadata())),
                   settings={"suggest_facets": False})
    await ds.invoke_startup()
    start = time.perf_counter()
    response = await ds.client.get(f"/{path.stem}/quote_groups/{group_id}")
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"group page: HTTP {response.status_code}")
    return seconds


def _metadata() -> dict:
    import yaml

    return yaml.safe_load((corpus.ROOT / "metadata.yml").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--form", choices=["popular", "distinct"], required=True)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed part here (and a summary to stderr)")
    args = parser.parse_args()

    from quotes import store
    from quotes.build import refresh

    folder = corpus.DATA / f"{args.form}_{args.n}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "quotes.db"  # Datasette names the database after the file, as the plugin expects
    path.unlink(missing_ok=True)
    texts = statements(args.n, args.form)
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    start = time.perf_counter()
    build_database(path, texts)
    stored = time.perf_counter()
    db = store.open_db(path)
    with store.write_transaction(db):
        refresh(db)
    grouped = time.perf_counter()
    largest = next(db.query("select id, variants from quote_groups order by variants desc limit 1"))
    db.close()
    page = asyncio.run(group_page_seconds(path, largest["id"]))
    seconds = time.perf_counter() - start
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": args.n, "form": args.form, "seconds": seconds, "store_s": stored - start,
                      "refresh_s": grouped - stored, "page_s": page, "peak_mb": peak_mb,
                      "largest_group": largest["variants"]}))


if __name__ == "__main__":
    main()
