"""ReportLab behind one module, handout_builder/render/reportlab_seam.py.

Three kinds of test:
- each private name or behaviour of ReportLab's the seam relies on (its RELIED_ON) still exists
  in the installed ReportLab and still does what the seam uses it for; a release that changes
  one fails here, naming it, instead of changing the leaflets without an error;
- no other module of the engine reaches into ReportLab past its public API (a private name, a
  patch of one of its modules, sys.modules), and the seam reaches only for what it lists;
- importing the engine or building a leaflet changes no ReportLab setting and no module.
"""
from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest

import handout_builder.render  # noqa: F401
import reportlab
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas as PlainCanvas
from reportlab.platypus import (
    Frame, KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import LIIndenter

import handout_builder
from handout_builder.render import reportlab_seam as seam

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(handout_builder.__file__).parent
SEAM = PACKAGE / "render" / "reportlab_seam.py"
REPORTLAB = Path(reportlab.__file__).parent
STYLE = ParagraphStyle("plain", fontName="Helvetica", fontSize=10, leading=12)


# -- the scanner: private ReportLab names and patches, in the engine's source ---------------------

_PRIVATE = re.compile(r"_[A-Za-z0-9]\w*")  # _name, not __dunder__


def _private(name: str) -> bool:
    return bool(_PRIVATE.fullmatch(name)) and not name.endswith("__")


def _module_level(body):
    """The statements of a module or class body, into if/try/with/for blocks, not into defs."""
    for statement in body:
        yield statement
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _module_level(getattr(statement, field, []) or [])


def _bound_names(statement) -> list[str]:
    """Names a module- or class-level statement binds (assignments, defs, classes)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    targets = statement.targets if isinstance(statement, ast.Assign) else (
        [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else [])
    return [node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)]


@lru_cache(maxsize=None)
def reportlab_private_names() -> frozenset[str]:
    """Every private name ReportLab's source gives an attribute, a method, a class member or a
    module member (_code, _doc, _content, _fonts...), and every private name it spells as a string."""
    names: set[str] = set()
    for path in REPORTLAB.rglob("*.py"):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
            elif isinstance(node, ast.ClassDef):
                for statement in _module_level(node.body):
                    names.update(_bound_names(statement))
        for statement in _module_level(tree.body):
            names.update(_bound_names(statement))
    return frozenset(name for name in names if _private(name))


def _dotted(module: Path, root: Path) -> str:
    parts = module.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, module: Path, root: Path) -> dict[str, str]:
    """Each name a module imports, and where from: 'reportlab.platypus.Table',
    'handout_builder.render.story.Kept'."""
    package = _dotted(module, root).split(".")[: -1 if module.name != "__init__.py" else None]
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = (package[: len(package) - (node.level - 1)] if node.level else []) + (
                node.module.split(".") if node.module else [])
            for alias in node.names:
                out[alias.asname or alias.name] = ".".join(base + [alias.name])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    return out


@lru_cache(maxsize=None)
def _package_classes(root: Path) -> dict[str, bool]:
    """Every class the package defines ('handout_builder.render.story.Kept') and whether it
    derives from a ReportLab class, through any of the package's modules."""
    bases: dict[str, list[str]] = {}
    for module in root.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported, here = _imports(tree, module, root), _dotted(module, root)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = []
                for base in node.bases:
                    head = base
                    while isinstance(head, ast.Attribute):
                        head = head.value
                    if isinstance(head, ast.Name):
                        names.append(imported.get(head.id, f"{here}.{head.id}"))
                bases[f"{here}.{node.name}"] = names
    derived = {name: any(b.split(".")[0] == "reportlab" for b in found) for name, found in bases.items()}
    changed = True
    while changed:  # a class deriving from one of ours that derives from ReportLab's
        changed = False
        for name, found in bases.items():
            if not derived[name] and any(derived.get(b) for b in found):
                derived[name] = changed = True
    return derived


def reportlab_reaches(module: Path, source: str | None = None, root: Path = PACKAGE,
                      exempt_own_classes: bool = True) -> list[str]:
    """Each place in a module that reaches into ReportLab past its public API, as
    'file:line what': a private ReportLab name read, written, defined in a subclass or spelled as
    a string; a private name imported from reportlab; an attribute of a ReportLab module or class
    assigned (a patch); sys.modules changed. `self._x` in a class of our own that does not derive
    from ReportLab is ours, unless `exempt_own_classes` is False."""
    tree = ast.parse(source if source is not None else module.read_text(encoding="utf-8"))
    private, imported = reportlab_private_names(), _imports(tree, module, root)
    from_reportlab = {name for name, origin in imported.items() if origin.split(".")[0] == "reportlab"}
    classes, here = _package_classes(root), _dotted(module, root)
    where = module.relative_to(root)
    found: list[str] = []

    def derives(node: ast.ClassDef) -> bool:
        if f"{here}.{node.name}" in classes and source is None:
            return classes[f"{here}.{node.name}"]
        for base in node.bases:
            head = base
            while isinstance(head, ast.Attribute):
                head = head.value
            origin = imported.get(head.id, f"{here}.{head.id}") if isinstance(head, ast.Name) else ""
            if origin.split(".")[0] == "reportlab" or classes.get(origin):
                return True
        return False

    def visit(node, owner: ast.ClassDef | None, owner_derives: bool) -> None:
        if isinstance(node, ast.ClassDef):
            is_derived = derives(node)
            if is_derived:
                for statement in _module_level(node.body):
                    found.extend(f"{where}:{statement.lineno} defines {name} in a ReportLab class"
                                 for name in _bound_names(statement) if name in private)
            for child in ast.iter_child_nodes(node):
                visit(child, node, is_derived)
            return
        if isinstance(node, ast.Attribute):
            receiver = node.value
            ours = (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls") and owner is not None
                    and not owner_derives and exempt_own_classes)
            if node.attr in private and not ours:
                found.append(f"{where}:{node.lineno} .{node.attr}")
            patched = isinstance(receiver, ast.Name) and receiver.id in from_reportlab
            if isinstance(node.ctx, (ast.Store, ast.Del)) and patched:
                found.append(f"{where}:{node.lineno} patches {imported[receiver.id]}.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in private:
            found.append(f"{where}:{node.lineno} '{node.value}'")
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "reportlab":
            found.extend(f"{where}:{node.lineno} imports {alias.name}" for alias in node.names if _private(alias.name))
        elif isinstance(node, ast.Import):
            found.extend(f"{where}:{node.lineno} imports {alias.name}" for alias in node.names
                         if alias.name.startswith("reportlab") and any(_private(p) for p in alias.name.split(".")))
        elif (isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del))
              and ast.unparse(node.value) == "sys.modules"):
            found.append(f"{where}:{node.lineno} changes sys.modules")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("setattr", "delattr") and node.args and (
                isinstance(node.args[0], ast.Name) and node.args[0].id in from_reportlab):
            found.append(f"{where}:{node.lineno} patches {imported[node.args[0].id]} with {ast.unparse(node.func)}")
        for child in ast.iter_child_nodes(node):
            visit(child, owner, owner_derives)

    visit(tree, None, False)
    return found


