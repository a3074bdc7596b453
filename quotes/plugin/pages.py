"""What the statement, speaker, article and quote pages show: the rows ``store`` reads for
them, with links and the words a first-time reader needs.  Each page's data also carries its
``title`` (the browser tab's)."""
from __future__ import annotations

from collections import Counter
from typing import Awaitable, Callable
from urllib.parse import urlencode

import sqlite_utils
from datasette.utils import tilde_encode, to_css_class

from .. import store
from ..alignment import words
from ..statement import read_statement
from .markup import Highlight, aligned_html, highlighted_text
from .wording import agreement_words, language_name, long_date, text_direction
from .versions import group_versions, speaker_versions

MAX_SWAPS = 3  # examples of one word printed for another, beside the agreement figure
# A statement reprinted thousands of times: its page lists this many versions (the first in
# reading order, then any flagged as changing the meaning), this many wordings, and this many
# outlets beside each wording; every version stays one link away, in the quotes table.
MAX_VERSIONS = 100
MAX_RENDERINGS = 50
MAX_OUTLETS = 20
CONTEXT_CHARS = 300  # of the article around a quote, on the quote's page
# The columns a reader needs on each table page, in order, with their headings; ?_wide=1 shows all.
TABLE_COLUMNS = {
    "quotes": [("published", "date"), ("outlet", "outlet"), ("speaker_id", "speaker"), ("text", "quote"),
               ("kind", "kind"), ("group_id", "statement (every version)")],
    "quote_groups": [("representative", "statement (fullest English version)"), ("speaker_id", "speaker"),
                     ("variants", "versions"), ("outlets", "outlets"), ("agreement", "agreement"),
                     ("original_language", "original in"), ("first_published", "first published")],
    "articles": [("published", "date"), ("outlet", "outlet"), ("title", "title"), ("language", "language"),
                 ("source", "file")],
    "speakers": [("name", "speaker"), ("kind", "kind"), ("quote_count", "quotes")],
}


def compact_cells(table: str):
    """For a table of :data:`TABLE_COLUMNS`, a function of Datasette's ``display_rows``, the
    page's ``rows`` and the search's highlighted texts by id (``marked``) that gives each row's
    cells of the shown columns in their order, as (CSS class, value type, what the cell shows);
    a column the table lacks is left out.  Picked here, once per row: the template's loop over
    every cell of a row for each shown column cost a quarter of the quotes table page (25
    columns, 100 rows)."""
    shown = [(name, to_css_class(name)) for name, _ in TABLE_COLUMNS[table]]

    def cells(display_rows, rows, marked: dict) -> list[list[tuple]]:
        picked = []
        for row, raw in zip(display_rows, rows):
            by_column = {cell["column"]: cell for cell in row}
            text = marked.get(raw["id"]) if marked else None
            picked.append([(css, by_column[name]["value_type"],
                            text if name == "text" and text else by_column[name]["value"])
                           for name, css in shown if name in by_column])
        return picked

    return cells


async def _read(datasette, database: str, read: Callable[[sqlite_utils.Database], object]):
    """``read(db)`` on one of Datasette's read-only connections to the database."""
    return await datasette.get_database(database).execute_fn(lambda conn: read(sqlite_utils.Database(conn)))


def quote_anchor(quote_id: str) -> str:
    """The id of a quote's highlight on its article page."""
    return f"q-{quote_id}"


def _link(datasette, database: str, table: str, pk: str | None) -> str | None:
    return datasette.urls.row(database, table, tilde_encode(pk)) if pk else None


def _article_link(datasette, database: str, quote: dict) -> str:
    return _link(datasette, database, "articles", quote["article_id"]) + "#" + quote_anchor(quote["id"])


