"""The Datasette plugin: pages for statements (variant groups), speakers, articles and quotes;
search with highlighted matches; readable labels; alias search; the export query.

A package, so that Datasette finds ``templates/`` and ``static/`` beside it (it looks them up
with ``importlib.resources.files(plugin.__name__)``, which needs a package on Python 3.11).
Registered with the ``datasette`` entry point, so plain ``datasette FILE -m metadata.yml`` shows
the same pages as ``quotes serve``.

Every hook applies to each database that has the project's tables, whatever its file is called
(:mod:`.databases`): the plugin overrides Datasette's ``row.html``, ``table.html`` and
``_table.html`` and, for a quotes database, fills them from ``templates/quotes/``; any other
database gets Datasette's own pages.
"""
from __future__ import annotations

import gc
from functools import cache

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup

from .. import store
from .connections import map_file
from .databases import corpus, quotes_databases
from .facets import LANGUAGE_COLUMNS, register_facet_classes  # noqa: F401  (hook: whole-table facets from the stored counts)
from .metadata import canned_queries, get_metadata  # noqa: F401  (hooks: metadata of any quotes database)
from .pages import ROW_HEADS, ROW_PAGES, TABLE_COLUMNS, compact_cells
from . import readonly
from .csv_stream import csv_wrapper
from .feed import feed_wrapper
from .markup import html
from .readonly import handle_exception  # noqa: F401  (hook: a reader's mistake is a 4xx)
from .search import register_functions, search_marks
from .search_plan import counts_per_request, plan_searches
from .wording import language_name

PLUGIN = "quotes"
# Columns whose text may be in a right-to-left script: the browser picks the direction per cell.
TEXT_COLUMNS = {("quotes", "text"), ("quote_groups", "representative"), ("quote_groups", "original"),
                ("speaker_aliases", "alias"), ("speakers", "name")}
# Columns whose text links to the row's own page, so a reader clicks the words, not a hash.
OWN_PAGE_COLUMNS = {("quotes", "text"), ("quote_groups", "representative"), ("articles", "title"), ("speakers", "name")}
INHERITED = ("source", "source_url", "license", "license_url", "about", "about_url")
# A canned query's column -> the table whose row page its value links to (with what the link opens).
QUERY_LINKS = {"group_id": ("quote_groups", "every version of this statement"),
               "quote_id": ("quotes", "this version with the sentences around it"),
               "speaker_id": ("speakers", "the speaker"), "article_id": ("articles", "the article")}
# (table, column) -> the table its foreign key points at.
FOREIGN_KEYS = {(table, column): other for table, spec in store.TABLES.items() for column, other, _ in spec["foreign_keys"]}
# Every column render_cell may change a cell of.
RENDERED_COLUMNS = ({column for _, column in FOREIGN_KEYS} | set(QUERY_LINKS) | {"agreement"} | LANGUAGE_COLUMNS
                    | {column for _, column in TEXT_COLUMNS | OWN_PAGE_COLUMNS})


@hookimpl(trylast=True)
def prepare_connection(conn) -> None:
    # trylast: after Datasette's own hook, whose escape_fts the plugin's replaces ("treach*").
    map_file(conn)
    register_functions(conn)


@hookimpl
def startup(datasette) -> None:
    plan_searches(datasette)
    _freeze_long_lived_objects()


@cache
def _freeze_long_lived_objects() -> None:
    """Keep what is loaded by now (Datasette, the modules the plugin imports, numpy and scipy
    among them: 100,000 objects) out of Python's full garbage collections, which walked all of
    it every ten or so page views (70 ms each time on a million quotes' pages: a tenth of the
    pages, so their 95th percentile).  Once per process; garbage first, so none is kept."""
    gc.collect()
    gc.freeze()


@hookimpl
def extra_template_vars(view_name: str, database: str, table: str, request, datasette):
    if view_name == "index":
        return {"quotes_corpora": quotes_databases(datasette)}
    if request is None or corpus(datasette, database) is None:
        return {}
    if view_name == "row" and table in ROW_PAGES:
        return _row_page(datasette, database, table, tilde_decode(request.url_vars["pks"]))
    if view_name == "table" and table in store.TABLES:  # a canned query's page is a "table" view too
        return _table_page(datasette, database, table, request)
    return {}


