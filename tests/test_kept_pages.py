"""Kept pages (render/kept_pages.py, build/stage_cache.py's pages entries): after a layout change
that reaches only the page furniture, a build draws the new header and footer round the story's
kept pages, and writes byte for byte the PDF a build from clean writes; after any change that
reaches the story, the kept pages are never used."""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
import shutil
import subprocess
import sys
import zlib

import pytest

import handout_builder.build.batch as batch
import handout_builder.build.pipeline as pipeline_module
import handout_builder.build.stage_cache as stage_cache
import handout_builder.inputs.language as language
import handout_builder.render.pages as pages_module
from conftest import MINIMAL, REPO, own_fonts_and_catalogues
from handout_builder.model import CHECKS, EACH, FURNITURE, STORY, Layout, classified, declared, declarations

# A leaflet with what a story draws besides text: a list's bullets (ReportLab's own fonts), links
# to the references and to the web, bookmarks, a table, boxes and a QR code.
SHIPPED = "fever-and-infection"


def _pdfs(folder) -> dict[str, str]:
    return {pdf.name: hashlib.sha256(pdf.read_bytes()).hexdigest() for pdf in sorted(folder.glob("*.pdf"))}


@pytest.fixture
def counted(monkeypatch):
    """The stems of the leaflets laid out anew, and of those drawn from kept pages, in this process."""
    laid_out, from_kept = [], []
    laid, drawn = pipeline_module.Pipeline._laid_out, pages_module.draw_kept

    def counting_laid_out(self, document):
        laid_out.append(document.handout.stem)
        return laid(self, document)

    def counting_drawn(document, *args):
        result = drawn(document, *args)
        from_kept.append(document.handout.stem)
        return result

    monkeypatch.setattr(pipeline_module.Pipeline, "_laid_out", counting_laid_out)
    monkeypatch.setattr(pages_module, "draw_kept", counting_drawn)
    return laid_out, from_kept


@pytest.fixture
def built(project, monkeypatch, tmp_path):
    """A minimal leaflet and a shipped one on clinic-a4, built once; fonts and the builder's word
    catalogues of their own, so that one can change."""
    own_fonts_and_catalogues(project, monkeypatch, tmp_path)
    project.write("a", MINIMAL)
    shutil.copy(REPO / "handouts" / f"{SHIPPED}.yaml", project.root / "handouts")
    first = project.run("build", "-j", "1")
    assert first.exit_code == 0, first.stderr
    return project


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _layout(project):
    return project.root / "layouts" / "clinic-a4.yaml"


FURNITURE_CHANGES = {
    "phone": lambda p: _edit(_layout(p), "phone: 020 7946 0000", "phone: 020 7946 0123"),
    "web": lambda p: _edit(_layout(p), "web: www.example.org/sarcoma", "web: www.example.org/children"),
    "organisation": lambda p: _edit(_layout(p), "organisation: St Brigid's Children's Hospital",
                                    "organisation: St Brigid's Hospital for Children"),
    "department": lambda p: _edit(_layout(p), "en: Children's Sarcoma Service", "en: Sarcoma Unit"),
    "logo file": lambda p: _edit(p.root / "layouts" / "logos" / "st-brigids.svg", 'fill="#1f4e79"',
                                 'fill="#2a6f3f"'),
    "logo alt text": lambda p: _edit(_layout(p), "en: St Brigid's Children's Hospital logo", "en: Our logo"),
    "logo height": lambda p: _edit(_layout(p), "height: 8mm", "height: 7mm"),
    "viewer": lambda p: _edit(_layout(p), "open_bookmarks: false", "open_bookmarks: true"),
}


