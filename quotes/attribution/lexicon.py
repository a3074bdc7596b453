"""The words attribution knows, as data: verbs and nouns of saying, titles, pronouns.

A lexicon is a JSON object of word lists (``lexicons/en_news.json`` is the one the pipeline
uses by default).  The component's config names it, and it is saved with the pipeline
(``nlp.to_disk``) the way spaCy's SpanRuler keeps its patterns (fixed cue shapes such as
``according to X`` are Matcher patterns in it), so a pipeline loaded from disk
attributes with the words it was saved with.  Every word is stored in lower case.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

LEXICONS = Path(__file__).parent / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    """Word lists, each read as a set (or a mapping) of lower-case words."""

    cue_verbs: frozenset[str]  # lemmas of verbs of saying: "say", "tell", "warn"
    cue_nouns: frozenset[str]  # nouns of saying with an owner: "X's claim"
    statement_nouns: frozenset[str]  # a text that speaks for its issuer: "the ministry's statement"
    title_words: frozenset[str]  # words of a title before a name: "senator", "spokesman"
    courtesy_titles: frozenset[str]  # titles that say nothing of a post: "mr", "dr"
    title_qualifiers: frozenset[str]  # words that make a title another one: "vice president"
    abbreviated_titles: dict[str, str]  # "sen" -> "senator"
    pronoun_kinds: dict[str, str]  # third-person pronoun -> person | organisation | group
    first_person: frozenset[str]  # the writer of a first-person piece
    speaking_pronouns: frozenset[str]  # other pronouns that can speak ("we said")
    person_pronouns: frozenset[str]  # pronouns that stand for people
    relative_pronouns: frozenset[str]
    indefinite_determiners: frozenset[str]  # "a spokesman" is someone the article does not name
    articles: frozenset[str]
    source_prepositions: frozenset[str]  # "a statement from X", "the claim by X"
    # Matcher patterns of phrases whose last word's object is the source: "according to X"
    source_phrases: tuple

    @classmethod
    def from_dict(cls, data: dict) -> "Lexicon":
        missing = [f.name for f in fields(cls) if f.name not in data]
        if missing:
            raise ValueError(f"lexicon lacks {', '.join(missing)}")
        values = {}
        for f in fields(cls):
            value = data[f.name]
            if f.name == "source_phrases":
                values[f.name] = tuple(value)
            elif isinstance(value, dict):
                values[f.name] = {k.lower(): v.lower() for k, v in value.items()}
            else:
                values[f.name] = frozenset(w.lower() for w in value)
        return cls(**values)

    def to_dict(self) -> dict:
        return {k: sorted(v) if isinstance(v, frozenset) else list(v) if isinstance(v, tuple) else dict(v)
                for k, v in asdict(self).items()}

    def unabbreviated(self, word: str) -> str:
        """A title word in full and lower case: "Sen." → "senator"; a hyphenated title by its
        first part that is one ("Secretary-General" → "secretary", "ex-President" → "president")."""
        word = word.lower().strip(".")
        if "-" in word:
            parts = [self.abbreviated_titles.get(p, p) for p in word.split("-")]
            return next((p for p in parts if p in self.title_words), word)
        return self.abbreviated_titles.get(word, word)


def load_lexicon(name_or_path: str) -> Lexicon:
    """A lexicon by the name of one shipped with the package (``en_news``) or by a file path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = LEXICONS / f"{name_or_path}.json"
    try:
        return Lexicon.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such lexicon") from None
    except (json.JSONDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a lexicon: {error}") from None
