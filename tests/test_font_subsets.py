"""Our own TrueType subsetter (render/subsetting.py), read back by fontTools: every glyph kept
has the original's outline and metrics, the file is well formed (checksums, alignment, loca),
the same font and glyphs give the same bytes, a CFF font is refused with one line, and a build
imports no fontTools."""
from __future__ import annotations

import io
import random
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from conftest import MINIMAL, REPO
from handout_builder.render import embedding
from handout_builder.render.subsetting import NotTrueType, outline_kind, subset

FONTS = sorted((REPO / "fonts").glob("*.ttf"))
HINTED = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's, with its hinting


def sample(font: TTFont, seed: str) -> set[int]:
    """Glyphs worth checking: .notdef, the last glyph, empty ones (a space), composites nested and
    not, and a seeded sample of the rest."""
    glyf, order = font["glyf"], font.getGlyphOrder()
    chosen = {0, len(order) - 1}
    composites = [gid for gid, name in enumerate(order) if glyf[name].isComposite()]
    nested = [gid for gid in composites if any(glyf[c.glyphName].isComposite() for c in glyf[order[gid]].components)]
    empty = [gid for gid, name in enumerate(order) if glyf[name].numberOfContours == 0]
    pick = random.Random(seed)
    for group in (composites, nested, empty, range(len(order))):
        chosen |= set(pick.sample(list(group), min(len(group), 40)))
    return chosen


def outline(font: TTFont, gid: int):
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[font.getGlyphOrder()[gid]].draw(pen)
    return pen.value


