"""Make fonts/NotoSans{SC,TC}-Subset-{Regular,Bold}.ttf: Noto Sans CJK SC (Simplified Chinese)
and TC (Traditional Chinese) cut down to the characters families meet, as TrueType outlines
ReportLab can embed.

Debian's fonts-noto-cjk ships Noto Sans CJK as OpenType collections (.ttc) of CFF outlines, which
ReportLab cannot read, and at 19 MB each they are too large to bundle. The Simplified subset keeps
the 3,755 hanzi of GB 2312 level 1 (the commonest characters of Simplified Chinese, 99.7% of running
text); the Traditional one the 5,401 hanzi of Big5 level 1 (the commonly used characters of
Taiwan's and Hong Kong's standard, which Cantonese-speaking families read), drawn in the TC face's
Traditional forms. Both keep CJK punctuation, full-width forms and basic Latin, and convert the
outlines to TrueType (quadratic) with fontTools' cu2qu. Hinting and OpenType layout tables are dropped: print does not use hinting, and
horizontal Chinese needs no glyph substitution (each subset is then about 1 MB, not 19).

Regenerate (after `apt-get install fonts-noto-cjk`):

    python fonts/subset_cjk.py /usr/share/fonts/opentype/noto fonts/ [SC|TC]   # both when not named

A character outside the subset is never drawn as a box: the glyph check names it, and the fix is
to add it to EXTRA below and run this again.
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

# Characters beyond GB 2312 and Big5 level 1 that leaflets use (add here, then regenerate).
EXTRA = "々〇・—…‘’“”"


def gb2312_hanzi() -> str:
    """The hanzi of GB 2312 level 1: rows 16-55, bytes B0A1 to D7F9."""
    out = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


def big5_level1_hanzi() -> str:
    """The hanzi of Big5 level 1 (常用字): A440 to C67E, each row's cells 40-7E and A1-FE."""
    out = []
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) > (0xC6, 0x7E):
                break
            try:
                out.append(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


# Hanzi beyond Big5 level 1 that Traditional Chinese leaflets use: 胺 and 酶 of 酪胺酸激酶
# (tyrosine kinase). Add here, then regenerate.
EXTRA_TC = "胺酶"

# Each variant: the face in Debian's collection, its hanzi, and the name of the files it makes.
VARIANTS = {
    "SC": ("Noto Sans CJK SC", gb2312_hanzi, "NotoSansSC"),
    "TC": ("Noto Sans CJK TC", lambda: big5_level1_hanzi() + EXTRA_TC, "NotoSansTC"),
}


def characters(hanzi=gb2312_hanzi) -> set[int]:
    codes = {ord(c) for c in hanzi() + EXTRA}
    codes |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))  # Latin
    codes |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))  # CJK punctuation, full-width forms
    codes |= set(range(0x2010, 0x2027))  # dashes, quotes, bullet, ellipsis
    # The middle dot stays Noto Sans's: these fonts draw it a full em wide, too wide between the
    # Latin words it separates (the footer's "Service · 020 7946 0000 · www...", which must fit a line).
    codes.discard(0xB7)
    return codes


def to_truetype(font) -> None:
    """Replace the CFF outlines with quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=2.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    for table in ("VORG", "vhea", "vmtx"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        width, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (width, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones",):
        setattr(maxp, attribute, 1)
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    if "head" in font:
        font["head"].glyphDataFormat = 0


def make(collection: Path, out: Path, variant: str = "SC") -> None:
    face, hanzi, stem = VARIANTS[variant]
    fonts = TTCollection(str(collection)).fonts
    font = next(f for f in fonts if f["name"].getDebugName(1) == face)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters(hanzi))
    subsetter.subset(font)
    to_truetype(font)
    style = "Bold" if "Bold" in collection.name else "Regular"
    for record in font["name"].names:  # say it is a subset, so no one takes it for the whole font
        if record.nameID in (1, 4, 6):
            text = record.toUnicode()
            record.string = text.replace(face, f"Noto Sans {variant} Subset").replace(
                f"NotoSansCJK{variant.lower()}", f"NotoSans{variant}Subset")
    font.save(str(out / f"{stem}-Subset-{style}.ttf"))


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    for variant in sys.argv[3:] or list(VARIANTS):
        for weight in ("Regular", "Bold"):
            make(source / f"NotoSansCJK-{weight}.ttc", target, variant)
            print(f"fonts/{VARIANTS[variant][2]}-Subset-{weight}.ttf: "
                  f"{(target / f'{VARIANTS[variant][2]}-Subset-{weight}.ttf').stat().st_size / 1024:.0f} KB")
