"""Stage 2 for looks: layouts/<name>.yaml -> a validated, frozen Layout.

Everything that decides how a leaflet looks lives in the layout file, so a new clinic or page
size needs a new YAML file and no code.
"""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from .contrast import MINIMUM, low_contrast
from .fields import Fields, describe
from .inheritance import LayoutProblems, read_layout_tree
from .logo import logo_kind, logo_problem
from ..model import LANGUAGE_TAG, Clinic, Colours, FontFamily, Layout, Logo, Spacing, TypeSizes
from .language import LONG
from .project import OutsideProject, Project
from .source import Node
from ..world import World

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
                 "alignment", "reading_grade", "emphasis", "boxes", "tables", "logo", "qr_code", "viewer",
                 "hyphenation", "accessibility", "library")
PAGE_FIELDS = ("size", "margin_top", "margin_bottom", "margin_left", "margin_right", "booklet")
FONT_FIELDS = ("name", "regular", "bold", "italic", "bold_italic")
SIZE_FIELDS = tuple(TypeSizes.__dataclass_fields__)
COLOUR_FIELDS = tuple(Colours.__dataclass_fields__)
SPACING_FIELDS = tuple(Spacing.__dataclass_fields__)
CLINIC_FIELDS = tuple(Clinic.__dataclass_fields__)
DATE_PARTS = ("{day}", "{month_name}", "{year}")


def load_layout(project: Project, name: str, world: World) -> Layout:
    """Read (through the world) and validate layouts/<name>.yaml (over the layouts it extends),
    checking that its font and logo files exist and that its text colours contrast with their
    backgrounds."""
    layout_tree = read_layout_tree(project, name, world)
    display = layout_tree.files[0]
    problems = LayoutProblems(layout_tree)
    lines: dict[str, int] = {}
    top = Fields(layout_tree.tree, "", problems, LAYOUT_FIELDS, lines)

    width = height = None
    margins = {}
    page = top.mapping("page", PAGE_FIELDS, required=True)
    if page:
        width, height = _page_size(page)
        for side in PAGE_FIELDS[1:5]:
            margins[side] = _length(page, side)

    clinic = None
    details = top.mapping("clinic", CLINIC_FIELDS, required=True)
    if details:
        clinic = Clinic(**{f: details.text(f, required=(f == "organisation")) for f in CLINIC_FIELDS})

    body_font, fallbacks, language_fonts = None, [], ()
    fonts = top.mapping("fonts", ("body", "fallbacks", "languages"), required=True)
    if fonts:
        body = fonts.mapping("body", FONT_FIELDS, required=True)
        body_font = _font_family(body, project, world) if body else None
        for path_, node in fonts.mappings("fallbacks"):
            family = _font_family(Fields(node, path_, problems, FONT_FIELDS), project, world)
            if family:
                fallbacks.append(family)
        language_fonts = _language_fonts(fonts, project, world)

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

    date_format, date_formats = _date_formats(top)
    hyphenation = _hyphenation(top)
    review_overdue_notice = top.boolean("review_overdue_notice")

    alignment = top.choice("alignment", ("left", "justify"), default="left")
    reading_grade = top.number("reading_grade", low=1, high=20)
    if sizes and sizes.leading < sizes.body:
        top.problems.add(top.lines.get("sizes.leading"), "sizes.leading",
                         f"{sizes.leading:g} is less than the body size {sizes.body:g}; lines would overlap")
    looks = _looks(top, project, world, page, width, height, margins, sizes)
    if colours and looks.get("boxes") and all(COLOUR.match(v or "") for v in vars(colours).values()):
        _check_contrast(top, colours, looks["boxes"] == "shaded")
    problems.raise_if_any()
    usable_width = width - margins["margin_left"] - margins["margin_right"]
    if usable_width < 144 or height - margins["margin_top"] - margins["margin_bottom"] < 144:
        problems.add(top.line("page"), "page", "margins leave less than 2 inches for the text")
        problems.raise_if_any()
    return Layout(name=name, file=display, page_width=width, page_height=height, clinic=clinic,
                  body_font=body_font, fallback_fonts=tuple(fallbacks), sizes=sizes, colours=colours,
                  spacing=spacing, date_format=date_format, review_overdue_notice=review_overdue_notice,
                  date_formats=date_formats, language_fonts=language_fonts, hyphenation=hyphenation,
                  alignment=alignment, reading_grade=reading_grade, lines=MappingProxyType(lines),
                  origins=MappingProxyType(dict(layout_tree.origins)), **margins, **looks)


