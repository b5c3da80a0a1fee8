"""One leaflet built in every shipped layout with `build --all-layouts`, read back: page sizes,
large print (type size, bold emphasis, no tints, tables that never overflow), the email PDF
(size, viewer preferences, links) and the QR code to the online version."""
from __future__ import annotations

import unicodedata

import pytest
from pypdf import PdfReader

from conftest import LeafletProject, page_texts, words
from pdf_reading import char_boxes, link_targets, picture, text_runs
from handout_builder.inputs.language import catalogue_codes, load_catalogue

LAYOUTS = ("booklet-a5", "clinic-a4", "clinic-letter", "easy-read", "email", "large-print")
URL = "https://www.example.org/sarcoma/leaflets/line-care"

LEAFLET = f"""\
    title: Looking after a central line
    subtitle: A guide for families
    version: "2.0"
    reviewed: 2026-10-15
    authors: [Ward 7 nurses]
    url: {URL}
    contact: "Call **Ward 7** on 020 7946 0999."
    summary:
      - Keep the line *dry* and covered [@guide2020].
      - Call us about a temperature of 38 °C or more.
    sections:
      - heading: What a central line is
        body: |
          A thin tube that goes into a *large* vein in the chest [@smith2019]. More is at
          www.nhs.uk/conditions/central-line and https://example.org/cclg/lines/ for families.

          | Task | How often | Who does it | What to look for |
          |---|---|---|---|
          | Change the dressing over the line | Every seven days, or sooner if it is wet | A nurse at home or on the ward | Redness, swelling, oozing or pain where the line goes in |
          | Flush the line with saline | Once a week | A nurse on the day unit | The flush should go in easily, without pain or swelling |

          > **Never** use scissors near the line.
      - heading: At home
        body: |
          | Day | Time |
          |---|---|
          | Monday | 9am |

          Bring spare dressings when you come to the ward.
    references:
      - id: smith2019
        authors: [Smith A]
        title: Central venous catheters in paediatric oncology
        journal: Pediatr Blood Cancer
        year: 2019
        doi: 10.1002/pbc.27654
      - id: guide2020
        authors: [Children's Cancer and Leukaemia Group]
        title: Central line care at home
        publisher: CCLG
        year: 2020
        url: https://example.org/cclg/guide
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The leaflet built in every layout by the real command; returns (project, stdout)."""
    root = tmp_path_factory.mktemp("layouts") / "clinic"
    root.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        project = LeafletProject(root)
        project.write("line", LEAFLET)
        result = project.run("build", "--all-layouts")
    assert result.exit_code == 0, result.stderr
    return project, result.stdout


def pdf(built, layout: str, suffix: str = ""):
    project, _ = built
    return project.pdf(f"line-{layout}{suffix}")


def test_all_layouts_builds_every_layout_named_stem_dash_layout(built):
    project, stdout = built
    names = sorted(p.name for p in (project.root / "build").glob("*.pdf"))
    assert names == sorted([f"line-{layout}.pdf" for layout in LAYOUTS] + ["line-booklet-a5-screen.pdf"])
    assert len(stdout.splitlines()) == 8  # a line a file: six layouts, the booklet's screen copy, the e-mail draft
    assert "build/line-email.eml: an e-mail draft" in stdout
    assert "handouts/line.yaml -> build/line-large-print.pdf:" in stdout
    assert "sheet" in next(line for line in stdout.splitlines() if "line-booklet-a5.pdf" in line)


@pytest.mark.parametrize("layout, suffix, size", [
    ("clinic-a4", "", (595.28, 841.89)),
    ("clinic-letter", "", (612.0, 792.0)),
    ("large-print", "", (595.28, 841.89)),
    ("email", "", (595.28, 841.89)),
    ("booklet-a5", "-screen", (419.53, 595.28)),  # A5 pages, for screens
    ("booklet-a5", "", (841.89, 595.28)),  # imposed on A4 landscape, for printing
])
def test_page_sizes_per_layout(built, layout, suffix, size):
    for page in PdfReader(pdf(built, layout, suffix)).pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == size


