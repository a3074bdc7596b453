"""Facets on a whole table read from the counts the build stored (``facet_counts``) instead of
counting a million rows on every page view; a search is counted in one pass over its matches,
and a search matching more than ``SAMPLE_ROWS`` rows ("attack" in a corpus about an attack) is
counted over a fixed sample of them, its counts shown as estimates ("about 1,200") with the
size of the sample; any other filtered page is counted by Datasette as usual.

Datasette's own column facet is swapped for :class:`StoredCountsFacet` by wrapping the
``register_facet_classes`` hook, so ``?_facet=outlet`` and metadata.yml's ``facets`` keep their
meaning, links and JSON; only where the counts come from changes.
"""
from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from .databases import corpus
from .wording import language_name

LANGUAGE_COLUMNS = {"language", "original_language"}
# Facets of a search matching more rows than this are estimated from about this many of them:
# counting every match of a common word took most of a second on a million quotes.
SAMPLE_ROWS = 5_000
# Datasette's where clause for ?_search= (datasette.filters.search_filters), raw or escaped.
SEARCH_CLAUSE = re.compile(r"(?P<pk>\S+) in \(select rowid from (?P<fts>\S+) where (?P=fts) match "
                           r"(?P<match>escape_fts\(:search\)|:search)\)")
# Which rows make the sample: a fixed hash of the rowid (Knuth's multiplicative hash), so that
# a page shows the same estimates every time and rows stored together are not picked together.
SAMPLED = "(rowid * 2654435761) % 4294967296 % :quotes_sample_every = 0"


@hookimpl(wrapper=True)
def register_facet_classes():
    classes = yield
    return [[StoredCountsFacet if c is ColumnFacet else c for c in group] for group in classes]


def readable_label(column: str, value, label):
    """A facet value in a reader's words: "Arabic" for "ar", "3 outlets" for a count of outlets."""
    if column in LANGUAGE_COLUMNS and isinstance(value, str):
        return language_name(value)
    if column == "outlets" and isinstance(value, int):
        return f"{value} outlet{'' if value == 1 else 's'}"
    return label


