"""Pictures in leaflets (`![alt](images/x.png "Caption"){width=50%}`): each kind is embedded once,
at the size the layout and the picture allow; alt text and captions reach the structure tree and
decorative pictures are artifacts; nothing of a photograph's metadata reaches the PDF; the e-mail
layout keeps photographs small; a picture is an input; `diff` and `check` speak of pictures; and
the Easy Read layout sets each picture beside its words. Each mistake an author can make with a
picture is a file of the broken corpus (tests/broken/picture-*.yaml, test_corpus.py)."""
from __future__ import annotations

import hashlib
import io
import random
import re
import shutil
import textwrap
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import MINIMAL, REPO, page_texts, publishable, table_rows, words
from pdf_reading import content_marks, structure_text
from test_accessibility import _elements, pdfua

COLUMN_A4 = 595.2756 - 2 * 22 * 72 / 25.4  # clinic-a4's text column, points
FRAME_A4 = 841.8898 - (27 + 26) * 72 / 25.4


def body(text: str) -> str:
    """MINIMAL with `text` (Markdown, each line indented as written) as its one section's body."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return MINIMAL.replace("        body: Some words.", "        body: |\n" + "\n".join(
        ("          " + line) if line else "" for line in lines))


def photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photograph-like picture: smooth colour with fine noise (which JPEG cannot squeeze away)."""
    rng = random.Random(seed)
    small = Image.new("RGB", (16, 12))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(16 * 12)])
    image = small.resize((width, height), Image.BICUBIC)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(image, noise, 0.25)


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **options)
    return path


def placements(pdf_path: Path):
    """(page index, page, XObject name, transformation matrix) of each `Do` on each page, the
    matrix followed through the content stream's q, Q and cm."""
    with pikepdf.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            stack, ctm = [], [1, 0, 0, 1, 0, 0]
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop()
                elif op == "cm":
                    a, b, c, d, e, f = (float(x) for x in operands)
                    A, B, C, D, E, F = ctm
                    ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E,
                           e * B + f * D + F]
                elif op == "Do":
                    yield index, page, str(operands[0]), ctm


def draws(pdf_path: Path) -> list[tuple[int, str, str, float, float]]:
    """(page, XObject name, subtype, drawn width, drawn height) of each `Do` on each page, from the
    content streams' transformation matrices (an image fills the unit square; a form its BBox)."""
    out = []
    for index, page, name, ctm in placements(pdf_path):
        drawn = page.Resources.XObject[name]
        if drawn.Subtype == "/Image":
            w, h = 1.0, 1.0
        else:
            box = [float(x) for x in drawn.BBox]
            w, h = box[2] - box[0], box[3] - box[1]
        out.append((index, name, str(drawn.Subtype), ctm[0] * w, ctm[3] * h))
    return out


class Embedded:
    """An image XObject of a PDF, read out: its size in pixels, its filter and its pixels."""

    def __init__(self, stream: pikepdf.Stream):
        self.width, self.height = int(stream.Width), int(stream.Height)
        self.filter = str(stream.get("/Filter", ""))
        self.masked = "/SMask" in stream
        self.pixels = pikepdf.PdfImage(stream).as_pil_image().convert("RGB")