def engine_modules(root: Path = PACKAGE) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if path != root / "render" / "reportlab_seam.py")


def test_no_module_but_the_seam_reaches_into_reportlab():
    """The count of private ReportLab names (and patches) outside reportlab_seam.py is zero."""
    reaches = [reach for module in engine_modules() for reach in reportlab_reaches(module)]
    assert reaches == [], "use handout_builder/render/reportlab_seam.py (and list the name in its RELIED_ON):\n" + \
        "\n".join(reaches)


def test_the_scanner_catches_each_way_of_reaching_in():
    pages = PACKAGE / "render" / "pages.py"
    for reach in ("def f(canv):\n    return canv._code",
                  "def f(table):\n    return getattr(table, '_cellvalues')",
                  "from reportlab.pdfbase.pdfmetrics import _fonts",
                  "from reportlab.pdfbase import pdfmetrics\nx = pdfmetrics._dynFaceNames",
                  "from reportlab import rl_config\nrl_config.useA85 = 0",
                  "from reportlab.pdfbase import ttfonts\nttfonts.makeToUnicodeCMap = print",
                  "from reportlab.platypus import Flowable\nclass F(Flowable):\n"
                  "    def wrap(self, w, h):\n        return self._frame",
                  "from reportlab.graphics.shapes import Drawing\nclass Q(Drawing):\n    _attrMap = None",
                  "from .reportlab_seam import Canvas\nclass C(Canvas):\n    def f(self):\n        return self._code",
                  "import sys\nsys.modules['rlbidi'] = object()",
                  "from reportlab.lib import utils\nsetattr(utils, 'TimeStamp', None)"):
        assert reportlab_reaches(pages, reach), reach
    for allowed in ("class Mine:\n    def f(self):\n        return self._code",
                    "from reportlab.platypus import Paragraph\nx = Paragraph('x', None).style",
                    "from .reportlab_seam import kept\nx = kept",
                    "def f(x):\n    return x.public"):
        assert reportlab_reaches(pages, allowed) == [], allowed


