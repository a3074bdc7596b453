"""One canonical speaker per person or body, across the whole database.

Articles name a speaker many ways: "Mustafa al-Kadhimi", "Kadhimi", "Al-Kadhimi", a misspelling
("Khadimi"), a handle ("@MAKadhimi") or a name followed by its Arabic spelling.  The rules here
join them without any hand-kept list of names: particles and scripts are set aside, surnames are
compared with an edit distance guarded by the first name, and handles are tied to names by the
articles' own ``— Name (@handle)`` lines.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from rapidfuzz.distance import DamerauLevenshtein

from .disjoint import DisjointSets
from .records import Speaker, StoredQuote

PARTICLES = {"al", "el", "al-", "el-", "bin", "ibn", "abu", "van", "von", "de", "da", "di", "du", "la", "le"}
NON_LATIN = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF\u2000-\u206F]+")  # Latin letters and punctuation (O’Neill)
STATEMENT_WORDS = {"statement", "statements", "spokesman", "spokeswoman", "spokesperson", "office", "report"}


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
        word = word.replace("'", "").replace("’", "")  # O’Neill is one word, "oneill"
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


def transliteration_key(word: str) -> str:
    """A surname with the spelling choices of romanised Arabic and Persian folded away: an
    ``h`` after a consonant (kh/k, dh/d, sh/s), doubled letters, ``gh``/``q``/``k``, ``ou``/``oo``/``u``
    and ``ee``/``i``.  "Khadimi" and "Kadhimi" share the key "kadimi"."""
    word = word.replace("gh", "q")  # ق and غ, one sound in Persian: Araghchi / Araqchi
    word = re.sub(r"(?<=[bcdfgjklmnpqrstvwxz])h", "", word)
    word = word.replace("q", "k").replace("ou", "u").replace("oo", "u").replace("ee", "i")
    return re.sub(r"(.)\1+", r"\1", word)


def _same_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    ka, kb = transliteration_key(a), transliteration_key(b)
    if min(len(ka), len(kb)) >= 5 and ka == kb:
        return True
    # One transposition or substitution in a long surname, never in short ones (Cruz / Crux).
    return min(len(a), len(b)) >= 6 and DamerauLevenshtein.distance(a, b) <= 1


def _compatible_people(a: list[str], b: list[str]) -> bool:
    """Two person names are one person when surnames agree and the given names, where both have
    them, agree too (Ali Shamkhani ≠ Ahmad Shamkhani)."""
    if not a or not b or not _same_surname(a[-1], b[-1]):
        return False
    if len(a) > 1 and len(b) > 1:
        shorter, longer = sorted((a[:-1], b[:-1]), key=len)
        if len(shorter) < len(longer) and set(shorter) <= set(longer):
            return True  # "Abbas Araghchi" within "Seyed Abbas Araghchi"
        return a[0] == b[0] or a[0][:1] == b[0][:1] and (len(a[0]) <= 2 or len(b[0]) <= 2)
    return True


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


def resolve_speakers(quotes: list[StoredQuote]) -> tuple[list[Speaker], dict[str, str | None]]:
    """Canonical speakers for every quote's ``speaker_name``.

    Returns the speakers and, for each quote id, its speaker's id (None where the quote has no
    speaker).
    """
    names = Counter(q.speaker_name for q in quotes if q.speaker_name)
    kinds: dict[str, Counter] = defaultdict(Counter)
    for q in quotes:
        if q.speaker_name:
            kinds[q.speaker_name][q.speaker_kind or "person"] += 1
    handle_of: dict[str, str] = {}  # casefolded handle -> the name its post line gives
    handle_shown: dict[str, str] = {}
    for q in quotes:
        if q.handle and q.speaker_name:
            handle_of[q.handle.casefold()] = q.speaker_name
            handle_shown[q.handle.casefold()] = q.handle

    index = {name: i for i, name in enumerate(names)}
    clusters = DisjointSets(len(index))

    def root(name: str) -> int:
        return clusters.find(index[name])

    def join(a: str, b: str) -> None:
        clusters.union(index[a], index[b])

    people = [n for n in names if kinds[n].most_common(1)[0][0] == "person"]
    bodies = [n for n in names if n not in people]
    # Handles: "@MAKadhimi" is the name its post line gives.
    for name in names:
        if name.startswith("@") and name.casefold() in handle_of:
            join(name, handle_of[name.casefold()])
    # People: full names first, then single surnames to the one full name they fit.
    words = {n: name_words(n) for n in names}
    full = [n for n in people if len(words[n]) > 1]
    for i, a in enumerate(full):
        for b in full[i + 1:]:
            if _compatible_people(words[a], words[b]):
                join(a, b)
    for n in people:
        if len(words[n]) == 1 and not n.startswith("@"):
            fits = {root(f) for f in full if _compatible_people(words[n], words[f])}
            if len(fits) == 1:
                clusters.union(index[n], fits.pop())
    # A name the tagger took for a body that fits one person's full name is that person.
    for n in bodies:
        if len(words[n]) > 1:
            fits = {root(f) for f in full if _compatible_people(words[n], words[f])}
            if len(fits) == 1:
                clusters.union(index[n], fits.pop())
    # A handle no post line explains: the one full name it spells (@MAKadhimi, @JohnSmith).
    for n in names:
        if n.startswith("@") and n.casefold() not in handle_of:
            fits = {root(f) for f in full if _handle_spells(n, words[f])}
            if len(fits) == 1:
                clusters.union(index[n], fits.pop())
    # Organisations and groups: same head noun with compatible modifiers ("the military",
    # "Iraq's military", "an Iraqi military statement").
    keys = {n: _org_key(words[n]) for n in bodies}
    for i, a in enumerate(bodies):
        for b in bodies[i + 1:]:
            if keys[a] and keys[a] == keys[b]:
                join(a, b)
    # A less specific name ("the military") joins the more specific ones only when they are all
    # one body: "Iraq's military" and "the US military" are two, and "military" stays apart.
    for n in bodies:
        key = set(keys[n])
        fits = {root(m) for m in bodies if keys[n] and keys[m] and keys[m][-1] == keys[n][-1] and key < set(keys[m])}
        if len(fits) == 1:
            clusters.union(index[n], fits.pop())

    members: dict[int, list[str]] = defaultdict(list)
    for name in names:
        members[root(name)].append(name)
    speakers: dict[int, Speaker] = {}
    for cluster, group in members.items():
        canonical = _canonical(group, names)
        kind = sum((kinds[n] for n in group), Counter()).most_common(1)[0][0]
        speaker = Speaker(name=canonical, kind=kind, aliases={display_name(n) for n in group} | set(group))
        speaker.aliases |= {handle_shown[h] for h, owner in handle_of.items() if owner in group}
        speakers[cluster] = speaker
    assignment = {q.id: (speakers[root(q.speaker_name)].id if q.speaker_name else None) for q in quotes}
    return sorted(speakers.values(), key=lambda s: s.name), assignment


def _canonical(group: list[str], counts: Counter) -> str:
    """The fullest, most used Latin-script form: more words first, then frequency."""
    def score(name: str) -> tuple:
        shown = display_name(name)
        return (not shown.startswith("@"), len(name_words(shown)), not _shouted(shown), counts[name],
                shown[:1].isupper(), -len(shown))
    best = display_name(max(group, key=score))
    # A name printed only in capitals (a signature line, "INDEPENDENT PRESS") reads as a name;
    # a one-word acronym (NATO) stays as it is.
    return best.title() if _shouted(best) and len(best.split()) > 1 else best


def _shouted(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)
