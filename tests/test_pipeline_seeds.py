"""The sample articles end to end, checked against the hand-made key with the key's own rules
(Dice overlap of word multisets ≥ 0.6)."""
import collections
import re

from quotes import store


def words(text):
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", (text or "").lower().replace("’", "'"))


def dice(a, b):
    ca, cb = collections.Counter(words(a)), collections.Counter(words(b))
    total = sum(ca.values()) + sum(cb.values())
    return 2 * sum((ca & cb).values()) / total if total else 0.0


def matched(gold, rows):
    pairs = []
    for source, article in gold["articles"].items():
        preds = [r for r in rows if r["source"] == source]
        used = set()
        for g in article["quotes"]:
            best = max(((dice(g["text"], p["text"]), i) for i, p in enumerate(preds) if i not in used), default=(0, None))
            if best[0] >= 0.6:
                used.add(best[1])
                pairs.append((g, preds[best[1]]))
    return pairs


def test_every_gold_quote_is_found_with_offsets(seed_db, gold):
    db = store.open_db(seed_db)
    rows = list(store.export_rows(db, ["full", "fragment"]))
    pairs = matched(gold, rows)
    n_gold = sum(len(a["quotes"]) for a in gold["articles"].values())
    assert len(pairs) == n_gold
    texts = {r["source"]: r["text"] for r in db.query("select source, text from articles")}
    for row in rows:
        assert texts[row["source"]][row["start"] : row["end"]] == row["text"]


def test_posts_are_stored_with_author_and_language(seed_db, seed_poster):
    db = store.open_db(seed_db)
    posts = list(db.query("select * from quotes where kind = 'post' order by source"))
    assert len(posts) == 3
    original = [p for p in posts if p["language"] == seed_poster["language"]]
    assert len(original) == 1 and original[0]["handle"] == seed_poster["handle"]


def norm(name):
    return " ".join(words(name)).replace("'s", "")


def test_speakers_are_canonical_names_the_key_accepts(seed_db, gold):
    db = store.open_db(seed_db)
    pairs = matched(gold, list(store.export_rows(db, ["full", "fragment"])))
    right = sum(norm(p["speaker"]) in {norm(s) for s in g["speaker"]} for g, p in pairs)
    n_gold = sum(len(a["quotes"]) for a in gold["articles"].values())
    assert right / n_gold >= 0.9


def test_every_spelling_of_one_speaker_is_one_speaker(seed_db, seed_poster):
    db = store.open_db(seed_db)
    owners = {r["alias"]: r["speaker_id"] for r in db.query("select alias, speaker_id from speaker_aliases")}
    # The poster's name as the articles print it: in full, by surname with its particle in either
    # case and without it, and by handle.
    surname, bare = seed_poster["surname"], seed_poster["bare_surname"]
    spellings = {bare, surname, surname[:1].upper() + surname[1:], seed_poster["handle"], seed_poster["name"]}
    assert surname != bare  # the key's name has a particle, so the spellings above differ
    assert len({owners[a] for a in spellings if a in owners}) == 1
    assert {bare, seed_poster["handle"]} <= set(owners)
