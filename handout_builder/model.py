"""The validated model: what a leaflet says (Handout) and how it looks (Layout).

Frozen dataclasses, built only by inputs/handout.py and inputs/layout_file.py, read by every later stage.
The fields a handout or layout file holds are declared once, on the model itself (Spec, `declared`).
Lengths are in PDF points; colours are "#rrggbb" strings; dates are datetime.date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Iterator, Mapping


DEFAULT_LAYOUT = "clinic-a4"  # a handout that names no layout
# The citation syntax authors write in Markdown: [@id] or [@a; @b] (text/citations.py parses it).
CITATION = re.compile(r"\[@([A-Za-z0-9][\w:.\-]*)((?:\s*[;,]\s*@[A-Za-z0-9][\w:.\-]*)*)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][\w:.\-]*)")
# How a leaflet, or a passage of it, names its language: en, es, pt-BR.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")
# What `new --translation-of` puts before each text still in the source's language; `check` finds
# any left (checks/quality.py).
TO_TRANSLATE = "[translate]"
# A reference's month is written as (the start of) one of these (inputs/handout.py).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
MM = 72 / 25.4  # a millimetre in points
LONG = "long"  # a date format: Babel's long date in the leaflet's language (inputs/language.py)


# -- how the model is written in a file -----------------------------------------------------------

ALWAYS, WHEN_SET = "always", "when set"  # Spec.words


@dataclass(frozen=True)
class Spec:
    """How one field of the model is written in its file (a handout or a layout): declared once,
    on the field itself (`declared`), and read from there by the validators (inputs/declared.py,
    in the order declared), the glyph checks (text/document.py, the `printed` fields) and the
    text fingerprint (build/manifest.py, the `words` fields)."""

    # How its value is read: the name of a reader (inputs/declared.py: text, date, integer,
    # number, boolean, switch, choice, length, colour, text_list, items, mapping; a layout's own
    # in inputs/layout_file.py: page_size, font_file, language_fonts, date_format, date_formats).
    read: str
    # Where it is written, when not under its own name: "translation_of.handout" (a key with a dot
    # is a field of a mapping within this one; the model's REQUIRED_MAPPINGS says which must be there).
    key: str = ""
    required: bool = False  # in its mapping (for a key with a dot, once that mapping is there)
    numbers: bool = True  # text: a bare number is taken as the text it is written as
    one_allowed: bool = True  # text_list: a single text counts as a list of one
    low: float | None = None  # integer, number: the range allowed
    high: float | None = None
    item: type | None = None  # items, mapping: the model of one item or of the mapping (Section, Clinic)
    choices: tuple[str, ...] = ()  # choice: the words allowed
    needs: str = ""  # read only once this (earlier) field has a value; until then, the default
    printed: bool = False  # printed as plain text, so every character must be one the fonts can draw
    # The words a family reads, which the text fingerprint hashes: ALWAYS for the fields it has
    # hashed since manifests began (even when empty), WHEN_SET for any added since (hashed only
    # when given, so that adding a field does not make every leaflet's words look changed).
    words: str | None = None
    # A layout's field: what a change of it reaches (STORY, FURNITURE or CHECKS; EACH: a mapping
    # whose own fields say). Every field of a layout says, so that a new field cannot be
    # forgotten: build/kept_pages.py keeps a leaflet's laid-out pages across a change that does not
    # reach the story (tests/test_kept_pages.py checks every field is classified).
    reaches: str | None = None


# What a change of a layout's field reaches (Spec.reaches):
STORY = "story"  # the laid-out pages: margins, fonts, type sizes, colours, spacing... (laid out anew)
FURNITURE = "furniture"  # drawn around the laid-out story, or set on the PDF: the running header and
# footer, the viewer's settings, a booklet's imposition, the library page (the story's pages are kept)
CHECKS = "checks"  # read by `check` only, never drawn
EACH = "each"  # a mapping whose fields each say


def declared(read: str, default: object = MISSING, **spec) -> Any:
    """A field of the model that is written in its file (see Spec)."""
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
    # The language it is written in (None: English): in a leaflet in another language, a screen
    # reader reads its entry on the citation page in this one's voice (the entry's /Lang).
    language: str | None = declared("text", None, words=WHEN_SET)
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


# -- how a leaflet looks: a layout file --------------------------------------------------------
# Declared, like the handout's fields, in the order they are read, which is the order problems on
# one line are listed in.

@dataclass(frozen=True, kw_only=True)
class FontFamily:
    """A typeface's four styles as font files in fonts/; a missing style falls back to regular
    (bold italic to bold, else to italic)."""

    name: str = declared("text", required=True)
    regular: Path = declared("font_file", required=True)
    bold: Path = declared("font_file", None)  # None only while it is read: then regular's
    italic: Path = declared("font_file", None)
    bold_italic: Path = declared("font_file", None)


class Named(str):
    """A clinic's name as the layout writes it: the text printed by default, with its translations
    (language tag -> text) when the layout gives the name as a mapping of language to text."""

    translations: Mapping[str, str] = MappingProxyType({})

    def __new__(cls, default: str, translations: Mapping[str, str] | None = None):
        named = super().__new__(cls, default)
        named.translations = MappingProxyType(dict(translations or {}))
        return named

    def __reduce__(self):  # a copy for another process keeps the translations
        return Named, (str(self), dict(self.translations))

    def in_language(self, language: str) -> str | None:
        """The text in a language (pt-BR falls back to pt), or None when the layout has none."""
        for tag in (language, language.split("-")[0]):
            if tag in self.translations:
                return self.translations[tag]
        return None


@dataclass(frozen=True)
class Clinic:
    """The clinic's own details, printed in headers and footers. Each may be one text, or a
    mapping of language to text (the first the default) so a translation prints its own."""

    organisation: str = declared("named", required=True, reaches=FURNITURE)  # the header; the PDF's author
    department: str | None = declared("named", None, reaches=FURNITURE)  # the footer
    phone: str | None = declared("named", None, reaches=FURNITURE)
    web: str | None = declared("named", None, reaches=FURNITURE)
    # The country the clinic is in (ISO 3166 code: GB, IE, US): a phone number written without its
    # country code (020 7946 0000) is a number of this country, when it is made a tel: link.
    country: str | None = declared("text", None, reaches=STORY)  # the text's tel: links
    # The names a leaflet in another language printed in the default, having none of their own
    fell_back: tuple[str, ...] = ()

    def in_language(self, language: str) -> "Clinic":
        """The clinic's details as a leaflet in `language` prints them: each name in the language
        when the layout has it, else the layout's default (noted in `fell_back`, `check` warns)."""
        values, fell_back = {}, []
        for name in ("organisation", "department", "phone", "web"):
            value = getattr(self, name)
            if isinstance(value, Named) and value.translations:
                own = value.in_language(language)
                if own is None:
                    fell_back.append(name)
                values[name] = own if own is not None else str(value)
            else:
                values[name] = value
        return Clinic(**values, country=self.country, fell_back=tuple(fell_back))


