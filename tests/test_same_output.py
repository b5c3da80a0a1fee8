"""The speed-ups of issue 20 change no byte of a leaflet: every shipped leaflet, built in every
layout, is the same PDF with each fast path as with the plain code it replaced (kept here as the
reference). How fast is measured by bench/run.py, never here."""
from __future__ import annotations

import bisect
import copy
import hashlib
import importlib.util
import os
import sys
import unicodedata

import pytest
from click.testing import CliRunner

import build_pdf
from conftest import REPO
from handout_builder.fonts import fontset
from handout_builder.fonts.fontset import FontSet, family_coverage
from handout_builder.inputs import characters
from handout_builder.inputs.characters import character_name
from handout_builder.inputs import source
from handout_builder.render import logo as logo_module, pages, qr, reportlab_seam, shaped, tagging
from handout_builder.world import World
from handout_builder.text import document, punctuation, walk
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xml.sax.saxutils import escape as saxutils_escape

LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.yaml"))


def plain_missing(self: FontSet, text: str) -> list[str]:
    """FontSet.missing as it was: a character at a time."""
    body = family_coverage(self.body, self.world)
    known: dict = {}
    out: list[str] = []
    for char in text:
        if ord(char) in body or char in fontset._LAYOUT_CHARACTERS or char in out:
            continue
        if unicodedata.category(char) == "Cc" or self.family_for(char, known) is None:
            out.append(char)
    return out


def plain_runs(self: FontSet, text: str) -> list:
    """FontSet.runs as it was: each run grown a character at a time."""
    out: list = []
    body = family_coverage(self.body, self.world)
    known: dict = {}
    for char in text:
        family = self.body if (ord(char) in body or char in fontset._LAYOUT_CHARACTERS) else self.family_for(char, known)
        if family is None:
            raise ValueError(f"no font draws {character_name(char)}")
        if out and out[-1][0] is family:
            out[-1] = (family, out[-1][1] + char)
        else:
            out.append((family, char))
    return out


class _PlainSurrogates:
    """The search for half of a UTF-16 pair as it was: a test of every character."""

    @staticmethod
    def search(value: str) -> bool:
        return any("\ud800" <= char <= "\udfff" for char in value)


def pure_python_accelerated():
    """ReportLab's own pure-Python versions of what its C accelerator (rl-accel's _rl_accel) does,
    by name: its rl_accel module loaded afresh with the accelerator hidden."""
    spec = importlib.util.find_spec("reportlab.lib.rl_accel")
    module = importlib.util.module_from_spec(spec)
    held = sys.modules.get("_rl_accel")
    sys.modules["_rl_accel"] = None  # import _rl_accel now fails: the module falls back on Python
    try:
        spec.loader.exec_module(module)
    finally:
        if held is None:
            del sys.modules["_rl_accel"]
        else:
            sys.modules["_rl_accel"] = held
    return {name: getattr(module, name) for name in module.__all__}


def without_accelerator(patch) -> int:
    """Every module's reference to an accelerated function (ReportLab imports them by name, some
    under other names) made the pure-Python one, for as long as `patch` lasts; how many were."""
    from reportlab.lib import rl_accel

    plain = pure_python_accelerated()
    fast = {id(function): plain[name] for name, function in rl_accel._c_funcs.items()}
    swapped = 0
    for module in list(sys.modules.values()):
        for attribute, value in list(getattr(module, "__dict__", {}).items()):
            if id(value) in fast and not attribute.startswith("__"):
                patch.setattr(module, attribute, fast[id(value)])
                swapped += 1
    return swapped


def plain_typeset_tree(root, language):
    """punctuation.typeset_tree as the document stage used it: on a deep copy of the whole tree,
    changed in place."""
    root = copy.deepcopy(root)
    last = [""]

    def visit(node, lang) -> None:
        lang = node.lang or lang
        if node.kind == walk.TEXT:
            node.text = punctuation.typographic(node.text, lang, last[0])
            last[0] = node.text[-1:] or last[0]
        elif node.kind in (walk.CODE_SPAN, walk.CITATION):
            last[0] = "x"
        elif node.kind in (walk.SOFTBREAK, walk.HARDBREAK):
            last[0] = " "
        else:
            if node.kind not in (walk.STRONG, walk.EMPHASIS, walk.LINK):
                last[0] = ""
            for child in node.children:
                visit(child, lang)

    visit(root, language)
    return root


