"""Bugs the property tests (test_properties.py) and the snippet hunts found, each kept as a plain
test of the example that showed it. The fix for each is in the engine's shared mechanism; the
comment says where."""
from __future__ import annotations

import json
import textwrap

import pytest
from pypdf import PdfReader

from conftest import as_problem, page_texts, publishable, table_rows, words

TOP = 'title: A leaflet\nversion: "1.0"\nreviewed: 2026-11-01\n'
SECTION = "sections:\n  - heading: First\n    body: Some words.\n"


def body(markdown: str) -> str:
    return TOP + "sections:\n  - heading: First\n    body: " + json.dumps(markdown) + "\n"


def build(project, text: str):
    project.write("x", publishable(text))
    return project.run("build", "handouts/x.yaml")


def first_error(result) -> str:
    assert result.exit_code == 1 and "internal error" not in result.stderr, result.stderr
    return result.stderr.splitlines()[0]


def printed(project) -> str:
    return words(" ".join(page_texts(project.pdf("x"))))


# -- characters ---------------------------------------------------------------------------------

def test_a_character_beyond_the_basic_plane_extracts_as_itself(project):
    # reportlab_seam.EmbeddedFont: ReportLab wrote 😀 in the ToUnicode map as 5 hex digits, not UTF-16.
    result = build(project, TOP + 'subtitle: "Well done 😀 and 𝐀"\n' + SECTION)
    assert result.exit_code == 0, result.stderr
    assert "Well done 😀 and 𝐀" in printed(project)


@pytest.mark.parametrize("field, yaml_text", [
    ("authors[1]", 'authors: ["Ward 🦠 nurses"]\n'),
    ("version", None),
    ("references[1].authors[1]", "references:\n  - id: a1\n    title: T\n    authors: [Smith 🦠]\n"),
    ("references[1].journal", "references:\n  - id: a1\n    title: T\n    journal: J 🦠\n"),
])
def test_every_printed_field_is_checked_for_characters_and_named(project, field, yaml_text):
    # document._glyph_problems: authors and version were not checked (an internal error at layout),
    # and a reference's problem named only "references[1]".
    text = TOP.replace('"1.0"', '"1.0 🦠"') + SECTION if yaml_text is None else TOP + yaml_text + SECTION
    assert first_error(build(project, text)).split(": ")[1] == field
    assert "no bundled font can draw U+1F9A0 🦠 MICROBE" in first_error(build(project, text))


def test_a_broken_reference_does_not_also_break_the_citations_of_it(project):
    # handout.py: the citation check knew only valid references, so one mistake became two.
    result = build(project, body("See [@a1].") + 'references:\n  - id: a1\n    title: ""\n')
    assert result.stderr.splitlines() == ["handouts/x.yaml:9: references[1].title: is empty", "1 of 1 leaflets not built"]


@pytest.mark.parametrize("text, message", [
    ("Bullet \uf0b7 from Word", "U+F0B7 is a private-use character (often a bullet or symbol from a Word symbol "
                                "font); replace it with the character it stands for"),
    ("evil \u202e txt", "U+202E RIGHT-TO-LEFT OVERRIDE is an invisible text-direction control; remove it"),
    ("new \U000e0041 tag", "U+E0041 TAG LATIN CAPITAL LETTER A is not"),
    ("bell \x07", "U+0007 is an invisible control character; remove it"),
])
def test_characters_that_cannot_print_as_written_are_refused_by_name(project, text, message):
    # characters.py
    error = first_error(build(project, body(text)))
    assert error.startswith("handouts/x.yaml:6: sections[1].body: ")
    if "TAG LATIN" in message:  # unassigned in Python's Unicode tables, or no font: either is named
        assert "U+E0041" in error
    else:
        assert error.endswith(message)


def test_keywords_need_only_be_characters(project):
    # Keywords go to the PDF's metadata, not the page: right-to-left text is fine there.
    assert build(project, TOP + 'keywords: ["שלום"]\n' + SECTION).exit_code == 0
    assert PdfReader(project.pdf("x")).metadata["/Keywords"] == "שלום"
    error = first_error(build(project, TOP + 'keywords: ["a\\x16b"]\n' + SECTION))
    assert error == "handouts/x.yaml:4: keywords[1]: U+0016 is an invisible control character; remove it"


