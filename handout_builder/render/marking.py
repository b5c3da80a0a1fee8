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
  items' labels (Lbl).
- Content drawn a second time (a table's header row repeated on the next page) is an artifact.
- The running header and footer are artifacts (pages.py); on the first page the logo, the
  review-overdue notice and the DRAFT mark are read as content, before the title.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import ActionFlowable, IndexingFlowable
from reportlab.platypus.flowables import BulletDrawer, HRFlowable, LIIndenter

# The heading levels of the story's paragraph styles; any other style is a paragraph.
HEADING_STYLES = {"title": "H1", "heading": "H2", "box_heading": "H2", "subheading": "H3"}
ARTIFACT = "/Artifact BMC"  # furniture drawn by the story (rules, backgrounds, a repeated table header)


@dataclass(eq=False)
class Element:
    """One node of the structure tree: a role (H1, P, LI, TD...), its children in reading order,
    and, filled in while the pages are drawn, the marked content and links that belong to it."""

    role: str
    children: list["Element"] = field(default_factory=list)
    alt: str | None = None  # a figure's description
    scope: str | None = None  # a table header cell's: Column
    lang: str | None = None  # a passage in another language than the leaflet's ({lang=fr})
    pieces: list[tuple[int, int]] = field(default_factory=list)  # (page from 0, MCID), in drawing order
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

    def __init__(self, furniture: str):
        self.document = Element("Document")
        self.first_page: dict[str, Element] = {}  # logo, notice, draft: read on page 1 only
        self.furniture = furniture  # the operator that opens the running header's artifact
        self._canvas = None
        self._next_mcid: dict[int, int] = {}
        self._drawn: dict[int, Flowable] = {}  # kept, so that no id is reused within a pass
        self._open = False

    def __deepcopy__(self, memo):
        return self  # one record for the leaflet, however often ReportLab copies a flowable

    def _begin_pass(self, canv) -> None:
        if canv is not self._canvas:
            self._canvas = canv
            self._next_mcid = {}
            self._drawn = {}
            for element in self.document.walk():
                element.pieces.clear()
                element.links.clear()

    @contextmanager
    def content(self, canv, element: Element):
        """Mark what is drawn inside as a piece of `element`, with the links it makes."""
        self._begin_pass(canv)
        assert not self._open, "marked content cannot nest"
        page = canv.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        element.pieces.append((page, mcid))
        links = len(canv._annotationrefs)
        canv.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")
        self._open = True
        try:
            yield
        finally:
            self._open = False
            canv.addLiteral("EMC")
        for index in range(links, len(canv._annotationrefs)):
            annotation = canv._doc.idToObject[canv._annotationrefs[index].name]
            element.links.append((page, index, link_target(annotation)))

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
    def on_first_page(self, canv, key: str):
        """Inside the running header: on page 1, what is drawn inside is read as content (the
        element `key`); elsewhere it stays furniture."""
        element = self.first_page.get(key)
        if element is None or canv.getPageNumber() != 1:
            yield
            return
        canv.addLiteral("EMC")  # leave the header's artifact for a moment
        with self.content(canv, element):
            yield
        canv.addLiteral(self.furniture)

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


def link_target(annotation) -> str:
    """Where a link annotation ReportLab made leads: "#name" for a place in the leaflet, else
    the address."""
    destination = getattr(annotation, "Destination", None)
    if destination is not None:
        return "#" + destination.name
    action = annotation.dict["A"].dict
    return getattr(action.get("URI"), "s", "") or str(action.get("URI", ""))


class _Wrapper(Flowable):
    """A flowable that stands for another: sizes, spacing, splitting and every other attribute
    are the wrapped flowable's. (Like ReportLab's DDIndenter, which the page builder treats
    differently after a split; this must be laid out exactly as the flowable it wraps.)"""

    _own = ("_flowable", "_element", "_marks", "width", "height")

    def __init__(self, flowable: Flowable, marks: Marks, element: Element | None = None):
        self.__dict__.update(_flowable=flowable, _marks=marks, _element=element, width=None, height=None)

    def wrap(self, aW, aH):
        self.width, self.height = self._flowable.wrap(aW, aH)
        return self.width, self.height

    def split(self, aW, aH):
        return [type(self)(part, self._marks, self._element) for part in self._flowable.split(aW, aH)]

    def __getattr__(self, name):
        if name in self._own or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._flowable, name)

    def __setattr__(self, name, value):
        if name in self._own or name in self.__dict__:  # ReportLab sets some in __dict__ itself
            self.__dict__[name] = value
        else:
            setattr(self._flowable, name, value)

    def __delattr__(self, name):
        if name in self._own or name in self.__dict__:  # ReportLab sets some in __dict__ itself
            del self.__dict__[name]
        else:
            delattr(self._flowable, name)

    def identity(self, maxLen=None):
        return f"{type(self).__name__} containing {self._flowable.identity(maxLen)}"


