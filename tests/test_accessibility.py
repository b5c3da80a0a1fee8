"""Tagged PDF (PDF/UA-1): the structure tree a screen reader follows, read back by independent
readers: poppler's `pdfinfo -struct-text`, the `pdfua` checker (PyPI), pikepdf for the content
streams, and pypdf and pypdfium2 to show that tagging changes neither the words nor the look."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pikepdf
import pytest
from PIL import ImageChops

from conftest import MINIMAL, REPO, page_texts, table_rows
from pdf_reading import content_marks, picture, structure_text

KNOWN = """\
    title: Mouth care during chemotherapy
    subtitle: For parents and carers
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Ward 7 nurses]
    contact: Call Ward 7 on 020 7946 0999.
    url: https://www.example.org/sarcoma/leaflets/mouth-care
    summary:
      - Brush twice a day.
      - Tell us about mouth pain.
    sections:
      - heading: Why mouths get sore
        body: |
          Chemo can make the mouth sore [@guide]. Read the [NHS page](https://www.nhs.uk/conditions/mouth-ulcers/).

          - Use a soft brush.
          - Rinse after meals.
      - heading: What to use
        body: |
          | Product | When |
          |---|---|
          | Toothpaste | Morning |
          | Mouthwash | Night |

          1. Wet the brush.
          2. Brush gently.

          > **Call us** if your child cannot drink.
    references:
      - id: guide
        authors: [Ward 7 nurses]
        title: A guide
        publisher: St Brigid's
        year: 2026
"""

# (role, text) in reading order, as poppler reads the tree: the logo, the title, the key points,
# each section (Sect) with its heading, list, table, numbered list and callout, the contact box,
# the references (a Sect of their own) as a numbered list, the QR code.
KNOWN_TREE = [
    ("Document", ""), ("Figure", ""),
    ("H1", "Mouth care during chemotherapy"), ("P", "For parents and carers"),
    ("Sect", ""), ("H2", "Key points"), ("L", ""),
    ("LI", ""), ("Lbl", "•"), ("LBody", ""), ("P", "Brush twice a day."),
    ("LI", ""), ("Lbl", "•"), ("LBody", ""), ("P", "Tell us about mouth pain."),
    ("Sect", ""), ("H2", "Why mouths get sore"),
    ("P", "Chemo can make the mouth sore [1]. Read the NHS page (www.nhs.uk/conditions/mouth-ulcers)."),
    ("Link", "1"), ("Link", "NHS page"),  # each link holds its words (read in the paragraph too)
    ("L", ""), ("LI", ""), ("Lbl", "•"), ("LBody", ""), ("P", "Use a soft brush."),
    ("LI", ""), ("Lbl", "•"), ("LBody", ""), ("P", "Rinse after meals."),
    ("Sect", ""), ("H2", "What to use"),
    ("Table", ""), ("TR", ""), ("TH", ""), ("P", "Product"), ("TH", ""), ("P", "When"),
    ("TR", ""), ("TD", ""), ("P", "Toothpaste"), ("TD", ""), ("P", "Morning"),
    ("TR", ""), ("TD", ""), ("P", "Mouthwash"), ("TD", ""), ("P", "Night"),
    ("L", ""), ("LI", ""), ("Lbl", "1."), ("LBody", ""), ("P", "Wet the brush."),
    ("LI", ""), ("Lbl", "2."), ("LBody", ""), ("P", "Brush gently."),
    ("BlockQuote", ""), ("P", "Call us if your child cannot drink."),
    ("Sect", ""), ("H2", "Contact us"), ("P", "Call Ward 7 on 020 7946 0999."),
    ("P", "Written by: Ward 7 nurses. Version 1.0, reviewed 1 November 2026."),
    ("Sect", ""), ("H2", "References"), ("L", ""), ("LI", ""), ("Lbl", "1."), ("LBody", ""),
    ("P", "Ward 7 nurses. A guide. St Brigid's; 2026."),
    ("P", "Scan for the latest version of this leaflet:"), ("Figure", ""),
    ("P", "www.example.org/sarcoma/leaflets/mouth-care"), ("Link", "www.example.org/sarcoma/leaflets/mouth-care"),
    ("Link", ""),  # the clinic's web address in the footer of every page: furniture, no words
]


def squeezed(text: str) -> str:
    """Text without whitespace: poppler joins the lines of a paragraph without a space."""
    return "".join(text.split())


def pdfua(path) -> dict:
    """The pdfua checker's JSON report on one PDF."""
    run = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout, run.stderr
    return json.loads(run.stdout)


def untagged_layout(project, name: str = "untagged", parent: str = "clinic-a4") -> None:
    (project.root / "layouts" / f"{name}.yaml").write_text(
        f"extends: {parent}\naccessibility:\n  tagged: false\n", encoding="utf-8")


def test_the_tree_of_a_known_leaflet_reads_in_order(project):
    project.write("mouth", KNOWN)
    assert project.run("build").exit_code == 0
    path = project.pdf("mouth")
    tree = structure_text(path)
    assert [(role, squeezed(text)) for _, role, text in tree] == [(r, squeezed(t)) for r, t in KNOWN_TREE]
    assert subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout.count("Tagged:          yes") == 1
    with pikepdf.open(path) as pdf:
        figures = [e for e in _elements(pdf) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["St Brigid's Children's Hospital logo",
                                                 "QR code linking to https://www.example.org/sarcoma/leaflets/mouth-care"]
        headers = [e for e in _elements(pdf) if e.S == "/TH"]
        assert [str(h.A.Scope) for h in headers] == ["/Column", "/Column"]
        catalog = pdf.Root
        assert catalog.MarkInfo.Marked is True and str(catalog.Lang) == "en"
        assert catalog.ViewerPreferences.DisplayDocTitle is True
        assert "/RoleMap" not in catalog.StructTreeRoot  # only standard roles are used
        for page in pdf.pages:
            assert page.Tabs == "/S" and "/StructParents" in page
        xmp = bytes(catalog.Metadata.read_bytes()).decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and ">Mouth care during chemotherapy</rdf:li>" in xmp
        assert "<xmp:CreateDate>2026-11-01T00:00:00Z</xmp:CreateDate>" in xmp


def test_every_link_is_a_link_element_with_a_description(project):
    project.write("mouth", KNOWN)
    assert project.run("build").exit_code == 0
    with pikepdf.open(project.pdf("mouth")) as pdf:
        parents = dict(_pairs(pdf.Root.StructTreeRoot.ParentTree.Nums))
        described = []
        for page in pdf.pages:
            for annotation in page.Annots:
                assert annotation.Subtype == "/Link"
                link = parents[int(annotation.StructParent)]
                assert link.S == "/Link"
                assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") is not None
                           and kid.Obj.objgen == annotation.objgen for kid in _kids(link))
                described.append(str(annotation.Contents))
        assert described[:3] == ["Reference 1 in the list of references", "www.nhs.uk/conditions/mouth-ulcers",
                                 "www.example.org/sarcoma"]
        assert "www.example.org/sarcoma/leaflets/mouth-care" in described


def test_what_a_screen_reader_says_is_in_the_leaflets_language(project):
    project.write("boca", KNOWN.replace("    sections:", "    language: es\n    sections:"))
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(project.pdf("boca")) as pdf:
        described = [str(annotation.Contents) for page in pdf.pages for annotation in page.Annots]
        assert described[0] == "Referencia 1 de la lista de referencias"
        figures = [node for node in _elements(pdf) if node.get("/S") == "/Figure"]
        assert "Código QR que enlaza con https://www.example.org/sarcoma/leaflets/mouth-care" in [
            str(node.get("/Alt")) for node in figures]


def test_every_mark_on_the_page_is_tagged_or_an_artifact(project):
    project.write("mouth", "    draft: true\n" + KNOWN)
    assert project.run("build").exit_code == 0
    pages = content_marks(project.pdf("mouth"))
    for page in pages:
        assert page["unmarked"] == []  # rules, boxes, bullets, the logo and the QR code included
        assert page["nested"] == []  # no tag inside an artifact, no tag inside a tag
        assert page["mcids"] == list(range(len(page["mcids"])))
        assert page["tagged"] and page["artifact"]


def test_the_first_page_reads_the_logo_the_notice_and_draft_before_the_title(project, monkeypatch):
    project.write("old", "    draft: true\n" + KNOWN.replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"))
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-11-01")
    assert project.run("build").exit_code == 0
    tree = structure_text(project.pdf("old"))
    assert [(role, text) for _, role, text in tree[:5]] == [
        ("Document", ""), ("Figure", ""), ("P", "Review overdue: check with the clinical team before use"),
        ("P", "DRAFT"), ("H1", "Mouth care during chemotherapy")]
    texts = page_texts(project.pdf("old"))
    assert all("DRAFT" in text and "Review overdue" in text for text in texts)  # still printed on every page
    assert sum(text == "DRAFT" for _, _, text in tree) == 1  # and read once


def test_a_paragraph_across_two_pages_is_one_element_and_a_repeated_table_header_is_read_once(project):
    words = " ".join(f"word{n}" for n in range(700))
    rows = "\n".join(f"          | Row {n} | Value {n} |" for n in range(60))
    project.write("long", MINIMAL.replace("        body: Some words.", f"""        body: |
          {words}

          | Name | Value |
          |---|---|
{rows}"""))
    assert project.run("build").exit_code == 0
    path = project.pdf("long")
    with pikepdf.open(path) as pdf:
        paragraphs = [e for e in _elements(pdf) if e.S == "/P" and len(_kids(e)) > 1]
        assert len(paragraphs) == 1  # one element, a piece on each page it runs over
        first, *rest = _kids(paragraphs[0])
        pages = [paragraphs[0].Pg.objgen] + [piece.Pg.objgen for piece in rest]
        assert isinstance(first, int) and all(piece.Type == "/MCR" for piece in rest)
        assert len(set(pages)) == len(pages) == 3
    tree = structure_text(path)
    assert sum(role == "TH" for _, role, _ in tree) == 2
    assert [text for _, role, text in tree].count("Name") == 1
    assert sum("Row 59" in text for _, _, text in tree) == 1
    texts = page_texts(path)
    table_pages = [text for text in texts if "Row " in text]
    assert len(table_pages) >= 2 and all("Name" in text for text in table_pages)  # printed on each page


def test_tagging_changes_neither_the_words_nor_the_look(project, monkeypatch):
    shutil.copy(REPO / "handouts" / "fever-and-infection.yaml", project.root / "handouts")
    project.write("old", "    draft: true\n" + KNOWN.replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"))
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2026-11-01")
    untagged_layout(project)
    assert project.run("build", "-o", "tagged").exit_code == 0
    assert project.run("build", "-o", "plain", "-l", "untagged").exit_code == 0
    for stem in ("fever-and-infection", "old"):
        tagged, plain = project.root / "tagged" / f"{stem}.pdf", project.root / "plain" / f"{stem}-untagged.pdf"
        assert "Tagged:          no" in subprocess.run(["pdfinfo", str(plain)], capture_output=True, text=True).stdout
        assert page_texts(tagged) == page_texts(plain)
        for page in range(len(page_texts(plain))):
            assert ImageChops.difference(picture(tagged, page, 1.5), picture(plain, page, 1.5)).getbbox() is None


def test_a_logo_without_alt_text_is_a_check_error(project):
    layouts = project.root / "layouts"
    text = layouts.joinpath("clinic-a4.yaml").read_text()
    without = re.sub(r"(?m)^  alt:\n(    .*\n)+", "", text)  # the alt text in every language
    assert "St Brigid's Children's Hospital logo" not in without
    layouts.joinpath("clinic-a4.yaml").write_text(without)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  file: logos/"))
    project.write("x", MINIMAL)
    result = project.run("check")
    assert result.exit_code == 1
    assert (f"layouts/clinic-a4.yaml:{line}", "error", "logo.alt", "the logo has no alt text, so a screen reader "
            "announces a picture without a name; add alt: saying what it shows, e.g. alt: St Brigid's Children's "
            "Hospital logo") in table_rows(result)
    build = project.run("build")
    assert build.exit_code == 1 and not project.pdf("x").exists()
    assert f"layouts/clinic-a4.yaml:{line}: logo.alt: the logo has no alt text" in build.stderr
    # untagged, the alt text is not used: no finding
    untagged_layout(project)
    assert "logo.alt" not in project.run("check", "-l", "untagged").stdout


def test_a_new_logo_file_needs_its_own_alt_text(project):
    (project.root / "layouts" / "other.yaml").write_text(
        "extends: clinic-a4\nlogo:\n  file: logos/st-brigids.svg\n", encoding="utf-8")
    project.write("x", MINIMAL)
    rows = table_rows(project.run("check", "-l", "other"))
    assert ("layouts/other.yaml:3", "warning", "logo.alt", "this logo's alt text \"St Brigid's Children's Hospital "
            "logo\" was written for the logo in layouts/clinic-a4.yaml; add alt: saying what this one shows") in rows


def test_a_tagged_leaflet_must_show_its_title(project):
    (project.root / "layouts" / "hidden.yaml").write_text(
        "extends: clinic-a4\nviewer:\n  show_title: false\n", encoding="utf-8")
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "hidden")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "layouts/hidden.yaml:3: viewer.show_title: must be true in a tagged PDF (PDF/UA): viewers show the title, "
        "not the file name; or set accessibility: {tagged: false}")
    (project.root / "layouts" / "hidden.yaml").write_text(
        "extends: clinic-a4\nviewer:\n  show_title: false\naccessibility:\n  tagged: false\n", encoding="utf-8")
    assert project.run("build", "-l", "hidden").exit_code == 0


# every_layout (conftest.py): every shipped leaflet in every shipped layout, built once a run by the
# real command in a fresh process, and read by test_layouts.py too.

def reading_copies(out) -> list:
    """Every PDF but a booklet's sheets for printing (its -screen.pdf is the copy to read)."""
    files = sorted(out.glob("*.pdf"))
    sheets = {f.with_name(f.name.replace("-screen.pdf", ".pdf")) for f in files if f.name.endswith("-screen.pdf")}
    copies = [f for f in files if f not in sheets]
    assert len(copies) == len(list((REPO / "handouts").glob("*.yaml"))) * len(list((REPO / "layouts").glob("*.yaml")))
    return copies


def test_every_shipped_leaflet_in_every_layout_passes_pdfua(every_layout):
    for path in reading_copies(every_layout):
        report = pdfua(path)
        assert report["findings"] == [], (path.name, report["findings"])
        assert report["skipped"] == [], (path.name, report["skipped"])  # a rule that crashed checked nothing
        assert report["exit_code"] == 0


def test_every_shipped_leaflet_is_wholly_marked_and_its_headings_have_words(every_layout):
    for path in reading_copies(every_layout):
        for page in content_marks(path):
            assert page["unmarked"] == [] and page["nested"] == [], path.name
        tree = structure_text(path)
        headings = [text for _, role, text in tree if role in ("H1", "H2", "H3")]
        assert len(headings) >= 5 and all(text.strip() for text in headings), path.name
        # The logo, then the title; a draft's DRAFT (the words read out first) comes between them.
        roles = [role for _, role, _ in tree[:4]]
        assert roles[:3] == ["Document", "Figure", "H1"] or roles == ["Document", "Figure", "P", "H1"], path.name


def test_the_booklet_sheets_for_printing_are_not_tagged(every_layout):
    for sheets in every_layout.glob("*-booklet-a5.pdf"):
        info = subprocess.run(["pdfinfo", str(sheets)], capture_output=True, text=True).stdout
        assert "Tagged:          no" in info
        with pikepdf.open(sheets) as pdf:
            assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        # and no marked-content id that no structure tree refers to: the pages' roles stay, their ids go
        marks = content_marks(sheets)
        assert all(page["mcids"] == [] for page in marks), sheets.name
        assert all(page["unmarked"] == [] for page in marks), sheets.name


# -- reading the tree with pikepdf ----------------------------------------------------------------

def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf):
    def walk(node):
        for kid in _kids(node):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                yield kid
                yield from walk(kid)
    yield from walk(pdf.Root.StructTreeRoot)


