import csv
import io
import re
from datetime import date
from html import escape, unescape
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup
from datasette.app import Datasette
from datasette.utils import tilde_encode

from quotes import store
from quotes.alignment import Step, align
from quotes.embeddings import MODEL
from quotes.plugin.markup import Highlight, aligned_html, highlighted_text
from quotes.statement import TIE, WHOLE
from quotes.plugin.wording import agreement_words

from .conftest import shown

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
TABLES = ["quotes", "speakers", "speaker_aliases", "quote_groups", "articles"]


@pytest.fixture
def datasette(seed_db):
    return Datasette([str(seed_db)], immutables=[], metadata=METADATA)


@pytest.fixture(scope="module")
def ids(seed_db, seed_statement):
    """Rows of the sample articles the page tests look at, found by content, not by id: the first
    whole quote of the statement the key gives an original post, looked up by the key's text."""
    db = store.open_db(seed_db)
    found = list(db.query("select * from quotes where text = ? and source = ?",
                          [seed_statement["quote"], seed_statement["source"]]))
    assert len(found) == 1, "the key's first whole quote of the statement with an original was not extracted"
    [quote] = found
    return {"group": quote["group_id"], "speaker": quote["speaker_id"], "article": quote["article_id"],
            "quote": quote["id"]}


@pytest.mark.parametrize("path", ["/quotes/quotes", "/quotes/speakers", "/quotes/quote_groups", "/quotes/articles",
                                  "/quotes/speaker_aliases", "/quotes/quotes.csv?_stream=1", "/quotes"])
async def test_pages_answer(datasette, path):
    response = await datasette.client.get(path)
    assert response.status_code == 200, path


async def test_plugin_comes_in_through_its_entry_point_with_templates_and_static(datasette):
    plugins = {p["name"]: p for p in (await datasette.client.get("/-/plugins.json")).json()}
    assert plugins["quotes"]["templates"] and plugins["quotes"]["static"]
    assert (await datasette.client.get("/-/static-plugins/quotes/quotes.css")).status_code == 200


async def test_csv_stream_has_every_quote(datasette, seed_db):
    response = await datasette.client.get("/quotes/quotes.csv?_stream=1")
    assert len(response.text.strip().splitlines()) == store.open_db(seed_db)["quotes"].count + 1


@pytest.mark.parametrize("table", TABLES)
async def test_every_table_downloads_as_csv(datasette, seed_db, table):
    response = await datasette.client.get(f"/quotes/{table}.csv?_stream=1&_size=max")
    assert response.status_code == 200
    header = response.text.splitlines()[0].split(",")
    assert set(store.open_db(seed_db)[table].columns_dict) <= set(header)


async def test_every_canned_query_answers_as_a_page_and_as_csv(datasette, ids, seed_poster):
    samples = {"group_id": ids["group"], "name": seed_poster["bare_surname"]}  # parameters with a value that has rows
    queries = (await datasette.client.get("/quotes.json")).json()["queries"]
    assert {"group_variants", "speaker_quotes", "export"} <= {q["name"] for q in queries}
    for spec in queries:
        query = spec["name"]
        params = {name: samples.get(name, "") for name in re.findall(r"(?<!:):(\w+)", spec["sql"])}
        page = await datasette.client.get(f"/quotes/{query}", params=params)
        assert page.status_code == 200, query
        response = await datasette.client.get(f"/quotes/{query}.csv", params={**params, "_stream": "1"})
        assert response.status_code == 200 and response.text.splitlines(), query
        if query == "meaning_changes":  # no version of the sample articles changes a statement's meaning
            assert len(response.text.strip().splitlines()) == 1, response.text
        elif set(params) <= set(samples):
            assert len(response.text.strip().splitlines()) >= 2, query


@pytest.mark.parametrize("table", TABLES)
async def test_every_row_page_answers(datasette, seed_db, table):
    db = store.open_db(seed_db)
    pks = db[table].pks
    for row in db.query(f"select {', '.join(pks)} from [{table}]"):
        path = ",".join(tilde_encode(str(row[pk])) for pk in pks)
        assert (await datasette.client.get(f"/quotes/{table}/{path}")).status_code == 200, path


