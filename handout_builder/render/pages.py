"""The render stage, second step: Story -> PDF bytes. Page templates, running header and footer, bookmarks, metadata.

Only the header and footer are drawn with canvas arithmetic; the page content is the story.
"Page N of M" needs the page count, known only after the last page: LeafletCanvas writes that
footer line into each page when the document is saved, so the story is laid out once. (A second
layout pass, `multiBuild`, takes as long again; a form XObject a page would add 0.4 KB a page;
the NumberedCanvas recipe loses links and bookmarks.)
"""
from __future__ import annotations

import io
from contextlib import nullcontext
from dataclasses import dataclass, replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, ListFlowable, PageBreak, PageTemplate, Paragraph, Table,
)
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from .. import __version__
from ..errors import HandoutError
from ..text.document import Document
from ..fonts.fontset import STYLES, FontSet, face_name
from ..text.furniture import details, edition, one_line, text_width
from .logo import draw_logo, logo_width
from .keeping import KeptWithEnd, KeptWithStart
from .handoff import FirstPage, FirstPageItem, Story
from .kept_pages import KeptPages, NotKept, StoryRecorder, draw_kept_page
from .marking import PAGINATION
from .shaped import ShapedParagraph, draw_furniture_line, needs_shaping, shaped_width
from .reportlab_seam import (
    Canvas, drawn_apart, drawn_height, drawn_once, font_name, frame_space_left, frame_y, identity_order, kept,
    page_has_content,
    register, replace_in_page, set_creation_date, too_narrow,
)

CREATOR = f"handout-builder {__version__}"
# What a flowable that does not fit on a page is, to an author: the first of these that it is or
# holds, in the order ReportLab names them (a Kept group names what it keeps).
KINDS = {Table: "a table or box", ShapedParagraph: "a paragraph", Paragraph: "a paragraph", ListFlowable: "a list",
         KeepTogether: "a box"}


class LeafletCanvas(Canvas):
    """A canvas that can draw part of a page once the pages are counted: `when_counted` leaves
    a marker (a PDF comment) in the page, and `save` draws each in its marker's place before
    the pages are written out. ReportLab keeps a page's content as text until then."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._waiting: list[tuple[int, str, object]] = []  # (page index, marker, draw(canvas, pages))
        self.pages = 0

    def when_counted(self, draw) -> None:
        """Draw here what draw(canvas, pages) draws, once the document's pages are counted."""
        marker = f"%counted-{len(self._waiting) + 1}"
        self.addLiteral(marker)
        self._waiting.append((self.pages, marker, draw))

    def showPage(self):
        self.pages += 1
        super().showPage()

    def save(self):
        if page_has_content(self):
            self.showPage()
        for index, marker, draw in self._waiting:
            replace_in_page(self, index, marker, drawn_apart(self, lambda canv: draw(canv, self.pages)))
        super().save()


