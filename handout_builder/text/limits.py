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

from typing import Iterator

from ..errors import Problem
from ..model import Handout, Layout

MAX_NESTING = 4
MAX_PARAGRAPH_CHARACTERS = 80_000  # about 12,000 words
MAX_BLOCKS = 20_000
MAX_CHARACTERS = 1_000_000  # of text in a leaflet: about 500 pages
CELL_PADDING = 12  # points, left and right (story.table)
NARROWEST_COLUMN = 3  # characters of the table font, roughly


def max_columns(layout: Layout) -> int:
    """How many table columns fit across the page's text width."""
    width = layout.page_width - layout.margin_left - layout.margin_right
    return max(1, int(width // (CELL_PADDING + NARROWEST_COLUMN * layout.sizes.table)))


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


def size_problems(handout: Handout, layout: Layout, bodies, places) -> Iterator[Problem]:
    """Problems of nesting, table width and length in a leaflet's Markdown.

    `bodies` holds each section's block tokens; `places` each inline run as (field, tokens, first
    line offset), as document.evaluate gathers them."""
    columns = max_columns(layout)
    for section, tokens in zip(handout.sections, bodies):
        field = f"{section.field}.body"
        start = handout.line_of(field)
        depth, too_deep, count = 0, False, 0
        for token, after in zip(tokens, [*tokens[1:], None]):
            line = start + token.map[0] if start is not None and token.map else start
            if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
                depth += 1
                if depth > MAX_NESTING and not too_deep:
                    too_deep = True  # once a section is enough
                    yield Problem(handout.file, line, field, f"lists and callouts are nested more than {MAX_NESTING} "
                                  "deep here; flatten them (deeper text would be squeezed into a sliver of the page)")
            elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
                depth -= 1
            elif token.type == "list_item_open" and after is not None and after.type == "list_item_close":
                yield Problem(handout.file, line, field, "a list item with nothing after its '-' or number; "
                              "write the item or remove the line")
            elif token.type == "thead_open":  # a table's columns are its header row's cells
                count = 0
            elif token.type == "th_open":
                count += 1
            elif token.type == "thead_close" and count > columns:
                yield Problem(handout.file, line, field, f"this table has {count} columns; at most {columns} fit "
                              "across the page")
    blocks = 0
    for field, run, first_line in places:
        blocks += 1
        length = sum(len(token.content) for token in run)
        if length > MAX_PARAGRAPH_CHARACTERS:
            start = handout.line_of(field)
            yield Problem(handout.file, start + first_line if start is not None else None, field,
                          f"a paragraph of {length:,} characters is too long to lay out; break it into "
                          f"paragraphs of at most {MAX_PARAGRAPH_CHARACTERS:,} characters (about 12,000 words)")
    if blocks > MAX_BLOCKS:
        yield Problem(handout.file, None, "sections", f"the leaflet has {blocks:,} paragraphs, list items and table "
                      f"cells; at most {MAX_BLOCKS:,} make a leaflet (about 600 pages): split it into leaflets")
