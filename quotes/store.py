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

from .records import CORPUS_FIELDS, Article, Group, Quote, Speaker, StoredQuote

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
                    "handle": str, "outlet": str, "published": str, "attributed_by": str,
                    "speaker_confidence": float, "sentence": int},
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
    # What the corpus says about itself (CORPUS_FIELDS), shown on every page of the database.
    "corpus": {
        "columns": {"key": str, "value": str},
        "pk": "key",
        "foreign_keys": [],
    },
    # How many rows hold each value of the FACET_COLUMNS, the null value included; "value" has
    # no type affinity (bytes = BLOB), so numbers stay numbers.
    "facet_counts": {
        "columns": {"table_name": str, "column_name": str, "value": bytes, "count": int},
        "pk": None,
        "foreign_keys": [],
    },
}
# The tables that make a database one of this project's: the plugin's pages, labels and queries
# apply to any database file that has them, whatever its name.
CORE_TABLES = ("articles", "quotes", "speakers", "quote_groups")
# The full-text index of quotes: Porter stemming, so that "rocket" finds "rockets".
QUOTES_FTS_COLUMNS = ["text", "speaker", "speaker_mention"]
FTS_TOKENIZER = "porter unicode61"
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
    "quotes": ["speaker_id", "outlet", "kind", "language", "published", "attributed_by"],
    "articles": ["outlet", "language", "published"],
    "speakers": ["kind"],
    "quote_groups": ["outlets", "original_language"],
}
EXPORT_FIELDS = ["source", "article_id", "text", "start", "end", "speaker", "speaker_mention",
                 "speaker_start", "speaker_end", "cue", "kind", "language", "group", "outlet", "published",
                 "attributed_by", "speaker_confidence", "meaning_flags"]