def plain_shaped_items(self, start: int, end: int, line_end: int) -> list:
    """ShapedParagraph.shaped_items as it was: each item grown a character at a time."""
    items, i = [], start
    trailing = start + len(self.logical[start:line_end].rstrip(" "))
    base = 1 if self.rtl else 0
    while i < end:
        j = i + 1
        style, level = self.owner[i], base if i >= trailing else self.levels[i]
        while (j < end and self.owner[j] == style and (base if j >= trailing else self.levels[j]) == level
               and not self.breaks[j] and j != trailing):
            j += 1
        run = self.styles[style]
        glyphs = shaped.shape(run.font, self.logical[i:j], level % 2 == 1)
        items.append(shaped.Item(i, j, style, level, glyphs,
                                 sum(g.advance for g in glyphs) * run.size / shaped.units_per_em(run.font)))
        i = j
    return items


def plain_measure(self, start: int, end: int) -> float:
    """ShapedParagraph.measure as it was: the font and its units per em looked up each time."""
    if end <= start:
        return 0.0
    k = bisect.bisect_right(self.changes, start)
    if k == len(self.changes) or self.changes[k] >= end:
        run = self.styles[self.owner[start]]
        return shaped._advance(pdfmetrics.getFont(run.font), self.logical[start:end], self.levels[start] % 2 == 1) \
            * run.size / shaped.units_per_em(run.font)
    return sum(item.width for item in self.shaped_items(start, end, end))


def plain_drawing_runs(styles, logical: str, placed: list) -> list:
    """shaped.drawing_runs as it was: a run's glyphs copied into one tuple, each glyph's cluster
    moved to index the run's text; the run is one 'word' for plain_draw_words."""
    runs: list = []
    Glyph = shaped.Glyph
    for item, x in placed:
        text = logical[item.start:item.end]
        held = runs[-1] if runs else None
        if held is None or held[2] != item.style or held[4] != item.level or abs(held[5] - x) > 0.01:
            runs.append(([*item.glyphs], text, item.style, x, item.level, x + item.width))
            continue
        glyphs, before, style, left, level, _ = held
        if level % 2:
            moved = [Glyph(g.gid, g.cluster + len(text), g.advance, g.x_offset, g.y_offset) for g in glyphs]
            runs[-1] = ([*moved, *item.glyphs], text + before, style, left, level, x + item.width)
        else:
            glyphs.extend(Glyph(g.gid, g.cluster + len(before), g.advance, g.x_offset, g.y_offset) for g in item.glyphs)
            runs[-1] = (glyphs, before + text, style, left, level, x + item.width)
    return [(style, x, level, [(tuple(glyphs), text, level % 2 == 1)]) for glyphs, text, style, x, level, _ in runs]


def plain_draw_glyphs(canv, font, size, glyphs, text, x, y, right_to_left=False) -> None:
    """shaped.draw_glyphs as it was: drawing order, glyph texts and advances worked out a run at a time."""
    plain_draw_words(canv, font, size, [(glyphs, text, right_to_left)], x, y)


def plain_draw_words(canv, font, size, words, x, y) -> None:
    """The drawing of one run of glyphs as it was (words: one (glyphs, text, right_to_left))."""
    [(glyphs, text, right_to_left)] = words
    face_font = pdfmetrics.getFont(font)
    held = shaped.fonts_of(canv).font(face_font)
    hb_font = shaped._harfbuzz_font(face_font)
    upem = hb_font.face.upem
    scale = size / upem
    fp_str = shaped.fp_str
    out = [f"/{held.resource} {fp_str(size)} Tf"]
    parts, codes, cursor, rise = [], [], None, 0

    def close_string() -> None:
        if codes:
            parts.append("<" + "".join(f"{code:04X}" for code in codes) + ">")
            codes.clear()

    def flush() -> None:
        close_string()
        if parts:
            out.append(f"[{' '.join(parts)}] TJ")
            parts.clear()

    placed = shaped.drawing_order(glyphs, right_to_left)
    texts = shaped.glyph_texts(tuple(g for g, _ in placed), text, right_to_left)
    for (glyph, at), glyph_text in zip(placed, texts):
        width = hb_font.get_glyph_h_advance(glyph.gid)
        code = held.code(glyph.gid, glyph_text, width * 1000 / upem)
        if cursor is None or at < cursor - upem / 1000:
            flush()
            out.append(f"1 0 0 1 {fp_str(x + at * scale)} {fp_str(y)} Tm")
        elif abs(at - cursor) * 1000 / upem >= 0.005:
            close_string()
            parts.append(fp_str(-(at - cursor) * 1000 / upem))
        if glyph.y_offset != rise:
            flush()
            rise = glyph.y_offset
            out.append(f"{fp_str(rise * scale)} Ts")
        codes.append(code)
        cursor = None if glyph.x_offset else at + width
    flush()
    if rise:
        out.append("0 Ts")
    canv.addLiteral("\n".join(out))


