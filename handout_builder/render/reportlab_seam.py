"""Everything the engine does with ReportLab beyond its public API, in one place.

ReportLab is pinned to the minor version the tests ran on (pyproject.toml). Each private name or
behaviour relied on here is listed in RELIED_ON, and tests/test_reportlab_seam.py shows each is
still there and still does what we use it for, naming it when a release changes it; the same
file checks that no other module of the engine touches a private ReportLab name, and that this
module touches only the ones listed.

What is here, and why:
- Shaped glyphs (shaped.py, embedding.py): a font's HarfBuzz face and the bytes of its file, and
  a hook that writes our own font objects for the shaped glyphs into the document ReportLab
  saves, among the fonts every page's resources hold.
- Fonts: registering the bundled fonts, and forgetting one whose file changed (ReportLab keeps
  the first font registered under a name, in pdfmetrics._fonts and _dynFaceNames); `EmbeddedFont`
  mends the ToUnicode map of characters beyond U+FFFF.
- `Canvas`: a canvas whose streams are compressed only, never ASCII85-encoded, without changing
  ReportLab's global setting; and the few things the page stage needs of a canvas: its creation
  date, what a drawing would add, a finished page's text, the link annotations made.
- Flowables: what a KeepTogether, a ListFlowable's items, a Table's cells and a frame hold, as
  the marking and page stages need to read or replace them; `StandIn`, a flowable
  that is laid out exactly as the one it stands for.
- `too_narrow`: which ValueError ReportLab raises for a table squeezed narrower than its padding.
- `qr_encoder`: ReportLab's QR encoder module loaded on its own, without the barcode package
  that imports every barcode widget.
"""
from __future__ import annotations

import functools
import io
import re
from array import array
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator

from reportlab.lib.fonts import addMapping
from reportlab.lib.rl_accel import asciiBase85Decode
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFStream, PDFZCompress
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as _canvas
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, Table
from reportlab.platypus.flowables import BulletDrawer, DDIndenter

from ..fonts.fontset import STYLES, FontSet, face_name
from ..world import World
from ..model import FontFamily

TESTED_WITH = "5.1"  # the ReportLab minor version pyproject.toml pins and these tests ran on

# Every private name of ReportLab's used here, and each behaviour of its relied on, with what for.
# tests/test_reportlab_seam.py shows each still exists and means the same; a private name used
# here and not listed fails it.
RELIED_ON = {
    "pdfmetrics._fonts": "fonts registered by name: a font file replaced in place is registered again",
    "pdfmetrics._dynFaceNames": "faces registered by PostScript name: likewise",
    "TTFont.addObjects": "makes an embedded subset's objects, its ToUnicode map among them (EmbeddedFont)",
    "TTFont.hbFace": "the font's HarfBuzz face, made from the bytes ReportLab read (shaped.py shapes with it)",
    "PDFDocument.delayedFonts": "fonts whose addObjects(doc) runs as the document is saved (write_when_saved)",
    "PDFDocument.idToObject": "the document's objects by name; 'BasicFonts' is the /Font dictionary all pages share",
    "Canvas._code": "the operators of the page being drawn: what a drawing adds, kept apart",
    "Canvas._doc": "the canvas's PDFDocument: its pages, objects and timestamp",
    "PDFDocument._timeStamp": "the creation and modification date written into the PDF",
    "PDFPage.stream": "a finished page's operators, as text until the document is saved",
    "PDFPage.check_format": "makes a page's content stream at save, ASCII85 or not by rl_config (Canvas)",
    "Canvas._annotationrefs": "the link annotations of the page being drawn, in order",
    "PDFImageXObject._filters": "an image's stream filters: ASCII85 taken off per canvas",
    "Frame._y": "how far down the frame the next flowable goes: where a bookmark points",
    "Frame._y1p": "the bottom of a frame's text area: how much of a page was left empty (page fill)",
    "Table._height": "a Table's drawn height (it does not set `height`)",
    "KeepTogether._content": "the flowables kept together",
    "ListFlowable._content": "a list's items as drawn: one LIIndenter a flowable",
    "ListFlowable._flowables": "a list's items before they are made into LIIndenters",
    "LIIndenter._bullet": "the bullet or number drawn beside an item's first flowable",
    "DDIndenter._flowable": "the flowable an indenter (a list item's) draws",
    "Table._cellvalues": "a table's cells, rows of flowables",
    "Table._renderCB": "a callback told when a table draws its backgrounds and rules",
    "qrencoder.QRCode": "the QR encoder, in graphics/barcode/qrencoder.py, a module needing only re and "
                        "itertools: loaded from that file alone (qr_encoder)",
    "Canvas._formsinuse": "the XObjects the page being drawn shows: drawing that uses one is not kept",
    "Canvas._destinations": "the bookmarks made so far: a kept story makes its own only",
    "Canvas._colorsUsed": "spot colours the page uses: drawing that adds one is not kept",
    "Canvas._shadingUsed": "shadings the page uses: likewise",
    "Canvas._extgstate": "the page's graphics states (transparency): likewise",
    "Canvas._annotationCount": "how many annotations the document has: a kept story adds its own only",
    "Canvas._absRect": "a link's rectangle on the page, the current transformation applied (kept links)",
    "TTFontFile.glyphToChar": "glyph -> characters, read only while the face is parsed and by ReportLab's own "
                              "shaping (TTFont.hbFont first): EmbeddedFont lets it go",
    "TTFontFile.glyphPos": "each glyph's offset in glyf, read by index only (makeSubset): packed by EmbeddedFont",
    "TTFontFile.hmetrics": "each glyph's (advance, left side bearing), read by index only (makeSubset): packed",
    "TTFont.hbFont": "the way into ReportLab's own shaping, the only later reader of glyphToChar: refused",
    "TTFont.splitString": "gives out a ReportLab-subset font's codes per document: kept pages give them again",
}


