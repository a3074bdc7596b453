"""Nothing a user feeds ``quotes build`` loses data or takes it down: hostile files, building
twice, a build killed at any moment, two builds on one database at once."""
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotes import store
from quotes.build import build

from .hostile import write_hostile_folder

QUOTES = shutil.which("quotes", path=str(Path(sys.executable).parent)) or "quotes"
TABLES = ("articles", "quotes", "speakers", "speaker_aliases", "quote_groups")
PEOPLE = ["Maria Lozano", "Ahmed Zand", "Jonas Brekke", "Chen Wei", "Amara Okafor", "Pavel Nemec", "Lucia Ferri"]
PLACES = ["Tampere", "Oporto", "Graz", "Bergen", "Lyon", "Cork", "Split", "Ghent", "Turku", "Brno"]


def write_corpus(folder: Path, count: int, prefix: str = "n", seed: int = 3) -> Path:
    """``count`` short articles, each with two or three quotes by a named speaker."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        person, place = rnd.choice(PEOPLE), rnd.choice(PLACES)
        surname = person.split()[-1]
        lines = [f"{person} visited {place} on day {i} of the tour.",
                 f'"The {place} line number {i} opens in spring, and we are ready," {surname} said.',
                 f'{surname} added that the budget of {i * 7} million was "fully under control".']
        if i % 3 == 0:
            lines.append(f'Asked about delays, {surname} said: "Nobody in {place} will wait {i} more years."')
        (folder / f"{prefix}{i:03d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


def dump(db_path: Path) -> dict[str, set[tuple]]:
    """Every row of every table the build writes."""
    with sqlite3.connect(db_path) as conn:
        return {t: set(conn.execute(f"select * from {t}")) for t in TABLES}


def quotes_per_article(db_path: Path, uri: str = "") -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}{uri}", uri=True) as conn:
        return dict(conn.execute("select a.source, count(q.id) from articles a left join quotes q "
                                 "on q.article_id = a.id group by a.id"))


def run_build(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([QUOTES, "build", *map(str, args)], capture_output=True, text=True, timeout=300)


# Hostile input ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_folder(folder)
    db = folder.parent / "hostile.db"
    started = time.monotonic()
    result = run_build(folder, "--db", db)
    return folder, expected, db, result, time.monotonic() - started


def test_hostile_folder_exit_status_and_one_line_per_rejected_file(hostile_build):
    folder, expected, db, result, seconds = hostile_build
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, "a rejected file makes the exit status 1"
    rejected_lines = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    for name, want in expected.items():
        mentions = [line for line in rejected_lines if f"/{name}: " in line]
        if want.ingested:
            assert not mentions, name
        else:
            assert len(mentions) == 1 and want.reason in mentions[0], (name, rejected_lines)
    assert len(rejected_lines) == sum(not w.ingested for w in expected.values())
    ingested = sum(w.ingested for w in expected.values())
    assert result.stdout.startswith(f"{ingested} articles"), result.stdout
    print(f"hostile build: {seconds:.1f} s")


def test_every_good_hostile_file_is_stored_with_its_quote(hostile_build):
    folder, expected, db, result, _ = hostile_build
    with sqlite3.connect(db) as conn:
        articles = {source: (aid, encoding) for aid, source, encoding in
                    conn.execute("select id, source, encoding from articles")}
        assert set(articles) == {name for name, want in expected.items() if want.ingested}
        for name, (article_id, encoding) in articles.items():
            want = expected[name]
            assert encoding in want.encodings, name
            texts = {t for (t,) in conn.execute("select text from quotes where article_id = ?", [article_id])}
            assert want.quote in texts, (name, sorted(texts)[:5])
        assert conn.execute("select language from quotes where source = 'arabic.txt'").fetchone() == ("ar",)


def test_every_stored_offset_points_at_its_text(hostile_build):
    _, _, db, _, _ = hostile_build
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select a.text, q.text, q.start, q.end, q.speaker_mention, q.speaker_start, q.speaker_end "
                            "from quotes q join articles a on a.id = q.article_id").fetchall()
    assert rows
    for article, text, start, end, mention, m_start, m_end in rows:
        assert article[start:end] == text
        if mention is not None:
            assert article[m_start:m_end] == mention


def test_the_big_article_is_read_whole(hostile_build):
    _, expected, db, _, _ = hostile_build
    with sqlite3.connect(db) as conn:
        length, last = conn.execute("select length(a.text), max(q.start) from articles a join quotes q "
                                    "on q.article_id = a.id where a.source = 'big.txt'").fetchone()
    assert length > 6_000_000 and last > 6_000_000


# Idempotence --------------------------------------------------------------------------------


def test_building_twice_gives_identical_tables(tmp_path, nlp):
    folder = write_corpus(tmp_path / "articles", 12)
    db = tmp_path / "q.db"
    build([folder], db, nlp=nlp)
    first = dump(db)
    summary = build([folder], db, nlp=nlp)
    assert summary.unchanged == 12
    assert dump(db) == first


def test_adding_an_article_adds_only_its_rows(tmp_path, nlp):
    folder = write_corpus(tmp_path / "articles", 12)
    db = tmp_path / "q.db"
    build([folder], db, nlp=nlp)
    before = dump(db)
    (folder / "zz_new.txt").write_text('Greta Lindqvist opened the archive.\n\n'
                                       '"Every letter here is now public," Lindqvist said.\n', encoding="utf-8")
    summary = build([folder], db, nlp=nlp)
    assert (summary.articles, summary.unchanged) == (13, 12)
    after = dump(db)
    for table in TABLES:
        assert before[table] <= after[table], f"{table}: an old row changed"
    new_quotes = after["quotes"] - before["quotes"]
    with sqlite3.connect(db) as conn:
        new_id = conn.execute("select id from articles where source = 'zz_new.txt'").fetchone()[0]
        assert {r[1] for r in new_quotes} == {new_id}  # quotes.article_id
    assert len(after["articles"]) == len(before["articles"]) + 1


def test_a_changed_article_replaces_its_rows(tmp_path, nlp):
    folder = write_corpus(tmp_path / "articles", 12)
    db = tmp_path / "q.db"
    build([folder], db, nlp=nlp)
    (folder / "n004.txt").write_text('Lucia Ferri spoke briefly.\n\n"Only this remains," Ferri said.\n', encoding="utf-8")
    build([folder], db, nlp=nlp)
    clean = tmp_path / "clean.db"
    build([folder], clean, nlp=nlp)
    assert dump(db) == dump(clean)
    with sqlite3.connect(db) as conn:
        assert [t for (t,) in conn.execute("select text from quotes where source = 'n004.txt'")] == ["Only this remains,"]


# Atomicity ----------------------------------------------------------------------------------


def assert_whole(db: Path, expected: dict[str, int]) -> int:
    """The database opens, passes its integrity checks, and every article in it has all of
    its quotes, also for an immutable reader (as ``datasette -i`` reads it, never looking at a
    journal); returns how many articles it holds."""
    # Opened as quotes serve opens it first: that rolls back what the killed build left.
    store.open_db(db).close()
    with sqlite3.connect(db, timeout=60) as conn:
        conn.execute("insert into quotes_fts(quotes_fts) values ('integrity-check')")
    with sqlite3.connect(f"file:{db}?immutable=1", uri=True) as conn:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
    stored = quotes_per_article(db, "?immutable=1")
    for source, count in stored.items():
        assert count == expected[source], f"{source}: {count} of {expected[source]} quotes"
    return len(stored)


def test_sigkill_at_any_moment_leaves_whole_articles_and_a_rerun_completes(tmp_path, nlp):
    folder = write_corpus(tmp_path / "articles", 150)
    clean = tmp_path / "clean.db"
    build([folder], clean, nlp=nlp)
    expected = quotes_per_article(clean)
    db = tmp_path / "killed.db"
    rnd = random.Random(5)
    # Kill once the database holds at least so many articles (mid-extraction, between and
    # during commits; at 150 the refresh of speakers and groups has begun), then after random
    # delays that reach into start-up and the refresh.
    moments = [("articles", n) for n in (10, 40, 80, 120, 150)] + [("seconds", rnd.uniform(0.3, 4.0)) for _ in range(3)]
    seen = []
    for kind, value in moments:
        process = subprocess.Popen([QUOTES, "build", str(folder), "--db", str(db)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        while process.poll() is None and time.monotonic() - started < 120:
            if kind == "seconds" and time.monotonic() - started >= value:
                break
            if kind == "articles" and db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        if conn.execute("select count(*) from articles").fetchone()[0] >= value:
                            break
                except sqlite3.OperationalError:
                    pass  # not created yet, or a commit in progress
            time.sleep(0.01)
        process.kill()
        process.wait()
        if db.exists():
            seen.append(assert_whole(db, expected))
    print(f"articles stored at each kill: {seen} of {len(expected)}")
    assert any(0 < n < len(expected) for n in seen), f"no kill landed mid-build: {seen}"
    result = run_build(folder, "--db", db)
    assert result.returncode == 0, result.stderr
    assert dump(db) == dump(clean)


# Concurrency --------------------------------------------------------------------------------


def test_two_builds_at_once_on_one_database(tmp_path, nlp):
    mine = write_corpus(tmp_path / "mine", 40, prefix="m", seed=1)
    theirs = write_corpus(tmp_path / "theirs", 40, prefix="t", seed=2)
    shared = write_corpus(tmp_path / "shared", 10, prefix="s", seed=4)
    db = tmp_path / "q.db"
    processes = [subprocess.Popen([QUOTES, "build", str(a), str(shared), "--db", str(db)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for a in (mine, theirs)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        assert "locked" not in err + out
    clean = tmp_path / "clean.db"
    build([mine, theirs, shared], clean, nlp=nlp)
    assert dump(db) == dump(clean), "duplicate, missing or stale rows"


# Bad arguments ------------------------------------------------------------------------------


def test_a_database_path_that_is_not_a_database_is_a_one_line_error_and_left_alone(tmp_path):
    from click.testing import CliRunner

    from quotes.cli import cli

    from .conftest import SEEDS

    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n" * 100)
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--db", str(notes)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {notes}: file is not a database"
    assert notes.read_text() == "my notes, not a database\n" * 100


@pytest.mark.parametrize("command", [["export"], ["serve"], ["diff", "abc"]])
def test_reading_commands_name_a_file_that_is_not_a_database(tmp_path, command):
    from click.testing import CliRunner

    from quotes.cli import cli

    notes = tmp_path / "notes.db"
    notes.write_bytes(b"\x00\x01 not sqlite " * 100)
    result = CliRunner().invoke(cli, [*command, "--db", str(notes)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {notes}: file is not a database"