def _pairs(nums):
    items = list(nums)
    return zip((int(k) for k in items[::2]), items[1::2])


EVERY_BLOCK = MINIMAL.replace("        body: Some words.", """        body: |
          ### A smaller heading

          - An item with more under it
            1. a numbered item inside
            2. and another

            | Inside | A list |
            |---|---|
            | cell | cell |
          - A last item

          > A callout with a list
          >
          > - one
          > - two

          ---

              code, kept as it is

          | Blood count | What it does | What a low count can mean |
          |---|---|---|
          | Platelets, the smallest blood cells | Help the blood to clot after a cut | Bruising, nosebleeds or bleeding gums |""")


@pytest.mark.parametrize("layout", ["clinic-a4", "large-print"])
def test_every_kind_of_block_is_tagged(project, layout):
    project.write("x", EVERY_BLOCK)
    assert project.run("build", "-l", layout).exit_code == 0
    path = project.pdf(f"x-{layout}")
    for page in content_marks(path):
        assert page["unmarked"] == [] and page["nested"] == []
    tree = structure_text(path)
    roles = [role for _, role, _ in tree]
    assert "H3" in roles and "BlockQuote" in roles
    depth = {text: d for d, _, text in tree if text}
    # a numbered list and a table inside a list item sit deeper than the item's own words
    assert depth["a numbered item inside"] > depth["An item with more under it"]
    assert depth["Inside"] > depth["An item with more under it"]
    assert depth["one"] > depth["A callout with a list"]
    assert "code, kept as it is" in depth
    if layout == "clinic-a4":
        assert roles.count("Table") == 2 and roles.count("TH") == 5
    else:  # large print stacks the wide table a block a row: a list of rows, without header cells
        assert roles.count("Table") == 1 and "Blood count: Platelets, the smallest blood cells" in depth
    report = pdfua(path)
    assert report["findings"] == [] and report["skipped"] == []


