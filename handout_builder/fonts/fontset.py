"""Fonts: which bundled font draws each character, and the names the faces go by.

The body family draws what it can; each character it lacks comes from the first fallback family
that has it. A character that no family has is reported, never drawn as an empty box.
Coverage is read from the font files' cmaps (cmap.py: fast, and needs no ReportLab), and a
fallback family's only when the body lacks a character. Registering the fonts with ReportLab is
the render stage's (render/reportlab_seam.py).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cmap import characters
from ..inputs.characters import character_name
from ..model import FontFamily, Layout

STYLES = ("regular", "bold", "italic", "bold_italic")
# Characters that are laid out, not drawn from a glyph.
_LAYOUT_CHARACTERS = frozenset(" \n\t\r")


@lru_cache(maxsize=None)
def _cmap(path: Path) -> frozenset[int]:
    return characters(path)


@lru_cache(maxsize=None)
def family_coverage(family: FontFamily) -> frozenset[int]:
    """Code points every style of the family can draw (so bold and italic never lose one)."""
    faces = {getattr(family, style) for style in STYLES}
    return frozenset.intersection(*(_cmap(path) for path in faces))



@dataclass(frozen=True)
class FontSet:
    """The layout's body family and fallbacks, with what each can draw."""

    families: tuple[FontFamily, ...]  # body first

    @classmethod
    def for_layout(cls, layout: Layout, language: str | None = None) -> "FontSet":
        """The layout's fonts for a leaflet in `language`: that language's own body font first
        (fonts.languages), then the layout's body font and fallbacks, each family once."""
        families = [layout.body_font, *layout.fallback_fonts]
        own = language_font(layout, language) if language else None
        if own is not None:
            families.insert(0, own)
        first: dict[str, FontFamily] = {}
        for family in families:
            first.setdefault(family.name, family)
        return cls(tuple(first.values()))

    @property
    def body(self) -> FontFamily:
        return self.families[0]

    def family_for(self, char: str) -> FontFamily | None:
        """The first family that draws char, or None when none does."""
        code = ord(char)
        for family in self.families:  # a fallback's files are read only when it is asked
            if code in family_coverage(family):
                return family
        return None

    def missing(self, text: str) -> list[str]:
        """Characters of text that no family can draw, in order of first appearance."""
        body = family_coverage(self.body)
        out: list[str] = []
        for char in text:
            if ord(char) in body or char in _LAYOUT_CHARACTERS or char in out:
                continue
            if unicodedata.category(char) == "Cc" or self.family_for(char) is None:
                out.append(char)
        return out

    def runs(self, text: str) -> list[tuple[FontFamily, str]]:
        """Split text into runs each drawn by one family; the caller has checked `missing`."""
        out: list[tuple[FontFamily, str]] = []
        body = family_coverage(self.body)
        for char in text:
            family = self.body if (ord(char) in body or char in _LAYOUT_CHARACTERS) else self.family_for(char)
            if family is None:
                raise ValueError(f"no font draws {character_name(char)}")
            if out and out[-1][0] is family:
                out[-1] = (family, out[-1][1] + char)
            else:
                out.append((family, char))
        return out


def language_font(layout: Layout, language: str) -> FontFamily | None:
    """The body font the layout gives leaflets in a language ('pt-BR' falls back to 'pt')."""
    fonts = dict(layout.language_fonts)
    return fonts.get(language) or fonts.get(language.split("-")[0])


def layout_families(layout: Layout) -> tuple[FontFamily, ...]:
    """Every font family a layout names: body, fallbacks and each language's."""
    return (layout.body_font, *layout.fallback_fonts, *(family for _, family in layout.language_fonts))


_forgotten = 0  # how many times forget_font_files has run


def forget_font_files() -> None:
    """Forget what was read from font files, so a font file replaced while `build --watch` runs
    is read again, here and by the render stage, which registers the fonts with ReportLab and
    reads `font_files_forgotten` before using them."""
    global _forgotten
    _cmap.cache_clear()
    family_coverage.cache_clear()
    _forgotten += 1


def font_files_forgotten() -> int:
    """How many times forget_font_files has run: whoever keeps what it read from font files
    reads them again when this number changes."""
    return _forgotten


def face_name(family: FontFamily, style: str) -> str:
    """The name ReportLab knows a style of a family by."""
    return family.name if style == "regular" else f"{family.name}-{style.replace('_', '-').title().replace('-', '')}"
