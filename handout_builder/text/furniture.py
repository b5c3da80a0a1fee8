"""The running header and footer: what they say, and whether it fits on one line of the page.

The header and footer are single lines drawn at a fixed place on every page, so what they say
must fit: the clinic's organisation in the header, its department, phone and web address in the
footer, and the leaflet's version and review date beside "Page N of M". Anything too long is
refused by name here (the text stage, so `check` finds it too) rather than running off the page or
being cut short. The leaflet's title alone may be shortened with "…" in the header: it is printed
whole at the top of page one. Widths are measured from the font files' tables (fonts/cmap.py), as
ReportLab measures them.
"""
from __future__ import annotations

import re

from ..fonts.cmap import metrics
from ..errors import Problem
from ..fonts.fontset import FontSet
from ..inputs.language import Wording
from ..model import Handout, Layout

SEPARATOR = " \u00b7 "
GAP = 24  # points between the two things sharing a header or footer line
ORGANISATION_SHARE = 0.6  # of the header line; the rest is for the title


def one_line(text: str) -> str:
    """Text as a header or footer draws it: runs of spaces, tabs and line breaks become one
    space, as in a paragraph (the canvas would draw a line break as an empty box)."""
    return re.sub(r"[^\S\u00a0\u2007\u202f]+", " ", text).strip()  # every space but the no-break ones


def details(layout: Layout) -> str:
    """The footer's first line: the clinic's department, phone and web address."""
    clinic = layout.clinic
    return SEPARATOR.join(one_line(p) for p in (clinic.department, clinic.phone, clinic.web) if p)


def edition(handout: Handout, words: Wording) -> str:
    """The footer's second line, before "Page N of M", in the leaflet's language."""
    return words.say("footer_edition", version=one_line(handout.version), reviewed=words.date(handout.reviewed))


def widest_page_label(words: Wording) -> str:
    """"Page N of M" as wide as it can get, in the leaflet's language: limits.py keeps a leaflet
    to about 500 pages, so three digits each."""
    return words.say("page_of", page=words.number(999), pages=words.number(999))


def text_width(fonts: FontSet, text: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of text drawn with the layout's fonts (and fallbacks)."""
    total = 0.0
    for family, run in fonts.runs(text):
        advances, units = fonts.world.derived((family.bold if bold else family.regular,), metrics)
        total += sum(advances.get(ord(char), 0) for char in run) * size / units
    return total


def furniture_problems(handout: Handout, layout: Layout, fonts: FontSet, words: Wording) -> list[Problem]:
    """What is too long for the running header or footer, naming the field to shorten."""
    size = layout.sizes.furniture
    line = layout.page_width - layout.margin_left - layout.margin_right
    clinic = layout.clinic
    problems: list[Problem] = []

    def width(text: str, bold: bool = False) -> float | None:
        return None if fonts.missing(text) else text_width(fonts, one_line(text), size, bold)  # refused already

    def too_long(file: str, line_no: int | None, field: str, where: str, over: float) -> None:
        mm = over * 25.4 / 72
        by = f"{mm:.0f} mm" if mm >= 1 else "less than 1 mm"
        problems.append(Problem(file, line_no, field, f"too long for the {where} by {by} "
                                "(it must fit on one line of the page); shorten it"))

    organisation = width(clinic.organisation, bold=True)
    if organisation and organisation > line * ORGANISATION_SHARE:
        too_long(layout.file, None, "clinic.organisation", "header", organisation - line * ORGANISATION_SHARE)

    footer = width(details(layout))
    if footer and footer > line:
        longest = max(("department", "phone", "web"), key=lambda name: len(getattr(clinic, name) or ""))
        too_long(layout.file, None, f"clinic.{longest}", "footer", footer - line)

    used = width(edition(handout, words))
    label = width(widest_page_label(words), bold=True)  # None: the document stage names what is missing
    room = line - GAP - (label or 0)
    if used and label and used > room:
        if len(one_line(handout.version)) > 20:
            too_long(handout.file, handout.line_of("version"), "version", "footer", used - room)
        else:
            too_long(layout.file, None, "date_format", "footer", used - room)
    return problems
