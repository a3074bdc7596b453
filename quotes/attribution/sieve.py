"""The rule sieve: named rules in order, the first that decides a quote wins.

Each rule is a small function ``rule(passage, site) -> bool`` that returns True when it has
decided the quote, with a speaker mention (``quote.speaker``) or deliberately with none.  A
rule that sets a speaker is recorded in ``quote.attributed_by``.  To add a rule, write the
function and put it in :data:`RULES` where it should take precedence.

The order, first match wins:

1. words quoted inside an attributed quote are that quote's speaker's;
2. a transcript label at the start of the paragraph (``"SMITH: …``) speaks every quote in it;
3. inside a quote nobody is said to have said, nothing tells who said the inner words;
4. a cue in the quote's own sentence: ``according to X``, a verb of saying with its subject
   (``X said``, ``said X``, ``X said: "…"``), a noun of saying with its owner (``X's claim``);
5. the dash line ``"…" — X``;
6. the reporter's sentence just before the quote names who speaks;
7. an unattributed quote right after an attributed one (``he added`` on a previous quote, or a
   quote standing alone in the next paragraph) is carried over from it, mention and all;
8. a fragment inside the reporter's sentence goes to the subject of the verb that governs it.

Otherwise the speaker stays unknown; nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from spacy.tokens import Doc, Span, Token

from ..extraction import Quotation
from . import candidates
from .candidates import SUBJECT_DEPS, adjacent_subject, can_speak, entity_at, is_cue, owner, subject
from .document import sentence, text_before, text_of
from .lexicon import Lexicon
from .names import Names

HEADLINE_LABEL_WORDS = 5  # "Senator Ada Kessler:", not "Harbour plan vote delayed again after storm:"
TRANSCRIPT_LABEL = re.compile(r"(?P<label>(?:[A-Z][A-Z.'’-]+ ?){1,4}):\s")
# What may stand between a closing mark and its cue verb: the speaker's name and description.
SPEAKER_WORDS = {"PROPN", "NOUN", "DET", "ADJ", "PUNCT", "PART", "NUM", "PRON", "ADP", "SPACE"}
DASH_LINE = re.compile(r"[^\S\n]*\n?[^\S\n]*[—–―][^\S\n]*(?P<name>[A-Z][^\n,(.]{1,60}?)[^\S\n]*(?:,|\(|\.|$|\n)")


@dataclass
class Passage:
    """One article (Doc) being attributed: its quotes and what the rules share about it."""

    doc: Doc
    lexicon: Lexicon
    quotes: list[Quotation]  # the quotes to attribute (not embedded posts), in text order
    source_phrases: dict[int, int]  # start -> end of each "according to" (the lexicon's patterns)
    carry_over_paragraphs: int
    previous: Quotation | None = None  # the last quote a later one may go on from
    names: Names | None = None  # the names the article prints, for rules that must know them
    every_quote: set[int] = field(init=False)
    cues: dict[int, bool] = field(init=False, default_factory=dict)  # token index -> is_cue

    def __post_init__(self) -> None:
        self.every_quote = {i for q in self.quotes for i in range(q.content.start, q.content.end)}

    def is_cue(self, token: Token) -> bool:
        """:func:`.candidates.is_cue` with this passage's lexicon, answered once per token: the
        quotes of one passage look at the same verbs again and again."""
        known = self.cues.get(token.i)
        if known is None:
            known = self.cues[token.i] = is_cue(token, self.lexicon)
        return known

    @property
    def text(self) -> str:
        return text_of(self.doc)


class Site:
    """One quote in its passage, with what several rules read about it, computed once."""

    def __init__(self, passage: Passage, quote: Quotation):
        self.passage = passage
        self.quote = quote
        quotes = passage.quotes
        # Words inside other quotes are not the reporter's, except around a nested quote.
        enclosing = [q for q in quotes if q is not quote and q.start <= quote.start and quote.end <= q.end]
        self.quoted = passage.every_quote if not enclosing else {
            i for q in quotes if q is quote or q not in enclosing for i in range(q.content.start, q.content.end)}
        self.outer = enclosing[0] if enclosing else None

    @cached_property
    def reporter_tokens(self) -> list[Token]:
        """The reporter's words in the sentences the quote touches, inside its paragraph (or
        the paragraph that introduces it with a colon)."""
        doc, quote, text = self.passage.doc, self.quote, self.passage.text
        # The quote's own paragraph only: the parser sometimes runs a sentence over a break.
        first = text.rfind("\n", 0, quote.start) + 1
        lead_in = text_before(doc, first)
        if lead_in.endswith(":"):  # a paragraph introducing the quote: "X made this comment:"
            lead_in_end = max(0, first - 2_000) + len(lead_in)
            first = text.rfind("\n", 0, lead_in_end) + 1
        last = text.find("\n", quote.end)
        last = len(text) if last < 0 else last
        return [t for s in self._sentences() for t in s
                if t.i not in self.quoted and not t.is_space and first <= t.idx < last]

    @property
    def cue_verbs(self) -> list[Token]:
        """The verbs of saying among the reporter's words, the likeliest first (see :meth:`order`)."""
        return self._ranking[0]

    def order(self, token: Token) -> tuple:
        """How likely a cue word is to be the quote's cue, smallest first: a cue right
        behind a quote that closes on a comma ("…,” The Hill reported); then the verb the quote
        hangs on ("X said the plan was “a disaster”"), then the nearest.  A verb whose subject
        is only implied ("expects Voss to … by naming his “errors”") yields to a verb of
        saying above it with a speaker of its own ("Amsel told CBS that …")."""
        return self._ranking[1](token)

    @property
    def trailing_cue(self) -> Token | None:
        """The cue verb of ``“…,” X said`` right behind the quote, if any."""
        return self._ranking[2]

    @cached_property
    def _ranking(self) -> tuple[list[Token], Callable[[Token], tuple], Token | None]:
        lexicon = self.passage.lexicon
        found = [t for t in self.reporter_tokens if self.passage.is_cue(t)]
        trailing = self._trailing_cue(found)
        # The nearer a governing verb stands above the quote, the likelier it is the quote's own
        # ("X condemned it, calling it “…”, Reuters reports": calling, not reports).
        governing = {t.i: depth for depth, t in enumerate(self.quote.content.root.ancestors)}
        quote = self.quote
        # A colon before the opening mark ("X commented on Twitter: “…”") hands the quote to the
        # clause before it, unless the quote closes on a comma into its own attribution
        # (“…,” the union wrote).
        opening = quote.marks.open_mark if quote.marks is not None else ""
        introduced = (text_before(self.passage.doc, quote.start).removesuffix(opening).rstrip().endswith(":")
                      and not quote.text.rstrip().endswith(","))
        order = lambda t: (t is not trailing, introduced and t.i > quote.content.start,  # noqa: E731
                           _reported_within(t, found, lexicon), governing.get(t.i, len(governing)),
                           min(abs(t.i - quote.content.start), abs(t.i - quote.content.end)))
        return sorted(found, key=order), order, trailing

    def _trailing_cue(self, found: list[Token]) -> Token | None:
        """The cue verb of ``“…,” X said``: the quote closes on a comma, question or exclamation
        mark, and only the speaker's words stand between the closing mark and the verb."""
        doc, quote = self.passage.doc, self.quote
        if not re.search(r"[,?!—–]\W*$", quote.text):
            return None
        after = [t for t in found if t.i >= quote.content.end and "\n" not in self.passage.text[quote.end : t.idx]]
        if not after:
            return None
        verb = min(after, key=lambda t: t.i)
        between = doc[quote.content.end : verb.i]
        if len(between) > 12 or any(t.pos_ not in SPEAKER_WORDS or t.is_quote and t.idx > quote.end + 1 for t in between):
            return None
        return verb

    def _sentences(self) -> list[Span]:
        """The sentences the quote touches, and the one just after it when that sentence goes
        on the quote's line without a capital ("…” he said.": the parser often splits there)."""
        doc, quote, text = self.passage.doc, self.quote, self.passage.text
        sentences = {sentence(t) for t in quote.content if not t.is_space}
        after = quote.content.end
        while after < len(doc) and (doc[after].is_punct or doc[after].is_space) and "\n" not in doc[after].text:
            after += 1
        # A quote closing on a comma or with no full stop goes on into its attribution; so does
        # a short sentence right behind the closing mark ("…?” Brannock asked.").
        goes_on = not re.search(r"[.!?…]\W*$", text[quote.start : quote.end])
        if after < len(doc) and "\n" not in text[quote.end : doc[after].idx]:
            following = sentence(doc[after])
            if goes_on or doc[after].text[:1].islower() or (following.start == after and (
                    len(following) <= 12 or _reports_only(following, self.passage.lexicon))):
                sentences.add(following)
        return sorted(sentences, key=lambda s: s.start)


