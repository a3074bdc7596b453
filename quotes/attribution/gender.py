"""Which pronoun a person takes: from the article's own pronouns for that person, else from
the first name (the ``gender-guesser`` package's table of first names), else unknown."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from .document import cached, sentence

PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "himself": "male",
                  "she": "female", "her": "female", "hers": "female", "herself": "female"}
GUESSES = {"male": "male", "mostly_male": "male", "female": "female", "mostly_female": "female"}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def from_first_name(first: str) -> str | None:
    """"male", "female" or None for a first name ("Anna" → female); initials say nothing."""
    first = first.strip(".")
    if len(first) < 2 or not first.isalpha():
        return None
    return GUESSES.get(_detector().get_gender(first))


def is_first_name(word: str) -> bool:
    """Whether the table of first names knows ``word`` ("Liam" is, "Goaltender" is not)."""
    word = word.strip(".")
    return len(word) >= 2 and word.isalpha() and _detector().get_gender(word) != "unknown"


def article_pronouns(doc: Doc) -> dict[str, Counter]:
    """For each person's last name and full name (lower case), the genders of the first he/she
    subject after each time the article makes that person the subject of a sentence (in the
    reporter's words, with no other person named in between)."""
    def count() -> dict[str, Counter]:
        found: dict[str, Counter] = {}
        quoted = {i for q in doc._.quotes or [] for i in range(q.content.start, q.content.end)}
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            sent = sentence(ent.root)
            following = [t for t in doc[ent.end : min(len(doc), sent.end + 30)] if t.i not in quoted]
            pronoun = next((t for t in following if t.ent_type_ == "PERSON" or (
                t.lower_ in PRONOUN_GENDER and t.dep_ in ("nsubj", "nsubjpass"))), None)
            if pronoun is not None and pronoun.lower_ in PRONOUN_GENDER:
                words = ent.text.lower().split()
                # Under the full name too: "Marcus Thorne … he" says nothing of Angela Thorne.
                for key in {words[-1], " ".join(words)}:
                    found.setdefault(key, Counter())[PRONOUN_GENDER[pronoun.lower_]] += 1
        return found

    return cached(doc, "pronouns_of_people", count)


def gender_of(doc: Doc, name: str) -> str | None:
    """The pronoun gender of a person named ``name`` in this article, if anything tells."""
    words = name.split()
    if not words:
        return None
    votes = article_pronouns(doc)
    # The article's pronouns for this very name, then the first name, then the surname's
    # pronouns (which another person of that surname may have earned).
    found = _decided(votes.get(name.lower())) if len(words) > 1 else None
    found = found or (from_first_name(words[0]) if len(words) > 1 else None)
    return found or _decided(votes.get(words[-1].lower()))


def _decided(votes: Counter | None) -> str | None:
    if votes:
        (top, n), *rest = votes.most_common()
        if not rest or n > rest[0][1]:
            return top
    return None


def agrees(doc: Doc, pronoun: str, name: str | None) -> bool:
    """Whether a he/she pronoun can stand for ``name`` (any other pronoun can)."""
    wanted = PRONOUN_GENDER.get(pronoun.lower())
    if wanted is None or not name:
        return True
    return gender_of(doc, name) in (None, wanted)
