"""The stage cache beside the manifest (build/stage_cache.py): after a change to any kind of input,
a build that reuses what the last build kept writes exactly the PDFs a build from clean writes,
and reuses the kept stages only where the change cannot touch them."""
from __future__ import annotations

import hashlib
import pickle
import shutil

import pytest

import handout_builder
import handout_builder.build.batch as batch
import handout_builder.checks.quality as quality
import handout_builder.build.stage_cache as stage_cache
import handout_builder.inputs.language as language
import handout_builder.text.document as document_stage
from conftest import MINIMAL, REPO, own_fonts_and_catalogues

KINDS = ("handout", "layout", "logo", "font", "catalogue", "builder version", "builder code")


def _pdfs(folder) -> dict[str, str]:
    return {pdf.name: hashlib.sha256(pdf.read_bytes()).hexdigest() for pdf in sorted(folder.glob("*.pdf"))}


@pytest.fixture
def counted(monkeypatch):
    """The stems of the handouts whose Markdown was parsed, and whose words were checked, by
    builds in this process (a stem missing here was taken from the cache)."""
    parsed, checked = [], []
    # Patched where they live: the pipeline imports them when it first needs them (`list` never does).
    parse, review_words = document_stage.parse, quality.review_words

    def counting_parse(handout):
        parsed.append(handout.stem)
        return parse(handout)

    def counting_review(document, target):
        checked.append(document.handout.stem)
        return review_words(document, target)

    monkeypatch.setattr(document_stage, "parse", counting_parse)
    monkeypatch.setattr(quality, "review_words", counting_review)
    return parsed, checked


@pytest.fixture
def two(project, monkeypatch, tmp_path):
    """Two leaflets on clinic-a4 built once, with fonts and the builder's word catalogues of
    their own (so that one can change)."""
    own_fonts_and_catalogues(project, monkeypatch, tmp_path)
    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("Some words.", "Other words, in **bold**."))
    first = project.run("build", "-j", "1")
    assert first.exit_code == 0, first.stderr
    return project


def _change(kind: str, project, monkeypatch, tmp_path) -> None:
    root = project.root
    if kind == "handout":
        (root / "handouts" / "a.yaml").write_text((root / "handouts" / "a.yaml").read_text().replace(
            "Some words.", "Some new words."), encoding="utf-8")
    elif kind == "layout":
        layout = root / "layouts" / "clinic-a4.yaml"
        layout.write_text(layout.read_text().replace("phone: 020 7946 0000", "phone: 020 7946 0123"), encoding="utf-8")
    elif kind == "logo":
        logo = root / "layouts" / "logos" / "st-brigids.svg"
        logo.write_text(logo.read_text().replace('fill="#1f4e79"', 'fill="#2a6f3f"'), encoding="utf-8")
    elif kind == "font":  # headings are bold: print them in another bold face
        bold = root / "fonts" / "NotoSans-Bold.ttf"
        bold.unlink()
        shutil.copy(REPO / "fonts" / "DejaVuSans-Bold.ttf", bold)
    elif kind == "catalogue":  # the builder's own words
        english = language.CATALOGUES / "en.yaml"
        english.write_text(english.read_text().replace("page_of: \"Page {page}", "page_of: \"Sheet {page}"),
                           encoding="utf-8")
    elif kind == "builder version":
        monkeypatch.setattr(handout_builder, "__version__", handout_builder.__version__ + "+1")
    elif kind == "builder code":  # a check edited in a checkout, the version number unchanged
        monkeypatch.setattr(stage_cache, "_code", "0" * 64)
        monkeypatch.setattr(batch, "_stage_caches", {})  # as the next process would: made afresh


