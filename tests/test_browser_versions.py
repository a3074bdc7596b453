"""Who printed which version of a statement, when, and which versions change its meaning — in a
real browser, with JavaScript on and off, over a small invented corpus: one mayor's pledge
printed by four outlets (one of them with another number) and an article with no outlet."""
import re
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from .conftest import ROOT
from .test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _free_port

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")]

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
}
SOURCES = ("file,outlet,published,url\nherald.txt,Valdora Herald,2026-03-02,\npost.txt,Northern Post,2026-03-02,\n"
           "daily.txt,Lemna Daily,2026-03-03,\ncourier.txt,Coast Courier,2026-03-05,\n")


@pytest.fixture(scope="module")
def pledge_db(tmp_path_factory, nlp):
    from quotes.build import build

    folder = tmp_path_factory.mktemp("pledge")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    path = tmp_path_factory.mktemp("pledge-db") / "quotes.db"
    build([folder], path, nlp=nlp)
    return path


@pytest.fixture(scope="module")
def server(pledge_db):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(pledge_db), "-m", str(ROOT / "metadata.yml"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("datasette did not start: " + process.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
    tab.goto(f"{server}/quotes/quote_groups/{_pledge_group(pledge_db)}")
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
    tab.goto(f"{server}/quotes/quote_groups/{_pledge_group(pledge_db)}")
    items = tab.locator("ol.rendering-list li.rendering")
    assert items.count() == 3
    first = items.nth(0).inner_text()
    assert "three bridges" in first and "no family" in first
    assert "printed by 3 outlets" in first and "first printed on 2 March 2026" in first
    assert "Northern Post and Valdora Herald" in first
    assert "“Residents wait for help”" in first  # the article with no outlet, by its heading
    assert "four bridges" in items.nth(1).inner_text() and "Lemna Daily" in items.nth(1).inner_text()
    assert "5 March 2026" in items.nth(2).inner_text()
    _shot(tab, tab.locator("ol.rendering-list"), "renderings.png")


def test_the_statement_timeline_is_drawn_without_javascript(tab, server, pledge_db):
    tab.goto(f"{server}/quotes/quote_groups/{_pledge_group(pledge_db)}")
    svg = tab.locator("figure.statement-timeline svg")
    assert svg.count() == 1
    assert svg.locator("g.version-dot").count() == 5  # every version, dated or not
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
    tab.goto(f"{server}/quotes/speakers/{_speaker(pledge_db)}")
    rows = tab.locator("table.spellings tbody tr")
    spellings = {r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text() for r in rows.all()}
    assert spellings["Anna Kowalski"] == "5 times"  # once in each article
    assert spellings["Kowalski"] == "5 times"  # alone, not counting its place in the longer names
    assert spellings["Mayor Kowalski"] == "1 time"
    assert "She" not in spellings  # a pronoun is not a spelling of the name
    _shot(tab, tab.locator("table.spellings"), "speaker-spellings.png")


def test_the_speaker_page_draws_statements_per_day_and_links_a_feed(tab, server, pledge_db):
    tab.goto(f"{server}/quotes/speakers/{_speaker(pledge_db)}")
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
    assert all(re.fullmatch(r"/quotes/quotes/\w+", e.find("a:link", atom).get("href")) for e in entries)


def test_the_canned_query_lists_the_versions_that_change_the_meaning(tab, server):
    tab.goto(f"{server}/quotes/meaning_changes")
    assert "Versions that change the meaning" in tab.locator("h1").inner_text()
    rows = tab.locator("table.rows-and-columns tbody tr")
    assert rows.count() == 1
    assert rows.locator("td.col-kind").inner_text() == "number"
    assert rows.locator("td.col-outlet").inner_text() == "Lemna Daily"
    _shot(tab, tab.locator("table.rows-and-columns"), "meaning-query.png")