class LeafletTemplate(BaseDocTemplate):
    """One page template for every page, with the running header and footer."""

    def __init__(self, buffer, document: Document, story: Story, marks=None):
        self.document = document
        self.story = story  # the notes on the flowables: where each part starts, bookmarks
        self.part = "title"
        self.marks = marks  # marking.Marks for a tagged leaflet: the logo, notice and DRAFT on page 1 are read
        self.recorder: StoryRecorder | None = None  # keeps what the story draws on each page (kept_pages.py)
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
            # The leaflet's own body font (registered here): a Chinese leaflet built alone in a
            # process never registers the layout's Latin one, and ReportLab then looked for an AFM.
            initialFontName=font_name(document.fonts, document.fonts.body), initialFontSize=layout.sizes.body,
            displayDocTitle=1 if layout.show_title else None,
            # A heading (keepWithNext) is kept with the start of what follows, not all of it (keeping.py).
            keepTogetherClass=KeptWithStart,
        )
        # The review-overdue notice is a band at the top of the text area; the text starts below it.
        self.notice_height = layout.sizes.furniture * 2.4 if document.notice else 0
        below_notice = self.notice_height + layout.spacing.paragraph if document.notice else 0
        self.frame_height = self.height - below_notice
        self.fill = None  # a list to note each page's fill in (render's `fill`)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height - below_notice, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        # Header before the content and footer after it, so text extracts in reading order.
        self.addPageTemplates([PageTemplate(id="leaflet", frames=[frame], onPage=self.header,
                                            onPageEnd=self.footer)])

    def beforeDocument(self) -> None:
        # Invariant mode stamps 2000-01-01; the leaflet's own date is the honest one, and it
        # keeps the bytes the same whatever day the leaflet is built.
        set_creation_date(self.canv, self.document.pdf_date)
        if self.document.layout.open_bookmarks:
            self.canv.showOutline()  # the viewer opens with the bookmarks panel showing

    def handle_flowable(self, flowables) -> None:
        in_hand = flowables[0] if flowables else None
        if flowables:  # note where in the handout layout is, before ReportLab groups or splits it
            # A section's end kept with the contact box: what does not fit there is the section's.
            self.part = getattr(in_hand, "before_part", None) or self.story.note(in_hand).part or self.part
            if not isinstance(in_hand, ActionFlowable) or isinstance(in_hand, PageBreak):
                self.in_hand = in_hand  # a frame break a split puts first says nothing of what moved
        try:
            super().handle_flowable(flowables)
        except LayoutError:  # the flowable in hand does not fit on an empty page
            raise self.too_big(what(in_hand), "large") from None
        except ValueError as exc:
            if not too_narrow(exc):
                raise
            raise self.too_big("a table or box", "wide") from None  # squeezed narrower than its cell padding

    def handle_keepWithNext(self, flowables) -> None:
        super().handle_keepWithNext(flowables)
        if flowables and isinstance(flowables[0], KeepTogether):  # the group is what is in hand now
            self.in_hand = flowables[0]

    def afterPage(self) -> None:
        """Note how much of the page was left empty, and what would not fit below (page fill)."""
        if self.fill is None:
            return
        height = self.frame_height
        in_hand = getattr(self, "in_hand", None)
        self.fill.append(PageFill(page=self.page, empty=max(frame_space_left(self.frame), 0) / height,
                                  ends_part=isinstance(in_hand, PageBreak), next_block=next_block(in_hand),
                                  part=self.part))

    def too_big(self, thing: str, how: str) -> HandoutError:
        """That `thing` ("a table or box") in the part being laid out is too large or too wide
        for a page, as a problem naming that part of the handout."""
        return too_big(self.document, self.part, thing, how)

    def afterFlowable(self, flowable: Flowable) -> None:
        bookmark = self.story.note(flowable).bookmark
        if bookmark:
            self.canv.bookmarkPage(bookmark.key, fit="XYZ", left=0,
                                   top=frame_y(self.frame) + drawn_height(flowable) + 12)
            self.canv.addOutlineEntry(bookmark.title, bookmark.key, level=bookmark.level)

    def header(self, canv, doc) -> None:
        """The running header: logo and organisation on the left, the leaflet's title on the right;
        when the title cannot fit beside them, the organisation above the title, both left."""
        layout, handout, fonts = self.document.layout, self.document.handout, self.document.fonts
        size, colours = layout.sizes.furniture, layout.colours
        left, right = layout.margin_left, layout.page_width - layout.margin_right
        canv.saveState()
        canv.addLiteral(PAGINATION)
        if handout.draft:  # drawn first, so it lies behind the text
            with self.read_on_first_page(canv, FirstPageItem.DRAFT):
                draw_draft_mark(canv, fonts, layout, self.document.words["draft"])
        top = layout.page_height - layout.margin_top * 0.5
        canv.setFillColor(HexColor(colours.muted))
        organisation = layout.clinic.organisation
        rtl = self.document.words.right_to_left  # a right-to-left leaflet's header is mirrored
        start, end, toward_end = (right, left, "left") if rtl else (left, right, "right")
        away = -1 if rtl else 1  # which way "further along the line" is

        def draw(text, x, y, align="left", bold=False):
            return draw_text(canv, fonts, text, x, y, size, align=align if not rtl else
                             {"left": "right", "right": "left"}[align], bold=bold, right_to_left=rtl)

        used = 0.0
        body_font = font_name(fonts, fonts.body)  # the leaflet's, registered (not the layout's Latin one)
        if layout.logo:  # the logo stands on the header rule, the organisation beside it
            logo_y = top - size * 0.8 + 3
            with self.read_on_first_page(canv, FirstPageItem.LOGO):
                if rtl:  # measured first, to stand at the right margin
                    used = draw_logo(canv, layout.logo, right - logo_width(layout.logo), logo_y, body_font) + size
                else:
                    used = draw_logo(canv, layout.logo, left, logo_y, body_font) + size
        beside = right - left - used - 24 - text_width(fonts, organisation, size, bold=True)
        if text_width(fonts, handout.title, size) <= beside:
            used += draw(organisation, start + away * used, top, bold=True)
            draw(handout.title, end, top, align="right")
        else:  # large type or a long title: two rows rather than a title cut short
            draw(organisation, start + away * used, top + size * 1.3, bold=True)
            draw(fit(fonts, handout.title, size, right - left - used), start + away * used, top)
        canv.setStrokeColor(HexColor(colours.accent))
        canv.setLineWidth(1)
        canv.line(left, top - size * 0.8, right, top - size * 0.8)
        if self.document.notice:
            self.notice(canv, left, right, layout.page_height - layout.margin_top)
        canv.addLiteral("EMC")
        canv.restoreState()
        if self.recorder is not None:  # what follows, to the footer, is the story's
            self.recorder.story_begins(canv)

    def read_on_first_page(self, canv, item: FirstPageItem):
        """Inside the header's artifact: what a screen reader reads on page 1 (tagged leaflets)."""
        return self.marks.on_first_page(canv, item) if self.marks else nullcontext()

    def notice(self, canv, left: float, right: float, top: float) -> None:
        """The review-overdue warning, in a band across the top of the text area."""
        layout, fonts = self.document.layout, self.document.fonts
        size, colours, height = layout.sizes.furniture, layout.colours, self.notice_height
        if layout.boxes == "ruled":  # no text over a tint (large print): a border instead
            canv.setStrokeColor(HexColor(colours.callout_rule))
            canv.rect(left, top - height, right - left, height, stroke=1, fill=0)
        else:
            canv.setFillColor(HexColor(colours.callout_background))
            canv.rect(left, top - height, right - left, height, stroke=0, fill=1)
        canv.setFillColor(HexColor(colours.callout_rule))
        canv.rect(right - 3 if self.document.words.right_to_left else left, top - height, 3, height, stroke=0, fill=1)
        canv.setFillColor(HexColor(colours.text))
        rtl = self.document.words.right_to_left
        with self.read_on_first_page(canv, FirstPageItem.NOTICE):
            draw_text(canv, fonts, self.document.notice, right - 10 if rtl else left + 10,
                      top - height / 2 - size * 0.35, size, align="right" if rtl else "left", bold=True,
                      right_to_left=rtl)

    def footer(self, canv, doc) -> None:
        """The running footer: the clinic's details, then version, review date and "Page N of M"."""
        if self.recorder is not None:
            self.recorder.story_ends(canv)
        layout, handout, fonts = self.document.layout, self.document.handout, self.document.fonts
        size, colours = layout.sizes.furniture, layout.colours
        left, right = layout.margin_left, layout.page_width - layout.margin_right
        canv.saveState()
        canv.addLiteral(PAGINATION)
        canv.setFillColor(HexColor(colours.muted))
        rule = layout.margin_bottom - size * 2
        canv.setStrokeColor(HexColor(colours.rule))
        canv.setLineWidth(0.5)
        canv.line(left, rule, right, rule)
        first = rule - size * 1.6
        second = first - size * 1.45
        # The document stage refused details and editions too long for the line (text/furniture.py).
        line = details(layout)
        words = self.document.words
        rtl = words.right_to_left  # a right-to-left leaflet's footer is mirrored
        drawn = draw_text(canv, fonts, line, right if rtl else left, first, size, align="right" if rtl else "left",
                          right_to_left=rtl)
        web = layout.clinic.web
        if web and line.endswith(web) and not rtl:  # on screen the web address is a link
            start = left + furniture_width(fonts, line[: -len(web)], size)
            href = web if "://" in web else f"https://{web}"
            canv.linkURL(href, (start, first - size * 0.3, left + drawn, first + size), relative=0, thickness=0)
        draw_text(canv, fonts, edition(handout, words), right if rtl else left, second, size,
                  align="right" if rtl else "left", right_to_left=rtl)
        number = canv.getPageNumber()

        def page_number(canv, pages: int) -> None:
            canv.setFillColor(HexColor(colours.muted))
            page = words.say("page_of", page=words.number(number), pages=words.number(pages))
            draw_text(canv, fonts, page, left if rtl else right, second, size, align="left" if rtl else "right",
                      bold=True, right_to_left=rtl)

        canv.when_counted(page_number)
        canv.addLiteral("EMC")
        canv.restoreState()


