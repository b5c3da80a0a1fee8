"""What the story stage hands the page and tagging stages, in one typed object: the `Story`.

A flowable says how it is drawn; what it *is* in the handout travels beside it, in a `Note`: the
part of the handout it starts (for a layout error's message), its bookmark, its language, what a
container means in the tagged structure tree, and a figure's description. The running header's
items that page 1 reads as content (logo, overdue notice, DRAFT) travel in `FirstPage`.

Notes are kept by flowable identity, never as attributes on ReportLab's objects: a stage that
replaces a flowable (marking.py wraps each one) carries its note to the replacement.
No ReportLab here: this is the contract between stages, not a part of any.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Bookmark:
    """An entry in the PDF's outline (bookmarks panel), pointing at where a flowable is drawn."""

    title: str
    key: str  # the destination's name: "section-2", "contact", "references"
    level: int = 0


@dataclass(frozen=True)
class Note:
    """What one flowable is in the handout; every field is optional."""

    part: str | None = None  # the handout field it starts ("title", "sections[2]"), named by a layout error
    bookmark: Bookmark | None = None
    lang: str | None = None  # a passage in another language than the leaflet's ({lang=fr})
    # a container's meaning in the structure tree: Sect, BlockQuote, Table, L, Div (a picture
    # beside its words); Artifact: a picture that only decorates
    role: str | None = None
    alt: str | None = None  # a figure's description, read by a screen reader
    mirrored: bool = False  # a table whose columns are drawn right to left: read them the other way
    # A list printed in parts (its first items kept with what introduces it): the flowable of
    # the part before, so that the parts are one list in the structure tree.
    continues: object | None = None
    # Where the structure groups the document: "Sect" opens a section (a heading and what follows
    # it, up to the next such note), "Document" closes it (the contact box, the QR code).
    group: str | None = None


NO_NOTE = Note()


class FirstPageItem(enum.Enum):
    """The running header's items that page 1 reads as content, before the title (tagged leaflets)."""

    LOGO = "logo"
    NOTICE = "notice"
    DRAFT = "draft"


@dataclass(frozen=True)
class FirstPage:
    """What the running header shows on page 1 that a screen reader reads: the logo (by its alt
    text), the review-overdue notice and the DRAFT mark. None or False: not shown."""

    logo: str | None = None  # the logo's alt text
    notice: str | None = None
    draft: bool = False

    def items(self) -> list[tuple[FirstPageItem, str, str | None]]:
        """(item, structure role, alt text) for each item shown, in reading order."""
        out: list[tuple[FirstPageItem, str, str | None]] = []
        if self.logo:
            out.append((FirstPageItem.LOGO, "Figure", self.logo))
        if self.notice:
            out.append((FirstPageItem.NOTICE, "P", None))
        if self.draft:
            out.append((FirstPageItem.DRAFT, "P", None))
        return out


def first_page_of(document) -> FirstPage:
    """What page 1's header of a text.document.Document reads: its layout's logo (by its alt
    text in the leaflet's language), the review-overdue notice, DRAFT."""
    layout = document.layout
    return FirstPage(logo=layout.logo.alt_in(document.handout.language) if layout.logo else None,
                     notice=document.notice, draft=document.handout.draft)


class Notes:
    """Notes on flowables, by identity. The flowable is held too, so its identity is never reused."""

    def __init__(self, notes: "Notes | None" = None):
        self._by_id: dict[int, tuple[object, Note]] = dict(notes._by_id) if notes else {}

    def add(self, flowable, **fields):
        """Note `fields` (Note's) on `flowable`, beside what is noted already; returns the flowable."""
        held = self._by_id.get(id(flowable))
        self._by_id[id(flowable)] = (flowable, replace(held[1] if held else NO_NOTE, **fields))
        return flowable

    def of(self, flowable) -> Note:
        """The note on `flowable` (an empty Note when it has none)."""
        held = self._by_id.get(id(flowable))
        return held[1] if held else NO_NOTE

    def carry(self, old, new) -> None:
        """`new` stands for `old` from now on (a wrapper, a copy): it has old's note."""
        held = self._by_id.get(id(old))
        if held is not None and new is not old:
            self._by_id[id(new)] = (new, held[1])


@dataclass(frozen=True)
class Story:
    """The story stage's result: the flowables in reading order, the notes on them, and what the
    first page's header reads. `flowables` is a tuple: ReportLab consumes the list it lays out,
    so the page stage passes it a copy."""

    flowables: tuple
    notes: Notes = field(default_factory=Notes)
    first_page: FirstPage = FirstPage()

    def note(self, flowable) -> Note:
        """What `flowable` is in the handout (an empty Note when the story said nothing)."""
        return self.notes.of(flowable)
