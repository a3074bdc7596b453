"""Search as a reader types it: a word ending in ``*`` finds every word that begins so, and the
words a search matched are highlighted in the quotes it found.

Datasette escapes a search (``escape_fts``) by quoting each word, which turns ``treach*`` into
the word "treach"; the plugin registers its own ``escape_fts`` after Datasette's, the same but
for keeping a trailing ``*`` outside the quotes (FTS5's prefix query).  The index itself stems
words with Porter's algorithm (``store.FTS_TOKENIZER``), so "rocket" finds "rockets".
"""
from __future__ import annotations

import re
import sqlite3

import sqlite_utils
from datasette.utils import escape_fts as datasette_escape_fts, tilde_encode
from markupsafe import Markup, escape

from .. import store
from .markup import html

PREFIX = re.compile(r'^[^\s"*]+\*$')


def escape_fts(query: str) -> str:
    """Datasette's escaping of a search, with ``word*`` kept as a prefix query (``"word"*``)."""
    return " ".join(f'"{bit[:-1]}"*' if PREFIX.match(bit) else datasette_escape_fts(bit)
                    for bit in re.findall(r'"[^"]*"?|\S+', query))


def register_functions(conn) -> None:
    """Replace Datasette's ``escape_fts`` on a connection (after Datasette has registered it)."""
    conn.create_function("escape_fts", 1, escape_fts)


def search_marks(datasette, database: str, table: str, request):
    """For a search of the quotes table, an async function of the page's rows that gives each
    matching quote's text with the words the search matched in ``<mark>``, linked to the quote's
    page; None for any other page."""
    search = (request.args.get("_search") or "").strip()
    if table != "quotes" or not search:
        return None
    raw = request.args.get("_searchmode") == "raw" or datasette.table_metadata(database, table).get("searchmode") == "raw"

    async def marks(rows) -> dict[str, Markup]:
        ids = [row["id"] for row in rows]
        try:
            found = await datasette.get_database(database).execute_fn(
                lambda conn: store.search_matches(sqlite_utils.Database(conn), ids, search, raw=raw))
        except sqlite3.Error:  # a search Datasette answered but FTS5 cannot highlight: the plain text stays
            return {}
        return {qid: html('<a href="{}" dir="auto">{}</a>', datasette.urls.row(database, table, tilde_encode(qid)),
                          _marked(text)) for qid, text in found.items()}

    return marks


def _marked(text: str) -> Markup:
    return Markup(str(escape(text)).replace(store.MATCH_START, "<mark>").replace(store.MATCH_END, "</mark>"))
