"""Every script families read, through the shaped-text engine (render/shaped.py).

Leaflets in Arabic, Urdu (Nastaliq), Hebrew, Bengali, Hindi, Punjabi, Gujarati and Tamil are built
with Debian's Noto fonts (a test layout in tmp_path: the shipped layouts choose their own fonts)
and read back: the ActualText of each tagged element's marked content, the text PDFium reads,
pdftotext's output, and the glyphs the engine drew against uharfbuzz's for the same font and text.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from conftest import REPO, LeafletProject

NOTO = Path("/usr/share/fonts/truetype/noto")

# language: (font family, regular file, bold file, a sentence for families)
SCRIPTS = {
    "ar": ("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf",
           "نظف أسنان طفلك مرتين في اليوم، ثم اتصل بالرقم 020 7946 0999 إذا ارتفعت الحرارة إلى 38 °C."),
    "ur": ("NotoNastaliqUrdu", "NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf",
           "اپنے بچے کے دانت دن میں دو بار صاف کریں اور بخار ہو تو 020 7946 0999 پر فون کریں۔"),
    "he": ("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf",
           "צחצחו את שיני הילד פעמיים ביום, והתקשרו למספר 020 7946 0999 אם החום עולה."),
    "bn": ("NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf",
           "আপনার শিশুর দাঁত দিনে দুবার পরিষ্কার করুন এবং জ্বর হলে 020 7946 0999 নম্বরে ফোন করুন।"),
    "hi": ("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
           "अपने बच्चे के दाँत दिन में दो बार साफ़ करें और बुखार होने पर 020 7946 0999 पर फ़ोन करें।"),
    "pa": ("NotoSansGurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf",
           "ਆਪਣੇ ਬੱਚੇ ਦੇ ਦੰਦ ਦਿਨ ਵਿੱਚ ਦੋ ਵਾਰ ਸਾਫ਼ ਕਰੋ ਅਤੇ ਬੁਖ਼ਾਰ ਹੋਣ 'ਤੇ 020 7946 0999 'ਤੇ ਫ਼ੋਨ ਕਰੋ।"),
    "gu": ("NotoSansGujarati", "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf",
           "તમારા બાળકના દાંત દિવસમાં બે વાર સાફ કરો અને તાવ આવે તો 020 7946 0999 પર ફોન કરો."),
    "ta": ("NotoSansTamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf",
           "உங்கள் குழந்தையின் பற்களை நாளுக்கு இரண்டு முறை சுத்தம் செய்யுங்கள், காய்ச்சல் வந்தால் 020 7946 0999 அழைக்கவும்."),
}
RIGHT_TO_LEFT = {"ar", "ur", "he"}


def used_file(name: str) -> Path:
    """The font file the test layout uses: the bundled one where fonts/ has it (prepared for
    print from Debian's), else Debian's own."""
    return REPO / "fonts" / name if (REPO / "fonts" / name).exists() else NOTO / name

pytestmark = pytest.mark.skipif(not all((NOTO / regular).exists() for _, regular, _, _ in SCRIPTS.values()),
                                reason="Debian's fonts-noto-core is not installed")


def leaflet(language: str, sentence: str) -> str:
    # A long body, so lines break; the sentence alone is the heading's, the summary's and a list item's.
    body = " ".join([sentence] * 4)
    return textwrap.dedent(f"""\
        title: "{sentence.split()[0]} {sentence.split()[1]}"
        version: "1.0"
        reviewed: 2026-11-01
        language: {language}
        layout: scripts
        authors: [Ward 7]
        contact: "020 7946 0999"
        summary:
          - "{sentence}"
        sections:
          - heading: "{sentence.split()[2]} {sentence.split()[3]}"
            body: |
              {body}

              - {sentence}
        references:
          - id: cited
            authors: [Ward 7 nurses]
            title: Mouth care at home
            publisher: St Brigid's Children's Hospital
            year: 2026
        """)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each language's leaflet, built once with a layout that gives every language its Noto font."""
    root = tmp_path_factory.mktemp("scripts")
    (root / "handouts").mkdir()
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "fonts").mkdir()
    for font in (REPO / "fonts").iterdir():
        (root / "fonts" / font.name).symlink_to(font)
    languages = []
    for language, (family, regular, bold, _) in SCRIPTS.items():
        for name in (regular, bold):
            if not (root / "fonts" / name).exists():
                shutil.copy(NOTO / name, root / "fonts" / name)
        languages.append(f"    {language}:\n      name: {family}\n      regular: {regular}\n      bold: {bold}\n")
    (root / "layouts" / "scripts.yaml").write_text(
        "extends: clinic-a4\nfonts:\n  languages:\n" + "".join(languages), encoding="utf-8")
    project = LeafletProject.__new__(LeafletProject)
    project.root = root
    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        for language, (_, _, _, sentence) in SCRIPTS.items():
            project.write(language, leaflet(language, sentence))
        result = project.run("build")
        assert result.exit_code == 0, result.stderr
    finally:
        os.chdir(here)
    return {language: root / "build" / f"{language}.pdf" for language in SCRIPTS}


