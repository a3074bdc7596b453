"""HTML fragments the pages need that a template cannot express: a variant marked word by word
against its group's representative, an article's text with its quotes highlighted, and a
template filled with escaped values cheaply enough for every cell of a page."""
from __future__ import annotations

from dataclasses import dataclass

from datasette.utils import PrefixedUrlString
from markupsafe import Markup, escape

from ..alignment import Step, quoted_span

# Text marks beside <del>/<ins>, so the differences read without colour or strike-through.
DELETED = Markup('<del title="in the representative version, not in this one">'
                 '<span class="mark" aria-hidden="true">[−</span>{}<span class="mark" aria-hidden="true">]</span></del>')
INSERTED = Markup('<ins title="in this version, not in the representative one">'
                  '<span class="mark" aria-hidden="true">[+</span>{}<span class="mark" aria-hidden="true">]</span></ins>')
UNQUOTED = Markup('<span class="unquoted" title="the rest of the representative version, which this version does not quote">'
                  '… {} more words of the representative version, not quoted here …</span>')


def html(template: str, *values) -> Markup:
    """``template`` with each value escaped: the same as ``Markup(template).format(*values)``
    at a third of the cost (markupsafe's formatter is slow, and a page formats hundreds).  A
    URL is escaped as a plain string: Datasette's URLs are a str subclass that lists
    ``dir(str)`` on each method call escaping makes."""
    return Markup(template.format(*(escape(str(value) if type(value) is PrefixedUrlString else value)
                                    for value in values)))


def aligned_html(steps: list[Step]) -> Markup:
    """A variant as a run of words, with what differs from the representative marked; the
    representative's words outside the part the variant quotes are summarised as a count."""
    before, span, after = quoted_span(steps)
    parts: list[Markup] = [UNQUOTED.format(before)] if before else []
    for step in span:
        if step.op == "equal":
            parts.append(escape(step.variant))
        elif step.op == "substitute":
            parts.append(Markup('<span class="changed">{}{}</span>').format(
                DELETED.format(step.representative), INSERTED.format(step.variant)))
        elif step.op == "delete":
            parts.append(DELETED.format(step.representative))
        else:
            parts.append(INSERTED.format(step.variant))
    if after:
        parts.append(UNQUOTED.format(after))
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
    versions: int = 1  # how many versions the quote's group has
    anchor: str | None = None  # element id, so other pages can link to this spot of the article


def highlighted_text(text: str, highlights: list[Highlight]) -> Markup:
    """The article text with each highlight wrapped in a link; a span overlapping an earlier
    one is left unmarked rather than nested."""
    parts: list[Markup] = []
    position = 0
    for h in sorted(highlights, key=lambda h: (h.start, -h.end)):
        if h.start < position or h.end > len(text) or h.start >= h.end:
            continue
        parts.append(escape(text[position : h.start]))
        anchor = Markup(' id="{}"').format(h.anchor) if h.anchor else ""
        parts.append(Markup('<a class="{}"{} href="{}" title="{}">{}</a>').format(
            h.css_class, anchor, h.href, h.title, text[h.start : h.end]))
        if h.group_href:
            parts.append(Markup('<a class="group-link" href="{}" title="every version of this statement">'
                                '<sup>[{} version{}]</sup></a>').format(h.group_href, h.versions,
                                                                       "" if h.versions == 1 else "s"))
        position = h.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