def _size() -> Any:
    return declared("number", required=True, low=4, high=96)


@dataclass(frozen=True)
class TypeSizes:
    """Font sizes and line spacing in points."""

    body: float = _size()
    leading: float = _size()
    title: float = _size()
    subtitle: float = _size()
    heading: float = _size()
    subheading: float = _size()
    table: float = _size()
    references: float = _size()
    furniture: float = _size()  # page header and footer


@dataclass(frozen=True)
class Colours:
    """The colours of text, rules and tints, each "#rrggbb"."""

    text: str = declared("colour", required=True)
    accent: str = declared("colour", required=True)
    muted: str = declared("colour", required=True)
    rule: str = declared("colour", required=True)
    key_points_background: str = declared("colour", required=True)
    callout_background: str = declared("colour", required=True)
    callout_rule: str = declared("colour", required=True)
    table_header_background: str = declared("colour", required=True)
    link: str = declared("colour", required=True)


def _space() -> Any:
    return declared("number", required=True, low=0, high=144)


@dataclass(frozen=True)
class Spacing:
    """Vertical space in points."""

    paragraph: float = _space()
    section: float = _space()
    heading_after: float = _space()
    box_padding: float = _space()
    # Before and after each list, table and box, the same above and below; not written: `paragraph`.
    blocks: float | None = declared("number", None, low=0, high=144)

    @property
    def around_blocks(self) -> float:
        """The space above and below a list, a table or a box."""
        return self.paragraph if self.blocks is None else self.blocks


@dataclass(frozen=True, kw_only=True)
class Logo:
    """The clinic's logo for the running header: a PNG, JPEG or SVG file, drawn `height` tall."""

    path: Path = declared("text", key="file", required=True)  # as written, until its rule finds the file
    height: float = declared("length", 10 * MM)
    # What it shows, for screen readers (a tagged PDF's Figure); read only for a logo that passed
    # its checks (its height's rule), as it always was.
    # Written as one text, or as a mapping of language to text (the logo's name in each language
    # the clinic writes leaflets in), the first entry the default: read as the clinic's names are.
    alt: str | None = declared("named", None, needs="height")
    kind: str  # "raster" (PNG, JPEG) or "svg"
    # The file's bytes as the World read them when the layout loaded: what is checked is drawn.
    data: bytes = field(default=b"", repr=False, compare=False)

    def alt_in(self, language: str) -> str | None:
        """What a screen reader says for the logo in a leaflet in `language`: the text written
        for that language (or for its base language: pt for pt-BR), else the default."""
        if isinstance(self.alt, Named):
            return self.alt.in_language(language) or self.alt
        return self.alt

    def names_language(self, language: str) -> bool:
        """Whether the alt text is written for `language` (one text is for every language)."""
        return not isinstance(self.alt, Named) or not self.alt.translations or \
            self.alt.in_language(language) is not None


