"""A finding: one thing a reviewer would point out, its level and where to fix it.

Apart from the checks themselves (quality.py), which need the whole document stage, so that
what only shows or groups findings (report.py, translations.py, `list`) loads none of it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem

ERROR, WARNING, NOTE = "error", "warning", "note"
LEVELS = (ERROR, WARNING, NOTE)


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would point out, with where to fix it."""

    file: str
    line: int | None
    field: str
    level: str  # error, warning or note
    check: str  # which check found it, e.g. "sentence-length"
    message: str

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.field, self.message, self.check)

    def sort_key(self):
        return LEVELS.index(self.level), self.file, self.line or 0