# -- fonts ----------------------------------------------------------------------------------------

_BEYOND_BMP = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.M)
_TO_UNICODE = "toUnicodeCMap:"  # how ReportLab names a subset's ToUnicode map among a document's objects


def _utf16_pair(match: re.Match) -> str:
    high, low = divmod(int(match.group(2), 16) - 0x10000, 0x400)
    return f"<{match.group(1)}> <{0xD800 + high:04X}{0xDC00 + low:04X}>"


def utf16_to_unicode_map(cmap: str) -> str:
    """A ToUnicode CMap with each character beyond U+FFFF written as its UTF-16 surrogate pair.
    ReportLab 5.1 writes 😀 as five hex digits, which is not UTF-16: readers could not extract
    or search it."""
    return _BEYOND_BMP.sub(_utf16_pair, cmap)


class PackedMetrics:
    """A face's (advance, left side bearing) pairs, ReportLab's hmetrics, as two unsigned 16-bit
    numbers a glyph (as the font file holds them); read by index, as ReportLab does."""

    __slots__ = ("_packed",)

    def __init__(self, pairs):
        self._packed = array("H", [number for pair in pairs for number in pair])

    def __len__(self) -> int:
        return len(self._packed) // 2

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        if glyph < 0:
            glyph += len(self)
        if not 0 <= glyph < len(self):
            raise IndexError(glyph)
        return self._packed[2 * glyph], self._packed[2 * glyph + 1]


