"""Peak memory of ``quotes build`` on one long article (real articles one after another, as
one file of ``--mb`` megabytes), the whole command in a process of its own.

Prints one JSON object.
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


def long_article(megabytes: float) -> Path:
    size = int(megabytes * 1_000_000)
    folder = corpus.DATA / f"long_{size}"
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
        path.write_text("".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=6.0)
    args = parser.parse_args()
    path = long_article(args.mb)
    db = path.parent / "long.db"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "quotes"), "build", str(path), "--db", str(db)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"quotes build failed: {done.stderr.strip()[-500:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"bytes": path.stat().st_size, "peak_mb": peak_mb, "seconds": seconds,
                      "summary": done.stdout.strip()}))


if __name__ == "__main__":
    main()
