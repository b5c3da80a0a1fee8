"""Shaped text: our own line layout for text ReportLab cannot print as written.

ReportLab's Paragraph prints Latin, Greek, Cyrillic and Chinese well, but not the scripts whose
letters change shape and order as they join (Arabic, Urdu, Hebrew, Bengali, Devanagari, Gurmukhi,
Gujarati, Tamil...): with shaping on it lays Arabic words out left to right, Nastaliq does not
join, and Indic text extracts to private-use codes. `ShapedParagraph` is a Paragraph (so the
story, marking, tables and lists treat it as one) that lays out its own lines:

1. the paragraph's text, logical order, with each character's style (font, size, colour, link)
   from ReportLab's parse of the markup (`frags`);
2. bidi levels for every character (UAX #9, python-bidi), the paragraph's direction from its
   first strong letter, else the leaflet's;
3. where a line may break (`break_opportunities`: after spaces, between Chinese characters,
   URLs after "/" and before "?" "&"), with the units that must stay whole glued
   (`WHOLE`: phone numbers, citation groups, dates, doses with units, "PMID: 9400508");
4. each word shaped once with uharfbuzz, cached by font, text and direction (`shape`);
5. lines filled greedily on shaped widths; each line's runs reordered (UAX #9 L2);
6. glyphs drawn by id, each line inside `/Span <</ActualText (...)>> BDC ... EMC` with its
   logical text and a space where the line broke, so pdf.js, PDFium and Poppler read the source.

Glyphs are drawn by two-byte code in the document's own Type0 / Identity-H font for each font
(embedding.py), whose ToUnicode map gives each glyph the text of the cluster it was drawn for.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from .embedding import fonts_of
from .reportlab_seam import harfbuzz_face

# -- which text needs this engine -----------------------------------------------------------------

# Scripts whose letters join, reorder or stack: ReportLab cannot print or extract them as written.
_COMPLEX = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew, Arabic, Syriac, Thaana, NKo, Arabic forms
    "\u0900-\u0dff"  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"  # Thai, Lao, Myanmar, Khmer
)


def needs_shaping(text: str) -> bool:
    """Whether text holds letters of a script only this engine prints right."""
    return bool(_COMPLEX.search(text))


def first_strong(text: str) -> str | None:
    """'rtl' or 'ltr': the direction of text's first letter of a strong direction (UAX #9 P2),
    or None when it has none (digits and punctuation only)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


# -- bidi levels ----------------------------------------------------------------------------------

def bidi_levels(text: str, right_to_left: bool) -> list[int]:
    """The embedding level of each character of `text` (UAX #9 up to rule I2), for a paragraph
    of base direction right to left or not. python-bidi's algorithm; it has no isolates or
    bracket pairs (the builder refuses direction controls anyway)."""
    if not text:
        return []
    if not right_to_left and not any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in text):
        return [0] * len(text)  # nothing right to left: every level is 0
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    level = 1 if right_to_left else 0
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    return [char["level"] for char in storage["chars"]]


def keep_left_to_right(text: str, levels: list[int]) -> None:
    """In a right-to-left paragraph, print each unit of WHOLE and each web address with no
    right-to-left letter in it as one left-to-right run, as the author wrote it: a phone number
    "020 7946 0999" would otherwise print its digit groups in reverse order, "5 ml" as "ml 5"
    (as if each were inside Unicode's left-to-right isolate)."""
    for pattern in (WHOLE, _URL):
        for match in pattern.finditer(text):
            start, end = match.span()
            piece = match.group(0).rstrip()
            if piece.startswith("[") or any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in piece):
                continue  # a citation group mirrors with its line; Arabic digits are right to left
            for i in range(start, start + len(piece)):
                levels[i] = max(levels[i], 2) if levels[i] % 2 == 0 else levels[i] + 1


