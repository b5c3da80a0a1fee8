"""Markdown parsing for section bodies, key points and contact text.

CommonMark plus GitHub tables, [@id] citations and web addresses made links. Raw HTML is off, so "platelets < 50" or
"<b>" print exactly as written.
"""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .citations import citation_plugin
from .passages import passage_plugin
from .picture_marks import picture_plugin

WEB_ENDINGS = ("uk", "org", "com", "net", "gov", "nhs", "edu", "info", "int", "eu", "ie", "us", "ca", "au", "nz")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one configured parser (building it costs more than using it)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "linkify"])
    # Web and mail addresses written out become links (a family reading on a phone can tap them).
    # Only these endings count without http://, so "file.py" or "Dr.No" never turn into links.
    md.linkify.tlds(list(WEB_ENDINGS), False)
    md.use(citation_plugin)
    md.use(passage_plugin)  # {lang=fr} before a block: a passage in another language
    md.use(picture_plugin)  # {width=50%} or {decorative} after a picture
    return md


def parse_blocks(text: str) -> list[Token]:
    """A section body as markdown-it's flat block token stream."""
    return parser().parse(text)


def parse_inline(text: str) -> list[Token]:
    """One line of inline Markdown (a key point, the contact text) as inline child tokens."""
    tokens = parser().parseInline(text)
    return list(tokens[0].children or []) if tokens else []


def printed_address(href: str) -> str:
    """A web, mail or phone address as it reads on paper: as the author wrote it (markdown-it
    percent-encodes "ü" and spaces in an href; this decodes them), with no scheme and no
    trailing slash."""
    href = parser().normalizeLinkText(href)
    for scheme in ("https://", "http://", "mailto:", "tel:"):
        if href.lower().startswith(scheme):
            href = href[len(scheme):]
            break
    if href.startswith("#"):
        return ""
    return href.rstrip("/")
