"""The SQLite database: its shape, and every write to it, through sqlite-utils.

Only this module knows SQL.  ``ensure_db_shape`` is idempotent and runs at the start and end of
every command that writes; each article is saved in one transaction with all of its quotes, so a
build killed at any moment leaves every article either whole or absent.

Every write goes through :func:`write_transaction`: ``BEGIN IMMEDIATE`` takes the write lock
before anything is read, so two builds on one database queue up instead of one of them failing
with "database is locked" when it tries to upgrade a read; nested use is a savepoint, so a
caller can make several writers one transaction (readers then never see half of it).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import sqlite_utils

from .records import Article, Group, Quote, Speaker, StoredQuote

TABLES: dict[str, dict] = {
    "articles": {
        "columns": {"id": str, "source": str, "outlet": str, "published": str, "title": str, "url": str,
                    "language": str, "text": str, "content_hash": str, "encoding": str},
        "pk": "id",
        "foreign_keys": [],
    },
    "speakers": {
        "columns": {"id": str, "name": str, "kind": str, "quote_count": int},
        "pk": "id",
        "foreign_keys": [],
    },
    "speaker_aliases": {
        "columns": {"alias": str, "speaker_id": str},
        "pk": ("alias", "speaker_id"),
        "foreign_keys": [("speaker_id", "speakers", "id")],
    },
    "quote_groups": {
        "columns": {"id": str, "representative": str, "representative_quote_id": str, "original": str,
                    "original_language": str, "speaker_id": str, "variants": int, "outlets": int,
                    "agreement": float, "first_published": str},
        "pk": "id",
        "foreign_keys": [("speaker_id", "speakers", "id")],
    },
    "quotes": {
        "columns": {"id": str, "article_id": str, "source": str, "text": str, "start": int, "end": int,
                    "speaker_id": str, "speaker": str, "speaker_mention": str, "speaker_start": int,
                    "speaker_end": int, "speaker_name": str, "speaker_kind": str, "cue": str, "kind": str,
                    "language": str, "group_id": str, "is_original": int, "agreement": float, "grouped_by": str,
                    "handle": str, "outlet": str, "published": str, "attributed_by": str},
        "pk": "id",
        "foreign_keys": [("article_id", "articles", "id"), ("speaker_id", "speakers", "id"),
                         ("group_id", "quote_groups", "id")],
    },
    "quote_vectors": {
        "columns": {"quote_id": str, "model": str, "vector": bytes},
        "pk": "quote_id",
        "foreign_keys": [("quote_id", "quotes", "id")],
    },
    # Vectors of the slower, wider encoder (embeddings.WideEncoder), kept only for the English
    # quotes compared with an original in a language the fast encoder lacks.
    "wide_vectors": {
        "columns": {"quote_id": str, "model": str, "vector": bytes},
        "pk": "quote_id",
        "foreign_keys": [("quote_id", "quotes", "id")],
    },
    "substitutions": {
        "columns": {"wording_a": str, "wording_b": str, "groups": int, "variants": int, "example_group_id": str},
        "pk": ("wording_a", "wording_b"),
        "foreign_keys": [("example_group_id", "quote_groups", "id")],
    },
    # Differences of a version from its group's reference version (the representative, or the
    # wording most outlets printed) that change what the speaker is reported to have said
    # (quotes.meaning): one row per version and kind.
    "meaning_flags": {
        "columns": {"quote_id": str, "group_id": str, "kind": str, "reference_quote_id": str, "reference": str,
                    "version": str},
        "pk": ("quote_id", "kind"),
        "foreign_keys": [("quote_id", "quotes", "id"), ("group_id", "quote_groups", "id"),
                         ("reference_quote_id", "quotes", "id")],
    },
    # How many rows hold each value of the FACET_COLUMNS, the null value included; "value" has
    # no type affinity (bytes = BLOB), so numbers stay numbers.
    "facet_counts": {
        "columns": {"table_name": str, "column_name": str, "value": bytes, "count": int},
        "pk": None,
        "foreign_keys": [],
    },
}
INDEXES = {
    "quotes": [["published"], ["kind"], ["language"], ["outlet"]],
    "speaker_aliases": [["alias"]],
    "articles": [["source"]],
    "facet_counts": [["table_name", "column_name", "count"]],
}
# The facets metadata.yml shows on every page of these tables: on a million quotes Datasette takes
# 40-75 ms to count each one, so the build counts them once (save_facet_counts) and the plugin
# reads the counts for a page with no filter.
FACET_COLUMNS = {
    "quotes": ["speaker_id", "outlet", "kind", "language", "published"],
    "articles": ["outlet", "language", "published"],
    "speakers": ["kind"],
    "quote_groups": ["outlets", "original_language"],
}
EXPORT_FIELDS = ["source", "article_id", "text", "start", "end", "speaker", "speaker_mention",
                 "speaker_start", "speaker_end", "cue", "kind", "language", "group", "outlet", "published",
                 "attributed_by", "meaning_flags"]
# The export's columns in EXPORT_FIELDS order; the published instance's "export" query runs it too.
EXPORT_SELECT = ("select source, article_id, text, start, \"end\", speaker, speaker_mention, speaker_start, "
                 "speaker_end, cue, kind, language, group_id as \"group\", outlet, published, attributed_by, "
                 "(select group_concat(kind, ' ') from (select kind from meaning_flags m where m.quote_id = quotes.id "
                 "order by kind)) as meaning_flags from quotes")

# The canned query "Versions that change the meaning": every flag with the version, its outlet
# and the text it was compared with.
MEANING_CHANGES_SELECT = (
    "select m.kind, m.reference as compared_says, m.version as this_version_says, q.text as version, "
    "q.outlet, q.published, s.name as speaker, r.text as compared_with, q.group_id, q.id as quote_id "
    "from meaning_flags m join quotes q on q.id = m.quote_id join quotes r on r.id = m.reference_quote_id "
    "left join speakers s on s.id = q.speaker_id order by q.group_id, q.published, m.kind")


def speaker_feed_select(quote_url: str, limit: int = 100) -> str:
    """The Atom feed of a speaker's newest quotes (``:speaker_id``), in the columns
    datasette-atom reads; ``quote_url`` is the address of the quotes table, each entry links to
    its quote's page there.  A quote whose article has no date is dated by the newest article
    (an Atom entry must have one)."""
    prefix = quote_url.rstrip("/").replace("'", "''")
    return (
        "select 'urn:quotes:quote:' || q.id as atom_id, "
        "coalesce(s.name, q.speaker_mention) || ': “' || substr(q.text, 1, 120) || "
        "case when length(q.text) > 120 then '…' else '' end || '”' as atom_title, "
        "q.text || char(10) || char(10) || '— ' || coalesce(q.speaker_mention, s.name, '') || "
        "coalesce(', in ' || q.outlet, '') || coalesce(', ' || q.published, '') as atom_content, "
        "substr(coalesce(q.published, (select max(published) from articles), '1970-01-01'), 1, 10) "
        "|| 'T00:00:00+00:00' as atom_updated, "
        f"'{prefix}/' || q.id as atom_link, s.name as atom_author_name "
        "from quotes q join speakers s on s.id = q.speaker_id where q.speaker_id = :speaker_id "
        f"order by q.published desc, q.source, q.start limit {int(limit)}")


# How long a writer waits for another one (a whole database-wide refresh can hold the lock).
BUSY_TIMEOUT_S = 600


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating folders as needed) a database that waits for other writers instead of
    failing with "database is locked"."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit transactions; write_transaction says where each begins.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    db = sqlite_utils.Database(conn)
    # The first read rolls back a journal left by a killed writer, so that a later immutable
    # reader (``datasette -i``, which never looks at journals) sees only committed data.
    db.execute("select count(*) from sqlite_master").fetchone()
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, rolled back if it
    raises (or never committed if the process dies).  Inside another transaction it is a
    savepoint of that one."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create whatever tables, columns, indexes and full-text search the database lacks; change
    nothing that is already there.  One transaction, so two builds starting at once on a new
    file do not both create the same table."""
    with write_transaction(db):
        for name, spec in TABLES.items():
            table = db[name]
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec["foreign_keys"], if_not_exists=True)
            for column, kind in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
        for table, indexes in INDEXES.items():
            for columns in indexes:
                db[table].create_index(columns, if_not_exists=True)
        db.index_foreign_keys()
        if "quotes_fts" not in db.table_names():
            db["quotes"].enable_fts(["text", "speaker", "speaker_mention"], create_triggers=True, tokenize="unicode61")
        if "speaker_aliases_fts" not in db.table_names():
            db["speaker_aliases"].enable_fts(["alias"], create_triggers=True, tokenize="unicode61")


