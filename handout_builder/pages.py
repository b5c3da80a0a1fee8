"""Stage 5: story -> PDF bytes. Page templates, running header and footer, bookmarks, metadata.

Only the header and footer are drawn with canvas arithmetic; the page content is the story.
"Page N of M" needs the page count before the last page is drawn: `multiBuild` makes a second
pass when the count it learned differs from the one it drew with (links and bookmarks survive,
unlike the NumberedCanvas recipe).
"""
from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import IndexingFlowable, LayoutError

from . import __version__
from .document import Document
from .fonts import FontSet, face_name, register
from .furniture import details, edition, one_line, text_width

CREATOR = f"handout-builder {__version__}"


class PageCount(IndexingFlowable):
    """Zero-size flowable at the end of the story: learns the page count for "Page N of M"."""

    def __init__(self):
        super().__init__()
        self.width = self.height = 0
        self.total: int | None = None  # what this pass's footers say
        self._counted: int | None = None

    def beforeBuild(self):
        self._counted = None

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self._counted = self.canv.getPageNumber()

    def isSatisfied(self):
        satisfied = self._counted == self.total
        self.total = self._counted
        return satisfied


class LeafletTemplate(BaseDocTemplate):
    """One page template for every page, with the running header and footer."""

    def __init__(self, buffer, document: Document, page_count: PageCount):
        self.document = document
        self.page_count = page_count
        self.part = "title"
        layout, handout = document.layout, document.handout
        super().__init__(
            buffer,
            pagesize=(layout.page_width, layout.page_height),
            leftMargin=layout.margin_left, rightMargin=layout.margin_right,
            topMargin=layout.margin_top, bottomMargin=layout.margin_bottom,
            title=handout.title, author=layout.clinic.organisation,
            subject=handout.subtitle or handout.title,
            keywords=", ".join(handout.keywords or (handout.title, "patient information")),
            creator=CREATOR, lang=handout.language, invariant=1,
            initialFontName=layout.body_font.name, initialFontSize=layout.sizes.body,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        # Header before the content and footer after it, so text extracts in reading order.
        self.addPageTemplates([PageTemplate(id="leaflet", frames=[frame], onPage=self.header,
                                            onPageEnd=self.footer)])

    def handle_flowable(self, flowables) -> None:
        if flowables:  # note where in the handout layout is, before ReportLab groups or splits it
            self.part = getattr(flowables[0], "part", self.part)
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "outline", None)
        if entry:
            title, key, level = entry
            self.canv.bookmarkPage(key, fit="XYZ", left=0, top=self.frame._y + flowable.height + 12)
            self.canv.addOutlineEntry(title, key, level=level)

    def header(self, canv, doc) -> None:
        """The running header: organisation on the left, the leaflet's title on the right."""
        layout, handout, fonts = self.document.layout, self.document.handout, self.document.fonts
        size, colours = layout.sizes.furniture, layout.colours
        left, right = layout.margin_left, layout.page_width - layout.margin_right
        canv.saveState()
        top = layout.page_height - layout.margin_top * 0.5
        canv.setFillColor(HexColor(colours.muted))
        organisation = layout.clinic.organisation
        used = draw_text(canv, fonts, organisation, left, top, size, bold=True)
        draw_text(canv, fonts, fit(fonts, handout.title, size, right - left - used - 24), right, top, size,
                  align="right")
        canv.setStrokeColor(HexColor(colours.accent))
        canv.setLineWidth(1)
        canv.line(left, top - size * 0.8, right, top - size * 0.8)
        canv.restoreState()

    def footer(self, canv, doc) -> None:
        """The running footer: the clinic's details, then version, review date and "Page N of M"."""
        layout, handout, fonts = self.document.layout, self.document.handout, self.document.fonts
        size, colours = layout.sizes.furniture, layout.colours
        left, right = layout.margin_left, layout.page_width - layout.margin_right
        canv.saveState()
        canv.setFillColor(HexColor(colours.muted))
        rule = layout.margin_bottom - size * 2
        canv.setStrokeColor(HexColor(colours.rule))
        canv.setLineWidth(0.5)
        canv.line(left, rule, right, rule)
        first = rule - size * 1.6
        second = first - size * 1.45
        # The document stage refused details and editions too long for the line (furniture.py).
        draw_text(canv, fonts, details(layout), left, first, size)
        draw_text(canv, fonts, edition(handout, layout), left, second, size)
        total = self.page_count.total or canv.getPageNumber()
        draw_text(canv, fonts, f"Page {canv.getPageNumber()} of {total}", right, second, size,
                  align="right", bold=True)
        canv.restoreState()


def draw_text(canv, fonts: FontSet, text: str, x: float, y: float, size: float,
              align: str = "left", bold: bool = False) -> float:
    """Draw one line in the body font, taking each missing character from its fallback font.
    Returns the width drawn."""
    style = "bold" if bold else "regular"
    text = one_line(text)
    runs = [(face_name(family, style), run) for family, run in fonts.runs(text)]
    width = sum(stringWidth(run, name, size) for name, run in runs)
    if align == "right":
        x -= width
    text = canv.beginText(x, y)  # one text object, so extractors keep the runs on one line
    for name, run in runs:
        text.setFont(name, size)
        text.textOut(run)
    canv.drawText(text)
    return width


def fit(fonts: FontSet, text: str, size: float, width: float) -> str:
    """Text shortened with an ellipsis to fit a width (a long title in the header)."""
    text = one_line(text)
    if text_width(fonts, text, size) <= width:
        return text
    shortest, longest = 0, len(text)  # binary search: a 10,000-character title is cut in 14 measures
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if text_width(fonts, text[:middle].rstrip() + "\u2026", size) <= width:
            shortest = middle
        else:
            longest = middle - 1
    return text[:shortest].rstrip() + "\u2026"


def render(document: Document, story: list[Flowable]) -> tuple[bytes, int]:
    """Lay the story out on pages; return the PDF bytes and the page count."""
    register(document.fonts)
    buffer = io.BytesIO()
    page_count = PageCount()
    template = LeafletTemplate(buffer, document, page_count)
    try:
        template.multiBuild([*story, page_count])
    except LayoutError as exc:
        exc.part = template.part  # the handout field being laid out, for the author
        raise
    except ValueError as exc:
        if "negative availWidth" not in str(exc):
            raise
        error = LayoutError(f"too wide: {exc}")  # a table squeezed narrower than its cell padding
        error.part = template.part
        raise error from None
    return buffer.getvalue(), page_count.total
