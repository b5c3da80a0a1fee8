"""Markdown shapes that cannot be laid out well (too big, too deep, or empty), found before
layout so `check` reports them too.

ReportLab splits long paragraphs, tables and lists across pages, but some shapes it cannot lay
out or lays out very slowly. Each limit below sits well beyond any real leaflet and keeps every
build to seconds (bench/too_big.py measures them):
- lists and callouts nested more than MAX_NESTING deep: each level indents, so deeper text would
  be squeezed into a sliver (and markdown-it silently drops text nested over ~10 deep);
- a table with more columns than fit across the page at a few characters each;
- a paragraph over MAX_PARAGRAPH_CHARACTERS: ReportLab re-breaks a paragraph's remaining lines
  for every page it spans, so time grows with the square of its length;
- more than MAX_BLOCKS paragraphs, list items and table cells, or MAX_CHARACTERS of text, in one
  leaflet (about 500 pages: a 5 MB file of long paragraphs took 70 s and 575 MB before this);
- an empty list item, which ReportLab would print as nothing (or as a gap in the numbers).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..errors import Problem
from ..model import Handout, Layout
from .walk import BULLET_LIST, CALLOUT, CODE, ITEM, ORDERED_LIST, ROW, RUN, SKIP, Node, Walk

NESTED = (BULLET_LIST, ORDERED_LIST, CALLOUT)  # each level indents

MAX_NESTING = 4
MAX_PARAGRAPH_CHARACTERS = 80_000  # about 12,000 words
MAX_BLOCKS = 20_000
MAX_CHARACTERS = 1_000_000  # of text in a leaflet: about 500 pages
CELL_PADDING = 6  # points each side of a table cell's text: the story's table style and render/tables.py use it too
NARROWEST_COLUMN = 3  # characters of the table font, roughly


def max_columns(layout: Layout) -> int:
    """How many table columns fit across the page's text width."""
    width = layout.page_width - layout.margin_left - layout.margin_right
    return max(1, int(width // (2 * CELL_PADDING + NARROWEST_COLUMN * layout.sizes.table)))


def too_much_text(handout: Handout) -> Problem | None:
    """A leaflet with more text than MAX_CHARACTERS, found before its Markdown is parsed (parsing
    5 MB of list items alone takes 20 s and a gigabyte)."""
    texts = [handout.title, handout.subtitle, handout.contact, *handout.summary]
    texts += [part for section in handout.sections for part in (section.heading, section.body)]
    characters = sum(len(text) for text in texts if text)
    if characters <= MAX_CHARACTERS:
        return None
    return Problem(handout.file, None, "sections", f"the leaflet has {characters:,} characters of text; at most "
                   f"{MAX_CHARACTERS:,} make a leaflet (about 500 pages): split it into leaflets")


def size_problems(handout: Handout, layout: Layout, markdown: Iterable[Node]) -> Iterator[Problem]:
    """Problems of nesting, table width and length in a leaflet's Markdown trees (walk.py), in
    the order families read them."""
    columns = max_columns(layout)
    shapes: list[Problem] = []  # nesting, empty items and wide tables come first, then lengths
    lengths: list[Problem] = []
    blocks = 0
    too_deep: set[str] = set()  # fields already told: once a section is enough

    def nested(node: Node) -> None:
        if node.depth(*NESTED) > MAX_NESTING and node.field not in too_deep:
            too_deep.add(node.field)
            shapes.append(Problem(handout.file, node.line, node.field, f"lists and callouts are nested more than "
                                  f"{MAX_NESTING} deep here; flatten them (deeper text would be squeezed into a "
                                  "sliver of the page)"))

    def item(node: Node) -> None:
        if not node.children:
            shapes.append(Problem(handout.file, node.line, node.field, "a list item with nothing after its '-' or "
                                  "number; write the item or remove the line"))

    def row(node: Node) -> None:  # a table's columns are its header row's cells
        if node.header and len(node.children) > columns:
            # On the body's first line: where this was always reported (the table's own line would be better).
            shapes.append(Problem(handout.file, handout.line_of(node.field), node.field,
                                  f"this table has {len(node.children)} columns; at most {columns} fit across "
                                  "the page"))

    def block(node: Node) -> None:  # a paragraph, item, cell or code block: laid out as one
        nonlocal blocks
        blocks += 1
        length = len(node.text) if node.kind == CODE else sum(len(inner.text) for inner in node.descendants())
        if length > MAX_PARAGRAPH_CHARACTERS:
            lengths.append(Problem(handout.file, node.line, node.field, f"a paragraph of {length:,} characters is "
                                   f"too long to lay out; break it into paragraphs of at most "
                                   f"{MAX_PARAGRAPH_CHARACTERS:,} characters (about 12,000 words)"))
        return SKIP

    enter = {kind: nested for kind in NESTED}
    Walk(enter={**enter, ITEM: item, ROW: row, RUN: block, CODE: block})(*markdown)
    yield from shapes
    yield from lengths
    if blocks > MAX_BLOCKS:
        yield Problem(handout.file, None, "sections", f"the leaflet has {blocks:,} paragraphs, list items and table "
                      f"cells; at most {MAX_BLOCKS:,} make a leaflet (about 600 pages): split it into leaflets")
