"""Refit the speaker model from annotated articles::

    python -m quotes.attribution.fit ../shared/polnear-train --dev ../shared/polnear-dev

A folder holds ``articles/NAME.txt`` and ``gold.json`` whose quotes carry ``start``, ``end``
and ``speaker_span`` (character offsets of the mention an annotator marked as the source), as
the PolNeAR folders do.  The model is fitted on the first folder only; ``--dev`` chooses the
decision thresholds.  Each folder is parsed once (the slow part) and its parses cached under
``--cache`` (git-ignored), so a refit after a change of features or settings takes a minute.
The seed is fixed and LightGBM runs deterministically: the same folders give the same model.
The articles themselves are never copied into the package, only the fitted trees.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import CATEGORICAL, FEATURES, MODEL_FILE, THRESHOLDS_FILE

PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 20,
          "feature_fraction": 1.0, "lambda_l2": 1.0, "seed": 0, "deterministic": True, "force_row_wise": True,
          "num_threads": 2, "verbose": -1}
ROUNDS = 300


@dataclass
class Rows:
    """Candidate rows of one folder: features, labels, and which quote each row belongs to."""

    features: np.ndarray
    labels: np.ndarray
    quote: np.ndarray  # quote number of each row
    in_key: np.ndarray  # per quote: whether the key has the quote (with a speaker)
    scare: np.ndarray  # per quote: dropped as a scare quote unless a speaker is assigned


def read_folder(folder: Path) -> tuple[dict, dict[str, str]]:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    texts = {name: (folder / "articles" / name).read_text(encoding="utf-8") for name in sorted(gold["articles"])}
    return gold, texts


def parsed(nlp, texts: dict[str, str], cache: Path, processes: int) -> list:
    """Each article parsed as ``quotes build`` parses it (the paragraphs around quotes), from
    the cache when the same texts were parsed before."""
    from spacy.tokens import DocBin

    from ..nlp import model_name, quote_sites
    from ..pieces import focus

    digest = hashlib.sha1("\x1f".join([model_name(), *texts, *texts.values()]).encode()).hexdigest()[:16]
    path = cache / f"parsed-{digest}.spacy"
    focused = [focus(t, quote_sites(t), context=1) for t in texts.values()]
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        with nlp.select_pipes(disable=["quote_finder", "quote_attributor"]):
            docs = list(nlp.pipe(focused, batch_size=16, n_process=processes))
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(path)
    finder = nlp.get_pipe("quote_finder")
    for doc, text in zip(docs, texts.values()):
        doc._.article_text = (text, finder.headline_end(text))
    return docs


def rows(nlp, gold: dict, texts: dict[str, str], docs: list) -> Rows:
    """Run the quote components on each parse and label every candidate of every quote: does
    it overlap the mention the key marks?"""
    finder, attributor = nlp.get_pipe("quote_finder"), nlp.get_pipe("quote_attributor")
    features, labels, quote_of, in_key, scare = [], [], [], [], []
    for name, doc in zip(texts, docs):
        attributor.recorder = []
        attributor(finder(doc))
        key = gold["articles"][name]["quotes"]
        for quote, found in attributor.recorder:
            match = next((g for g in key if _overlap(g["start"], g["end"], quote.start, quote.end) >= 0.5), None)
            span = match.get("speaker_span") if match else None
            in_key.append(span is not None)
            scare.append(quote.kind == "fragment" and quote.speaker is None and quote.cue is None)
            for candidate in found:
                features.append(candidate.features)
                labels.append(span is not None and candidate.span.start_char < span[1] and span[0] < candidate.span.end_char)
                quote_of.append(len(in_key) - 1)
    attributor.recorder = None
    return Rows(np.array(features, dtype=np.float64), np.array(labels, dtype=np.float64), np.array(quote_of),
                np.array(in_key), np.array(scare))


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    shared = min(a_end, b_end) - max(a_start, b_start)
    return max(0, shared) / max(1, min(a_end - a_start, b_end - b_start))


def decide(data: Rows, scores: np.ndarray, switch_margin: float, assign_threshold: float) -> tuple[int, int]:
    """(quotes whose kept candidate is the key's mention, quotes outside the key given a
    speaker that would have been dropped as scare quotes), deciding as SpeakerModel.choose."""
    right = extra = 0
    for q in range(len(data.in_key)):
        at = np.flatnonzero(data.quote == q)
        if not len(at):
            continue
        best = at[np.argmax(scores[at])]
        ruled = at[data.features[at, FEATURES.index("rule_choice")] == 1.0]
        if len(ruled):
            kept = best if scores[best] - scores[ruled[0]] > switch_margin else ruled[0]
        else:
            kept = best if scores[best] > assign_threshold else None
        right += bool(kept is not None and data.labels[kept])
        extra += bool(kept is not None and not data.in_key[q] and data.scare[q] and not len(ruled))
    return right, extra


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", type=Path, help="folder to fit on (articles/ and gold.json)")
    parser.add_argument("--dev", type=Path, required=True, help="folder to choose the thresholds on")
    parser.add_argument("--cache", type=Path, default=Path(".cache/attribution"), help="where parses are kept")
    parser.add_argument("--processes", type=int, default=1, help="processes to parse in")
    parser.add_argument("--out", type=Path, default=MODEL_FILE.parent, help="folder to write the model to")
    args = parser.parse_args(argv)
    import lightgbm

    from ..nlp import load_pipeline

    began = time.perf_counter()
    nlp = load_pipeline({"quote_attributor": {"speaker_model": False}})
    data = {}
    for role, folder in (("train", args.train), ("dev", args.dev)):
        gold, texts = read_folder(folder)
        docs = parsed(nlp, texts, args.cache, args.processes)
        data[role] = rows(nlp, gold, texts, docs)
        print(f"{role}: {len(texts)} articles, {len(data[role].in_key)} quotes, {len(data[role].labels)} candidates "
              f"({time.perf_counter() - began:.0f} s)", flush=True)
    train = data["train"]
    dataset = lightgbm.Dataset(train.features, train.labels, feature_name=FEATURES, categorical_feature=CATEGORICAL,
                               free_raw_data=False)
    booster = lightgbm.train(PARAMS, dataset, num_boost_round=ROUNDS)
    dev = data["dev"]
    scores = booster.predict(dev.features)
    rules_only = decide(dev, scores, switch_margin=2.0, assign_threshold=2.0)
    grid = [(decide(dev, scores, m, t), m, t) for m in np.arange(0.0, 0.55, 0.05) for t in np.arange(0.3, 1.0, 0.05)]
    (right, extra), margin, threshold = max(grid, key=lambda g: (g[0][0] - g[0][1], g[1], g[2]))
    fit_seconds = time.perf_counter() - began
    args.out.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(args.out / MODEL_FILE.name))
    summary = {
        "fitted_on": f"{args.train.resolve().name}: {len(train.in_key)} quotes, {len(train.labels)} candidates",
        "thresholds_chosen_on": args.dev.resolve().name,
        "switch_margin": round(float(margin), 2), "assign_threshold": round(float(threshold), 2),
        "dev_quotes_in_key": int(dev.in_key.sum()), "dev_right_rules": rules_only[0], "dev_right_model": right,
        "dev_scare_quotes_given_a_speaker": extra, "params": PARAMS, "rounds": ROUNDS,
        "fit_seconds": round(fit_seconds),
    }
    (args.out / THRESHOLDS_FILE.name).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