@pytest.mark.parametrize("kind", FURNITURE_CHANGES)
def test_a_furniture_change_draws_the_kept_pages_and_writes_the_build_from_clean(kind, built, counted):
    laid_out, from_kept = counted
    before = _pdfs(built.root / "build")
    FURNITURE_CHANGES[kind](built)
    again = built.run("build", "-j", "1")
    assert again.exit_code == 0, again.stderr
    assert laid_out == [] and sorted(from_kept) == ["a", SHIPPED]  # nothing laid out again
    rebuilt = _pdfs(built.root / "build")
    assert rebuilt != before  # the change shows, so the comparison below means something

    clean = built.run("build", "-j", "1", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert sorted(laid_out) == ["a", SHIPPED] and sorted(from_kept) == ["a", SHIPPED]
    assert rebuilt == _pdfs(built.root / "clean")


def _font(project) -> None:  # headings are bold: print them in another bold face
    bold = project.root / "fonts" / "NotoSans-Bold.ttf"
    bold.unlink()
    shutil.copy(REPO / "fonts" / "DejaVuSans-Bold.ttf", bold)


STORY_CHANGES = {
    "margin": lambda p: _edit(_layout(p), "margin_left: 22mm", "margin_left: 24mm"),
    "page size": lambda p: _edit(_layout(p), "size: A4 ", "size: Letter "),
    "body size": lambda p: _edit(_layout(p), "body: 12\n", "body: 12.5\n"),
    "spacing": lambda p: _edit(_layout(p), "paragraph: 7 ", "paragraph: 8 "),
    "colour": lambda p: _edit(_layout(p), 'muted: "#4d4d4d"', 'muted: "#404040"'),  # the subtitle's too
    "furniture size": lambda p: _edit(_layout(p), "furniture: 9 ", "furniture: 8.5 "),
    "QR code": lambda p: _edit(_layout(p), "size: 25mm", "size: 30mm"),
    "font file": _font,
    "handout": lambda p: _edit(p.root / "handouts" / f"{SHIPPED}.yaml", "Cancer cells divide quickly.",
                               "Cancer cells divide very quickly."),
    "catalogue": lambda p: _edit(language.CATALOGUES / "en.yaml", "key_points: Key points", "key_points: Main points"),
}


@pytest.mark.parametrize("kind", STORY_CHANGES)
def test_a_change_that_reaches_the_story_never_uses_the_kept_pages(kind, built, counted):
    laid_out, from_kept = counted
    STORY_CHANGES[kind](built)
    again = built.run("build", "-j", "1", "--force")
    assert again.exit_code == 0, again.stderr
    assert SHIPPED in laid_out and SHIPPED not in from_kept
    rebuilt = _pdfs(built.root / "build")
    clean = built.run("build", "-j", "1", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert rebuilt == _pdfs(built.root / "clean")


def test_the_builders_code_changed_never_uses_the_kept_pages(built, counted, monkeypatch):
    laid_out, from_kept = counted
    monkeypatch.setattr(stage_cache, "_code", "0" * 64)
    monkeypatch.setattr(batch, "_stage_caches", {})  # as the next process would: made afresh
    FURNITURE_CHANGES["phone"](built)
    assert built.run("build", "-j", "1").exit_code == 0
    assert sorted(laid_out) == ["a", SHIPPED] and from_kept == []


def test_a_logo_taken_away_lays_out_anew(built, counted):
    """Page 1's header reads the logo before the story: without it the story's marked-content
    ids on page 1 are others, so the kept pages do not fit, and the leaflet is laid out again."""
    laid_out, from_kept = counted
    layout = _layout(built)
    text = layout.read_text(encoding="utf-8")
    layout.write_text(re.sub(r"\nlogo:.*?\n(?=emphasis:)", "\n", text, flags=re.S), encoding="utf-8")
    assert built.run("build", "-j", "1").exit_code == 0
    assert sorted(laid_out) == ["a", SHIPPED] and from_kept == []
    rebuilt = _pdfs(built.root / "build")
    assert built.run("build", "-j", "1", "-o", "clean").exit_code == 0
    assert rebuilt == _pdfs(built.root / "clean")


def _read(entry):
    return pickle.loads(zlib.decompress(entry.read_bytes()))


def _write(entry, kept) -> None:
    entry.write_bytes(zlib.compress(stage_cache._pickled(kept)))


def _pages_entries(project):
    return sorted((project.root / "build" / "build-cache").glob("pages-*.pickle"))


def test_a_corrupt_foreign_or_deleted_pages_entry_is_laid_out_anew(built, counted):
    laid_out, from_kept = counted
    before = _pdfs(built.root / "build")
    entries = _pages_entries(built)
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # torn
    kept = _read(entries[1])
    _write(entries[1], dataclasses.replace(kept, identity="another builder"))
    assert built.run("build", "-j", "1", "--force").exit_code == 0
    assert sorted(laid_out) == ["a", SHIPPED] and from_kept == []
    assert _pdfs(built.root / "build") == before
    shutil.rmtree(built.root / "build" / "build-cache")
    laid_out.clear()
    assert built.run("build", "-j", "1", "--force").exit_code == 0
    assert sorted(laid_out) == ["a", SHIPPED] and _pdfs(built.root / "build") == before
    laid_out.clear()
    assert built.run("build", "-j", "1", "--force").exit_code == 0
    assert laid_out == [] and sorted(from_kept) == ["a", SHIPPED]  # written again: used again
    assert _pdfs(built.root / "build") == before


def test_an_entry_that_unpickles_but_is_not_whole_is_laid_out_anew(built, counted):
    """Kept pages whose glyphs or fonts are missing (a file written by hand, or by a broken
    builder) give no traceback: the leaflet is laid out again, as from clean."""
    laid_out, from_kept = counted
    before = _pdfs(built.root / "build")
    for entry in _pages_entries(built):
        kept = _read(entry)
        kept.pages.glyphs.clear()
        kept.pages.fonts.clear()
        _write(entry, kept)
    assert built.run("build", "-j", "1", "--force").exit_code == 0
    assert sorted(laid_out) == ["a", SHIPPED] and from_kept == []
    assert _pdfs(built.root / "build") == before


EASY_READ = "easy-read-fever-and-infection"  # SVG pictures, the same one shown many times (one form)


@pytest.fixture
def with_pictures(project):
    """A leaflet with a PNG (an image XObject) and the shipped Easy Read one (SVG pictures:
    forms), built once."""
    from PIL import Image

    picture = project.root / "handouts" / "images" / "card.png"
    picture.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 300), (20, 20, 20)).save(picture)
    project.write("a", MINIMAL.replace("        body: Some words.",
                                       "        body: |\n          ![A square](images/card.png) Look at the square."))
    shutil.copy(REPO / "handouts" / f"{EASY_READ}.yaml", project.root / "handouts")
    shutil.copytree(REPO / "handouts" / "images", project.root / "handouts" / "images", dirs_exist_ok=True)
    first = project.run("build", "-j", "1")
    assert first.exit_code == 0, first.stderr
    return project


