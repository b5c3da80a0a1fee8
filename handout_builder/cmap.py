"""The characters a font file can draw, read straight from its cmap table.

Every `build` and `check` needs the body font's characters before anything is drawn. Reading
them with fontTools costs its import and a Python dictionary of glyph names for every
character, tens of milliseconds a font; the cmap's Unicode subtable (format 4, or format 12
beyond the Basic Multilingual Plane) says the same in a few ranges, read here with `struct`.
Any other kind of font file is read with fontTools. tests/test_fast_paths.py checks that both
agree on every bundled font.
"""
from __future__ import annotations

import struct
from pathlib import Path

# Which Unicode subtable to read, best first (the order of fontTools' getBestCmap).
_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def characters(path: Path) -> frozenset[int]:
    """The code points that the font file maps to a glyph (glyph 0, the missing-glyph box, excluded)."""
    data = path.read_bytes()
    found = _read(data)
    if found is None:
        return _with_fonttools(path)
    return found


def _read(data: bytes) -> frozenset[int] | None:
    """The characters of a TrueType or OpenType file's best Unicode cmap, or None when the file
    or its subtable is of a kind not read here."""
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return None  # a font collection, WOFF, or not a font: fontTools says what it is
    (tables,) = struct.unpack_from(">H", data, 4)
    cmap = None
    for index in range(tables):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if tag == b"cmap":
            cmap = offset
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


def _format_4(data: bytes, start: int) -> frozenset[int]:
    """Segments of 16-bit codes: each maps to glyph (code + delta), or through the glyph array."""
    (segments2,) = struct.unpack_from(">H", data, start + 6)
    segments = segments2 // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + segments2)
    deltas = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments2)
    range_offsets_at = start + 16 + 3 * segments2
    range_offsets = struct.unpack_from(f">{segments}H", data, range_offsets_at)
    codes: set[int] = set()
    for index, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        if first > last or first == 0xFFFF:
            continue  # the closing 0xFFFF segment maps nothing
        if range_offset == 0:
            zero = (-delta) & 0xFFFF  # the one code that would land on glyph 0
            codes.update(range(first, last + 1) if not first <= zero <= last else
                         (*range(first, zero), *range(zero + 1, last + 1)))
            continue
        at = range_offsets_at + 2 * index + range_offset
        glyphs = struct.unpack_from(f">{last - first + 1}H", data, at)
        codes.update(code for code, glyph in zip(range(first, last + 1), glyphs)
                     if glyph and (glyph + delta) & 0xFFFF)
    return frozenset(codes)


def _format_12(data: bytes, start: int) -> frozenset[int]:
    """Groups of 32-bit codes, each mapping to consecutive glyphs."""
    (groups,) = struct.unpack_from(">I", data, start + 12)
    codes: set[int] = set()
    for index in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * index)
        codes.update(range(first + (glyph == 0), last + 1))
    return frozenset(codes)


def _with_fonttools(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(code for code, glyph in font.getBestCmap().items() if glyph != ".notdef")