def stored_hash(db: sqlite_utils.Database, article: Article) -> str | None:
    """The content hash of this article as last stored, or None if it never was."""
    rows = list(db.query("select content_hash from articles where id = ?", [article.id]))
    return rows[0]["content_hash"] if rows else None


def save_article(db: sqlite_utils.Database, article: Article, quotes: list[Quote]) -> None:
    """Store one article with all of its quotes in one transaction, replacing what an earlier
    version of the same file left."""
    with write_transaction(db):
        old = [r["id"] for r in db.query("select id from quotes where article_id = ?", [article.id])]
        if old:
            db.execute(
                "delete from quote_vectors where quote_id in (select id from quotes where article_id = ?)", [article.id]
            )
            db.execute(
                "delete from wide_vectors where quote_id in (select id from quotes where article_id = ?)", [article.id]
            )
            db["quotes"].delete_where("article_id = ?", [article.id])
        db["articles"].upsert(
            {"id": article.id, "source": article.source, "outlet": article.outlet, "published": article.published,
             "title": article.title, "url": article.url, "language": article.language, "text": article.text,
             "content_hash": article.content_hash, "encoding": article.encoding},
            pk="id",
        )
        db["quotes"].upsert_all(
            [{"id": q.id(article.id), "article_id": article.id, "source": article.source, "text": q.text,
              "start": q.start, "end": q.end, "speaker_mention": q.speaker_mention, "speaker_start": q.speaker_start,
              "speaker_end": q.speaker_end, "speaker_name": q.speaker_name, "speaker_kind": q.speaker_kind,
              "cue": q.cue, "kind": q.kind, "language": q.language, "handle": q.handle, "outlet": article.outlet,
              "published": article.published, "attributed_by": q.attributed_by} for q in quotes],
            pk="id",
        )


