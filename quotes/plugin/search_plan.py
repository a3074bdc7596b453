"""A search of the quotes table counted, and its first page read, by how many quotes it matches.

Datasette turns ``?_search=`` into ``rowid in (select rowid from quotes_fts where quotes_fts
match ...)`` and runs it as it stands: the page's count looks every match up in the quotes table
(70 ms for a word in 7 % of a million quotes) and the first page reads and sorts every match to
show a hundred of them (80 ms).  For a quotes database the plugin runs those two queries, when
the search is the page's only filter, in a way that costs what the page shows:

* the count is counted in the full-text index alone (the triggers the build creates keep the
  index and the table in step, so it is the same number);
* a page in an indexed column's descending order (the quotes table's order, newest first) of a
  search matching many quotes walks that column's index from the top and keeps the matches, as
  far as matches spread evenly would need (four times over); a search matching few quotes, or
  whose matches lie further down than that (a word of one old month), is sorted as before.

Either way the rows are the same and in the same order: Datasette's sort keeps equal values in
rowid order, and the walk orders them so.  The walk and the count need the same number: it is
counted once per request (10 ms for a prefix matching a tenth of a million quotes).  Every
other query goes to Datasette unchanged.
"""
from __future__ import annotations

import math
import re
from contextvars import ContextVar

from .databases import corpus

TABLE, FTS = "quotes", "quotes_fts"
# Datasette's where clause for ?_search= on the quotes table (datasette.filters.search_filters).
SEARCH = rf"rowid in \(select rowid from {FTS} where {FTS} match (?P<match>escape_fts\(:search\)|:search)\)"
COUNT = re.compile(rf"select count\(\*\) from {TABLE} where {SEARCH}\s*$")
PAGE = re.compile(rf"select (?P<columns>.+) from {TABLE} where {SEARCH} order by (?P<order>\[?\w+\]?) desc "
                  rf"limit (?P<limit>\d+)$", re.S)
# The walk goes this many times as far down the index as matches spread evenly would need.
MARGIN = 4
# An index entry walked costs about this share of a match looked up and sorted.
ENTRY_COST = 0.15
# The counts of the request being answered, by search: set afresh for each request.
_counts: ContextVar[dict | None] = ContextVar("quotes_search_counts", default=None)


def plan_searches(datasette) -> None:
    """Every quotes database served runs its searches' counts and first pages as planned here."""
    for name, database in datasette.databases.items():
        if corpus(datasette, name) is not None:
            database.execute = planned_execute(database, database.execute)


def counts_per_request(app):
    """An ASGI wrapper under which each request counts each of its searches once."""

    async def counted(scope, receive, send):
        token = _counts.set({})
        try:
            await app(scope, receive, send)
        finally:
            _counts.reset(token)

    return counted


def planned_execute(database, execute):
    """``execute`` (a Datasette database's) with the search's count and first page planned."""

    async def planned(sql, params=None, **options):
        count = COUNT.match(sql)
        if count:
            return await _count(execute, count["match"], params, options)
        page = PAGE.match(sql)
        if page and page["order"].strip("[]") in await _indexed_columns(database):
            walked = await _walk(execute, page, params, options)
            if walked is not None:
                return walked
        return await execute(sql, params, **options)

    return planned


async def _walk(execute, page: re.Match, params: dict, options: dict):
    """The page read down the order column's index, or None when sorting the matches is cheaper
    or the walk did not fill the page."""
    match, order, limit = page["match"], page["order"], int(page["limit"])
    matches = (await _count(execute, match, params, {})).first()[0]
    rows = (await execute(f"select max(rowid) from {TABLE}")).first()[0] or 0  # about as many as the table holds
    if not matches or rows <= 0:
        return None
    depth = math.ceil(MARGIN * limit * rows / matches)
    if depth * ENTRY_COST >= matches:
        return None
    sql = (f"select {page['columns']} from {TABLE} where +rowid in (select rowid from {FTS} where {FTS} match {match}) "
           f"and {order} >= (select {order} from {TABLE} order by {order} desc limit 1 offset :quotes_walk_depth) "
           f"order by {order} desc, rowid limit {limit}")
    results = await execute(sql, {**(params or {}), "quotes_walk_depth": depth}, **options)
    # Fewer rows than the page: the matches the walk did not reach may belong on it.
    return results if len(results.rows) == limit or len(results.rows) == matches else None


async def _count(execute, match: str, params: dict | None, options: dict):
    """The search's matches counted in the full-text index, once per request."""
    counts = _counts.get()
    key = (match, tuple(sorted((params or {}).items())))
    if counts is not None and key in counts:
        return counts[key]
    counted = await execute(f"select count(*) from {FTS} where {FTS} match {match}", params, **options)
    if counts is not None:
        counts[key] = counted
    return counted


async def _indexed_columns(database) -> set[str]:
    """The columns of the quotes table that lead an index (read once per database)."""
    if not hasattr(database, "quotes_indexed_columns"):
        def read(conn) -> set[str]:
            return {conn.execute(f"pragma index_info([{name}])").fetchone()[2]
                    for _, name, *_ in conn.execute(f"pragma index_list([{TABLE}])")}
        database.quotes_indexed_columns = await database.execute_fn(read)
    return database.quotes_indexed_columns
