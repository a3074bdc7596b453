"""Where each mark of the server-drawn SVG timelines goes: a statement's versions by outlet and
day, coloured by rendering, and a speaker's statements per day.  The templates
``quotes/group-timeline.html`` and ``quotes/speaker-timeline.html`` draw what these return, so the
pages need no JavaScript."""
from __future__ import annotations

import datetime
from collections import Counter

from ..renderings import Rendering, printer

# Okabe–Ito colours, told apart by colour-blind readers; each with the text colour that reads on it.
PALETTE = [("#0072B2", "#fff"), ("#D55E00", "#fff"), ("#009E73", "#fff"), ("#CC79A7", "#000"),
           ("#E69F00", "#000"), ("#56B4E9", "#000"), ("#000000", "#fff"), ("#F0E442", "#000")]
LABEL_WIDTH = 190  # px for outlet names left of the plot
PLOT_WIDTH = 620
ROW_HEIGHT = 24
DOT_RADIUS = 9
UNDATED_WIDTH = 70  # a column right of the days for versions whose article has no date
AXIS_HEIGHT = 34
LABEL_CHARS = 28
MAX_TICKS = 10
BAR_CHART_HEIGHT = 140
BAR_LEFT = 40  # px for the count scale left of the bars
MAX_GAP = 14  # quiet days drawn as empty columns; a longer gap is one break
# A statement reprinted everywhere: the outlets that printed it first get a row each, and one
# outlet's versions of one day are drawn up to this many (the last dot counts the rest).
MAX_ROWS = 40
MAX_DOTS = 10


def colour(number: int) -> tuple[str, str]:
    """Fill and text colour of rendering ``number`` (from 1)."""
    return PALETTE[(number - 1) % len(PALETTE)]


