"""What each reader sees of one leaflet, as a Markdown table for the README (section "What screen
readers see"): pdf.js (Firefox), PDFium (Chrome, Edge) and poppler (`pdfinfo -struct-text`).

    python tests/readers_table.py handouts/fever-and-infection.yaml email

builds the leaflet in the layout into a temporary folder, reads it with each engine's own API
(tests/pdf_reading.py) and prints the table. pdf.js and PDFium give the structure tree page by
page, as they give it to screen readers: their counts add up the pages' trees, so an element
printed across a page break counts once a page. Poppler reads the whole tree.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from pdf_reading import pdfium_reading, pdfjs_reading, structure_text, tree_elements, tree_text  # noqa: E402
from test_readers import _in_order, _words, documents_for, source_segments  # noqa: E402

REPO = Path(__file__).parent.parent
ROLES = ("H1", "H2", "Sect", "L", "LI", "Table", "TH", "Figure", "Link")


def engine_row(reading, segments) -> dict[str, str]:
    elements = [node for page in reading.pages for node in tree_elements(page.tree)]
    counts = {role: str(sum(node["role"] == role for node in elements)) for role in ROLES}
    links = [node for node in elements if node["role"] == "Link"]
    with_words = [node for node in links if tree_text(node).strip()]
    annotations = sum(len(page.links) for page in reading.pages)
    if reading.engine == "pdf.js":
        held = sum(1 for node in links for kid in node["kids"] if "link" in kid)
    else:  # PDFium gives no annotation kids: an annotation is held when a Link's words lie under it
        held = sum(1 for number, page in enumerate(reading.pages) for annotation in page.links
                   if any(_under(box, annotation["rect"]) for node in tree_elements(page.tree)
                          if node["role"] == "Link" for box in node.get("boxes", [])))
    words = [word for page in reading.pages for node in page.tree for word in _words(tree_text(node))]
    missing = _in_order(segments, words)
    langs = sorted({node["lang"] for node in elements if node["lang"]})
    return {**counts, "Link with its words": str(len(with_words)),
            "link annotations / held by a Link": f"{annotations} / {held}",
            "document language": reading.lang or "-", "passages in another language": ", ".join(langs) or "-",
            "figures' alt text": "; ".join(node["alt"] or "(none)" for node in elements if node["role"] == "Figure"),
            "source word runs read in order": f"{len(segments) - len(missing)} of {len(segments)}"}


def poppler_row(path: Path, segments) -> dict[str, str]:
    tree = structure_text(path)
    counts = {role: str(sum(r == role for _, r, _ in tree)) for role in ROLES}
    links = [text for _, role, text in tree if role == "Link"]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    words = [word for _, _, text in tree for word in _words(text)]
    missing = _in_order(segments, words)
    return {**counts, "Link with its words": str(sum(bool(t.strip()) for t in links)),
            "link annotations / held by a Link": "-", "document language": "-",
            "passages in another language": "-", "figures' alt text": "-",
            "source word runs read in order": f"{len(segments) - len(missing)} of {len(segments)}"
            + ("" if "Tagged:          yes" in info else " (untagged)")}


def _under(box, rect) -> bool:
    return box[0] < rect[2] and rect[0] < box[2] and box[1] < rect[3] and rect[1] < box[3]


def main(leaflet: str, layout: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, str(REPO / "build_pdf.py"), "build", leaflet, "-l", layout, "-o", out],
                       cwd=REPO, check=True, capture_output=True)
        stem = Path(leaflet).stem
        screen = Path(out) / f"{stem}-{layout}-screen.pdf"  # a booklet's copy to read
        path = screen if screen.exists() else Path(out) / f"{stem}-{layout}.pdf"
        segments = source_segments(documents_for(stem, layout))
        rows = {"pdf.js (Firefox)": engine_row(pdfjs_reading(path), segments),
                "PDFium (Chrome, Edge)": engine_row(pdfium_reading(path), segments),
                "poppler (pdfinfo -struct-text)": poppler_row(path, segments)}
    names = list(rows)
    print(f"| {Path(leaflet).name}, {layout} | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for key in rows[names[0]]:
        print(f"| {key} | " + " | ".join(rows[name][key] for name in names) + " |")


if __name__ == "__main__":
    main(*(sys.argv[1:] or ["handouts/fever-and-infection.yaml", "email"]))
