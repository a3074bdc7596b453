"""The statement page of a statement reprinted many times stays bounded: it lists the first
versions and those flagged, and links to all of them in the quotes table."""
from pathlib import Path

import yaml
from datasette.app import Datasette

from quotes import store
from quotes.plugin import pages

METADATA = yaml.safe_load((Path(__file__).resolve().parent.parent / "metadata.yml").read_text())


async def test_a_statement_with_more_versions_than_the_page_lists_links_to_all_of_them(seed_db, monkeypatch):
    db = store.open_db(seed_db)
    group = next(db.query("select id, variants from quote_groups order by variants desc, id limit 1"))
    assert group["variants"] >= 3
    monkeypatch.setattr(pages, "MAX_VERSIONS", 2)
    datasette = Datasette([str(seed_db)], immutables=[], metadata=METADATA)
    html = (await datasette.client.get(f"/quotes/quote_groups/{group['id']}")).text
    flagged = {r["quote_id"] for r in db.query("select quote_id from meaning_flags where group_id = ?", [group["id"]])}
    listed = html.count('<li class="variant')
    assert 2 <= listed <= 2 + len(flagged) < group["variants"]
    assert f"This page lists {listed:,} of the statement’s" in " ".join(html.split())
    assert f"quotes?group_id={group['id']}" in html