@pytest.mark.parametrize("kind", KINDS)
def test_a_build_after_each_kind_of_change_is_the_build_from_clean(kind, two, counted, monkeypatch, tmp_path):
    parsed, checked = counted
    before = _pdfs(two.root / "build")
    _change(kind, two, monkeypatch, tmp_path)

    # the manifest does not know the builder's code: a developer rebuilds with --force
    again = two.run("build", "-j", "1", *(["--force"] if kind == "builder code" else []))
    assert again.exit_code == 0, again.stderr
    # Only what the change can touch is worked out again: the handout edited, or everything when
    # the builder is another; a layout, logo, font or catalogue leaves the words' stages as kept.
    redone = {"handout": ["a"], "builder version": ["a", "b"], "builder code": ["a", "b"]}.get(kind, [])
    assert parsed == redone and checked == redone
    rebuilt = _pdfs(two.root / "build")
    if kind not in ("builder version", "builder code"):
        assert rebuilt != before  # the change shows in the PDFs, so the comparison below means something

    clean = two.run("build", "-j", "1", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert sorted(parsed[len(redone):]) == ["a", "b"]  # an empty folder keeps nothing yet
    assert rebuilt == _pdfs(two.root / "clean")


def test_an_unchanged_handout_is_parsed_once_across_builds_and_layouts(two, counted):
    parsed, checked = counted
    layout = two.root / "layouts" / "clinic-a4.yaml"
    for phone in ("020 7946 0001", "020 7946 0002"):
        layout.write_text(layout.read_text().replace("phone: 020 7946 000", f"phone: {phone[:-1]}", 1)
                          .replace(f"phone: {phone[:-1]}0", f"phone: {phone}"), encoding="utf-8")
        assert two.run("build", "-j", "1").exit_code == 0
    assert parsed == [] and checked == []
    assert (two.root / "build" / "build-cache").is_dir()
    assert two.run("build", "-j", "1", "-l", "large-print", "--force").exit_code == 0
    assert parsed == [] and checked == [], "the same handout in another layout reuses its parsed words"


def test_a_handout_made_wrong_is_refused_not_taken_from_the_cache(two, counted):
    path = two.root / "handouts" / "a.yaml"
    original = path.read_text()
    path.write_text(original.replace("reviewed: 2026-11-01", "reviewed: 2026-13-01"), encoding="utf-8")
    result = two.run("build", "-j", "1")
    assert result.exit_code == 1
    assert "handouts/a.yaml:3: reviewed: '2026-13-01' is not a date" in result.stderr
    # put back as it was: the entry kept for those very bytes is right again, and used
    path.write_text(original, encoding="utf-8")
    parsed, _ = counted
    parsed.clear()
    assert two.run("build", "-j", "1").exit_code == 0
    assert parsed == []


def test_a_corrupt_or_deleted_cache_is_rebuilt_and_the_pdfs_are_the_same(two, counted):
    parsed, _ = counted
    cache = two.root / "build" / "build-cache"
    entries = sorted(entry for entry in cache.iterdir() if not entry.name.startswith("pages-"))  # the words' entries
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # torn
    entries[1].write_bytes(pickle.dumps({"not": "an entry"}))
    before = _pdfs(two.root / "build")
    assert two.run("build", "-j", "1", "--force").exit_code == 0
    assert sorted(parsed) == ["a", "b"] and _pdfs(two.root / "build") == before
    shutil.rmtree(cache)
    parsed.clear()
    assert two.run("build", "-j", "1", "--force").exit_code == 0
    assert sorted(parsed) == ["a", "b"] and _pdfs(two.root / "build") == before
    parsed.clear()
    assert two.run("build", "-j", "1", "--force").exit_code == 0
    assert parsed == []  # written again: used again


def test_the_kept_entry_still_makes_the_handout_an_input_of_the_leaflet(two, counted):
    """Taken from the cache, the handout is still recorded as read: editing it rebuilds the PDF."""
    layout = two.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("phone: 020 7946 0000", "phone: 020 7946 0009"), encoding="utf-8")
    assert two.run("build", "-j", "1").exit_code == 0
    parsed, _ = counted
    assert parsed == []
    import json

    manifest = json.loads((two.root / "build" / "build-manifest.json").read_text())
    digest = hashlib.sha256((two.root / "handouts" / "a.yaml").read_bytes()).hexdigest()
    assert manifest["pdfs"]["a.pdf"]["inputs"]["handouts/a.yaml"] == digest
    assert two.run("build", "--check").exit_code == 0


def test_a_changed_picture_misses_the_cache_and_builds_as_from_clean(project, counted):
    """A picture is read by the document stage, which is never kept: the handout's parsed words
    and their checks are reused, but the changed picture is drawn and checked afresh (a picture
    made pale gets the easy-read layout's contrast warning), as a build from clean does."""
    from PIL import Image

    parsed, checked = counted
    picture = project.root / "handouts" / "images" / "card.png"
    picture.parent.mkdir(parents=True, exist_ok=True)

    def draw(background, square):
        image = Image.new("RGB", (900, 900), background)
        image.paste(square, (300, 300, 600, 600))
        image.save(picture)

    draw((255, 255, 255), (20, 20, 20))
    project.write("a", MINIMAL.replace("        body: Some words.",
                                       "        body: |\n          ![A square](images/card.png) Look at the square."))
    first = project.run("build", "-j", "1", "-l", "easy-read")
    assert first.exit_code == 0, first.stderr
    assert "contrast of" not in first.stdout + first.stderr
    before = _pdfs(project.root / "build")
    parsed.clear(), checked.clear()

    draw((235, 235, 235), (200, 200, 200))
    again = project.run("build", "-j", "1", "-l", "easy-read")
    assert again.exit_code == 0, again.stderr
    assert parsed == [] and checked == []  # the handout did not change: its words were kept
    assert "contrast of 1.4:1" in again.stdout + again.stderr  # the picture did: checked again
    rebuilt = _pdfs(project.root / "build")
    assert rebuilt != before
    clean = project.run("build", "-j", "1", "-l", "easy-read", "-o", "clean")
    assert clean.exit_code == 0, clean.stderr
    assert rebuilt == _pdfs(project.root / "clean")


def test_a_layouts_writing_rules_judge_the_kept_sentences(project, counted):
    """The checks of the words are kept for the handout, the writing rules belong to the layout:
    laid out in Easy Read after a build in clinic-a4, the kept sentences get Easy Read's warnings."""
    parsed, checked = counted
    project.write("a", MINIMAL.replace("    title:", "    layout: easy-read\n    title:", 1)
                  .replace("Some words.", "Take the temperature. Write it down."))
    first = project.run("build", "-j", "1", "-l", "clinic-a4")
    assert first.exit_code == 0, first.stderr
    assert "asks for one" not in first.stdout + first.stderr
    parsed.clear(), checked.clear()
    again = project.run("build", "-j", "1")
    assert again.exit_code == 0, again.stderr
    assert parsed == [] and checked == []
    assert "paragraph of 2 sentences (this layout, easy-read, asks for one)" in again.stdout + again.stderr
