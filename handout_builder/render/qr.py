"""The QR code to a leaflet's online version, printed on its last page so a paper copy leads
back to the latest edition. Drawn as vectors with ReportLab's QR widget: sharp at any size."""
from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

QUIET_ZONE = 4  # modules of white round the code, as the QR standard asks


def qr_drawing(url: str, size: float, font: str) -> Drawing:
    """A square drawing `size` points wide holding the QR code for url, quiet zone included.
    `font` is an embedded font for the drawing to start with (else it names Helvetica). What a
    screen reader says for it is the story's note on it (handoff.Note.alt)."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=QUIET_ZONE)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    drawing.initialFontName = font
    drawing.hAlign = "LEFT"
    return drawing
