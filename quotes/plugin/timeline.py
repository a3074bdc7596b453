"""Where each mark of the server-drawn SVG timelines goes: a statement's versions by outlet and
day, coloured by rendering, and a speaker's statements per day.  The templates
``_quotes_timeline.html`` and ``_quotes_speaker_timeline.html`` draw what these return, so the
pages need no JavaScript."""
from __future__ import annotations

import datetime

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
MAX_GAP = 14  # quiet days drawn as empty columns; a longer gap is one break


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


def _ticks(first: datetime.date, days: int, x_of) -> list[dict]:
    step = max(1, -(-days // MAX_TICKS))
    return [{"x": x_of(first + datetime.timedelta(d)), "label": _short(first + datetime.timedelta(d))}
            for d in range(0, days, step)]


def statement_timeline(renderings: list[Rendering]) -> dict | None:
    """One row per outlet (in order of first publication), a dot per version on the day its
    article was published, in its rendering's colour and with its number; versions with no
    date in a column of their own.  None when there is nothing to draw."""
    versions = sorted(((r, v) for r in renderings for v in r.versions),
                      key=lambda rv: (_day(rv[1].get("published")) is None, _day(rv[1].get("published")) or datetime.date.min))
    if not versions:
        return None
    dated = [_day(v.get("published")) for _, v in versions if _day(v.get("published"))]
    first = min(dated) if dated else None
    days = (max(dated) - first).days + 1 if dated else 0
    column = PLOT_WIDTH / max(days, 1)

    def x_of(day: datetime.date) -> float:
        return LABEL_WIDTH + column * ((day - first).days + 0.5)

    rows: dict[str, dict] = {}
    for rendering, version in versions:
        name = printer(version)
        row = rows.setdefault(name, {"label": name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…",
                                     "name": name, "y": AXIS_HEIGHT + ROW_HEIGHT * (len(rows) + 0.5), "dots": []})
        day = _day(version.get("published"))
        x = x_of(day) if day else LABEL_WIDTH + PLOT_WIDTH + UNDATED_WIDTH / 2
        # Several versions of one outlet on one day sit side by side.
        x += sum(1 for d in row["dots"] if d["day"] == day) * (DOT_RADIUS * 2 + 2)
        fill, ink = colour(rendering.number)
        row["dots"].append({"x": round(x, 1), "y": row["y"], "day": day, "number": rendering.number, "fill": fill,
                            "ink": ink, "title": f"{name}, {day.isoformat() if day else 'no date'}: "
                                                 f"rendering {rendering.number}"})
    height = AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 8
    undated = any(_day(v.get("published")) is None for _, v in versions)
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + (UNDATED_WIDTH if undated else 0), "height": height,
        "plot_left": LABEL_WIDTH, "plot_right": LABEL_WIDTH + PLOT_WIDTH, "axis_y": AXIS_HEIGHT - 6,
        "ticks": _ticks(first, days, x_of) if first else [], "rows": list(rows.values()),
        "undated_x": LABEL_WIDTH + PLOT_WIDTH + UNDATED_WIDTH / 2 if undated else None,
        "dated": bool(dated), "radius": DOT_RADIUS,
        "span": (f"{_short(first)} – {_short(max(dated))} {max(dated).year}" if days > 1
                 else f"{_short(first)} {first.year}") if first else None,
    }


def day_bars(per_day: list[tuple[str, int, int]]) -> dict | None:
    """A bar per day from the first to the last day a speaker was printed, as high as the
    statements printed that day.  Quiet days show as empty columns, so a lull is seen; a gap
    longer than ``MAX_GAP`` days is one narrow break instead ("⋯ 3,856 days"), so that one
    stray old article does not squeeze the rest into hairlines."""
    counted = {_day(day): (statements, quotes) for day, statements, quotes in per_day if _day(day)}
    if not counted:
        return None
    slots: list[datetime.date | int] = []  # a day, or the length of a gap left out
    for day in sorted(counted):
        if slots:
            gap = (day - slots[-1]).days - 1
            if gap > MAX_GAP:
                slots.append(gap)
            else:
                slots.extend(slots[-1] + datetime.timedelta(d + 1) for d in range(gap))
        slots.append(day)
    column = PLOT_WIDTH / len(slots)
    top = max(statements for statements, _ in counted.values())
    scale = (BAR_CHART_HEIGHT - 20) / top
    step = max(1, -(-sum(isinstance(s, datetime.date) for s in slots) // MAX_TICKS))
    bars, breaks, ticks = [], [], []
    for i, slot in enumerate(slots):
        middle = round(40 + column * (i + 0.5), 1)
        if not isinstance(slot, datetime.date):
            breaks.append({"x": middle, "label": f"⋯ {slot:,} days"})
            continue
        statements, quotes = counted.get(slot, (0, 0))
        height = statements * scale
        bars.append({"x": round(40 + column * (i + 0.15), 1), "width": round(column * 0.7, 1),
                     "y": round(BAR_CHART_HEIGHT - height, 1), "height": round(height, 1), "statements": statements,
                     "quotes": quotes, "label_x": middle, "day": slot.isoformat(),
                     "title": f"{slot.isoformat()}: {statements} statement{'s' if statements != 1 else ''}, "
                              f"{quotes} quote{'s' if quotes != 1 else ''}"})
        if (len(bars) - 1) % step == 0:
            # The year beside the first date and wherever it changes.
            new_year = not ticks or ticks[-1]["year"] != slot.year
            ticks.append({"x": middle, "label": _short(slot) + (f" {slot.year}" if new_year else ""), "year": slot.year})
    return {"width": 40 + PLOT_WIDTH + 10, "height": BAR_CHART_HEIGHT + AXIS_HEIGHT, "base_y": BAR_CHART_HEIGHT,
            "bars": bars, "breaks": breaks, "ticks": ticks, "top": top, "top_y": BAR_CHART_HEIGHT - top * scale}
