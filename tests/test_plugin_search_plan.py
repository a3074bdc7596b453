"""A search's count and first page as the plugin runs them (quotes/plugin/search_plan.py): the
same number and the same rows in the same order as the SQL Datasette writes for them."""
import sqlite3
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

from quotes.plugin import search_plan
from quotes.plugin.search import register_functions

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
SEARCHES = ["the", "said", "minister", "gov*", "nothingmatchesthis"]
# Datasette's where clause for ?_search= on the quotes table.
SEARCHED = "rowid in (select rowid from quotes_fts where quotes_fts match escape_fts(:search))"


def plain(path: Path, sql: str, search: str) -> list[tuple]:
    """What SQLite answers for Datasette's own SQL, on a connection of the plugin's escape_fts."""
    conn = sqlite3.connect(path)
    try:
        register_functions(conn)
        return conn.execute(sql, {"search": search}).fetchall()
    finally:
        conn.close()


async def search_page(path: Path, search: str, size: int) -> dict:
    datasette = Datasette([str(path)], immutables=[], metadata=METADATA, settings={"trace_debug": True})
    response = await datasette.client.get(f"/quotes/quotes.json?_search={search}&_size={size}&_shape=objects&_trace=1")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("search", SEARCHES)
async def test_a_search_counts_as_many_quotes_as_datasettes_count(seed_db, search):
    data = await search_page(seed_db, search, 3)
    assert data["filtered_table_rows_count"] == plain(seed_db, f"select count(*) from quotes where {SEARCHED}", search)[0][0]
    assert any("select count(*) from quotes_fts" in t["sql"] for t in data["_trace"]["traces"])


@pytest.mark.parametrize("plan", ["walk", "walk that falls short", "sort"])
@pytest.mark.parametrize("search", SEARCHES)
async def test_a_search_page_has_the_rows_and_order_of_datasettes_query(seed_db, monkeypatch, search, plan):
    # The sample database is small: the costs are set so that each plan is the one taken.
    monkeypatch.setattr(search_plan, "ENTRY_COST", 1e9 if plan == "sort" else 0)
    monkeypatch.setattr(search_plan, "MARGIN", 1e-9 if plan == "walk that falls short" else search_plan.MARGIN)
    size = 3
    data = await search_page(seed_db, search, size)
    wanted = [row[0] for row in plain(seed_db, f"select id from quotes where {SEARCHED} order by published desc "
                                               f"limit {size + 1}", search)]
    assert [row["id"] for row in data["rows"]] == wanted[:size]
    assert bool(data["next"]) == (len(wanted) > size)
    matches = plain(seed_db, f"select count(*) from quotes where {SEARCHED}", search)[0][0]
    walked = any("quotes_walk_depth" in t["sql"] for t in data["_trace"]["traces"])
    assert walked == (plan != "sort" and matches > 0)


async def test_equal_dates_keep_datasettes_order_on_a_walk(seed_db, monkeypatch):
    monkeypatch.setattr(search_plan, "ENTRY_COST", 0)
    tied = plain(seed_db, f"select published, count(*) from quotes where {SEARCHED} group by 1 having count(*) > 1",
                 "the")
    assert tied  # the sample has quotes of one day: the test says something about their order
    data = await search_page(seed_db, "the", 100)
    wanted = [row[0] for row in plain(seed_db, f"select id from quotes where {SEARCHED} order by published desc", "the")]
    assert [row["id"] for row in data["rows"]] == wanted[:100]


async def test_other_pages_of_a_search_go_to_datasette_unchanged(seed_db):
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA, settings={"trace_debug": True})
    data = (await datasette.client.get("/quotes/quotes.json?_search=the&kind=full&_trace=1")).json()
    counts = [t["sql"] for t in data["_trace"]["traces"] if t["sql"].startswith("select count(*)")]
    assert counts and all(sql.startswith("select count(*) from quotes where") for sql in counts)
    assert not any("quotes_walk_depth" in t["sql"] for t in data["_trace"]["traces"])


async def test_a_walked_search_page_counts_its_search_once(seed_db, monkeypatch):
    monkeypatch.setattr(search_plan, "ENTRY_COST", 0)
    data = await search_page(seed_db, "the", 3)
    sqls = [t["sql"] for t in data["_trace"]["traces"]]
    assert any("quotes_walk_depth" in sql for sql in sqls)
    assert sum(sql.startswith("select count(*) from quotes_fts") for sql in sqls) == 1