def _reported_within(verb: Token, found: list[Token], lexicon: Lexicon) -> bool:
    """Whether ``verb`` has no subject of its own and sits inside what a verb of saying above
    it reports, said by someone named or a pronoun."""
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return False
    above = [t for t in verb.ancestors if t in found]
    return any((s := next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)) is not None
               and (s.ent_type_ in ("PERSON", "ORG") or s.lower_ in lexicon.pronoun_kinds) for t in above)


def _reports_only(sent: Span, lexicon: Lexicon) -> bool:
    """A sentence that only says who spoke and how ("Hollis's niece, state Del. Irina Solberg,
    shouted to the hall."): its root is a verb of saying with no clause of its own."""
    root = sent.root
    return is_cue(root, lexicon) and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in root.children)


# -- the rules ----------------------------------------------------------------------------------

def inside_attributed_quote(passage: Passage, site: Site) -> bool:
    """Words quoted inside a quote are reported by the outer quote's speaker."""
    outer = site.outer
    if outer is None or outer.speaker is None:
        return False
    quote = site.quote
    quote.speaker, quote.speaker_name, quote.speaker_kind = outer.speaker, outer.speaker_name, outer.speaker_kind
    return True


def transcript_label(passage: Passage, site: Site) -> bool:
    """``"DUARTE: Well, …`` names the speaker of the paragraph and of quotes nested in it."""
    doc, quote, text = passage.doc, site.quote, passage.text
    line_start = text.rfind("\n", 0, quote.start) + 1
    for q in passage.quotes:
        if q.start < line_start or q.start > quote.start:
            continue
        m = TRANSCRIPT_LABEL.match(text, q.start)
        if m and q.start <= quote.start and quote.end <= q.end + 1:
            mention = doc.char_span(m.start("label"), m.end("label") - (1 if m.group("label").endswith(" ") else 0),
                                    alignment_mode="expand")
            if mention is not None:
                quote.speaker = mention
                return True
    return False


