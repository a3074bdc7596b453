"""Words for a first-time reader: language names, dates, and what an agreement figure means,
rendered on the server so the page reads without JavaScript."""
from __future__ import annotations

import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

UNDETERMINED = "und"
READER_LOCALE = Locale("en", "GB")  # "7 November 2021": day, month name, year
SAME = 0.95  # a share of the same words at which two versions read as one wording
MOSTLY = 0.75  # under this share, the differences are what a reader notices first


def language_name(code: str | None) -> str:
    """"Arabic" for "ar"; the code itself when it names no language babel knows."""
    if not code:
        return "an unknown language"
    return READER_LOCALE.languages.get(code) or code


def text_direction(code: str | None) -> str:
    """``rtl`` or ``ltr`` for the language's script; ``auto`` (the browser looks at the letters)
    when the code names no language babel knows or is ISO 639's "und" (undetermined), which
    babel would read as English."""
    if not code or code == UNDETERMINED:
        return "auto"
    try:
        locale = Locale.parse(code, sep="-")  # BCP 47 form, as in lang=""
    except (UnknownLocaleError, ValueError):
        return "auto"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def long_date(iso: str | None) -> str | None:
    """"7 November 2021" for "2021-11-07"; anything that is not an ISO date is shown as stored."""
    if not iso:
        return None
    try:
        return format_date(datetime.date.fromisoformat(iso), format="long", locale=READER_LOCALE)
    except ValueError:
        return iso


def agreement_words(agreement: float, *, translated: bool = False) -> str:
    """A share of the same words, said in words; for versions translated from one original,
    with the reason their words differ.

    :param agreement: the share, 0 to 1
    :param translated: the versions are translations of an original in another language
    """
    if agreement >= SAME:
        return "word for word the same"
    if agreement >= MOSTLY:
        return "mostly the same words"
    return ("many words differ" if agreement >= 0.5 else "mostly different words") + (
        ", as separate translations do" if translated else "")
