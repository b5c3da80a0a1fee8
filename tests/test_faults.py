"""Faults while building: a build killed at any moment, a full disk, a folder the builder may not
write to, a bug of ours in one leaflet. Each PDF is always the old one or the new one, never part
of one; each failed leaflet is reported on its own line; the other leaflets still build; the exit
status says that one failed.

Everything the build writes lives in the output folder, and the kill tests compare the whole
folder: every file in it must be, byte for byte, what was there before the build or what a
complete build writes. The build manifest (issue 3) will be a file in that folder, so these tests
cover it as soon as it exists, provided it is written atomically and the same inputs give the same
bytes; if it records something that changes between runs (a time), say how to compare it in
`comparable()` below. Those two lines are all the manifest should need here.
"""
from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from big_leaflets import references
from conftest import MINIMAL, REPO, LeafletProject, pdf_problems

OLD, NEW = "Some words.", "Some other words, longer than before, so the new PDF is a different size."


def comparable(name: str, data: bytes) -> bytes:
    """A written file's bytes as compared between runs (the manifest may need to drop a time here)."""
    return data


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file the build has put in the folder (and in its stage cache, build-cache/), except
    its hidden temporaries (.name.xxxx.tmp)."""
    if not folder.exists():
        return {}
    files = [*folder.iterdir(), *((folder / "build-cache").iterdir() if (folder / "build-cache").is_dir() else ())]
    return {p.relative_to(folder).as_posix(): comparable(p.name, p.read_bytes()) for p in files
            if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp"))}


def assert_old_or_new(folder: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    now = outputs(folder)
    assert set(now) <= set(old) | set(new), set(now) - set(old) - set(new)
    for name, data in now.items():
        assert data in (old.get(name), new.get(name)), f"{name} is neither the old nor the new version"
    for temporary in folder.glob(".*.tmp"):  # a killed build may leave one; it is never a PDF's name
        assert temporary.name.startswith(tuple(f".{name}." for name in new))


# -- a real build, killed ---------------------------------------------------------------------------

# The child a kill test runs: the real command, with a hook that kills the process itself (SIGKILL,
# which nothing can catch or clean up after) at the n-th time it reaches a point of the atomic
# write, or that only counts those points.
CHILD = r"""
import os, signal, sys
point, target = sys.argv[1], int(sys.argv[2])
seen = {}

def reached(name):
    seen[name] = seen.get(name, 0) + 1
    if name == point and seen[name] == target:
        os.kill(os.getpid(), signal.SIGKILL)

real_fdopen, real_fsync, real_replace = os.fdopen, os.fsync, os.replace

