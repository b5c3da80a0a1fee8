"""Fonts: which bundled font draws each character, and registering them with ReportLab.

The body family draws what it can; each character it lacks comes from the first fallback family
that has it. A character that no family has is reported, never drawn as an empty box.
Coverage is read from the font files' cmaps (cmap.py: fast, and needs no ReportLab), and a
fallback family's only when the body lacks a character. ReportLab parses a font file whole, so
a fallback family is registered only when text first needs it, and each file is parsed once.

Every font file is read through the FontSet's World, so each leaflet's record names the font
files it used, and ReportLab is given the bytes the World read, never the path. What is worked
out from a file (its coverage, its ReportLab font) is kept by the hash of its bytes, so a font
file replaced while `build --watch` runs is read again and nothing has to be forgotten by hand.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .cmap import characters
from ..inputs.characters import character_name
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
        known: dict = {}
        out: list[str] = []
        for char in text:
            if ord(char) in body or char in _LAYOUT_CHARACTERS or char in out:
                continue
            if unicodedata.category(char) == "Cc" or self.family_for(char, known) is None:
                out.append(char)
        return out

    def runs(self, text: str) -> list[tuple[FontFamily, str]]:
        """Split text into runs each drawn by one family; the caller has checked `missing`."""
        out: list[tuple[FontFamily, str]] = []
        body = family_coverage(self.body, self.world)
        known: dict = {}
        for char in text:
            family = self.body if (ord(char) in body or char in _LAYOUT_CHARACTERS) else self.family_for(char, known)
            if family is None:
                raise ValueError(f"no font draws {character_name(char)}")
            if out and out[-1][0] is family:
                out[-1] = (family, out[-1][1] + char)
            else:
                out.append((family, char))
        return out

    def font_name(self, family: FontFamily, style: str = "regular") -> str:
        """The name ReportLab knows a style of a family by, registering the family on first use
        (and again when its files changed since: a file replaced while `build --watch` runs)."""
        if _families.get(family.name) != family or not _current(family, self.world):
            register_family(family, self.world)
        return face_name(family, style)


def _forget_in_reportlab(pdfmetrics, font) -> None:
    """Let `font`, just read, replace what ReportLab holds under its name or its face's name.
    ReportLab keeps the first font registered under a name, and the first face with a PostScript
    name, and silently ignores later ones: a font file replaced while `build --watch` runs, or
    another file named as the same family, would print with the old one."""
    pdfmetrics._fonts.pop(font.fontName, None)
    held = pdfmetrics._dynFaceNames.get(font.face.name)
    if held is not None and held.face is not font.face:
        del pdfmetrics._dynFaceNames[font.face.name]


def language_font(layout: Layout, language: str) -> FontFamily | None:
    """The body font the layout gives leaflets in a language ('pt-BR' falls back to 'pt')."""
    fonts = dict(layout.language_fonts)
    return fonts.get(language) or fonts.get(language.split("-")[0])


def layout_families(layout: Layout) -> tuple[FontFamily, ...]:
    """Every font family a layout names: body, fallbacks and each language's."""
    return (layout.body_font, *layout.fallback_fonts, *(family for _, family in layout.language_fonts))


# ReportLab font name -> (its file, the hash of the bytes registered): a file replaced in place
# is registered again.
_registered: dict[str, tuple[Path, str | None]] = {}
_families: dict[str, FontFamily] = {}  # family name -> the family registered under it


def face_name(family: FontFamily, style: str) -> str:
    """The name ReportLab knows a style of a family by."""
    return family.name if style == "regular" else f"{family.name}-{style.replace('_', '-').title().replace('-', '')}"


def register(fonts: FontSet) -> None:
    """Register the body family with ReportLab (once a process, and again when its files
    changed), so <b> and <i> pick the right face; a fallback family is registered when text
    first needs it (`FontSet.font_name`)."""
    fonts.font_name(fonts.body)


def _version(path: Path, world: World) -> tuple[Path, str | None]:
    return path, world.digest(path)


def _current(family: FontFamily, world: World) -> bool:
    """Whether ReportLab holds the family's files as the world reads them now."""
    return all(_registered.get(face_name(family, style)) == _version(getattr(family, style), world) for style in STYLES)


def register_family(family: FontFamily, world: World) -> None:
    """Register a family's four styles with ReportLab, parsing each file (read through the
    world) once."""
    import copy

    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from ..render import reportlab_fixes

    reportlab_fixes.apply()  # before the first font: it mends how ReportLab maps characters to text
    if _families.get(family.name) == family and _current(family, world):
        return
    parsed: dict[Path, TTFont] = {}
    for style in STYLES:
        name = face_name(family, style)
        version = _version(getattr(family, style), world)
        path = version[0]
        if _registered.get(name) == version:
            continue
        # A name that meant other files is taken over: that happens only between runs in one
        # process (tests, `build --watch`); within a run the pipeline refuses such layouts.
        if path in parsed:  # a style without a file of its own: ReportLab shares the parsed face
            font = copy.copy(parsed[path])
            font.fontName = name
        else:
            # The World's bytes, named as the file (ReportLab keeps the name; the PDF is the same).
            data = io.BytesIO(world.read_bytes(path))
            data.name = str(path.resolve())
            # asciiReadable off: a subset holds only the characters drawn, not all of ASCII too.
            font = parsed[path] = TTFont(name, data, asciiReadable=0)
        _forget_in_reportlab(pdfmetrics, font)
        pdfmetrics.registerFont(font)
        _registered[name] = version
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
        addMapping(family.name, bold, italic, face_name(family, style))
    _families[family.name] = family