def test_soft_hyphens_and_stray_byte_order_marks_are_dropped(project):
    # fields.py: ReportLab swallowed the space after a soft hyphen ("& &" printed "&&") and wrote
    # it wrongly in the metadata title; a mid-text U+FEFF lost the text around it.
    result = build(project, 'title: "Pae\\u00addiatric & \\u00ad& care"\nversion: "1"\nreviewed: 2026-11-01\n'
                            'authors: ["Ward\\ufeff 7"]\n' + SECTION)
    assert result.exit_code == 0, result.stderr
    assert PdfReader(project.pdf("x")).metadata.title == "Paediatric & & care"
    assert "Paediatric & & care" in printed(project) and "Written by: Ward 7." in printed(project)


def test_a_field_of_invisible_characters_is_empty(project):
    # fields.py: a contact of one zero-width joiner printed an empty "Contact us" box.
    error = first_error(build(project, 'title: "\\u200d\\u200b"\nversion: "1"\nreviewed: 2026-11-01\n' + SECTION))
    assert error == "handouts/x.yaml:1: title: is empty"
    # a contact of nothing but a zero-width joiner is no contact (check requires one)
    assert first_error(build(project, TOP + 'contact: "\\u200d"\n' + SECTION)) == (
        "handouts/x.yaml:1: contact: missing: families need to know whom to call (add contact: with a phone number)")


# -- the running header and footer -------------------------------------------------------------

def test_a_line_break_in_a_clinic_detail_prints_as_a_space(project):
    # pages.draw_text drew a line break as an empty box.
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("organisation: St Brigid's Children's Hospital",
                                                 'organisation: "St Brigid\'s\\nChildren\'s\\tHospital"'))
    assert build(project, TOP + SECTION).exit_code == 0
    assert page_texts(project.pdf("x"))[0].split("\n")[0] == "St Brigid's Children's Hospital A leaflet"


@pytest.mark.parametrize("field, line", [("organisation", None), ("web", None)])
def test_clinic_details_too_long_for_the_page_are_refused_not_cut(project, field, line):
    # furniture.py: the footer was cut short with "…" and a long organisation ran off the page.
    layout = project.root / "layouts" / "clinic-a4.yaml"
    lines = layout.read_text().splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith(f"  {field}:"))
    lines[at] = f"  {field}: www.example.org/" + "a" * 3000
    layout.write_text("\n".join(lines) + "\n")
    error = first_error(build(project, TOP + SECTION))
    where = "header" if field == "organisation" else "footer"
    assert error.startswith(f"layouts/clinic-a4.yaml: clinic.{field}: too long for the {where} by ")
    assert error.endswith(" mm (it must fit on one line of the page); shorten it")
    assert as_problem(table_rows(project.run("check"))[0]) == error  # check finds it too


def test_a_version_too_long_for_the_footer_is_refused(project):
    error = first_error(build(project, TOP.replace('"1.0"', '"' + "1.0-draft-" * 12 + '"') + SECTION))
    assert error.startswith("handouts/x.yaml:2: version: too long for the footer by ")


def test_a_long_title_is_shortened_only_in_the_header(project):
    title = "A very long title " * 40
    assert build(project, TOP.replace("A leaflet", title) + SECTION).exit_code == 0
    first_page = page_texts(project.pdf("x"))[0].split("\n")
    # too long to stand beside the organisation: the header puts it on a row of its own, cut short
    assert first_page[0] == "St Brigid's Children's Hospital"
    assert first_page[1].startswith("A very long title") and first_page[1].endswith("…")
    assert words(title) in printed(project)


# -- Markdown shapes ----------------------------------------------------------------------------

@pytest.mark.parametrize("markdown, expected", [
    ("> > A callout in a callout", "A callout in a callout"),  # story: KeepTogether inside a cell crashed
    ("> - > - a list in a callout in a list", "a list in a callout in a list"),
    ("See [ü](https://example.org/grüße).", "See ü (example.org/grüße)."),  # printed as written, not %C3%BC
])
def test_markdown_shapes_that_crashed_or_misprinted(project, markdown, expected):
    result = build(project, body(markdown))
    assert result.exit_code == 0, result.stderr
    assert expected in printed(project)


