"""Marked content for tagged PDF: what each piece drawn on a page means, recorded as it is drawn.

A screen reader follows a PDF's structure tree (heading, paragraph, list, table...), whose
leaves point at "marked content" on the pages: the operators between `BDC` and `EMC` with a
marked-content id (MCID). ReportLab writes no structure, so the story is marked here before it
is laid out, and the tree is written into the finished file by tagging.py:

- `mark_story` builds the logical tree (`Element`s, in reading order) from the story that
  story.py made, and wraps each flowable that draws text or a picture in `Marked`, which emits
  `BDC`/`EMC` round whatever it draws and records the page and MCID. A paragraph split across
  pages is split into wrappers that share one element: one element, two pieces.
- What a container draws itself is page furniture, marked as an artifact: a table's backgrounds
  and rules (through its render callback), horizontal rules. List bullets and numbers are the
  items' labels (Lbl). A list the story prints in parts (its first items kept with what
  introduces it) is one L; a section's heading and body are one Sect.
- Content drawn a second time (a table's header row repeated on the next page) is an artifact.
- The running header and footer are artifacts (pages.py); on the first page the logo, the
  review-overdue notice and the DRAFT mark are read as content, before the title.

- A paragraph of our own line layout (shaped.py) marks its lines itself, through the hook set on
  it here (`Marks.piece`): each line is a piece of the paragraph's element with its ActualText,
  and a link's words are a piece of a Link element made as they are drawn, read where they are,
  with the link's annotation. ReportLab's Paragraph draws a paragraph whole: its links are Link
  elements with their annotations only.

What each flowable is (a heading's language, what a Table means, a figure's description) is the
story's note on it (handoff.py); the wrappers made here carry the notes on for the page stage.
ReportLab's containers are opened through reportlab_seam.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import ActionFlowable, IndexingFlowable
from reportlab.platypus.flowables import HRFlowable, LIIndenter

from .figures import PictureFlowable
from .handoff import FirstPageItem, Notes, Story
from .shaped import ShapedParagraph, pdf_text_string
from .reportlab_seam import (
    StandIn, annotation_count, draw_bullet_inside, entry_flowable, has_bullet, kept, links_since, list_entries,
    on_table_drawing, set_entry_flowable, set_kept, table_rows,
)

# The heading levels of the story's paragraph styles; any other style is a paragraph.
HEADING_STYLES = {"title": "H1", "heading": "H2", "box_heading": "H2", "subheading": "H3", "caption": "Caption"}
# The two kinds of page furniture (PDF "artifacts"), each opened by its operator and closed by EMC:
# what the story draws that is not text (rules, backgrounds, a repeated table header), and the
# running header and footer (pages.py), which `diff` compares apart from the text of the sections.
ARTIFACT = "/Artifact BMC"
PAGINATION = "/Artifact <</Type /Pagination>> BDC"


@dataclass(eq=False)
class Element:
    """One node of the structure tree: a role (H1, P, LI, TD...), its children in reading order,
    and, filled in while the pages are drawn, the marked content and links that belong to it."""

    role: str
    children: list["Element"] = field(default_factory=list)
    alt: str | None = None  # a figure's description
    scope: str | None = None  # a table header cell's: Column
    lang: str | None = None  # a passage in another language than the leaflet's ({lang=fr})
    # (page from 0, MCID), in drawing order; and among them the Link elements made while the
    # element was drawn (a link's words), where they are read.
    pieces: list["tuple[int, int] | Element"] = field(default_factory=list)
    # (page from 0, index in the page's /Annots, where it leads: "#ref-2" or a URI)
    links: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, role: str, **attributes) -> "Element":
        child = Element(role, **attributes)
        self.children.append(child)
        return child

    def __deepcopy__(self, memo):
        return self  # ReportLab copies flowables (and frames) while measuring: the tree is shared

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class Marks:
    """The structure tree of one leaflet and the marked content recorded for it while drawing.

    ReportLab may lay the story out more than once (multiBuild); each pass draws on a new canvas,
    and a new canvas starts the record afresh, so only the last pass's pages count."""

    def __init__(self):
        self.document = Element("Document")
        self.first_page: dict[FirstPageItem, Element] = {}  # logo, notice, draft: read on page 1 only
        self._pass_canvas = None
        self._next_mcid: dict[int, int] = {}
        self._drawn: dict[int, Flowable] = {}  # kept, so that no id is reused within a pass
        self._open = False
        self._lines: Element | None = None  # the element whose lines are being drawn (`lines`)
        self._claimed: set[tuple[int, int]] = set()  # (page, annotation index) a Link element holds
        self._last_link: dict[int, tuple[str, int, Element]] = {}  # element id -> (href, end, its Link)

    def __deepcopy__(self, memo):
        return self  # one record for the leaflet, however often ReportLab copies a flowable

    def _begin_pass(self, canv) -> None:
        if canv is not self._pass_canvas:
            self._pass_canvas = canv
            self._next_mcid = {}
            self._drawn = {}
            self._claimed = set()
            self._last_link = {}
            for element in self.document.walk():
                element.pieces.clear()
                element.links.clear()

    @contextmanager
    def content(self, canv, element: Element):
        """Mark what is drawn inside as a piece of `element`, with the links it makes."""
        self._begin_pass(canv)
        assert not self._open, "marked content cannot nest"
        page = canv.getPageNumber() - 1
        links = annotation_count(canv)
        self._begin(canv, element)
        self._open = True
        try:
            yield
        finally:
            self._open = False
            canv.addLiteral("EMC")
        for index, target in links_since(canv, links):
            if (page, index) not in self._claimed:
                element.links.append((page, index, target))

    def _begin(self, canv, element: Element, properties: str = "", tag: str | None = None) -> None:
        """Open a new piece of marked content for `element` (its next MCID on this page), tagged
        with its role unless `tag` says otherwise."""
        page = canv.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        element.pieces.append((page, mcid))
        canv.addLiteral(f"/{tag or element.role} <</MCID {mcid}{properties}>> BDC")

    @contextmanager
    def lines(self, canv, element: Element):
        """What is drawn inside is a paragraph of our own line layout (shaped.py), whose lines
        open their own marked content as pieces of `element` (`piece`); annotations made outside
        a link's piece are the element's."""
        self._begin_pass(canv)
        assert not self._open, "marked content cannot nest"
        page = canv.getPageNumber() - 1
        links = annotation_count(canv)
        self._open, self._lines = True, element
        try:
            yield
        finally:
            self._open, self._lines = False, None
        for index, target in links_since(canv, links):
            if (page, index) not in self._claimed:
                element.links.append((page, index, target))

    @contextmanager
    def piece(self, element: Element, canv, actual: str | None, href: str | None, start: int, end: int):
        """A piece of a line of `element` (a paragraph being drawn in `lines`), whose text is
        `actual`: marked content of the element, or, for a link's words (`href`) from logical
        index `start` to `end`, of a Link element with the link's annotation, read where it is
        drawn. A link broken over two lines (or pages) is one Link: its pieces join when one
        starts where the last ended. Drawn again as furniture (a repeated table header), the
        piece is a Span with its ActualText. `actual` None: the glyphs read as the text, and the
        piece has no ActualText (PDFium spreads one over the box of the piece's first line)."""
        text = pdf_text_string(actual) if actual is not None else None
        if self._lines is not element:
            canv.addLiteral(f"/Span <</ActualText {text}>> BDC" if text else "/Span BMC")
            try:
                yield
            finally:
                canv.addLiteral("EMC")
            return
        owner = element
        if href is not None:
            last = self._last_link.get(id(element))
            if last is not None and last[0] == href and last[1] == start:
                owner = last[2]
            else:
                owner = Element("Link")
                element.pieces.append(owner)
            self._last_link[id(element)] = (href, end, owner)
        page = canv.getPageNumber() - 1
        links = annotation_count(canv)
        # Tagged /Span, whatever the element's role: Poppler takes ActualText only from a Span.
        self._begin(canv, owner, f" /ActualText {text}" if text else "", tag="Span")
        try:
            yield
        finally:
            canv.addLiteral("EMC")
            if owner is not element:  # the link's annotation, made as its words were drawn
                for index, target in links_since(canv, links):
                    owner.links.append((page, index, target))
                    self._claimed.add((page, index))

    @contextmanager
    def artifact(self, canv):
        """Mark what is drawn inside as page furniture."""
        self._begin_pass(canv)
        canv.addLiteral(ARTIFACT)
        try:
            yield
        finally:
            canv.addLiteral("EMC")

    @contextmanager
    def on_first_page(self, canv, item: FirstPageItem):
        """Inside the running header: on page 1, what is drawn inside is read as content (the
        element for `item`); elsewhere it stays furniture."""
        element = self.first_page.get(item)
        if element is None or canv.getPageNumber() != 1:
            yield
            return
        canv.addLiteral("EMC")  # leave the header's artifact for a moment
        with self.content(canv, element):
            yield
        canv.addLiteral(PAGINATION)

    def first_drawing(self, canv, flowable: Flowable) -> bool:
        """True the first time this flowable is drawn in this pass (a table's repeated header
        row draws the same flowables again)."""
        self._begin_pass(canv)
        if id(flowable) in self._drawn:
            return False
        self._drawn[id(flowable)] = flowable
        return True

    def table_furniture(self, table, event: str, *args) -> None:
        """A Table's render callback: its backgrounds and rules are artifacts."""
        canv = table.canv
        if event in ("startBG", "startLines"):
            self._begin_pass(canv)
            canv.addLiteral(ARTIFACT)
        elif event in ("endBG", "endLines"):
            canv.addLiteral("EMC")


