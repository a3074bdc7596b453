"""Plain data objects passed from one stage to the next.

Each stage reads the records of the stage before it and returns its own; none of them knows
about spaCy, SQL or HTML.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property


# What a corpus may say about itself (``quotes build --title …`` or corpus.yml), named as
# Datasette's metadata names these.
CORPUS_FIELDS = ("title", "description", "source", "source_url")


def content_id(*parts: object) -> str:
    """A short deterministic id made from content, so that re-runs upsert the same rows."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One article as read from disk, with what a sources file says about it."""

    source: str  # file name, e.g. 000_66f191c0b4e7ab27.txt
    text: str
    path: str = ""
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    language: str = "en"
    encoding: str | None = None  # what charset detection found for the file's bytes, e.g. cp1252

    @property
    def id(self) -> str:
        # Keyed on the file name, not the text: an edited article replaces its old rows.
        return content_id("article", self.source)

    @property
    def content_hash(self) -> str:
        return content_id("text", self.text)


@dataclass
class Quote:
    """A direct quote found in one article, with the speaker the article supports.

    ``speaker_name`` is the speaker's fullest name *as the article gives it* (the antecedent of
    "he", the full form of "Nazimi"); the speakers stage maps it to one canonical speaker.
    """

    text: str
    start: int
    end: int
    kind: str = "full"  # full | fragment | post
    cue: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_name: str | None = None
    speaker_kind: str | None = None  # person | organisation | group
    handle: str | None = None  # @handle of an embedded post's author
    language: str = "en"
    attributed_by: str | None = None  # the rule that chose the speaker mention ("cue_verb" …)
    speaker_confidence: float | None = None  # 0-1, how likely the attribution is right
    sentence: int | None = None  # where its run of quotes from one sentence and cue begins (Quotation.sentence)

    def id(self, article_id: str) -> str:
        return content_id("quote", article_id, self.start, self.end)


@dataclass
class ExtractedArticle:
    """An article and the quotes extraction and attribution found in it."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Speaker:
    """One canonical speaker and every name the articles used for them."""

    name: str
    kind: str = "person"
    aliases: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return content_id("speaker", self.name.casefold())


@dataclass
class StoredQuote:
    """A quote as the later, database-wide stages see it (read back from the store)."""

    id: str
    article_id: str
    text: str
    kind: str
    language: str
    speaker_name: str | None = None
    speaker_kind: str | None = None
    speaker_mention: str | None = None
    handle: str | None = None
    outlet: str | None = None
    published: str | None = None
    speaker_id: str | None = None
    sentence: int | None = None  # quotes of one article with the same value are pieces of one utterance


@dataclass
class Group:
    """Quotes that are variants of one utterance."""

    quote_ids: list[str]
    representative_id: str
    original_id: str | None = None  # the original-language variant, when one is linked
    agreement: dict[str, float] = field(default_factory=dict)  # quote id -> share of representative carried
    joined_by: dict[str, str] = field(default_factory=dict)  # quote id -> the evidence that joined it, in words

    @cached_property
    def id(self) -> str:
        # Once per group, not once per read: a group can hold a hundred thousand quotes, and
        # its members are not changed once it is made.
        return content_id("group", min(self.quote_ids))
