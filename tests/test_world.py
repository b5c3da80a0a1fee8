"""The World (handout_builder/world.py) is the one way the engine reads files and its environment,
and what it recorded is each leaflet's list of inputs.

- Every kind of input (the handout, its layout, a layout it extends, the logo, each font file the
  layout names, the word catalogue, SOURCE_DATE_EPOCH) makes exactly the leaflets that read it
  stale (`build --check` names it), and no others; rebuilt, the PDF shows the change.
- A build opens no file of the project, the fonts or the catalogues except through the World (or
  a path the World already recorded): an audit hook in a child process sees every open.
- A new kind of input read through the World (pictures are coming) is recorded, checked and
  watched with no change to the build, the manifest or the watch.
- An input saved while the build runs leaves its leaflet stale; worker processes send back the
  same record as a build in one process.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import MINIMAL, REPO, page_texts, words
from handout_builder.build.watch import Watched
from handout_builder.inputs import language
from handout_builder.inputs.project import Project
from handout_builder.world import Inputs, World

A4_FONTS = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf",
            "NotoSansMath-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
            "NotoSansSC-Subset-Regular.ttf", "NotoSansSC-Subset-Bold.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
            # the fonts of other scripts, which clinic-a4 names as fallbacks or for their languages
            "NotoSansTC-Subset-Regular.ttf", "NotoSansTC-Subset-Bold.ttf",
            *(f"{family}-{style}.ttf" for family in ("NotoSansHebrew", "NotoSansBengali", "NotoSansDevanagari",
                                                     "NotoSansGurmukhi", "NotoSansGujarati", "NotoSansTamil",
                                                     "NotoNastaliqUrdu") for style in ("Regular", "Bold"))}
HOUSE_FONTS = {"House-Regular.ttf", "House-Bold.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
HOUSE_FONTS_YAML = """\
fonts:
  body: {name: House, regular: House-Regular.ttf, bold: House-Bold.ttf}
  fallbacks:
    - {name: DejaVuSans, regular: DejaVuSans.ttf, bold: DejaVuSans-Bold.ttf}

"""
ALL = ["a", "b", "c", "d", "e"]
ON_A4 = ["a", "b", "c", "e"]  # clinic-a4, or clinic-letter, which extends it


def png(width: int, height: int, rgb=(31, 78, 121)) -> bytes:
    """A plain PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_clinic(project) -> None:
    """Five leaflets: a and b on clinic-a4, c on clinic-letter (which extends clinic-a4), d on a
    layout of its own (its own body font, a PNG logo, no parent), e in Spanish on clinic-a4. The
    fonts are the project's own copies, so a test may change them."""
    fonts = project.root / "fonts"
    fonts.unlink()
    shutil.copytree(REPO / "fonts", fonts)
    shutil.copy(fonts / "NotoSans-Regular.ttf", fonts / "House-Regular.ttf")
    shutil.copy(fonts / "NotoSans-Bold.ttf", fonts / "House-Bold.ttf")
    layouts = project.root / "layouts"
    a4 = (layouts / "clinic-a4.yaml").read_text()
    house = a4[:a4.index("\nfonts:") + 1] + HOUSE_FONTS_YAML + a4[a4.index("\nsizes:") + 1:]
    (layouts / "house.yaml").write_text(house.replace("file: logos/st-brigids.svg", "file: house.png"))
    (layouts / "house.png").write_bytes(png(240, 96))
    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("Some words.", "Other words."))
    project.write("c", MINIMAL.replace("    sections:", "    layout: clinic-letter\n    sections:"))
    project.write("d", MINIMAL.replace("    sections:", "    layout: house\n    sections:"))
    project.write("e", MINIMAL.replace("    sections:", "    language: es\n    sections:"))


@pytest.fixture
def clinic(project, tmp_path, monkeypatch):
    """The five leaflets built once, in one process (-j 1), with the builder's word catalogues
    copied to a folder of the test's own, so a test may correct them."""
    catalogues = tmp_path / "catalogues"
    shutil.copytree(language.CATALOGUES, catalogues)
    monkeypatch.setattr(language, "CATALOGUES", catalogues)
    make_clinic(project)
    first = project.run("build", "-j", "1")
    assert first.exit_code == 0, first.stderr
    assert check(project) == {}
    project.catalogues = catalogues
    return project


