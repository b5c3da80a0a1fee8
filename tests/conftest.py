"""Shared helpers: a throw-away leaflet project using the shipped layouts and fonts, a way to
run the real command line in it, and text extraction of the PDFs it builds (pypdf)."""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from pypdf import PdfReader

import build_pdf

REPO = Path(__file__).resolve().parent.parent

# Property tests (test_properties.py): a few hundred examples each in every run, more on demand
# with HYPOTHESIS_PROFILE=deep. Failing examples are kept in .hypothesis/ (git ignores it).
settings.register_profile("suite", max_examples=150, deadline=None,
                          database=DirectoryBasedExampleDatabase(REPO / ".hypothesis" / "examples"),
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", parent=settings.get_profile("suite"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# `build` remembers files' hashes in the user's cache folder (world.py): the suite's builds, in
# this process and in the ones it starts, use a folder of their own, never the user's ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="handout-builder-test-cache-")


# The README's `pytest` runs the tests in parallel, one pytest-xdist worker per core this process
# may use (pyproject.toml: -n auto); `pytest -n 0` runs them in this process, one after another.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no sched_getaffinity (macOS)
        return max(1, os.cpu_count() or 1)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


class LeafletProject:
    """A project folder in tmp with the repository's layouts and fonts and our own handouts."""

    def __init__(self, root: Path):
        self.root = root
        (root / "handouts").mkdir()
        shutil.copytree(REPO / "layouts", root / "layouts")
        (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)

    def write(self, name: str, text: str) -> Path:
        """Write handouts/<name>.yaml (text is dedented) and return its path."""
        path = self.root / "handouts" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> Result:
        """Run `build_pdf.py ARGS` in-process from the project folder."""
        result = CliRunner().invoke(build_pdf.cli, list(args), catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    def pdf(self, name: str) -> Path:
        return self.root / "build" / f"{name}.pdf"


@pytest.fixture
def project(tmp_path, monkeypatch) -> LeafletProject:
    root = tmp_path / "clinic"
    root.mkdir()
    monkeypatch.chdir(root)
    return LeafletProject(root)


def own_fonts_and_catalogues(project: LeafletProject, monkeypatch, tmp_path: Path) -> None:
    """Give a test project fonts (links to the shipped ones) and builder word catalogues of its
    own, so that a test can change one and see what a build does with the change."""
    from handout_builder.inputs import language

    monkeypatch.setattr(language, "CATALOGUES", tmp_path / "catalogues")
    shutil.copytree(REPO / "handout_builder" / "catalogues", language.CATALOGUES)
    (project.root / "fonts").unlink()
    (project.root / "fonts").mkdir()
    for font in (REPO / "fonts").iterdir():
        (project.root / "fonts" / font.name).symlink_to(font)


def page_texts(path: Path) -> list[str]:
    """The extracted text of each page, read back with pypdf in strict mode."""
    reader = PdfReader(path, strict=True)
    return [page.extract_text() for page in reader.pages]


def words(text: str) -> str:
    """Text with runs of whitespace made single spaces, for comparing across line breaks. A line
    that ends at a hyphen or a slash goes on without a space: the engine may break a line after
    the hyphen of "soft-tissue" or the "/" of an address (README "Where lines break"), and the
    words are read as written."""
    return " ".join(re.sub(r"(?<=[-/\u2010])\n", "", text).split())


def table_rows(result: Result) -> list[tuple[str, str, str, str]]:
    """The rows of `check`'s table as (place, level, field, message), without header or summary."""
    lines = result.stdout.splitlines()
    assert re.match(r"\d+ leaflets? checked: ", lines[-1]), result.stdout
    if len(lines) == 1:
        return []
    assert lines[0].split() == ["Where", "Level", "Field", "Message"]
    return [tuple(re.split(r"\s{2,}", line, maxsplit=3)) for line in lines[1:-1]]


def as_problem(row: tuple[str, str, str, str]) -> str:
    """A table row as the one-line problem `build` prints: file:line: field: message."""
    place, _, field, message = row
    return f"{place}: {field}: {message}" if field != "-" else f"{place}: {message}"


def check_json(project: "LeafletProject", *args: str) -> tuple[int, dict]:
    """Run `check --format json ARGS`: the exit status and the parsed report."""
    result = project.run("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def layout_line(text: str, layout: str = "clinic-a4") -> int:
    """The line of the shipped layout that starts with `text` ("  body: 12"), so a test that
    expects a message on it does not break when lines are added above it."""
    lines = (REPO / "layouts" / f"{layout}.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(text))


# The least a leaflet needs to pass every check: contact, authors and a reference.
def publishable(text: str) -> str:
    """A handout's YAML with what `check` requires for publication (authors, contact, a reference)
    added at the end where it is missing, so a test about something else is not refused for it.
    Added after everything else, so every line a test expects a message on stays where it was."""
    text = textwrap.dedent(text)
    if not text.endswith("\n"):
        text += "\n"
    if not re.search(r"(?m)^authors:", text):
        text += "authors: [Test team]\n"
    if not re.search(r"(?m)^contact:", text):
        text += "contact: Call us on 020 7946 0000.\n"
    if not re.search(r"(?m)^references:", text):
        text += ("references:\n  - id: guide\n    authors: [Test team]\n    title: A guide\n"
                 "    publisher: Test press\n    year: 2026\n")
    return text


MINIMAL = """\
    title: A leaflet
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Test team]
    contact: Call us on 020 7946 0000.
    sections:
      - heading: First
        body: Some words.
    references:
      - id: guide
        authors: [Test team]
        title: A guide
        publisher: Test press
        year: 2026
"""


# -- every PDF the suite builds is sound ----------------------------------------------------------
#
# Every PDF a test writes, in this process (through writing.write_atomically) or in a child
# process (found in pytest's temporary folders afterwards), is read back whole by pypdf in strict
# mode and, where qpdf is installed, passes `qpdf --check`. A test that leaves an unsound PDF
# behind fails at teardown, naming the file.

# The independent PDF readers the suite checks with: qpdf (every PDF), poppler's pdfinfo (the
# structure tree) and pdftotext (word boxes); for the scripts tests, Debian's Noto fonts and
# pdf.js; for the library page, Chromium and axe-core. On a fresh Debian machine, run as root as
# CI is, they are installed before the session starts, so `pip install -e '.[test]' && pytest` is
# all it takes; elsewhere install them yourself (apt-get install qpdf poppler-utils
# fonts-noto-core chromium npm; npm ci --prefix tests/pdfjs; npm ci --prefix tests/browser).
READERS = {"qpdf": "qpdf", "pdfinfo": "poppler-utils", "pdftotext": "poppler-utils",
           # the leaflet library's browser tests drive Debian's Chromium; npm installs pdf.js and axe-core
           "chromium": "chromium", "npm": "npm"}
# Debian's Noto fonts for the scripts tests (tests/test_scripts.py), found by one of their files.
NOTO_FONTS = (Path("/usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf"), "fonts-noto-core")
# pdf.js, pinned by tests/pdfjs/package-lock.json, installed with npm when node is there.
PDFJS = Path(__file__).parent / "pdfjs"
# axe-core, pinned by tests/browser/package-lock.json, for the library page's browser tests.
BROWSER = Path(__file__).parent / "browser"


def _missing_packages() -> list[str]:
    missing = {package for tool, package in READERS.items() if not shutil.which(tool)}
    if not NOTO_FONTS[0].exists():
        missing.add(NOTO_FONTS[1])
    return sorted(missing)


def pytest_sessionstart(session):
    missing = _missing_packages()
    # Under pytest-xdist the controller's session starts (and installs) before any worker's.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if missing and not worker and shutil.which("apt-get") and os.geteuid() == 0:
        for attempt in (["apt-get", "install", "-y", "-qq", *missing],
                        ["sh", "-c", "apt-get update -qq && apt-get install -y -qq " + " ".join(missing)]):
            subprocess.run(attempt, capture_output=True)
            if not _missing_packages():
                break
    for folder, package in ((PDFJS, "pdfjs-dist"), (BROWSER, "axe-core")):
        if not worker and not (folder / "node_modules" / package).exists() and shutil.which("npm"):
            subprocess.run(["npm", "ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent"],
                           capture_output=True)
    global QPDF
    QPDF = shutil.which("qpdf")


QPDF = shutil.which("qpdf")


def pdf_problems(path: Path) -> list[str]:
    """What is wrong with a PDF file: [] when pypdf (strict) reads every object and page and
    qpdf finds no error or warning."""
    problems = []
    data = path.read_bytes()
    if not data.startswith(b"%PDF-1.") or not data.rstrip().endswith(b"%%EOF"):
        problems.append("does not start with %PDF-1. and end with %%EOF")
    try:
        reader = PdfReader(path, strict=True)
        for generation, numbers in reader.xref.items():
            for number in numbers:
                if number:
                    reader.get_object(number)
        if not reader.pages:
            problems.append("has no pages")
        for page in reader.pages:
            page.extract_text()
    except Exception as exc:  # any failure to read is the finding
        problems.append(f"pypdf (strict): {type(exc).__name__}: {exc}")
    if QPDF:
        run = subprocess.run([QPDF, "--check", str(path)], capture_output=True, text=True, errors="replace")
        if run.returncode != 0 or "WARNING" in run.stdout + run.stderr:
            problems.append(f"qpdf --check exit {run.returncode}: {(run.stdout + run.stderr).strip()[-500:]}")
    return problems


class PdfAudit:
    """Checks each PDF once per version of it (path, mtime, size)."""

    def __init__(self, base: Path):
        self.base = base
        self.seen: set[tuple[str, int, int]] = set()
        self.failures: list[str] = []
        self.checked = 0

    def check(self, path: Path) -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key in self.seen:
            return
        self.seen.add(key)
        self.checked += 1
        self.failures.extend(f"{path}: {problem}" for problem in pdf_problems(path))

    def scan(self) -> None:
        """Check PDFs written by child processes (or by anything else) under pytest's temp folders."""
        for folder, _, names in os.walk(self.base):
            for name in names:
                if name.endswith(".pdf"):
                    self.check(Path(folder) / name)


@pytest.fixture(scope="session", autouse=True)
def pdf_audit(tmp_path_factory):
    """Watch every write of the engine for the whole session (so module fixtures are covered)."""
    from handout_builder.build import writing

    audit = PdfAudit(tmp_path_factory.getbasetemp())
    original = writing.write_atomically

    def write_and_audit(path, data):
        original(path, data)
        if Path(path).suffix == ".pdf":
            audit.check(Path(path))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writing, "write_atomically", write_and_audit)
        yield audit
    audit.scan()
    assert not audit.failures, "\n".join(audit.failures)


@pytest.fixture(autouse=True)
def every_pdf_is_sound(pdf_audit):
    """After each test: the PDFs it made, in-process or by a child process, are all sound."""
    yield
    pdf_audit.scan()
    failures, pdf_audit.failures[:] = list(pdf_audit.failures), []
    assert not failures, "unsound PDF:\n" + "\n".join(failures)


# -- builds several modules read ------------------------------------------------------------------
#
# Building every shipped leaflet in every layout takes seconds; the modules that read those PDFs
# share one build. Under pytest-xdist each worker has its own session, so the first worker to
# need a build makes it in the run's own temporary folder (the parent of the workers' ones) while
# holding a lock, and the others wait for it and read the same files: one build a run, however
# many workers. The worker that builds audits the PDFs (they lie outside its folder).

def shared_build(tmp_path_factory, audit: PdfAudit, name: str, *args: str) -> tuple[Path, subprocess.CompletedProcess]:
    """Run `build_pdf.py ARGS -o DIR` from the repository in a fresh process, once a test run;
    return DIR and the finished process (its exit code and output)."""
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent  # xdist puts each worker's folder in the run's folder
    out, record = run_dir / f"shared-{name}", run_dir / f"shared-{name}.json"
    with open(run_dir / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        if not record.exists():
            command = [sys.executable, "build_pdf.py", *args, "-o", str(out)]
            run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
            for pdf in sorted(out.glob("*.pdf")):
                audit.check(pdf)
            record.write_text(json.dumps({"args": command, "returncode": run.returncode, "stdout": run.stdout,
                                          "stderr": run.stderr}), encoding="utf-8")
        done = json.loads(record.read_text(encoding="utf-8"))
    return out, subprocess.CompletedProcess(**done)


@pytest.fixture(scope="session")
def every_layout(tmp_path_factory, pdf_audit) -> Path:
    """Every shipped leaflet in every shipped layout, built by the real command in a fresh process
    (`build --all-layouts`): the folder of PDFs, booklets' print sheets and -screen copies."""
    out, run = shared_build(tmp_path_factory, pdf_audit, "every-layout", "build", "--all-layouts")
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="session")
def shipped(tmp_path_factory, pdf_audit) -> tuple[Path, subprocess.CompletedProcess]:
    """Every handouts/*.yaml built in its own layout by the real command in a fresh process
    (`build`, as a clinic runs it): the folder and the finished process."""
    out, run = shared_build(tmp_path_factory, pdf_audit, "shipped", "build")
    assert run.returncode == 0, run.stderr
    return out, run


# -- the leaflet library (index.html) of the shipped leaflets ------------------------------------

# The day the library tests judge review status on: the fever leaflet (due 2028-11-01) is then
# overdue and the others current.
LIBRARY_TODAY = "2029-01-01"


@pytest.fixture(scope="session")
def shipped_library(tmp_path_factory) -> Path:
    """Every shipped leaflet built in every layout into one folder, with its index.html, as
    `build --all-layouts` makes it from the command line."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("library") / "out"
    env = dict(os.environ, HANDOUT_BUILDER_TODAY=LIBRARY_TODAY, SOURCE_DATE_EPOCH="1793491200")
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", "--all-layouts", "-o", str(folder)],
                         cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (folder / "index.html").is_file(), run.stdout
    return folder