@dataclass(frozen=True, kw_only=True)
class Picture:
    """A picture a section body shows (`![alt](images/port.png)`), found and checked by
    inputs/pictures.py: a PNG or JPEG photograph or drawing, or an SVG drawing."""

    written: str  # the file as the author wrote it, e.g. "images/port.png"
    path: Path  # the file, inside the project or beside the handout
    kind: str  # "raster" (PNG, JPEG) or "svg"
    format: str  # "PNG", "JPEG" or "SVG"
    pixels: tuple[int, int] | None  # a raster's width and height in pixels
    size: tuple[float, float]  # its natural size in points: a raster at 96 pixels an inch, an SVG as it says
    # WCAG contrast ratio between its darkest and lightest parts (a raster's 2nd and 98th
    # percentiles of luminance); None for an SVG
    contrast: float | None
    # The file's bytes as the World read them: what is checked is drawn.
    data: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True, kw_only=True)
class Layout:
    """How every leaflet built with it looks: page, type, colour and the clinic's details."""

    name: str
    file: str
    # width, height
    page_size: tuple[float, float] = declared("page_size", key="page.size", required=True, reaches=STORY)
    margin_top: float = declared("length", key="page.margin_top", required=True, reaches=STORY)
    margin_bottom: float = declared("length", key="page.margin_bottom", required=True, reaches=STORY)
    margin_left: float = declared("length", key="page.margin_left", required=True, reaches=STORY)
    margin_right: float = declared("length", key="page.margin_right", required=True, reaches=STORY)
    clinic: Clinic = declared("mapping", required=True, item=Clinic, reaches=EACH)
    body_font: FontFamily = declared("mapping", key="fonts.body", required=True, item=FontFamily, reaches=STORY)
    fallback_fonts: tuple[FontFamily, ...] = declared("items", (), key="fonts.fallbacks", item=FontFamily,
                                                    reaches=STORY)
    # A language whose leaflets have their own body font (Chinese, Arabic); the layout's body
    # font and fallbacks then follow it as fallbacks.
    language_fonts: tuple[tuple[str, FontFamily], ...] = declared("language_fonts", (), key="fonts.languages",
                                                                  item=FontFamily, reaches=STORY)
    sizes: TypeSizes = declared("mapping", required=True, item=TypeSizes, reaches=STORY)
    spacing: Spacing = declared("mapping", required=True, item=Spacing, reaches=STORY)
    colours: Colours = declared("mapping", required=True, item=Colours, reaches=STORY)
    # date_format is one format for every language, or a mapping: the date format for leaflets in
    # a language (language tag -> pattern or "long"), a language not named there using "long".
    date_format: str = declared("date_format", LONG, reaches=STORY)
    date_formats: tuple[tuple[str, str], ...] = declared("date_formats", (), key="date_format", reaches=STORY)
    # languages whose long words may be split (pyphen)
    hyphenation: tuple[str, ...] = declared("text_list", (), reaches=STORY)
    # a warning on every page of an overdue leaflet
    review_overdue_notice: bool = declared("boolean", False, reaches=STORY)
    # the last page says who approved the words, and when
    print_approval: bool = declared("boolean", False, reaches=STORY)
    # of body text: ragged right or justified
    alignment: str = declared("choice", "left", choices=("left", "justify"), reaches=STORY)
    # the grade to write for; None: the checks'
    reading_grade: float | None = declared("number", None, low=1, high=20, reaches=CHECKS)
    # *emphasis*; bold: Clear Print
    emphasis: str = declared("choice", "italic", choices=("italic", "bold"), reaches=STORY)
    # ruled: a border, no text over a tint
    boxes: str = declared("choice", "shaded", choices=("shaded", "ruled"), reaches=STORY)
    # narrower: a block a row
    table_min_column: float = declared("length", 56.7, key="tables.min_column", reaches=STORY)
    # the QR code to the online version, a side
    qr_size: float = declared("length", 70.9, key="qr_code.size", reaches=STORY)
    # viewers show the title, not the file name
    show_title: bool = declared("switch", True, key="viewer.show_title", reaches=FURNITURE)
    # with the bookmarks panel showing
    open_bookmarks: bool = declared("switch", False, key="viewer.open_bookmarks", reaches=FURNITURE)
    # Phone numbers in the text are tel: links (layouts read on phones), to the number in E.164
    # (+442079460000), the clinic's country (clinic.country) supplying the code a number lacks.
    phone_links: bool = declared("boolean", False, key="links.phone", needs="clinic", reaches=STORY)
    # The landscape sheet the pages are imposed on (a booklet): read only once the page size is right.
    booklet_sheet: tuple[float, float] | None = declared("page_size", None, key="page.booklet", needs="page_size",
                                                          reaches=FURNITURE)
    logo: Logo | None = declared("mapping", None, item=Logo, reaches=FURNITURE)
    # a tagged PDF (PDF/UA-1) for screen readers
    tagged: bool = declared("boolean", True, key="accessibility.tagged", reaches=STORY)
    # Pictures in section bodies (`![alt](file)`): the share of the column a picture fills unless
    # it asks for less ({width=50%}), in percent; how wide a picture set beside the text that
    # starts with it is (Easy Read's rows); the most pixels an inch kept (None: all; larger
    # pictures are downsampled, for e-mail); the least contrast `check` accepts (None: not checked).
    picture_width: float = declared("number", 100, key="pictures.width", low=10, high=100, reaches=STORY)
    picture_beside: float = declared("length", 20 * MM, key="pictures.beside_text", reaches=STORY)
    picture_max_dpi: float | None = declared("number", None, key="pictures.max_dpi", low=72, high=1200, reaches=STORY)
    picture_min_contrast: float | None = declared("number", None, key="pictures.min_contrast", low=1, high=21,
                                                  reaches=CHECKS)
    # Writing rules of the layout's readers (Easy Read: a sentence of at most 15 words, one
    # sentence a paragraph); None: the usual checks only.
    sentence_words: int | None = declared("integer", None, key="writing.sentence_words", low=3, high=100,
                                            reaches=CHECKS)
    paragraph_sentences: int | None = declared("integer", None, key="writing.paragraph_sentences", low=1, high=50,
                                                 reaches=CHECKS)
    # The library page (build/library.py): what its PDFs are for, in the clinic's words ("Large
    # print"; None: the layout's name), and whether an e-mail draft is written beside each one.
    library_label: str | None = declared("text", None, key="library.label", reaches=FURNITURE)
    email_draft: bool = declared("boolean", False, key="library.email_draft", reaches=FURNITURE)
    # field path -> line, and -> the file it was written in (this one or a layout it extends),
    # for findings about the layout
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    origins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    # Mappings of the layout file that must be written even though no field of the model is
    # named after them (their fields are declared with keys such as "page.size").
    REQUIRED_MAPPINGS: ClassVar[tuple[str, ...]] = ("page", "fonts")

    @property
    def page_width(self) -> float:
        return self.page_size[0]

    @property
    def page_height(self) -> float:
        return self.page_size[1]

    def where(self, field_path: str) -> tuple[str, int | None]:
        """The file and line where a field's value was written, for a finding about it."""
        origin = next((self.origins[path] for path in enclosing(field_path) if path in self.origins), self.file)
        return origin, self.lines.get(field_path)


