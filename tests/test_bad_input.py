"""Every mistake an author can make: one clear line (file:line: field: what is wrong), exit
status 1, no traceback, and no PDF written or replaced."""
from __future__ import annotations

import pytest

from conftest import MINIMAL, as_problem, table_rows

GOOD_TOP = 'title: A leaflet\nversion: "1.0"\nreviewed: 2026-11-01\n'
ONE_SECTION = "sections:\n  - heading: First\n    body: Some words.\n"

CASES = {
    "malformed YAML": (
        'title: [unclosed\nversion: "1"\n',
        "handouts/x.yaml:2: malformed YAML: expected ',' or ']', but got ':' (while parsing a flow sequence)"),
    "tab indentation": (
        GOOD_TOP + "sections:\n\t- heading: First\n",
        "handouts/x.yaml:5: malformed YAML: found character '\\t' that cannot start any token "
        "(while scanning for the next token)"),
    "empty file": ("", "handouts/x.yaml:1: file is empty"),
    "only comments": ("# nothing yet\n", "handouts/x.yaml:1: file is empty"),
    "a list instead of fields": (
        "- title\n- version\n", "handouts/x.yaml:1: the file must be a mapping of fields (title:, sections:, ...)"),
    "missing title": (
        'version: "1.0"\nreviewed: 2026-11-01\n' + ONE_SECTION, "handouts/x.yaml:1: title: missing"),
    "empty title": (
        'title: ""\nversion: "1.0"\nreviewed: 2026-11-01\n' + ONE_SECTION, "handouts/x.yaml:1: title: is empty"),
    "missing sections": (GOOD_TOP, "handouts/x.yaml:1: sections: missing"),
    "no sections": (GOOD_TOP + "sections: []\n", "handouts/x.yaml:4: sections: must list at least one item"),
    "section without heading": (
        GOOD_TOP + ONE_SECTION + "  - body: More words.\n", "handouts/x.yaml:7: sections[2].heading: missing"),
    "section without body": (
        GOOD_TOP + ONE_SECTION + "  - heading: Second\n", "handouts/x.yaml:7: sections[2].body: missing"),
    "version is a number": (
        "title: T\nversion: 1.10\nreviewed: 2026-11-01\n" + ONE_SECTION,
        'handouts/x.yaml:2: version: must be text, not the number 1.1 (put it in quotes, e.g. "1.1", so it '
        "stays exactly as written)"),
    "title is a list": (
        'title: [a, b]\nversion: "1"\nreviewed: 2026-11-01\n' + ONE_SECTION,
        "handouts/x.yaml:1: title: must be text, not a list"),
    "subtitle is yes": (
        GOOD_TOP + "subtitle: yes\n" + ONE_SECTION,
        "handouts/x.yaml:4: subtitle: must be text, not true (YAML reads yes/no/on/off as true/false; put the "
        "text in quotes)"),
    "sections is text": (
        GOOD_TOP + "sections: Some words\n",
        "handouts/x.yaml:4: sections: must be a list of items (each starting with '- '), not 'Some words'"),
    "section is text": (
        GOOD_TOP + "sections:\n  - Just words\n",
        "handouts/x.yaml:5: sections[1]: must be a mapping of fields, not 'Just words'"),
    "authors is a mapping": (
        GOOD_TOP + "authors: {team: nurses}\n" + ONE_SECTION,
        "handouts/x.yaml:4: authors: must be a list (lines starting with '- '), not a mapping of fields"),
    "unknown field, close": (
        GOOD_TOP + "subtitel: For families\n" + ONE_SECTION,
        "handouts/x.yaml:4: subtitel: unknown field (did you mean 'subtitle'?)"),
    "unknown field, not close": (
        GOOD_TOP + "colour: blue\n" + ONE_SECTION, "handouts/x.yaml:4: colour: unknown field"),
    "unknown field in a section": (
        GOOD_TOP + "sections:\n  - hedding: First\n    body: Words.\n",
        "handouts/x.yaml:5: sections[1].hedding: unknown field (did you mean 'heading'?)"),
    "reviewed is not a real date": (
        'title: T\nversion: "1"\nreviewed: 2026-13-01\n' + ONE_SECTION,
        "handouts/x.yaml:3: reviewed: '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01"),
    "reviewed in words": (
        'title: T\nversion: "1"\nreviewed: 1 November 2026\n' + ONE_SECTION,
        "handouts/x.yaml:3: reviewed: '1 November 2026' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01"),
    "reviewed with a time": (
        'title: T\nversion: "1"\nreviewed: 2026-11-01 10:30:00\n' + ONE_SECTION,
        "handouts/x.yaml:3: reviewed: '2026-11-01 10:30:00' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01"),
    "missing reviewed": (
        'title: T\nversion: "1"\n' + ONE_SECTION, "handouts/x.yaml:1: reviewed: missing"),
    "review due before reviewed": (
        GOOD_TOP + "review_due: 2025-01-01\n" + ONE_SECTION,
        "handouts/x.yaml:4: review_due: 2025-01-01 must be after reviewed (2026-11-01)"),
    "unknown layout": (
        GOOD_TOP + "layout: clinic-a5\n" + ONE_SECTION,
        "handouts/x.yaml:4: layout: unknown layout 'clinic-a5' (did you mean 'clinic-a4'?); the layouts are "
        "booklet-a5, clinic-a4, clinic-letter, email, large-print"),
    "bad language": (
        GOOD_TOP + "language: English\n" + ONE_SECTION,
        "handouts/x.yaml:4: language: 'English' is not a language code such as en, es or pt-BR"),
    "citation with no reference": (
        GOOD_TOP + "sections:\n  - heading: H\n    body: |\n      Line one.\n      See [@smiht2019].\n"
        "references:\n  - id: smith2019\n    title: A study\n",
        "handouts/x.yaml:8: sections[1].body: citation [@smiht2019] has no reference with that id "
        "(did you mean 'smith2019'?)"),
    "citation in key points with no reference": (
        GOOD_TOP + "summary:\n  - Proven [@nobody].\n" + ONE_SECTION,
        "handouts/x.yaml:5: summary[1]: citation [@nobody] has no reference with that id"),
    "two references with one id": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n  - id: a1\n    title: Two\n",
        "handouts/x.yaml:10: references[2].id: 'a1' is already the id of references[1]"),
    "reference without id": (
        GOOD_TOP + ONE_SECTION + "references:\n  - title: One\n", "handouts/x.yaml:8: references[1].id: missing"),
    "reference without title": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n", "handouts/x.yaml:8: references[1].title: missing"),
    "reference id with a space": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: smith 2019\n    title: One\n",
        "handouts/x.yaml:8: references[1].id: 'smith 2019' must be letters, digits and _ : . - with no spaces, "
        "e.g. smith2011"),
    "reference year in words": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n    year: nineteen\n",
        "handouts/x.yaml:10: references[1].year: must be a whole number, not 'nineteen'"),
    "reference with a bad DOI": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n    doi: ejca.2010.11.013\n",
        "handouts/x.yaml:10: references[1].doi: 'ejca.2010.11.013' is not a DOI (it starts with 10. and has a /, "
        "e.g. 10.1016/j.ejca.2010.11.013)"),
    "reference with a bad PMID": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n    pmid: PM123\n",
        "handouts/x.yaml:10: references[1].pmid: 'PM123' is not a PubMed id (digits only)"),
    "reference with a bad url": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n    url: www.example.org\n",
        "handouts/x.yaml:10: references[1].url: 'www.example.org' is not a web address starting with http:// "
        "or https://"),
    "unknown reference field": (
        GOOD_TOP + ONE_SECTION + "references:\n  - id: a1\n    title: One\n    jounral: BMJ\n",
        "handouts/x.yaml:10: references[1].jounral: unknown field (did you mean 'journal'?)"),
    "a field given twice": (
        GOOD_TOP + "title: Again\n" + ONE_SECTION, "handouts/x.yaml:4: title: appears twice in the same mapping"),
    "a Python object tag": (
        'title: !!python/object/apply:os.system ["echo owned"]\nversion: "1"\nreviewed: 2026-11-01\n' + ONE_SECTION,
        "handouts/x.yaml:1: unsupported YAML tag !!python/object/apply:os.system; only plain text, numbers, "
        "dates, lists and mappings"),
    "an image in a body": (
        GOOD_TOP + "sections:\n  - heading: H\n    body: |\n      Words.\n\n      ![A line](line.png)\n",
        "handouts/x.yaml:9: sections[1].body: images cannot go in a section body; describe the picture in words"),
    "a broken citation": (
        GOOD_TOP + "sections:\n  - heading: H\n    body: As shown [@ smith2019].\n",
        "handouts/x.yaml:6: sections[1].body: '[@' looks like a broken citation; write [@id] or [@id1; @id2]"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_one_clear_line_and_exit_1(project, name):
    text, expected = CASES[name]
    project.write("x", text)
    result = project.run("build", "handouts/x.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected, "1 of 1 leaflets not built"]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (project.root / "build").exists()


@pytest.mark.parametrize("name", CASES)
def test_check_lists_bad_input_as_one_error_and_exits_1(project, name):
    text, expected = CASES[name]
    project.write("x", text)
    result = project.run("check", "handouts/x.yaml")
    assert result.exit_code == 1
    rows = table_rows(result)
    assert [as_problem(row) for row in rows] == [expected] and rows[0][1] == "error"
    assert result.stdout.splitlines()[-1] == "1 leaflet checked: 1 error, 0 warnings, 0 notes"
    assert result.stderr == ""
    assert not (project.root / "build").exists()


def test_not_utf8(project):
    (project.root / "handouts" / "x.yaml").write_bytes(b"title: caf\xe9\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "handouts/x.yaml:1: file is not UTF-8 text; save it as UTF-8"


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
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["build-manifest.json", "x.pdf"]


def test_one_bad_leaflet_does_not_stop_the_others(project):
    project.write("a-bad", GOOD_TOP)
    project.write("b-good", MINIMAL)
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["handouts/a-bad.yaml:1: sections: missing", "1 of 2 leaflets not built"]
    assert result.stdout.startswith("handouts/b-good.yaml -> build/b-good.pdf: 2 pages, ")
    assert project.pdf("b-good").exists() and not project.pdf("a-bad").exists()