def plain_draw_logo(canv, logo, x, y, font) -> float:
    """logo.draw_logo as it was: an SVG logo's drawing walked on every page."""
    if logo.kind == "svg":
        logo_module._draw_svg(canv, logo, x, y, font)
        return logo_module.logo_width(logo)
    return logo_module.draw_logo(canv, logo, x, y, font)


def plain_element(self, element, parent):
    """tagging._Tagger.element as it was: kids appended to a pikepdf Array one by one, each name made anew."""
    from pikepdf import Array, Dictionary, Name, String

    node = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.role), P=parent))
    kids = Array()
    marked = [piece for piece in element.pieces if not isinstance(piece, tagging.Element)]
    first_page = marked[0][0] if marked else None
    if marked:
        node.Pg = self.pages[first_page]
    for piece in element.pieces:
        if isinstance(piece, tagging.Element):
            written = self.element(piece, node)
            if written is not None:
                kids.append(written)
            continue
        page, mcid = piece
        kids.append(mcid if page == first_page else Dictionary(Type=Name.MCR, Pg=self.pages[page], MCID=mcid))
        self.by_mcid[page][mcid] = node
    for child in element.children:
        written = self.element(child, node)
        if written is not None:
            kids.append(written)
    if element.role == "Link":
        kids.extend(self.link_objects(element.links, node))
    else:
        for group in self.link_groups(element.links):
            kids.append(self.link(group, node))
    if not len(kids) and element.role not in tagging.CELLS:
        return None
    if len(kids):
        node.K = kids[0] if len(kids) == 1 else kids
    if element.alt:
        node.Alt = String(element.alt)
    if element.lang:
        node.Lang = String(element.lang)
    if element.scope:
        node.A = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
    return node


def plain_engine(patch) -> None:
    """The document stage's typesetting and the engine's items, measures, drawing and page furniture
    (laid out afresh each time) as they were."""
    patch.setattr(document, "typeset_tree", plain_typeset_tree)
    patch.setattr(shaped.ShapedParagraph, "shaped_items", plain_shaped_items)
    patch.setattr(shaped.ShapedParagraph, "measure", plain_measure)
    patch.setattr(shaped, "drawing_runs", plain_drawing_runs)
    patch.setattr(shaped, "draw_words", plain_draw_words)
    patch.setattr(shaped, "draw_glyphs", plain_draw_glyphs)
    patch.setattr(pages, "draw_logo", plain_draw_logo)
    patch.setattr(pages, "drawn_once", lambda canv, key, draw: draw(canv))  # each header line drawn afresh
    patch.setattr(shaped, "_furniture_line", lambda runs, size, right_to_left: shaped._furniture_laid_out.__wrapped__(
        tuple((pdfmetrics.getFont(font), font, piece) for font, piece in runs), size, right_to_left))  # each time


def plain_digest(self: World, path) -> str | None:
    """World.digest as it was: a file hashed is read, and its bytes held for the run."""
    where = os.path.abspath(path)
    if self._hashes and path not in self._files and where not in self._files:
        known = self._hashed.get(where)
        if known is None:
            known = self._remembered(path)
            if known is not None:
                self._hashed[where] = known
        if known is not None:
            for record in self._open:
                record.files[known.key] = known.digest
            return known.digest
    return self._load(path).digest


def plain_embedded_font(self, name, filename, *args, **kwargs) -> None:
    """EmbeddedFont as it was: ReportLab's glyph -> characters map kept, its own shaping allowed,
    glyphs' places and metrics as ReportLab's lists."""
    self.file_bytes = filename.getvalue() if hasattr(filename, "getvalue") else filename.read_bytes()
    TTFont.__init__(self, name, filename, *args, **kwargs)


def plain_fonts(patch) -> None:
    """Fonts read and parsed as they were, registered afresh (not the fast side's, still registered)."""
    patch.setattr(World, "digest", plain_digest)
    patch.setattr(reportlab_seam.EmbeddedFont, "__init__", plain_embedded_font)
    patch.delattr(reportlab_seam.EmbeddedFont, "hbFont")
    patch.setattr(reportlab_seam, "_registered", {})
    patch.setattr(reportlab_seam, "_families", {})


