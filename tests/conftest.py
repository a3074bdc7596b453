import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples every run, so main stays green on a given commit; a developer's
# run explores new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).parent / "data" / "seeds.json"


@pytest.fixture(scope="session")
def nlp():
    from quotes.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def encoder():
    """One sentence encoder for every test that embeds (loading its weights takes seconds)."""
    from quotes.embeddings import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def gold():
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory, nlp):
    """The sample articles built once, with the real English pipeline."""
    from quotes.build import build

    path = tmp_path_factory.mktemp("seeds") / "quotes.db"
    build([SEEDS], path, nlp=nlp)
    return path


@pytest.fixture(scope="session")
def seed_poster(gold):
    """Who posted the sample articles' one original-language post, read from the key so that no
    test writes a name of the sample articles down: the name the key prefers, the handle, the
    surname with its particle ("al-X") and without it ("X"), the post's text and language."""
    [post] = [p for a in gold["articles"].values() for p in a.get("posts", []) if p["language"] != "en"]
    name = post["speaker"][0]
    surname = name.split()[-1]
    return {"name": name, "handle": post["handle"], "surname": surname, "bare_surname": surname.split("-")[-1],
            "text": post["text"], "language": post["language"]}


def shown(text: str) -> str:
    """Text with its runs of white space made one space, as a page shows it."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def seed_statement(gold):
    """The sample articles' statement that has an original-language post, read from the key so that
    no test copies its wording: the key's group name, its English quotes' texts (in the key's
    order of articles), the first whole quote of it and its file, the post's text, the one-word
    swaps two of its English texts make (aligned word by word, both ways round), and a search
    word: the longest word that at least two of its English texts print."""
    import itertools
    import re

    from quotes.alignment import align

    [post] = [p for a in gold["articles"].values() for p in a.get("posts", []) if p.get("original")]
    quotes = [(source, q) for source, a in sorted(gold["articles"].items()) for q in a["quotes"]
              if q["group"] == post["group"]]
    texts = [q["text"] for _, q in quotes]
    source, first = next((s, q) for s, q in quotes if q["kind"] == "full")
    swaps = {(s.representative, s.variant) for a, b in itertools.permutations(texts, 2) for s in align(a, b)
             if s.op == "substitute" and " " not in s.representative + s.variant}
    printed = [set(re.findall(r"[^\W\d_]+", t.casefold())) for t in texts]
    shared = {w for w in set().union(*printed) if sum(w in p for p in printed) >= 2}
    search = max(sorted(shared), key=len)
    return {"group": post["group"], "texts": texts, "quote": first["text"], "source": source,
            "original": post["text"], "swaps": swaps, "search": search}
