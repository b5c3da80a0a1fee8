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


# -- tagged PDF ----------------------------------------------------------------------------------

# Operators that put marks on the page (ISO 32000-1 tables 59, 60, 107 and 109).
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "Tj", "TJ", "'", '"', "BI"}


def structure_text(path: Path) -> list[tuple[int, str, str]]:
    """The structure tree as poppler's `pdfinfo -struct-text` prints it: (depth, role, text) for
    each element, the text being the quoted content printed under it (an independent reader)."""
    import subprocess

    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    nodes: list[list] = []
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if body.startswith('"') and nodes:
            nodes[-1][2] += body.strip('"')
        elif body and not body.startswith("/") and not body.startswith("Object "):
            nodes.append([depth, body.split(" ")[0].rstrip(":"), ""])
    return [tuple(node) for node in nodes]


def content_marks(path: Path) -> list[dict]:
    """For each page: the painting operators outside any marked content ("unmarked"), those
    inside an artifact, and tagged content nested inside an artifact or another tag ("nested").
    Fails when a marked-content sequence or a saved graphics state (q) is left open."""
    import pikepdf

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            stack: list[str] = []
            saved = 0
            found = {"unmarked": [], "artifact": 0, "tagged": 0, "nested": [], "mcids": []}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])
                    if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                        found["mcids"].append(int(operands[1].MCID))
                        if stack:
                            found["nested"].append((stack[:], tag))
                    stack.append(tag)
                elif op == "EMC":
                    stack.pop()
                elif op in ("q", "Q"):
                    saved += 1 if op == "q" else -1
                    assert saved >= 0, "Q without q"
                elif op in PAINTING:
                    if not stack:
                        found["unmarked"].append(op)
                    elif "/Artifact" in stack:
                        found["artifact"] += 1
                    else:
                        found["tagged"] += 1
            assert not stack, "a marked-content sequence is never closed"
            assert saved == 0, "a saved graphics state is never restored"
            pages.append(found)
    return pages
