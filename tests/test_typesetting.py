"""Typesetting a print professional would sign off: keep rules (a heading or introducing line
with the start of what follows, never all of it; the contact box never alone on a page), the
page-fill note of `check`, the running header cut at a word, the clinic's names in the
leaflet's language. Real PDFs, read back with pypdf."""
from __future__ import annotations

import json

import pytest

from conftest import page_texts, publishable, words

SENTENCE = "Your child's team will explain each step before it happens and answer your questions. "
TEAM = "Your child\u2019s team"  # as printed: a typographic apostrophe


def leaflet(body: str, title: str = "Keeping text together", **extra: str) -> str:
    fields = "".join(f"{key}: {value}\n" for key, value in extra.items())
    indented = "\n".join("      " + line if line else "" for line in body.strip("\n").split("\n"))
    return publishable(f"title: {title}\nversion: '1.0'\nreviewed: 2026-10-01\n{fields}sections:\n"
                       f"  - heading: About the visit\n    body: |\n{indented}\n")


def filler(sentences: int) -> str:
    return (SENTENCE * sentences).strip()


def test_an_introducing_line_stays_with_the_first_rows_of_a_long_table_not_all_of_it(project):
    rows = "\n".join(f"| Row {n} medicine | Given on day {n} of the course |" for n in range(1, 31))
    project.write("table", leaflet(f"{filler(12)}\n\nThe medicines your child may have are these:\n\n"
                                   f"| Medicine | When |\n|---|---|\n{rows}\n"))
    result = project.run("build", "handouts/table.yaml")
    assert result.exit_code == 0, result.stdout + result.stderr
    pages = [words(text) for text in page_texts(project.pdf("table"))]
    introduced = next(i for i, text in enumerate(pages) if "medicines your child may have" in text)
    # The introducing line and the table's first two rows share a page; the table runs on.
    assert "Row 1 medicine" in pages[introduced] and "Row 2 medicine" in pages[introduced]
    assert "Row 30 medicine" not in pages[introduced]
    assert introduced == 0  # it was pushed, whole, to page 2 before


def test_a_heading_stays_with_the_first_lines_of_a_long_paragraph_not_all_of_it(project):
    project.write("para", leaflet(f"{filler(14)}\n\n### What happens next\n\n{filler(40)} The last words.\n"))
    result = project.run("build", "handouts/para.yaml")
    assert result.exit_code == 0, result.stdout + result.stderr
    pages = [words(text) for text in page_texts(project.pdf("para"))]
    heading = next(i for i, text in enumerate(pages) if "What happens next" in text)
    assert heading == 0 and "The last words" not in pages[0]
    after = pages[0].split("What happens next", 1)[1]
    assert after.count(TEAM) >= 1  # its first lines under it


def test_the_contact_box_never_stands_alone_on_a_page(project):
    # The leaflets' last section grows a sentence at a time, so the contact box lands at every
    # place on the page, the foot among them.
    names = []
    for n in range(24, 60, 2):
        names.append(f"contact-{n}")
        project.write(names[-1], leaflet(f"{filler(n)}\n\n- First thing\n- Second thing\n- Third thing\n"))
    result = project.run("build", *(f"handouts/{name}.yaml" for name in names))
    assert result.exit_code == 0, result.stdout + result.stderr
    alone_checked = 0
    for name in names:
        for text in page_texts(project.pdf(name)):
            flat = words(text)
            if "Contact" in flat:
                alone_checked += 1
                before = flat.split("Contact", 1)[0]
                assert "thing" in before or TEAM in before, f"{name}: the contact box is alone:\n{flat}"
    assert alone_checked == len(names)


def test_check_notes_a_page_more_than_a_third_empty_naming_the_page_and_why(project):
    callout = "\n".join(f"> {SENTENCE}" for _ in range(16))
    project.write("boxed", leaflet(f"{filler(14)}\n\n{callout}\n\n{filler(20)}\n"))
    code, report = check_json(project, "--page-fill", "handouts/boxed.yaml")
    notes = [f for f in report["findings"] if f["check"] == "page-fill"]
    assert len(notes) == 1, report["findings"]
    assert notes[0]["message"].startswith("page 1 is ") and "a box in 'About the visit' did not fit" in \
        notes[0]["message"]
    assert notes[0]["level"] == "note"


def test_check_lays_leaflets_out_only_when_asked(project):
    callout = "\n".join(f"> {SENTENCE}" for _ in range(16))
    project.write("boxed", leaflet(f"{filler(14)}\n\n{callout}\n\n{filler(20)}\n"))
    code, report = check_json(project, "handouts/boxed.yaml")  # check stays quick: no ReportLab
    assert [f for f in report["findings"] if f["check"] == "page-fill"] == []


