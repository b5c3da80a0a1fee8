"""Screen readers hear the leaflet as it is written: every shipped leaflet in every shipped layout,
read with the engines that give a PDF to screen readers, through their own APIs: pdf.js (Firefox:
getStructTree, getAnnotations, getTextContent; tests/pdfjs/structure.mjs) and PDFium (Chrome and
Edge: FPDF_StructTree_*, FPDFLink_*, through pypdfium2's raw API), and poppler's
`pdfinfo -struct-text` for the words of the whole tree.

What the source says is counted from the leaflet as the engine reads it (the Markdown walk,
text/walk.py, and the references cited); what the engines say is their own reading of the PDF.
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from conftest import REPO
from handout_builder.build.pipeline import Pipeline
from handout_builder.inputs.project import Project
from handout_builder.text import walk
from pdf_reading import (
    INLINE_ROLES, PDFJS_DIR, EngineReading, pdfium_reading, pdfjs_readings, structure_text, tree_elements, tree_text,
)
from test_accessibility import reading_copies

HANDOUTS = sorted(path.stem for path in (REPO / "handouts").glob("*.yaml"))
LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.yaml"))
PDFJS_MISSING = not (PDFJS_DIR / "node_modules" / "pdfjs-dist").exists() or shutil.which("node") is None

# The leaflets some of whose paragraphs ReportLab's Paragraph laid out drew their links' words
# inside the paragraph's marked content, not a Link's, and wrote no space where a line broke. Every
# paragraph now goes through our own engine (render/shaped.py), which marks each link's words and
# draws the space: no leaflet is left here, and a leaflet put back would fail these tests as xfail.
REPORTLAB_PARAGRAPHS: set[str] = set()
# Scripts whose glyphs pdf.js and Poppler read in the order drawn, not the order written (they do
# not take the ActualText): Arabic and Urdu lines come out right to left with lam-alef split,
# Bengali and Gurmukhi with vowel signs before their consonants. What the glyphs map to is the
# fonts' (branch i13-fonts).
GLYPH_ORDER = {"non-rms-chemotherapy-ar", "non-rms-chemotherapy-ur", "non-rms-chemotherapy-bn",
               "non-rms-chemotherapy-pa"}


def by_reportlab(stem: str, citations: bool = False):
    """`citations`: only the sections' text counts (Bengali and Punjabi sections are shaped)."""
    latin_references = {"non-rms-chemotherapy-bn", "non-rms-chemotherapy-pa"}
    return pytest.mark.xfail(stem in REPORTLAB_PARAGRAPHS - (latin_references if citations else set()), strict=True,
                             reason="ReportLab's Paragraph draws some of this leaflet's text: links' words and "
                                    "line-end spaces come with the one shaped-text engine (branch i13-all)")


def in_glyph_order(stem: str):
    return pytest.mark.xfail(stem in GLYPH_ORDER, strict=True,
                             reason="pdf.js and Poppler read this script's glyphs as drawn, not the ActualText "
                                    "(branch i13-fonts: what the glyphs extract as)")


# -- the shipped leaflets, built once and read once by each engine ---------------------------------

def _copies(every_layout) -> dict[tuple[str, str], Path]:
    """(leaflet stem, layout) -> the PDF a reader opens (a booklet's -screen copy)."""
    pipeline = Pipeline(Project(REPO))
    out = {}
    names = {path.name: path for path in reading_copies(every_layout)}
    for stem in HANDOUTS:
        own = pipeline.load(REPO / "handouts" / f"{stem}.yaml").layout
        for layout in LAYOUTS:
            for name in (f"{stem}-{layout}-screen.pdf", f"{stem}-{layout}.pdf") + ((f"{stem}.pdf",) if layout == own
                                                                                    else ()):
                if name in names:
                    out[(stem, layout)] = names[name]
                    break
    assert len(out) == len(names)
    return out


@pytest.fixture(scope="module")
def copies(every_layout) -> dict[tuple[str, str], Path]:
    return _copies(every_layout)


