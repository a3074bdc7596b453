import io

from quotes.progress import STAGES, Progress


def _run(progress: Progress, articles: int) -> list[int]:
    done = list(progress.articles(iter(range(articles)), total=articles))
    for name in STAGES:
        progress.stage(name)
    progress.close()
    return done


def test_on_a_log_progress_is_one_line_per_stage_not_one_per_article():
    stream = io.StringIO()
    assert _run(Progress(stream), 500) == list(range(500))
    text = stream.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0].startswith("articles: 500 extracted in ")
    assert [line.split(":")[0] for line in lines[1:]] == list(STAGES)


def test_on_a_slow_log_the_articles_get_a_line_with_the_time_left():
    stream = io.StringIO()
    _run(Progress(stream, every_s=0), 3)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("articles: 1 of 3 (33%), about ") and lines[0].endswith(" left")
    assert lines[2].startswith("articles: 3 extracted")


def test_on_a_terminal_progress_shows_bars_for_articles_and_the_database_stages():
    stream = io.StringIO()
    _run(Progress(stream, bars=True), 5)
    text = stream.getvalue()
    assert "articles: 100%" in text and "5/5" in text
    assert f"database: {len(STAGES)}/{len(STAGES)} stages" in text
    assert "database: candidate pairs" in text
