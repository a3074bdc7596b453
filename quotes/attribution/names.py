"""Who a mention is: the fullest name the article gives for it.

A pronoun goes to its antecedent, a title ("the prime minister") to the person the article
gives that title, a lone surname to the full name printed for it, a statement to whoever issued
it.  Nothing here chooses the mention; :mod:`.sieve` and :mod:`.model` do.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from ..extraction import Quotation
from . import candidates, gender
from .candidates import ENTITY_KIND, SUBJECT_DEPS, entity_at, is_cue
from .document import article_table, article_text, cached, capitalised_headline_end, sentence, text_of, usable
from .lexicon import Lexicon

STATEMENT_REACH = 400  # tokens before "the statement" that the statement it goes back to is looked for in
NAME_REACH = 256  # characters before a surname that its given names are looked for in

# Endings of nouns that name a person by what he does ("diplomat", "lawmaker", "governor"):
# a definite one may stand for the person just quoted.
PERSON_NOUN_ENDINGS = ("at", "ist", "ian", "man", "woman", "person", "maker", "or")
# The endings of a role that may stand capitalised before a name: goaltender, organizer, lobbyist.
ROLE_NOUN_ENDINGS = PERSON_NOUN_ENDINGS + ("er", "ant", "ent")

# Two to five capitalised words of a name, particles and initials among them ("Ana de la Paz").
NAME_WORDS = r"[A-Z][\w’'-]+(?:[ \xa0](?:[A-Z][\w’'-]*\.?|al-[\w’'-]+|bin|ibn|de|van|von|la)){1,4}"

AMBIGUOUS = "\x00"  # stands for a last word two people of one article share (no name holds a NUL)


def same_given_name(a: str, b: str) -> bool:
    """Whether two names ending alike can be one person: the same first word, or one of them
    only a surname or an initial ("Ruth Adeyemi", "Ruth A. Adeyemi", "Adeyemi", "R. Adeyemi")."""
    wa, wb = a.lower().split(), b.lower().split()
    if len(wa) < 2 or len(wb) < 2:
        return True
    first_a, first_b = wa[0].strip("."), wb[0].strip(".")
    return first_a == first_b or (min(len(first_a), len(first_b)) == 1 and first_a[0] == first_b[0])


def last_word(name: str) -> str:
    words = name.lower().split()
    return words[-1].split("-")[-1] if words else ""


def as_printed(tokens: list[Token]) -> str:
    """Tokens as the text spaces them ("long-time", not "long - time"), a skipped token as one space."""
    parts = []
    for token, following in zip(tokens, tokens[1:] + [None]):
        adjacent = following is not None and following.i == token.i + 1
        parts.append(token.text_with_ws if adjacent else token.text + " ")
    return "".join(parts).strip()


def _medium(entity: Span) -> bool:
    """Whether an entity is printed as where something was said ("wrote on Twitter", "told it
    via Telegram"): a medium, not someone a pronoun stands for."""
    root = entity.root
    return root.dep_ == "pobj" and root.head.lower_ in ("on", "via")


def subject_entity(subject: Token) -> Span | None:
    """The named entity a subject is, or names in apposition ("Thorne's wife, Angela Thorne, …")."""
    entity = entity_at(subject)
    if entity is None and subject.pos_ == "NOUN":
        entity = next((e for e in (entity_at(c) for c in subject.children if c.dep_ == "appos")
                       if e is not None and e.label_ == "PERSON"), None)
    return entity


class Names:
    """Resolves a quote's mention to a name, with the article's own tables (built once per Doc)."""

    def __init__(self, lexicon: Lexicon, antecedent_sentences: int):
        self.lexicon = lexicon
        self.antecedent_sentences = antecedent_sentences

    def clean(self, text: str) -> str:
        """The name as printed without a possessive, leading titles ("Sen. X", "spokesman X") or
        the remains of markup and quotation marks around it."""
        title_words = self.lexicon.title_words
        text = re.sub(r"['’]s?$", "", text.strip()).strip()
        text = re.sub(r"^[^\w(]+|[^\w.)]+$", "", text)
        words = text.split()
        # "Iranian Foreign Minister Abbas Araghchi": everything up to the last title of the run.
        titles = [i for i, w in enumerate(words[:-1]) if self.lexicon.unabbreviated(w) in title_words]
        if titles and all(w[:1].isupper() or self.lexicon.unabbreviated(w) in title_words for w in words[: titles[-1]]):
            words = words[titles[-1] + 1 :]
        while len(words) > 1 and words[0].lower().strip(".") in title_words | self.lexicon.articles:
            words.pop(0)
        if len(words) >= 3 and words[0].lower().endswith(ROLE_NOUN_ENDINGS) and not gender.is_first_name(words[0]) \
                and gender.is_first_name(words[1]):
            words.pop(0)  # a role capitalised at the start of a sentence: "Goaltender Ana Paz made 31 saves"
        return " ".join(words)

    def remember(self, doc: Doc, quote: Quotation) -> None:
        """Note the person an attributed quote names, for the pronouns of later quotes."""
        if quote.speaker_kind == "person" and quote.speaker_name:
            speakers = cached(doc, "people", dict)
            key = last_word(quote.speaker_name)
            speakers[key] = max(speakers.get(key, ""), quote.speaker_name, key=len)

    def name(self, doc: Doc, quote: Quotation, previous: Quotation | None, quoted: set[int]) -> None:
        mention = quote.speaker
        assert mention is not None
        if quote.attributed_by == "transcript_label":
            # "MORROW:" in a transcript names a person: the name the article prints for it.
            label = self.clean(mention.text).title()
            quote.speaker_name, quote.speaker_kind = self.printed_in_full(doc, label) or label, "person"
            return
        speaking = self.saying_word(mention)
        if speaking is not None:
            # A headline's words run together ("Iraqi PM Denounces Strike: …", "Mayor speaks
            # after …"): the mention ends before its verb of saying.
            mention = quote.speaker = mention.doc[mention.start : speaking]
        in_headline = quote.attributed_by == "headline_label" or mention.start_char < capitalised_headline_end(doc)
        named = self.named_in_headline(doc, mention) if in_headline else None
        if named:
            quote.speaker_name, quote.speaker_kind = named
            return
        if previous is not None and previous.speaker is not None and previous.speaker_name \
                and (previous.speaker.start, previous.speaker.end) == (mention.start, mention.end):
            # Two quotes in one sentence with one mention ("X said “…” and “…”"): one name.
            quote.speaker_name, quote.speaker_kind = previous.speaker_name, previous.speaker_kind
            return
        root = mention.root
        if root.lower_ in self.lexicon.relative_pronouns and root.head.dep_ == "relcl":
            mention = candidates.mention(root.head.head)
            root = mention.root
        if root.dep_ == "appos" and entity_at(root) is None and entity_at(root.head) is not None:
            # "the town's mayor" in "Ana Paz, the town's mayor, said": the name it describes.
            mention = candidates.mention(root.head)
            root = mention.root
        possessed = any(c.dep_ == "poss" for c in root.children)
        common = root.pos_ == "NOUN" and not root.ent_type_  # "the post", not "The Post"
        if common and (root.lower_ in self.lexicon.statement_nouns or (possessed and root.lemma_.lower() in self.lexicon.cue_nouns)):
            # "an Iraqi military statement" is the Iraqi military's words, "his remark" his.
            issuer = [t for t in mention if t.i != root.i and t.dep_ not in ("det", "poss", "case") and not t.is_punct]
            if not any(t.pos_ == "PROPN" or t.ent_type_ for t in issuer):
                issuer = []  # "a cryptic tweet" names nobody
            owners = [c for c in root.children if c.dep_ == "poss"] or candidates.issuer(root, self.lexicon)
            if not owners and not issuer and self._definite(root):
                owners = self._earlier_owner(root)  # "X released a statement." … "reads the statement"
            if owners:
                mention = candidates.mention(owners[0])
            elif issuer:
                quote.speaker_name = self.clean(as_printed(issuer))
                quote.speaker_kind = "organisation"
                return
            else:
                quote.speaker_name, quote.speaker_kind = None, None  # "a cryptic tweet": nobody named
                return
            root = mention.root
        if root.lower_ in self.lexicon.pronoun_kinds:
            quote.speaker_kind = self.lexicon.pronoun_kinds[root.lower_]
            quote.speaker_name = self.antecedent(doc, root, quote.speaker_kind, previous, quoted)
            return
        if root.lower_ in self.lexicon.first_person or root.lower_ in self.lexicon.relative_pronouns:
            # A name "I" would make one speaker of every first-person writer in the database; a
            # relative pronoun the parse does not tie to its noun names nobody.
            quote.speaker_name, quote.speaker_kind = None, "person" if root.lower_ in self.lexicon.first_person else None
            return
        entity = entity_at(root)
        if entity is not None and all(self.lexicon.unabbreviated(t.text) in self.lexicon.title_words for t in entity) \
                and not any(self.lexicon.unabbreviated(t.text) in self.lexicon.courtesy_titles for t in mention) \
                and not self.printed_in_full(doc, self.clean(entity.text)):
            # "the Ayatollah", "the Speaker": a title, the tagger's name for nobody; "Mr. King"
            # and a King the article prints with given names are a surname.
            entity = None
        if entity is None:
            # "Her former business partner, Nils Amsel": the apposition names him.
            appositions = [c for c in root.children if c.dep_ == "appos"]
            if not appositions and root.lower_ in self.lexicon.title_words:
                # "a former commander of the navy, X, said": the parser may hang the name on the
                # body the title belongs to; a person in apposition inside the title is its holder.
                appositions = [t for t in root.subtree if t.dep_ == "appos" and t.ent_type_ == "PERSON"]
            named = [e for e in (entity_at(c) for c in appositions) if e is not None]
            # A person named anywhere in the apposition before a body the parser made its head
            # ("niece, state Del. Irina Solberg (D-Port Haven)").
            people = [e for e in (entity_at(t) for a in appositions for t in a.subtree) if e is not None and e.label_ == "PERSON"]
            entity = people[0] if people and (not named or named[0].label_ != "PERSON") else (named[0] if named else None)
            if entity is not None and quote.speaker is mention:
                quote.speaker = entity
        if entity is not None and len(entity) == 1 and entity.label_ != "PERSON":
            # A lone surname the tagger took for a body ("Reyes said") after the full name.
            person = next((e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                           and last_word(e.text) == last_word(entity.text)), None)
            entity = person or entity
        if entity is not None and entity.label_ == "NORP" and root.tag_ == "NNP" \
                and self._described_before(mention, previous):
            # "the top House Democrat" after her quote: the person just quoted, not a party.
            quote.speaker_name, quote.speaker_kind = previous.speaker_name, "person"
            return
        # A capitalised word the tagger took for a common noun ("Sparrow speaks …") may be a surname.
        capitalised = root.text[:1].isupper() and self.lexicon.unabbreviated(root.text) not in self.lexicon.title_words
        lone = entity if entity is not None else (
            mention if len(mention) == 1 and (root.pos_ == "PROPN" or capitalised) else None)
        if lone is not None and len(lone) == 1 and lone.label_ != "PERSON":
            # A lone surname the tagger took for a body, or missed, that the article prints with
            # given names in a paragraph left unparsed ("Rep. Adam Tolliver" … "Tolliver said").
            full = self.printed_in_full(doc, self.clean(lone.text))
            if not full and entity is None:
                # Printed in full only where the tagger found the person (in the headline).
                people = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 and usable(e)
                          and last_word(e.text) == last_word(lone.text)]
                names = [self.full_name(doc, person) for person in people]
                full = names[0] if names else None
                if not all(same_given_name(a, b) for a in names for b in names):
                    # Two people of that surname: the one the article prints far more often
                    # (the story's subject, not a namesake mentioned once), else neither
                    # ("Paul Okafor and Grace Okafor … Okafor said").
                    text = article_text(doc)[0]
                    printed = Counter({name: text.count(name) for name in set(names)}).most_common()
                    full = printed[0][0] if printed[0][1] > 2 * printed[1][1] else None
            if full:
                quote.speaker_name, quote.speaker_kind = full, "person"
                return
        if entity is not None:
            quote.speaker_name = self.full_name(doc, entity)
            # A title inside what the tagger took for a body ("Iranian Foreign Minister Seyed
            # Abbas Araghchi") makes it a person.
            titled = any(self.lexicon.unabbreviated(t.text) in self.lexicon.title_words for t in (*mention, *entity))
            quote.speaker_kind = "person" if titled else ENTITY_KIND[entity.label_]
            return
        if (root.pos_ == "NOUN" and root.lemma_.lower() not in self.lexicon.cue_nouns | self.lexicon.statement_nouns
                and any(t.lower_ in self.lexicon.indefinite_determiners and t.i < root.i for t in root.children)
                and not any(t.ent_type_ in ("PERSON", "ORG") for t in root.subtree)):
            # "one shopper", "a Democratic source": someone the article does not name.
            quote.speaker_name, quote.speaker_kind = None, None
            return
        words = [t for t in mention if t.dep_ not in ("det", "poss", "case") or t.i == root.i]
        words = [t for t in words if not t.is_punct or t.text == "-"]
        name = self.clean(as_printed(words))
        if root.lower_ in self.lexicon.title_words or (name and name.split()[-1].lower() in self.lexicon.title_words):
            # "the prime minister", "the Iraqi PM": the person the article gives that title; "a
            # spokesman" is someone the article does not name.
            indefinite = any(t.dep_ == "det" and t.lower_ in self.lexicon.indefinite_determiners for t in root.children)
            person = None if indefinite else self.titled_person(doc, mention)
            # An unnamed "official" or "spokesman" keeps the mention but no name: a name
            # "official" would make one speaker of every unnamed official in the database.
            quote.speaker_name, quote.speaker_kind = person, "person"
            return
        possessors = [t for t in mention if t.dep_ == "poss" and entity_at(t) is not None]
        if possessors:
            # "Nils Amsel’s doctor": the owner's whole name and what he owns, not "Nils doctor".
            owner = entity_at(possessors[0])
            name = doc[owner.start : mention.end].text
        elif root.tag_ == "NN" and not any(t.pos_ == "PROPN" or t.ent_type_ for t in mention):
            # A singular common noun ("the rookie defenceman", "the department") is the person or
            # body the article introduced in that role; a bare noun with nobody in that role names
            # no speaker.  A description of more words ("the port authority") and a plural
            # ("political parties") stay the name of a body or group the article does not name.
            holder = self.role_holder(doc, root)
            if holder is not None:
                quote.speaker_name, quote.speaker_kind = self.full_name(doc, holder), ENTITY_KIND[holder.label_]
                return
            if root.lower_.endswith(PERSON_NOUN_ENDINGS) and self._described_before(mention, previous):
                # "the chief diplomat said" after a quote of a person the article named: that person.
                quote.speaker_name, quote.speaker_kind = previous.speaker_name, "person"
                return
            if len(words) == 1:
                quote.speaker_name, quote.speaker_kind = None, None
                return
        quote.speaker_name = name or None
        # The head's own words, not an owner's ("Adeyemi's campaign" is no person).
        owned = {t.i for p in mention if p.dep_ == "poss" for t in p.subtree}
        person = any(t.ent_type_ == "PERSON" or self.lexicon.unabbreviated(t.text) in self.lexicon.title_words
                     for t in mention if t.i not in owned)
        quote.speaker_kind = "person" if person else "organisation"

    def named_in_headline(self, doc: Doc, mention: Span) -> tuple[str, str] | None:
        """Name and kind for a mention in the headline: the first of its words that ends the name
        of a person the story prints ("Senator Kessler Defends Plan" → "Ada Kessler"), else the person
        the story gives its title ("Norland's President Vows …"), else the first that ends the
        name of a body or place.  Every headline word is capitalised, so the tagger runs names
        into the verbs and nouns around them."""
        printed = self._longest_names(doc)

        def named(labels: Iterable[str]) -> tuple[str, str] | None:
            for label in labels:
                for token in mention:
                    name = printed.get((label, last_word(token.text)))
                    if name and name != AMBIGUOUS:
                        return name, ENTITY_KIND[label]
            return None

        if found := named(["PERSON"]):
            return found
        if any(self.lexicon.unabbreviated(t.text) in self.lexicon.title_words for t in mention):
            person = self.titled_person(doc, mention)
            if person:
                return person, "person"
        return named(label for label in ENTITY_KIND if label != "PERSON")

    def _described_before(self, mention: Span, previous: Quotation | None) -> bool:
        """Whether a definite description ("the chief diplomat") can stand for the person quoted
        just before, in the same paragraph or the next: a named person the article has just
        been quoting, as a pronoun would."""
        if previous is None or previous.speaker_kind != "person" or not previous.speaker_name \
                or not self._definite(mention.root) or previous.end > mention.start_char:
            return False
        between = text_of(mention.doc)[previous.end : mention.start_char]
        return len([p for p in between.split("\n") if p.strip()]) <= 2

    def _definite(self, noun: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children)

    def _earlier_owner(self, noun: Token) -> list[Token]:
        """Who the article says made the statement a definite mention goes back to: the owner
        of the nearest statement before it ("X released a statement …" for "the statement")."""
        statements = self.lexicon.statement_nouns | self.lexicon.cue_nouns
        # Within the few paragraphs before: a statement further back is another story's, and
        # walking back over a whole long article for each quote made it quadratic.
        for token in reversed(noun.doc[max(0, noun.i - STATEMENT_REACH) : noun.i]):
            if token.pos_ == "NOUN" and token.lemma_.lower() in statements:
                found = candidates.owner(token, self.lexicon)
                if found is not None and (found.pos_ in ("PROPN", "PRON") or found.ent_type_):
                    return [found]
                if token.lemma_.lower() == noun.lemma_.lower():
                    return []  # "a group of parents sent a letter" … "the letter reads": nobody named
        return []

    def saying_word(self, mention: Span) -> int | None:
        """Where a verb of saying in the third person stands inside a mention ("Vows" of "Mayor
        Vows Revenge"), after its first word and outside any entity ("United States" stays)."""
        return next((t.i for t in mention[1:] if not t.ent_type_ and self.says(t.text)), None)

    def says(self, word: str) -> bool:
        """Whether a word is a verb of saying in the third person singular ("vows", "denounces")."""
        word, cues = word.lower(), self.lexicon.cue_verbs
        return word.endswith("s") and (word[:-1] in cues or (word.endswith("es") and word[:-2] in cues) or (
            word.endswith("ies") and word[:-3] + "y" in cues))

    def role_holder(self, doc: Doc, noun: Token) -> Span | None:
        """The person or body the article introduces with the role ``noun`` names, nearest
        before it first: "rookie defenceman Erik Solvang", "Erik Solvang, the rookie defenceman",
        "the defenceman, Erik Solvang", or a body whose name holds the word ("the department" for
        "the Water Department")."""
        role = noun.lemma_.lower()
        holders = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_KIND or not usable(ent) or ent.start <= noun.i < ent.end:
                continue
            before = [t.lemma_.lower() for t in doc[max(0, ent.start - 3) : ent.start] if t.pos_ in ("NOUN", "ADJ")]
            described = [c for c in ent.root.children if c.dep_ == "appos"] + (
                [ent.root.head] if ent.root.dep_ == "appos" else [])
            if (ent.label_ == "PERSON" and (role in before or any(t.lemma_.lower() == role for t in described))) or (
                    ent.label_ in ("ORG", "GPE") and role in {t.lemma_.lower() for t in ent}):
                holders.append(ent)
        if not holders:
            return None
        earlier = [e for e in holders if e.end <= noun.i]
        distinct = {last_word(self.full_name(doc, e)) for e in holders}
        # Two people or bodies in the same role and none just before: nobody can tell which.
        if earlier:
            return earlier[-1]
        return holders[0] if len(distinct) == 1 else None

    def antecedent(self, doc: Doc, pronoun: Token, kind: str, previous: Quotation | None,
                    quoted: set[int]) -> str | None:
        """What a pronoun refers to: the speaker of the quote before when the passage is still
        about that person (named just before, or a chain of the same pronoun with nobody else
        made the subject since); else the nearest subject of the right kind in the sentences
        just before it, else the speaker of the quote before, else the nearest entity.  A
        he or she never goes to a person the article (or the first name) gives the other."""
        labels = {"person": ("PERSON",), "organisation": ("ORG", "GPE"), "group": ("NORP", "ORG")}[kind]
        sentences = [sentence(pronoun)]
        while len(sentences) <= self.antecedent_sentences and sentences[-1].start > 0:
            sentences.append(sentence(doc[sentences[-1].start - 1]))
        fits = lambda name: gender.agrees(doc, pronoun.lower_, name)  # noqa: E731
        own = self._subject_named(doc, sentences[0], pronoun, labels, fits, quoted, main_only=True)
        if own is not None:
            return own  # "X, whose …, defended his plan …": the sentence's own subject
        if (previous is not None and previous.speaker is not None and previous.speaker_kind == kind
                and previous.speaker_name and fits(previous.speaker_name)):
            if (previous.speaker.start >= sentences[-1].start
                    and previous.speaker.root.lower_ not in self.lexicon.pronoun_kinds
                    and not self._other_subject(doc, previous.speaker_name, previous.content.end, pronoun, quoted)):
                return previous.speaker_name  # unless the sentences since are about someone else
            if previous.speaker.root.lower_ == pronoun.lower_ and not self._other_subject(
                    doc, previous.speaker_name, previous.content.end, pronoun, quoted):
                return previous.speaker_name  # "…," she said. / … / "…," she said.
        for sent in sentences:
            named = self._subject_named(doc, sent, pronoun, labels, fits, quoted)
            if named is not None:
                return named
            subjects = [t for t in sent if t.dep_ in SUBJECT_DEPS and t.i < pronoun.i and t.i not in quoted]
            for subject in reversed(subjects):
                if kind == "person" and subject.pos_ == "PROPN" and last_word(subject.text) in cached(doc, "people", dict):
                    # A name the tagger missed or took for a place ("Zelenskyy says …") that an
                    # earlier quote of the article already gave to a person.
                    return cached(doc, "people", dict)[last_word(subject.text)]
                if kind == "person" and subject.pos_ == "PROPN" and subject.ent_type_ != "PERSON":
                    # A name the tagger missed ("Blake, who also had an assist, said …"): a
                    # person when the article prints it after a known first name, or gives it a
                    # title in apposition ("Paz, the interior minister, said …").
                    full = self.printed_in_full(doc, subject.text)
                    if full and not subject.ent_type_ and gender.is_first_name(full.split()[0]) and fits(full):
                        return full
                    if self._titled_in_apposition(subject):
                        return full or subject.text
                if kind == "person" and subject.lower_ in self.lexicon.title_words:
                    person = self.titled_person(doc, candidates.mention(subject))
                    if person:
                        return person
                if (kind == "organisation" and subject.pos_ == "NOUN" and subject.lower_ not in self.lexicon.title_words
                        and is_cue(subject.head, self.lexicon)):
                    mention = candidates.mention(subject)
                    probe = Quotation(mention.start_char, mention.end_char, mention, speaker=mention)
                    self.name(doc, probe, None, quoted)
                    if probe.speaker_name and probe.speaker_kind == "organisation":
                        return probe.speaker_name
        if previous is not None and previous.speaker_kind == kind and previous.speaker_name and fits(previous.speaker_name):
            return previous.speaker_name
        for ent in reversed([e for e in doc.ents if e.end <= pronoun.i]):
            if ent.label_ in labels and usable(ent) and ent.start not in quoted and not _medium(ent) \
                    and fits(self.full_name(doc, ent)):
                return self.full_name(doc, ent)
        return None

    def _subject_named(self, doc: Doc, sent: Span, pronoun: Token, labels: tuple[str, ...],
                       fits: Callable[[str], bool], quoted: set[int], main_only: bool = False) -> str | None:
        """The named subject of a sentence before ``pronoun`` that a pronoun of its kind can
        stand for; of several, the one the article names most often (the person the passage is
        about, not the agency that reported him: "…, X said, the Gazette reported"), the
        latest of equals.  ``main_only``: only the subject of the sentence's main verb, or the
        one whose clause holds the pronoun ("X, whose rivals doubt his plan, …")."""
        named = []
        for subject in (t for t in sent if t.dep_ in SUBJECT_DEPS and t.i < pronoun.i and t.i not in quoted
                        and (not main_only or t.head is sent.root or pronoun in t.subtree)):
            entity = subject_entity(subject)
            if entity is not None and entity.label_ in labels and usable(entity) and fits(self.full_name(doc, entity)):
                named.append(self.full_name(doc, entity))
        if not named:
            return None
        # Counted over the whole article's text: most of its paragraphs may be left unparsed.
        printed = article_table(doc, "capitalised_words", lambda: Counter(
            w.lower() for w in re.findall(r"\b[A-Z][\w’']*", article_text(doc)[0])))
        return max(reversed(named), key=lambda name: printed[last_word(name)])

    def _other_subject(self, doc: Doc, name: str, after: int, pronoun: Token, quoted: set[int]) -> bool:
        """Whether a person other than ``name`` who fits the pronoun is the subject of a
        sentence between token ``after`` and the pronoun (a person merely mentioned is not)."""
        for token in doc[after : pronoun.i]:
            if token.dep_ in SUBJECT_DEPS and token.i not in quoted:
                entity = subject_entity(token)
                if entity is not None and entity.label_ == "PERSON" and self.full_name(doc, entity) != name \
                        and gender.agrees(doc, pronoun.lower_, self.full_name(doc, entity)):
                    return True
                if (entity is None or entity.label_ != "PERSON") and token.pos_ == "PROPN" and token.text != last_word(name) \
                        and self._titled_in_apposition(token):
                    return True  # "Paz, the interior minister, said …": a person the tagger missed
        return False

    def _titled_in_apposition(self, token: Token) -> bool:
        """Whether a proper noun has a title in apposition ("Paz, the interior minister")."""
        return any(c.dep_ == "appos" and self.lexicon.unabbreviated(c.text) in self.lexicon.title_words
                   for c in token.children)

    def titled_person(self, doc: Doc, mention: Span) -> str | None:
        """The person an earlier or later mention gives the same title ("Prime Minister X",
        "the PM" as the initials of "Prime Minister"), the most mentioned of them if several;
        when nobody carries the title, the person the article is about (named again and again,
        at least half of its mentions of people), else none."""
        title = [w for w in (self.lexicon.unabbreviated(t.text) for t in mention) if w in self.lexicon.title_words]
        # Not the headline's: its capitalised words run into names ("Ayatollah Vows Revenge").
        people = [e for e in doc.ents if e.label_ == "PERSON" and usable(e) and e.start_char >= capitalised_headline_end(doc)]
        if not people:
            return None
        titled = []
        carried: dict[str, set[str]] = {}  # last name → the titles printed before it
        for ent in people:
            before = [self.lexicon.unabbreviated(t.text) for t in doc[max(0, ent.start - 3) : ent.start]]
            carried.setdefault(last_word(self.full_name(doc, ent)), set()).update(
                w for w in before if w in self.lexicon.title_words and w not in self.lexicon.courtesy_titles)
            initials = "".join(w[:1] for w in before)
            # "Vice President X" carries another title than "the president".
            qualified = any(w in self.lexicon.title_qualifiers and w not in title for w in before)
            if title and not qualified and any(w in before or w in initials[-len(w):] for w in title if w.isalpha()):
                titled.append(ent)
        if title and not titled:
            # The holder may be printed only in a paragraph left unparsed ("Foreign Minister X
            # said …" three paragraphs up): the article's text says who carries the title.
            printed = self.titled_in_text(doc, mention, title)
            if printed:
                return printed
        pool = titled or people
        counts = Counter(last_word(self.full_name(doc, e)) for e in pool)
        best = max(pool, key=lambda e: (counts[last_word(self.full_name(doc, e))], len(e)))
        mentions = counts[last_word(self.full_name(doc, best))]
        if not titled:
            # Nobody carries the title: the person the article is about, unless the article
            # prints that person with other titles only ("the senator" is not "President X").
            about = 2 * mentions > len(people) or (mentions >= 2 and 2 * mentions >= len(people))
            other_titles = carried.get(last_word(self.full_name(doc, best)), set()) - set(title)
            if not about or other_titles:
                return None
        return self.full_name(doc, best)

    def titled_in_text(self, doc: Doc, mention: Span, title: list[str]) -> str | None:
        """The name the article's text prints with the title below its headline: "Foreign
        Minister Ana Paz", "the Governor of Ohio, Ana Paz", "Ana Paz, the country's foreign
        minister"; the holder whose printed title shares most words with the mention, the first
        printed among equals.  Nobody, or two people with equal claims, is none."""
        wanted = {t.lower_ for t in mention if t.pos_ in ("NOUN", "ADJ", "PROPN")} | set(title)
        found: dict[str, int] = {}
        printed: Counter[str] = Counter()
        for words, name in self._titles_printed(doc, tuple(sorted(set(title)))):
            if any(w in self.lexicon.title_qualifiers and w not in wanted for w in words[-2:-1]):
                continue  # "Vice President X" is not "the president"
            found[name] = max(found.get(name, 0), len(wanted & set(words)))
            printed[last_word(name)] += 1
        if not found:
            return None
        best = max((shared, printed[last_word(n)]) for n, shared in found.items())
        holders = [n for n, shared in found.items() if (shared, printed[last_word(n)]) == best]
        return holders[0] if len({last_word(n) for n in holders}) == 1 else None

    def _titles_printed(self, doc: Doc, title: tuple[str, ...]) -> list[tuple[list[str], str]]:
        """Each place the article prints one of the title words with a name: the words of the
        printed title (up to three before the title word, then the title word) and the name.
        Read once per article and title: a long article has many quotes of titled speakers."""
        def scan() -> list[tuple[list[str], str]]:
            text, below_headline = article_text(doc)
            places = []
            for m in re.finditer(r"\b(?:%s)\b" % "|".join(map(re.escape, title)), text[below_headline:], re.IGNORECASE):
                start, end = below_headline + m.start(), below_headline + m.end()
                run = re.search(r"((?:[\w’'.-]+ ){0,3})\Z", text[max(0, start - 60) : start]).group(1).lower().split()
                name = self._name_after_title(text[end : end + 120]) or self._name_before_title(text[max(0, start - 120) : start])
                if name:
                    places.append((run + [m.group().lower()], name))
            return places
        return article_table(doc, "titles_printed " + " ".join(title), scan)

    def _name_after_title(self, after: str) -> str | None:
        """The name right after a title ("Minister Ana Paz said", "Governor of Ohio, Ana Paz,")."""
        m = re.match(r"(?: of (?:the )?[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2},)?[ \xa0]+(%s)" % NAME_WORDS, after)
        return self._as_name(m.group(1)) if m else None

    def _name_before_title(self, before: str) -> str | None:
        """The name a title describes in apposition ("Ana Paz, the country's foreign minister")."""
        m = re.search(r"(%s), (?:the |(?:the )?[\w.-]+['’]s )?(?:[\w-]+ ){0,2}\Z" % NAME_WORDS, before)
        if m is None or before[: m.start(1)].split()[-1:] in (["in"], ["on"], ["at"], ["of"], ["from"], ["near"]):
            return None  # "Speaking in Florida Friday, the president said": a place and a day
        return self._as_name(m.group(1))

    def _as_name(self, words: str) -> str | None:
        """A person's name of two words or more, titles and honorifics before it dropped."""
        parts = words.split()
        while parts and self.lexicon.unabbreviated(parts[0]) in self.lexicon.title_words:
            parts.pop(0)
        if any(self.says(w) for w in parts):
            return None  # a headline's words ("Mayor Vows Revenge")
        return " ".join(parts) if len(parts) >= 2 else None

    def full_name(self, doc: Doc, entity: Span) -> str:
        """The longest entity of the same kind that ends with this one's last word
        ("Nazimi" → "Yusuf al-Nazimi")."""
        name = self.clean(entity.text)
        longest = self._longest_names(doc).get((entity.label_, last_word(name)), "")
        if longest == AMBIGUOUS:
            return name
        name = longest if len(longest) > len(name) else name
        if entity.label_ == "PERSON" and len(name.split()) == 1:
            name = self.printed_in_full(doc, name) or name
        return name

    def printed_in_full(self, doc: Doc, surname: str) -> str | None:
        """A surname's given names as the article prints them before it anywhere, also in the
        paragraphs left unparsed ("Adam Tolliver" for "Tolliver"), when every such form is one person
        and its given names are words the article never prints in lower case."""
        found = cached(doc, "printed_in_full", dict)
        if surname not in found:
            forms = article_table(doc, "printed_forms", dict)
            if surname not in forms:
                forms[surname] = self._printed_forms(doc, surname)
            # A word that opens a longer name is a given name ("Ruth" of "Ruth Adeyemi").
            given_name = any(e.label_ == "PERSON" and len(e) > 1 and e[0].text == surname for e in doc.ents)
            # One person however written ("Ilona Castell", "Ilona E. Castell"): the fullest form;
            # "Paul Mensah" and "Grace Mensah" leave "Mensah" alone.
            one = all(same_given_name(a, b) for a in forms[surname] for b in forms[surname])
            found[surname] = max(forms[surname], key=len) if forms[surname] and one and not given_name else None
        return found[surname]

    def _printed_forms(self, doc: Doc, surname: str) -> set[str]:
        """Every "Given Names Surname" the article prints below its headline.

        Only the places where the surname is printed are looked at, each with the words just
        before it: one regular expression over the whole article for every surname, in every
        piece of a long article, made it quadratic."""
        text, below_headline = article_text(doc)
        lower = article_table(doc, "lower_words", lambda: set(re.findall(r"\b[a-z][a-z'’-]+\b", text)))
        given_names = re.compile(r"(?:[A-Z][\w'’.-]*[ \xa0]){1,3}\Z")
        whole_word = re.compile(re.escape(surname) + r"\b")
        forms: set[str] = set()
        done = below_headline  # matches do not overlap, as with finditer
        at = text.find(surname, below_headline)
        while at >= 0:
            m = given_names.search(text, max(done, at - NAME_REACH), at) if at > done else None
            if m is not None and whole_word.match(text, at):
                done = at + len(surname)
                given: list[str] = []
                for word in reversed(m.group().split()):
                    bare = word.lower().strip(".")
                    if (self.lexicon.unabbreviated(word) in self.lexicon.title_words or bare in STOP_WORDS
                            or bare in lower or re.search(r"[,'’]s?$", word) or word.endswith(".") and len(bare) > 2):
                        break  # a title, a common word, "NBC's", or "Ruth." ending a sentence
                    given.insert(0, word)
                if given:
                    forms.add(" ".join(given + [surname]))
            at = text.find(surname, at + 1)
        return forms

    def _longest_names(self, doc: Doc) -> dict[tuple[str, str], str]:
        """For each entity label and last word, the longest name the article prints (built
        once per Doc: a long article has thousands of entities)."""
        return cached(doc, "longest_names", lambda: self._names_printed(doc))

    def _names_printed(self, doc: Doc) -> dict[tuple[str, str], str]:
        names: dict[tuple[str, str], str] = {}
        quoted = {i for q in doc._.quotes or [] if q.kind != "post" for i in range(q.content.start, q.content.end)}
        inside: dict[tuple[str, str], str] = {}
        headline_end = doc._.headline_end
        for ent in doc.ents:
            if not usable(ent) or ent.start_char < headline_end:
                continue  # capitalised headline words run into names ("Lawmakers Rip Ruth Adeyemi")
            # A name inside a quote may carry the speaker's nickname (“Slippery Ruth
            # Adeyemi”): it serves only where the reporter prints no more than a surname.
            table = inside if any(i in quoted for i in range(ent.start, ent.end)) else names
            candidate = self.clean(ent.text)
            key = (ent.label_, last_word(candidate))
            if not candidate or table.get(key) == AMBIGUOUS:
                continue
            if not same_given_name(candidate, table.get(key, candidate)):
                table[key] = AMBIGUOUS  # "Paul Mensah" and "Grace Mensah": "Mensah" stays "Mensah"
            elif len(candidate) > len(table.get(key, "")):
                table[key] = candidate
        names.update({key: name for key, name in inside.items()
                       if names.get(key) != AMBIGUOUS and len(names.get(key, "").split()) < 2})
        return names
