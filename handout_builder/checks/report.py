"""What `check` shows: the findings of many leaflets as a table or as JSON, and a summary line.

The engine returns these as text; only the command line prints them.
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import TYPE_CHECKING, Sequence

from .findings import ERROR, LEVELS, NOTE, WARNING, Finding

if TYPE_CHECKING:  # the checks (and the document stage under them) are not loaded to show a table (`list`)
    from .quality import Review

HEADER = ("Where", "Level", "Field", "Message")


def findings(reviews: Sequence[Review]) -> list[Finding]:
    """Every finding of the reviews, each once (a layout's are shared by its leaflets), errors first."""
    seen: dict[Finding, None] = {}
    for one in reviews:
        for finding in one.findings:
            seen.setdefault(finding, None)
    return sorted(seen, key=Finding.sort_key)


def table(reviews: Sequence[Review], width: int | None = None) -> list[str]:
    """One line a finding: file:line, level, field and message in columns; a header first.
    With a `width` (a terminal's), the message wraps in its column, or on lines of its own under
    the finding when the column would be too narrow to read; without one, each finding is one line."""
    rows = [(f.place, f.level, f.field or "-", f.message) for f in findings(reviews)]
    if not rows:
        return []
    return fitted([HEADER, *rows], width, wrap=3)


GAP = "  "
MIN_WRAPPED = 30  # a column narrower than this is hard to read: its text goes on lines of its own


def fitted(rows: Sequence[Sequence[str]], width: int | None, wrap: int) -> list[str]:
    """Rows (a header first) as lines of columns. Given a terminal `width`, no line is longer:
    the column `wrap` (a title, a message) wraps in its place; when the columns after it do not
    fit beside it, they go on a line of their own under the row, indented; when it would be
    narrower than MIN_WRAPPED, it goes under the row too. Without a width, one line a row."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    indent = sum(widths[:wrap]) + len(GAP) * wrap
    lead = [GAP.join(cell.ljust(widths[i]) for i, cell in enumerate(row[:wrap])) for row in rows]
    rest = [GAP.join(cell.ljust(widths[i]) for i, cell in enumerate(row[wrap + 1:], start=wrap + 1)).rstrip()
            for row in rows]
    tail = max(len(more) for more in rest)
    beside = (lambda text, more: GAP.join([text.ljust(widths[wrap]), more]) if more else text)
    plain = [(GAP.join([head, beside(row[wrap], more)]) if wrap else beside(row[wrap], more)).rstrip()
             for head, row, more in zip(lead, rows, rest)]
    if width is None or max(len(text) for text in plain) <= width:
        return plain
    room_beside = width - indent - (len(GAP) + tail if tail else 0)
    room = room_beside if room_beside >= MIN_WRAPPED else width - indent
    out = []
    for head, row, more in zip(lead, rows, rest):
        if room < MIN_WRAPPED:
            out.append(head.rstrip())
            out += textwrap.wrap(row[wrap], width - 4, initial_indent="    ", subsequent_indent="    ",
                                 break_on_hyphens=False)
        else:
            pieces = textwrap.wrap(row[wrap], room, break_on_hyphens=False) or [""]
            first = GAP.join([head, pieces[0].ljust(room), more]) if more and room == room_beside \
                else GAP.join([head, pieces[0]])
            out.append(first.rstrip())
            out += [(" " * indent + piece).rstrip() for piece in pieces[1:]]
        if more and room != room_beside:
            out += _under(row[wrap + 1:], widths[wrap + 1:], width)
    return out


def _under(cells: Sequence[str], widths: Sequence[int], width: int) -> list[str]:
    """The cells after the wrapped column, on lines of their own under their row, indented: in
    their columns, the last one wrapping in its place when the line is too long."""
    prefix = "    " + "".join(cell.ljust(w) + GAP for cell, w in zip(cells[:-1], widths[:-1]))
    room = width - len(prefix)
    if len(prefix) + len(cells[-1]) <= width or room < 20:
        text = (prefix + cells[-1]).rstrip()
        return textwrap.wrap(text, width, subsequent_indent="    ", break_on_hyphens=False) if len(text) > width \
            else [text]
    pieces = textwrap.wrap(cells[-1], room, break_on_hyphens=False)
    return [(prefix + pieces[0]).rstrip(), *(" " * len(prefix) + piece for piece in pieces[1:])]


def counts(reviews: Sequence[Review]) -> dict[str, int]:
    found = findings(reviews)
    return {level: sum(1 for f in found if f.level == level) for level in LEVELS}


def summary(reviews: Sequence[Review]) -> str:
    """'2 leaflets checked: 0 errors, 1 warning, 3 notes'."""
    total = counts(reviews)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    # one leaflet checked in several layouts is one
    leaflets = len({one.file for one in reviews if one.kind == "leaflet"})
    layouts = len({one.file for one in reviews if one.kind == "layout"})
    what = " and ".join([plural(leaflets, "leaflet")] * bool(leaflets or not layouts)
                        + [plural(layouts, "layout")] * bool(layouts))
    return (f"{what} checked: {plural(total[ERROR], 'error')}, "
            f"{plural(total[WARNING], 'warning')}, {plural(total[NOTE], 'note')}")


def as_json(reviews: Sequence[Review]) -> str:
    """The findings, the counts and each leaflet's reading level, for tools."""
    return json.dumps({
        "leaflets": len({one.file for one in reviews}),
        **{f"{level}s": n for level, n in counts(reviews).items()},
        "findings": [asdict(f) for f in findings(reviews)],
        "reading": {one.file: {"language": one.language, "target_grade": one.target_grade,
                               "leaflet": asdict(one.reading[0]) if one.reading else None,
                               "sections": [asdict(r) for r in one.reading[1:]]}
                    for one in reviews},
    }, indent=2, ensure_ascii=False)
