"""Issue 18's smaller mistakes: a review date in the future, a layout name in capitals, a web or
e-mail address in the reading checks, and `check -l`'s help. (The YAML mistakes, each with its
exact message, are files in tests/broken/, run by test_corpus.py.)"""
from __future__ import annotations

from conftest import MINIMAL, check_json, layout_line, publishable
from handout_builder.checks.readability import sentences, words


def _findings(report: dict, field: str) -> list[tuple[int, str, str]]:
    return [(f["line"], f["level"], f["message"]) for f in report["findings"] if f["field"] == field]


def test_a_reviewed_date_in_the_future_is_a_warning(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-11-30")
    project.write("x", MINIMAL.replace("reviewed: 2026-11-01", "reviewed: 2062-11-01"))
    status, report = check_json(project)
    assert status == 0
    assert _findings(report, "reviewed") == [
        (3, "warning", "2062-11-01 is in the future (today is 2026-11-30); write the date the clinical review "
                       "was done")]
    result = project.run("build")
    assert result.exit_code == 0
    assert ("handouts/x.yaml:3: warning: reviewed: 2062-11-01 is in the future (today is 2026-11-30); write the "
            "date the clinical review was done") in result.stderr.splitlines()


def test_a_reviewed_date_of_today_or_before_is_not_warned_of(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-11-01")
    project.write("x", MINIMAL)
    assert _findings(check_json(project)[1], "reviewed") == []


def test_review_due_before_reviewed_is_an_error(project):
    project.write("x", MINIMAL.replace("reviewed: 2026-11-01", "reviewed: 2026-11-01\n    review_due: 2026-10-01"))
    status, report = check_json(project)
    assert status == 1
    assert _findings(report, "review_due") == [(4, "error", "2026-10-01 must be after reviewed (2026-11-01)")]


def test_web_and_email_addresses_count_as_one_word():
    text = ("See https://www.cancerresearchuk.org/about-cancer/childrens-cancer/sarcoma/treatment-2024.html or "
            "write to nurses.sarcoma@st-brigids.nhs.uk. Then read www.nhs.uk/conditions.")
    assert words(text) == ["See", "link", "or", "write", "to", "link", "Then", "read", "link"]
    assert [s.words for s in sentences(text, "en")] == [6, 3]


def test_a_long_web_address_does_not_make_a_sentence_too_long(project):
    address = "https://www.example.org/" + "/".join(["children", "cancer", "sarcoma", "treatment"] * 5)
    body = f"Read more about the medicines your child will have at {address} before you come in."
    project.write("x", publishable(MINIMAL.replace("Some words.", body)))
    status, report = check_json(project)
    assert [f for f in report["findings"] if f["check"] == "sentence-length"] == []
    project.write("x", publishable(MINIMAL.replace("Some words.", body.replace(address, "the page " * 20))))
    status, report = check_json(project)
    assert [f["check"] for f in report["findings"] if f["check"] == "sentence-length"] == ["sentence-length"]


def test_check_layout_help_says_nothing_is_written(project):
    help_text = " ".join(project.run("check", "--help").stdout.split())
    assert "Check every leaflet as laid out with this layout" in help_text
    assert "is then named" not in help_text


def test_a_layout_file_is_checked_as_a_layout(project):
    result = project.run("check", "layouts/clinic-a4.yaml")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "unknown field" not in result.stdout
    assert lines[1].split()[:3] == [f"layouts/clinic-a4.yaml:{layout_line('  body: 12')}", "note", "sizes.body"]
    assert "12 pt body text is below the 14 pt" in lines[1]
    assert lines[-1] == "1 layout checked: 0 errors, 0 warnings, 1 note"
    every = project.run("check", "layouts")
    assert every.exit_code == 0 and every.stdout.splitlines()[-1].startswith("6 layouts checked: 0 errors, ")


def test_a_broken_layout_file_is_checked_as_a_layout(project):
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("size: A4", "size: A7"))
    project.write("x", MINIMAL)
    result = project.run("check", "layouts/clinic-a4.yaml", "handouts/x.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "layouts/clinic-a4.yaml:4  error  page.size  'A7' is not a page size; use A4, A5, Letter, Legal or [width, "
        "height]",
        "1 leaflet and 1 layout checked: 1 error, 0 warnings, 0 notes"]


def test_an_unknown_layout_name_suggests_the_nearest(project):
    project.write("x", MINIMAL.replace("    sections:", "    layout: clinic-A4\n    sections:"))
    result = project.run("build")
    assert result.stderr.splitlines()[0] == ("handouts/x.yaml:6: layout: 'clinic-A4' is not a layout name (lower-case "
                                             "letters, digits and -) (did you mean 'clinic-a4'?)")
    project.write("x", MINIMAL.replace("    sections:", "    layout: clinic-a44\n    sections:"))
    result = project.run("build")
    assert result.stderr.splitlines()[0] == ("handouts/x.yaml:6: layout: unknown layout 'clinic-a44' (did you mean "
                                             "'clinic-a4'?); the layouts are booklet-a5, clinic-a4, clinic-letter, "
                                             "easy-read, email, large-print")
