"""One walk over a leaflet's Markdown: the tree that the story, the checks and the limits share.

markdown-it gives a flat token stream (paragraph_open, inline, paragraph_close, ...). This module
turns it, once per leaflet, into a tree of `Node`s in the builder's own vocabulary (KINDS: a
callout rather than a blockquote, a cell that knows whether it heads its column and how it is
aligned, a run of inline text), each node with the line of the file it starts on. It is the only
module that knows markdown-it's token names, how a passage's {lang=..} arrives, or how source
lines are counted.

Each consumer then walks the tree with its own table of rules, one per node kind, the way
markdown-it's renderer has one small rule per token type: `Walk(enter={...}, leave={...})`.
Consumers: the story (render/story.py) and its inline markup (render/inline.py), the words the
checks read (prose.py), the size limits (limits.py) and the document stage's citations, refusals
and glyph checks (document.py).

A new construct (pictures, say) is a kind in KINDS and an entry in _KIND_OF (with its attributes
in _attributes when it has any), then a rule in each consumer that cares; tests/test_walk.py
fails until the story and the inline markup say what they do with it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping

from markdown_it.token import Token

from .markdown import parse_blocks, parse_inline

# -- the vocabulary ---------------------------------------------------------------------------

# The root of a section body, and the blocks in it.
BODY = "body"
PARAGRAPH, HEADING, CALLOUT, RULE, CODE = "paragraph", "heading", "callout", "rule", "code"
BULLET_LIST, ORDERED_LIST, ITEM = "bullet_list", "ordered_list", "item"
TABLE, ROW, CELL = "table", "row", "cell"
# A run of inline text: what a paragraph, heading or cell holds, and the whole of a key point or
# the contact text (those are the root of their own tree).
RUN = "run"
# Inside a run.
TEXT, CODE_SPAN, SOFTBREAK, HARDBREAK = "text", "code_span", "softbreak", "hardbreak"
STRONG, EMPHASIS, LINK, CITATION, IMAGE = "strong", "emphasis", "link", "citation", "image"

BLOCKS = (BODY, PARAGRAPH, HEADING, BULLET_LIST, ORDERED_LIST, ITEM, CALLOUT, TABLE, ROW, CELL, RULE, CODE, RUN)
INLINE = (TEXT, CODE_SPAN, SOFTBREAK, HARDBREAK, STRONG, EMPHASIS, LINK, CITATION, IMAGE)
KINDS = BLOCKS + INLINE
# Blocks that can be a passage in another language ({lang=fr} before them: passages.py).
PASSAGES = (PARAGRAPH, HEADING, BULLET_LIST, ORDERED_LIST, CALLOUT, TABLE)

# markdown-it's token types (less _open and _close) -> node kinds. Raw HTML is off and only
# these constructs are enabled (markdown.py), so a token not named here is a bug of ours.
_KIND_OF = {
    "paragraph": PARAGRAPH, "heading": HEADING, "blockquote": CALLOUT, "hr": RULE,
    "fence": CODE, "code_block": CODE,
    "bullet_list": BULLET_LIST, "ordered_list": ORDERED_LIST, "list_item": ITEM,
    "table": TABLE, "tr": ROW, "th": CELL, "td": CELL,
    "inline": RUN,
    "text": TEXT, "code_inline": CODE_SPAN, "softbreak": SOFTBREAK, "hardbreak": HARDBREAK,
    "strong": STRONG, "em": EMPHASIS, "link": LINK, "citation": CITATION, "image": IMAGE,
}
_HEADER_GROUPS = {"thead": True, "tbody": False}  # not nodes: their rows say whether they head the table


@dataclass(eq=False)
class Node:
    """One construct of a leaflet's Markdown, where it was written, and what is inside it."""

    kind: str  # one of KINDS
    field: str  # the handout field it was written in: "sections[2].body", "summary[1]", "contact"
    line: int | None  # the line of the file it starts on; None when the field's line is unknown
    children: list["Node"] = dataclasses.field(default_factory=list)
    parent: "Node | None" = dataclasses.field(default=None, repr=False)
    # What some kinds carry (the defaults elsewhere):
    text: str = ""  # text, code_span, code: the characters; citation: as written; image: its alt text
    lang: str | None = None  # PASSAGES: the language of a passage in another language
    start: int = 1  # ordered_list: the number of its first item
    header: bool = False  # row, cell: in the table's header row
    align: str = "LEFT"  # cell: LEFT, CENTER or RIGHT
    href: str = ""  # link: where it leads; image: its file
    keys: tuple[str, ...] = ()  # citation: the ids of the references cited
    # image (a picture, picture_marks.py): its caption ("Caption" after the file), the share of
    # the layout's width asked for ({width=50%}, in percent), whether it only decorates
    # ({decorative}), and braces after it that were not understood (refused by the document stage)
    caption: str = ""
    width: float | None = None
    decorative: bool = False
    marks: str = ""

    def within(self, *kinds: str) -> bool:
        """Whether a node around this one (not this one) is of one of `kinds`."""
        node = self.parent
        while node is not None:
            if node.kind in kinds:
                return True
            node = node.parent
        return False

    def depth(self, *kinds: str) -> int:
        """How many nodes of `kinds` hold this one, counting itself."""
        count, node = 0, self
        while node is not None:
            count += node.kind in kinds
            node = node.parent
        return count

    def copy(self, parent: "Node | None" = None, texts: Mapping[int, str] = MappingProxyType({})) -> "Node":
        """This node and everything inside it made anew, each node's parent its holder in the copy
        (this one's: `parent`), with the text of the nodes in `texts` (by id) replaced: what
        copy.deepcopy made, without its memo of every value."""
        new = object.__new__(Node)
        new.__dict__.update(self.__dict__)
        new.parent = parent
        if id(self) in texts:
            new.text = texts[id(self)]
        new.children = [child.copy(new, texts) for child in self.children]
        return new

    def descendants(self) -> Iterator["Node"]:
        """Every node inside this one, in the order they were written."""
        for child in self.children:
            yield child
            yield from child.descendants()


