"""``/DATABASE/TABLE.csv?_stream=1``: a whole table of a quotes database as CSV from one query,
sent in large chunks.

Datasette streams a table as pages of at most 1,000 rows, each found again with a keyset clause
(``published < :p or published is null or (published = :p and id > :id)``) that no index
answers, and sends every row as a chunk of its own: on a million quotes that is 15,000 rows a
second, a minute a download.  For the plain request (no filter, column choice or labels) this
sends the same header and rows in the table's own order from one query.  Anything else —
and any table or setting it does not cover — is left to Datasette.
"""
from __future__ import annotations

import asyncio
import csv
import io
from urllib.parse import parse_qsl

from datasette.utils import LimitedWriter, WriteLimitExceeded, add_cors_headers, escape_sqlite, tilde_decode
from datasette.utils.asgi import AsgiStream

from ..store import TABLES
from .connections import map_file
from .databases import corpus

# Tables with a primary key and no binary column (Datasette writes a blob as a link to it).
STREAMED = {name for name, spec in TABLES.items() if spec["pk"] and bytes not in spec["columns"].values()}
# Query parameters that do not change which rows or columns are sent (_size: Datasette's page size).
PLAIN = {"_stream", "_size", "_dl"}
ROWS_PER_CHUNK = 2_000


def csv_wrapper(datasette):
    """An ASGI wrapper that answers the plain whole-table CSV stream of every quotes database."""

    def wrap(app):
        async def whole_table_csv(scope, receive, send):
            found = await _plain_stream(datasette, scope) if scope["type"] == "http" else None
            if found is None:
                await app(scope, receive, send)
                return
            await _response(datasette, *found, scope).asgi_send(send)

        return whole_table_csv

    return wrap


async def _plain_stream(datasette, scope) -> tuple[str, str] | None:
    """(database, table), when this request is the plain CSV stream of a whole table of a
    quotes database that anyone may read."""
    path = scope.get("path", "")
    parts = path[1:-len(".csv")].split("/") if path.startswith("/") and path.endswith(".csv") else []
    database, table = (tilde_decode(parts[0]), tilde_decode(parts[1])) if len(parts) == 2 else (None, None)
    args = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    if (scope["method"] != "GET" or table not in STREAMED or not set(args) <= PLAIN or not args.get("_stream")
            or args.get("_size", "max") != "max" or datasette.setting("base_url") != "/"
            or not datasette.setting("allow_csv_stream") or corpus(datasette, database) is None):
        return None
    if not await datasette.get_database(database).table_exists(table):
        return None
    for action, resource in (("view-instance", None), ("view-database", database), ("view-table", (database, table))):
        if not await datasette.permission_allowed(None, action, resource, default=True):
            return None  # Datasette checks the actor
    return database, table


def _response(datasette, database: str, table: str, scope) -> AsgiStream:
    args = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    headers = {}
    if datasette.cors:
        add_cors_headers(headers)
    content_type = "text/plain; charset=utf-8"
    if args.get("_dl"):
        content_type = "text/csv; charset=utf-8"
        headers["content-disposition"] = f'attachment; filename="{table}.csv"'

    async def stream(writer) -> None:
        db = datasette.get_database(database)
        columns = await db.table_columns(table)
        keys = ", ".join(escape_sqlite(k) for k in await db.primary_keys(table))
        metadata = datasette.table_metadata(database, table)
        # Datasette's order: the table's sort (or sort_desc) column, then the primary key.
        if metadata.get("sort_desc"):
            order = f"{escape_sqlite(metadata['sort_desc'])} desc, {keys}"
        elif metadata.get("sort"):
            order = f"{escape_sqlite(metadata['sort'])}, {keys}"
        else:
            order = keys
        sql = f"select {', '.join(escape_sqlite(c) for c in columns)} from {escape_sqlite(table)} order by {order}"
        # Datasette's max_csv_mb, counted the same way; the stream ends (with Datasette's message)
        # before the first chunk of rows that would pass it.
        limited = LimitedWriter(writer, datasette.setting("max_csv_mb"))
        buffer = io.StringIO()
        out = csv.writer(buffer)
        out.writerow(columns)
        loop = asyncio.get_running_loop()
        conn = db.connect()  # its own connection: the cursor is read from whichever thread is free
        try:
            map_file(conn)
            cursor = await loop.run_in_executor(datasette.executor, conn.execute, sql)
            rows = True
            while rows:
                rows = await loop.run_in_executor(datasette.executor, cursor.fetchmany, ROWS_PER_CHUNK)
                out.writerows(rows)
                await limited.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        except WriteLimitExceeded as error:
            await writer.write(str(error))
        finally:
            conn.close()

    return AsgiStream(stream, headers=headers, content_type=content_type)

