"""Incremental builds: only leaflets whose inputs changed are rebuilt, the manifest records what
was built, `--check` reports what is stale, and a text change under an unchanged version warns."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from pypdf import PdfReader

import handout_builder
from conftest import MINIMAL, REPO, page_texts

LETTER = MINIMAL.replace("    sections:", "    layout: clinic-letter\n    sections:")


def _built(result) -> list[str]:
    """The stems of the leaflets a build says it wrote."""
    return sorted(line.split(" -> ")[1].split(":")[0].rsplit("/", 1)[1].removesuffix(".pdf")
                  for line in result.stdout.splitlines() if " -> " in line and "up to date" not in line)


def _up_to_date(result) -> list[str]:
    return sorted(line.split(" -> ")[0].removeprefix("handouts/").removesuffix(".yaml")
                  for line in result.stdout.splitlines() if line.endswith(": up to date"))


@pytest.fixture
def three(project):
    """Two leaflets on clinic-a4 and one on clinic-letter, built once."""
    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("Some words.", "Other words."))
    project.write("c", LETTER)
    first = project.run("build", "-j", "1")
    assert first.exit_code == 0, first.stderr
    assert _built(first) == ["a", "b", "c"]
    return project


def test_a_second_build_rebuilds_nothing_and_writes_nothing(three):
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (three.root / "build").rglob("*") if p.is_file()}
    again = three.run("build")
    assert again.exit_code == 0 and again.stderr == ""
    assert again.stdout.splitlines() == [f"handouts/{s}.yaml -> build/{s}.pdf: up to date" for s in "abc"]
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (three.root / "build").rglob("*") if p.is_file()}
    assert after == before


def test_the_manifest_records_inputs_and_output(three):
    manifest = json.loads((three.root / "build" / "build-manifest.json").read_text())
    assert sorted(manifest["pdfs"]) == ["a.pdf", "b.pdf", "c.pdf"]
    entry = manifest["pdfs"]["c.pdf"]
    pdf = three.pdf("c").read_bytes()
    assert entry["output"] == hashlib.sha256(pdf).hexdigest() and entry["size"] == len(pdf) and entry["pages"] == 2
    assert entry["source"] == "handouts/c.yaml"
    assert entry["inputs"]["handouts/c.yaml"] == hashlib.sha256((three.root / "handouts" / "c.yaml").read_bytes()).hexdigest()
    assert entry["inputs"]["layouts/clinic-letter.yaml"] == hashlib.sha256(
        (three.root / "layouts" / "clinic-letter.yaml").read_bytes()).hexdigest()
    # clinic-letter extends clinic-a4, whose logo it draws: both are inputs of the letter PDF too
    for inherited in ("layouts/clinic-a4.yaml", "layouts/logos/st-brigids.svg"):
        assert entry["inputs"][inherited] == hashlib.sha256((three.root / inherited).read_bytes()).hexdigest()
    assert {k for k in entry["inputs"] if k.startswith("fonts/")} == {
        "fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Bold.ttf", "fonts/NotoSans-Italic.ttf",
        "fonts/NotoSans-BoldItalic.ttf", "fonts/NotoSansMath-Regular.ttf", "fonts/DejaVuSans.ttf",
        "fonts/DejaVuSans-Bold.ttf", "fonts/NotoSansArabic-Regular.ttf", "fonts/NotoSansArabic-Bold.ttf",
        "fonts/NotoSansSC-Subset-Regular.ttf", "fonts/NotoSansSC-Subset-Bold.ttf",
        # the fonts of other scripts, which clinic-a4 names as fallbacks or for their languages
        "fonts/NotoSansTC-Subset-Regular.ttf", "fonts/NotoSansTC-Subset-Bold.ttf",
        *(f"fonts/{family}-{style}.ttf" for family in ("NotoSansHebrew", "NotoSansBengali", "NotoSansDevanagari",
                                                       "NotoSansGurmukhi", "NotoSansGujarati", "NotoSansTamil",
                                                       "NotoNastaliqUrdu") for style in ("Regular", "Bold"))}
    # the builder's own words come from the English catalogue: a correction to it rebuilds the leaflet
    assert [k for k in entry["inputs"] if k.endswith("catalogues/en.yaml")]
    assert entry["builder"].startswith(f"handout-builder {handout_builder.__version__}; reportlab ")
    assert (entry["version"], entry["reviewed"], entry["review_due"]) == ("1.0", "2026-11-01", "2029-11-01")


def test_a_changed_handout_rebuilds_only_that_leaflet(three):
    path = three.root / "handouts" / "b.yaml"
    path.write_text(path.read_text().replace("Other words.", "Other, better words."))
    check = three.run("build", "--check")
    assert check.exit_code == 1
    assert check.stdout == "handouts/b.yaml -> build/b.pdf: stale (handouts/b.yaml changed)\n"
    result = three.run("build")
    assert (_built(result), _up_to_date(result)) == (["b"], ["a", "c"])
    assert three.run("build", "--check").exit_code == 0


def test_a_changed_layout_rebuilds_every_leaflet_that_uses_it(three):
    letter = three.root / "layouts" / "clinic-letter.yaml"
    letter.write_text(letter.read_text().replace("margin_left: 0.9in", "margin_left: 1in"))
    result = three.run("build", "-v")
    assert (_built(result), _up_to_date(result)) == (["c"], ["a", "b"])
    assert "(layouts/clinic-letter.yaml changed)" in result.stdout
    # clinic-letter extends clinic-a4: the clinic's new phone number reaches every leaflet.
    layout = three.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("phone: 020 7946 0000", "phone: 020 7946 1111"))
    result = three.run("build", "-v")
    assert (_built(result), _up_to_date(result)) == (["a", "b", "c"], [])
    assert "(layouts/clinic-a4.yaml changed)" in result.stdout
    assert "020 7946 1111" in page_texts(three.pdf("c"))[0]


def test_a_changed_logo_rebuilds_the_leaflets_that_draw_it(three):
    logo = three.root / "layouts" / "logos" / "st-brigids.svg"
    logo.write_text(logo.read_text().replace("#1f4e79", "#1f4e7a"))
    result = three.run("build", "-v")
    assert (_built(result), _up_to_date(result)) == (["a", "b", "c"], [])
    assert "(layouts/logos/st-brigids.svg changed)" in result.stdout


def test_a_changed_font_file_rebuilds_every_leaflet_that_uses_it(three):
    # A third layout with a font family of its own, in files no other layout uses.
    fonts = three.root / "fonts"
    fonts.unlink()
    shutil.copytree(REPO / "fonts", fonts)
    shutil.copy(fonts / "NotoSans-Regular.ttf", fonts / "House-Regular.ttf")
    shutil.copy(fonts / "NotoSans-Bold.ttf", fonts / "House-Bold.ttf")
    a4 = (three.root / "layouts" / "clinic-a4.yaml").read_text()
    body = a4[a4.index("  body:\n"):a4.index("  fallbacks:")]
    (three.root / "layouts" / "house.yaml").write_text(a4.replace(body, (
        "  body:\n    name: House\n    regular: House-Regular.ttf\n    bold: House-Bold.ttf\n")))
    three.write("d", MINIMAL.replace("    sections:", "    layout: house\n    sections:"))
    result = three.run("build")
    assert result.stderr == "" and _built(result) == ["d"]  # the copied fonts have the same bytes
    assert _built(three.run("build")) == []
    # The clinic updates its house font: only the leaflet that uses it is rebuilt.
    shutil.copy(fonts / "DejaVuSans.ttf", fonts / "House-Regular.ttf")
    check = three.run("build", "--check")
    assert check.stdout == "handouts/d.yaml -> build/d.pdf: stale (fonts/House-Regular.ttf changed)\n"
    result = three.run("build")
    assert (_built(result), _up_to_date(result)) == (["d"], ["a", "b", "c"])
    # and it prints in the new font, even in a process that read the old file (as --watch is)
    fonts_used = {font.get_object()["/BaseFont"].split("+")[1]
                  for page in PdfReader(three.pdf("d")).pages for font in page["/Resources"]["/Font"].values()}
    assert "DejaVuSans" in fonts_used and "NotoSans-Regular" not in fonts_used


def test_a_new_builder_version_rebuilds_everything(three, monkeypatch):
    monkeypatch.setattr(handout_builder, "__version__", "99.0")
    check = three.run("build", "--check")
    assert check.exit_code == 1
    assert len(check.stdout.splitlines()) == 3
    assert all("builder changed (handout-builder " in line and "-> handout-builder 99.0;" in line
               for line in check.stdout.splitlines())
    assert _built(three.run("build", "-j", "1")) == ["a", "b", "c"]


def test_source_date_epoch_is_an_input(three, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _built(three.run("build")) == ["a", "b", "c"]
    assert _built(three.run("build")) == []


def test_a_deleted_or_hand_edited_pdf_is_rebuilt(three):
    good = three.pdf("b").read_bytes()
    three.pdf("a").unlink()
    # (the document information is packed in an object stream: an edit appended to the file)
    three.pdf("b").write_bytes(good + b"\n% opened and saved by hand\n")
    check = three.run("build", "--check")
    assert check.exit_code == 1
    assert check.stdout.splitlines() == ["handouts/a.yaml -> build/a.pdf: missing",
                                         "handouts/b.yaml -> build/b.pdf: stale (PDF changed since it was built)"]
    assert check.stderr == "2 of 3 leaflets need building: run build\n"
    assert _built(three.run("build")) == ["a", "b"]
    assert three.pdf("b").read_bytes() == good


def test_force_rebuilds_everything(three):
    assert _built(three.run("build", "--force")) == ["a", "b", "c"]


def test_check_writes_nothing_and_exits_0_when_all_are_current(project):
    project.write("a", MINIMAL)
    first = project.run("build", "--check")
    assert (first.exit_code, first.stdout) == (1, "handouts/a.yaml -> build/a.pdf: missing\n")
    assert not (project.root / "build").exists()
    project.run("build")
    done = project.run("build", "--check")
    assert (done.exit_code, done.stdout, done.stderr) == (0, "all 1 leaflets up to date\n", "")
    assert project.run("build", "--check", "-q").stdout == ""


def test_a_leaflet_that_fails_stays_stale(three):
    path = three.root / "handouts" / "a.yaml"
    path.write_text(path.read_text().replace("Some words.", "See [@nope]."))
    assert three.run("build").exit_code == 1
    check = three.run("build", "--check")
    assert check.stdout == "handouts/a.yaml -> build/a.pdf: stale (handouts/a.yaml changed)\n"


def test_each_output_folder_has_its_own_record(three):
    result = three.run("build", "-o", "elsewhere")
    assert _built(result) == ["a", "b", "c"]
    assert (three.root / "elsewhere" / "build-manifest.json").exists()
    assert _built(three.run("build", "-l", "clinic-letter")) == ["a-clinic-letter", "b-clinic-letter",
                                                                 "c-clinic-letter"]
    assert _built(three.run("build", "-l", "clinic-letter")) == []


def test_quiet_prints_nothing_and_verbose_says_why(three):
    path = three.root / "handouts" / "a.yaml"
    path.write_text(path.read_text().replace("Some words.", "Some more words."))
    assert three.run("build", "-q").stdout == ""
    path.write_text(path.read_text().replace("Some more words.", "Some other words."))
    verbose = three.run("build", "-v").stdout.splitlines()
    assert verbose[0].startswith("handouts/a.yaml -> build/a.pdf: 2 pages, ")
    assert verbose[0].endswith(" KB (handouts/a.yaml changed)")
    assert verbose[-1].startswith("1 built, 2 up to date, 0 failed in ")
    assert three.run("build", "-q", "-v").exit_code == 2


def test_changed_text_under_the_same_version_warns_until_the_version_is_raised(three):
    path = three.root / "handouts" / "b.yaml"
    warning = ('handouts/b.yaml: warning: the text changed but version is still "1.0"; '
               "raise version when the change is signed off\n")
    # A new review date, or a new layout, is not new text.
    path.write_text(path.read_text().replace("reviewed: 2026-11-01", "reviewed: 2026-11-20"))
    assert three.run("build").stderr == ""
    path.write_text(path.read_text().replace("Other words.", "Different words."))
    assert three.run("build").stderr == warning
    assert three.run("build").stderr == warning  # up to date, and still unsigned
    assert three.run("build", "--check").stderr == warning
    path.write_text(path.read_text().replace('version: "1.0"', 'version: "1.1"'))
    result = three.run("build")
    assert result.stderr == "" and _built(result) == ["b"]


def test_an_unreadable_manifest_means_rebuild_everything(three):
    (three.root / "build" / "build-manifest.json").write_text("{not json")
    assert _built(three.run("build")) == ["a", "b", "c"]
    assert _built(three.run("build")) == []


def test_problems_come_back_from_worker_processes(project):
    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("title: A leaflet", "tittle: A leaflet"))
    project.write("c", MINIMAL)
    result = project.run("build", "-j", "2")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["handouts/b.yaml:1: tittle: unknown field (did you mean 'title'?)",
                                          "1 of 3 leaflets not built"]
    assert _built(result) == ["a", "c"]


def test_two_handouts_that_would_write_one_pdf_are_refused_before_anything_is_written(project):
    project.write("a", MINIMAL)
    (project.root / "more").mkdir()
    (project.root / "more" / "a.yaml").write_text(MINIMAL.replace("Some words.", "Other words."), encoding="utf-8")
    result = project.run("build", "-j", "1", "handouts/a.yaml", "more/a.yaml")
    assert result.exit_code == 1
    said = [line for line in result.stderr.splitlines() if "a.pdf" in line]
    assert len(said) == 1, result.stderr
    assert said[0].startswith("more/a.yaml: ") and "handouts/a.yaml" in said[0]
    assert not (project.root / "build" / "a.pdf").exists()  # neither written: no leaflet is lost


def test_a_pdf_built_from_another_handout_that_still_exists_is_not_written_over(project):
    project.write("a", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0
    before = (project.root / "build" / "a.pdf").read_bytes()
    (project.root / "more").mkdir()
    (project.root / "more" / "a.yaml").write_text(MINIMAL.replace("Some words.", "Other words."), encoding="utf-8")
    result = project.run("build", "-j", "1", "more/a.yaml")
    assert result.exit_code == 1
    assert "more/a.yaml: " in result.stderr and "handouts/a.yaml" in result.stderr
    assert (project.root / "build" / "a.pdf").read_bytes() == before
    # Once that handout is gone, its PDF's name is free for the other.
    (project.root / "handouts" / "a.yaml").unlink()
    again = project.run("build", "-j", "1", "more/a.yaml")
    assert again.exit_code == 0, again.stderr
    assert "Other words." in " ".join(page_texts(project.root / "build" / "a.pdf"))
