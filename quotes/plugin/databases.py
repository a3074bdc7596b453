"""Which served databases are this project's, and what each corpus says about itself.

A database is recognised by its tables (:data:`quotes.store.CORE_TABLES`), not by its name, so
the pages, labels and queries work for ``db/anything.db``.  Datasette's metadata hook is
synchronous, so the check is a plain read on a connection of the database's own, made once per
version of the file (its modification time; an immutable file is read once) and remembered.
"""
from __future__ import annotations

import os

import sqlite_utils

from .. import store

# (file path, modification time or None when immutable) -> the corpus description, or None for
# a database that is not a quotes database.
_seen: dict[tuple[str, float | None], dict[str, str] | None] = {}


def corpus(datasette, name: str | None) -> dict[str, str] | None:
    """What the corpus in database ``name`` says about itself (``{}`` when it says nothing), or
    None when ``name`` is not a quotes database."""
    database = datasette.databases.get(name) if name else None
    if database is None or database.is_memory or not database.path:
        return None
    try:
        # An immutable database's file does not change while it is served (SQLite is told so):
        # no stat for it, as this is asked for every cell of a page.
        key = (database.path, os.stat(database.path).st_mtime if database.is_mutable else None)
    except OSError:
        return None
    if key not in _seen:
        conn = database.connect()
        try:
            db = sqlite_utils.Database(conn)
            _seen[key] = store.corpus_description(db) if store.is_quotes_database(db) else None
        finally:
            conn.close()
    return _seen[key]


def quotes_databases(datasette) -> dict[str, dict[str, str]]:
    """Database name -> corpus description, for every served quotes database."""
    found = {name: corpus(datasette, name) for name in datasette.databases}
    return {name: description for name, description in found.items() if description is not None}
