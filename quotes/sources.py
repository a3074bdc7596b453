"""Read articles from files and folders: detect each file's encoding, take the text of HTML
pages, and join what a ``sources.csv`` beside them says about each (outlet, date, url).

A file that cannot be read as an article is not an error for the run: it is returned as a
:class:`Rejected` with a one-line reason, and the other files go on.
"""
from __future__ import annotations

import csv
import datetime
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser

from .records import Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
SOURCES_FILE = "sources.csv"
MAX_BYTES = 64 * 1024 * 1024
# Formats that charset detection might still decode into something: named so the user knows.
MAGIC_NUMBERS = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip-compressed data",
}
# When charset-normalizer scores several encodings exactly alike (short Western texts often fit
# cp1250 and cp1252 equally well), prefer the one WHATWG prescribes for unlabelled legacy text.
TIE_ORDER = ("utf_8", "ascii", "cp1252")
BLOCK_TAGS = ("p, div, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, figure, td, th, tr, br, hr, "
              "article, section, header, footer, aside, dd, dt, caption, address")
DROPPED_TAGS = "script, style, noscript, template, svg, head, iframe, object"
# A page's chrome: menus, forms, asides (related links, pull quotes that repeat the body's quotes).
CHROME = ("nav, form, button, aside, footer, [role=navigation], [role=complementary], [role=contentinfo], "
          "[role=search], [aria-hidden=true]")
PARAGRAPH = "\u2029"  # marks block boundaries while the HTML's own line breaks are folded away


@dataclass
class Rejected:
    """A file that was not ingested, and why, in words a user can act on."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def display_name(path: os.PathLike | str) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 in a file name
    become U+FFFD instead of failing later in the terminal or the database."""
    return os.fsencode(path).decode("utf-8", "replace")


def find_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Every article file under ``paths`` (files as given, folders searched), sorted."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{display_name(path)}: no such file or folder")
    return sorted(set(found))


def read_sources_csv(folder: Path) -> dict[str, dict[str, str]]:
    """``sources.csv`` rows keyed by file name: file, outlet, published, url (any may be blank)."""
    path = folder / SOURCES_FILE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["file"].strip(): {k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(f) if row.get("file")}


def decode(data: bytes) -> tuple[str, str]:
    """Text from bytes and the name of the encoding charset-normalizer found for them (a byte
    order mark or an HTML ``charset`` declaration is honoured); raises ``ValueError`` for data
    that no encoding fits."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ValueError("binary data, not text (no character encoding fits)")
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = min(tied, key=lambda m: TIE_ORDER.index(m.encoding) if m.encoding in TIE_ORDER else len(TIE_ORDER))
    return str(best), best.encoding


def clean_text(text: str) -> str:
    """Normalise what varies between files but not between articles: line ends (as Python's text
    mode reads them) and byte order marks. NUL and other control characters become spaces rather
    than disappearing, and composition is left as written, so every offset stored for a quote is
    an offset into the file as any reader of it sees the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else " " for ch in text)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, parsed by lexbor (an HTML5 parser): the story's element
    when the page marks one, without scripts, styles, menus, forms and asides; entities decoded;
    one paragraph per block element."""
    tree = LexborHTMLParser(html)
    for node in tree.css(DROPPED_TAGS):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    # A page that marks its story (<article>, else <main>) is read from there: the site's header,
    # menus and footer around it quote nobody the story quotes.
    stories = root.css("article") or root.css("main")
    if stories:
        root = max(stories, key=lambda node: len(node.text(strip=True)))
    for node in root.css(CHROME):
        node.decompose()
    for node in root.css(BLOCK_TAGS):
        node.insert_before(PARAGRAPH)
        node.insert_after(PARAGRAPH)
    blocks = (" ".join(block.split()) for block in root.text(separator="").split(PARAGRAPH))
    return "\n\n".join(block for block in blocks if block)


def looks_like_text(text: str) -> bool:
    """False for decoded binary: many replacement, private-use or unprintable characters."""
    if not text:
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t"))
    return bad / len(sample) < 0.05


def is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or re.match(r"\s*<(!doctype html|html)", text[:200], re.I) is not None


def read_article(path: Path, metadata: dict[str, str] | None = None) -> Article:
    """One article from one file; raises ``ValueError`` with the reason it is not an article."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    for magic, kind in MAGIC_NUMBERS.items():
        if data.startswith(magic):
            raise ValueError(f"{kind}, not text")
    text, encoding = decode(data)
    if not looks_like_text(text):
        raise ValueError("binary data, not text")
    if is_html(path, text):
        text = html_to_text(text)
    text = clean_text(text)
    if not text.strip():
        raise ValueError("empty: no text")
    metadata = metadata or {}
    return Article(
        source=display_name(path.name),
        text=text,
        path=display_name(path),
        outlet=metadata.get("outlet") or None,
        published=metadata.get("published") or dateline(text),
        url=metadata.get("url") or None,
        title=_title(text),
        encoding=encoding,
    )


MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATELINES = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
    re.compile(r"\b" + MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+" + MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
]
DATELINE_CHARS = 600


def dateline(text: str) -> str | None:
    """The publication date an article states at its top ("date 2021-11-07", "NOVEMBER 7,
    2021", "Sun 07 November 2021"), as ISO 8601; None when its opening gives none.  Only the
    opening is read: dates further down are the story's, not the article's."""
    head = text[:DATELINE_CHARS]
    found = []
    for pattern in DATELINES:
        for m in pattern.finditer(head):
            month = m.group("month")
            month = int(month) if month.isdigit() else MONTHS[month.lower()]
            day = int(m.group("day"))
            try:
                found.append((m.start(), datetime.date(int(m.group("year")), month, day).isoformat()))
            except ValueError:
                continue  # 31 February: not a date
    return min(found)[1] if found else None


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return None


def read_articles(paths: Iterable[str | os.PathLike]) -> Iterator[Article | Rejected]:
    """Articles from files and folders; a file that is not an article yields a :class:`Rejected`
    instead, and so does a second file with a name already read (an article's id is its file
    name, so the second would silently replace the first)."""
    sources_cache: dict[Path, dict[str, dict[str, str]]] = {}
    seen: dict[str, str] = {}
    for path in find_files(paths):
        folder = path.parent
        if folder not in sources_cache:
            try:
                sources_cache[folder] = read_sources_csv(folder)
            except (OSError, UnicodeDecodeError, csv.Error, KeyError) as e:
                yield Rejected(display_name(folder / SOURCES_FILE), f"unreadable sources file ({e})")
                sources_cache[folder] = {}
        name = display_name(path.name)
        if name in seen:
            yield Rejected(display_name(path), f"same file name as {seen[name]}; rename one of them")
            continue
        seen[name] = display_name(path)
        try:
            yield read_article(path, sources_cache[folder].get(name))
        except (OSError, ValueError) as e:
            yield Rejected(display_name(path), str(e))
