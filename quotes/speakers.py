"""One canonical speaker per person or body, across the whole database.

Articles name a speaker many ways: "Yusuf al-Nazimi", "Nazimi", "Al-Nazimi", a misspelling
("Nazimy"), a romanisation of another ("Qadir" / "Ghadir"), a title or honorific before it
("Speaker", "Sayyed"), a hypocorism ("Mike" for "Michael"), a handle ("@YANazimi") or a name
followed by its Arabic spelling.  The rules here join them without any hand-kept list of names:
names are parsed into parts (nameparser's titles and particles, nicknames' hypocorisms), words
are compared through a key blind to the spelling choices of romanised Arabic and Persian, and
handles are tied to names by the articles' own ``— Name (@handle)`` lines.  Two spellings that
one article prints side by side stay two people.  What is not a name at all (a common noun, a
verb, a headline fragment) names no speaker.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

from nameparser.config import CONSTANTS
from nicknames import NickNamer
from rapidfuzz.distance import DamerauLevenshtein

from .disjoint import DisjointSets
from .records import Speaker, StoredQuote

PARTICLES = {"al", "el", "al-", "el-", "bin", "ibn", "abu", "van", "von", "de", "da", "di", "du", "la", "le"}
NON_LATIN = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF\u2000-\u206F]+")  # Latin letters and punctuation (O’Dwyer)
STATEMENT_WORDS = {"statement", "statements", "spokesman", "spokeswoman", "spokesperson", "office", "report"}
# Honorifics of Arabic and Persian names that nameparser's list of titles lacks ("Sayyed Jalal
# ...", "Haj Qadir ..."): they go to the aliases, never into the canonical name.
HONORIFICS = frozenset({"sayyed", "seyyed", "seyed", "sayed", "sayyid", "syed", "haj", "hajj", "haji", "hajji"})
TITLES = frozenset(CONSTANTS.titles) | HONORIFICS
# Words a body's name may have in lower case ("Department of Defense", "Iranian-backed militias").
LOWER_NAME_WORDS = frozenset(CONSTANTS.conjunctions) | {"of", "the", "for", "and", "on", "in", "at"}
NAME_PARTICLES = frozenset(p.rstrip("-") for p in CONSTANTS.prefixes) | {p.rstrip("-") for p in PARTICLES}
QUOTATION_MARKS = re.compile(r"[\"“”„«»‹›]")
MAX_NAME_WORDS = 8
_nicknames = NickNamer()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def name_words(name: str) -> list[str]:
    """A name's words for comparison: Latin script only, accents and case folded, particles
    ("al-", "el-") split off and dropped, possessive removed."""
    name = NON_LATIN.sub(" ", name)
    name = re.sub(r"['’]s\b", "", name)
    words = []
    for word in re.findall(r"[\w'’-]+", _fold(name)):
        word = word.replace("'", "").replace("’", "")  # O’Dwyer is one word, "odwyer"
        parts = [p for p in word.split("-") if p]
        while len(parts) > 1 and parts[0] in PARTICLES:
            parts.pop(0)
        word = "".join(parts)
        if word and word not in PARTICLES:
            words.append(word)
    return words


def display_name(name: str) -> str:
    """The name as printed, without another script's spelling or a leading handle sign."""
    cleaned = " ".join(NON_LATIN.sub(" ", name).split()).strip(" -—–,")
    return cleaned or name.strip()


def _is_title(token: str) -> bool:
    return _fold(token).strip(".,") in TITLES


def _is_modifier(token: str) -> bool:
    """A word that may stand before a title: a country, its demonym or a possessive
    ("Iranian Foreign Minister", "Iran's Supreme Leader", "U.S. Secretary of State")."""
    folded = _fold(token)
    return (folded in LOWER_NAME_WORDS or folded.endswith(("'s", "’s")) or "." in folded
            or bool(re.fullmatch(r"[a-z]+(?:ian|ean|ese|ish|i|an)", folded)))


def person_name(name: str) -> str:
    """A person's name without the titles and honorifics before it or the initials inside it:
    "Ayatollah Seyyed Reza Tabrizian" → "Reza Tabrizian", "Ruth A. Adeyemi" → "Ruth Adeyemi",
    "Iranian Foreign Minister Seyed Abbas Araghchi" → "Abbas Araghchi"."""
    tokens = display_name(name).split()
    cut = 0
    for k, token in enumerate(tokens[:-1]):
        if _is_title(token):
            cut = k + 1
        elif not _is_modifier(token):
            break
    tokens = tokens[cut:]
    inner = [t for t in tokens[1:-1] if not re.fullmatch(r"[A-Z]\.?", t)]
    return " ".join(tokens[:1] + inner + tokens[1:][-1:]) if len(tokens) > 1 else " ".join(tokens)