def stored_quotes(db: sqlite_utils.Database) -> list[StoredQuote]:
    """Every quote, as the database-wide stages (speakers, variants) read them."""
    return [
        StoredQuote(id=r["id"], article_id=r["article_id"], text=r["text"], kind=r["kind"], language=r["language"],
                    speaker_name=r["speaker_name"], speaker_kind=r["speaker_kind"],
                    speaker_mention=r["speaker_mention"], handle=r["handle"], outlet=r["outlet"],
                    published=r["published"], speaker_id=r["speaker_id"])
        for r in db.query("select * from quotes order by id")
    ]


def save_speakers(db: sqlite_utils.Database, speakers: list[Speaker], assignment: dict[str, str | None]) -> None:
    """Replace the speakers and aliases tables and point each quote at its canonical speaker.

    :param assignment: quote id -> speaker id (or None for a quote with no speaker)
    """
    names = {s.id: s.name for s in speakers}
    counts: dict[str, int] = {}
    for speaker_id in assignment.values():
        if speaker_id:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    with write_transaction(db):
        db.execute("update quotes set speaker_id = null, speaker = null")
        db.execute("delete from speaker_aliases")
        db.execute("delete from speakers")
        db["speakers"].insert_all(
            [{"id": s.id, "name": s.name, "kind": s.kind, "quote_count": counts.get(s.id, 0)} for s in speakers], pk="id"
        )
        db["speaker_aliases"].insert_all(
            [{"alias": alias, "speaker_id": s.id} for s in speakers for alias in sorted(s.aliases)],
            pk=("alias", "speaker_id"), ignore=True,
        )
        db.conn.executemany(
            "update quotes set speaker_id = ?, speaker = ? where id = ?",
            [(sid, names.get(sid), qid) for qid, sid in assignment.items() if sid],
        )


