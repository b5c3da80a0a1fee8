"""A small picture of a leaflet's first page, for the library page (library.py).

pypdfium2 (PDFium, the renderer in Chrome) draws the page; it needs no ReportLab and no program
installed beside Python. The picture is reduced to a small palette so that, inlined as a data
URI, it adds a few kilobytes to index.html. The same PDF gives the same PNG bytes.
"""
from __future__ import annotations

import io

WIDTH = 192  # pixels: shown 96 CSS pixels wide, sharp on a high-density screen
COLOURS = 48


def first_page_png(pdf: bytes) -> bytes:
    """Page 1 of a PDF as a PNG WIDTH pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=WIDTH / page.get_width()).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    small = image.quantize(colors=COLOURS, dither=0)  # dither=0: no noise, smaller and stable
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()
