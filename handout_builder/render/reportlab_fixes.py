"""Corrections to ReportLab behaviour the leaflets depend on, applied once before fonts register.

Each fix names the ReportLab function it replaces and why; tests/test_properties.py and
tests/test_reportlab_fixes.py show each is still needed and still works.
"""
from __future__ import annotations

import re

_applied = False

_BEYOND_BMP = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.M)


def _utf16_pair(match: re.Match) -> str:
    high, low = divmod(int(match.group(2), 16) - 0x10000, 0x400)
    return f"<{match.group(1)}> <{0xD800 + high:04X}{0xDC00 + low:04X}>"


def apply() -> None:
    """Patch ReportLab (idempotent)."""
    global _applied
    if _applied:
        return
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname, subset):
        # ReportLab 5.1 writes a character beyond U+FFFF (😀, 𝐀) as five hex digits, which is not
        # UTF-16: readers cannot extract or search it. Write the UTF-16 surrogate pair instead.
        return _BEYOND_BMP.sub(_utf16_pair, original(fontname, subset))

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
    _applied = True
