"""A Datasette plugin that keeps the published instance read-only and answers a bad request with
an error of the reader's (4xx), never a server error (5xx).

``quotes serve`` opens the database immutable (``datasette -i``) and Datasette 0.65 has no write
API; this closes the gaps that remain:

- any request but GET, HEAD or OPTIONS is refused with 405 before Datasette sees it: no page or
  canned query here writes, and Datasette answers a POST to a table or a read-only canned query
  with a 500 (a failed assertion);
- ``_sort`` or ``_sort_desc`` on a column the table lacks (or both at once) is reported by
  Datasette as a 500, and a malformed ``_through``, ``_timelimit`` or ``column__in=[…`` raises a
  bare Python error (a 500 too); all are the reader's mistake, so 400;
- a facet on a column the table lacks (``_facet=nope``, ``_facet_date=nope``) fails inside
  Datasette's facet stage, after it has created the other facets' coroutines, which are then
  never awaited (a RuntimeWarning each); it is refused, as a 400, before that stage;
- Datasette's default error handler prints a traceback with ``rich``, which raises when no
  exception is being handled, the case of a path no route matches: that 404 became a 500.

Its hooks are used by ``quotes.plugin``, so the one ``datasette`` entry point loads them too (its
ASGI wrapper as the outermost of the plugin's).
"""
from __future__ import annotations

import sqlite3

import datasette.handle_exception
from datasette import Response, hookimpl
from datasette.utils.asgi import BadRequest, asgi_send
from datasette.views.base import DatasetteError

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
READER_MISTAKES = ("Cannot sort table by", "Cannot use _sort and _sort_desc", "Invalid _through")
# Parameters Datasette 0.65 reads without checking them first.
UNCHECKED = ("_through", "_timelimit")

# Error pages are still rendered by Datasette; only the console traceback (with every local
# variable of every frame, for each 404) goes.
datasette.handle_exception.rich = None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                await asgi_send(send, "This Datasette instance is read-only.\n", 405,
                                headers={"Allow": "GET, HEAD, OPTIONS"}, content_type="text/plain; charset=utf-8")
                return
            await app(scope, receive, send)

        return read_only

    return wrap


@hookimpl
def handle_exception(datasette, request, exception):
    # Runs before Datasette's own handler, which renders the error with the status set here.
    if isinstance(exception, DatasetteError) and exception.status == 500 and str(exception.message).startswith(READER_MISTAKES):
        exception.status = 400
        return None
    unchecked = [k for k in request.args if k in UNCHECKED or k.endswith("__in")]
    if unchecked and isinstance(exception, (ValueError, KeyError, TypeError, sqlite3.Error)):
        message = f"Invalid {', '.join(unchecked)}: {exception}"
        if request.path.endswith(".json"):
            return Response.json({"ok": False, "error": message, "status": 400}, status=400)
        return Response.text(message + "\n", status=400)
    return None


async def check_facets(request, datasette, database: str, table: str) -> None:
    """Raise ``BadRequest`` for a facet (``_facet``, ``_facet_date``, ``_facet_array``) on a
    column ``table`` lacks."""
    asked = [(key, value) for key in request.args if key.startswith("_facet") and key != "_facet_size"
             for value in request.args.getlist(key)]
    if not asked or database not in datasette.databases:
        return
    db = datasette.get_database(database)
    if not await db.table_exists(table):
        return
    columns = set(await db.table_columns(table))
    for key, value in asked:
        if value not in columns:
            raise BadRequest(f"Cannot facet by {value!r} ({key}): the table {table} has no such column")
