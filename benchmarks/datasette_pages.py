"""Datasette on a database of ``--n`` quotes: p95 latency of the pages people open, of the
search page over a fixed ladder of words (matching about 0.01 %, 1 % and 10 % of the quotes),
and how fast the quotes table streams as CSV.

The database has the project's own shape (``quotes.store.ensure_db_shape``: indexes, full-text
search) and synthetic but realistic rows: real quote texts and their variants, in groups, with
speakers, outlets and dates.  It is served the way ``quotes serve`` serves it: immutable, with
``metadata.yml`` and the plugin, plus the counts from ``datasette inspect``.  Requests go to
127.0.0.1 only.  Prints one JSON object.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + [f"Wire {i}" for i in range(14)]
QUOTES_PER_ARTICLE = 12
ROUNDS = 20


def build_database(n: int) -> Path:
    """The database, generated once per size and kept in ``benchmarks/data``."""
    import sqlite_utils

    from quotes import store
    from quotes.records import content_id

    path = corpus.DATA / f"datasette_{n}" / "quotes.db"  # Datasette names the database after the file
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    rng = random.Random(6)
    texts = corpus.synthetic_quotes(n)
    vocabulary = sorted({w for q in corpus.real_quotes() for w in q.split() if w[:1].isupper() and w.isalpha()})
    db = sqlite_utils.Database(partial)
    store.ensure_db_shape(db)
    speakers = [{"id": content_id("speaker", i), "name": f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}",
                 "kind": "person", "quote_count": 0} for i in range(max(10, n // 200))]
    db["speakers"].insert_all(speakers, pk="id")
    db["speaker_aliases"].insert_all([{"alias": s["name"], "speaker_id": s["id"]} for s in speakers],
                                     pk=("alias", "speaker_id"), ignore=True)
    statements: dict[int, list[int]] = {}
    for i, (_, statement) in enumerate(texts):
        statements.setdefault(statement, []).append(i)
    speaker_of = {s: speakers[rng.randrange(len(speakers))]["id"] for s in statements}
    day_of = {s: f"2021-{1 + s % 12:02d}-{1 + s % 28:02d}" for s in statements}
    db["quote_groups"].insert_all(
        ({"id": content_id("group", s), "representative": texts[ids[0]][0], "representative_quote_id": content_id("quote", ids[0]),
          "speaker_id": speaker_of[s], "variants": len(ids), "outlets": min(len(ids), len(OUTLETS)),
          "agreement": 1.0 if len(ids) == 1 else round(rng.uniform(0.5, 1.0), 3), "first_published": day_of[s]}
         for s, ids in statements.items()), pk="id", batch_size=5_000)

    def article_rows():
        for a in range(0, n, QUOTES_PER_ARTICLE):
            body = "\n\n".join(f"\u201c{texts[i][0]}\u201d the speaker said." for i in range(a, min(n, a + QUOTES_PER_ARTICLE)))
            yield {"id": content_id("article", a), "source": f"{a:07d}.txt", "outlet": OUTLETS[(a // QUOTES_PER_ARTICLE) % len(OUTLETS)],
                   "published": day_of[texts[a][1]], "title": texts[a][0][:60], "language": "en", "text": body,
                   "content_hash": content_id("text", body)}

    db["articles"].insert_all(article_rows(), pk="id", batch_size=2_000)

    def quote_rows():
        for i, (text, statement) in enumerate(texts):
            a = i - i % QUOTES_PER_ARTICLE
            yield {"id": content_id("quote", i), "article_id": content_id("article", a), "source": f"{a:07d}.txt",
                   "text": text, "start": 0, "end": len(text), "speaker_id": speaker_of[statement],
                   "speaker": None, "speaker_mention": "the speaker", "speaker_name": None, "speaker_kind": "person",
                   "cue": "said", "kind": "full" if text[:1].isupper() else "fragment", "language": "en",
                   "group_id": content_id("group", statement), "is_original": 0, "agreement": 1.0,
                   "outlet": OUTLETS[(a // QUOTES_PER_ARTICLE) % len(OUTLETS)], "published": day_of[statement]}

    db["quotes"].insert_all(quote_rows(), pk="id", batch_size=5_000)
    db.execute("update quotes set speaker = (select name from speakers where speakers.id = quotes.speaker_id)")
    db.execute("update speakers set quote_count = (select count(*) from quotes where quotes.speaker_id = speakers.id)")
    store.ensure_db_shape(db)
    store.save_facet_counts(db)  # the last write of a build, as quotes.build.refresh does it
    db.execute("analyze")
    db.conn.commit()
    db.close()
    partial.rename(path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(path: Path, settings: list[str]) -> tuple[subprocess.Popen, str]:
    inspect = path.with_suffix(".inspect.json")
    if not inspect.exists():
        subprocess.run([sys.executable, "-m", "datasette", "inspect", str(path), "--inspect-file", str(inspect)], check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", "-i", str(path), "--inspect-file", str(inspect),
                               "-m", str(corpus.ROOT / "metadata.yml"), "--host", "127.0.0.1", "--port", str(port)]
                              + [arg for setting in settings for arg in ("--setting", *setting.split("=", 1))],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("datasette did not start")


# Search words by the share of quotes they match: rare, common, very common ("attack" in a
# corpus about an attack).  The search page shows metadata.yml's facets on every one.
LADDER = (0.0001, 0.01, 0.1)
# The synthetic quotes draw their words evenly from one vocabulary: no word is in fewer than
# about 0.3 % of them, none but "the" in more than about 7 %.  A share no word is this close
# to is searched as a reader would search it: two words a quote must both have (of the POOL
# words nearest the square root of the share), or the beginning of a word ("for*").
CLOSE = 0.05
POOL = 10


def ladder(path: Path) -> dict[float, tuple[str, int]]:
    """For each share of LADDER, the search (as typed in the search box) whose number of
    matching quotes is nearest to it, and that number: a word of the index (letters only,
    three or more) within CLOSE of the share, else the nearest of the two-word searches and
    word beginnings.  The same searches for the same database."""
    import sqlite3

    from quotes.plugin.search import register_functions

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    register_functions(conn)  # searches escaped as the search page escapes them
    try:
        total = conn.execute("select count(*) from quotes").fetchone()[0]
        conn.execute("create virtual table temp.search_terms using fts5vocab(main, quotes_fts, row)")
        words = {term: docs for term, docs in conn.execute("select term, doc from temp.search_terms")
                 if term.isalpha() and len(term) >= 3}
        beginnings: dict[str, int] = {}  # "for*" -> how many quotes its words are in, overlaps counted twice
        for word, docs in words.items():
            beginnings[word[:3] + "*"] = beginnings.get(word[:3] + "*", 0) + docs

        def matches(search: str) -> int:
            return conn.execute("select count(*) from quotes_fts where quotes_fts match escape_fts(?)", [search]).fetchone()[0]

        found = {}
        for share in LADDER:
            target = share * total
            word = min(words, key=lambda w: (abs(words[w] - target), w))
            if abs(words[word] - target) <= CLOSE * target:
                found[share] = (word, words[word])
                continue
            pool = sorted(words, key=lambda w: (abs(words[w] - math.sqrt(share) * total), w))[:POOL]
            searches = [f"{a} {b}" for a, b in itertools.combinations(pool, 2)]
            searches += sorted(beginnings, key=lambda b: (abs(beginnings[b] - target), b))[:POOL]
            found[share] = min(((s, matches(s)) for s in searches), key=lambda sm: (abs(sm[1] - target), sm[0]))
    finally:
        conn.close()
    return found


def pages(path: Path, words: dict[float, tuple[str, int]]) -> dict[str, str]:
    import sqlite_utils

    db = sqlite_utils.Database(path)
    group = next(db.query("select id from quote_groups where variants > 3 limit 1 offset 100"))["id"]
    speaker = next(db.query("select id from speakers order by quote_count desc limit 1"))["id"]
    return {
        "quotes table": "/quotes/quotes",
        "facet page": "/quotes/quotes?_facet=outlet&_facet=kind",
        "full-text search": "/quotes/quotes?_search=" + quote_plus(words[0.01][0]),
        "group page": f"/quotes/quote_groups/{group}",
        "speaker page": f"/quotes/speakers/{speaker}",
    }


def search_pages(words: dict[float, tuple[str, int]]) -> dict[str, str]:
    return {f"search {share:.2%} ({word}, {matches:,} quotes)": "/quotes/quotes?_search=" + quote_plus(word)
            for share, (word, matches) in words.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a Datasette setting, to find out what a page's time goes to")
    args = parser.parse_args()
    path = build_database(args.n)
    server, base = serve(path, args.setting)
    try:
        words = ladder(path)
        urls = {**pages(path, words), **search_pages(words)}
        latencies: dict[str, list[float]] = {name: [] for name in urls}
        with httpx.Client(base_url=base, timeout=60) as client:
            for url in urls.values():  # warm the page cache once
                # On a cold cache a search can exceed Datasette's 1 s query limit (a 400): read again.
                for attempt in range(3):
                    if client.get(url).status_code == 200 or attempt == 2:
                        break
                client.get(url).raise_for_status()
            for _ in range(ROUNDS):
                for name, url in urls.items():
                    start = time.perf_counter()
                    client.get(url).raise_for_status()
                    latencies[name].append((time.perf_counter() - start) * 1000)
            rows = 0
            start = time.perf_counter()
            with client.stream("GET", "/quotes/quotes.csv?_stream=1&_size=max") as response:
                response.raise_for_status()
                for line in response.iter_lines():
                    rows += 1
            csv_seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    searches = search_pages(words)
    print(json.dumps({
        "n": args.n, "ladder": {f"{share:.2%}": {"search": word, "matches": matches} for share, (word, matches) in words.items()},
        "p95_ms": _p95([v for k, vs in latencies.items() if k not in searches for v in vs]),
        "search_p95_ms": _p95([v for k in searches for v in latencies[k]]),
        "p95_ms_by_page": {k: _p95(v) for k, v in latencies.items()},
        "csv_rows": rows - 1, "csv_seconds": csv_seconds, "csv_rows_per_s": (rows - 1) / csv_seconds,
    }))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


if __name__ == "__main__":
    main()
