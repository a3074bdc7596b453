"""Benchmark data, generated into ``benchmarks/data/`` (git-ignored) from the sample articles
and, when it is there, the PolNeAR dev split beside the project.  Nothing here is committed
data: every run can regenerate it."""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "polnear-dev" / "articles"]


def real_articles() -> list[tuple[str, str]]:
    """(file name, text) of every real article available."""
    out = []
    for folder in SOURCES:
        if folder.is_dir():
            out += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    if not out:
        raise SystemExit("no articles found in " + ", ".join(map(str, SOURCES)))
    return out


def word_count(text: str) -> int:
    return len(text.split())


def corpus_folder(words: int) -> tuple[Path, list[str]]:
    """A folder of at least ``words`` words of real articles, repeated under new file names
    (a repeated article is a different article to the build: its id is its file name)."""
    articles = real_articles()
    folder = DATA / f"corpus_{words}"
    texts: list[str] = []
    total, copy = 0, 0
    while total < words:
        for name, text in articles:
            texts.append(text)
            path = folder / f"{copy:03d}_{name}"
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            total += word_count(text)
            if total >= words:
                break
        copy += 1
    return folder, texts


def real_quotes() -> list[str]:
    """The text inside every pair of quotation marks in the real articles, 4 words or more."""
    from quotes.marks import pair_marks

    found = []
    for _, text in real_articles():
        found += [text[s.start : s.end] for s in pair_marks(text) if len(text[s.start : s.end].split()) >= 4]
    return sorted(set(found))


def variant(text: str, rng: random.Random) -> str:
    """What outlets do to a quote: cut it short, swap a word, or move a clause."""
    words = text.split()
    choice = rng.random()
    if choice < 0.35 and len(words) > 6:
        start = rng.randrange(0, len(words) // 3)
        return " ".join(words[start : start + max(4, int(len(words) * rng.uniform(0.5, 0.9)))])
    if choice < 0.7:
        i = rng.randrange(len(words))
        words[i] = rng.choice(["the", "said", "will", "our", "this", "people", "country", "never"])
        return " ".join(words)
    clauses = re.split(r"(?<=,)\s+", text)
    if len(clauses) > 1:
        rng.shuffle(clauses)
        return " ".join(clauses)
    i = rng.randrange(max(1, len(words) - 1))
    words[i : i + 2] = words[i : i + 2][::-1]
    return " ".join(words)


def unrelated(vocabulary: list[str], rng: random.Random) -> str:
    """A quote nobody said twice: real words in a new order."""
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(6, 30)))


def synthetic_quotes(n: int, seed: int = 6) -> list[tuple[str, int]]:
    """``n`` quote texts, each with the id of the statement it renders.  Half the statements
    are carried by several outlets (the statement, then 1 to 11 variants of it): the real quotes
    first, then new statements of real words.  The other half are unrelated quotes, said once."""
    rng = random.Random(seed)
    base = real_quotes()
    vocabulary = sorted({w for q in base for w in q.split()})
    out: list[tuple[str, int]] = []
    statement = 0
    used = 0
    while len(out) < n:
        if rng.random() < 0.5:
            text = base[used] if used < len(base) else unrelated(vocabulary, rng)
            used += 1
            out.append((text, statement))
            out.extend((variant(text, rng), statement) for _ in range(rng.randint(1, 11)))
        else:
            out.append((unrelated(vocabulary, rng), statement))
        statement += 1
    return out[:n]