def test_the_seam_uses_only_the_private_names_it_lists():
    used = {reach.rsplit(" ", 1)[-1].strip(".'") for reach in reportlab_reaches(SEAM, exempt_own_classes=False)}
    listed = {name.rsplit(".", 1)[1] for name in seam.RELIED_ON if _private(name.rsplit(".", 1)[1])}
    assert used == listed


# -- each thing the seam relies on is still there -------------------------------------------------

@lru_cache(maxsize=None)
def _members(owner: str) -> frozenset[str]:
    """The names ReportLab's source gives members of `owner`, a class (every class of that name)
    or a module (by file name): attributes set or read on self, methods, class and module names."""
    names: set[str] = set()
    for path in REPORTLAB.rglob("*.py"):
        source = path.read_text(encoding="utf-8", errors="replace")
        if path.stem == owner:
            for statement in _module_level(ast.parse(source).body):
                names.update(_bound_names(statement))
        if f"class {owner}" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef) and node.name == owner:
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Attribute) and ast.unparse(inner.value) == "self":
                        names.add(inner.attr)
                    elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                        names.add(inner.value)  # self.__dict__['_y'] = ...
                for statement in _module_level(node.body):
                    names.update(_bound_names(statement))
    return frozenset(names)


@pytest.mark.parametrize("relied_on", sorted(seam.RELIED_ON))
def test_reportlab_still_has_what_the_seam_relies_on(relied_on):
    owner, name = relied_on.rsplit(".", 1)
    assert name in _members(owner), (f"ReportLab {reportlab.Version} has no {relied_on}, which "
                                      f"render/reportlab_seam.py relies on: {seam.RELIED_ON[relied_on]}")


def test_reportlab_is_the_version_pinned_and_tested():
    pinned = re.search(r'"reportlab>=([\d.]+),<([\d.]+)"', (REPO / "pyproject.toml").read_text()).groups()
    major, minor = seam.TESTED_WITH.split(".")
    assert pinned == (seam.TESTED_WITH, f"{major}.{int(minor) + 1}")
    assert reportlab.Version.startswith(seam.TESTED_WITH + "."), (
        f"ReportLab {reportlab.Version} is installed; render/reportlab_seam.py was tested with {seam.TESTED_WITH}")


@pytest.fixture
def registry():
    """ReportLab's font registry, as it was before the test (other tests' builds share it)."""
    fonts, faces = dict(pdfmetrics._fonts), dict(pdfmetrics._dynFaceNames)
    yield
    pdfmetrics._fonts.clear()
    pdfmetrics._fonts.update(fonts)
    pdfmetrics._dynFaceNames.clear()
    pdfmetrics._dynFaceNames.update(faces)