def headline_label(passage: Passage, site: Site) -> bool:
    """``Kessler: Plan Was 'Reckless'``: a headline's words before its colon name the speaker of the
    quote after it, when they hold a name the story prints (see ``Names.named_in_headline``)."""
    doc, quote, text = passage.doc, site.quote, passage.text
    if quote.start >= doc._.headline_end:
        return False
    line_start = text.rfind("\n", 0, quote.start) + 1
    colon = text.find(":", line_start, quote.start)
    if colon < 0 or len(text[line_start:colon].split()) > HEADLINE_LABEL_WORDS:
        return False
    mention = doc.char_span(line_start, colon, alignment_mode="contract")
    if mention is None or passage.names is None or passage.names.named_in_headline(doc, mention) is None:
        return False
    quote.speaker = mention
    return True


def inside_unattributed_quote(passage: Passage, site: Site) -> bool:
    """Inside a quote nobody is said to have said, the words around are that unknown speaker's,
    not the reporter's: nothing there tells who said the inner words (decided: nobody)."""
    return site.outer is not None


def source_phrase(passage: Passage, site: Site) -> bool:
    """``according to X`` in the quote's sentence: a phrase of the lexicon's
    ``source_phrases`` and the object of its last word."""
    doc = passage.doc
    if site.cue_verbs and site.cue_verbs[0] is site.trailing_cue:
        return False  # "“…,” X said, according to the Post": X said it; the Post reported it
    for token in site.reporter_tokens:
        if token.i in passage.source_phrases:
            end = passage.source_phrases[token.i]
            objects = [c for c in doc[end - 1].children if c.dep_ == "pobj"]
            if objects:
                site.quote.cue = doc[token.i : end]
                site.quote.speaker = candidates.mention(objects[0])
                return True
    return False


