import sqlite3

import pytest
import sqlite_utils

from quotes import store
from quotes.records import Article, Quote


def article(text: str = 'She said: "All is well here." Then she left.', source: str = "a.txt") -> Article:
    return Article(source=source, text=text, encoding="utf_8")


def quote(text: str, art: Article) -> Quote:
    start = art.text.index(text)
    return Quote(text=text, start=start, end=start + len(text), speaker_name="She")


@pytest.fixture
def db(tmp_path):
    db = store.open_db(tmp_path / "sub" / "q.db")
    store.ensure_db_shape(db)
    return db


def test_open_db_creates_folders_and_does_not_begin_transactions(db, tmp_path):
    assert (tmp_path / "sub" / "q.db").exists()
    assert not db.conn.in_transaction


def test_ensure_db_shape_is_idempotent(db):
    schema = list(db.query("select type, name, sql from sqlite_master order by name"))
    store.ensure_db_shape(db)
    assert list(db.query("select type, name, sql from sqlite_master order by name")) == schema
    assert {"articles", "quotes", "speakers", "quote_groups", "quotes_fts"} <= set(db.table_names())


def test_ensure_db_shape_adds_columns_an_older_database_lacks(tmp_path):
    old = sqlite_utils.Database(tmp_path / "old.db")
    old["articles"].create({"id": str, "source": str, "text": str}, pk="id")
    old["articles"].insert({"id": "x", "source": "x.txt", "text": "kept"})
    old.close()
    db = store.open_db(tmp_path / "old.db")
    store.ensure_db_shape(db)
    assert "encoding" in db["articles"].columns_dict and "content_hash" in db["articles"].columns_dict
    assert db["articles"].get("x")["text"] == "kept"


def test_save_article_replaces_the_rows_of_an_earlier_version(db):
    first = article()
    store.save_article(db, first, [quote("All is well here.", first)])
    second = article('She said: "Nothing is well." Later: "We go on."')
    store.save_article(db, second, [quote("Nothing is well.", second), quote("We go on.", second)])
    assert db["articles"].count == 1
    assert [r["text"] for r in db.query("select text from quotes order by start")] == ["Nothing is well.", "We go on."]
    assert db["articles"].get(second.id)["encoding"] == "utf_8"
    assert store.stored_hash(db, second) == second.content_hash


def test_write_transaction_rolls_back_everything_on_error(db):
    art = article()
    with pytest.raises(RuntimeError):
        with store.write_transaction(db):
            store.save_article(db, art, [quote("All is well here.", art)])
            raise RuntimeError("boom")
    assert db["articles"].count == 0 and db["quotes"].count == 0
    assert not db.conn.in_transaction


def test_nested_writers_are_one_transaction(db, tmp_path):
    art = article()
    other = sqlite3.connect(tmp_path / "sub" / "q.db", timeout=0)
    with store.write_transaction(db):
        store.save_article(db, art, [quote("All is well here.", art)])
        assert db.conn.in_transaction, "the inner writer did not commit the outer transaction"
        assert other.execute("select count(*) from quotes").fetchone()[0] == 0, "a reader saw half of it"
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("begin immediate")
    assert other.execute("select count(*) from quotes").fetchone()[0] == 1


def test_save_speakers_and_groups_replace_whole_tables(db):
    from quotes.records import Group, Speaker

    art = article()
    store.save_article(db, art, [quote("All is well here.", art)])
    qid = quote("All is well here.", art).id(art.id)
    for _ in range(2):
        she = Speaker(name="Jane Rook", aliases={"She", "Jane Rook"})
        store.save_speakers(db, [she], {qid: she.id})
        group = Group(quote_ids=[qid], representative_id=qid, agreement={qid: 1.0})
        store.save_groups(db, [group], {group.id: {"representative": "All is well here.", "variants": 1}})
    assert db["speakers"].count == 1 and db["speaker_aliases"].count == 2 and db["quote_groups"].count == 1
    row = db["quotes"].get(qid)
    assert (row["speaker"], row["group_id"]) == ("Jane Rook", group.id)


