"""The spaCy component ``quote_attributor``: it runs the attribution steps in order.

1. the rule sieve (:mod:`.sieve`) chooses each quote's speaker mention and cue;
2. names (:mod:`.names`) resolve the mention to the fullest name the article gives;
3. a quote running over several paragraphs takes the speaker of its last one, and a fragment
   nobody is said to have said (a scare quote) is dropped;
4. quotes that one sentence prints from one cue are marked as pieces of one utterance.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from . import model
from .document import forget, text_of
from .lexicon import Lexicon, load_lexicon
from .names import Names
from .sieve import Passage, Rule, Site, first_rule

# What a quote's attribution is put down to when the model overrules the sieve.
MODEL_RULE = Rule("model", 0, lambda passage, site: False)

LEXICON_FILE = "lexicon.json"
# What ends a sentence between two quotes: a stop, question or exclamation mark before a blank
# (past any closing marks), or a line break.
SENTENCE_BREAK = re.compile(r"[.!?][\"”’'»)\]]*\s|\n")
# The words of an attribution that cuts one quote in two: ', he said, ' / ', the minister added, '.
CUT_WORDS = 6
MARKS_AND_BLANKS = " \"“”‘’'«»"  # what stands around the reporter's words between two quotes


class QuoteAttributor:
    """Finds the cue and speaker of each quote in ``doc._.quotes``; see :mod:`.sieve`."""

    def __init__(self, nlp: Language, name: str, lexicon: str, carry_over_paragraphs: int,
                 antecedent_sentences: int, keep_scare_quotes: bool, speaker_model: bool):
        self.name = name
        self.vocab = nlp.vocab
        self.carry_over_paragraphs = carry_over_paragraphs
        self.antecedent_sentences = antecedent_sentences
        self.keep_scare_quotes = keep_scare_quotes
        self.use_lexicon(load_lexicon(lexicon))
        self.model = model.SpeakerModel.load() if speaker_model else None
        # Set to a list by quotes.attribution.fit: every quote's candidates as the sieve left them.
        self.recorder: list | None = None

    def use_lexicon(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.names = Names(lexicon, self.antecedent_sentences)
        self.source_phrases = Matcher(self.vocab)
        self.source_phrases.add("SOURCE_PHRASE", [list(p) for p in lexicon.source_phrases])

    def __call__(self, doc: Doc) -> Doc:
        quotes = [q for q in doc._.quotes or [] if q.kind != "post"]
        phrases = {start: end for _, start, end in self.source_phrases(doc)}
        passage = Passage(doc, self.lexicon, quotes, phrases, self.carry_over_paragraphs, names=self.names)
        for quote in quotes:
            site = Site(passage, quote)
            rule = first_rule(passage, site)
            if self.model is not None or self.recorder is not None:
                rule = self._learned_choice(passage, site, rule)
            if rule is None or quote.speaker is None:
                continue
            quote.attributed_by = rule.name
            if not rule.copies:
                self.names.name(doc, quote, passage.previous, site.quoted)
            if rule.passes_on:
                passage.previous = quote
                self.names.remember(doc, quote)
        # The paragraphs of a quote running over several take the speaker of its last one.
        for quote, following in reversed(list(zip(quotes, quotes[1:]))):
            if quote.marks is not None and quote.marks.continued and quote.speaker is None:
                quote.speaker, quote.speaker_name = following.speaker, following.speaker_name
                quote.speaker_kind, quote.cue = following.speaker_kind, following.cue
                quote.attributed_by = "continued_paragraph" if following.speaker is not None else None
                quote.speaker_confidence = following.speaker_confidence
        # A fragment nobody is said to have said is a scare quote: not a quote of anyone. Only an
        # English one can be told apart that way: the English parse says nothing about a quote
        # in another script, which is kept with no speaker rather than lost.
        doc._.quotes = [q for q in doc._.quotes or []
                        if self.keep_scare_quotes or q.language != "en"
                        or not (q.kind == "fragment" and q.speaker is None and q.cue is None)]
        self._mark_utterances(doc)
        forget(doc)
        return doc

    def _mark_utterances(self, doc: Doc) -> None:
        """Give consecutive quotes of one sentence the same ``sentence`` (the first one's start)
        when nothing between them ends the sentence or brings in another verb of saying: the
        “reckless drivers” had ruined the “quiet streets” that “our children loved”, or a quote cut by
        ", he said,".  A second cue ("…," she said, praising the "…" and added a request for "…")
        starts a new run."""
        text = text_of(doc)
        previous = None
        for quote in doc._.quotes or []:
            if quote.kind == "post" or quote.language != "en":
                previous = None
                continue
            quote.sentence = quote.start
            if previous is not None and self._one_utterance(doc, text, previous, quote):
                quote.sentence = previous.sentence
            previous = quote

    def _one_utterance(self, doc: Doc, text: str, first, second) -> bool:
        gap_start, gap_end = first.end, second.start  # the closing and opening marks included
        first_ends = text[first.start : first.end].rstrip()[-1:]
        if (gap_end - gap_start > 400 or SENTENCE_BREAK.search(text, gap_start, max(gap_end, gap_start))
                or first_ends in (".", "!", "?")):
            return False
        gap_words = text[gap_start:gap_end].strip(MARKS_AND_BLANKS)
        gap = doc.char_span(gap_start, gap_end, alignment_mode="contract")
        tokens = [t for t in gap or () if not t.is_punct and not t.is_space]
        cues = sum(t.lemma_.lower() in self.lexicon.cue_verbs for t in tokens)
        if not cues:
            # Coordinated pieces ("will rebuild …" and that "never again …") are as often two
            # sentences of the original as one; so is a piece after a comma and "who" or "which"
            # ("the worst driver in town,” who “had three crashes …").
            after_comma = first_ends == "," or gap_words.startswith(",")
            return not any(t.dep_ == "cc" or (after_comma and t.lower_ in self.lexicon.relative_pronouns)
                           for t in tokens)
        # A quote cut by its attribution: "…,” he said, “…".
        return cues == 1 and first_ends == "," and len(tokens) <= CUT_WORDS and gap_words.endswith(",")

    def _learned_choice(self, passage: Passage, site: Site, rule: Rule | None) -> Rule | None:
        """The rule that stands for the quote's speaker once the model has had its say: the
        sieve's, or ``model`` when the model's candidate beats the sieve's choice."""
        quote = site.quote
        found = model.candidates(passage, site, rule)
        if self.recorder is not None:
            self.recorder.append((quote, found))
        if self.model is None:
            return rule
        choice, quote.speaker_confidence = self.model.choose(quote, found)
        if choice is None or choice.features[1] == 1.0 or _one_mention(choice.head, quote.speaker):
            return rule
        quote.speaker, quote.speaker_name, quote.speaker_kind = choice.span, None, None
        return MODEL_RULE

    # -- serialisation: the lexicon goes with the pipeline, as SpanRuler's patterns do ----------

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps(self.lexicon.to_dict(), ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "QuoteAttributor":
        self.use_lexicon(Lexicon.from_dict(json.loads(data)))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / LEXICON_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "QuoteAttributor":
        self.use_lexicon(load_lexicon(str(Path(path) / LEXICON_FILE)))
        return self


def _one_mention(head, chosen) -> bool:
    """Whether a candidate is the rules' choice in other words: its apposition ("Ana Paz, the
    town's mayor"), the name it stands in apposition to, or a mention holding it ("Her claim")."""
    if chosen is None:
        return False
    inside = lambda token: chosen.start <= token.i < chosen.end  # noqa: E731
    return (head.dep_ == "appos" and inside(head.head)) or (chosen.root.dep_ == "appos" and chosen.root.head is head) \
        or any(inside(t) for t in head.subtree if t.dep_ == "poss")


@Language.factory(
    "quote_attributor",
    default_config={
        "lexicon": "en_news",
        "carry_over_paragraphs": 1,
        "antecedent_sentences": 3,
        "keep_scare_quotes": False,
        "speaker_model": True,
    },
    requires=["doc._.quotes"],
    assigns=["doc._.quotes"],
)
def make_quote_attributor(nlp: Language, name: str, lexicon: str, carry_over_paragraphs: int,
                          antecedent_sentences: int, keep_scare_quotes: bool, speaker_model: bool) -> QuoteAttributor:
    """``lexicon``: the name of a lexicon shipped in ``quotes/attribution/lexicons`` or a path to
    one; ``speaker_model``: let the fitted model overrule the rules' choice of speaker."""
    return QuoteAttributor(nlp, name, lexicon, carry_over_paragraphs, antecedent_sentences, keep_scare_quotes,
                           speaker_model)
