"""The plugin's pages, labels, search and queries for a database of any file name, recognised by
its tables; another database served beside it keeps Datasette's own pages.  Over a small
hand-made database with invented people, so each figure is known."""
import re
import sqlite3
from html import unescape
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

from quotes import store

ROOT = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())
QUOTES = [  # id, article, text, speaker, group, language, original
    ("q1", "a1", "The boats hit the northern pier, before dawn.", "s1", "g1", "en", 0),
    ("q2", "a2", "The boat hit the northern pier, before dawn.", "s1", "g1", "en", 0),
    ("q3", "a3", "هذا تخريب", "s1", "g1", "ar", 1),
    ("q4", "a2", "Sabotage will not close the harbour.", "s2", "g2", "en", 0),
]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def make_quotes_database(path: Path, description: dict[str, str] | None = None) -> Path:
    db = store.open_db(path)
    store.ensure_db_shape(db)
    db["articles"].insert_all([
        {"id": "a1", "source": "pier-one.txt", "title": "Pier struck at dawn", "outlet": "Harbour Herald",
         "published": "2024-05-02", "text": "x"},
        {"id": "a2", "source": "pier-two.txt", "title": "pier-two.txt", "published": "2024-05-03", "text": "y"},
        {"id": "a3", "source": "pier-three.txt", "title": "Statement of the port authority", "outlet": "Port Daily",
         "published": "2024-05-02", "language": "ar", "text": "z"}])
    db["speakers"].insert_all([{"id": "s1", "name": "Ilse Marnow", "kind": "person", "quote_count": 3},
                               {"id": "s2", "name": "Teodor Vaskan", "kind": "person", "quote_count": 1}])
    db["speaker_aliases"].insert_all([{"alias": "Ilse Marnow", "speaker_id": "s1"}, {"alias": "Marnow", "speaker_id": "s1"},
                                      {"alias": "Teodor Vaskan", "speaker_id": "s2"}])
    db["quote_groups"].insert_all([
        {"id": "g1", "representative": QUOTES[0][2], "representative_quote_id": "q1", "original": QUOTES[2][2],
         "original_language": "ar", "speaker_id": "s1", "variants": 3, "outlets": 3, "agreement": 0.9,
         "first_published": "2024-05-02"},
        {"id": "g2", "representative": QUOTES[3][2], "representative_quote_id": "q4", "speaker_id": "s2",
         "variants": 1, "outlets": 1, "agreement": 1.0, "first_published": "2024-05-03"}])
    outlets = {"a1": "Harbour Herald", "a2": None, "a3": "Port Daily"}
    db["quotes"].insert_all([
        {"id": qid, "article_id": art, "source": f"{art}.txt", "text": text, "start": 0, "end": len(text),
         "speaker_id": sid, "speaker": {"s1": "Ilse Marnow", "s2": "Teodor Vaskan"}[sid], "kind": "full",
         "language": lang, "group_id": gid, "is_original": orig, "agreement": None if orig else 0.9,
         "outlet": outlets[art], "published": "2024-05-02" if art != "a2" else "2024-05-03"}
        for qid, art, text, sid, gid, lang, orig in QUOTES])
    store.save_corpus_description(db, description or {})
    db.close()
    return path


@pytest.fixture
def harbour(tmp_path):
    """A quotes database named harbour.db, describing itself, and a plain database beside it."""
    path = make_quotes_database(tmp_path / "harbour.db", {"title": "Harbour strike coverage",
                                                          "source": "Port newsletters", "source_url": "https://example.org/port"})
    other = tmp_path / "inventory.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table quotes (id text primary key, price real)")
        conn.execute("insert into quotes values ('x1', 2.5)")
    return Datasette([str(path), str(other)], metadata=METADATA)


@pytest.mark.parametrize("path, marker", [
    ("/harbour/quote_groups/g1", "Original, in"), ("/harbour/speakers/s1", "Named in the articles as"),
    ("/harbour/articles/a1", "1 quote found"), ("/harbour/quotes/q1", "In the article")])
async def test_row_pages_are_the_plugins_whatever_the_database_is_called(harbour, path, marker):
    html = (await harbour.client.get(path)).text
    assert 'class="quotes-page"' in html and marker in html


async def test_another_database_keeps_datasettes_own_pages(harbour):
    row = (await harbour.client.get("/inventory/quotes/x1")).text
    assert "quotes-page" not in row and "x1" in row
    queries = (await harbour.client.get("/inventory.json")).json()["queries"]
    assert queries == []
    assert "Search every quote" not in (await harbour.client.get("/inventory")).text


async def test_the_home_page_shows_what_the_corpus_says_about_itself(harbour):
    text = _text((await harbour.client.get("/")).text)
    assert "Harbour strike coverage" in text and "Articles: Port newsletters" in text
    sample = yaml.safe_load((ROOT / "seeds" / "corpus.yml").read_text(encoding="utf-8"))
    assert sample["source"] not in text  # the sample corpus's description is the sample's alone
    html = (await harbour.client.get("/")).text
    assert 'action="/harbour/quotes"' in html and 'action="/inventory/quotes"' not in html
    table = _text((await harbour.client.get("/harbour/quotes")).text)
    assert "Data source: Port newsletters" in table


