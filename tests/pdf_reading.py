"""Reading built PDFs back the ways a reader meets them: text runs with their size, font and
place (pypdf), pictures of the pages (pypdfium2), and the links a reader can follow."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    page: int  # from 0
    text: str
    size: float  # points, as drawn
    font: str  # e.g. "NotoSans-Bold"
    x: float
    y: float


def _multiply(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def text_runs(path: Path) -> list[Run]:
    """Every run of visible text pypdf reports, with the size it is drawn at and where."""
    runs: list[Run] = []
    for index, page in enumerate(PdfReader(path).pages):
        def visit(text, cm, tm, font, size, index=index):
            if not text.strip() or font is None:
                return
            matrix = _multiply(tm, cm)
            drawn = size * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            runs.append(Run(index, text, drawn, name, matrix[4], matrix[5]))

        page.extract_text(visitor_text=visit)
    return runs


def picture(path: Path, page: int, scale: float = 1.0):
    """A page rendered as a PIL image (1.0 = 72 dpi)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return document[page].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def char_boxes(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(character, left, bottom, right, top) of every drawn character on a page (pypdfium2)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        text = document[page].get_textpage()
        boxes = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                boxes.append((char, *text.get_charbox(i)))
        return boxes
    finally:
        document.close()


def link_targets(path: Path) -> list[str]:
    """The web and mail addresses of every link annotation, page by page."""
    out = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                out.append(str(action["/URI"]))
    return out
