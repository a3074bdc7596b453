"""Whole-table facets read from the counts the build stores (quotes/plugin/facets.py and
store.save_facet_counts)."""
import shutil
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

from quotes.plugin.metadata import table_metadata

from quotes import store

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())
# A filter every row passes: the page shows the same rows, but Datasette counts them itself.
EVERY_ROW = "id__notblank=1"


def facets(data: dict) -> dict:
    return {name: [(r["value"], r["label"], r["count"]) for r in f["results"]] for name, f in data["facet_results"].items()}


@pytest.fixture
def db_copy(seed_db, tmp_path):
    path = tmp_path / "quotes.db"
    shutil.copy(seed_db, path)
    return path


def test_build_stores_the_counts_of_every_facet_metadata_yml_shows(seed_db):
    db = store.open_db(seed_db)
    for table, spec in table_metadata().items():
        assert spec.get("facets", []) == store.FACET_COLUMNS.get(table, [])
    for table, columns in store.FACET_COLUMNS.items():
        for column in columns:
            stored = {r["value"]: r["count"] for r in db.query(
                "select value, count from facet_counts where table_name = ? and column_name = ?", [table, column])}
            counted = {r["value"]: r["n"] for r in db.query(f"select [{column}] as value, count(*) as n from [{table}] group by 1")}
            assert stored == counted and sum(stored.values()) == db[table].count


@pytest.mark.parametrize("table", list(store.FACET_COLUMNS))
async def test_stored_facets_are_the_ones_datasette_counts(seed_db, table):
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    stored = (await datasette.client.get(f"/quotes/{table}.json?_facet_size=max")).json()
    counted = (await datasette.client.get(f"/quotes/{table}.json?_facet_size=max&{EVERY_ROW}")).json()
    assert facets(stored) == facets(counted) and set(facets(stored)) == set(store.FACET_COLUMNS[table])
    for name, facet in stored["facet_results"].items():
        assert all(f"{name}=" in r["toggle_url"] for r in facet["results"])  # each value links to its filter


async def test_whole_table_facets_come_from_the_stored_counts_and_filtered_ones_are_counted(db_copy):
    db = store.open_db(db_copy)
    outlet = next(db.query("select value from facet_counts where table_name = 'quotes' and column_name = 'outlet' "
                           "and value is not null order by count desc limit 1"))["value"]
    db.execute("update facet_counts set value = 'Stored Outlet' where table_name = 'quotes' and column_name = 'outlet' "
               "and value = ?", [outlet])
    datasette = Datasette([str(db_copy)], immutables=[], metadata=METADATA)
    whole = facets((await datasette.client.get("/quotes/quotes.json?_facet=outlet")).json())["outlet"]
    assert "Stored Outlet" in [value for value, _, _ in whole] and outlet not in [value for value, _, _ in whole]
    filtered = facets((await datasette.client.get(f"/quotes/quotes.json?{EVERY_ROW}")).json())["outlet"]
    assert outlet in [value for value, _, _ in filtered]


async def test_counts_left_stale_by_a_later_write_are_not_used(db_copy):
    db = store.open_db(db_copy)
    db.execute("update facet_counts set value = 'Stored Outlet' where table_name = 'quotes' and column_name = 'outlet'")
    db.execute("delete from quotes where rowid = (select min(rowid) from quotes)")
    datasette = Datasette([str(db_copy)], immutables=[], metadata=METADATA)
    whole = facets((await datasette.client.get("/quotes/quotes.json")).json())["outlet"]
    assert whole and "Stored Outlet" not in [value for value, _, _ in whole]


async def test_a_database_without_stored_counts_is_counted_by_datasette(db_copy):
    store.open_db(db_copy)["facet_counts"].drop()
    datasette = Datasette([str(db_copy)], immutables=[], metadata=METADATA)
    data = (await datasette.client.get("/quotes/quotes.json")).json()
    assert set(data["facet_results"]) == set(store.FACET_COLUMNS["quotes"])
    assert all(f["results"] for f in data["facet_results"].values())


async def test_a_column_without_stored_counts_is_counted_beside_the_stored_ones(seed_db):
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    both = facets((await datasette.client.get("/quotes/quotes.json?_facet=cue")).json())
    counted = facets((await datasette.client.get(f"/quotes/quotes.json?_facet=cue&{EVERY_ROW}")).json())
    assert set(both) == set(store.FACET_COLUMNS["quotes"]) | {"cue"} and both == counted


async def test_shown_facets_are_not_suggested(seed_db):
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)  # suggest_facets is on
    data = (await datasette.client.get("/quotes/quotes.json?_facet=cue")).json()
    column_suggestions = {s["name"] for s in data["suggested_facets"] if "_facet_date=" not in s["toggle_url"]}
    assert column_suggestions and not column_suggestions & set(data["facet_results"])


def _search_counts(db, word: str, column: str) -> dict:
    return {r["value"]: r["n"] for r in db.query(
        f"select [{column}] as value, count(*) as n from quotes where rowid in "
        "(select rowid from quotes_fts where quotes_fts match ?) and value is not null group by 1", [word])}


async def test_a_search_has_its_facets_counted_over_its_matches_in_one_pass(seed_db):
    db = store.open_db(seed_db)
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    data = (await datasette.client.get("/quotes/quotes.json?_search=the&_facet_size=max")).json()
    assert set(data["facet_results"]) == set(store.FACET_COLUMNS["quotes"])
    for name, facet in data["facet_results"].items():
        assert {r["value"]: r["count"] for r in facet["results"]} == _search_counts(db, "the", name)
        assert "estimated_from" not in facet


async def test_a_search_matching_many_rows_shows_its_facets_as_estimates_from_a_sample(seed_db, monkeypatch):
    from quotes.plugin import facets as plugin_facets

    monkeypatch.setattr(plugin_facets, "SAMPLE_ROWS", 4)
    db = store.open_db(seed_db)
    matches = sum(_search_counts(db, "the", "kind").values())
    assert matches > 8
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    data = (await datasette.client.get("/quotes/quotes.json?_search=the&_facet_size=max")).json()
    kind = data["facet_results"]["kind"]
    sample = kind["estimated_from"]["sample"]
    assert kind["estimated_from"]["matches"] == matches and 0 < sample < matches
    exact = _search_counts(db, "the", "kind")
    assert {r["value"] for r in kind["results"]} <= set(exact)
    # Each estimate is the value's share of the sample times the matches, to two figures.
    assert all(r["count"] >= 1 and len(str(r["count"]).rstrip("0")) <= 2 for r in kind["results"])
    again = (await datasette.client.get("/quotes/quotes.json?_search=the&_facet_size=max")).json()
    assert again["facet_results"] == data["facet_results"]  # a fixed sample: the same figures every time
    html = (await datasette.client.get("/quotes/quotes?_search=the")).text
    assert f"Estimated from a sample of {sample} of the {matches} matches" in html and "</a> about " in html


async def test_a_search_filtered_on_a_faceted_column_is_counted_by_datasette(seed_db, monkeypatch):
    from quotes.plugin import facets as plugin_facets

    monkeypatch.setattr(plugin_facets, "SAMPLE_ROWS", 1)
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    data = (await datasette.client.get("/quotes/quotes.json?_search=the&kind=full")).json()
    assert all("estimated_from" not in f for f in data["facet_results"].values())
    assert any(r["selected"] for r in data["facet_results"]["kind"]["results"])
