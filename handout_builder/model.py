"""The validated model: what a leaflet says (Handout) and how it looks (Layout).

Frozen dataclasses, built only by inputs/handout.py and inputs/layout_file.py, read by every later stage.
The fields a handout file holds are declared on the model itself (Spec, `declared`).
Lengths are in PDF points; colours are "#rrggbb" strings; dates are datetime.date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Iterator, Mapping


DEFAULT_LAYOUT = "clinic-a4"  # a handout that names no layout
# The citation syntax authors write in Markdown: [@id] or [@a; @b] (text/citations.py parses it).
CITATION = re.compile(r"\[@([A-Za-z0-9][\w:.\-]*)((?:\s*[;,]\s*@[A-Za-z0-9][\w:.\-]*)*)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][\w:.\-]*)")
# How a leaflet, or a passage of it, names its language: en, es, pt-BR.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# A reference's month is written as (the start of) one of these (inputs/handout.py).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


# -- how the model is written in a handout file --------------------------------------------------

ALWAYS, WHEN_SET = "always", "when set"  # Spec.words


@dataclass(frozen=True)
class Spec:
    """How one field of the model is written in a handout file: declared once, on the field
    itself (`declared`), and read from there by the validator (inputs/handout.py, in the order
    declared), the glyph checks (text/document.py, the `printed` fields) and the text
    fingerprint (build/manifest.py, the `words` fields)."""

    read: str  # how its value is read (inputs/fields.py): text, date, integer, number, boolean, text_list, items
    key: str = ""  # where it is written, when not under its own name: "translation_of.handout"
    required: bool = False  # in its mapping (for a key with a dot, once that mapping is there)
    numbers: bool = True  # text: a bare number is taken as the text it is written as
    one_allowed: bool = True  # text_list: a single text counts as a list of one
    low: float | None = None  # integer, number: the range allowed
    high: float | None = None
    item: type | None = None  # items: the model of one item of the list (Section, Reference)
    printed: bool = False  # printed as plain text, so every character must be one the fonts can draw
    # The words a family reads, which the text fingerprint hashes: ALWAYS for the fields it has
    # hashed since manifests began (even when empty), WHEN_SET for any added since (hashed only
    # when given, so that adding a field does not make every leaflet's words look changed).
    words: str | None = None


def declared(read: str, default: object = MISSING, **spec) -> Any:
    """A field of the model that is written in the handout file (see Spec)."""
    metadata = {"spec": Spec(read, **spec)}
    return field(metadata=metadata) if default is MISSING else field(default=default, metadata=metadata)


def declarations(model: type) -> list[tuple[str, Spec, object]]:
    """(name, Spec, default or dataclasses.MISSING) of each declared field of a model class, in
    the order declared."""
    return [(f.name, f.metadata["spec"], f.default) for f in fields(model) if "spec" in f.metadata]


# The fields are declared in the order they are read, so problems on the same line (fields
# missing from one mapping) are listed in that order.

@dataclass(frozen=True, kw_only=True)
class Reference:
    """One published source, formatted in Vancouver style on the citation page."""

    id: str = declared("text", required=True, words=ALWAYS)  # not printed, but hashed since manifests began
    title: str = declared("text", required=True, printed=True, words=ALWAYS)
    year: int | None = declared("integer", None, low=1800, high=2200, words=ALWAYS)
    month: str | None = declared("text", None, printed=True, words=ALWAYS)
    doi: str | None = declared("text", None, printed=True, words=ALWAYS)
    pmid: str | None = declared("text", None, printed=True, words=ALWAYS)
    url: str | None = declared("text", None, printed=True, words=ALWAYS)
    authors: tuple[str, ...] = declared("text_list", (), printed=True, words=ALWAYS)
    journal: str | None = declared("text", None, printed=True, words=ALWAYS)
    publisher: str | None = declared("text", None, printed=True, words=ALWAYS)
    volume: str | None = declared("text", None, printed=True, words=ALWAYS)
    issue: str | None = declared("text", None, printed=True, words=ALWAYS)
    pages: str | None = declared("text", None, printed=True, words=ALWAYS)
    accessed: dt.date | None = declared("date", None, words=ALWAYS)
    note: str | None = declared("text", None, printed=True, words=ALWAYS)
    field: str = ""  # where it is in the handout, e.g. "references[2]"


@dataclass(frozen=True, kw_only=True)
class Section:
    """A heading and its Markdown body."""

    heading: str = declared("text", required=True, printed=True, words=ALWAYS)
    body: str = declared("text", required=True, words=ALWAYS)  # Markdown: text/walk.py reads it
    field: str  # e.g. "sections[2]"
    # The text fingerprint has hashed a section as [heading, body] since manifests began.
    WORDS_AS_ROW: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class Handout:
    """One patient-information leaflet, as its authors wrote it."""

    file: str  # as shown to the author, e.g. "handouts/x.yaml"
    stem: str
    title: str = declared("text", required=True, printed=True, words=ALWAYS)
    version: str = declared("text", required=True, numbers=False, printed=True)
    reviewed: dt.date = declared("date", required=True)
    review_due: dt.date | None = declared("date", None)
    language: str = declared("text", "en")
    layout: str = declared("text", DEFAULT_LAYOUT)
    sections: tuple[Section, ...] = declared("items", required=True, item=Section, words=ALWAYS)
    references: tuple[Reference, ...] = declared("items", (), item=Reference, words=ALWAYS)
    url: str | None = declared("text", None, printed=True)  # the online version, printed as a QR code on the last page
    # A translation: the source handout's stem (its file name in the same folder), and the
    # source's version it was translated from.
    translation_of: str | None = declared("text", None, key="translation_of.handout", required=True)
    translated_version: str | None = declared("text", None, key="translation_of.version", required=True,
                                              numbers=False)
    subtitle: str | None = declared("text", None, printed=True, words=ALWAYS)
    authors: tuple[str, ...] = declared("text_list", (), printed=True, words=ALWAYS)
    contact: str | None = declared("text", None, words=ALWAYS)  # Markdown: text/walk.py reads it
    summary: tuple[str, ...] = declared("text_list", (), one_allowed=False, words=ALWAYS)  # Markdown too
    keywords: tuple[str, ...] = declared("text_list", ())
    draft: bool = declared("boolean", False)  # not yet approved: "DRAFT" on every page, publication checks only warn
    reading_grade: float | None = declared("number", None, low=1, high=20)  # the grade to write for; None: the layout's
    # field path -> the 1-based line where its text starts, for problems found by later stages
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def line_of(self, field: str) -> int | None:
        """The line of a field, or of the nearest enclosing field that has one."""
        return next((self.lines[path] for path in enclosing(field) if path in self.lines), None)


def enclosing(path: str) -> Iterator[str]:
    """A field path and the paths that hold it, innermost first: "sections[2].body",
    "sections[2]", "sections"."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


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
    # The library page (build/library.py): what its PDFs are for, in the clinic's words ("Large
    # print"; None: the layout's name), and whether an e-mail draft is written beside each one.
    library_label: str | None = None
    email_draft: bool = False

    def where(self, field_path: str) -> tuple[str, int | None]:
        """The file and line where a field's value was written, for a finding about it."""
        origin = next((self.origins[path] for path in enclosing(field_path) if path in self.origins), self.file)
        return origin, self.lines.get(field_path)

