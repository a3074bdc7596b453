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
@click.option("--title", help="What the corpus is, as its pages name it (e.g. 'Harbour strike coverage, May 2024')")
@click.option("--source", help="Where the articles come from, as the pages' 'Data source' names it")
@click.option("--source-url", help="Address of that source")
def build(paths: tuple[str, ...], db_path: str, workers: int, dask_address: str | None,
          title: str | None, source: str | None, source_url: str | None) -> None:
    """Build or update the database from article files and folders (default: seeds/).

    \b
    Example:
        quotes build seeds/ --db db/quotes.db
        quotes build articles/ --workers 2
        quotes build harbour/ --db db/harbour.db --title "Harbour strike coverage" --source "Local press"

    The corpus describes itself with --title, --source and --source-url, or with a corpus.yml
    file in an articles folder (keys title, description, source, source_url); the options win
    over the file, and a value given once is kept by later builds.

    Exits 1 when any file was rejected (each is named with its reason); every good file is
    stored all the same.
    """
    from .build import build as run_build
    from .progress import Progress
    from .sources import read_corpus_description

    if workers > 1 and dask_address:
        raise click.UsageError("--workers and --dask are alternatives: give one")
    paths = paths or (DEFAULT_SEEDS,)
    given = {"title": title, "source": source, "source_url": source_url}
    try:
        corpus = {**read_corpus_description(paths), **{k: v for k, v in given.items() if v}}
    except (OSError, ValueError) as e:
        raise click.ClickException(str(e))
    try:
        # Bars on a terminal; a few plain lines on a log (see quotes.progress).
        summary = run_build(list(paths), db_path, progress=Progress(sys.stderr), workers=workers, dask=dask_address,
                            corpus=corpus)
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
@click.option("--metadata", "metadata_path", type=click.Path(exists=True, dir_okay=False),
              help="Datasette metadata to use instead of the one that comes with quotes")
def serve(db_path: str, port: int, host: str, metadata_path: str | None) -> None:
    """Serve the database with Datasette, read-only, with the quotes plugin and its metadata.

    \b
    Example:
        quotes serve --db db/quotes.db --port 8001

    Stops on Ctrl-C or SIGTERM, leaving nothing listening.
    """
    from datasette.cli import cli as datasette_cli

    from .plugin.metadata import PACKAGED_METADATA

    _open_existing(db_path).close()
    # No facet suggestions: on a large quotes table they cost more than the page itself
    # (benchmarks/datasette_pages.py); the facets the plugin asks for are still shown.
    # No cap on a CSV download (max_csv_mb 0): at Datasette's 100 MB a million quotes' CSV stops
    # a third of the way through; the plugin streams a whole table from one query.
    # In this process (not a child one), so that a signal to it stops the server itself.
    args = ["serve", "-i", db_path, "--host", host, "--port", str(port), "--metadata",
            metadata_path or str(PACKAGED_METADATA), "--setting", "suggest_facets", "off",
            "--setting", "max_csv_mb", "0"]
    datasette_cli.main(args, prog_name="datasette")


@cli.command()
@click.argument("group")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(group: str, db_path: str, fmt: str) -> None:
    """Show every version of one statement (variant group) word by word against its
    representative text, in the order of its page: [-deleted-], {+inserted+}, [-old-]{+new+}
    for a substitution (in colour on a terminal). GROUP is the group's id or any unique
    beginning of it. A version that renders part of the statement is shown against the span
    it covers; a text in another language (an original) is shown as it is.

    \b
    Example:
        quotes diff 3f2a9c0d1e2b4a5c
        quotes diff 3f2a9c --format json
    """
    from .alignment import quoted_span
    from .statement import read_statement

    db = _open_existing(db_path)
    ids = store.group_ids_starting(db, group)
    if not ids:
        raise click.ClickException(f"{group}: no such group in {db_path}")
    if len(ids) > 1:
        raise click.ClickException(f"{group}: ambiguous: more than one group id begins so ({', '.join(ids)}, …)")
    statement = read_statement(db, ids[0])
    row, variants = statement["group"], statement["variants"]
    out = {"group": row["id"], "representative": row["representative"], "agreement": row["agreement"],
           "original": row["original"], "original_language": row["original_language"], "variants": [
               {"id": v["id"], "text": v["text"], "kind": v["kind"], "outlet": v["outlet"], "source": v["source"],
                "published": v["published"], "speaker": v["speaker"], "agreement": v["agreement"],
                "language": v["language"], "is_original": bool(v["is_original"]),
                "is_representative": v["is_representative"], "closest_to_original": bool(v.get("closest")),
                "alignment": [s.__dict__ for s in quoted_span(v["steps"])[1]] if v["steps"] is not None else None}
               for v in variants]}
    if fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    colour = sys.stdout.isatty()
    click.echo(f"group {row['id']} · {len(variants)} versions · agreement {row['agreement']}")
    for v in out["variants"]:
        role = (" · representative" if v["is_representative"] else " · original" if v["is_original"] else "")
        role += " · closest to the original" if v["closest_to_original"] else ""
        click.echo(f"\n{v['outlet'] or v['source']}{' · ' + v['published'] if v['published'] else ''}"
                   f" · {v['speaker'] or 'unknown speaker'}{role}"
                   + (f" · agreement {v['agreement']}" if v["agreement"] is not None and not v["is_representative"] else ""))
        if v["alignment"] is None:
            click.echo(f"  {v['text']}" if v["is_representative"] else f"  ({v['language']}) {v['text']}")
        else:
            click.echo("  " + _render(v["alignment"], colour=colour))


def _render(steps: list[dict], *, colour: bool) -> str:
    """An alignment on one line: equal words as printed, [-deleted-], {+inserted+}."""

    def deleted(text: str) -> str:
        return click.style(f"[-{text}-]", fg="red") if colour else f"[-{text}-]"

    def inserted(text: str) -> str:
        return click.style(f"{{+{text}+}}", fg="green") if colour else f"{{+{text}+}}"

    marks = {"equal": lambda s: s["variant"], "delete": lambda s: deleted(s["representative"]),
             "insert": lambda s: inserted(s["variant"]),
             "substitute": lambda s: deleted(s["representative"]) + inserted(s["variant"])}
    return " ".join(marks[s["op"]](s) for s in steps)
