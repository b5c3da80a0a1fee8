"""Pictures on the page: a figure (the picture, then its caption, kept together) and a row (a
picture beside the words of the paragraph or list item it starts: Easy Read's layout).

A picture is as wide as the layout says (`pictures.width`, a share of the column) unless it asks
for less (`{width=50%}`); a PNG or JPEG is never drawn larger than its natural size (a pixel a
96th of an inch), so it is never blown up into a blur; and no picture is taller than
MAX_FRAME_SHARE of the text frame, so it and its caption always fit on a page.

What is embedded is made here from the bytes the World read (inputs/pictures.py), and carries
nothing but pixels: a JPEG loses its EXIF, XMP, IPTC and comment segments (where and when a
photograph was taken, the camera owner's name) losslessly, and any other picture is decoded and
handed to ReportLab as pixels. A layout with `pictures.max_dpi` (e-mail) downsamples larger
pictures to that many pixels an inch at their printed size. ReportLab names an image after its
pixels and an SVG is drawn once as a form named after its bytes, so a picture shown twice is
embedded once.

What each picture is (its alt text, or that it only decorates) is the story's note on it
(handoff.py), tagged by marking.py as a Figure with /Alt or as an artifact.
"""
from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from ..inputs.pictures import printed_size
from ..model import Picture

MAX_FRAME_SHARE = 0.8  # of the text frame's height: room for the caption below
ROW_GAP = 10  # points between a row's picture and its words
JPEG_QUALITY = 82  # a downsampled photograph: no visible loss on screen or paper
# JPEG segments kept when a photograph is embedded as it is: the JFIF header and Adobe's colour
# transform flag. Every other APPn (EXIF, XMP, IPTC, ICC...) and every comment is dropped.
_KEPT_SEGMENTS = {0xE0, 0xEE}


class PictureFlowable(Flowable):
    """One picture, drawn `share` of the width it is given (at most its natural size for a raster,
    at most `max_height` tall), centred; it never splits across pages."""

    def __init__(self, picture: Picture, share: float = 1.0, max_height: float = 1e9, max_dpi: float | None = None,
                 font: str = "", align: str = "CENTER"):
        super().__init__()
        self.picture, self.share, self.max_height, self.max_dpi, self.font = picture, share, max_height, max_dpi, font
        self.hAlign = align
        self.width = self.height = 0.0

    def wrap(self, aW, aH):
        self.width, self.height = printed_size(self.picture, aW * self.share, self.max_height)
        return self.width, self.height

    def draw(self):
        args = (self.picture, self.width, self.height, self.max_dpi, self.font)
        # The image XObject or form a picture makes is an object of the document: a step of the
        # story's drawing that kept pages make again from the picture (kept_pages.py).
        step = getattr(self.canv, "kept_step", None)
        if step is None:
            draw_picture(self.canv, *args)
        else:
            step("picture", args, lambda: draw_picture(self.canv, *args))


def draw_picture(canv, picture: Picture, width: float, height: float, max_dpi: float | None, font: str) -> None:
    """Draw a picture `width` x `height` points at the origin: an SVG as a form made once a
    document (named after its bytes), a PNG or JPEG as an image (ReportLab names it after its
    pixels); `max_dpi` downsamples a raster, `font` draws an SVG's text."""
    if picture.kind == "svg":
        name = "picture-" + hashlib.sha256(picture.data).hexdigest()[:16]
        drawing = svg_drawing(picture.data)
        if not canv.hasForm(name):  # drawn once a document, shown as often as it is used
            canv.beginForm(name, 0, 0, drawing.width, drawing.height)
            from reportlab.graphics import renderPDF

            drawing.initialFontName = font  # an embedded font, never an unembedded Helvetica
            renderPDF.draw(drawing, canv, 0, 0)
            canv.endForm()
        canv.saveState()
        canv.scale(width / drawing.width, height / drawing.height)
        canv.doForm(name)
        canv.restoreState()
        return
    from reportlab.lib.utils import ImageReader

    wide = None
    if max_dpi is not None:
        wide = max(1, round(width / 72 * max_dpi))
    canv.drawImage(ImageReader(embeddable(picture.data, wide)), 0, 0, width, height)