class Writer:
    def __init__(self, file): self.file = file
    def __enter__(self): return self
    def __exit__(self, *exc): return self.file.__exit__(*exc)
    def __getattr__(self, name): return getattr(self.file, name)
    def write(self, data):
        if point == "mid-write" and seen.get("mid-write", 0) + 1 == target:
            self.file.write(data[: len(data) // 2])  # half the bytes reach the disk, then the kill
            self.file.flush()
            os.fsync(self.file.fileno())
        reached("mid-write")
        return self.file.write(data)

def fdopen(fd, mode="r", *args, **kwargs):
    file = real_fdopen(fd, mode, *args, **kwargs)
    return Writer(file) if "w" in mode else file

def fsync(fd):
    reached("before-fsync")
    real_fsync(fd)

def replace(source, target_, *args, **kwargs):
    reached("before-replace")
    real_replace(source, target_, *args, **kwargs)
    reached("after-replace")

os.fdopen, os.fsync, os.replace = fdopen, fsync, replace
sys.argv = ["build_pdf.py", *sys.argv[3:]]
sys.path.insert(0, os.environ["HANDOUT_BUILDER_REPO"])
import build_pdf
try:
    build_pdf.cli()
finally:
    sys.stderr.write(f"REACHED {seen}\n")
"""
POINTS = ("mid-write", "before-fsync", "before-replace", "after-replace")


@pytest.fixture(scope="module")
def kill_project(tmp_path_factory):
    """Three leaflets, each with an old build in build/ and the bytes a complete new build writes."""
    root = tmp_path_factory.mktemp("kill") / "clinic"
    root.mkdir()
    project = LeafletProject(root)
    for name in ("a", "b", "c"):
        project.write(name, MINIMAL.replace("Some words.", OLD))
    project.write("b", references(150).replace("Cited", OLD))  # a longer build and a bigger PDF
    assert run(project, "build").returncode == 0
    old = outputs(project.root / "build")
    shutil.copytree(project.root / "build", project.root / "old")
    for path in (project.root / "handouts").glob("*.yaml"):  # new words under a new version, as authors do
        path.write_text(path.read_text().replace(OLD, NEW).replace('version: "1.0"', 'version: "1.1"'))
    started = time.perf_counter()
    complete = run(project, "build", "-o", "new")
    duration = time.perf_counter() - started
    assert complete.returncode == 0, complete.stderr
    new = outputs(project.root / "new")
    assert run(project, "build", "-o", "again").returncode == 0
    assert outputs(project.root / "again") == new  # the same inputs give the same bytes
    assert set(old) == set(new) and all(old[name] != new[name] for name in new)
    return project, old, new, duration


def run(project: LeafletProject, *args: str, point: str = "count", target: int = 0, wait: float | None = None):
    """The real command in a child process; with `wait`, SIGKILL it after that many seconds.
    Builds run one leaflet at a time in that process (-j 1), where the hooks that count and kill are."""
    env = {**os.environ, "HANDOUT_BUILDER_REPO": str(REPO)}
    if args and args[0] == "build":
        args = (*args, "-j", "1")
    child = subprocess.Popen([sys.executable, "-c", CHILD, point, str(target), *args], cwd=project.root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if wait is None:
        stdout, stderr = child.communicate(timeout=300)
    else:
        time.sleep(wait)
        child.send_signal(signal.SIGKILL)
        stdout, stderr = child.communicate(timeout=60)
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


def fresh_old_build(project: LeafletProject) -> Path:
    out = project.root / "build"
    shutil.rmtree(out)
    shutil.copytree(project.root / "old", out)
    return out


def test_killed_at_each_point_of_each_write_leaves_old_or_new(kill_project):
    project, old, new, _ = kill_project
    counted = run(project, "build", "-o", "counted")
    writes = eval(counted.stderr.splitlines()[-1].removeprefix("REACHED "))["before-replace"]
    assert writes == len(new)  # every file the build writes, the manifest last, goes through the atomic write
    for point in POINTS:
        for target in range(1, writes + 1):
            out = fresh_old_build(project)
            result = run(project, "build", point=point, target=target)
            assert result.returncode == -signal.SIGKILL, (point, target, result.stderr)
            assert_old_or_new(out, old, new)
            written = outputs(out)
            done = target if point == "after-replace" else target - 1  # the files renamed into place
            assert sum(written[name] == new[name] for name in written) == done, (point, target)


def test_killed_at_random_moments_leaves_old_or_new(kill_project):
    project, old, new, duration = kill_project
    rng = random.Random(os.environ.get("KILL_SEED", "6"))  # a fixed seed: a failure can be repeated
    out = fresh_old_build(project)
    for _ in range(12):
        result = run(project, "build", point="none", wait=rng.uniform(0, duration * 1.2))
        assert result.returncode in (0, -signal.SIGKILL), result.stderr
        assert_old_or_new(out, old, new)
    finished = run(project, "build")  # the next complete build finishes the job
    assert finished.returncode == 0, finished.stderr
    assert outputs(out) == new


# -- a full disk ------------------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """An 80 KB tmpfs, where this machine lets us mount one (root with CAP_SYS_ADMIN)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; test_a_write_error_fails_only_its_leaflet simulates it in-process")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_fails_only_the_leaflet_that_does_not_fit(project, tiny_disk):
    project.write("a-small", MINIMAL)
    project.write("b-big", references(1000))  # about 80 KB of PDF: more than is left after a-small
    project.write("c-small", MINIMAL)
    out = tiny_disk / "build"
    out.mkdir()
    (out / "b-big.pdf").write_bytes(b"%PDF-1.4 the last good build, kept\n")
    old = (out / "b-big.pdf").read_bytes()
    result = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", "-o", str(out)],
                            cwd=project.root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{out}/b-big.pdf: cannot write the PDF: No space left on device", "1 of 3 leaflets not built"]
    assert "a-small.pdf" in result.stdout and "c-small.pdf" in result.stdout
    assert (out / "b-big.pdf").read_bytes() == old
    # no temporary; the manifest records the two that were built
    assert sorted(p.name for p in out.iterdir()) == ["a-small.pdf", "b-big.pdf", "build-cache", "build-manifest.json", "c-small.pdf", "index.html"]
    for name in ("a-small", "c-small"):
        assert pdf_problems(out / f"{name}.pdf") == []
    (out / "b-big.pdf").unlink()  # the audit would rightly call the stand-in unsound


@pytest.mark.parametrize("call, error", [
    ("fsync", errno.ENOSPC),  # a full disk, as a network or copy-on-write filesystem reports it
    ("write", errno.ENOSPC),  # a full disk, as a local filesystem reports it
    ("mkstemp", errno.EACCES),  # a folder the builder may not write to
    ("replace", errno.EACCES),
])
def test_a_write_error_fails_only_its_leaflet(project, monkeypatch, call, error):
    """The errors are raised where the operating system raises them, for one leaflet's file only."""
    from handout_builder.build import writing

    project.write("a", MINIMAL)
    project.write("b", MINIMAL.replace("Some words.", "Other words."))
    project.write("c", MINIMAL)
    assert project.run("build", "-j", "1").exit_code == 0  # in this process, where the faults are injected
    before = outputs(project.root / "build")
    for name in "abc":  # new words under a new version
        path = project.root / "handouts" / f"{name}.yaml"
        path.write_text(path.read_text().replace("words.", "words, changed.").replace('"1.0"', '"1.1"'))

    def fails(path) -> bool:
        return ".b.pdf." in str(path) or str(path).endswith("/b.pdf")

    def oserror(path):
        return OSError(error, os.strerror(error), str(path))

    if call == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            if fails(os.readlink(f"/proc/self/fd/{fd}")):
                raise oserror("b.pdf")
            real_fsync(fd)
        monkeypatch.setattr(os, "fsync", fsync)
    elif call == "write":
        real_fdopen = os.fdopen

        class FullDisk:
            def __init__(self, file):
                self.file = file

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return self.file.__exit__(*exc)

            def __getattr__(self, name):
                return getattr(self.file, name)

            def write(self, data):
                self.file.write(data[:4096])
                raise oserror(self.file.name)

        def fdopen(fd, *args, **kwargs):
            file = real_fdopen(fd, *args, **kwargs)
            return FullDisk(file) if fails(os.readlink(f"/proc/self/fd/{fd}")) else file
        monkeypatch.setattr(os, "fdopen", fdopen)
    elif call == "mkstemp":
        real_mkstemp = writing.tempfile.mkstemp

        def mkstemp(prefix="", **kwargs):
            if prefix.startswith(".b.pdf."):
                raise oserror(kwargs.get("dir"))
            return real_mkstemp(prefix=prefix, **kwargs)
        monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    else:
        real_replace = os.replace

        def replace(source, target):
            if fails(target):
                raise oserror(target)
            real_replace(source, target)
        monkeypatch.setattr(os, "replace", replace)

    result = project.run("build", "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"build/b.pdf: cannot write the PDF: {os.strerror(error)}",
                                          "1 of 3 leaflets not built"]
    assert [line.split(" -> ")[0] for line in result.stdout.splitlines()] == ["handouts/a.yaml", "handouts/c.yaml"]
    after = outputs(project.root / "build")
    assert after["b.pdf"] == before["b.pdf"]  # the last good PDF stays
    assert after["a.pdf"] != before["a.pdf"] and after["c.pdf"] != before["c.pdf"]
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["a.pdf", "b.pdf", "build-cache", "build-manifest.json",
                                                                          "c.pdf", "index.html"]
    assert after["build-manifest.json"] != before["build-manifest.json"]  # a and c recorded, b still the old


def test_a_folder_the_builder_may_not_write_to(project):
    """A real permission error in a real process: as root, without the capability to override file
    permissions (setpriv), since root is otherwise allowed everything."""
    command = [sys.executable, str(REPO / "build_pdf.py"), "build", "--force"]  # up to date, but try again
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: test_a_write_error_fails_only_its_leaflet covers it")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--", *command]
    project.write("a", MINIMAL)
    project.write("b", MINIMAL)
    assert project.run("build").exit_code == 0
    before = outputs(project.root / "build")
    (project.root / "build").chmod(0o555)
    try:
        result = subprocess.run(command, cwd=project.root, capture_output=True, text=True, timeout=300)
    finally:
        (project.root / "build").chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["build/a.pdf: cannot write the PDF: Permission denied",
                                          "build/b.pdf: cannot write the PDF: Permission denied",
                                          "2 of 2 leaflets not built"]
    assert outputs(project.root / "build") == before


# -- a bug of ours ----------------------------------------------------------------------------------

def test_an_internal_error_in_one_leaflet_does_not_stop_the_others(project, monkeypatch):
    from handout_builder.build import pipeline

    real = pipeline.Pipeline.render

    def render(self, document):
        if document.handout.stem == "b":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, document)
    monkeypatch.setattr(pipeline.Pipeline, "render", render)
    for name in "abc":
        project.write(name, MINIMAL)
    result = project.run("build", "-j", "1")  # in this process, where the bug is planted
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "handouts/b.yaml: internal error in the builder (RecursionError: maximum recursion depth exceeded); please "
        "report it with this leaflet", "1 of 3 leaflets not built"]
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["a.pdf", "build-cache", "build-manifest.json", "c.pdf", "index.html"]


