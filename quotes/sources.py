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

import yaml
from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser

from .records import CORPUS_FIELDS, Article

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
SOURCES_FILE = "sources.csv"
# What a corpus says about itself, in a folder of its articles (keys: records.CORPUS_FIELDS).
CORPUS_FILE = "corpus.yml"
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


def check_paths(paths: Iterable[str | os.PathLike]) -> None:
    """Raise ``FileNotFoundError`` naming the first of ``paths`` that does not exist."""
    for path in paths:
        if not Path(path).exists():
            raise FileNotFoundError(f"{display_name(path)}: no such file or folder")


def read_corpus_description(paths: Iterable[str | os.PathLike]) -> dict[str, str]:
    """What the ``corpus.yml`` of the first folder among ``paths`` that has one says about the
    corpus (title, description, source, source_url); ``{}`` when none has one.  Raises
    ``ValueError`` naming the file when it is not such a description."""
    for folder in map(Path, paths):
        path = folder / CORPUS_FILE
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            problem = str(e).strip().splitlines()[0]
            raise ValueError(f"{display_name(path)}: not a YAML file ({problem})") from None
        data = data or {}
        if not isinstance(data, dict) or set(data) - set(CORPUS_FIELDS):
            raise ValueError(f"{display_name(path)}: expected only the keys {', '.join(CORPUS_FIELDS)}")
        return {key: str(value).strip() for key, value in data.items() if value is not None and str(value).strip()}
    return {}


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
    # Each distinct character looked up once, not every character of the text.
    blanked = {ord(ch): " " for ch in set(text) if ch not in "\n\t" and unicodedata.category(ch) == "Cc"}
    return text.translate(blanked) if blanked else text


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, parsed by lexbor (an HTML5 parser): the story's element
    when the page marks one, without scripts, styles, menus, forms and asides; entities decoded;
    one paragraph per block element."""
    return read_html(html)[0]


def read_html(html: str) -> tuple[str, str | None]:
    """The readable text of an HTML page (see :func:`html_to_text`) and its headline: the story's
    first ``<h1>``, else the page's ``og:title``, else its ``<title>``; None when it has none."""
    tree = LexborHTMLParser(html)
    titles = [node.attributes.get("content") or "" for node in tree.css('meta[property="og:title"]')]
    titles += [node.text() for node in tree.css("head title")]
    for node in tree.css(DROPPED_TAGS):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return "", None
    # A page that marks its story (<article>, else <main>) is read from there: the site's header,
    # menus and footer around it quote nobody the story quotes.
    stories = root.css("article") or root.css("main")
    if stories:
        root = max(stories, key=lambda node: len(node.text(strip=True)))
    for node in root.css(CHROME):
        node.decompose()
    titles = [node.text() for node in root.css("h1")][:1] + titles
    title = next((" ".join(t.split()) for t in titles if t.strip()), None)
    for node in root.css(BLOCK_TAGS):
        node.insert_before(PARAGRAPH)
        node.insert_after(PARAGRAPH)
    blocks = (" ".join(block.split()) for block in root.text(separator="").split(PARAGRAPH))
    return "\n\n".join(block for block in blocks if block), title