def visual_order(levels: list[int]) -> list[int]:
    """Indexes of `levels`' items in visual order, left to right (UAX #9 L2): from the highest
    level down to the lowest odd one, reverse every run at that level or above."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest, lowest_odd = max(levels), min((lv for lv in levels if lv % 2), default=None)
    if lowest_odd is None:
        return order
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


# -- where lines may break ------------------------------------------------------------------------

_MONTHS = ("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|"
           "August|September|October|November|December")
_UNITS = r"(?:ml|mL|l|L|mg|g|kg|mcg|µg|μg|cm|mm|m|km|mmol|%|°C|°F|°|hours?|hrs?|mins?|minutes?|days?|weeks?|kg/m²)"
# Units that must never be split across lines, whichever way the line is written.
WHOLE = re.compile("|".join((
    r"\[\s*\d[\d,\s\u2013-]*\]",  # a citation group: [1, 2] [3–5]
    r"\b[A-Z][A-Za-z]{1,9}:\s?\d+\b",  # PMID: 9400508, DOI-less labels with a number
    r"\+?\(?\d(?:[\d()\-\u2011.]*\d)?\)?(?:\s\(?\d(?:[\d()\-\u2011.]*\d)?\)?){1,5}",  # phone numbers, digit groups
    rf"\b\d{{1,2}}\s(?:{_MONTHS})\.?\s\d{{4}}\b",  # 1 November 2026
    rf"\b(?:{_MONTHS})\.?\s\d{{1,2}},?\s\d{{4}}\b",  # November 1, 2026
    rf"\d+(?:[.,]\d+)?\s?{_UNITS}(?![A-Za-z])",  # 5 ml, 38 °C, 2.5 mg
)))
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:org|com|net|uk|nhs\.uk|gov|edu|io)(?:/\S*)?")
# No line starts with these (Chinese and Japanese closing punctuation, and Western closers).
_NO_START = frozenset("。，、．・：；！？）」』】〉》〕｝〗〙〛’”…‥々ー)]},.;:!?%")
_NO_END = frozenset("（「『【〈《〔｛〖〘〚‘“([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) in ("Lo", "Po", "Ps", "Pe")


def break_opportunities(text: str) -> list[bool]:
    """For each index i, whether a line may break before text[i] (False at 0). The rules,
    in README "Where lines break": after a run of spaces; between Chinese or Japanese
    characters, but never before closing or after opening punctuation; in a web address after
    "/" and before "?" or "&"; after a hyphen between letters; never inside a unit of WHOLE."""
    n = len(text)
    can = [False] * n
    for i in range(1, n):
        before, here = text[i - 1], text[i]
        if before == " " and here != " ":
            can[i] = True
        elif (_wide(before) or _wide(here)) and here != " " and before != " ":
            can[i] = here not in _NO_START and before not in _NO_END
        elif before in "-\u2010" and i >= 2 and text[i - 2].isalpha() and here.isalpha():
            can[i] = True
    for match in _URL.finditer(text):
        start, end = match.span()
        for i in range(start + 1, end):
            can[i] = text[i - 1] == "/" and text[i] != "/" or text[i] in "?&"
    for match in WHOLE.finditer(text):
        start, end = match.span()
        stripped_end = end - (len(match.group(0)) - len(match.group(0).rstrip()))
        for i in range(start + 1, stripped_end):
            can[i] = False
    # A citation marker stays with the word before it.
    for match in re.finditer(r" \[\d", text):
        can[match.start() + 1] = False
    return can


# -- shaping ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Glyph:
    gid: int
    cluster: int  # index in the shaped text of the first character it draws
    advance: float  # font units
    x_offset: float
    y_offset: float


def shape(font_name: str, text: str, right_to_left: bool) -> tuple[Glyph, ...]:
    """uharfbuzz's glyphs for `text` in a registered font, in visual order: each distinct word
    is shaped once per font and direction (sizes scale the result). Cached by the font object
    ReportLab holds, so a font file registered again (`build --watch`) is shaped afresh."""
    return _shaped(pdfmetrics.getFont(font_name), text, right_to_left)


@lru_cache(maxsize=65536)
def _shaped(font, text: str, right_to_left: bool) -> tuple[Glyph, ...]:
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if right_to_left else "ltr"
    hb.shape(_harfbuzz_font(font), buffer, {"kern": True, "liga": True})
    return tuple(Glyph(info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
                 for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions))


@lru_cache(maxsize=None)
def _harfbuzz_font(font):
    import uharfbuzz as hb

    face = harfbuzz_face(font)
    hb_font = hb.Font(face)
    hb_font.scale = (face.upem, face.upem)  # advances in font units; a size scales them
    return hb_font


def _hb_font(font_name: str):
    return _harfbuzz_font(pdfmetrics.getFont(font_name))


TALL_SCRIPT = 2.2  # ems from ascender to descender above which a font's lines are made taller
TALL_LINE = 0.9  # the part of that extent a line then takes


def extent(font_name: str) -> float:
    """A font's height from ascender to descender, in ems (its horizontal extents)."""
    font = _hb_font(font_name)
    extents = font.get_font_extents("ltr")
    return (extents.ascender - extents.descender) / font.face.upem


