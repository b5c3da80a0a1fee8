"""A full leaflet built through the real command and read back with pypdf: page furniture,
headings, citations, the citation page, document information, bookmarks, links and fonts."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from conftest import LeafletProject, page_texts, words

RICH = """\
    title: Living with a central line
    subtitle: A guide for families
    version: "2.3"
    reviewed: 2026-10-15
    review_due: 2028-10-15
    authors: [Ward 7 nurses]
    keywords: [central line, infection]
    contact: "Call **Ward 7** on 020 7946 0999 or see [our page](https://example.org/ward7)."
    summary:
      - Keep the line dry [@guide2020].
      - Call us about a temperature of 38 °C or more.
    sections:
      - heading: What a central line is
        body: |
          A thin tube that goes into a large vein [@smith2019; @guide2020].

          1. Wash your hands.
          2. Check the dressing.
      - heading: Looking after it
        body: |
          | Task | How often |
          |---|---|
          | Change the dressing | Every 7 days |
          | Flush the line | Every week |

          > **Never** use scissors near the line.

          Later studies agree [@jones2021].
      - heading: Going home
        body: |
          See the guide again [@guide2020] and the older study [@smith2019].

          - Bring spare dressings.
          - Keep the clamp closed.
      - heading: Questions
        body: Ask us anything.
    references:
      - id: jones2021
        authors: [Jones B]
        title: Line care in children
        journal: Arch Dis Child
        year: 2021
        volume: "106"
        pages: 1-5
        doi: 10.1136/archdischild-2020-000001
      - id: smith2019
        authors: [Smith A, Brown C, Green D, White E, Black F, Grey G, Blue H]
        title: Central venous catheters in paediatric oncology
        journal: Pediatr Blood Cancer
        year: 2019
        month: Jun
        volume: "66"
        issue: "6"
        pages: e27654
      - id: guide2020
        authors: [Children's Cancer and Leukaemia Group]
        title: Central line care at home
        publisher: CCLG
        year: 2020
        url: https://example.org/cclg/lines
      - id: unused2018
        authors: [Never Cited]
        title: A book for further reading
        publisher: Example Press
        year: 2018
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """The RICH leaflet built once: (project, pdf path, page texts)."""
    root = tmp_path_factory.mktemp("rich") / "clinic"
    root.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        project = LeafletProject(root)
        project.write("central-line", RICH)
        result = project.run("build")
    assert result.exit_code == 0, result.stderr
    pdf = project.pdf("central-line")
    return project, pdf, page_texts(pdf), result


def test_build_prints_one_line_with_pages_and_size(rich):
    _, pdf, pages, result = rich
    assert re.fullmatch(
        rf"handouts/central-line\.yaml -> build/central-line\.pdf: {len(pages)} pages, \d+\.\d KB\n", result.stdout)
    assert f"{pdf.stat().st_size / 1024:.1f} KB" in result.stdout


def test_every_page_has_the_header_and_footer_with_right_page_numbers(rich):
    _, _, pages, _ = rich
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        lines = text.splitlines()
        # Header and footer lines share a baseline each, so they extract as one line each.
        assert lines[0] == "St Brigid's Children's Hospital Living with a central line"
        assert lines[-2] == "Children's Sarcoma Service · 020 7946 0000 · www.example.org/sarcoma"
        assert lines[-1] == f"Version 2.3 · Reviewed 15 October 2026 Page {number} of {len(pages)}"


def test_page_one_opens_with_title_subtitle_and_key_points(rich):
    _, _, pages, _ = rich
    body = pages[0].splitlines()[1:]
    assert body[:4] == ["Living with a central line", "A guide for families", "Key points", "•"]
    assert "Keep the line dry [1]." in words(pages[0])


def test_section_headings_in_order(rich):
    _, _, pages, _ = rich
    text = "\n".join(pages)
    positions = [text.index(f"\n{h}\n") for h in
                 ("What a central line is", "Looking after it", "Going home", "Questions", "References")]
    assert positions == sorted(positions)


def test_citations_numbered_in_order_of_first_use(rich):
    _, _, pages, _ = rich
    text = words(" ".join(pages))
    # guide2020 is cited first (key points), then smith2019, then jones2021.
    assert "Keep the line dry [1]." in text
    assert "large vein [1, 2]." in text
    assert "Later studies agree [3]." in text
    assert "See the guide again [1] and the older study [2]." in text


def test_references_page_is_last_and_in_citation_order(rich):
    _, _, pages, _ = rich
    last = words(pages[-1])
    assert "References" in last and "Going home" not in last
    assert "References" not in words(" ".join(pages[:-1]))
    first, second, third = (last.index(f"{n}. ") for n in (1, 2, 3))
    assert first < second < third
    assert "1. Children's Cancer and Leukaemia Group. Central line care at home [Internet]. CCLG; 2020. " \
           "Available from: https://example.org/cclg/lines" in last
    assert "2. Smith A, Brown C, Green D, White E, Black F, Grey G, et al. Central venous catheters in " \
           "paediatric oncology. Pediatr Blood Cancer. 2019 Jun;66(6):e27654." in last
    assert "3. Jones B. Line care in children. Arch Dis Child. 2021;106:1-5. " \
           "doi: 10.1136/archdischild-2020-000001." in last


def test_uncited_references_are_further_reading(rich):
    _, _, pages, _ = rich
    last = words(pages[-1])
    assert last.index("References") < last.index("Further reading") < last.index("Never Cited")
    assert "Never Cited. A book for further reading. Example Press; 2018." in last


def test_lists_tables_and_callouts_print_their_words(rich):
    _, _, pages, _ = rich
    text = words(" ".join(pages))
    assert "1. Wash your hands. 2. Check the dressing." in text
    assert "Task How often Change the dressing Every 7 days Flush the line Every week" in text
    assert "Never use scissors near the line." in text
    assert "• Bring spare dressings. • Keep the clamp closed." in text


def test_contact_box_and_authorship_after_last_section(rich):
    _, _, pages, _ = rich
    text = words(" ".join(pages[:-1]))
    assert text.index("Ask us anything.") < text.index("Contact us") < text.index(
        "Call Ward 7 on 020 7946 0999 or see our page (example.org/ward7).")
    assert ("Written by: Ward 7 nurses. Version 2.3, reviewed 15 October 2026, next review due "
            "15 October 2028.") in text


def test_document_information(rich):
    _, pdf, _, _ = rich
    reader = PdfReader(pdf)
    info = reader.metadata
    assert info.title == "Living with a central line"
    assert info.author == "St Brigid's Children's Hospital"
    assert info.subject == "A guide for families"
    assert info["/Keywords"] == "central line, infection"
    assert info.creator == "handout-builder 0.1.0"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_each_section_heading_is_a_bookmark_pointing_at_its_page(rich):
    _, pdf, pages, _ = rich
    reader = PdfReader(pdf)
    titles = [item.title for item in reader.outline]
    assert titles == ["Key points", "What a central line is", "Looking after it", "Going home", "Questions",
                      "Contact us", "References", "Further reading"]
    for item in reader.outline:
        page = reader.get_destination_page_number(item)
        assert item.title in pages[page]


def test_links_are_clickable(rich):
    _, pdf, pages, _ = rich
    reader = PdfReader(pdf)
    uris, internal = set(), 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
            elif "/Dest" in annot or (action and action.get("/S") == "/GoTo"):
                internal += 1
    assert {"https://example.org/ward7", "https://example.org/cclg/lines",
            "https://doi.org/10.1136/archdischild-2020-000001"} <= uris
    assert internal >= 5  # each citation links to its reference


def _all_objects(reader: PdfReader):
    seen, todo = set(), [reader.trailer]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            todo.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, list):
            todo.extend(obj)


def test_fonts_are_embedded_subsets_and_no_standard_font_appears(rich):
    _, pdf, _, _ = rich
    reader = PdfReader(pdf)
    fonts = [obj for obj in _all_objects(reader) if obj.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        name = font["/BaseFont"]
        assert re.fullmatch(r"/[A-Z]{6}\+\w[\w-]*", name), f"{name} is not a subset"
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"
        assert "/ToUnicode" in font, f"{name} cannot be extracted"
    names = {font["/BaseFont"].split("+")[1] for font in fonts}
    assert names <= {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoSans-BoldItalic",
                     "NotoSansMath-Regular", "DejaVuSans", "DejaVuSans-Bold"}
