"""The QR code is encoded once and drawn as one filled path: the same modules, in the same places,
as ReportLab's QR widget drew them one rectangle at a time, and it still scans."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget

from test_layouts import LEAFLET

from handout_builder.render.qr import QUIET_ZONE, qr_drawing, qr_modules

URLS = ["https://www.example.org/sarcoma/leaflets/fever-and-infection",
        "https://www.example.org/sarcoma/leaflets/non-rms-chemotherapy-es",
        "https://example.org/a?b=1&c=ü"]


def widget_rectangles(url: str, size: float) -> list[tuple[float, ...]]:
    """What ReportLab's QrCodeWidget drew (as the builder used it), scaled to `size` points."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=QUIET_ZONE)
    x0, _, x1, _ = widget.getBounds()
    scale = size / (x1 - x0)
    group = widget.draw()
    return sorted(tuple(round(v * scale, 6) for v in (r.x, r.y, r.width, r.height))
                  for r in group.contents if r.fillColor is not None)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("size", [62.0, 90.0, 121.5])
def test_the_same_rectangles_as_reportlabs_widget(url, size):
    ours = sorted(tuple(round(v, 6) for v in run) for run in qr_drawing(url, size).runs())
    assert ours and ours == widget_rectangles(url, size)


def test_modules_are_the_encoders_square():
    rows = qr_modules(URLS[0])
    assert len(rows) == len(rows[0]) and len(rows) >= 21 and any(map(any, rows))


def test_one_filled_path_on_the_last_page(project):
    project.write("x", LEAFLET)
    assert project.run("build").exit_code == 0
    last = PdfReader(project.pdf("x")).pages[-1].get_contents().get_data().decode("latin-1")
    figure = last[last.index("/Figure"):]
    figure = figure[:figure.index("EMC")]
    # One path of rectangles and one fill: no shape drawn per module, no font set.
    assert len(re.findall(r" re\b", figure)) > 50
    assert len(re.findall(r"^f\*?$", figure, re.M)) == 1
    assert " Tf" not in figure
