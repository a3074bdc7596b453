"""Grouping variants of one utterance: each path on texts of our own, the guards against
chaining and near misses, and the sample articles against their key."""
import itertools

import numpy as np
import pytest

from quotes import store
from quotes.records import StoredQuote, content_id
from quotes.variants import Thresholds, candidate_pairs, group_quotes, group_row, normalise, substitutions


def quote(text, *, speaker="minister", day="2024-03-01", language="en", kind="full", article=None):
    return StoredQuote(id=content_id("test", text, article or speaker), article_id=article or f"a-{speaker}",
                       text=text, kind=kind, language=language, speaker_id=speaker, published=day,
                       outlet=article or speaker)


def group_of(groups, quotes, text):
    ids = {q.id for q in quotes if q.text == text}
    return next(g.id for g in groups if ids & set(g.quote_ids))


def same(groups, quotes, a, b):
    return group_of(groups, quotes, a) == group_of(groups, quotes, b)


def embed(encoder, quotes):
    return encoder.encode([q.text for q in quotes])


def test_normalise_folds_case_punctuation_marks_and_contractions():
    assert normalise("“Don’t build,” he said!") == normalise('"do not build" HE SAID')
    assert normalise("We won't go") == "we will not go"


def test_every_quote_is_in_exactly_one_group_and_a_loner_is_a_group_of_one():
    quotes = [quote("The harbour will reopen on Monday."), quote("Fish prices are at a record high today.")]
    groups = group_quotes(quotes)
    assert sorted(qid for g in groups for qid in g.quote_ids) == sorted(q.id for q in quotes)
    assert all(len(g.quote_ids) == 1 for g in groups)


def test_exact_after_normalisation():
    quotes = [quote("We don’t negotiate with kidnappers."), quote('"WE DO NOT NEGOTIATE WITH KIDNAPPERS"', speaker="paper")]
    groups = group_quotes(quotes)
    assert len(groups) == 1


def test_fragment_joins_the_statement_that_contains_it():
    long = "Whatever happens tonight, the old bridge will stand and the city will endure the storm."
    quotes = [quote(long), quote("the city will endure", kind="fragment", article="paper"),
              quote("Whatever happens tonight, the old bridge will stand", article="other")]
    groups = group_quotes(quotes)
    assert len(groups) == 1


def test_a_few_words_credited_to_nobody_need_the_same_article_or_days_to_attach():
    long = "Some people will tell you that the new harbour is a waste of public money"
    def fragment(day):
        return quote("some people", kind="fragment", speaker=None, day=day, article="paper")
    undated = [quote(long, day=None), fragment(None)]
    assert len(group_quotes(undated)) == 2
    same_day = [quote(long), fragment("2024-03-01")]
    assert len(group_quotes(same_day)) == 1
    months_apart = [quote(long), fragment("2024-09-01")]
    assert len(group_quotes(months_apart)) == 2


def test_a_few_words_attach_through_their_own_articles_quote_in_the_group():
    # Outlet B quotes the army's whole statement; outlet A quotes part of it and, on its own,
    # two words of it: those share no context with B's quote, but A's other quote is in B's group.
    long = "The pilot is unhurt and in high spirits and our crews are clearing every runway by noon"
    quotes = [quote(long, speaker="army", day=None, article="b"),
              quote("our crews are clearing every runway by noon", speaker="military", day=None, article="a"),
              quote("high spirits", kind="fragment", speaker="military", day=None, article="a")]
    assert len(group_quotes(quotes)) == 1
    alone = [quotes[0], quotes[2]]  # without A's other quote nothing ties the two words to B's
    assert len(group_quotes(alone)) == 2


def test_one_word_joins_the_statement_its_article_quotes_in_full_from_the_same_speaker():
    long = "We found the leak in the old pipe and we repaired it before dawn."
    quotes = [quote(long, article="paper"), quote("repaired", kind="fragment", article="paper"),
              quote("Repaired", kind="fragment", speaker="engineer", article="paper")]
    groups = group_quotes(quotes)
    assert len(group_of_all(groups, quotes[:2])) == 1
    # The word credited to another speaker is not a piece of the statement.
    assert len(group_of_all(groups, quotes)) == 2


def test_one_word_joins_its_speakers_statement_quoted_in_full_by_another_outlet():
    long = "All who stood with him are now the avengers of his memory, and they will not rest."
    quotes = [quote(long, article="paper"), quote("avengers", kind="fragment", article="other", day="2024-03-02"),
              quote("avengers", kind="fragment", article="late", day="2024-09-02")]
    groups = group_quotes(quotes)
    assert same(groups, quotes, long, "avengers")
    # Months later the same word is another utterance.
    assert len(group_of_all(groups, quotes)) == 2


