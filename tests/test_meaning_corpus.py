"""The measurement of issue 14 on real coverage, when ``../shared`` is beside the project: real
versions of real statements, perturbed one kind at a time (benchmarks/meaning.py reads them at
run time; nothing of them is kept here)."""
import importlib.util

import pytest

from quotes.meaning import KINDS

from .conftest import ROOT

BENCHMARK = ROOT / "benchmarks" / "meaning.py"
CORPUS = ROOT.parent / "shared" / "multi-outlet-dev" / "articles"

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/multi-outlet-dev is not beside the project")


@pytest.fixture(scope="module")
def figures(tmp_path_factory, nlp):
    from quotes.build import build

    spec = importlib.util.spec_from_file_location("meaning_benchmark", BENCHMARK)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    path = tmp_path_factory.mktemp("multi-outlet") / "quotes.db"
    build([CORPUS], path, nlp=nlp)
    return benchmark.measure(path)


@pytest.mark.parametrize("kind", KINDS)
def test_each_perturbation_is_flagged_with_its_kind(figures, kind):
    assert figures[f"{kind}_perturbed"] >= 15, figures
    assert figures[f"{kind}_recall"] >= 0.95, figures


def test_real_versions_rarely_carry_a_flag(figures):
    assert figures["versions"] >= 100, figures
    assert figures["false_flag_rate"] <= 0.05, figures
