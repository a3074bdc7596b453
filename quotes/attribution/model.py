"""The learned speaker choice: features of each candidate mention, the fitted model that scores
them, and the decision between the model's best candidate and the rules' choice.

The model is a LightGBM binary classifier over (quote, candidate mention) pairs: the
probability that the candidate is the mention an annotator marked as the quote's source.  It
ships in this folder (``speaker_model.txt``, with the decision thresholds in
``speaker_model.json``) and is refitted by :mod:`quotes.attribution.fit`.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import LOWER, POS
from spacy.symbols import NOUN, PRON, PROPN
from spacy.tokens import Span, Token

from ..extraction import Quotation
from .candidates import SUBJECT_DEPS, mention, nearby
from .document import cached, sentence, sentence_number
from .sieve import RULES, Passage, Rule, Site

MODEL_FILE = Path(__file__).parent / "speaker_model.txt"
THRESHOLDS_FILE = Path(__file__).parent / "speaker_model.json"

RULE_CODES = {rule.name: rule.code for rule in RULES}
DEP_CODES = {d: n for n, d in enumerate(
    ("nsubj", "nsubjpass", "pobj", "dobj", "poss", "appos", "conj", "attr", "ROOT", "dative", "npadvmod"), start=1)}
ENT_CODES = {"PERSON": 1, "ORG": 2, "GPE": 3, "NORP": 4}
POS_CODES = {"PRON": 1, "PROPN": 2, "NOUN": 3}
PRONOUN_CODES = {"he": 1, "him": 1, "his": 1, "she": 2, "her": 2, "it": 3, "its": 3, "they": 4, "them": 4,
                 "their": 4, "we": 5, "i": 6, "me": 6, "my": 6, "you": 7, "who": 8, "that": 8, "which": 8}
FEATURES = [
    "rule", "rule_choice", "full", "quote_tokens", "closes_on_comma", "opens_paragraph", "closes_paragraph",
    "has_cue", "candidates", "distance", "distance_rank", "before", "same_sentence", "sentences_apart",
    "paragraphs_apart", "dep", "head_is_cue", "subject_of_cue", "cue_steps", "governs_quote", "entity", "pos",
    "pronoun", "title", "statement", "cue_noun", "mention_tokens", "name_count", "earlier_quotes",
    "previous_speaker", "cue_between", "capitalised", "rule_depth", "depth", "main_subject", "above_rule",
]
CATEGORICAL = ["rule", "dep", "entity", "pos", "pronoun"]
NOMINALS = [PROPN, NOUN, PRON]  # parts of speech that head a mention


@dataclass(frozen=True)
class Candidate:
    head: Token
    span: Span
    features: list[float]


def candidates(passage: Passage, site: Site, rule: Rule | None) -> list[Candidate]:
    """Every mention near the quote that could be its speaker, with its features; the rules'
    choice among them (added when it lies outside the window)."""
    doc, quote, lexicon = passage.doc, site.quote, passage.lexicon
    content = quote.content
    heads = nearby(doc, content.start, content.end - 1, site.quoted, lexicon)
    chosen = quote.speaker
    if chosen is not None and not any(chosen.start <= h.i < chosen.end for h in heads):
        heads.append(chosen.root)
    if not heads:
        return []
    quote_sents = {sentence(t).start for t in content if not t.is_space}
    last_sent = sentence(content[-1])
    first_number, last_number = sentence_number(content[0]), sentence_number(content[-1])
    text = passage.text
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    opens = not text[line_start : max(line_start, quote.start - 1)].strip()
    closes = len(text[quote.end + 1 : line_end].strip()) <= 1
    governing = {t.i for t in content.root.ancestors} | {content.root.i}
    names = _name_counts(doc)
    earlier = Counter(_key(q.speaker.root) for q in passage.quotes
                      if q.start < quote.start and q.speaker is not None)
    previous = passage.previous
    cue_words = [t for t in doc[sentence(doc[max(0, content.start - 1)]).start : last_sent.end]
                 if t.i not in site.quoted and passage.is_cue(t)]
    distances = [_distance(h, content) for h in heads]
    ranks = {i: r for r, i in enumerate(sorted(range(len(heads)), key=lambda i: abs(distances[i])))}
    quote_level = [
        RULE_CODES.get(rule.name, 0) if rule is not None and quote.speaker is not None else 0,
        0.0,
        float(quote.kind == "full"),
        float(len(content)),
        float(quote.text.rstrip()[-1:] in ",?!—–-") if quote.text.strip() else 0.0,
        float(opens),
        float(closes),
        float(quote.cue is not None),
        float(len(heads)),
    ]
    above_rule = set()  # subjects of the verbs above the rules' choice: "X said that Y called it “…”"
    if chosen is not None:
        for verb in chosen.root.ancestors:
            above_rule.update(c.i for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i not in chosen)
    rule_depth = _depth(chosen.root) if chosen is not None else -1
    found = []
    for index, head in enumerate(heads):
        span = chosen if chosen is not None and chosen.start <= head.i < chosen.end else _mention(head)
        head_sent = sentence(head)
        between = text[min(head.idx, quote.start) : max(head.idx, quote.end)]
        steps = _cue_steps(head, passage)
        row = list(quote_level)
        row[1] = float(chosen is not None and chosen.start <= head.i < chosen.end)
        lower = head.lower_
        row += [
            float(distances[index]),
            float(ranks[index]),
            float(head.i < content.start),
            float(head_sent.start in quote_sents),
            float(min(abs(sentence_number(head) - first_number), abs(sentence_number(head) - last_number))),
            float(between.count("\n")),
            float(DEP_CODES.get(head.dep_, 0)),
            float(passage.is_cue(head.head)),
            float(head.dep_ in SUBJECT_DEPS and passage.is_cue(head.head)),
            float(steps),
            float(head.head.i in governing and head.dep_ in SUBJECT_DEPS),
            float(ENT_CODES.get(head.ent_type_, 5 if head.ent_type_ else 0)),
            float(POS_CODES.get(head.pos_, 0)),
            float(PRONOUN_CODES.get(lower, 0)),
            float(head.lemma_.lower() in lexicon.title_words or lower in lexicon.title_words),
            float(lower in lexicon.statement_nouns),
            float(head.lemma_.lower() in lexicon.cue_nouns),
            float(len(span)),
            float(names.get(_key(head), 0)),
            float(earlier.get(_key(head), 0)),
            float(previous is not None and previous.speaker is not None and _key(previous.speaker.root) == _key(head)),
            float(any(c.i > content.end and head.i > content.end and c.i > head.i for c in cue_words)
                  or any(c.i < content.start and head.i < content.start and c.i < head.i for c in cue_words)),
            float(head.text[:1].isupper()),
            float(rule_depth),
            float(_depth(head)),
            float(head.dep_ in SUBJECT_DEPS and head.head.dep_ == "ROOT"),
            float(head.i in above_rule),
        ]
        found.append(Candidate(head, span, row))
    return found


def _mention(head: Token) -> Span:
    """:func:`.candidates.mention` of a head word, made once per Doc: neighbouring quotes share
    most of their candidates."""
    made = cached(head.doc, "mentions", dict)
    if head.i not in made:
        made[head.i] = mention(head)
    return made[head.i]


def _key(token: Token) -> str:
    return token.lower_


def _distance(head: Token, content: Span) -> int:
    """Tokens from the quote to the mention: negative before it, positive after it."""
    if head.i < content.start:
        return head.i - content.start
    if head.i >= content.end:
        return head.i - content.end + 1
    return 0


def _depth(token: Token) -> int:
    """How many verbs stand above a word in its sentence (0: a subject of the main clause)."""
    return sum(1 for t in token.ancestors if t.pos_ in ("VERB", "AUX")) - (1 if token.dep_ in SUBJECT_DEPS else 0)


def _cue_steps(head: Token, passage: Passage) -> int:
    """How many steps up the parse from the mention to a verb of saying (9: none within 6)."""
    token = head
    for step in range(1, 7):
        if token.head is token:
            break
        token = token.head
        if passage.is_cue(token):
            return step
    return 9


def _name_counts(doc) -> Counter:
    """How often the article prints each word that heads a mention (its salience)."""
    return cached(doc, "name_counts", lambda: _count_nominals(doc))


def _count_nominals(doc) -> Counter:
    # From the Doc's arrays: a Token object made for every word of the article cost more.
    table = doc.to_array([LOWER, POS])
    kept = table[np.isin(table[:, 1], NOMINALS), 0]
    strings = doc.vocab.strings
    return Counter({strings[int(key)]: int(n) for key, n in zip(*np.unique(kept, return_counts=True))})


class SpeakerModel:
    """The fitted model and its decision thresholds, loaded from files in the package."""

    def __init__(self, model_text: str, thresholds: dict):
        import lightgbm

        self.booster = lightgbm.Booster(model_str=model_text)
        self.switch_margin = float(thresholds["switch_margin"])
        self.assign_threshold = float(thresholds["assign_threshold"])
        self.fitted_on = thresholds.get("fitted_on", "")

    @classmethod
    def load(cls, model: Path = MODEL_FILE, thresholds: Path = THRESHOLDS_FILE) -> "SpeakerModel":
        try:
            return cls(model.read_text(encoding="utf-8"), json.loads(thresholds.read_text(encoding="utf-8")))
        except FileNotFoundError as error:
            raise ValueError(f"{error.filename}: no fitted speaker model (python -m quotes.attribution.fit)") from None

    def probabilities(self, found: list[Candidate]) -> np.ndarray:
        return self.booster.predict(np.array([c.features for c in found], dtype=np.float64), num_threads=1)

    def choose(self, quote: Quotation, found: list[Candidate]) -> tuple[Candidate | None, float]:
        """The candidate to keep and the confidence in the quote's attribution: the rules'
        choice unless the model's best beats it by the margin; where the rules chose nobody,
        the model's best only above the threshold (confidence then that nobody is named)."""
        if not found:
            return None, 1.0 if quote.speaker is None else 0.5
        scores = self.probabilities(found)
        best = int(np.argmax(scores))
        ruled = next((i for i, c in enumerate(found) if c.features[1] == 1.0), None)
        if ruled is not None:
            if best != ruled and scores[best] - scores[ruled] > self.switch_margin:
                return found[best], float(scores[best])
            return found[ruled], float(scores[ruled])
        if scores[best] > self.assign_threshold:
            return found[best], float(scores[best])
        return None, float(1.0 - scores[best])
