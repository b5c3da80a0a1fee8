"""The render stage, last step for a booklet layout: a leaflet's pages -> a saddle-stitched
booklet, imposed two-up with pypdf.

Each sheet of paper carries four pages: two on the front and two on the back, side by side on a
landscape sheet. Printed on both sides (flip on the short edge), stacked in order and folded
down the middle, the sheets read as a booklet. A booklet's page count is a multiple of four;
the pages it lacks are left blank at the end, where a booklet keeps its spare pages, never in
the middle of the text.
"""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ContentStream, DictionaryObject, NameObject, TextStringObject


def booklet_pages(pages: int) -> int:
    """The booklet's page count: pages rounded up to a multiple of four."""
    return -(-pages // 4) * 4


def booklet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """Each sheet side in printing order as (left page, right page), numbered from 1; None is
    a blank page. Sheet 1's front holds the last and first pages, its back the second and the
    second-to-last, and so on inwards to the middle pages on the last sheet's back."""
    total = booklet_pages(pages)
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 1 + 2 * sheet))  # front
        sides.append((2 + 2 * sheet, total - 1 - 2 * sheet))  # back
    return [(left if left <= pages else None, right if right <= pages else None) for left, right in sides]


def impose_booklet(pdf: bytes, sheet: tuple[float, float], title: str = "{title} (booklet for printing)") -> bytes:
    """The pages of pdf imposed two-up on landscape sheets of size `sheet` (width, height),
    meeting at the fold in the middle, in booklet order. `title` makes the sheets' title from the
    leaflet's, in the leaflet's language."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width, height = sheet
    for left, right in booklet_order(len(reader.pages)):
        side = writer.add_blank_page(width, height)
        for number, on_left in ((left, True), (right, False)):
            if number is None:
                continue
            page = reader.pages[number - 1]
            page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
            x = width / 2 - page_width if on_left else width / 2
            side.merge_transformed_page(page, Transformation().translate(x, (height - page_height) / 2))
        if "/Annots" in side:  # links cannot be clicked on paper, and would point at the A5 pages
            del side["/Annots"]
        unmark(side, writer)
        side.compress_content_streams()
    info = reader.metadata or {}
    writer.add_metadata({key: value for key, value in info.items() if key != "/Title"})
    if info.get("/Title"):
        writer.add_metadata({"/Title": title.format(title=info["/Title"])})
    language = reader.root_object.get("/Lang")
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def unmark(side, writer: PdfWriter) -> None:
    """The sheets are not tagged (the -screen copy is the one to read): the pages' marked content
    keeps its role but loses its id (BDC with an MCID becomes BMC), so no id points at a
    structure tree the sheets do not have; its ActualText stays (a shaped line's text in logical
    order, which Poppler reads). Artifacts stay as they are."""
    content = ContentStream(side.get_contents(), writer)
    for index, (operands, operator) in enumerate(content.operations):
        if operator == b"BDC" and isinstance(operands[1], DictionaryObject) and "/MCID" in operands[1]:
            kept = DictionaryObject({key: value for key, value in operands[1].items() if key != "/MCID"})
            content.operations[index] = ([operands[0], kept], b"BDC") if kept else ([operands[0]], b"BMC")
    side.replace_contents(content)
