"""booklet-a5: A5 pages imposed two-up on A4 landscape in saddle-stitch order, checked by the
page numbers printed in each A5 page's footer and where they sit on each sheet side."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import page_texts
from handout_builder.render.imposition import booklet_order
from pdf_reading import text_runs

# Sheet sides in printing order, (left, right): sheet 1 front, sheet 1 back, sheet 2 front, ...
EXPECTED = {
    1: [(None, 1), (None, None)],
    4: [(4, 1), (2, 3)],
    5: [(None, 1), (2, None), (None, 3), (4, 5)],
    8: [(8, 1), (2, 7), (6, 3), (4, 5)],
}


@pytest.mark.parametrize("pages, sides", [(1, EXPECTED[1]), (4, EXPECTED[4]), (5, EXPECTED[5]), (8, EXPECTED[8])])
def test_booklet_order(pages, sides):
    assert booklet_order(pages) == sides


def test_blank_pages_only_ever_follow_the_content():
    for pages in range(1, 30):
        placed = sorted(n for side in booklet_order(pages) for n in side if n is not None)
        assert placed == list(range(1, pages + 1))
        assert len(booklet_order(pages)) * 2 % 4 == 0  # whole sheets, two sides each


def leaflet(paragraphs: int) -> str:
    body = "\n\n".join(f"Paragraph {n} of the leaflet, which says one small thing and then stops." for n in
                       range(1, paragraphs + 1))
    body = body.replace("\n", "\n          ")
    return f"""\
    title: A booklet
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Ward 7 nurses]
    contact: Call Ward 7 on 020 7946 0999.
    sections:
      - heading: Everything
        body: |
          {body}
    references:
      - id: guide
        authors: [Ward 7 nurses]
        title: A guide
        publisher: St Brigid's
        year: 2026
    """


def build_with_pages(project, pages: int):
    """Write and build a leaflet with exactly `pages` A5 pages (found by bisecting its length)."""
    def a5_pages(paragraphs: int) -> int:
        project.write("b", leaflet(paragraphs))
        result = project.run("build", "-l", "booklet-a5")
        assert result.exit_code == 0, result.stderr
        return len(PdfReader(project.pdf("b-booklet-a5-screen")).pages)

    low, high = 1, 40 * pages
    while low < high:  # the fewest paragraphs that fill `pages` pages
        middle = (low + high) // 2
        if a5_pages(middle) >= pages:
            high = middle
        else:
            low = middle + 1
    assert a5_pages(low) == pages
    return project.pdf("b-booklet-a5")


def sides_by_page_number(path) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers on each imposed sheet side, read from the footers' "Page N of M"."""
    reader = PdfReader(path)
    middle = float(reader.pages[0].mediabox.width) / 2
    sides = [[None, None] for _ in reader.pages]
    text_on = [[False, False] for _ in reader.pages]
    for run in text_runs(path):
        half = 0 if run.x < middle else 1
        text_on[run.page][half] = True
        found = re.match(r"Page (\d+) of \d+", run.text.strip())
        if found:
            assert sides[run.page][half] is None, "two page numbers on one half"
            sides[run.page][half] = int(found.group(1))
    for side, has_text in zip(sides, text_on):
        for number, text in zip(side, has_text):
            assert (number is None) == (not text), "a half with text but no page number, or the reverse"
    return [tuple(side) for side in sides]


@pytest.mark.parametrize("pages", [4, 5, 8])
def test_booklet_sheets_carry_the_pages_in_saddle_stitch_order(project, pages):
    path = build_with_pages(project, pages)
    assert sides_by_page_number(path) == EXPECTED[pages]
    reader = PdfReader(path)
    assert len(reader.pages) == len(EXPECTED[pages])
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == (841.89, 595.28)
    # The screen copy keeps the A5 pages in reading order, with no blank pages added.
    screen = page_texts(project.pdf("b-booklet-a5-screen"))
    assert [re.search(r"Page (\d+) of", text).group(1) for text in screen] == [str(n) for n in range(1, pages + 1)]


def test_build_says_how_to_print_the_booklet(project):
    project.write("b", leaflet(3))
    result = project.run("build", "-l", "booklet-a5")
    assert result.stdout.splitlines() == [
        f"handouts/b.yaml -> build/b-booklet-a5.pdf: a booklet of 4 pages on 1 sheet (print both sides, flip on the "
        f"short edge, fold), {project.pdf('b-booklet-a5').stat().st_size / 1024:.1f} KB",
        f"handouts/b.yaml -> build/b-booklet-a5-screen.pdf: 2 pages, "
        f"{project.pdf('b-booklet-a5-screen').stat().st_size / 1024:.1f} KB",
    ]
    info = PdfReader(project.pdf("b-booklet-a5")).metadata
    assert info.title == "A booklet (booklet for printing)"