def _row_page(datasette, database: str, table: str, pk: str):
    name, template, page = ROW_PAGES[table]

    async def inner() -> dict:
        data = await page(datasette, database, pk)
        found = {"template": template, "title": data["title"], "head": ROW_HEADS.get(table)} if data else None
        return {name: data, "quotes_page": found}

    return inner


def _table_page(datasette, database: str, table: str, request):
    """The table's column glossary and definition folded away below its description, the
    compact columns a reader needs, and the search's matches highlighted."""
    metadata = datasette.table_metadata(database, table)
    # Datasette prints the glossary and definition in full above and below the rows: the plugin
    # folds them away.  Source and licence come from the table, else its database (what the
    # corpus says about itself), else the instance; Datasette itself skips the database.
    shown = {k: v for k, v in metadata.items() if k != "columns"}
    shown.update({key: datasette.metadata(key, database=database, table=table) for key in INHERITED})

    async def inner() -> dict:
        return {
            "metadata": shown,
            "table_definition": None,
            "quotes_table": {
                "name": table, "glossary": metadata.get("columns") or {},
                "definition": await datasette.get_database(database).get_table_definition(table),
            },
            "quotes_columns": TABLE_COLUMNS.get(table),
            "quotes_cells": compact_cells(table) if table in TABLE_COLUMNS else None,
            "quotes_marks": search_marks(datasette, database, table, request),
        }

    return inner


@hookimpl
def asgi_wrapper(datasette):
    """Read-only first (a POST goes no further), then the whole-table CSV streams, then a
    speaker feed with nothing to send; each page then counts its search once."""
    read_only, whole_table_csv, feed = readonly.asgi_wrapper(datasette), csv_wrapper(datasette), feed_wrapper(datasette)
    return lambda app: read_only(whole_table_csv(feed(counts_per_request(app))))


@hookimpl
def extra_css_urls(datasette) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN, "quotes.css")]


@hookimpl
def filters_from_request(request, database: str, table: str, datasette):
    """A facet on a column the table lacks is a bad request (see :mod:`.readonly`);
    ``/speakers?_alias=NAME``: speakers any of whose names contains the words, so a speaker is
    found by every spelling and handle the articles used."""

    async def inner() -> FilterArguments | None:
        await readonly.check_facets(request, datasette, database, table)
        alias = (request.args.get("_alias") or "").strip()
        if table != "speakers" or not alias or corpus(datasette, database) is None:
            return None
        return FilterArguments(
            ["(id in (select speaker_id from speaker_aliases where alias like '%' || :alias || '%')"
             " or name like '%' || :alias || '%')"],
            {"alias": alias}, [f'any name contains "{alias}"'])

    return inner


@hookimpl
def render_cell(row, value, column: str, table: str, database: str, datasette):
    # Called for every cell of a page (2,500 on the quotes table): the cells it leaves alone
    # are told by their column before anything else is looked at.
    if column not in RENDERED_COLUMNS or corpus(datasette, database) is None:
        return None
    if isinstance(value, dict) and value.get("label") not in (None, "", value.get("value")):
        # A speaker or statement by its name or words alone, linked; not beside its hash.
        other = FOREIGN_KEYS.get((table, column))
        if other is None:
            return None
        href = datasette.urls.row(database, other, tilde_encode(str(value["value"])))
        return html('<a href="{}" dir="auto">{}</a>', href, value["label"])
    if table is None and column in QUERY_LINKS and isinstance(value, str) and value:
        # A canned query's ids (Datasette links only a table's foreign keys).
        other, opens = QUERY_LINKS[column]
        href = datasette.urls.row(database, other, tilde_encode(value))
        return html('<a href="{}" title="{}">{}</a>', href, opens, value)
    if column == "agreement" and isinstance(value, float):
        # A share of the same words, as a reader reads a share.
        return Markup(f'<span title="{value}">{value * 100:.0f}%</span>')
    if column in LANGUAGE_COLUMNS and isinstance(value, str) and value:
        return html('<span title="{}">{}</span>', value, language_name(value))
    if not isinstance(value, str) or (table, column) not in TEXT_COLUMNS | OWN_PAGE_COLUMNS:
        return None
    if (table, column) in OWN_PAGE_COLUMNS and "id" in row.keys():
        href = datasette.urls.row(database, table, tilde_encode(str(row["id"])))
        return html('<a href="{}" dir="auto">{}</a>', href, value)
    return html('<span dir="auto">{}</span>', value)

