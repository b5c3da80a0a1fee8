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
    each element, the text being the quoted content printed under it (an independent reader):
    its own, and that of its inline elements (a Link's words are read as part of its paragraph,
    and are the Link's own text too)."""
    import subprocess

    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    nodes: list[list] = []
    open_: list[tuple[int, list, bool]] = []  # (depth, node, inline) of the elements enclosing the line
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        while open_ and open_[-1][0] >= depth:
            open_.pop()
        if body.startswith('"') and open_:
            text = body.strip('"')
            for _, node, inline in reversed(open_):  # the element holding it, and through inline ones
                node[2] += text
                if not inline:
                    break
        elif body and not body.startswith("/") and not body.startswith("Object "):
            node = [depth, body.split(" ")[0].rstrip(":"), ""]
            nodes.append(node)
            open_.append((depth, node, "(inline)" in body))
    return [tuple(node) for node in nodes]


INLINE_ROLES = {"Link", "Span"}


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


# -- what the engines that give a PDF to screen readers see -------------------------------------
#
# A screen reader meets a tagged PDF through its viewer's engine: pdf.js in Firefox, PDFium in
# Chrome and Edge. Each gives the structure tree page by page, each element with what it holds
# in reading order: elements, the text of its marked content, and link annotations. Both are read
# here into the same shape, a tree of dicts:
#   {"role": "P", "lang": "en" or None, "alt": str or None, "kids": [...]}
# whose kids are elements, {"text": "..."} (a piece of marked content, as the engine reads it)
# and {"link": target, "y": ..., "rect": ...} (an annotation: "#page-N" for a place in the
# leaflet, with the height it shows, else its address).

PDFJS_DIR = Path(__file__).parent / "pdfjs"


@dataclass
class EnginePage:
    tree: list[dict]  # the page's top-level elements
    links: list[dict]  # each link annotation: {"link": target, "y": a destination's height, "rect"}
    text: str  # the page's text layer, as find on the page searches it
    # The same, of the page's content only (no running header or footer, which are artifacts):
    # where a paragraph split across pages ends on this page and goes on on the next.
    content: str = ""


@dataclass
class EngineReading:
    engine: str
    lang: str | None  # the document's language
    pages: list[EnginePage]


def pdfjs_readings(paths: list[Path]) -> list[EngineReading]:
    """Each leaflet as pdf.js reads it (tests/pdfjs/structure.mjs, the version package-lock.json
    pins), in one Node process."""
    import json
    import subprocess

    run = subprocess.run(["node", str(PDFJS_DIR / "structure.mjs"), *map(str, paths)], capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    # One JSON line a leaflet, split at "\n" only: str.splitlines would also split at characters a
    # page's text may hold and JSON.stringify leaves as they are (U+2028, U+0085, form feed...).
    return [_pdfjs_reading(json.loads(line)) for line in run.stdout.split("\n") if line.strip()]


def pdfjs_reading(path: Path) -> EngineReading:
    """One leaflet as pdf.js reads it."""
    return pdfjs_readings([path])[0]


def _pdfjs_reading(data: dict) -> EngineReading:
    pages = []
    for page in data["pages"]:
        by_id: dict[str, list[str]] = {}
        for item in page["text"]:
            if item["id"] is not None:
                by_id.setdefault(item["id"], []).append(item["str"] + (" " if item["eol"] else ""))
        # An OBJR kid is an "object" with the annotation's id ("13R"); an "annotation" kid (a
        # newer pdf.js) has the id of its element in the annotation layer.
        links = {a["id"]: a for a in page["annotations"]}
        links.update({f"pdfjs_internal_id_{a['id']}": a for a in page["annotations"]})

        def convert(node, by_id=by_id, links=links):
            if node.get("type") == "content":
                return {"text": "".join(by_id.get(node["id"], []))}
            if node.get("type") in ("annotation", "object"):
                annotation = links.get(node["id"])
                return _pdfjs_link(annotation) if annotation else {"object": node["id"]}
            return {"role": node["role"], "lang": node.get("lang"), "alt": node.get("alt"),
                    "kids": [convert(kid) for kid in node.get("children", [])]}

        tree = [convert(kid) for kid in (page["tree"] or {}).get("children", [])]
        pages.append(EnginePage(tree, [_pdfjs_link(a) for a in page["annotations"]],
                                _find_text((item["str"], item["eol"]) for item in page["text"]),
                                _find_text((item["str"], item["eol"]) for item in page["text"] if item["id"] is not None)))
    return EngineReading("pdf.js", data["lang"], pages)


def _pdfjs_link(annotation: dict) -> dict:
    return {"link": _pdfjs_target(annotation), "y": annotation.get("destY"), "rect": annotation["rect"]}


def _pdfjs_target(annotation: dict) -> str:
    if annotation["url"]:
        return annotation["url"]
    return f"#page-{annotation['destPage'] + 1}" if annotation.get("destPage") is not None else "#?"


def _find_text(items) -> str:
    """A page's text as Firefox's find searches it (pdf.js's PDFFindController): the text items
    joined, a line end a space, a hyphen at a line end dropped (the word joined)."""
    out = []
    for text, eol in items:
        if eol and text.endswith("-"):
            out.append(text[:-1])
        else:
            out.append(text + ("\n" if eol else ""))
    return " ".join("".join(out).split())


def pdfium_reading(path: Path) -> EngineReading:
    """The leaflet as PDFium reads it through its own C API (pypdfium2.raw): FPDF_StructTree_* for
    each page's tree, each marked content's text from the text objects that carry its MCID,
    FPDFLink_* for the links."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as raw

    def utf16(getter, handle) -> str | None:
        size = getter(handle, None, 0)
        if size <= 2:
            return None
        buffer = ctypes.create_string_buffer(size)
        try:
            getter(handle, buffer, size)
        except ctypes.ArgumentError:  # declared as FPDF_WCHAR*, not void*
            getter(handle, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
        return buffer.raw[:size - 2].decode("utf-16-le")

    document = pypdfium2.PdfDocument(str(path))
    try:
        lang = utf16(raw.FPDFCatalog_GetLanguage, document.raw)
        pages = []
        for number in range(len(document)):
            page = document[number]
            textpage = raw.FPDFText_LoadPage(page.raw)
            by_mcid: dict[int, list[str]] = {}
            boxes: dict[int, list[tuple[float, float, float, float]]] = {}
            for index in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, index)
                if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
                size = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
                by_mcid.setdefault(mcid, []).append(buffer.raw[:max(size - 2, 0)].decode("utf-16-le"))
                left, bottom, right, top = (ctypes.c_float() for _ in range(4))
                raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                boxes.setdefault(mcid, []).append((left.value, bottom.value, right.value, top.value))

            def element(handle):
                node = {"role": utf16(raw.FPDF_StructElement_GetType, handle),
                        "lang": utf16(raw.FPDF_StructElement_GetLang, handle),
                        "alt": utf16(raw.FPDF_StructElement_GetAltText, handle), "kids": [], "boxes": []}
                for k in range(raw.FPDF_StructElement_CountChildren(handle)):
                    child = raw.FPDF_StructElement_GetChildAtIndex(handle, k)
                    if child:
                        node["kids"].append(element(child))
                        continue
                    mcid = raw.FPDF_StructElement_GetChildMarkedContentID(handle, k)
                    if mcid >= 0:
                        node["kids"].append({"text": " ".join(by_mcid.get(mcid, []))})
                        node["boxes"] += boxes.get(mcid, [])
                return node

            tree_handle = raw.FPDF_StructTree_GetForPage(page.raw)
            tree = [element(raw.FPDF_StructTree_GetChildAtIndex(tree_handle, k))
                    for k in range(raw.FPDF_StructTree_CountChildren(tree_handle))]
            raw.FPDF_StructTree_Close(tree_handle)
            links = []
            position, link = ctypes.c_int(0), raw.FPDF_LINK()
            while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
                rect = raw.FS_RECTF()
                raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect))
                action = raw.FPDFLink_GetAction(link)
                if action and raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
                    size = raw.FPDFAction_GetURIPath(document.raw, action, None, 0)
                    buffer = ctypes.create_string_buffer(size)
                    raw.FPDFAction_GetURIPath(document.raw, action, buffer, size)
                    target = buffer.raw[:size - 1].decode("utf-8")
                    y = None
                else:
                    dest = raw.FPDFLink_GetDest(document.raw, link)
                    target = f"#page-{raw.FPDFDest_GetDestPageIndex(document.raw, dest) + 1}" if dest else "#?"
                    has = [ctypes.c_int() for _ in range(3)]
                    where = [raw.FS_FLOAT() for _ in range(3)]
                    raw.FPDFDest_GetLocationInPage(dest, *map(ctypes.byref, has), *map(ctypes.byref, where))
                    y = where[1].value if has[1].value else None
                links.append({"link": target, "y": y, "rect": [rect.left, rect.bottom, rect.right, rect.top]})
            text = raw.FPDFText_CountChars(textpage)
            pages.append(EnginePage(tree, links, page.get_textpage().get_text_range(0, text) if text else ""))
            raw.FPDFText_ClosePage(textpage)
        return EngineReading("PDFium", lang, pages)
    finally:
        document.close()


def tree_elements(nodes: list[dict]):
    """Every element of a tree (or trees), depth first in reading order."""
    for node in nodes:
        if "role" in node:
            yield node
            yield from tree_elements(node["kids"])


def tree_text(node: dict) -> str:
    """The text an element holds, in reading order (its marked content and its elements')."""
    if "text" in node:
        return node["text"]
    # Apart: a screen reader reads one element's words after another's, never run together.
    return " ".join(tree_text(kid) for kid in node.get("kids", []) if "text" in kid or "role" in kid)