class StoredCountsFacet(ColumnFacet):
    async def facet_results(self):
        configs = self.get_configs()
        limit = self.get_facet_size()
        stored = await self._stored_counts([c["config"].get("column") or c["config"]["simple"] for c in configs], limit)
        own = [c for c in configs if (c["config"].get("column") or c["config"]["simple"]) in stored]
        rest = [c for c in configs if c not in own]
        searched = await self._search_counts(rest, limit) if rest else None
        results, timed_out = searched if searched is not None else await _CountedFacet(self, rest).facet_results()
        for config in own:
            column = config["config"].get("column") or config["config"]["simple"]
            results.append(await self._result(column, config["source"], stored[column], limit))
        if corpus(self.ds, self.database) is not None:
            for result in results:
                for value in result["results"]:
                    value["label"] = readable_label(result["name"], value["value"], value["label"])
        return results, timed_out

    def _whole_table(self) -> bool:
        """True when the page's rows are the whole table: no filter, search or ``_where``
        (each of them adds a where clause after the table name)."""
        return bool(self.table) and not self.params and self.sql.rstrip().endswith(f"from {escape_sqlite(self.table)}")

    async def _stored_counts(self, columns: list[str], limit: int) -> dict[str, list[tuple]]:
        """column -> its ``limit + 1`` commonest (value, count), for the columns whose stored
        counts add up to the table's row count (so counts left stale by a later write are not used)."""
        if not columns or not self._whole_table():
            return {}
        row_count = await self.get_row_count()

        def read(conn) -> dict[str, list[tuple]]:
            if not conn.execute("select 1 from sqlite_master where name = 'facet_counts'").fetchone():
                return {}
            found = {}
            for column in set(columns):
                total = conn.execute("select sum(count) from facet_counts where table_name = ? and column_name = ?",
                                     [self.table, column]).fetchone()[0]
                if total == row_count:
                    found[column] = conn.execute(
                        "select value, count from facet_counts where table_name = ? and column_name = ? "
                        "and value is not null order by count desc, value limit ?", [self.table, column, limit + 1]
                    ).fetchall()
            return found

        return await self.ds.get_database(self.database).execute_fn(read)

    async def _search_counts(self, configs: list[dict], limit: int) -> tuple[list, list] | None:
        """The facets of a search page, every column in one pass over the matching rows, or
        over a fixed sample of about ``SAMPLE_ROWS`` of them when there are more (each count
        then an estimate: its share of the sample times the number of matches, to two
        significant figures).  None for a page that is not a search, or when the number of
        matches is not known."""
        columns = [c["config"].get("column") or c["config"]["simple"] for c in configs]
        found = SEARCH_CLAUSE.search(self.sql)
        where = self.sql.find(f" from {escape_sqlite(self.table)} ")
        # A page filtering on a faceted column shows its selected value the way Datasette does.
        filtered = any(key.split("__")[0] in columns for key in self.request.args)
        if found is None or where < 0 or filtered:
            return None
        row_count = await self.get_row_count()
        if not row_count:
            return None
        every = -(-row_count // SAMPLE_ROWS)
        sql = (f"select {', '.join(escape_sqlite(c) for c in columns)}{self.sql[where:]}" if every == 1 else
               "select {}{}".format(", ".join(escape_sqlite(c) for c in columns),
                                    self.sql[where:].replace(found.group(), found.group()[:-1] + f" and {SAMPLED})", 1)))
        try:
            rows = (await self.ds.execute(self.database, sql, {**self.params, "quotes_sample_every": every},
                                          truncate=False, custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
        except QueryInterrupted:
            return [], columns
        scale = row_count / len(rows) if every > 1 and rows else 1
        results = []
        for index, (config, column) in enumerate(zip(configs, columns)):
            counts = Counter(map(itemgetter(index), rows))  # counted in C: thousands of rows a column
            counts.pop(None, None)
            ranked = sorted(counts.items(), key=lambda vc: (-vc[1], str(vc[0])))[: limit + 1]
            result = await self._result(column, config["source"],
                                        [(value, _about(count * scale) if every > 1 else count) for value, count in ranked],
                                        limit)
            if every > 1:
                result["estimated_from"] = {"sample": len(rows), "matches": row_count}
            results.append(result)
        return results, []

    async def _result(self, column: str, source: str, rows: list[tuple], limit: int) -> dict:
        """One facet in the shape of Datasette's column facet (no value is selected: no filter)."""
        shown = rows[:limit]
        expanded = await self.ds.expand_foreign_keys(self.database, self.table, column, [v for v, _ in shown])
        column_qs = f"{column}__exact" if column.startswith("_") else column
        return {
            "name": column, "type": self.type, "hideable": source != "metadata",
            "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet": column})),
            "results": [{"value": value, "label": expanded.get((column, value), value), "count": count,
                         "toggle_url": self.ds.absolute_url(
                             self.request, self.ds.urls.path(path_with_added_args(self.request, {column_qs: value}))),
                         "selected": False} for value, count in shown],
            "truncated": len(rows) > limit,
        }


def _about(estimate: float) -> int:
    """An estimate to two significant figures (1,234 -> 1,200): no more precise than a sample."""
    digits = len(str(int(round(estimate))))
    return max(1, int(round(estimate, min(0, 2 - digits))))


class _CountedFacet(ColumnFacet):
    """Datasette's own column facet, for the given facets of the same page only."""

    def __init__(self, facet: ColumnFacet, configs: list[dict]):
        super().__init__(facet.ds, facet.request, facet.database, sql=facet.sql, table=facet.table,
                         params=facet.params, metadata=facet.metadata, row_count=facet.row_count)
        self.configs = configs

    def get_configs(self):
        return self.configs
