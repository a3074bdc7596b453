"""A first-time reader's four tasks on the sample database, in Chromium, with JavaScript on and
off: find what one person said, compare how outlets rendered one statement, download one
speaker's quotes as CSV, search the quotes for a word.  Each step is a screenshot in
tests/artifacts/ (reader-JS-TASK-STEP.png), for a person to look at.

The speaker, statement and word are found in the database, not written here: the test reads
what the reader would see and then does what the reader would do.
"""
import csv
import io
import re
import shutil
import sqlite3

import pytest

from .serving import ARTIFACTS, chromium, needs_chromium, serving
from .test_robustness import QUOTES

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def demo(seed_db, tmp_path_factory):
    """``quotes serve`` over the sample database, under a name of its own, from a folder with no
    metadata.yml."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "sample.db"
    shutil.copy(seed_db, path)
    with serving([QUOTES, "serve", "--db", str(path)], folder) as url:
        yield url, path


@pytest.fixture(scope="module")
def chromium_browser(demo):
    with chromium() as browser:
        yield browser


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def page(chromium_browser, request):
    context = chromium_browser.new_context(java_script_enabled=request.param, viewport={"width": 1200, "height": 900},
                                   accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.js = "js" if request.param else "nojs"
    yield tab
    context.close()


def shot(page, task: str, step: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reader-{page.js}-{task}-{step}.png"), full_page=True)


def _one(path, sql: str, params=()) -> tuple:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()


def test_find_what_one_person_said(page, demo):
    url, path = demo
    name, quote_count = _one(path, "select name, quote_count from speakers order by quote_count desc limit 1")
    page.goto(url)
    shot(page, "person", "1-home")
    page.locator("section.quotes-corpus a", has_text="speakers").click()
    page.wait_for_url("**/sample/speakers")
    assert page.locator("h1").inner_text() == "Speakers"
    page.locator("#alias-search").fill(name.split()[-1])  # a reader types the surname they know
    page.locator("#alias-search").press("Enter")
    page.wait_for_url("**/sample/speakers?_alias=*")
    shot(page, "person", "2-found")
    page.locator("td.col-name a", has_text=name).first.click()  # the name links to the speaker page
    page.wait_for_url("**/sample/speakers/*")
    shot(page, "person", "3-speaker-page")
    assert page.locator("h1").inner_text() == name
    assert page.locator("table.speaker-quotes tbody tr").count() == quote_count
    summary = page.locator("p.speaker-summary").inner_text()
    assert summary.startswith(f"{quote_count} quote")


def test_compare_how_outlets_rendered_one_statement(page, demo):
    url, path = demo
    group_id, representative, versions = _one(
        path, "select id, representative, variants from quote_groups order by variants desc, id limit 1")
    page.goto(url)
    page.locator("section.quotes-corpus a", has_text="statements and their versions").click()
    page.wait_for_url("**/sample/quote_groups")
    shot(page, "compare", "1-statements")
    assert page.locator("h1").inner_text() == "Statements"
    page.locator(f'td.col-representative a[href$="/{group_id}"]').click()
    page.wait_for_url(f"**/sample/quote_groups/{group_id}")
    shot(page, "compare", "2-statement-page")
    assert page.locator("h1.statement").inner_text().strip("“”\"") == representative
    assert page.locator("li.variant").count() == versions
    assert page.locator("li.variant del, li.variant ins").count() >= 1, "no difference is marked"
    assert "How to read the differences" in page.locator("section.variants p.legend").inner_text()


def test_download_one_speakers_quotes_as_csv(page, demo):
    url, path = demo
    speaker_id, quote_count = _one(path, "select id, quote_count from speakers order by quote_count desc limit 1")
    page.goto(f"{url}/sample/speakers/{speaker_id}")
    link = page.locator("a.csv-link")
    assert link.inner_text() == "Download these quotes as CSV"
    shot(page, "csv", "1-speaker-page")
    with page.expect_download() as download:
        link.click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == quote_count and {r["speaker_id"] for r in rows} == {speaker_id}
    assert download.value.suggested_filename.endswith(".csv")


def test_search_the_quotes_for_a_word(page, demo):
    url, path = demo
    # a long word of the most-printed statement, typed as its first letters and a star
    representative = _one(path, "select representative from quote_groups order by variants desc, id limit 1")[0]
    word = max(re.findall(r"[a-z]{7,}", representative.lower()), key=len)
    prefix = word[:5]
    page.goto(url)
    page.locator("form.quotes-search input[type=search]").first.fill(prefix + "*")
    shot(page, "search", "1-typed")
    page.locator("form.quotes-search [type=submit]").first.click()
    page.wait_for_url("**/sample/quotes?*")
    shot(page, "search", "2-results")
    cells = page.locator("td.col-text")
    assert cells.count() >= 1
    for cell in cells.all():
        marks = cell.locator("mark").all_inner_texts()
        assert marks and all(m.lower().startswith(prefix) for m in marks), cell.inner_html()
    # the speaker and statement columns read as words, not ids
    assert not page.locator("td.col-speaker_id em, td.col-group_id em").count()