@lru_cache(maxsize=100_000)  # once per distinct name, not once per quote
def is_name(name: str, kind: str | None = None) -> bool:
    """Whether a speaker name can name someone: a capitalised word (for a person, one that is not
    a title: "Ayatollah" alone names nobody), no quotation marks, not a lower-case noun phrase
    ("department", "the chief diplomat"), and not a sentence."""
    shown = display_name(name)
    if QUOTATION_MARKS.search(shown) or len(shown.split()) > MAX_NAME_WORDS:
        return False
    if shown.startswith("@"):
        return len(shown) > 1
    tokens = shown.split()
    capitalised = [t for t in tokens if any(p[:1].isupper() for p in re.split(r"[-‐]", t))]
    if not capitalised:
        # A body may go by a description of two words or more ("state media", "administration
        # officials"); one word ("department", "office") or a text ("statement") is no name.
        return (kind not in (None, "person") and len(tokens) >= 2 and _fold(tokens[0]) not in LOWER_NAME_WORDS
                and _fold(tokens[-1]) not in STATEMENT_WORDS)
    if kind in (None, "person") and (
            all(_is_title(t) for t in person_name(shown).split())
            # A person's name has no lower-case word but a particle ("bin", "al-", "van"): not
            # "Varga speaks", a headline's words.
            or any(t[:1].islower() and _fold(t).split("-")[0] not in NAME_PARTICLES | LOWER_NAME_WORDS for t in tokens)):
        return False
    # A body may have a common noun for its head ("Security sources"), a person no lower-case
    # word but a particle ("Jawad al-Hakimi"); a lower-case first word is a noun phrase.
    return tokens[0][:1].isupper() or _fold(tokens[0]).split("-")[0] in PARTICLES or tokens[0][:1] in "@"


@lru_cache(maxsize=100_000)
def transliteration_key(word: str) -> str:
    """A word with the spelling choices of romanised Arabic and Persian folded away: ``gh``, ``q``
    and ``k`` (one sound in Persian: Ghadir / Qadir / Kadir); ``dh``, ``th``, ``z`` and ``d``; an
    ``h`` after a consonant (kh/k, sh/s); ``e``, ``i`` and ``a``; ``o``, ``u`` and ``ou``; doubled
    letters.  "Nazimi", "Nadhimi" and "Nazeemi" share the key, and so do "Golestani" and "Gulestani";
    "Hassan" and "Hussein" do not."""
    word = word.replace("gh", "q")
    word = re.sub(r"dh|th|z", "d", word)
    word = re.sub(r"(?<=[bcdfgjklmnpqrstvwxz])h", "", word)
    word = word.replace("q", "k")
    word = re.sub(r"[ei]", "a", word).replace("o", "u")
    return re.sub(r"(.)\1+", r"\1", word)


def _same_word(a: str, b: str, *, min_fuzzy: int = 6) -> bool:
    """One name word spelt two ways: the same transliteration key, or one edit apart in a long
    word (never in short ones: Okun / Okum)."""
    if a == b:
        return True
    ka, kb = transliteration_key(a), transliteration_key(b)
    if min(len(ka), len(kb)) >= 4 and ka == kb:
        return True
    return min(len(a), len(b)) >= min_fuzzy and DamerauLevenshtein.distance(ka, kb) <= 1


def _same_given_name(a: str, b: str) -> bool:
    """One given name: spelt alike, or one a hypocorism of the other (Mike / Michael)."""
    if a == b or (len(a) >= 3 and len(b) >= 3 and transliteration_key(a) == transliteration_key(b)):
        return True
    return a in _nicknames.canonicals_of(b) or b in _nicknames.canonicals_of(a)