def test_one_word_found_in_two_of_its_speakers_statements_stays_alone():
    quotes = [quote("The new dam will hold back the spring floods for decades.", article="paper"),
              quote("The spring floods destroyed three bridges upstream last year.", article="paper"),
              quote("floods", kind="fragment", article="paper")]
    assert len(group_quotes(quotes)) == 3


def group_of_all(groups, quotes):
    ids = {q.id for q in quotes}
    return {g.id for g in groups if ids & set(g.quote_ids)}


def test_the_same_few_words_months_apart_are_two_utterances():
    quotes = [quote("fake figures", kind="fragment", day="2024-03-01", article="march"),
              quote("fake figures", kind="fragment", day="2024-09-01", article="september"),
              quote("fake figures", kind="fragment", speaker=None, day="2024-06-01", article="june"),
              quote("fake figures", kind="fragment", day="2024-03-02", article="next-day")]
    groups = group_quotes(quotes)
    assert len(groups) == 3
    assert len(group_of_all(groups, [quotes[0], quotes[3]])) == 1


def test_a_word_two_speakers_both_said_makes_one_group_for_each():
    quotes = [quote("unacceptable", kind="fragment", speaker=speaker, article=f"{speaker}-{n}")
              for n in range(3) for speaker in ("minister", "mayor")]
    groups = group_quotes(quotes)
    assert sorted(len(g.quote_ids) for g in groups) == [3, 3]


def test_fuzzy_fragment_with_an_ellipsis_joins():
    quotes = [quote("the courage and patience of our nurses and doctors in every hospital"),
              quote("courage... of our nurses and doctors", kind="fragment", article="paper")]
    assert len(group_quotes(quotes)) == 1


def test_light_rewording_joins_across_speakers():
    # Speaker is evidence, not a wall: two outlets credit the words to different people.
    quotes = [quote("Empty promises don't feed families and they don't feed a village", speaker="army"),
              quote("Empty promises do not feed families and do not feed a village", speaker="spokesman")]
    assert len(group_quotes(quotes)) == 1


def test_independent_translations_join_through_their_original(encoder):
    quotes = [
        quote("سنعيد بناء الجسر قبل الشتاء، ولن نتخلى عن أهل المدينة.", language="ar", kind="post"),
        quote("The bridge will be reconstructed ahead of winter", article="paper"),
        quote("We shall not desert the inhabitants of the town", article="other"),
        quote("Bread prices rose sharply in the capital this week", article="x"),
    ]
    groups = group_quotes(quotes, embed(encoder, quotes), windows=_windows(encoder, quotes))
    translations = [g for g in groups if len(g.quote_ids) > 1]
    assert len(translations) == 1 and len(translations[0].quote_ids) == 3
    assert translations[0].original_id == quotes[0].id
    assert same(groups, quotes, quotes[1].text, quotes[2].text)  # no shared word sequence at all
    assert not same(groups, quotes, quotes[1].text, quotes[3].text)


def _windows(encoder, quotes):
    from quotes.embeddings import window_vectors

    return window_vectors({q.id: q.text for q in quotes if q.language != "en"}, encoder)


def test_without_vectors_translations_stay_apart_but_lexical_paths_work():
    quotes = [quote("سنعيد بناء الجسر قبل الشتاء", language="ar"), quote("We will rebuild the bridge before winter"),
              quote("we will rebuild the bridge", kind="fragment", article="paper")]
    groups = group_quotes(quotes)
    assert len(groups) == 2 and same(groups, quotes, quotes[1].text, quotes[2].text)


def test_near_miss_sharing_a_stock_phrase_stays_apart(encoder):
    # Same speaker, same day, same topic, a shared stock phrase: two different statements.
    quotes = [quote("Our security forces arrested three suspects near the border on Friday"),
              quote("We call on the security forces to protect peaceful protesters near the parliament", article="paper")]
    groups = group_quotes(quotes, embed(encoder, quotes))
    assert len(groups) == 2


def test_partial_overlap_joins_only_when_the_sentence_vectors_agree(encoder):
    # Half the words carried: a rewording of one statement (vectors agree) ...
    reworded = [quote("The council is making all urgent repairs following the flood in the market"),
                quote("The council is making the urgent repairs in response to this terrible flood", article="paper")]
    assert len(group_quotes(reworded, embed(encoder, reworded))) == 1
    # ... and without vectors the same pair stays apart.
    assert len(group_quotes(reworded)) == 2


