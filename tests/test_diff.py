"""`diff`: the words that differ between two builds, section by section, read back from the PDFs."""
from __future__ import annotations

import shutil

import pytest

LEAFLET = """\
    title: Going home after surgery
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Ward 7 nurses]
    contact: Call Ward 7 on 020 7946 0999.
    summary:
      - Keep the wound dry for 5 days.
    sections:
      - heading: Looking after the wound
        body: |
          Keep the dressing on for 5 days. After that your child can have a shower.
      - heading: A long heading about pain relief at home that has to wrap onto a second line
        body: |
{long}
      - heading: When to call us
        body: Call us if the wound is red, hot or leaking.
    references:
      - id: guide
        authors: [Ward 7 nurses]
        title: Wound care at home
        publisher: St Brigid's
        year: 2026
"""
LONG = "\n".join(f"          Paragraph {n}: give paracetamol every 6 hours if your child needs it.\n"
                 for n in range(30))


@pytest.fixture
def leaflet(project):
    path = project.write("home", LEAFLET.format(long=LONG))
    assert project.run("build").exit_code == 0
    return project, path


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_no_change_exits_0(leaflet):
    project, _ = leaflet
    result = project.run("diff", "handouts/home.yaml")
    assert (result.exit_code, result.stdout) == (
        0, "same words: build/home.pdf and handouts/home.yaml (as it would build now)\n")


def test_a_one_word_change_prints_the_word_and_its_section(leaflet):
    project, path = leaflet
    _edit(path, "have a shower", "have a bath")
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "--- build/home.pdf\n"
        "+++ handouts/home.yaml (as it would build now)\n"
        "\n"
        "Looking after the wound\n"
        "  ...your child can have a [-shower.-] {+bath.+}\n"
        "\n"
        "1 section differs\n")


def test_a_change_on_a_later_page_is_put_under_its_section(leaflet):
    project, path = leaflet
    _edit(path, "Paragraph 27: give paracetamol every 6 hours", "Paragraph 27: give paracetamol every 4 hours")
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[3] == "A long heading about pain relief at home that has to wrap onto a second line"
    assert lines[4] == "  ...Paragraph 27: give paracetamol every [-6-] {+4+} hours if your child needs..."


def test_two_pdfs_compare_the_same_way(leaflet):
    project, path = leaflet
    shutil.copy(project.pdf("home"), project.root / "old.pdf")
    _edit(path, "red, hot or leaking", "red, hot, swollen or leaking")
    project.run("build")
    result = project.run("diff", "old.pdf", "build/home.pdf")
    assert result.exit_code == 1
    assert result.stdout == ("--- old.pdf\n+++ build/home.pdf\n\nWhen to call us\n"
                             "  ...if the wound is red, [-hot-] {+hot, swollen+} or leaking.\n"
                             "\n1 section differs\n")
    assert project.run("diff", "build/home.pdf", "build/home.pdf").exit_code == 0


def test_version_and_key_points_are_compared_too(leaflet):
    project, path = leaflet
    _edit(path, 'version: "1.0"', 'version: "1.1"')
    _edit(path, "dry for 5 days", "dry for 7 days")
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1
    text = result.stdout
    assert "Key points\n  ...Keep the wound dry for [-5-] {+7+} days.\n" in text  # a bookmark of its own
    assert "Contact us\n  ...by: Ward 7 nurses. Version [-1.0,-] {+1.1,+} reviewed 1 November 2026.\n" in text
    assert "Page header and footer\n" in text and "Version [-1.0-] {+1.1+} · Reviewed 1 November 2026\n" in text
    assert "Page 1 of" not in text  # page numbers are not words the family reads differently


def test_a_renamed_heading_is_one_section_renamed(leaflet):
    project, path = leaflet
    _edit(path, "heading: When to call us", "heading: When to phone us")
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3:6] == ["When to phone us (heading was: When to call us)", "",
                                               "1 section differs"]


def test_sections_added_and_removed(leaflet):
    project, path = leaflet
    _edit(path, "  - heading: Looking after the wound\n    body: |\n      Keep the dressing on for 5 days. "
          "After that your child can have a shower.\n", "")
    path.write_text(path.read_text().replace(
        "references:", "  - heading: School\n    body: Your child can go back after a week.\nreferences:"))
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1
    text = result.stdout
    assert ("Looking after the wound (section removed)\n"
            "  [-Keep the dressing on for 5 days. After that your child can have a shower.-]") in text
    assert "School (new section)\n  {+Your child can go back after a week." in text


def test_nothing_to_compare_with_exits_2(project):
    project.write("x", LEAFLET.format(long=LONG))
    result = project.run("diff", "handouts/x.yaml")
    assert result.exit_code == 2
    assert result.stderr == "build/x.pdf: no PDF has been built here yet: nothing to compare with (run build first)\n"
    fake = project.root / "fake.pdf"
    fake.write_text("not a pdf")
    try:
        bad = project.run("diff", "fake.pdf", "fake.pdf")
        assert bad.exit_code == 2 and bad.stderr.startswith("fake.pdf: cannot read it as a PDF")
        assert project.run("diff", "fake.pdf").exit_code == 2  # a PDF needs a second one
    finally:
        fake.unlink()  # not a PDF the builder made: the suite's check of every PDF need not read it


def test_a_handout_with_problems_exits_2(leaflet):
    project, path = leaflet
    _edit(path, "title: Going home", "tittle: Going home")
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("handouts/home.yaml:1: tittle: unknown field (did you mean 'title'?)")


@pytest.mark.parametrize("marks", ["\u201cclean\u201d", "\u00ab\u202fclean\u202f\u00bb", "'clean'"])
def test_a_change_of_quote_style_only_is_no_change_of_the_words(leaflet, marks):
    # The PDF built from "clean" prints “clean” (English quotes); written another way it is the same word.
    project, path = leaflet
    _edit(path, "Keep the dressing on for 5 days.", 'Keep the dressing "clean" for 5 days.')
    assert project.run("build").exit_code == 0
    _edit(path, '"clean"', marks)
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 0, result.stdout


def test_a_quoted_word_that_changes_is_still_a_change(leaflet):
    project, path = leaflet
    _edit(path, "Keep the dressing on for 5 days.", 'Keep the dressing "clean" for 5 days.')
    assert project.run("build").exit_code == 0
    _edit(path, '"clean"', '"dry"')
    result = project.run("diff", "handouts/home.yaml")
    assert result.exit_code == 1 and "dry" in result.stdout
