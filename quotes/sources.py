"""Read articles from files and folders: detect each file's encoding, take the text of HTML
pages, and join what a ``sources.csv`` beside them says about each (outlet, date, url).

A file that cannot be read as an article is not an error for the run: it is returned as a
:class:`Rejected` with a one-line reason, and the other files go on.
"""
from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes

from .records import Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
SOURCES_FILE = "sources.csv"
MAX_BYTES = 64 * 1024 * 1024
DATE_IN_TEXT = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")


@dataclass
class Rejected:
    """A file that was not ingested, and why, in words a user can act on."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def find_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Every article file under ``paths`` (files as given, folders searched), sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(set(found))


def read_sources_csv(folder: Path) -> dict[str, dict[str, str]]:
    """``sources.csv`` rows keyed by file name: file, outlet, published, url (any may be blank)."""
    path = folder / SOURCES_FILE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["file"].strip(): {k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(f) if row.get("file")}


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) when it is that, else what charset-normalizer
    finds; raises ``ValueError`` for data that is not text."""
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 10:
        raise ValueError("binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        match = from_bytes(data).best()
        if match is None:
            raise ValueError("binary data, not text (no character encoding fits)") from None
        text = str(match)
    return text


def clean_text(text: str) -> str:
    """Normalise what varies between files but not between articles: line ends, NUL and other
    control characters, Unicode composition."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: scripts and styles dropped, entities decoded, one
    paragraph per block element."""
    from selectolax.parser import HTMLParser

    tree = HTMLParser(html)
    for node in tree.css("script, style, noscript, template, svg, head"):
        node.decompose()
    blocks = []
    body = tree.body or tree.root
    if body is None:
        return ""
    for node in body.css("p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td"):
        if node.css_first("p, li, blockquote, td") is not None:
            continue  # the inner blocks carry the text
        text = " ".join(node.text(separator=" ").split())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(body.text(separator=" ").split())]
    return "\n\n".join(blocks)


def looks_like_text(text: str) -> bool:
    """False for decoded binary: many replacement or unprintable characters."""
    if not text:
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t"))
    return bad / len(sample) < 0.05


def read_article(path: Path, metadata: dict[str, str] | None = None) -> Article:
    """One article from one file; raises ``ValueError`` with the reason it is not an article."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    if data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8\xff") or data.startswith(b"GIF8") or data.startswith(b"%PDF"):
        raise ValueError("an image or PDF, not text")
    text = decode(data)
    if not looks_like_text(text):
        raise ValueError("binary data, not text")
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(!doctype html|html)", text[:200], re.I):
        text = html_to_text(text)
    text = clean_text(text)
    if not text.strip():
        raise ValueError("empty: no text")
    metadata = metadata or {}
    published = metadata.get("published") or None
    return Article(
        source=path.name,
        text=text,
        path=str(path),
        outlet=metadata.get("outlet") or None,
        published=published,
        url=metadata.get("url") or None,
        title=_title(text),
    )


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return None


def read_articles(paths: Iterable[str | os.PathLike]) -> Iterator[Article | Rejected]:
    """Articles from files and folders, each followed by nothing else: a file that is not an
    article yields a :class:`Rejected` instead."""
    sources_cache: dict[Path, dict[str, dict[str, str]]] = {}
    for path in find_files(paths):
        folder = path.parent
        if folder not in sources_cache:
            try:
                sources_cache[folder] = read_sources_csv(folder)
            except (OSError, UnicodeDecodeError, csv.Error, KeyError) as e:
                yield Rejected(str(folder / SOURCES_FILE), f"unreadable sources file ({e})")
                sources_cache[folder] = {}
        try:
            yield read_article(path, sources_cache[folder].get(path.name))
        except (OSError, ValueError) as e:
            yield Rejected(str(path), str(e))
