"""``quotes build``: articles → spaCy → quotes and speakers → variant groups → SQLite."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import store
from .embeddings import DIMENSIONS, FAST_LANGUAGES, MODEL, WIDE_MODEL, Encoder, WideEncoder, window_vectors
from .meaning import flag_groups
from .progress import Progress, Silent
from .records import Article, ExtractedArticle
from .sources import Rejected, check_paths, read_articles, read_corpus_description
from .speakers import resolve_speakers
from .variants import ENGLISH, group_quotes, group_row, pivot_blocks, substitutions


# Seconds of extraction whose articles are stored in one transaction (see _save_extracted).
SAVE_EVERY_S = 1.0


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
    progress: Progress | None = None,
    nlp=None,
    workers: int = 1,
    dask: str | None = None,
    corpus: dict[str, str] | None = None,
) -> BuildSummary:
    """Build or update the database at ``db_path`` from the articles under ``paths``.

    Articles whose text is unchanged since the last build are skipped; a changed article
    replaces its old rows.  Speakers and variant groups are then recomputed over the whole
    database.

    :param paths: files and folders of articles
    :param db_path: the SQLite file (created if missing)
    :param progress: reports the articles and the database-wide stages as they go (default: nothing)
    :param nlp: a loaded pipeline (default: :func:`quotes.nlp.load_pipeline`)
    :param workers: processes to extract in (see :mod:`quotes.parallel`)
    :param dask: address of a Dask scheduler to extract on instead; this process still writes
    :param corpus: what the corpus says about itself (``store.CORPUS_FIELDS``; default: the
        ``corpus.yml`` of the articles' folder, if any)
    """
    paths = list(paths)
    check_paths(paths)  # before the database is opened: a mistyped path writes nothing
    db = store.open_db(db_path)
    store.ensure_db_shape(db)
    store.save_corpus_description(db, read_corpus_description(paths) if corpus is None else corpus)
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
    progress = progress or Silent()
    if todo:
        failed: list[Rejected] = []
        # build -> (parallel) extraction -> the database-wide stages -> store, one way.
        if workers > 1 or dask:
            from .parallel import extract_in_parallel

            extracted = extract_in_parallel(todo, workers=None if dask else workers, dask_address=dask, rejected=failed)
        else:
            from .nlp import extract_or_reject, load_pipeline

            extracted = extract_or_reject(nlp or load_pipeline(), todo, failed)
        _save_extracted(db, progress.articles(extracted, total=len(todo)))
        summary.articles -= len(failed)
        summary.rejected.extend(failed)
    # Sentence vectors first, chunk by chunk in short transactions: embedding is slow and must
    # not hold the write lock that the database-wide stages below take.
    progress.stage("sentence vectors")
    encoder = Encoder()
    embed_missing(db, encoder)
    # One transaction for the database-wide stages: another build cannot store articles between
    # this one reading the quotes and rewriting speakers and groups, and readers see all or none.
    with store.write_transaction(db):
        refresh(db, encoder=encoder, progress=progress)
    progress.close()
    store.ensure_db_shape(db)
    figures = store.counts(db)
    summary.quotes, summary.speakers, summary.groups = figures["quotes"], figures["speakers"], figures["quote_groups"]
    return summary


def _save_extracted(db, extracted: Iterable[ExtractedArticle]) -> None:
    """Store the articles as they come, those of about ``SAVE_EVERY_S`` seconds of extraction in
    one transaction: a commit waits for the disk (2 ms on a quiet machine, several times that
    beside other writers), which one commit per article added to every article.  Each article
    is still whole or absent, and the write lock is held only while rows are written."""
    waiting: list[ExtractedArticle] = []
    since = time.monotonic()
    for result in extracted:
        waiting.append(result)
        if time.monotonic() - since >= SAVE_EVERY_S:
            _save_together(db, waiting)
            waiting, since = [], time.monotonic()
    _save_together(db, waiting)


def _save_together(db, results: list[ExtractedArticle]) -> None:
    with store.write_transaction(db):
        for result in results:
            store.save_article(db, result.article, result.quotes)


def refresh(db, *, encoder: Encoder | None = None, progress: Progress | None = None) -> None:
    """Recompute the database-wide stages: canonical speakers, sentence vectors for the quotes
    that have none yet, then variant groups, the differences of meaning flagged on their
    versions and the word substitutions seen across them.

    :param encoder: the sentence encoder (default: a new :class:`quotes.embeddings.Encoder`,
        loaded only if some quote needs a vector or is in another language)
    :param progress: told as each stage begins (default: nothing)
    """
    encoder = encoder or Encoder()
    progress = progress or Silent()
    progress.stage("speakers")
    quotes = store.stored_quotes(db)
    speakers, assignment = resolve_speakers(quotes)
    store.save_speakers(db, speakers, assignment)
    for quote in quotes:  # what was just stored, without reading every quote back
        quote.speaker_id = assignment.get(quote.id)
    embed_missing(db, encoder)
    vectors = store.vector_matrix(db, MODEL, [q.id for q in quotes], DIMENSIONS)
    windows = window_vectors({q.id: q.text for q in quotes if q.language not in ENGLISH
                              and q.language in FAST_LANGUAGES}, encoder)
    groups = group_quotes(quotes, vectors, windows=windows, wide=wide_vectors(db, quotes), stage=progress.stage)
    by_id = {q.id: q for q in quotes}
    progress.stage("writing groups")
    store.save_groups(db, groups, {g.id: group_row(g, by_id) for g in groups})
    store.save_meaning_flags(db, flag_groups(groups, by_id))
    progress.stage("substitutions")
    store.save_substitutions(db, substitutions(groups, by_id))
    progress.stage("facet counts")
    store.save_facet_counts(db)


def wide_vectors(db, quotes: list, encoder: WideEncoder | None = None) -> tuple[dict, dict] | None:
    """For originals in a language the fast encoder lacks: their clause windows' vectors, and the
    vectors of the English quotes of their days, from the wide encoder (the quotes' stored, the
    missing ones embedded and stored); None when there is no such original."""
    blocks = pivot_blocks(quotes, wide=True)
    if not blocks:
        return None
    encoder = encoder or WideEncoder()
    stored = store.load_vectors(db, WIDE_MODEL, table="wide_vectors")
    needed = {quotes[e].id: quotes[e].text for block in blocks.values() for e in block}
    missing = [qid for qid in needed if qid not in stored]
    if missing:
        fresh = encoder.encode([needed[qid] for qid in missing])
        store.save_vectors(db, WIDE_MODEL, zip(missing, fresh), table="wide_vectors")
        stored.update(zip(missing, fresh))
    windows = window_vectors({quotes[o].id: quotes[o].text for o in blocks}, encoder)
    return windows, {qid: stored[qid] for qid in needed}


def embed_missing(db, encoder: Encoder, *, chunk: int = 1024) -> int:
    """Embed and store the quotes that have no vector yet, ``chunk`` texts at a time (each chunk
    its own transaction, so an interrupted build keeps what it embedded); returns how many.

    Each wording is embedded once, however many quotes print it (a statement reprinted
    everywhere costs one sentence, not a hundred thousand)."""
    missing = store.missing_vectors(db, MODEL)
    quotes_of: dict[str, list[str]] = {}
    for qid, text in missing:
        quotes_of.setdefault(text, []).append(qid)
    texts = list(quotes_of)
    for begin in range(0, len(texts), chunk):
        part = texts[begin : begin + chunk]
        store.save_vectors(db, MODEL, ((qid, vector) for text, vector in zip(part, encoder.encode(part))
                                       for qid in quotes_of[text]))
    return len(missing)
