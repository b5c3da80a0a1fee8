"""Inline Markdown (text/walk.py) -> ReportLab Paragraph markup, one small rule per node kind.

Every piece of author text is escaped here, and nowhere else, so "A & E" and "platelets < 50"
print as written. Characters the body font lacks are wrapped in the fallback font that has them.
"""
from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Callable

from ..text.citations import citation_parts
from ..fonts.fontset import FontSet
from .reportlab_seam import font_name
from ..text.markdown import printed_address
from ..text.walk import CITATION, CODE_SPAN, EMPHASIS, HARDBREAK, IMAGE, LINK, SOFTBREAK, STRONG, TEXT, Node, Walk

# A link is clickable in the PDF only when it has a scheme (https:, mailto:, tel:, ...).
CLICKABLE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class InlineRenderer:
    """Turns a run of inline Markdown (text/walk.py) into Paragraph markup for one leaflet."""

    def __init__(self, fonts: FontSet, link_colour: str, number: Callable[[str], int], emphasis: str = "italic",
                 phone_country: str | None = None):
        self.fonts = fonts
        self.phone_country = phone_country  # phone numbers are tel: links, read as this country's
        emphasis_tag = "b" if emphasis == "bold" else "i"  # Clear Print: bold, never italic
        self.link_colour = link_colour
        self.number = number
        self.walk = Walk(
            enter={
                TEXT: self.text,
                CODE_SPAN: self.text,
                SOFTBREAK: self.put(" "),
                HARDBREAK: self.put("<br/>"),
                STRONG: self.put("<b>"),
                EMPHASIS: self.put(f"<{emphasis_tag}>"),
                LINK: self.link_open,
                CITATION: self.citation,
                IMAGE: self.image,
            },
            leave={
                STRONG: self.put("</b>"),
                EMPHASIS: self.put(f"</{emphasis_tag}>"),
                LINK: self.link_close,
            },
        )
        self._out: list[str] = []
        self._links: list[list[str]] = []  # [href, words so far] of each open link

    def render(self, run: Node) -> str:
        """Markup for a run of inline text (a RUN node)."""
        self._links = []
        self._out = []
        self.walk(*run.children)
        return "".join(self._out)

    def plain(self, text: str) -> str:
        """Markup for plain text (a heading, a reference): escaped, with fallback fonts."""
        out = []
        for family, run in self.fonts.runs(text):
            run = escape(run)
            out.append(run if family is self.fonts.body else f'<font name="{font_name(self.fonts, family)}">{run}</font>')
        return "".join(out)

    def link(self, text: str, href: str) -> str:
        """Markup for a linked piece of text."""
        return f'<a href={quoteattr(href)} color="{self.link_colour}"><u>{self.plain(text)}</u></a>'

    # -- rules --------------------------------------------------------------------------------

    def put(self, markup: str) -> Callable[[Node], None]:
        """A rule that writes the same markup for every node."""
        return lambda node: self._out.append(markup)

    def text(self, node: Node) -> None:
        if self._links:
            self._links[-1][1] += node.text
        if self.phone_country and not self._links and node.kind == TEXT:
            self._out.append(self.with_phone_links(node.text))
        else:
            self._out.append(self.plain(node.text))

    def with_phone_links(self, text: str) -> str:
        """Markup for text whose phone numbers are tel: links, printed as written."""
        from ..inputs.phones import phone_numbers

        out, at = [], 0
        for number in phone_numbers(text, self.phone_country):
            out += [self.plain(text[at:number.start]), self.link(text[number.start:number.end], f"tel:{number.e164}")]
            at = number.end
        out.append(self.plain(text[at:]))
        return "".join(out)

    def link_open(self, node: Node) -> None:
        self._links.append([node.href, ""])
        if CLICKABLE.match(node.href):  # "#top" or "page.html" lead nowhere from a PDF: plain words
            self._out.append(f'<a href={quoteattr(node.href)} color="{self.link_colour}"><u>')

    def link_close(self, node: Node) -> None:
        href, words = self._links.pop()
        shown = printed_address(href)
        end = "</u></a>" if CLICKABLE.match(href) else ""
        # On paper a link is only its words: print the address too when the words do not say it.
        if shown and printed_address(words.strip()) != shown:
            self._out.append(f"{end} ({self.plain(shown)})")
        else:
            self._out.append(end)

    def citation(self, node: Node) -> None:
        # Each number links to its own reference: "[1, 2]" is two links, not one to the first.
        for text, number in citation_parts([self.number(key) for key in node.keys]):
            markup = self.plain(text)
            self._out.append(markup if number is None else
                             f'<a href="#ref-{number}" color="{self.link_colour}">{markup}</a>')

    def image(self, node: Node) -> None:
        raise ValueError("no inline rule for an image")  # the document stage refuses them


def escape(text: str) -> str:
    """Text with & < > written as entities, as xml.sax.saxutils.escape does (that module imports
    urllib.request, and with it ssl and http, which a build never needs)."""
    return _html_escape(text, quote=False)


def quoteattr(value: str) -> str:
    """An attribute value escaped and quoted, as xml.sax.saxutils.quoteattr does."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'