@pytest.fixture(scope="module")
def pdfjs(copies) -> dict[tuple[str, str], EngineReading]:
    if PDFJS_MISSING:
        pytest.skip("pdf.js is not installed: npm ci --prefix tests/pdfjs (.ci/run and the test session do)")
    keys = sorted(copies)
    return dict(zip(keys, pdfjs_readings([copies[key] for key in keys])))


@pytest.fixture(scope="module")
def pdfium(copies) -> dict[tuple[str, str], EngineReading]:
    return {key: pdfium_reading(path) for key, path in copies.items()}


def documents_for(stem: str, layout: str):
    """A shipped leaflet's Document in a layout, as the pipeline reads it."""
    return Pipeline(Project(REPO)).document(REPO / "handouts" / f"{stem}.yaml", layout)


@pytest.fixture(scope="module")
def documents():
    """(stem, layout) -> the leaflet's Document."""
    cache = {}

    def get(stem: str, layout: str):
        if (stem, layout) not in cache:
            cache[(stem, layout)] = documents_for(stem, layout)
        return cache[(stem, layout)]

    return get


def engines(pdfjs, pdfium, key) -> list[EngineReading]:
    return [pdfjs[key], pdfium[key]]


EVERY = [(stem, layout) for stem in HANDOUTS for layout in LAYOUTS]


# -- the whole tree, as written (pikepdf) ------------------------------------------------------------

