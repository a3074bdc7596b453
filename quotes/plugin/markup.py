"""HTML fragments the pages need that a template cannot express: a variant marked word by word
against its group's representative, and an article's text with its quotes highlighted."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..alignment import Step

# Text marks beside <del>/<ins>, so the differences read without colour or strike-through.
DELETED = Markup('<del title="in the representative text, not in this version">'
                 '<span class="mark" aria-hidden="true">[−</span>{}<span class="mark" aria-hidden="true">]</span></del>')
INSERTED = Markup('<ins title="in this version, not in the representative text">'
                  '<span class="mark" aria-hidden="true">[+</span>{}<span class="mark" aria-hidden="true">]</span></ins>')
UNQUOTED = Markup('<span class="unquoted" title="the rest of the representative text, which this version does not quote">'
                  '… {} more words of the representative not quoted here …</span>')


def aligned_html(steps: list[Step]) -> Markup:
    """A variant as a run of words, with what differs from the representative marked.

    Words of the representative before the first and after the last word this version carries
    are summarised as a count: a fragment quotes part of a statement, it does not delete the rest.
    """
    carried = [i for i, s in enumerate(steps) if s.op != "delete"]
    if not carried:
        return Markup(" ").join(DELETED.format(s.representative) for s in steps)
    first, last = carried[0], carried[-1]
    parts: list[Markup] = []
    if first:
        parts.append(UNQUOTED.format(sum(len(s.representative.split()) for s in steps[:first])))
    for step in steps[first : last + 1]:
        if step.op == "equal":
            parts.append(escape(step.variant))
        elif step.op == "substitute":
            parts.append(Markup('<span class="changed">{}{}</span>').format(
                DELETED.format(step.representative), INSERTED.format(step.variant)))
        elif step.op == "delete":
            parts.append(DELETED.format(step.representative))
        else:
            parts.append(INSERTED.format(step.variant))
    if last < len(steps) - 1:
        parts.append(UNQUOTED.format(sum(len(s.representative.split()) for s in steps[last + 1 :])))
    return Markup(" ").join(parts)


@dataclass(frozen=True)
class Highlight:
    """A span of an article to mark: a quote (linked to its row and group) or a speaker mention."""

    start: int
    end: int
    css_class: str
    href: str
    title: str
    group_href: str | None = None


def highlighted_text(text: str, highlights: list[Highlight]) -> Markup:
    """The article text with each highlight wrapped in a link; a span overlapping an earlier
    one is left unmarked rather than nested."""
    parts: list[Markup] = []
    position = 0
    for h in sorted(highlights, key=lambda h: (h.start, -h.end)):
        if h.start < position or h.end > len(text) or h.start >= h.end:
            continue
        parts.append(escape(text[position : h.start]))
        parts.append(Markup('<a class="{}" href="{}" title="{}">{}</a>').format(
            h.css_class, h.href, h.title, text[h.start : h.end]))
        if h.group_href:
            parts.append(Markup('<a class="group-link" href="{}" title="every version of this quote">'
                                '<sup>[variants]</sup></a>').format(h.group_href))
        position = h.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
