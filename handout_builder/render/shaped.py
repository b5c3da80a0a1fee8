"""Shaped text: the builder's own line layout, for every text of every leaflet.

ReportLab's Paragraph printed Latin, Greek, Cyrillic and Chinese well, but not the scripts whose
letters change shape and order as they join (with shaping on it laid Arabic words out left to
right, Nastaliq did not join, and Indic text extracted to private-use codes), and its line
breaking knew nothing of phone numbers or Chinese punctuation. `ShapedParagraph` is a Paragraph
(so the story, marking, tables and lists treat it as one; ReportLab still parses the markup) that
lays out its own lines, for every paragraph, heading, list item, table cell and reference; the
header and footer lines go through `draw_furniture_line`:

1. the paragraph's text, logical order, with each character's style (font, size, colour, link,
   rise) from ReportLab's parse of the markup (`frags`);
2. bidi levels for every character (UAX #9 in full, ICU: isolates and bracket pairs), the
   paragraph's direction from its first strong letter, else the leaflet's; in a right-to-left
   paragraph the units that read as written are isolated first (`isolated_units`);
3. where a line may break (`break_opportunities`: UAX #14 from ICU, then the clinic's rules:
   kinsoku, web addresses after "/" and before "?" "&", and the units that must stay whole
   glued, `WHOLE`: phone numbers, citation groups, dates, doses, times, "PMID: 9400508");
4. each word shaped once with uharfbuzz, cached by font, text and direction (`shape`);
5. lines filled greedily on shaped widths, hyphenated where the layout asks, titles and headings
   balanced; each line's runs reordered (UAX #9 L2);
6. glyphs drawn by id, words side by side in one style as one string. In a tagged leaflet the
   marked content is the paragraph element's own, with the lines' logical text (a space where
   each broke) as its ActualText, and a link's words are marked content of a Link element with
   the link's annotation (`marking`, which marking.py sets). Untagged, a line whose glyphs alone
   would not read as its text (right to left, Indic) is inside `/Span <</ActualText (...)>> BDC
   ... EMC` with its logical text.

Glyphs are drawn by two-byte code in the document's own Type0 / Identity-H font for each font
(embedding.py), whose ToUnicode map gives each glyph the text of the cluster it was drawn for.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Callable, NamedTuple

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from .embedding import fonts_of
from .reportlab_seam import harfbuzz_face

# What marks a tagged paragraph's lines as they are drawn (marking.Marks.piece, bound to the
# paragraph's element): called with the canvas, the ActualText of a piece of a line, where it
# links to (None: not a link) and its logical range [start, end), it is a context manager round
# the drawing of the piece and the making of its link annotation.
LineMarking = Callable[[object, "str | None", "str | None", int, int], AbstractContextManager]

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

# Letters and digits of a right-to-left script: without one, a left-to-right paragraph's levels are all 0.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")
_LRI, _PDI = "\u2066", "\u2069"  # LEFT-TO-RIGHT ISOLATE, POP DIRECTIONAL ISOLATE


def utf16_offsets(text: str) -> list[int] | None:
    """The UTF-16 offset of each character of text (ICU counts in UTF-16 units), and of its end;
    None when every character is one unit (the offsets are the indexes)."""
    if not text or max(text) < "\U00010000":
        return None
    offsets, at = [], 0
    for char in text:
        offsets.append(at)
        at += 2 if char >= "\U00010000" else 1
    offsets.append(at)
    return offsets


def bidi_levels(text: str, right_to_left: bool) -> list[int]:
    """The embedding level of each character of `text` (UAX #9, rules P2 to I2: isolates and
    bracket pairs included), for a paragraph of base direction right to left or not. ICU's
    implementation. In a right-to-left paragraph each unit that must read as written (a phone
    number, a dose, a date, a web address: `isolated_units`) is put in a left-to-right isolate
    first, as an author would with U+2066 ... U+2069."""
    if not text:
        return []
    if not right_to_left and not _RIGHT_TO_LEFT.search(text):
        return [0] * len(text)  # nothing right to left: every level is 0
    import icu

    spans = isolated_units(text) if right_to_left else []
    marked, inside = _with_isolates(text, spans)
    bidi = icu.Bidi()
    bidi.setPara(icu.UnicodeString(marked), 1 if right_to_left else 0)
    levels = bidi.getLevels()
    offsets = utf16_offsets(marked)
    if offsets is not None:
        levels = [levels[offsets[i]] for i in range(len(marked))]
    return [levels[i] for i in inside]


def _with_isolates(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """text with an LRI before and a PDI after each span, and where each of text's characters went."""
    if not spans:
        return text, list(range(len(text)))
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], _LRI, text[start:end], _PDI]
        at = end
    out.append(text[at:])
    marked = "".join(out)
    where = [i for i, char in enumerate(marked) if char not in (_LRI, _PDI)]
    return marked, where


