"""The words families read, block by block, as plain text that knows its lines.

Reading level, sentence and paragraph length, and the typography of the text are all judged on
this: no Markdown, no citation markers ([1]), no link addresses, no table rules.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

from . import walk
from .document import Document
from .walk import Node, Walk

# What a block is, as the checks tell them apart.
TITLE, HEADING, SUBHEADING = "title", "heading", "subheading"
PARAGRAPH, ITEM, CELL, CALLOUT = "paragraph", "list item", "table cell", "callout"
KEY_POINT, CONTACT = "key point", "contact"
PROSE = frozenset({PARAGRAPH, ITEM, CELL, CALLOUT, KEY_POINT, CONTACT})  # what reading level counts


@dataclass(frozen=True)
class Link:
    href: str
    words: str
    line: int | None


@dataclass(frozen=True)
class Block:
    """One piece of text read as a unit: a paragraph, list item, table cell, heading, key point or
    the contact text. Sentences never run from one block into the next."""

    field: str  # e.g. "sections[2].body"
    kind: str
    section: int | None  # index of its section in handout.sections; None outside the sections
    text: str
    line_starts: tuple[tuple[int, int | None], ...]  # (offset in text, line in the file), ascending
    italics: tuple[tuple[str, int | None], ...] = ()  # each italic run's text and line
    links: tuple[Link, ...] = ()

    def line_at(self, offset: int) -> int | None:
        """The line of the file that the character at `offset` sits on."""
        index = bisect.bisect_right([start for start, _ in self.line_starts], offset) - 1
        return self.line_starts[max(index, 0)][1]


class _Builder:
    """Plain text from a run's inline nodes: text kept, citations and addresses dropped, lines
    tracked."""

    def __init__(self, line: int | None):
        self.parts: list[str] = []
        self.length = 0
        self.line_starts: list[tuple[int, int | None]] = [(0, line)]
        self.italic_depth = 0
        self.italics: list[tuple[str, int | None]] = []
        self.open_links: list[list] = []
        self.links: list[Link] = []
        self.walk = Walk(
            enter={walk.TEXT: self.text, walk.CODE_SPAN: self.text, walk.SOFTBREAK: self.new_line,
                   walk.HARDBREAK: self.new_line, walk.EMPHASIS: self.italic, walk.LINK: self.link,
                   walk.CITATION: self.citation},
            leave={walk.EMPHASIS: self.italic_end, walk.LINK: self.link_end},
        )

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.italic_depth:
            self.italics[-1] = (self.italics[-1][0] + text, self.italics[-1][1])
        for link in self.open_links:
            link[1] += text

    # -- rules --------------------------------------------------------------------------------

    def text(self, node: Node) -> None:
        self.add(node.text)

    def new_line(self, node: Node) -> None:
        self.add(" ")
        self.line_starts.append((self.length, node.line + 1 if node.line is not None else None))

    def italic(self, node: Node) -> None:
        if not self.italic_depth:
            self.italics.append(("", node.line))
        self.italic_depth += 1

    def italic_end(self, node: Node) -> None:
        self.italic_depth -= 1

    def link(self, node: Node) -> None:
        self.open_links.append([node.href, "", node.line])

    def link_end(self, node: Node) -> None:
        href, words, line = self.open_links.pop()
        self.links.append(Link(href, words, line))

    def citation(self, node: Node) -> None:  # "agree [@x]." reads "agree."
        while self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1

    def block(self, field: str, kind: str, section: int | None) -> Block:
        return Block(field, kind, section, "".join(self.parts), tuple(self.line_starts),
                     tuple(run for run in self.italics if run[0].strip()), tuple(self.links))


def _block(run: Node, kind: str, section: int | None) -> Block:
    """The Block of one run of inline text."""
    builder = _Builder(run.line)
    builder.walk(*run.children)
    return builder.block(run.field, kind, section)


def _plain(field: str, kind: str, section: int | None, text: str, line: int | None) -> Block:
    return Block(field, kind, section, text, ((0, line),))


def blocks(document: Document) -> Iterator[Block]:
    """Every block of text on the page, in reading order (references apart)."""
    handout = document.handout
    yield _plain("title", TITLE, None, handout.title, handout.line_of("title"))
    if handout.subtitle:
        yield _plain("subtitle", HEADING, None, handout.subtitle, handout.line_of("subtitle"))
    for run in document.summary:
        yield _block(run, KEY_POINT, None)
    for index, (section, body) in enumerate(zip(handout.sections, document.bodies)):
        heading_field = f"{section.field}.heading"
        yield _plain(heading_field, HEADING, index, section.heading, handout.line_of(heading_field))
        yield from _body(body, index)
    if document.contact:
        yield _block(document.contact, CONTACT, None)


def _kind(run: Node) -> str:
    """What a run of a section body is, by what holds it."""
    if run.within(walk.HEADING):
        return SUBHEADING
    if run.within(walk.CELL):
        return CELL
    if run.within(walk.ITEM):
        return ITEM
    if run.within(walk.CALLOUT):
        return CALLOUT
    return PARAGRAPH


def _body(body: Node, section: int) -> list[Block]:
    """The blocks of one section body, in the order they were written."""
    found: list[Block] = []

    def run(node: Node) -> object:
        found.append(_block(node, _kind(node), section))
        return walk.SKIP  # _block walks its inline nodes

    Walk(enter={walk.RUN: run})(body)
    return found
