"""The soundness check every PDF of the suite goes through (conftest.pdf_problems) can fail: a
truncated or corrupted PDF is caught, a good one passes, and the audit sees PDFs built both in
this process and by a child process."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import MINIMAL, QPDF, REPO, pdf_problems


@pytest.fixture
def good_pdf(project):
    project.write("x", MINIMAL)
    assert project.run("build").exit_code == 0
    return project.pdf("x")


def test_a_good_pdf_has_no_problems(good_pdf):
    assert pdf_problems(good_pdf) == []


def test_a_truncated_pdf_is_caught(good_pdf, tmp_path):
    cut = tmp_path / "cut.pdf-part"  # not *.pdf: the teardown audit would rightly flag it
    cut.write_bytes(good_pdf.read_bytes()[: good_pdf.stat().st_size * 2 // 3])
    problems = pdf_problems(cut)
    assert any("%%EOF" in p for p in problems)
    assert any(p.startswith("pypdf (strict)") for p in problems)
    if QPDF:
        assert any(p.startswith("qpdf --check") for p in problems)


def test_a_corrupted_object_is_caught(project, tmp_path):
    # Untagged, so the page objects are plain text to corrupt (tagged PDFs pack them in object streams).
    (project.root / "layouts" / "plain.yaml").write_text("extends: clinic-a4\naccessibility:\n  tagged: false\n")
    project.write("x", MINIMAL)
    assert project.run("build", "-l", "plain").exit_code == 0
    data = project.pdf("x-plain").read_bytes()
    assert b"/MediaBox [ 0 0 " in data
    bad = tmp_path / "bad.pdf-part"  # the page's box made unreadable, every offset unchanged
    bad.write_bytes(data.replace(b"/MediaBox [ 0 0 ", b"/MediaBox ( 0 0 ", 1))
    problems = pdf_problems(bad)
    assert any(p.startswith("pypdf (strict)") for p in problems)
    if QPDF:
        assert any(p.startswith("qpdf --check") for p in problems)


def test_the_audit_sees_in_process_and_child_process_builds(project, pdf_audit, tmp_path):
    before = pdf_audit.checked
    project.write("x", MINIMAL)
    assert project.run("build").exit_code == 0  # in process: checked as it is written
    assert pdf_audit.checked == before + 1
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", str(project.root / "handouts"),
                          "-o", str(tmp_path / "child")], cwd=project.root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pdf_audit.scan()  # what the per-test teardown does
    assert pdf_audit.checked == before + 2
