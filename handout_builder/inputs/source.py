"""The inputs stage, first step: YAML text -> a tree of plain values that remember their line.

YAML is parsed with PyYAML's safe composer and constructed here by hand, so that every value
keeps the line an author would look at, only plain data tags are accepted (no Python objects),
duplicate keys are refused instead of silently overwritten, and alias bombs cannot expand.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import HandoutError
from ..world import FileTooLarge, World
from .characters import character_name
from .yaml_mistakes import in_plain_words

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 100_000  # after aliases expand; a long leaflet has a few hundred
MAX_DEPTH = 40

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Node:
    """A value read from YAML: `value` is a str, int, float, bool, None, date, dict or list.

    Mappings hold `dict[str, Node]` (in file order), sequences `list[Node]`. `line` is 1-based.
    `text_line` is the line where a scalar's text starts (the line after `|` or `>`).
    """

    value: object
    line: int
    text_line: int
    key_lines: dict = field(default_factory=dict, compare=False)
    written: str | None = field(default=None, compare=False)  # a scalar's text exactly as written

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)


def read_text(path: Path, display: str, world: World) -> str:
    """Read a UTF-8 file through the world (a BOM is allowed), refusing what is not a text file."""
    try:
        raw = world.read_bytes(path, limit=MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise HandoutError.single(
            display, None, "",
            f"file is {exc.size / 1048576:.1f} MB; a leaflet's YAML must be under {MAX_FILE_BYTES // 1048576} MB"
        ) from None
    except OSError as exc:
        raise HandoutError.single(display, None, "", f"cannot read file: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise HandoutError.single(display, 1, "", "file is UTF-32; save it as UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise HandoutError.single(display, 1, "", "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise HandoutError.single(display, line, "", _not_utf8(raw, exc.start)) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise HandoutError.single(display, line, "", "file holds a NUL byte; it is not a text file")
    return text


def _not_utf8(raw: bytes, start: int) -> str:
    """What to say of a file that is not UTF-8: Windows-1252 (what Word and Notepad save as
    "ANSI") is named, with the character it holds, so the author knows which setting to change."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return "file is not UTF-8 text; save it as UTF-8"
    binary = any(char < " " and char not in "\t\n\r" for char in text)  # control characters
    if binary or re.search(rb"[\x80-\xff]{3}", raw):  # text has at most two letters like é, ß in a row
        return "file is not UTF-8 text; save it as UTF-8"
    line_start = raw.rfind(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("cp1252")) + 1
    char = raw[start:start + 1].decode("cp1252")
    return (f"file is saved as Windows-1252 (\"ANSI\"), not UTF-8: '{char}' at column {column} cannot be read; "
            "save it again choosing the encoding UTF-8")


_TOO_MANY = (f"the file holds over {MAX_VALUES:,} values; a leaflet has a few hundred "
             "(YAML anchors and aliases can multiply them)")


class _TooManyValues(Exception):
    def __init__(self, line: int):
        self.line = line


class _CountingLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stopping as soon as a file holds more values than any leaflet could:
    composing 5 MB of tiny values would take a minute and gigabytes before anything counted them.
    (An alias counts once here; the tree builder counts what aliases expand to.)"""

    def __init__(self, stream):
        super().__init__(stream)
        self.composed = 0

    def compose_node(self, parent, index):
        self.composed += 1
        if self.composed > MAX_VALUES:
            raise _TooManyValues(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 saved without a byte order mark: text with a NUL in every other byte."""
    head = raw[:400]
    return len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4


# libyaml's parser, when PyYAML was built with it: several times faster than the Python one,
# which `list` and `check` of a few hundred leaflets notice. It cannot count values as it goes,
# so it takes only files too short to hold MAX_VALUES of them (a value and its separator are two
# characters at least); anything longer, and anything it refuses, goes to the counting parser,
# which also says what is wrong, and where, in the words of the messages above.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None and len(text) < 2 * MAX_VALUES:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_CountingLoader)


