"""The fonts shaped glyphs are drawn with: our own Type0 / CIDFontType2 / Identity-H font objects.

The shaped-text engine (shaped.py) draws glyphs by id, as uharfbuzz chose them. Each font it
draws with gets, per document, one composite font:

- a Type0 font, encoding Identity-H (two-byte codes), with a ToUnicode CMap;
- its CIDFontType2 descendant with /W widths (each glyph's own advance, in thousandths of an em)
  and a CIDToGIDMap stream from code to glyph;
- a FontDescriptor whose FontFile2 is a subset of the font file made by our own TrueType
  subsetter (subsetting.py, `struct` only: no fontTools while building): only the glyphs drawn
  and the glyphs they are built of, renumbered, hinting, cmap and layout tables dropped; named
  with a subset tag (six capitals from a hash of what it holds) and the font's PostScript name.

Codes are given out per document in drawing order, one per (glyph, text, width): the text is what
the glyph was drawn for, the width its /W entry (the glyph's own advance, as PDF/A asks: the
drawing moves glyphs with TJ numbers, text matrices and the text rise, never with widths). The
first glyph of a cluster (in drawing order) carries the cluster's whole text (a ligature "لا" extracts as both letters, a Bengali vowel sign drawn before its
consonant as the syllable in logical order); the cluster's other glyphs carry none. A glyph drawn
for different texts in different places (a consonant alone, and as the second glyph of a syllable;
a bracket mirrored in a right-to-left line) gets one code for each: the CIDToGIDMap sends them all
to the same glyph, and each extracts as what was written where it was drawn. A code that carries
no text maps to an empty string in ToUnicode.

Nothing is kept between documents but the subsets themselves, a pure function of the font file and
the glyphs: the same leaflet gives the same bytes in a fresh process and after any other build in
the same one (tests/test_same_output.py).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfbase import pdfdoc

from .reportlab_seam import font_file_bytes, write_when_saved
from .subsetting import subset

CODES = 0xFFFF  # two-byte codes; code 0 is left to .notdef


@dataclass
class _FontInDocument:
    """One font's glyphs drawn in one document."""

    font: object  # ReportLab's registered font
    resource: str  # its name in the pages' /Font resources ("SF1")
    # (glyph id, text, width in thousandths of an em) -> code
    codes: dict[tuple[int, str, float], int] = field(default_factory=dict)

    def code(self, gid: int, text: str, width: float) -> int:
        """The code that draws glyph `gid`, extracts as `text` and moves the pen `width`
        thousandths of an em (its /W entry: the glyph's own advance in the font)."""
        key = (gid, text, round(width, 2))
        found = self.codes.get(key)
        if found is None:
            if len(self.codes) >= CODES:
                raise ValueError(f"more than {CODES} different glyphs and texts in one font of one document")
            found = self.codes[key] = len(self.codes) + 1
        return found


class DocumentFonts:
    """The shaped fonts of one document (one canvas): codes given out as glyphs are drawn, and the
    font objects written as the document is saved."""

    def __init__(self, canv):
        # By the file the font was read from: styles that share one (a family with no italic
        # file) share one subset.
        self.fonts: dict[int, _FontInDocument] = {}
        write_when_saved(canv, self.font_objects)

    def font(self, font) -> _FontInDocument:
        """What this document draws with `font`, a registered font."""
        data = font_file_bytes(font)
        held = self.fonts.get(id(data))
        if held is None:
            held = self.fonts[id(data)] = _FontInDocument(font, f"SF{len(self.fonts) + 1}")
        return held

    def font_objects(self, doc) -> dict[str, object]:
        """{resource name: Type0 font dictionary} for every font drawn with, its objects made."""
        return {held.resource: _type0(doc, held) for held in self.fonts.values() if held.codes}


def fonts_of(canv) -> DocumentFonts:
    """The shaped fonts of the document `canv` draws."""
    fonts = canv.__dict__.get("shaped_fonts")
    if fonts is None:
        fonts = canv.__dict__["shaped_fonts"] = DocumentFonts(canv)
    return fonts


# -- the objects --------------------------------------------------------------------------------

