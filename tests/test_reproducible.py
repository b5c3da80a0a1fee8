"""The same inputs give the same bytes: on another day, in another folder, in another process,
in parallel or not. The PDF's dates are the leaflet's reviewed date (or SOURCE_DATE_EPOCH)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap

from pypdf import PdfReader

from conftest import MINIMAL, REPO, LeafletProject

# Builds the project in the working folder with the whole process's clock moved (time-machine
# moves time.time, datetime.now and date.today alike), as if run on another day.
ON_ANOTHER_DAY = textwrap.dedent("""\
    import datetime, sys, time_machine, build_pdf
    with time_machine.travel(sys.argv[1], tick=False):
        print("today is", datetime.date.today(), file=sys.stderr)
        build_pdf.cli(sys.argv[2:])
""")


def _build_on(day: str, root, *args):
    run = subprocess.run([sys.executable, "-c", ON_ANOTHER_DAY, day, "build", *args], cwd=root,
                         capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "TZ": "Pacific/Auckland"
                              if day.endswith("1") else "America/Los_Angeles", "PYTHONHASHSEED": day[-1]})
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith(f"today is {day[:10]}\n")
    return run


def test_builds_a_day_apart_in_different_folders_are_byte_identical(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "elsewhere" / "two").mkdir(parents=True)
    first, second = LeafletProject(tmp_path / "one"), LeafletProject(tmp_path / "elsewhere" / "two")
    for project in (first, second):
        shutil.copy(REPO / "handouts" / "fever-and-infection.yaml", project.root / "handouts")
    # the second has its own copy of the fonts, not a link to the same files
    (second.root / "fonts").unlink()
    shutil.copytree(REPO / "fonts", second.root / "fonts")
    _build_on("2027-03-01 09:00", first.root)
    _build_on("2027-03-02 17:30", second.root, "-o", "out")
    one = first.pdf("fever-and-infection").read_bytes()
    two = (second.root / "out" / "fever-and-infection.pdf").read_bytes()
    assert one == two
    assert b"2027" not in one  # no trace of the day it was built
    info = PdfReader(first.pdf("fever-and-infection")).metadata
    reviewed = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    assert info.creation_date == reviewed and info.modification_date == reviewed


def test_source_date_epoch_sets_the_pdf_date(project, monkeypatch):
    project.write("x", MINIMAL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert project.run("build").exit_code == 0
    info = PdfReader(project.pdf("x")).metadata
    assert info.creation_date == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)


def test_a_bad_source_date_epoch_is_a_usage_error(project, monkeypatch):
    project.write("x", MINIMAL)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = project.run("build")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not 'yesterday'" in result.stderr
    assert not project.pdf("x").exists()


def test_parallel_build_is_byte_identical_to_serial(project):
    for path in sorted((REPO / "handouts").glob("*.yaml")):
        shutil.copy(path, project.root / "handouts")
    shutil.copytree(REPO / "handouts" / "images", project.root / "handouts" / "images")  # the pictures they show
    project.write("letter", MINIMAL.replace("    sections:", "    layout: clinic-letter\n    sections:"))
    project.write("short", MINIMAL.replace("Some words.", "Other words ≥ 38 °C."))
    serial = project.run("build", "-j", "1", "-o", "serial")
    parallel = project.run("build", "-j", "3", "-o", "parallel")  # three worker processes
    assert serial.exit_code == 0 and parallel.exit_code == 0, parallel.stderr
    names = sorted(p.name for p in (project.root / "serial").glob("*.pdf"))
    assert len(names) == len(list((REPO / "handouts").glob("*.yaml"))) + 2
    for name in names:
        assert (project.root / "serial" / name).read_bytes() == (project.root / "parallel" / name).read_bytes()
    # the same lines, in the same (file name) order
    assert serial.stdout.replace("serial/", "") == parallel.stdout.replace("parallel/", "")