def check(project) -> dict[str, str]:
    """`build --check`: each stale leaflet's stem and why."""
    result = project.run("build", "--check")
    stale = {}
    for line in result.stdout.splitlines():
        if ": stale (" in line:
            where, why = line.split(": stale (", 1)
            stale[where.split(" -> ")[0].removeprefix("handouts/").removesuffix(".yaml")] = why[:-1]
    assert result.exit_code == (1 if stale else 0), result.stdout
    return stale


def edit(path: Path, old: str, new: str) -> bytes:
    """Replace text in a file; return its bytes as they were."""
    before = path.read_bytes()
    text = before.decode("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return before


def entry(project, stem: str) -> dict:
    return json.loads((project.root / "build" / "build-manifest.json").read_text())["pdfs"][f"{stem}.pdf"]


# -- each kind of input makes exactly its leaflets stale ------------------------------------------

def test_each_leaflet_records_exactly_what_it_read(clinic):
    catalogues = str(clinic.catalogues)
    a, d, e = entry(clinic, "a"), entry(clinic, "d"), entry(clinic, "e")
    assert {key for key in a["inputs"] if not key.startswith(catalogues)} == {
        "handouts/a.yaml", "layouts/clinic-a4.yaml", "layouts/logos/st-brigids.svg",
        *(f"fonts/{name}" for name in A4_FONTS)}
    assert {key for key in d["inputs"] if not key.startswith(catalogues)} == {
        "handouts/d.yaml", "layouts/house.yaml", "layouts/house.png", *(f"fonts/{name}" for name in HOUSE_FONTS)}
    # the builder's own words: English for a, Spanish (checked against English) for e, and which
    # catalogues there are (a new one can change a leaflet's words)
    assert {key.removeprefix(catalogues) for key in a["inputs"] if key.startswith(catalogues)} == {"/en.yaml", "/*.yaml"}
    assert {key.removeprefix(catalogues) for key in e["inputs"] if key.startswith(catalogues)} == {
        "/en.yaml", "/es.yaml", "/*.yaml"}
    assert a["environment"] == {"SOURCE_DATE_EPOCH": None}


def test_a_changed_handout_makes_only_its_leaflet_stale(clinic):
    edit(clinic.root / "handouts" / "b.yaml", "Other words.", "Other, newer words.")
    assert check(clinic) == {"b": "handouts/b.yaml changed"}
    assert clinic.run("build").exit_code == 0
    assert "Other, newer words." in words(page_texts(clinic.pdf("b"))[0])
    assert check(clinic) == {}


def test_a_changed_layout_makes_only_its_leaflets_stale(clinic):
    edit(clinic.root / "layouts" / "clinic-letter.yaml", "margin_left: 0.9in", "margin_left: 1in")
    assert check(clinic) == {"c": "layouts/clinic-letter.yaml changed"}


def test_a_changed_parent_layout_makes_the_leaflets_of_its_children_stale(clinic):
    edit(clinic.root / "layouts" / "clinic-a4.yaml", "phone: 020 7946 0000", "phone: 020 7946 2222")
    assert check(clinic) == {stem: "layouts/clinic-a4.yaml changed" for stem in ON_A4}
    assert clinic.run("build", "-j", "1").exit_code == 0
    assert "020 7946 2222" in page_texts(clinic.pdf("c"))[0]  # clinic-letter's leaflet
    assert "020 7946 2222" not in page_texts(clinic.pdf("d"))[0]


def test_a_changed_logo_makes_the_leaflets_that_draw_it_stale(clinic):
    edit(clinic.root / "layouts" / "logos" / "st-brigids.svg", "#1f4e79", "#1f4e7a")
    assert check(clinic) == {stem: "layouts/logos/st-brigids.svg changed" for stem in ON_A4}
    (clinic.root / "layouts" / "house.png").write_bytes(png(240, 96, (200, 30, 30)))
    stale = check(clinic)
    assert stale["d"] == "layouts/house.png changed"
    assert clinic.run("build", "-j", "1").exit_code == 0
    reader = PdfReader(clinic.pdf("d"))  # the new picture is the one drawn
    image = next(x.get_object() for x in reader.pages[0]["/Resources"]["/XObject"].values()
                 if x.get_object()["/Subtype"] == "/Image")
    assert image.decode_as_image().getpixel((5, 5))[:3] == (200, 30, 30)


def test_each_font_file_makes_the_leaflets_whose_layout_names_it_stale(clinic):
    fonts = clinic.root / "fonts"
    for name in sorted(A4_FONTS | HOUSE_FONTS):
        original = (fonts / name).read_bytes()
        (fonts / name).write_bytes(original + b"\0\0\0\0")  # bytes past the tables: still a font
        expected = (ON_A4 if name in A4_FONTS else []) + (["d"] if name in HOUSE_FONTS else [])
        assert check(clinic) == {stem: f"fonts/{name} changed" for stem in sorted(expected)}, name
        (fonts / name).write_bytes(original)  # the same bytes again: up to date again
    assert check(clinic) == {}
    # Rebuilt after the body font changed, the leaflet prints in the new font, even in a process
    # that had registered the old file with ReportLab.
    shutil.copy(fonts / "DejaVuSans.ttf", fonts / "House-Regular.ttf")
    assert check(clinic) == {"d": "fonts/House-Regular.ttf changed"}
    assert clinic.run("build", "-j", "1").exit_code == 0
    used = {font.get_object()["/BaseFont"].split("+")[1]
            for page in PdfReader(clinic.pdf("d")).pages for font in page["/Resources"]["/Font"].values()}
    assert "DejaVuSans" in used and "NotoSans-Regular" not in used


def test_a_corrected_catalogue_makes_the_leaflets_in_its_language_stale(clinic):
    spanish = clinic.catalogues / "es.yaml"
    said = language.load_catalogue("es").words["contact"]
    edit(spanish, said, "Llámenos")
    assert check(clinic) == {"e": f"{spanish} changed"}
    assert clinic.run("build", "-j", "1").exit_code == 0
    assert "Llámenos" in words(page_texts(clinic.pdf("e"))[0]) and said not in words(page_texts(clinic.pdf("e"))[0])
    # English is every leaflet's catalogue, or the one a translation is checked against
    edit(clinic.catalogues / "en.yaml", "Key points", "Main points")
    assert check(clinic) == {stem: f"{clinic.catalogues / 'en.yaml'} changed" for stem in ALL}


def test_source_date_epoch_is_an_input_of_every_leaflet(clinic, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert check(clinic) == {stem: "SOURCE_DATE_EPOCH changed" for stem in ALL}
    assert clinic.run("build", "-j", "1").exit_code == 0
    assert PdfReader(clinic.pdf("d")).metadata.creation_date == dt.datetime(2023, 11, 14, 22, 13, 20,
                                                                              tzinfo=dt.timezone.utc)
    assert entry(clinic, "d")["environment"] == {"SOURCE_DATE_EPOCH": "1700000000"}
    assert check(clinic) == {}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert check(clinic) == {stem: "SOURCE_DATE_EPOCH changed" for stem in ALL}


def test_the_day_alone_makes_nothing_stale(clinic, monkeypatch):
    """The clock is read through the World but is not an input: only a review falling due is."""
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2027-06-01")
    assert check(clinic) == {}
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2030-01-01")  # past review_due: the notice prints
    assert set(check(clinic)) == set(ALL)


# -- nothing is read behind the World's back --------------------------------------------------------

# The child: an audit hook sees every file opened while the real command builds. A file of the
# project, its fonts or the builder's catalogues opened for reading must be opened by the World
# itself, or be a path the World read before (ReportLab draws a PNG logo by its recorded path).
AUDITED = r"""
import json, os, sys
sys.path.insert(0, os.environ["HANDOUT_BUILDER_REPO"])
from handout_builder import world as world_module
from handout_builder.inputs.language import CATALOGUES

root = os.path.realpath(os.getcwd())
output = os.path.join(root, "build")
watched = [root, os.path.realpath("fonts"), os.path.realpath(CATALOGUES)]
by_world, recorded, unrecorded, opened = [False], set(), [], []
read = world_module.World._read

def read_through_world(self, path, where, limit):
    by_world[0] = True
    try:
        return read(self, path, where, limit)
    finally:
        by_world[0] = False
        recorded.add(os.path.realpath(where))

world_module.World._read = read_through_world

def hook(event, args):
    if event != "open" or by_world[0] or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.realpath(os.fsdecode(args[0]))
    mode, flags = args[1], args[2] or 0
    if (mode and any(c in mode for c in "wax+")) or flags & (os.O_WRONLY | os.O_RDWR):
        return  # writing the PDFs and the manifest
    if path == output or path.startswith(output + os.sep) or not any(path.startswith(w + os.sep) for w in watched):
        return
    opened.append(path)
    if path not in recorded:
        unrecorded.append(path)

sys.addaudithook(hook)
import build_pdf
sys.argv = ["build_pdf.py", "build", "-j", "1"]
try:
    build_pdf.cli()
except SystemExit as exit:
    status = exit.code
during_build = list(unrecorded)
open(os.path.join(root, "layouts", "email.yaml"), "rb").close()  # the hook does see a read behind the World
sys.stderr.write("RESULT " + json.dumps({"status": status, "unrecorded": during_build, "opened": opened,
                                        "recorded": sorted(recorded), "after": unrecorded[len(during_build):]}) + "\n")
"""


def test_a_build_reads_no_file_except_through_the_world(project):
    make_clinic(project)
    project.write("fallbacks", MINIMAL.replace("Some words.", "Some words, ≥ 38 °C is 发烧."))
    run = subprocess.run([sys.executable, "-c", AUDITED], cwd=project.root, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "HANDOUT_BUILDER_REPO": str(REPO)})
    lines = [line for line in run.stderr.splitlines() if line.startswith("RESULT ")]
    assert lines, run.stderr
    result = json.loads(lines[0][7:])
    assert result["status"] in (0, None), run.stderr
    assert result["unrecorded"] == []
    assert result["after"] == [str((project.root / "layouts" / "email.yaml").resolve())]  # the hook can fail
    # what the World read is what the manifest says the leaflets were built from
    manifest = json.loads((project.root / "build" / "build-manifest.json").read_text())["pdfs"]
    world = World(project.root)
    inputs = {str(world.path(key).resolve()) for pdf in manifest.values() for key in pdf["inputs"]
              if "/*" not in key}
    # ... except the project's record of each version's words (build/versions.py): read through
    # the World too, but outside any leaflet's recording, as it is no input of a PDF
    record = str((project.root / "handouts" / "built-words.json").resolve())
    assert record in result["recorded"]
    assert inputs == set(result["recorded"]) - {record}
    assert str((project.root / "layouts" / "house.png").resolve()) in result["opened"]  # drawn by its recorded path
    assert str((project.root / "fonts" / "NotoSansSC-Subset-Regular.ttf").resolve()) in inputs
    assert len(manifest) == 6


# -- a new kind of input needs no change to the build, the manifest or the watch -----------------

def test_a_new_kind_of_input_read_through_the_world_is_recorded_checked_and_watched(project, monkeypatch):
    """As pictures will be: here the pipeline reads one more file for every leaflet."""
    from handout_builder.build.pipeline import Pipeline

    pictures = project.root / "pictures"
    pictures.mkdir()
    (pictures / "ward.png").write_bytes(png(40, 40))
    document = Pipeline.document

    def document_with_a_picture(self, path, layout_name=None):
        self.world.read_bytes(pictures / "ward.png")
        return document(self, path, layout_name)

    monkeypatch.setattr(Pipeline, "document", document_with_a_picture)
    project.write("x", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0
    assert "pictures/ward.png" in entry(project, "x")["inputs"]
    (pictures / "ward.png").write_bytes(png(40, 40, (200, 30, 30)))
    assert check(project) == {"x": "pictures/ward.png changed"}
    watched = Watched.of(Project(project.root), (), [Inputs(entry(project, "x")["inputs"])], World(project.root))
    assert pictures.resolve() in watched.folders
    assert watched.relevant(str(pictures / "ward.png"))
    assert not watched.relevant(str(pictures / "other.png"))  # not read: not an input


def test_the_watch_follows_what_was_read(project):
    project.write("x", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0
    world = World(project.root)
    watched = Watched.of(Project(project.root), (), [Inputs(entry(project, "x")["inputs"])], world)
    folders = set(watched.folders)
    assert {(project.root / "handouts").resolve(), (project.root / "layouts").resolve(),
            (project.root / "layouts" / "logos").resolve(), (project.root / "fonts").resolve(),
            language.CATALOGUES.resolve()} <= folders
    assert watched.relevant(str(project.root / "layouts" / "clinic-a4.yaml"))
    assert not watched.relevant(str(project.root / "layouts" / "email.yaml"))  # a layout x does not use
    assert watched.relevant(str(project.root / "handouts" / "new.yaml"))  # a new handout
    assert watched.relevant(str(project.root / "fonts" / "NotoSansMath-Regular.ttf"))
    assert not watched.relevant(str(project.root / "fonts" / "OFL.txt"))
    assert watched.relevant(str(language.CATALOGUES / "uk.yaml"))  # a new catalogue: the listing is an input
    assert not watched.relevant(str(project.root / "handouts" / ".x.yaml.swp"))


# -- saved while building; built in workers -------------------------------------------------------

@pytest.mark.parametrize("saved", ["handouts/x.yaml", "layouts/clinic-a4.yaml"])
def test_an_input_saved_while_its_leaflet_builds_leaves_it_stale(project, monkeypatch, saved):
    """The hash recorded is of the bytes the build read, so a save after the read is noticed."""
    from handout_builder.build.pipeline import Pipeline

    project.write("x", MINIMAL)
    render = Pipeline.render

    def render_and_save(self, document):
        path = project.root / saved
        path.write_text(path.read_text().replace("Some words.", "Saved words.").replace(
            "phone: 020 7946 0000", "phone: 020 7946 3333"))
        return render(self, document)

    monkeypatch.setattr(Pipeline, "render", render_and_save)
    assert project.run("build", "-j", "1").exit_code == 0
    monkeypatch.setattr(Pipeline, "render", render)
    assert check(project) == {"x": f"{saved} changed"}
    assert project.run("build", "-j", "1").exit_code == 0
    text = words(page_texts(project.pdf("x"))[0])
    assert "Saved words." in text or "020 7946 3333" in text
    assert check(project) == {}


def test_workers_send_back_the_same_record(project):
    make_clinic(project)
    assert project.run("build", "-j", "1", "-o", "one").exit_code == 0
    assert project.run("build", "-j", "2", "-o", "two").exit_code == 0
    one, two = ({name: (pdf["inputs"], pdf["environment"], pdf["output"]) for name, pdf in
                 json.loads((project.root / folder / "build-manifest.json").read_text())["pdfs"].items()}
                for folder in ("one", "two"))
    assert one == two and len(one) == 5
    assert project.run("build", "-o", "two", "--check").exit_code == 0


# -- a file whose hash alone is wanted is not held ------------------------------------------------

def test_a_file_only_hashed_is_recorded_but_its_bytes_are_not_held(tmp_path):
    """A layout names every script's fonts, and each is an input of its leaflets (is_file); a
    leaflet draws with few. The World records the others' hashes without keeping megabytes."""
    import hashlib
    import tracemalloc

    font = tmp_path / "fonts" / "Big.ttf"
    font.parent.mkdir()
    data = os.urandom(4 * 1024 * 1024)
    font.write_bytes(data)
    world = World(tmp_path)
    tracemalloc.start()
    try:
        with world.recording() as inputs:
            assert world.is_file(font)
            assert world.digest(font) == hashlib.sha256(data).hexdigest()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert inputs.files == {"fonts/Big.ttf": hashlib.sha256(data).hexdigest()}
    assert held < 1024 * 1024, f"the World holds {held} bytes after hashing a 4 MB file"
    # asked again in the same World: the hash first taken, not the file read again
    font.write_bytes(b"saved since")
    with world.recording() as again:
        assert world.digest(font) == hashlib.sha256(data).hexdigest()
    assert again.files == inputs.files
    # its bytes wanted later are read then, and what was read is what is recorded
    with world.recording() as read:
        assert world.read_bytes(font) == b"saved since"
        assert world.digest(font) == hashlib.sha256(b"saved since").hexdigest()
    assert read.files == {"fonts/Big.ttf": hashlib.sha256(b"saved since").hexdigest()}


def test_a_missing_or_unreadable_file_only_hashed_is_an_input_with_no_hash(tmp_path):
    world = World(tmp_path)
    (tmp_path / "folder.ttf").mkdir()
    with world.recording() as inputs:
        assert not world.is_file(tmp_path / "gone.ttf")
        assert not world.is_file(tmp_path / "folder.ttf")
    assert inputs.files == {"gone.ttf": None, "folder.ttf": None}
    with pytest.raises(OSError):
        world.read_bytes(tmp_path / "gone.ttf")