async def test_internal_tables_are_hidden_and_tables_have_readers_names(harbour):
    data = (await harbour.client.get("/harbour.json")).json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    assert {"quote_vectors", "facet_counts", "corpus"} <= hidden
    assert {"group_variants", "speaker_quotes", "translations_differ_most", "export"} <= {q["name"] for q in data["queries"]}
    assert "<h1>The export</h1>" in re.sub(r"<h1[^>]*>", "<h1>", (await harbour.client.get("/harbour/export")).text)
    html = (await harbour.client.get("/harbour/quote_groups")).text
    assert "<h1>Statements</h1>" in html
    assert ">Arabic</span>" in html and ">ar<" not in html
    assert '<span title="0.9">90%</span>' in html
    facets = (await harbour.client.get("/harbour/quote_groups.json?_facet=outlets&_facet=original_language")).json()
    labels = {r["label"] for f in facets["facet_results"].values() for r in f["results"]}
    assert {"Arabic", "3 outlets", "1 outlet"} <= labels


async def test_quotes_table_links_speakers_and_statements_by_name_alone_and_folds_the_glossary(harbour):
    html = (await harbour.client.get("/harbour/quotes")).text
    assert '<a href="/harbour/speakers/s1" dir="auto">Ilse Marnow</a>' in html
    assert "<em>s1</em>" not in html and "<em>g1</em>" not in html
    glossary = html.split('<details class="column-glossary">')[1].split("</details>")[0]
    assert "speaker_mention" in glossary and "CREATE TABLE" in glossary
    assert html.count("CREATE TABLE") == 1 and html.count('class="column-descriptions"') == 1


@pytest.mark.parametrize("search, found", [("boat", {"q1", "q2"}), ("boats", {"q1", "q2"}),
                                           ("sabot*", {"q4"}), ("harbo*", {"q4"}), ("pier dawn", {"q1", "q2"})])
async def test_search_stems_takes_a_prefix_and_marks_the_matches(harbour, search, found):
    rows = (await harbour.client.get("/harbour/quotes.json", params={"_search": search, "_shape": "array"})).json()
    assert {r["id"] for r in rows} == found
    html = (await harbour.client.get("/harbour/quotes", params={"_search": search})).text
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert marked and all(m.casefold().startswith(search.split()[0].rstrip("*")[:5]) or m.casefold() in search
                          for m in marked), marked


async def test_speaker_page_counts_named_outlets_and_lists_other_articles(harbour):
    html = (await harbour.client.get("/harbour/speakers/s1")).text
    text = _text(html)
    assert "quoted by 2 outlets and in 1 article whose outlet is not named" in text
    outlets = text.split("Outlets that quoted them")[1].split("Articles with no outlet named")[0]
    assert "Harbour Herald" in outlets and "Port Daily" in outlets and "pier-two" not in outlets
    assert "pier-two.txt · 2024-05-03 — 1 quote" in text.split("Articles with no outlet named that quoted them")[1]
    csv_href = unescape(re.search(r'<a class="csv-link" href="([^"]+)"', html).group(1))
    response = await harbour.client.get(csv_href)
    rows = response.text.strip().splitlines()
    assert response.status_code == 200 and rows[0].startswith("id,") and len(rows) == 1 + 3
    assert all(",s1," in row for row in rows[1:])


async def test_a_facet_on_a_missing_column_is_a_bad_request(harbour):
    response = await harbour.client.get("/harbour/quotes.json?_facet=nope")
    assert response.status_code == 400 and "nope" in response.text


def test_served_tables_and_the_store_agree():
    from quotes.plugin.metadata import table_metadata

    assert set(table_metadata()) == set(store.TABLES)


async def test_canned_queries_link_statements_and_versions(harbour):
    html = (await harbour.client.get("/harbour/group_variants", params={"group_id": "g1"})).text
    assert '<td class="col-group_id"><a href="/harbour/quote_groups/g1"' in html
    assert '<a href="/harbour/articles/a1" title="the article">a1</a>' in html
    html = (await harbour.client.get("/harbour/speaker_quotes", params={"name": "Vaskan"})).text
    assert '<a href="/harbour/quote_groups/g2" title="every version of this statement">g2</a>' in html


async def test_the_speaker_feed_names_its_speaker_and_says_why_it_has_nothing_to_send(harbour):
    path = harbour.get_database("harbour").path
    with sqlite3.connect(path) as conn:
        conn.execute("insert into speakers (id, name, kind, quote_count) values ('s3', 'Mira Quell', 'person', 0)")
    feed = await harbour.client.get("/harbour/speaker_feed.atom", params={"speaker_id": "s2"})
    assert feed.status_code == 200 and "<title>Quotes by Teodor Vaskan</title>" in feed.text
    assert feed.text.count("<entry>") == 1 and "/harbour/quotes/q4" in feed.text
    for speaker_id, status, message in [("s3", 404, "Mira Quell has no quotes in the database harbour"),
                                        ("s9", 404, "No speaker with id s9 in the database harbour"),
                                        ("", 400, "speaker_feed.atom needs a speaker")]:
        response = await harbour.client.get("/harbour/speaker_feed.atom", params={"speaker_id": speaker_id})
        assert response.status_code == status and message in response.text