def whole_tree(path: Path) -> list[dict]:
    """The structure tree of the file as one tree: {"role", "lang", "pages": {page: [mcid...]},
    "annots": [(page, index)], "kids"} in reading order."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        annots = {annot.objgen: (n, i) for n, page in enumerate(pdf.pages)
                  for i, annot in enumerate(page.get("/Annots", []))}

        def convert(node, page=None):
            page = pages.get(node.Pg.objgen) if "/Pg" in node else page
            out = {"role": str(node.S)[1:], "lang": str(node.Lang) if "/Lang" in node else None,
                   "alt": str(node.Alt) if "/Alt" in node else None, "mcids": [], "annots": [], "kids": []}
            kids = node.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
                if isinstance(kid, int):
                    out["mcids"].append((page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    out["mcids"].append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    out["annots"].append(annots[kid.Obj.objgen])
                else:
                    out["kids"].append(convert(kid, page))
            return out

        root = pdf.Root.StructTreeRoot.K
        return [convert(node) for node in (list(root) if isinstance(root, pikepdf.Array) else [root])]


def roles(nodes) -> list[str]:
    return [node["role"] for node in tree_elements(nodes)]


# -- the source, counted -------------------------------------------------------------------------

def source_counts(document) -> dict[str, int]:
    """How many of each structure the leaflet's source has, with what the builder adds: the key
    points (a list under a heading, in a Sect), the contact box (a Sect with its heading), the
    citation page (a Sect with a numbered list; further reading likewise), logo and QR code, and
    the pictures of the sections."""
    nodes = [node for body in document.bodies for node in body.descendants()]
    count = {kind: sum(node.kind == kind for node in nodes) for kind in
             (walk.BULLET_LIST, walk.ORDERED_LIST, walk.ITEM, walk.HEADING, walk.TABLE, walk.ROW)}
    handout = document.handout
    extra_sections = bool(document.summary) + bool(document.contact) + bool(document.cited) + bool(document.uncited)
    return {
        "L": count[walk.BULLET_LIST] + count[walk.ORDERED_LIST] + bool(document.summary) + bool(document.cited)
        + bool(document.uncited),
        "LI": count[walk.ITEM] + len(document.summary) + len(document.cited) + len(document.uncited),
        "H1": 1, "H2": len(handout.sections) + extra_sections, "H3": count[walk.HEADING],
        "Sect": len(handout.sections) + extra_sections,
        "Table": count[walk.TABLE], "TR": count[walk.ROW],
        # and each picture of a section that is not decorative (a decorative one is an artifact)
        "Figure": bool(document.layout.logo) + bool(handout.url)
        + sum(node.kind == walk.IMAGE and not node.decorative for node in nodes),
    }


@pytest.mark.parametrize("stem", HANDOUTS)
def test_the_tree_has_the_lists_headings_sections_tables_and_figures_of_the_source(copies, documents, stem):
    for layout in LAYOUTS:
        tree = whole_tree(copies[(stem, layout)])
        expected = source_counts(documents(stem, layout))
        found = {role: roles(tree).count(role) for role in expected}
        # A table too narrow for its columns is printed a block a row ("Header: value" lines) and
        # read as a list of rows (large print): a list whose items have no labels.
        stacked = [node for node in tree_elements(tree) if node["role"] == "L"
                   and not any(kid["role"] == "Lbl" for item in node["kids"] for kid in item["kids"])]
        rows = sum(len(node["kids"]) for node in stacked)
        found["Table"] += len(stacked)
        found["TR"] += rows + len(stacked)  # the header row is written into each block
        found["L"] -= len(stacked)
        found["LI"] -= rows
        assert found == expected, (stem, layout)
        # Each section is a Sect that starts with its heading.
        for node in tree_elements(tree):
            if node["role"] == "Sect":
                assert node["kids"][0]["role"] == "H2", (stem, layout)


@pytest.mark.parametrize("stem", HANDOUTS)
def test_each_engine_sees_the_tree_page_by_page_as_it_is_written(copies, pdfjs, pdfium, stem):
    """Each page's tree, as pdf.js and PDFium build it from the page's marked content (pdf.js
    from its link annotations too), is the whole tree cut to that page: no list split in two,
    no element lost or added."""
    for layout in LAYOUTS:
        key = (stem, layout)
        tree = whole_tree(copies[key])
        for reading in engines(pdfjs, pdfium, key):
            for number, page in enumerate(reading.pages):
                with_links = reading.engine == "pdf.js"
                expected = _cut(tree, number, with_links)
                assert _shape(page.tree) == expected, (stem, layout, reading.engine, number + 1)


def _cut(nodes: list[dict], page: int, with_links: bool) -> list:
    """The (role, kids) shape of the elements with marked content (or, `with_links`, a link
    annotation) on `page`, and of the elements holding them."""
    out = []
    for node in nodes:
        kids = _cut(node["kids"], page, with_links)
        here = any(p == page for p, _ in node["mcids"]) or (with_links and any(p == page for p, _ in node["annots"]))
        if kids or here:
            out.append((node["role"], kids))
    return out


def _shape(nodes: list[dict]) -> list:
    return [(node["role"], _shape(node["kids"])) for node in nodes if "role" in node]


# -- lists, as the issue found them ----------------------------------------------------------------

@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_list_of_more_than_two_items_is_one_list(copies, documents, pdfjs, pdfium, layout):
    """fever: 6 lists were 10 L elements (each split after its second item); now each is one, with
    its items, however it is printed, and each engine reads one L per list on each page."""
    document = documents("fever-and-infection", layout)
    sizes = [len(node.children) for body in document.bodies for node in body.descendants()
             if node.kind in (walk.BULLET_LIST, walk.ORDERED_LIST) and not node.within(walk.ITEM, walk.CALLOUT)]
    assert any(size > 2 for size in sizes)
    tree = whole_tree(copies[("fever-and-infection", layout)])
    sections = [node for node in tree_elements(tree) if node["role"] == "Sect"]
    lists = [len(kid["kids"]) for section in sections for kid in section["kids"] if kid["role"] == "L"
             and kid["kids"][0]["kids"][0]["role"] == "Lbl"]  # not a table read as a list of rows
    key_points, *rest = lists  # the key points' list first, the citation page's last
    assert key_points == len(document.summary) and rest[:-1] == sizes and rest[-1] == len(document.cited)
    for reading in engines(pdfjs, pdfium, ("fever-and-infection", layout)):
        for page in reading.pages:
            for node in tree_elements(page.tree):  # a list is never followed by another in one parent
                kinds = [kid.get("role") for kid in node["kids"]]
                assert not any(a == b == "L" for a, b in zip(kinds, kinds[1:])), reading.engine


# -- links ------------------------------------------------------------------------------------

def _link_elements(reading: EngineReading, page: int) -> list[dict]:
    return [node for node in tree_elements(reading.pages[page].tree) if node["role"] == "Link"]


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("stem", [pytest.param(stem, marks=by_reportlab(stem)) for stem in HANDOUTS])
def test_every_link_is_a_link_element_holding_its_words(pdfjs, pdfium, stem):
    """Every link annotation of a page, but the running footer's address (drawn on every page,
    read once at the end), is reachable from a Link element whose words are on that page: in
    pdf.js through the Link's annotation kid, in PDFium (which gives no annotation kids) by
    the Link's words lying under the annotation."""
    for layout in LAYOUTS:
        for reading in engines(pdfjs, pdfium, (stem, layout)):
            for number, page in enumerate(reading.pages):
                links = _link_elements(reading, number)
                with_words = [link for link in links if tree_text(link).strip()]
                for annotation in page.links:
                    if annotation["rect"][1] < 80 and annotation["link"].startswith("https://www.example.org/sarcoma") \
                            and "leaflets" not in annotation["link"]:
                        continue  # the footer's web address
                    if reading.engine == "pdf.js":
                        holders = [link for link in with_words if any(
                            kid.get("link") == annotation["link"] and kid.get("rect") == annotation["rect"]
                            for kid in link["kids"])]
                    else:
                        holders = [link for link in with_words if any(_overlaps(box, annotation["rect"])
                                                                     for box in link.get("boxes", []))]
                    assert holders, (stem, layout, reading.engine, number + 1, annotation["link"])


