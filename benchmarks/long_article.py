"""``quotes build`` on one long article (real articles one after another, as one file of
``--mb`` megabytes), in both shapes such a file comes in: with its line breaks, and with none
at all; and, in the same run, on ordinary articles (the same real articles, one file each), the
rate the long one is compared with.  Each build runs in a process of its own, so its peak
memory is its own.

Prints one JSON object: words per second and peak RSS of each build, and
``long_article_ratio``, the worse long form's words per second over the ordinary articles'.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def long_article(megabytes: float, *, line_breaks: bool = True) -> Path:
    size = int(megabytes * 1_000_000)
    folder = corpus.DATA / f"long_{size}" if line_breaks else corpus.DATA / f"long_{size}_one_line"
    path = folder / "long.txt"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        parts, total = [], 0
        while total < size:
            for _, text in corpus.real_articles():
                parts.append(text.strip() + "\n\n")
                total += len(parts[-1].encode("utf-8"))
                if total >= size:
                    break
        text = "".join(parts)
        path.write_text(text if line_breaks else " ".join(text.split()), encoding="utf-8")
    return path


def timed_build(path: Path) -> dict:
    """``quotes build PATH`` into a new database, in a process of its own: seconds, peak MB."""
    db = (path if path.is_dir() else path.parent) / "bench.db"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--build", str(path), str(db)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"quotes build {path} failed: {done.stderr.strip()[-800:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, **found}


def _build_here(path: str, db: str) -> None:
    from quotes.build import build

    summary = build([path], db)
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "summary": summary.line()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=6.0)
    parser.add_argument("--build", nargs=2, metavar=("PATH", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return _build_here(*args.build)
    out: dict = {}
    words = 0
    for form, line_breaks in (("lines", True), ("one_line", False)):
        path = long_article(args.mb, line_breaks=line_breaks)
        text = path.read_text(encoding="utf-8")
        words = corpus.word_count(text)
        found = timed_build(path)
        out[form] = {"bytes": len(text.encode("utf-8")), "words": words, **found,
                     "words_per_s": words / found["seconds"]}
    # Ordinary articles: as many words as the long article, so that the fixed costs (loading the
    # pipeline and the encoder) weigh the same in both rates.
    folder, texts = corpus.corpus_folder(words)
    ordinary_words = sum(corpus.word_count(t) for t in texts)
    found = timed_build(folder)
    out["ordinary"] = {"words": ordinary_words, **found, "words_per_s": ordinary_words / found["seconds"]}
    out["long_article_ratio"] = min(out[f]["words_per_s"] for f in ("lines", "one_line")) / out["ordinary"]["words_per_s"]
    out["peak_mb"] = max(out[f]["peak_mb"] for f in ("lines", "one_line"))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