def element_texts(path: Path) -> list[tuple[str, str]]:
    """(role, text) of each tagged element with content, its text being the ActualText of the
    spans inside its marked content, in order, with its links' words where they are read (what
    pdf.js and PDFium read for it)."""
    with pikepdf.open(path) as pdf:
        by_mcid: dict[tuple[int, int], str] = {}
        for number, page in enumerate(pdf.pages):
            stack: list[int | None] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                    if mcid is None and stack:
                        mcid = stack[-1]
                    stack.append(mcid)
                    if (op == "BDC" and isinstance(props, pikepdf.Dictionary) and "/ActualText" in props
                            and stack[-1] is not None):
                        key = (number, stack[-1])
                        by_mcid[key] = by_mcid.get(key, "") + str(props.ActualText)
                elif op == "EMC":
                    stack.pop()
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        out: list[tuple[str, str]] = []

        def own_text(kids, page) -> str:
            """The text of an element's marked content, with its links' words where they are read."""
            text = ""
            for kid in kids:
                if isinstance(kid, int):
                    text += by_mcid.get((page, int(kid)), "")
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    text += by_mcid.get((pages[kid.Pg.objgen], int(kid.MCID)), "")
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Link":
                    inner = kid.get("/K")
                    inner_page = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                    text += own_text(list(inner) if isinstance(inner, pikepdf.Array) else [inner], inner_page)
            return text

        def visit(node, page):
            if isinstance(node, pikepdf.Array):
                return "".join(visit(kid, page) or "" for kid in node)
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                return ""  # a marked-content or object reference (a link's annotation)
            page = pages.get(node.Pg.objgen, page) if "/Pg" in node else page
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            text = own_text(kids, page)
            role = str(node.S)[1:]
            if text:
                out.append((role, text))
            at = len(out)
            below = "".join(visit(kid, page) or "" for kid in kids
                            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR")
            if role in ("TH", "TD"):  # a cell holds paragraphs: its text is theirs
                out.insert(at, (role, below))
            return text + below

        visit(pdf.Root.StructTreeRoot.K, 0)
        return out


def pdfium_text(path: Path) -> str:
    """The text PDFium reads from every page (FPDFText, through pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_every_tagged_element_reads_back_as_the_source(built, language):
    sentence = SCRIPTS[language][3]
    body = " ".join([sentence] * 4)
    texts = element_texts(built[language])
    paragraphs = [squeeze(text) for role, text in texts if role == "P"]
    assert body in paragraphs  # four lines or more, with a space where each broke
    assert paragraphs.count(sentence) >= 2  # the summary's item and the list item
    headings = [text for role, text in texts if role.startswith("H")]
    words = sentence.split()
    assert f"{words[0]} {words[1]}" in headings and f"{words[2]} {words[3]}" in headings


@pytest.mark.parametrize("language", [
    pytest.param(language, marks=pytest.mark.xfail(
        strict=True, reason="PDFium runs its own bidi over each extracted line, ActualText included, as if it were "
                            "in visual order: a mostly right-to-left line comes back with each word reversed"))
    if language in RIGHT_TO_LEFT else language for language in sorted(SCRIPTS)])
def test_pdfium_reads_the_source_in_logical_order(built, language):
    sentence = SCRIPTS[language][3]
    read = squeeze(pdfium_text(built[language]))
    assert " ".join([sentence] * 4) in read


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_no_private_use_code_reaches_pdftotext(built, language):
    text = subprocess.run(["pdftotext", str(built[language]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert not [c for c in text if 0xE000 <= ord(c) <= 0xF8FF]
    # Poppler reads each line's ActualText; it reverses right-to-left ones, so compare the letters.
    words = SCRIPTS[language][3].split()
    found = squeeze(text)
    if language in RIGHT_TO_LEFT:
        assert words[1][::-1] in found
    else:
        assert f"{words[0]} {words[1]}" in found


@pytest.mark.parametrize("language", ["ar", "ur", "bn", "ta"])
def test_the_tagged_pdf_is_pdf_ua_clean(built, language):
    from test_accessibility import pdfua

    report = pdfua(built[language])
    assert report["findings"] == [] and report["skipped"] == [] and report["exit_code"] == 0, report


def test_each_leaflet_and_passage_says_its_language(built):
    with pikepdf.open(built["ar"]) as pdf:
        assert str(pdf.Root.Lang) == "ar"


# -- the engine itself: glyphs, order, where lines break ---------------------------------------------

def registered(language: str, bold: bool = False) -> str:
    """Register a language's Noto font with ReportLab, as a build does; its ReportLab name."""
    from reportlab.pdfbase import pdfmetrics

    from handout_builder.render.reportlab_seam import EmbeddedFont

    family, regular, bold_file, _ = SCRIPTS[language]
    name = f"test-{family}-{'bold' if bold else 'regular'}"
    try:
        pdfmetrics.getFont(name)
    except KeyError:
        pdfmetrics.registerFont(EmbeddedFont(name, str(used_file(bold_file if bold else regular)), asciiReadable=0))
    return name


def paragraph(language: str, text: str, width: float, size: float = 12):
    from reportlab.lib.styles import ParagraphStyle

    from handout_builder.render.inline import escape
    from handout_builder.render.shaped import ShapedParagraph

    style = ParagraphStyle("body", fontName=registered(language), fontSize=size, leading=size * 1.5)
    para = ShapedParagraph(escape(text), style, right_to_left=language in RIGHT_TO_LEFT)
    para.wrap(width, 10_000)
    return para


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_the_glyphs_drawn_are_harfbuzzs_for_the_same_font_and_text(language):
    import uharfbuzz as hb

    _, regular, _, sentence = SCRIPTS[language]
    face = hb.Face(hb.Blob(used_file(regular).read_bytes()))  # a face of our own, not the engine's
    font = hb.Font(face)
    para = paragraph(language, sentence, 10_000)  # one line
    (line,) = para.lines
    # Words of letters and marks only: a script's font need not have the punctuation (a fallback draws it).
    for word in [w for w in sentence.split() if all(unicodedata.category(c)[0] in "LM" for c in w)][:6]:
        buffer = hb.Buffer()
        buffer.add_str(word)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {"kern": True, "liga": True})
        expected = [info.codepoint for info in buffer.glyph_infos]
        start = sentence.index(word)
        drawn = [g.gid for item in line.items if start <= item.start < start + len(word) for g in item.glyphs
                 if para.logical[item.start + g.cluster] != " "]  # the word's, not the space after it
        assert drawn == expected and 0 not in drawn, word  # and no .notdef


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_in_a_right_to_left_line_the_first_word_is_the_rightmost(language):
    from handout_builder.render.shaped import placements

    sentence = SCRIPTS[language][3]
    para = paragraph(language, sentence, 200)
    assert len(para.lines) > 1
    for line in para.lines:
        placed = placements(para.logical, line, 0.0)
        first = min(placed, key=lambda p: p[0].start)  # the item read first
        assert max(x for _, x in placed) == placed[placed.index(first)][1], language
        # a phone number inside reads left to right, as written
    phone = next(line for line in para.lines if "020 7946 0999" in para.logical[line.start:line.end])
    placed = sorted(placements(para.logical, phone, 0.0), key=lambda p: p[1])
    digits = "".join(para.logical[item.start:item.end] for item, _ in placed if para.logical[item.start].isdigit())
    assert "020 7946 0999" in digits