def test_tagged_must_be_true_or_false(project):
    (project.root / "layouts" / "odd.yaml").write_text("extends: clinic-a4\naccessibility:\n  tagged: sometimes\n",
                                                       encoding="utf-8")
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "odd")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "layouts/odd.yaml:3: accessibility.tagged: must be true or false, not 'sometimes'"


# -- links a screen reader follows: one a reference, tel: on phones ---------------------------------

CITING = MINIMAL.replace("        body: Some words.", """        body: |
          Two sources agree [@guide; @leaflet]. Three say so [@guide; @leaflet; @nhs].""").replace(
    "    references:", """    references:
      - id: leaflet
        authors: [Ward 7]
        title: A leaflet
        publisher: Test press
        year: 2025
      - id: nhs
        authors: [NHS]
        title: Mouth care
        publisher: NHS
        year: 2024""")


def test_each_number_of_a_citation_group_links_to_its_own_reference(project):
    project.write("x", CITING)
    assert project.run("build").exit_code == 0
    with pikepdf.open(project.pdf("x")) as pdf:
        described = [str(annotation.Contents) for annotation in pdf.pages[0].Annots
                     if "/Dest" in annotation or "/GoTo" in str(annotation.get("/A", ""))]
        # "[1, 2]": a link to 1 and one to 2; "[1–3]": 1, the dash (for 2) and 3
        assert described == [f"Reference {n} in the list of references" for n in (1, 2, 1, 2, 3)]
        heights = {}
        for annotation in pdf.pages[0].Annots:
            if "/Dest" in annotation:
                heights.setdefault(str(annotation.Contents)[10], set()).add(float(annotation.Dest[3]))
        assert all(len(found) == 1 for found in heights.values()) and len(heights) == 3  # three places
    assert "Two sources agree [1, 2]. Three say so [1–3]." in page_texts(project.pdf("x"))[0]


