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


def test_posts_are_stored_with_author_and_language(seed_db):
    db = store.open_db(seed_db)
    posts = list(db.query("select * from quotes where kind = 'post' order by source"))
    assert len(posts) == 3
    arabic = [p for p in posts if p["language"] == "ar"]
    assert len(arabic) == 1 and arabic[0]["handle"] == "@MAKadhimi"


def norm(name):
    return " ".join(words(name)).replace("'s", "")


def test_speakers_are_canonical_names_the_key_accepts(seed_db, gold):
    db = store.open_db(seed_db)
    pairs = matched(gold, list(store.export_rows(db, ["full", "fragment"])))
    right = sum(norm(p["speaker"]) in {norm(s) for s in g["speaker"]} for g, p in pairs)
    n_gold = sum(len(a["quotes"]) for a in gold["articles"].values())
    assert right / n_gold >= 0.9


def test_every_spelling_of_one_speaker_is_one_speaker(seed_db):
    db = store.open_db(seed_db)
    owners = {r["alias"]: r["speaker_id"] for r in db.query("select alias, speaker_id from speaker_aliases")}
    kadhimi = {owners[a] for a in ("Kadhimi", "al-Kadhimi", "Al-Kadhimi", "@MAKadhimi", "Mustafa al-Kadhimi") if a in owners}
    assert len(kadhimi) == 1
    assert {"Kadhimi", "@MAKadhimi"} <= set(owners)