class Marked(_Wrapper):
    """A flowable whose drawing is a piece of a structure element."""

    def drawOn(self, canv, x, y, _sW=0):
        if self._marks.first_drawing(canv, self):
            with self._marks.content(canv, self._element):
                self._flowable.drawOn(canv, x, y, _sW)
        else:
            with self._marks.artifact(canv):
                self._flowable.drawOn(canv, x, y, _sW)


class Furniture(_Wrapper):
    """A flowable that only decorates (a horizontal rule, an empty paragraph): an artifact."""

    def drawOn(self, canv, x, y, _sW=0):
        with self._marks.artifact(canv):
            self._flowable.drawOn(canv, x, y, _sW)


class Label(BulletDrawer):
    """A list item's bullet or number, drawn as its Lbl."""

    def __init__(self, bullet: BulletDrawer, element: Element, marks: Marks):
        self.__dict__.update(bullet.__dict__)
        self._element = element
        self._marks = marks

    def drawOn(self, indenter, canv, x, y, _sW=0):
        if not self.value:
            return
        with self._marks.content(canv, self._element):
            super().drawOn(indenter, canv, x, y, _sW)


def set_structure(flowable: Flowable, role: str) -> Flowable:
    """Say what a container means (a Table that is a box, a data table or a list); mark_story
    reads it. Returns the flowable."""
    flowable.structure = role
    return flowable


def mark_story(story: list[Flowable], first_page: dict[str, str | None], furniture: str) -> tuple[list[Flowable], Marks]:
    """The story with every flowable that draws marked as a structure element or an artifact,
    and the Marks that record the structure tree as the pages are drawn. `first_page` names what
    the running header shows on page 1 that is read before the title: "logo" (its alt text),
    "notice" and "draft" (None when there is none)."""
    marks = Marks(furniture)
    root = marks.document
    if first_page.get("logo"):
        marks.first_page["logo"] = root.add("Figure", alt=first_page["logo"])
    for key in ("notice", "draft"):
        if first_page.get(key):
            marks.first_page[key] = root.add("P")
    marker = _Marker(marks)
    return [marker.mark(flowable, root) for flowable in story], marks


class _Marker:
    """Walks the story in reading order, growing the tree and wrapping the flowables."""

    def __init__(self, marks: Marks):
        self.marks = marks

    def mark(self, flowable, parent: Element):
        if isinstance(flowable, (list, tuple)):
            return [self.mark(f, parent) for f in flowable]
        if isinstance(flowable, Paragraph):
            if not flowable.getPlainText().strip():
                return Furniture(flowable, self.marks)
            role = HEADING_STYLES.get(flowable.style.name, "P")
            return Marked(flowable, self.marks, parent.add(role, lang=getattr(flowable, "lang", None)))
        if isinstance(flowable, Drawing):
            alt = getattr(flowable, "alt", None)
            if not alt:
                raise ValueError("a figure without alt text cannot be tagged")
            return Marked(flowable, self.marks, parent.add("Figure", alt=alt))
        if isinstance(flowable, KeepTogether):
            flowable._content = [self.mark(f, parent) for f in flowable._content]
            if hasattr(flowable, "parts"):
                flowable.parts = flowable._content
            return flowable
        if isinstance(flowable, ListFlowable):
            return self.mark_list(flowable, parent.add("L", lang=getattr(flowable, "lang", None)))
        if isinstance(flowable, Table):
            return self.mark_table(flowable, parent)
        if isinstance(flowable, HRFlowable):
            return Furniture(flowable, self.marks)
        if isinstance(flowable, (Spacer, PageBreak, ActionFlowable, IndexingFlowable)):
            return flowable  # they draw nothing
        raise TypeError(f"no rule to tag a {type(flowable).__name__}")

    def mark_list(self, flowables: ListFlowable, element: Element) -> ListFlowable:
        # The list's items as ReportLab will draw them: one LIIndenter a flowable, the first
        # flowable of each item carrying the bullet.
        item = None
        for indenter in flowables._content:
            if not isinstance(indenter, LIIndenter):
                raise TypeError(f"no rule to tag a {type(indenter).__name__} in a list")
            if indenter._bullet is not None or item is None:
                item = element.add("LI")
                if indenter._bullet is not None:
                    indenter._bullet = Label(indenter._bullet, item.add("Lbl"), self.marks)
                body = item.add("LBody")
            indenter._flowable = self.mark(indenter._flowable, body)
        return flowables

    def mark_table(self, table: Table, parent: Element) -> Table:
        role = getattr(table, "structure", None)
        if role is None:
            raise TypeError("a Table needs set_structure() to say what it is")
        table._renderCB = self.marks.table_furniture
        rows = table._cellvalues
        lang = getattr(table, "lang", None)
        if role == "Table":  # a data table: the first row holds the column headers
            element = parent.add("Table", lang=lang)
            for r, row in enumerate(rows):
                tr = element.add("TR")
                for c, cell in enumerate(row):
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
