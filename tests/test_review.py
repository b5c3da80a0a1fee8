"""Review dates: status in `list` with today injected, warnings from `build`, and the layout's
review-overdue notice on every page."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINIMAL, layout_line, page_texts
from handout_builder.text.review_dates import add_years, review_status

NOTICE = "Review overdue: check with the clinical team before use"
DUE = MINIMAL.replace("    sections:", "    review_due: 2027-06-30\n    sections:")


@pytest.mark.parametrize("today, shown", [
    ("2026-11-01", "current"),
    ("2027-03-31", "current"),         # 91 days ahead
    ("2027-04-01", "due in 90 days"),  # within 90 days
    ("2027-06-29", "due in 1 day"),
    ("2027-06-30", "due today"),
    ("2027-07-01", "overdue by 1 day"),
    ("2028-06-30", "overdue by 366 days"),
])
def test_review_status_across_dates(today, shown):
    assert str(review_status(dt.date(2027, 6, 30), dt.date.fromisoformat(today))) == shown


def test_review_is_due_three_years_after_reviewed_by_default():
    assert add_years(dt.date(2026, 11, 1), 3) == dt.date(2029, 11, 1)
    assert add_years(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)


def _status_column(result) -> dict[str, str]:
    lines = result.stdout.splitlines()
    start = lines[0].index("Review", lines[0].index("Layout"))
    end = lines[0].index("Language")
    return {line.split()[0]: line[start:end].strip() for line in lines[1:]}


def test_list_shows_review_status_with_today_injected(project, monkeypatch):
    project.write("due-set", DUE)
    project.write("default", MINIMAL)  # reviewed 2026-11-01: due 2029-11-01
    expected = {
        "2027-01-01": ("current", "current"),
        "2027-05-01": ("due in 60 days", "current"),
        "2029-09-01": ("overdue by 794 days", "due in 61 days"),
        "2029-11-02": ("overdue by 856 days", "overdue by 1 day"),
    }
    for today, (due_set, default) in expected.items():
        monkeypatch.setenv("HANDOUT_BUILDER_TODAY", today)
        result = project.run("list")
        assert result.exit_code == 0
        assert _status_column(result) == {"handouts/default.yaml": default, "handouts/due-set.yaml": due_set}


def test_a_bad_today_is_a_usage_error(project, monkeypatch):
    project.write("x", MINIMAL)
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "next week")
    result = project.run("list")
    assert result.exit_code == 2 and "HANDOUT_BUILDER_TODAY must be a date YYYY-MM-DD" in result.stderr


def test_build_warns_for_an_overdue_leaflet_and_prints_the_notice_on_every_page(project, monkeypatch):
    long_body = "\n".join(f"          Line {n} of a long part, long enough to need more than one page. " * 4
                          + "\n" for n in range(40))
    project.write("x", DUE.replace("        body: Some words.", "        body: |\n" + long_body))
    project.write("y", MINIMAL)
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2027-07-05")
    result = project.run("build")
    assert result.exit_code == 0
    assert result.stderr == ("handouts/x.yaml: warning: review overdue by 5 days (due 2027-06-30); "
                             "check it with the clinical team\n")
    pages = page_texts(project.pdf("x"))
    assert len(pages) >= 2
    for text in pages:
        assert text.splitlines()[1] == NOTICE  # under the running header, above the text
    assert NOTICE not in " ".join(page_texts(project.pdf("y")))
    # The warning comes again while the leaflet is up to date.
    assert project.run("build").stderr == result.stderr


def test_a_leaflet_becoming_overdue_is_rebuilt_with_the_notice(project, monkeypatch):
    project.write("x", DUE)
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2027-06-30")
    project.run("build")
    assert NOTICE not in page_texts(project.pdf("x"))[0]
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2027-07-01")
    check = project.run("build", "--check")
    assert check.stdout == "handouts/x.yaml -> build/x.pdf: stale (review became overdue)\n"
    project.run("build")
    assert NOTICE in page_texts(project.pdf("x"))[0]


def test_the_notice_is_a_layout_option(project, monkeypatch):
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("review_overdue_notice: true", "review_overdue_notice: false"))
    project.write("x", DUE)
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2030-01-01")
    result = project.run("build")
    assert result.exit_code == 0 and "review overdue" in result.stderr  # still warned
    assert NOTICE not in page_texts(project.pdf("x"))[0]
    layout.write_text(layout.read_text().replace("review_overdue_notice: false", "review_overdue_notice: sometimes"))
    bad = project.run("build")
    assert bad.exit_code == 1
    assert bad.stderr.splitlines()[0] == (f"layouts/clinic-a4.yaml:{layout_line('review_overdue_notice:')}: review_overdue_notice: must be true or "
                                          "false, not 'sometimes'")
