from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())


@pytest.fixture
def datasette(seed_db):
    return Datasette([str(seed_db)], immutables=[], metadata=METADATA)


@pytest.mark.parametrize("path", ["/quotes/quotes", "/quotes/speakers", "/quotes/quote_groups", "/quotes/articles",
                                  "/quotes/speaker_aliases", "/quotes/quotes.csv?_stream=1", "/quotes"])
async def test_pages_answer(datasette, path):
    response = await datasette.client.get(path)
    assert response.status_code == 200, path


async def test_canned_queries_answer(datasette):
    group = (await datasette.client.get("/quotes/quote_groups.json?_shape=array&_size=1")).json()[0]["id"]
    response = await datasette.client.get(f"/quotes/group_variants.json?group_id={group}&_shape=array")
    assert response.status_code == 200 and response.json()
    response = await datasette.client.get("/quotes/speaker_quotes.json?name=Kadhimi&_shape=array")
    assert response.status_code == 200 and response.json()


async def test_csv_stream_has_every_quote(datasette, seed_db):
    response = await datasette.client.get("/quotes/quotes.csv?_stream=1")
    from quotes import store

    assert len(response.text.strip().splitlines()) == store.open_db(seed_db)["quotes"].count + 1
