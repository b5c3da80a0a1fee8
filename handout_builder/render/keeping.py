"""Keep rules: what shares a page with what, and where a block may split across pages.

A print professional's rules, as the page stage applies them:
- a heading, or a line that introduces a list or table ("...such as:"), stays on the page where
  what follows starts, with at least its first two lines, items or rows: not with all of it, so a
  long list or table is not pushed whole to the next page leaving a third of this one empty;
- the contact box and the "Written by" line never stand alone on a page: the last two lines (or
  the last item or row) of what comes before go with them;
- a box (key points, a callout) stays whole.
Paragraphs keep two lines each side of a break themselves (styles.py: no orphans, no widows).

ReportLab groups a heading with what follows into its document's `keepTogetherClass`; the page
stage makes that KeptWithStart (pages.py), and the story groups what ReportLab does not (a
heading before a list or a box) the same way (story.py).
"""
from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, ListFlowable, Table
from reportlab.platypus.doctemplate import NullActionFlowable

from .reportlab_seam import has_bullet, kept, list_entries, table_rows

LEAD_ROWS = 2  # body rows of a table, or items of a list, kept with what introduces it
BIG = 0xFFFFFF  # a height to measure a flowable's whole height in


class Kept(KeepTogether):
    """A KeepTogether whose parts can be read, so a group can grow without nesting: a nested
    KeepTogether reports a page-high height, which would push every group holding it to a new page."""

    @property
    def parts(self) -> list:
        return kept(self)


class KeptFigure(Kept):
    """A picture with its caption, kept whole. Inside a group (a heading kept with it, the block
    before the contact box) it is opened into its parts: nested, ReportLab's KeepTogether reports
    a page-high height and would push the heading and picture to the next page however much room
    this one has."""


def _opened(flowables: list) -> list:
    """flowables with each KeptFigure among them opened into its parts."""
    return [part for flowable in flowables
            for part in (kept(flowable) if isinstance(flowable, KeptFigure) else [flowable])]


class KeptWithStart(Kept):
    """Flowables (a heading, a subheading, an introducing line) kept on the page where the last
    one starts, with its first lines, items or rows; the last is split when only its start fits."""

    def __init__(self, flowables, *args, **kwargs):
        super().__init__(_opened(list(flowables)), *args, **kwargs)

    def split(self, aW, aH):
        *lead, following = kept(self)
        if lead and not isinstance(following, KeepTogether) and stacked_height(kept(self), aW, self.canv) > aH:
            room = aH - stacked_height(lead, aW, self.canv) - gap(lead[-1], following)
            pieces = start_split(following, aW, room, self.canv) if room > 0 else None
            if pieces:
                return [*lead, *pieces]
        return super().split(aW, aH)


class KeptWithEnd(Kept):
    """A block (the first flowable) and what must not stand alone after it (the contact box and
    "Written by"): when they do not fit on the page together, the end of the block moves with them.
    `before_part`: the part of the handout the block is in ("sections[3]"), which a block too big
    for a page is named by."""

    def __init__(self, flowables: list, before_part: str | None = None):
        super().__init__(_opened(flowables))
        self.before_part = before_part

    def split(self, aW, aH):
        first, *rest = kept(self)
        if stacked_height(kept(self), aW, self.canv) > aH:
            cut = end_split(first, aW, self.canv)
            if cut:
                head, tail = cut
                # ReportLab adds the first of a split unsplit: an action that takes no room goes first
                return [NullActionFlowable(), *head, Kept([*tail, *rest])]
        return super().split(aW, aH)


def keep_with(first: Flowable, following: Flowable) -> Kept:
    """first kept on the page where following starts (with its start, KeptWithStart)."""
    return KeptWithStart([first, *following.parts] if isinstance(following, KeptWithStart)
                         else [first, following])


def gap(above: Flowable, below: Flowable) -> float:
    """The space between two flowables, as a frame puts it: the larger of the two spaces."""
    return max(above.getSpaceAfter(), below.getSpaceBefore())


def stacked_height(flowables: list, width: float, canv) -> float:
    """How tall flowables are stacked in a frame `width` wide, with the spaces between them."""
    total = 0.0
    for index, flowable in enumerate(flowables):
        total += flowable.wrapOn(canv, width, BIG)[1]
        if index:
            total += gap(flowables[index - 1], flowable)
    return total


def start_split(flowable: Flowable, width: float, room: float, canv) -> list | None:
    """`flowable` split so that its start (at least two lines, items or rows) fits in `room`,
    or None when it cannot be."""
    if isinstance(flowable, ListFlowable):
        flowable.wrapOn(canv, width, BIG)
        entries = list_entries(flowable)
        starts = [i for i, entry in enumerate(entries) if has_bullet(entry)]
        lead_end = starts[min(LEAD_ROWS, len(starts) - 1)] if len(starts) > 1 else len(entries)
        if lead_end < len(entries) and stacked_height(entries[:lead_end], width, canv) <= room:
            return list(entries)
        # Long items: the first item's first two lines will do (its paragraph splits so).
        first = entries[0].splitOn(canv, width, room)
        return [*first, *entries[1:]] if len(first) >= 2 else None
    if not hasattr(flowable, "split"):
        return None
    pieces = flowable.splitOn(canv, width, room)
    if len(pieces) < 2:
        return None
    if isinstance(flowable, Table):
        header = header_rows(flowable)
        body = len(table_rows(flowable)) - header
        # A table stacked a block a row (no header row) has several lines in a row: one will do.
        lead = min(LEAD_ROWS if header else 1, body)
        if len(table_rows(pieces[0])) < header + lead:
            return None
    return pieces  # a paragraph splits with two lines at least each side (styles.py)


def end_split(flowable: Flowable, width: float, canv) -> tuple[list, list] | None:
    """`flowable` as (head, tail): the tail its last two lines, last item or last row, which can
    move to the next page with what follows; None when it cannot be split."""
    if isinstance(flowable, KeepTogether) and not isinstance(flowable, KeptWithStart):
        return None  # a box is kept whole
    if isinstance(flowable, KeptWithStart):
        *lead, last = kept(flowable)
        cut = end_split(last, width, canv)
        if cut is None:
            return None
        head, tail = cut
        return [KeptWithStart([*lead, head[0]]), *head[1:]], tail
    if isinstance(flowable, ListFlowable):
        flowable.wrapOn(canv, width, BIG)
        entries = list_entries(flowable)
        starts = [i for i, entry in enumerate(entries) if has_bullet(entry)]
        if len(starts) < 2:
            return None
        return list(entries[:starts[-1]]), list(entries[starts[-1]:])
    if not hasattr(flowable, "split"):
        return None
    height = flowable.wrapOn(canv, width, BIG)[1]
    pieces = flowable.splitOn(canv, width, height - 1)
    if len(pieces) < 2:
        return None
    if isinstance(flowable, Table) and len(table_rows(pieces[0])) <= header_rows(flowable):
        return None  # only the header row would stay behind
    return pieces[:-1], pieces[-1:]


def header_rows(table: Table) -> int:
    """How many rows a table repeats at the top of each page."""
    return table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
