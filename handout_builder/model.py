"""The validated model: what a leaflet says (Handout) and how it looks (Layout).

Frozen dataclasses, built only by `handout.py` and `layout.py`, read by every later stage.
Lengths are in PDF points; colours are "#rrggbb" strings; dates are datetime.date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping


DEFAULT_LAYOUT = "clinic-a4"  # a handout that names no layout
# How a leaflet, or a passage of it, names its language: en, es, pt-BR.
# The citation syntax authors write in Markdown: [@id] or [@a; @b] (text/citations.py parses it).
CITATION = re.compile(r"\[@([A-Za-z0-9][\w:.\-]*)((?:\s*[;,]\s*@[A-Za-z0-9][\w:.\-]*)*)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][\w:.\-]*)")
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")


@dataclass(frozen=True)
class Reference:
    """One published source, formatted in Vancouver style on the citation page."""

    id: str
    title: str
    authors: tuple[str, ...] = ()
    journal: str | None = None
    publisher: str | None = None
    year: int | None = None
    month: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    accessed: dt.date | None = None
    note: str | None = None
    field: str = ""  # where it is in the handout, e.g. "references[2]"


@dataclass(frozen=True)
class Section:
    """A heading and its Markdown body."""

    heading: str
    body: str
    field: str  # e.g. "sections[2]"


@dataclass(frozen=True)
class Handout:
    """One patient-information leaflet, as its authors wrote it."""

    file: str  # as shown to the author, e.g. "handouts/x.yaml"
    stem: str
    title: str
    version: str
    reviewed: dt.date
    sections: tuple[Section, ...]
    subtitle: str | None = None
    review_due: dt.date | None = None
    language: str = "en"
    layout: str = DEFAULT_LAYOUT
    authors: tuple[str, ...] = ()
    contact: str | None = None
    summary: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    keywords: tuple[str, ...] = ()
    draft: bool = False  # not yet approved: "DRAFT" on every page, publication checks only warn
    reading_grade: float | None = None  # the school grade to write for; None: the layout's
    url: str | None = None  # the online version, printed as a QR code on the last page
    translation_of: str | None = None  # a translation: the source handout's stem (its file name in the same folder)
    translated_version: str | None = None  # and the source's version it was translated from
    # field path -> the 1-based line where its text starts, for problems found by later stages
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def line_of(self, field: str) -> int | None:
        """The line of a field, or of the nearest enclosing field that has one."""
        while field:
            if field in self.lines:
                return self.lines[field]
            cut = max(field.rfind("."), field.rfind("["))
            field = field[:cut] if cut > 0 else ""
        return None


@dataclass(frozen=True)
class FontFamily:
    """A typeface's four styles as font files; a missing style falls back to regular."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Clinic:
    """The clinic's own details, printed in headers and footers."""

    organisation: str
    department: str | None = None
    phone: str | None = None
    web: str | None = None


@dataclass(frozen=True)
class TypeSizes:
    """Font sizes and line spacing in points."""

    body: float
    leading: float
    title: float
    subtitle: float
    heading: float
    subheading: float
    table: float
    references: float
    furniture: float  # page header and footer


@dataclass(frozen=True)
class Colours:
    text: str
    accent: str
    muted: str
    rule: str
    key_points_background: str
    callout_background: str
    callout_rule: str
    table_header_background: str
    link: str


@dataclass(frozen=True)
class Spacing:
    """Vertical space in points."""

    paragraph: float
    section: float
    heading_after: float
    box_padding: float


@dataclass(frozen=True)
class Logo:
    """The clinic's logo for the running header: a PNG, JPEG or SVG file, drawn `height` tall."""

    path: Path
    height: float
    kind: str  # "raster" (PNG, JPEG) or "svg"
    alt: str | None = None  # what it shows, for screen readers (a tagged PDF's Figure)
    # The file's bytes as the World read them when the layout loaded: what is checked is drawn.
    data: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class Layout:
    """How every leaflet built with it looks: page, type, colour and the clinic's details."""

    name: str
    file: str
    page_width: float
    page_height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    clinic: Clinic
    body_font: FontFamily
    fallback_fonts: tuple[FontFamily, ...]
    sizes: TypeSizes
    colours: Colours
    spacing: Spacing
    date_format: str = "{day} {month_name} {year}"
    review_overdue_notice: bool = False  # print a warning on every page of an overdue leaflet
    alignment: str = "left"  # of body text: "left" (ragged right) or "justify"
    reading_grade: float | None = None  # the school grade to write for; None: the checks' default
    # field path -> line, and -> the file it was written in (this one or a layout it extends),
    # for findings about the layout
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    origins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    emphasis: str = "italic"  # how *emphasis* prints: "italic" or "bold" (Clear Print)
    boxes: str = "shaded"  # "shaded" boxes, or "ruled" (a border, no text over a tint)
    table_min_column: float = 56.7  # narrower columns and a table is printed a block a row
    logo: Logo | None = None
    qr_size: float = 70.9  # the QR code to the online version, a side
    booklet_sheet: tuple[float, float] | None = None  # landscape sheet the pages are imposed on
    show_title: bool = True  # viewers show the title, not the file name
    open_bookmarks: bool = False  # viewers open with the bookmarks panel showing
    # The date format for leaflets in a language (language tag -> pattern or "long"); a language
    # not named here uses date_format.
    date_formats: tuple[tuple[str, str], ...] = ()
    # A language whose leaflets have their own body font (Chinese, Arabic); the layout's body
    # font and fallbacks then follow it as fallbacks.
    language_fonts: tuple[tuple[str, FontFamily], ...] = ()
    hyphenation: tuple[str, ...] = ()  # languages whose long words may be split at line ends (pyphen)
    tagged: bool = True  # a tagged PDF (PDF/UA-1) that screen readers can follow

    def where(self, field_path: str) -> tuple[str, int | None]:
        """The file and line where a field's value was written, for a finding about it."""
        path = field_path
        while path and path not in self.origins:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.origins.get(path, self.file), self.lines.get(field_path)

    def format_date(self, day: dt.date) -> str:
        """A date as this layout prints it, e.g. "1 November 2026"."""
        return self.date_format.format(day=day.day, month_name=MONTH_NAMES[day.month - 1], year=day.year)


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