def looks_like_text(text: str) -> bool:
    """False for decoded binary: many replacement, private-use or unprintable characters."""
    if not text:
        return True
    sample = text[:20000]
    # Each distinct character looked up once, not every character of the sample.
    bad = sum(sample.count(ch) for ch in set(sample)
              if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t"))
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
    title = None
    if is_html(path, text):
        text, title = read_html(text)
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
        title=title or headline(text) or display_name(path.name),
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
# A date stamps the article when it begins its line after at most this many words ("date
# 2021-11-07 …", "Sun 07 November 2021:", "Updated: Jan 03, 2020 10:38") or follows a word that
# says so ("Category: World Published on Sunday, 07 November 2021"); a date inside a sentence
# (a photo caption's "taken on March 31, 2021") is one the article mentions, not its own.
WORDS_BEFORE_DATE = 1
STAMP_WORDS = re.compile(r"\b(?:published|updated|posted|dated?|modified|filed)\b", re.I)
WORDS_AFTER_STAMP_WORD = 3  # "Published on Sunday, 07 …": the cue, a preposition and a weekday


def date_stamp(line: str) -> tuple[str, int, int] | None:
    """(ISO date, its start and end offsets) when ``line`` states a date as a stamp (see
    WORDS_BEFORE_DATE); None otherwise."""
    found = []
    for pattern in DATELINES:
        for m in pattern.finditer(line):
            before = line[: m.start()].split()
            if len(before) > WORDS_BEFORE_DATE and not STAMP_WORDS.search(" ".join(before[-WORDS_AFTER_STAMP_WORD - 1:])):
                continue
            month = m.group("month")
            month = int(month) if month.isdigit() else MONTHS[month.lower()]
            try:
                found.append((m.start(), datetime.date(int(m.group("year")), month, int(m.group("day"))).isoformat(), m.end()))
            except ValueError:
                continue  # 31 February: not a date
    if not found:
        return None
    start, iso, end = min(found)
    return iso, start, end


def dateline(text: str) -> str | None:
    """The publication date an article stamps at its top ("date 2021-11-07", "NOVEMBER 7,
    2021", "Published on Sun 07 November 2021"), as ISO 8601; None when its opening stamps none.
    Only the opening is read, and only a stamp counts (see :func:`date_stamp`): other dates are
    the story's, and in doubt the date is left empty."""
    stamp = _opening_stamp(text)
    return stamp[0] if stamp else None


def without_stamp(text: str) -> str:
    """The text with the date stamp at its top blanked, offsets kept: the parser otherwise reads
    "date 2020-01-03 Ana Paz said …" as a date saying it."""
    stamp = _opening_stamp(text)
    return text if stamp is None else text[: stamp[1]] + " " * (stamp[2] - stamp[1]) + text[stamp[2] :]


def _opening_stamp(text: str) -> tuple[str, int, int] | None:
    """(ISO date, start, end) in ``text`` of the first stamp in its opening, from the words that
    lead to the date to the date's end."""
    offset = 0
    for line in text[:DATELINE_CHARS].splitlines(keepends=True):
        stamp = date_stamp(line.strip())
        if stamp:
            lead = offset + len(line) - len(line.lstrip())
            return stamp[0], lead, lead + stamp[2]
        offset += len(line)
    return None


HEADLINE_LINES = 12  # of the article's first lines with words, where its headline would be
HEADLINE_WORDS = range(3, 21)  # fewer: a section label ("World"); more: the story's first paragraph
# A line of a site's menu: several words in capitals ("WORLD NEWS … PODCAST"), which headlines
# (in title case or sentence case) do not print.
MENU_CAPITALS = 2
# A short line that starts with one of these is a site's button or link, not a headline.
CHROME_WORDS = {"follow", "connect", "share", "subscribe", "sign", "log", "expand", "collapse", "search", "menu",
                "skip", "advertisement", "read", "related", "listen", "watch"}
CHROME_LINE_WORDS = 5


def headline(text: str) -> str | None:
    """The article's headline: the first line near its top, less a date stamp that opens it,
    that is not a stamp line, a section label or a site's menu, and not so long that it is the
    story's first paragraph; None when the article starts with its story."""
    lines = [line.strip() for line in text[: DATELINE_CHARS * 3].splitlines()]
    for line in [line for line in lines if re.search(r"[^\W\d_]", line)][:HEADLINE_LINES]:
        stamp = date_stamp(line)
        if stamp:
            # "date 2021-11-07 Harbour reopens": the rest may be the headline; "Published on …": a stamp.
            line = line[stamp[2]:].lstrip(" :,.-–—|") if len(line[: stamp[1]].split()) <= WORDS_BEFORE_DATE else ""
        found = line.split()
        if not re.search(r"[^\W\d_]", line) or len(found) < HEADLINE_WORDS.start:
            continue
        if sum(1 for w in found if len(w) >= 4 and w.isupper() and w.isalpha()) >= MENU_CAPITALS:
            continue
        if len(found) <= CHROME_LINE_WORDS and found[0].casefold().rstrip(":") in CHROME_WORDS:
            continue
        return " ".join(found) if len(found) in HEADLINE_WORDS else None
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
