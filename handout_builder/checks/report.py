"""What `check` shows: the findings of many leaflets as a table or as JSON, and a summary line.

The engine returns these as text; only the command line prints them.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Sequence

from .quality import ERROR, LEVELS, NOTE, WARNING, Finding, Review

HEADER = ("Where", "Level", "Field", "Message")


def findings(reviews: Sequence[Review]) -> list[Finding]:
    """Every finding of the reviews, each once (a layout's are shared by its leaflets), errors first."""
    seen: dict[Finding, None] = {}
    for one in reviews:
        for finding in one.findings:
            seen.setdefault(finding, None)
    return sorted(seen, key=Finding.sort_key)


def table(reviews: Sequence[Review]) -> list[str]:
    """One line a finding: file:line, level, field and message in columns; a header first."""
    rows = [(f.place, f.level, f.field or "-", f.message) for f in findings(reviews)]
    if not rows:
        return []
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(3)]
    return ["  ".join([*(cell.ljust(width) for cell, width in zip(row[:3], widths)), row[3]]).rstrip()
            for row in [HEADER, *rows]]


def counts(reviews: Sequence[Review]) -> dict[str, int]:
    found = findings(reviews)
    return {level: sum(1 for f in found if f.level == level) for level in LEVELS}


def summary(reviews: Sequence[Review]) -> str:
    """'2 leaflets checked: 0 errors, 1 warning, 3 notes'."""
    total = counts(reviews)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    leaflets = len({one.file for one in reviews})  # one leaflet checked in several layouts is one
    return (f"{plural(leaflets, 'leaflet')} checked: {plural(total[ERROR], 'error')}, "
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