def test_reportlab_keeps_the_first_font_under_a_name_unless_it_is_forgotten(registry):
    # pdfmetrics._fonts and _dynFaceNames: ReportLab ignores a second font registered under a name
    # (a font file replaced while `build --watch` runs), which is why the seam forgets the first.
    first = TTFont("SeamTest", str(REPO / "fonts" / "NotoSans-Regular.ttf"))
    second = TTFont("SeamTest", str(REPO / "fonts" / "NotoSans-Regular.ttf"))
    seam._forget_in_reportlab(first)  # a build may have registered the face under another name
    pdfmetrics.registerFont(first)
    pdfmetrics.registerFont(second)
    assert pdfmetrics.getFont("SeamTest") is first, "ReportLab now replaces a font registered again: " \
                                                    "reportlab_seam._forget_in_reportlab can go"
    assert pdfmetrics._dynFaceNames[second.face.name].face is first.face
    seam._forget_in_reportlab(second)
    pdfmetrics.registerFont(second)
    assert pdfmetrics.getFont("SeamTest") is second
    assert pdfmetrics._dynFaceNames[second.face.name] is second


def _pdf(draw, canvas=seam.Canvas) -> bytes:
    buffer = io.BytesIO()
    canv = canvas(buffer, invariant=1)
    draw(canv)
    canv.save()
    return buffer.getvalue()


def _to_unicode_maps(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return "\n".join(font.get_object()["/ToUnicode"].get_object().get_data().decode()
                     for font in fonts.values() if "/ToUnicode" in font.get_object())


def test_fonts_written_when_the_document_is_saved_are_in_every_pages_resources(registry):
    # PDFDocument.delayedFonts and idToObject['BasicFonts']: the shaped text's own font objects
    # (embedding.py) are made as ReportLab saves, and every page's /Font resources hold them.
    from reportlab.pdfbase import pdfdoc

    calls = []

    def write(doc):
        calls.append(len(doc.Pages.pages))  # called once, with every page drawn
        font = pdfdoc.PDFDictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica",
                                     "Encoding": "/WinAnsiEncoding"})
        return {"SFTest": font}

    def draw(canv):
        seam.write_when_saved(canv, write)
        for word in ("Hello", "again"):
            canv.addLiteral(f"BT /SFTest 12 Tf 1 0 0 1 72 72 Tm ({word}) Tj ET")
            canv.showPage()

    reader = PdfReader(io.BytesIO(_pdf(draw)))
    assert calls == [2]
    assert [page.extract_text().strip() for page in reader.pages] == ["Hello", "again"]
    assert all("/SFTest" in page["/Resources"]["/Font"] for page in reader.pages)


def test_a_registered_font_keeps_the_bytes_it_was_read_from(registry):
    path = REPO / "fonts" / "NotoSansArabic-Regular.ttf"
    data = io.BytesIO(path.read_bytes())
    data.name = str(path)
    for source in (data, str(path)):
        font = seam.EmbeddedFont("SeamArabicBytes", source, asciiReadable=0)
        assert seam.font_file_bytes(font) == path.read_bytes()
        assert seam.harfbuzz_face(font).upem == 1000
    with pytest.raises(TypeError, match="not registered through the seam"):
        seam.font_file_bytes(TTFont("SeamPlain", str(path)))


def test_embedded_fonts_map_characters_beyond_u_ffff_as_utf16(registry):
    # TTFont.addObjects writes the ToUnicode map; ReportLab writes 𝐀 (U+1D400) as five hex digits.
    path = str(REPO / "fonts" / "NotoSansMath-Regular.ttf")
    for font in (TTFont("SeamMathPlain", path, asciiReadable=0),
                 seam.EmbeddedFont("SeamMathMended", path, asciiReadable=0)):
        seam._forget_in_reportlab(font)  # the same face: ReportLab would lend the second name the first font
        pdfmetrics.registerFont(font)

    def draw(name):
        return lambda canv: (canv.setFont(name, 12), canv.drawString(10, 10, "\U0001d400"))

    assert "<1D400>" in _to_unicode_maps(_pdf(draw("SeamMathPlain"), PlainCanvas)), \
        "ReportLab now writes UTF-16 in ToUnicode maps: reportlab_seam.EmbeddedFont can go"
    mended = _pdf(draw("SeamMathMended"))
    assert "<D835DC00>" in _to_unicode_maps(mended) and "<1D400>" not in _to_unicode_maps(mended)
    assert "\U0001d400" in PdfReader(io.BytesIO(mended)).pages[0].extract_text()


