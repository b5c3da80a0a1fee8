"""A TrueType font file cut down to the glyphs a document draws, for a CIDFontType2's FontFile2.

Read and written with `struct`, for exactly what a PDF viewer needs of an embedded TrueType font
reached through a CIDToGIDMap (ISO 32000-1, 9.9: "glyf", "head", "hhea", "hmtx", "loca", "maxp";
a "cmap" is not needed, since the PDF maps codes to glyphs itself):

- glyf and loca hold the glyphs drawn and every glyph a composite is built of (at any depth),
  renumbered in their original order from 0 (.notdef, always kept: a viewer draws it for a code
  it cannot map); composites' component ids are rewritten to the new numbers. Each glyph is
  padded to 4 bytes; loca is short when every offset fits it;
- hmtx holds each kept glyph's advance and left side bearing (PDF/A-2, 6.2.11.5: the /W widths
  must be the font program's advances), its run of equal trailing advances shortened as the
  format allows; hhea and maxp say how many;
- head is the font's own (its dates too: the same font and glyphs give the same bytes at any
  hour), with the subset's bounding box, indexToLocFormat and checkSumAdjustment set; hhea's
  extremes (widest advance, least bearings, greatest extent) are the subset's; maxp's maxima
  of points, contours and components are left as the whole font's, which still bound the
  subset, and those of hinting are emptied;
- OS/2 is copied (some print paths read its metrics), post is cut to its version 3 header (no
  glyph names), name keeps the family, style, unique, full and PostScript names in Windows
  English only;
- hinting is dropped as before (cvt, fpgm, prep and each glyph's instructions): printers and
  viewers rasterise at high resolution; layout tables (GSUB, GPOS...) are not needed once shaped.

Tables are 4-byte aligned, listed by tag, with their checksums. A font with PostScript (CFF)
outlines is not TrueType: `subset` refuses it (ReportLab cannot register one either; the layout
reader refuses a .otf of that kind with its line).
"""
from __future__ import annotations

import struct

NOTDEF = 0

# Composite glyph component flags (OpenType glyf table).
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_X_AND_Y_SCALE = 0x0040
_HAVE_TWO_BY_TWO = 0x0080
_HAVE_INSTRUCTIONS = 0x0100

_NAMES_KEPT = (1, 2, 3, 4, 6)  # family, style, unique name, full name, PostScript name
_WINDOWS_ENGLISH = (3, 1, 0x409)  # platform, encoding, language
# The order tables are written in (OpenType's recommended order for TrueType outlines).
_WRITTEN_ORDER = (b"head", b"hhea", b"maxp", b"OS/2", b"hmtx", b"loca", b"glyf", b"name", b"post")


class NotTrueType(ValueError):
    """The font file holds no TrueType (glyf) outlines: a PostScript-flavoured (CFF) OpenType
    font, a collection, or not a font."""


def outline_kind(data: bytes) -> str:
    """'TrueType' for a font file with glyf outlines, 'CFF' for PostScript-flavoured OpenType,
    'unknown' for anything else (a collection, WOFF, not a font)."""
    if data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true") or len(data) < 12:
        return "unknown"
    (count,) = struct.unpack_from(">H", data, 4)
    if len(data) < 12 + 16 * count:
        return "unknown"
    tables = _table_directory(data)
    if data[:4] == b"OTTO" or b"CFF " in tables or b"CFF2" in tables:
        return "CFF"
    return "TrueType" if b"glyf" in tables and b"loca" in tables else "unknown"


