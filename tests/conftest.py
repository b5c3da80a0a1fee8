"""Shared helpers: a throw-away leaflet project using the shipped layouts and fonts, a way to
run the real command line in it, and text extraction of the PDFs it builds (pypdf)."""
from __future__ import annotations

import json
import re
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


# The least a leaflet needs to pass every check: contact, authors and a reference.
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
