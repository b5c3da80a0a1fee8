"""The characters a font file can draw, and how wide each is, read straight from its tables.

Every `build` and `check` needs the body font's characters before anything is drawn. Reading
them with fontTools costs its import and a Python dictionary of glyph names for every
character, tens of milliseconds a font; the cmap's Unicode subtable (format 4, or format 12
beyond the Basic Multilingual Plane) says the same in a few ranges, read here with `struct`.
Any other kind of font file is read with fontTools. tests/test_fast_paths.py checks that both
agree on every bundled font. Both functions take the file's bytes, as the World read them.
"""
from __future__ import annotations

import io
import struct

# Which Unicode subtable to read, best first (the order of fontTools' getBestCmap).
_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def characters(data: bytes) -> frozenset[int]:
    """The code points that the font file (its bytes) maps to a glyph (glyph 0, the missing-glyph
    box, excluded)."""
    mapping = _mapping(data)
    if mapping is None:
        return _with_fonttools(data)
    return frozenset(code for code, glyph in mapping.items() if glyph)


def metrics(data: bytes) -> tuple[dict[int, int], int]:
    """Each character's advance width in font units, and the font's units per em, from the font
    file's bytes (for measuring a line without ReportLab or fontTools: the running header and
    footer must fit their line)."""
    mapping, tables = _mapping(data), _tables(data)
    if mapping is None or not {b"head", b"hhea", b"hmtx"} <= set(tables):
        return _metrics_with_fonttools(data)
    (units,) = struct.unpack_from(">H", data, tables[b"head"] + 18)
    (long_metrics,) = struct.unpack_from(">H", data, tables[b"hhea"] + 34)
    advances = struct.unpack_from(f">{2 * long_metrics}H", data, tables[b"hmtx"])[::2]
    # Glyphs past the last long metric share its advance (monospaced tails).
    return {code: advances[min(glyph, long_metrics - 1)] for code, glyph in mapping.items() if glyph}, units


def _tables(data: bytes) -> dict[bytes, int]:
    (count,) = struct.unpack_from(">H", data, 4)
    return {tag: offset for tag, _, offset, _ in (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count))}


def _mapping(data: bytes) -> dict[int, int] | None:
    """Code point -> glyph id from a TrueType or OpenType file's best Unicode cmap, or None when
    the file or its subtable is of a kind not read here."""
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return None  # a font collection, WOFF, or not a font: fontTools says what it is
    cmap = _tables(data).get(b"cmap")
    if cmap is None:
        return None
    _, count = struct.unpack_from(">HH", data, cmap)
    subtables = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        subtables.setdefault((platform, encoding), cmap + offset)
    for key in _PREFERENCE:
        if key in subtables:
            start = subtables[key]
            (kind,) = struct.unpack_from(">H", data, start)
            if kind == 4:
                return _format_4(data, start)
            if kind == 12:
                return _format_12(data, start)
            return None
    return None


def _format_4(data: bytes, start: int) -> dict[int, int]:
    """Segments of 16-bit codes: each maps to glyph (code + delta), or through the glyph array."""
    (segments2,) = struct.unpack_from(">H", data, start + 6)
    segments = segments2 // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + segments2)
    deltas = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments2)
    range_offsets_at = start + 16 + 3 * segments2
    range_offsets = struct.unpack_from(f">{segments}H", data, range_offsets_at)
    glyph_of: dict[int, int] = {}
    for index, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        if first > last or first == 0xFFFF:
            continue  # the closing 0xFFFF segment maps nothing
        if range_offset == 0:
            glyph_of.update((code, (code + delta) & 0xFFFF) for code in range(first, last + 1))
            continue
        at = range_offsets_at + 2 * index + range_offset
        glyphs = struct.unpack_from(f">{last - first + 1}H", data, at)
        glyph_of.update((code, (glyph + delta) & 0xFFFF if glyph else 0)
                        for code, glyph in zip(range(first, last + 1), glyphs))
    return glyph_of


def _format_12(data: bytes, start: int) -> dict[int, int]:
    """Groups of 32-bit codes, each mapping to consecutive glyphs."""
    (groups,) = struct.unpack_from(">I", data, start + 12)
    glyph_of: dict[int, int] = {}
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * index)
        glyph_of.update((code, glyph + code - first) for code in range(first, last + 1))
    return glyph_of


def _metrics_with_fonttools(data: bytes) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True) as font:
        advances = font["hmtx"].metrics
        return ({code: advances[glyph][0] for code, glyph in font.getBestCmap().items() if glyph != ".notdef"},
                font["head"].unitsPerEm)


def _with_fonttools(data: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True) as font:
        return frozenset(code for code, glyph in font.getBestCmap().items() if glyph != ".notdef")