def _looks(top: Fields, project: Project, world: World, page: Fields | None, width, height, margins, sizes) -> dict:
    """The optional switches beyond type and colour: emphasis, boxes, tables, logo, QR code,
    booklet imposition and how viewers open the PDF. Missing ones keep the Layout defaults."""
    looks: dict = {
        "emphasis": top.choice("emphasis", ("italic", "bold"), default="italic"),
        "boxes": top.choice("boxes", ("shaded", "ruled"), default="shaded"),
    }
    tables = top.mapping("tables", ("min_column",))
    if tables and "min_column" in tables.node.value:
        looks["table_min_column"] = _length(tables, "min_column")
    qr_code = top.mapping("qr_code", ("size",))
    if qr_code and "size" in qr_code.node.value:
        size = _length(qr_code, "size")
        if size is not None and not 15 * MM <= size <= 80 * MM:
            qr_code.fail("size", "must be between 15mm (smaller will not scan) and 80mm")
        looks["qr_size"] = size
    viewer = top.mapping("viewer", ("show_title", "open_bookmarks"))
    if viewer:
        for name in ("show_title", "open_bookmarks"):
            child = viewer.node.value.get(name)
            if child is not None and not isinstance(child.value, bool):
                viewer.fail(name, f"must be true or false, not {describe(child.value)}")
            elif child is not None:
                looks[name] = child.value
    if page and "booklet" in page.node.value and width:
        sheet = _page_size(page, "booklet")
        if sheet[0]:
            sheet = (max(sheet), min(sheet))  # two pages side by side: the sheet lies landscape
            if sheet[0] + 1 < 2 * width or sheet[1] + 1 < height:
                page.fail("booklet", "two pages side by side do not fit on that sheet; the sheet must be at "
                          "least twice the page's width and as tall as the page")
            looks["booklet_sheet"] = sheet
    logo = top.mapping("logo", ("file", "height", "alt"))
    if logo:
        looks["logo"] = _logo(logo, project, world, margins.get("margin_top"), sizes)
    library = top.mapping("library", ("label", "email_draft"))
    if library:  # how the library page (build/library.py) names this layout's PDFs
        looks["library_label"] = library.text("label")
        looks["email_draft"] = library.boolean("email_draft", default=False)
    accessibility = top.mapping("accessibility", ("tagged",))
    looks["tagged"] = accessibility.boolean("tagged", default=True) if accessibility else True
    if looks["tagged"] and looks.get("show_title") is False:
        viewer.fail("show_title", "must be true in a tagged PDF (PDF/UA): viewers show the title, not the file name; "
                    "or set accessibility: {tagged: false}")
    return looks


def _logo(fields: Fields, project: Project, world: World, margin_top: float | None,
          sizes: TypeSizes | None) -> Logo | None:
    file_name = fields.text("file", required=True)
    height = _length(fields, "height") if "height" in fields.node.value else 10 * MM
    if not file_name or height is None:
        return None
    if logo_kind(Path(file_name)) is None:
        fields.fail("file", f"'{file_name}' must be a PNG, JPEG or SVG file, e.g. logos/clinic.svg")
        return None
    try:  # a file of the project, named from layouts/: no absolute path, no way out, no URL
        path = project.confined(file_name, beside=project.layouts_dir)
    except OutsideProject as exc:
        fields.fail("file", str(exc))
        return None
    kind = logo_kind(path)
    problem = logo_problem(path, height, world)
    if problem:
        fields.fail("file", f"layouts/{file_name} {problem}")
        return None
    if margin_top and sizes:
        # The logo stands on the header rule, which sits half the top margin down (see pages.py).
        room = margin_top * 0.5 + sizes.furniture * 0.8 - 3 - 5 * MM
        if height > room:
            fields.fail("height", f"{height / MM:.3g}mm does not fit in the top margin; at most {room / MM:.1f}mm "
                        "(or make page.margin_top larger)")
            return None
    alt = fields.text("alt")
    return Logo(path=path, height=height, kind=kind, alt=alt.strip() if alt and alt.strip() else None,
                data=world.read_bytes(path))  # the bytes just checked: the World read them once


def _check_contrast(top: Fields, colours: Colours, tinted: bool) -> None:
    """Every text colour must contrast at least 4.5:1 with whatever it is printed on: one problem
    for each colour to change, listing everything it fails on."""
    problems = top.problems
    blamed: dict[str, list[str]] = {}
    for text, background, ratio in low_contrast(colours, tinted):
        text_field = f"colours.{text}"
        if background is None:
            blamed.setdefault(text_field, []).append(f"the white page ({ratio:.2f}:1)")
            continue
        background_field = f"colours.{background}"
        # Blame the colour changed last: a child layout's new tint can spoil its parent's text colour.
        if problems.newer(background_field, text_field):
            blamed.setdefault(background_field, []).append(f"{text} {getattr(colours, text)} ({ratio:.2f}:1)")
        else:
            blamed.setdefault(text_field, []).append(f"{background} {getattr(colours, background)} ({ratio:.2f}:1)")
    for field, against in blamed.items():
        colour = getattr(colours, field.split(".")[1])
        if field.endswith("background"):
            message = f"{colour} leaves too little contrast for the text on it: {', '.join(against)}"
            advice = "choose a lighter background"
        else:
            message = f"{colour} is too light to read on {', '.join(against)}"
            advice = "choose a darker colour"
        problems.add(top.lines.get(field), field, f"{message}; text needs at least {MINIMUM}:1 (WCAG), so {advice}")