def images(pdf_path: Path) -> list[Embedded]:
    """Every image XObject in the file, once each."""
    with pikepdf.open(pdf_path) as pdf:
        return [Embedded(obj) for obj in pdf.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def every_stream(pdf_path: Path) -> bytes:
    """All the file's bytes and every stream decoded as far as pikepdf can: where metadata would hide."""
    out = [pdf_path.read_bytes()]
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                out.append(obj.read_raw_bytes())
                try:
                    out.append(obj.read_bytes())
                except pikepdf.PdfError:
                    pass  # DCT: its raw bytes above are the JPEG, segments and all
    return b"".join(out)


# -- each kind, once, at its size ---------------------------------------------------------------

def test_png_jpeg_and_svg_are_each_embedded_once_at_the_size_they_ask_for(project):
    pictures = project.root / "handouts" / "images"
    small = Image.new("RGBA", (600, 300), (30, 90, 160, 255))
    small.paste((255, 255, 255, 0), (0, 0, 100, 300))  # a transparent strip: drawn on white
    save(small, pictures / "port.png")
    save(photo(2000, 1000), pictures / "sponge.jpg", quality=90)
    shutil.copy(REPO / "handouts" / "images" / "thermometer.svg", pictures / "thermometer.svg")
    project.write("x", body("""\
        ![Where the port sits under the skin](images/port.png "The port")

        ![A mouth-care sponge](images/sponge.jpg){width=50%}

        ![A thermometer](images/thermometer.svg)

        ![Where the port sits under the skin, again](images/port.png)
    """))
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    drawn = draws(project.pdf("x"))
    assert [subtype for *_, subtype, _, _ in drawn] == ["/Image", "/Image", "/Form", "/Image"]
    (_, port, _, w1, h1), (_, sponge, _, w2, h2), (_, _, _, w3, h3), (_, again, _, w4, h4) = drawn
    # The PNG is smaller than the column: drawn at its natural size (600 px at 96 an inch), never blown up.
    assert (w1, h1) == pytest.approx((450, 225), abs=0.01) and (w4, h4) == pytest.approx((450, 225), abs=0.01)
    assert port == again  # shown twice, embedded once
    assert (w2, h2) == pytest.approx((COLUMN_A4 / 2, COLUMN_A4 / 4), abs=0.01)  # {width=50%} of the column
    assert (w3, h3) == pytest.approx((COLUMN_A4, COLUMN_A4), abs=0.01)  # an SVG fills the column
    embedded = images(project.pdf("x"))
    assert len(embedded) == 2 and not any(image.masked for image in embedded)  # no soft mask (PDF/A allows none)
    jpeg = next(i for i in embedded if "/DCTDecode" in i.filter)
    assert (jpeg.width, jpeg.height) == (2000, 1000)  # as the author gave it: not recompressed
    png = next(i for i in embedded if i is not jpeg)
    assert png.pixels.getpixel((50, 150)) == (255, 255, 255) and png.pixels.getpixel((300, 150)) == (30, 90, 160)
    assert "The port" in words(page_texts(project.pdf("x"))[0])


def test_a_picture_is_never_taller_than_the_page_allows_and_kept_whole_with_its_caption(project):
    tall = project.root / "handouts" / "images" / "tall.svg"
    tall.parent.mkdir(parents=True)
    tall.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="1000">'
                    '<rect width="100" height="1000" fill="#14213d"/></svg>')
    filler = "\n\n".join(f"Line {n} of words before the picture." for n in range(12))
    project.write("x", body(filler + '\n\n![A tall dark bar](images/tall.svg "A caption under the bar")'))
    assert project.run("build").exit_code == 0
    [(page, _, _, width, height)] = draws(project.pdf("x"))
    assert height == pytest.approx(FRAME_A4 * 0.8, abs=0.01) and width == pytest.approx(height / 10, abs=0.01)
    texts = page_texts(project.pdf("x"))
    assert page == 1 and "A caption under the bar" in texts[1] and "Line 11" in texts[0]


# -- alt text, captions, decoration ----------------------------------------------------------------

def test_alt_text_and_captions_are_in_the_structure_tree_and_decoration_is_an_artifact(project):
    pictures = project.root / "handouts" / "images"
    save(photo(300, 200), pictures / "line.png")
    save(Image.new("RGB", (300, 20), (200, 200, 200)), pictures / "swirl.png")
    project.write("x", body("""\
        ![A central line leaving the chest](images/line.png "A central line")

        ![](images/swirl.png){decorative}

        Words after.
    """))
    assert project.run("build").exit_code == 0
    path = project.pdf("x")
    with pikepdf.open(path) as pdf:
        figures = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure"]
    assert figures == ["St Brigid's Children's Hospital logo", "A central line leaving the chest"]
    tree = [(role, text) for _, role, text in structure_text(path)]
    assert ("Caption", "A central line") in tree
    roles = [role for role, _ in tree]
    assert roles[roles.index("H2") + 1:roles.index("H2") + 4] == ["Figure", "Caption", "P"]
    # Every mark on the page is tagged or an artifact; the decorative picture is drawn inside one.
    for page in content_marks(path):
        assert page["unmarked"] == [] and page["nested"] == []
    with pikepdf.open(path) as pdf:
        stream = pdf.pages[0].Contents.read_bytes().decode("latin-1")
        swirl = [name for name, x in pdf.pages[0].Resources.XObject.items() if int(x.Height) == 20][0]
    before = stream[:stream.index(f"{swirl} Do")]
    assert before.rfind("/Artifact BMC") > max(before.rfind("EMC"), before.rfind("BDC"))
    report = pdfua(path)
    assert report["findings"] == [] and report["skipped"] == []