def test_what_a_drawing_adds_is_kept_apart_from_the_page():
    # Canvas._code holds the page's operators as text until the page is finished.
    canv = seam.Canvas(io.BytesIO())
    assert not seam.page_has_content(canv)
    canv.rect(1, 2, 3, 4)
    assert seam.page_has_content(canv)
    before = list(canv._code)
    assert seam.drawn_apart(canv, lambda c: c.line(0, 0, 5, 5)) == "n 0 0 m 5 5 l S"
    assert canv._code == before


def test_a_finished_page_can_be_changed_until_the_document_is_saved():
    # PDFPage.stream: a finished page's operators, as text, until save.
    buffer = io.BytesIO()
    canv = seam.Canvas(buffer, invariant=1)
    canv.addLiteral("%later")
    canv.showPage()
    with pytest.raises(RuntimeError, match="no %sooner"):
        seam.replace_in_page(canv, 0, "%sooner", "x")
    seam.replace_in_page(canv, 0, "%later", "0 0 m 9 9 l S")
    canv.save()
    content = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].get_contents().get_data()
    assert b"0 0 m 9 9 l S" in content and b"%later" not in content


def test_the_creation_date_is_the_one_set():
    # PDFDocument._timeStamp: what CreationDate and ModDate say.
    data = _pdf(lambda canv: (seam.set_creation_date(canv, 1793491200), canv.drawString(9, 9, "x")))
    info = PdfReader(io.BytesIO(data)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261101000000+00'00'"


def test_the_links_a_page_gets_are_read_in_order():
    # Canvas._annotationrefs: the page's annotations, in the order they were made.
    canv = seam.Canvas(io.BytesIO())
    canv.linkURL("https://example.org/a", (0, 0, 10, 10), relative=0)
    count = seam.annotation_count(canv)
    canv.bookmarkPage("ref-1")
    canv.linkRect("", "ref-1", (0, 20, 10, 30), relative=0)
    canv.linkURL("mailto:a@example.org", (0, 40, 10, 50), relative=0)
    assert count == 1 and seam.annotation_count(canv) == 3
    assert seam.links_since(canv, count) == [(1, "#ref-1"), (2, "mailto:a@example.org")]


@contextmanager
def _ascii85(on: int):
    was = rl_config.useA85
    rl_config.useA85 = on
    try:
        yield
    finally:
        rl_config.useA85 = was


def test_the_canvas_writes_what_reportlab_writes_with_ascii85_off(tmp_path):
    # PDFPage.check_format and PDFImageXObject._filters: the page streams and images our canvas
    # writes are byte for byte ReportLab's with rl_config.useA85 off, and the setting stays on.
    from PIL import Image

    Image.new("RGBA", (40, 20), (200, 30, 30, 120)).save(tmp_path / "alpha.png")
    Image.new("RGB", (40, 20), (30, 200, 30)).save(tmp_path / "plain.png")
    Image.new("RGB", (40, 20), (30, 30, 200)).save(tmp_path / "photo.jpg")

    def draw(canv):
        canv.drawString(10, 700, "Page one")
        for n, name in enumerate(("alpha.png", "plain.png", "photo.jpg", "alpha.png")):
            canv.drawImage(str(tmp_path / name), 10 + 50 * n, 600, 40, 20, mask="auto")
        canv.showPage()
        canv.drawString(10, 700, "Page two")

    assert rl_config.useA85 == 1
    assert b"ASCII85Decode" in _pdf(draw, PlainCanvas), "ReportLab no longer encodes with ASCII85 by " \
                                                        "default: reportlab_seam.Canvas can go"
    ours = _pdf(draw)
    with _ascii85(0):
        theirs = _pdf(draw, PlainCanvas)
    assert ours == theirs and b"ASCII85Decode" not in ours
    assert rl_config.useA85 == 1


def test_a_frame_says_where_the_next_flowable_goes():
    # Frame._y: the top of the next flowable; a bookmark points there.
    frame = Frame(0, 0, 300, 400, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    canv = seam.Canvas(io.BytesIO())
    assert seam.frame_y(frame) == 400
    paragraph = Paragraph("Three lines " * 20, STYLE)
    assert frame.add(paragraph, canv)
    assert seam.frame_y(frame) == 400 - paragraph.height
    # Frame._y1p: the bottom of the text area; what is left between it and _y is empty (page fill).
    assert seam.frame_space_left(frame) == pytest.approx(400 - paragraph.height)


def test_a_table_says_how_tall_it_was_drawn():
    # Table._height: a Table sets no `height`.
    table = Table([["a"], ["b"]], rowHeights=[20, 30])
    width, height = table.wrap(200, 400)
    assert getattr(table, "height", None) is None and seam.drawn_height(table) == height == 50
    assert seam.drawn_height(Paragraph("x", STYLE)) == 0  # not wrapped yet: nothing drawn


def test_what_a_keep_together_keeps_can_be_read_and_replaced():
    # KeepTogether._content.
    first, second, third = (Paragraph(text, STYLE) for text in ("one", "two", "three"))
    group = KeepTogether([first, second])
    assert seam.kept(group) == [first, second]
    seam.set_kept(group, [third])
    assert seam.nested(group)[0] == [third]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([group])
    assert PdfReader(buffer).pages[0].extract_text().strip() == "three"


def test_a_lists_entries_their_bullets_and_flowables_can_be_read_and_replaced():
    # ListFlowable._flowables and _content, LIIndenter._bullet, DDIndenter._flowable.
    one, two, three = (Paragraph(text, STYLE) for text in ("one", "two", "three"))
    items = ListFlowable([ListItem([one, two]), ListItem(three)], bulletType="1")
    assert seam.nested(items)[0] is seam.list_entries(items)  # reading the items makes them, once
    entries = seam.list_entries(items)
    assert all(isinstance(entry, LIIndenter) for entry in entries)
    assert [seam.has_bullet(entry) for entry in entries] == [True, False, True]
    assert [seam.entry_flowable(entry) for entry in entries] == [one, two, three]
    bullets = []

    @contextmanager
    def around(canv):
        bullets.append(seam.page_has_content(canv))
        yield

    for entry in entries:
        if seam.has_bullet(entry):
            seam.draw_bullet_inside(entry, around)
    replaced = Paragraph("four", STYLE)
    seam.set_entry_flowable(entries[2], replaced)
    canv = seam.Canvas(io.BytesIO())
    items.wrapOn(canv, 300, 400)
    items.drawOn(canv, 0, 0)
    assert len(bullets) == 2
    assert "(four)" in " ".join(canv._code) and "(three)" not in " ".join(canv._code)


def test_a_tables_cells_can_be_replaced_and_its_drawing_followed():
    # Table._cellvalues and Table._renderCB.
    cell = Paragraph("old", STYLE)
    table = Table([[cell, "b"]], style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), "#eeeeee"),
                                                  ("GRID", (0, 0), (-1, -1), 1, "#000000")]))
    rows = seam.table_rows(table)
    assert rows == [[cell, "b"]]
    rows[0][0] = Paragraph("new", STYLE)
    events = []
    seam.on_table_drawing(table, lambda t, event, *args: events.append(event))
    canv = seam.Canvas(io.BytesIO())
    table.wrapOn(canv, 300, 400)
    table.drawOn(canv, 0, 0)
    assert "(new)" in " ".join(canv._code) and "(old)" not in " ".join(canv._code)
    assert [e for e in events if e in ("startBG", "endBG", "startLines", "endLines")] == [
        "startBG", "endBG", "startLines", "endLines"]


