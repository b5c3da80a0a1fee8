"""The one error type the engine raises: problems an author can fix, each with its place."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, said where the author will look for it."""

    file: str
    line: int | None
    field: str
    message: str
    check: str = "input"  # what kind of problem `check` reports it as: "input", or "glyphs" (text/document.py)

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class HandoutError(Exception):
    """Raised with every problem found in one pass over an input, never with a partial result.

    `problems` holds at least one Problem; `str()` gives one line per problem.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        if not problems:
            raise ValueError("HandoutError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, line: int | None, field: str, message: str) -> "HandoutError":
        """An error carrying one problem."""
        return cls([Problem(file, line, field, message)])


class ProblemList:
    """Collects problems while a stage reads on, so `check` can report them all at once."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Problem] = []

    def add(self, line: int | None, field: str, message: str) -> None:
        self.items.append(Problem(self.file, line, field, message))

    def extend(self, problems) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        """Raise HandoutError with every problem, in line order, if there are any."""
        if self.items:
            raise HandoutError(sorted(self.items, key=lambda p: p.line or 0))


# -- a bug of ours ------------------------------------------------------------------------------
# Not an author's mistake, but still reported as one line naming the leaflet, so the other
# leaflets of a run go on. These are the only words for it (build_pdf.py and build/batch.py).

def describe_crash(exc: BaseException) -> str:
    """An unexpected exception in one line: "RecursionError: maximum recursion depth exceeded"."""
    return f"{type(exc).__name__}: {exc}"


def internal_error(file: str, what: str) -> Problem:
    """The problem a leaflet is reported with when the builder failed on it; `what` is
    describe_crash(exc)."""
    return Problem(file, None, "", f"internal error in the builder ({what}); please report it with this leaflet")


def internal_error_row(what: str) -> str:
    """The same, short enough for one cell of `list`'s table; `what` is the exception's name."""
    return f"(internal error in the builder: {what}; please report it)"