# -- privacy --------------------------------------------------------------------------------------

OWNER = "Jane Q. Photographer"
PLACE = b"51.5237"


def gps_photo(path: Path) -> Path:
    """A JPEG with where it was taken (GPS), the owner's name, the camera's details, an XMP packet
    and a comment: what a phone's photograph carries."""
    exif = Image.Exif()
    exif[0x013B] = OWNER  # Artist
    exif[0x8298] = f"Copyright {OWNER}"
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "PhoneMaker X 12"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 31.0, 25.32), 3: "W", 4: (0.0, 7.0, 14.0)})
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="{PLACE.decode()},N" '
           f'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{OWNER}"/></rdf:RDF></x:xmpmeta>')
    return save(photo(1200, 800), path, quality=90, exif=exif, comment=f"Taken by {OWNER}".encode(),
                xmp=xmp.encode())


@pytest.mark.parametrize("layout", ["clinic-a4", "email"])  # embedded as it is, and downsampled
def test_no_trace_of_where_a_photograph_was_taken_or_whose_camera_reaches_the_pdf(project, layout):
    source = gps_photo(project.root / "handouts" / "images" / "ward.jpg")
    data = source.read_bytes()
    assert OWNER.encode() in data and b"PhoneMaker" in data and PLACE in data and b"Exif" in data
    with Image.open(source) as opened:
        assert opened.getexif().get_ifd(0x8825)  # the GPS really is there
    png_notes = Image.new("RGB", (400, 300), (40, 120, 60))
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("Author", OWNER)
    info.add_text("Location", PLACE.decode())
    save(png_notes, project.root / "handouts" / "images" / "garden.png", pnginfo=info)
    project.write("x", body("""\
        ![The ward's playroom](images/ward.jpg)

        ![The hospital garden](images/garden.png)
    """))
    result = project.run("build", "-l", layout)
    assert result.exit_code == 0, result.stderr
    everything = every_stream(project.pdf(f"x-{layout}"))
    # (the PDF's own XMP packet stays: it holds the leaflet's title and dates)
    for trace in (OWNER.encode(), b"Photographer", b"PhoneMaker", PLACE, b"Exif", b"GPS",
                  b"Taken by", b"Location"):
        assert trace not in everything, trace
    assert len(images(project.pdf(f"x-{layout}"))) == 2  # both pictures are there, as pixels


def test_a_photograph_stored_on_its_side_prints_upright(project):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view, as phones store portrait photographs
    stored = Image.new("RGB", (400, 200), (255, 255, 255))
    stored.paste((200, 20, 20), (0, 0, 200, 200))  # red on the left as stored: on top once upright
    save(stored, project.root / "handouts" / "images" / "side.jpg", quality=95, exif=exif)
    project.write("x", body("![A red and white card](images/side.jpg)"))
    assert project.run("build").exit_code == 0
    [(_, _, _, width, height)] = draws(project.pdf("x"))
    assert height > width  # upright: taller than wide
    [image] = images(project.pdf("x"))
    upright = image.pixels
    assert upright.size == (200, 400)
    red, green, blue = upright.getpixel((100, 50))
    assert red > 150 and green < 100 and blue < 100


# -- e-mail --------------------------------------------------------------------------------------

