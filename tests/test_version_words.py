"""The warning "the text changed but version is still ..." compares a leaflet's words with the
words its version was first built with in any output folder of the project
(handouts/built-words.json), not with the last build into one folder; undoing the edit silences
it; `--watch` says it once, when it changes."""
from __future__ import annotations

import json

from conftest import MINIMAL
from test_watch import Watcher

WARNING = ('handouts/x.yaml: warning: the text changed but version is still "1.0"; '
           "raise version when the change is signed off")


class LoggedWatcher(Watcher):
    """A watch whose every output line is kept, in order, whatever `expect` waited for."""

    def __init__(self, root):
        self.log: list[tuple[str, str]] = []
        super().__init__(root)

    def _read(self, name):
        for line in getattr(self.process, name):
            self.log.append((name, line.rstrip("\n")))
            self.lines.put((name, line.rstrip("\n")))


def _edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))


def test_a_fresh_output_folder_still_warns(project):
    path = project.write("x", MINIMAL)
    assert project.run("build").stderr == ""
    _edit(path, "Some words.", "Some changed words.")
    result = project.run("build", "-o", "elsewhere")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [WARNING]
    assert project.run("build", "-o", "elsewhere").stderr.splitlines() == [WARNING]  # up to date, still unsigned
    assert project.run("build", "-o", "third", "--all-layouts").stderr.splitlines() == [WARNING] * 6  # one a layout


def test_the_record_is_a_project_file_and_no_leaflets_input(project):
    project.write("x", MINIMAL)
    assert project.run("build", "-o", "somewhere").exit_code == 0
    record = json.loads((project.root / "handouts" / "built-words.json").read_text())
    assert list(record["leaflets"]) == ["handouts/x.yaml"]
    assert list(record["leaflets"]["handouts/x.yaml"]) == ["1.0"]
    assert project.run("build", "-o", "somewhere", "--check").exit_code == 0  # writing it made nothing stale
    manifest = json.loads((project.root / "somewhere" / "build-manifest.json").read_text())
    assert not any("built-words" in key for key in manifest["pdfs"]["x.pdf"]["inputs"])


def test_undoing_the_edit_silences_the_warning(project):
    path = project.write("x", MINIMAL)
    assert project.run("build").stderr == ""
    _edit(path, "Some words.", "Some changed words.")
    assert project.run("build").stderr.splitlines() == [WARNING]
    _edit(path, "Some changed words.", "Some words.")
    assert project.run("build").stderr == ""
    assert project.run("build", "-o", "elsewhere").stderr == ""


def test_a_new_version_is_the_new_baseline_in_every_folder(project):
    path = project.write("x", MINIMAL)
    assert project.run("build").stderr == ""
    _edit(path, "Some words.", "Some changed words.")
    _edit(path, 'version: "1.0"', 'version: "1.1"')
    assert project.run("build", "-o", "elsewhere").stderr == ""
    assert project.run("build").stderr == ""  # build/ catches up with 1.1 and its words, silently
    _edit(path, 'version: "1.1"', 'version: "1.0"')  # back to 1.0 with 1.1's words: that is not 1.0's text
    assert project.run("build").stderr.splitlines() == [WARNING]


def test_watch_says_each_leaflets_warning_once_when_it_changes(project):
    x = project.write("x", MINIMAL)
    other = project.write("other", MINIMAL)
    assert project.run("build").exit_code == 0
    _edit(x, "Some words.", "Some changed words.")
    watcher = LoggedWatcher(project.root)
    try:
        watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf")
        watcher.expect("stderr", "watching ")
        for n in range(2):  # nobody touches x: its warning is not said again
            _edit(other, "Some", f"Some {n}")
            watcher.expect("stdout", "handouts/other.yaml -> build/other.pdf")
        _edit(x, "Some changed words.", "Some words.")  # undone: nothing to say
        watcher.expect("stdout", "handouts/x.yaml -> build/x.pdf")
        _edit(x, "Some words.", "Some new words.")  # changed again: said again
        watcher.expect("stderr", WARNING)
        _edit(other, "Some", "Some 2")
        watcher.expect("stdout", "handouts/other.yaml -> build/other.pdf")
    finally:
        watcher.stop()
    said = [line for stream, line in watcher.log if stream == "stderr" and "warning" in line]
    # x: at the start, and once more when its words changed again; other's edits warn once though
    # other is rebuilt three times with the same warning
    assert said == [WARNING, WARNING.replace("x.yaml", "other.yaml"), WARNING]
    built = [line.split(" -> ")[0] for stream, line in watcher.log
             if stream == "stdout" and " -> " in line and not line.endswith("up to date")]
    assert built == ["handouts/x.yaml", "handouts/other.yaml", "handouts/other.yaml", "handouts/x.yaml",
                     "handouts/x.yaml", "handouts/other.yaml"]
