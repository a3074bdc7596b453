"""What the group and speaker pages show of who printed which wording when: the differences
that change the meaning, the renderings of a statement and their timeline; a speaker's
statements per day, the spellings of their name and their feed."""
from __future__ import annotations

from urllib.parse import urlencode

from ..renderings import renderings, statements_per_day
from ..spellings import spelling_counts
from .feed import feed_title
from .timeline import colour, day_bars, statement_timeline
from .wording import long_date

# What each kind of flag means, for a reader who has never seen one: (name, explanation).
MEANING_WORDS = {
    "negation": ("negation", "one says “not”, “no” or “never” where the other does not: one affirms what the "
                             "other denies"),
    "number": ("number or date", "a number, amount or date differs (“three” and “3” count as the same)"),
    "name": ("name", "another person, place or organisation is named in the same place"),
    "modality": ("modal verb", "“will”, “may”, “must” or “can” differ: a certainty becomes a possibility, or an "
                               "obligation a prediction"),
    "qualifier": ("qualifier", "a word that holds back from asserting — “alleged”, “apparently”, “reportedly”, "
                               "“so-called” — is dropped or added"),
}


ARTICLES = {"the", "a", "an"}


def _is_a_name(words: str | None) -> bool:
    """Every word capitalised (al-Hakimi counts), none possessive, no article first."""
    found = (words or "").split()
    return bool(found) and found[0].casefold() not in ARTICLES and all(
        any(c.isupper() for c in w) and not w.endswith(("'s", "’s")) for w in found)


def group_versions(group: dict, variants: list[dict], flags: list[dict]) -> dict:
    """Each variant's meaning flags (``v["meaning_flags"]``, from ``flags``: the group's rows of
    ``store.group_meaning_flags``), the kinds flagged in the group with what each means, the
    renderings (one wording, the outlets that printed it, the earliest) and the statement's
    timeline."""
    by_quote: dict[str, list[dict]] = {}
    for flag in flags:
        flag["name"], flag["meaning"] = MEANING_WORDS.get(flag["kind"], (flag["kind"], ""))
        by_quote.setdefault(flag["quote_id"], []).append(flag)
    for v in variants:
        v["meaning_flags"] = by_quote.get(v["id"], [])
    kinds = sorted({f["kind"] for f in flags}, key=list(MEANING_WORDS).index)
    # The version the flags were found against: the representative, or the wording most outlets printed.
    reference_id = next((f["reference_quote_id"] for f in flags), group["representative_quote_id"])
    found = renderings(variants)
    for rendering in found:
        fill, ink = colour(rendering.number)
        for v in rendering.versions:
            v["rendering"] = rendering.number
        rendering.fill, rendering.ink = fill, ink
        rendering.first_date = long_date(rendering.first_published)
    reference = next((v for v in variants if v["id"] == reference_id), None)
    for v in variants:
        v["is_meaning_reference"] = bool(flags) and v["id"] == reference_id
    return {"meaning_kinds": [(kind, *MEANING_WORDS[kind]) for kind in kinds],
            "meaning_reference": reference, "reference_is_representative": reference_id == group["representative_quote_id"],
            "changed": sum(1 for v in variants if v["meaning_flags"]),
            "renderings": found, "timeline": statement_timeline(found)}


def speaker_versions(datasette, database: str, page: dict, texts: list[str]) -> dict:
    """Every spelling of the speaker's name the articles (``texts``) printed, with how often;
    their statements per day; the address of their Atom feed.  ``page``: the speaker's rows
    from ``store.speaker_rows``."""
    speaker, aliases, quotes = page["speaker"], page["aliases"], page["quotes"]
    # The words an article used for the speaker are a spelling when they are a name that shares
    # a word with a known one ("Mayor Kowalski", "Kowalski"), not "She", "the mayor" or "Valdora's
    # mayor Anna Kowalski".
    known = {w.casefold() for name in [speaker["name"], *aliases] for w in name.split()}
    mentions = {q["speaker_mention"] for q in quotes
                if _is_a_name(q.get("speaker_mention")) and known & {w.casefold() for w in q["speaker_mention"].split()}}
    spellings = [s for s in spelling_counts([speaker["name"], *aliases, *mentions], texts) if s.printed]
    feed = datasette.urls.database(database) + "/speaker_feed.atom?" + urlencode(
        {"speaker_id": speaker["id"], "_feed_title": feed_title(speaker["name"])})
    return {"spellings": spellings, "per_day": day_bars(statements_per_day(quotes)), "feed_href": feed}