@dataclass(frozen=True)
class PageFill:
    """How full one page is: the share of its text area left empty at the foot, what came next
    (the block that did not fit below), the part of the handout being laid out, and whether the
    page ends a part of the leaflet (before the citation page, or the last page)."""

    page: int
    empty: float
    ends_part: bool
    next_block: str  # "a table", "a list", "a box", "a paragraph", "a heading and the start of a list"
    part: str | None


def next_block(flowable) -> str:
    """What a block that did not fit at the foot of a page is, to an author."""
    if isinstance(flowable, KeptWithStart) and len(kept(flowable)) > 1:
        return f"a heading and the start of {what(kept(flowable)[-1])}"
    if isinstance(flowable, KeptWithEnd):
        return "the contact box with the end of the section before it"
    if isinstance(flowable, ListFlowable):
        return "a list"
    if isinstance(flowable, KeepTogether):
        return "a box"  # a callout or the key points, kept whole
    return what(flowable) if flowable is not None else "nothing"


def what(flowable) -> str:
    """What a flowable that did not fit is, to an author ("a table or box", "a paragraph")."""
    for held in identity_order(flowable):
        kind = KINDS.get(type(held))
        if kind:
            return kind
    return "something"


def too_big(document: Document, part: str | None, thing: str, how: str) -> HandoutError:
    """A layout failure as a problem naming the part of the handout that did not fit: `thing`
    is "a table or box", "a paragraph"..., `how` is "large" or "wide"."""
    field = part or "sections"
    hint = " (a table's header row repeats on every page, so it must fit on one)" if thing == "a table or box" else ""
    return HandoutError.single(document.handout.file, document.handout.line_of(field), field,
                               f"{thing} here is too {how} to fit on a page, even on a page of its own{hint}; "
                               "break it up")