def test_an_empty_list_item_is_refused(project):
    # limits.py: an all-empty list crashed ReportLab; an empty item among others vanished, and an
    # empty numbered item left a gap in the numbers.
    for markdown in ("-\n-", "Items:\n\n-\n- second", "1. first\n2.\n3. third"):
        error = first_error(build(project, TOP + "sections:\n  - heading: First\n    body: |\n"
                                  + textwrap.indent(markdown, "      ") + "\n"))
        line = 7 + markdown.split("\n").index(next(x for x in markdown.split("\n") if x in ("-", "2.")))
        assert error == (f"handouts/x.yaml:{line}: sections[1].body: a list item with nothing after its '-' or "
                         "number; write the item or remove the line"), markdown


def test_json_style_escapes_of_a_character_beyond_the_basic_plane(project):
    # source.py: "\ud83d\ude00" is how JSON (valid YAML) writes 😀; PyYAML leaves two halves.
    assert build(project, TOP + 'subtitle: "Well done \\ud83d\\ude00"\n' + SECTION).exit_code == 0
    assert "Well done 😀" in printed(project)
    error = first_error(build(project, TOP + 'subtitle: "half \\ud83d"\n' + SECTION))
    assert error == "handouts/x.yaml:4: text holds half of a UTF-16 pair (a \\ud800-\\udfff escape); write the character itself"


def test_links_that_lead_nowhere_from_a_pdf_are_refused(project):
    # A link to a missing anchor crashed; a link with no scheme printed as a dead link. check refuses both.
    result = build(project, body("[top](#top) [page](page.html) [web](https://example.org)"))
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"handouts/x.yaml:6: sections[1].body: link '{href}' is not a web address starting with http:// or https:// "
        "(or a mailto: or tel: address)" for href in ("#top", "page.html")]


def test_text_nested_deeper_than_markdown_can_parse_is_refused_not_dropped(project):
    # limits.py: markdown-it stops parsing at 20 levels and silently drops the text below.
    error = first_error(build(project, body("> " * 30 + "deep text")))
    assert error == ("handouts/x.yaml:6: sections[1].body: lists and callouts are nested more than 4 deep here; "
                     "flatten them (deeper text would be squeezed into a sliver of the page)")


def test_numbers_too_long_to_convert_do_not_crash(project):
    error = first_error(build(project, TOP + SECTION + "references:\n  - id: a1\n    title: T\n    year: "
                              + "9" * 5000 + "\n"))
    assert error.startswith("handouts/x.yaml:10: references[1].year: must be a whole number, not '999")
    assert len(error) < 200


def test_the_found_examples_are_plain_text_too(project):
    # The property tests' example texts, written as an author would, in a block.
    project.write("x", publishable(TOP + "sections:\n  - heading: First\n    body: |\n" + textwrap.indent(
        "&&&&& <b>not bold</b> \\*not emphasis\\* [words](https://example.org/a_b) ``code`` e\u0301 ß Σ ж ≥ µ ½\n", "      ")))
    assert project.run("build").exit_code == 0
    assert ("&&&&& <b>not bold</b> *not emphasis* words (example.org/a_b) code e\u0301 ß Σ ж ≥ µ ½"
            in printed(project))


def test_an_introducing_line_inside_a_callout_or_list_item_builds(project):
    # story.add kept "...:" with the list after it as a KeepTogether, which ReportLab cannot lay
    # out inside a table cell (a callout) or a list item: an internal error ('Kept' ... 'canv').
    result = build(project, TOP + "sections:\n  - heading: First\n    body: |\n"
                   "      > Before you go:\n      >\n      > - take your card\n      > - take your medicines\n\n"
                   "      - Things to bring:\n        - a toy\n        - a blanket\n")
    assert result.exit_code == 0, result.stderr
    assert ("Before you go: • take your card • take your medicines • Things to bring: • a toy • a blanket"
            in printed(project))
