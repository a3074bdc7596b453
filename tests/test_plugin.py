import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup
from datasette.app import Datasette
from datasette.utils import tilde_encode

from quotes import store
from quotes.alignment import Step, align
from quotes.plugin.markup import Highlight, aligned_html, highlighted_text

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
TABLES = ["quotes", "speakers", "speaker_aliases", "quote_groups", "articles"]


@pytest.fixture
def datasette(seed_db):
    return Datasette([str(seed_db)], immutables=[], metadata=METADATA)


@pytest.fixture(scope="module")
def ids(seed_db):
    """Rows of the sample articles the page tests look at, found by content, not by id."""
    db = store.open_db(seed_db)
    missiles = next(db.query("select * from quotes where text like '%missiles of treachery%'"))
    return {"group": missiles["group_id"], "speaker": missiles["speaker_id"], "article": missiles["article_id"],
            "quote": missiles["id"]}


@pytest.mark.parametrize("path", ["/quotes/quotes", "/quotes/speakers", "/quotes/quote_groups", "/quotes/articles",
                                  "/quotes/speaker_aliases", "/quotes/quotes.csv?_stream=1", "/quotes"])
async def test_pages_answer(datasette, path):
    response = await datasette.client.get(path)
    assert response.status_code == 200, path


async def test_plugin_comes_in_through_its_entry_point_with_templates_and_static(datasette):
    plugins = {p["name"]: p for p in (await datasette.client.get("/-/plugins.json")).json()}
    assert plugins["quotes"]["templates"] and plugins["quotes"]["static"]
    for asset in ("quotes.css", "quotes.js"):
        assert (await datasette.client.get(f"/-/static-plugins/quotes/{asset}")).status_code == 200


async def test_csv_stream_has_every_quote(datasette, seed_db):
    response = await datasette.client.get("/quotes/quotes.csv?_stream=1")
    assert len(response.text.strip().splitlines()) == store.open_db(seed_db)["quotes"].count + 1


@pytest.mark.parametrize("table", TABLES)
async def test_every_table_downloads_as_csv(datasette, seed_db, table):
    response = await datasette.client.get(f"/quotes/{table}.csv?_stream=1&_size=max")
    assert response.status_code == 200
    header = response.text.splitlines()[0].split(",")
    assert set(store.open_db(seed_db)[table].columns_dict) <= set(header)


async def test_every_canned_query_answers_as_a_page_and_as_csv(datasette, ids):
    samples = {"group_id": ids["group"], "name": "Kadhimi"}  # parameters with a value that has rows
    queries = (await datasette.client.get("/quotes.json")).json()["queries"]
    assert {"group_variants", "speaker_quotes", "export"} <= {q["name"] for q in queries}
    for spec in queries:
        query = spec["name"]
        params = {name: samples.get(name, "") for name in re.findall(r"(?<!:):(\w+)", spec["sql"])}
        page = await datasette.client.get(f"/quotes/{query}", params=params)
        assert page.status_code == 200, query
        response = await datasette.client.get(f"/quotes/{query}.csv", params={**params, "_stream": "1"})
        assert response.status_code == 200 and response.text.splitlines(), query
        if set(params) <= set(samples):
            assert len(response.text.strip().splitlines()) >= 2, query


@pytest.mark.parametrize("table", TABLES)
async def test_every_row_page_answers(datasette, seed_db, table):
    db = store.open_db(seed_db)
    pks = db[table].pks
    for row in db.query(f"select {', '.join(pks)} from [{table}]"):
        path = ",".join(tilde_encode(str(row[pk])) for pk in pks)
        assert (await datasette.client.get(f"/quotes/{table}/{path}")).status_code == 200, path


