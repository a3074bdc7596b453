"""What the group, speaker and article pages show, read with Datasette's read-only queries."""
from __future__ import annotations

from datasette.utils import tilde_encode

from ..alignment import align, words
from .markup import Highlight, aligned_html, highlighted_text, quoted_span


async def _rows(db, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


def quote_anchor(quote_id: str) -> str:
    """The id of a quote's highlight on its article page."""
    return f"q-{quote_id}"


def _link(datasette, database: str, table: str, pk: str | None) -> str | None:
    return datasette.urls.row(database, table, tilde_encode(pk)) if pk else None


async def group_page(datasette, database: str, group_id: str) -> dict | None:
    """The group row, its speaker and every variant, each aligned against the representative
    when it is in the representative's language."""
    db = datasette.get_database(database)
    groups = await _rows(db, "select g.*, s.name as speaker from quote_groups g "
                             "left join speakers s on s.id = g.speaker_id where g.id = ?", [group_id])
    if not groups:
        return None
    group = groups[0]
    variants = await _rows(db, "select * from quotes where group_id = ? "
                               "order by is_original desc, published, coalesce(outlet, source), start", [group_id])
    languages = {v["id"]: v["language"] for v in variants}
    rep_language = languages.get(group["representative_quote_id"])
    group["words"] = len(words(group["representative"]))
    for v in variants:
        v["href"] = _link(datasette, database, "quotes", v["id"])
        v["speaker_href"] = _link(datasette, database, "speakers", v["speaker_id"])
        v["article_href"] = _link(datasette, database, "articles", v["article_id"]) + "#" + quote_anchor(v["id"])
        v["is_representative"] = v["id"] == group["representative_quote_id"]
        v["aligned"] = v["words_quoted"] = None
        if not v["is_representative"] and v["language"] == rep_language:
            steps = align(group["representative"], v["text"])
            v["aligned"] = aligned_html(steps)
            v["words_quoted"] = sum(len(s.representative.split()) for s in quoted_span(steps)[1] if s.op != "insert")
    group["speaker_href"] = _link(datasette, database, "speakers", group["speaker_id"])
    group["original_quote"] = next((v for v in variants if v["is_original"]), None)
    return {"group": group, "variants": variants}


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
    return {"speaker": speakers[0], "aliases": aliases, "quotes": quotes, "groups": groups, "outlets": outlets}


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
    q["article_href"] = _link(datasette, database, "articles", q["article_id"]) + "#" + quote_anchor(q["id"])
    q["context"] = highlighted_text(text[start:end], [Highlight(q["start"] - start, q["end"] - start, "quote",
                                                                q["article_href"], "this quote in the whole article")])
    q["speaker_href"] = _link(datasette, database, "speakers", q["speaker_id"])
    q["group_href"] = _link(datasette, database, "quote_groups", q["group_id"])
    return {"quote": q}
