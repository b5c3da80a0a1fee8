"""Stage 2 for looks: layouts/<name>.yaml -> a validated, frozen Layout.

Everything that decides how a leaflet looks lives in the layout file, so a new clinic or page
size needs a new YAML file and no code.
"""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from .errors import ProblemList
from .fields import Fields, describe
from .model import Clinic, Colours, FontFamily, Layout, Spacing, TypeSizes
from .project import Project
from .source import read_yaml

MM = 72 / 25.4
UNITS = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0}
PAGE_SIZES = {  # portrait, points
    "A4": (595.2756, 841.8898),
    "A5": (419.5276, 595.2756),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*\Z")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")

LAYOUT_FIELDS = ("page", "clinic", "fonts", "sizes", "colours", "spacing", "date_format", "review_overdue_notice",
                 "alignment", "reading_grade")
PAGE_FIELDS = ("size", "margin_top", "margin_bottom", "margin_left", "margin_right")
FONT_FIELDS = ("name", "regular", "bold", "italic", "bold_italic")
SIZE_FIELDS = tuple(TypeSizes.__dataclass_fields__)
COLOUR_FIELDS = tuple(Colours.__dataclass_fields__)
SPACING_FIELDS = tuple(Spacing.__dataclass_fields__)
CLINIC_FIELDS = tuple(Clinic.__dataclass_fields__)
DATE_PARTS = ("{day}", "{month_name}", "{year}")


def load_layout(project: Project, name: str) -> Layout:
    """Read and validate layouts/<name>.yaml, checking that its font files exist."""
    path = project.layout_file(name)
    display = project.display(path)
    tree = read_yaml(path, display)
    problems = ProblemList(display)
    lines: dict[str, int] = {}
    top = Fields(tree, "", problems, LAYOUT_FIELDS, lines)

    width = height = None
    margins = {}
    page = top.mapping("page", PAGE_FIELDS, required=True)
    if page:
        width, height = _page_size(page)
        for side in PAGE_FIELDS[1:]:
            margins[side] = _length(page, side)

    clinic = None
    details = top.mapping("clinic", CLINIC_FIELDS, required=True)
    if details:
        clinic = Clinic(**{f: details.text(f, required=(f == "organisation")) for f in CLINIC_FIELDS})

    body_font, fallbacks = None, []
    fonts = top.mapping("fonts", ("body", "fallbacks"), required=True)
    if fonts:
        body = fonts.mapping("body", FONT_FIELDS, required=True)
        body_font = _font_family(body, project) if body else None
        for path_, node in fonts.mappings("fallbacks"):
            family = _font_family(Fields(node, path_, problems, FONT_FIELDS), project)
            if family:
                fallbacks.append(family)

    sizes = _numbers(top, "sizes", SIZE_FIELDS, TypeSizes, low=4, high=96)
    spacing = _numbers(top, "spacing", SPACING_FIELDS, Spacing, low=0, high=144)
    colours = None
    colour_fields = top.mapping("colours", COLOUR_FIELDS, required=True)
    if colour_fields:
        values = {}
        for name_ in COLOUR_FIELDS:
            value = colour_fields.text(name_, required=True)
            if value and not COLOUR.match(value):
                colour_fields.fail(name_, f"'{value}' is not a colour; write #rrggbb, e.g. #1f4e79")
            values[name_] = value
        colours = Colours(**values)

    date_format = top.text("date_format", default="{day} {month_name} {year}")
    if date_format and not all(part in date_format for part in DATE_PARTS):
        top.fail("date_format", "must contain {day}, {month_name} and {year}")
    review_overdue_notice = top.boolean("review_overdue_notice")

    alignment = top.choice("alignment", ("left", "justify"), default="left")
    reading_grade = top.number("reading_grade", low=1, high=20)
    if sizes and sizes.leading < sizes.body:
        top.problems.add(top.lines.get("sizes.leading"), "sizes.leading",
                         f"{sizes.leading:g} is less than the body size {sizes.body:g}; lines would overlap")
    problems.raise_if_any()
    usable_width = width - margins["margin_left"] - margins["margin_right"]
    if usable_width < 144 or height - margins["margin_top"] - margins["margin_bottom"] < 144:
        problems.add(top.line("page"), "page", "margins leave less than 2 inches for the text")
        problems.raise_if_any()
    return Layout(name=name, file=display, page_width=width, page_height=height, clinic=clinic,
                  body_font=body_font, fallback_fonts=tuple(fallbacks), sizes=sizes, colours=colours,
                  spacing=spacing, date_format=date_format, review_overdue_notice=review_overdue_notice,
                  alignment=alignment, reading_grade=reading_grade, lines=MappingProxyType(lines), **margins)


def _page_size(page: Fields) -> tuple[float | None, float | None]:
    child = page.node.value.get("size")
    if child is None:
        page.fail("size", "missing")
        return None, None
    if isinstance(child.value, str):
        name = child.value.strip()
        for known, size in PAGE_SIZES.items():
            if known.lower() == name.lower():
                return size
        page.fail("size", f"'{name}' is not a page size; use {', '.join(PAGE_SIZES)} or [width, height]")
        return None, None
    if child.is_sequence and len(child.value) == 2:
        dims = [_parse_length(item.value) for item in child.value]
        if all(d and d >= 144 for d in dims):
            return dims[0], dims[1]
    page.fail("size", f"must be a page size name or [width, height] of at least 2in each, not {describe(child.value)}")
    return None, None


def _parse_length(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        match = LENGTH.match(value)
        if match:
            return float(match.group(1)) * UNITS[match.group(2) or "pt"]
    return None


def _length(fields: Fields, name: str) -> float | None:
    child = fields.node.value.get(name)
    if child is None:
        fields.fail(name, "missing")
        return None
    length = _parse_length(child.value)
    if length is None or length > 300:
        fields.fail(name, f"'{child.value}' is not a length such as 20mm, 0.8in or 56 (points)")
        return None
    return length


def _font_family(fields: Fields, project: Project) -> FontFamily | None:
    name = fields.text("name", required=True)
    files = {}
    for style in FONT_FIELDS[1:]:
        file_name = fields.text(style, required=(style == "regular"))
        if file_name is None:
            continue
        path = project.fonts_dir / file_name
        if Path(file_name).name != file_name or path.suffix.lower() not in (".ttf", ".otf"):
            fields.fail(style, f"'{file_name}' must be the name of a .ttf file in fonts/")
        elif not path.is_file():
            fields.fail(style, f"font file fonts/{file_name} does not exist")
        else:
            files[style] = path
    if name and not re.match(r"[A-Za-z][A-Za-z0-9\-]*\Z", name):
        fields.fail("name", f"'{name}' must be letters, digits and - only")
        return None
    if not name or "regular" not in files:
        return None
    regular = files["regular"]
    bold = files.get("bold", regular)
    italic = files.get("italic", regular)
    return FontFamily(name=name, regular=regular, bold=bold, italic=italic,
                      bold_italic=files.get("bold_italic", bold if "bold" in files else italic))


def _numbers(top: Fields, group: str, names, cls, low: float, high: float):
    fields = top.mapping(group, names, required=True)
    if not fields:
        return None
    values = {name: fields.number(name, required=True, low=low, high=high) for name in names}
    return cls(**values) if all(v is not None for v in values.values()) else None