def test_a_version_that_negates_the_statement_is_still_a_version_of_it(encoder):
    # A misquote is what a reader comes to the group page to find: it is flagged, not set apart.
    quotes = [quote("The minister will resign at the end of this week"),
              quote("The minister will not resign at the end of this week", article="paper")]
    assert len(group_quotes(quotes, embed(encoder, quotes))) == 1


def test_a_stock_phrase_fragment_does_not_chain_two_statements():
    first = "The fire brigade is working through the night after the blaze at the airport"
    second = "Nobody doubts that the fire brigade is loyal to the town and to its people"
    quotes = [quote(first), quote(second, speaker="other"), quote("fire brigade", kind="fragment", speaker="x")]
    groups = group_quotes(quotes)
    assert len(groups) == 3


def test_a_stock_line_repeated_in_two_speeches_does_not_join_them():
    line = "We will never allow anyone to threaten the security of our people"
    speech_a = line + ", and that is why the elections will be held on time in every province of the country"
    speech_b = "The floods have destroyed thousands of homes in the south this week. " + line
    quotes = [quote(speech_a, day="2024-03-01"), quote(speech_b, day="2024-05-20", article="paper"),
              quote(line, day="2024-05-20", article="other")]
    groups = group_quotes(quotes)
    assert not same(groups, quotes, speech_a, speech_b)
    assert same(groups, quotes, line, speech_b)  # same day as the second speech


def test_an_ambiguous_fragment_goes_to_its_own_speakers_statement():
    first = "We will defend the harbour against every threat from the sea"
    second = "They said they will defend the harbour, but nobody believes them anymore"
    quotes = [quote(first, speaker="army"), quote(second, speaker="other"),
              quote("defend the harbour", kind="fragment", speaker="army", article="paper")]
    groups = group_quotes(quotes)
    assert len(groups) == 2 and same(groups, quotes, first, "defend the harbour")


def listed(blocks) -> list[tuple[int, int, int]]:
    """The ``(i, j, shared)`` triples of :func:`candidate_pairs`'s blocks of arrays, in order."""
    return [triple for block in blocks for triple in zip(*(column.tolist() for column in block))]


def test_stock_phrases_are_not_candidates():
    tokens = [["the", "security", "forces", f"w{i}"] for i in range(60)] + [["rare", "pair"], ["rare", "pair", "here"]]
    pairs = {(i, j) for i, j, _ in listed(candidate_pairs(tokens, max_postings=50))}
    assert pairs == {(60, 61)}


def test_candidate_pairs_come_once_in_order_with_the_word_pairs_they_share():
    tokens = [["a", "b", "c", "d"], ["x", "a", "b", "c"], ["a", "b", "q"], ["z", "z"], ["c", "d", "a", "b"]]
    assert listed(candidate_pairs(tokens)) == [(0, 1, 2), (0, 2, 1), (0, 4, 2), (1, 2, 1), (1, 4, 1), (2, 4, 1)]


def test_translated_speech_joins_the_speakers_clearly_nearest_statement(encoder):
    # The speaker is quoted in Arabic elsewhere, so their English quotes are translations: two
    # renderings of one remark share few words, and join because nothing else is close.
    quotes = [
        quote("لن نسمح لأحد بالعبث بأمن البلاد", language="ar", kind="post"),
        quote("Our boat came home safely and the whole crew is well", article="paper"),
        quote("The crew are all fine and our vessel has returned unharmed", article="other"),
        quote("The budget for next year will be presented to parliament in June", article="x"),
    ]
    groups = group_quotes(quotes, embed(encoder, quotes), windows=_windows(encoder, quotes))
    assert same(groups, quotes, quotes[1].text, quotes[2].text)
    assert not same(groups, quotes, quotes[1].text, quotes[3].text)
    # The same two renderings from a speaker never quoted in another language stay apart.
    english_only = quotes[1:]
    groups = group_quotes(english_only, embed(encoder, english_only))
    assert len(groups) == 3


def test_representative_counts_agreement_and_original():
    quotes = [quote("the ferries of autumn will not weaken our resolve to rebuild the harbour", article="paper"),
              quote("the boats of autumn will not weaken our resolve", article="other"),
              quote("يا", language="ar", kind="post")]
    groups = group_quotes(quotes[:2])
    assert len(groups) == 1
    group = groups[0]
    by_id = {q.id: q for q in quotes}
    assert group.representative_id == quotes[0].id
    row = group_row(group, by_id)
    assert row["variants"] == 2 and row["outlets"] == 2
    assert row["agreement"] == group.agreement[quotes[1].id] == 0.889
    assert substitutions(groups, by_id) == [{"wording_a": "boats", "wording_b": "ferries", "groups": 1,
                                              "variants": 1, "example_group_id": group.id}]