UNITS = ["020 7946 0999", "[1, 2]", "1 November 2026", "5 ml", "38 °C", "PMID: 9400508", "+44 (0)20 7946 0999",
         "2.5 mg"]
SENTENCE = ("Give {} twice a day and call us on {} if the temperature reaches {} or more; see PMID: 9400508 "
            "[1, 2] and the review of 1 November 2026, or ring +44 (0)20 7946 0999 and take 2.5 mg at night.")


@pytest.mark.parametrize("language", ["ar", "bn"])
def test_no_line_breaks_inside_a_number_date_dose_or_citation(language):
    words = {"ar": "الدواء", "bn": "ওষুধ"}[language]
    text = SENTENCE.format("5 ml", "020 7946 0999", "38 °C").replace("Give", words).replace("twice", words)
    for width in range(40, 400, 7):
        para = paragraph(language, text, width)
        for line in para.lines[:-1]:
            for unit in UNITS:
                for match in re.finditer(re.escape(unit), text):
                    assert not (match.start() < line.end < match.end()), (width, unit, text[line.start:line.end])


def test_web_addresses_break_after_a_slash_or_before_a_query_never_mid_word():
    from handout_builder.render.shaped import break_opportunities

    url = "https://www.example.org/mouth-care/leaflets?lang=ar&size=large"
    text = f"Read {url} today."
    can = break_opportunities(text)
    start = text.index(url)
    breaks = [text[start:i] for i in range(start + 1, start + len(url)) if can[i]]
    assert breaks == ["https://", "https://www.example.org/", "https://www.example.org/mouth-care/",
                      "https://www.example.org/mouth-care/leaflets", "https://www.example.org/mouth-care/leaflets?lang=ar"]