async def group_page(datasette, database: str, group_id: str) -> dict | None:
    """A statement: every version in the order of :func:`quotes.statement.read_statement`, marked
    word by word, with which article each comes from and what the agreement figures mean."""
    statement, flags = await _read(datasette, database, lambda db: (read_statement(db, group_id),
                                                                    store.group_meaning_flags(db, group_id)))
    if statement is None:
        return None
    group, variants = statement["group"], statement["variants"]
    translated = bool(group["original"])
    flagged = {flag["quote_id"] for flag in flags}
    shown = [v for i, v in enumerate(variants) if i < MAX_VERSIONS or v["id"] in flagged][: 2 * MAX_VERSIONS]
    for v in shown:
        v["href"] = _link(datasette, database, "quotes", v["id"])
        v["speaker_href"] = _link(datasette, database, "speakers", v["speaker_id"])
        v["article_href"] = _article_link(datasette, database, v)
        v["date"] = long_date(v["published"])
        v["aligned"] = aligned_html(v["steps"]) if v["steps"] is not None else None
        if v["agreement"] is not None:
            v["agreement_words"] = agreement_words(v["agreement"], translated=translated)
    group["speaker_href"] = _link(datasette, database, "speakers", group["speaker_id"])
    group["original_language_name"] = language_name(group["original_language"])
    group["original_direction"] = text_direction(group["original_language"])
    group["first_date"] = long_date(group["first_published"])
    group["agreement_words"] = agreement_words(group["agreement"], translated=translated)
    group["swaps"] = _swaps(variants)[:MAX_SWAPS]
    group["speaker_languages"] = [language_name(code) for code in group["speaker_languages"]]
    group["named_outlets"] = len({v["outlet"] for v in variants if v["outlet"]})
    group["unnamed_articles"] = len({v["article_id"] for v in variants if not v["outlet"]})
    group["credits"] = _credits(datasette, database, variants)
    page = {"group": group, "variants": shown, "title": "Statement: " + _cut(group["representative"]),
            "versions_total": len(variants),
            "versions_href": datasette.urls.table(database, "quotes") + "?" + urlencode({"group_id": group_id}),
            **group_versions(group, variants, flags)}
    page["renderings_shown"] = page["renderings"][:MAX_RENDERINGS]
    page["max_outlets"] = MAX_OUTLETS
    return page


def _credits(datasette, database: str, variants: list[dict]) -> list[dict]:
    """When outlets credit the statement to more than one speaker: each speaker (None: the
    versions whose article names nobody) with their versions' outlets, the most versions first."""
    by_speaker: dict[str | None, list[dict]] = {}
    for v in variants:
        by_speaker.setdefault(v["speaker_id"], []).append(v)
    if len([s for s in by_speaker if s]) < 2:
        return []
    return sorted(({"name": found[0]["speaker"], "href": _link(datasette, database, "speakers", speaker_id),
                    "versions": len(found), "outlets": sorted({v["outlet"] for v in found if v["outlet"]}),
                    "unnamed_articles": len({v["article_id"] for v in found if not v["outlet"]})}
                   for speaker_id, found in by_speaker.items()),
                  key=lambda c: (c["name"] is None, -c["versions"], c["name"] or ""))


def _swaps(variants: list[dict]) -> list[tuple[str, str]]:
    """One word printed for another (representative, version), the commonest first, then in
    the order the versions were published."""
    found: Counter[tuple[str, str]] = Counter()
    of_steps: dict[int, list[tuple[str, str]]] = {}  # a wording reprinted many times shares its steps: read once
    for v in sorted(variants, key=lambda v: (v["published"] or "", v["outlet"] or v["source"], v["start"])):
        steps = v["steps"] or []
        if id(steps) not in of_steps:
            pairs = [(words(s.representative), words(s.variant)) for s in steps if s.op == "substitute"]
            of_steps[id(steps)] = [(rep[0], var[0]) for rep, var in pairs if len(rep) == len(var) == 1]
        found.update(of_steps[id(steps)])
    return [pair for pair, _ in found.most_common()]