@lru_cache(maxsize=32)
def embeddable(data: bytes, wide: int | None = None):
    """What ReportLab embeds for a PNG's or JPEG's bytes, no wider than `wide` pixels (None: as it
    is): a JPEG with only its picture segments (lossless), else the decoded pixels, upright, on
    white where it was transparent (PDF/A allows no soft mask); a downsampled photograph as a new
    JPEG (which carries no metadata either)."""
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    orientation = image.getexif().get(0x0112, 1)  # a phone's photograph may be stored on its side
    upright_width = image.size[1] if orientation >= 5 else image.size[0]
    shrink = wide is not None and upright_width > wide
    if image.format == "JPEG" and image.mode in ("RGB", "L") and orientation == 1 and not shrink:
        return io.BytesIO(strip_jpeg(data))
    was_jpeg = image.format == "JPEG"
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")  # CMYK, palette, 16-bit: as the screen shows them
    if shrink:
        image = image.resize((wide, max(1, round(image.size[1] * wide / image.size[0]))), Image.LANCZOS)
        if was_jpeg:
            image.info = {}  # Pillow would write the original's comment, XMP and ICC from here
            out = io.BytesIO()
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return io.BytesIO(out.getvalue())
    return image.copy()  # a new image: ReportLab reads pixels, never the file's own segments


def strip_jpeg(data: bytes) -> bytes:
    """A JPEG's bytes without its metadata segments (EXIF, XMP, IPTC, ICC, comments): the picture
    itself is not touched. Raises ValueError for bytes that are not a JPEG's segments."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise ValueError("not a JPEG segment")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the picture, to the end
            out += data[at:]
            return bytes(out)
        length = int.from_bytes(data[at + 2:at + 4], "big")
        segment = data[at:at + 2 + length]
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _KEPT_SEGMENTS:
            out += segment
        at += 2 + length
    raise ValueError("a JPEG without a picture")


@lru_cache(maxsize=16)
def svg_drawing(data: bytes):
    """An SVG's bytes as a ReportLab drawing. Given bytes, not a path, svglib refuses references
    to other files, which would be read behind the World's back. One that svglib cannot draw,
    after it passed the inputs' check, stops the build rather than leave a hole."""
    import logging

    from svglib.svglib import svg2rlg

    logger = logging.getLogger("svglib.svglib")
    was = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        drawing = svg2rlg(io.BytesIO(data))
    finally:
        logger.setLevel(was)
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError("an SVG picture svglib cannot draw")
    return drawing


def caption_style(small: ParagraphStyle, space_after: float) -> ParagraphStyle:
    """A figure's caption: the small muted type of the leaflet, close under its picture."""
    return ParagraphStyle("caption", parent=small, spaceBefore=4, spaceAfter=space_after)


def row(picture: Flowable, words: Flowable, beside: float, right_to_left: bool, space_after: float,
        font: tuple[str, float]) -> Table:
    """A picture `beside` points wide with the words it illustrates next to it, on the left (on
    the right in a right-to-left leaflet), the words centred on the picture's height. `font`: the
    body font and size, which the table starts in (else ReportLab's Helvetica, unembedded)."""
    cells, widths = [picture, words], [beside + ROW_GAP, None]
    if right_to_left:
        cells, widths = cells[::-1], widths[::-1]
    pad_picture = ("RIGHTPADDING" if not right_to_left else "LEFTPADDING", (0 if not right_to_left else 1, 0),
                   (0 if not right_to_left else 1, 0), ROW_GAP)
    return Table([cells], colWidths=widths, style=TableStyle([
        ("FONT", (0, 0), (-1, -1), *font),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        pad_picture,
    ]), spaceAfter=space_after, hAlign="RIGHT" if right_to_left else "LEFT")
