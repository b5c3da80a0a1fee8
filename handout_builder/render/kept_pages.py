"""A leaflet's laid-out story as data: what the pages stage drew for the story on each page,
kept so that a layout change that reaches only the page furniture draws the pages again
without laying the story out again (build/stage_cache.py keeps it, build/pipeline.py decides).

Story -> pages -> tagged PDF bytes: ReportLab lays the story out and draws it between each
page's running header (drawn first) and footer (drawn last). While a leaflet is built, the
StoryRecorder keeps, per page, what the story drew there: its operators (as the text they make
in the page's stream), and in their places the links, bookmarks and outline entries it made and
the text it split into ReportLab's own font subsets (a list's bullets), to make them again. With
the structure tree the marking recorded (tagged leaflets) and the glyphs each shaped font's
codes stand for, that is KeptPages. `draw_kept` (pages.py) then builds a PDF from a layout's furniture and the kept
story: the header, the kept story, the footer, page by page, through the same canvas and
template, so the file is the one a build from clean makes:

- Glyph codes are given out per document in drawing order (embedding.py), and the header is
  drawn before the story: new furniture can give the story's glyphs other codes. Each code the
  page's story drew is taken anew, in the order first drawn, for the glyph (and text and width)
  it stood for: the codes a build from clean gives them; the kept text is rewritten with them
  when any differs. (A story that gave out a code it did not draw is refused.)
- Marked-content ids are given out per page in drawing order, and page 1's header reads the
  logo, notice and DRAFT before the story: kept pages are used only when page 1's header reads
  the same items (`first_page`), so the story's ids stand.
- A picture (figures.py) makes an image XObject or a form of the document: it is drawn as a
  step (`Canvas.kept_step`), kept with the picture itself (its bytes, which pages_key hashes)
  and its size, and drawn again from them in its place, making the same objects in the same
  order as a build from clean.
- Anything else the story's drawing changed in the document (an image or form drawn otherwise,
  a graphics state, a spot colour) would not be made again: a recording that sees one is refused
  (`refused`) and nothing is kept; that leaflet is laid out every time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics

from .embedding import fonts_of
from .figures import draw_picture
from .reportlab_seam import add_code, code_length, code_since, drawing_state, split_again

# How shaped.draw_glyphs writes shaped text: a line selecting the font, then lines of TJ arrays
# of two-byte codes (the only TJ lines a kept story holds: StoryRecorder refuses any other).
_SHAPED = re.compile(r"^/(SF\d+) (\S+) Tf$|^\[([^\]\n]*)\] TJ$", re.M)
_CODE = re.compile(r"<([0-9A-F]+)>")


class NotKept(Exception):
    """The kept pages do not fit this build (page 1's header reads other items): lay out anew."""


@dataclass
class KeptPage:
    """What the story drew on one page: its operators, as the text they make in the page's
    stream, in stretches; after each stretch but the last, an annotation, bookmark, outline
    entry or text of ReportLab's own fonts it made (what, arguments, keywords). And the shaped
    fonts' resources and codes in the order first drawn on the page, to give them out again."""

    stretches: list[str | None] = field(default_factory=list)  # None: nothing drawn in between
    calls: list[tuple[str, tuple, dict]] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)  # resources ("SF1"), first drawn first
    codes: dict[str, dict[int, None]] = field(default_factory=dict)  # resource -> codes, first drawn first


@dataclass
class KeptPages:
    """A leaflet's story as drawn on its pages (see the module's docstring)."""

    pages: list[KeptPage]
    fonts: dict[str, str]  # shaped font resource ("SF1") -> the registered font it draws with
    glyphs: dict[str, dict[int, tuple[int, str, float]]]  # resource -> code -> (glyph id, text, width)
    first_page: tuple[str, ...]  # the items page 1's header reads before the story (FirstPageItem values)
    structure: list | None = None  # the story's structure elements (marking.Element), tagged leaflets

    def faces(self) -> set[str]:
        """The registered fonts the kept story draws with (each must be registered to draw it)."""
        return (set(self.fonts.values())
                | {args[0] for page in self.pages for what, args, _ in page.calls if what == "split"}
                | {args[4] for page in self.pages for what, args, _ in page.calls if what == "picture" and args[4]})


