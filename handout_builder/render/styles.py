"""Paragraph styles for one layout: every font, size, colour and space comes from the Layout.

Hyphenation is off and text is ragged right (Clear Print), which also keeps extracted text whole;
a layout may ask for `alignment: justify`, which `check` warns about, and may turn hyphenation on
for some languages (`hyphenation: [de]`, pyphen's patterns). The leaflet's language decides the
rest: its body font (the layout's `fonts.languages`), where lines may break (between any two
characters in Chinese) and, for Arabic and other right-to-left languages, shaping, direction and
right alignment.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..fonts.fontset import face_name
from ..model import FontFamily, Layout


@dataclass(frozen=True)
class Styles:
    """The named paragraph styles a leaflet uses."""

    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    box_heading: ParagraphStyle
    list_item: ParagraphStyle
    table_cell: ParagraphStyle
    table_header: ParagraphStyle
    reference: ParagraphStyle
    small: ParagraphStyle
    font: str  # body font name, for tables and list bullets
    bold_font: str


def make_styles(layout: Layout, body: FontFamily | None = None, words=None) -> Styles:
    """Build the paragraph styles for a layout, for a leaflet whose body font is `body` (default:
    the layout's) and whose language's wording is `words` (a language.Wording; default English)."""
    sizes, colours, spacing = layout.sizes, layout.colours, layout.spacing
    body = body or layout.body_font
    font = body.name
    bold = face_name(body, "bold")
    ratio = sizes.leading / sizes.body
    language = words.language if words is not None else "en"
    right_to_left = bool(words is not None and words.right_to_left)
    hyphenate = language in layout.hyphenation or language.split("-")[0] in layout.hyphenation
    base = ParagraphStyle(
        "body", fontName=font, fontSize=sizes.body, leading=sizes.leading,
        alignment=TA_JUSTIFY if layout.alignment == "justify" else TA_RIGHT if right_to_left else TA_LEFT,
        textColor=HexColor(colours.text), spaceAfter=spacing.paragraph,
        hyphenationLang=language.replace("-", "_") if hyphenate else "",
        embeddedHyphenation=1 if hyphenate else 0, uriWasteReduce=0, splitLongWords=1, linkUnderline=0,
        bulletFontName=font, allowWidows=0, allowOrphans=0,
        # Every text is laid out by shaped.py, which reads the sizes, leading, indents, alignment and
        # hyphenationLang; where lines break is its own (UAX #14 and the clinic's rules) in every
        # language, so the catalogue's `line_breaks: characters` only names the style here.
        wordWrap="CJK" if words is not None and words.line_breaks == "characters" else None,
    )

    def derived(name: str, size: float, balance: bool = False, **changes) -> ParagraphStyle:
        changes.setdefault("leading", round(size * ratio, 1))
        style = ParagraphStyle(name, parent=base, fontSize=size, **changes)
        style.balance = balance  # shaped.py evens out a title's or heading's lines: no lone last word
        return style

    accent = HexColor(colours.accent)
    return Styles(
        body=base,
        title=derived("title", sizes.title, balance=True, fontName=bold, textColor=accent,
                      leading=round(sizes.title * 1.2, 1), spaceAfter=spacing.heading_after),
        subtitle=derived("subtitle", sizes.subtitle, textColor=HexColor(colours.muted),
                         spaceAfter=spacing.section),
        heading=derived("heading", sizes.heading, balance=True, fontName=bold, textColor=accent, keepWithNext=1,
                        leading=round(sizes.heading * 1.3, 1), spaceBefore=spacing.section,
                        spaceAfter=spacing.heading_after),
        subheading=derived("subheading", sizes.subheading, balance=True, fontName=bold, keepWithNext=1,
                           spaceBefore=spacing.paragraph, spaceAfter=spacing.heading_after / 2),
        box_heading=derived("box_heading", sizes.subheading, balance=True, fontName=bold, textColor=accent,
                            keepWithNext=1, spaceAfter=spacing.heading_after / 2),
        list_item=derived("list_item", sizes.body, spaceAfter=spacing.paragraph / 2),
        table_cell=derived("table_cell", sizes.table, spaceAfter=0),
        table_header=derived("table_header", sizes.table, fontName=bold, spaceAfter=0),
        reference=derived("reference", sizes.references, spaceAfter=spacing.paragraph),
        small=derived("small", sizes.references, textColor=HexColor(colours.muted)),
        font=font,
        bold_font=bold,
    )
