"""`build --watch`, run for real: save a handout and its PDF is rebuilt; save a half-written one
and the problem is printed while watching goes on; change the layout and it rebuilds again.
Timeouts are generous (a slow CI machine), and the time each rebuild took is printed, not asserted."""
from __future__ import annotations

import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from conftest import MINIMAL, REPO, page_texts, words

WAIT = 60  # seconds; a rebuild takes well under one on a quiet machine


class Watcher:
    """The real command in its own process, its output lines gathered as they come."""

    def __init__(self, root):
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build_pdf.py"), "build", "--watch", "-j", "1"], cwd=root,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name in ("stdout", "stderr"):
            threading.Thread(target=self._read, args=(name,), daemon=True).start()

    def _read(self, name):
        for line in getattr(self.process, name):
            self.lines.put((name, line.rstrip("\n")))

    def expect(self, stream: str, starts: str) -> float:
        """Wait for a line on `stream` starting with `starts`; return the seconds it took."""
        started, seen = time.monotonic(), []
        while time.monotonic() - started < WAIT:
            try:
                name, line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, f"watch stopped: {seen}"
                continue
            seen.append((name, line))
            if name == stream and line.startswith(starts):
                return time.monotonic() - started
        pytest.fail(f"no {stream} line starting {starts!r} within {WAIT} s; saw {seen}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            self.process.kill()


def test_watch_rebuilds_on_save_and_survives_a_half_written_file(project):
    path = project.write("x", MINIMAL)
    layout = project.root / "layouts" / "clinic-a4.yaml"
    watcher = Watcher(project.root)
    try:
        watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf: 2 pages")  # the first build
        watcher.expect("stderr", "watching ")

        path.write_text(path.read_text().replace("Some words.", "Some new words."))
        took = watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf: 2 pages")
        print(f"rebuilt {took:.2f} s after the save")
        assert "Some new words." in words(page_texts(project.pdf("x"))[0])
        good = project.pdf("x").read_bytes()

        # An author's editor saves half a file: one clear line, and the watch goes on.
        path.write_text("title: Half a leaf\nversion: \"1.0\"\nsections:\n  - heading: [First\n")
        watcher.expect("stderr", "handouts/x.yaml:4: the heading starts with '['")
        assert watcher.process.poll() is None
        assert project.pdf("x").read_bytes() == good

        path.write_text(textwrap.dedent(MINIMAL).replace("Some words.", "Finished words."))
        watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf: 2 pages")
        assert "Finished words." in words(page_texts(project.pdf("x"))[0])

        # A change to the layout rebuilds the leaflets that use it.
        layout.write_text(layout.read_text().replace("phone: 020 7946 0000", "phone: 020 7946 1234"))
        watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf: 2 pages")
        assert "020 7946 1234" in page_texts(project.pdf("x"))[0]
    finally:
        code = watcher.stop()
    assert code == 0
    assert project.run("build", "--check").exit_code == 0  # what it built is recorded