def subset(data: bytes, gids: frozenset[int] | set[int], keep_glyph_ids: bool = False) -> tuple[bytes, dict[int, int]]:
    """The font file (its bytes) cut to the glyphs `gids` and the glyphs they are built of, and
    each of `gids`' number in the subset. A pure function of both. Raises NotTrueType for a file
    without TrueType outlines. `keep_glyph_ids`: every glyph keeps its number, those not kept
    left empty (the other way bench/subset_sizes.py measures; renumbering makes smaller PDFs)."""
    if outline_kind(data) != "TrueType":
        raise NotTrueType("the font has no TrueType (glyf) outlines: only TrueType fonts can be subset here")
    tables = _table_directory(data)
    head = _table(data, tables, b"head")
    (long_offsets,) = struct.unpack_from(">h", head, 50)
    (glyph_count,) = struct.unpack_from(">H", _table(data, tables, b"maxp"), 4)
    loca = _table(data, tables, b"loca")
    starts = (struct.unpack(f">{glyph_count + 1}I", loca[:4 * (glyph_count + 1)]) if long_offsets else
              [2 * offset for offset in struct.unpack(f">{glyph_count + 1}H", loca[:2 * (glyph_count + 1)])])
    glyf = _table(data, tables, b"glyf")

    def outline(gid: int) -> bytes:
        return glyf[starts[gid]:starts[gid + 1]]

    wanted = sorted({gid for gid in gids if 0 <= gid < glyph_count} | {NOTDEF})
    if len(wanted) != len(set(gids) | {NOTDEF}):
        raise ValueError(f"glyph ids beyond the font's {glyph_count} glyphs: {sorted(set(gids) - set(wanted))[:5]}")
    kept = _with_components(wanted, outline)
    if keep_glyph_ids:
        chosen = set(kept)
        new_id = {gid: gid for gid in kept}
        kept = list(range(kept[-1] + 1))
        glyphs = [_without_instructions(outline(gid)) if gid in chosen else b"" for gid in kept]
    else:
        new_id = {gid: index for index, gid in enumerate(kept)}
        glyphs = [_without_instructions(_renumbered(outline(gid), new_id)) for gid in kept]

    # glyf and loca: each glyph padded to 4 bytes; short offsets (halved) when they all fit.
    padded = [glyph + b"\0" * (-len(glyph) % 4) for glyph in glyphs]
    offsets = [0]
    for glyph in padded:
        offsets.append(offsets[-1] + len(glyph))
    short = offsets[-1] // 2 <= 0xFFFF
    new_loca = (struct.pack(f">{len(offsets)}H", *(offset // 2 for offset in offsets)) if short else
                struct.pack(f">{len(offsets)}I", *offsets))

    # hmtx: the advances of glyphs past the last long metric are the last one's.
    hhea = _table(data, tables, b"hhea")
    (long_metrics,) = struct.unpack_from(">H", hhea, 34)
    hmtx = _table(data, tables, b"hmtx")
    metrics = [_metric(hmtx, long_metrics, gid) if gid in new_id else (0, 0) for gid in kept]
    count = len(metrics)
    while count > 1 and metrics[count - 1][0] == metrics[count - 2][0]:
        count -= 1  # a trailing run of one advance: written once, then bearings only
    new_hmtx = b"".join(struct.pack(">Hh", *metric) for metric in metrics[:count]) + b"".join(
        struct.pack(">h", bearing) for _, bearing in metrics[count:])

    # The bounds the subset's glyphs reach, as head and hhea give them (a viewer sizes its glyph
    # cache by them: the whole font's, far larger for Nastaliq, change how its glyphs rasterise).
    boxes = [(struct.unpack_from(">4h", glyph, 2), metric) for glyph, metric in zip(glyphs, metrics) if glyph]
    if boxes:
        x_min = min(box[0] for box, _ in boxes)
        y_min = min(box[1] for box, _ in boxes)
        x_max = max(box[2] for box, _ in boxes)
        y_max = max(box[3] for box, _ in boxes)
        left = min(bearing for _, (_, bearing) in boxes)
        right = min(advance - bearing - (box[2] - box[0]) for box, (advance, bearing) in boxes)
        extent = max(bearing + box[2] - box[0] for box, (_, bearing) in boxes)
    else:
        x_min = y_min = x_max = y_max = left = right = extent = 0
    out = {
        b"head": (head[:8] + b"\0\0\0\0" + head[12:36] + struct.pack(">4h", x_min, y_min, x_max, y_max) +
                  head[44:50] + struct.pack(">h", 0 if short else 1) + head[52:]),
        b"hhea": (hhea[:10] + struct.pack(">Hhhh", max(advance for advance, _ in metrics), left, right, extent) +
                  hhea[18:34] + struct.pack(">H", count) + hhea[36:]),
        b"maxp": _profile(_table(data, tables, b"maxp"), len(kept)),
        b"hmtx": new_hmtx,
        b"loca": new_loca,
        b"glyf": b"".join(padded),
    }
    if b"OS/2" in tables:
        out[b"OS/2"] = _table(data, tables, b"OS/2")
    if b"post" in tables:
        out[b"post"] = b"\x00\x03\x00\x00" + _table(data, tables, b"post")[4:16] + b"\0" * 16
    if b"name" in tables:
        out[b"name"] = _names(_table(data, tables, b"name"))
    return _font_file(out), {gid: new_id[gid] for gid in gids}


# -- reading ---------------------------------------------------------------------------------------

def _table_directory(data: bytes) -> dict[bytes, tuple[int, int]]:
    """tag -> (offset, length) from the file's table directory."""
    (count,) = struct.unpack_from(">H", data, 4)
    found = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        found[tag] = (offset, length)
    return found


def _table(data: bytes, tables: dict[bytes, tuple[int, int]], tag: bytes) -> bytes:
    if tag not in tables:
        raise NotTrueType(f"the font has no '{tag.decode('latin-1')}' table")
    offset, length = tables[tag]
    return data[offset:offset + length]


def _metric(hmtx: bytes, long_metrics: int, gid: int) -> tuple[int, int]:
    """A glyph's (advance, left side bearing)."""
    if gid < long_metrics:
        return struct.unpack_from(">Hh", hmtx, 4 * gid)
    (advance,) = struct.unpack_from(">H", hmtx, 4 * (long_metrics - 1))
    (bearing,) = struct.unpack_from(">h", hmtx, 4 * long_metrics + 2 * (gid - long_metrics))
    return advance, bearing


def _components(glyph: bytes) -> list[tuple[int, int]]:
    """(offset of the glyph id, flags) of each component of a composite glyph; [] for a simple
    or empty one."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    found = []
    at = 10
    flags = _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        (flags,) = struct.unpack_from(">H", glyph, at)
        found.append((at + 2, flags))
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        if flags & _HAVE_SCALE:
            at += 2
        elif flags & _HAVE_X_AND_Y_SCALE:
            at += 4
        elif flags & _HAVE_TWO_BY_TWO:
            at += 8
    return found


def _with_components(wanted: list[int], outline) -> list[int]:
    """The glyphs wanted and every glyph their composites are built of, at any depth, in the
    font's order."""
    kept = set(wanted)
    waiting = list(wanted)
    while waiting:
        glyph = outline(waiting.pop())
        for at, _ in _components(glyph):
            (component,) = struct.unpack_from(">H", glyph, at)
            if component not in kept:
                kept.add(component)
                waiting.append(component)
    return sorted(kept)


# -- writing ---------------------------------------------------------------------------------------

def _renumbered(glyph: bytes, new_id: dict[int, int]) -> bytes:
    """A composite glyph with its components' ids as numbered in the subset."""
    components = _components(glyph)
    if not components:
        return glyph
    out = bytearray(glyph)
    for at, _ in components:
        (old,) = struct.unpack_from(">H", glyph, at)
        struct.pack_into(">H", out, at, new_id[old])
    return bytes(out)


def _without_instructions(glyph: bytes) -> bytes:
    """The glyph without its hinting instructions."""
    if len(glyph) < 10:
        return glyph  # empty (a space)
    (contours,) = struct.unpack_from(">h", glyph, 0)
    if contours >= 0:
        at = 10 + 2 * contours  # the instructions' length follows the contours' end points
        (length,) = struct.unpack_from(">H", glyph, at)
        return glyph if not length else glyph[:at] + b"\0\0" + glyph[at + 2 + length:]
    components = _components(glyph)
    if not any(flags & _HAVE_INSTRUCTIONS for _, flags in components):
        return glyph
    out = bytearray(glyph)
    for at, flags in components:
        struct.pack_into(">H", out, at - 2, flags & ~_HAVE_INSTRUCTIONS)
    # the instructions follow the last component: its arguments and transform end where they begin
    last_at, last_flags = components[-1]
    end = last_at + 2 + (4 if last_flags & _ARGS_ARE_WORDS else 2)
    end += 2 if last_flags & _HAVE_SCALE else 4 if last_flags & _HAVE_X_AND_Y_SCALE else 8 if last_flags & _HAVE_TWO_BY_TWO else 0
    return bytes(out[:end])


def _profile(maxp: bytes, glyph_count: int) -> bytes:
    """maxp with the subset's glyph count and, the hinting gone, no room asked for it (one zone,
    no twilight points, storage, functions, stack or instructions), as fontTools left it."""
    maxp = maxp[:4] + struct.pack(">H", glyph_count) + maxp[6:]
    if maxp[:4] == b"\x00\x01\x00\x00" and len(maxp) >= 32:  # version 1.0: TrueType's fields
        maxp = maxp[:14] + struct.pack(">7H", 1, 0, 0, 0, 0, 0, 0) + maxp[28:]
    return maxp


def _names(name: bytes) -> bytes:
    """A format-0 name table of the names kept, in Windows English, in the table's own order."""
    _, count, strings = struct.unpack_from(">HHH", name, 0)
    records = []
    for index in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", name, 6 + 12 * index)
        if (platform, encoding, language) == _WINDOWS_ENGLISH and name_id in _NAMES_KEPT:
            records.append((platform, encoding, language, name_id, name[strings + offset:strings + offset + length]))
    records.sort(key=lambda record: record[:4])
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    entries, text = [], b""
    for platform, encoding, language, name_id, value in records:
        entries.append(struct.pack(">6H", platform, encoding, language, name_id, len(value), len(text)))
        text += value
    return header + b"".join(entries) + text


def _checksum(table: bytes) -> int:
    padded = table + b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _font_file(tables: dict[bytes, bytes]) -> bytes:
    """An sfnt file of the tables: the directory by tag, each table 4-byte aligned, checksums
    right and head.checkSumAdjustment set so the whole file sums to 0xB1B0AFBA."""
    count = len(tables)
    power = 1
    while power * 2 <= count:
        power *= 2
    search_range = power * 16
    header = struct.pack(">IHHHH", 0x00010000, count, search_range, power.bit_length() - 1,
                         count * 16 - search_range)
    order = [tag for tag in _WRITTEN_ORDER if tag in tables]
    offset = 12 + 16 * count
    placed = {}
    for tag in order:
        placed[tag] = offset
        offset += len(tables[tag]) + (-len(tables[tag]) % 4)
    directory = b"".join(struct.pack(">4sIII", tag, _checksum(tables[tag]), placed[tag], len(tables[tag]))
                         for tag in sorted(tables))
    body = b"".join(tables[tag] + b"\0" * (-len(tables[tag]) % 4) for tag in order)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, placed[b"head"] + 8, adjustment)
    return bytes(font)