class StoryRecorder:
    """Watches a canvas while a leaflet is built: `story_begins` when a page's header is drawn,
    `story_ends` before its footer; the canvas tells it of each annotation, bookmark, outline
    entry, split of text into ReportLab's own font subsets and picture (reportlab_seam.Canvas._kept_call)."""

    def __init__(self):
        self.pages: list[KeptPage] = []
        self.refused: str | None = None  # why the drawing cannot be kept
        self._operators: list[str] = []  # the stretch being drawn
        self._start = 0
        self._state: tuple | None = None
        self._given: dict[str, int] = {}

    def story_begins(self, canv) -> None:
        self.pages.append(KeptPage())
        self._start, self._state = code_length(canv), drawing_state(canv)
        self._given = self._codes_given(canv)
        canv.keeper = self

    def story_ends(self, canv) -> None:
        if canv.keeper is not self:  # a page the story never began (none in a leaflet)
            self.refused = self.refused or "a page was drawn without its header"
            return
        self._take(canv)
        self._close_stretch()
        canv.keeper = None
        # Every code the story gave out on this page is in its text, so drawing the kept text
        # gives them out again, in the same order (a code given for glyphs never drawn would not be).
        page = self.pages[-1]
        for resource, given in self._codes_given(canv).items():
            drawn = page.codes.get(resource, {})
            if any(code not in drawn for code in range(self._given.get(resource, 0) + 1, given + 1)):
                self.refused = self.refused or "the story gave out glyph codes it did not draw"

    @staticmethod
    def _codes_given(canv) -> dict[str, int]:
        """How many codes each shaped font of the document has given out (codes run 1, 2, 3...)."""
        return {held.resource: len(held.codes) for held in fonts_of(canv).fonts.values()}

    def before_call(self, canv) -> None:
        self._take(canv)
        self._close_stretch()

    def after_call(self, canv, what: str, args: tuple, kwargs: dict) -> None:
        self.pages[-1].calls.append((what, args, dict(kwargs)))
        self._start, self._state = code_length(canv), drawing_state(canv)

    def _take(self, canv) -> None:
        """Keep the operators drawn since the last step; refuse the recording if that drawing
        changed the document in another way."""
        if drawing_state(canv) != self._state:
            self.refused = self.refused or "the story drew an image, form or graphics state"
        operators = code_since(canv, self._start)
        # Shaped glyphs are drawn only as draw_glyphs draws them (each string selects its font
        # first), so `_recoded` finds every code; any other TJ would keep stale codes.
        if any(" TJ" in operator and not operator.startswith("/SF") for operator in operators):
            self.refused = self.refused or "the story drew glyph codes `_recoded` would not find"
        self._operators.extend(operators)
        self._start = code_length(canv)

    def _close_stretch(self) -> None:
        page = self.pages[-1]
        stretch = "\n".join(self._operators) if self._operators else None  # as ReportLab joins them
        self._operators = []
        page.stretches.append(stretch)
        if stretch is None:
            return
        resource = None
        for found in _SHAPED.finditer(stretch):
            if found.group(1):
                resource = found.group(1)
                if resource not in page.codes:
                    page.fonts.append(resource)
                    page.codes[resource] = {}
            else:
                codes = page.codes[resource]
                for hexes in _CODE.findall(found.group(3)):
                    for at in range(0, len(hexes), 4):
                        codes.setdefault(int(hexes[at:at + 4], 16))

    def kept(self, canv, first_page: tuple[str, ...], structure: list | None) -> KeptPages | None:
        """What was recorded, once the document is saved: None when it cannot be kept."""
        if self.refused or not self.pages:
            return None
        fonts, glyphs = {}, {}
        for held in fonts_of(canv).fonts.values():
            fonts[held.resource] = held.font.fontName
            glyphs[held.resource] = {code: key for key, code in held.codes.items()}
        return KeptPages(self.pages, fonts, glyphs, first_page, structure)


def draw_kept_page(canv, kept: KeptPages, index: int) -> None:
    """Draw what the story drew on page `index` (from 0), each shaped glyph with the code this
    document gives it: the fonts and codes are given out first, in the order the story first drew
    them, as drawing it would; when each is what it was, the kept text is drawn as it is."""
    page = kept.pages[index]
    shaped = fonts_of(canv)
    resources, codes, same = {}, {}, True
    for resource in page.fonts:
        held = shaped.font(pdfmetrics.getFont(kept.fonts[resource]))
        resources[resource] = held.resource
        glyphs = kept.glyphs[resource]
        table = codes[resource] = {f"{old:04X}": f"{held.code(*glyphs[old]):04X}" for old in page.codes[resource]}
        same = same and held.resource == resource and all(old == new for old, new in table.items())
    for number, stretch in enumerate(page.stretches):
        if stretch is not None:
            add_code(canv, [stretch if same else _recoded(stretch, resources, codes)])
        if number < len(page.calls):
            what, args, kwargs = page.calls[number]
            if what == "url":
                canv.linkURL(*args, **kwargs)
            elif what == "link":
                canv.linkRect(*args, **kwargs)
            elif what == "split":
                split_again(canv, *args)
            elif what == "bookmark":
                canv.bookmarkPage(*args, **kwargs)
            elif what == "outline":
                canv.addOutlineEntry(*args)
            elif what == "picture":
                draw_picture(canv, *args)
            else:
                raise ValueError(f"no way to make a kept {what!r} again")


def _recoded(stretch: str, resources: dict[str, str], codes: dict[str, dict[str, str]]) -> str:
    """A stretch of kept operators with this document's shaped font resources and codes."""
    current: list[dict[str, str]] = [{}]

    def recode(found: re.Match) -> str:
        if found.group(1):
            current[0] = codes[found.group(1)]
            return f"/{resources[found.group(1)]} {found.group(2)} Tf"
        table = current[0]
        return _CODE.sub(lambda hexes: "<" + "".join(table[hexes.group(1)[at:at + 4]]
                                                     for at in range(0, len(hexes.group(1)), 4)) + ">",
                         found.group(0))

    return _SHAPED.sub(recode, stretch)