class EmbeddedFont(TTFont):
    """A TrueType font embedded as subsets whose ToUnicode maps are UTF-16, so characters beyond
    U+FFFF extract as themselves. Mended as the document's font objects are made, by the fonts
    that need it: no global patch of ReportLab's makeToUnicodeCMap. It keeps the bytes it was
    read from, which the shaped text's own font objects subset (embedding.py)."""

    def __init__(self, name, filename, *args, **kwargs):
        if hasattr(filename, "getvalue"):
            self.file_bytes = filename.getvalue()
        else:
            self.file_bytes = Path(filename).read_bytes()
        super().__init__(name, filename, *args, **kwargs)
        face = self.face
        # ReportLab makes glyph -> characters (a list a glyph) only to work out charWidths, and
        # reads it again only when it shapes text itself, which is never asked of it here
        # (shaped.py shapes; hbFont below refuses): held for nothing, 0.4 MB a Latin face.
        del face.glyphToChar
        # Each glyph's place and metrics, read by index only as ReportLab cuts its own subsets:
        # packed, not a Python int (and a tuple) a glyph (0.25 MB a Latin face).
        face.glyphPos = array("I", face.glyphPos)
        face.hmetrics = PackedMetrics(face.hmetrics)

    def hbFont(self, fontSize=10):
        raise TypeError(f"{self.fontName}: ReportLab's own shaping is not used (shaped.py shapes text); "
                        "it would need the glyph -> characters map EmbeddedFont lets go")

    def splitString(self, text, doc, encoding="utf-8"):
        # ReportLab gives this font's codes out per document as text is drawn (a list's bullets):
        # a kept story's drawing tells its keeper, which splits the same text again when drawing
        # the kept pages, so the codes come out the same (kept_pages.py).
        canv = doc.__dict__.get("kept_canvas")
        if canv is None or canv.keeper is None:
            return super().splitString(text, doc, encoding)
        return canv._kept_call("split", (self.fontName, text), {}, lambda: split_again(canv, self.fontName, text))

    def addObjects(self, doc):
        super().addObjects(doc)
        # ReportLab names each map after its subset; mending one twice changes nothing.
        for name, stream in doc.idToObject.items():
            if isinstance(name, str) and name.startswith(_TO_UNICODE) and isinstance(stream, PDFStream):
                stream.content = utf16_to_unicode_map(stream.content)


def harfbuzz_face(font: TTFont):
    """The uharfbuzz Face of a registered TrueType font (ReportLab's, made from the bytes it read)."""
    return font.hbFace


def font_file_bytes(font: TTFont) -> bytes:
    """The bytes of the font file a registered font was read from (as the World read them)."""
    data = getattr(font, "file_bytes", None)
    if data is None:
        raise TypeError(f"font {font.fontName} was not registered through the seam (EmbeddedFont): "
                        "its file cannot be subset for shaped text")
    return data


class _WhenSaved:
    """Stands among a document's fonts so `write(doc)` runs as ReportLab saves the document."""

    def __init__(self, write: Callable[[object], dict[str, object]]):
        self.write = write

    def addObjects(self, doc) -> None:
        fonts = doc.idToObject["BasicFonts"].dict
        for name, font in self.write(doc).items():
            fonts[name] = doc.Reference(font, f"shapedFont:{name}")


def write_when_saved(canv: _canvas.Canvas, write: Callable[[object], dict[str, object]]) -> None:
    """Have `write(doc)` called as the canvas's document is saved, after the pages are drawn:
    it makes its objects (doc.Reference) and returns {resource name: font dictionary}, which
    every page's /Font resources then hold (ReportLab's pages share one font dictionary)."""
    canv._doc.delayedFonts.append(_WhenSaved(write))


# ReportLab font name -> (its file, the hash of the bytes registered): a file replaced in place
# (while `build --watch` runs) is registered again.
_registered: dict[str, tuple[Path, str | None]] = {}
_families: dict[str, FontFamily] = {}  # family name -> the family registered under it


def _forget_in_reportlab(font: TTFont) -> None:
    """Let `font`, just read, replace what ReportLab holds under its name or its face's name.
    ReportLab keeps the first font registered under a name, and the first face with a PostScript
    name, and silently ignores later ones: a font file replaced while `build --watch` runs, or
    another file named as the same family, would print with the old one."""
    pdfmetrics._fonts.pop(font.fontName, None)
    held = pdfmetrics._dynFaceNames.get(font.face.name)
    if held is not None and held.face is not font.face:
        del pdfmetrics._dynFaceNames[font.face.name]


def _version(path: Path, world: World) -> tuple[Path, str | None]:
    return path, world.digest(path)


def _current(family: FontFamily, world: World) -> bool:
    """Whether ReportLab holds the family's files as the world reads them now."""
    return (_families.get(family.name) == family and
            all(_registered.get(face_name(family, style)) == _version(getattr(family, style), world)
                for style in STYLES))


def register(fonts: FontSet) -> None:
    """Register the body family with ReportLab (once a process, and again when its files
    changed), so <b> and <i> pick the right face; a fallback family is registered when text
    first needs it (`font_name`)."""
    font_name(fonts, fonts.body)


