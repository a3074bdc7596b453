"""Extraction in worker processes and on a Dask cluster gives the database a local build gives."""
import pytest
from click.testing import CliRunner

from quotes import store
from quotes.build import build
from quotes.cli import cli
from quotes.parallel import batches, extract_in_parallel
from quotes.records import Article

from .conftest import SEEDS


def exported(path):
    db = store.open_db(path)
    rows = list(store.export_rows(db, None))
    tables = {t: db[t].count for t in ("articles", "quotes", "speakers", "quote_groups")}
    db.close()
    return rows, tables


def test_batches_keep_order_and_size():
    articles = [Article(source=f"{i}.txt", text="x" * n) for i, n in enumerate([50, 50, 120, 10, 10, 10])]
    cut = batches(articles, max_chars=100)
    assert [[a.source for a in b] for b in cut] == [["0.txt", "1.txt"], ["2.txt"], ["3.txt", "4.txt", "5.txt"]]


def test_parallel_needs_one_way_to_spread_the_work():
    with pytest.raises(ValueError, match="either"):
        list(extract_in_parallel([], workers=2, dask_address="tcp://127.0.0.1:1"))
    with pytest.raises(ValueError, match="2 or more"):
        list(extract_in_parallel([], workers=1))


def test_workers_and_dask_are_alternatives_on_the_command_line(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--db", str(tmp_path / "q.db"), "--workers", "2",
                                      "--dask", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "--workers and --dask" in result.output


def test_two_worker_processes_build_what_one_process_builds(seed_db, tmp_path):
    path = tmp_path / "workers.db"
    summary = build([SEEDS], path, workers=2)
    assert summary.articles == 5 and not summary.rejected
    assert exported(path) == exported(seed_db)


def test_a_dask_cluster_builds_what_one_process_builds_and_merges_idempotently(seed_db, tmp_path):
    from dask.distributed import LocalCluster

    path = tmp_path / "dask.db"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        first = build([SEEDS], path, dask=cluster.scheduler_address)
        assert first.articles == 5 and first.unchanged == 0 and not first.rejected
        assert exported(path) == exported(seed_db)
        # The same files again, one with a trailing line added: only that one goes to the
        # cluster, and its new rows replace its old ones (same ids, so nothing else changes).
        sources = tmp_path / "articles"
        sources.mkdir()
        for article in sorted(SEEDS.iterdir()):
            (sources / article.name).write_bytes(article.read_bytes())
        edited = sorted(sources.glob("*.txt"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = build([sources], path, dask=cluster.scheduler_address)
        assert (again.articles, again.unchanged) == (5, 4)
    assert exported(path) == exported(seed_db)
