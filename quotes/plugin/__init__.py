"""The Datasette plugin: pages for variant groups, speakers, articles and quotes; alias search; the export query.

A package, so that Datasette finds ``templates/`` and ``static/`` beside it (it looks them up
with ``importlib.resources.files(plugin.__name__)``, which needs a package on Python 3.11).
Registered with the ``datasette`` entry point, so plain ``datasette db/quotes.db -m metadata.yml``
shows the same pages as ``quotes serve``.
"""
from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup

from ..store import EXPORT_SELECT, MEANING_CHANGES_SELECT, speaker_feed_select
from .connections import prepare_connection  # noqa: F401  (hook: memory-mapped reads)
from .facets import register_facet_classes  # noqa: F401  (hook: whole-table facets from the stored counts)
from .pages import article_page, group_page, quote_page, speaker_page
from . import readonly
from .csv_stream import csv_wrapper
from .readonly import handle_exception  # noqa: F401  (hook: a reader's mistake is a 4xx)

PLUGIN = "quotes"
DATABASE = "quotes"  # db/quotes.db, the name metadata.yml and the page templates are written for
ROW_PAGES = {"quote_groups": ("quotes_group", group_page), "speakers": ("quotes_speaker", speaker_page),
             "articles": ("quotes_article", article_page), "quotes": ("quotes_quote", quote_page)}
# Columns whose text may be in a right-to-left script: the browser picks the direction per cell.
TEXT_COLUMNS = {("quotes", "text"), ("quote_groups", "representative"), ("quote_groups", "original"),
                ("speaker_aliases", "alias"), ("speakers", "name")}
# Columns whose text links to the row's own page, so a reader clicks the words, not a hash.
OWN_PAGE_COLUMNS = {("quotes", "text"), ("quote_groups", "representative"), ("articles", "title"), ("speakers", "name")}


@hookimpl
def extra_template_vars(view_name: str, database: str, table: str, request, datasette):
    if view_name != "row" or database != DATABASE or table not in ROW_PAGES or request is None:
        return {}
    name, page = ROW_PAGES[table]

    async def inner() -> dict:
        data = await page(datasette, database, tilde_decode(request.url_vars["pks"]))
        return {name: data, "quotes_found": data is not None}

    return inner


@hookimpl
def asgi_wrapper(datasette):
    """Read-only first (a POST goes no further), then the whole-table CSV streams."""
    read_only, whole_table_csv = readonly.asgi_wrapper(datasette), csv_wrapper(datasette, DATABASE)
    return lambda app: read_only(whole_table_csv(app))


@hookimpl
def canned_queries(datasette, database: str) -> dict:
    """``/quotes/export.csv?_stream=1``: the rows and columns of ``quotes export --format csv``;
    the versions that change the meaning; ``/quotes/speaker_feed.atom?speaker_id=ID``: a
    speaker's newest quotes as an Atom feed (rendered by datasette-atom)."""
    if database != DATABASE:
        return {}
    return {"meaning_changes": {
        "title": "Versions that change the meaning",
        "description": "Versions of a statement that differ from its representative version in a negation, a number "
                       "or date, a name, a modal verb (will, may, must, can) or a qualifier (alleged, apparently, "
                       "reportedly), within the words they both quote. Different wording alone (a translation "
                       "choice, a cut) is not listed.",
        "sql": MEANING_CHANGES_SELECT,
    }, "speaker_feed": {
        # No title: datasette-atom would put it on every speaker's feed instead of the page's
        # "_feed_title=Quotes by NAME".
        "description": "New quotes by one speaker, newest first; each speaker's page links to them as an Atom feed "
                       "for a feed reader (this address with .atom, speaker_id and _feed_title).",
        "sql": speaker_feed_select(datasette.urls.table(database, "quotes")),
    }, "export": {
        "title": "The export",
        "description": "One row per quote found in the articles' text (embedded social posts left out), with the "
                       "columns of quotes export --format csv; download it as CSV below.",
        "sql": EXPORT_SELECT + " where kind in ('full', 'fragment') order by source, start",
    }}


@hookimpl
def extra_css_urls(datasette) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN, "quotes.css")]


@hookimpl
def filters_from_request(request, table: str):
    """``/speakers?_alias=kadhimi``: speakers any of whose names contains the words, so a speaker
    is found by every spelling and handle the articles used."""
    alias = (request.args.get("_alias") or "").strip()
    if table != "speakers" or not alias:
        return None
    return FilterArguments(
        ["(id in (select speaker_id from speaker_aliases where alias like '%' || :alias || '%')"
         " or name like '%' || :alias || '%')"],
        {"alias": alias}, [f'any name contains "{alias}"'])


@hookimpl
def render_cell(row, value, column: str, table: str, database: str, datasette):
    if not isinstance(value, str) or (table, column) not in TEXT_COLUMNS | OWN_PAGE_COLUMNS:
        return None
    if (table, column) in OWN_PAGE_COLUMNS and "id" in row.keys():
        href = datasette.urls.row(database, table, tilde_encode(str(row["id"])))
        return Markup('<a href="{}" dir="auto">{}</a>').format(href, value)
    return Markup('<span dir="auto">{}</span>').format(value)