def test_a_full_leaflet_gets_no_page_fill_note(project):
    project.write("full", leaflet(f"{filler(30)}\n\n{filler(30)}\n\n{filler(30)}\n"))
    code, report = check_json(project, "--page-fill", "handouts/full.yaml")
    assert [f for f in report["findings"] if f["check"] == "page-fill"] == []


def check_json(project, *args):
    result = project.run("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_the_running_header_cuts_a_long_title_at_a_word_with_an_ellipsis(project):
    title = "Chemotherapy for non-rhabdomyosarcoma soft tissue sarcomas in children and young people"
    project.write("long", leaflet(f"{filler(60)}\n\n{filler(60)}\n", title=title))
    result = project.run("build", "handouts/long.yaml", "--layout", "large-print")
    assert result.exit_code == 0, result.stdout + result.stderr
    header = page_texts(project.pdf("long-large-print"))[1].split("\n")[:3]
    cut = next(line for line in header if line.endswith("\u2026"))
    shown = cut.split("Hospital")[-1].strip()[:-1]
    assert title.startswith(shown) and title[len(shown)] == " ", shown  # whole words, then "…"


def test_a_spanish_leaflet_prints_the_clinics_names_in_spanish(project):
    project.write("es", leaflet(filler(10), title="Visita", language="es"))
    assert project.run("build", "handouts/es.yaml").exit_code == 0
    footer = page_texts(project.pdf("es"))[0]
    assert "Unidad de Sarcoma Infantil" in footer and "Sarcoma Service" not in footer


def test_a_translation_into_a_language_the_layout_does_not_name_falls_back_and_check_warns(project):
    project.write("visit", leaflet(filler(10), title="Visit"))
    project.write("de", leaflet(filler(10), title="Besuch", language="de")
                  + "translation_of:\n  handout: visit\n  version: '1.0'\n")
    code, report = check_json(project, "handouts/de.yaml")
    warned = [f for f in report["findings"] if f["check"] == "clinic-language"]
    assert len(warned) == 1 and warned[0]["field"] == "clinic.department" and warned[0]["level"] == "warning"
    assert warned[0]["file"] == "layouts/clinic-a4.yaml" and warned[0]["line"]
    assert "add de:" in warned[0]["message"]
    assert project.run("build", "handouts/de.yaml").exit_code == 0
    assert "Children's Sarcoma Service" in page_texts(project.pdf("de"))[0]  # as the layout writes it


def test_a_clinic_name_written_for_a_language_tag_that_is_not_one_is_refused(project):
    layout = project.root / "layouts" / "clinic-a4.yaml"
    layout.write_text(layout.read_text().replace("    es: Unidad", "    spanish: Unidad"))
    project.write("en", leaflet(filler(10)))
    result = project.run("build", "handouts/en.yaml")
    assert result.exit_code == 1
    assert "clinic.department.spanish" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


PUNCTUATION = [
    ("en", "Your child's nurse said \"call us\" and 'now'.",
     "Your child\u2019s nurse said \u201ccall us\u201d and \u2018now\u2019."),
    ("fr", "L'infirmi\u00e8re a dit \"appelez-nous\".", "L\u2019infirmi\u00e8re a dit \u00ab\u202fappelez-nous\u202f\u00bb."),
    ("es", "La enfermera dijo \"ll\u00e1menos\".", "La enfermera dijo \u00abll\u00e1menos\u00bb."),
    ("de", "Die Pflegerin sagte \"rufen Sie an\".", "Die Pflegerin sagte \u201erufen Sie an\u201c."),
]


@pytest.mark.parametrize("language,written,printed", PUNCTUATION, ids=[case[0] for case in PUNCTUATION])
def test_quotes_and_apostrophes_print_as_the_leaflets_language_prints_them(project, language, written, printed):
    title = {"en": "Visit", "fr": "Visite", "es": "Visita", "de": "Besuch"}[language]
    escaped = written.replace('"', '\\"')
    project.write("quotes", leaflet(f"{written}\n\nCode stays: `don't \"edit\"`.", title=title, language=language)
                  .replace(f"{title}\n", f"\"{title} \\\"{escaped.split(' ')[0]}\\\"\"\n", 1))
    result = project.run("build", "handouts/quotes.yaml")
    assert result.exit_code == 0, result.stdout + result.stderr
    text = words("\n".join(page_texts(project.pdf("quotes"))))
    assert words(printed) in text  # what extraction reads is the typographic text (thin spaces read as spaces)
    assert "don't \"edit\"" in text  # code as written


def test_the_title_and_headings_get_typographic_quotes_too(project):
    project.write("title", leaflet(filler(5), title="'\"Neutropenia\": your child''s blood count'"))
    assert project.run("build", "handouts/title.yaml").exit_code == 0
    first = words(page_texts(project.pdf("title"))[0])
    assert "\u201cNeutropenia\u201d: your child\u2019s blood count" in first


def test_table_columns_are_sized_from_their_content_so_none_is_cramped_while_another_has_room():
    # The fever leaflet's table in A5: "What it does" wrapped over four lines while the last
    # column had room to spare.
    from reportlab.lib.styles import ParagraphStyle

    from handout_builder.render.shaped import ShapedParagraph
    from handout_builder.render.tables import CELL_PADDING, column_widths
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from conftest import REPO

    for name, file in (("TableSans", "NotoSans-Regular.ttf"), ("TableSansBold", "NotoSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(REPO / "fonts" / file)))
    cell = ParagraphStyle("cell", fontName="TableSans", fontSize=10.5, leading=15)
    header = ParagraphStyle("header", parent=cell, fontName="TableSansBold")
    texts = [["Blood count", "What it does", "What a low count can mean"],
             ["Neutrophils (a white blood cell)", "Fight germs, most of all bacteria",
              "Infections start more easily and can quickly become serious"],
             ["Haemoglobin (in red blood cells)", "Carries oxygen around the body",
              "Feeling tired, pale skin and getting out of breath; your child may need a blood transfusion"],
             ["Platelets", "Help the blood to clot",
              "Bruising, nosebleeds or bleeding gums; your child may need a platelet transfusion"]]
    # Cells are shaped paragraphs (every text is, on main's engine), measured in their own fonts.
    rows = [[[ShapedParagraph(text, header if r == 0 else cell)] for text in row] for r, row in enumerate(texts)]
    available = 340.2  # the A5 booklet's text width
    widths = column_widths(rows, available, 51.0)
    assert widths is not None and sum(widths) == pytest.approx(available)

    def lines(paragraph, width):
        return round(paragraph.wrap(width - 2 * CELL_PADDING, 1000)[1] / paragraph.line_height)

    counts = [[lines(cell[0], width) for cell, width in zip(row, widths)] for row in rows]
    assert max(max(row) for row in counts) <= 4
    assert max(row[1] for row in counts) <= 3, counts  # "What it does" no longer over four lines
    # No row is taller than it need be for want of a column's width: each row's tallest cell is
    # no more than one line taller than its shortest.
    assert all(max(row) - min(row) <= 2 for row in counts), counts


def _as_written(node) -> list:
    """Every node of a tree with what it holds and where, for comparing trees."""
    return [(n.kind, n.text, n.line, n.href, n.lang, len(n.children)) for n in [node, *node.descendants()]]


def test_typesetting_a_tree_leaves_the_parsed_tree_as_written_and_copies_only_a_tree_that_changes():
    """The document stage typesets the Markdown trees without copy.deepcopy: the tree the stage
    cache keeps reads as written; a tree with a quote to change is a copy whose every node is new
    and held by its parent in the copy (a walk up from any node reaches the copy's root), reading
    as a typeset deep copy would; a tree with nothing to change is not copied."""
    import copy

    from handout_builder.text.punctuation import typeset_tree
    from handout_builder.text.walk import TEXT, body_tree

    source = ("# Your child's care\n\nPlain words here.\n\n- a list item\n- one with \"quotes\" and **bold 'words'**\n\n"
              "> A callout with no quotes.\n\n| a | b |\n|---|---|\n| 'x' | y |\n\n{lang=fr}\nIl a dit \"non\".\n")
    written = body_tree(source, "sections[1].body", 10)
    before = _as_written(written)
    full_copy = typeset_tree(copy.deepcopy(written), "en")
    typeset = typeset_tree(written, "en")
    assert _as_written(written) == before  # the parsed tree is untouched
    assert _as_written(typeset) == _as_written(full_copy)
    texts = [n.text for n in typeset.descendants() if n.kind == TEXT]
    assert "Your child\u2019s care" in texts and "Il a dit \u00ab\u202fnon\u202f\u00bb." in texts
    assert "words\u2019" in "".join(texts) and "\u2018x\u2019" in texts
    written_nodes = {id(n) for n in [written, *written.descendants()]}
    assert typeset.parent is None and not any(id(n) in written_nodes for n in [typeset, *typeset.descendants()])
    for node in [typeset, *typeset.descendants()]:
        assert all(child.parent is node for child in node.children)
    unchanged = body_tree("No quotes at all.\n\n- nor here", "f", 1)
    assert typeset_tree(unchanged, "en") is unchanged  # nothing to change: nothing copied
