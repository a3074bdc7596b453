"""The Datasette plugin: pages for variant groups, speakers and articles.

Registered with the ``datasette`` entry point, so plain ``datasette db/quotes.db -m metadata.yml``
shows the same pages as ``quotes serve``.
"""
from __future__ import annotations

from pathlib import Path

from datasette import hookimpl

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def extra_template_vars(template: str, database: str, table: str, datasette):
    return {"quotes_plugin": True}