def font_name(fonts: FontSet, family: FontFamily, style: str = "regular") -> str:
    """The name ReportLab knows a style of one of `fonts`' families by, registering the family on
    first use (and again when its files changed since)."""
    if not _current(family, fonts.world):
        register_family(family, fonts.world)
    return face_name(family, style)


def register_family(family: FontFamily, world: World) -> None:
    """Register a family's four styles with ReportLab, parsing each file (read through the
    world) once."""
    import copy

    if _current(family, world):
        return
    parsed: dict[Path, EmbeddedFont] = {}
    for style in STYLES:
        name = face_name(family, style)
        version = _version(getattr(family, style), world)
        path = version[0]
        if _registered.get(name) == version:
            continue
        # A name that meant other files is taken over: that happens only between runs in one
        # process (tests, `build --watch`); within a run the pipeline refuses such layouts.
        if path in parsed:  # a style without a file of its own: ReportLab shares the parsed face
            font = copy.copy(parsed[path])
            font.fontName = name
        else:
            # The World's bytes, named as the file (ReportLab keeps the name; the PDF is the same).
            data = io.BytesIO(world.read_bytes(path))
            data.name = str(path.resolve())
            # asciiReadable off: a subset holds only the characters drawn, not all of ASCII too.
            font = parsed[path] = EmbeddedFont(name, data, asciiReadable=0)
        _forget_in_reportlab(font)
        pdfmetrics.registerFont(font)
        _registered[name] = version
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold_italic")):
        addMapping(family.name, bold, italic, face_name(family, style))
    _families[family.name] = family


# -- the canvas -----------------------------------------------------------------------------------

class Canvas(_canvas.Canvas):
    """A ReportLab canvas whose streams are compressed only, never ASCII85-encoded on top
    (ReportLab's default, `rl_config.useA85`, is for 7-bit mail and adds a quarter). Decided for
    this canvas, as its pages and images are made: ReportLab's global setting is left alone."""

    keeper = None  # kept_pages.StoryRecorder while the story's drawing is recorded

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._doc.kept_canvas = self  # ReportLab's fonts tell the keeper through the document

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, **kwargs):
        absolute = self._absRect(Rect, relative)  # made again where the story's transformations are not
        return self._kept_call("link", (contents, destinationname, absolute, addtopage, name),
                               {**kwargs, "relative": 0},
                               lambda: super(Canvas, self).linkRect(contents, destinationname, Rect, addtopage, name,
                                                                    relative, **kwargs))

    def linkURL(self, url, rect, relative=0, thickness=0, **kwargs):
        absolute = self._absRect(rect, relative)  # made again where the story's transformations are not
        return self._kept_call("url", (url, absolute), {**kwargs, "relative": 0, "thickness": thickness},
                               lambda: super(Canvas, self).linkURL(url, rect, relative, thickness, **kwargs))

    def bookmarkPage(self, key, *args, **kwargs):
        return self._kept_call("bookmark", (key, *args), kwargs,
                               lambda: super(Canvas, self).bookmarkPage(key, *args, **kwargs))

    def addOutlineEntry(self, title, key, level=0, closed=None):
        self._kept_call("outline", (title, key, level, closed), {},
                        lambda: super(Canvas, self).addOutlineEntry(title, key, level, closed))

    def kept_step(self, what: str, args: tuple, call: Callable[[], object]):
        """Draw something that makes objects of the document (a picture's image or form), told
        to the keeper (if any) as a step of the story's drawing, made again from `args`."""
        return self._kept_call(what, args, {}, call)

    def _kept_call(self, what: str, args: tuple, kwargs: dict, call: Callable[[], object]):
        """Make an annotation, bookmark or outline entry, told to the keeper (if any) as a step
        of the story's drawing to make again."""
        keeper = self.keeper
        if keeper is None:
            return call()
        keeper.before_call(self)
        self.keeper = None  # what the call does inside is the call's
        try:
            return call()
        finally:
            self.keeper = keeper
            keeper.after_call(self, what, args, kwargs)

    def drawImage(self, *args, **kwargs):
        objects = len(self._doc.idToObject)
        drawn = super().drawImage(*args, **kwargs)
        if len(self._doc.idToObject) != objects:  # a new image (an image drawn again is the same object)
            self._plain_images()
        return drawn

    def save(self):
        if len(self._code):  # as ReportLab's save does, so the last page is compressed as the others
            self.showPage()
        self._plain_page_streams()
        super().save()

    def _plain_page_streams(self) -> None:
        """Give each page the content stream ReportLab's PDFPage.check_format would, less ASCII85."""
        for page in self._doc.Pages.pages:
            if page.Contents or not page.stream:  # no stream: ReportLab's test page (never ours)
                continue
            stream = PDFStream()
            if page.compression:
                stream.filters = [PDFZCompress]
            stream.content = page.stream
            stream.__Comment__ = "page stream"
            page.Contents = stream

    def _plain_images(self) -> None:
        """Take ASCII85 off the image XObjects (and soft masks) ReportLab made: the stream is then
        what ReportLab writes with useA85 off."""
        for obj in self._doc.idToObject.values():
            if isinstance(obj, PDFImageXObject) and obj._filters and obj._filters[0] == "ASCII85Decode":
                content = obj.streamContent
                text = content if isinstance(content, str) else content.decode("latin-1")
                obj.streamContent = asciiBase85Decode(text)
                obj._filters = tuple(obj._filters[1:])