def shipped_pdfs(folder, layout: str) -> dict[str, str]:
    # -j 1: built in this process, where the test's patches are (a worker from the fork server has none)
    result = CliRunner().invoke(build_pdf.cli, ["build", "--layout", layout, "--force", "-q", "-j", "1", "-o",
                                                str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.glob("*.pdf")}
    assert len(found) >= len(list((REPO / "handouts").glob("*.yaml")))
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_shipped_leaflets_are_byte_identical_with_the_plain_code(layout, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    fast = shipped_pdfs(tmp_path / "fast", layout)
    with monkeypatch.context() as plain:
        plain.setattr(FontSet, "missing", plain_missing)
        plain.setattr(FontSet, "runs", plain_runs)
        plain.setattr(characters, "refusal", characters.refusal.__wrapped__)  # uncached, names every character
        plain.setattr(qr, "qr_modules", qr.qr_modules.__wrapped__)  # encoded afresh each time
        plain.setattr(qr, "qr_encoder", lambda: qrencoder)  # the barcode package's own encoder module
        plain.setattr(tagging, "escape", saxutils_escape)
        plain.setattr(tagging._Tagger, "element", plain_element)
        plain.setattr(source, "_SURROGATE", _PlainSurrogates())
        assert without_accelerator(plain) > 10  # ReportLab's numbers and strings formatted in Python
        plain_engine(plain)
        plain_fonts(plain)
        slow = shipped_pdfs(tmp_path / "plain", layout)
        parsed = [pdfmetrics.getFont(name) for name in pdfmetrics.getRegisteredFontNames()]
        assert any(hasattr(font.face, "glyphToChar") for font in parsed if isinstance(font, reportlab_seam.EmbeddedFont))
    assert fast == slow


def test_reportlab_runs_with_its_c_accelerator():
    """rl-accel is a dependency (pyproject.toml): ReportLab formats a page's numbers in C."""
    from reportlab.lib import rl_accel
    from handout_builder.render import shaped

    assert "fp_str" in rl_accel._c_funcs and type(shaped.fp_str).__name__ == "builtin_function_or_method"


AWKWARD = [0, -0.0, 1, -1, 1e-7, -1e-7, 1.5e-7, 2e-7, 5e-7, 1e-6, 0.1, 0.25, 0.5, 1 / 3, 2 / 3, 0.9999995, 0.99999949,
           1.0000005, 9.9999995, 99.999995, 999.99995, 123.4565, 595.2755905511812, 841.8897637795277, 7.5e-05,
           12345678.9, 999999.5, 1e7 + 0.5, 1e12, -1e20, 3, True, 2 ** 31, -(2 ** 40) / 7]


def test_the_accelerators_numbers_and_strings_are_reportlabs_own_python_ones():
    """What the C accelerator writes into a PDF is what ReportLab's Python wrote, for awkward
    numbers (rounding at each of the six decimals, signs, tiny and huge) and a sweep of the ones
    a page holds, and for text escaped into PDF strings."""
    import random

    from reportlab.lib import rl_accel

    plain = pure_python_accelerated()
    fast = rl_accel._c_funcs
    generator = random.Random(20)
    numbers = AWKWARD + [generator.uniform(-1000, 1000) for _ in range(20000)] + \
        [generator.randint(-10 ** 6, 10 ** 6) / 2 ** generator.randint(0, 30) for _ in range(20000)] + \
        [round(generator.uniform(-900, 900), generator.randint(0, 8)) for _ in range(20000)]
    assert [fast["fp_str"](n) for n in numbers] == [plain["fp_str"](n) for n in numbers]
    assert fast["fp_str"](1, 2.5, -0.125) == plain["fp_str"](1, 2.5, -0.125) == "1 2.5 -0.125"
    assert fast["fp_str"]([0.1, 1e-8]) == plain["fp_str"]([0.1, 1e-8]) == ".1 0"
    for text in ["plain", "(brackets) and \\ back", "\r\n\t", "caf\xe9 \xff", bytes(range(256)).decode("latin-1")]:
        assert fast["escapePDF"](text) == plain["escapePDF"](text)
    data = bytes(range(256)) * 5 + b"xyz"
    assert fast["asciiBase85Encode"](data) == plain["asciiBase85Encode"](data)
    assert fast["calcChecksum"](data) == plain["calcChecksum"](data)


TEXTS = ["", " ", "Plain English text.", "Fièvre → appelez 37,5 °C", "α β γ ∑ ≤ 38 °C", "中文 and English 中",
         "a\u0007b", "\ue000 private", "x\U0001F600y", "tab\tand\nnewline", "≥≥≥ abc ≤≤"]


def outcome(split, fonts: FontSet, text: str):
    try:
        return split(fonts, text)
    except ValueError as error:
        return str(error)


@pytest.mark.parametrize("text", TEXTS)
def test_runs_and_missing_as_the_plain_code_found_them(text):
    from handout_builder.inputs.layout_file import load_layout
    from handout_builder.inputs.project import Project
    from handout_builder.world import World

    world = World(REPO)
    fonts = FontSet.for_layout(load_layout(Project(REPO), "clinic-a4", world), world, "zh")
    assert fonts.missing(text) == plain_missing(fonts, text)
    assert outcome(FontSet.runs, fonts, text) == outcome(plain_runs, fonts, text)


def test_refusals_are_the_same_cached_or_not():
    for code in [*range(0, 0x3000), *range(0xD800, 0xD810), *range(0xE000, 0xE010), 0x10FFFF, 0x1F600]:
        char = chr(code)
        for printed in (True, False):
            assert characters.refusal(char, printed) == characters.refusal.__wrapped__(char, printed)


def test_builder_identity_reads_the_versions_importlib_metadata_reads(monkeypatch):
    from importlib import metadata

    import handout_builder
    from handout_builder.build import manifest

    expected = "; ".join([f"handout-builder {handout_builder.__version__}",
                          *(f"{name} {metadata.version(name)}" for name in manifest.SHAPING_LIBRARIES)])
    assert manifest.builder_identity() == expected
    # A library not found as a .dist-info folder is asked of importlib.metadata.
    monkeypatch.setattr(manifest, "_installed_versions", lambda: {})
    assert manifest.builder_identity() == expected


def test_english_months_and_numbers_are_babels():
    import datetime as dt

    from babel import Locale
    from babel.dates import format_date, get_month_names
    from babel.numbers import format_decimal

    from handout_builder.inputs.language import ENGLISH_MONTHS, Wording
    from handout_builder.world import World

    english = Locale.parse("en")
    assert ENGLISH_MONTHS == tuple(get_month_names("wide", "format", locale=english)[m] for m in range(1, 13))
    wording = Wording.for_leaflet("en", {}, "{day} {month_name} {year}", World(REPO))
    assert not wording.right_to_left and english.character_order == "left-to-right"
    for value in (0, 7, 999, 1000, 12345, 1234567, -4321):
        assert wording.number(value) == format_decimal(value, locale=english)
    for month in range(1, 13):
        day = dt.date(2026, month, 9)
        assert wording.date(day) == f"9 {get_month_names('wide', 'format', locale=english)[month]} 2026"
    long = Wording.for_leaflet("en", {}, "long", World(REPO))  # the long format is Babel's
    assert long.date(dt.date(2026, 11, 1)) == format_date(dt.date(2026, 11, 1), "long", locale=english)


SHAPED = ["non-rms-chemotherapy-ar", "non-rms-chemotherapy-bn", "non-rms-chemotherapy-ur", "non-rms-chemotherapy"]


def built_bytes(folder, *stems: str) -> dict[str, bytes]:
    """Build leaflets in this process (-j 1), each afresh; their PDFs' bytes."""
    files = [str(REPO / "handouts" / f"{stem}.yaml") for stem in stems]
    result = CliRunner().invoke(build_pdf.cli, ["build", *files, "-j", "1", "--force", "-q", "-o", str(folder)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {stem: (folder / f"{stem}.pdf").read_bytes() for stem in stems}


def test_a_shaped_leaflet_is_the_same_bytes_after_other_builds_in_the_process_and_in_a_fresh_one(
        tmp_path, monkeypatch):
    """The shaped text's font objects (render/embedding.py) depend on nothing a build before
    left behind: Arabic, then Bengali, Urdu and English, then Arabic again, in one process, and
    Arabic in a new process, are the same PDF."""
    import io
    import subprocess
    import sys

    import pikepdf

    monkeypatch.chdir(REPO)
    first = built_bytes(tmp_path / "a", SHAPED[0])[SHAPED[0]]
    others = built_bytes(tmp_path / "b", *SHAPED[1:])
    again = built_bytes(tmp_path / "c", SHAPED[0])[SHAPED[0]]
    assert again == first
    for stem in SHAPED[1:3]:  # the others drew shaped glyphs too, with fonts of their own
        with pikepdf.open(io.BytesIO(others[stem])) as pdf:
            assert any(font.get("/Encoding") == "/Identity-H" for font in pdf.pages[0].Resources.Font.values())
    subprocess.run([sys.executable, "build_pdf.py", "build", f"handouts/{SHAPED[0]}.yaml", "-j", "1", "-q",
                    "-o", str(tmp_path / "fresh")], check=True, cwd=REPO, capture_output=True)
    assert (tmp_path / "fresh" / f"{SHAPED[0]}.pdf").read_bytes() == first
