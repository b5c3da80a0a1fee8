"""Typed reading of YAML fields, shared by the handout and layout loaders.

A `Fields` wraps one mapping Node. Each accessor returns the value or None and, when the value
is missing or of the wrong kind, records one Problem (with the field's path and line) instead
of raising, so a single pass reports everything wrong in a file.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator

from .characters import is_blank
from ..errors import ProblemList
from ..model import MM
from .source import Node

_MISSING = object()
UNITS = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0}
LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*\Z")
MAX_LENGTH = 300  # points (106mm): no margin, logo, column or QR code is longer
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
# Invisible characters dropped from every text as it is read, because they print as nothing and
# the PDF mishandles them: a soft hyphen only marks where a word may be hyphenated (the builder
# never hyphenates; ReportLab swallows a space after one and writes it wrongly in metadata), and a
# zero-width no-break space is a byte order mark pasted mid-text (readers lose text around it).
_DROPPED = str.maketrans("", "", "\u00ad\ufeff")


def _dropped(text: str) -> str:
    return text.translate(_DROPPED)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice that word was most probably meant to be, if any is close."""
    import difflib  # only when a word is wrong: every command reads fields, few misspell one

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to word, else ''."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def quoted(text: str, limit: int = 60) -> str:
    """Author text quoted in a problem message, shortened when long so the message stays one
    readable line."""
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[:limit - 20]}…' ({len(text)} characters)"


def parse_length(value) -> float | None:
    """A length in points from a number (points) or text with a unit (20mm, 0.8in), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        match = LENGTH.match(value)
        if match:
            return float(match.group(1)) * UNITS[match.group(2) or "pt"]
    return None


def describe(value: object) -> str:
    """How a wrongly typed value reads to an author."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off as true/false; put the text in quotes)"
    if isinstance(value, dict):
        return "a mapping of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return quoted(value) if isinstance(value, str) else repr(value)