def _givens_agree(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if all(any(_same_given_name(s, l) for l in longer) for s in shorter) and len(shorter) < len(longer):
        return True  # "Abbas Araghchi" within "Seyed Abbas Araghchi"
    if _same_given_name(a[0], b[0]):
        return True
    return a[0][:1] == b[0][:1] and (len(a[0]) <= 2 or len(b[0]) <= 2)


def _compatible_people(a: list[str], b: list[str]) -> bool:
    """Two person names are one person when their surnames agree, the surname being the last
    word or the last two written together (Abdul-Rahim / Abdul Rahim), and the given names, where
    both have them, agree too (Ali Farahani ≠ Ahmad Farahani)."""
    if not a or not b:
        return False
    for i in (1, 2):
        for j in (1, 2):
            if i > len(a) or j > len(b) or (i == 2 and j == 2):
                continue
            if _same_word("".join(a[-i:]), "".join(b[-j:])) and _givens_agree(a[:-i], b[:-j]):
                return True
    return False


def _surname_keys(words: list[str]) -> set[str]:
    """Keys under which a person name is filed for comparison: its surname's key (last word,
    and the last two together), and for long ones the key less one letter, so that names one
    edit apart meet."""
    keys = set()
    for surname in {words[-1], "".join(words[-2:])}:
        key = transliteration_key(surname)
        keys.add(key)
        if len(surname) >= 6:
            keys.update(key[:k] + key[k + 1:] for k in range(len(key)))
    return keys


def _handle_spells(handle: str, words: list[str]) -> bool:
    """Whether a handle is a person's surname behind their initials or given names."""
    letters = _fold(handle.lstrip("@")).replace("_", "")
    surname = words[-1]
    if len(surname) < 4 or not letters.endswith(surname):
        return False
    prefix = letters[: -len(surname)]
    given = words[:-1]
    return prefix in ("", "".join(w[0] for w in given), "".join(given)) or (
        bool(given) and prefix.startswith(given[0][0]) and len(prefix) <= len(given) + 1)


def _org_key(words: list[str]) -> list[str]:
    words = [w for w in words if w not in STATEMENT_WORDS and w not in ("the", "a", "an")]
    # A demonym and its country are one modifier (Iraqi / Iraq's).
    return [re.sub(r"(i|ian|n|ese)$", "", w) if i < len(words) - 1 else w for i, w in enumerate(words)]


def _same_body(a: list[str], b: list[str]) -> bool:
    """Two bodies' keys word for word, a long word allowed one slip ("Departmet")."""
    return len(a) == len(b) and all(x == y or min(len(x), len(y)) >= 6 and DamerauLevenshtein.distance(x, y) <= 1
                                    for x, y in zip(a, b))


class _Clusters:
    """Names joined into speakers, refusing a join that one article contradicts: two full names
    it prints side by side for two quotes are two people, however alike their spellings."""

    def __init__(self, names: list[str], articles: dict[str, set[str]], words: dict[str, list[str]]):
        self.index = {name: i for i, name in enumerate(names)}
        self.sets = DisjointSets(len(names))
        self.members = {i: [name] for i, name in enumerate(names)}
        self.articles = articles
        self.words = words

    def root(self, name: str) -> int:
        return self.sets.find(self.index[name])

    def _contradicts(self, a: int, b: int) -> bool:
        for x in self.members[a]:
            for y in self.members[b]:
                wx, wy = set(self.words[x]), set(self.words[y])
                if len(wx) > 1 and len(wy) > 1 and not (wx <= wy or wy <= wx) and self.articles[x] & self.articles[y]:
                    return True
        return False

    def join(self, a: str, b: str | int) -> None:
        ra, rb = self.root(a), (b if isinstance(b, int) else self.root(b))
        if ra == rb or self._contradicts(ra, rb):
            return
        self.sets.union(ra, rb)
        self.members[min(ra, rb)] = self.members.pop(ra) + self.members.pop(rb)


def resolve_speakers(quotes: list[StoredQuote]) -> tuple[list[Speaker], dict[str, str | None]]:
    """Canonical speakers for every quote's ``speaker_name``.

    Returns the speakers and, for each quote id, its speaker's id (None where the quote has no
    speaker, or where what the article gave is not a name).
    """
    named = [q for q in quotes if q.speaker_name and is_name(q.speaker_name, q.speaker_kind)]
    names = Counter(q.speaker_name for q in named)
    kinds: dict[str, Counter] = defaultdict(Counter)
    articles: dict[str, set[str]] = defaultdict(set)
    for q in named:
        kinds[q.speaker_name][q.speaker_kind or "person"] += 1
        articles[q.speaker_name].add(q.article_id)
    handle_of: dict[str, str] = {}  # casefolded handle -> the name its post line gives
    handle_shown: dict[str, str] = {}
    for q in named:
        if q.handle:
            handle_of[q.handle.casefold()] = q.speaker_name
            handle_shown[q.handle.casefold()] = q.handle

    people = [n for n in names if kinds[n].most_common(1)[0][0] == "person"]
    bodies = [n for n in names if n not in people]
    words = {n: name_words(person_name(n)) for n in names}
    clusters = _Clusters(list(names), articles, words)
    # Handles: "@YANazimi" is the name its post line gives.
    for name in names:
        if name.startswith("@") and name.casefold() in handle_of:
            clusters.join(name, handle_of[name.casefold()])
    # People: full names first, compared only with those filed under a like surname; then single
    # surnames to the one full name they fit.
    full = [n for n in people if len(words[n]) > 1]
    filed: dict[str, list[str]] = defaultdict(list)
    for n in full:
        for key in _surname_keys(words[n]):
            filed[key].append(n)

    def like(n: str) -> list[str]:
        return list(dict.fromkeys(m for key in _surname_keys(words[n]) for m in filed.get(key, ())))

    for a in full:
        for b in like(a):
            if a < b and _compatible_people(words[a], words[b]):
                clusters.join(a, b)
    # A lone surname, or a name the tagger took for a body, that fits one person's full name.
    for n in people + bodies:
        if words[n] and (n in bodies) == (len(words[n]) > 1) and not n.startswith("@"):
            fits = {clusters.root(f) for f in like(n) if _compatible_people(words[n], words[f])}
            if len(fits) == 1:
                clusters.join(n, fits.pop())
    # A handle no post line explains: the one full name it spells (@YANazimi, @LenaBrook).
    for n in names:
        if n.startswith("@") and n.casefold() not in handle_of:
            fits = {clusters.root(f) for f in full if _handle_spells(n, words[f])}
            if len(fits) == 1:
                clusters.join(n, fits.pop())
    # Organisations and groups: same head noun with compatible modifiers ("the military",
    # "Iraq's military", "an Iraqi military statement"), compared within one head noun.
    keys = {n: _org_key(name_words(n)) for n in bodies}
    by_head: dict[str, list[str]] = defaultdict(list)
    for n in bodies:
        if keys[n]:
            by_head[transliteration_key(keys[n][-1])[:4]].append(n)
    for block in by_head.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if _same_body(keys[a], keys[b]):
                    clusters.join(a, b)
    # A less specific name ("the military") joins the more specific ones only when they are all
    # one body: "Iraq's military" and "the US military" are two, and "military" stays apart.
    for block in by_head.values():
        for n in block:
            key = set(keys[n])
            fits = {clusters.root(m) for m in block if keys[m][-1] == keys[n][-1] and key < set(keys[m])}
            if len(fits) == 1:
                clusters.join(n, fits.pop())

    members: dict[int, list[str]] = defaultdict(list)
    for name in names:
        members[clusters.root(name)].append(name)
    # Speaker ids are made from the canonical name without its case: clusters whose names differ
    # only in case ("Office", "office") are one speaker, not a collision.
    speakers: dict[str, Speaker] = {}
    speaker_of: dict[str, Speaker] = {}
    for group in members.values():
        kind = sum((kinds[n] for n in group), Counter()).most_common(1)[0][0]
        canonical = _canonical(group, names, person=kind == "person")
        speaker = speakers.setdefault(canonical.casefold(), Speaker(name=canonical, kind=kind))
        speaker.aliases |= {display_name(n) for n in group} | set(group)
        speaker.aliases |= {handle_shown[h] for h, owner in handle_of.items() if owner in group}
        for n in group:
            speaker_of[n] = speaker
    assignment = {q.id: (speaker_of[q.speaker_name].id if q.speaker_name in speaker_of else None) for q in quotes}
    for q, speaker in _by_role(quotes, speaker_of):
        assignment[q.id] = speaker.id
    return sorted(speakers.values(), key=lambda s: s.name), assignment


def _by_role(quotes: list[StoredQuote], speaker_of: dict[str, Speaker]) -> Iterable[tuple[StoredQuote, Speaker]]:
    """Quotes whose speaker is a role, not a name ("the department", "the Ayatollah", "the
    speaker"), each with the one speaker of its article whose printed name carries that word
    ("Department of Defense", "Ayatollah Reza Tabrizian", "Speaker Jane Doe").  Where no speaker
    of the article, or more than one, carries it, the quote keeps no speaker."""
    printed: dict[str, set[str]] = defaultdict(set)  # article -> names printed for its speakers
    for q in quotes:
        if q.speaker_name in speaker_of:
            printed[q.article_id].add(q.speaker_name)
    for q in quotes:
        if not q.speaker_name or q.speaker_name in speaker_of or not printed.get(q.article_id):
            continue
        role = name_words(q.speaker_name)[-1:]
        if not role or len(role[0]) < 4:
            continue
        fits = {speaker_of[n].id: speaker_of[n] for n in printed[q.article_id]
                if any(_same_word(role[0], w) for w in name_words(n))}
        if len(fits) == 1:
            yield q, fits.popitem()[1]


def _canonical(group: list[str], counts: Counter, *, person: bool) -> str:
    """The fullest form without titles, the most printed among the fullest: a person's name
    without titles, honorifics or initials; a body's as printed."""
    forms: Counter = Counter()
    for name in group:
        forms[person_name(name) if person else display_name(name)] += counts[name]

    def score(shown: str) -> tuple:
        return (not shown.startswith("@"), len(name_words(shown)), not _shouted(shown), forms[shown],
                shown[:1].isupper(), -len(shown), shown)
    best = max(forms, key=score)
    # A name printed only in capitals (a signature line, "INDEPENDENT PRESS") reads as a name;
    # a one-word acronym (NATO) stays as it is.
    return best.title() if _shouted(best) and len(best.split()) > 1 else best


def _shouted(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)
