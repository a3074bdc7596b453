"""``quotes build``: articles → spaCy → quotes and speakers → variant groups → SQLite."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import store
from .records import Article
from .sources import Rejected, read_articles
from .speakers import resolve_speakers
from .variants import group_quotes, group_row


@dataclass
class BuildSummary:
    articles: int = 0
    unchanged: int = 0
    quotes: int = 0
    speakers: int = 0
    groups: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.articles} articles ({self.unchanged} unchanged), {self.quotes} quotes, "
                f"{self.speakers} speakers, {self.groups} groups")
        if self.rejected:
            text += f"; {len(self.rejected)} rejected"
        return text


def build(
    paths: Iterable[str | os.PathLike],
    db_path: str | Path,
    *,
    progress: Callable[[Iterable], Iterable] | None = None,
    nlp=None,
) -> BuildSummary:
    """Build or update the database at ``db_path`` from the articles under ``paths``.

    Articles whose text is unchanged since the last build are skipped; a changed article
    replaces its old rows.  Speakers and variant groups are then recomputed over the whole
    database.

    :param paths: files and folders of articles
    :param db_path: the SQLite file (created if missing)
    :param progress: wraps the iterable of articles being extracted (e.g. a tqdm bar)
    :param nlp: a loaded pipeline (default: :func:`quotes.nlp.load_pipeline`)
    """
    db = store.open_db(db_path)
    store.ensure_db_shape(db)
    summary = BuildSummary()
    todo: list[Article] = []
    for item in read_articles(paths):
        if isinstance(item, Rejected):
            summary.rejected.append(item)
            continue
        summary.articles += 1
        if store.stored_hash(db, item) == item.content_hash:
            summary.unchanged += 1
        else:
            todo.append(item)
    if todo:
        from .nlp import extract, load_pipeline

        nlp = nlp or load_pipeline()
        extracted = extract(nlp, todo)
        for result in progress(extracted) if progress else extracted:
            store.save_article(db, result.article, result.quotes)
    refresh(db)
    store.ensure_db_shape(db)
    figures = store.counts(db)
    summary.quotes, summary.speakers, summary.groups = figures["quotes"], figures["speakers"], figures["quote_groups"]
    return summary


def refresh(db) -> None:
    """Recompute the database-wide stages: canonical speakers, then variant groups."""
    quotes = store.stored_quotes(db)
    speakers, assignment = resolve_speakers(quotes)
    store.save_speakers(db, speakers, assignment)
    quotes = store.stored_quotes(db)
    groups = group_quotes(quotes)
    by_id = {q.id: q for q in quotes}
    store.save_groups(db, groups, {g.id: group_row(g, by_id) for g in groups})