def tables_of(data: bytes) -> dict[bytes, tuple[int, int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    return {tag: (checksum, offset, length) for tag, checksum, offset, length in
            (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count))}


def checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


@pytest.mark.parametrize("path", FONTS, ids=lambda path: path.name)
def test_each_glyph_kept_is_the_originals_outline_and_metrics(path):
    data = path.read_bytes()
    original = TTFont(io.BytesIO(data))
    gids = sample(original, path.name)
    made, renumbered = subset(data, frozenset(gids))
    ours = TTFont(io.BytesIO(made), checkChecksums=2)  # fontTools refuses a wrong table checksum
    assert set(renumbered) == gids and renumbered[0] == 0
    assert sorted(renumbered.values()) == [renumbered[gid] for gid in sorted(gids)]  # the font's order
    original_order, our_order = original.getGlyphOrder(), ours.getGlyphOrder()
    for gid in gids:
        new = renumbered[gid]
        assert outline(ours, new) == outline(original, gid), original_order[gid]
        assert ours["hmtx"][our_order[new]] == original["hmtx"][original_order[gid]], original_order[gid]
    # Only the composites' parts were added, and nothing a PDF viewer does not need was kept.
    assert len(our_order) < len(original_order) or len(gids) == len(original_order)
    assert set(ours.keys()) - {"GlyphOrder"} <= {"head", "hhea", "maxp", "hmtx", "loca", "glyf", "OS/2", "post", "name"}
    assert {"head", "hhea", "maxp", "hmtx", "loca", "glyf"} <= set(ours.keys())
    assert ours["head"].unitsPerEm == original["head"].unitsPerEm
    assert ours["post"].formatType == 3.0
    assert ours["name"].getDebugName(6) == original["name"].getDebugName(6)


@pytest.mark.parametrize("path", [REPO / "fonts" / "NotoSans-Regular.ttf", REPO / "fonts" / "NotoNastaliqUrdu-Regular.ttf",
                                  REPO / "fonts" / "NotoSansTC-Subset-Bold.ttf"], ids=lambda path: path.name)
def test_the_file_is_well_formed(path):
    """Tables 4-byte aligned and listed by tag with their checksums; the whole file sums to
    0xB1B0AFBA; head's and hhea's bounds are the subset's glyphs' own, as fontTools works them out."""
    data = path.read_bytes()
    for gids in ({3, 40, 41, 200}, set(range(TTFont(path, lazy=True)["maxp"].numGlyphs))):
        made, _ = subset(data, frozenset(gids))
        tables = tables_of(made)
        assert list(tables) == sorted(tables)
        count = len(tables)
        assert struct.unpack_from(">IHHHH", made, 0) == (
            0x00010000, count, 16 * 2 ** (count.bit_length() - 1), count.bit_length() - 1,
            16 * count - 16 * 2 ** (count.bit_length() - 1))
        for tag, (sum_, offset, length) in tables.items():
            assert offset % 4 == 0, tag
            table = made[offset:offset + length]
            if tag == b"head":
                table = table[:8] + b"\0\0\0\0" + table[12:]
            assert checksum(table) == sum_, tag
        assert checksum(made) == 0xB1B0AFBA
        ours = TTFont(io.BytesIO(made))
        bounds = [(ours["head"].xMin, ours["head"].yMin, ours["head"].xMax, ours["head"].yMax),
                  (ours["hhea"].advanceWidthMax, ours["hhea"].minLeftSideBearing, ours["hhea"].minRightSideBearing,
                   ours["hhea"].xMaxExtent)]
        ours["maxp"].recalc(ours)  # recalculates head's bounds from the glyphs
        ours["hhea"].recalc(ours)
        assert bounds == [(ours["head"].xMin, ours["head"].yMin, ours["head"].xMax, ours["head"].yMax),
                          (ours["hhea"].advanceWidthMax, ours["hhea"].minLeftSideBearing,
                           ours["hhea"].minRightSideBearing, ours["hhea"].xMaxExtent)]


def test_loca_is_short_while_the_glyphs_fit_it_and_long_beyond():
    path = REPO / "fonts" / "NotoSansTC-Subset-Regular.ttf"
    data = path.read_bytes()
    original = TTFont(io.BytesIO(data))
    small, _ = subset(data, frozenset(range(1, 50)))
    everything, renumbered = subset(data, frozenset(range(original["maxp"].numGlyphs)))
    assert TTFont(io.BytesIO(small))["head"].indexToLocFormat == 0
    assert tables_of(everything)[b"glyf"][2] > 2 * 0xFFFF  # too big for short offsets
    whole = TTFont(io.BytesIO(everything))
    assert whole["head"].indexToLocFormat == 1
    for gid in (1, 2000, original["maxp"].numGlyphs - 1):  # glyphs far into the long table read right
        assert outline(whole, renumbered[gid]) == outline(original, gid)


def test_a_subset_is_a_pure_function_of_font_and_glyphs():
    """A, B, A give the same A bytes, cached or not; the font's dates are its own."""
    data = (REPO / "fonts" / "NotoSansArabic-Regular.ttf").read_bytes()
    a, b = frozenset({5, 17, 300, 301}), frozenset({6, 7})
    first = embedding._subset_of.__wrapped__(data, a)
    assert embedding._subset_of.__wrapped__(data, b) != first
    assert embedding._subset_of.__wrapped__(data, a) == first == subset(data, a)
    assert embedding._subset_of(data, a) == first
    original = TTFont(io.BytesIO(data))
    ours = TTFont(io.BytesIO(first[0]))
    assert (ours["head"].created, ours["head"].modified) == (original["head"].created, original["head"].modified)


@pytest.mark.skipif(not HINTED.exists(), reason="Debian's hinted DejaVu Sans (fonts-dejavu-core) is not installed")
def test_hinting_is_dropped_and_the_outlines_stay():
    data = HINTED.read_bytes()
    original = TTFont(io.BytesIO(data))
    assert {"fpgm", "prep", "cvt "} <= set(original.keys())
    gids = sample(original, "hinted")
    made, renumbered = subset(data, frozenset(gids))
    ours = TTFont(io.BytesIO(made))
    assert not {"fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "gasp", "cmap"} & set(ours.keys())
    hinted = [gid for gid in gids if getattr(original["glyf"][original.getGlyphOrder()[gid]], "program", None)
              and original["glyf"][original.getGlyphOrder()[gid]].program.getBytecode()]
    assert hinted  # the test can fail: glyphs with instructions were among those subset
    maxp = ours["maxp"]
    assert (maxp.maxZones, maxp.maxTwilightPoints, maxp.maxStorage, maxp.maxFunctionDefs, maxp.maxInstructionDefs,
            maxp.maxStackElements, maxp.maxSizeOfInstructions) == (1, 0, 0, 0, 0, 0, 0)
    assert original["maxp"].maxSizeOfInstructions > 0
    for gid in gids:
        glyph = ours["glyf"][ours.getGlyphOrder()[renumbered[gid]]]
        assert not (hasattr(glyph, "program") and glyph.program.getBytecode())
        assert outline(ours, renumbered[gid]) == outline(original, gid)


# -- a font with PostScript outlines ---------------------------------------------------------------

def cff_font(path: Path) -> Path:
    """An OpenType font with CFF outlines: Noto Sans's Latin letters, drawn again as PostScript."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    source = TTFont(REPO / "fonts" / "NotoSans-Regular.ttf")
    cmap = {code: name for code, name in source.getBestCmap().items() if code < 0x180}
    names = [".notdef", *sorted(set(cmap.values()) - {".notdef"})]
    glyphs, charstrings = source.getGlyphSet(), {}
    for name in names:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    builder = FontBuilder(source["head"].unitsPerEm, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(cmap)
    builder.setupCFF("NotoSansCFF-Regular", {"FullName": "Noto Sans CFF"}, charstrings, {})
    builder.setupHorizontalMetrics({name: source["hmtx"][name] for name in names})
    builder.setupHorizontalHeader(ascent=source["hhea"].ascent, descent=source["hhea"].descent)
    builder.setupNameTable({"familyName": "Noto Sans CFF", "styleName": "Regular"})
    builder.setupOS2(usWinAscent=source["OS/2"].usWinAscent, usWinDescent=source["OS/2"].usWinDescent)
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_cff_font_is_not_subset(tmp_path):
    data = cff_font(tmp_path / "cff.otf").read_bytes()
    assert outline_kind(data) == "CFF"
    assert outline_kind((REPO / "fonts" / "NotoSans-Regular.ttf").read_bytes()) == "TrueType"
    assert outline_kind(b"not a font at all") == "unknown"
    with pytest.raises(NotTrueType):
        subset(data, frozenset({1, 2}))


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_layout_naming_a_cff_font_is_refused_with_one_line(project, command):
    """ReportLab cannot embed PostScript outlines and neither can our subsetter: the layout's
    line says so, before anything is built."""
    (project.root / "fonts").unlink()  # the shipped fonts, and one more of our own
    (project.root / "fonts").mkdir()
    for font in (REPO / "fonts").glob("*.ttf"):
        (project.root / "fonts" / font.name).symlink_to(font)
    cff_font(project.root / "fonts" / "NotoSansCFF-Regular.otf")
    layout = project.root / "layouts" / "clinic-a4.yaml"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace("regular: NotoSans-Regular.ttf", "regular: NotoSansCFF-Regular.otf", 1),
                      encoding="utf-8")
    line = next(
        number for number, written in enumerate(layout.read_text(encoding="utf-8").splitlines(), 1)
        if "NotoSansCFF-Regular.otf" in written)
    project.write("x", MINIMAL)
    result = project.run(command)
    assert result.exit_code == 1
    said = [said for said in (result.stdout + result.stderr).splitlines() if "NotoSansCFF-Regular.otf" in said]
    assert len(said) == 1, result.stdout + result.stderr
    assert said[0].startswith(f"layouts/clinic-a4.yaml:{line}") and "PostScript (CFF) outlines" in said[0]
    assert "Traceback" not in result.stdout + result.stderr and not project.pdf("x").exists()


# -- no fontTools while building ---------------------------------------------------------------------

def test_a_build_of_shaped_leaflets_imports_no_fonttools(tmp_path):
    """The English and Urdu leaflets (Noto Sans, Noto Nastaliq: TrueType), built in a fresh
    interpreter, subset their fonts without importing fontTools."""
    probe = textwrap.dedent(f"""\
        import runpy, sys
        sys.path.insert(0, {str(REPO)!r})
        sys.argv = ["build_pdf.py", "build", "handouts/non-rms-chemotherapy.yaml",
                    "handouts/non-rms-chemotherapy-ur.yaml", "-j", "1", "-q", "-o", {str(tmp_path)!r}]
        try:
            runpy.run_path({str(REPO / "build_pdf.py")!r}, run_name="__main__")
        except SystemExit as exc:
            assert not exc.code, exc.code
        from handout_builder.render import subsetting
        print("FONTTOOLS" if any(name.split(".")[0] == "fontTools" for name in sys.modules) else "NO FONTTOOLS")
        """)
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["NO", "FONTTOOLS"], result.stdout
    import pikepdf

    for stem in ("non-rms-chemotherapy", "non-rms-chemotherapy-ur"):  # the subsets were made, and embedded
        with pikepdf.open(tmp_path / f"{stem}.pdf") as pdf:
            files = [font.DescendantFonts[0].FontDescriptor.FontFile2 for font in pdf.pages[0].Resources.Font.values()
                     if font.get("/Subtype") == "/Type0"]
            assert files and all(len(file.read_bytes()) > 500 for file in files)


# -- the shipped leaflets, as with fontTools' subsets ------------------------------------------------

def fonttools_subset(data: bytes, gids: frozenset[int]) -> tuple[bytes, dict[int, int]]:
    """The subset as embedding.py made it with fontTools before our own subsetter (the reference)."""
    from fontTools import subset as fonttools

    font = TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False)
    order = font.getGlyphOrder()
    options = fonttools.Options()
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "kern", "morx", "feat",
                            "meta", "STAT", "FFTM", "vhea", "vmtx"]
    options.name_IDs = [1, 2, 3, 4, 6]
    options.name_languages = [0x409]
    options.legacy_kern = False
    subsetter = fonttools.Subsetter(options)
    subsetter.populate(glyphs=sorted({order[gid] for gid in gids} | {order[0]}))
    subsetter.subset(font)
    new_order = {name: i for i, name in enumerate(font.getGlyphOrder())}
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue(), {gid: new_order[order[gid]] for gid in gids}


def drawn(pdf: bytes) -> dict:
    """Every page's shaped fonts: (page, resource, code) -> the outline and advance of the glyph
    the code draws, read through the CIDToGIDMap from the embedded subset."""
    import pikepdf

    out = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages):
            for resource, font in page.Resources.Font.items():
                if font.get("/Subtype") != "/Type0":
                    continue
                (cid_font,) = font.DescendantFonts
                subset_font = TTFont(io.BytesIO(bytes(cid_font.FontDescriptor.FontFile2.read_bytes())))
                to_gid = bytes(cid_font.CIDToGIDMap.read_bytes())
                order = subset_font.getGlyphOrder()
                for code in range(1, len(to_gid) // 2):
                    gid = int.from_bytes(to_gid[2 * code:2 * code + 2], "big")
                    out[number, str(resource), code] = (outline(subset_font, gid), subset_font["hmtx"][order[gid]][0])
    return out


def test_shipped_leaflets_look_and_read_as_with_fonttools_subsets(monkeypatch):
    """Every shipped leaflet in its own layout, built with our subsets and with fontTools' (the
    plain code it replaced): every code draws the same outline with the same advance, every page
    is the same picture (PDFium, 50 dpi, pixel for pixel) and the same text (pypdf); only the
    embedded font files differ, and ours are no larger."""
    import pictures
    from pypdf import PdfReader

    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import Project

    monkeypatch.chdir(REPO)
    checked = 0
    for path in sorted((REPO / "handouts").glob("*.yaml")):
        embedding._subset_of.cache_clear()
        ours = Pipeline(Project(REPO), today=pictures.TODAY).rendered(path).data
        with monkeypatch.context() as plain:
            plain.setattr(embedding, "_subset_of", fonttools_subset)
            theirs = Pipeline(Project(REPO), today=pictures.TODAY).rendered(path).data
        assert ours != theirs  # the reference was used: its font files are not ours
        ours_drawn, theirs_drawn = drawn(ours), drawn(theirs)
        assert ours_drawn.keys() == theirs_drawn.keys() and ours_drawn, path.name
        for key, glyph in theirs_drawn.items():
            assert ours_drawn[key] == glyph, (path.name, key)
        assert [picture.tobytes() for picture in pictures.pictures_of(ours)] == \
               [picture.tobytes() for picture in pictures.pictures_of(theirs)], path.name
        assert [page.extract_text() for page in PdfReader(io.BytesIO(ours)).pages] == \
               [page.extract_text() for page in PdfReader(io.BytesIO(theirs)).pages], path.name
        assert len(ours) <= len(theirs), path.name
        checked += len(ours_drawn)
    assert checked > 1000
