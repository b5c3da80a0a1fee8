"""Typographic punctuation by language: the straight typewriter quotes and apostrophes authors
type ("child's", "call 'the ward'") printed as the leaflet's language prints them: ’ “ ” in
English, « » with thin no-break spaces in French, « » in Spanish, „ “ in German.

The text stage applies it (document.py) to everything a family reads that authors write: the
title, subtitle and headings, and the text of the Markdown (never code, web addresses or
citations, which are not text nodes). A language with no entry here keeps its quotes as written.
`diff` compares words with quotes made straight again (straight()), so a change of quote style
only is no change of the words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .walk import CITATION, CODE_SPAN, EMPHASIS, HARDBREAK, LINK, SOFTBREAK, STRONG, TEXT, Node

NARROW_NBSP = "\u202f"  # French sets a thin no-break space inside « » (and before ; : ! ?, left as written)
APOSTROPHE = "\u2019"


@dataclass(frozen=True)
class Quotes:
    """A language's quotation marks: double open and close, single open and close, and what goes
    inside the double marks next to the text (a thin space in French)."""

    open: str
    close: str
    single_open: str
    single_close: str
    inside: str = ""


QUOTES = {
    "en": Quotes("\u201c", "\u201d", "\u2018", "\u2019"),
    "fr": Quotes("\u00ab", "\u00bb", "\u201c", "\u201d", inside=NARROW_NBSP),
    "es": Quotes("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "de": Quotes("\u201e", "\u201c", "\u201a", "\u2018"),
    "it": Quotes("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "pt": Quotes("\u201c", "\u201d", "\u2018", "\u2019"),
    "nl": Quotes("\u201c", "\u201d", "\u2018", "\u2019"),
    "pl": Quotes("\u201e", "\u201d", "\u00ab", "\u00bb"),
}

_OPENS_AFTER = set(" \t\n\u00a0\u202f([{\u2013\u2014-/") | {""}  # a quote after these opens


def quotes_for(language: str) -> Quotes | None:
    """The quotation marks of a language (pt-BR: pt's), or None to keep quotes as written."""
    return QUOTES.get(language) or QUOTES.get(language.split("-")[0])


def typographic(text: str, language: str, before: str = "") -> str:
    """`text` with straight quotes and apostrophes made the language's; `before` is the
    character printed just before it (a quote at the start of a bold run after a space opens)."""
    marks = quotes_for(language)
    if marks is None or ("'" not in text and '"' not in text):
        return text
    out: list[str] = []
    previous = before[-1:] if before else ""
    for index, char in enumerate(text):
        following = text[index + 1: index + 2]
        if char == "'":
            if previous.isalnum() and (following.isalnum() or following == ""):
                out.append(APOSTROPHE)  # child's, don't; a closing ' after a word is an apostrophe too
            elif previous in _OPENS_AFTER and following.isdigit():
                out.append(APOSTROPHE)  # '90s
            elif previous in _OPENS_AFTER:
                out.append(marks.single_open)
            else:
                out.append(marks.single_close)
        elif char == '"':
            if previous in _OPENS_AFTER:
                out.append(marks.open + marks.inside)
            else:
                out.append(marks.inside + marks.close)
        else:
            out.append(char)
        previous = char
    return "".join(out)


def typeset_tree(root: Node, language: str) -> Node:
    """A Markdown tree (text/walk.py) with its text nodes made typographic, `root` left as it was
    (a build after a layout change reuses it, build/stage_cache.py). A tree with no quote or
    apostrophe to change is returned as it is; one with a change is a copy made node by node
    (Node.copy), each node's parent in the copy, the changed texts in it. Each text node knows the
    character printed before it, across bold, italic and links; a passage in another language
    ({lang=fr}) takes that language's marks."""
    changed: dict[int, str] = {}  # id of a text node -> its text typeset, where that differs
    last = [""]

    def visit(node: Node, lang: str) -> None:
        lang = node.lang or lang
        if node.kind == TEXT:
            text = typographic(node.text, lang, last[0])
            if text != node.text:
                changed[id(node)] = text
            last[0] = text[-1:] or last[0]
        elif node.kind in (CODE_SPAN, CITATION):
            last[0] = "x"  # after code or a citation, a quote closes
        elif node.kind in (SOFTBREAK, HARDBREAK):
            last[0] = " "
        else:
            if node.kind not in (STRONG, EMPHASIS, LINK):
                last[0] = ""  # a new block: a quote at its start opens
            for child in node.children:
                visit(child, lang)

    visit(root, language)
    return root.copy(texts=changed) if changed else root


_CURLY = re.compile("[\u2018\u2019\u201a\u201b]")
_CURLY_DOUBLE = re.compile("\u202f?[\u201c\u201d\u201e\u201f\u00ab\u00bb]\u202f?")


def straight(text: str) -> str:
    """Text with its quotation marks and apostrophes made straight again: what `diff` compares,
    so that a change of quote style alone is not a change of the words."""
    return _CURLY_DOUBLE.sub('"', _CURLY.sub("'", text))


_QUOTE_MARKS = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2018\u201a\u201b\u202f]")


def quote_blind(word: str) -> str:
    """A word as `diff` matches it: without quotation marks of any style, apostrophes straight
    (child’s and child's are one word), so a change of quote style alone changes no word."""
    return _QUOTE_MARKS.sub("", word.replace(APOSTROPHE, "'")).strip("'")
