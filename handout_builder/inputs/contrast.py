"""Colour contrast, as WCAG 2 measures it: text must stand out from what it is printed on.

Contrast is measured on relative luminance, the lightness that survives greyscale printing and
photocopying, so a layout that passes still reads on the clinic's black-and-white printer.
"""
from __future__ import annotations

from typing import Iterator

from ..model import Colours

MINIMUM = 4.5  # WCAG 2 AA for body text
PAGE = "#ffffff"  # leaflets are printed on, and viewed as, white paper

TEXT_COLOURS = ("text", "accent", "muted", "link")
# Where text sits on a tint: key points and contact boxes, callouts, table header cells.
BACKGROUNDS = ("key_points_background", "callout_background", "table_header_background")


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb", from 0 (black) to 1 (white)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast(colours: Colours, tinted_boxes: bool) -> Iterator[tuple[str, str | None, float]]:
    """(text colour field, background field or None for the page, ratio) for every pair under
    the minimum. Tints count only when the layout shades its boxes."""
    backgrounds = [None, *BACKGROUNDS] if tinted_boxes else [None]
    for text in TEXT_COLOURS:
        for background in backgrounds:
            ratio = contrast_ratio(getattr(colours, text), getattr(colours, background) if background else PAGE)
            if ratio < MINIMUM:
                yield text, background, ratio
