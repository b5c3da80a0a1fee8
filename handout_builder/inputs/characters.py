"""Characters a leaflet may not hold, whatever font could draw them, and why.

A leaflet must say exactly what its authors wrote. Some characters cannot be printed so that it
does: invisible controls (pasted with text from other programs), private-use characters (a Word
symbol font's bullet, which means nothing in any other font), characters Unicode does not
define, and the invisible controls that override the direction of text (the shaped-text engine,
render/shaped.py, orders right-to-left text by the Unicode bidirectional algorithm itself). Each is
refused by name.
"""
from __future__ import annotations

import functools
import unicodedata


_LAYOUT = frozenset(" \n\t\r")  # whitespace the layout turns into spaces and line breaks
_DIRECTION_CONTROLS = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))
# Characters that print as nothing but are not format characters (Unicode's default-ignorables).
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0") | frozenset(map(chr, range(0xFE00, 0xFE10)))


def is_blank(text: str) -> bool:
    """True when text would print as nothing: only spaces, line breaks and invisible characters
    (a zero-width space, a soft hyphen, a joiner...)."""
    return all(char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Cf" for char in text)


@functools.lru_cache(maxsize=4096)  # a leaflet asks about each of its distinct characters; a batch, again
def refusal(char: str, printed: bool = True) -> str | None:
    """Why `char` may not appear in a leaflet's text, as a problem message, or None if it may.
    Text that is not `printed` (the PDF's keywords) need only be made of characters."""
    if char in _LAYOUT:
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return f"U+{ord(char):04X} is an invisible control character; remove it"
    if category == "Cs":
        return f"{character_name(char)} is half of a UTF-16 surrogate pair, not a character; write the character itself"
    if category == "Co":
        return (f"{character_name(char)} is a private-use character (often a bullet or symbol from a Word symbol "
                "font); replace it with the character it stands for")
    if category == "Cn":
        return f"{character_name(char)} is not a character in Unicode {unicodedata.unidata_version}; remove it"
    if not printed:
        return None
    direction = unicodedata.bidirectional(char)
    if direction in _DIRECTION_CONTROLS:
        return f"{character_name(char)} is an invisible text-direction control; remove it"
    return None


def refusals(text: str, printed: bool = True) -> list[tuple[str, str]]:
    """(character, message) for each distinct refused character of text, in order of appearance."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for char in text:
        if char in seen:
            continue
        seen.add(char)
        message = refusal(char, printed)
        if message:
            out.append((char, message))
    return out

def character_name(char: str) -> str:
    """'U+2192 → RIGHTWARDS ARROW', as a problem message names a character."""
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "(an invisible control character)"
    shown = char if char.isprintable() and not unicodedata.category(char).startswith(("C", "Z")) else ""
    return " ".join(part for part in (f"U+{ord(char):04X}", shown, name) if part)