def cue_verb(passage: Passage, site: Site) -> bool:
    """A verb of saying in the quote's sentence and its subject (or the name beside it)."""
    lexicon, quote = passage.lexicon, site.quote
    for verb in site.cue_verbs:
        found = subject(verb, lexicon)
        beside = adjacent_subject(verb, site.quoted)
        if found is None or found.i in site.quoted or not can_speak(found, lexicon) or (
                beside is not None and beside.ent_type_ == "PERSON" and not candidates.is_person(found, lexicon)
                and beside not in found.subtree):  # "Ostrova's lawyer" is not Ostrova
            # The parser's subject is missing or unlikely ("…,” Amsel said on Fox News's
            # show" parsed with "Fox" as subject): the name beside the verb instead.
            found = beside
        if found is not None and can_speak(found, lexicon):
            quote.cue = passage.doc[verb.i : verb.i + 1]
            quote.speaker = candidates.mention(found)
            return True
    return False


def cue_noun(passage: Passage, site: Site) -> bool:
    """A noun of saying in the quote's sentence and its owner ("X's claim")."""
    nouns = [t for t in site.reporter_tokens if t.pos_ == "NOUN" and t.lemma_.lower() in passage.lexicon.cue_nouns]
    for noun in sorted(nouns, key=site.order):
        found = owner(noun, passage.lexicon)
        if found is not None and found.i not in site.quoted:
            site.quote.cue = passage.doc[noun.i : noun.i + 1]
            site.quote.speaker = candidates.mention(found)
            return True
    return False


def unattributed_cue(passage: Passage, site: Site) -> bool:
    """Never decides: a verb of saying with no usable subject is still the quote's cue (a
    fragment with a cue is no scare quote), unless a later rule finds another."""
    if site.cue_verbs:
        verb = site.cue_verbs[0]
        site.quote.cue = passage.doc[verb.i : verb.i + 1]
    return False


def dash_line(passage: Passage, site: Site) -> bool:
    """``"…" — Name``: a name after a dash right behind the closing mark or on the next line
    (a shape of the text's lines, so read on the text rather than the tokens)."""
    doc, quote = passage.doc, site.quote
    rest = passage.text[quote.end + 1 : quote.end + 200]
    m = DASH_LINE.match(rest)
    if not m:
        return False
    base = quote.end + 1
    mention = doc.char_span(base + m.start("name"), base + m.end("name"), alignment_mode="contract")
    if mention is None or not any(t.pos_ == "PROPN" for t in mention):
        return False
    quote.speaker = mention
    dash = base + rest.index(m.group().strip()[0])
    quote.cue = doc.char_span(dash, dash + 1)
    return True


def sentence_before(passage: Passage, site: Site) -> bool:
    """A quote opening a sentence right after the reporter's sentence that names who
    speaks ("Tolliver said the talks matter. “The other factor is …”")."""
    doc, quote, lexicon = passage.doc, site.quote, passage.lexicon
    first = sentence(quote.content[0])
    if quote.kind != "full" or first.start == 0:
        return False
    before = sentence(doc[first.start - 1])
    introduced = before.text.rstrip().endswith(":")  # "Tolliver made this comment:" ¶ "…"
    # A quote that is a paragraph of its own goes on from the paragraph before, as after a colon
    # ("X tweeted that he would act. ¶ “I give the order …”").
    alone = _own_paragraph(passage.text, quote)
    if ("\n" in passage.text[before.start_char : quote.start] and not (introduced or alone)) \
            or any(t.i in site.quoted for t in before):
        return False
    verbs = sorted((t for t in before if is_cue(t, lexicon)), key=lambda t: (t.dep_ != "ROOT", -t.i))
    for verb in verbs:
        found = subject(verb, lexicon)
        if found is not None and can_speak(found, lexicon) and found.lower_ not in lexicon.relative_pronouns:
            quote.cue = doc[verb.i : verb.i + 1]
            quote.speaker = candidates.mention(found)
            return True
    if introduced:
        for noun in (t for t in before if t.pos_ == "NOUN" and t.lemma_.lower() in lexicon.cue_nouns):
            found = owner(noun, lexicon)
            if found is not None and can_speak(found, lexicon):
                quote.cue = doc[noun.i : noun.i + 1]
                quote.speaker = candidates.mention(found)
                return True
    return False