def set_creation_date(canv: _canvas.Canvas, seconds: float) -> None:
    """Date the PDF (CreationDate and ModDate) `seconds` after the epoch, in UTC. ReportLab's
    invariant mode would stamp 2000-01-01; call before the document is saved."""
    import time

    stamp = TimeStamp(invariant=1)  # UTC, no offset
    stamp.t, stamp.lt = seconds, time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    canv._doc._timeStamp = stamp


def page_has_content(canv: _canvas.Canvas) -> bool:
    """Whether anything was drawn on the page being drawn since it began."""
    return bool(len(canv._code))


def drawn_apart(canv: _canvas.Canvas, draw: Callable[[_canvas.Canvas], None]) -> str:
    """The operators `draw(canv)` adds to a page, as text, without adding them to the page."""
    page_code, canv._code = canv._code, []
    try:
        draw(canv)
        return "\n".join(canv._code)
    finally:
        canv._code = page_code


def drawn_once(canv: _canvas.Canvas, key, draw: Callable[[_canvas.Canvas], object]):
    """Draw `draw(canv)` on the page being drawn and return what it returns. The same drawing in
    the same place on a document's later pages (the running header's lines, the logo) is not
    worked out again: once it has added nothing to the document but its operators (its first
    drawing may register a font), they and its result are kept under `key` for this document."""
    kept = canv.__dict__.setdefault("drawn_once", {})
    found = kept.get(key)
    if found is None:
        before, result = drawing_state(canv), []
        found = drawn_apart(canv, lambda canv: result.append(draw(canv))), result[0]
        if drawing_state(canv) == before:
            kept[key] = found
    if found[0]:
        canv.addLiteral(found[0])
    return found[1]


def replace_in_page(canv: _canvas.Canvas, index: int, old: str, new: str) -> None:
    """Replace the line `old` with `new` in the finished page `index` (from 0), before the
    document is saved. ReportLab keeps a finished page's operators as text until then."""
    page = canv._doc.Pages.pages[index]
    if f"\n{old}\n" not in page.stream:  # a ReportLab that keeps pages otherwise
        raise RuntimeError(f"page {index + 1}'s content has no {old} to replace: does ReportLab keep pages otherwise?")
    page.stream = page.stream.replace(f"\n{old}\n", f"\n{new}\n", 1)


# -- a story's drawing, kept (kept_pages.py) ------------------------------------------------------

def code_length(canv: _canvas.Canvas) -> int:
    """How many operator strings the page being drawn has so far."""
    return len(canv._code)


def code_since(canv: _canvas.Canvas, start: int) -> list[str]:
    """The operator strings added to the page being drawn after its first `start`."""
    return list(canv._code[start:])


def add_code(canv: _canvas.Canvas, operators: list[str]) -> None:
    """Add operator strings to the page being drawn, as drawing them would."""
    canv._code.extend(operators)