def test_a_table_narrower_than_its_padding_is_recognised():
    table = Table([[Paragraph("x", STYLE)]], colWidths=[10], style=[("LEFTPADDING", (0, 0), (-1, -1), 20)])
    with pytest.raises(ValueError) as raised:
        SimpleDocTemplate(io.BytesIO()).build([table])
    assert seam.too_narrow(raised.value), f"ReportLab now says it otherwise: {raised.value}"
    assert not seam.too_narrow(ValueError("something else"))


class _Plain(seam.StandIn):
    def drawOn(self, canv, x, y, _sW=0):
        self.inner.drawOn(canv, x, y, _sW)


def _long_story(wrap) -> list:
    heading = ParagraphStyle("heading", parent=STYLE, fontSize=14, leading=18, keepWithNext=1, spaceBefore=12)
    story = []
    for n in range(1, 7):
        story.append(wrap(Paragraph(f"Heading {n}", heading)))
        story.append(wrap(Paragraph(" ".join(f"w{n}-{k}" for k in range(300)), STYLE)))
        # Column widths given, as the engine always gives them: a table sizing its own columns
        # measures a Paragraph cell by its type, which a stand-in is not.
        story.append(Table([[wrap(Paragraph(f"r{r}", STYLE)), "x"] for r in range(30)], colWidths=["60%", "40%"],
                           repeatRows=1))
        story.append(KeepTogether([wrap(Paragraph("Kept", STYLE)), Spacer(0, 30)]))
    story.append(PageBreak())
    story.append(wrap(Paragraph("The end", STYLE)))
    return story