def test_a_story_with_pictures_is_kept_and_drawn_again_as_from_clean(with_pictures, counted):
    """A picture makes an image or form of the document: kept as a step with the picture, it is
    drawn again in its place after a furniture change, and the file is the build from clean's."""
    laid_out, from_kept = counted
    assert len(_pages_entries(with_pictures)) == 2
    before = _pdfs(with_pictures.root / "build")
    FURNITURE_CHANGES["phone"](with_pictures)
    again = with_pictures.run("build", "-j", "1")
    assert again.exit_code == 0, again.stderr
    assert laid_out == [] and sorted(from_kept) == ["a", EASY_READ]
    rebuilt = _pdfs(with_pictures.root / "build")
    assert rebuilt != before
    clean = with_pictures.run("build", "-j", "1", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert sorted(laid_out) == ["a", EASY_READ]
    assert rebuilt == _pdfs(with_pictures.root / "clean")


def _repaint(project) -> None:  # the PNG in another colour: other pixels, another image
    from PIL import Image

    Image.new("RGB", (300, 300), (200, 20, 20)).save(project.root / "handouts" / "images" / "card.png")


PICTURE_CHANGES = {
    "png": _repaint,
    "svg": lambda p: _edit(p.root / "handouts" / "images" / "thermometer.svg", "<svg", "<svg data-changed=\"1\""),
}


@pytest.mark.parametrize("kind", PICTURE_CHANGES)
def test_a_changed_picture_never_uses_the_kept_pages(kind, with_pictures, counted):
    laid_out, from_kept = counted
    PICTURE_CHANGES[kind](with_pictures)
    again = with_pictures.run("build", "-j", "1")
    assert again.exit_code == 0, again.stderr
    changed = "a" if kind == "png" else EASY_READ
    assert changed in laid_out and changed not in from_kept
    rebuilt = _pdfs(with_pictures.root / "build")
    clean = with_pictures.run("build", "-j", "1", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert rebuilt == _pdfs(with_pictures.root / "clean")


def test_kept_pages_drawn_in_a_fresh_process_are_the_build_from_clean(built, tmp_path):
    """The fonts the kept story draws with are registered by the process that draws it (no
    story was made there to register them)."""
    FURNITURE_CHANGES["phone"](built)

    def build(*args):
        done = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", "-j", "1", *args],
                              cwd=built.root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done

    # the catalogues of the fixture are this process's own: a fresh process uses the shipped ones,
    # the same words
    build()
    assert _pages_entries(built)
    build("-o", "clean")
    assert _pdfs(built.root / "build") == _pdfs(built.root / "clean")


def test_every_layout_field_says_what_a_change_of_it_reaches():
    """Each field of a layout (and of the clinic's details, classified one by one) says whether a
    change of it reaches the story, the furniture or the checks, so that a new field cannot be
    forgotten: the kept pages are keyed by the story's fields (model.story_view)."""
    fields = classified(Layout)
    assert set(fields) == {name for name, _, _ in declarations(Layout)}
    assert set(fields.values()) <= {STORY, FURNITURE, CHECKS, EACH}
    for name, spec, _ in declarations(Layout):
        if spec.reaches == EACH:
            assert classified(spec.item)
    # what reaches only the furniture is what the header, footer and PDF settings show
    assert {name for name, reaches in fields.items() if reaches == FURNITURE} == {
        "show_title", "open_bookmarks", "booklet_sheet", "logo", "library_label", "email_draft"}
    assert classified(Layout.__dataclass_fields__["clinic"].metadata["spec"].item) == {
        "organisation": FURNITURE, "department": FURNITURE, "phone": FURNITURE, "web": FURNITURE,
        "country": STORY}

    @dataclasses.dataclass(frozen=True)
    class Forgotten:
        size: float = declared("number", 1.0)

    with pytest.raises(ValueError, match="Forgotten.size must say what a change of it reaches"):
        classified(Forgotten)


def test_a_disk_short_of_room_keeps_no_pages(project, monkeypatch, counted):
    """The PDFs, manifest and library page come first: with less room than ROOM_FOR_PAGES beside
    them, no pages are kept, and the build succeeds; the next build lays the leaflet out again."""
    laid_out, from_kept = counted
    monkeypatch.setattr(stage_cache, "ROOM_FOR_PAGES", 1 << 60)
    project.write("a", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0
    assert _pages_entries(project) == [] and project.pdf("a").is_file()
    assert project.run("build", "-j", "1", "--force").exit_code == 0
    assert laid_out == ["a", "a"] and from_kept == []
