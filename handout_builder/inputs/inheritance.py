"""Layout inheritance: `extends: clinic-a4` reads the parent layout and lays the child over it.

The merge works on Node trees, before any field is validated, so the layout loader sees one tree
and stays unaware of inheritance. Mappings merge key by key (the child wins); any other value,
lists included, is replaced whole. Every field path remembers the file its value was written in,
so a problem found later names that file and line, not the file that merely inherited it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import HandoutError, Problem, ProblemList
from ..model import enclosing
from .fields import did_you_mean
from .project import Project
from .source import Node, read_yaml
from ..world import World

MAX_ANCESTORS = 8  # a chain this long is a mistake, not a design


@dataclass(frozen=True)
class LayoutTree:
    """A layout's fields with its ancestors' beneath them."""

    tree: Node  # merged, without `extends`
    files: tuple[str, ...]  # the layout's own file first, then its parent's, and so on
    origins: dict  # field path ("colours.text", "fonts.fallbacks[1]") -> file it was written in

    def file_of(self, field: str) -> str:
        """The file a field's value was written in (or its nearest enclosing field's)."""
        return next((self.origins[path] for path in enclosing(field) if path in self.origins), self.files[0])


def read_layout_tree(project: Project, name: str, world: World) -> LayoutTree:
    """Read layouts/<name>.yaml and every layout it extends (through the world), merged child over
    parent."""
    chain: list[tuple[str, str, Node]] = []  # (name, file shown, tree), child first
    current = name
    while True:
        path = project.layout_file(current)
        display = project.display(path)
        tree = read_yaml(path, display, world)
        chain.append((current, display, tree))
        parent = tree.value.get("extends")
        if parent is None:
            break
        current = _parent_name(project, parent, display, [n for n, _, _ in chain])
    origins: dict[str, str] = {}
    _, root_file, merged = chain[-1]
    merged = _without_extends(merged)
    _claim(merged, "", root_file, origins)
    for _, display, tree in reversed(chain[:-1]):
        merged = _merge(_without_extends(tree), merged, "", display, origins)
    return LayoutTree(merged, tuple(display for _, display, _ in chain), origins)


def _parent_name(project: Project, node: Node, display: str, seen: list[str]) -> str:
    def fail(message: str) -> HandoutError:
        return HandoutError.single(display, node.line, "extends", message)

    if not isinstance(node.value, str) or not node.value.strip():
        raise fail("must be the name of another layout, e.g. clinic-a4")
    name = node.value.strip()
    known = project.layout_names()
    if name not in known:
        raise fail(f"unknown layout '{name}'" + did_you_mean(name, known) + f"; the layouts are {', '.join(known)}")
    if name in seen:
        raise fail(f"'{name}' leads back to this layout ({' -> '.join([*seen, name])}); a layout cannot extend itself")
    if len(seen) > MAX_ANCESTORS:
        raise fail(f"layouts extend each other more than {MAX_ANCESTORS} deep")
    return name


def _without_extends(tree: Node) -> Node:
    if "extends" not in tree.value:
        return tree
    items = {k: v for k, v in tree.value.items() if k != "extends"}
    lines = {k: v for k, v in tree.key_lines.items() if k != "extends"}
    return Node(items, tree.line, tree.text_line, lines)


def _merge(child: Node, parent: Node, path: str, file: str, origins: dict) -> Node:
    """Child laid over parent: mappings key by key, anything else replaced."""
    if not (child.is_mapping and parent.is_mapping):
        _forget(path, origins)
        _claim(child, path, file, origins)
        return child
    origins[path] = file  # a field missing from a merged mapping is the child's to add
    items = dict(parent.value)
    lines = dict(parent.key_lines)
    for key, value in child.value.items():
        sub = f"{path}.{key}" if path else key
        items[key] = _merge(value, items[key], sub, file, origins) if key in items else _claim(value, sub, file, origins)
        lines[key] = child.key_lines[key]
    return Node(items, child.line, child.text_line, lines)


def _claim(node: Node, path: str, file: str, origins: dict) -> Node:
    """Record that node, and everything in it, was written in file."""
    origins[path] = file
    if node.is_mapping:
        for key, value in node.value.items():
            _claim(value, f"{path}.{key}" if path else key, file, origins)
    elif node.is_sequence:
        for index, item in enumerate(node.value, start=1):
            _claim(item, f"{path}[{index}]", file, origins)
    return node


def _forget(path: str, origins: dict) -> None:
    for key in [k for k in origins if k.startswith((f"{path}.", f"{path}["))]:
        del origins[key]


class LayoutProblems(ProblemList):
    """Problems of an inheriting layout, each filed under the file its field was written in."""

    def __init__(self, layout: LayoutTree):
        super().__init__(layout.files[0])
        self.layout = layout

    def add(self, line: int | None, field: str, message: str) -> None:
        self.items.append(Problem(self.layout.file_of(field), line, field, message))

    def newer(self, field: str, other: str) -> bool:
        """Whether field was written in a more derived file than other (so it changed last)."""
        files = self.layout.files
        return files.index(self.layout.file_of(field)) < files.index(self.layout.file_of(other))

    def raise_if_any(self) -> None:
        """Raise with every problem: the layout's own first, then its parents', in line order."""
        if self.items:
            order = self.layout.files
            raise HandoutError(sorted(self.items, key=lambda p: (order.index(p.file), p.line or 0)))
