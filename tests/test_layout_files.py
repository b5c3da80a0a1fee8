"""Layout files: inheritance (`extends:`), the logo, colour contrast and the new switches, each
mistake one clear line naming the file and line where the bad value was written."""
from __future__ import annotations

import struct
import zlib

import pytest
from pypdf import PdfReader

from conftest import MINIMAL, page_texts
from pdf_reading import picture


def write_layout(project, name: str, text: str):
    path = project.root / "layouts" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(project, layout: str) -> list[str]:
    """What building a leaflet in the layout says is wrong (a bad layout stops it before it is read)."""
    project.write("x", MINIMAL)
    result = project.run("build", "-l", layout)
    assert result.exit_code == 1, result.stdout
    return [line for line in result.stderr.splitlines() if "leaflets not built" not in line]


# -- inheritance ------------------------------------------------------------------------------

def test_clinic_letter_is_only_what_differs_from_clinic_a4():
    from conftest import REPO

    text = (REPO / "layouts" / "clinic-letter.yaml").read_text()
    assert "extends: clinic-a4" in text
    for field in ("clinic:", "fonts:", "sizes:", "colours:", "spacing:"):
        assert field not in text


def test_branding_changed_in_clinic_a4_reaches_every_layout_that_extends_it(project):
    parent = project.root / "layouts" / "clinic-a4.yaml"
    parent.write_text(parent.read_text().replace("St Brigid's Children's Hospital", "Riverside Children's Hospital"))
    project.write("x", MINIMAL)
    assert project.run("build", "--all-layouts").exit_code == 0
    for layout in ("clinic-letter", "large-print", "email", "booklet-a5-screen"):
        first = page_texts(project.pdf(f"x-{layout}"))[0]
        assert "Riverside Children's Hospital" in first and "St Brigid" not in first, layout
    letter = PdfReader(project.pdf("x-clinic-letter")).pages[0].mediabox
    assert (float(letter.width), float(letter.height)) == (612, 792)  # its own page survives the merge


def test_a_child_changes_one_value_and_keeps_the_rest(project):
    write_layout(project, "wide", "extends: clinic-a4\nsizes:\n  body: 14\n  leading: 20\n")
    project.write("x", MINIMAL)
    assert project.run("build", "-l", "wide").exit_code == 0
    assert "St Brigid's Children's Hospital" in page_texts(project.pdf("x-wide"))[0]


def test_a_bad_value_in_the_child_names_the_child_file_and_line(project):
    write_layout(project, "brand", "extends: clinic-a4\n# our own blue\ncolours:\n  accent: navy\n")
    assert problems(project, "brand") == [
        "layouts/brand.yaml:4: colours.accent: 'navy' is not a colour; write #rrggbb, e.g. #1f4e79"]


def test_a_bad_value_inherited_names_the_parent_file_and_line(project):
    write_layout(project, "base", "extends: clinic-a4\nsizes:\n  body: 12\n  leading: 17\n  title: big\n")
    write_layout(project, "child", "extends: base\npage:\n  size: A5\n  margin_top: 20mm\n  margin_bottom: 20mm\n"
                 "  margin_left: 14mm\n  margin_right: 14mm\n  margn_top: 3mm\n")
    assert problems(project, "child") == [
        "layouts/child.yaml:8: page.margn_top: unknown field (did you mean 'margin_top'?)",
        "layouts/base.yaml:5: sizes.title: must be a number, not 'big'",
    ]


def test_extends_must_name_a_layout_and_not_go_round_in_a_circle(project):
    write_layout(project, "a", "extends: clinic-a5\n")
    assert problems(project, "a") == [
        "layouts/a.yaml:1: extends: unknown layout 'clinic-a5' (did you mean 'clinic-a4'?); the layouts are a, "
        "booklet-a5, clinic-a4, clinic-letter, easy-read, email, large-print"]
    write_layout(project, "a", "# first\nextends: b\n")
    write_layout(project, "b", "extends: a\n")
    assert problems(project, "a") == [
        "layouts/b.yaml:1: extends: 'a' leads back to this layout (a -> b -> a); a layout cannot extend itself"]


def test_a_broken_parent_file_is_named(project):
    (project.root / "layouts" / "clinic-a4.yaml").write_text("page: [unclosed\n")
    found = problems(project, "clinic-letter")
    assert len(found) == 1 and found[0].startswith("layouts/clinic-a4.yaml:")


# -- contrast ---------------------------------------------------------------------------------

def test_shipped_layouts_all_pass_the_contrast_check(project):
    project.write("x", MINIMAL)
    assert project.run("check", "--all-layouts").exit_code == 0


def test_a_pale_text_colour_is_refused_naming_the_field(project):
    write_layout(project, "pale", "extends: clinic-a4\ncolours:\n  muted: \"#999999\"\n")
    assert problems(project, "pale") == [
        "layouts/pale.yaml:3: colours.muted: #999999 is too light to read on the white page (2.85:1), "
        "key_points_background #e9f1f8 (2.50:1), callout_background #fdf3e2 (2.59:1), table_header_background "
        "#dce7f1 (2.27:1); text needs at least 4.5:1 (WCAG), so choose a darker colour"]


def test_a_text_colour_too_light_for_a_tint_is_refused(project):
    write_layout(project, "tint", "extends: clinic-a4\ncolours:\n  link: \"#4a7fb0\"\n")
    found = problems(project, "tint")
    assert len(found) == 1 and found[0].startswith("layouts/tint.yaml:3: colours.link: #4a7fb0 is too light to "
                                                   "read on the white page (4.")
    assert "key_points_background #e9f1f8 (" in found[0]