def _own_paragraph(text: str, quote: Quotation) -> bool:
    """Whether nothing but the quote and its marks stands in its paragraph."""
    start = text.rfind("\n", 0, quote.start) + 1
    end = text.find("\n", quote.end)
    end = len(text) if end < 0 else end
    return not re.sub(r"[\W_]", "", text[start : quote.start] + text[quote.end : end])


def carried_over(passage: Passage, site: Site) -> bool:
    """A quote standing as its own sentence goes on from the attributed one before it, at
    most ``carry_over_paragraphs`` paragraphs later, with no more than a few words of the
    reporter's own before it (more would be a new sentence about something else).  A few
    words quoted inside the reporter's sentence ("the so-called “reform”") do not."""
    previous, quote, text = passage.previous, site.quote, passage.text
    if previous is None or quote.kind != "full":
        return False
    between = text[previous.end : quote.start]
    if "\n" in between:  # in the same paragraph, one speaker until the text names another
        paragraphs = len([p for p in between.split("\n") if p.strip()]) - 1
        if paragraphs > passage.carry_over_paragraphs:
            return False
        lead_start = max(text.rfind("\n", 0, quote.start) + 1, previous.end + 1)
        lead = re.sub(r"[\"“”„«»‘’'—–-]", " ", text[lead_start : quote.start])
        if len(lead.split()) > 4:
            return False
    quote.speaker, quote.speaker_name, quote.speaker_kind = previous.speaker, previous.speaker_name, previous.speaker_kind
    return True


def governing_subject(passage: Passage, site: Site) -> bool:
    """A fragment quoted inside the reporter's sentence: the subject of the nearest verb
    above it ("Adeyemi called the plan “a disaster”" → Adeyemi)."""
    quote, lexicon = site.quote, passage.lexicon
    if quote.kind != "fragment":
        return False
    token = quote.content.root
    for _ in range(8):
        if token.head is token:
            return False
        token = token.head
        if token.i in site.quoted or token.pos_ not in ("VERB", "AUX"):
            continue
        found = subject(token, lexicon)
        if found is not None and found.i not in site.quoted and _could_be_source(found, lexicon):
            quote.speaker = candidates.mention(found)
            return True
    return False


def _could_be_source(found: Token, lexicon: Lexicon) -> bool:
    """With no verb of saying, only a named person or body, a third-person pronoun or a
    titled nominal is taken for the source of a fragment ("the plan" never is)."""
    if found.lower_ in lexicon.pronoun_kinds:
        return True
    named = [found] + [c for c in found.children if c.dep_ == "appos"]
    if any(entity_at(t) is not None for t in named):
        return True
    return found.lemma_.lower() in lexicon.title_words or found.lower_ in lexicon.title_words


@dataclass(frozen=True)
class Rule:
    """One step of the sieve."""

    name: str
    code: int  # the rule as a feature of the speaker model: fixed, whatever the rules' order
    decide: Callable[[Passage, Site], bool]
    copies: bool = False  # speaker and name come from another quote: nothing to resolve
    passes_on: bool = True  # a later quote may be carried over from this one


RULES: tuple[Rule, ...] = (
    Rule("inside_quote", 1, inside_attributed_quote, copies=True, passes_on=False),
    Rule("transcript_label", 2, transcript_label),
    Rule("headline_label", 12, headline_label),
    Rule("inside_unattributed_quote", 3, inside_unattributed_quote),
    Rule("source_phrase", 4, source_phrase),
    Rule("cue_verb", 5, cue_verb),
    Rule("cue_noun", 6, cue_noun),
    Rule("unattributed_cue", 7, unattributed_cue),
    Rule("dash_line", 8, dash_line),
    Rule("sentence_before", 9, sentence_before),
    Rule("carried_over", 10, carried_over, copies=True),
    Rule("governing_subject", 11, governing_subject),
)


def first_rule(passage: Passage, site: Site, rules: tuple[Rule, ...] = RULES) -> Rule | None:
    """The first rule that decides the quote (it has set the quote's mention and cue), if any."""
    return next((rule for rule in rules if rule.decide(passage, site)), None)