def _references_page(reading: EngineReading) -> dict[str, float]:
    """On the citation page: each reference's number label -> the height of its top (PDFium's
    text boxes of the Lbl elements)."""
    labels = {}
    for page in reading.pages:
        for node in tree_elements(page.tree):
            if node["role"] == "Lbl" and node.get("boxes"):
                labels.setdefault(tree_text(node).strip(), []).append(max(box[3] for box in node["boxes"]))
    return labels


@pytest.mark.parametrize("stem", [pytest.param(stem, marks=by_reportlab(stem, citations=True)) for stem in HANDOUTS])
def test_each_citation_number_links_to_its_own_reference(pdfjs, pdfium, documents, stem):
    """A Link whose words are a citation number n leads to the citation page, where the line just
    below the place it shows starts with the label "n."; every reference cited is linked to."""
    for layout in LAYOUTS:
        key = (stem, layout)
        cited = len(documents(stem, layout).cited)
        labels = _references_page(pdfium[key])
        for reading in engines(pdfjs, pdfium, key):
            reached = set()
            for number in range(len(reading.pages)):
                for link in _link_elements(reading, number):
                    words = tree_text(link).strip().strip("[],").strip()
                    targets = [kid for kid in reading.pages[number].links if _holds(reading, link, kid)]
                    if not re.fullmatch(r"\d+|\u2013", words) or not all(t["link"].startswith("#page-")
                                                                          for t in targets):
                        continue  # not a citation (a PubMed number is a web link)
                    assert targets, (key, reading.engine, words)
                    if words == "\u2013":
                        continue  # a range's dash leads to the first reference it stands for
                    tops = labels.get(f"{words}.", [])
                    assert any(abs(top - t["y"]) < 20 for t in targets for top in tops), (key, reading.engine, words)
                    reached.add(int(words))
            assert reached <= set(range(1, cited + 1)) and reached, (key, reading.engine)


def _holds(reading: EngineReading, link: dict, annotation: dict) -> bool:
    if reading.engine == "pdf.js":
        return any(kid.get("rect") == annotation["rect"] for kid in link["kids"])
    return any(_overlaps(box, annotation["rect"]) for box in link.get("boxes", []))