async def speaker_page(datasette, database: str, speaker_id: str) -> dict | None:
    """A speaker's aliases, quotes by date, statements, the named outlets that quoted them and
    the articles with no outlet named that did, and a CSV of their quotes."""
    page, texts = await _read(datasette, database, lambda db: (store.speaker_rows(db, speaker_id),
                                                               store.speaker_article_texts(db, speaker_id)))
    if page is None:
        return None
    for q in page["quotes"]:
        q["href"] = _link(datasette, database, "quotes", q["id"])
        q["group_href"] = _link(datasette, database, "quote_groups", q["group_id"])
        q["article_href"] = _article_link(datasette, database, q)
    for g in page["groups"]:
        g["href"] = _link(datasette, database, "quote_groups", g["id"])
    for a in page["articles"]:
        a["href"] = _link(datasette, database, "articles", a["id"])
    page["csv_href"] = datasette.urls.table(database, "quotes", format="csv") + "?" + urlencode(
        {"speaker_id": speaker_id, "_stream": "1", "_size": "max", "_dl": "1"})
    page["title"] = "Speaker: " + page["speaker"]["name"]
    return {**page, **speaker_versions(datasette, database, page, texts)}


async def article_page(datasette, database: str, article_id: str) -> dict | None:
    """An article's text with its quotes (linked to their rows and groups) and the speaker
    mentions they are attributed to highlighted."""
    article, quotes = await _read(datasette, database, lambda db: store.article_rows(db, article_id))
    if article is None:
        return None
    highlights = []
    for q in quotes:
        highlights.append(Highlight(q["start"], q["end"], f"quote kind-{q['kind']}",
                                    _link(datasette, database, "quotes", q["id"]),
                                    f"{q['kind']} quote, attributed to {q['speaker'] or 'nobody'}",
                                    _link(datasette, database, "quote_groups", q["group_id"]), q["variants"] or 1,
                                    anchor=quote_anchor(q["id"])))
        if q["speaker_id"] and q["speaker_start"] is not None and q["speaker_end"] is not None:
            highlights.append(Highlight(q["speaker_start"], q["speaker_end"], "mention",
                                        _link(datasette, database, "speakers", q["speaker_id"]),
                                        f"speaker: {q['speaker'] or 'unresolved'}"))
    article["date"] = long_date(article["published"])
    return {"article": article, "quotes": quotes, "text": highlighted_text(article["text"], highlights),
            "title": "Article: " + _cut(article["title"] or article["source"])}


async def quote_page(datasette, database: str, quote_id: str) -> dict | None:
    """A quote in the words around it in its article, with its speaker and its group."""
    q = await _read(datasette, database, lambda db: store.quote_row(db, quote_id))
    if q is None:
        return None
    text = q.pop("article_text")
    start, end = max(0, q["start"] - CONTEXT_CHARS), min(len(text), q["end"] + CONTEXT_CHARS)
    q["before"], q["after"] = start > 0, end < len(text)
    q["date"] = long_date(q["published"])
    q["article_href"] = _article_link(datasette, database, q)
    q["context"] = highlighted_text(text[start:end], [Highlight(q["start"] - start, q["end"] - start, "quote",
                                                                q["article_href"], "this quote in the whole article")])
    q["speaker_href"] = _link(datasette, database, "speakers", q["speaker_id"])
    q["group_href"] = _link(datasette, database, "quote_groups", q["group_id"])
    return {"quote": q, "title": "Quote: " + _cut(q["text"])}


def _cut(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


# table -> what its page adds to the document's head
ROW_HEADS = {"speakers": "quotes/speaker-head.html"}
# table -> (template variable, template, the page's data)
ROW_PAGES: dict[str, tuple[str, str, Callable[..., Awaitable[dict | None]]]] = {
    "quote_groups": ("quotes_group", "quotes/group.html", group_page),
    "speakers": ("quotes_speaker", "quotes/speaker.html", speaker_page),
    "articles": ("quotes_article", "quotes/article.html", article_page),
    "quotes": ("quotes_quote", "quotes/quote.html", quote_page),
}
