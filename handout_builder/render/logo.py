"""The clinic's logo drawn in the running header (inputs/logo.py checked it when the layout loaded).

PNG and JPEG are drawn by ReportLab; SVG is converted to a ReportLab drawing with svglib, so it
stays sharp at any size. Both start from the bytes the World read when the layout loaded
(`Logo.data`); only ReportLab's drawImage still opens a PNG or JPEG by its path, a path the World
has recorded (given bytes, ReportLab names the image differently, changing the PDF).
"""
from __future__ import annotations

import io
from functools import lru_cache

from ..model import Logo
from .reportlab_seam import drawn_once


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
        # the same logo in the same place on every page: its drawing walked once a document
        drawn_once(canv, ("logo", logo.data, x, y, font), lambda canv: _draw_svg(canv, logo, x, y, font))
    else:
        # By the path the World recorded when the layout loaded (see the module's docstring).
        canv.drawImage(str(logo.path), x, y, width=width, height=logo.height, mask="auto")
    return width


def _draw_svg(canv, logo: Logo, x: float, y: float, font: str) -> None:
    from reportlab.graphics import renderPDF

    drawing = _svg_drawing(logo)
    drawing.initialFontName = font
    scale = logo.height / drawing.height
    canv.saveState()
    canv.translate(x, y)
    canv.scale(scale, scale)
    renderPDF.draw(drawing, canv, 0, 0)
    canv.restoreState()


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