def test_a_stand_in_is_laid_out_exactly_as_what_it_stands_for():
    def pdf(story):
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, invariant=1).build(story)
        return buffer.getvalue()

    assert pdf(_long_story(_Plain)) == pdf(_long_story(lambda f: f))


def test_identity_order_names_what_reportlabs_identity_names_first():
    # pages.what() names what did not fit from identity_order; the author's message said what
    # ReportLab's identity() text named first. They agree.
    from handout_builder.render.pages import KINDS, what
    from handout_builder.render.story import Kept

    def named_first(flowable) -> str:
        found = re.search(r"<(Table|Paragraph|ListFlowable|KeepTogether)\b", flowable.identity(None))
        return {"Table": "a table or box", "Paragraph": "a paragraph", "ListFlowable": "a list",
                "KeepTogether": "a box"}[found.group(1)] if found else "something"

    paragraph, table = Paragraph("p", STYLE), Table([["t"]])
    items = ListFlowable([ListItem(Paragraph("i", STYLE))])
    for flowable in (paragraph, table, items, KeepTogether([Spacer(0, 1), table]), Kept([Spacer(0, 1), table]),
                     Kept([paragraph, items]), Kept([Spacer(0, 1)]), _Plain(paragraph), _Plain(table),
                     LIIndenter(table), LIIndenter(_Plain(paragraph)), Kept([_Plain(paragraph), table]), Spacer(0, 1)):
        assert what(flowable) == named_first(flowable), flowable.identity(None)
    assert set(KINDS.values()) == {"a table or box", "a paragraph", "a list", "a box"}