class Fields:
    """The fields of one YAML mapping, read with their paths for problem messages."""

    def __init__(self, node: Node, path: str, problems: ProblemList, known: Iterable[str], lines: dict | None = None):
        self.node = node
        self.path = path
        self.problems = problems
        self.lines = lines if lines is not None else {}
        known = list(known)
        self.misspelt: set[str] = set()  # known fields an unknown one was probably meant to be
        for key, line in node.key_lines.items():
            if key not in known:
                shown = key if len(key) <= 40 else quoted(key, 40)
                self.problems.add(line, self.sub(shown), "unknown field" + did_you_mean(key, known))
                if closest(key, known):
                    self.misspelt.add(closest(key, known))

    # -- places -------------------------------------------------------------------------------

    def sub(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def line(self, name: str) -> int:
        child = self.node.value.get(name)
        return child.text_line if child is not None else self.node.line

    def fail(self, name: str, message: str) -> None:
        self.problems.add(self.line(name), self.sub(name), message)

    def _get(self, name: str, required: bool):
        child = self.node.value.get(name)
        if child is None or child.value is None or (isinstance(child.value, str) and is_blank(child.value)):
            if required and name not in self.misspelt:  # "did you mean" has said it already
                self.fail(name, "missing" if child is None else "is empty")
            return _MISSING
        self.lines[self.sub(name)] = child.text_line
        return child

    # -- scalars ------------------------------------------------------------------------------

    def text(self, name: str, required: bool = False, numbers: bool = True, default=None) -> str | None:
        """A text field; numbers are taken as their text unless `numbers` is False."""
        child = self._get(name, required)
        if child is _MISSING:
            return default
        value = child.value
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool) and numbers:
            return child.written or str(value)  # as written: 1e3 stays 1e3, 1.10 stays 1.10
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                written = child.written or str(value)
                misread = f"YAML reads {written} as {value}; " if written != str(value) else ""
                hint = f' ({misread}put it in quotes, e.g. "{written}", so it stays exactly as written)'
            self.fail(name, f"must be text, not {describe(value)}{hint}")
            return default
        value = _dropped(value)
        return value.strip() if "\n" not in value.strip() else value

    def date(self, name: str, required: bool = False) -> dt.date | None:
        """A date written YYYY-MM-DD."""
        child = self._get(name, required)
        if child is _MISSING:
            return None
        value = child.value
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        shown = quoted(value) if isinstance(value, str) else describe(value)
        self.fail(name, f"{shown} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01")
        return None

    def integer(self, name: str, required: bool = False, low: int | None = None, high: int | None = None) -> int | None:
        child = self._get(name, required)
        if child is _MISSING:
            return None
        value = child.value
        if isinstance(value, str) and re.fullmatch(r"[0-9]{1,15}", value.strip()):
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, f"must be a whole number, not {describe(value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(name, f"{value} is out of range ({low} to {high})")
            return None
        return value

    def number(self, name: str, required: bool = False, low: float = 0.0, high: float = 1e6) -> float | None:
        child = self._get(name, required)
        if child is _MISSING:
            return None
        value = child.value
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.fail(name, f"must be a number, not {describe(value)}")
            return None
        if not low <= value <= high:
            self.fail(name, f"{value} is out of range ({low:g} to {high:g})")
            return None
        return float(value)

    def boolean(self, name: str, default: bool = False) -> bool:
        """A true/false field."""
        child = self._get(name, False)
        if child is _MISSING:
            return default
        if not isinstance(child.value, bool):
            self.fail(name, f"must be true or false, not {describe(child.value)}")
            return default
        return child.value

    def choice(self, name: str, choices: Iterable[str], required: bool = False, default=None) -> str | None:
        value = self.text(name, required=required, default=None)
        if value is None:
            return default
        choices = list(choices)
        if value not in choices:
            self.fail(name, f"{quoted(value)} is not one of {', '.join(choices)}{did_you_mean(value, choices)}")
            return default
        return value

    def length(self, name: str, required: bool = False, default=None) -> float | None:
        """A length in points, written as points or with a unit (20mm, 0.8in, 1cm, 12pt)."""
        child = self.node.value.get(name)
        if child is None:  # said even when a misspelt key was probably meant, as layouts always have
            if required:
                self.fail(name, "missing")
            return default
        length = parse_length(child.value)
        if length is None or length > MAX_LENGTH:
            self.fail(name, f"'{child.value}' is not a length such as 20mm, 0.8in or 56 (points)")
            return None
        return length

    def colour(self, name: str, required: bool = False, default=None) -> str | None:
        """A colour written #rrggbb; None when it is not one."""
        value = self.text(name, required=required, default=default)
        if value and not COLOUR.match(value):
            self.fail(name, f"'{value}' is not a colour; write #rrggbb, e.g. #1f4e79")
            return None
        return value

    # -- collections --------------------------------------------------------------------------

    def text_list(self, name: str, required: bool = False, one_allowed: bool = True) -> tuple[str, ...]:
        """A list of text items; a single text counts as a list of one when `one_allowed`."""
        child = self._get(name, required)
        if child is _MISSING:
            return ()
        if isinstance(child.value, str) and one_allowed:
            return (_dropped(child.value).strip(),)
        if not child.is_sequence:
            self.fail(name, f"must be a list (lines starting with '- '), not {describe(child.value)}")
            return ()
        items = []
        for index, item in enumerate(child.value, start=1):
            path = f"{self.sub(name)}[{index}]"
            value = item.value
            if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
                value = item.written or str(value)
            if not isinstance(value, str) or is_blank(value):
                what = "is empty" if value is None or isinstance(value, str) else f"must be text, not {describe(value)}"
                self.problems.add(item.line, path, what)
                continue
            self.lines[path] = item.text_line
            items.append(_dropped(value).strip())
        if required and not items and not child.value:
            self.fail(name, "must list at least one item")
        return tuple(items)

    def mappings(self, name: str, required: bool = False) -> Iterator[tuple[str, Node]]:
        """The (path, node) of each item of a list of mappings."""
        child = self._get(name, required)
        if child is _MISSING:
            return
        if not child.is_sequence:
            self.fail(name, f"must be a list of items (each starting with '- '), not {describe(child.value)}")
            return
        if required and not child.value:
            self.fail(name, "must list at least one item")
        for index, item in enumerate(child.value, start=1):
            path = f"{self.sub(name)}[{index}]"
            if not item.is_mapping:
                self.problems.add(item.line, path, f"must be a mapping of fields, not {describe(item.value)}")
                continue
            self.lines[path] = item.line
            yield path, item

    def mapping(self, name: str, known: Iterable[str], required: bool = False) -> "Fields | None":
        """The fields of a nested mapping."""
        child = self._get(name, required)
        if child is _MISSING:
            return None
        if not child.is_mapping:
            self.fail(name, f"must be a mapping of fields, not {describe(child.value)}")
            return None
        return Fields(child, self.sub(name), self.problems, known, self.lines)
