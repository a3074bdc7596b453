"""Attribute each quote in ``doc._.quotes`` to the mention that says it, and that mention to the
fullest name the article gives for it.  A spaCy component that runs after ``quote_finder``.

The order of the rules, first match wins:

1. a transcript label at the start of the paragraph (``"SMITH: …``) speaks every quote in it;
2. a cue in the quote's own sentence: a verb of saying with its subject (``X said``, ``said X``,
   ``X said: "…"``), ``according to X``, a noun of saying with its owner (``X's claim``) and the
   dash line ``"…" — X``;
3. an unattributed quote right after an attributed one (``he added`` on a previous quote, or a
   quote standing alone in the next paragraph) is carried over from it, mention and all;
4. a fragment inside the reporter's sentence goes to the subject of the verb that governs it.

Otherwise the speaker stays unknown; nothing is guessed.  A pronoun or relative pronoun is kept
as the mention (``he``) and resolved inside the article to a name; a nominal naming a statement
("an Iraqi military statement") names whoever issued it.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .extraction import DOC_TEXT, HEADLINE_END, Quotation

PRONOUN_KIND = {"he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
                "it": "organisation", "its": "organisation", "they": "group", "their": "group",
                "them": "group", "we": "group"}
# The writer of a first-person piece ("I laughed and said, …"): a person the text rarely names.
FIRST_PERSON = {"i", "me", "my"}
RELATIVE = {"who", "which", "that"}
ENTITY_KIND = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# What may stand between a closing mark and its cue verb: the speaker's name and description.
SPEAKER_WORDS = {"PROPN", "NOUN", "DET", "ADJ", "PUNCT", "PART", "NUM", "PRON", "ADP", "SPACE"}
# Dependents that belong to a name as printed; appositions and clauses do not.
MENTION_DEPS = {"compound", "flat", "amod", "det", "poss", "case", "nmod", "nummod"}
# Titles that say nothing of a post, and words that make a title another one ("vice president").
COURTESY_TITLES = {"mr", "mrs", "ms", "dr", "former", "rev"}
QUALIFIERS = {"vice", "deputy", "assistant", "acting", "associate", "under"}
ABBREVIATED_TITLES = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                      "pres": "president", "sec": "secretary", "amb": "ambassador", "prof": "professor",
                      "lt": "lieutenant", "col": "colonel", "capt": "captain", "sgt": "sergeant"}
TRANSCRIPT_LABEL = re.compile(r"(?P<label>(?:[A-Z][A-Z.'’-]+ ?){1,4}):\s")


HYPHENS = {"-", "‐", "‑"}


def _is_cue(token: Token, cues: set[str]) -> bool:
    # The token before, not _text(doc): that rebuilds the whole text on every call.
    before = token.nbor(-1) if token.i > 0 else None
    if token.dep_ == "amod" or (before is not None and before.text.endswith("-") and not before.whitespace_):
        return False  # "so-called", "the much-praised"
    if token.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children):
        return True  # "as The New Yorker put it, “…”"
    return (token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cues) or (
        token.lower_ in cues and token.pos_ not in ("NOUN", "PROPN", "ADJ", "ADP", "DET"))


class QuoteAttributor:
    """Finds the cue and speaker of each quote; see the module's docstring for the rules."""

    def __init__(self, nlp: Language, name: str, cue_verbs: list[str], cue_nouns: list[str],
                 statement_nouns: list[str], title_words: list[str], carry_over_paragraphs: int,
                 antecedent_sentences: int, keep_scare_quotes: bool):
        self.name = name
        self.cues = {c.lower() for c in cue_verbs}
        self.cue_nouns = {c.lower() for c in cue_nouns}
        self.statement_nouns = {c.lower() for c in statement_nouns}
        self.title_words = {c.lower() for c in title_words}
        self.carry_over_paragraphs = carry_over_paragraphs
        self.antecedent_sentences = antecedent_sentences
        self.keep_scare_quotes = keep_scare_quotes

    def __call__(self, doc: Doc) -> Doc:
        quotes = [q for q in doc._.quotes or [] if q.kind != "post"]
        previous: Quotation | None = None
        every_quote = {i for q in quotes for i in range(q.content.start, q.content.end)}
        for quote in quotes:
            # Words inside other quotes are not the reporter's, except around a nested quote.
            enclosing = [q for q in quotes if q is not quote and q.start <= quote.start and quote.end <= q.end]
            quoted = every_quote if not enclosing else {
                i for q in quotes if q is quote or q not in enclosing for i in range(q.content.start, q.content.end)}
            outer = next((q for q in quotes if q is not quote and q.start <= quote.start and quote.end <= q.end), None)
            if outer is not None and outer.speaker is not None:
                # Words quoted inside a quote are reported by the outer quote's speaker.
                quote.speaker, quote.speaker_name = outer.speaker, outer.speaker_name
                quote.speaker_kind = outer.speaker_kind
                quote.extra["inside"] = outer.start
                continue
            if outer is not None and not self._transcript_label(doc, quote, quotes):
                # Inside a quote nobody is said to have said, the words around are that unknown
                # speaker's, not the reporter's: nothing there tells who said the inner words.
                continue
            found = (self._transcript_label(doc, quote, quotes)
                     or self._in_sentence(doc, quote, quoted)
                     or self._dash_line(doc, quote)
                     or self._sentence_before(doc, quote, quoted))
            # Only a quote standing as its own sentence goes on from the one before; a few words
            # quoted inside the reporter's sentence ("the so-called “reform”") do not.
            if not found and previous is not None and quote.kind == "full" and self._near(doc, previous, quote):
                quote.speaker, quote.speaker_name = previous.speaker, previous.speaker_name
                quote.speaker_kind = previous.speaker_kind
                quote.extra["carried_from"] = previous.start
            else:
                if not found and quote.kind == "fragment":
                    self._governing_subject(doc, quote, quoted)
                if quote.speaker is not None:
                    self._name(doc, quote, previous, quoted)
            if quote.speaker is not None:
                previous = quote
                if quote.speaker_kind == "person" and quote.speaker_name:
                    speakers = _cached(doc, "people", dict)
                    key = _last_word(quote.speaker_name)
                    speakers[key] = max(speakers.get(key, ""), quote.speaker_name, key=len)
        # The paragraphs of a quote running over several take the speaker of its last one.
        for quote, following in reversed(list(zip(quotes, quotes[1:]))):
            if quote.marks is not None and quote.marks.continued and quote.speaker is None:
                quote.speaker, quote.speaker_name = following.speaker, following.speaker_name
                quote.speaker_kind, quote.cue = following.speaker_kind, following.cue
        # A fragment nobody is said to have said is a scare quote: not a quote of anyone. Only an
        # English one can be told apart that way: the English parse says nothing about a quote
        # in another script, which is kept with no speaker rather than lost.
        doc._.quotes = [q for q in doc._.quotes or []
                        if self.keep_scare_quotes or q.language != "en"
                        or not (q.kind == "fragment" and q.speaker is None and q.cue is None)]
        doc.user_data.pop(_CACHE, None)  # tables for this call only: nothing to pickle or keep
        return doc

    # -- where the speaker is --------------------------------------------------------------

    def _transcript_label(self, doc: Doc, quote: Quotation, quotes: list[Quotation]) -> bool:
        """``"PENCE: Well, …`` names the speaker of the paragraph and of quotes nested in it."""
        text = _text(doc)
        line_start = text.rfind("\n", 0, quote.start) + 1
        for q in quotes:
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

    def _in_sentence(self, doc: Doc, quote: Quotation, quoted: set[int]) -> bool:
        sentences = self._sentences(doc, quote)
        # The quote's own paragraph only: the parser sometimes runs a sentence over a break.
        first = _text(doc).rfind("\n", 0, quote.start) + 1
        lead_in = _text_before(doc, first)
        if lead_in.endswith(":"):  # a paragraph introducing the quote: "X made this comment:"
            lead_in_end = max(0, first - 2_000) + len(lead_in)
            first = _text(doc).rfind("\n", 0, lead_in_end) + 1
        last = _text(doc).find("\n", quote.end)
        last = len(_text(doc)) if last < 0 else last
        tokens = [t for s in sentences for t in s
                  if t.i not in quoted and not t.is_space and first <= t.idx < last]
        for token in tokens:
            if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
                if objects:
                    quote.cue = doc[token.i : token.i + 2]
                    quote.speaker = self._mention(objects[0])
                    return True
        governing = {t.i for t in quote.content.root.ancestors}
        # A colon before the opening mark ("X commented on Twitter: “…”") hands the quote to the
        # clause before it, unless the quote closes on a comma into its own attribution
        # (“…,” the union wrote).
        opening = quote.marks.open_mark if quote.marks is not None else ""
        introduced = (_text_before(doc, quote.start).removesuffix(opening).rstrip().endswith(":")
                      and not quote.text.rstrip().endswith(","))
        candidates = [t for t in tokens if _is_cue(t, self.cues)]
        trailing = self._trailing_cue(doc, quote, candidates)
        # A cue right behind a quote that closes on a comma ("…,” The Hill reported) first; then
        # the verb the quote hangs on ("X said the plan was “a disaster”"), then the nearest. A
        # verb whose subject is only implied ("expects Holt to … by calling out his “lies”")
        # yields to a verb of saying above it with a speaker of its own ("Mook told CBS that …").
        order = lambda t: (t is not trailing, introduced and t.i > quote.content.start,  # noqa: E731
                           self._reported_within(t, candidates), t.i not in governing,
                           min(abs(t.i - quote.content.start), abs(t.i - quote.content.end)))
        verbs = sorted(candidates, key=order)
        for verb in verbs:
            subject = _subject(verb)
            beside = _adjacent_subject(verb, quoted)
            if subject is None or subject.i in quoted or not _can_speak(subject) or (
                    beside is not None and beside.ent_type_ == "PERSON" and not _is_person(subject)
                    and beside not in subject.subtree):  # "Ostrova's lawyer" is not Ostrova
                # The parser's subject is missing or unlikely ("…,” Flynn said on Fox News's
                # show" parsed with "Fox" as subject): the name beside the verb instead.
                subject = beside
            if subject is not None and _can_speak(subject):
                quote.cue = doc[verb.i : verb.i + 1]
                quote.speaker = self._mention(subject)
                return True
        for noun in sorted((t for t in tokens if t.pos_ == "NOUN" and t.lemma_.lower() in self.cue_nouns), key=order):
            owner = _owner(noun)
            if owner is not None and owner.i not in quoted:
                quote.cue = doc[noun.i : noun.i + 1]
                quote.speaker = self._mention(owner)
                return True
        if verbs:
            quote.cue = doc[verbs[0].i : verbs[0].i + 1]
        return False

    def _trailing_cue(self, doc: Doc, quote: Quotation, candidates: list[Token]) -> Token | None:
        """The cue verb of ``“…,” X said``: the quote closes on a comma, question or exclamation
        mark, and only the speaker's words stand between the closing mark and the verb."""
        if not re.search(r"[,?!—–]\W*$", quote.text):
            return None
        after = [t for t in candidates if t.i >= quote.content.end and "\n" not in _text(doc)[quote.end : t.idx]]
        if not after:
            return None
        verb = min(after, key=lambda t: t.i)
        between = doc[quote.content.end : verb.i]
        if len(between) > 12 or any(t.pos_ not in SPEAKER_WORDS or t.is_quote and t.idx > quote.end + 1 for t in between):
            return None
        return verb

    def _reported_within(self, verb: Token, candidates: list[Token]) -> bool:
        """Whether ``verb`` has no subject of its own and sits inside what a verb of saying above
        it reports, said by someone named or a pronoun."""
        if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            return False
        above = [t for t in verb.ancestors if t in candidates]
        return any((s := next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)) is not None
                   and (s.ent_type_ in ("PERSON", "ORG") or s.lower_ in PRONOUN_KIND) for t in above)

    def _sentences(self, doc: Doc, quote: Quotation) -> list[Span]:
        """The sentences the quote touches, and the one just after it when that sentence goes
        on the quote's line without a capital ("…” he said.": the parser often splits there)."""
        sentences = {_sent(t) for t in quote.content if not t.is_space}
        after = quote.content.end
        while after < len(doc) and (doc[after].is_punct or doc[after].is_space) and "\n" not in doc[after].text:
            after += 1
        # A quote closing on a comma or with no full stop goes on into its attribution; so does
        # a short sentence right behind the closing mark ("…?” Graham asked.").
        goes_on = not re.search(r"[.!?…]\W*$", _text(doc)[quote.start : quote.end])
        if after < len(doc) and "\n" not in _text(doc)[quote.end : doc[after].idx]:
            following = _sent(doc[after])
            if goes_on or doc[after].text[:1].islower() or (following.start == after and (
                    len(following) <= 12 or self._reports_only(following))):
                sentences.add(following)
        return sorted(sentences, key=lambda s: s.start)

    def _reports_only(self, sentence: Span) -> bool:
        """A sentence that only says who spoke and how ("Scott's niece, state Del. Marcia Price,
        shouted to the crowd."): its root is a verb of saying with no clause of its own."""
        root = sentence.root
        return _is_cue(root, self.cues) and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in root.children)

    def _dash_line(self, doc: Doc, quote: Quotation) -> bool:
        """``"…" — Name`` : a name after a dash right behind the closing mark or on the next line."""
        text = _text(doc)
        rest = text[quote.end + 1 : quote.end + 200]
        m = re.match(r"[^\S\n]*\n?[^\S\n]*[—–―][^\S\n]*(?P<name>[A-Z][^\n,(.]{1,60}?)[^\S\n]*(?:,|\(|\.|$|\n)", rest)
        if not m:
            return False
        base = quote.end + 1
        mention = doc.char_span(base + m.start("name"), base + m.end("name"), alignment_mode="contract")
        if mention is None or not any(t.pos_ == "PROPN" for t in mention):
            return False
        quote.speaker = mention
        quote.cue = doc.char_span(base + rest.index(m.group().strip()[0]), base + rest.index(m.group().strip()[0]) + 1)
        return True

    def _sentence_before(self, doc: Doc, quote: Quotation, quoted: set[int]) -> bool:
        """A quote opening a sentence right after the reporter's sentence that names who
        speaks ("Schiff said the talks matter. “The other factor is …”")."""
        first = _sent(quote.content[0])
        if quote.kind != "full" or first.start == 0:
            return False
        before = _sent(doc[first.start - 1])
        introduced = before.text.rstrip().endswith(":")  # "Sanders made this comment:" ¶ "…"
        if ("\n" in _text(doc)[before.start_char : quote.start] and not introduced) or any(t.i in quoted for t in before):
            return False
        verbs = sorted((t for t in before if _is_cue(t, self.cues)), key=lambda t: (t.dep_ != "ROOT", -t.i))
        for verb in verbs:
            subject = _subject(verb)
            if subject is not None and _can_speak(subject) and subject.lower_ not in RELATIVE:
                quote.cue = doc[verb.i : verb.i + 1]
                quote.speaker = self._mention(subject)
                return True
        if introduced:
            for noun in (t for t in before if t.pos_ == "NOUN" and t.lemma_.lower() in self.cue_nouns):
                owner = _owner(noun)
                if owner is not None and _can_speak(owner):
                    quote.cue = doc[noun.i : noun.i + 1]
                    quote.speaker = self._mention(owner)
                    return True
        return False

    def _governing_subject(self, doc: Doc, quote: Quotation, quoted: set[int]) -> bool:
        """A fragment quoted inside the reporter's sentence: the subject of the nearest verb
        above it ("Trump called the plan “a disaster”" → Trump)."""
        token = quote.content.root
        for _ in range(8):
            if token.head is token:
                return False
            token = token.head
            if token.i in quoted or token.pos_ not in ("VERB", "AUX"):
                continue
            subject = _subject(token)
            if subject is not None and subject.i not in quoted and self._could_be_source(subject):
                quote.speaker = self._mention(subject)
                quote.extra["governing_verb"] = token.i
                return True
        return False

    def _could_be_source(self, subject: Token) -> bool:
        """With no verb of saying, only a named person or body, a third-person pronoun or a
        titled nominal is taken for the source of a fragment ("the plan" never is)."""
        if subject.lower_ in PRONOUN_KIND:
            return True
        named = [subject] + [c for c in subject.children if c.dep_ == "appos"]
        if any(_entity_at(t) is not None for t in named):
            return True
        return subject.lemma_.lower() in self.title_words or subject.lower_ in self.title_words

    def _near(self, doc: Doc, previous: Quotation, quote: Quotation) -> bool:
        """Whether an unattributed quote goes on from ``previous``: at most
        ``carry_over_paragraphs`` paragraphs later, with no more than a few words of the
        reporter's own before it (more would be a new sentence about something else)."""
        text = _text(doc)
        between = text[previous.end : quote.start]
        if "\n" not in between:
            return True  # the same paragraph: one speaker until the text names another
        paragraphs = len([p for p in between.split("\n") if p.strip()]) - 1
        if paragraphs > self.carry_over_paragraphs:
            return False
        lead_start = max(text.rfind("\n", 0, quote.start) + 1, previous.end + 1)
        lead = re.sub(r"[\"“”„«»‘’'—–-]", " ", text[lead_start : quote.start])
        return len(lead.split()) <= 4

    def _mention(self, head: Token) -> Span:
        """The words of the mention around ``head``: its compounds and modifiers, not its
        apposition, clauses or prepositional phrases."""
        keep = {head.i}
        frontier = [head]
        while frontier:
            token = frontier.pop()
            for child in token.children:
                if child.dep_ in MENTION_DEPS and (child.i < head.i or child.dep_ in ("flat", "compound")):
                    keep.add(child.i)
                    frontier.append(child)
        start, end = min(keep), max(keep) + 1
        doc = head.doc
        while start < head.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        # A hyphenated name is one word however the tokenizer cut it ("al-Kadhimi").
        while start > 1 and doc[start - 1].text in HYPHENS and not doc[start - 2].whitespace_ \
                and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha:
            start -= 2
        while end + 1 < len(doc) and doc[end].text in HYPHENS and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].is_alpha:
            end += 2
        return doc[start:end]

    # -- who the mention is ----------------------------------------------------------------

    def _name(self, doc: Doc, quote: Quotation, previous: Quotation | None, quoted: set[int]) -> None:
        mention = quote.speaker
        assert mention is not None
        root = mention.root
        if root.lower_ in RELATIVE and root.head.dep_ == "relcl":
            mention = self._mention(root.head.head)
            root = mention.root
        if root.lower_ in PRONOUN_KIND:
            quote.speaker_kind = PRONOUN_KIND[root.lower_]
            quote.speaker_name = self._antecedent(doc, root, quote.speaker_kind, previous, quoted)
            return
        if root.lower_ in FIRST_PERSON or root.lower_ in RELATIVE:
            # A name "I" would make one speaker of every first-person writer in the database; a
            # relative pronoun the parse does not tie to its noun names nobody.
            quote.speaker_name, quote.speaker_kind = None, "person" if root.lower_ in FIRST_PERSON else None
            return
        if root.lower_ in self.statement_nouns:
            # "an Iraqi military statement" is the Iraqi military's words.
            issuer = [t for t in mention if t.i != root.i and t.dep_ not in ("det", "poss", "case") and not t.is_punct]
            owners = [c for c in root.children if c.dep_ == "poss"] or _issuer(root)
            if owners:
                mention = self._mention(owners[0])
            elif issuer:
                quote.speaker_name = _clean_name(_printed(issuer), self.title_words)
                quote.speaker_kind = "organisation"
                return
            root = mention.root
        entity = _entity_at(root)
        if entity is None:
            # "His former business partner, Lawrence Cummings": the apposition names him.
            appositions = [c for c in root.children if c.dep_ == "appos"]
            named = [e for e in (_entity_at(c) for c in appositions) if e is not None]
            # A person named anywhere in the apposition before a body the parser made its head
            # ("niece, state Del. Marcia Price (D-Newport News)").
            people = [e for e in (_entity_at(t) for a in appositions for t in a.subtree) if e is not None and e.label_ == "PERSON"]
            entity = people[0] if people and (not named or named[0].label_ != "PERSON") else (named[0] if named else None)
            if entity is not None and quote.speaker is mention:
                quote.speaker = entity
        if entity is not None and len(entity) == 1 and entity.label_ != "PERSON":
            # A lone surname the tagger took for a body ("Reyes said") after the full name.
            person = next((e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                           and _last_word(e.text) == _last_word(entity.text)), None)
            entity = person or entity
        lone = entity if entity is not None else (mention if len(mention) == 1 and root.pos_ == "PROPN" else None)
        if lone is not None and len(lone) == 1 and lone.label_ != "PERSON":
            # A lone surname the tagger took for a body, or missed, that the article prints with
            # given names in a paragraph left unparsed ("Rep. Adam Schiff" … "Schiff said").
            full = self._printed_in_full(doc, _clean_name(lone.text, self.title_words))
            if full:
                quote.speaker_name, quote.speaker_kind = full, "person"
                return
        if entity is not None:
            quote.speaker_name = self._full_name(doc, entity)
            # A title inside what the tagger took for a body ("Iranian Foreign Minister Seyed
            # Abbas Araghchi") makes it a person.
            titled = any(_unabbreviated(t.text) in self.title_words for t in (*mention, *entity))
            quote.speaker_kind = "person" if titled else ENTITY_KIND[entity.label_]
            return
        words = [t for t in mention if t.dep_ not in ("det", "poss", "case") or t.i == root.i]
        words = [t for t in words if not t.is_punct or t.text == "-"]
        name = _clean_name(_printed(words), self.title_words)
        if root.lower_ in self.title_words or (name and name.split()[-1].lower() in self.title_words):
            # "the prime minister", "the Iraqi PM": the person the article gives that title; "a
            # spokesman" is someone the article does not name.
            indefinite = any(t.dep_ == "det" and t.lower_ in ("a", "an", "another", "one") for t in root.children)
            person = None if indefinite else self._titled_person(doc, mention)
            # An unnamed "official" or "spokesman" keeps the mention but no name: a name
            # "official" would make one speaker of every unnamed official in the database.
            quote.speaker_name, quote.speaker_kind = person, "person"
            return
        possessors = [t for t in mention if t.dep_ == "poss" and _entity_at(t) is not None]
        if possessors:
            # "Gary Johnson’s doctor": the owner's whole name and what he owns, not "Gary doctor".
            owner = _entity_at(possessors[0])
            name = doc[owner.start : mention.end].text
        quote.speaker_name = name or None
        # The head's own words, not an owner's ("Clinton's campaign" is no person).
        owned = {t.i for p in mention if p.dep_ == "poss" for t in p.subtree}
        person = any(t.ent_type_ == "PERSON" or _unabbreviated(t.text) in self.title_words
                     for t in mention if t.i not in owned)
        quote.speaker_kind = "person" if person else "organisation"

    def _antecedent(self, doc: Doc, pronoun: Token, kind: str, previous: Quotation | None,
                    quoted: set[int]) -> str | None:
        """What a pronoun refers to: the nearest subject of the right kind in the sentences
        just before it, else the speaker of the quote before, else the nearest entity."""
        labels = {"person": ("PERSON",), "organisation": ("ORG", "GPE"), "group": ("NORP", "ORG")}[kind]
        sentences = [_sent(pronoun)]
        while len(sentences) <= self.antecedent_sentences and sentences[-1].start > 0:
            sentences.append(_sent(doc[sentences[-1].start - 1]))
        if (previous is not None and previous.speaker is not None and previous.speaker_kind == kind
                and previous.speaker_name and previous.speaker.start >= sentences[-1].start
                and previous.speaker.root.lower_ not in PRONOUN_KIND):
            return previous.speaker_name
        for sent in sentences:
            subjects = [t for t in sent if t.dep_ in SUBJECT_DEPS and t.i < pronoun.i and t.i not in quoted]
            for subject in reversed(subjects):
                entity = _entity_at(subject)
                if entity is not None and entity.label_ in labels and _usable(entity):
                    return self._full_name(doc, entity)
                if kind == "person" and subject.pos_ == "PROPN" and _last_word(subject.text) in _cached(doc, "people", dict):
                    # A name the tagger missed or took for a place ("Zelenskyy says …") that an
                    # earlier quote of the article already gave to a person.
                    return _cached(doc, "people", dict)[_last_word(subject.text)]
                if kind == "person" and subject.lower_ in self.title_words:
                    person = self._titled_person(doc, self._mention(subject))
                    if person:
                        return person
                if (kind == "organisation" and subject.pos_ == "NOUN" and subject.lower_ not in self.title_words
                        and _is_cue(subject.head, self.cues)):
                    mention = self._mention(subject)
                    probe = Quotation(mention.start_char, mention.end_char, mention, speaker=mention)
                    self._name(doc, probe, None, quoted)
                    if probe.speaker_name and probe.speaker_kind == "organisation":
                        return probe.speaker_name
        if previous is not None and previous.speaker_kind == kind and previous.speaker_name:
            return previous.speaker_name
        for ent in reversed([e for e in doc.ents if e.end <= pronoun.i]):
            if ent.label_ in labels and _usable(ent) and ent.start not in quoted:
                return self._full_name(doc, ent)
        return None

    def _titled_person(self, doc: Doc, mention: Span) -> str | None:
        """The person an earlier or later mention gives the same title ("Prime Minister X",
        "the PM" as the initials of "Prime Minister"), the most mentioned of them if several;
        when nobody carries the title, the person the article is about (named again and again,
        at least half of its mentions of people), else none."""
        title = [w for w in (_unabbreviated(t.text) for t in mention) if w in self.title_words]
        people = [e for e in doc.ents if e.label_ == "PERSON" and _usable(e)]
        if not people:
            return None
        titled = []
        carried: dict[str, set[str]] = {}  # last name → the titles printed before it
        for ent in people:
            before = [_unabbreviated(t.text) for t in doc[max(0, ent.start - 3) : ent.start]]
            carried.setdefault(_last_word(self._full_name(doc, ent)), set()).update(
                w for w in before if w in self.title_words and w not in COURTESY_TITLES)
            initials = "".join(w[:1] for w in before)
            # "Vice President X" carries another title than "the president".
            qualified = any(w in QUALIFIERS and w not in title for w in before)
            if title and not qualified and any(w in before or w in initials[-len(w):] for w in title if w.isalpha()):
                titled.append(ent)
        pool = titled or people
        counts = Counter(_last_word(self._full_name(doc, e)) for e in pool)
        best = max(pool, key=lambda e: (counts[_last_word(self._full_name(doc, e))], len(e)))
        mentions = counts[_last_word(self._full_name(doc, best))]
        if not titled:
            # Nobody carries the title: the person the article is about, unless the article
            # prints that person with other titles only ("the senator" is not "President X").
            about = 2 * mentions > len(people) or (mentions >= 2 and 2 * mentions >= len(people))
            other_titles = carried.get(_last_word(self._full_name(doc, best)), set()) - set(title)
            if not about or other_titles:
                return None
        return self._full_name(doc, best)

    def _full_name(self, doc: Doc, entity: Span) -> str:
        """The longest entity of the same kind that ends with this one's last word
        ("Kadhimi" → "Mustafa al-Kadhimi")."""
        name = _clean_name(entity.text, self.title_words)
        longest = self._longest_names(doc).get((entity.label_, _last_word(name)), "")
        if longest == AMBIGUOUS:
            return name
        name = longest if len(longest) > len(name) else name
        if entity.label_ == "PERSON" and len(name.split()) == 1:
            name = self._printed_in_full(doc, name) or name
        return name

    def _printed_in_full(self, doc: Doc, surname: str) -> str | None:
        """A surname's given names as the article prints them before it anywhere, also in the
        paragraphs left unparsed ("Adam Schiff" for "Schiff"), when every such form is one person
        and its given names are words the article never prints in lower case."""
        found = _cached(doc, "printed_in_full", dict)
        if surname not in found:
            text, below_headline = doc.user_data.get(ARTICLE_TEXT) or (_text(doc), doc.user_data.get(HEADLINE_END, 0))
            lower = _cached(doc, "lower_words", lambda: set(re.findall(r"\b[a-z][a-z'’-]+\b", text)))
            forms: set[str] = set()
            # A word that opens a longer name is a given name ("Hillary" of "Hillary Clinton").
            given_name = any(e.label_ == "PERSON" and len(e) > 1 and e[0].text == surname for e in doc.ents)
            printed = re.compile(r"((?:[A-Z][\w'’.-]*[ \xa0]){1,3})" + re.escape(surname) + r"\b")
            for m in printed.finditer(text, below_headline):
                given: list[str] = []
                for word in reversed(m.group(1).split()):
                    bare = word.lower().strip(".")
                    if (_unabbreviated(word) in self.title_words or bare in STOP_WORDS or bare in lower
                            or re.search(r"[,'’]s?$", word) or word.endswith(".") and len(bare) > 2):
                        break  # a title, a common word, "NBC's", or "Hillary." ending a sentence
                    given.insert(0, word)
                if not given:
                    continue
                forms.add(" ".join(given + [surname]))
            # One person however written ("Loretta Lynch", "Loretta E. Lynch"): the fullest form;
            # "Barack Obama" and "Michelle Obama" leave "Obama" alone.
            one = all(_same_given_name(a, b) for a in forms for b in forms)
            found[surname] = max(forms, key=len) if forms and one and not given_name else None
        return found[surname]

    def _longest_names(self, doc: Doc) -> dict[tuple[str, str], str]:
        """For each entity label and last word, the longest name the article prints (built
        once per Doc: a long article has thousands of entities)."""
        return _cached(doc, "longest_names", lambda: self._names_printed(doc))

    def _names_printed(self, doc: Doc) -> dict[tuple[str, str], str]:
        names: dict[tuple[str, str], str] = {}
        quoted = {i for q in doc._.quotes or [] if q.kind != "post" for i in range(q.content.start, q.content.end)}
        inside: dict[tuple[str, str], str] = {}
        headline_end = doc.user_data.get(HEADLINE_END, 0)
        for ent in doc.ents:
            if not _usable(ent) or ent.start_char < headline_end:
                continue  # capitalised headline words run into names ("Lawmakers Rip Donald Trump")
            # A name inside a quote may carry the speaker's nickname (“Crooked Hillary
            # Clinton”): it serves only where the reporter prints no more than a surname.
            table = inside if any(i in quoted for i in range(ent.start, ent.end)) else names
            candidate = _clean_name(ent.text, self.title_words)
            key = (ent.label_, _last_word(candidate))
            if not candidate or table.get(key) == AMBIGUOUS:
                continue
            if not _same_given_name(candidate, table.get(key, candidate)):
                table[key] = AMBIGUOUS  # "Barack Obama" and "Michelle Obama": "Obama" stays "Obama"
            elif len(candidate) > len(table.get(key, "")):
                table[key] = candidate
        names.update({key: name for key, name in inside.items()
                       if names.get(key) != AMBIGUOUS and len(names.get(key, "").split()) < 2})
        return names