def test_every_layout_prints_every_word(built):
    for layout, suffix in [(name, "") for name in LAYOUTS if name != "booklet-a5"] + [("booklet-a5", "-screen")]:
        text = words(" ".join(page_texts(pdf(built, layout, suffix))))
        for phrase in ("Looking after a central line", "Never use scissors near the line.",
                       "Redness, swelling, oozing or pain where the line goes in", "Central line care at home"):
            assert phrase in text, (layout, phrase)


def test_large_print_text_is_at_least_16_point(built):
    path = pdf(built, "large-print")
    height = float(PdfReader(path).pages[0].mediabox.height)
    runs = text_runs(path)
    body = [run for run in runs if 95 < run.y < height - 90]  # below the header, above the footer
    furniture = [run for run in runs if run not in body]
    assert len(body) > 50 and furniture
    too_small = [(run.text, round(run.size, 1)) for run in body if run.size < 16 - 0.01]
    assert not too_small
    assert min(run.size for run in furniture) >= 14 - 0.01
    # Headings are larger than the body text.
    heading = next(run for run in runs if run.text.startswith("What a central line is"))
    assert heading.size > 16
    # Compare: the everyday layout sets its body text at 12 pt.
    assert min(run.size for run in text_runs(pdf(built, "clinic-a4"))) < 16


def test_large_print_emphasis_is_bold_never_italic(built):
    runs = text_runs(pdf(built, "large-print"))
    assert not [run for run in runs if "Italic" in run.font]
    assert any(run.text.strip() == "large" and run.font == "NotoSans-Bold" for run in runs)
    everyday = text_runs(pdf(built, "clinic-a4"))
    assert any(run.text.strip() == "large" and run.font == "NotoSans-Italic" for run in everyday)


def _tinted_pixels(image, tint: str) -> int:
    target = tuple(int(tint[i:i + 2], 16) for i in (1, 3, 5))
    colours = image.getcolors(image.width * image.height)
    return sum(count for count, pixel in colours if all(abs(a - b) <= 3 for a, b in zip(pixel, target)))


def test_large_print_prints_no_text_over_a_tint(built):
    key_points, callout = "#e9f1f8", "#fdf3e2"  # clinic-a4's tints, which large-print inherits
    everyday = [picture(pdf(built, "clinic-a4"), page, 0.5) for page in range(len(PdfReader(pdf(built, "clinic-a4")).pages))]
    assert sum(_tinted_pixels(image, key_points) + _tinted_pixels(image, callout) for image in everyday) > 1000
    path = pdf(built, "large-print")
    for page in range(len(PdfReader(path).pages)):
        image = picture(path, page, 0.5)
        assert _tinted_pixels(image, key_points) == 0 and _tinted_pixels(image, callout) == 0


def test_large_print_stacks_a_table_too_wide_for_its_columns(built):
    large = words(" ".join(page_texts(pdf(built, "large-print"))))
    assert "Task: Change the dressing over the line How often: Every seven days, or sooner if it is wet" in large
    assert "Who does it: A nurse at home or on the ward" in large
    # A table whose columns fit stays a table, even in large print.
    assert "Day Time Monday 9am" in large
    everyday = words(" ".join(page_texts(pdf(built, "clinic-a4"))))
    assert "Task How often Who does it What to look for" in everyday
    assert "Task:" not in everyday


@pytest.mark.parametrize("layout, suffix", [("clinic-a4", ""), ("clinic-letter", ""), ("large-print", ""),
                                            ("email", ""), ("booklet-a5", "-screen")])
def test_no_character_runs_past_the_margins(built, layout, suffix):
    path = pdf(built, layout, suffix)
    reader = PdfReader(path)
    width = float(reader.pages[0].mediabox.width)
    margin = {"clinic-a4": 22, "clinic-letter": 0.9 * 25.4, "large-print": 20, "email": 16, "booklet-a5": 14}[layout]
    right = width - margin * 72 / 25.4
    for page in range(len(reader.pages)):
        outside = [char for char, left, _, right_edge, _ in char_boxes(path, page) if right_edge > right + 1.5]
        assert not outside, (layout, page, "".join(outside))