def _subset(held: _FontInDocument) -> tuple[bytes, dict[int, int]]:
    """The font file cut to the glyphs drawn (and the glyphs they are built of), and each drawn
    glyph's id in it."""
    return _subset_of(font_file_bytes(held.font), frozenset(gid for gid, _, _ in held.codes))


@lru_cache(maxsize=16)
def _subset_of(data: bytes, gids: frozenset[int]) -> tuple[bytes, dict[int, int]]:
    """A subset made once a process for each font file and set of glyphs (a pure function of
    both: a leaflet built again, as `build --watch` does, gets the same bytes without the work).
    Only bytes are kept: a few leaflets' fonts, tens of kilobytes each."""
    return subset(data, gids)


def _tag(held: _FontInDocument) -> str:
    """Six capitals naming this subset (ISO 32000-1, 9.6.4): the same glyphs, the same tag."""
    digest = hashlib.sha256(repr(sorted(held.codes.items())).encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _stream(doc, content: bytes, name: str, **entries) -> object:
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries), content)
    if doc.compression:
        stream.filters = [pdfdoc.PDFZCompress]
    return doc.Reference(stream, name)


def _type0(doc, held: _FontInDocument) -> object:
    face = held.font.face  # ReportLab's reading of the file: its metrics, in thousandths of an em
    ps_name = face.name.decode("latin-1") if isinstance(face.name, bytes) else str(face.name)
    base_font = f"{_tag(held)}+{ps_name}"
    data, renumbered = _subset(held)
    by_code = sorted((code, gid, width) for (gid, _, width), code in held.codes.items())
    gids = bytearray(2 * (by_code[-1][0] + 1))
    for code, gid, _ in by_code:
        gids[2 * code:2 * code + 2] = renumbered[gid].to_bytes(2, "big")
    widths = [_number(width) for _, _, width in by_code]  # codes run 1, 2, 3... without a gap

    descriptor = pdfdoc.PDFDictionary({
        "Type": "/FontDescriptor",
        "FontName": pdfdoc.PDFName(base_font),
        "Flags": (face.flags & ~32) | 4,  # symbolic: glyphs are reached by code, not by a standard encoding
        "FontBBox": pdfdoc.PDFArray(face.bbox),
        "ItalicAngle": face.italicAngle,
        "Ascent": face.ascent,
        "Descent": face.descent,
        "CapHeight": face.capHeight,
        "StemV": face.stemV,
        "FontFile2": _stream(doc, data, f"shapedFontFile:{base_font}", Length1=len(data)),
    })
    cid_font = pdfdoc.PDFDictionary({
        "Type": "/Font",
        "Subtype": "/CIDFontType2",
        "BaseFont": pdfdoc.PDFName(base_font),
        "CIDSystemInfo": pdfdoc.PDFDictionary({"Registry": pdfdoc.PDFString("Adobe"),
                                               "Ordering": pdfdoc.PDFString("Identity"), "Supplement": 0}),
        "FontDescriptor": doc.Reference(descriptor, f"shapedFontDescriptor:{base_font}"),
        "DW": 0,
        "W": pdfdoc.PDFArray([1, pdfdoc.PDFArray(widths)]),
        "CIDToGIDMap": _stream(doc, bytes(gids), f"shapedCIDToGIDMap:{base_font}"),
    })
    type0 = pdfdoc.PDFDictionary({
        "Type": "/Font",
        "Subtype": "/Type0",
        "BaseFont": pdfdoc.PDFName(base_font),
        "Encoding": "/Identity-H",
        "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font, f"shapedCIDFont:{base_font}")]),
        "ToUnicode": _stream(doc, to_unicode_cmap(held.codes).encode("ascii"), f"shapedToUnicode:{base_font}"),
    })
    return type0


def _number(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def to_unicode_cmap(codes: dict[tuple[int, str, float], int]) -> str:
    """A ToUnicode CMap (ISO 32000-1, 9.10.3) mapping each two-byte code to the text its glyph
    was drawn for, in UTF-16BE (characters beyond U+FFFF as surrogate pairs)."""
    entries = sorted((code, text) for (_, text, _), code in codes.items())
    lines = []
    for start in range(0, len(entries), 100):  # at most 100 entries a block
        block = entries[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in block)
        lines.append("endbfchar")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
        *lines,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]) + "\n"
