"""How a Markdown table fits the page: columns sized by measuring their text, or, when the
columns would be too narrow to read, the table stacked as one block a row.

Whether a table fits is measured, never assumed from the layout's name: each column needs room
for its longest word and, unless its text is shorter, the layout's `tables.min_column`. When the
columns need more than the width there is, each row prints as a small block of "Header: value"
lines, which reads well at any type size (large print, A5) and can never run off the page.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph

from .shaped import ShapedParagraph
from ..text.limits import CELL_PADDING  # points each side, as the table style sets


def column_widths(rows: list[list[list]], available: float, min_column: float) -> list[float] | None:
    """Column widths in points that fill `available`, or None when the table must be stacked.

    rows[r][c] is the list of flowables in a cell; each paragraph is measured in its own fonts."""
    columns = len(rows[0])
    shortest = [0.0] * columns  # room for the longest word
    natural = [0.0] * columns  # the longest paragraph on one line
    for row in rows:
        for c, cell in enumerate(row):
            for flowable in cell:
                if not isinstance(flowable, ShapedParagraph):
                    continue
                # Shaped widths, as the cell's lines will be broken (a unit such as "5 ml" is one word).
                natural[c] = max(natural[c], natural_width(flowable) + 2 * CELL_PADDING)
                shortest[c] = max(shortest[c], flowable.minWidth() + 2 * CELL_PADDING)
    need = [max(word, min(nat, min_column)) for word, nat in zip(shortest, natural)]
    if sum(need) > available:
        return None
    if sum(natural) <= available:  # everything fits on one line: share out what is left
        spare = available - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    spare = available - sum(need)
    wants = [max(nat - n, 0.0) for nat, n in zip(natural, need)]
    return [n + spare * w / sum(wants) for n, w in zip(need, wants)]


def natural_width(paragraph: ShapedParagraph) -> float:
    """The width of a paragraph set on one line, shaped."""
    return paragraph.measure(0, len(paragraph.logical.rstrip(" ")))


def stacked_rows(rows: list[list[list]], style, make=Paragraph) -> list[list]:
    """Each body row as one block: a "Header: value" paragraph for each cell that has text,
    made by `make(markup, style)` (the story's: shaped where the text needs it)."""
    headers = [" ".join(p.getPlainText() for p in cell if isinstance(p, Paragraph)).strip() for cell in rows[0]]
    header_markup = [" ".join(p.text for p in cell if isinstance(p, Paragraph)).strip() for cell in rows[0]]
    blocks = []
    for row in rows[1:]:
        block = []
        for header, label, cell in zip(headers, header_markup, row):
            paragraphs = [p for p in cell if isinstance(p, Paragraph)]
            if not any(p.getPlainText().strip() for p in paragraphs):
                continue
            first, rest = paragraphs[0], paragraphs[1:]
            prefix = f"<b>{label}{'' if header.endswith(':') else ':'}</b> " if header else ""
            block.append(make(prefix + first.text, style))
            block.extend(make(p.text, style) for p in rest)
        blocks.append(block or [make("", style)])
    return blocks