def _decoded(path, page: int) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(picture(path, page, 3))]


@pytest.mark.parametrize("layout, suffix", [("clinic-a4", ""), ("large-print", ""), ("booklet-a5", "-screen")])
def test_qr_code_on_the_last_page_decodes_to_the_url(built, layout, suffix):
    path = pdf(built, layout, suffix)
    pages = page_texts(path)
    assert _decoded(path, len(pages) - 1) == [URL]
    assert not any(_decoded(path, page) for page in range(len(pages) - 1))
    assert "www.example.org/sarcoma/leaflets/line-care" in words(pages[-1])  # the address, printed under it
    assert URL in link_targets(path)


def test_no_qr_code_without_a_url(project):
    project.write("x", LEAFLET.replace(f"    url: {URL}\n", ""))
    assert project.run("build").exit_code == 0
    path = project.pdf("x")
    assert not any(_decoded(path, page) for page in range(len(page_texts(path))))
    assert "Scan for the latest version" not in " ".join(page_texts(path))


TWO_PAGES = """\
    title: Mouth care during chemotherapy
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Ward 7 nurses]
    contact: Call Ward 7 on 020 7946 0999.
    summary:
      - Brush gently twice a day with a soft toothbrush [@cclg2022].
    sections:
      - heading: Why mouth care matters
        body: |
          Chemotherapy can make the mouth sore. Read more at www.nhs.uk/conditions/mouth-ulcers
          or on https://example.org/mouth-care [@cclg2022; @qutob2013].
      - heading: What to do
        body: |
          - Brush gently twice a day.
          - Rinse with water after meals.
    references:
      - id: cclg2022
        authors: [Children's Cancer and Leukaemia Group]
        title: Mouth care for children and young people with cancer
        publisher: CCLG
        year: 2022
        url: https://example.org/cclg/mouth
      - id: qutob2013
        authors: [Qutob AF, Gue S, Revesz T]
        title: Prevention of oral mucositis in children receiving cancer therapy
        journal: Support Care Cancer
        year: 2013
        doi: 10.1007/s00520-012-1562-2
"""


def test_email_leaflet_is_small_opens_on_its_title_and_bookmarks_and_links_every_address(project):
    project.write("mouth", TWO_PAGES)
    assert project.run("build", "-l", "email").exit_code == 0
    path = project.pdf("mouth-email")
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    assert path.stat().st_size < 100 * 1024
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert root["/PageMode"] == "/UseOutlines"
    assert reader.metadata.title == "Mouth care during chemotherapy"
    targets = set(link_targets(path))
    assert {"http://www.nhs.uk/conditions/mouth-ulcers", "https://example.org/mouth-care",
            "https://example.org/cclg/mouth", "https://doi.org/10.1007/s00520-012-1562-2",
            "https://www.example.org/sarcoma"} <= targets
    # The printed words stay as written: an address is not repeated in brackets after itself.
    assert "www.nhs.uk/conditions/mouth-ulcers or on https://example.org/mouth-care" in words(page_texts(path)[0])


def test_everyday_layout_shows_the_title_but_not_the_bookmarks_panel(project):
    project.write("mouth", TWO_PAGES)
    assert project.run("build").exit_code == 0
    root = PdfReader(project.pdf("mouth")).trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert "/PageMode" not in root or root["/PageMode"] != "/UseOutlines"


def test_all_layouts_refuses_a_layout_option_too(project):
    project.write("x", LEAFLET)
    result = project.run("build", "--all-layouts", "-l", "email")
    assert result.exit_code == 2
    assert "give -l/--layout or --all-layouts, not both" in result.stderr


