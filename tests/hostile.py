"""A folder of hostile article files, generated (never committed), with what each should get.

Used by ``test_sources`` (reading) and ``test_robustness`` (a whole ``quotes build``).
"""
from __future__ import annotations

import os
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

GOOD_QUOTE = "We will rebuild the bridge before winter, whatever it costs."
# A headline, then the paragraph with the quote (a first line is a headline, not a quote).
PARAGRAPH = f'Bridge works to start\n\nThe minister said: "{GOOD_QUOTE}" Officials agreed.\n\n'
BIG_BYTES = 6 * 1024 * 1024
ASCII = ("ascii", "utf_8")  # either name is right for bytes that are plain ASCII
WORDS = ("council budget river harbour ministry report village election road school winter farmers "
         "prices market museum railway hospital coast weather committee").split()


@dataclass(frozen=True)
class Expected:
    """What a hostile file should get: ingested (with the encoding charset detection names, and
    a quote that must be found in it) or rejected (with words the reason must contain)."""

    ingested: bool
    encodings: tuple[str, ...] = ()
    quote: str | None = None
    reason: str | None = None


def png_bytes(rnd: random.Random) -> bytes:
    """A real 8×8 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rnd.randbytes(3 * 8) for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def big_article(rnd: random.Random, size: int = BIG_BYTES) -> tuple[str, str]:
    """A long article of plain reporting with a quote every few hundred paragraphs; returns the
    text and the last quote's words (which sit far beyond spaCy's 1,000,000 characters)."""
    parts: list[str] = []
    length, number, last = 0, 0, ""
    while length < size:
        if number % 400 == 399:
            last = f"Section {number} of the plan is finished and paid for."
            paragraph = f'The engineer said: "{last}" Work continues.\n\n'
        else:
            paragraph = " ".join(rnd.choice(WORDS) for _ in range(45)).capitalize() + ".\n\n"
        parts.append(paragraph)
        length += len(paragraph)
        number += 1
    return "".join(parts), last


def mark_soup(rnd: random.Random) -> str:
    """Thousands of unbalanced quotation marks of every style, one paragraph of nothing else,
    then marks strewn among words, then one good quote."""
    marks = '"“”„«»‘’\'‹›'
    soup = " ".join("".join(rnd.choice(marks) for _ in range(rnd.randint(1, 3))) for _ in range(1000))
    strewn = []
    for _ in range(20):
        words = [rnd.choice(WORDS) + (rnd.choice(marks) if rnd.random() < 0.5 else "") for _ in range(60)]
        strewn.append(" ".join(words) + ".")
    return soup + "\n\n" + "\n\n".join(strewn) + "\n\n" + PARAGRAPH


def write_hostile_folder(folder: Path) -> dict[str, Expected]:
    """Write every hostile file into ``folder``; returns file name -> what it should get."""
    rnd = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    cp1252 = ("Café owners in Málaga were angry. “We cannot pay these prices,” said José Núñez, the "
              "association’s président, who called the décision “unfair and rushed”.\n")
    big, big_quote = big_article(rnd)
    html = ("<!doctype html><html><head><title>Storm</title><style>p { color: red }</style>"
            "<script>var warning = \"not a quote\";</script></head><body><h1>Storm &amp; flood</h1>"
            "<p>The governor said: &ldquo;We are doing everything we can.&rdquo;</p>"
            "<script>document.write('injected')</script><div>Caf&eacute; owners &#8220;stay open&#8221;.</div>"
            "</body></html>")
    files: dict[str, tuple[bytes, Expected]] = {
        "empty.txt": (b"", Expected(False, reason="empty")),
        "whitespace only.txt": (b"  \n\t\r\n   \n\xc2\xa0\n", Expected(False, reason="empty")),
        "random.txt": (rnd.randbytes(8192), Expected(False, reason="binary")),
        "picture.txt": (png_bytes(rnd), Expected(False, reason="PNG image")),
        "cp1252.txt": (cp1252.encode("cp1252"), Expected(True, ("cp1252",), "We cannot pay these prices,")),
        "nul.txt": (f'Water back\n\nThe mayor said: "The water\x00 is safe to drink again."\x00 People cheered.\n'.encode(),
                    Expected(True, ASCII, "The water  is safe to drink again.")),  # NUL blanked: offsets kept
        "bom.txt": (b"\xef\xbb\xbf" + PARAGRAPH.encode(), Expected(True, ("utf_8",), GOOD_QUOTE)),
        "crlf.txt": (PARAGRAPH.replace("\n", "\r\n").encode(), Expected(True, ASCII, GOOD_QUOTE)),
        "utf16.txt": (PARAGRAPH.encode("utf-16"), Expected(True, ("utf_16",), GOOD_QUOTE)),
        "big.txt": (big.encode(), Expected(True, ASCII, big_quote)),
        "long line.txt": (("x" * 1_000_000 + "\n\n" + PARAGRAPH).encode(), Expected(True, ASCII, GOOD_QUOTE)),
        "marks.txt": (mark_soup(rnd).encode(), Expected(True, ("utf_8",), GOOD_QUOTE)),
        "arabic.txt": ("هجوم على المنطقة الخضراء\n\nقال رئيس الوزراء: «لن نسمح بأي اعتداء على أمن البلاد». وأضاف أن «التحقيق مستمر».\n".encode(),
                       Expected(True, ("utf_8",), "لن نسمح بأي اعتداء على أمن البلاد")),
        "page.html": (html.encode(), Expected(True, ASCII, "We are doing everything we can.")),
        "nouvelles été à Zürich.txt": (PARAGRAPH.encode(), Expected(True, ASCII, GOOD_QUOTE)),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    expected = {name: expectation for name, (_, expectation) in files.items()}
    # A file name that is not UTF-8 at all (Latin-1 "é"): stored under a printable name.
    fd = os.open(os.fsencode(folder) + b"/caf\xe9 latin1.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, PARAGRAPH.encode())
    os.close(fd)
    expected["caf\ufffd latin1.txt"] = Expected(True, ASCII, GOOD_QUOTE)
    return expected