def test_the_email_layout_keeps_a_two_page_leaflet_with_two_photos_under_100_kb_a_page(project):
    for name, seed in (("one", 1), ("two", 2)):
        save(photo(3000, 2000, seed), project.root / "handouts" / "images" / f"{name}.jpg", quality=95)
    project.write("x", body("""\
        ![A nurse flushing a central line](images/one.jpg "Flushing the line"){width=50%}

        ![A child playing on the ward](images/two.jpg "The ward's playroom"){width=50%}
    """))
    result = project.run("build", "-l", "email")
    assert result.exit_code == 0, result.stderr
    path = project.pdf("x-email")
    pages = len(PdfReader(path).pages)
    assert pages == 2
    assert path.stat().st_size < 100 * 1024 * pages, path.stat().st_size
    # 150 pixels an inch at the width printed, not the 3000 the author gave
    assert [image.width for image in images(path)] == [round(COLUMN_EMAIL / 2 / 72 * 150)] * 2
    # Printed from the everyday layout, the same photographs are kept whole: far larger.
    assert project.run("build").exit_code == 0
    assert project.pdf("x").stat().st_size > 4 * path.stat().st_size


COLUMN_EMAIL = 595.2756 - 2 * 16 * 72 / 25.4


# -- a picture is an input ---------------------------------------------------------------------------

def test_a_changed_picture_rebuilds_the_leaflets_that_show_it_and_only_those(project):
    picture = save(Image.new("RGB", (300, 200), (200, 30, 30)), project.root / "handouts" / "images" / "card.png")
    project.write("shows", body("![A red card](images/card.png)"))
    project.write("plain", MINIMAL)
    assert project.run("build").exit_code == 0
    assert project.run("build", "--check").exit_code == 0
    save(Image.new("RGB", (300, 200), (30, 30, 200)), picture)
    stale = project.run("build", "--check")
    assert stale.exit_code == 1
    assert "handouts/shows.yaml -> build/shows.pdf: stale (handouts/images/card.png changed)" in stale.stdout
    assert "plain" not in stale.stdout
    rebuilt = project.run("build")
    assert "handouts/shows.yaml -> build/shows.pdf: " in rebuilt.stdout and "pages" in rebuilt.stdout
    assert "handouts/plain.yaml -> build/plain.pdf: up to date" in rebuilt.stdout
    [image] = images(project.pdf("shows"))
    assert image.pixels.getpixel((5, 5)) == (30, 30, 200)
    picture.unlink()  # a picture gone: one clear line, and the last good PDF stays
    good = project.pdf("shows").read_bytes()
    gone = project.run("build")
    assert gone.exit_code == 1
    assert gone.stderr.splitlines()[0] == ("handouts/shows.yaml:9: sections[1].body: picture 'images/card.png' "
                                           "does not exist")
    assert project.pdf("shows").read_bytes() == good


def test_diff_names_each_picture_changed_added_or_removed_by_its_alt_text(project):
    pictures = project.root / "handouts" / "images"
    save(Image.new("RGB", (300, 200), (200, 30, 30)), pictures / "card.png")
    save(Image.new("RGB", (300, 200), (30, 160, 30)), pictures / "leaf.png")
    path = project.write("x", body("""\
        ![A red card](images/card.png)

        ![A green leaf](images/leaf.png)
    """))
    assert project.run("build").exit_code == 0
    same = project.run("diff", "handouts/x.yaml")
    assert same.exit_code == 0
    save(Image.new("RGB", (300, 200), (200, 200, 30)), pictures / "card.png")  # same alt text, new picture
    path.write_text(path.read_text().replace("![A green leaf](images/leaf.png)",
                                             "![A thermometer under the arm](images/leaf.png)"))
    result = project.run("diff", "handouts/x.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-6:] == [
        "Pictures", "  changed: A red card", "  removed: A green leaf", "  added: A thermometer under the arm",
        "", "0 sections differ, 3 pictures differ"]


# -- check ---------------------------------------------------------------------------------------

