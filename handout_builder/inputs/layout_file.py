"""The inputs stage, for looks: layouts/<name>.yaml -> a validated, frozen Layout.

Everything that decides how a leaflet looks lives in the layout file, so a new clinic or page
size needs a new YAML file and no code. What a layout file holds is declared once, on the model
(model.py: Layout, and the models of its mappings: Clinic, FontFamily, TypeSizes, Colours,
Spacing, Logo); inputs/declared.py reads it as it reads a handout. This module holds what is a
layout's own: the readers of its types (page sizes, font files, a font or date format for each
language) and the rules beyond a field's type, each registered against its field with `@rule`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .contrast import MINIMUM, low_contrast
from .declared import Reading, build, known_keys, read_model, reader, rule
from .fields import Fields, describe, parse_length, quoted
from .inheritance import LayoutProblems, LayoutTree, read_layout_tree
from .logo import logo_kind, logo_problem
from ..model import LANGUAGE_TAG, LONG, MM, Colours, FontFamily, Layout, Logo, Named, Spacing, Spec, TypeSizes
from .project import OutsideProject, Project
from .source import Node
from ..world import World

PAGE_SIZES = {  # portrait, points
    "A4": (595.2756, 841.8898),
    "A5": (419.5276, 595.2756),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
DATE_PARTS = ("{day}", "{month_name}", "{year}")
FONT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9\-]*\Z")


@dataclass(frozen=True)
class LayoutFiles:
    """What a layout's readers and rules read files through (Reading.context)."""

    project: Project
    world: World


def load_layout(project: Project, name: str, world: World) -> Layout:
    """Read (through the world) and validate layouts/<name>.yaml (over the layouts it extends),
    checking that its font and logo files exist and that its text colours contrast with their
    backgrounds."""
    return layout_from_tree(read_layout_tree(project, name, world), name, project, world)


def layout_from_tree(layout_tree: LayoutTree, name: str, project: Project, world: World,
                     model: type = Layout) -> Layout:
    """Validate a layout's merged tree into a Layout (or into `model`, a Layout with more fields);
    raise HandoutError listing every problem, each in the file its field was written in."""
    problems = LayoutProblems(layout_tree)
    lines: dict[str, int] = {}
    top = Fields(layout_tree.tree, "", problems, known_keys(model), lines)
    values = read_model(model, top, LayoutFiles(project, world))
    problems.raise_if_any()
    return model(name=name, file=layout_tree.files[0], lines=MappingProxyType(lines),
                 origins=MappingProxyType(dict(layout_tree.origins)), **values)


# -- the readers of a layout's types ----------------------------------------------------------------

@reader("page_size")
def _page_size(at: Reading, spec: Spec, default):
    """A page size by name (A4, A5, Letter, Legal) or as [width, height], each at least 2in."""
    page, field = at.fields, at.name
    child = page.node.value.get(field)
    if child is None:
        if spec.required:
            page.fail(field, "missing")
        return default
    if isinstance(child.value, str):
        name = child.value.strip()
        for known, size in PAGE_SIZES.items():
            if known.lower() == name.lower():
                return size
        page.fail(field, f"'{name}' is not a page size; use {', '.join(PAGE_SIZES)} or [width, height]")
        return None
    if child.is_sequence and len(child.value) == 2:
        dims = [parse_length(item.value) for item in child.value]
        if all(d and d >= 144 for d in dims):
            return dims[0], dims[1]
    page.fail(field, f"must be a page size name or [width, height] of at least 2in each, not {describe(child.value)}")
    return None


@reader("font_file")
def _font_file(at: Reading, spec: Spec, default):
    """The name of a .ttf (or .otf) file in fonts/, which must exist: the file's path."""
    file_name = at.fields.text(at.name, required=spec.required)
    if file_name is None:
        return default
    path = at.context.project.fonts_dir / file_name
    if Path(file_name).name != file_name or path.suffix.lower() not in (".ttf", ".otf"):
        at.fail(f"'{file_name}' must be the name of a .ttf file in fonts/")
    elif not at.context.world.is_file(path):  # an input of every leaflet of the layout, used or not
        at.fail(f"font file fonts/{file_name} does not exist")
    elif path.suffix.lower() == ".otf" and _postscript_outlines(at.context.world.read_bytes(path)):
        # Neither ReportLab nor our subsetter (render/subsetting.py) embeds CFF outlines. Only a
        # .otf is opened here: a .ttf holds TrueType outlines, and reading every font a layout
        # names would slow `check`.
        at.fail(f"fonts/{file_name} has PostScript (CFF) outlines, which the builder cannot embed; "
                "use the TrueType (.ttf) version of the font")
    else:
        return path
    return default


