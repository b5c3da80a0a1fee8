"""Inline Markdown tokens -> ReportLab Paragraph markup, one small rule per token type.

Every piece of author text is escaped here, and nowhere else, so "A & E" and "platelets < 50"
print as written. Characters the body font lacks are wrapped in the fallback font that has them.
"""
from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Callable, Iterable

from markdown_it.token import Token

from ..text.citations import citation_label
from ..fonts.fontset import FontSet
from .reportlab_seam import font_name
from ..text.markdown import printed_address

# A link is clickable in the PDF only when it has a scheme (https:, mailto:, tel:, ...).
CLICKABLE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class InlineRenderer:
    """Turns inline tokens into Paragraph markup for one leaflet."""

    def __init__(self, fonts: FontSet, link_colour: str, number: Callable[[str], int], emphasis: str = "italic"):
        self.fonts = fonts
        emphasis_tag = "b" if emphasis == "bold" else "i"  # Clear Print: bold, never italic
        self.link_colour = link_colour
        self.number = number
        self.rules: dict[str, Callable[[Token], str]] = {
            "text": self.text,
            "code_inline": self.text,
            "softbreak": lambda token: " ",
            "hardbreak": lambda token: "<br/>",
            "strong_open": lambda token: "<b>",
            "strong_close": lambda token: "</b>",
            "em_open": lambda token: f"<{emphasis_tag}>",
            "em_close": lambda token: f"</{emphasis_tag}>",
            "link_open": self.link_open,
            "link_close": self.link_close,
            "citation": self.citation,
        }
        self._links: list[list[str]] = []  # [href, words so far] of each open link

    def render(self, tokens: Iterable[Token]) -> str:
        """Markup for a run of inline tokens."""
        self._links = []
        out = []
        for token in tokens:
            rule = self.rules.get(token.type)
            if rule is None:  # the document stage refused what has no rule (images)
                raise ValueError(f"no inline rule for {token.type}")
            out.append(rule(token))
        return "".join(out)

    def plain(self, text: str) -> str:
        """Markup for plain text (a heading, a reference): escaped, with fallback fonts."""
        out = []
        for family, run in self.fonts.runs(text):
            run = escape(run)
            out.append(run if family is self.fonts.body else f'<font name="{font_name(family)}">{run}</font>')
        return "".join(out)

    def link(self, text: str, href: str) -> str:
        """Markup for a linked piece of text."""
        return f'<a href={quoteattr(href)} color="{self.link_colour}"><u>{self.plain(text)}</u></a>'

    # -- rules --------------------------------------------------------------------------------

    def text(self, token: Token) -> str:
        if self._links:
            self._links[-1][1] += token.content
        return self.plain(token.content)

    def link_open(self, token: Token) -> str:
        href = token.attrGet("href") or ""
        self._links.append([href, ""])
        if not CLICKABLE.match(href):  # "#top" or "page.html" lead nowhere from a PDF: plain words
            return ""
        return f'<a href={quoteattr(href)} color="{self.link_colour}"><u>'

    def link_close(self, token: Token) -> str:
        href, words = self._links.pop()
        shown = printed_address(href)
        end = "</u></a>" if CLICKABLE.match(href) else ""
        # On paper a link is only its words: print the address too when the words do not say it.
        if shown and printed_address(words.strip()) != shown:
            return f"{end} ({self.plain(shown)})"
        return end

    def citation(self, token: Token) -> str:
        numbers = [self.number(key) for key in token.meta["keys"]]
        label = citation_label(numbers)
        return f'<a href="#ref-{min(numbers)}" color="{self.link_colour}">{label}</a>'


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