# -- languages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", HANDOUTS)
def test_the_leaflet_and_each_passage_are_read_in_their_own_language(pdfjs, pdfium, documents, copies, stem):
    """The document's /Lang is the leaflet's; each element the tree gives a language keeps it in
    both engines; in a leaflet in another language than English, each reference entry (English
    unless it says) is read in English; the logo's alt text is in the leaflet's language."""
    for layout in LAYOUTS:
        key = (stem, layout)
        document = documents(stem, layout)
        language = document.handout.language
        tree = whole_tree(copies[key])
        marked = [(node["role"], node["lang"]) for node in tree_elements(tree) if node["lang"]]
        references = [node for node in tree_elements(tree) if node["role"] == "Sect"][-1]
        entries = [node for node in tree_elements([references]) if node["role"] == "P"]
        english = language.split("-")[0] == "en"
        assert [node["lang"] for node in entries] == [None if english else "en"] * len(entries), key
        for reading in engines(pdfjs, pdfium, key):
            assert reading.lang == language, (key, reading.engine)
            seen = [(node["role"], node["lang"]) for page in reading.pages for node in tree_elements(page.tree)
                    if node["lang"]]
            assert sorted(set(seen)) == sorted(set(marked)), (key, reading.engine)
            logo = next(node for node in tree_elements(reading.pages[0].tree) if node["role"] == "Figure")
            assert logo["alt"] == document.layout.logo.alt_in(language), (key, reading.engine)
            if not english:
                assert logo["alt"] != document.layout.logo.alt_in("en"), key


# -- the words, in order --------------------------------------------------------------------------

def _words(text: str) -> list[str]:
    """The words of a text, as find and a screen reader take them: punctuation and symbols are
    gaps; a letter of a script written without spaces (Chinese) is a word of its own, as a line
    may break after any of them."""
    out = []
    for char in unicodedata.normalize("NFC", text).casefold():
        category = unicodedata.category(char)
        if category[0] in "PSZC":
            out.append(" ")
        elif _unspaced(char):
            out.append(f" {char} ")
        else:
            out.append(char)
    return "".join(out).split()


def _hyphened(document) -> set[tuple[str, str]]:
    """The pairs of words the source joins with a hyphen ("méta-analyse"): broken after the
    hyphen at a line's end, pdf.js's find drops the hyphen and joins them, as Firefox does for a
    word hyphenated at a line end ("métaanalyse"), whoever made the hyphen."""
    handout = document.handout
    texts = [handout.title, handout.subtitle or "", handout.contact or "", *handout.summary,
             *(part for section in handout.sections for part in (section.heading, section.body))]
    text = unicodedata.normalize("NFC", "\n".join(texts)).casefold()
    return set(re.findall(r"(\w+)-(?=(\w+))", text))


