"""Things too big for a page (tests/big_leaflets.py): each builds into a correct PDF, split across
pages or wrapped, with every word in order and nothing outside the margins, or is refused with one
clear line. None raises ReportLab's LayoutError or loops (a build over 120 s fails the test).
How long each takes and how much memory it needs: bench/too_big.py, not these tests."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import big_leaflets as big
from conftest import page_texts
from test_properties import page_bodies, time_limit

A4_WIDTH, MARGIN = 595.2756, 22 * 72 / 25.4  # clinic-a4: 22 mm left and right


def build(project, text: str):
    project.write("x", text)
    with time_limit(120):
        return project.run("build", "handouts/x.yaml")


def built(project, text: str) -> list[str]:
    result = build(project, text)
    assert result.exit_code == 0, result.stderr
    assert_inside_the_margins(project.pdf("x"))
    return page_texts(project.pdf("x"))


def refused(project, text: str, problems: int = 1) -> str:
    """The first problem line of a refused build (which has `problems` of them)."""
    result = build(project, text)
    assert result.exit_code == 1 and "internal error" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == problems + 1, result.stderr
    return result.stderr.splitlines()[0]


def assert_inside_the_margins(pdf: Path) -> None:
    """No word runs into the side margins or off the page (pdftotext's word boxes), where poppler is installed."""
    if not shutil.which("pdftotext"):
        return
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', boxes)
    assert words
    for low, high in words:
        assert MARGIN - 1 <= float(low) and float(high) <= A4_WIDTH - MARGIN + 1, (low, high)


def in_order(pages: list[str], pattern: str) -> list[str]:
    return re.findall(pattern, " ".join(pages))


def test_ten_thousand_words_in_paragraphs_split_across_pages(project):
    pages = built(project, big.words_in_paragraphs())
    assert len(pages) >= 20
    assert in_order(pages, r"\bw\d+\b") == big.numbered(10_000)
    for number, page in enumerate(pages, start=1):
        assert page.split("\n")[-1].endswith(f"Page {number} of {len(pages)}")


def test_ten_thousand_words_in_one_paragraph_split_across_pages(project):
    pages = built(project, big.words_in_one_paragraph())
    assert len(pages) >= 20
    assert in_order(pages, r"\bw\d+\b") == big.numbered(10_000)


def test_a_3000_character_address_wraps_in_a_paragraph_a_link_and_a_cell(project):
    built(project, big.long_address_in_body())
    body, _ = page_bodies(project.pdf("x"))  # without the running header and footer
    text = re.sub(r"\s+", "", body)  # the address is broken across lines and pages, never cut
    address = big.URL.removeprefix("https://")
    assert f"Read{big.URL}today." in text
    assert f"Orfollowourpage({address})." in text
    # The table's one cell holds a word wider than any column: the table prints as a block
    # ("Where: ..."), which wraps the address across lines and pages like a paragraph.
    assert f"({address}).Where:{big.URL}Contactus" in text


def test_a_word_longer_than_a_line_wraps_everywhere(project):
    built(project, big.long_word())
    text = re.sub(r"\s+", "", page_bodies(project.pdf("x"))[0])
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 9
    # the table's cell is wider than its column, so the table prints as a block a row ("A: ...")
    for place in (f"Key{word}point.", f"Head{word}", f"Before{word}after.", f"A:{word}B:short"):
        assert place in text


def test_a_table_of_300_rows_repeats_its_header_on_every_page(project):
    pages = built(project, big.table_rows(300))
    assert in_order(pages, r"\br\d+\b") == [f"r{n}" for n in range(1, 301)]
    assert in_order(pages, r"\bm\d+\b") == [f"m{n}" for n in range(1, 301)]
    table_pages = [page for page in pages if re.search(r"\br\d+\b", page)]
    assert len(table_pages) >= 10
    for page in table_pages:
        assert "Row Medicine When" in " ".join(page.split())


@pytest.mark.parametrize("make", [big.tall_cell, big.tall_callout], ids=["table cell", "callout"])
def test_a_cell_or_callout_taller_than_a_page_splits_across_pages(project, make):
    pages = built(project, make(3_000))
    assert len(pages) >= 5
    assert in_order(pages, r"\bw\d+\b") == big.numbered(3_000)


def test_key_points_taller_than_a_page_split_across_pages(project):
    pages = built(project, big.tall_key_points())
    assert in_order(pages, r"\bp\d+w\d+\b") == [f"p{p}w{w}" for p in range(1, 61) for w in range(1, 61)]


def test_500_references_are_numbered_in_order(project):
    pages = built(project, big.references(500))
    assert "Cited [1–500]." in " ".join(pages)
    listed = in_order(pages, r"(\d+)\.\s*Author A(\d+)\. Study number (\d+)\.")
    assert [tuple(map(int, entry)) for entry in listed] == [(n, n, n) for n in range(1, 501)]


def test_a_table_header_row_taller_than_a_page_is_refused_naming_the_section(project):
    assert refused(project, big.tall_header_row()) == (
        "handouts/x.yaml:5: sections[1]: a table or box here is too large to fit on a page, even on a page of its "
        "own (a table's header row repeats on every page, so it must fit on one); break it up")


def test_lists_nested_too_deep_are_refused(project):
    # Below 10 levels markdown-it stops parsing: the deepest item comes out empty, a second problem.
    assert refused(project, big.deep_nesting(12), problems=2) == (
        "handouts/x.yaml:11: sections[1].body: lists and callouts are nested more than 4 deep here; flatten them "
        "(deeper text would be squeezed into a sliver of the page)")
    built(project, big.deep_nesting(4))


def test_a_table_wider_than_the_page_is_refused(project):
    from handout_builder.inputs.layout_file import load_layout
    from handout_builder.text.limits import max_columns
    from handout_builder.inputs.project import Project
    from handout_builder.world import World

    fit = max_columns(load_layout(Project(project.root), "clinic-a4", World(project.root)))  # 10 with 11 pt table text on A4
    assert 6 <= fit <= 12
    assert refused(project, big.wide_table(60)) == (
        f"handouts/x.yaml:7: sections[1].body: this table has 60 columns; at most {fit} fit across the page")
    assert refused(project, big.wide_table(fit + 1)).endswith(f"has {fit + 1} columns; at most {fit} fit across the page")
    built(project, big.wide_table(fit))


def test_a_table_squeezed_by_a_narrow_layout_is_refused_naming_the_section(project):
    # The column limit is for the page; inside callouts on a narrow page a table can still be too
    # wide for its cell padding. ReportLab's error becomes one line naming the section.
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("margin_left: 22mm", "margin_left: 60mm")
                      .replace("box_padding: 10", "box_padding: 40"))
    table = "|" + "a|" * 4 + "\n|" + "---|" * 4 + "\n|" + "x|" * 4
    markdown = "> > > > " + "\n> > > > ".join(table.split("\n"))
    text = big.TOP + "sections:\n" + big.section("Intro.") + big.section(markdown, heading="Second") + big.WHO + big.GUIDE
    assert refused(project, text) == (
        "handouts/x.yaml:8: sections[2]: a table or box here is too wide to fit on a page, even on a page of its "
        "own (a table's header row repeats on every page, so it must fit on one); break it up")


