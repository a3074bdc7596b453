"""The metadata of every quotes database, whatever its file is called: how its tables are
described, labelled, sorted and faceted (``tables.yml``, ``store.FACET_COLUMNS``), its canned
queries (``store.CANNED_QUERIES``) and what the corpus says about itself (its ``corpus`` table).

Metadata a ``-m`` file gives wins over this (Datasette merges plugin metadata first), so a
publisher can still override any of it.
"""
from __future__ import annotations

import copy
from functools import cache
from importlib.resources import files

import yaml
from datasette import hookimpl

from .. import store
from .databases import corpus, quotes_databases
from .feed import QUERY as FEED_QUERY, feed_query

PACKAGED_METADATA = files(__package__) / "metadata.yml"


@cache
def table_metadata() -> dict[str, dict]:
    """The tables' metadata for any quotes database, facets included."""
    tables = yaml.safe_load((files(__package__) / "tables.yml").read_text(encoding="utf-8"))
    for table, columns in store.FACET_COLUMNS.items():
        tables[table]["facets"] = list(columns)
    return tables


def database_metadata(description: dict[str, str]) -> dict:
    """A quotes database's metadata: its tables, and its title and source as the corpus states them.

    A new copy each time, down to each table's columns and facets: Datasette merges other
    metadata into what the hook returns, in place.  (Copied by hand: ``copy.deepcopy`` made
    every metadata lookup, dozens a page, take a quarter of a millisecond.)"""
    tables = {table: {key: value.copy() if isinstance(value, (dict, list)) else value for key, value in spec.items()}
              for table, spec in table_metadata().items()}
    return {**description, "tables": tables}


@hookimpl
def get_metadata(datasette, key, database, table) -> dict:
    # Called for every metadata lookup: corpus() reads each database once per version of its file.
    return {"databases": {name: database_metadata(description)
                          for name, description in quotes_databases(datasette).items()}}


@hookimpl
def canned_queries(datasette, database: str) -> dict:
    """``store.CANNED_QUERIES``, and the speaker feed's (:mod:`.feed`)."""
    if corpus(datasette, database) is None:
        return {}
    return {**copy.deepcopy(store.CANNED_QUERIES), FEED_QUERY: feed_query(datasette, database)}
