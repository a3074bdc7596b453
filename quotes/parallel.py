"""Extraction on more than one core, or on a Dask cluster.

Whichever way the articles are spread, each process loads the pipeline once and sends back
only the quotes it found (or why an article failed); the caller pairs them with its own
articles and is the only one to write to SQLite (a SQLite file has one writer).  Quote ids are
content hashes, so the rows are the same whichever process found them, in whatever order.
"""
from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

from .records import Article, ExtractedArticle, Quote
from .sources import Rejected

BATCH_CHARS = 200_000  # text per task: enough to keep spaCy's batches full, little enough to spread

_pipeline = None
_pipeline_lock = threading.Lock()


def extract_in_parallel(
    articles: list[Article],
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    rejected: list[Rejected] | None = None,
) -> Iterator[ExtractedArticle]:
    """Each article with the quotes extraction and attribution found in it, extracted in
    ``workers`` processes on this machine (in the order given) or on the Dask cluster whose
    scheduler is at ``dask_address`` (as they finish).

    :param workers: processes to extract in, 2 or more
    :param dask_address: a Dask scheduler, e.g. ``tcp://10.0.0.5:8786``
    :param rejected: gets each article the pipeline failed on, with the error
    """
    if (workers is None) == (dask_address is None):
        raise ValueError("give either a number of workers or a Dask scheduler address")
    if workers is not None and workers < 2:
        raise ValueError(f"workers must be 2 or more to extract in parallel, not {workers}")
    if not articles:
        return
    results = _on_dask(articles, dask_address) if dask_address else _in_processes(articles, workers)
    for batch, (found, failed) in results:
        by_source = {r.path: r for r in failed}
        found = iter(found)
        for article in batch:
            failure = by_source.get(article.path or article.source)
            if failure is not None:
                if rejected is not None:
                    rejected.append(failure)
            else:
                yield ExtractedArticle(article, next(found))


def batches(articles: list[Article], max_chars: int = BATCH_CHARS) -> list[list[Article]]:
    """Consecutive runs of articles with about ``max_chars`` characters of text each."""
    result: list[list[Article]] = []
    size = 0
    for article in articles:
        if not result or size + len(article.text) > max_chars:
            result.append([])
            size = 0
        result[-1].append(article)
        size += len(article.text)
    return result


def extract_batch(articles: list[Article]) -> tuple[list[list[Quote]], list[Rejected]]:
    """The quotes of each article that went through, and the articles that failed, with this
    process's pipeline (loaded on first use)."""
    global _pipeline
    from .nlp import extract_or_reject, load_pipeline

    failed: list[Rejected] = []
    with _pipeline_lock:  # one pipeline per process, used by one thread at a time
        if _pipeline is None:
            _pipeline = load_pipeline()
        found = [result.quotes for result in extract_or_reject(_pipeline, articles, failed)]
    return found, failed


def _in_processes(articles: list[Article], workers: int) -> Iterator[tuple[list[Article], tuple]]:
    # At least four tasks per worker, so that one long article does not leave a core idle.
    size = min(BATCH_CHARS, sum(len(a.text) for a in articles) // (4 * workers) + 1)
    work = batches(articles, max_chars=size)
    # An executor, not a Pool: a worker that dies (killed, out of memory) breaks it with an
    # error, where a Pool starts another worker and waits for the lost task for ever.
    with ProcessPoolExecutor(min(workers, len(work)), mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from zip(work, pool.map(extract_batch, work))


def _on_dask(articles: list[Article], address: str) -> Iterator[tuple[list[Article], tuple]]:
    from dask.distributed import Client, as_completed

    with Client(address) as client:
        work = batches(articles)
        futures = {client.submit(extract_batch, batch, pure=False): batch for batch in work}
        for future in as_completed(futures):
            yield futures[future], future.result()
            future.release()
