"""Right-to-left lines (Arabic, Urdu, Hebrew): the Unicode bidirectional algorithm for ReportLab.

ReportLab lays out right-to-left paragraphs (style wordWrap "RTL") when it can import `rlbidi`,
its own bidi module, which is not on PyPI. python-bidi (PyPI) implements the same algorithm
(UAX #9); `install()` offers ReportLab an `rlbidi` whose `log2vis` is python-bidi's, with the
visual-to-logical positions ReportLab asks for. It must run before ReportLab's text module is
imported, so the package runs it on import; it costs nothing until a right-to-left line is laid
out. A real rlbidi, when installed, is left alone.
"""
from __future__ import annotations

import importlib.util
import sys
import types


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


def install() -> None:
    """Offer ReportLab an `rlbidi` made of python-bidi, unless a real one is installed."""
    if "rlbidi" in sys.modules or importlib.util.find_spec("rlbidi") is not None:
        return
    module = types.ModuleType("rlbidi", "python-bidi's Unicode bidirectional algorithm, as ReportLab asks for it")
    module.log2vis = log2vis
    sys.modules["rlbidi"] = module
