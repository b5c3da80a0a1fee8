"""A leaflet's laid-out story as data: what the pages stage drew for the story on each page,
kept so that a layout change that reaches only the page furniture draws the pages again
without laying the story out again (build/stage_cache.py keeps it, build/pipeline.py decides).

Story -> pages -> tagged PDF bytes: ReportLab lays the story out and draws it between each
page's running header (drawn first) and footer (drawn last). While a leaflet is built, the
StoryRecorder keeps, per page, what the story drew there: its operators, and the annotations
(links), bookmarks and outline entries it made, in order. With the structure tree the marking
recorded (tagged leaflets) and the glyphs each shaped font's codes stand for, that is
KeptPages. `draw_kept` (pages.py) then builds a PDF from a layout's furniture and the kept
story: the header, the kept story, the footer, page by page, through the same canvas and
template, so the file is the one a build from clean makes:

- Glyph codes are given out per document in drawing order (embedding.py), and the header is
  drawn before the story: new furniture can give the story's glyphs other codes. The kept
  operators are drawn again with each code taken anew, in the order drawn, for the glyph (and
  text and width) it stood for: the codes a build from clean gives them.
- Marked-content ids are given out per page in drawing order, and page 1's header reads the
  logo, notice and DRAFT before the story: kept pages are used only when page 1's header reads
  the same items (`first_page`), so the story's ids stand.
- Anything else the story's drawing changed in the document (an image, a form, a graphics
  state, a font ReportLab subsets itself) would not be made again: a recording that sees one
  is refused (`refused`) and nothing is kept; that leaflet is laid out every time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics

from .embedding import fonts_of
from .reportlab_seam import add_code, code_length, code_since, drawing_state, split_again

_TF = re.compile(r"/(SF\d+) (\S+) Tf\Z")  # how shaped.draw_glyphs selects a font
_CODES = re.compile(r"<([0-9A-F]+)>")


class NotKept(Exception):
    """The kept pages do not fit this build (page 1's header reads other items): lay out anew."""


@dataclass
class KeptPage:
    """What the story drew on one page: its operators, and between them (by how many operators
    came before) the annotations, bookmarks and outline entries it made."""

    operators: list[str] = field(default_factory=list)
    calls: list[tuple[int, str, tuple, dict]] = field(default_factory=list)


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
        return set(self.fonts.values()) | {args[0] for page in self.pages
                                           for _, what, args, _ in page.calls if what == "split"}


class StoryRecorder:
    """Watches a canvas while a leaflet is built: `story_begins` when a page's header is drawn,
    `story_ends` before its footer; the canvas tells it of each annotation, bookmark and outline
    entry (reportlab_seam.Canvas._kept_call)."""

    def __init__(self):
        self.pages: list[KeptPage] = []
        self.refused: str | None = None  # why the drawing cannot be kept
        self._start = 0
        self._state: tuple | None = None

    def story_begins(self, canv) -> None:
        self.pages.append(KeptPage())
        self._start, self._state = code_length(canv), drawing_state(canv)
        canv.keeper = self

    def story_ends(self, canv) -> None:
        if canv.keeper is not self:  # a page the story never began (none in a leaflet)
            self.refused = self.refused or "a page was drawn without its header"
            return
        self._take(canv)
        canv.keeper = None

    def before_call(self, canv) -> None:
        self._take(canv)

    def after_call(self, canv, what: str, args: tuple, kwargs: dict) -> None:
        page = self.pages[-1]
        page.calls.append((len(page.operators), what, args, dict(kwargs)))
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
        self.pages[-1].operators.extend(operators)
        self._start = code_length(canv)

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
    """Draw what the story drew on page `index` (from 0), each glyph with the code this
    document gives it."""
    page = kept.pages[index]
    shaped = fonts_of(canv)
    done = 0
    for before, what, args, kwargs in [*page.calls, (len(page.operators), None, (), {})]:
        add_code(canv, [_recoded(operator, kept, shaped) for operator in page.operators[done:before]])
        done = before
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


def _recoded(operator: str, kept: KeptPages, shaped) -> str:
    """An operator string as this document draws it: shaped text (draw_glyphs' strings, which
    start by selecting their font) with this document's font resources and codes."""
    if not operator.startswith("/SF"):
        return operator
    lines = operator.split("\n")
    held = resource = None
    for number, line in enumerate(lines):
        found = _TF.match(line)
        if found:
            resource = found.group(1)
            held = shaped.font(pdfmetrics.getFont(kept.fonts[resource]))
            lines[number] = f"/{held.resource} {found.group(2)} Tf"
        elif line.endswith(" TJ"):
            glyphs = kept.glyphs[resource]

            def recode(match: re.Match) -> str:
                old = match.group(1)
                return "<" + "".join(f"{held.code(*glyphs[int(old[at:at + 4], 16)]):04X}"
                                     for at in range(0, len(old), 4)) + ">"

            lines[number] = _CODES.sub(recode, line)
    return "\n".join(lines)
