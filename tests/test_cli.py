"""The command line: help, list, exit statuses, layouts chosen with -l, and errors in layouts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL, REPO, layout_line


def test_help_says_what_each_command_does(project):
    result = project.run("--help")
    assert result.exit_code == 0
    for command in ("build", "check", "list"):
        assert command in result.stdout
        sub = project.run(command, "--help")
        assert sub.exit_code == 0 and "Usage:" in sub.stdout
    check_help = " ".join(project.run("check", "--help").stdout.split())
    assert "write nothing" in check_help and "--strict" in check_help and "--format [table|json]" in check_help


def test_usage_errors_exit_2(project):
    assert project.run("build", "--no-such-option").exit_code == 2
    assert project.run("build", "handouts/missing.yaml").exit_code == 2
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "clinic-a3")
    assert result.exit_code == 2
    assert "unknown layout 'clinic-a3'; the layouts are booklet-a5, clinic-a4, clinic-letter, easy-read, email, large-print" in result.stderr
    assert not (project.root / "build").exists()


def test_list_shows_each_leaflet(project, monkeypatch):
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2027-01-01")
    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("A leaflet", "Another leaflet")
                  .replace("    sections:", "    review_due: 2029-01-01\n    layout: clinic-letter\n    sections:"))
    result = project.run("list")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["File", "Title", "Version", "Reviewed", "Review", "due", "Layout", "Review",
                                "Language", "Translation"]
    # a has no review_due: it is due three years after it was reviewed
    assert lines[1].split() == ["handouts/a.yaml", "A", "leaflet", "1.0", "2026-11-01", "2029-11-01", "clinic-a4",
                                "current", "en"]
    assert lines[2].split() == ["handouts/b.yaml", "Another", "leaflet", "1.0", "2026-11-01", "2029-01-01",
                                "clinic-letter", "current", "en"]


def test_list_flags_a_broken_leaflet_and_exits_1(project):
    project.write("a", MINIMAL)
    project.write("b", "title: [broken\n")
    result = project.run("list")
    assert result.exit_code == 1
    assert "handouts/b.yaml  (has 1 problem(s): run check)" in result.stdout


def test_check_writes_nothing_and_says_what_it_found(project):
    project.write("x", MINIMAL)
    result = project.run("check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "1 leaflet checked: 0 errors, 0 warnings, 4 notes"
    assert result.stderr == ""
    assert not (project.root / "build").exists()


def test_layout_option_names_the_pdf_and_output_folder(project):
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "clinic-letter", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("handouts/x.yaml -> out/x-clinic-letter.pdf: 2 pages, ")


def test_a_mistake_in_a_layout_names_the_layout_file(project):
    project.write("x", MINIMAL)
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("  body: 12\n", "  body: twelve\n")
                      .replace("bold: NotoSans-Bold.ttf", "bold: NotoSans-Heavy.ttf"))
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"layouts/clinic-a4.yaml:{layout_line('    bold: NotoSans-Bold.ttf')}: fonts.body.bold: font file fonts/NotoSans-Heavy.ttf does not exist",
        f"layouts/clinic-a4.yaml:{layout_line('  body: 12')}: sizes.body: must be a number, not 'twelve'",
        "1 of 1 leaflets not built",
    ]


def test_real_process_prints_no_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [broken\n")
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", str(bad), "-o", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        f"{bad}:1: the title starts with '[', which YAML reads as the start of a list; put the whole title in "
        'double quotes: title: "[broken"',
        "1 of 1 leaflets not built"]
    assert list(tmp_path.glob("*.pdf")) == []


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "build-pdf"  # installed by pip beside this interpreter
    run = subprocess.run([str(script), "--help"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0 and "Build the clinic's patient-information leaflets" in run.stdout