def _postscript_outlines(data: bytes) -> bool:
    """Whether a font file is OpenType with PostScript (CFF) outlines rather than TrueType ones."""
    return data[:4] == b"OTTO"


@reader("language_fonts")
def _language_fonts(at: Reading, spec: Spec, default):
    """fonts.languages: a body font of their own for leaflets in a language (zh: Noto Sans SC)."""
    fonts = at.fields
    out = []
    for language, path, node in _by_language(fonts, at.name):
        if not node.is_mapping:
            fonts.problems.add(node.line, path, f"must be a font (name: and regular: ...), not {describe(node.value)}")
            continue
        family_fields = Fields(node, path, fonts.problems, known_keys(spec.item), fonts.lines)
        values = read_model(spec.item, family_fields, at.context, outer=at.values)
        if values is not None:
            out.append((language, build(spec.item, values, path)))
    return tuple(out)


@reader("named")
def _named(at: Reading, spec: Spec, default):
    """A clinic's name: one text for every language, or a mapping of language tag to text, the
    first entry the default (printed by a leaflet in a language the mapping does not name)."""
    child = at.fields.node.value.get(at.name)
    if child is None or not child.is_mapping:
        value = at.fields.text(at.name, required=spec.required, default=default)
        return Named(value) if value is not None else None
    at.fields.lines[at.fields.sub(at.name)] = child.text_line
    translations = {}
    for language, path, node in _by_language(at.fields, at.name):
        if not isinstance(node.value, str) or not node.value.strip():
            at.fields.problems.add(node.line, path, f"must be text, not {describe(node.value)}")
            continue
        translations[language] = node.value.strip()
    if not translations:
        at.fail("is empty: give the text, or a mapping of language to text such as en: ... and es: ...")
        return default
    return Named(next(iter(translations.values())), translations)


@reader("date_format")
def _date_format(at: Reading, spec: Spec, default):
    """date_format written as one format for every language: `long` (Babel's long date in the
    leaflet's language) or a pattern with {day}, {month_name} and {year}. Written as a mapping,
    it is date_formats' (below), and this is `long`."""
    top = at.fields
    child = top.node.value.get(at.name)
    if child is None:
        return default
    top.lines[top.sub(at.name)] = child.text_line
    if child.is_mapping:
        return default
    value = child.value.strip() if isinstance(child.value, str) else child.value
    return value if _date_pattern(top, value, top.sub(at.name), child.text_line) else default


@reader("date_formats")
def _date_formats(at: Reading, spec: Spec, default):
    """date_format written as a mapping: a format for the leaflets in each language."""
    top = at.fields
    child = top.node.value.get(at.name)
    if child is None or not child.is_mapping:
        return default
    top.lines[top.sub(at.name)] = child.text_line
    formats = []
    for language, path, node in _by_language(top, at.name):
        value = node.value.strip() if isinstance(node.value, str) else node.value
        if _date_pattern(top, value, path, node.text_line):
            formats.append((language, value))
    return tuple(formats)


def _date_pattern(fields: Fields, value, where: str, line: int) -> bool:
    """Whether a date format is `long` or a pattern with every part (a problem if not)."""
    if not isinstance(value, str) or not value.strip():
        fields.problems.add(line, where, f"must be long or a pattern such as \"{{day}} {{month_name}} {{year}}\", "
                            f"not {describe(value)}")
        return False
    if value != LONG and not all(part in value for part in DATE_PARTS):
        fields.problems.add(line, where, "must be long, or contain {day}, {month_name} and {year}")
        return False
    return True


def _by_language(fields: Fields, name: str) -> list[tuple[str, str, Node]]:
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


# -- the rules beyond the types ----------------------------------------------------------------------

@rule(FontFamily)
def _font_family(at: Reading, values: dict) -> dict | None:
    name = values["name"]
    if name and not FONT_NAME.match(name):
        at.fail(f"'{name}' must be letters, digits and - only", "name")
        return None
    if not name or values["regular"] is None:
        return None
    regular, bold, italic = values["regular"], values["bold"], values["italic"]
    return {**values, "bold": bold or regular, "italic": italic or regular,
            "bold_italic": values["bold_italic"] or bold or italic or regular}


@rule(TypeSizes)
def _type_sizes(at: Reading, values: dict) -> dict | None:
    if any(value is None for value in values.values()):
        return None
    if values["leading"] < values["body"]:
        at.fail(f"{values['leading']:g} is less than the body size {values['body']:g}; lines would overlap", "leading")
    return values


@rule(Spacing)
def _spacing(at: Reading, values: dict) -> dict | None:
    optional = ("blocks",)  # the space around lists, tables and boxes: the paragraph space when not written
    return None if any(value is None for name, value in values.items() if name not in optional) else values