class Marked(StandIn):
    """A flowable whose drawing is a piece of a structure element."""

    own = StandIn.own + ("marks", "element")

    def drawOn(self, canv, x, y, _sW=0):
        if self.marks.first_drawing(canv, self):
            # A paragraph of our own line layout opens its marked content line by line.
            marked = self.marks.lines if getattr(self.inner, "marking", None) else self.marks.content
            with marked(canv, self.element):
                self.inner.drawOn(canv, x, y, _sW)
        else:
            with self.marks.artifact(canv):
                self.inner.drawOn(canv, x, y, _sW)


class Furniture(StandIn):
    """A flowable that only decorates (a horizontal rule, an empty paragraph): an artifact."""

    own = StandIn.own + ("marks",)

    def drawOn(self, canv, x, y, _sW=0):
        with self.marks.artifact(canv):
            self.inner.drawOn(canv, x, y, _sW)


def mark_story(story: Story) -> tuple[Story, Marks]:
    """The story with every flowable that draws marked as a structure element or an artifact
    (its notes carried to the wrappers), and the Marks that record the structure tree as the
    pages are drawn. What the running header shows on page 1 and is read before the title (the
    logo, the notice, DRAFT) is `story.first_page`."""
    marks = first_page_marks(story.first_page)
    marker = _Marker(marks, story)
    flowables = [marker.mark_grouped(flowable) for flowable in story.flowables]
    return Story(tuple(flowables), marker.notes, story.first_page), marks


