"""What the group, speaker and article pages show, read with Datasette's read-only queries."""
from __future__ import annotations

import numpy as np
from datasette.utils import tilde_encode

from ..alignment import align, words
from ..embeddings import MODEL
from ..variants import ENGLISH
from .versions import group_versions, speaker_versions
from .markup import Highlight, aligned_html, highlighted_text, quoted_span
from .wording import agreement_words, article_heading, language_name, long_date, text_direction

OPENING_CHARS = 600  # of an article's text, enough for its first lines: what it is about
MAX_SWAPS = 3  # examples of one word printed for another, beside the agreement figure
WHOLE = 0.8  # share of the representative's words a version renders to be compared whole with the original
# Versions whose cosines with the original differ by less than this are called equally close:
# a chosen margin (the encoder does not rank near-equal translations reliably), not a measured one.
TIE = 0.02


async def _rows(db, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


def quote_anchor(quote_id: str) -> str:
    """The id of a quote's highlight on its article page."""
    return f"q-{quote_id}"


def _link(datasette, database: str, table: str, pk: str | None) -> str | None:
    return datasette.urls.row(database, table, tilde_encode(pk)) if pk else None


async def group_page(datasette, database: str, group_id: str) -> dict | None:
    """The group row, its speaker and every variant, each aligned against the representative
    when it is in the representative's language, with the words a first-time reader needs: which
    article each version comes from, how close each English version is to the original, and what
    the agreement figures mean."""
    db = datasette.get_database(database)
    groups = await _rows(db, "select g.*, s.name as speaker from quote_groups g "
                             "left join speakers s on s.id = g.speaker_id where g.id = ?", [group_id])
    if not groups:
        return None
    group = groups[0]
    # The opening of an article is read only when no outlet names it.
    variants = await _rows(db, "select q.*, case when q.outlet is null then substr(a.text, 1, ?) end "
                               "as article_opening from quotes q "
                               "join articles a on a.id = q.article_id where q.group_id = ? "
                               "order by q.is_original desc, q.published, coalesce(q.outlet, q.source), q.start",
                           [OPENING_CHARS, group_id])
    languages = {v["id"]: v["language"] for v in variants}
    rep_language = languages.get(group["representative_quote_id"])
    group["words"] = len(words(group["representative"]))
    swaps: dict[tuple[str, str], None] = {}
    for v in variants:
        v["href"] = _link(datasette, database, "quotes", v["id"])
        v["speaker_href"] = _link(datasette, database, "speakers", v["speaker_id"])
        v["article_href"] = _link(datasette, database, "articles", v["article_id"]) + "#" + quote_anchor(v["id"])
        opening = v.pop("article_opening")
        v["heading"] = None if v["outlet"] else article_heading(opening)
        v["date"] = long_date(v["published"])
        v["is_representative"] = v["id"] == group["representative_quote_id"]
        v["aligned"] = v["words_quoted"] = None
        if not v["is_representative"] and v["language"] == rep_language:
            steps = align(group["representative"], v["text"])
            v["aligned"] = aligned_html(steps)
            v["words_quoted"] = sum(len(s.representative.split()) for s in quoted_span(steps)[1] if s.op != "insert")
            swaps.update({(s.representative, s.variant): None for s in steps
                          if s.op == "substitute" and " " not in s.representative + s.variant})
        if v["agreement"] is not None:
            v["agreement_words"] = agreement_words(v["agreement"], translated=bool(group["original"]))
    group["speaker_href"] = _link(datasette, database, "speakers", group["speaker_id"])
    group["original_quote"] = next((v for v in variants if v["is_original"]), None)
    group["representative_quote"] = next((v for v in variants if v["is_representative"]), None)
    group["original_language_name"] = language_name(group["original_language"])
    group["original_direction"] = text_direction(group["original_language"])
    group["first_date"] = long_date(group["first_published"])
    group["compared"] = sum(1 for v in variants if v["aligned"] is not None)
    group["agreement_words"] = agreement_words(group["agreement"], translated=bool(group["original"]))
    group["swaps"] = list(swaps)[:MAX_SWAPS]
    if group["original_quote"]:
        variants = await _closest_to_original(db, group, variants)
        group["speaker_languages"] = []
    else:
        # The representative first, then the versions that quote most of it, the most alike first.
        variants.sort(key=lambda v: (not v["is_representative"], -(v["words_quoted"] or 0), -(v["agreement"] or 0)))
        # Versions of a speaker the articles also quote in another language may be translations.
        group["speaker_languages"] = [language_name(r["language"]) for r in await _rows(
            db, "select distinct language from quotes where speaker_id = ? and language not in (%s) order by 1"
                % ", ".join("?" for _ in ENGLISH), [group["speaker_id"], *ENGLISH])] if group["speaker_id"] else []
    return {"group": group, "variants": variants, **await group_versions(db, group, variants)}


async def _closest_to_original(db, group: dict, variants: list[dict]) -> list[dict]:
    """The variants, original first, then English versions by how close their stored sentence
    vector is to the original's; the versions that render (nearly) the whole statement and come
    within ``TIE`` of the best are marked closest.  A version rendering a part of the statement
    scores lower for that alone, so it is never marked."""
    rows = await _rows(db, "select v.quote_id, v.vector from quote_vectors v join quotes q on q.id = v.quote_id "
                           "where q.group_id = ? and v.model = ?", [group["id"], MODEL])
    vectors = {r["quote_id"]: np.frombuffer(r["vector"], dtype=np.float32) for r in rows}
    original = vectors.get(group["original_quote"]["id"])
    for v in variants:
        v["closeness"] = (float(vectors[v["id"]] @ original)
                          if original is not None and v["id"] in vectors and not v["is_original"] else None)
        v["whole"] = v["is_representative"] or (v["words_quoted"] or 0) >= WHOLE * group["words"]
    scored = [v["closeness"] for v in variants if v["closeness"] is not None and v["whole"]]
    best = max(scored, default=None)
    for v in variants:
        v["closest"] = best is not None and v["whole"] and v["closeness"] is not None and v["closeness"] >= best - TIE
    group["closest"] = sum(v["closest"] for v in variants)
    return sorted(variants, key=lambda v: (not v["is_original"], v["closeness"] is None, -(v["closeness"] or 0.0)))


async def speaker_page(datasette, database: str, speaker_id: str) -> dict | None:
    """A speaker's aliases, quotes by date, variant groups and the outlets that quoted them."""
    db = datasette.get_database(database)
    speakers = await _rows(db, "select * from speakers where id = ?", [speaker_id])
    if not speakers:
        return None
    aliases = [r["alias"] for r in await _rows(
        db, "select alias from speaker_aliases where speaker_id = ? order by alias", [speaker_id])]
    quotes = await _rows(db, "select q.*, g.variants from quotes q left join quote_groups g on g.id = q.group_id "
                             "where q.speaker_id = ? order by q.published, coalesce(q.outlet, q.source), q.start",
                         [speaker_id])
    for q in quotes:
        q["href"] = _link(datasette, database, "quotes", q["id"])
        q["group_href"] = _link(datasette, database, "quote_groups", q["group_id"])
        q["article_href"] = _link(datasette, database, "articles", q["article_id"]) + "#" + quote_anchor(q["id"])
    groups = await _rows(db, "select g.id, g.representative, g.variants, g.outlets, g.agreement from quote_groups g "
                             "where g.id in (select group_id from quotes where speaker_id = ?) "
                             "order by g.variants desc, g.first_published", [speaker_id])
    for g in groups:
        g["href"] = _link(datasette, database, "quote_groups", g["id"])
    outlets = await _rows(db, "select outlet, case when outlet is null then source end as source, count(*) as quotes "
                              "from quotes where speaker_id = ? group by 1, 2 order by 3 desc, 1, 2", [speaker_id])
    # Articles with no outlet are named by their heading, read once per article, not per quote.
    headings = {r["source"]: article_heading(r["opening"]) for r in await _rows(
        db, "select source, substr(text, 1, ?) as opening from articles where outlet is null "
            "and id in (select article_id from quotes where speaker_id = ?)", [OPENING_CHARS, speaker_id])}
    for row in quotes + outlets:
        row["heading"] = None if row["outlet"] else headings.get(row["source"])
    return {"speaker": speakers[0], "aliases": aliases, "quotes": quotes, "groups": groups, "outlets": outlets,
            **await speaker_versions(datasette, database, speakers[0], quotes)}


async def article_page(datasette, database: str, article_id: str) -> dict | None:
    """An article's text with its quotes (linked to their rows and groups) and the speaker
    mentions they are attributed to highlighted."""
    db = datasette.get_database(database)
    articles = await _rows(db, "select * from articles where id = ?", [article_id])
    if not articles:
        return None
    quotes = await _rows(db, "select q.*, g.variants from quotes q left join quote_groups g on g.id = q.group_id "
                             "where q.article_id = ? order by q.start", [article_id])
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
    article = articles[0]
    return {"article": article, "quotes": quotes, "text": highlighted_text(article["text"], highlights)}


async def quote_page(datasette, database: str, quote_id: str, context: int = 300) -> dict | None:
    """A quote in the words around it in its article, with its speaker and its group."""
    db = datasette.get_database(database)
    quotes = await _rows(db, "select q.*, g.variants, g.representative, a.text as article_text from quotes q "
                             "join articles a on a.id = q.article_id left join quote_groups g on g.id = q.group_id "
                             "where q.id = ?", [quote_id])
    if not quotes:
        return None
    q = quotes[0]
    text = q.pop("article_text")
    start, end = max(0, q["start"] - context), min(len(text), q["end"] + context)
    q["before"], q["after"] = start > 0, end < len(text)
    q["heading"] = None if q["outlet"] else article_heading(text[:OPENING_CHARS])
    q["date"] = long_date(q["published"])
    q["article_href"] = _link(datasette, database, "articles", q["article_id"]) + "#" + quote_anchor(q["id"])
    q["context"] = highlighted_text(text[start:end], [Highlight(q["start"] - start, q["end"] - start, "quote",
                                                                q["article_href"], "this quote in the whole article")])
    q["speaker_href"] = _link(datasette, database, "speakers", q["speaker_id"])
    q["group_href"] = _link(datasette, database, "quote_groups", q["group_id"])
    return {"quote": q}
