"""Fonts: which bundled font draws each character, and the names the faces go by.

The body family draws what it can; each character it lacks comes from the first fallback family
that has it. A character that no family has is reported, never drawn as an empty box.
Coverage is read from the font files' cmaps (cmap.py: fast, and needs no ReportLab), and a
fallback family's only when the body lacks a character. Registering the fonts with ReportLab is
the render stage's (render/reportlab_seam.py).

Every font file is read through the FontSet's World, so each leaflet's record names the font
files it used; what is worked out from a file (its coverage) is kept by the hash of its bytes, so
a font file replaced while `build --watch` runs is read again and nothing has to be forgotten by
hand.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .cmap import characters
from ..inputs.characters import character_name
from ..inputs.language import language_tags
from ..model import FontFamily, Layout
from ..world import World

STYLES = ("regular", "bold", "italic", "bold_italic")
# Characters that are laid out, not drawn from a glyph.
_LAYOUT_CHARACTERS = frozenset(" \n\t\r")


def _coverage(*faces: bytes) -> frozenset[int]:
    """Code points every one of the font files (their bytes) can draw."""
    return frozenset.intersection(*(characters(face) for face in faces))


@lru_cache(maxsize=None)
def _faces(family: FontFamily) -> tuple[Path, ...]:
    return tuple(sorted({getattr(family, style) for style in STYLES}))


def family_coverage(family: FontFamily, world: World) -> frozenset[int]:
    """Code points every style of the family can draw (so bold and italic never lose one); its
    files are read through the world."""
    return world.derived(_faces(family), _coverage)


@dataclass(frozen=True)
class FontSet:
    """The layout's body family and fallbacks, with what each can draw."""

    families: tuple[FontFamily, ...]  # body first
    world: World = field(compare=False, repr=False)  # what the font files are read through

    @classmethod
    def for_layout(cls, layout: Layout, world: World, language: str | None = None) -> "FontSet":
        """The layout's fonts for a leaflet in `language`: that language's own body font first
        (fonts.languages), then the layout's body font and fallbacks, each family once; their
        files are read through `world` when first needed."""
        families = [layout.body_font, *layout.fallback_fonts]
        own = language_font(layout, language) if language else None
        if own is not None:
            families.insert(0, own)
        first: dict[str, FontFamily] = {}
        for family in families:
            first.setdefault(family.name, family)
        return cls(tuple(first.values()), world)

    @property
    def body(self) -> FontFamily:
        return self.families[0]

    def family_for(self, char: str, _known: dict | None = None) -> FontFamily | None:
        """The first family that draws char, or None when none does. (`_known`: the coverage of
        families already asked during one call, so a long text asks the World once a family.)"""
        code = ord(char)
        known = {} if _known is None else _known
        for family in self.families:  # a fallback's files are read only when it is asked
            if family not in known:
                known[family] = family_coverage(family, self.world)
            if code in known[family]:
                return family
        return None

    def missing(self, text: str) -> list[str]:
        """Characters of text that no family can draw, in order of first appearance."""
        body = family_coverage(self.body, self.world)
        distinct = dict.fromkeys(text)  # each character once, in order of first appearance
        if body.issuperset(map(ord, distinct)):  # the usual case: the body font draws it all
            return []
        known: dict = {}
        return [char for char in distinct
                if ord(char) not in body and char not in _LAYOUT_CHARACTERS
                and (unicodedata.category(char) == "Cc" or self.family_for(char, known) is None)]

    def runs(self, text: str) -> list[tuple[FontFamily, str]]:
        """Split text into runs each drawn by one family; the caller has checked `missing`."""
        body = family_coverage(self.body, self.world)
        if not text:
            return []
        if body.issuperset(map(ord, text)):  # the usual case: one run in the body font
            return [(self.body, text)]
        out: list[tuple[FontFamily, str]] = []
        known: dict = {}
        current, start = None, 0
        for index, char in enumerate(text):
            family = self.body if (ord(char) in body or char in _LAYOUT_CHARACTERS) else self.family_for(char, known)
            if family is None:
                raise ValueError(f"no font draws {character_name(char)}")
            if family is not current:
                if current is not None:
                    out.append((current, text[start:index]))
                current, start = family, index
        out.append((current, text[start:]))
        return out


def language_font(layout: Layout, language: str) -> FontFamily | None:
    """The body font the layout gives leaflets in a language ('pt-BR' falls back to 'pt', and
    'zh-HK' to 'zh-Hant', the script it is written in, before 'zh')."""
    fonts = {tag.lower(): family for tag, family in layout.language_fonts}
    return next((fonts[tag.lower()] for tag in language_tags(language) if tag.lower() in fonts), None)


def layout_families(layout: Layout) -> tuple[FontFamily, ...]:
    """Every font family a layout names: body, fallbacks and each language's."""
    return (layout.body_font, *layout.fallback_fonts, *(family for _, family in layout.language_fonts))


def face_name(family: FontFamily, style: str) -> str:
    """The name ReportLab knows a style of a family by."""
    return family.name if style == "regular" else f"{family.name}-{style.replace('_', '-').title().replace('-', '')}"