def parse_yaml(text: str, display: str) -> Node:
    """Parse YAML text into a Node tree; the document must be a mapping."""
    try:
        root = _compose(text)
    except _TooManyValues as exc:
        raise HandoutError.single(display, exc.line, "", _TOO_MANY) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line = text[: exc.position].count("\n") + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise HandoutError.single(display, line, "", f"file holds {character_name(char)}, which YAML does not "
                                  "allow in a file; remove it") from None
    except yaml.MarkedYAMLError as exc:  # said in the author's words, with the fix
        plain = in_plain_words(exc, text)
        raise HandoutError.single(display, plain.line, "", plain.message) from None
    except yaml.YAMLError as exc:
        raise HandoutError.single(display, None, "", f"malformed YAML: {exc}") from None
    except RecursionError:
        raise HandoutError.single(display, None, "", f"values are nested more than {MAX_DEPTH} deep") from None
    if root is None:
        raise HandoutError.single(display, 1, "", "file is empty")
    builder = _Builder(display, text)
    tree = builder.build(root, 0)
    if not tree.is_mapping:
        raise HandoutError.single(display, tree.line, "", "the file must be a mapping of fields (title:, sections:, ...)")
    return tree


def read_yaml(path: Path, display: str, world: World) -> Node:
    """Read (through the world) and parse a YAML file into a Node tree."""
    return parse_yaml(read_text(path, display, world), display)


# Half of a UTF-16 pair; searched for in C (a test of each character in Python was a quarter of `list`).
_SURROGATE = re.compile("[\ud800-\udfff]")
# A line that starts a Markdown list, numbered list or table row
_BLOCK_START = re.compile(r"\s*(?:[-*+]\s|\d{1,3}[.)]\s|\|)")


class _Builder:
    def __init__(self, display: str, text: str = ""):
        self.display = display
        self.lines = text.split("\n")
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> HandoutError:
        return HandoutError.single(self.display, node.start_mark.line + 1, "", message)

    def build(self, node: yaml.Node, depth: int) -> Node:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, _TOO_MANY)
        if depth > MAX_DEPTH:
            raise self.fail(node, f"values are nested more than {MAX_DEPTH} deep")
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, line)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, f"unsupported YAML tag {_short(node.tag)}; only plain text, numbers, dates, lists and mappings")
            return Node([self.build(item, depth + 1) for item in node.value], line, line)
        if node.tag != _MAP_TAG:
            raise self.fail(node, f"unsupported YAML tag {_short(node.tag)}; only plain text, numbers, dates, lists and mappings")
        items: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "YAML merge keys (<<) are not supported; write the fields out")
            key = self.build(key_node, depth + 1)
            if not isinstance(key.value, str):
                raise self.fail(key_node, f"field names must be words, not {_key_text(key.value)}")
            if key.value in items:
                raise self.fail(key_node, f"{key.value}: is given twice (first on line {key_lines[key.value]}); "
                                "keep one and delete the other")
            items[key.value] = self.build(value_node, depth + 1)
            key_lines[key.value] = key.line
        return Node(items, line, line, key_lines)

    def scalar(self, node: yaml.ScalarNode, line: int) -> Node:
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"unsupported YAML tag {_short(node.tag)}; only plain text, numbers, dates, lists and mappings")
        text_line = line + 1 if node.style in ("|", ">") else line
        if not node.style and node.end_mark.line > node.start_mark.line:  # plain: None, or "" from libyaml
            self._refuse_folded_markdown(node)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            value = node.value  # e.g. 2026-13-01: the date check names it later
        if isinstance(value, dt.datetime):
            value = node.value  # a time of day is not a date; the date check names it
        if isinstance(value, str) and _SURROGATE.search(value):
            try:  # "\ud83d\ude00", as JSON writes 😀, is one character; PyYAML leaves it in halves
                value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                raise self.fail(node, "text holds half of a UTF-16 pair (a \\ud800-\\udfff escape); "
                                "write the character itself") from None
        return Node(value, line, text_line, written=node.value)


    def _refuse_folded_markdown(self, node: yaml.ScalarNode) -> None:
        """Text over several lines without `|` is joined into one line by YAML: a list or table
        written in it would print as running text, so it is refused, with the fix."""
        for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            line, above = self.lines[index], self.lines[index - 1]
            if _BLOCK_START.match(line) and above.strip():
                start = self.lines[node.start_mark.line]
                key = start[: node.start_mark.column].strip().removeprefix("- ").rstrip(":").strip()
                name = f"'{key}:'" if key else "the field"
                raise HandoutError.single(
                    self.display, index + 1, "",
                    f"'{line.strip()[:30]}' would be joined to the line above: YAML runs text of several lines "
                    f"together unless it starts with '|' — write '|' after {name} and put the text on the lines "
                    "under it, indented")


def _key_text(value: object) -> str:
    """A key that is not a word, as the author wrote it."""
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "empty" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