async def test_group_page_marks_each_variant_against_the_representative(datasette, ids, seed_db):
    html = (await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text
    changed = re.search(r'<span class="changed"><del[^>]*>(.*?)</del><ins[^>]*>(.*?)</ins>', html)
    assert changed and "rockets" in changed.group(1) and "missiles" in changed.group(2)
    assert "[−" in html and "[+" in html  # text marks, readable without colour
    db = store.open_db(seed_db)
    group = db["quote_groups"].get(ids["group"])
    assert f"{group['agreement'] * 100:.0f}% word-for-word agreement" in html
    for quote in db.query("select id, speaker_id, article_id from quotes where group_id = ?", [ids["group"]]):
        assert f'href="/quotes/quotes/{quote["id"]}"' in html
        assert f'href="/quotes/articles/{quote["article_id"]}#q-{quote["id"]}"' in html
        if quote["speaker_id"]:
            assert f'href="/quotes/speakers/{quote["speaker_id"]}"' in html


async def test_group_page_shows_the_original_right_to_left(datasette, ids, seed_db):
    group = store.open_db(seed_db)["quote_groups"].get(ids["group"])
    assert group["original"], "the Arabic original is not linked to the treachery group"
    html = (await datasette.client.get(f"/quotes/quote_groups/{ids['group']}")).text
    original = re.search(r'<blockquote dir="auto" lang="(\w+)" class="original-text">(.*?)</blockquote>', html, re.S)
    assert original and original.group(1) == "ar" and "الغدر" in original.group(2)


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
    assert "The Jerusalem Post" in html.split("Outlets that quoted them")[1]


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


async def test_quotes_search_and_facets(datasette):
    rows = (await datasette.client.get("/quotes/quotes.json?_search=treachery&_shape=array")).json()
    assert len(rows) >= 2 and all("treachery" in r["text"].lower() for r in rows)
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
    html = aligned_html(align("the rockets of treachery", "The missiles of treachery"))
    assert re.fullmatch(r'The <span class="changed"><del[^>]*>.*rockets.*</del><ins[^>]*>.*missiles.*</ins></span> '
                        r"of treachery", html)


def test_aligned_html_summarises_what_a_fragment_leaves_out():
    steps = [Step("delete", "they said the", ""), Step("equal", "rockets", "rockets"), Step("equal", "of", "of"),
             Step("equal", "treachery", "treachery"), Step("delete", "will fail", "")]
    html = aligned_html(steps)
    assert re.fullmatch(r'<span class="unquoted"[^>]*>… 3 more words[^<]*</span> rockets of treachery '
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
                               {"id": "a2", "source": "a2.txt", "text": "y"}])
    db["speakers"].insert({"id": "s1", "name": "A Speaker", "kind": "person", "quote_count": 2})
    db["quote_groups"].insert({"id": "g1", "representative": "we will not be shaken", "representative_quote_id": "q1",
                               "original": "لن نهتز", "original_language": "ar", "speaker_id": "s1", "variants": 2,
                               "outlets": 2, "agreement": 1.0})
    db["quotes"].insert_all([
        {"id": "q1", "article_id": "a1", "source": "a1.txt", "text": "we will not be shaken", "kind": "full",
         "language": "en", "group_id": "g1", "is_original": 0, "speaker_id": "s1", "speaker": "A Speaker"},
        {"id": "q2", "article_id": "a2", "source": "a2.txt", "text": "لن نهتز", "kind": "post", "language": "ar",
         "group_id": "g1", "is_original": 1, "handle": "@someone"}])
    datasette = Datasette([str(tmp_path / "quotes.db")], metadata=METADATA)
    html = (await datasette.client.get("/quotes/quote_groups/g1")).text
    assert '<blockquote dir="auto" lang="ar" class="original-text">لن نهتز</blockquote>' in html
    assert "as posted in" in html and "@someone" in html and "outlet is not stated (a2.txt)" in html
    assert html.index("original-text") < html.index("Every version")


async def test_quote_page_shows_the_quote_in_its_article_and_links_its_group(datasette, ids, seed_db):
    html = (await datasette.client.get(f"/quotes/quotes/{ids['quote']}")).text
    q = store.open_db(seed_db)["quotes"].get(ids["quote"])
    article = f'/quotes/articles/{q["article_id"]}#q-{q["id"]}'
    assert re.search(rf'<a class="quote" href="{article}" title="[^"]*">The missiles of treachery', html)
    assert f'href="/quotes/quote_groups/{q["group_id"]}"' in html and "Every version of this statement" in html
    assert f'href="/quotes/speakers/{q["speaker_id"]}"' in html


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