def test_a_new_tint_that_spoils_the_parents_text_colour_is_the_childs_to_fix(project):
    write_layout(project, "dark", "extends: clinic-a4\ncolours:\n  callout_background: \"#8a8a8a\"\n")
    found = problems(project, "dark")
    assert len(found) == 1
    assert found[0].startswith("layouts/dark.yaml:3: colours.callout_background: #8a8a8a leaves too little contrast "
                               "for the text on it: ")
    assert found[0].endswith("so choose a lighter background")


def test_ruled_boxes_have_no_tints_to_check(project):
    write_layout(project, "ruled", "extends: clinic-a4\nboxes: ruled\ncolours:\n  callout_background: \"#8a8a8a\"\n")
    project.write("x", MINIMAL)
    assert project.run("check", "-l", "ruled").exit_code == 0


# -- logo -------------------------------------------------------------------------------------

def png(width: int, height: int, rgb=(31, 78, 121)) -> bytes:
    """A plain PNG of one colour, written by hand so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def logo_layout(project, file: str, height: str = "8mm"):
    write_layout(project, "logo", f"extends: clinic-a4\nlogo:\n  file: {file}\n  height: {height}\n")


def test_a_png_logo_is_drawn_in_every_page_header(project):
    (project.root / "layouts" / "ours.png").write_bytes(png(240, 96, (200, 30, 30)))
    logo_layout(project, "ours.png")
    project.write("x", MINIMAL)
    assert project.run("build", "-l", "logo").exit_code == 0
    reader = PdfReader(project.pdf("x-logo"))
    for page in reader.pages:
        images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
        assert images
    header = picture(project.pdf("x-logo"), 0, 1).crop((55, 15, 120, 50))  # top left, by the organisation
    assert sum(count for count, (r, g, b) in header.getcolors(10000) if r > 150 and g < 80 and b < 80) > 100


def test_the_shipped_svg_logo_is_drawn_top_left(project):
    project.write("x", MINIMAL)
    assert project.run("build").exit_code == 0
    header = picture(project.pdf("x"), 0, 1).crop((55, 15, 120, 50))
    blue = [count for count, (r, g, b) in header.getcolors(10000) if abs(r - 31) < 8 and abs(g - 78) < 8 and abs(b - 121) < 8]
    assert sum(blue) > 100


@pytest.mark.parametrize("setup, file, expected", [
    (None, "logos/missing.png", "logo.file: 'logos/missing.png' does not exist"),
    ("garbage", "broken.png", "logo.file: layouts/broken.png cannot be read as an image (UnidentifiedImageError)"),
    ("tiny", "tiny.png", "logo.file: layouts/tiny.png is only 12 pixels tall; printed 8mm tall it would look "
                         "blurred (use at least 47 pixels, or an SVG)"),
    ("text", "words.svg", "logo.file: layouts/words.svg holds text; convert the text to outlines (paths) so the "
                          "logo needs no font"),
    ("badsvg", "bad.svg", "logo.file: layouts/bad.svg cannot be read as an SVG image with a width and height"),
    (None, "logo.gif", "logo.file: 'logo.gif' must be a PNG, JPEG or SVG file, e.g. logos/clinic.svg"),
    (None, "../../x.png", "logo.file: '../../x.png' leads outside the project (through '..'); keep the file inside it"),
    (None, "/etc/x.png", "logo.file: '/etc/x.png' is an absolute path; give a path inside the project, such as "
                         "images/logo.png"),
    (None, "https://example.org/x.png", "logo.file: 'https://example.org/x.png' is a web address or URL; give a "
                                         "file in the project instead (the builder never fetches anything)"),
])
def test_a_bad_logo_is_a_clear_error_when_the_layout_loads(project, setup, file, expected):
    folder = project.root / "layouts"
    if setup == "garbage":
        (folder / file).write_bytes(b"not a picture at all")
    elif setup == "tiny":
        (folder / file).write_bytes(png(30, 12))
    elif setup == "text":
        (folder / file).write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                   '<text x="0" y="15">Clinic</text></svg>')
    elif setup == "badsvg":
        (folder / file).write_text("<svg this is not xml")
    logo_layout(project, file)
    assert problems(project, "logo") == [f"layouts/logo.yaml:3: {expected}"]


def test_a_logo_too_tall_for_the_top_margin_is_refused(project):
    (project.root / "layouts" / "ours.png").write_bytes(png(400, 400))
    logo_layout(project, "ours.png", "30mm")
    assert problems(project, "logo") == [
        "layouts/logo.yaml:4: logo.height: 30mm does not fit in the top margin; at most 10.0mm "
        "(or make page.margin_top larger)"]


# -- other switches -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("emphasis: underline\n", "layouts/bad.yaml:2: emphasis: 'underline' is not one of italic, bold"),
    ("boxes: shadowed\n", "layouts/bad.yaml:2: boxes: 'shadowed' is not one of shaded, ruled (did you mean 'shaded'?)"),
    ("tables:\n  min_column: wide\n",
     "layouts/bad.yaml:3: tables.min_column: 'wide' is not a length such as 20mm, 0.8in or 56 (points)"),
    ("qr_code:\n  size: 5mm\n",
     "layouts/bad.yaml:3: qr_code.size: must be between 15mm (smaller will not scan) and 80mm"),
    ("viewer:\n  open_bookmarks: sometimes\n",
     "layouts/bad.yaml:3: viewer.open_bookmarks: must be true or false, not 'sometimes'"),
    ("page:\n  booklet: A5\n",
     "layouts/bad.yaml:3: page.booklet: two pages side by side do not fit on that sheet; the sheet must be at least "
     "twice the page's width and as tall as the page"),
])
def test_a_bad_switch_is_named(project, text, expected):
    write_layout(project, "bad", "extends: clinic-a4\n" + text)
    assert problems(project, "bad") == [expected]
