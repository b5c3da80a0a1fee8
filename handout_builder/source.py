"""Stage 1: YAML text -> a tree of plain values that remember their line.

YAML is parsed with PyYAML's safe composer and constructed here by hand, so that every value
keeps the line an author would look at, only plain data tags are accepted (no Python objects),
duplicate keys are refused instead of silently overwritten, and alias bombs cannot expand.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import HandoutError

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

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file (a BOM is allowed), refusing what is not a text file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise HandoutError.single(
                display, None, "",
                f"file is {size / 1048576:.1f} MB; a leaflet's YAML must be under {MAX_FILE_BYTES // 1048576} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise HandoutError.single(display, None, "", f"cannot read file: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise HandoutError.single(display, 1, "", "file is UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise HandoutError.single(display, line, "", "file is not UTF-8 text; save it as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise HandoutError.single(display, line, "", "file holds a NUL byte; it is not a text file")
    return text


# libyaml's parser, when PyYAML was built with it: several times faster than the Python one,
# which `list` and `check` of a few hundred leaflets notice. The trees are the same.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # say what is wrong, and where, in the Python parser's words
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_yaml(text: str, display: str) -> Node:
    """Parse YAML text into a Node tree; the document must be a mapping."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be read"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        raise HandoutError.single(display, line, "", f"malformed YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise HandoutError.single(display, None, "", f"malformed YAML: {exc}") from None
    except RecursionError:
        raise HandoutError.single(display, None, "", "malformed YAML: nested too deeply") from None
    if root is None:
        raise HandoutError.single(display, 1, "", "file is empty")
    builder = _Builder(display)
    tree = builder.build(root, 0)
    if not tree.is_mapping:
        raise HandoutError.single(display, tree.line, "", "the file must be a mapping of fields (title:, sections:, ...)")
    return tree


def read_yaml(path: Path, display: str) -> Node:
    """Read and parse a YAML file into a Node tree (stage 1)."""
    return parse_yaml(read_text(path, display), display)


class _Builder:
    def __init__(self, display: str):
        self.display = display
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> HandoutError:
        return HandoutError.single(self.display, node.start_mark.line + 1, "", message)

    def build(self, node: yaml.Node, depth: int) -> Node:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, f"the file expands to over {MAX_VALUES} values (YAML anchors and aliases?)")
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
                raise self.fail(key_node, f"field names must be words, not {key.value!r}")
            if key.value in items:
                raise self.fail(key_node, f"{key.value}: appears twice in the same mapping")
            items[key.value] = self.build(value_node, depth + 1)
            key_lines[key.value] = key.line
        return Node(items, line, line, key_lines)

    def scalar(self, node: yaml.ScalarNode, line: int) -> Node:
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"unsupported YAML tag {_short(node.tag)}; only plain text, numbers, dates, lists and mappings")
        text_line = line + 1 if node.style in ("|", ">") else line
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            value = node.value  # e.g. 2026-13-01: the date check names it later
        if isinstance(value, dt.datetime):
            value = node.value  # a time of day is not a date; the date check names it
        return Node(value, line, text_line)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