# -- from markdown-it's tokens to the tree ------------------------------------------------------

def _attributes(kind: str, token: Token) -> dict:
    """What a node of `kind` carries beyond its kind and line, read from its (opening) token."""
    if kind == ORDERED_LIST:
        return {"start": int(token.attrGet("start") or 1)}
    if kind == CELL:
        style = str(token.attrGet("style") or "")
        return {"header": token.type == "th_open",
                "align": "RIGHT" if "right" in style else "CENTER" if "center" in style else "LEFT"}
    if kind == LINK:
        return {"href": str(token.attrGet("href") or "")}
    if kind == IMAGE:
        width = token.attrGet("width")
        return {"href": str(token.attrGet("src") or ""), "caption": str(token.attrGet("title") or "").strip(),
                "width": float(width) if width is not None else None,
                "decorative": token.attrGet("decorative") is not None, "marks": str(token.attrGet("marks") or "")}
    if kind == CITATION:
        return {"keys": tuple(token.meta["keys"])}
    return {}


def _grow(parent: Node, tokens: Iterable[Token], field: str, line: Callable[[Token], int | None]) -> None:
    """Nodes for a flat run of tokens, nested under parent by their _open and _close pairs."""
    stack = [parent]
    header = False
    for token in tokens:
        name = token.type
        if token.nesting == -1:
            name = name[: -len("_close")]
            if name not in _HEADER_GROUPS:
                stack.pop()
            continue
        if token.nesting == 1:
            name = name[: -len("_open")]
            if name in _HEADER_GROUPS:
                header = _HEADER_GROUPS[name]
                continue
        kind = _KIND_OF[name]
        node = Node(kind, field, line(token), parent=stack[-1], text=token.content if kind != RUN else "",
                    lang=token.attrGet("lang") if token.nesting == 1 else None, **_attributes(kind, token))
        if kind == ROW:
            node.header = header
        stack[-1].children.append(node)
        if token.nesting == 1:
            stack.append(node)
        elif kind == RUN:
            _grow_run(node, token.children or [])


def _grow_run(run: Node, tokens: list[Token]) -> None:
    """A run's inline nodes, each on its line: a line break ends a line of the file."""
    offset = 0

    def line(token: Token) -> int | None:
        return run.line + offset if run.line is not None else None

    def counted(tokens: list[Token]) -> Iterator[Token]:
        nonlocal offset
        for token in tokens:
            yield token
            if token.type in ("softbreak", "hardbreak"):
                offset += 1

    _grow(run, counted(tokens), run.field, line)


def body_tree(text: str, field: str, first_line: int | None) -> Node:
    """A section body (block Markdown) as a tree whose root is a BODY node. `first_line` is the
    line of the file where the text starts."""
    root = Node(BODY, field, first_line)

    def line(token: Token) -> int | None:
        if first_line is None:
            return None
        return first_line + token.map[0] if token.map else first_line

    _grow(root, parse_blocks(text), field, line)
    return root


def inline_tree(text: str, field: str, first_line: int | None) -> Node:
    """A key point or the contact text (one run of inline Markdown) as a tree whose root is a
    RUN node."""
    root = Node(RUN, field, first_line)
    _grow_run(root, parse_inline(text))
    return root


# -- walking it ---------------------------------------------------------------------------------

SKIP = object()  # an enter rule returns this when it has dealt with the node's children itself

Rule = Callable[[Node], Any]


class Walk:
    """One consumer's rules over the tree: for each node kind it cares about, a rule called on the
    way into such a node (before its children) and one on the way out (after them). Nodes of
    other kinds are walked through. Call it on one or more trees."""

    def __init__(self, enter: Mapping[str, Rule] | None = None, leave: Mapping[str, Rule] | None = None):
        self.enter = dict(enter or {})
        self.leave = dict(leave or {})
        unknown = sorted((set(self.enter) | set(self.leave)) - set(KINDS))
        if unknown:  # a misspelt kind would silently never match
            raise ValueError(f"no such node kind: {', '.join(unknown)}")

    def __call__(self, *trees: Node) -> None:
        for tree in trees:
            self._visit(tree)

    def _visit(self, node: Node) -> None:
        enter = self.enter.get(node.kind)
        if enter is None or enter(node) is not SKIP:
            for child in node.children:
                self._visit(child)
        leave = self.leave.get(node.kind)
        if leave is not None:
            leave(node)