def test_no_line_starts_with_chinese_closing_punctuation():
    from handout_builder.render.shaped import break_opportunities

    text = "孩子发烧时，请立即打电话。（全天）「注意」"
    can = break_opportunities(text)
    assert not any(can[i] for i, c in enumerate(text) if c in "。，、）」")
    assert not any(can[i + 1] for i, c in enumerate(text[:-1]) if c in "（「")
    assert can[text.index("请")]  # between two ideographs


# -- a right-to-left page is mirrored --------------------------------------------------------------

def span_places(path: Path, page_number: int = 0) -> list[tuple[str, float, float]]:
    """(ActualText, x, y) of each Span on a page: where its first glyph is put, in page space."""
    with pikepdf.open(path) as pdf:
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        saved: list[list[float]] = []
        pending: list[str] = []
        out = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[page_number]):
            op = str(operator)
            if op == "q":
                saved.append(ctm[:])
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                ctm = [a * ctm[0] + b * ctm[2], a * ctm[1] + b * ctm[3], c * ctm[0] + d * ctm[2],
                       c * ctm[1] + d * ctm[3], e * ctm[0] + f * ctm[2] + ctm[4], e * ctm[1] + f * ctm[3] + ctm[5]]
            elif op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
                pending.append(str(operands[1].ActualText))
            elif op == "Tm" and pending:
                x, y = float(operands[4]), float(operands[5])
                out.append((pending.pop(), x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]))
        return out


MIRRORED = textwrap.dedent("""\
    title: العناية بالفم
    version: "1.0"
    reviewed: 2026-11-01
    language: ar
    authors: [فريق التمريض]
    contact: "020 7946 0999"
    sections:
      - heading: الأدوية
        body: |
          خذ الدواء كما يلي.

          | الدواء | الجرعة |
          |---|---|
          | باراسيتامول | 5 ml |
    references:
      - id: cited
        authors: [Ward 7 nurses]
        title: Mouth care at home
        publisher: St Brigid's Children's Hospital
        year: 2026
    """)


def test_a_right_to_left_page_is_mirrored_and_its_table_read_first_column_first(project):
    project.write("x", MIRRORED)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    path = project.pdf("x")
    places: dict[str, tuple[float, float]] = {}
    for text, x, y in span_places(path):
        places.setdefault(text, (x, y))  # the first: the running header comes before the title
    # The table's first column is on the right; a screen reader still reads it first.
    assert places["الدواء"][0] > places["الجرعة"][0]
    assert places["باراسيتامول"][0] > places["5 ml"][0]
    headers = [text for role, text in element_texts(path) if role == "TH"]
    assert headers == ["الدواء", "الجرعة"]
    # The footer's "Page 1 of 1" is on the left, the edition line on the right; the header's
    # organisation on the right, the leaflet's title on the left.
    page = next(text for text in places if text.startswith("الصفحة"))
    edition = next(text for text in places if text.startswith("الإصدار"))
    assert places[page][0] < 100 < places[edition][0]
    assert places["العناية بالفم"][0] < places["St Brigid's Children's Hospital"][0]
    # Paragraphs end at the right margin.
    from pypdf import PdfReader

    width = float(PdfReader(path).pages[0].mediabox.width)
    assert places["خذ الدواء كما يلي."][0] > width / 2


