"""The ``quotes`` command: build, export, serve, diff."""
from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

import click

from . import store

DEFAULT_DB = "db/quotes.db"
DEFAULT_SEEDS = "seeds"
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite database file")


@click.group()
@click.version_option(package_name="quotes")
def cli() -> None:
    """Find every direct quote in a folder of news articles, who said it, and which quotes are
    variants of one statement; publish the result with Datasette."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Processes to extract quotes in on this machine")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Extract on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786)")
def build(paths: tuple[str, ...], db_path: str, workers: int, dask_address: str | None) -> None:
    """Build or update the database from article files and folders (default: seeds/).

    \b
    Example:
        quotes build seeds/ --db db/quotes.db
        quotes build articles/ --workers 2

    Exits 1 when any file was rejected (each is named with its reason); every good file is
    stored all the same.
    """
    from .build import build as run_build

    progress = None
    if workers > 1 and dask_address:
        raise click.UsageError("--workers and --dask are alternatives: give one")
    if sys.stderr.isatty():
        from tqdm import tqdm

        def progress(items):
            return tqdm(items, desc="articles", unit="article", file=sys.stderr)

    try:
        summary = run_build(list(paths) or [DEFAULT_SEEDS], db_path, progress=progress,
                            workers=workers, dask=dask_address)
    except FileNotFoundError as e:
        raise click.ClickException(str(e))
    except sqlite3.DatabaseError as e:
        raise click.ClickException(f"{db_path}: {e}")
    for rejected in summary.rejected:
        click.echo(f"rejected: {rejected}", err=True)
    click.echo(summary.line())
    if summary.rejected:
        sys.exit(1)


def _open_existing(db_path: str):
    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run 'quotes build' first")
    try:
        return store.open_db(db_path)
    except sqlite3.DatabaseError as e:
        raise click.ClickException(f"{db_path}: {e}")


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)")
@click.option("--posts/--no-posts", default=False, show_default=True,
              help="Include embedded social posts (kind = post) as well as quotes from the text")
def export(db_path: str, fmt: str, output, posts: bool) -> None:
    """Export one row per quote: source, article_id, text, start, end, speaker, speaker_mention,
    speaker_start, speaker_end, cue, kind, language, group, outlet, published.

    \b
    Example:
        quotes export --format csv -o quotes.csv
    """
    db = _open_existing(db_path)
    kinds = None if posts else ["full", "fragment"]
    rows = store.export_rows(db, kinds)
    if fmt == "jsonl":
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(output, fieldnames=store.EXPORT_FIELDS)
        writer.writeheader()
        writer.writerows(rows)


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(db_path: str, port: int, host: str) -> None:
    """Serve the database with Datasette, read-only, with metadata.yml and the quotes plugin.

    \b
    Example:
        quotes serve --port 8001
    """
    import subprocess

    _open_existing(db_path).close()
    # No facet suggestions: on a large quotes table they cost more than the page itself
    # (benchmarks/datasette_pages.py); the facets metadata.yml asks for are still shown.
    # No cap on a CSV download (max_csv_mb 0): at Datasette's 100 MB a million quotes' CSV stops
    # a third of the way through; the plugin streams a whole table from one query.
    command = [sys.executable, "-m", "datasette", "serve", "-i", db_path, "--host", host, "--port", str(port),
               "--setting", "suggest_facets", "off", "--setting", "max_csv_mb", "0"]
    metadata = Path("metadata.yml")
    if metadata.exists():
        command += ["--metadata", str(metadata)]
    raise SystemExit(subprocess.call(command))


@cli.command()
@click.argument("group")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(group: str, db_path: str, fmt: str) -> None:
    """Show every variant of one group word by word against its representative text:
    [-deleted-], {+inserted+}, [-old-]{+new+} for a substitution (in colour on a terminal).
    A variant that renders part of the statement is shown against the span it covers; the
    original-language text is shown as it is.

    \b
    Example:
        quotes diff 3f2a9c0d1e2b4a5c
        quotes diff 3f2a9c0d1e2b4a5c --format json
    """
    from .alignment import align

    db = _open_existing(db_path)
    row, variants = store.group_variants(db, group)
    if row is None:
        raise click.ClickException(f"{group}: no such group in {db_path}")
    languages = {v["id"]: v["language"] for v in variants}
    rep_language = languages.get(row["representative_quote_id"])
    out = {"group": group, "representative": row["representative"], "agreement": row["agreement"],
           "original": row["original"], "original_language": row["original_language"], "variants": []}
    for v in variants:
        aligned = v["language"] == rep_language
        steps = [s.__dict__ for s in align(row["representative"], v["text"], span_only=True)] if aligned else None
        out["variants"].append({**v, "is_representative": v["id"] == row["representative_quote_id"],
                                "alignment": steps})
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    colour = sys.stdout.isatty()
    click.echo(f"group {group} · {len(variants)} variants · agreement {row['agreement']}")
    click.echo(f"representative: {row['representative']}")
    for v in out["variants"]:
        role = " · representative" if v["is_representative"] else " · original" if v["is_original"] else ""
        click.echo(f"\n{v['outlet'] or v['source']} · {v['speaker'] or 'unknown speaker'}{role}"
                   + (f" · agreement {v['agreement']}" if v["agreement"] is not None else ""))
        if v["alignment"] is None:
            click.echo(f"  ({v['language']}) {v['text']}")
        else:
            click.echo("  " + _render(v["alignment"], colour=colour))


def _render(steps: list[dict], *, colour: bool) -> str:
    """An alignment on one line: equal words as they are, [-deleted-], {+inserted+}."""

    def deleted(text: str) -> str:
        return click.style(f"[-{text}-]", fg="red") if colour else f"[-{text}-]"

    def inserted(text: str) -> str:
        return click.style(f"{{+{text}+}}", fg="green") if colour else f"{{+{text}+}}"

    marks = {"equal": lambda s: s["variant"], "delete": lambda s: deleted(s["representative"]),
             "insert": lambda s: inserted(s["variant"]),
             "substitute": lambda s: deleted(s["representative"]) + inserted(s["variant"])}
    return " ".join(marks[s["op"]](s) for s in steps)