def drawing_state(canv: _canvas.Canvas) -> tuple:
    """What drawing can change beyond a page's operators: the document's objects, the page's
    XObjects, annotations, colours, shadings and graphics states, bookmarks and fonts. Equal
    before and after a stretch of drawing: it wrote operators only."""
    doc, states = canv._doc, canv._extgstate.getState()
    return (doc.objectcounter, len(doc.idToObject), len(doc.fontMapping), len(doc.delayedFonts),
            len(canv._formsinuse), len(canv._annotationrefs), canv._annotationCount, len(canv._destinations),
            len(canv._colorsUsed), len(canv._shadingUsed), len(states.dict) if states else 0)


def split_again(canv: _canvas.Canvas, font: str, text: str) -> list:
    """Split `text` into the registered TrueType font `font`'s subsets for this document, as
    drawing it does, giving out its codes (and naming the subsets used)."""
    face = pdfmetrics.getFont(font)
    pieces = face.splitString(text, canv._doc)
    for subset, _ in pieces:
        face.getSubsetInternalName(subset, canv._doc)
    return pieces


def annotation_count(canv: _canvas.Canvas) -> int:
    """How many annotations (links) the page being drawn has so far."""
    return len(canv._annotationrefs)


def links_since(canv: _canvas.Canvas, count: int) -> list[tuple[int, str]]:
    """(index in the page's annotations, where it leads) of each link annotation made on the page
    being drawn after its first `count`: "#name" for a place in the leaflet, else the address."""
    out = []
    for index in range(count, len(canv._annotationrefs)):
        annotation = canv._doc.idToObject[canv._annotationrefs[index].name]
        out.append((index, link_target(annotation)))
    return out


def link_target(annotation) -> str:
    """Where a link annotation ReportLab made leads: "#name" for a place in the leaflet, else
    the address."""
    destination = getattr(annotation, "Destination", None)
    if destination is not None:
        return "#" + destination.name
    action = annotation.dict["A"].dict
    return getattr(action.get("URI"), "s", "") or str(action.get("URI", ""))


# -- frames and flowables -------------------------------------------------------------------------

def frame_y(frame) -> float:
    """Where the next flowable's top goes in a frame (its current y)."""
    return frame._y


def frame_space_left(frame) -> float:
    """How much height is left empty at the foot of a frame, below its last flowable."""
    return frame._y - frame._y1p


def drawn_height(flowable: Flowable) -> float:
    """How tall a flowable was drawn (Paragraphs say `height`, Tables `_height`)."""
    return getattr(flowable, "height", None) or getattr(flowable, "_height", 0)


def kept(group: KeepTogether) -> list:
    """The flowables a KeepTogether keeps together (the live list)."""
    return group._content


def set_kept(group: KeepTogether, flowables: list) -> None:
    """Replace the flowables a KeepTogether keeps together."""
    group._content = flowables


def list_entries(flowable: ListFlowable) -> list:
    """A list's items as ReportLab draws them: one LIIndenter a flowable, the first flowable of
    each item carrying the bullet or number."""
    return flowable._content


def has_bullet(entry: DDIndenter) -> bool:
    """Whether a list entry (LIIndenter) draws a bullet or number: it starts an item."""
    return getattr(entry, "_bullet", None) is not None


def entry_flowable(entry: DDIndenter) -> Flowable:
    """The flowable a list entry (LIIndenter) draws beside its bullet."""
    return entry._flowable


def set_entry_flowable(entry: DDIndenter, flowable: Flowable) -> None:
    """Replace the flowable a list entry draws (its bullet stays)."""
    entry._flowable = flowable


class _BulletAround(BulletDrawer):
    """A list entry's bullet or number, drawn inside `around(canv)` (a context manager)."""

    def __init__(self, bullet: BulletDrawer, around: Callable[[object], AbstractContextManager]):
        self.__dict__.update(bullet.__dict__)  # the same bullet: value, font, colour, place
        self.around = around

    def drawOn(self, indenter, canv, x, y, _sW=0):
        if not self.value:  # ReportLab draws nothing: nothing to mark either
            return
        with self.around(canv):
            super().drawOn(indenter, canv, x, y, _sW)