def test_check_warns_on_alt_text_that_describes_nothing_and_on_blurred_pictures(project):
    pictures = project.root / "handouts" / "images"
    save(photo(400, 300), pictures / "IMG_2041.jpg", quality=90)
    save(photo(3000, 2000), pictures / "big.jpg", quality=80)
    long_alt = "A nurse " + "and a child " * 25 + "on the ward"
    project.write("x", body(f"""\
        ![IMG_2041.jpg](images/IMG_2041.jpg){{width=50%}}

        ![Image](images/big.jpg)

        ![Picture of a nurse at the bedside](images/big.jpg){{width=60%}}

        ![{long_alt}](images/big.jpg){{width=70%}}

        ![The ward at night](images/IMG_2041.jpg)
    """))
    result = project.run("check")
    assert result.exit_code == 0
    found = [(row[0], row[2], row[3]) for row in table_rows(result) if row[1] == "warning"]
    assert found == [
        ("handouts/x.yaml:9", "sections[1].body", "the alt text of picture 'images/IMG_2041.jpg' is a file name; "
         "say what the picture shows, as you would to someone on the phone"),
        ("handouts/x.yaml:9", "sections[1].body", "picture 'images/IMG_2041.jpg' prints at 122 dpi (83mm wide "
         "from 400 pixels), under the 150 dpi print needs, so it looks blurred; use one at least 490 pixels wide, "
         "or print it smaller ({width=40%})"),
        ("handouts/x.yaml:11", "sections[1].body", "the alt text of picture 'images/big.jpg' is only \"Image\"; "
         "say what the picture shows"),
        ("handouts/x.yaml:13", "sections[1].body", "the alt text of picture 'images/big.jpg' starts \"Picture of\"; "
         "a screen reader already says it is a picture: say only what it shows"),
        ("handouts/x.yaml:15", "sections[1].body", f"the alt text of picture 'images/big.jpg' is {len(long_alt)} "
         "characters (more than 250); keep it short and put the detail in the text or the caption"),
        ("handouts/x.yaml:17", "sections[1].body", "picture 'images/IMG_2041.jpg' prints at 96 dpi (106mm wide "
         "from 400 pixels), under the 150 dpi print needs, so it looks blurred; use one at least 625 pixels wide, "
         "or print it smaller ({width=40%})"),
    ]


def test_check_warns_on_a_pale_picture_where_the_layout_asks_for_contrast(project):
    pictures = project.root / "handouts" / "images"
    pale = Image.new("RGB", (900, 900), (235, 235, 235))
    pale.paste((200, 200, 200), (300, 300, 600, 600))
    save(pale, pictures / "pale.png")
    bold = Image.new("RGB", (900, 900), (255, 255, 255))
    bold.paste((20, 20, 20), (300, 300, 600, 600))
    save(bold, pictures / "bold.png")
    project.write("x", publishable(body("""\
        ![A grey square on grey](images/pale.png) Look at the square.

        ![A black square on white](images/bold.png) Look at this one.
    """).replace("    title:", "    layout: easy-read\n    title:", 1)))
    result = project.run("check")
    rows = [row for row in table_rows(result) if row[3].startswith("picture")]
    assert rows == [("handouts/x.yaml:10", "warning", "sections[1].body",
                     "picture 'images/pale.png' has a contrast of 1.4:1 between its dark and light parts; this "
                     "layout asks for 4.5:1, so its readers may not make it out: use a clearer picture")]
    assert project.run("check", "-l", "clinic-a4").stdout.count("contrast of") == 0  # only where a layout asks


def test_easy_read_flags_long_sentences_and_paragraphs_of_more_than_one_sentence(project):
    project.write("x", body("""\
        Call the ward on the number on your card at any time of the day or night if worried.

        Take the temperature. Write it down.

        - Wash your hands.
        - Keep your child warm. Give them drinks.
    """).replace("    title:", "    layout: easy-read\n    title:", 1))
    result = project.run("check")
    rows = [(row[0], row[1], row[3]) for row in table_rows(result) if row[3].startswith(("sentence of", "paragraph",
                                                                                           "list item"))]
    assert rows == [
        ("handouts/x.yaml:10", "warning", 'sentence of 19 words (this layout, easy-read, asks for at most 15): '
         '"Call the ward on the number…"; split it into shorter sentences'),
        ("handouts/x.yaml:12", "warning", 'paragraph of 2 sentences (this layout, easy-read, asks for one): '
         '"Take the temperature. Write it down."; give each sentence a line of its own'),
        ("handouts/x.yaml:15", "warning", 'list item of 2 sentences (this layout, easy-read, asks for one): '
         '"Keep your child warm. Give them…"; give each sentence a line of its own'),
    ]
    # Laid out in Easy Read without being written for it, the same are notes.
    other = project.write("y", body("Take the temperature. Write it down."))
    assert other.exists()
    notes = [row for row in table_rows(project.run("check", "-l", "easy-read", "handouts/y.yaml"))
             if "asks for one" in row[3]]
    assert [row[1] for row in notes] == ["note"]


