"""``/DATABASE/speaker_feed.atom?speaker_id=ID``: a speaker's newest quotes as an Atom feed,
rendered by datasette-atom from the canned query ``speaker_feed`` (``store.speaker_feed_select``).

datasette-atom cannot render a feed of no entries (it takes the newest entry's date for the
feed's): a speaker with no quotes, an unknown id or a missing one would be a server error.  Each
is answered instead with a 404 or 400 that says what is wrong.
"""
from __future__ import annotations

from urllib.parse import urlencode

import sqlite_utils
from datasette.utils import tilde_decode
from datasette.utils.asgi import Request, Response

from .. import store
from .databases import corpus

QUERY = "speaker_feed"


def feed_title(speaker: str) -> str:
    return f"Quotes by {speaker}"


def feed_query(datasette, database: str) -> dict:
    """The canned query behind the feed."""
    return {
        # No title: datasette-atom would put it on every speaker's feed instead of the page's
        # "_feed_title=Quotes by NAME".
        "description": "New quotes by one speaker, newest first; each speaker's page links to them as an Atom feed "
                       "for a feed reader (this address with .atom, speaker_id and _feed_title).",
        "sql": store.speaker_feed_select(datasette.urls.table(database, "quotes")),
    }


def feed_wrapper(datasette):
    """An ASGI wrapper that answers a feed request with no entries to send, before
    datasette-atom fails on it."""

    def wrap(app):
        async def checked_feed(scope, receive, send):
            found = await _check(datasette, scope) if scope["type"] == "http" else scope
            if isinstance(found, Response):
                await found.asgi_send(send)
                return
            await app(found, receive, send)

        return checked_feed

    return wrap


async def _check(datasette, scope) -> Response | dict:
    """The 400 or 404 that says why there is no feed to send; else the request's scope, with
    the feed's title "Quotes by NAME" when the address gives none (datasette-atom would title
    it with the query's SQL)."""
    parts = scope.get("path", "").split("/")
    if len(parts) != 3 or parts[2] != f"{QUERY}.atom" or corpus(datasette, tilde_decode(parts[1])) is None:
        return scope
    database = tilde_decode(parts[1])
    args = Request(scope, None).args
    speaker_id = (args.get("speaker_id") or "").strip()
    if not speaker_id:
        return Response.text(f"{QUERY}.atom needs a speaker: add ?speaker_id=ID (each speaker's page links to "
                             "their feed).\n", status=400)
    speaker = await datasette.get_database(database).execute_fn(
        lambda conn: store.feed_speaker(sqlite_utils.Database(conn), speaker_id))
    if speaker is None:
        return Response.text(f"No speaker with id {speaker_id} in the database {database}: no feed to send.\n",
                             status=404)
    if not speaker["quotes"]:
        return Response.text(f"{speaker['name']} has no quotes in the database {database}: no feed to send.\n",
                             status=404)
    if args.get("_feed_title"):
        return scope
    title = urlencode({"_feed_title": feed_title(speaker["name"])}).encode("latin-1")
    return {**scope, "query_string": scope.get("query_string", b"") + b"&" + title}