def phone_layout(project, text: str = "extends: clinic-a4\nlinks:\n  phone: true\n") -> None:
    (project.root / "layouts" / "phones.yaml").write_text(text, encoding="utf-8")


def test_phone_numbers_are_tel_links_in_a_layout_that_asks(project):
    phone_layout(project)
    project.write("x", MINIMAL.replace("Call us on 020 7946 0000.", "Call us on 020 7946 0000 or +353 1 234 5678."))
    assert project.run("build", "-l", "phones").exit_code == 0
    assert project.run("build").exit_code == 0
    path = project.pdf("x-phones")
    from pdf_reading import char_boxes

    with pikepdf.open(path) as pdf:
        found = []
        for number, page in enumerate(pdf.pages):
            for annotation in page.get("/Annots", []):
                uri = str(annotation.get("/A", {}).get("/URI", ""))
                if uri.startswith("tel:"):
                    left, bottom, right, top = (float(v) for v in annotation.Rect)
                    under = "".join(c for c, x0, y0, x1, y1 in char_boxes(path, number)
                                    if left - 0.5 <= (x0 + x1) / 2 <= right + 0.5 and bottom <= (y0 + y1) / 2 <= top)
                    found.append((uri, under, str(annotation.Contents)))
    # E.164 in the link, the number as written on the page (the clinic's country: GB)
    assert found == [("tel:+442079460000", "02079460000", "Phone +442079460000"),
                     ("tel:+35312345678", "+35312345678", "Phone +35312345678")]
    with pikepdf.open(project.pdf("x")) as pdf:  # the print layout makes none
        assert not any(str(a.get("/A", {}).get("/URI", "")).startswith("tel:")
                       for page in pdf.pages for a in page.get("/Annots", []))


