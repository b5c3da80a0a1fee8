"""Prepare the bundled fonts for print from Debian's originals: what a PDF leaflet never uses goes.

    python fonts/prepare.py [--from DIR]    # DIR holds Debian 12's fonts (default: /usr/share/fonts/truetype)

Reads Noto Sans (regular, bold, italic, bold italic) and Noto Sans Math from fonts-noto-core and
DejaVu Sans (and bold) from fonts-dejavu-core, and writes them into fonts/ with:

- no hinting: the TrueType instructions (fpgm, prep, cvt, and each glyph's program) only move
  outlines onto a screen's pixel grid at small sizes; print and PDF viewers scale outlines, and
  ReportLab copies the instructions into every PDF (3.6 KB of fpgm alone, each face);
- no OpenType layout (GSUB, GPOS, GDEF, kern, MATH): ReportLab places one glyph a character and
  never reads them; with them go the glyphs only they reach (small capitals, alternates);
- no glyph names, digital signature (DSIG) or FontForge timestamp (FFTM);
- a name table of the copyright, trademark, names and version only (ReportLab copies it into
  every PDF), the version saying that the file was modified. The licences stay beside the fonts,
  in fonts/OFL.txt and fonts/LICENSE-DejaVu.txt, as both licences allow.

The fonts of scripts that must be shaped (SHAPED: Arabic, Urdu's Nastaliq, Hebrew, Bengali,
Devanagari, Gurmukhi, Gujarati, Tamil, all regular and bold from fonts-noto-core) are prepared
the same way except that their OpenType layout stays: GSUB joins Arabic letters and forms Indic
conjuncts, GPOS attaches vowel signs and marks, GDEF says which glyph is a mark. The shaping
engine (uharfbuzz) reads those tables; without them these scripts cannot be printed right. The
glyphs only they reach (conjuncts, joining forms, marks) stay with them.

Every character each font maps stays, with the same outline and the same advance width, so text
sets exactly as before; tests/test_fast_paths.py checks that. Noto Sans is under the SIL Open
Font License 1.1 with no Reserved Font Name, and DejaVu Sans under the Bitstream Vera licence,
which asks only that a modified font not be called "Bitstream" or "Vera": both keep their names.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
FONTS = {  # file in fonts/ -> where Debian 12 installs it, under --from
    "NotoSans-Regular.ttf": "noto/NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf": "noto/NotoSans-Bold.ttf",
    "NotoSans-Italic.ttf": "noto/NotoSans-Italic.ttf",
    "NotoSans-BoldItalic.ttf": "noto/NotoSans-BoldItalic.ttf",
    "NotoSansMath-Regular.ttf": "noto/NotoSansMath-Regular.ttf",
    "DejaVuSans.ttf": "dejavu/DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf": "dejavu/DejaVuSans-Bold.ttf",
}
# Fonts of scripts that are shaped: the same recipe, but the OpenType layout tables stay.
SHAPED = {
    "NotoSansArabic-Regular.ttf": "noto/NotoSansArabic-Regular.ttf",  # Arabic, Persian
    "NotoSansArabic-Bold.ttf": "noto/NotoSansArabic-Bold.ttf",
    "NotoNastaliqUrdu-Regular.ttf": "noto/NotoNastaliqUrdu-Regular.ttf",  # Urdu
    "NotoNastaliqUrdu-Bold.ttf": "noto/NotoNastaliqUrdu-Bold.ttf",
    "NotoSansHebrew-Regular.ttf": "noto/NotoSansHebrew-Regular.ttf",
    "NotoSansHebrew-Bold.ttf": "noto/NotoSansHebrew-Bold.ttf",
    "NotoSansBengali-Regular.ttf": "noto/NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf": "noto/NotoSansBengali-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf": "noto/NotoSansDevanagari-Regular.ttf",  # Hindi
    "NotoSansDevanagari-Bold.ttf": "noto/NotoSansDevanagari-Bold.ttf",
    "NotoSansGurmukhi-Regular.ttf": "noto/NotoSansGurmukhi-Regular.ttf",  # Punjabi
    "NotoSansGurmukhi-Bold.ttf": "noto/NotoSansGurmukhi-Bold.ttf",
    "NotoSansGujarati-Regular.ttf": "noto/NotoSansGujarati-Regular.ttf",
    "NotoSansGujarati-Bold.ttf": "noto/NotoSansGujarati-Bold.ttf",
    "NotoSansTamil-Regular.ttf": "noto/NotoSansTamil-Regular.ttf",
    "NotoSansTamil-Bold.ttf": "noto/NotoSansTamil-Bold.ttf",
}
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF")
DROPPED = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "DSIG", "FFTM", "gasp", "hdmx", "LTSH",
           "VDMX", "PCLT"]
# Copyright, family, style, unique id, full name, version, PostScript name, trademark,
# typographic family and style.
NAMES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17]
MODIFIED = "; modified for print by handout-builder"


def prepare(source: Path, target: Path, shaped: bool = False) -> None:
    """Write source's font, prepared for print, to target; a `shaped` font keeps its OpenType
    layout tables, and every glyph they can reach."""
    # The same file from the same source every time, and each glyph's box as the original has it.
    font = TTFont(source, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.hinting = False  # drops fpgm, prep, cvt and every glyph's instructions
    if shaped:
        options.layout_features = ["*"]  # every feature of every script: shaping picks among them
        options.layout_scripts = ["*"]
        options.drop_tables += [table for table in DROPPED if table not in LAYOUT_TABLES]
    else:
        options.layout_features = []
        options.drop_tables += DROPPED
    options.name_IDs = NAMES
    options.name_languages = [0x0409]  # English (the only language these fonts' names are in)
    options.name_legacy = False  # Windows records only; ReportLab and viewers read those
    options.glyph_names = False  # a format 3 post table
    options.notdef_outline = True  # the missing-glyph box is kept as drawn
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID == 5:
            version = record.toUnicode().split(";")[0]  # "Version 2.004" (its hinting note no longer holds)
            names.setName(version + MODIFIED, 5, record.platformID, record.platEncID, record.langID)
    font.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="origin", type=Path, default=Path("/usr/share/fonts/truetype"),
                        help="the folder Debian installs TrueType fonts in")
    origin = parser.parse_args().origin
    for name, debian, shaped in [*((n, d, False) for n, d in FONTS.items()),
                                 *((n, d, True) for n, d in SHAPED.items())]:
        source = origin / debian
        prepare(source, HERE / name, shaped)
        print(f"{source} ({source.stat().st_size / 1024:.0f} KB) -> fonts/{name} "
              f"({(HERE / name).stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