def test_a_paragraph_too_long_to_lay_out_is_refused(project):
    assert refused(project, big.long_paragraph(90_000)) == (
        "handouts/x.yaml:7: sections[1].body: a paragraph of 90,000 characters is too long to lay out; break it "
        "into paragraphs of at most 80,000 characters (about 12,000 words)")


def test_a_leaflet_of_more_than_20000_blocks_is_refused(project):
    items = "\n".join(f"- item {n}" for n in range(20_001))
    assert refused(project, big.TOP + "sections:\n" + big.section(items)) == (
        "handouts/x.yaml: sections: the leaflet has 20,001 paragraphs, list items and table cells; at most 20,000 "
        "make a leaflet (about 600 pages): split it into leaflets")


def test_a_leaflet_of_more_than_a_million_characters_is_refused_before_parsing(project):
    assert refused(project, big.worst_list(2)) == (
        "handouts/x.yaml: sections: the leaflet has 1,129,285 characters of text; at most 1,000,000 make a leaflet "
        "(about 500 pages): split it into leaflets")


def test_a_file_of_too_many_values_is_refused_while_it_is_read(project):
    # source._CountingLoader: PyYAML would otherwise compose every value (a minute, gigabytes) first.
    assert refused(project, big.worst_yaml_values(0.3)) == (
        "handouts/x.yaml:4: the file holds over 100,000 values; a leaflet has a few hundred (YAML anchors and "
        "aliases can multiply them)")