@pytest.mark.parametrize("layout, message", [
    ("extends: clinic-a4\nclinic:\n  organisation: X\nlinks:\n  phone: true\n",
     "layouts/phones.yaml:5: links.phone: phone links need the clinic's country, for numbers written without their "
     "country code: add clinic: {country: GB} (its ISO code)"),
    ("extends: clinic-a4\nclinic:\n  country: Wales\nlinks:\n  phone: true\n",
     "layouts/phones.yaml:3: clinic.country: 'Wales' is not a country code such as GB, IE or US"),
    ("extends: clinic-a4\nlinks:\n  phone: often\n",
     "layouts/phones.yaml:3: links.phone: must be true or false, not 'often'"),
])
def test_a_phone_links_mistake_is_one_line(project, layout, message):
    text = (project.root / "layouts" / "clinic-a4.yaml").read_text()
    if "organisation: X" in layout:  # a layout of its own, with no country
        layout = text.replace("  country: GB", "").replace("extends", "x") + "links:\n  phone: true\n"
        message = message.replace(":5:", f":{len(text.replace('  country: GB', '').splitlines()) + 2}:")
    phone_layout(project, layout)
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "phones")
    assert result.exit_code == 1 and not project.pdf("x-phones").exists()
    assert result.stderr.splitlines()[0] == message
    assert "Traceback" not in result.stderr