def test_speakers_and_groups_written_again_write_only_what_changed(db):
    from quotes.records import Group, Speaker

    art = article('She said: "All is well here." He said: "Nothing is well." Then they left.')
    store.save_article(db, art, [quote("All is well here.", art), quote("Nothing is well.", art)])
    first, second = (quote(t, art).id(art.id) for t in ("All is well here.", "Nothing is well."))
    she, he = Speaker(name="Jane Rook", aliases={"She"}), Speaker(name="John Rook", aliases={"He"})
    groups = [Group(quote_ids=[q], representative_id=q, agreement={q: 1.0}) for q in (first, second)]

    def save(assignment):
        before = db.conn.total_changes
        store.save_speakers(db, [she, he], assignment)
        store.save_groups(db, groups, {g.id: {"representative": "x", "variants": 1} for g in groups})
        return db.conn.total_changes - before

    assert save({first: she.id, second: he.id}) > 0
    assert save({first: she.id, second: he.id}) == 0, "nothing changed, yet rows were written"
    # One quote changes speaker: only its row is written.
    db.execute("create temp table written (id text)")
    db.execute("create temp trigger note_write after update on quotes begin insert into written values (new.id); end")
    save({first: she.id, second: she.id})
    assert [r[0] for r in db.execute("select id from written")] == [second]
    assert [r["speaker"] for r in db.query("select speaker from quotes order by start")] == ["Jane Rook", "Jane Rook"]
    search = "select count(*) from quotes_fts where quotes_fts match 'Jane'"
    assert db.execute(search).fetchone()[0] == 2


def test_writing_a_group_leaves_the_search_index_alone(db):
    art = article()
    store.save_article(db, art, [quote("All is well here.", art)])
    before = db.execute("select count(*) from quotes_fts_data").fetchone()[0]
    db.execute("update quotes set group_id = 'g', agreement = 1.0")
    assert db.execute("select count(*) from quotes_fts_data").fetchone()[0] == before
    db.execute("update quotes set speaker = 'Ana Vidal'")
    assert db.execute("select count(*) from quotes_fts where quotes_fts match 'Vidal'").fetchone()[0] == 1


def test_an_older_databases_search_index_is_rebuilt_with_stemming_once(tmp_path):
    old = sqlite_utils.Database(tmp_path / "old.db")
    old["quotes"].create({"id": str, "text": str, "speaker": str, "speaker_mention": str}, pk="id")
    old["quotes"].insert({"id": "q", "text": "The floods reached the mill.", "speaker": "Ana Vidal", "speaker_mention": "she"})
    old["quotes"].enable_fts(["text", "speaker", "speaker_mention"], create_triggers=True, tokenize="unicode61")
    old.close()
    db = store.open_db(tmp_path / "old.db")
    store.ensure_db_shape(db)
    assert "porter" in db["quotes_fts"].schema
    assert [r["rowid"] for r in db.query("select rowid from quotes_fts where quotes_fts match 'flood'")] == [1]
    schema = list(db.query("select name, sql from sqlite_master order by name"))
    store.ensure_db_shape(db)
    assert list(db.query("select name, sql from sqlite_master order by name")) == schema


def test_the_corpus_description_keeps_what_a_later_build_does_not_give(db):
    store.save_corpus_description(db, {"title": "Mill town news", "source": "County papers"})
    store.save_corpus_description(db, {"source": "County and city papers", "description": ""})
    assert store.corpus_description(db) == {"title": "Mill town news", "source": "County and city papers"}
    with pytest.raises(ValueError, match="unknown corpus field"):
        store.save_corpus_description(db, {"licence": "x"})


def test_a_group_is_found_by_a_unique_beginning_of_its_id(db):
    db["quote_groups"].insert_all([{"id": "ab12"}, {"id": "ab34"}, {"id": "cd56"}], pk="id")
    assert store.group_ids_starting(db, "cd") == ["cd56"]
    assert store.group_ids_starting(db, "ab") == ["ab12", "ab34"]
    assert store.group_ids_starting(db, "ab3") == ["ab34"] and store.group_ids_starting(db, "x") == []
    assert store.group_ids_starting(db, "%") == []


def test_vector_matrix_has_a_row_per_quote_in_the_order_asked_and_zeros_for_a_missing_one(db):
    import numpy as np

    store.save_vectors(db, "m", [("a", np.ones(3, dtype=np.float32)), ("b", np.full(3, 2, dtype=np.float32))])
    matrix = store.vector_matrix(db, "m", ["b", "c", "a"], 3)
    assert matrix.tolist() == [[2, 2, 2], [0, 0, 0], [1, 1, 1]]
