"""`list` and `check` fit the terminal they print to (tested at 80 columns, in a real
pseudo-terminal), and print one full line a row when piped."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

from conftest import MINIMAL, REPO

LONG_TITLE = "Chemotherapy for non-rhabdomyosarcoma soft-tissue sarcoma: what families need to know"


def _in_terminal(cwd, columns: int, *args: str) -> list[str]:
    """Run build_pdf.py ARGS with its output on a pseudo-terminal `columns` wide."""
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS=str(columns), LINES="40")
    process = subprocess.Popen([sys.executable, str(REPO / "build_pdf.py"), *args], cwd=cwd, stdout=follower,
                               stderr=subprocess.PIPE, env=env)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        out += chunk
    process.wait()
    os.close(leader)
    return out.decode("utf-8").replace("\r\n", "\n").splitlines()


def _piped(cwd, *args: str) -> list[str]:
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), *args], cwd=cwd, capture_output=True,
                         text=True, env=dict(os.environ, COLUMNS="80"))
    return run.stdout.splitlines()


def _leaflets(project):
    project.write("long", MINIMAL.replace("title: A leaflet", f'title: "{LONG_TITLE}"'))
    project.write("long-es", MINIMAL.replace("title: A leaflet", "title: Quimioterapia para el sarcoma de tejidos "
                                             "blandos no rabdomiosarcoma")
                  .replace("    sections:", "    language: es\n    translation_of: {handout: long, version: \"1.0\"}"
                           "\n    sections:"))


def test_list_fits_80_columns_and_loses_no_words(project):
    _leaflets(project)
    lines = _in_terminal(project.root, 80, "list")
    assert lines and max(len(line) for line in lines) <= 80, "\n".join(lines)
    piped = _piped(project.root, "list")
    assert max(len(line) for line in piped) > 80  # piped, each leaflet is one line of full text
    assert len(piped) == 3
    assert " ".join(" ".join(lines).split()).count("up to date with version 1.0") == 1
    shown = " ".join(lines).split()
    for word in (*LONG_TITLE.split(), "2026-11-01", "clinic-a4", "current", "handouts/long-es.yaml"):
        assert word in shown


def test_check_fits_80_columns_and_loses_no_words(project):
    _leaflets(project)
    (project.root / "handouts" / "long.yaml").write_text(
        (project.root / "handouts" / "long.yaml").read_text() + "colour: blue\n")
    lines = _in_terminal(project.root, 80, "check")
    assert lines and max(len(line) for line in lines) <= 80, "\n".join(lines)
    piped = _piped(project.root, "check")
    assert lines[-1] == piped[-1] and piped[-1].startswith("2 leaflets checked: 2 errors, ")
    messages = [line.split("  ")[-1].strip() for line in piped[1:-1]]
    flowing = " ".join(" ".join(lines).split())
    for message in messages:  # every message whole, wrapped or not
        assert " ".join(message.split()) in flowing
    assert any(len(line) > 80 for line in piped)
    assert "unknown field" in messages


def test_a_wide_terminal_keeps_one_line_a_row(project):
    _leaflets(project)
    assert _in_terminal(project.root, 250, "list") == _piped(project.root, "list")
