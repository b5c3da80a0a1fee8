"""Picture tests: every shipped leaflet in every layout, drawn as small grey page pictures and
compared with the reference pictures kept in tests/pictures/ (as Typst's own test suite does).

    python tests/pictures.py            # compare, as the tests do; differences to build/picture-diffs/
    python tests/pictures.py --update   # after looking at the pages: make the current pages the references

A page is drawn at 50 dpi in grey by PDFium (pypdfium2) with the fonts bundled in fonts/, so the
pictures are the same on any machine with the same pypdfium2. Two pictures match when every
pixel of each lies within the grey range of the 3x3 pixels around it in the other, give or take
a few grey levels: anti-aliasing that shifts by a fraction of a pixel passes, a moved line, word
or rule does not. A page that differs is written, reference | now | the differences in red, to
build/picture-diffs/<leaflet>-<layout>/page-N.png.

Leaflets are built as `build --all-layouts` builds them, on a fixed day (no review-overdue notice
comes and goes with the calendar); a booklet's pages are compared in reading order (its screen
copy), the imposition has tests of its own.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

REFERENCES = REPO / "tests" / "pictures"
DIFFERENCES = REPO / "build" / "picture-diffs"
DPI = 50
TODAY = dt.date(2026, 11, 30)  # the day the leaflets are built on, for the pictures
GREY_LEVELS = 24  # of 255: what a pixel may differ beyond its neighbours' range (anti-aliasing)
STRAY_PIXELS = 6  # pixels a page may have beyond that before it counts as changed


def cases() -> list[tuple[str, str]]:
    """(handout file stem, layout name) of every shipped leaflet in every shipped layout."""
    from handout_builder.inputs.project import Project

    layouts = Project(REPO).layout_names()
    return [(path.stem, layout) for path in sorted((REPO / "handouts").glob("*.yaml")) for layout in layouts]


def case_name(stem: str, layout: str) -> str:
    return f"{stem}-{layout}"


def pdf_of(stem: str, layout: str) -> bytes:
    """The leaflet's PDF in the layout, pages in reading order, as `build` lays it out."""
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import Project

    rendered = Pipeline(Project(REPO), today=TODAY).rendered(REPO / "handouts" / f"{stem}.yaml", layout)
    return rendered.screen if rendered.screen is not None else rendered.data


def pictures_of(pdf: bytes) -> list:
    """Each page of a PDF as a grey PIL picture at DPI."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def stored(picture):
    """A page picture as the references keep it: 16 greys (anti-aliased text reads the same),
    a 4-bit PNG."""
    return picture.quantize(16)


def references_of(stem: str, layout: str) -> list[Path]:
    folder = REFERENCES / case_name(stem, layout)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))


def unlike(ours, theirs) -> tuple[int, object]:
    """How many pixels of `ours` lie outside the grey range of their 3x3 neighbourhood in
    `theirs` (by more than GREY_LEVELS), and a picture of them (white where alike)."""
    from PIL import ImageChops, ImageFilter

    darkest = theirs.filter(ImageFilter.MinFilter(3))
    lightest = theirs.filter(ImageFilter.MaxFilter(3))
    below = ImageChops.subtract(darkest, ours)  # how far darker than the darkest neighbour
    above = ImageChops.subtract(ours, lightest)
    off = ImageChops.lighter(below, above).point(lambda v: 255 if v > GREY_LEVELS else 0)
    return off.histogram()[255], off


def page_differences(new, reference) -> tuple[int, object]:
    """Pixels that differ either way between two page pictures, and the picture of them."""
    from PIL import ImageChops

    if new.size != reference.size:
        return new.size[0] * new.size[1], None
    ours, off_ours = unlike(new, reference)
    theirs, off_theirs = unlike(reference, new)
    return max(ours, theirs), ImageChops.lighter(off_ours, off_theirs)


def side_by_side(reference, new, off):
    """reference | now | the differences in red over the reference, one picture."""
    from PIL import Image

    width, height = max(reference.width, new.width), max(reference.height, new.height)
    out = Image.new("RGB", (width * 3 + 20, height), "white")
    out.paste(reference.convert("RGB"), (0, 0))
    out.paste(new.convert("RGB"), (width + 10, 0))
    faded = reference.convert("RGB").point(lambda v: 160 + v * 95 // 255)
    if off is not None:
        faded.paste((220, 0, 0), (0, 0), off)
    out.paste(faded, (2 * width + 20, 0))
    return out


def compare(stem: str, layout: str, pictures: list | None = None) -> list[str]:
    """What changed in a leaflet's pages (default: as built now) against its references (empty:
    nothing); each changed page's side-by-side picture is written to DIFFERENCES/<leaflet>-<layout>/."""
    from PIL import Image

    name = case_name(stem, layout)
    pictures = pictures if pictures is not None else pictures_of(pdf_of(stem, layout))
    references = references_of(stem, layout)
    out = DIFFERENCES / name
    shutil.rmtree(out, ignore_errors=True)
    if not references:
        return [f"{name}: no reference pictures in {REFERENCES.relative_to(REPO) / name}; look at the pages, "
                "then run: python tests/pictures.py --update"]
    changed = []
    if len(pictures) != len(references):
        changed.append(f"{name}: {len(pictures)} pages, the references have {len(references)}")
    for number, (new, path) in enumerate(zip(pictures, references), start=1):
        with Image.open(path) as opened:
            reference = opened.convert("L")
        count, off = page_differences(stored(new).convert("L"), reference)
        if count > STRAY_PIXELS:
            out.mkdir(parents=True, exist_ok=True)
            side_by_side(reference, new, off).save(out / f"page-{number}.png")
            changed.append(f"{name} page {number}: {count} pixels changed; see "
                           f"{(out / f'page-{number}.png').relative_to(REPO)} (reference | now | differences)")
    return changed


def save(stem: str, layout: str) -> int:
    """Make the leaflet's current pages its references; returns the number of pages."""
    folder = REFERENCES / case_name(stem, layout)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pictures = pictures_of(pdf_of(stem, layout))
    for number, picture in enumerate(pictures, start=1):
        buffer = io.BytesIO()
        stored(picture).save(buffer, "PNG", optimize=True)
        (folder / f"page-{number}.png").write_bytes(buffer.getvalue())
    return len(pictures)


def _save(case: tuple[str, str]) -> tuple[str, int]:
    return case_name(*case), save(*case)


def _compare(case: tuple[str, str]) -> list[str]:
    return compare(*case)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="make the current pages the references")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: one a core)")
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs) as pool:
        if args.update:
            kept = {path.name for path in REFERENCES.glob("*") if path.is_dir()}
            for name, pages in pool.map(_save, cases()):
                kept.discard(name)
                print(f"{name}: {pages} pages")
            for gone in kept:  # a leaflet or layout no longer shipped
                shutil.rmtree(REFERENCES / gone)
            return
        changed = [line for lines in pool.map(_compare, cases()) for line in lines]
    print("\n".join(changed) or "every page matches its reference")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