def test_vectors_must_match_the_quotes():
    with pytest.raises(ValueError, match="2 rows for 1 quotes"):
        group_quotes([quote("one quote here")], np.zeros((2, 512), dtype=np.float32))


def test_thresholds_are_settings():
    quotes = [quote("we will rebuild the old bridge before the winter"), quote("we will rebuild the old bridge", article="p")]
    assert len(group_quotes(quotes)) == 1
    assert len(group_quotes(quotes, thresholds=Thresholds(contained=1.01, fragment_words=3))) == 2


# The sample articles, against the key's groups (pairs of matched gold quotes, as score.py counts).

def test_sample_group_pair_f1_and_the_arabic_post_in_its_statements_group(seed_db, gold, seed_statement):
    from tests.test_pipeline_seeds import matched

    db = store.open_db(seed_db)
    rows = list(store.export_rows(db, ["full", "fragment"]))
    pairs = matched(gold, rows)
    both = gold_pairs = predicted = 0
    for (g1, p1), (g2, p2) in itertools.combinations(pairs, 2):
        same_gold, same_pred = g1["group"] == g2["group"], p1["group"] == p2["group"]
        gold_pairs += same_gold
        predicted += same_pred
        both += same_gold and same_pred
    precision, recall = both / predicted, both / gold_pairs
    assert 2 * precision * recall / (precision + recall) >= 0.95
    arabic = next(db.query("select group_id, is_original from quotes where language = 'ar'"))
    # the key's group that holds the original post: every matched quote of it is in the post's group
    statement = {p["group"] for g, p in pairs if g["group"] == seed_statement["group"]}
    assert statement == {arabic["group_id"]} and arabic["is_original"] == 1


def test_vectors_are_stored_once_and_only_missing_ones_computed(seed_db, encoder):
    from quotes.build import refresh
    from quotes.embeddings import MODEL

    db = store.open_db(seed_db)
    assert store.missing_vectors(db, MODEL) == []
    embedded = []

    class Counting:
        def encode(self, texts):
            embedded.extend(texts)
            return encoder.encode(texts)

    before = {r["id"]: r["group_id"] for r in db.query("select id, group_id from quotes")}
    with store.write_transaction(db):
        refresh(db, encoder=Counting())
    assert {r["id"]: r["group_id"] for r in db.query("select id, group_id from quotes")} == before
    # Only the original-language post is embedded again, clause window by clause window.
    assert embedded and all(not text.isascii() for text in embedded)


def test_embed_missing_computes_only_the_missing_vectors_in_chunks(seed_db, encoder, tmp_path):
    import shutil

    from quotes.build import embed_missing
    from quotes.embeddings import MODEL

    path = tmp_path / "copy.db"
    shutil.copy(seed_db, path)
    db = store.open_db(path)
    dropped = [r["quote_id"] for r in db.query("select quote_id from quote_vectors order by quote_id limit 5")]
    db.execute("delete from quote_vectors where quote_id in (%s)" % ",".join("?" * len(dropped)), dropped)
    calls = []

    class Counting:
        def encode(self, texts):
            calls.append(len(texts))
            return encoder.encode(texts)

    assert embed_missing(db, Counting(), chunk=2) == 5
    assert calls == [2, 2, 1]
    assert store.missing_vectors(db, MODEL) == []
    assert embed_missing(db, Counting()) == 0 and calls == [2, 2, 1]


@pytest.fixture(scope="module")
def wide_encoder():
    from quotes.embeddings import WideEncoder

    return WideEncoder()


def _persian_quotes():
    import json
    from pathlib import Path

    pairs = json.loads((Path(__file__).parent / "data" / "persian_pairs.json").read_text(encoding="utf-8"))
    quotes, renders = [], {}
    for k, original in enumerate(pairs["originals"]):
        quotes.append(quote(original["text"], language="fa", kind="post", speaker=f"s{k}", article=f"o{k}"))
        for n, text in enumerate(original["renderings"]):
            quotes.append(quote(text, speaker=f"s{k}", article=f"r{k}-{n}"))
            renders[text] = original["text"]
    quotes += [quote(text, speaker="reporter", article=f"u{n}") for n, text in enumerate(pairs["unrelated"])]
    return quotes, renders


