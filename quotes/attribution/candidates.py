"""Mentions that can be a quote's speaker, read from the parse: the subject of a verb of
saying, the name beside it, the owner of a statement, and the words of a mention around its
head word."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .document import sentence
from .lexicon import Lexicon

ENTITY_KIND = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependents that belong to a name as printed; appositions and clauses do not.
MENTION_DEPS = {"compound", "flat", "amod", "det", "poss", "case", "nmod", "nummod"}
NOT_SPEAKERS = ("TIME", "DATE", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL")
HYPHENS = {"-", "‐", "‑"}


def is_cue(token: Token, lexicon: Lexicon) -> bool:
    """Whether ``token`` is a verb of saying (``said``, ``as X put it``), not an adjective
    made of one ("so-called")."""
    # The token before, not the Doc's text: that rebuilds the whole text on every call.
    before = token.nbor(-1) if token.i > 0 else None
    if token.dep_ == "amod" or (before is not None and before.text.endswith("-") and not before.whitespace_):
        return False  # "so-called", "the much-praised"
    if token.lemma_.lower() == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children):
        return True  # "as The New Yorker put it, “…”"
    cues = lexicon.cue_verbs
    return (token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cues) or (
        token.lower_ in cues and token.pos_ not in ("NOUN", "PROPN", "ADJ", "ADP", "DET"))


def subject(verb: Token, lexicon: Lexicon) -> Token | None:
    """The subject of a verb, or of the verb it continues ("said and added")."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return subject(verb.head, lexicon)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return subject(verb.head.head, lexicon)  # "After saying …, she was …"
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and is_person(verb.head, lexicon):
        return verb.head  # "footage of Ruth Adeyemi asking, “…”"
    return None


def is_person(token: Token, lexicon: Lexicon) -> bool:
    return token.ent_type_ == "PERSON" or token.lower_ in lexicon.person_pronouns


def adjacent_subject(verb: Token, quoted: set[int]) -> Token | None:
    """The name next to a cue verb the parser left without a subject: the first noun of the
    reporter's words between a closing mark and the verb ("…,” Amsel, an adviser, said"), or
    the name right after it ("Said Brannock: …")."""
    doc = verb.doc
    i = verb.i - 1
    while (i >= 0 and i not in quoted and not doc[i].is_quote and "\n" not in doc[i].text
           and (doc[i].pos_ not in ("VERB", "AUX") or doc[i].ent_type_)):
        i -= 1
    stretch = [t for t in doc[i + 1 : verb.i] if t.pos_ in ("PROPN", "NOUN", "PRON") or t.ent_type_]
    if stretch and (i < 0 or i in quoted or doc[i].is_quote or "\n" in doc[i].text):
        people = [t for t in stretch if t.ent_type_ == "PERSON"]
        first = people[0] if people else stretch[0]
        return first if first.pos_ == "PRON" else chunk_root(first)
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.i not in quoted and before.ent_type_ in ("PERSON", "ORG", "NORP"):
        return chunk_root(before)  # "…, Okafor and Adeyemi call them …" parsed without a subject
    after = verb.i + 1
    if after < len(doc) and after not in quoted and doc[after].pos_ == "PROPN":
        name = chunk_root(doc[after])
        # "Said Brannock: …", not the object of "blasted Adeyemi as a “fraud”".
        return name if name.dep_ not in ("dobj", "dative", "iobj", "pobj", "oprd") else None
    return None


def chunk_root(token: Token) -> Token:
    """The head of the name a token is part of (compounds lead to their head)."""
    while token.dep_ in ("compound", "flat") and token.head is not token:
        token = token.head
    return token


def can_speak(token: Token, lexicon: Lexicon) -> bool:
    """Times, numbers and indefinite pronouns ("5:45 p.m.", "everything") are not speakers."""
    if token.ent_type_ in NOT_SPEAKERS:
        return False
    if token.pos_ == "PRON" and token.lower_ not in lexicon.pronoun_kinds and token.lower_ not in (
            lexicon.relative_pronouns | lexicon.speaking_pronouns):
        return False
    return True


def owner(noun: Token, lexicon: Lexicon) -> Token | None:
    """Whose claim, statement or words: the possessor, ``by X``/``from X``, or the subject
    of the verb the noun is the object of ("he made the claim")."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in lexicon.source_prepositions:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return objects[0]
    verb = noun.head
    if noun.dep_ == "pobj" and verb.lower_ == "in" and verb.dep_ == "prep":
        verb = verb.head  # "In a news release, the agency said …"
    if noun.dep_ in ("dobj", "pobj") and verb.pos_ in ("VERB", "AUX"):
        found = subject(verb, lexicon)
        if found is not None and found.lower_ not in lexicon.relative_pronouns:
            return found
    return None


def issuer(statement: Token, lexicon: Lexicon) -> list[Token]:
    """Who issued a statement named by a phrase after it: "the statement released by the state
    media", "a statement from the ministry"."""
    heads = [statement] + [c for c in statement.children if c.dep_ == "acl"]
    issuers = []
    for prep in (p for head in heads for p in head.children
                 if p.dep_ in ("agent", "prep") and p.lower_ in lexicon.source_prepositions):
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


def entity_at(token: Token) -> Span | None:
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
    # The tagger sometimes takes in a quotation mark or bracket beside the name (Irina ").
    while start < token.i and doc[start].is_punct:
        start += 1
    while end - 1 > token.i and doc[end - 1].is_punct:
        end -= 1
    return Span(doc, start, end, label=token.ent_type_)


def mention(head: Token) -> Span:
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
    # A hyphenated name is one word however the tokenizer cut it ("al-Nazimi").
    while start > 1 and doc[start - 1].text in HYPHENS and not doc[start - 2].whitespace_ \
            and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha:
        start -= 2
    while end + 1 < len(doc) and doc[end].text in HYPHENS and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha:
        end += 2
    return doc[start:end]


# Dependents that are parts of another mention, not mentions of their own.
INNER_DEPS = {"compound", "flat", "amod", "nummod", "det", "case", "prt", "aux", "neg"}


def nearby(doc: Doc, first: int, last: int, quoted: set[int], lexicon: Lexicon) -> list[Token]:
    """The head words of every mention that could speak a quote whose words run from token
    ``first`` to ``last``: people, bodies, pronouns and nominals of the two sentences before
    the quote, the sentences it touches and the one after it, outside every quote."""
    start = sentence(doc[first]).start
    for _ in range(2):
        if start > 0:
            start = sentence(doc[start - 1]).start
    end = sentence(doc[last]).end
    if end < len(doc):
        end = sentence(doc[end]).end
    heads = []
    for token in doc[start:end]:
        if token.i in quoted or token.is_space or token.dep_ in INNER_DEPS:
            continue
        if token.pos_ == "PRON":
            if token.lower_ in lexicon.pronoun_kinds or token.lower_ in lexicon.speaking_pronouns \
                    or token.lower_ in lexicon.first_person:
                heads.append(token)
        elif token.pos_ in ("PROPN", "NOUN") and can_speak(token, lexicon):
            heads.append(token)
    return heads