def draw_text(canv, fonts: FontSet, text: str, x: float, y: float, size: float,
              align: str = "left", bold: bool = False, right_to_left: bool = False) -> float:
    """Draw one line through the shaped-text engine, in the body font, taking each missing
    character from its fallback font. Returns the width drawn."""
    def draw(canv) -> float:
        style = "bold" if bold else "regular"
        runs = [(font_name(fonts, family, style), run) for family, run in fonts.runs(one_line(text))]
        width = shaped_width(runs, size, right_to_left)
        draw_furniture_line(canv, runs, x - width if align == "right" else x, y, size, right_to_left)
        return width

    # the same line in the same place (the header on every page, the clinic's details): shaped
    # once a document, its glyphs' codes already given
    return drawn_once(canv, ("line", text, x, y, size, align, bold, right_to_left, id(fonts)), draw)


def furniture_width(fonts: FontSet, text: str, size: float, bold: bool = False, right_to_left: bool = False) -> float:
    """The width draw_text gives a line, shaped (kerning included)."""
    style = "bold" if bold else "regular"
    runs = [(font_name(fonts, family, style), run) for family, run in fonts.runs(one_line(text))]
    return shaped_width(runs, size, right_to_left)


def draw_draft_mark(canv, fonts: FontSet, layout, word: str = "DRAFT") -> None:
    """A large pale "DRAFT" across the middle of the page: an unapproved leaflet says so on
    every page. Horizontal, so it reads (and extracts) as a word."""
    size = min(layout.page_width / 4, 120)
    canv.saveState()
    canv.setFillColor(HexColor(layout.colours.rule), alpha=0.35)
    size = min(size, 0.8 * layout.page_width / max(text_width(fonts, word, 1, bold=True), 1))  # BORRADOR fits too
    width = text_width(fonts, word, size, bold=True)
    draw_text(canv, fonts, word, (layout.page_width - width) / 2, layout.page_height / 2, size, bold=True,
              right_to_left=needs_shaping(word))
    canv.restoreState()
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
    # At a word: the last space in what fits, unless the first word alone is too long (or the
    # language writes no spaces: Chinese), when the cut falls between characters.
    if shortest < len(text) and not text[shortest].isspace():
        space = text.rfind(" ", 0, shortest + 1)
        if space > 0:
            shortest = space
    return text[:shortest].rstrip(" ,;:\u2013\u2014-") + "\u2026"


