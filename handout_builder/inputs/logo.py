"""The clinic's logo in the running header: checked when the layout loads, drawn on every page.

PNG and JPEG are read with Pillow (through ReportLab); SVG is converted to a ReportLab drawing
with svglib, so it stays sharp at any size. An SVG may not hold text: svglib would set it in an
unembedded standard font, so the logo's words must be converted to outlines first.

The file is read once, through the World, when the layout loads (`Logo.data`); the check and the
drawing use those bytes. Only ReportLab's drawImage still opens a PNG or JPEG by its path, a path
the World has recorded (given bytes, ReportLab names the image differently, changing the PDF).

Checking a logo when the layout loads reads the SVG as XML only (the standard library's parser):
svglib brings ReportLab with it, which `check` and `list` never need. svglib reads it when a
page is drawn.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from ..model import Logo
from ..world import World

RASTER = (".png", ".jpg", ".jpeg")
SVG = (".svg",)
MIN_DPI = 150  # below this a printed logo looks blurred


def logo_problem(path: Path, height: float, world: World) -> str | None:
    """Why the image at path (read through the world) cannot be the logo, or None when it can."""
    suffix = path.suffix.lower()
    try:
        data = world.read_bytes(path)
    except OSError as exc:
        return ("cannot be read as an SVG image with a width and height" if suffix in SVG
                else f"cannot be read as an image ({type(exc).__name__})")
    if suffix in SVG:
        return _svg_problem(data)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pixels_high = image.size[1]
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        return f"cannot be read as an image ({type(exc).__name__})"
    if pixels_high < height / 72 * MIN_DPI:
        return (f"is only {pixels_high} pixels tall; printed {height / 72 * 25.4:.0f}mm tall it would look blurred "
                f"(use at least {height / 72 * MIN_DPI:.0f} pixels, or an SVG)")
    return None


# Elements that set type: svglib would draw them in a standard font.
_TEXT_ELEMENTS = {"text", "tspan", "textPath", "tref", "flowRoot", "flowPara"}
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$")


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG file's bytes cannot be the logo (not XML, no size, text in it), or None."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(io.BytesIO(data)).getroot()
    except (ET.ParseError, OSError, ValueError):
        return "cannot be read as an SVG image with a width and height"
    if _local(root.tag) != "svg" or not _has_size(root):
        return "cannot be read as an SVG image with a width and height"
    if any(_local(element.tag) in _TEXT_ELEMENTS for element in root.iter()):
        return "holds text; convert the text to outlines (paths) so the logo needs no font"
    return None


def _local(tag) -> str:
    """An element's name without its namespace ('{http://www.w3.org/2000/svg}text' -> 'text')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _has_size(root) -> bool:
    """A positive width and height, from the width and height attributes or else the viewBox."""
    sizes = [_LENGTH.match(root.get(name, "")) for name in ("width", "height")]
    if all(sizes):
        return all(float(size.group(1)) > 0 for size in sizes)
    box = re.split(r"[\s,]+", root.get("viewBox", "").strip())
    try:
        return len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0
    except ValueError:
        return False


def logo_kind(path: Path) -> str | None:
    """"svg", "raster", or None for a file type the logo cannot be."""
    suffix = path.suffix.lower()
    return "svg" if suffix in SVG else "raster" if suffix in RASTER else None


def logo_width(logo: Logo) -> float:
    """The width the logo is drawn at, keeping its proportions."""
    if logo.kind == "svg":
        drawing = _svg_drawing(logo)
        return logo.height * drawing.width / drawing.height
    from reportlab.lib.utils import ImageReader

    width, height = ImageReader(io.BytesIO(logo.data)).getSize()
    return logo.height * width / height


def draw_logo(canv, logo: Logo, x: float, y: float, font: str) -> float:
    """Draw the logo with its bottom-left corner at (x, y); return the width drawn. `font` is
    an embedded font the drawing may start with, so no unembedded Helvetica creeps in."""
    width = logo_width(logo)
    if logo.kind == "svg":
        from reportlab.graphics import renderPDF

        drawing = _svg_drawing(logo)
        drawing.initialFontName = font
        scale = logo.height / drawing.height
        canv.saveState()
        canv.translate(x, y)
        canv.scale(scale, scale)
        renderPDF.draw(drawing, canv, 0, 0)
        canv.restoreState()
    else:
        # By the path the World recorded when the layout loaded (see the module's docstring).
        canv.drawImage(str(logo.path), x, y, width=width, height=logo.height, mask="auto")
    return width


def _svg_drawing(logo: Logo):
    """The logo's SVG as a ReportLab drawing; one that svglib cannot draw, after it passed the
    check, stops the build with the file's name rather than a blank header."""
    drawing = _drawing(logo.data)
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError(f"the logo {logo.path.name} cannot be drawn by svglib")
    return drawing


@lru_cache(maxsize=8)
def _drawing(data: bytes):
    """The SVG's bytes as a ReportLab drawing (None when they cannot be read); cached per file
    version. Given bytes, not a path, svglib refuses references to other files, which would be
    read behind the World's back."""
    import logging

    from svglib.svglib import svg2rlg

    logger = logging.getLogger("svglib.svglib")
    was = logger.level
    logger.setLevel(logging.CRITICAL)  # we report the failure ourselves, in one line
    try:
        return svg2rlg(io.BytesIO(data))
    except Exception:
        return None
    finally:
        logger.setLevel(was)