def _unspaced(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"


def _stacks_tables(path: Path) -> bool:
    """Whether the layout printed a table a block a row (read as a list of rows)."""
    return any(node["role"] == "L" and node["kids"][0]["kids"][0]["role"] != "Lbl"
               for node in tree_elements(whole_tree(path)))


def source_segments(document, stacked: bool = False) -> list[list[str]]:
    """The leaflet's own words in reading order, in runs that are printed unbroken: a run ends
    where a block ends, at a citation (its label is printed there) and at a link (its address
    may be printed after it). `stacked`: tables are printed a block a row, each value after its
    column's header, so the header row is not read first: it is left out."""
    segments: list[list[str]] = [_words(document.handout.title)]
    if document.handout.subtitle:
        segments.append(_words(document.handout.subtitle))
    runs = [*document.summary, *(node for body in document.bodies for node in body.descendants()
                                 if node.kind == walk.RUN), *([document.contact] if document.contact else [])]
    headings = {id(body): heading for body, heading in zip(document.bodies,
                                                          (s.heading for s in document.handout.sections))}
    for run in runs:
        if stacked and run.within(walk.ROW) and any(node.kind == walk.ROW and node.header for node in _holders(run)):
            continue
        body = run
        while body.parent is not None:
            body = body.parent
        if id(body) in headings:  # a section's heading before its first run
            segments.append(_words(headings.pop(id(body))))
        current: list[str] = []
        for node in run.descendants():
            if node.kind in (walk.TEXT, walk.CODE_SPAN):
                current += _words(node.text)
            elif node.kind in (walk.CITATION, walk.LINK) or (node.kind == walk.TEXT and node.within(walk.LINK)):
                segments.append(current)
                current = []
        segments.append(current)
    return [segment for segment in segments if segment]


def _holders(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _in_order(segments: list[list[str]], words: list[str]) -> list[str]:
    """The segments not found, each as a run of words, after the one before."""
    missing, at = [], 0
    for segment in segments:
        n = len(segment)
        found = next((i for i in range(at, len(words) - n + 1) if words[i:i + n] == segment), None)
        if found is None:
            missing.append(" ".join(segment))
        else:
            at = found + n
    return missing


def _pdfjs_tree_words(reading: EngineReading) -> list[str]:
    return [word for page in reading.pages for node in page.tree for word in _words(tree_text(node))]


@pytest.mark.parametrize("stem", [pytest.param(stem, marks=in_glyph_order(stem)) for stem in HANDOUTS])
def test_the_words_of_each_engines_tree_are_the_source_words_in_order(pdfjs, pdfium, documents, copies, stem):
    """Read in the order of the structure tree, page after page, each engine's words hold every
    run of the source's words unbroken and in order."""
    for layout in LAYOUTS:
        key = (stem, layout)
        segments = source_segments(documents(stem, layout), stacked=_stacks_tables(copies[key]))
        for reading in engines(pdfjs, pdfium, key):
            missing = _in_order(segments, _pdfjs_tree_words(reading))
            assert missing == [], (key, reading.engine, missing[:3])


POPPLER = [stem for stem in HANDOUTS if stem not in GLYPH_ORDER]


@pytest.mark.parametrize("stem", [pytest.param(stem, marks=by_reportlab(stem)) for stem in POPPLER])
def test_poppler_reads_the_whole_tree_with_a_space_at_each_line_end(copies, documents, stem):
    """pdfinfo -struct-text ran words together where a line broke ("tumouris"), and read only the
    first line of a paragraph of the shaped engine (its lines' Spans nested in the paragraph's
    marked content); with each line the paragraph's own marked content and a space drawn where a
    line breaks, the tree's words are the source's, in order."""
    for layout in ("clinic-a4", "large-print"):
        key = (stem, layout)
        # An inline element's words are read in its paragraph's text already.
        words = [word for _, role, text in structure_text(copies[key]) if role not in INLINE_ROLES
                 for word in _words(text)]
        missing = _in_order(source_segments(documents(stem, layout), _stacks_tables(copies[key])), words)
        assert missing == [], (key, missing[:3])


@pytest.mark.parametrize("stem", ["non-rms-chemotherapy-ar", "non-rms-chemotherapy-ur"])
def test_poppler_reads_a_space_where_a_line_of_a_right_to_left_leaflets_references_breaks(copies, documents, stem):
    """A right-to-left leaflet's English reference entries are laid out by the shaped engine,
    whose right-to-left lines hold their trailing space apart: it is drawn, so the title words
    on either side of a line break are two words, not one."""
    for layout in LAYOUTS:
        key = (stem, layout)
        tree = structure_text(copies[key])
        words = [word for _, role, text in tree if role == "P" for word in _words(text)]
        for reference in documents(stem, layout).cited:
            title = _words(reference.title)
            assert _in_order([title], words) == [], (key, reference.title)


@pytest.mark.parametrize("stem", [pytest.param(stem, marks=in_glyph_order(stem)) for stem in HANDOUTS])
def test_every_pair_of_adjacent_source_words_is_found_by_firefoxs_find(pdfjs, documents, stem):
    """Find on the page (pdf.js's text layer, a line end read as a space) finds every two words
    the source writes side by side, on the page they are printed on; two words a page break
    parts end one page's content and start the next's (the running footer and header between
    them are artifacts: a paragraph may split across pages, two lines at least each side)."""
    for layout in LAYOUTS:
        key = (stem, layout)
        pages = [" ".join(_words(page.text)) for page in pdfjs[key].pages]
        contents = [" ".join(_words(page.content)) for page in pdfjs[key].pages]
        hyphened = _hyphened(documents(stem, layout))
        lost = []
        for segment in source_segments(documents(stem, layout)):
            for first, second in zip(segment, segment[1:]):
                pair = f"{first} {second}"
                if (first, second) in hyphened and any(first + second in page for page in pages):
                    continue  # "méta-analyse" broken after its hyphen: find joins a line-end hyphen's words
                if not any(pair in page for page in pages) and not any(
                        page.endswith(first) and following.startswith(second)
                        for page, following in zip(contents, contents[1:])):
                    lost.append(pair)
        assert lost == [], (key, lost[:5])