def render(document: Document, story: Story, marks=None, fill: list | None = None,
           kept: list | None = None) -> tuple[bytes, int]:
    """Lay the story out on pages; return the PDF bytes and the page count. `marks`: the
    marking.Marks of a marked story (tagged leaflets). `fill`: a list to add each page's
    PageFill to. `kept`: a list to add the story's drawing to, as KeptPages (None when it
    cannot be kept), for `draw_kept`. Raises HandoutError naming the part of the handout when
    something cannot fit on a page."""
    register(document.fonts)
    buffer = io.BytesIO()
    template = LeafletTemplate(buffer, document, story, marks)
    template.fill = fill
    if kept is not None:
        template.recorder = StoryRecorder()
    try:
        template.build(list(story.flowables), canvasmaker=LeafletCanvas)  # build consumes its list
    except LayoutError:  # raised outside a flowable (finishing the last page): nothing to name
        raise too_big(document, template.part, "something", "large") from None
    except ValueError as exc:
        if not too_narrow(exc):
            raise
        raise too_big(document, template.part, "a table or box", "wide") from None
    if fill:
        fill[-1] = replace(fill[-1], ends_part=True)  # the last page
    if kept is not None:
        read_first = first_page_items(story.first_page)
        # The Document element's children: what page 1's header reads (marking.mark_story puts
        # those first), then the story's.
        structure = marks.document.children[len(read_first):] if marks is not None else None
        kept.append(template.recorder.kept(template.canv, read_first, structure))
    return buffer.getvalue(), template.canv.pages


def first_page_items(first_page: FirstPage) -> tuple[str, ...]:
    """What page 1's header reads before the story (its marked content comes first)."""
    return tuple(item.value for item, _, _ in first_page.items())


class KeptStory(Flowable):
    """One page's kept story, drawn where the story was (its operators place themselves)."""

    def __init__(self, kept: KeptPages, index: int, marks=None):
        super().__init__()
        self.kept, self.index, self.marks = kept, index, marks

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def drawOn(self, canv, x, y, _sW=0):
        if self.index == 0 and self.marks is not None:  # after page 1's header read its items
            self.marks.document.children.extend(self.kept.structure or ())
        draw_kept_page(canv, self.kept, self.index)


def draw_kept(document: Document, first_page: FirstPage, kept: KeptPages, marks=None) -> tuple[bytes, int]:
    """The PDF of a leaflet whose story's pages were kept (kept_pages.py): each page's header
    and footer drawn from `document`'s layout round the kept story, as `render` draws them;
    the bytes and page count. `marks`: the marking.Marks with page 1's items only (tagged
    leaflets): the kept structure joins them. Raises NotKept when page 1's header reads other
    items than when the pages were kept."""
    if first_page_items(first_page) != kept.first_page or (marks is None) != (kept.structure is None):
        raise NotKept
    register(document.fonts)
    faces = kept.faces()
    for family in document.fonts.families:  # the fallbacks the story drew with, as making it registered them
        for style in STYLES:
            if face_name(family, style) in faces:
                faces.discard(font_name(document.fonts, family, style))
    if faces:  # a font the leaflet's families do not have (never, as the key holds the families)
        raise NotKept
    buffer = io.BytesIO()
    template = LeafletTemplate(buffer, document, Story((), first_page=first_page), marks)
    flowables: list[Flowable] = []
    for index in range(len(kept.pages)):
        flowables += [PageBreak()] if index else []
        flowables.append(KeptStory(kept, index, marks))
    template.build(flowables, canvasmaker=LeafletCanvas)
    if template.canv.pages != len(kept.pages):
        raise NotKept
    return buffer.getvalue(), template.canv.pages
