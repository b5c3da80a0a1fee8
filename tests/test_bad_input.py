"""Mistakes across a file and across a batch: `check` lists every problem at once, a failed build
keeps the last good PDF, and one bad leaflet does not stop the others. Each single kind of
mistake, with its exact message, is a file in the corpus (tests/broken/, run by test_corpus.py)."""
from __future__ import annotations

from conftest import MINIMAL, as_problem, table_rows

GOOD_TOP = 'title: A leaflet\nversion: "1.0"\nreviewed: 2026-11-01\n'


def test_check_reports_every_problem_in_a_file_at_once(project):
    project.write("x", """\
        title: Test
        tittle: x
        version: 1.0
        reviewed: 2026-13-01
        sections:
          - heading: One
            body: See [@nope] and [@ok].
          - body: no heading
        references:
          - id: ok
            title: A
          - id: ok
            title: B
            year: nineteen
    """)
    result = project.run("check")
    assert result.exit_code == 1
    assert [as_problem(row) for row in table_rows(result)] == [
        "handouts/x.yaml:2: tittle: unknown field (did you mean 'title'?)",
        'handouts/x.yaml:3: version: must be text, not the number 1.0 (put it in quotes, e.g. "1.0", so it stays '
        "exactly as written)",
        "handouts/x.yaml:4: reviewed: '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01",
        "handouts/x.yaml:7: sections[1].body: citation [@nope] has no reference with that id",
        "handouts/x.yaml:8: sections[2].heading: missing",
        "handouts/x.yaml:12: references[2].id: 'ok' is already the id of references[1]",
        "handouts/x.yaml:14: references[2].year: must be a whole number, not 'nineteen'",
    ]
    assert result.stdout.splitlines()[-1] == "1 leaflet checked: 7 errors, 0 warnings, 0 notes"


def test_a_failed_build_keeps_the_last_good_pdf(project):
    path = project.write("x", MINIMAL)
    assert project.run("build").exit_code == 0
    good = project.pdf("x").read_bytes()
    path.write_text(path.read_text().replace("Some words.", "See [@missing]."))
    result = project.run("build")
    assert result.exit_code == 1
    assert project.pdf("x").read_bytes() == good
    # no temporary left (the manifest records the last good build)
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["build-cache", "build-manifest.json", "index.html", "x.pdf"]


def test_one_bad_leaflet_does_not_stop_the_others(project):
    project.write("a-bad", GOOD_TOP)
    project.write("b-good", MINIMAL)
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["handouts/a-bad.yaml:1: sections: missing", "1 of 2 leaflets not built"]
    assert result.stdout.startswith("handouts/b-good.yaml -> build/b-good.pdf: 2 pages, ")
    assert project.pdf("b-good").exists() and not project.pdf("a-bad").exists()
