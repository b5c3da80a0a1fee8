"""The corpus of broken handouts (tests/broken/*.yaml, expected.tsv): every kind of mistake an
author can make in a file gets its exact one-line message and exit status from both `build` and
`check`, never a traceback, and the PDF a previous good build left stays byte for byte."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, REPO, LeafletProject, as_problem, page_texts, table_rows, words

BROKEN = Path(__file__).parent / "broken"


def _expected() -> dict[str, tuple[int, str]]:
    table = {}
    for row in (BROKEN / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            name, status, message = row.split("\t")
            table[name] = (int(status), message)
    return table


EXPECTED = _expected()


def test_every_file_in_the_corpus_has_an_expected_message_and_vice_versa():
    assert sorted(EXPECTED) == sorted(p.name for p in BROKEN.glob("*.yaml"))
    assert len(EXPECTED) >= 30


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    """A good leaflet's PDF, to stand as the last good build of every broken file."""
    root = tmp_path_factory.mktemp("good") / "clinic"
    root.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        project = LeafletProject(root)
        project.write("good", MINIMAL)
        assert project.run("build").exit_code == 0
    return project.pdf("good").read_bytes()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_handout(project, good_pdf, name):
    status, message = EXPECTED[name]
    target = project.root / "handouts" / name
    shutil.copyfile(BROKEN / name, target)
    old = project.root / "build" / (target.stem + ".pdf")
    old.parent.mkdir()
    old.write_bytes(good_pdf)
    result = project.run("build", f"handouts/{name}")
    assert result.exit_code == status, result.stderr
    assert result.stderr.splitlines()[0] == message
    assert result.stderr.splitlines()[-1] == "1 of 1 leaflets not built"
    assert "Traceback" not in result.stderr and result.stdout == ""
    # check lists the same problem first in its table, as an error
    result = project.run("check", f"handouts/{name}")
    assert result.exit_code == status and result.stderr == "", result.stderr
    rows = table_rows(result)
    assert as_problem(rows[0]) == message and rows[0][1] == "error"
    assert old.read_bytes() == good_pdf
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]  # no temporary left behind


def test_a_50_megabyte_file_is_refused_before_it_is_read(project):
    path = project.root / "handouts" / "huge.yaml"
    with path.open("wb") as out:  # what an author's runaway paste might make; never committed
        out.write(b'title: A leaflet\nversion: "1.0"\nreviewed: 2026-11-01\nsections:\n  - heading: H\n    body: |\n')
        line = b"      " + b"word " * 200 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size > 50 * 1024 * 1024
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "handouts/huge.yaml: file is 50.0 MB; a leaflet's YAML must be under 5 MB", "1 of 1 leaflets not built"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "crlf", "cr"])
def test_a_byte_order_mark_or_other_line_endings_build_fine(project, encoding):
    text = textwrap.dedent(MINIMAL).replace("Some words.", "Café ≥ 38 °C.")
    data = {"utf-8-sig": text.encode("utf-8-sig"), "crlf": text.replace("\n", "\r\n").encode(),
            "cr": text.replace("\n", "\r").encode()}[encoding]
    (project.root / "handouts" / "x.yaml").write_bytes(data)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("x"))))
    assert "A leaflet First Café ≥ 38 °C." in text


def test_the_whole_corpus_in_one_real_run(tmp_path):
    """A batch of every broken file and two good ones, by a real process: each broken file gets
    its line, the good leaflets still build, and the exit status says leaflets failed."""
    project = LeafletProject(tmp_path)
    for name in EXPECTED:
        shutil.copyfile(BROKEN / name, project.root / "handouts" / name)
    project.write("aaa-good", MINIMAL)
    project.write("zzz-good", MINIMAL)
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    for name, (_, message) in EXPECTED.items():
        assert message in lines, name
    assert lines[-1] == f"{len(EXPECTED)} of {len(EXPECTED) + 2} leaflets not built"
    assert run.stdout.splitlines()[0].startswith("handouts/aaa-good.yaml -> build/aaa-good.pdf: 2 pages")
    assert run.stdout.splitlines()[1].startswith("handouts/zzz-good.yaml -> build/zzz-good.pdf: 2 pages")
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["aaa-good.pdf", "build-cache", "build-manifest.json", "index.html", "zzz-good.pdf"]
    listed = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "list"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert listed.returncode == 1 and listed.stderr == ""
    assert len(listed.stdout.splitlines()) == len(EXPECTED) + 3  # a heading row, then one row a file
    # list reads each file but does not lay it out: all but the mistakes found then are flagged
    assert listed.stdout.count("problem(s): run check") >= len(EXPECTED) - 5
    assert "internal error" not in listed.stdout


def test_a_folder_with_no_handouts_is_a_usage_error(project):
    (project.root / "drafts").mkdir()
    result = project.run("build", "drafts")
    assert result.exit_code == 2
    assert "no handouts found in drafts/" in result.stderr
