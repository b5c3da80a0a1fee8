"""The progress bar: drawn on a terminal (leaflet, n of N, time left), silent anywhere else."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from conftest import MINIMAL, REPO
from handout_builder.build.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_names_the_leaflet_counts_and_estimates_time_left():
    screen = Terminal()
    now = [100.0]
    progress = Progress(screen, 4, clock=lambda: now[0])
    progress.update("first")
    assert screen.getvalue().endswith("[                    ] 1 of 4  first\x1b[K")
    progress.advance()
    now[0] += 3.0  # 3 s for one leaflet: about 9 s for the other three
    progress.update("second")
    assert screen.getvalue().endswith("\r[#####               ] 2 of 4  second  about 9 s left\x1b[K")
    progress.clear()
    assert screen.getvalue().endswith("\r\x1b[K")


def test_the_bar_stays_quiet_when_not_a_terminal():
    log = io.StringIO()
    progress = Progress(log, 4)
    progress.update("first")
    progress.advance()
    progress.clear()
    assert log.getvalue() == ""
    assert Progress(Terminal(), 1).enabled is False  # one leaflet needs no bar
    assert Progress(Terminal(), 4, enabled=False).enabled is False  # -q


def test_build_on_a_terminal_draws_the_bar_and_in_a_log_does_not(project):
    for name in "abc":
        project.write(name, MINIMAL)
    # On a pseudo-terminal, as a person at a console runs it.
    leader, follower = pty.openpty()
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", "-j", "1", "-o", "tty"],
                         cwd=project.root, stdout=follower, stderr=follower, timeout=300)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert run.returncode == 0
    assert b"] 1 of 3  a" in screen and b"] 3 of 3  c" in screen and b"\x1b[K" in screen
    # Into a pipe, as CI logs it: the lines and nothing else.
    logged = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", "-j", "1", "-o", "log"],
                            cwd=project.root, capture_output=True, text=True, timeout=300)
    assert logged.returncode == 0 and logged.stderr == ""
    assert "\r" not in logged.stdout and "\x1b" not in logged.stdout
    assert len(logged.stdout.splitlines()) == 3