# The export's columns in EXPORT_FIELDS order; the published instance's "export" query runs it too.
EXPORT_SELECT = ("select source, article_id, text, start, \"end\", speaker, speaker_mention, speaker_start, "
                 "speaker_end, cue, kind, language, group_id as \"group\", outlet, published, attributed_by, "
                 "speaker_confidence, "
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
    its quote's page there.

    An Atom entry must carry a date.  A quote whose article has none is dated by the newest
    article of the database (the latest it can have come to light), listed after the dated
    ones, and says so in its title and text."""
    prefix = quote_url.rstrip("/").replace("'", "''")
    return (
        "select 'urn:quotes:quote:' || q.id as atom_id, "
        "coalesce(s.name, q.speaker_mention) || ': “' || substr(q.text, 1, 120) || "
        "case when length(q.text) > 120 then '…' else '' end || '”' || "
        "case when q.published is null then ' (date unknown)' else '' end as atom_title, "
        "q.text || char(10) || char(10) || '— ' || coalesce(q.speaker_mention, s.name, '') || "
        "coalesce(', in ' || q.outlet, '') || coalesce(', ' || q.published, '') || "
        "case when q.published is null then char(10) || char(10) || 'The article gives no date; this entry carries "
        "the date of the newest article in the database.' else '' end as atom_content, "
        "substr(coalesce(q.published, (select max(published) from articles), '1970-01-01'), 1, 10) "
        "|| 'T00:00:00+00:00' as atom_updated, "
        f"'{prefix}/' || q.id as atom_link, s.name as atom_author_name "
        "from quotes q join speakers s on s.id = q.speaker_id where q.speaker_id = :speaker_id "
        f"order by q.published is null, q.published desc, q.source, q.start limit {int(limit)}")


def feed_speaker(db: sqlite_utils.Database, speaker_id: str) -> dict | None:
    """The speaker a feed is asked for, with how many quotes they have; None for no such speaker."""
    rows = list(db.query("select s.id, s.name, (select count(*) from quotes q where q.speaker_id = s.id) as quotes "
                         "from speakers s where s.id = ?", [speaker_id]))
    return rows[0] if rows else None


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
        # replace=True rebuilds an index of another shape (an older database's unicode61 one)
        # and leaves one of this shape as it is.
        db["quotes"].enable_fts(QUOTES_FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZER, replace=True)
        db["speaker_aliases"].enable_fts(["alias"], create_triggers=True, tokenize=FTS_TOKENIZER, replace=True)
        _index_only_indexed_updates(db, "quotes", QUOTES_FTS_COLUMNS)


def _index_only_indexed_updates(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """Make the full-text index's update trigger fire only when an indexed column changes:
    sqlite-utils' fires on any update, so writing each quote's group rewrote its index entry
    too (most of the time a build spent storing groups and speakers)."""
    name = f"{table}_au"
    sql = db.execute("select sql from sqlite_master where type = 'trigger' and name = ?", [name]).fetchone()
    if sql is None or " UPDATE OF " in sql[0]:
        return
    listed = ", ".join(f'"{c}"' for c in columns)
    db.execute(f'drop trigger "{name}"')
    db.execute(sql[0].replace(f'AFTER UPDATE ON "{table}"', f'AFTER UPDATE OF {listed} ON "{table}"', 1))


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
              "published": article.published, "attributed_by": q.attributed_by,
              "speaker_confidence": q.speaker_confidence, "sentence": q.sentence} for q in quotes],
            pk="id",
        )


def stored_quotes(db: sqlite_utils.Database) -> list[StoredQuote]:
    """Every quote, as the database-wide stages (speakers, variants) read them."""
    return [
        StoredQuote(id=r["id"], article_id=r["article_id"], text=r["text"], kind=r["kind"], language=r["language"],
                    speaker_name=r["speaker_name"], speaker_kind=r["speaker_kind"],
                    speaker_mention=r["speaker_mention"], handle=r["handle"], outlet=r["outlet"],
                    published=r["published"], speaker_id=r["speaker_id"], sentence=r["sentence"])
        for r in db.query("select * from quotes order by id")
    ]


def save_speakers(db: sqlite_utils.Database, speakers: list[Speaker], assignment: dict[str, str | None]) -> None:
    """Make the speakers and aliases tables and each quote's canonical speaker what they should be
    (see :func:`_sync_rows`: only the rows that change are written).

    :param assignment: quote id -> speaker id (or None for a quote with no speaker); a quote
        not in it has no speaker
    """
    names = {s.id: s.name for s in speakers}
    counts: dict[str, int] = {}
    for speaker_id in assignment.values():
        if speaker_id:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    with write_transaction(db):
        _sync_rows(db, "speakers", [{"id": s.id, "name": s.name, "kind": s.kind, "quote_count": counts.get(s.id, 0)}
                                    for s in speakers])
        _sync_rows(db, "speaker_aliases", [{"alias": alias, "speaker_id": s.id} for s in speakers for alias in s.aliases])
        _sync_quote_columns(db, {qid: (sid, names.get(sid)) for qid, sid in assignment.items() if sid},
                            ("speaker_id", "speaker"), (None, None))


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


def vector_matrix(db: sqlite_utils.Database, model: str, quote_ids: list[str], dimensions: int) -> np.ndarray:
    """The stored vectors of ``model`` as one matrix, a row per quote in ``quote_ids`` order (zeros
    for a quote without one), filled as the rows are read: a million quotes' vectors held once,
    not once as a million small arrays and again as their stack."""
    matrix = np.zeros((len(quote_ids), dimensions), dtype=np.float32)
    row_of = {qid: row for row, qid in enumerate(quote_ids)}
    for qid, vector in db.execute("select quote_id, vector from quote_vectors where model = ?", [model]):
        row = row_of.get(qid)
        if row is not None:
            matrix[row] = np.frombuffer(vector, dtype=np.float32)
    return matrix


def save_groups(db: sqlite_utils.Database, groups: list[Group], rows: dict[str, dict]) -> None:
    """Make the variant groups and each quote's group, agreement, original flag and the evidence
    that joined it what they should be (only the rows that change are written).

    :param rows: group id -> the group's table row (representative, counts, agreement …)
    """
    with write_transaction(db):
        _sync_rows(db, "quote_groups", [{"id": g.id, **rows[g.id]} for g in groups])
        _sync_quote_columns(db, {qid: (g.id, g.agreement.get(qid), int(qid == g.original_id), g.joined_by.get(qid))
                                 for g in groups for qid in g.quote_ids},
                            ("group_id", "agreement", "is_original", "grouped_by"), (None, None, 0, None))


def save_substitutions(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Make the table of word substitutions seen between variants (missiles ↔ rockets) hold these rows."""
    with write_transaction(db):
        _sync_rows(db, "substitutions", rows)


def save_meaning_flags(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Make the meaning-changing differences flagged on versions (see quotes.meaning) these rows."""
    with write_transaction(db):
        _sync_rows(db, "meaning_flags", rows)


def _sync_rows(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Make ``table`` hold exactly ``rows`` (each with every column of the table), writing only
    the rows that are new or differ and deleting those that are gone: a build that adds a few
    articles rewrites what they change, not the whole database."""
    columns = list(TABLES[table]["columns"])
    pk = TABLES[table]["pk"]
    keys = [pk] if isinstance(pk, str) else list(pk)
    stored = {tuple(r[k] for k in keys): r for r in db.query(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]")}
    wanted = {}
    for row in rows:
        full = {c: row.get(c) for c in columns}
        wanted[tuple(full[k] for k in keys)] = full
    where = " and ".join(f"[{k}] = ?" for k in keys)
    db.conn.executemany(f"delete from [{table}] where {where}", [key for key in stored if key not in wanted])
    db[table].upsert_all([row for key, row in wanted.items() if stored.get(key) != row], pk=pk)


def _sync_quote_columns(db: sqlite_utils.Database, values: dict[str, tuple], columns: tuple[str, ...],
                        default: tuple) -> None:
    """Set ``columns`` of every quote to its ``values`` (``default`` for a quote not in them),
    updating only the quotes whose values change: each quote updated also costs its search
    index entry when an indexed column changes."""
    listed = ", ".join(f"[{c}]" for c in columns)
    assignments = ", ".join(f"[{c}] = ?" for c in columns)
    db.conn.executemany(
        f"update quotes set {assignments} where id = ?",
        [(*wanted, qid) for qid, *was in db.execute(f"select id, {listed} from quotes")
         for wanted in [values.get(qid, default)] if tuple(was) != tuple(wanted)],
    )


def save_facet_counts(db: sqlite_utils.Database) -> None:
    """Replace the counts of every value of the FACET_COLUMNS (the last write of a build)."""
    with write_transaction(db):
        db.execute("delete from facet_counts")
        for table, columns in FACET_COLUMNS.items():
            for column in columns:
                db["facet_counts"].insert_all(
                    {"table_name": table, "column_name": column, "value": r["value"], "count": r["count"]}
                    for r in db.query(f"select [{column}] as value, count(*) as count from [{table}] group by [{column}]"))


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


def is_quotes_database(db: sqlite_utils.Database) -> bool:
    """True for a database with this project's tables, whatever its file is called."""
    return set(CORE_TABLES) <= set(db.table_names())


def save_corpus_description(db: sqlite_utils.Database, description: dict[str, str]) -> None:
    """Store what the corpus says about itself; fields not given keep their stored value."""
    unknown = set(description) - set(CORPUS_FIELDS)
    if unknown:
        raise ValueError(f"unknown corpus field {', '.join(sorted(unknown))}; known: {', '.join(CORPUS_FIELDS)}")
    with write_transaction(db):
        db["corpus"].upsert_all([{"key": k, "value": v} for k, v in description.items() if v], pk="key")


def corpus_description(db: sqlite_utils.Database) -> dict[str, str]:
    """What the corpus says about itself (title, description, source, source_url), as stored."""
    if "corpus" not in db.table_names():
        return {}
    return {r["key"]: r["value"] for r in db.query("select key, value from corpus") if r["key"] in CORPUS_FIELDS}


# --- What the published pages and ``quotes diff`` read ---------------------------------------

# Every version of one statement, oldest first (the canned query "group_variants" runs it too).
GROUP_VARIANTS = ("select q.*, a.title as article_title from quotes q join articles a on a.id = q.article_id\n"
                  "where q.group_id = :group_id\n"
                  "order by q.is_original desc, q.published, coalesce(q.outlet, q.source), q.start")


def group_rows(db: sqlite_utils.Database, group_id: str, model: str) -> tuple[dict | None, list[dict], dict]:
    """One statement: its group row (with its speaker's name), every version (with its
    article's title) and, when the statement has an original-language text to rank its
    versions against, the stored sentence vectors of the versions from ``model``."""
    groups = list(db.query("select g.*, s.name as speaker from quote_groups g "
                           "left join speakers s on s.id = g.speaker_id where g.id = ?", [group_id]))
    if not groups:
        return None, [], {}
    variants = list(db.query(GROUP_VARIANTS, {"group_id": group_id}))
    if not groups[0]["original"]:
        return groups[0], variants, {}  # a statement reprinted 100,000 times: 200 MB of vectors unread
    vectors = {r["quote_id"]: np.frombuffer(r["vector"], dtype=np.float32) for r in db.query(
        "select v.quote_id, v.vector from quote_vectors v join quotes q on q.id = v.quote_id "
        "where q.group_id = ? and v.model = ?", [group_id, model])}
    return groups[0], variants, vectors


def group_meaning_flags(db: sqlite_utils.Database, group_id: str) -> list[dict]:
    """The meaning flags of one statement's versions, by version and kind."""
    return list(db.query("select quote_id, kind, reference_quote_id, reference, version from meaning_flags "
                         "where group_id = ? order by quote_id, kind", [group_id]))


def group_ids_starting(db: sqlite_utils.Database, prefix: str, limit: int = 2) -> list[str]:
    """Up to ``limit`` group ids that begin with ``prefix`` (so that a short id is looked up as
    ``git`` looks up a commit: found when it is unique, ambiguous when it is not)."""
    return [r["id"] for r in db.query("select id from quote_groups where id >= ? and id < ? order by id limit ?",
                                      [prefix, prefix + "\U0010ffff", limit])]


def languages_of_speaker(db: sqlite_utils.Database, speaker_id: str, excluded: Iterable[str]) -> list[str]:
    """The languages a speaker is quoted in, less ``excluded``."""
    excluded = list(excluded)
    return [r["language"] for r in db.query(
        "select distinct language from quotes where speaker_id = ? and language not in (%s) order by 1"
        % ", ".join("?" for _ in excluded), [speaker_id, *excluded])]


def speaker_rows(db: sqlite_utils.Database, speaker_id: str) -> dict | None:
    """A speaker's row, aliases, quotes by date (with their group's size and article's title),
    statements, the named outlets that quoted them and the articles with no outlet that did."""
    speakers = list(db.query("select * from speakers where id = ?", [speaker_id]))
    if not speakers:
        return None
    return {
        "speaker": speakers[0],
        "aliases": [r["alias"] for r in db.query(
            "select alias from speaker_aliases where speaker_id = ? order by alias", [speaker_id])],
        "quotes": list(db.query(
            "select q.*, g.variants, a.title as article_title from quotes q join articles a on a.id = q.article_id "
            "left join quote_groups g on g.id = q.group_id where q.speaker_id = ? "
            "order by q.published, coalesce(q.outlet, q.source), q.start", [speaker_id])),
        "groups": list(db.query(
            "select g.id, g.representative, g.variants, g.outlets, g.agreement from quote_groups g "
            "where g.id in (select group_id from quotes where speaker_id = ?) "
            "order by g.variants desc, g.first_published", [speaker_id])),
        "outlets": list(db.query(
            "select outlet, count(*) as quotes from quotes where speaker_id = ? and outlet is not null "
            "group by outlet order by 2 desc, 1", [speaker_id])),
        "articles": list(db.query(
            "select a.id, a.source, a.title, a.published, count(*) as quotes from quotes q "
            "join articles a on a.id = q.article_id where q.speaker_id = ? and q.outlet is null "
            "group by a.id order by 5 desc, a.published, a.source", [speaker_id])),
    }


def speaker_article_texts(db: sqlite_utils.Database, speaker_id: str) -> list[str]:
    """The text of every article that quotes the speaker."""
    return [r["text"] for r in db.query(
        "select text from articles where id in (select article_id from quotes where speaker_id = ?)", [speaker_id])]


def article_rows(db: sqlite_utils.Database, article_id: str) -> tuple[dict | None, list[dict]]:
    """An article's row and its quotes in order, each with its group's size."""
    articles = list(db.query("select * from articles where id = ?", [article_id]))
    if not articles:
        return None, []
    return articles[0], list(db.query("select q.*, g.variants from quotes q left join quote_groups g "
                                      "on g.id = q.group_id where q.article_id = ? order by q.start", [article_id]))


def quote_row(db: sqlite_utils.Database, quote_id: str) -> dict | None:
    """A quote with its group's size and representative, and its article's title and text."""
    rows = list(db.query("select q.*, g.variants, g.representative, a.title as article_title, "
                         "a.text as article_text from quotes q join articles a on a.id = q.article_id "
                         "left join quote_groups g on g.id = q.group_id where q.id = ?", [quote_id]))
    return rows[0] if rows else None


# Marks around the words a search matched, in quotes' text (control characters no article keeps:
# sources.clean_text turns them into spaces).
MATCH_START, MATCH_END = "\x02", "\x03"


def search_matches(db: sqlite_utils.Database, quote_ids: list[str], search: str, *, raw: bool) -> dict[str, str]:
    """quote id -> its text with the words ``search`` matched between MATCH_START and MATCH_END,
    for the quotes among ``quote_ids`` it matches (``raw``: the search is FTS5 syntax; otherwise
    it is escaped by the connection's ``escape_fts`` function, as Datasette escapes it)."""
    if not quote_ids:
        return {}
    match = ":search" if raw else "escape_fts(:search)"
    ids = ", ".join(f":id{i}" for i in range(len(quote_ids)))
    # The matches are tested against the page's rowids (a set in memory, "+": not a rowid
    # lookup into the index per quote), and only the page's quotes are read: joining every match
    # to its quote to compare ids took 150 ms for a word in 70,000 of a million quotes.
    return {r["id"]: r["marked"] for r in db.query(
        f"select q.id, highlight(quotes_fts, 0, :start, :end) as marked from quotes_fts "
        f"join quotes q on q.rowid = quotes_fts.rowid where quotes_fts match {match} "
        f"and +quotes_fts.rowid in (select rowid from quotes where id in ({ids}))",
        {"search": search, "start": MATCH_START, "end": MATCH_END, **{f"id{i}": q for i, q in enumerate(quote_ids)}})}


# Canned queries of every quotes database (the plugin publishes them, whatever the file's name).
CANNED_QUERIES = {
    "translations_differ_most": {
        "title": "Statements whose translations differ most",
        "description": "Variant groups with more than one English variant, lowest agreement first — where outlets' "
                       "wordings (often independent translations) part most.",
        "sql": "select g.id, g.representative, g.original, g.original_language, g.variants, g.outlets, g.agreement, "
               "s.name as speaker, g.first_published\nfrom quote_groups g left join speakers s on s.id = g.speaker_id\n"
               "where g.variants - (g.original is not null) > 1\norder by g.agreement, g.variants desc",
    },
    "group_variants": {
        "title": "Every variant of one group",
        "description": "All quotes in one variant group, with outlet and speaker.",
        "sql": GROUP_VARIANTS,
    },
    "speaker_quotes": {
        "title": "Quotes by one speaker",
        "description": "Every quote attributed to a speaker, found by any of their names.",
        "sql": "select q.published, q.outlet, q.text, q.kind, q.speaker_mention, q.group_id\n"
               "from quotes q join speakers s on s.id = q.speaker_id\n"
               "where s.id in (select speaker_id from speaker_aliases where alias like '%' || :name || '%')\n"
               "   or s.name like '%' || :name || '%'\norder by q.published, q.source, q.start",
    },
    "weak_attributions": {
        "title": "Attributions worth checking by hand",
        "description": "Quotes whose speaker the attribution is least sure of (speaker_confidence below the value "
                       "given, 0.5 if none), the weakest first, with the mention the article used and why it was "
                       "chosen.",
        "sql": "select q.id, q.speaker_confidence, q.attributed_by, q.speaker_mention, q.speaker, q.text, q.kind, "
               "q.outlet, q.source\nfrom quotes q where q.kind != 'post' "
               "and q.speaker_confidence < coalesce(nullif(:below, ''), 0.5)\n"
               "order by q.speaker_confidence, q.source, q.start",
    },
    "meaning_changes": {
        "title": "Versions that change the meaning",
        "description": "Versions of a statement that differ from its representative version in a negation, a number "
                       "or date, a name, a modal verb (will, may, must, can) or a qualifier (alleged, apparently, "
                       "reportedly), within the words they both quote. Different wording alone (a translation "
                       "choice, a cut) is not listed.",
        "sql": MEANING_CHANGES_SELECT,
    },
    "export": {
        "title": "The export",
        "description": "One row per quote found in the articles' text (embedded social posts left out), with the "
                       "columns of quotes export --format csv; download it as CSV below.",
        "sql": EXPORT_SELECT + " where kind in ('full', 'fragment') order by source, start",
    },
}