def test_the_qr_encoder_loaded_alone_needs_no_other_reportlab_module_and_encodes_as_its_own():
    """qr_encoder loads graphics/barcode/qrencoder.py without the barcode package: sound only while
    that file imports nothing of ReportLab's (nor of its package), and it must encode as the
    module imported by name does."""
    tree = ast.parse((REPORTLAB / "graphics" / "barcode" / "qrencoder.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {"." * node.level + (node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= set(sys.stdlib_module_names), sorted(imported)
    from reportlab.graphics.barcode import qrencoder

    alone = seam.qr_encoder()
    assert alone is not qrencoder and alone is seam.qr_encoder()
    for url in ("https://www.example.org/sarcoma/leaflets/fever-and-infection", "https://x.org/?a=1&b=" + "9" * 300):
        codes = []
        for module in (alone, qrencoder):
            code = module.QRCode(None, module.QRErrorCorrectLevel.M)
            code.addData(url)
            code.make()
            codes.append(code.modules)
        assert codes[0] == codes[1] and len(codes[0]) > 20


# -- the engine changes nothing in ReportLab ------------------------------------------------------

def test_importing_and_building_change_no_reportlab_setting_and_offer_no_rlbidi():
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        import build_pdf, handout_builder, handout_builder.build.pipeline, handout_builder.build.batch
        print(sorted(m for m in ("rlbidi", "reportlab") if m in sys.modules))
        from reportlab import rl_config
        settings = lambda: {k: getattr(rl_config, k) for k in dir(rl_config) if not k.startswith("_")}
        before = settings()
        from handout_builder.build.pipeline import Pipeline
        from handout_builder.inputs.project import Project
        rendered = Pipeline(Project(Path("."))).rendered(Path("handouts/fever-and-infection.yaml"))
        print("rlbidi" in sys.modules, settings() == before, rl_config.useA85, rendered.pages > 1)
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    # Right-to-left lines are the shaped-text engine's (render/shaped.py): no rlbidi is offered ReportLab.
    assert run.stdout.split("\n")[:2] == ["[]", "False True 1 True"]


def test_only_reportlab_s_own_shaping_reads_a_face_s_glyph_to_characters_after_parsing():
    # TTFontFile.glyphToChar and TTFont.hbFont: EmbeddedFont lets the map go once the face is
    # parsed and refuses hbFont, the way into ReportLab's shaping, which would read it again.
    readers = set()
    for path in REPORTLAB.rglob("*.py"):
        source = path.read_text(encoding="utf-8", errors="replace")
        if "glyphToChar" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    isinstance(inner, ast.Attribute) and inner.attr == "glyphToChar" for inner in ast.walk(node)):
                readers.add(node.name)
    assert readers == {"extractInfo", "__addPrivate", "shapeFragWord"}, (
        f"ReportLab {reportlab.Version} reads glyphToChar in {sorted(readers)}: EmbeddedFont must keep it")
    assert "hbFont" in ast.unparse(ast.parse((REPORTLAB / "pdfbase" / "ttfonts.py").read_text()))


def test_an_embedded_font_lets_its_glyph_to_characters_go_and_refuses_reportlab_s_shaping(registry):
    font = seam.EmbeddedFont("SeamGlyphs", str(REPO / "fonts" / "NotoSans-Regular.ttf"))
    assert not hasattr(font.face, "glyphToChar")
    assert font.face.charWidths[ord("A")] > 0 and font.face.charToGlyph[ord("A")] > 0
    with pytest.raises(TypeError, match="ReportLab's own shaping is not used"):
        font.hbFont(10)
    pdfmetrics.registerFont(font)
    data = _pdf(lambda canv: (canv.setFont("SeamGlyphs", 12), canv.drawString(72, 720, "Fever over 38 °C – ring us")))
    assert "Fever over 38 °C – ring us" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_reportlab_reads_a_face_s_glyph_places_and_metrics_by_index_only():
    # TTFontFile.glyphPos and .hmetrics: EmbeddedFont packs them in arrays, which only index.
    uses = []
    for path in REPORTLAB.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "glyphPos" not in text and "hmetrics" not in text:
            continue
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("glyphPos", "hmetrics"):
                function = node
                while not isinstance(function, (ast.FunctionDef, ast.Module)):
                    function = parents[function]
                if getattr(function, "name", None) != "extractInfo":  # where they are made
                    uses.append((path.name, node.lineno, type(parents[node]).__name__))
    assert uses and all(kind == "Subscript" for _, _, kind in uses), uses


def test_packed_metrics_read_as_reportlab_s_list_of_pairs():
    pairs = [(1229, 0), (600, 65535), (0, 12)]
    packed = seam.PackedMetrics(pairs)
    assert len(packed) == 3 and [packed[glyph] for glyph in range(3)] == pairs and packed[-1] == pairs[-1]
    with pytest.raises(IndexError):
        packed[3]
    font = seam.EmbeddedFont("SeamMetrics", str(REPO / "fonts" / "NotoSans-Bold.ttf"))
    plain = TTFont("SeamMetricsPlain", str(REPO / "fonts" / "NotoSans-Bold.ttf"))
    assert [font.face.hmetrics[glyph] for glyph in range(len(plain.face.hmetrics))] == plain.face.hmetrics
    assert list(font.face.glyphPos) == plain.face.glyphPos
