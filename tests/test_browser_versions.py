"""Who printed which version of a statement, when, to whom outlets credit it, and which versions
change its meaning — in a real browser, with JavaScript on and off, over a small invented corpus
in a database not called quotes: one mayor's pledge printed by four outlets (one of them with
another number), an article with no outlet, and a radio station crediting it to her spokesman.

Served by ``quotes serve --db valdora-flood.db``; one test reads every element again from plain
``datasette FILE -m metadata.yml``."""
import re
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from .conftest import ROOT
from .serving import ARTIFACTS, chromium, needs_chromium, serving
from .test_robustness import QUOTES

pytestmark = needs_chromium

PLEDGE = "We will rebuild the three bridges over the Lemna before the winter, and no family will be left without a home"
ARTICLES = {
    "herald.txt": ("Bridges to be rebuilt, mayor says\n\nMayor Anna Kowalski of Valdora spoke to residents on Monday.\n\n"
                   f"\"{PLEDGE},\" Kowalski said.\n\nShe also said: \"The river is calmer now, but the work has only begun.\"\n"),
    "post.txt": ("Valdora mayor promises new bridges\n\nValdora's mayor, Anna Kowalski, addressed the town hall on Monday.\n\n"
                 f"\"{PLEDGE},\" Kowalski said.\n"),
    "daily.txt": ("Mayor: four bridges by winter\n\nMayor Anna Kowalski made a pledge to flood victims.\n\n"
                  f"\"{PLEDGE.replace('three', 'four')},\" Kowalski told reporters.\n"),
    "courier.txt": ("Flood recovery begins in Valdora\n\nMayor Anna Kowalski visited the riverbank on Thursday.\n\n"
                    "\"We will rebuild the three bridges over the Lemna before the winter,\" Mayor Kowalski said, adding "
                    "that help was on its way.\n\n\"Nobody should sleep in a tent this winter,\" Kowalski said later.\n"),
    "undated.txt": ("Residents wait for help\n\nAnna Kowalski, the mayor, spoke again.\n\n"
                    f"\"{PLEDGE},\" Kowalski said.\n"),
    "relay.txt": ("City hall repeats the pledge\n\nThe city's spokesman, Jonas Brell, read the promise out on Wednesday.\n\n"
                  f"\"{PLEDGE},\" Brell said.\n"),
}
SOURCES = ("file,outlet,published,url\nherald.txt,Valdora Herald,2026-03-02,\npost.txt,Northern Post,2026-03-02,\n"
           "daily.txt,Lemna Daily,2026-03-03,\ncourier.txt,Coast Courier,2026-03-05,\nrelay.txt,Valdora Radio,2026-03-04,\n")
DB = "valdora-flood"  # the database's name: not "quotes"


@pytest.fixture(scope="module")
def pledge_db(tmp_path_factory, nlp):
    from quotes.build import build

    folder = tmp_path_factory.mktemp("pledge")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    path = tmp_path_factory.mktemp("pledge-db") / f"{DB}.db"
    build([folder], path, nlp=nlp)
    return path


@pytest.fixture(scope="module")
def server(pledge_db):
    """``quotes serve``, run from the database's folder (no metadata.yml there)."""
    with serving([QUOTES, "serve", "--db", pledge_db.name], pledge_db.parent) as url:
        yield url