def test_persian_originals_join_their_english_renderings_through_the_wide_encoder(wide_encoder):
    from quotes.embeddings import window_vectors
    from quotes.variants import pivot_blocks

    quotes, renders = _persian_quotes()
    blocks = pivot_blocks(quotes, wide=True)
    assert len(blocks) == 3
    candidates = {quotes[e].id: quotes[e].text for block in blocks.values() for e in block}
    vectors = dict(zip(candidates, wide_encoder.encode(list(candidates.values()))))
    windows = window_vectors({quotes[o].id: quotes[o].text for o in blocks}, wide_encoder)
    groups = group_quotes(quotes, wide=(windows, vectors))
    for text, original in renders.items():
        assert same(groups, quotes, text, original)
    originals = set(renders.values())
    for q in quotes:
        if q.text not in renders and q.text not in originals:
            assert not any(same(groups, quotes, q.text, o) for o in originals)


def test_without_the_wide_encoder_a_persian_original_stays_alone():
    quotes, renders = _persian_quotes()
    groups = group_quotes(quotes)
    assert not any(same(groups, quotes, text, original) for text, original in renders.items())


def test_each_version_keeps_the_evidence_that_joined_it():
    long = "Whatever happens tonight, the old bridge will stand and the city will endure the storm."
    quotes = [quote(long), quote(long, article="paper"), quote("the city will endure", kind="fragment", article="other")]
    group, = group_quotes(quotes)
    reasons = sorted(group.joined_by.values())
    assert len(reasons) == 2 and "the same words" in reasons and "4 words in order" in reasons


def test_a_wording_printed_by_many_variants_counts_each_of_them():
    statement = quote("the ferries reached the northern pier at dawn today and again tonight", article="wire")
    reprints = [quote("the boats reached the northern pier at dawn today", article=f"paper{i}") for i in range(3)]
    quotes = [statement, *reprints]
    groups = group_quotes(quotes)
    assert len(groups) == 1 and groups[0].representative_id == statement.id
    by_id = {q.id: q for q in quotes}
    assert {groups[0].agreement[q.id] for q in reprints} == {0.889}  # 8 of the 9 words it renders
    assert group_row(groups[0], by_id)["variants"] == 4
    assert substitutions(groups, by_id) == [{"wording_a": "boats", "wording_b": "ferries", "groups": 1,
                                             "variants": 3, "example_group_id": groups[0].id}]


def test_embed_missing_embeds_each_wording_once(encoder, tmp_path):
    from quotes.build import embed_missing
    from quotes.embeddings import MODEL
    from quotes.records import Article, Quote

    db = store.open_db(tmp_path / "reprints.db")
    store.ensure_db_shape(db)
    line = "We will open every shelter tonight"
    for i in range(3):
        text = f"\u201c{line},\u201d the mayor said. \u201cStay home.\u201d"
        store.save_article(db, Article(source=f"{i}.txt", text=text),
                           [Quote(text=line, start=1, end=1 + len(line)), Quote(text="Stay home.", start=len(text) - 11, end=len(text) - 1)])
    embedded = []

    class Counting:
        def encode(self, texts):
            embedded.extend(texts)
            return encoder.encode(texts)

    assert embed_missing(db, Counting()) == 6
    assert sorted(embedded) == sorted([line, "Stay home."])
    assert store.missing_vectors(db, MODEL) == []
    vectors = store.load_vectors(db, MODEL)
    assert len(vectors) == 6 and len({v.tobytes() for v in vectors.values()}) == 2


def test_among_equally_full_versions_the_representative_is_credited_to_the_speaker_most_versions_credit():
    text = "We will rebuild every bridge the flood took before the first snow falls"
    quotes = [quote(text, speaker="mayor", article=f"a{n}") for n in range(3)] + [quote(text, speaker="radio", article="z")]
    group, = group_quotes(quotes)
    assert {q.id: q.speaker_id for q in quotes}[group.representative_id] == "mayor"


def test_pieces_of_one_utterance_join_when_their_speaker_is_one():
    def piece(text, speaker, sentence):
        q = quote(text, speaker=speaker, kind="fragment", article="paper")
        q.sentence = sentence
        return q
    quotes = [piece("reckless drivers", "mayor", 10), piece("quiet streets", "mayor", 10),
              piece("our children loved", "mayor", 10), piece("patience and calm", "mayor", 90),
              piece("new speed bumps", "council", 10)]
    groups = group_quotes(quotes)
    assert same(groups, quotes, "reckless drivers", "quiet streets")
    assert same(groups, quotes, "reckless drivers", "our children loved")
    assert not same(groups, quotes, "reckless drivers", "patience and calm")  # another sentence
    assert not same(groups, quotes, "reckless drivers", "new speed bumps")  # another speaker
    joined = next(g for g in groups if len(g.quote_ids) == 3)
    assert "one sentence" in " ".join(joined.joined_by.values())