_CACHE = "quote_attributor"
AMBIGUOUS = "\x00"  # stands for a last word two people of one article share (no name holds a NUL)
# Where a caller may leave the whole article's text, and where its headline ends, on a Doc
# parsed from a part of it.
ARTICLE_TEXT = "article_text"


def _same_given_name(a: str, b: str) -> bool:
    """Whether two names ending alike can be one person: the same first word, or one of them
    only a surname or an initial ("Donald Trump", "Donald J. Trump", "Trump", "D. Trump")."""
    wa, wb = a.lower().split(), b.lower().split()
    if len(wa) < 2 or len(wb) < 2:
        return True
    first_a, first_b = wa[0].strip("."), wb[0].strip(".")
    return first_a == first_b or (min(len(first_a), len(first_b)) == 1 and first_a[0] == first_b[0])


def _unabbreviated(word: str) -> str:
    """A title word in full and lower case: "Sen." → "senator"."""
    word = word.lower().strip(".")
    return ABBREVIATED_TITLES.get(word, word)


def _cached(doc: Doc, key: str, make):
    """A table kept for one call of the component on ``doc``, made on first use."""
    cache = doc.user_data.setdefault(_CACHE, {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token again on each access."""
    return _cached(doc, "text", lambda: doc.user_data.pop(DOC_TEXT, None) or doc.text)


def _text_before(doc: Doc, position: int) -> str:
    """The 2,000 characters before ``position``, trailing blanks stripped: slicing the whole
    text before each quote made a long article quadratic."""
    return _text(doc)[max(0, position - 2_000) : position].rstrip()


def _sent(token: Token) -> Span:
    """``token.sent`` from a table built once per Doc: ``Token.sent`` walks the sentences."""
    sents, index = _cached(token.doc, "sents", lambda: _sentence_index(token.doc))
    return sents[index[token.i]]


def _sentence_index(doc: Doc) -> tuple[list[Span], list[int]]:
    sents = list(doc.sents)
    index = [0] * len(doc)
    for n, sent in enumerate(sents):
        index[sent.start : sent.end] = [n] * len(sent)
    return sents, index


def _usable(entity: Span) -> bool:
    """Not a hashtag, handle or link, where the tagger finds names that are not mentions, nor a
    dateline ("WASHINGTON (Reuters) -", "NEWPORT NEWS, Va. -")."""
    text = _text(entity.doc)
    before = text[entity.start_char - 1 : entity.start_char]
    if before in ("#", "@", "/") or entity.text.startswith(("#", "@")):
        return False
    line_start = text.rfind("\n", 0, entity.start_char) + 1
    dateline = (entity.text.isupper() and len(entity.text) > 4 and not text[line_start : entity.start_char].strip()
                and re.match(r"\s*[,(—–-]", text[entity.end_char : entity.end_char + 3]) is not None)
    return not dateline


def _last_word(name: str) -> str:
    words = name.lower().split()
    return words[-1].split("-")[-1] if words else ""


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head.head)  # "After saying …, she was …"
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and _is_person(verb.head):
        return verb.head  # "footage of Hillary Clinton asking, “…”"
    return None


def _is_person(token: Token) -> bool:
    return token.ent_type_ == "PERSON" or token.lower_ in ("he", "she", "i", "we", "they")


def _adjacent_subject(verb: Token, quoted: set[int]) -> Token | None:
    """The name next to a cue verb the parser left without a subject: the first noun of the
    reporter's words between a closing mark and the verb ("…,” Flynn, an adviser, said"), or
    the name right after it ("Said Ellis: …")."""
    doc = verb.doc
    i = verb.i - 1
    while (i >= 0 and i not in quoted and not doc[i].is_quote and "\n" not in doc[i].text
           and (doc[i].pos_ not in ("VERB", "AUX") or doc[i].ent_type_)):
        i -= 1
    stretch = [t for t in doc[i + 1 : verb.i] if t.pos_ in ("PROPN", "NOUN", "PRON") or t.ent_type_]
    if stretch and (i < 0 or i in quoted or doc[i].is_quote or "\n" in doc[i].text):
        people = [t for t in stretch if t.ent_type_ == "PERSON"]
        first = people[0] if people else stretch[0]
        return first if first.pos_ == "PRON" else _chunk_root(first)
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.i not in quoted and before.ent_type_ in ("PERSON", "ORG", "NORP"):
        return _chunk_root(before)  # "…, Obama and Clinton call them …" parsed without a subject
    after = verb.i + 1
    if after < len(doc) and after not in quoted and doc[after].pos_ == "PROPN":
        name = _chunk_root(doc[after])
        # "Said Ellis: …", not the object of "blasted Clinton as a “disgrace”".
        return name if name.dep_ not in ("dobj", "dative", "iobj", "pobj", "oprd") else None
    return None


def _chunk_root(token: Token) -> Token:
    """The head of the name a token is part of (compounds lead to their head)."""
    while token.dep_ in ("compound", "flat") and token.head is not token:
        token = token.head
    return token


def _can_speak(token: Token) -> bool:
    """Times, numbers and indefinite pronouns ("5:45 p.m.", "everything") are not speakers."""
    if token.ent_type_ in ("TIME", "DATE", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"):
        return False
    if token.pos_ == "PRON" and token.lower_ not in PRONOUN_KIND and token.lower_ not in RELATIVE | {"i", "we", "you"}:
        return False
    return True


def _owner(noun: Token) -> Token | None:
    """Whose claim, statement or words: the possessor, ``by X``/``from X``, or the subject
    of the verb the noun is the object of ("he made the claim")."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0]
    if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ in ("VERB", "AUX"):
        subject = _subject(noun.head)
        if subject is not None and subject.lower_ not in RELATIVE:
            return subject
    return None


def _issuer(statement: Token) -> list[Token]:
    """Who issued a statement named by a phrase after it: "the statement released by the state
    media", "a statement from the ministry"."""
    heads = [statement] + [c for c in statement.children if c.dep_ == "acl"]
    issuers = []
    for prep in (p for head in heads for p in head.children
                 if p.dep_ in ("agent", "prep") and p.lower_ in ("by", "from")):
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects:
            # The parser sometimes hangs the object elsewhere ("by the state media states"):
            # the last noun of the words right after the preposition.
            run = []
            for token in prep.doc[prep.i + 1 : prep.i + 8]:
                if token.pos_ not in ("DET", "ADJ", "NOUN", "PROPN"):
                    break
                run.append(token)
            objects = [t for t in run if t.pos_ in ("NOUN", "PROPN")][-1:]
        issuers.extend(objects)
    return issuers


def _entity_at(token: Token) -> Span | None:
    """The named entity a token is part of, found from the token's own IOB tags."""
    if not token.ent_type_ or token.ent_type_ not in ENTITY_KIND:
        return None
    doc = token.doc
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    # The tagger sometimes takes in a quotation mark or bracket beside the name (Marcia ").
    while start < token.i and doc[start].is_punct:
        start += 1
    while end - 1 > token.i and doc[end - 1].is_punct:
        end -= 1
    return Span(doc, start, end, label=token.ent_type_)


def _printed(tokens: list[Token]) -> str:
    """Tokens as the text spaces them ("long-time", not "long - time"), a skipped token as one space."""
    parts = []
    for token, following in zip(tokens, tokens[1:] + [None]):
        adjacent = following is not None and following.i == token.i + 1
        parts.append(token.text_with_ws if adjacent else token.text + " ")
    return "".join(parts).strip()


def _clean_name(text: str, title_words: set[str]) -> str:
    """The name as printed without a possessive, leading titles ("Sen. X", "spokesman X") or
    the remains of markup and quotation marks around it."""
    text = re.sub(r"['’]s?$", "", text.strip()).strip()
    text = re.sub(r"^[^\w(]+|[^\w.)]+$", "", text)
    words = text.split()
    # "Iranian Foreign Minister Abbas Araghchi": everything up to the last title of the run.
    titles = [i for i, w in enumerate(words[:-1]) if _unabbreviated(w) in title_words]
    if titles and all(w[:1].isupper() or _unabbreviated(w) in title_words for w in words[: titles[-1]]):
        words = words[titles[-1] + 1 :]
    while len(words) > 1 and words[0].lower().strip(".") in title_words | {"the", "a", "an"}:
        words.pop(0)
    return " ".join(words)


@Language.factory(
    "quote_attributor",
    default_config={
        "cue_verbs": ["say", "tell", "add", "write", "state", "declare", "announce", "comment", "tweet",
                      "post", "explain", "insist", "argue", "claim", "note", "warn", "call", "urge",
                      "ask", "reply", "respond", "answer", "describe", "praise", "confirm", "report",
                      "continue", "conclude", "acknowledge", "admit", "suggest", "remark", "recall",
                      "predict", "vow", "promise", "plead", "demand", "deny", "assert", "observe",
                      "quip", "joke", "scoff", "shout", "yell", "mutter", "whisper", "testify",
                      "contend", "complain", "allege", "charge", "proclaim", "reiterate", "repeat",
                      "recount", "caution", "boast", "concede", "counter", "chant", "sing", "read",
                      "label", "dub", "term", "brand", "decry", "denounce", "condemn", "hail",
                      "mock", "lament", "wonder", "emphasize", "stress", "pledge", "promise", "cite",
                      "quote", "accuse", "blast", "slam", "criticize", "thank", "announce", "rule",
                      "characterize", "scold", "blame"],
        "cue_nouns": ["statement", "claim", "remark", "comment", "word", "plea", "call", "warning",
                      "promise", "pledge", "tweet", "message", "letter", "speech", "description",
                      "assertion", "accusation", "vow", "appeal", "response", "reply", "quote", "post"],
        "statement_nouns": ["statement", "statements", "communique", "release", "report", "letter",
                            "memo", "announcement", "post", "tweet"],
        "title_words": ["mr", "mrs", "ms", "dr", "sen", "senator", "rep", "representative", "gov",
                        "governor", "gen", "general", "president", "prime", "minister", "pm",
                        "spokesman", "spokeswoman", "spokesperson", "secretary", "chairman",
                        "chairwoman", "leader", "mayor", "judge", "justice", "ambassador", "director",
                        "official", "candidate", "nominee", "former", "sheikh", "king", "queen",
                        "prince", "chancellor", "commander", "chief", "adviser", "advisor", "aide",
                        "professor", "rev", "attorney", "lt", "col", "capt", "sgt", "vice", "lieutenant",
                        "colonel", "captain", "sergeant"],
        "carry_over_paragraphs": 1,
        "antecedent_sentences": 3,
        "keep_scare_quotes": False,
    },
    requires=["doc._.quotes"],
    assigns=["doc._.quotes"],
)
def make_quote_attributor(nlp: Language, name: str, cue_verbs: list[str], cue_nouns: list[str],
                          statement_nouns: list[str], title_words: list[str], carry_over_paragraphs: int,
                          antecedent_sentences: int, keep_scare_quotes: bool) -> QuoteAttributor:
    return QuoteAttributor(nlp, name, cue_verbs, cue_nouns, statement_nouns, title_words,
                           carry_over_paragraphs, antecedent_sentences, keep_scare_quotes)
