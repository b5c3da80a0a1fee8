"""The words families read, block by block, as plain text that knows its lines.

Reading level, sentence and paragraph length, and the typography of the text are all judged on
this: no Markdown, no citation markers ([1]), no link addresses, no table rules.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

from markdown_it.token import Token

from .document import Document

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
    """Plain text from inline tokens: text kept, citations and addresses dropped, lines tracked."""

    def __init__(self, line: int | None):
        self.parts: list[str] = []
        self.length = 0
        self.line = line
        self.line_starts: list[tuple[int, int | None]] = [(0, line)]
        self.italic_depth = 0
        self.italics: list[tuple[str, int | None]] = []
        self.open_links: list[list] = []
        self.links: list[Link] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.italic_depth:
            self.italics[-1] = (self.italics[-1][0] + text, self.italics[-1][1])
        for link in self.open_links:
            link[1] += text

    def new_line(self) -> None:
        self.add(" ")
        if self.line is not None:
            self.line += 1
        self.line_starts.append((self.length, self.line))

    def tokens(self, tokens: list[Token]) -> "_Builder":
        for token in tokens:
            kind = token.type
            if kind in ("text", "code_inline"):
                self.add(token.content)
            elif kind in ("softbreak", "hardbreak"):
                self.new_line()
            elif kind == "em_open":
                if not self.italic_depth:
                    self.italics.append(("", self.line))
                self.italic_depth += 1
            elif kind == "em_close":
                self.italic_depth -= 1
            elif kind == "link_open":
                self.open_links.append([token.attrGet("href") or "", "", self.line])
            elif kind == "link_close" and self.open_links:
                href, words, line = self.open_links.pop()
                self.links.append(Link(href, words, line))
            elif kind == "citation":  # "agree [@x]." reads "agree."
                while self.parts and self.parts[-1].endswith(" "):
                    self.parts[-1] = self.parts[-1][:-1]
                    self.length -= 1
        return self

    def block(self, field: str, kind: str, section: int | None) -> Block:
        return Block(field, kind, section, "".join(self.parts), tuple(self.line_starts),
                     tuple(run for run in self.italics if run[0].strip()), tuple(self.links))


def _plain(field: str, kind: str, section: int | None, text: str, line: int | None) -> Block:
    return Block(field, kind, section, text, ((0, line),))


def blocks(document: Document) -> Iterator[Block]:
    """Every block of text on the page, in reading order (references apart)."""
    handout = document.handout
    yield _plain("title", TITLE, None, handout.title, handout.line_of("title"))
    if handout.subtitle:
        yield _plain("subtitle", HEADING, None, handout.subtitle, handout.line_of("subtitle"))
    for index, tokens in enumerate(document.summary, start=1):
        field = f"summary[{index}]"
        yield _Builder(handout.line_of(field)).tokens(list(tokens)).block(field, KEY_POINT, None)
    for index, (section, tokens) in enumerate(zip(handout.sections, document.bodies)):
        heading_field = f"{section.field}.heading"
        yield _plain(heading_field, HEADING, index, section.heading, handout.line_of(heading_field))
        yield from _body(f"{section.field}.body", index, tokens, handout.line_of(f"{section.field}.body"))
    if document.contact:
        yield _Builder(handout.line_of("contact")).tokens(list(document.contact)).block("contact", CONTACT, None)


def _body(field: str, section: int, tokens, first_line: int | None) -> Iterator[Block]:
    """The blocks of one section body, from markdown-it's flat block stream."""
    open_kinds: list[str] = []
    for token in tokens:
        if token.type.endswith("_open"):
            open_kinds.append(token.type[:-5])
        elif token.type.endswith("_close"):
            open_kinds.pop()
        elif token.type == "inline":
            line = first_line + token.map[0] if first_line is not None and token.map else first_line
            if "heading" in open_kinds:
                kind = SUBHEADING
            elif "th" in open_kinds or "td" in open_kinds:
                kind = CELL
            elif "list_item" in open_kinds:
                kind = ITEM
            elif "blockquote" in open_kinds:
                kind = CALLOUT
            else:
                kind = PARAGRAPH
            yield _Builder(line).tokens(token.children or []).block(field, kind, section)
