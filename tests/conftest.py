"""Shared helpers: a throw-away leaflet project using the shipped layouts and fonts, a way to
run the real command line in it, and text extraction of the PDFs it builds (pypdf)."""
from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import build_pdf

REPO = Path(__file__).resolve().parent.parent


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


def page_texts(path: Path) -> list[str]:
    """The extracted text of each page, read back with pypdf in strict mode."""
    reader = PdfReader(path, strict=True)
    return [page.extract_text() for page in reader.pages]


def words(text: str) -> str:
    """Text with runs of whitespace made single spaces, for comparing across line breaks."""
    return " ".join(text.split())


MINIMAL = """\
    title: A leaflet
    version: "1.0"
    reviewed: 2026-11-01
    sections:
      - heading: First
        body: Some words.
"""