# -- languages: the logo's alt text, reference entries -----------------------------------------------

def test_the_logos_alt_text_is_in_the_leaflets_language_and_check_warns_when_it_has_none(project):
    project.write("x", MINIMAL)
    for language in ("es", "de"):  # translations of x
        project.write(language, MINIMAL.replace("    sections:", f"""    language: {language}
    translation_of:
      handout: x
      version: "1.0"
    sections:"""))
    assert project.run("build").exit_code == 0
    alts = {}
    for stem in ("es", "de"):
        with pikepdf.open(project.pdf(stem)) as pdf:
            alts[stem] = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure"][0]
    assert alts == {"es": "Logotipo del Hospital Infantil St Brigid's", "de": "St Brigid's Children's Hospital logo"}
    rows = table_rows(project.run("check", "handouts/de.yaml"))
    line = next(n for n, row in enumerate((project.root / "layouts" / "clinic-a4.yaml").read_text().splitlines(), 1)
                if row.startswith("  alt:")) + 1  # the first language under it, where another goes
    assert (f"layouts/clinic-a4.yaml:{line}", "warning", "logo.alt", "the logo has no alt text in 'de', so a screen "
            "reader reads \"St Brigid's Children's Hospital logo\" in this leaflet's voice; add de: under logo.alt, "
            "saying what it shows in that language") in rows
    assert "logo.alt" not in project.run("check", "handouts/es.yaml").stdout
    # A leaflet written in German from the start is not a translation: the clinic chose its words.
    project.write("de", MINIMAL.replace("    sections:", "    language: de\n    sections:"))
    assert "logo.alt" not in project.run("check", "handouts/de.yaml").stdout


def test_a_logos_alt_text_by_language_must_be_text(project):
    (project.root / "layouts" / "odd.yaml").write_text(
        "extends: clinic-a4\nlogo:\n  file: logos/st-brigids.svg\n  alt:\n    en: Our logo\n    es: []\n",
        encoding="utf-8")
    project.write("x", MINIMAL)
    result = project.run("build", "-l", "odd")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "layouts/odd.yaml:6: logo.alt.es: must be text, not a list"


def test_a_reference_is_read_in_its_own_language(project):
    spanish = MINIMAL.replace("    sections:", "    language: es\n    sections:").replace(
        "        body: Some words.", "        body: Unas palabras [@guide] [@guia].").replace(
        "    references:", """    references:
      - id: guia
        authors: [Equipo]
        title: Una guía
        publisher: Prensa
        year: 2026
        language: es""")
    project.write("es", spanish)
    assert project.run("build").exit_code == 0
    tree = structure_text(project.pdf("es"))
    with pikepdf.open(project.pdf("es")) as pdf:
        entries = [(str(e.Lang) if "/Lang" in e else None) for e in _elements(pdf)
                   if e.S == "/P" and e.P.S == "/LBody" and e.P.P.P.P.S == "/Sect"]
    texts = [text for _, role, text in tree if role == "P"]
    assert [t for t in texts if "guide" in t or "guía" in t] == ["Test team. A guide. Test press; 2026.",
                                                                  "Equipo. Una guía. Prensa; 2026."]
    assert entries == ["en", None]  # the English one in an English voice; the Spanish one as the leaflet
    project.write("es", spanish.replace("language: es\n    sections", "language: es\n    sections").replace(
        "        language: es", "        language: Spanish"))
    result = project.run("build")
    assert result.exit_code == 1
    assert "references[1].language: 'Spanish' is not a language code such as en, es or pt-BR" in result.stderr