def classified(model: type) -> dict[str, str]:
    """{field: what a change of it reaches} for each declared field of a layout's model (Layout,
    or the item of a field that reaches EACH); ValueError naming a field that does not say."""
    out = {}
    for name, spec, _ in declarations(model):
        if spec.reaches not in (STORY, FURNITURE, CHECKS, EACH) or (spec.reaches == EACH and not spec.item):
            raise ValueError(f"{model.__name__}.{name} must say what a change of it reaches (Spec.reaches)")
        out[name] = spec.reaches
    return out


def story_view(layout: "Layout") -> "Layout":
    """The layout as a leaflet's story sees it: each field that reaches only the furniture or the
    checks (Spec.reaches) blank, and no lines or origins. Two layouts with the same view lay a
    leaflet's story out on the same pages (build/kept_pages.py keys the kept pages by it)."""

    def view(value, model: type):
        items = {name: spec.item for name, spec, _ in declarations(model)}
        blank = {}
        for name, reaches in classified(model).items():
            if reaches in (FURNITURE, CHECKS):
                blank[name] = None
            elif reaches == EACH and getattr(value, name) is not None:
                blank[name] = view(getattr(value, name), items[name])
        return replace(value, **blank)

    return replace(view(layout, Layout), lines=MappingProxyType({}), origins=MappingProxyType({}))
