"""Lines never break inside a phone number, a date, a citation group, a PMID or a web address,
in every layout, with the text placed so the unit would end right at the end of a line (and so
at a page break too, the last line of a page being a line end). Line breaking belongs to the
shaped-text engine (render/shaped.py, issue 13); these tests hold it to the rule. A web address
that fits on a line moves to the next whole; only one wider than a line breaks (after "/")."""
from __future__ import annotations

import pytest

from conftest import page_texts, publishable

LAYOUTS = ("booklet-a5", "clinic-a4", "clinic-letter", "email", "large-print")
# (name, as written in Markdown, as printed)
UNITS = [
    ("phone", "020 7946 0000", "020 7946 0000"),
    ("date", "1 November 2028", "1 November 2028"),
    ("citation", "[@a; @b]", "[1, 2]"),
    ("address", "www.example.org/sarcoma/leaflets", "www.example.org/sarcoma/leaflets"),
]


def _variants(unit: str) -> str:
    """Paragraphs that put `unit` at every place across a line's end: a run of words, then a
    word of 1 to 14 letters, then the unit."""
    paragraphs = []
    for words in range(4, 18, 3):
        for letters in range(1, 15):
            paragraphs.append(" ".join(["Call"] * words) + " " + "m" * letters + f" {unit} now.")
    return "\n\n".join(paragraphs)


def _leaflet(unit: str) -> str:
    body = "\n".join("      " + line for line in _variants(unit).split("\n"))
    return publishable(f"title: Units\nversion: '1.0'\nreviewed: 2026-10-01\nsections:\n  - heading: Units\n"
                       f"    body: |\n{body}\nreferences:\n  - id: a\n    authors: [Team]\n    title: A\n"
                       f"    publisher: P\n    year: 2026\n    pmid: '9400508'\n  - id: b\n    authors: [Team]\n"
                       f"    title: B\n    publisher: P\n    year: 2026\n    pmid: '9400509'\n")


def _broken(lines: list[str], printed: str) -> list[str]:
    """Lines that end with the start of `printed` and whose next line goes on with the rest."""
    found = []
    for line, following in zip(lines, lines[1:]):
        for cut in range(1, len(printed)):
            head, tail = printed[:cut].rstrip(), printed[cut:].lstrip()
            if line.rstrip().endswith(head) and following.lstrip().startswith(tail) and head and tail:
                found.append(f"{line!r} / {following!r}")
                break
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name,written,printed", UNITS, ids=[unit[0] for unit in UNITS])
def test_a_unit_is_never_split_across_lines(project, layout, name, written, printed):
    project.write("units", _leaflet(written))
    result = project.run("build", "handouts/units.yaml", "--layout", layout)
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = [line for page in page_texts(project.pdf(f"units-{layout}")) for line in page.split("\n")]
    assert any(printed in line for line in lines)  # it is printed, whole, somewhere
    assert _broken(lines, printed) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_pmid_is_never_split_across_lines_on_the_citation_page(project, layout):
    # References whose titles grow a letter at a time, so "PMID: 94005nn" falls at every place of a line.
    refs, cites = [], []
    for n in range(40):
        refs.append(f"  - id: r{n}\n    authors: [Team]\n    title: Care at home {'m' * (n % 20 + 1)} "
                    f"{'word ' * (n // 20)}\n    journal: J Care\n    year: 2026\n    pmid: '94005{n:02d}'\n")
        cites.append(f"[@r{n}]")
    project.write("pmids", publishable("title: Units\nversion: '1.0'\nreviewed: 2026-10-01\nsections:\n"
                                       "  - heading: Units\n    body: Cited " + " ".join(cites) + ".\n"
                                       "references:\n" + "".join(refs)))
    result = project.run("build", "handouts/pmids.yaml", "--layout", layout)
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = [line for page in page_texts(project.pdf(f"pmids-{layout}")) for line in page.split("\n")]
    assert sum("PMID: 94005" in line for line in lines) >= 1
    broken = [f"{a!r} / {b!r}" for a, b in zip(lines, lines[1:])
              if a.rstrip().endswith(("PMID:", "PMID")) or (a.rstrip().endswith("PMID: 94005") and b[:1].isdigit())]
    assert broken == []
