"""Renderings of a statement, statements per day, spellings of a name, and where the timelines'
marks go — on invented versions."""
from quotes.plugin.timeline import day_bars, statement_timeline
from quotes.renderings import renderings, statements_per_day
from quotes.spellings import spelling_counts


def version(text, outlet, published, **more):
    return {"text": text, "outlet": outlet, "published": published, "source": f"{outlet}.txt", **more}


VERSIONS = [
    version("The dam will hold.", "Coast Courier", "2026-03-05"),
    version("The dam will hold", "Valdora Herald", "2026-03-02"),
    version("the dam WILL hold!", "Northern Post", "2026-03-02"),
    version("The dam may hold.", "Lemna Daily", "2026-03-03"),
    version("The dam will hold.", None, None, article_title="Residents wait"),
]


def test_one_wording_is_one_rendering_with_its_outlets_oldest_first():
    found = renderings(VERSIONS)
    assert [r.number for r in found] == [1, 2]
    first, second = found
    assert first.outlets == ["Northern Post", "Valdora Herald", "Coast Courier", "“Residents wait”"]
    assert (first.named_outlets, first.unnamed_articles) == (3, 1)  # an article with no outlet is not an outlet
    assert first.earliest == ["Northern Post", "Valdora Herald"]  # the same day: no telling which came first
    assert first.first_published == "2026-03-02" and first.text == "the dam WILL hold!"
    assert second.outlets == ["Lemna Daily"] and second.first_published == "2026-03-03"


def test_renderings_with_no_date_come_last():
    found = renderings([version("Undated words", "A", None), version("Dated words", "B", "2026-01-01")])
    assert [r.text for r in found] == ["Dated words", "Undated words"]
    assert found[1].earliest == []


def test_statements_per_day_count_groups_and_quotes():
    quotes = [{"published": "2026-03-02", "group_id": "g1"}, {"published": "2026-03-02", "group_id": "g1"},
              {"published": "2026-03-02", "group_id": "g2"}, {"published": "2026-03-04", "group_id": "g1"},
              {"published": None, "group_id": "g3"}]
    assert statements_per_day(quotes) == [("2026-03-02", 2, 3), ("2026-03-04", 1, 1)]


def test_the_statement_timeline_puts_a_dot_per_version_on_its_day():
    timeline = statement_timeline(renderings(VERSIONS))
    rows = {row["name"]: row for row in timeline["rows"]}
    assert list(rows)[:2] == ["Northern Post", "Valdora Herald"]
    herald, courier = rows["Valdora Herald"]["dots"][0], rows["Coast Courier"]["dots"][0]
    assert herald["number"] == 1 and courier["number"] == 1 and herald["fill"] == courier["fill"]
    assert rows["Lemna Daily"]["dots"][0]["fill"] != herald["fill"]
    assert herald["x"] < rows["Lemna Daily"]["dots"][0]["x"] < courier["x"]
    assert rows["“Residents wait”"]["dots"][0]["x"] == timeline["undated_x"] > courier["x"]
    assert [t["label"] for t in timeline["ticks"]] == ["2 Mar 2026", "3 Mar", "4 Mar", "5 Mar"]
    assert timeline["span"] == "2 Mar 2026 – 5 Mar 2026"
    assert statement_timeline([]) is None


def test_a_stray_old_date_does_not_squeeze_the_statement_timeline():
    timeline = statement_timeline(renderings(VERSIONS + [version("The dam will hold.", "Old Gazette", "2009-06-12")]))
    assert [b["label"] for b in timeline["breaks"]] == ["⋯ 6,106 days"]
    assert [t["label"] for t in timeline["ticks"]] == ["12 Jun 2009", "2 Mar 2026", "3 Mar", "4 Mar", "5 Mar"]
    courier, daily = (next(r for r in timeline["rows"] if r["name"] == name)["dots"][0]["x"]
                      for name in ("Coast Courier", "Lemna Daily"))
    assert courier - daily > 100  # two days apart are still far apart


def test_many_versions_of_one_outlet_on_one_day_stay_in_their_column():
    many = [version(f"Words number {i}", "Valdora Herald", "2026-03-02") for i in range(12)]
    timeline = statement_timeline(renderings(many + [version("Other", "Lemna Daily", "2026-03-03")]))
    dots = timeline["rows"][0]["dots"]
    xs = [d["x"] for d in dots]
    # Ten are drawn; the last counts the rest.
    assert len(xs) == 10 and max(xs) < timeline["rows"][1]["dots"][0]["x"] - 9
    assert dots[-1]["title"].endswith("(and 2 more versions that day)")


def test_a_statement_printed_everywhere_draws_the_first_outlets_and_counts_the_rest():
    everywhere = [version("The same words", f"Outlet {i:03}", f"2026-03-{1 + i // 20:02}") for i in range(100)]
    timeline = statement_timeline(renderings(everywhere))
    assert len(timeline["rows"]) == 40 and timeline["later_outlets"] == 60
    assert [r["name"] for r in timeline["rows"]][:2] == ["Outlet 000", "Outlet 001"]


def test_day_bars_show_quiet_days_and_shorten_long_gaps():
    chart = day_bars([("2026-03-02", 2, 3), ("2026-03-04", 1, 1)])
    assert [b["statements"] for b in chart["bars"]] == [2, 0, 1]
    assert chart["bars"][0]["height"] == 2 * chart["bars"][2]["height"] > 0
    assert chart["breaks"] == []
    chart = day_bars([("2019-06-12", 1, 1), ("2026-03-02", 2, 3)])
    assert len(chart["bars"]) == 2 and chart["breaks"][0]["label"] == "⋯ 2,454 days"
    assert [t["label"] for t in chart["ticks"]] == ["12 Jun 2019", "2 Mar 2026"]
    assert day_bars([("", 1, 1)]) is None


def test_each_spelling_is_counted_where_it_is_printed_whole():
    texts = ["Mayor Anna Kowalski spoke. Kowalski's aide and KOWALSKI agreed; Kowalskian ideas.", "Kowalski left."]
    counts = {s.name: (s.printed, s.articles) for s in spelling_counts(["Anna Kowalski", "Kowalski", "Mayor Anna Kowalski"], texts)}
    assert counts == {"Mayor Anna Kowalski": (1, 1), "Kowalski": (2, 2), "Anna Kowalski": (0, 0)}
