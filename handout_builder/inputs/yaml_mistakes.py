"""PyYAML's errors said in an author's words, with what to type instead.

An author who is a nurse, not a programmer, meets a handful of YAML mistakes again and again: a
tab, a colon inside a title, text on the line of `|`, a stray quote, a line indented one space
off, a list item where a field belongs. PyYAML names each by what its parser expected
("mapping values are not allowed here"), which says nothing of the cause. Each rule below
recognises one kind of mistake from PyYAML's error and the line it points at, and says in one
line what is wrong and the fix. A mistake no rule recognises keeps PyYAML's words, marked as
"malformed YAML".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# "  - heading: First" -> indent 2, dash, key "heading", column of the key 5 (1-based)
_FIELD_LINE = re.compile(r"(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s|$)")
_OPENING = {'"': '"', "'": "'", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Plain:
    """One YAML mistake in plain words: the 1-based line it is on and the message."""

    line: int | None
    message: str


@dataclass(frozen=True)
class _Field:
    key: str
    column: int  # 1-based column where the key starts
    value: str  # the rest of the line after "key:", stripped


def _field_on(line_text: str) -> _Field | None:
    match = _FIELD_LINE.match(line_text)
    if not match:
        return None
    value = line_text[match.end():].strip()
    return _Field(match["key"], match.start("key") + 1, value)


def _the(field: _Field | None) -> str:
    return f"the {field.key}" if field else "this text"


def _in_double_quotes(field: _Field) -> str:
    """The line as it should be written: the whole value in double quotes, quotes inside escaped."""
    value = field.value
    if len(value) >= 2 and value[0] == value[-1] == "'":  # 'Don't worry' -> Don't worry
        value = value[1:-1]
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{field.key}: "{value}"'


def _fix(field: _Field | None) -> str:
    if field is None or not field.value:
        return "put the whole text in double quotes"
    return f"put the whole {field.key} in double quotes: {_in_double_quotes(field)}"


def _unbalanced(value: str) -> bool:
    """A value that opens a quote and does not close it on its line."""
    return value[:1] in ('"', "'") and (len(value) == 1 or value[-1] != value[0])


def _field_above(lines: list[str], index: int) -> _Field | None:
    """The nearest field written on a line above line `index` (0-based), skipping blanks and comments."""
    for above in range(index - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        found = _field_on(text)
        if found:
            return found
    return None


def in_plain_words(exc: yaml.MarkedYAMLError, text: str) -> Plain:
    """The author's mistake behind a PyYAML error, in one line of plain words."""
    lines = text.split("\n")
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    here = lines[mark.line] if mark and mark.line < len(lines) else ""
    field = _field_on(here)

    # 1. A tab: YAML indents with spaces only.
    if "'\\t'" in problem:
        return Plain(line, f"a tab at column {column}; YAML needs spaces, never tabs — replace the tab with "
                           "spaces (two for each level of indentation)")

    # 2. ': ' inside a value, or a field indented further than the one above it.
    if problem == "mapping values are not allowed here":
        above = _field_above(lines, mark.line)
        if field and field.column + len(field.key) == column and above and field.column > above.column:
            return Plain(line, f"'{field.key}:' is indented more than '{above.key}:' above it; fields of the same "
                               f"item start in the same column — move '{field.key}:' to column {above.column}")
        if field is None:  # a text running over several lines: its field is above
            fix = (f"write '|' after '{above.key}:' and put the text on the lines under it, indented" if above
                   else "put the whole text in double quotes")
            return Plain(line, f"{_the(above)} contains ': ' (column {column}), which YAML reads as the start of "
                               f"a new field; {fix}")
        return Plain(line, f"{_the(field)} contains ': ' (column {column}), which YAML reads as the start of a "
                           f"new field; {_fix(field)}")

    # 3. Text on the same line as | or >.
    if context == "while scanning a block scalar":
        start = exc.context_mark.column if exc.context_mark else 0
        sign = here[start:start + 1] or "|"
        under = f"'{field.key}:'" if field else "the field"
        return Plain(line, f"text follows '{sign}' on the same line; '{sign}' must end its line, with the text "
                           f"starting on the next line, indented two spaces more than {under}")

    # 4. A quote, bracket or brace opened and never closed.
    if context in ("while scanning a quoted scalar", "while parsing a flow sequence",
                   "while parsing a flow mapping") and exc.context_mark:
        opened = exc.context_mark
        start_text = lines[opened.line] if opened.line < len(lines) else ""
        sign = start_text[opened.column:opened.column + 1]
        owner = _field_on(start_text)
        if sign in ("[", "{"):
            what = "a list" if sign == "[" else "a mapping"
            return Plain(opened.line + 1, f"{_the(owner)} starts with '{sign}', which YAML reads as the start of "
                                          f"{what}; {_fix(owner)}")
        return Plain(opened.line + 1, f"the quote {sign} at column {opened.column + 1} is never closed; end "
                                      f"{_the(owner)} with {sign} on the same line")

    # 5. Something after a closing quote: a stray quote inside the value.
    if problem == "expected <block end>, but found '<scalar>'":
        above = _field_above(lines, mark.line)
        if above and _unbalanced(above.value):  # the quote opened on a line above was closed on this one
            above_line = next(i for i in range(mark.line - 1, -1, -1) if _field_on(lines[i]) == above)
            return Plain(above_line + 1, f"{_the(above)} starts with a quote ({above.value[0]}) but does not "
                                         f"end with one; put {above.value[0]} at the end of {_the(above)}")
        if field and field.value[:1] in ('"', "'") and column > field.column + len(field.key) + 2:
            return Plain(line, f"{_the(field)} has text after its closing quote (column {column}); a quote at the "
                               f"start of a value must end it — {_fix(field)}")

    # 6. A list item where a field was expected.
    if problem == "expected <block end>, but found '-'" or problem == "sequence entries are not allowed here":
        if problem.startswith("sequence") and field:
            return Plain(line, f"{_the(field)} starts with '- ', which YAML reads as a list; {_fix(field)}")
        return Plain(line, "a list item ('- ') where a field (name: value) was expected; a list goes under its "
                           "field, indented (sections:, summary:, ...), and text with several paragraphs or a "
                           "list goes under 'body: |', indented")

    # 7. A line indented differently from the fields around it.
    if problem == "expected <block end>, but found '<block mapping start>'":
        above = _field_above(lines, mark.line)
        if field and above and field.column != above.column:
            return Plain(line, f"'{field.key}:' is indented {field.column - 1} spaces but '{above.key}:' above it "
                               f"{above.column - 1}; fields of the same item start in the same column — move "
                               f"'{field.key}:' to column {above.column}")
        return Plain(line, "this line is indented differently from the fields around it; fields of the same item "
                           "start in the same column")

    # 8. A line of text where a field (name: value) was expected.
    if problem == "could not find expected ':'" and exc.context_mark:
        started = exc.context_mark.line
        text_line = lines[started].strip() if started < len(lines) else ""
        return Plain(started + 1, f"'{text_line[:40]}' stands where a field (name: value) was expected; if it "
                                  "is part of the text above, write '|' after that field's colon and indent the "
                                  "text two spaces more than the field")

    # 9. A value starting with a character YAML keeps for itself.
    found = re.fullmatch(r"found character '(.)' that cannot start any token", problem)
    if found or context in ("while scanning an alias", "while scanning an anchor"):
        sign = found[1] if found else here[exc.context_mark.column]
        return Plain(line, f"{_the(field)} starts with '{sign}', which YAML keeps for itself; {_fix(field)}")
    if problem == "mapping keys are not allowed here" and field:
        return Plain(line, f"{_the(field)} starts with '?', which YAML keeps for itself; {_fix(field)}")

    # 10. Two documents in one file.
    if problem == "but found another document":
        return Plain(line, "'---' starts a second document; a file holds one leaflet — delete the '---' line "
                           "(and move what follows to its own file)")

    if problem.startswith("found undefined alias"):
        return Plain(line, f"{_the(field)} starts with '*', which YAML reads as a reference to an anchor; "
                           f"{_fix(field)}")

    what = problem or context or "cannot be read"
    if context and problem:
        joined = problem.startswith("but ")
        what = f"{context}, {problem}" if joined else f"{problem} ({context})"
    if "<block" in what:
        what += "; check the indentation of this line and the one above"
    return Plain(line, f"malformed YAML: {what}")
