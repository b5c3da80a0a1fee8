"""Right-to-left lines (Arabic, Urdu, Hebrew): the Unicode bidirectional algorithm for ReportLab.

ReportLab lays out right-to-left paragraphs (style wordWrap "RTL") when it can import `rlbidi`,
its own bidi module, which is not on PyPI. python-bidi (PyPI) implements the same algorithm
(UAX #9); `log2vis` is python-bidi's, with the visual-to-logical positions ReportLab asks for,
and reportlab_seam.offer_rlbidi offers it to ReportLab as rlbidi's. It costs nothing until a
right-to-left line is laid out.
"""
from __future__ import annotations

from .reportlab_seam import nested


def log2vis(text: str, base_direction: str = "RTL", clean: bool = True, positions_V_to_L: list | None = None,
            **_) -> str:
    """`text` (logical order) as it is seen on a line (visual order, left to right), with
    mirrored brackets in right-to-left runs. `positions_V_to_L`, when given, is filled with the
    logical index of each visual character."""
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    level = 1 if str(base_direction).upper() == "RTL" else 0
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage, upper_is_rtl=False, debug=False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # survives the reordering below
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in storage["chars"]]
    return "".join(char["ch"] for char in storage["chars"])


def first_strong(text: str) -> str | None:
    """'rtl' or 'ltr': the direction of a text's first letter of a strong direction (UAX #9, P2),
    or None when it has none (digits and punctuation only)."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def orient(story: list) -> None:
    """In a right-to-left leaflet, give each paragraph whose text starts in a left-to-right script
    (a reference's English title, a Latin phrase) a left-to-right copy of its style: paragraph
    direction follows the text, as UAX #9 says, not the leaflet."""
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    twins: dict[str, ParagraphStyle] = {}
    seen: set[int] = set()

    def visit(item) -> None:
        if id(item) in seen or item is None:
            return
        seen.add(id(item))
        if isinstance(item, (list, tuple)):
            for part in item:
                visit(part)
            return
        if isinstance(item, Paragraph):
            if item.style.wordWrap == "RTL" and first_strong(item.getPlainText()) == "ltr":
                style = item.style
                if style.name not in twins:
                    twins[style.name] = ParagraphStyle(f"{style.name}-ltr", parent=style, wordWrap=None,
                                                       alignment=TA_LEFT, shaping=0)
                item.style = twins[style.name]
            return
        for held in nested(item):
            visit(held)

    visit(story)
