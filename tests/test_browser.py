"""The published instance in a real browser: Debian's Chromium driven by Playwright, against a
``datasette`` server started the way a user would, over the freshly built sample articles."""
import re
import sqlite3
import sys

import pytest

from .conftest import ROOT, shown
from .serving import ARTIFACTS, chromium, needs_chromium, serving

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(seed_db):
    """Plain ``datasette DB -m metadata.yml``: the plugin must come in through its entry point."""
    with serving([sys.executable, "-m", "datasette", "serve", "-i", str(seed_db), "-m", str(ROOT / "metadata.yml"),
                  "--host", "127.0.0.1"], stop_timeout=10) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def tab(browser):
    return browser.new_page(viewport={"width": 1200, "height": 900})


@pytest.fixture(scope="module")
def statement_group(seed_db, seed_statement) -> str:
    """The group of the key's statement with an original post, found by its first whole quote's
    text in the key."""
    with sqlite3.connect(seed_db) as conn:
        row = conn.execute("select group_id from quotes where text = ? and source = ?",
                           [seed_statement["quote"], seed_statement["source"]]).fetchone()
    assert row, "the key's first whole quote of the statement with an original was not extracted"
    return row[0]


def test_group_page_marks_differences_and_shows_the_arabic_original(tab, server, statement_group, seed_poster,
                                                                    seed_statement):
    tab.goto(f"{server}/quotes/quote_groups/{statement_group}")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "group-page.png"), full_page=True)
    # a word one of the key's texts puts for another's, marked as a substitution on the page
    pairs = [(d.strip(), i.strip()) for d, i in zip(tab.locator("li.variant .changed del").all_inner_texts(),
                                                    tab.locator("li.variant .changed ins").all_inner_texts())]
    assert any(re.search(rf"\b{a}\b", d) and re.search(rf"\b{b}\b", i)
               for d, i in pairs for a, b in seed_statement["swaps"]), pairs
    original = tab.locator("blockquote.original-text")
    assert original.count() == 1, "the Arabic original is not linked to the group"
    assert original.get_attribute("lang") == "ar"
    assert original.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert shown(seed_poster["text"]) in shown(original.inner_text())
    assert tab.locator("h2", has_text="Original, in Arabic").count() == 1


def test_group_page_tells_a_newcomer_what_they_are_reading(tab, server, seed_db, seed_poster, statement_group):
    tab.goto(f"{server}/quotes/quote_groups/{statement_group}")
    provenance = tab.locator("p.provenance").inner_text()
    assert f"English translation, not {seed_poster['name']}’s own words" in provenance
    assert "representative version" in provenance and "posted, in Arabic" in provenance
    assert "different wording is expected" in tab.locator("p.agreement").inner_text()
    closest = tab.locator("li.variant.closest")
    assert closest.count() >= 1
    assert all(b == "closest to the original" for b in closest.locator(".badge.closest").all_inner_texts())
    # the English versions are listed from nearest to the original to farthest: the marked ones first
    classes = tab.locator("li.variant").evaluate_all("els => els.map(el => el.className)")
    assert "is-original" in classes[0] and all("closest" in c for c in classes[1 : 1 + closest.count()])
    # an article whose outlet is not known is named by its title (its headline, else its file name)
    unnamed = tab.locator("li.variant .printed-in", has=tab.locator(".unnamed-outlet")).first
    with sqlite3.connect(seed_db) as conn:
        titles = dict(conn.execute("select title, source from articles where outlet is null").fetchall())
    title = unnamed.locator("a.outlet").inner_text()
    assert title in titles
    assert unnamed.locator("small.file").all_inner_texts() == ([] if titles[title] == title else [titles[title]])


def test_group_page_names_the_language_without_javascript(browser, server, statement_group):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/quotes/quote_groups/{statement_group}")
    assert page.locator("h2", has_text="Original, in Arabic").count() == 1
    original = page.locator("blockquote.original-text")
    assert original.get_attribute("dir") == "rtl" and original.get_attribute("lang") == "ar"
    context.close()


def test_group_page_links_to_the_speaker(tab, server, seed_poster, statement_group):
    tab.goto(f"{server}/quotes/quote_groups/{statement_group}")
    tab.locator(".byline a").click()
    tab.wait_for_url("**/quotes/speakers/*")
    assert seed_poster["bare_surname"] in tab.locator("h1").inner_text()
    assert tab.locator("ul.aliases li").count() >= 1
    assert tab.locator("table.speaker-quotes tbody tr").count() >= 1


def test_search_from_the_home_page(tab, server, seed_statement):
    word = seed_statement["search"]  # a word at least two of the key's quotes print
    tab.goto(server)
    tab.locator("form.quotes-search input[type=search]").fill(word)
    tab.locator("form.quotes-search [type=submit]").click()
    tab.wait_for_url("**/quotes/quotes?*")
    cells = tab.locator("td.col-text")
    assert cells.count() >= 2
    assert all(word in text.casefold() for text in cells.all_inner_texts())
