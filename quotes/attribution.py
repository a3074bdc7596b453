"""Attribute each quote in ``doc._.quotes`` to the mention that says it, and that mention to the
fullest name the article gives for it.  A spaCy component that runs after ``quote_finder``.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .extraction import Quotation

PRONOUN_KIND = {"he": "person", "she": "person", "him": "person", "her": "person", "i": "person",
                "it": "organisation", "they": "group", "we": "group"}
ENTITY_KIND = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}
TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "president", "prime", "minister",
               "spokesman", "spokeswoman", "spokesperson", "secretary", "chairman", "leader", "pm"}


def _is_cue(token: Token, cues: set[str]) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cues or token.lower_ in cues


class QuoteAttributor:
    """Finds the cue and speaker of each quote: in its own sentence first, then by carrying the
    speaker of an attributed quote over to the unattributed quotes that follow it."""

    def __init__(self, nlp: Language, name: str, cue_verbs: list[str], carry_over_paragraphs: int):
        self.name = name
        self.cues = {c.lower() for c in cue_verbs}
        self.carry_over_paragraphs = carry_over_paragraphs

    def __call__(self, doc: Doc) -> Doc:
        previous: Quotation | None = None
        for quote in doc._.quotes or []:
            if quote.kind == "post":
                continue
            self._attribute_in_sentence(doc, quote)
            if quote.speaker is None and previous is not None and previous.speaker_name and self._near(doc, previous, quote):
                quote.speaker_name = previous.speaker_name
                quote.speaker_kind = previous.speaker_kind
                quote.extra["carried_from"] = previous.start
            elif quote.speaker is not None:
                self._name(doc, quote)
            if quote.speaker_name:
                previous = quote
        return doc

    def _near(self, doc: Doc, previous: Quotation, quote: Quotation) -> bool:
        between = doc.text[previous.end : quote.start]
        return between.count("\n\n") + (between.count("\n") - 2 * between.count("\n\n")) <= self.carry_over_paragraphs

    def _attribute_in_sentence(self, doc: Doc, quote: Quotation) -> None:
        inside = range(quote.content.start, quote.content.end)
        sentences = {t.sent for t in quote.content if not t.is_space}
        candidates: list[Token] = []
        for sent in sorted(sentences, key=lambda s: s.start):
            for token in sent:
                if token.i in inside:
                    continue
                if _is_cue(token, self.cues):
                    candidates.append(token)
        # "according to X"
        for sent in sentences:
            for token in sent:
                if token.i not in inside and token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                    objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
                    if objects:
                        quote.cue = doc[token.i : token.i + 2]
                        quote.speaker = _mention(objects[0])
                        return
        candidates.sort(key=lambda t: min(abs(t.i - quote.content.start), abs(t.i - quote.content.end)))
        for verb in candidates:
            subject = _subject(verb)
            if subject is not None and subject.i not in inside:
                quote.cue = doc[verb.i : verb.i + 1]
                quote.speaker = _mention(subject)
                return
        if candidates:
            quote.cue = doc[candidates[0].i : candidates[0].i + 1]

    def _name(self, doc: Doc, quote: Quotation) -> None:
        mention = quote.speaker
        assert mention is not None
        root = mention.root
        if root.lower_ in PRONOUN_KIND:
            quote.speaker_kind = PRONOUN_KIND[root.lower_]
            antecedent = _antecedent(doc, mention.start, quote.speaker_kind)
            quote.speaker_name = antecedent
            return
        entity = _entity_in(mention)
        if entity is not None:
            quote.speaker_name = _full_name(doc, entity)
            quote.speaker_kind = ENTITY_KIND.get(entity.label_, "person")
            return
        words = [t for t in mention if t.dep_ not in ("det", "poss", "case") and not t.is_punct]
        quote.speaker_name = " ".join(t.text for t in words) or None
        quote.speaker_kind = "organisation"


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _mention(head: Token) -> Span:
    """The mention around a subject's head: its compounds, modifiers and apposition, not clauses."""
    doc = head.doc
    keep = [head] + [t for t in head.subtree if t is not head and t.dep_ in ("compound", "amod", "det", "poss", "case", "nmod", "appos", "flat", "punct") and t.head.i in range(head.left_edge.i, head.right_edge.i + 1)]
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    while end - 1 > head.i and doc[end - 1].is_punct:
        end -= 1
    while start < head.i and doc[start].is_punct:
        start += 1
    return doc[start:end]


def _entity_in(span: Span) -> Span | None:
    best = None
    for ent in span.doc.ents:
        if ent.start < span.end and span.start < ent.end and ent.label_ in ENTITY_KIND:
            if best is None or (ent.label_ == "PERSON") > (best.label_ == "PERSON") or len(ent) > len(best):
                best = ent
    return best


def _clean_name(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    words = text.split()
    while words and words[0].lower().strip(".") in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def _full_name(doc: Doc, entity: Span) -> str:
    """The longest earlier or later entity of the same kind that ends with this one's last word
    ("Kadhimi" → "Mustafa al-Kadhimi")."""
    name = _clean_name(entity.text)
    last = name.split()[-1].lower() if name.split() else ""
    best = name
    for ent in doc.ents:
        if ent.label_ != entity.label_:
            continue
        candidate = _clean_name(ent.text)
        words = candidate.lower().split()
        if words and (words[-1] == last or words[-1].endswith("-" + last)) and len(candidate) > len(best):
            best = candidate
    return best


def _antecedent(doc: Doc, before: int, kind: str) -> str | None:
    label = {"person": "PERSON", "organisation": "ORG", "group": "NORP"}[kind]
    for ent in reversed([e for e in doc.ents if e.end <= before]):
        if ent.label_ == label:
            return _full_name(doc, ent)
    return None


@Language.factory(
    "quote_attributor",
    default_config={
        "cue_verbs": ["say", "tell", "add", "write", "state", "declare", "announce", "comment", "tweet",
                      "post", "explain", "insist", "argue", "claim", "note", "warn", "call", "urge",
                      "ask", "reply", "respond", "answer", "describe", "praise", "confirm", "report",
                      "continue", "conclude", "acknowledge", "admit", "suggest", "remark", "recall",
                      "predict", "vow", "promise", "plead", "demand", "deny", "assert", "observe",
                      "quip", "joke", "scoff", "shout", "yell", "mutter", "whisper"],
        "carry_over_paragraphs": 1,
    },
    requires=["doc._.quotes"],
    assigns=["doc._.quotes"],
)
def make_quote_attributor(nlp: Language, name: str, cue_verbs: list[str], carry_over_paragraphs: int) -> QuoteAttributor:
    return QuoteAttributor(nlp, name, cue_verbs, carry_over_paragraphs)