@pytest.fixture(scope="module")
def plain_server(pledge_db):
    """Plain Datasette with the repository's metadata.yml."""
    with serving([sys.executable, "-m", "datasette", "serve", "-i", str(pledge_db), "-m",
                  str(ROOT / "metadata.yml"), "--host", "127.0.0.1"], ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def tab(request, browser):
    context = browser.new_context(java_script_enabled=request.param, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.javascript = request.param
    yield page
    context.close()


def _pledge_group(db_path) -> str:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        row = conn.execute("select group_id from quotes where text like '%four bridges%'").fetchone()
    assert row, "the pledge was not extracted"
    return row[0]


def _speaker(db_path) -> str:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("select id from speakers where name like '%Kowalski%'").fetchone()[0]


def _shot(tab, locator, name: str) -> None:
    """One screenshot per element, taken with JavaScript on (the page is the same without)."""
    if tab.javascript:
        ARTIFACTS.mkdir(exist_ok=True)
        locator.screenshot(path=str(ARTIFACTS / name))


def test_the_version_that_changes_a_number_is_flagged_above_its_word_marks(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    section = tab.locator("section.meaning")
    assert "1 version" in section.locator(".meaning-summary").inner_text()
    assert section.locator("dl.meaning-kinds dt").all_inner_texts() == ["number or date"]
    assert "“three” and “3” count as the same" in section.locator("dl.meaning-kinds dd").inner_text()
    _shot(tab, section, "meaning-flags.png")
    flagged = tab.locator("li.variant", has=tab.locator(".variant-flags .meaning-flag"))
    assert flagged.count() == 1
    assert flagged.locator(".outlet").inner_text() == "Lemna Daily"
    flag = flagged.locator(".variant-flags .flag").inner_text()
    assert "“4” here" in flag and "printed “3”" in flag
    # the flags sit above the version's word marks
    assert flagged.locator(".variant-flags + p.aligned, .variant-flags + p.verbatim").count() == 1
    _shot(tab, flagged, "meaning-flag-on-a-version.png")
    # the fragment that stops before "and no family ..." and the copies are not flagged
    assert tab.locator("li.variant .variant-flags .meaning-flag").count() == 1


def test_each_wording_is_shown_once_with_its_outlets_and_the_earliest(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    items = tab.locator("ol.rendering-list li.rendering")
    assert items.count() == 3
    first = items.nth(0).inner_text()
    assert "three bridges" in first and "no family" in first
    assert "printed by 3 outlets and 1 article whose outlet is not named" in first
    assert "first printed on 2 March 2026" in first
    assert "Northern Post and Valdora Herald" in first
    assert "“Residents wait for help”" in first  # the article with no outlet, by its heading
    assert "four bridges" in items.nth(1).inner_text() and "Lemna Daily" in items.nth(1).inner_text()
    assert "5 March 2026" in items.nth(2).inner_text()
    _shot(tab, tab.locator("ol.rendering-list"), "renderings.png")


def test_the_statement_timeline_is_drawn_without_javascript(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    svg = tab.locator("figure.statement-timeline svg")
    assert svg.count() == 1
    assert svg.locator("g.version-dot").count() == 6  # every version, dated or not
    # each label carries the outlet's full name as its tooltip (<title>) before the text shown
    labels = [t.text_content() for t in svg.locator("text.outlet-label").all()]
    assert labels[0].endswith("Northern Post") and labels[1].endswith("Valdora Herald")
    fills = {g: svg.locator(f"g.rendering-{g} circle").first.get_attribute("fill") for g in (1, 2, 3)}
    assert len(set(fills.values())) == 3  # one colour per rendering
    # the same colour as the rendering's number in the list
    badge = tab.locator("#rendering-2 .rendering-number").evaluate("el => getComputedStyle(el).backgroundColor")
    assert badge == _rgb(fills[2])
    assert "no date" in svg.text_content() and "2 Mar" in svg.text_content()
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 100
    _shot(tab, tab.locator("figure.statement-timeline"), "statement-timeline.png")


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_the_speaker_page_counts_each_spelling_of_the_name(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/speakers/{_speaker(pledge_db)}")
    rows = tab.locator("table.spellings tbody tr")
    spellings = {r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text() for r in rows.all()}
    assert spellings["Anna Kowalski"] == "5 times"  # once in each article
    assert spellings["Kowalski"] == "5 times"  # alone, not counting its place in the longer names
    assert spellings["Mayor Kowalski"] == "1 time"
    assert "She" not in spellings  # a pronoun is not a spelling of the name
    _shot(tab, tab.locator("table.spellings"), "speaker-spellings.png")


def test_the_speaker_page_draws_statements_per_day_and_links_a_feed(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/speakers/{_speaker(pledge_db)}")
    svg = tab.locator("figure.day-timeline svg")
    bars = svg.locator("g.day-bar")
    assert bars.count() == 4  # 2 to 5 March, the quiet 4th included
    titles = [bar.locator("title").text_content() for bar in bars.all()]
    assert titles[0] == "2026-03-02: 2 statements, 3 quotes" and titles[2].startswith("2026-03-04: 0 statements")
    assert titles[3] == "2026-03-05: 2 statements, 2 quotes"
    _shot(tab, tab.locator("section.speaker-timeline"), "speaker-timeline.png")
    link = tab.locator("section.speaker-timeline a[type='application/atom+xml']")
    assert tab.locator("head link[rel=alternate][type='application/atom+xml']").count() == 1
    feed = tab.request.get(server + link.get_attribute("href"))
    assert feed.ok and "xml" in feed.headers["content-type"]
    atom = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(feed.body())
    assert root.find("a:title", atom).text == "Quotes by Anna Kowalski"
    entries = root.findall("a:entry", atom)
    assert len(entries) == 7
    assert {e.find("a:updated", atom).text[:10] for e in entries} >= {"2026-03-02", "2026-03-03", "2026-03-05"}
    assert all(re.fullmatch(rf"/{DB}/quotes/\w+", e.find("a:link", atom).get("href")) for e in entries)
    # the article with no date: said in the entry, listed last, dated by the newest article
    undated = [e for e in entries if e.find("a:title", atom).text.endswith("(date unknown)")]
    assert len(undated) == 1 and undated[0] is entries[-1]
    assert "The article gives no date" in undated[0].find("a:content", atom).text
    assert undated[0].find("a:updated", atom).text.startswith("2026-03-05")


def test_the_canned_query_lists_the_versions_that_change_the_meaning(tab, server):
    tab.goto(f"{server}/{DB}/meaning_changes")
    assert "Versions that change the meaning" in tab.locator("h1").inner_text()
    rows = tab.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 1
    assert rows.locator("td.col-kind").inner_text() == "number"
    assert rows.locator("td.col-outlet").inner_text() == "Lemna Daily"
    _shot(tab, tab.locator("table.rows-and-columns"), "meaning-query.png")


def test_the_kicker_counts_named_outlets_and_articles_without_one(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    kicker = " ".join(tab.locator("p.kicker").inner_text().split())
    assert kicker.casefold() == ("One statement by Anna Kowalski, as 5 outlets and 1 article whose outlet is not named "
                                 "reported it").casefold()
    _shot(tab, tab.locator("p.kicker"), "group-kicker.png")


def test_the_group_page_says_outlets_credit_the_statement_to_two_speakers(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    credits = tab.locator("div.credits")
    assert "Outlets attribute this statement differently" in credits.inner_text()
    assert "files it under Anna Kowalski, the speaker most of its versions credit" in " ".join(credits.inner_text().split())
    items = [" ".join(i.split()) for i in credits.locator("li").all_inner_texts()]
    assert items[0] == ("Anna Kowalski — 5 versions, printed by Coast Courier, Lemna Daily, Northern Post, "
                               "Valdora Herald and 1 article whose outlet is not named")
    assert items[1] == "Jonas Brell — 1 version, printed by Valdora Radio"
    brell = credits.locator("a.speaker", has_text="Jonas Brell")
    assert re.fullmatch(rf"/{DB}/speakers/\w+", brell.get_attribute("href"))
    _shot(tab, credits, "group-credits.png")
    brell.click()
    assert tab.locator("h1").inner_text() == "Jonas Brell"


def test_each_version_says_what_joined_it_to_the_statement(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    radio = tab.locator("li.variant", has=tab.locator(".outlet", has_text="Valdora Radio"))
    assert radio.locator("p.grouped-by").inner_text() == "joined by the same words"
    courier = tab.locator("li.variant", has=tab.locator(".outlet", has_text="Coast Courier"))
    assert re.fullmatch(r"joined by \d+ words in order", courier.locator("p.grouped-by").inner_text())
    # every version but the one the statement was built around carries its evidence
    assert tab.locator("li.variant p.grouped-by").count() == tab.locator("li.variant").count() - 1
    legend = tab.locator("section.variants p.legend .grouped-by-legend").inner_text()
    assert "the same words" in legend and "a translation of the linked original" in legend
    colour = radio.locator("p.grouped-by").evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(102, 102, 102)"  # muted
    _shot(tab, radio, "version-grouped-by.png")


def test_the_versions_come_before_the_renderings_and_the_timeline(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/quote_groups/{_pledge_group(pledge_db)}")
    order = [tab.locator(selector).first.bounding_box()["y"] for selector in
             ("h1.statement", "section.meaning", "section.variants", "section.renderings", "figure.statement-timeline")]
    assert order == sorted(order)
    ARTIFACTS.mkdir(exist_ok=True)
    if tab.javascript:
        tab.screenshot(path=str(ARTIFACTS / "group-page.png"), full_page=True)


def test_the_meaning_query_links_each_statement_and_version(tab, server, pledge_db):
    tab.goto(f"{server}/{DB}/meaning_changes")
    row = tab.locator("table.rows-and-columns tbody tr")
    group = row.locator("td.col-group_id a")
    assert group.get_attribute("href") == f"/{DB}/quote_groups/{_pledge_group(pledge_db)}"
    version = row.locator("td.col-quote_id a")
    assert re.fullmatch(rf"/{DB}/quotes/\w+", version.get_attribute("href"))
    group.click()
    assert tab.locator("section.variants").count() == 1


def test_a_feed_with_nothing_to_send_says_why(server):
    for query, status, message in [("speaker_id=nobody", 404, "No speaker with id nobody"),
                                    ("", 400, "needs a speaker")]:
        try:
            urllib.request.urlopen(f"{server}/{DB}/speaker_feed.atom?{query}", timeout=10)
            pytest.fail("a feed of nothing was sent")
        except urllib.error.HTTPError as error:
            assert error.code == status and message in error.read().decode()


@pytest.mark.parametrize("path, selector", [
    ("quote_groups/{group}", "section.meaning .meaning-kinds"), ("quote_groups/{group}", "div.credits li"),
    ("quote_groups/{group}", "li.variant p.grouped-by"), ("quote_groups/{group}", "figure.statement-timeline svg"),
    ("quote_groups/{group}", "ol.rendering-list li"), ("speakers/{speaker}", "table.spellings tr"),
    ("speakers/{speaker}", "figure.day-timeline svg"), ("speakers/{speaker}", "a[type='application/atom+xml']"),
    ("meaning_changes", "td.col-group_id a")])
def test_plain_datasette_shows_every_element_too(tab, plain_server, pledge_db, path, selector):
    tab.goto(f"{plain_server}/{DB}/" + path.format(group=_pledge_group(pledge_db), speaker=_speaker(pledge_db)))
    assert tab.locator(selector).count() >= 1