def missing_vectors(db: sqlite_utils.Database, model: str) -> list[tuple[str, str]]:
    """(quote id, text) of quotes with no stored vector from ``model``."""
    return [(r["id"], r["text"]) for r in db.query(
        "select q.id, q.text from quotes q left join quote_vectors v on v.quote_id = q.id and v.model = ? "
        "where v.quote_id is null order by q.id", [model])]


def save_vectors(db: sqlite_utils.Database, model: str, vectors: Iterable[tuple[str, np.ndarray]], *,
                 table: str = "quote_vectors") -> None:
    """Store quote vectors of ``model`` in ``table`` (``quote_vectors``, or ``wide_vectors``)."""
    with write_transaction(db):
        db[table].upsert_all(
            ({"quote_id": qid, "model": model, "vector": np.asarray(v, dtype=np.float32).tobytes()} for qid, v in vectors),
            pk="quote_id",
        )


def load_vectors(db: sqlite_utils.Database, model: str, *, table: str = "quote_vectors") -> dict[str, np.ndarray]:
    """Stored quote vectors of ``model`` from ``table``, by quote id."""
    return {r["quote_id"]: np.frombuffer(r["vector"], dtype=np.float32)
            for r in db.query(f"select quote_id, vector from [{table}] where model = ?", [model])}


def save_groups(db: sqlite_utils.Database, groups: list[Group], rows: dict[str, dict]) -> None:
    """Replace the variant groups and each quote's group, agreement and original flag.

    :param rows: group id -> the group's table row (representative, counts, agreement …)
    """
    with write_transaction(db):
        db.execute("update quotes set group_id = null, agreement = null, is_original = 0, grouped_by = null")
        db.execute("delete from quote_groups")
        db["quote_groups"].insert_all([{"id": g.id, **rows[g.id]} for g in groups], pk="id")
        db.conn.executemany(
            "update quotes set group_id = ?, agreement = ?, is_original = ?, grouped_by = ? where id = ?",
            [(g.id, g.agreement.get(qid), int(qid == g.original_id), g.joined_by.get(qid), qid)
             for g in groups for qid in g.quote_ids],
        )


def save_substitutions(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Replace the table of word substitutions seen between variants (missiles ↔ rockets)."""
    with write_transaction(db):
        db.execute("delete from substitutions")
        db["substitutions"].insert_all(rows, pk=("wording_a", "wording_b"))


def save_meaning_flags(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Replace the meaning-changing differences flagged on versions (see quotes.meaning)."""
    with write_transaction(db):
        db.execute("delete from meaning_flags")
        db["meaning_flags"].insert_all(rows, pk=("quote_id", "kind"))


def save_facet_counts(db: sqlite_utils.Database) -> None:
    """Replace the counts of every value of the FACET_COLUMNS (the last write of a build)."""
    with write_transaction(db):
        db.execute("delete from facet_counts")
        for table, columns in FACET_COLUMNS.items():
            for column in columns:
                db["facet_counts"].insert_all(
                    {"table_name": table, "column_name": column, "value": r["value"], "count": r["count"]}
                    for r in db.query(f"select [{column}] as value, count(*) as count from [{table}] group by [{column}]"))


def group_variants(db: sqlite_utils.Database, group_id: str) -> tuple[dict | None, list[dict]]:
    """A group's row (None if there is no such group) and its variants, oldest first."""
    rows = list(db.query("select * from quote_groups where id = ?", [group_id]))
    variants = list(db.query(
        "select id, text, kind, outlet, source, published, speaker, agreement, language, is_original from quotes "
        "where group_id = ? order by is_original desc, published, source, start", [group_id]))
    return (rows[0] if rows else None), variants


def export_rows(db: sqlite_utils.Database, kinds: Iterable[str] | None = None) -> Iterator[dict]:
    """One row per quote with the export contract's fields, in article and position order."""
    sql = EXPORT_SELECT
    params: list = []
    if kinds:
        kinds = list(kinds)
        sql += " where kind in (%s)" % ", ".join("?" for _ in kinds)
        params = kinds
    sql += " order by source, start"
    yield from db.query(sql, params)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {t: db[t].count for t in ("articles", "quotes", "speakers", "quote_groups")}