def first_page_marks(first_page) -> Marks:
    """Marks whose tree holds, so far, what page 1's header reads (a handoff.FirstPage): the
    logo, the notice, DRAFT, in that order before the story."""
    marks = Marks()
    for item, role, alt in first_page.items():
        marks.first_page[item] = marks.document.add(role, alt=alt)
    return marks


class _Marker:
    """Walks the story in reading order, growing the tree and wrapping the flowables."""

    def __init__(self, marks: Marks, story: Story):
        self.marks = marks
        self.story = story
        self.notes = Notes(story.notes)  # the story's, and the same for each wrapper made here
        self.lists: dict[int, Element] = {}  # a ListFlowable (by id) -> its L, for the parts after it
        self.parent = marks.document  # where the story's flowables go: the Document, or a Sect

    def mark_grouped(self, flowable):
        """A flowable of the story, in the section its group notes put it: "Sect" opens a
        section (its heading and what follows, to the next), "Document" closes it. The parts of
        a group kept on one page may carry them too (keeping.py: the end of the last section
        kept with the contact box, which closes that section)."""
        group = self.story.note(flowable).group
        if group == "Sect":
            self.parent = self.marks.document.add("Sect")
        elif group == "Document":
            self.parent = self.marks.document
        if isinstance(flowable, KeepTogether) and any(self.story.note(part).group for part in kept(flowable)):
            set_kept(flowable, [self.mark_grouped(part) for part in kept(flowable)])
            return flowable
        return self.mark(flowable, self.parent)

    def mark(self, flowable, parent: Element):
        marked = self._mark(flowable, parent)
        self.notes.carry(flowable, marked)
        return marked

    def _mark(self, flowable, parent: Element):
        if isinstance(flowable, (list, tuple)):
            return [self.mark(f, parent) for f in flowable]
        note = self.story.note(flowable)
        if isinstance(flowable, Paragraph):
            if not flowable.getPlainText().strip():
                return Furniture(flowable, marks=self.marks)
            role = HEADING_STYLES.get(flowable.style.name, "P")
            element = parent.add(role, lang=note.lang)
            if isinstance(flowable, ShapedParagraph):  # it marks its own lines, and links' words as Links
                flowable.marking = partial(self.marks.piece, element)
            return Marked(flowable, marks=self.marks, element=element)
        if isinstance(flowable, Drawing):
            if not note.alt:
                raise ValueError("a figure without alt text cannot be tagged")
            return Marked(flowable, marks=self.marks, element=parent.add("Figure", alt=note.alt))
        if isinstance(flowable, PictureFlowable):  # a picture of a section (figures.py)
            if note.role == "Artifact":  # it only decorates: a screen reader passes over it
                return Furniture(flowable, marks=self.marks)
            if not note.alt:
                raise ValueError("a picture without alt text cannot be tagged")
            return Marked(flowable, marks=self.marks, element=parent.add("Figure", alt=note.alt))
        if isinstance(flowable, KeepTogether):
            set_kept(flowable, [self.mark(f, parent) for f in kept(flowable)])
            return flowable
        if isinstance(flowable, ListFlowable):
            element = self.lists.get(id(note.continues)) if note.continues is not None else None
            if element is None:
                element = parent.add("L", lang=note.lang)
            self.lists[id(flowable)] = element  # the story holds the flowable: its id is not reused
            return self.mark_list(flowable, element)
        if isinstance(flowable, Table):
            return self.mark_table(flowable, parent)
        if isinstance(flowable, HRFlowable):
            return Furniture(flowable, marks=self.marks)
        if isinstance(flowable, (Spacer, PageBreak, ActionFlowable, IndexingFlowable)):
            return flowable  # they draw nothing
        raise TypeError(f"no rule to tag a {type(flowable).__name__}")

    def mark_list(self, flowables: ListFlowable, element: Element) -> ListFlowable:
        # The list's items as ReportLab will draw them: one LIIndenter a flowable, the first
        # flowable of each item carrying the bullet.
        item = None
        for entry in list_entries(flowables):
            if not isinstance(entry, LIIndenter):
                raise TypeError(f"no rule to tag a {type(entry).__name__} in a list")
            if has_bullet(entry) or item is None:
                item = element.add("LI")
                if has_bullet(entry):  # the bullet or number is the item's label
                    label = item.add("Lbl")
                    draw_bullet_inside(entry, lambda canv, label=label: self.marks.content(canv, label))
                body = item.add("LBody")
            set_entry_flowable(entry, self.mark(entry_flowable(entry), body))
        return flowables

    def mark_table(self, table: Table, parent: Element) -> Table:
        note = self.story.note(table)
        role = note.role
        if role is None:
            raise TypeError("a Table needs a role in the story's notes (StoryBuilder.set_structure)")
        on_table_drawing(table, self.marks.table_furniture)
        rows = table_rows(table)
        lang = note.lang
        if role == "Table":  # a data table: the first row holds the column headers
            element = parent.add("Table", lang=lang)
            for r, row in enumerate(rows):
                tr = element.add("TR")
                # Columns drawn right to left are still read first column first.
                for c in (reversed(range(len(row))) if note.mirrored else range(len(row))):
                    cell = row[c]
                    th = r == 0
                    row[c] = self.mark(cell, tr.add("TH" if th else "TD", scope="Column" if th else None))
        elif role == "L":  # a table stacked one block a row: a list of rows
            element = parent.add("L", lang=lang)
            for row in rows:
                body = element.add("LI").add("LBody")
                row[:] = [self.mark(cell, body) for cell in row]
        else:  # a box (Sect, BlockQuote): its one cell is the content
            element = parent.add(role, lang=lang)
            for row in rows:
                row[:] = [self.mark(cell, element) for cell in row]
        return table
