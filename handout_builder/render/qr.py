"""The QR code to a leaflet's online version, printed on its last page so a paper copy leads
back to the latest edition. Drawn as vectors: sharp at any size.

The address is encoded once, with ReportLab's own QR encoder, and the dark modules are drawn as one
filled path (a rectangle for each run of dark modules in a row). ReportLab's QrCodeWidget encodes
the address and builds a shape for every run twice, once for its bounds and once to draw: a third
of the time of a leaflet went there."""
from __future__ import annotations

import functools
import itertools

from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black

from .reportlab_seam import qr_encoder  # the encoder alone, not the barcode package and its widgets

QUIET_ZONE = 4  # modules of white round the code, as the QR standard asks


@functools.lru_cache(maxsize=64)  # a leaflet built in several layouts asks for the same code
def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code for url as rows of modules from the top, True where dark (level M: a
    smudged or folded print still scans)."""
    qrencoder = qr_encoder()
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


class QrCodeDrawing(Drawing):
    """The QR code as a Drawing, so the story, marking and tagging treat it as the figure it is,
    drawing itself in one filled path of rectangles ("re" operators: the fewest bytes)."""

    def __init__(self, rows: tuple[tuple[bool, ...], ...], size: float):
        super().__init__(size, size)
        # Drawing checks the attributes set on it against its own list; ReportLab's QR widget
        # keeps its code the same way.
        self.__dict__["rows"] = rows

    def runs(self):
        """Each run of dark modules as (x, y, width, height) in points from the bottom left."""
        module = self.width / (len(self.rows) + 2 * QUIET_ZONE)
        for r, row in enumerate(self.rows):
            bottom = self.height - (r + QUIET_ZONE + 1) * module
            column = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    yield (column + QUIET_ZONE) * module, bottom, count * module, module
                column += count

    def draw(self, showBoundary=None):
        canvas = self.canv
        path = canvas.beginPath()
        for x, y, width, height in self.runs():
            path.rect(x, y, width, height)
        canvas.saveState()
        canvas.setFillColor(black)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


def qr_drawing(url: str, size: float) -> Drawing:
    """A square drawing `size` points wide holding the QR code for url, quiet zone included.
    What a screen reader says for it is the story's note on it (handoff.Note.alt). It draws no
    text, so it sets no font."""
    drawing = QrCodeDrawing(qr_modules(url), size)
    drawing.hAlign = "LEFT"
    return drawing