async def test_group_page_marks_each_variant_against_the_representative(datasette, ids, seed_db, seed_statement):
    html = (await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text
    changed = re.findall(r'<span class="changed"><del[^>]*>(.*?)</del><ins[^>]*>(.*?)</ins>', html)
    # a word one of the key's texts puts for another's, marked as the page's substitution
    assert any(re.search(rf"\b{a}\b", deleted) and re.search(rf"\b{b}\b", inserted)
               for deleted, inserted in changed for a, b in seed_statement["swaps"]), changed
    assert "[−" in html and "[+" in html  # text marks, readable without colour
    db = store.open_db(seed_db)
    group = db["quote_groups"].get(ids["group"])
    assert f"{group['agreement'] * 100:.0f}% word-for-word agreement" in html
    for quote in db.query("select id, speaker_id, article_id from quotes where group_id = ?", [ids["group"]]):
        assert re.search(rf'href="/quotes/quotes/{quote["id"]}" title="[^"]*">in context</a>', html)
        assert f'href="/quotes/articles/{quote["article_id"]}#q-{quote["id"]}"' in html
        if quote["speaker_id"]:
            assert f'href="/quotes/speakers/{quote["speaker_id"]}"' in html


async def test_group_page_shows_the_original_right_to_left_and_names_its_language(datasette, ids, seed_db, seed_poster):
    group = store.open_db(seed_db)["quote_groups"].get(ids["group"])
    assert group["original"], "the Arabic original is not linked to its statement's group"
    html = (await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text
    original = re.search(r'<blockquote dir="rtl" lang="(\w+)" class="original-text">(.*?)</blockquote>', html, re.S)
    assert original and original.group(1) == seed_poster["language"]
    assert shown(seed_poster["text"]) in shown(unescape(original.group(2)))
    # the language's name is in the page itself, not put there by a script
    assert '<h2>Original, in <span lang="en">Arabic</span>' in html and "data-language" not in html
    assert "quotes.js" not in html


def _text(html: str) -> str:
    """What a reader sees: the page without its tags, its spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _variant_items(html: str) -> list[str]:
    return re.findall(r'<li class="variant[^"]*">.*?</li>', html, re.S)


async def test_group_page_says_the_heading_is_one_outlets_translation(datasette, ids, seed_db, gold):
    db = store.open_db(seed_db)
    group = db["quote_groups"].get(ids["group"])
    rep = db["quotes"].get(group["representative_quote_id"])
    original = next(db.query("select * from quotes where group_id = ? and is_original = 1", [ids["group"]]))
    text = _text((await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text)
    provenance = text.split("One outlet’s English translation, not ")[1].split("Attributed to")[0]
    speaker = db["speakers"].get(group["speaker_id"])["name"]
    assert provenance.startswith(f"{speaker}’s own words")
    assert rep["published"] == gold["articles"][rep["source"]]["published"]
    day = date.fromisoformat(rep["published"])
    assert f"{day.day} {day:%B %Y}" in provenance
    assert (rep["outlet"] or rep["source"]) in provenance  # the outlet, or the article's file as a small detail
    assert "It is the representative version: the fullest English version" in provenance
    said = "posted" if original["kind"] == "post" else "said"
    assert f"What {speaker} actually {said}, in Arabic, is shown below" in provenance
    assert f"Original, in Arabic — what {speaker} {said}" in text


async def test_group_page_explains_agreement_in_words(datasette, ids, seed_db, seed_statement):
    group = store.open_db(seed_db)["quote_groups"].get(ids["group"])
    text = _text((await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text)
    figure = f"{group['agreement'] * 100:.0f}% word-for-word agreement"
    explained = text.split(figure)[1].split("Every version")[0].strip()
    assert explained.startswith(f"({agreement_words(group['agreement'], translated=True)})")
    assert "Each outlet translated the Arabic on its own" in explained and "different wording is expected" in explained
    assert "not a misquote" in explained
    # a wording the versions swap, from their alignment: one of the swaps the key's texts make
    assert any(f"“{a}” / “{b}”" in explained for a, b in seed_statement["swaps"]), explained
    for q in store.open_db(seed_db).query("select agreement from quotes where group_id = ? and agreement < 1",
                                          [ids["group"]]):
        assert f"{q['agreement'] * 100:.0f}% the same words: {agreement_words(q['agreement'], translated=True)}" in text


async def test_group_page_marks_and_orders_versions_by_closeness_to_the_original(datasette, ids, seed_db):
    """Checked against the stored sentence vectors: the versions rendering at least pages.WHOLE of
    the statement and within pages.TIE of the best cosine with the original are marked; all
    English versions come after the original, nearest first."""
    db = store.open_db(seed_db)
    vectors = store.load_vectors(db, MODEL)
    quotes = {q["id"]: q for q in db.query("select * from quotes where group_id = ?", [ids["group"]])}
    original = next(q for q in quotes.values() if q["is_original"])
    cosine = {i: float(vectors[i] @ vectors[original["id"]]) for i in quotes if i != original["id"]}
    html = (await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text
    items = _variant_items(html)
    shown = [re.search(r'href="/quotes/quotes/(\w+)"', item).group(1) for item in items]
    assert shown[0] == original["id"] and shown[1:] == sorted(cosine, key=lambda i: -cosine[i])
    marked = {i for i, item in zip(shown, items) if "closest to the original" in item}
    group = db["quote_groups"].get(ids["group"])
    quoted = {i: re.search(r"quotes (\d+) of the (\d+) words", item) for i, item in zip(shown, items)}
    whole = {i for i in cosine if i == group["representative_quote_id"]
             or int(quoted[i].group(1)) >= WHOLE * int(quoted[i].group(2))}
    best = max(cosine[i] for i in whole)
    assert marked == {i for i in whole if cosine[i] >= best - TIE} and marked
    assert "nearest in meaning to the whole Arabic text" in _text(html)


async def test_group_page_names_an_article_without_an_outlet_by_its_title(datasette, seed_db):
    db = store.open_db(seed_db)
    unnamed = list(db.query("select q.group_id, q.source, a.title from quotes q join articles a on a.id = q.article_id "
                            "where q.outlet is null"))
    assert unnamed, "the sample articles have none without an outlet"
    for row in unnamed[:3]:
        html = (await datasette.client.get(f"/quotes/quote_groups/{row['group_id']}")).text
        label = re.search(r'<span class="unnamed-outlet">an article with no outlet named:</span>\s*'
                          r'<a class="outlet article-heading" href="[^"]+" title="the article">(.*?)</a>\s*'
                          r'(?:<small class="file" title="the article\'s file">(.*?)</small>)?', html, re.S)
        assert label, row["source"]
        assert unescape(label.group(1)) == row["title"]
        # the file name beside the title, unless the title is the file name (no headline could be told)
        assert label.group(2) == (None if row["title"] == row["source"] else row["source"])


async def test_quote_and_speaker_pages_name_an_article_without_an_outlet_by_its_title(datasette, seed_db):
    db = store.open_db(seed_db)
    rows = list(db.query("select q.id, q.speaker_id, q.source, a.title from quotes q join articles a on a.id = q.article_id "
                         "where q.outlet is null and q.speaker_id is not null"))
    assert rows, "the sample articles have no attributed quote without an outlet"
    for row in rows[:3]:
        label = f"an article with no outlet named: {row['title']}" + ("" if row["title"] == row["source"] else f" {row['source']}")
        quote = _text((await datasette.client.get(f"/quotes/quotes/{row['id']}")).text)
        assert f"Quote printed in {label}" in quote
        speaker = _text((await datasette.client.get(f"/quotes/speakers/{row['speaker_id']}")).text)
        unnamed = speaker.split("Articles with no outlet named that quoted them")[1]
        assert f"{row['title']} · " in unnamed
        # an article with no outlet is not counted as an outlet
        assert row["title"] not in speaker.split("Outlets that quoted them")[-1].split("Articles with no outlet")[0]


async def test_group_page_of_a_speaker_quoted_in_another_language_says_it_may_be_translated(datasette, seed_db):
    db = store.open_db(seed_db)
    group = next(db.query(
        "select g.id, s.name from quote_groups g join speakers s on s.id = g.speaker_id where g.original is null "
        "and g.variants > 1 and g.speaker_id in (select speaker_id from quotes where language = 'ar')"))
    text = _text((await datasette.client.get(f"/quotes/quote_groups/{group['id']}")).text)
    assert f"{group['name']} is quoted in Arabic elsewhere in these articles, so this may be a translation" in text
    assert "different wording is expected and a low figure is not a misquote" in text


async def test_group_page_without_an_original_lists_the_representative_then_the_fullest(datasette, seed_db):
    db = store.open_db(seed_db)
    for group in db.query("select * from quote_groups where original is null and variants > 1"):
        html = (await datasette.client.get(f"/quotes/quote_groups/{group['id']}")).text
        items = _variant_items(html)
        assert f'href="/quotes/quotes/{group["representative_quote_id"]}"' in items[0]
        assert "representative version (shown at the top)" in items[0]
        quoted = [int(re.search(r"quotes (\d+) of the", item).group(1)) for item in items[1:]]
        assert quoted == sorted(quoted, reverse=True)


async def test_group_page_of_a_lone_quote_says_nobody_else_quotes_it(datasette, seed_db):
    group = next(store.open_db(seed_db).query("select id from quote_groups where variants = 1"))
    html = (await datasette.client.get(f"/quotes/quote_groups/{group['id']}")).text
    assert "No other article in this database quotes it." in _text(html)
    assert "How to read the differences" not in html and "representative version" not in html


@pytest.mark.parametrize("wide", ["", "&_wide=1"])
async def test_every_quote_row_links_to_its_group(datasette, seed_db, wide):
    html = (await datasette.client.get(f"/quotes/quotes?_size=max{wide}")).text
    for row in store.open_db(seed_db).query("select group_id from quotes"):
        assert f'href="/quotes/quote_groups/{row["group_id"]}"' in html
    assert ('data-column="speaker_start"' in html) == bool(wide)  # the compact table leaves offsets out


async def test_speaker_page(datasette, ids, seed_db):
    html = (await datasette.client.get(f"/quotes/speakers/{ids['speaker']}")).text
    db = store.open_db(seed_db)
    for row in db.query("select alias from speaker_aliases where speaker_id = ?", [ids["speaker"]]):
        assert f'<li dir="auto">{row["alias"]}</li>' in html
    quotes = list(db.query("select id, group_id, published from quotes where speaker_id = ? order by published",
                           [ids["speaker"]]))
    positions = [html.index(f'href="/quotes/quotes/{q["id"]}"') for q in quotes]
    assert positions == sorted(positions) or len({q["published"] for q in quotes}) == 1
    for q in quotes:
        assert f'href="/quotes/quote_groups/{q["group_id"]}"' in html
    outlet = db["quotes"].get(ids["quote"])["outlet"]
    assert outlet and outlet in html.split("Outlets that quoted them")[1]


async def test_article_page_highlights_and_links_its_quotes(datasette, ids, seed_db):
    html = (await datasette.client.get(f"/quotes/articles/{ids['article']}")).text
    db = store.open_db(seed_db)
    text = db["articles"].get(ids["article"])["text"]
    for q in db.query("select * from quotes where article_id = ? and kind != 'post'", [ids["article"]]):
        assert re.search(rf'<a class="quote kind-{q["kind"]}" id="q-{q["id"]}" href="/quotes/quotes/{q["id"]}"', html), q["text"]
        assert f'<a class="group-link" href="/quotes/quote_groups/{q["group_id"]}"' in html
    shown = re.search(r'<div class="article-text"[^>]*>(.*?)</div>', html, re.S).group(1)
    shown = re.sub(r'<a class="group-link".*?</a>', "", shown)
    assert unescape(re.sub(r"<[^>]+>", "", shown)) == text  # highlighting keeps every character


async def test_quotes_search_and_facets(datasette, seed_statement):
    word = seed_statement["search"]  # a word at least two of the key's quotes print
    rows = (await datasette.client.get("/quotes/quotes.json", params={"_search": word, "_shape": "array"})).json()
    assert len(rows) >= 2 and all(word in r["text"].casefold() for r in rows)
    data = (await datasette.client.get("/quotes/quotes.json?_size=1")).json()
    assert {"speaker_id", "outlet", "kind", "language", "published"} <= set(data["facet_results"])
    by_date = (await datasette.client.get("/quotes/quotes.json?_sort=published&_shape=array")).json()
    assert [r["published"] for r in by_date] == sorted(r["published"] for r in by_date)


async def test_home_page_searches_quotes(datasette):
    html = (await datasette.client.get("/")).text
    assert '<form class="quotes-search" action="/quotes/quotes"' in html and 'name="_search"' in html


async def test_speakers_are_found_by_any_alias(datasette, ids, seed_db):
    db = store.open_db(seed_db)
    for row in db.query("select alias from speaker_aliases where speaker_id = ?", [ids["speaker"]]):
        found = (await datasette.client.get("/quotes/speakers.json", params={"_alias": row["alias"], "_shape": "array"})).json()
        assert ids["speaker"] in [s["id"] for s in found], row["alias"]
    assert (await datasette.client.get("/quotes/speakers.json?_alias=zzzz-no-such-name&_shape=array")).json() == []
    assert 'name="_alias"' in (await datasette.client.get("/quotes/speakers")).text


def test_aligned_html_marks_substitutions():
    html = aligned_html(align("the boats of autumn", "The ferries of autumn"))
    assert re.fullmatch(r'The <span class="changed"><del[^>]*>.*boats.*</del><ins[^>]*>.*ferries.*</ins></span> '
                        r"of autumn", html)


def test_aligned_html_summarises_what_a_fragment_leaves_out():
    steps = [Step("delete", "they said the", ""), Step("equal", "boats", "boats"), Step("equal", "of", "of"),
             Step("equal", "autumn", "autumn"), Step("delete", "will sail", "")]
    html = aligned_html(steps)
    assert re.fullmatch(r'<span class="unquoted"[^>]*>… 3 more words[^<]*</span> boats of autumn '
                        r'<span class="unquoted"[^>]*>… 2 more words[^<]*</span>', html)
    assert "<del" not in html


def test_aligned_html_escapes_the_words():
    html = aligned_html(align("we don't build", "we don't ever build"))
    assert "don&#39;t" in html and "don't" not in html
    assert re.search(r"<ins[^>]*>.*ever.*</ins>", html)


def test_highlighted_text_links_spans_and_skips_overlaps():
    text = 'He said "a < b" today.'
    html = highlighted_text(text, [Highlight(9, 14, "quote", "/q/1", "t", "/g/1", 3), Highlight(0, 2, "mention", "/s/1", "t"),
                                   Highlight(10, 12, "quote", "/q/2", "t")])
    assert html.count('<a class="quote"') == 1 and "/q/2" not in html
    assert '<a class="quote" href="/q/1" title="t">a &lt; b</a>' in html
    assert re.search(r'href="/g/1"[^>]*><sup>\[3 versions\]</sup>', html) and html.startswith('<a class="mention"')


async def test_group_page_renders_a_linked_original(tmp_path):
    """The page alone, over a hand-made group whose original is in Arabic."""
    db = store.open_db(tmp_path / "quotes.db")
    store.ensure_db_shape(db)
    db["articles"].insert_all([{"id": "a1", "source": "a1.txt", "outlet": "Outlet One", "text": "x"},
                               {"id": "a2", "source": "a2.txt", "title": "Cabinet meets after the vote",
                                "text": "12 March 2024\n\nCabinet meets after the vote\ny"}])
    db["speakers"].insert({"id": "s1", "name": "A Speaker", "kind": "person", "quote_count": 2})
    db["quote_groups"].insert({"id": "g1", "representative": "we will rebuild the bridge", "representative_quote_id": "q1",
                               "original": "سنعيد بناء الجسر", "original_language": "ar", "speaker_id": "s1", "variants": 2,
                               "outlets": 2, "agreement": 1.0})
    db["quotes"].insert_all([
        {"id": "q1", "article_id": "a1", "source": "a1.txt", "text": "we will rebuild the bridge", "kind": "full",
         "language": "en", "group_id": "g1", "is_original": 0, "speaker_id": "s1", "speaker": "A Speaker",
         "outlet": "Outlet One", "published": "2024-03-12"},
        {"id": "q2", "article_id": "a2", "source": "a2.txt", "text": "سنعيد بناء الجسر", "kind": "post", "language": "ar",
         "group_id": "g1", "is_original": 1, "handle": "@someone"}])
    datasette = Datasette([str(tmp_path / "quotes.db")], metadata=METADATA)
    html = (await datasette.client.get("/quotes/quote_groups/g1")).text
    assert '<blockquote dir="rtl" lang="ar" class="original-text">سنعيد بناء الجسر</blockquote>' in html
    text = _text(html)
    assert "as posted by @someone, embedded in an article with no outlet named: Cabinet meets after the vote a2.txt" in text
    assert "One outlet’s English translation, not A Speaker’s own words — as printed by Outlet One on 12 March 2024." in text
    assert html.index("original-text") < html.index("Every version")
    # no stored vectors: nothing is called closest; one English version: no agreement figure to explain
    assert "closest to the original" not in html and "word-for-word agreement" not in html


async def test_quote_page_shows_the_quote_in_its_article_and_links_its_group(datasette, ids, seed_db, seed_statement):
    html = (await datasette.client.get(f"/quotes/quotes/{ids['quote']}")).text
    q = store.open_db(seed_db)["quotes"].get(ids["quote"])
    article = f'/quotes/articles/{q["article_id"]}#q-{q["id"]}'
    assert re.search(rf'<a class="quote" href="{article}" title="[^"]*">{re.escape(escape(seed_statement["quote"]))}', html)
    assert f'href="/quotes/quote_groups/{q["group_id"]}"' in html and "Every version of this statement" in html
    assert f'href="/quotes/speakers/{q["speaker_id"]}"' in html
    # Why the quote has its speaker: the rule that chose the mention.
    assert q["attributed_by"] and f"Attributed by the rule <code>{q['attributed_by']}</code>" in html
    assert f"confidence {q['speaker_confidence']:.2f}" in html


async def test_export_query_downloads_what_the_cli_exports(datasette, seed_db):
    from click.testing import CliRunner

    from quotes.cli import cli

    web = (await datasette.client.get("/quotes/export.csv?_stream=1")).text
    command = CliRunner().invoke(cli, ["export", "--db", str(seed_db), "--format", "csv"])
    assert command.exit_code == 0
    web_rows, cli_rows = list(csv.reader(io.StringIO(web))), list(csv.reader(io.StringIO(command.output)))
    assert web_rows[0] == store.EXPORT_FIELDS and web_rows == cli_rows


@pytest.mark.parametrize("table, column", [("quotes", "text"), ("quote_groups", "representative"),
                                           ("articles", "title"), ("speakers", "name")])
async def test_table_text_links_to_the_rows_page(datasette, seed_db, table, column):
    html = (await datasette.client.get(f"/quotes/{table}?_size=max")).text
    for row in store.open_db(seed_db).query(f"select id, [{column}] as value from [{table}]"):
        assert str(Markup('<a href="/quotes/{}/{}" dir="auto">{}</a>').format(table, row["id"], row["value"])) in html


async def test_weak_attributions_are_listed_weakest_first(datasette, seed_db):
    db = store.open_db(seed_db)
    scored = [r["speaker_confidence"] for r in db.query("select speaker_confidence from quotes where kind != 'post'")]
    assert scored and all(0 <= c <= 1 for c in scored)
    response = await datasette.client.get("/quotes/weak_attributions.json?below=1.01&_shape=array")
    confidences = [row["speaker_confidence"] for row in response.json()]
    assert confidences == sorted(scored)
    # The default cut is 0.5; the table filter gives the same rows.
    weak = (await datasette.client.get("/quotes/weak_attributions.json?below=&_shape=array")).json()
    table = (await datasette.client.get("/quotes/quotes.json?speaker_confidence__lt=0.5&kind__not=post&_shape=array")).json()
    assert sorted(r["id"] for r in weak) == sorted(r["id"] for r in table)