def drawn_outlines(path: Path, actual_text: str) -> list[tuple[str, list[tuple]]]:
    """For each Span on page 1 whose ActualText is `actual_text`: the PDF font's name and the
    outline of each glyph drawn inside it, in drawing order, read from the embedded subset."""
    import io

    from fontTools.ttLib import TTFont

    out = []
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        resources = page.Resources.Font
        subsets: dict[str, TTFont] = {}
        inside, font, outlines = False, None, []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and \
                    str(operands[1].get("/ActualText", "")) == actual_text:
                inside, outlines = True, []
            elif op == "EMC" and inside:
                out.append((str(resources[font].BaseFont), outlines))
                inside = False
            elif op == "Tf":
                font = str(operands[0])
            elif inside and op in ("Tj", "TJ"):
                if font not in subsets:
                    data = bytes(resources[font].FontDescriptor.FontFile2.read_bytes())
                    subsets[font] = TTFont(io.BytesIO(data))
                subset = subsets[font]
                cmap = subset["cmap"].tables[0].cmap
                strings = [operands[0]] if op == "Tj" else [s for s in operands[0] if isinstance(s, pikepdf.String)]
                for string in strings:
                    for code in bytes(string):
                        name = cmap[code]
                        outlines.append(subset["glyf"][name].getCoordinates(subset["glyf"])[0].array.tolist())
    return out


def test_the_glyphs_in_the_pdf_are_harfbuzzs_for_the_font_and_text(built):
    """Read back from the PDF itself: the title, drawn in the header (regular) and as the H1
    (bold), is the outlines of uharfbuzz's glyphs for the same text and font file, in order."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    _, regular, bold, sentence = SCRIPTS["bn"]
    title = " ".join(sentence.split()[:2])
    drawn = drawn_outlines(built["bn"], title)
    assert {"Bold" in name for name, _ in drawn} == {True, False}  # both were found
    for name, outlines in drawn:
        path = used_file(bold if "Bold" in name else regular)
        font = hb.Font(hb.Face(hb.Blob(path.read_bytes())))
        original = TTFont(path)
        expected = []
        for word in title.split():
            buffer = hb.Buffer()
            buffer.add_str(word)
            buffer.guess_segment_properties()
            hb.shape(font, buffer, {"kern": True, "liga": True})
            for info in buffer.glyph_infos:
                glyph = original["glyf"][original.getGlyphOrder()[info.codepoint]]
                expected.append(glyph.getCoordinates(original["glyf"])[0].array.tolist())
        assert len([o for o in outlines if o]) >= len(title) // 2  # glyphs were read, not nothing
        assert [o for o in outlines if o] == [o for o in expected if o], name  # spaces draw nothing


PDFJS = Path(__file__).parent / "pdfjs"


def pdfjs_text(path: Path) -> str:
    """The text pdf.js (tests/pdfjs, the version its package-lock.json pins) reads from every page."""
    import json

    run = subprocess.run(["node", str(PDFJS / "read.mjs"), str(path)], capture_output=True, text=True,
                         timeout=120, check=True)
    return " ".join("".join(item["text"] + (" " if item["eol"] else "") for item in page)
                    for page in json.loads(run.stdout))


@pytest.mark.skipif(not (PDFJS / "node_modules" / "pdfjs-dist").exists() or shutil.which("node") is None,
                    reason="pdf.js is not installed: npm ci --prefix tests/pdfjs (.ci/run does)")
@pytest.mark.parametrize("language", sorted(SCRIPTS))
@pytest.mark.xfail(strict=True, reason="pdf.js 4.10 ignores ActualText: it reads each glyph's ToUnicode in drawing "
                                       "(visual) order, so Indic vowel signs come out before their consonant and "
                                       "right-to-left lines with their runs in visual order")
def test_pdfjs_reads_the_source(built, language):
    sentence = SCRIPTS[language][3]
    assert " ".join([sentence] * 4) in squeeze(pdfjs_text(built[language]))