def draw_bullet_inside(entry: DDIndenter, around: Callable[[object], AbstractContextManager]) -> None:
    """Draw a list entry's bullet or number inside the context manager `around(canv)`."""
    entry._bullet = _BulletAround(entry._bullet, around)


def table_rows(table: Table) -> list[list]:
    """A table's cells, row by row (the live lists: a cell may be replaced in place)."""
    return table._cellvalues


def on_table_drawing(table: Table, callback: Callable[..., None]) -> None:
    """Have `callback(table, event, *args)` told as a table draws: "startBG"/"endBG" round its
    backgrounds, "startLines"/"endLines" round its rules (ReportLab's render callback)."""
    table._renderCB = callback


# The attributes in which ReportLab's containers hold other flowables, in the order they are read.
_NESTED = ("_content", "_flowables", "_cellvalues", "_flowable")


def nested(item) -> list:
    """What a container holds (a KeepTogether's flowables, a list's items, a table's rows, an
    indenter's flowable), each as it is held: a flowable, a list or None. Reading a list's items
    makes its LIIndenters, as laying it out would."""
    return [getattr(item, name, None) for name in _NESTED]


class StandIn(Flowable):
    """A flowable that stands for another: sizes, spacing, splitting and every other attribute
    are the other's, so it is laid out exactly as the flowable it wraps (unlike ReportLab's
    DDIndenter, which the page builder treats differently after a split). A subclass draws it,
    and names in `own` what it keeps besides; each piece of a split stands in the same way."""

    own: tuple[str, ...] = ("inner", "width", "height")

    def __init__(self, inner: Flowable, **state):
        self.__dict__.update(inner=inner, width=None, height=None, **state)

    def wrap(self, aW, aH):
        self.width, self.height = self.inner.wrap(aW, aH)
        return self.width, self.height

    def split(self, aW, aH):
        state = {name: self.__dict__[name] for name in self.own if name not in StandIn.own}
        return [type(self)(piece, **state) for piece in self.inner.split(aW, aH)]

    def __getattr__(self, name):
        if name in self.own or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def __setattr__(self, name, value):
        if name in self.own or name in self.__dict__:  # ReportLab sets some in __dict__ itself
            self.__dict__[name] = value
        else:
            setattr(self.inner, name, value)

    def __delattr__(self, name):
        if name in self.own or name in self.__dict__:  # ReportLab sets some in __dict__ itself
            del self.__dict__[name]
        else:
            delattr(self.inner, name)

    def identity(self, maxLen=None):
        return f"{type(self).__name__} containing {self.inner.identity(maxLen)}"


def identity_order(flowable) -> Iterator:
    """The flowable and what it holds, in the order ReportLab's `identity()` names them: a
    stand-in or an indenter names what it wraps, a KeepTogether (or a subclass) each flowable it
    keeps. Tables, paragraphs and lists name only themselves first."""
    yield flowable
    if isinstance(flowable, StandIn):
        yield from identity_order(flowable.inner)
    elif isinstance(flowable, DDIndenter):
        yield from identity_order(flowable._flowable)
    elif isinstance(flowable, KeepTogether):
        for part in flowable._content:
            yield from identity_order(part)


# -- the QR encoder -------------------------------------------------------------------------------

@functools.cache
def qr_encoder() -> ModuleType:
    """ReportLab's QR encoder (reportlab/graphics/barcode/qrencoder.py), loaded from its file alone.
    Imported by name, it runs the barcode package's __init__ first, which imports and registers
    every barcode widget (Code 128, EAN, DataMatrix...: about 7 ms of a cold build) though the
    encoder uses none of them. Loaded under a name of its own, it never stands in for the
    package's module; the compiled copy in its __pycache__ is used as an import would."""
    import importlib.util

    import reportlab.graphics

    file = Path(reportlab.graphics.__file__).parent / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("handout_builder.render.reportlab_qrencoder", file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- errors ---------------------------------------------------------------------------------------

def too_narrow(exc: ValueError) -> bool:
    """Whether a ValueError is ReportLab's for a table whose column is narrower than its cell
    padding ("negative availWidth"), which it raises while laying the table out."""
    return "negative availWidth" in str(exc)