@pytest.mark.parametrize("command", [("build", "-j", "1"), ("check",), ("list",)])
def test_with_handout_builder_debug_set_a_bug_of_ours_stops_the_run_with_its_traceback(project, monkeypatch, command):
    """HANDOUT_BUILDER_DEBUG is decided in one place, the World (world.py: debugging), which build,
    check and list all ask."""
    from handout_builder.build import pipeline

    def load(self, path):
        raise RecursionError("planted")
    monkeypatch.setattr(pipeline.Pipeline, "load", load)
    project.write("a", MINIMAL)
    result = project.run(*command)  # without it: one line about the leaflet, and the run goes on
    assert result.exit_code == 1 and "internal error in the builder" in result.stdout + result.stderr
    monkeypatch.setenv("HANDOUT_BUILDER_DEBUG", "1")
    with pytest.raises(RecursionError, match="planted"):
        project.run(*command)


def test_an_internal_error_in_list_is_one_row(project, monkeypatch):
    from handout_builder.build import pipeline

    real = pipeline.Pipeline.load

    def load(self, path):
        if path.stem == "b":
            raise MemoryError()
        return real(self, path)
    monkeypatch.setattr(pipeline.Pipeline, "load", load)
    for name in "abc":
        project.write(name, MINIMAL)
    result = project.run("list")
    assert result.exit_code == 1
    rows = result.stdout.splitlines()
    assert rows[2].split() == ["handouts/b.yaml", "(internal", "error", "in", "the", "builder:", "MemoryError;",
                               "please", "report", "it)"]
    assert rows[1].startswith("handouts/a.yaml") and rows[3].startswith("handouts/c.yaml")