def _page_size(page: Fields, field: str = "size") -> tuple[float | None, float | None]:
    child = page.node.value.get(field)
    if child is None:
        page.fail(field, "missing")
        return None, None
    if isinstance(child.value, str):
        name = child.value.strip()
        for known, size in PAGE_SIZES.items():
            if known.lower() == name.lower():
                return size
        page.fail(field, f"'{name}' is not a page size; use {', '.join(PAGE_SIZES)} or [width, height]")
        return None, None
    if child.is_sequence and len(child.value) == 2:
        dims = [_parse_length(item.value) for item in child.value]
        if all(d and d >= 144 for d in dims):
            return dims[0], dims[1]
    page.fail(field, f"must be a page size name or [width, height] of at least 2in each, not {describe(child.value)}")
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


def _font_family(fields: Fields, project: Project, world: World) -> FontFamily | None:
    name = fields.text("name", required=True)
    files = {}
    for style in FONT_FIELDS[1:]:
        file_name = fields.text(style, required=(style == "regular"))
        if file_name is None:
            continue
        path = project.fonts_dir / file_name
        if Path(file_name).name != file_name or path.suffix.lower() not in (".ttf", ".otf"):
            fields.fail(style, f"'{file_name}' must be the name of a .ttf file in fonts/")
        elif not world.is_file(path):  # an input of every leaflet of the layout, used or not
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


def _by_language(fields: Fields, name: str) -> list[tuple[str, str, "Node"]]:
    """The (language, field path, node) of each entry of a mapping keyed by language tag."""

    child = fields.node.value.get(name)
    if child is None or not child.is_mapping:
        return []
    entries = []
    for language, node in child.value.items():
        path = f"{fields.sub(name)}.{language}"
        if not LANGUAGE_TAG.match(str(language)):
            fields.problems.add(child.key_lines.get(language), path,
                                f"'{language}' is not a language code such as en, es or pt-BR")
            continue
        fields.lines[path] = node.text_line
        entries.append((str(language), path, node))
    return entries


def _date_formats(top: Fields) -> tuple[str, tuple[tuple[str, str], ...]]:
    """date_format: one format for every language, or a mapping from language to format; a
    format is `long` (Babel's long date in the leaflet's language, the default) or a pattern
    with {day}, {month_name} and {year}."""

    def valid(value, where: str, line) -> bool:
        if not isinstance(value, str) or not value.strip():
            top.problems.add(line, where, f"must be long or a pattern such as \"{{day}} {{month_name}} {{year}}\", "
                             f"not {describe(value)}")
            return False
        if value != LONG and not all(part in value for part in DATE_PARTS):
            top.problems.add(line, where, "must be long, or contain {day}, {month_name} and {year}")
            return False
        return True

    child = top.node.value.get("date_format")
    if child is None:
        return LONG, ()
    top.lines["date_format"] = child.text_line
    if not child.is_mapping:
        value = child.value.strip() if isinstance(child.value, str) else child.value
        return (value, ()) if valid(value, "date_format", child.text_line) else (LONG, ())
    formats = []
    for language, path, node in _by_language(top, "date_format"):
        value = node.value.strip() if isinstance(node.value, str) else node.value
        if valid(value, path, node.text_line):
            formats.append((language, value))
    return LONG, tuple(formats)


def _hyphenation(top: Fields) -> tuple[str, ...]:
    """The languages whose words may be split at line ends; each must be one pyphen knows."""
    import pyphen

    languages = top.text_list("hyphenation")
    for index, language in enumerate(languages, start=1):
        if language.replace("-", "_") not in pyphen.LANGUAGES and language.split("-")[0] not in pyphen.LANGUAGES:
            field = f"hyphenation[{index}]"
            top.problems.add(top.lines.get(field), field, f"no hyphenation patterns for '{language}'; the languages "
                             "with patterns include de, es, fr, it, nl, pl and pt")
    return languages


def _language_fonts(fonts: Fields, project: Project, world: World) -> tuple[tuple[str, FontFamily], ...]:
    """fonts.languages: a body font of their own for leaflets in a language (zh: Noto Sans SC)."""
    out = []
    for language, path, node in _by_language(fonts, "languages"):
        if not node.is_mapping:
            fonts.problems.add(node.line, path, f"must be a font (name: and regular: ...), not {describe(node.value)}")
            continue
        family = _font_family(Fields(node, path, fonts.problems, FONT_FIELDS, fonts.lines), project, world)
        if family:
            out.append((language, family))
    return tuple(out)