# -- Easy Read ----------------------------------------------------------------------------------------

def _image_xs(path: Path):
    """(XObject name, x where it is drawn) of each picture drawn on page 1."""
    return [(name, ctm[4]) for index, _, name, ctm in placements(path) if index == 0]


@pytest.mark.parametrize("language, left", [("en", True), ("ar", False)])
def test_easy_read_sets_each_picture_beside_its_words_on_the_side_a_line_starts(project, language, left):
    shutil.copytree(REPO / "handouts" / "images", project.root / "handouts" / "images")
    words_for = {"en": ("Take the temperature.", "Call the ward."), "ar": ("قس درجة الحرارة.", "اتصل بالجناح.")}
    first, second = words_for[language]
    text = body(f"""\
        ![A thermometer](images/thermometer.svg) {first}

        - ![A telephone](images/telephone.svg) {second}
    """).replace("    title:", f"    layout: easy-read\n    language: {language}\n    draft: true\n    title:", 1)
    project.write("x", text)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    path = project.pdf("x")
    xs = [x for _, x in _image_xs(path)]  # the header's logo is drawn directly, not as a form
    assert len(xs) == 2
    from pdf_reading import text_runs

    runs = [run for run in text_runs(path) if run.page == 0 and run.size >= 16 and run.text.strip()]
    said = {run.text.strip(): run.x for run in runs}
    word_x = next(x for t, x in said.items() if first.split()[0].strip(".") in t or t in first)
    beside = 30 * 72 / 25.4
    if left:  # at the left margin, the words after it
        assert xs[0] == pytest.approx(20 * 72 / 25.4, abs=1) and xs[0] + beside < word_x
    else:  # at the right margin, the words before it
        assert xs[0] + beside == pytest.approx(595.2756 - 20 * 72 / 25.4, abs=1) and word_x < xs[0]
    tree = [(role, text) for _, role, text in structure_text(path)]
    assert ("Figure", "") in tree and any(role == "Div" for role, _ in tree)
    report = pdfua(path)
    assert report["findings"] == [] and report["skipped"] == []


def test_the_easy_read_fever_leaflet_says_what_the_fever_leaflet_says(shipped):
    out, _ = shipped
    easy = words(" ".join(page_texts(out / "easy-read-fever-and-infection.pdf")))
    full = words(" ".join(page_texts(out / "fever-and-infection.pdf")))
    for fact in ("38 °C or higher", "020 7946 0000", "paracetamol or ibuprofen", "A & E", "999", "20 minutes",
                 "day or night", "chickenpox, shingles or measles", "a few days", "Wash your hands"):
        assert fact in easy and fact in full, fact
    assert "under your child’s arm" in easy and "under your child’s armpit" in full  # typographic apostrophes
    assert "Never" in easy and "bottom" in easy and "in their bottom" in full
    # Every row's picture is a Figure a screen reader names.
    with pikepdf.open(out / "easy-read-fever-and-infection.pdf") as pdf:
        alts = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure"]
        written = (REPO / "handouts" / "easy-read-fever-and-infection.yaml").read_text(encoding="utf-8").count("![")
        assert len(alts) == 1 + written == 23 and set(alts[1:]) == {
            "A hospital", "A thermometer", "A telephone", "A medicine bottle and a pill", "Hands washed under a tap"}
        pictograms = {str(x.get("/Subtype")) for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()}
        assert pictograms == {"/Form"}
        forms = {x.objgen for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()}
        assert len(forms) == 5  # five pictograms, each embedded once however often it is shown
