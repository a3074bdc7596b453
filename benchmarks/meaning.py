"""How well ``quotes.meaning`` flags the differences that change a statement's meaning, measured
on real versions of real statements read at run time (nothing of them is kept in the project).

    python benchmarks/meaning.py                               # builds ../shared/multi-outlet-dev
    python benchmarks/meaning.py --db /tmp/x.db --show         # an existing build; list false flags

Every version in a group of two or more is compared with its group's reference (the representative,
or the wording more outlets printed), in the same language, as the build does:
- unperturbed, any flag is counted as false (translation choices and cuts are not meaning
  changes): the false-flag rate is the share of versions that carry one;
- then, for each kind, the version (or the representative) is perturbed at a word the two share
  — a negation flipped, a number changed, a name swapped for another name of the corpus, a modal
  changed, a qualifier added to one side — and recall is the share of perturbed pairs flagged
  with that kind.  A pair that offers no such word (a quote with no number) is not perturbed.

Prints one line per figure and, last, one JSON object.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quotes import meaning  # noqa: E402

CORPUS = ROOT.parent / "shared" / "multi-outlet-dev" / "articles"
WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*")
AUXILIARIES = {"is", "are", "was", "were", "will", "would", "can", "could", "should", "must", "may", "might",
               "has", "have", "had", "does", "did", "shall"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "their", "his", "her", "its", "our"}
OTHER_MODAL = {"will": "may", "would": "might", "shall": "may", "should": "could", "may": "must", "might": "will",
               "must": "might", "can": "must", "could": "will"}
NUMBER_WORDS = list(meaning.UNITS) + list(meaning.TENS)
MONTHS = list(meaning.MONTHS)
QUALIFIERS = ["alleged", "apparent", "so-called", "suspected", "purported"]


def pairs(db_path: Path) -> list[tuple[str, str]]:
    """(reference text, version text) for every other version, in the reference's language, of
    a group of two or more — the pairs the build compares (quotes.meaning.flag_groups)."""
    import sqlite_utils

    from quotes.records import Group, StoredQuote

    db = sqlite_utils.Database(db_path)
    members: dict[str, list[dict]] = {}
    for row in db.query("select q.id, q.text, q.language, q.group_id, g.representative_quote_id from quotes q "
                        "join quote_groups g on g.id = q.group_id where g.variants > 1 order by q.id"):
        members.setdefault(row["group_id"], []).append(row)
    found = []
    for rows in members.values():
        by_id = {r["id"]: StoredQuote(r["id"], "", r["text"], "full", r["language"]) for r in rows}
        reference = by_id[meaning.reference_quote(Group([r["id"] for r in rows], rows[0]["representative_quote_id"]), by_id)]
        found += [(reference.text, q.text) for q in by_id.values() if q is not reference and q.language == reference.language]
    return found


def _words(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def shared_words(reference: str, version: str) -> list[tuple[re.Match, re.Match]]:
    """Pairs of the same word in both texts, as the two align: where a perturbation lies inside
    what both render."""
    ref, ver = _words(reference), _words(version)
    matcher = SequenceMatcher(a=[m.group().casefold() for m in ref], b=[m.group().casefold() for m in ver],
                              autojunk=False)
    return [(ref[b.a + k], ver[b.b + k]) for b in matcher.get_matching_blocks() for k in range(b.size)]


def _replace(text: str, match: re.Match, new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


def _is_name(word: re.Match, text: str) -> bool:
    before = text[: word.start()].rstrip()
    printed = word.group()
    sentence_start = not before or before[-1] in ".!?:\"“"
    return (printed[:1].isupper() and printed.casefold() not in meaning.FUNCTION_WORDS and not sentence_start
            and printed.casefold() not in meaning.MONTHS and printed.casefold() not in meaning.WEEKDAYS)


def negation(rep: str, ver: str, shared, rng, names) -> tuple[str, str] | None:
    for r, v in shared:
        key = v.group().casefold().replace("’", "'")
        if key in {"not", "never"}:
            cut = re.compile(r"\s*" + re.escape(v.group()))
            return rep, ver[: v.start()].rstrip() + ver[v.end() :]
        if key.endswith("n't"):
            return rep, _replace(ver, v, {"won't": "will", "can't": "can"}.get(key, v.group()[:-3]))
    for r, v in shared:
        if v.group().casefold() in AUXILIARIES:
            return rep, ver[: v.end()] + " not" + ver[v.end() :]
    return None


def number(rep: str, ver: str, shared, rng, names) -> tuple[str, str] | None:
    """A number both print, changed in the version; when they print none, an amount put before
    a noun both print after a determiner, one amount in the representative and another in the
    version ("the three ..." / "the five ...")."""
    for r, v in shared:
        key = v.group().casefold()
        if re.fullmatch(r"\d+", key):
            return rep, _replace(ver, v, str(int(key) + rng.randint(1, 9)))
        if key in meaning.UNITS and key not in {"one", "zero"} or key in meaning.TENS:
            return rep, _replace(ver, v, rng.choice([w for w in NUMBER_WORDS if w not in {key, "one", "zero"}]))
        if key in meaning.MONTHS and key != "may":
            return rep, _replace(ver, v, MONTHS[(MONTHS.index(key) + 1) % 12].capitalize())
    for (r, v), (r2, v2) in zip(shared, shared[1:]):
        if v.group().casefold() in {"the", "these", "those"} and ver[v.end() : v2.start()].strip() == "":
            first, second = rng.sample(NUMBER_WORDS[2:], 2)
            return rep[: r2.start()] + first + " " + rep[r2.start() :], ver[: v2.start()] + second + " " + ver[v2.start() :]
    return None


def name(rep: str, ver: str, shared, rng, names) -> tuple[str, str] | None:
    """A whole name both print (its run of capitalised words) swapped in the version for a
    name the corpus prints elsewhere, and the reference nowhere (a word the reference prints,
    "military" for "Military", is another part of the same statement, not another person)."""
    for k, (r, v) in enumerate(shared):
        if _is_name(v, ver) and _is_name(r, rep):
            end = k
            while end + 1 < len(shared) and _is_name(shared[end + 1][1], ver) and \
                    ver[shared[end][1].end() : shared[end + 1][1].start()].strip() == "":
                end += 1
            run = ver[v.start() : shared[end][1].end()]
            printed = {w.casefold() for w in re.findall(r"[\w’'-]+", rep)}
            others = [n for n in names if n.casefold() not in printed
                      and not any(meaning._same_name(n.casefold(), w.casefold()) for w in run.split())]
            return rep, ver[: v.start()] + rng.choice(others) + ver[shared[end][1].end() :]
    return None


def modality(rep: str, ver: str, shared, rng, names) -> tuple[str, str] | None:
    for r, v in shared:
        key = v.group().casefold().replace("’", "'")
        if key in OTHER_MODAL and not (key == "may" and v.group() == "May"):
            return rep, _replace(ver, v, OTHER_MODAL[key])
        if key in {"won't", "can't"}:
            return rep, _replace(ver, v, {"won't": "can't", "can't": "won't"}[key])
    return None


def qualifier(rep: str, ver: str, shared, rng, names) -> tuple[str, str] | None:
    """A qualifier added before a noun both print after a determiner: to the version (added)
    or to the representative (the version dropped it), in turn."""
    for (r, v), (r2, v2) in zip(shared, shared[1:]):
        if (v.group().casefold() in DETERMINERS and v2.start() > v.end() and r2.start() > r.end()
                and v2.group().casefold() not in meaning.QUALIFIERS and ver[v.end() : v2.start()].strip() == ""):
            word = rng.choice(QUALIFIERS)
            if rng.random() < 0.5:
                return rep, ver[: v2.start()] + word + " " + ver[v2.start() :]
            return rep[: r2.start()] + word + " " + rep[r2.start() :], ver
    return None


PERTURB: dict[str, Callable] = {"negation": negation, "number": number, "name": name, "modality": modality,
                                "qualifier": qualifier}


def corpus_names(texts: list[str]) -> list[str]:
    """Names printed mid-sentence in the corpus, to swap one for another."""
    found = Counter(w.group() for t in texts for w in _words(t)
                    if _is_name(w, t) and len(w.group()) > 3 and not re.search(r"['’]", w.group()))
    return sorted(n for n, c in found.items() if c >= 2 and not n.isupper())


def measure(db_path: Path, *, show: bool = False, seed: int = 14) -> dict:
    found = pairs(db_path)
    rng = random.Random(seed)
    names = corpus_names([t for pair in found for t in pair])
    flagged = [(r, v, f) for r, v in found if (f := meaning.meaning_flags(r, v))]
    figures: dict = {"versions": len(found), "false_flags": len(flagged),
                     "false_flag_rate": round(len(flagged) / len(found), 3) if found else None,
                     "false_flags_by_kind": dict(Counter(f.kind for _, _, fs in flagged for f in fs))}
    if show:
        for r, v, fs in flagged:
            print(f"FLAGGED {[(f.kind, f.reference, f.version) for f in fs]}\n  rep: {r}\n  ver: {v}", file=sys.stderr)
    for kind, perturb in PERTURB.items():
        tried = hit = 0
        for rep, ver in found:
            if any(f.kind == kind for f in meaning.meaning_flags(rep, ver)):
                continue  # already differs that way: a perturbation would prove nothing
            changed = perturb(rep, ver, shared_words(rep, ver), rng, names)
            if changed is None:
                continue
            tried += 1
            kinds = {f.kind for f in meaning.meaning_flags(*changed)}
            hit += kind in kinds
            if show and kind not in kinds:
                print(f"MISSED {kind}\n  rep: {changed[0]}\n  ver: {changed[1]}", file=sys.stderr)
        figures[f"{kind}_perturbed"] = tried
        figures[f"{kind}_recall"] = round(hit / tried, 3) if tried else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing build (default: build the corpus into a temporary file)")
    parser.add_argument("--articles", type=Path, default=CORPUS)
    parser.add_argument("--show", action="store_true", help="list the false flags and missed perturbations")
    args = parser.parse_args()
    if args.db is None:
        if not args.articles.exists():
            raise SystemExit(f"{args.articles}: no such folder (the multi-outlet dev corpus is in ../shared)")
        from quotes.build import build

        args.db = Path(tempfile.mkdtemp()) / "meaning.db"
        build([args.articles], args.db)
    figures = measure(args.db, show=args.show)
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
