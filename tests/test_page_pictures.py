"""Every shipped leaflet in every layout looks as its reference pictures show (tests/pictures.py
draws and compares them; `python tests/pictures.py --update` makes new references once someone
has looked at the pages)."""
from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

import pictures

CASES = pictures.cases()


@pytest.mark.parametrize("stem,layout", CASES, ids=[pictures.case_name(*case) for case in CASES])
def test_the_pages_look_as_their_references_show(stem, layout):
    changed = pictures.compare(stem, layout)
    assert not changed, "pages changed (python tests/pictures.py --update makes them the references, once " \
                        "someone has looked):\n" + "\n".join(changed)


def test_every_shipped_leaflet_and_layout_has_references():
    kept = {path.name for path in pictures.REFERENCES.iterdir() if path.is_dir()}
    assert kept == {pictures.case_name(*case) for case in CASES}


def _page(text_at: int):
    picture = Image.new("L", (200, 280), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(20, 260, 14):
        draw.line((20, y + (text_at if y == 90 else 0), 180, y + (text_at if y == 90 else 0)), fill=40, width=2)
    return picture


def test_a_moved_line_is_a_change_and_anti_aliasing_noise_is_not():
    reference = _page(0)
    assert pictures.page_differences(_page(0), reference)[0] == 0
    # Anti-aliasing: every grey a little lighter or darker, and half a pixel's blur.
    noisy = reference.point(lambda v: min(255, max(0, v + (10 if v > 128 else -10))))
    assert pictures.page_differences(noisy, reference)[0] <= pictures.STRAY_PIXELS
    moved = _page(6)  # one line 6 pixels lower: about 9 points at 50 dpi
    count, off = pictures.page_differences(moved, reference)
    assert count > pictures.STRAY_PIXELS
    assert off.getbbox()[1] >= 85  # the differences are where the line was and is


def test_a_changed_page_is_written_side_by_side_to_the_folder_the_failure_names(tmp_path, monkeypatch):
    stem, layout = CASES[0]
    monkeypatch.setattr(pictures, "DIFFERENCES", pictures.REPO / "build" / "picture-diffs-test")
    first = pictures.references_of(stem, layout)[0]
    with Image.open(first) as opened:
        reference = opened.convert("L")
    shifted = Image.new("L", reference.size, 255)
    shifted.paste(reference.crop((0, 0, reference.width, reference.height - 8)), (0, 8))  # everything 8 px down
    changed = pictures.compare(stem, layout, [shifted, *map(_reference, pictures.references_of(stem, layout)[1:])])
    assert len(changed) == 1 and "page 1:" in changed[0]
    written = pictures.DIFFERENCES / pictures.case_name(stem, layout) / "page-1.png"
    assert str(written.relative_to(pictures.REPO)) in changed[0]
    with Image.open(written) as picture:
        assert picture.width > 3 * reference.width  # reference | now | differences


def _reference(path):
    with Image.open(path) as opened:
        return opened.convert("L")
