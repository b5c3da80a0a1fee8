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

    Each column gets room for its longest word (and, unless its text is shorter, `min_column`);
    the width left over is shared out a step at a time, each step to the column where it
    shortens the table most (a column wrapping over four lines before one with room to spare),
    so no column is cramped while another has room. rows[r][c] is the list of flowables in a
    cell; each paragraph is measured in its own fonts, shaped, and broken where
    the engine breaks it (render/shaped.py: a unit such as "5 ml" is one word)."""
    columns = len(rows[0])
    cells = [[_cell_words(cell) for cell in row] for row in rows]
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
    if columns <= 4:  # few columns: every way of sharing the spare in 24ths, the best kept
        units = 24
        shares = [share for share in _compositions(units, columns)
                  if all(need[c] + spare * share[c] / units <= max(natural[c], need[c]) + spare / units
                         for c in range(columns))] or list(_compositions(units, columns))
        best = min(shares, key=lambda share: (_cost(cells, [need[c] + spare * share[c] / units for c in range(columns)]),
                                              share))
        return [need[c] + spare * best[c] / units for c in range(columns)]
    widths, steps = list(need), 48
    step = spare / steps
    for _ in range(steps):  # many columns: each step of the spare where it helps most
        cost = _cost(cells, widths)
        open_columns = [c for c in range(columns) if widths[c] < natural[c]] or list(range(columns))
        best_column = min(open_columns, key=lambda c: (_cost(cells, _moved(widths, None, c, step)) - cost,
                                                        -(natural[c] - widths[c]) / natural[c]))
        widths[best_column] += step
    return widths


def _compositions(total: int, parts: int):
    """Every way of writing `total` as `parts` whole numbers of 0 or more, in order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _moved(widths: list[float], source: int | None, target: int, step: float) -> list[float]:
    """Widths with `step` moved from column `source` (None: from the spare) to `target`."""
    out = list(widths)
    out[target] += step
    if source is not None:
        out[source] -= step
    return out


def _cost(cells: list[list[list]], widths: list[float]) -> float:
    """How badly a table sets at these widths: its height, then, a tenth as much, how many lines
    its cells wrap over, squared (a cell over four lines reads worse than two over two)."""
    height, crowding = 0.0, 0.0
    for row in cells:
        tallest = 0.0
        for cell, width in zip(row, widths):
            lines = sum(_lines(words, width - 2 * CELL_PADDING) for words, _ in cell)
            leading = max((leading for _, leading in cell), default=0.0)
            tallest = max(tallest, lines * leading)
            crowding += lines * lines * leading
        height += tallest
    return height + 0.1 * crowding


def _cell_words(cell: list) -> list[tuple[list[tuple[float, float]], float]]:
    """Each paragraph of a cell as (its unbreakable pieces, each as the shaped width of its text
    and of the spaces after it; its line height), as the engine breaks its lines."""
    out = []
    for flowable in cell:
        if isinstance(flowable, ShapedParagraph):
            pieces = []
            for start, end in flowable.words_of():
                body = start + len(flowable.logical[start:end].rstrip(" "))
                pieces.append((flowable.measure(start, body), flowable.measure(body, end)))
            out.append((pieces, flowable.line_height))
    return out


def _lines(pieces: list[tuple[float, float]], room: float) -> int:
    """How many lines pieces of these widths take in `room`, filled greedily (as the engine fills
    them, less hyphenation): a line's last spaces take no room."""
    lines, used, after = 1, 0.0, 0.0
    for width, space in pieces:
        if used and used + after + width > room:
            lines, used = lines + 1, width
        else:
            used += (after if used else 0.0) + width
        after = space
    return lines


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