@rule(Layout, "hyphenation")
def _hyphenation(at: Reading, languages):
    """Each language must be one pyphen has patterns for."""
    if not languages:  # most layouts hyphenate nothing: pyphen is not loaded to check nothing
        return languages
    import pyphen

    for index, language in enumerate(languages, start=1):
        if language.replace("-", "_") not in pyphen.LANGUAGES and language.split("-")[0] not in pyphen.LANGUAGES:
            field = f"hyphenation[{index}]"
            at.fields.problems.add(at.fields.lines.get(field), field, f"no hyphenation patterns for '{language}'; "
                                   "the languages with patterns include de, es, fr, it, nl, pl and pt")
    return languages


@rule(Layout, "qr_size")
def _qr_size(at: Reading, size):
    if size is not None and not 15 * MM <= size <= 80 * MM:
        at.fail("must be between 15mm (smaller will not scan) and 80mm")
    return size


@rule(Layout, "booklet_sheet")
def _booklet_sheet(at: Reading, sheet):
    """Two pages side by side: the sheet lies landscape and must hold them."""
    if sheet is None:
        return None
    width, height = at.values["page_size"]
    sheet = (max(sheet), min(sheet))
    if sheet[0] + 1 < 2 * width or sheet[1] + 1 < height:
        at.fail("two pages side by side do not fit on that sheet; the sheet must be at least twice the page's width "
                "and as tall as the page")
    return sheet


@rule(Logo, "height")
def _logo_file(at: Reading, height):
    """The logo's file, checked once its height is read too (a file is checked only for a logo
    that could be drawn), and then the height against the top margin. None when either fails."""
    file_name = at.values["path"]
    if not file_name or height is None:
        return None
    if logo_kind(Path(file_name)) is None:
        at.fail(f"'{file_name}' must be a PNG, JPEG or SVG file, e.g. logos/clinic.svg", "file")
        return None
    project, world = at.context.project, at.context.world
    try:  # a file of the project, named from layouts/: no absolute path, no way out, no URL
        path = project.confined(file_name, beside=project.layouts_dir)
    except OutsideProject as exc:
        at.fail(str(exc), "file")
        return None
    problem = logo_problem(path, height, world)
    if problem:
        at.fail(f"layouts/{file_name} {problem}", "file")
        return None
    margin_top, sizes = at.outer.get("margin_top"), at.outer.get("sizes")
    if margin_top and sizes:
        # The logo stands on the header rule, which sits half the top margin down (see render/pages.py).
        room = margin_top * 0.5 + sizes.furniture * 0.8 - 3 - 5 * MM
        if height > room:
            at.fail(f"{height / MM:.3g}mm does not fit in the top margin; at most {room / MM:.1f}mm "
                    "(or make page.margin_top larger)")
            return None
    at.values.update(path=path, kind=logo_kind(path), data=world.read_bytes(path))  # the bytes just checked
    return height


@rule(Logo)
def _logo(at: Reading, values: dict) -> dict | None:
    if values["height"] is None:
        return None
    alt = values["alt"]  # a Named (its translations kept): blank is no alt text at all
    return {**values, "alt": alt if alt and alt.strip() else None}


@rule(Layout)
def _layout(at: Reading, values: dict) -> dict:
    top = at.fields
    clinic = values["clinic"]
    if values["phone_links"] and clinic is not None:
        if not clinic.country:
            top.problems.add(top.lines.get("links.phone"), "links.phone", "phone links need the clinic's country, "
                             "for numbers written without their country code: add clinic: {country: GB} (its ISO "
                             "code)")
        else:
            from .phones import known_country  # phonenumbers loads only for a layout that links numbers

            if not known_country(clinic.country):
                top.problems.add(top.lines.get("clinic.country"), "clinic.country",
                                 f"{quoted(clinic.country)} is not a country code such as GB, IE or US")
    if values["tagged"] and values["show_title"] is False:
        at.groups["viewer"].fail("show_title", "must be true in a tagged PDF (PDF/UA): viewers show the title, not "
                                 "the file name; or set accessibility: {tagged: false}")
    colours = values["colours"]
    if colours and all(value is not None for value in vars(colours).values()):
        _check_contrast(top, colours, values["boxes"] == "shaded")
    if not top.problems.items:  # margins that are wrong for a page that is: said only once all else is right
        width, height = values["page_size"]
        if (width - values["margin_left"] - values["margin_right"] < 144
                or height - values["margin_top"] - values["margin_bottom"] < 144):
            top.problems.add(top.line("page"), "page", "margins leave less than 2 inches for the text")
    return values


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
