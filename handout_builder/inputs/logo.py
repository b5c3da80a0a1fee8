"""The clinic's logo, checked when the layout loads; render/logo.py draws it on every page.

A logo is a PNG or JPEG (read here with Pillow, for its size) or an SVG (read here as XML only,
with the standard library's parser: svglib brings ReportLab with it, which `check` and `list`
never need, and the inputs stage does not use). An SVG may not hold text: svglib would set it in
an unembedded standard font, so the logo's words must be converted to outlines first.

The file is read once, through the World, when the layout loads (`Logo.data`); the check and the
drawing use those bytes.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

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
        return svg_problem(data, "logo")
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


def svg_problem(data: bytes, what: str) -> str | None:
    """Why an SVG file's bytes cannot be drawn as the logo or a picture (not XML, no size, text
    in it), or None."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(io.BytesIO(data)).getroot()
    except (ET.ParseError, OSError, ValueError):
        return "cannot be read as an SVG image with a width and height"
    if _local(root.tag) != "svg" or not _has_size(root):
        return "cannot be read as an SVG image with a width and height"
    if any(_local(element.tag) in _TEXT_ELEMENTS for element in root.iter()):
        return f"holds text; convert the text to outlines (paths) so the {what} needs no font"
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