def test_check_all_layouts_lists_each_finding_once(project):
    project.write("x", LEAFLET)
    result = project.run("check", "--all-layouts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("1 leaflet checked: 0 errors, 0 warnings, ")
    assert sum("review_due" in line for line in lines) == 1  # the leaflet's own note, once for 6 layouts
    assert not (project.root / "build").exists()


def test_a_broken_leaflet_is_reported_once_not_once_per_layout(project):
    project.write("x", LEAFLET.replace("version: \"2.0\"", "version: 2.0"))
    result = project.run("build", "--all-layouts")
    assert result.exit_code == 1
    assert result.stderr.count("version: must be text") == 1
    assert "6 of 6 leaflet layouts not built" in result.stderr
    assert not (project.root / "build").exists()


def test_url_must_be_a_web_address(project):
    project.write("x", LEAFLET.replace(URL, "www.example.org/x"))
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("handouts/x.yaml:6: url: 'www.example.org/x' is not a web address "
                                             "starting with http:// or https://")
    project.write("x", LEAFLET.replace(URL, "https://example.org/" + "a" * 200))
    assert "url: is 220 characters long; the QR code needs an address of at most 150" in project.run("build").stderr



@pytest.fixture(scope="module")
def shipped_everywhere(every_layout):
    """The clinic's own leaflets built in every layout (conftest's every_layout, shared with
    test_accessibility.py), without the booklet's sheets for printing."""
    return sorted(p for p in every_layout.glob("*.pdf") if not p.name.endswith("-booklet-a5.pdf"))


def test_every_shipped_leaflet_builds_in_every_layout(shipped_everywhere):
    from conftest import REPO

    assert len(shipped_everywhere) == len(list((REPO / "handouts").glob("*.yaml"))) * len(LAYOUTS)


# What a draft prints large and pale across each page, in each language.
# Compared in NFC (a PDF may give a letter such as Bengali ড় as its two code points), and found
# inside the run: a reader may add a stray letter to a right-to-left watermark it reads back.
DRAFT_WORDS = {unicodedata.normalize("NFC", load_catalogue(code).words["draft"]) for code in catalogue_codes()}


def test_no_page_ends_with_a_heading_or_a_line_introducing_what_follows(shipped_everywhere):
    """A heading, or a paragraph ending "such as:", is never left alone at the foot of a page
    (ReportLab's keepWithNext passes over lists and boxes, so they are grouped explicitly)."""
    for path in shipped_everywhere:
        runs = text_runs(path)
        height = float(PdfReader(path).pages[0].mediabox.height)
        pages = max(run.page for run in runs) + 1
        # The size most of the text is set in (by characters: Nastaliq's runs are many and short).
        by_size: dict[float, int] = {}
        for run in runs:
            if 0.1 * height < run.y < 0.9 * height:  # the page's own text, not its header and footer
                by_size[round(run.size, 1)] = by_size.get(round(run.size, 1), 0) + len(run.text)
        body_size = max(by_size, key=by_size.get)
        for page in range(pages - 1):  # the last page may end anywhere
            # The footer's rule sits in the bottom margin; the lowest run above it ends the page's text.
            body = [run for run in runs if run.page == page and 0.1 * height < run.y < 0.9 * height
                    and not run.text.startswith(("Version ", "Children's Sarcoma Service", "Page "))
                    and not any(word in unicodedata.normalize("NFC", run.text) for word in DRAFT_WORDS)]  # a draft's watermark, across the page
            lowest = min(run.y for run in body)
            line = [run for run in body if run.y == lowest]
            # The run that ends the lowest line in reading order: its leftmost in a right-to-left
            # line ("تحریر: ..." begins at the right), else its rightmost.
            right_to_left = any(unicodedata.bidirectional(c) in ("R", "AL") for run in line for c in run.text)
            last = min(line, key=lambda run: run.x) if right_to_left else max(line, key=lambda run: run.x)
            assert round(last.size, 1) <= body_size, (path.name, page + 1, last.text)
            assert not last.text.rstrip().endswith(":"), (path.name, page + 1, last.text)




def test_logo_and_qr_code_bring_in_no_standard_font(built):
    """svglib and ReportLab's drawings start in Helvetica unless told otherwise."""
    project, _ = built
    for path in (project.root / "build").glob("*.pdf"):
        for page in PdfReader(path).pages:
            for font in page["/Resources"]["/Font"].values():
                name = str(font.get_object()["/BaseFont"])
                assert "+" in name and "Helvetica" not in name, (path.name, name)
