"""``make bench``: every speed figure of the project, measured beside its baseline in the same
run (the machine is shared and noisy, so figures are ratios or rates, never bare timings).

    python benchmarks/run.py                 # full sizes (about half an hour on 2 cores)
    python benchmarks/run.py --scale 0.05    # the same at 5 %, to try things out
    python benchmarks/run.py --only extract,embed

Each benchmark runs in a process of its own (so peak memory is its own); data is generated
into benchmarks/data/ (git-ignored).  Writes benchmarks/results.json (figures of the parts
run are replaced, the others kept) and prints one line per figure.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

# key: (what, target, True when higher is better)
TARGETS = {
    "extract_ratio_1p": ("build words/s over nlp.pipe words/s, one process", 1.5, True),
    "extract_ratio_2p": ("build words/s with --workers 2 over one process (target 1.6 below full scale)", 1.8, True),
    "embed_per_s": ("sentence embeddings per second, one process", None, True),
    "group_1m_s": ("seconds to group 1M quotes (vectors stored)", 300, False),
    "group_1m_peak_mb": ("peak RSS grouping 1M quotes, MB", 4096, False),
    "group_growth": ("time(1M) / time(100k)", 15, False),
    "datasette_p95_ms": ("p95 latency of five pages on 1M quotes, ms", 150, False),
    "search_p95_ms": ("p95 latency of the search page with facets on 1M quotes, words matching 0.01/1/10 %", 150, False),
    "csv_rows_per_s": ("quotes.csv?_stream=1 rows per second on 1M quotes", 50_000, True),
    "long_article_peak_mb": ("peak RSS of quotes build on one 6 MB article, MB", 1024, False),
    "long_article_ratio": ("words/s on one 6 MB article over ordinary articles', the worse of with and without line breaks",
                           0.7, True),
    "incremental_ratio": ("time to add 10 ordinary articles to a 1M-quote database over grouping it once", 0.1, False),
    "popular_statement_ratio": ("time to build and group 100k quotes of one statement over 100k of distinct ones",
                                1.5, False),
}
# Targets that are lower when a benchmark runs below full scale: key -> target then.
SCALED_TARGETS = {"extract_ratio_2p": ("extract_scale", 1.6)}


def measure(script: str, *args: str) -> dict:
    command = [sys.executable, str(HERE / script), *args]
    print(f"# {' '.join(command[1:])}", file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise SystemExit(f"{script} failed:\n{done.stderr[-2000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # The machine is shared: how busy it was says how far a figure is from an idle machine's.
    found["load_average_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return found


def extract(scale: float) -> dict:
    found = measure("extract.py", "--words", str(int(1_000_000 * scale)))
    return {"extract_ratio_1p": found["extract_ratio_1p"], "extract_ratio_2p": found["extract_ratio_2p"],
            "extract_detail": found}


def embed(scale: float) -> dict:
    found = measure("embed.py", "--n", str(max(64, int(1_000 * scale))))
    return {"embed_per_s": found["embed_per_s"], "embed_detail": found}


def group(scale: float) -> dict:
    small = measure("group.py", "--n", str(int(100_000 * scale)))
    large = measure("group.py", "--n", str(int(1_000_000 * scale)))
    return {"group_1m_s": large["seconds"], "group_1m_peak_mb": large["peak_mb"],
            "group_growth": large["seconds"] / small["seconds"], "group_detail": {"small": small, "large": large}}


def datasette(scale: float) -> dict:
    # The settings `quotes serve` starts Datasette with: no suggested facets, and no cap on a CSV
    # download (at Datasette's 100 MB the stream stopped at 350,001 of the million quotes).
    found = measure("datasette_pages.py", "--n", str(int(1_000_000 * scale)), "--setting", "suggest_facets=off",
                    "--setting", "max_csv_mb=0")
    return {"datasette_p95_ms": found["p95_ms"], "search_p95_ms": found["search_p95_ms"],
            "csv_rows_per_s": found["csv_rows_per_s"], "datasette_detail": found}


def long_article(scale: float) -> dict:
    found = measure("long_article.py", "--mb", str(6 * scale))
    return {"long_article_peak_mb": found["peak_mb"], "long_article_ratio": found["long_article_ratio"],
            "long_article_detail": found}


def popular(scale: float) -> dict:
    n = str(int(100_000 * scale))
    distinct = measure("popular_statement.py", "--n", n, "--form", "distinct")
    one = measure("popular_statement.py", "--n", n, "--form", "popular")
    return {"popular_statement_ratio": one["seconds"] / distinct["seconds"],
            "popular_statement_detail": {"distinct": distinct, "popular": one}}


def incremental(scale: float) -> dict:
    found = measure("incremental.py", "--n", str(int(1_000_000 * scale)))
    return {"incremental_ratio": found["incremental_ratio"], "incremental_detail": found}


BENCHMARKS = {"extract": extract, "embed": embed, "group": group, "datasette": datasette, "long_article": long_article,
              "popular": popular, "incremental": incremental}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (default 1)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["cores"] = os.cpu_count()
    for name in chosen:
        results.update(BENCHMARKS[name](args.scale))
        results[f"{name}_scale"] = args.scale  # 1 is the full size the targets are set for
        results[f"{name}_when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"cores {results['cores']} · " + " · ".join(f"{name} at scale {results[name + '_scale']:g}"
                                                       for name in BENCHMARKS if f"{name}_scale" in results))
    for key, (what, target, higher) in TARGETS.items():
        if key not in results:
            continue
        value = results[key]
        if key in SCALED_TARGETS and results.get(SCALED_TARGETS[key][0], 1) < 1:
            target = SCALED_TARGETS[key][1]
        verdict = "" if target is None else (" met" if (value >= target if higher else value <= target) else " MISSED")
        bound = "" if target is None else f" (target {'≥' if higher else '≤'} {target:g}{verdict})"
        print(f"{key} {value:.4g}{bound} · {what}")


if __name__ == "__main__":
    main()