def isolated_units(text: str) -> list[tuple[int, int]]:
    """The spans of a right-to-left paragraph that read left to right as written, whatever is
    around them: each unit of WHOLE and each web address with no right-to-left letter in it.
    A citation group is left out: its brackets and numbers follow the line's direction, as a
    reader of the language expects ("[1, 2]" mirrored with the line)."""
    spans = []
    for pattern in (WHOLE, _URL):
        for match in pattern.finditer(text):
            piece = match.group(0).rstrip()
            if piece.startswith("[") or _RIGHT_TO_LEFT.search(piece) or not any(c.isalnum() for c in piece):
                continue
            spans.append((match.start(), match.start() + len(piece)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # a web address that holds a number is one isolate, not two
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
           "August|September|October|November|December|"
           # the months of the translated leaflets' dates (Babel writes them in lower case in French and Spanish)
           "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
           "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
           "Januar|Februar|März|Juni|Juli|Oktober|Dezember")
_UNITS = r"(?:ml|mL|l|L|mg|g|kg|mcg|µg|μg|cm|mm|m|km|mmol|%|°C|°F|°|hours?|hrs?|mins?|minutes?|days?|weeks?|kg/m²)"
_TIME = r"\d{1,2}(?:(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?![A-Za-z])|:\d{2}(?!\d))"
# Units that must never be split across lines, whichever way the line is written.
WHOLE = re.compile("|".join((
    r"\[\s*\d[\d,\s\u2013-]*\]",  # a citation group: [1, 2] [3–5]
    r"\b[A-Z][A-Za-z]{1,9}:\s?\d+\b",  # PMID: 9400508, DOI-less labels with a number
    r"\+?\(?\d(?:[\d()\-\u2011.]*\d)?\)?(?:\s\(?\d(?:[\d()\-\u2011.]*\d)?\)?){1,5}",  # phone numbers, digit groups
    rf"\b\d{{1,2}}\.?\s(?:de\s)?(?:{_MONTHS})\.?\s(?:de\s)?\d{{4}}\b",  # 1 November 2026, 1 de noviembre de 2026
    rf"\b(?:{_MONTHS})\.?\s\d{{1,2}},?\s\d{{4}}\b",  # November 1, 2026
    rf"\d+(?:[.,]\d+)?\s?{_UNITS}(?![A-Za-z])",  # 5 ml, 38 °C, 2.5 mg
    # Times as the author writes them, and a range of them: "9am", "9.30 am", "9am to 5pm", "09:00–17:00".
    rf"\b{_TIME}(?:\s?(?:to|until|till|and|[-\u2013])\s?{_TIME})?",
)))
# A web address, less the punctuation of the sentence after it: "(see www.example.org/a)."
_URL = re.compile(r"(?:(?:https?://|www\.)\S*|\b[\w.-]+\.(?:org|com|net|uk|nhs\.uk|gov|edu|io)(?:/\S*)?)"
                  r"(?<![.,;:!?)\]}'\"\u201d\u2019])")
# No line starts with these (Chinese and Japanese closing punctuation, and Western closers).
_NO_START = frozenset("。，、．・：；！？）」』】〉》〕｝〗〙〛’”…‥々ー)]},.;:!?%")
_NO_END = frozenset("（「『【〈《〔｛〖〘〚‘“([{")


_LINE_BREAKER = None  # ICU's line-break iterator, made once a process


def _line_breaks(text: str) -> list[int]:
    """Where UAX #14 lets a line break in text (ICU, strict rules: dictionaries for Thai, Lao,
    Khmer and Myanmar; no line starts with small kana or an iteration mark), as indexes of text."""
    global _LINE_BREAKER
    import icu

    if _LINE_BREAKER is None:
        _LINE_BREAKER = icu.BreakIterator.createLineInstance(icu.Locale("und@lb=strict"))
    _LINE_BREAKER.setText(icu.UnicodeString(text))
    positions = list(_LINE_BREAKER)
    offsets = utf16_offsets(text)
    if offsets is not None:
        index = {offset: i for i, offset in enumerate(offsets)}
        positions = [index[p] for p in positions if p in index]
    return positions


def break_opportunities(text: str) -> list[bool]:
    """For each index i, whether a line may break before text[i] (False at 0). UAX #14 (ICU),
    then the clinic's rules on top, in README "Where lines break": no line starts with closing
    punctuation (。，、）」) or ends with opening punctuation (（「); a web address breaks only
    after "/" and before "?" or "&"; a citation marker stays with the word before it; never
    inside a unit of WHOLE (phone numbers, doses, dates, times, "PMID: 9400508"...)."""
    n = len(text)
    can = [False] * n
    if n < 2:
        return can
    for position in _line_breaks(text):
        if 0 < position < n and text[position] not in _NO_START and text[position - 1] not in _NO_END:
            can[position] = True
    for start, end in address_spans(text):
        for i in range(start + 1, end):
            can[i] = text[i - 1] == "/" and text[i] != "/" or text[i] in "?&"
    for start, end in whole_spans(text):
        can[start + 1:end] = [False] * (end - start - 1)
    if "[" in text:  # a citation marker stays with the word before it
        for match in _CITATION_AFTER_WORD.finditer(text):
            can[match.start() + 1] = False
    return can


def address_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each web address in text, less the sentence's punctuation after it.
    An address breaks inside (break_opportunities) only when it is wider than a line
    (ShapedParagraph.break_into_lines): one that fits moves to the next line whole."""
    if "/" not in text and "." not in text:
        return []
    return [match.span() for match in _URL.finditer(text)]


def whole_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each unit of WHOLE in text, less any space after it."""
    return [(m.start(), m.start() + len(m.group(0).rstrip())) for m in WHOLE.finditer(text)]


_CITATION_AFTER_WORD = re.compile(r"\s\[\d")


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


@lru_cache(maxsize=65536)
def _advance(font, text: str, right_to_left: bool) -> float:
    """The advance of text shaped in a font, in font units."""
    return sum(glyph.advance for glyph in _shaped(font, text, right_to_left))


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
    hyphen: float = 0.0  # the width of a hyphen drawn at the end (a word hyphenated across lines)


@lru_cache(maxsize=None)
def _hyphenator(language: str):
    """pyphen's hyphenator for a language ("de", "en_GB"), or None when hyphenation is off."""
    if not language:
        return None
    import pyphen

    return pyphen.Pyphen(lang=language)


def hyphen_width(font: str, size: float) -> float:
    """The width of a hyphen in a font and size, in points."""
    return sum(g.advance for g in shape(font, "-", False)) * size / units_per_em(font)


@dataclass(frozen=True)
class RunStyle:
    font: str
    size: float
    colour: object
    link: str | None
    underline: bool
    rise: float = 0.0  # points above the baseline (<super>, <sub>)


class ShapedParagraph(Paragraph):
    """A Paragraph laid out by this engine. Markup, style and plain text are ReportLab's;
    line breaking, shaping, direction and drawing are ours."""

    def __init__(self, text, style, right_to_left: bool = False, **kwargs):
        super().__init__(text, style, **kwargs)
        self.leaflet_rtl = right_to_left
        self.prepare_text()
        self.first_line, self.last_line = 0, None  # the lines this piece draws (after a split)
        self.laid_for = None
        # Set by marking.py in a tagged leaflet: each line is marked content of the paragraph's
        # element, and each link's words of a Link element's, with its annotation (draw_line).
        self.marking: LineMarking | None = None

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
                           bool(getattr(frag, "underline", False) or getattr(frag, "us_lines", None)),
                           float(getattr(frag, "rise", 0) or 0))
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
        # A script whose letters cascade far above and below the line (Nastaliq: 2.5 em from top
        # to bottom) takes taller lines than the layout's leading; others keep the layout's.
        self.line_height = max([self.style.leading] + [run.size * TALL_LINE * extent(run.font) for run in styles
                                                        if extent(run.font) > TALL_SCRIPT])
        self.breaks = break_opportunities(self.logical)
        # Where the style or the level changes: a piece between two is measured as one shaped word.
        self.changes = [i for i in range(1, len(owner)) if owner[i] != owner[i - 1]
                        or self.levels[i] != self.levels[i - 1]]
        for i in self.hard_breaks:
            if 0 < i < len(self.breaks):
                self.breaks[i] = True
        self.prepare_cuts()
        # Where a web address may break, used only when the address is wider than a line.
        self.in_address = {i for start, end in address_spans(self.logical) for i in range(start + 1, end)
                           if self.breaks[i] and i not in self.hard_breaks}

    def prepare_cuts(self) -> None:
        """What laying out and measuring look up for each piece: where an item may end (the style
        or the level changes, or a line may break), and each style's font with its units per em."""
        self.cuts = sorted({*self.changes, *(i for i, can in enumerate(self.breaks) if can)})
        self.faces = [(pdfmetrics.getFont(run.font), units_per_em(run.font)) for run in self.styles]

    # -- lines --

    def words_of(self, within_addresses: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each unbreakable piece, trailing spaces included: a web address is
        one piece, or, `within_addresses`, its pieces between the places it may break."""
        out, start = [], 0
        in_address = () if within_addresses else self.in_address
        for i in range(1, len(self.logical)):
            if (self.breaks[i] and i not in in_address) or i in self.hard_breaks:
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
        cuts, faces = self.cuts, self.faces
        while i < end:
            style, level = self.owner[i], base if i >= trailing else levels[i]
            # One word (with the spaces after it) an item at most: each distinct word is shaped
            # once (`shape` caches it), however many paragraphs use it.
            # The spaces that end a line are an item of their own, drawn nowhere (UAX #9 L1).
            if i < trailing:  # to where the style, the level or the word changes (self.cuts)
                k = bisect_right(cuts, i)
                j = min(cuts[k] if k < len(cuts) else end, end, trailing)
            else:  # the trailing spaces, all at the paragraph's level
                j = i + 1
                while j < end and self.owner[j] == style and not self.breaks[j]:
                    j += 1
            run = self.styles[style]
            font, upem = faces[style]
            glyphs = _shaped(font, self.logical[i:j], level % 2 == 1)
            width = sum(g.advance for g in glyphs) * run.size / upem
            items.append(Item(i, j, style, level, glyphs, width))
            i = j
        return items

    def measure(self, start: int, end: int) -> float:
        """The shaped width of logical range [start, end), in points: of one word in one style
        and direction (the usual case) from the cache of shaped words, with no Item made."""
        if end <= start:
            return 0.0
        k = bisect_right(self.changes, start)
        if k == len(self.changes) or self.changes[k] >= end:
            style = self.owner[start]
            font, upem = self.faces[style]
            return _advance(font, self.logical[start:end], self.levels[start] % 2 == 1) * self.styles[style].size / upem
        return sum(item.width for item in self.shaped_items(start, end, end))

    def break_into_lines(self, width: float) -> list[Line]:
        """Lines filled greedily on shaped widths, breaking only where break_opportunities allow.
        A word that does not fit is hyphenated where the layout asks for it (pyphen's patterns,
        the style's hyphenationLang); a word wider than a whole line (a long address in a narrow
        table column) is cut where it reaches the edge, as ReportLab's splitLongWords did."""
        lines: list[Line] = []
        line_start, line_width = 0, 0.0
        first_indent = self.style.firstLineIndent
        pending = self.words_of()[::-1]  # a stack: a word cut in two puts its rest back
        while pending:
            start, end = pending.pop()
            room = width - (first_indent if not lines else 0)
            if start in self.hard_breaks and start != line_start:
                lines.append(Line(line_start, start, forced=True))
                line_start, line_width = start, 0.0
                room = width
            body_end = start + len(self.logical[start:end].rstrip(" ")) or start
            word_width = self.measure(start, body_end) if body_end > start else 0.0
            if line_width + word_width > room + 1e-6:
                # A web address wider than a whole line breaks where it may (after "/", before
                # "?" and "&"), filling this line; one that fits on a line goes on to the next.
                cut = self.address_cut(start, body_end, room - line_width) if word_width > room + 1e-6 else None
                if cut is None:
                    cut = self.hyphen_cut(start, body_end, room - line_width)
                if cut is None and start == line_start:
                    cut = self.hard_cut(start, body_end, room)
                if cut is not None:
                    at, hyphen = cut
                    lines.append(Line(line_start, at, hyphen=hyphen))
                    line_start, line_width = at, 0.0
                    pending.append((at, end))
                    continue
                if start > line_start:
                    lines.append(Line(line_start, start))
                    line_start, line_width = start, 0.0
                    pending.append((start, end))  # measured again against the new line's room
                    continue
            line_width += word_width + (self.measure(body_end, end) if end > body_end else 0.0)
        if self.logical or lines:
            lines.append(Line(line_start, len(self.logical)))
        for line in lines:
            text_end = line.start + len(self.logical[line.start:line.end].rstrip(" "))
            line.items = self.shaped_items(line.start, line.end, line.end)
            line.width = sum(it.width for it in line.items if it.start < text_end) + line.hyphen
        return lines

    def balanced(self, lines: list[Line], width: float) -> list[Line]:
        """A title's or heading's lines made as even as they can be in as many lines: the
        narrowest measure that still needs no more lines (no lone word on the last line)."""
        if self.hard_breaks:
            return lines
        narrowest, widest = max(line.width for line in lines) / len(lines), width
        best = lines
        for _ in range(10):  # a tenth of a point's difference is not worth more measuring
            middle = (narrowest + widest) / 2
            tried = self.break_into_lines(middle)
            if len(tried) <= len(lines) and max(line.width for line in tried) <= middle + 1e-6:
                best, widest = tried, middle
            else:
                narrowest = middle
            if widest - narrowest < 1:
                break
        return best

    def address_cut(self, start: int, end: int, room: float) -> tuple[int, float] | None:
        """Where to break the word in [start, end) at the last place inside a web address where
        it may break and its first part still fits in `room` points: (index, 0), or None."""
        for at in range(end - 1, start, -1):
            if at in self.in_address and self.measure(start, at) <= room + 1e-6:
                return at, 0.0
        return None

    def hyphen_cut(self, start: int, end: int, room: float) -> tuple[int, float] | None:
        """Where to hyphenate the word in [start, end) so that its first part and a hyphen fit
        in `room` points: (index, the hyphen's width), or None. Only words of letters, only
        where the layout turned hyphenation on for the leaflet's language."""
        hyphenator = _hyphenator(self.style.hyphenationLang) if not self.rtl else None
        if hyphenator is None:
            return None
        word = self.logical[start:end]
        core = re.match(r"[^\W\d_]{5,}", word)  # the word's letters, before any punctuation after it
        if core is None:
            return None
        run = self.styles[self.owner[start]]
        hyphen = hyphen_width(run.font, run.size)
        for position in reversed(hyphenator.positions(core.group(0))):
            if self.measure(start, start + position) + hyphen <= room:
                return start + position, hyphen
        return None

    def hard_cut(self, start: int, end: int, room: float) -> tuple[int, float] | None:
        """Where to cut a word wider than a line: after the last character that still fits
        (never before a combining mark), at least one character in; never inside a unit of
        WHOLE (a phone number runs past the edge rather than split)."""
        glued = {i for s, e in whole_spans(self.logical[start:end]) for i in range(start + s + 1, start + e)}
        if glued:
            return None
        best = None
        for at in range(start + 1, end):
            if unicodedata.category(self.logical[at])[0] == "M":
                continue
            if self.measure(start, at) > room:
                break
            best = at
        if best is None:
            best = next((at for at in range(start + 1, end) if unicodedata.category(self.logical[at])[0] != "M"), None)
        return (best, 0.0) if best is not None else None

    def wrap(self, availWidth, availHeight):
        width = availWidth - self.style.leftIndent - self.style.rightIndent
        if self.laid_for != width:
            self.all_lines = self.break_into_lines(max(width, 1))
            if getattr(self.style, "balance", False) and len(self.all_lines) > 1:
                self.all_lines = self.balanced(self.all_lines, max(width, 1))
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
        # No orphan, no widow where the style says so (styles.py: every paragraph style): at
        # least two lines stay and two go on, so a paragraph of two or three lines moves whole.
        stay = 1 if getattr(self.style, "allowOrphans", 0) else 2
        go_on = 1 if getattr(self.style, "allowWidows", 1) else 2
        fits = min(fits, len(lines) - go_on)
        if fits < stay or fits <= 0:
            return []
        first, rest = self.piece(), self.piece()
        first.first_line, first.last_line = self.first_line, self.first_line + fits
        rest.first_line, rest.last_line = self.first_line + fits, self.last_line
        rest.style = self.style
        first.height = fits * self.line_height
        rest.height = (len(lines) - fits) * self.line_height
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def piece(self) -> "ShapedParagraph":
        """A new paragraph drawing some of this one's lines (split sets which): its text, styles
        and lines shared, and nothing ReportLab's page builder noted on the whole (its private
        marks, such as that the whole was moved on to a new frame once, would make it give up)."""
        new = ShapedParagraph.__new__(ShapedParagraph)
        new.__dict__.update((name, value) for name, value in self.__dict__.items() if not name.startswith("_"))
        return new

    def minWidth(self):
        return max((self.measure(s, s + len(self.logical[s:e].rstrip(" ")))
                    for s, e in self.words_of(within_addresses=True)), default=0)

    def getActualLineWidths0(self):
        return [line.width for line in getattr(self, "all_lines", [])]

    # -- drawing --

    def line_text(self, line: Line, last: bool) -> str:
        """The line's logical text, as ActualText gives it: a real space where the line broke,
        none where a word was hyphenated (the word reads whole across the two lines)."""
        text = self.logical[line.start:line.end].rstrip(" ")
        # A space only where the text has one: a line broken after "/" in an address, or between
        # two Chinese characters, reads on without one.
        return text + " " if not last and not line.hyphen and len(text) < line.end - line.start else text

    def draw(self):
        lines = self.lines
        marking = self.marking
        if marking is not None and lines and not any(
                self.styles[self.owner[i]].link for i in range(lines[0].start, lines[-1].end)):
            # Without links the lines drawn here are one piece of marked content: one content item
            # for the element (pdfua 0.1.3 cannot read a heading whose kids are an array). Its
            # ActualText is the lines' text (a space where each broke) only where their glyphs
            # would not read as it (right to left, Indic): PDFium spreads an ActualText over the
            # box of the content's first text object, so text that reads without one has none.
            last = self.first_line + len(lines) == len(self.all_lines)
            needed = any(needs_actual_text(self.logical, line, self.rtl or self.leaflet_rtl) for line in lines)
            actual = ("".join(self.line_text(line, last and n == len(lines) - 1) for n, line in enumerate(lines))
                      if needed else None)
            with marking(self.canv, actual, None, lines[0].start, lines[-1].end):
                self.draw_lines(lines, None, marked=True)
            return
        self.draw_lines(lines, marking)

    def draw_lines(self, lines: list[Line], marking: LineMarking | None, marked: bool = False) -> None:
        """Draw `lines`, each marked by `marking` or, without it, a Span with its ActualText;
        `marked`: the caller has marked them all (no Span)."""
        canv, style = self.canv, self.style
        # The first baseline where ReportLab's Paragraph puts it, lower by part of any extra height
        # a tall script's lines take (Nastaliq).
        y = self.height - style.fontSize - (self.line_height - style.leading) * 0.6
        for n, line in enumerate(lines):
            index = self.first_line + n
            last = index == len(self.all_lines) - 1
            indent = style.firstLineIndent if index == 0 else 0
            room = self.width - style.leftIndent - style.rightIndent - indent
            alignment, extra = style.alignment, 0.0
            if alignment == TA_JUSTIFY:
                gaps = 0 if last or line.forced else len(gaps_of(self.logical, line))
                extra = (room - line.width) / gaps if gaps and room > line.width else 0.0
                alignment = TA_RIGHT if self.rtl else 0
            if alignment == TA_RIGHT or (self.rtl and alignment == 0):
                x = self.width - style.rightIndent - line.width - (indent if self.rtl else 0)
                if extra:
                    x = style.leftIndent + (0 if self.rtl else indent)
            elif alignment == TA_CENTER:
                x = style.leftIndent + indent + (room - line.width) / 2
            else:
                x = style.leftIndent + indent
            draw_line(canv, self.styles, self.logical, line, x, y, self.rtl, self.line_text(line, last), extra,
                      marking, marked, needs_actual_text(self.logical, line, self.rtl or self.leaflet_rtl))
            for at, name in self.anchors:
                if line.start <= at < max(line.end, line.start + 1):
                    canv.bookmarkHorizontal(name, x, y + self.line_height)
            y -= self.line_height


def gaps_of(logical: str, line: Line) -> list[Item]:
    """The items of a line followed by a space inside the line: where justification stretches it."""
    text_end = line.start + len(logical[line.start:line.end].rstrip(" "))
    return [item for item in line.items if item.end < text_end and logical[item.end - 1] == " "]


def placements(logical: str, line: Line, x: float, extra: float = 0.0) -> list[tuple[Item, float]]:
    """The line's items (less its trailing spaces) in visual order, left to right, each with the
    x of its left end when the line starts at x (UAX #9 L2 over the items' levels). `extra`:
    points added at each space between words (a justified line)."""
    text_end = line.start + len(logical[line.start:line.end].rstrip(" "))
    items = [item for item in line.items if item.start < text_end]
    stretched = {id(item) for item in gaps_of(logical, line)} if extra else set()
    out = []
    for k in visual_order([item.level for item in items]):
        item = items[k]
        # A word's space follows it in reading order: on its left in a right-to-left run.
        if id(item) in stretched and item.level % 2:
            x += extra
        out.append((item, x))
        x += item.width
        if id(item) in stretched and not item.level % 2:
            x += extra
    return out


def drawing_runs(styles: list[RunStyle], logical: str,
                 placed: list[tuple[Item, float]]) -> list[tuple[int, float, int, list["Drawn"]]]:
    """The placed items of a line joined into runs to draw, each (style, x, bidi level, its words
    as drawn, left to right): words side by side in one style and direction are one run, drawn
    as one string, not a string a word. Each word's glyphs are worked out once (`drawn`)."""
    runs: list[tuple[int, float, int, list[Drawn], float]] = []  # style, x, level, words, right end
    for item, x in placed:
        word = drawn(pdfmetrics.getFont(styles[item.style].font), logical[item.start:item.end], item.level % 2 == 1)
        held = runs[-1] if runs else None
        if held is None or held[0] != item.style or held[2] != item.level or abs(held[4] - x) > 0.01:
            runs.append((item.style, x, item.level, [word], x + item.width))
        else:
            held[3].append(word)
            runs[-1] = (*held[:4], x + item.width)
    return [(style, x, level, words) for style, x, level, words, _ in runs]


def needs_actual_text(logical: str, line: Line, rtl: bool) -> bool:
    """Whether a line's glyphs, read in drawing order, would not give its text: a line of a
    right-to-left paragraph or with a right-to-left run (drawn in visual order), or letters that
    reorder or join (an Indic vowel sign drawn before its consonant). Other lines extract from
    their glyphs alone, as every reader does: poppler's structure reader (pdfinfo -struct-text)
    stops an element's text at the first Span's end."""
    return rtl or any(item.level % 2 for item in line.items) or needs_shaping(logical[line.start:line.end])


def draw_line(canv, styles: list[RunStyle], logical: str, line: Line, x: float, y: float, rtl: bool,
              text: str, extra: float = 0.0, marking: LineMarking | None = None,
              marked: bool = False, actual: bool = True) -> None:
    """Draw one line's items in visual order from x (left end) on baseline y; `extra` points at
    each space (justified). `text`: the line's logical text with a space where it broke; `actual`:
    whether it is the line's ActualText (its glyphs alone would not read as it: right to left,
    Indic).

    Untagged, such a line is one `/Span <</ActualText ...>>` (none when `marked`: the caller's
    marked content holds it). In a tagged leaflet `marking` (marking.py's,
    set on the paragraph) opens the marked content itself, a piece of the paragraph's element for
    the words and a piece of a Link element for each link's words (with its annotation), each with
    its ActualText where `actual`: no Span nested in the paragraph's marked content, which Poppler reads only the
    first of."""
    placed = placements(logical, line, x, extra)
    # Where the line broke at a space, the space is drawn (invisible, after the last word) when
    # the last word's item does not hold it (a right-to-left line's trailing space is an item of
    # its own): readers that take the glyphs, not the ActualText (Poppler's structure text,
    # PDFium's text objects), then do not run the last word of a line into the next line's first.
    last_drawn = max((item for item, _ in placed), key=lambda item: item.start) if placed else None
    space = (rtl if text.endswith(" ") and logical[line.start:line.end].endswith(" ")
             and last_drawn and not logical[last_drawn.start:last_drawn.end].endswith(" ") else None)
    if marking is None:
        spanned = actual and not marked  # else the caller's marked content holds the line
        if spanned:
            canv.addLiteral(actual_text_span(text))
        _draw_piece(canv, styles, logical, placed, y, extra, close="EMC" if spanned else None, space=space,
                    hyphen=line.hyphen)
        return
    groups: list[list[tuple[Item, float]]] = []  # consecutive items with the same link, in visual order
    for item, left in placed:
        if groups and styles[groups[-1][-1][0].style].link == styles[item.style].link:
            groups[-1].append((item, left))
        else:
            groups.append([(item, left)])
    if len(groups) <= 1:
        href = styles[placed[0][0].style].link if placed else None
        with marking(canv, text if actual else None, href, line.start, line.end):
            _draw_piece(canv, styles, logical, placed, y, extra, space=space, hyphen=line.hyphen)
        return
    last_item = max((item for item, _ in placed), key=lambda item: item.start)
    # Drawn in the order written (each glyph has its place): a reader that takes the content in
    # the order drawn reads a right-to-left line's link after the words before it.
    for group in sorted(groups, key=lambda group: min(item.start for item, _ in group)):
        items = sorted((item for item, _ in group), key=lambda item: item.start)
        piece = "".join(logical[item.start:item.end] for item in items)
        if last_item in items:  # the logically last piece ends the line as `text` does
            piece = piece.rstrip(" ") + text[len(text.rstrip(" ")):]
        with marking(canv, piece if actual else None, styles[group[0][0].style].link, items[0].start, items[-1].end):
            _draw_piece(canv, styles, logical, group, y, extra, space=space if last_item in items else None,
                        hyphen=line.hyphen and last_item in items)


def _draw_piece(canv, styles: list[RunStyle], logical: str, placed: list[tuple[Item, float]], y: float,
                extra: float = 0.0, close: str | None = None, space: bool | None = None,
                hyphen: bool = False) -> None:
    """Draw placed items (visual order) and their underlines, then `close` the marked content
    they are in (when the caller does not) and make their link annotations. `space`: a space
    after the logically last item too, on its right (False) or, right to left, its left (True).
    `hyphen`: the line was hyphenated; its hyphen is drawn after the rightmost item."""
    links: list[tuple[str, float, float, float]] = []
    underlines: list[tuple[object, float, float, float, float]] = []
    # One text object a piece (readers take its ActualText once), inside q ... Q: the shaped fonts
    # it selects must not outlive it in the graphics state ReportLab's own text assumes.
    canv.saveState()
    canv.addLiteral("BT")
    current_colour = None
    end, last_run = (placed[0][1] if placed else 0), None
    for style, x, level, words in drawing_runs(styles, logical, placed):
        run = styles[style]
        if run.colour is not current_colour:
            canv.setFillColor(run.colour)
            current_colour = run.colour
        draw_words(canv, run.font, run.size, words, x, y + run.rise)
    for item, x in placed:
        run = styles[item.style]
        # One underline and one link a line for words side by side, as ReportLab's Paragraph drew them.
        if run.underline:
            if underlines and underlines[-1][0] is run.colour and abs(underlines[-1][2] - x) <= extra + 0.01:
                underlines[-1] = (run.colour, underlines[-1][1], x + item.width, run.size, run.rise)
            else:
                underlines.append((run.colour, x, x + item.width, run.size, run.rise))
        if run.link:
            if links and links[-1][0] == run.link and abs(links[-1][2] - x) <= extra + 0.01:  # one rectangle a link
                links[-1] = (run.link, links[-1][1], x + item.width, max(links[-1][3], run.size))
            else:
                links.append((run.link, x, x + item.width, run.size))
        if x + item.width >= end:
            end, last_run = x + item.width, run
    if hyphen and last_run is not None:  # drawn, not in the ActualText: the word reads whole
        draw_glyphs(canv, last_run.font, last_run.size, shape(last_run.font, "-", False), "-", end,
                    y + last_run.rise)
    if space is not None and placed:
        last = max((item for item, _ in placed), key=lambda item: item.start)
        left = next(x for item, x in placed if item is last)
        run = styles[last.style]
        blank = shape(run.font, " ", False)
        width = sum(g.advance for g in blank) * run.size / units_per_em(run.font)
        draw_glyphs(canv, run.font, run.size, blank, " ", left - width if space else left + last.width, y)
    canv.addLiteral("ET")
    canv.restoreState()
    for colour, left, right, size, rise in underlines:
        canv.saveState()
        canv.setStrokeColor(colour)
        canv.setLineWidth(size / 18)
        canv.line(left, y + rise - size * 0.125, right, y + rise - size * 0.125)
        canv.restoreState()
    if close:
        canv.addLiteral(close)
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


class Drawn(NamedTuple):
    """A word (one item's text, shaped) as drawn, in stretches of glyphs that follow on from each
    other (each where the last ended, at one height, none moved sideways but maybe the last): the
    first glyph of a stretch as (glyph id, the text it extracts as (glyph_texts), its own advance
    in thousandths of an em, its x from the word's left end in font units, its y offset); the
    others as (glyph id, text, thousandths of an em); and where the pen is after the stretch, font
    units from the word's left end (None: its last glyph was moved sideways). Glyphs in
    drawing_order. And the word's advance in font units."""

    stretches: tuple[tuple[tuple[int, str, float, int, int], tuple[tuple[int, str, float], ...], int | None], ...]
    advance: int


@lru_cache(maxsize=65536)
def drawn(font, text: str, right_to_left: bool) -> Drawn:
    """How `text` shaped in a registered font (`shape`: an Item's glyphs are its text's) is drawn;
    worked out once a word, font and direction, as shaping is. A run's glyphs are its words' side
    by side: clusters never span two words, so each word's glyph texts and drawing order are the
    run's, and positions (whole font units) add up exactly."""
    hb_font = _harfbuzz_font(font)
    upem = hb_font.face.upem
    glyphs = _shaped(font, text, right_to_left)
    placed = drawing_order(glyphs, right_to_left)
    texts = glyph_texts(tuple(glyph for glyph, _ in placed), text, right_to_left)
    stretches: list = []
    first, rest, pen, height = None, [], None, None
    for (glyph, at), glyph_text in zip(placed, texts):
        own = hb_font.get_glyph_h_advance(glyph.gid)  # /W holds the font's own advance (PDF/A)
        if first is not None and pen == at and height == glyph.y_offset:
            rest.append((glyph.gid, glyph_text, own * 1000 / upem))  # follows on: only its code is written
        else:
            if first is not None:
                stretches.append((first, tuple(rest), pen))
            first, rest = (glyph.gid, glyph_text, own * 1000 / upem, at, glyph.y_offset), []
            height = glyph.y_offset
        pen = None if glyph.x_offset else at + own
    if first is not None:
        stretches.append((first, tuple(rest), pen))
    return Drawn(tuple(stretches), sum(glyph.advance for glyph in glyphs))


def draw_glyphs(canv, font: str, size: float, glyphs: tuple[Glyph, ...], text: str, x: float, y: float,
                right_to_left: bool = False) -> None:
    """Draw `text`, shaped in `font` (`glyphs`: shape()'s for it), from x on baseline y inside a
    text object (BT): one word, such as the hyphen that ends a hyphenated line."""
    draw_words(canv, font, size, [drawn(pdfmetrics.getFont(font), text, right_to_left)], x, y)


def draw_words(canv, font: str, size: float, words: list[Drawn], x: float, y: float) -> None:
    """Draw words' glyphs side by side, left to right, by id from x on baseline y inside a text
    object (BT), in drawing_order: each glyph by its two-byte code in the document's own font for
    `font` (embedding.py), which extracts as the text it was drawn for (glyph_texts). Glyphs go in
    one TJ string a run, kerning as numbers in it, a glyph moved up or down by the text rise; a
    glyph drawn left of where the last one ended, or after a mark moved sideways, starts a new
    text matrix."""
    face_font = pdfmetrics.getFont(font)
    held = fonts_of(canv).font(face_font)
    code_of = held.code
    upem = _harfbuzz_font(face_font).face.upem
    scale = size / upem
    out = [f"/{held.resource} {fp_str(size)} Tf"]
    parts: list[str] = []  # the TJ array being built
    codes: list[str] = []  # codes (hex) not yet written into it
    cursor = None  # where the PDF puts the next glyph, font units from x; None: a new text matrix
    rise = 0  # the text rise set, font units
    back = upem / 1000  # a thousandth of an em: a glyph further left than this is drawn left
    base = 0  # the word's left end, font units from x

    def close_string() -> None:  # the codes so far become one string of the TJ array
        if codes:
            parts.append("<" + "".join(codes) + ">")
            codes.clear()

    def end_array() -> None:  # the TJ array so far is written
        close_string()
        if parts:
            out.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    for word in words:
        for (gid, glyph_text, thousandths, at, y_offset), rest, pen in word.stretches:
            at += base
            code = code_of(gid, glyph_text, thousandths)
            if cursor is None or at < cursor - back:
                # A glyph drawn left of where the last one ended gets a text matrix of its own: a
                # number in a TJ that moves back reads as a space to pypdf and pdf.js.
                end_array()
                out.append(f"1 0 0 1 {fp_str(x + at * scale)} {fp_str(y)} Tm")
            elif abs(at - cursor) * 1000 / upem >= 0.005:  # kerning, a mark moved right
                close_string()
                parts.append(fp_str(-(at - cursor) * 1000 / upem))
            if y_offset != rise:
                # Raised or lowered by the text rise, on the line's baseline: readers that group glyphs
                # into lines by position keep a mark, or a Nastaliq word's cascading letters, on it.
                end_array()
                rise = y_offset
                out.append(f"{fp_str(rise * scale)} Ts")
            codes.append(f"{code:04X}")
            for gid, glyph_text, thousandths in rest:  # each where the last ended: its code alone
                codes.append(f"{code_of(gid, glyph_text, thousandths):04X}")
            # After a mark the shaper moved sideways the next glyph gets a text matrix of its own: a
            # number in a TJ bringing the pen back past the mark reads as a space to pypdf.
            cursor = None if pen is None else base + pen
        base += word.advance
    end_array()
    if rise:
        out.append("0 Ts")
    canv.addLiteral("\n".join(out))


def actual_text_span(text: str) -> str:
    """The operator that opens a line's Span with its logical text as ActualText: every line of an
    untagged leaflet whose glyphs alone would not read as its text (`needs_actual_text`, right to
    left and Indic lines too), so that the text read is exactly the source. Poppler and PDFium take
    a right-to-left line's ActualText for visual order and reverse it; drawn without, they would
    read Arabic and Hebrew (README: "What each reader reads")."""
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
    # The same header or footer text is on every page, measured and then drawn: laid out once.
    # Keyed by the font objects too: a font file registered again (`build --watch`) is new.
    return _furniture_laid_out(tuple((pdfmetrics.getFont(font), font, piece) for font, piece in runs), size,
                               right_to_left)


@lru_cache(maxsize=256)
def _furniture_laid_out(runs, size, right_to_left):
    """The one line of (font object, font name, text) runs, its styles and its text; read only."""
    from reportlab.lib.colors import black

    styles, owner, text = [], [], ""
    for _, font, piece in runs:
        styles.append(RunStyle(font, size, black, None, False))
        owner.extend([len(styles) - 1] * len(piece))
        text += piece
    para = ShapedParagraph.__new__(ShapedParagraph)
    para.logical, para.owner, para.styles = text, owner, styles
    # A header or footer line runs the page's way (the higher-level protocol of UAX #9): an
    # organisation's "&" or a full stop stays where the page's direction puts it.
    para.rtl = right_to_left
    para.levels = bidi_levels(text, para.rtl)
    para.breaks = break_opportunities(text)
    para.in_address = set()
    para.changes = [i for i in range(1, len(text)) if owner[i] != owner[i - 1] or para.levels[i] != para.levels[i - 1]]
    para.prepare_cuts()
    line = Line(0, len(text))
    line.items = para.shaped_items(0, len(text), len(text))
    line.width = sum(item.width for item in line.items)
    return line, styles, text


def draw_furniture_line(canv, runs: list[tuple[str, str]], x: float, y: float, size: float,
                        right_to_left: bool) -> float:
    """Draw one line of (font name, text) runs shaped, from x (left end) on baseline y, keeping
    the canvas's fill colour. Returns the width drawn."""
    line, styles, text = _furniture_line(runs, size, right_to_left)
    actual = needs_actual_text(text, line, right_to_left)
    if actual:
        canv.addLiteral(actual_text_span(text))
    canv.saveState()  # the shaped fonts selected stay inside (draw_line)
    canv.addLiteral("BT")
    for style, pen, level, words in drawing_runs(styles, text, placements(text, line, x)):
        run = styles[style]
        draw_words(canv, run.font, run.size, words, pen, y)
    canv.addLiteral("ET")
    canv.restoreState()
    if actual:
        canv.addLiteral("EMC")
    return line.width