_units_per_em: dict[str, tuple[object, int]] = {}  # font name -> (the font object, its units per em)


def units_per_em(font_name: str) -> int:
    font = pdfmetrics.getFont(font_name)
    held = _units_per_em.get(font_name)
    if held is None or held[0] is not font:  # a font file registered again is asked afresh
        held = _units_per_em[font_name] = (font, _harfbuzz_font(font).face.upem)
    return held[1]


# -- a paragraph's runs and lines -------------------------------------------------------------------

@dataclass
class Item:
    """A piece of one line: one style, one bidi level, shaped."""

    start: int  # logical index range in the paragraph's text
    end: int
    style: int  # index into ShapedParagraph.styles
    level: int
    glyphs: tuple[Glyph, ...]
    width: float  # points


@dataclass
class Line:
    start: int
    end: int  # logical range of the text on the line, trailing spaces included
    items: list[Item] = field(default_factory=list)
    width: float = 0.0  # without trailing spaces
    forced: bool = False  # ended by a <br/>


@dataclass(frozen=True)
class RunStyle:
    font: str
    size: float
    colour: object
    link: str | None
    underline: bool


class ShapedParagraph(Paragraph):
    """A Paragraph laid out by this engine. Markup, style and plain text are ReportLab's;
    line breaking, shaping, direction and drawing are ours."""

    def __init__(self, text, style, right_to_left: bool = False, **kwargs):
        super().__init__(text, style, **kwargs)
        self.leaflet_rtl = right_to_left
        self.prepare_text()
        self.first_line, self.last_line = 0, None  # the lines this piece draws (after a split)
        self.laid_for = None

    # -- the text, its styles and levels --

    def prepare_text(self) -> None:
        text: list[str] = []
        owner: list[int] = []
        styles: list[RunStyle] = []
        index: dict[RunStyle, int] = {}
        self.anchors: list[tuple[int, str]] = []  # (logical index, name)
        self.hard_breaks: set[int] = set()  # logical indexes where a <br/> was
        for frag in self.frags:
            if getattr(frag, "lineBreak", False):
                self.hard_breaks.add(len(text))
                continue
            defn = getattr(frag, "cbDefn", None)
            if defn is not None and getattr(defn, "kind", None) == "anchor":
                self.anchors.append((len(text), defn.name))
            piece = frag.text
            if not piece:
                continue
            links = getattr(frag, "link", None) or []
            link = links[-1][1] if links else None
            key = RunStyle(frag.fontName, frag.fontSize, frag.textColor, link,
                           bool(getattr(frag, "underline", False) or getattr(frag, "us_lines", None)))
            if key not in index:
                index[key] = len(styles)
                styles.append(key)
            piece = piece.replace("\n", " ")
            text.extend(piece)
            owner.extend([index[key]] * len(piece))
        self.logical = "".join(text)
        self.owner = owner
        self.styles = styles
        direction = first_strong(self.logical)
        self.rtl = direction == "rtl" or (direction is None and self.leaflet_rtl)
        self.levels = bidi_levels(self.logical, self.rtl)
        if self.rtl:
            keep_left_to_right(self.logical, self.levels)
        # A script whose letters cascade far above and below the line (Nastaliq: 2.5 em from top
        # to bottom) takes taller lines than the layout's leading; others keep the layout's.
        self.line_height = max([self.style.leading] + [run.size * TALL_LINE * extent(run.font) for run in styles
                                                        if extent(run.font) > TALL_SCRIPT])
        self.breaks = break_opportunities(self.logical)
        for i in self.hard_breaks:
            if 0 < i < len(self.breaks):
                self.breaks[i] = True

    # -- lines --

    def words_of(self) -> list[tuple[int, int]]:
        """(start, end) of each unbreakable piece, trailing spaces included."""
        out, start = [], 0
        for i in range(1, len(self.logical)):
            if self.breaks[i] or i in self.hard_breaks:
                out.append((start, i))
                start = i
        if self.logical:
            out.append((start, len(self.logical)))
        return out

    def shaped_items(self, start: int, end: int, line_end: int) -> list[Item]:
        """The shaped items of logical range [start, end) of a line ending at line_end, split
        where the style, the level or the word changes."""
        items = []
        i = start
        # UAX #9 L1: the spaces at the end of a line take the paragraph's level.
        trailing = start + len(self.logical[start:line_end].rstrip(" "))
        base = 1 if self.rtl else 0
        levels = self.levels
        while i < end:
            j = i + 1
            style, level = self.owner[i], base if i >= trailing else levels[i]
            # One word (with the spaces after it) an item at most: each distinct word is shaped
            # once (`shape` caches it), however many paragraphs use it.
            while (j < end and self.owner[j] == style and (base if j >= trailing else levels[j]) == level
                   and not self.breaks[j]):
                j += 1
            run = self.styles[style]
            glyphs = shape(run.font, self.logical[i:j], level % 2 == 1)
            width = sum(g.advance for g in glyphs) * run.size / units_per_em(run.font)
            items.append(Item(i, j, style, level, glyphs, width))
            i = j
        return items

    def measure(self, start: int, end: int) -> float:
        """The shaped width of logical range [start, end), in points."""
        return sum(item.width for item in self.shaped_items(start, end, end))

    def break_into_lines(self, width: float) -> list[Line]:
        """Lines filled greedily on shaped widths, breaking only where break_opportunities allow."""
        lines: list[Line] = []
        line_start, line_width = 0, 0.0
        words = self.words_of()
        first_indent = self.style.firstLineIndent
        for start, end in words:
            forced = start in self.hard_breaks and start != line_start
            body_end = start + len(self.logical[start:end].rstrip(" ")) or start
            word_width = self.measure(start, body_end) if body_end > start else 0.0
            space = self.measure(body_end, end) if end > body_end else 0.0
            room = width - (first_indent if not lines else 0)
            if forced or (line_width + word_width > room and start > line_start):
                lines.append(Line(line_start, start, forced=forced))
                line_start, line_width = start, 0.0
            line_width += word_width + space
        lines.append(Line(line_start, len(self.logical)))
        for line in lines:
            text_end = line.start + len(self.logical[line.start:line.end].rstrip(" "))
            line.items = self.shaped_items(line.start, line.end, line.end)
            line.width = sum(it.width for it in line.items if it.start < text_end)
        return lines

    def wrap(self, availWidth, availHeight):
        width = availWidth - self.style.leftIndent - self.style.rightIndent
        if self.laid_for != width:
            self.all_lines = self.break_into_lines(max(width, 1))
            self.laid_for = width
        self.width = availWidth
        self.height = len(self.lines) * self.line_height
        return self.width, self.height

    @property
    def lines(self) -> list[Line]:
        return self.all_lines[self.first_line:self.last_line]

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        lines = self.lines
        fits = int((availHeight + 1e-6) // self.line_height)
        if fits >= len(lines):
            return [self]
        if len(lines) > 1 and fits >= 2 and len(lines) - fits == 1:
            fits -= 1  # no widow: at least two lines go on
        if fits < (2 if len(lines) > 2 else 1) or fits <= 0:
            return []
        first, rest = copy.copy(self), copy.copy(self)
        first.first_line, first.last_line = self.first_line, self.first_line + fits
        rest.first_line, rest.last_line = self.first_line + fits, self.last_line
        rest.style = self.style
        first.height = fits * self.line_height
        rest.height = (len(lines) - fits) * self.line_height
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def minWidth(self):
        return max((self.measure(s, s + len(self.logical[s:e].rstrip(" "))) for s, e in self.words_of()), default=0)

    def getActualLineWidths0(self):
        return [line.width for line in getattr(self, "all_lines", [])]

    # -- drawing --

    def line_text(self, line: Line, last: bool) -> str:
        """The line's logical text, as ActualText gives it: a real space where the line broke."""
        text = self.logical[line.start:line.end].rstrip(" ")
        return text if last else text + " "

    def draw(self):
        canv, style = self.canv, self.style
        lines = self.lines
        # The first baseline where ReportLab's Paragraph puts it, lower by part of any extra height
        # a tall script's lines take (Nastaliq).
        y = self.height - style.fontSize - (self.line_height - style.leading) * 0.6
        for n, line in enumerate(lines):
            index = self.first_line + n
            last = index == len(self.all_lines) - 1
            room = self.width - style.leftIndent - style.rightIndent - (style.firstLineIndent if index == 0 else 0)
            alignment = style.alignment
            if alignment == TA_JUSTIFY:
                alignment = TA_RIGHT if self.rtl else 0
            if alignment == TA_RIGHT or (self.rtl and alignment == 0):
                x = self.width - style.rightIndent - line.width
            elif alignment == TA_CENTER:
                x = style.leftIndent + (room - line.width) / 2
            else:
                x = style.leftIndent + (style.firstLineIndent if index == 0 else 0)
            draw_line(canv, self.styles, self.logical, line, x, y, self.rtl, self.line_text(line, last))
            for at, name in self.anchors:
                if line.start <= at < max(line.end, line.start + 1):
                    canv.bookmarkHorizontal(name, x, y + self.line_height)
            y -= self.line_height


def placements(logical: str, line: Line, x: float) -> list[tuple[Item, float]]:
    """The line's items (less its trailing spaces) in visual order, left to right, each with the
    x of its left end when the line starts at x (UAX #9 L2 over the items' levels)."""
    text_end = line.start + len(logical[line.start:line.end].rstrip(" "))
    items = [item for item in line.items if item.start < text_end]
    out = []
    for k in visual_order([item.level for item in items]):
        out.append((items[k], x))
        x += items[k].width
    return out


def draw_line(canv, styles: list[RunStyle], logical: str, line: Line, x: float, y: float, rtl: bool,
              actual: str) -> None:
    """Draw one line's items in visual order from x (left end) on baseline y, inside a Span whose
    ActualText is `actual` (the line's logical text)."""
    canv.addLiteral(actual_text_span(actual))
    links: list[tuple[str, float, float, float]] = []
    underlines: list[tuple[object, float, float, float]] = []
    # One text object a line (readers take a Span's ActualText once), inside q ... Q: the shaped
    # fonts it selects must not outlive it in the graphics state ReportLab's own text assumes.
    canv.saveState()
    canv.addLiteral("BT")
    current_colour = None
    for item, x in placements(logical, line, x):
        run = styles[item.style]
        if run.colour is not current_colour:
            canv.setFillColor(run.colour)
            current_colour = run.colour
        draw_glyphs(canv, run.font, run.size, item.glyphs, logical[item.start:item.end], x, y, item.level % 2 == 1)
        if run.underline:
            underlines.append((run.colour, x, x + item.width, run.size))
        if run.link:
            links.append((run.link, x, x + item.width, run.size))
    canv.addLiteral("ET")
    canv.restoreState()
    canv.addLiteral("EMC")
    for colour, left, right, size in underlines:
        canv.saveState()
        canv.setStrokeColor(colour)
        canv.setLineWidth(size / 18)
        canv.line(left, y - size * 0.125, right, y - size * 0.125)
        canv.restoreState()
    for href, left, right, size in links:
        rect = (left, y - size * 0.2, right, y + size * 0.9)
        if href.startswith("#"):
            canv.linkRect("", href[1:], rect, relative=1)
        else:
            canv.linkURL(href, rect, relative=1)


def glyph_texts(glyphs: tuple[Glyph, ...], text: str, right_to_left: bool = False) -> list[str]:
    """What each glyph extracts as: the first glyph drawn of each cluster carries the cluster's
    text (the characters from its cluster index to the next cluster's), the others none. In a
    right-to-left run the text is reversed: glyphs are drawn in visual order, and every reader
    puts a right-to-left run back in logical order a character at a time, so a ligature such as
    لا (two letters, one glyph) must extract as ال to be read as لا."""
    starts = sorted({g.cluster for g in glyphs})
    ends = {start: end for start, end in zip(starts, starts[1:] + [len(text)])}
    seen: set[int] = set()
    out = []
    for glyph in glyphs:
        if glyph.cluster in seen:
            out.append("")
        else:
            seen.add(glyph.cluster)
            piece = text[glyph.cluster:ends[glyph.cluster]]
            out.append(piece[::-1] if right_to_left else piece)
    return out


def drawing_order(glyphs: tuple[Glyph, ...], right_to_left: bool) -> list[tuple[Glyph, float]]:
    """Each glyph with its x (font units from the run's left end, the shaper's offset included),
    in the order they are drawn: visual order, left to right, except that in a right-to-left run
    each cluster's glyphs are drawn in the shaper's logical order (a letter before the marks on
    it), as readers expect a mark to follow the letter it sits on."""
    placed, pen = [], 0.0
    for glyph in glyphs:
        placed.append((glyph, pen + glyph.x_offset))
        pen += glyph.advance
    if not right_to_left:
        return placed
    out: list[tuple[Glyph, float]] = []
    start = 0
    for i in range(1, len(placed) + 1):
        if i == len(placed) or placed[i][0].cluster != placed[start][0].cluster:
            out.extend(reversed(placed[start:i]))
            start = i
    return out


def draw_glyphs(canv, font: str, size: float, glyphs: tuple[Glyph, ...], text: str, x: float, y: float,
                right_to_left: bool = False) -> None:
    """Draw shaped glyphs by id from x on baseline y inside a text object (BT), in drawing_order:
    each glyph by its two-byte code in the document's own font for `font` (embedding.py), which
    extracts as the text it was drawn for (glyph_texts). Glyphs go in one TJ string a run,
    kerning as numbers in it, a glyph moved up or down by the text rise; a glyph drawn left of
    where the last one ended, or after a mark moved sideways, starts a new text matrix."""
    face_font = pdfmetrics.getFont(font)
    held = fonts_of(canv).font(face_font)
    hb_font = _harfbuzz_font(face_font)
    upem = hb_font.face.upem
    scale = size / upem
    out = [f"/{held.resource} {fp_str(size)} Tf"]
    parts: list[str] = []  # the TJ array being built
    codes: list[int] = []  # codes not yet written into it
    cursor = None  # where the PDF puts the next glyph, font units from x; None: a new text matrix
    rise = 0  # the text rise set, font units

    def close_string() -> None:
        if codes:
            parts.append("<" + "".join(f"{code:04X}" for code in codes) + ">")
            codes.clear()

    def flush() -> None:
        close_string()
        if parts:
            out.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    placed = drawing_order(glyphs, right_to_left)
    texts = glyph_texts(tuple(g for g, _ in placed), text, right_to_left)
    for (glyph, at), glyph_text in zip(placed, texts):
        own = hb_font.get_glyph_h_advance(glyph.gid)
        width = own  # /W holds the font's own advance (PDF/A: widths agree with the font program)
        code = held.code(glyph.gid, glyph_text, width * 1000 / upem)
        if cursor is None or at < cursor - upem / 1000:
            # A glyph drawn left of where the last one ended gets a text matrix of its own: a
            # number in a TJ that moves back reads as a space to pypdf and pdf.js.
            flush()
            out.append(f"1 0 0 1 {fp_str(x + at * scale)} {fp_str(y)} Tm")
        elif abs(at - cursor) * 1000 / upem >= 0.005:  # kerning, a mark moved right
            close_string()
            parts.append(fp_str(-(at - cursor) * 1000 / upem))
        if glyph.y_offset != rise:
            # Raised or lowered by the text rise, on the line's baseline: readers that group glyphs
            # into lines by position keep a mark, or a Nastaliq word's cascading letters, on it.
            flush()
            rise = glyph.y_offset
            out.append(f"{fp_str(rise * scale)} Ts")
        codes.append(code)
        # After a mark the shaper moved sideways the next glyph gets a text matrix of its own: a
        # number in a TJ bringing the pen back past the mark reads as a space to pypdf.
        cursor = None if glyph.x_offset else at + width
    flush()
    if rise:
        out.append("0 Ts")
    canv.addLiteral("\n".join(out))


def actual_text_span(text: str) -> str:
    """The operator that opens a line's Span with its logical text as ActualText. Every line has
    one, right-to-left lines too: the structure tree's text is then exactly the source. Poppler
    and PDFium take a right-to-left line's ActualText for visual order and reverse it; drawn
    without, they would read Arabic and Hebrew (README: "What each reader reads")."""
    return f"/Span <</ActualText {pdf_text_string(text)}>> BDC"


def pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE hex, which holds any character and needs no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# -- one line of page furniture (header and footer) -------------------------------------------------

def shaped_width(runs: list[tuple[str, str]], size: float, right_to_left: bool) -> float:
    """The width of a line of (font name, text) runs, shaped."""
    line, styles, logical = _furniture_line(runs, size, right_to_left)
    return line.width


def _furniture_line(runs, size, right_to_left):
    from reportlab.lib.colors import black

    styles, owner, text = [], [], ""
    for font, piece in runs:
        styles.append(RunStyle(font, size, black, None, False))
        owner.extend([len(styles) - 1] * len(piece))
        text += piece
    para = ShapedParagraph.__new__(ShapedParagraph)
    para.logical, para.owner, para.styles = text, owner, styles
    # A header or footer line runs the page's way (the higher-level protocol of UAX #9): an
    # organisation's "&" or a full stop stays where the page's direction puts it.
    para.rtl = right_to_left
    para.levels = bidi_levels(text, para.rtl)
    if para.rtl:
        keep_left_to_right(text, para.levels)
    para.breaks = break_opportunities(text)
    line = Line(0, len(text))
    line.items = para.shaped_items(0, len(text), len(text))
    line.width = sum(item.width for item in line.items)
    return line, styles, text


def draw_furniture_line(canv, runs: list[tuple[str, str]], x: float, y: float, size: float,
                        right_to_left: bool) -> float:
    """Draw one line of (font name, text) runs shaped, from x (left end) on baseline y, keeping
    the canvas's fill colour. Returns the width drawn."""
    line, styles, text = _furniture_line(runs, size, right_to_left)
    canv.addLiteral(actual_text_span(text))
    canv.saveState()  # the shaped fonts selected stay inside (draw_line)
    canv.addLiteral("BT")
    for item, pen in placements(text, line, x):
        run = styles[item.style]
        draw_glyphs(canv, run.font, run.size, item.glyphs, text[item.start:item.end], pen, y, item.level % 2 == 1)
    canv.addLiteral("ET")
    canv.restoreState()
    canv.addLiteral("EMC")
    return line.width