def _day(iso: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((iso or "")[:10])
    except ValueError:
        return None


def _short(day: datetime.date) -> str:
    return f"{day.day} {day:%b}"


def _slots(days: set[datetime.date]) -> list[datetime.date | int]:
    """The columns of a time axis: every day from the first to the last, quiet days included
    so that a lull is seen, except that a gap longer than ``MAX_GAP`` days is one column (its
    length), so that one stray old date does not squeeze the rest into hairlines."""
    slots: list[datetime.date | int] = []
    for day in sorted(days):
        if slots:
            gap = (day - slots[-1]).days - 1
            if gap > MAX_GAP:
                slots.append(gap)
            else:
                slots.extend(slots[-1] + datetime.timedelta(d + 1) for d in range(gap))
        slots.append(day)
    return slots


def _axis(slots: list[datetime.date | int], left: float, width: float) -> tuple[dict, list[dict], list[dict]]:
    """Where each slot's middle is; the day labels (at most ``MAX_TICKS``, the year beside the
    first and wherever it changes); the breaks ("⋯ 3,856 days")."""
    column = width / len(slots)
    middle = {slot: round(left + column * (i + 0.5), 1) for i, slot in enumerate(slots)
              if isinstance(slot, datetime.date)}
    step = max(1, -(-len(middle) // MAX_TICKS))
    ticks: list[dict] = []
    for i, day in enumerate(middle):
        if i % step == 0:
            new_year = not ticks or ticks[-1]["year"] != day.year
            ticks.append({"x": middle[day], "label": _short(day) + (f" {day.year}" if new_year else ""), "year": day.year})
    breaks = [{"x": round(left + column * (i + 0.5), 1), "label": f"⋯ {slot:,} days"}
              for i, slot in enumerate(slots) if not isinstance(slot, datetime.date)]
    return {"column": column, "middle": middle}, ticks, breaks


def statement_timeline(renderings: list[Rendering]) -> dict | None:
    """One row per outlet (in order of first publication), a dot per version on the day its
    article was published, in its rendering's colour and with its number; versions with no
    date in a column of their own.  None when there is nothing to draw."""
    versions = [(r, v, _day(v.get("published"))) for r in renderings for v in r.versions]
    versions.sort(key=lambda rvd: (rvd[2] is None, rvd[2] or datetime.date.min))
    if not versions:
        return None
    dated = {day for _, _, day in versions if day}
    undated = any(day is None for _, _, day in versions)
    slots = _slots(dated)
    axis, ticks, breaks = _axis(slots, LABEL_WIDTH, PLOT_WIDTH) if slots else ({"column": 0, "middle": {}}, [], [])
    undated_x = LABEL_WIDTH + PLOT_WIDTH + UNDATED_WIDTH / 2
    rows: dict[str, dict] = {}
    crowd = Counter((printer(v), day) for _, v, day in versions)
    placed: Counter = Counter()
    later: set[str] = set()  # outlets past MAX_ROWS: counted in the caption, not drawn
    for rendering, version, day in versions:
        name = printer(version)
        if name not in rows and len(rows) >= MAX_ROWS:
            later.add(name)
            continue
        if placed[name, day] >= MAX_DOTS:
            continue
        row = rows.setdefault(name, {"label": name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…",
                                     "name": name, "y": AXIS_HEIGHT + ROW_HEIGHT * (len(rows) + 0.5), "dots": []})
        # Several versions of one outlet on one day sit side by side within the day's column,
        # overlapping when there is no room.
        room = (axis["column"] if day else UNDATED_WIDTH) - 2 * DOT_RADIUS - 4
        n = min(crowd[name, day], MAX_DOTS)
        spacing = min(2 * DOT_RADIUS + 2, room / (n - 1)) if n > 1 else 0
        centre = axis["middle"][day] if day else undated_x
        x = centre + spacing * (placed[name, day] - (n - 1) / 2)
        placed[name, day] += 1
        fill, ink = colour(rendering.number)
        title = f"{name}, {day.isoformat() if day else 'no date'}: rendering {rendering.number}"
        if placed[name, day] == MAX_DOTS and crowd[name, day] > MAX_DOTS:
            title += f" (and {crowd[name, day] - MAX_DOTS:,} more versions that day)"
        row["dots"].append({"x": round(x, 1), "y": row["y"], "number": rendering.number, "fill": fill, "ink": ink,
                            "title": title})
    first, last = (min(dated), max(dated)) if dated else (None, None)
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + (UNDATED_WIDTH if undated else 0), "height": AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 8,
        "plot_left": LABEL_WIDTH, "plot_right": LABEL_WIDTH + PLOT_WIDTH, "axis_y": AXIS_HEIGHT - 6,
        "ticks": ticks, "breaks": breaks, "rows": list(rows.values()), "undated_x": undated_x if undated else None,
        "radius": DOT_RADIUS, "later_outlets": len(later),
        "span": None if not first else (f"{_short(first)} {first.year}" if first == last
                                        else f"{_short(first)} {first.year} – {_short(last)} {last.year}"),
    }


def day_bars(per_day: list[tuple[str, int, int]]) -> dict | None:
    """A bar per day from the first to the last day a speaker was printed, as high as the
    statements printed that day (the axis as in :func:`_slots`)."""
    counted = {_day(day): (statements, quotes) for day, statements, quotes in per_day if _day(day)}
    if not counted:
        return None
    slots = _slots(set(counted))
    axis, ticks, breaks = _axis(slots, BAR_LEFT, PLOT_WIDTH)
    top = max(statements for statements, _ in counted.values())
    scale = (BAR_CHART_HEIGHT - 20) / top
    bars = []
    for day, middle in axis["middle"].items():
        statements, quotes = counted.get(day, (0, 0))
        height = statements * scale
        bars.append({"x": round(middle - axis["column"] * 0.35, 1), "width": round(axis["column"] * 0.7, 1),
                     "y": round(BAR_CHART_HEIGHT - height, 1), "height": round(height, 1), "statements": statements,
                     "quotes": quotes, "label_x": middle, "day": day.isoformat(),
                     "title": f"{day.isoformat()}: {statements} statement{'s' if statements != 1 else ''}, "
                              f"{quotes} quote{'s' if quotes != 1 else ''}"})
    return {"width": BAR_LEFT + PLOT_WIDTH + 10, "height": BAR_CHART_HEIGHT + AXIS_HEIGHT, "base_y": BAR_CHART_HEIGHT,
            "bars": bars, "breaks": breaks, "ticks": ticks, "top": top, "top_y": BAR_CHART_HEIGHT - top * scale}
