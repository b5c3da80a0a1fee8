"""The fields of a handout are declared once, on the model (model.py: Spec, `declared`): the
validator (inputs/handout.py), the glyph checks (text/document.py) and the text fingerprint
(build/manifest.py) all read that declaration. A field declared once reaches all three, and
the fingerprints of leaflets already built stay as they were.

A layout's fields are declared the same way (Layout and the models of its mappings) and read by
the same machinery (inputs/declared.py), with the readers a layout needs: lengths, colours,
choices, page sizes, font files, mappings within mappings."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

import pytest

from handout_builder.build.manifest import _words, text_fingerprint
from handout_builder.errors import HandoutError, ProblemList
from handout_builder.inputs.declared import READERS, group_keys
from handout_builder.inputs.fields import Fields
from handout_builder.inputs.handout import handout_from_tree, known_keys, read_model, rule
from handout_builder.inputs.inheritance import read_layout_tree
from handout_builder.inputs.layout_file import layout_from_tree, load_layout
from handout_builder.inputs.project import Project
from handout_builder.inputs.source import parse_yaml
from handout_builder.model import (
    ALWAYS, MM, WHEN_SET, Clinic, Colours, FontFamily, Handout, Layout, Logo, Reference, Section, Spacing, TypeSizes,
    declarations, declared,
)
from handout_builder.text.document import printed_texts
from handout_builder.world import World


@dataclass(frozen=True, kw_only=True)
class Leaflet:
    """A model as small as a test needs, declared the way Handout is."""

    title: str = declared("text", required=True, printed=True, words=ALWAYS)
    # The field "added later": declared once, here, and nowhere else.
    audience: str | None = declared("text", None, printed=True, words=WHEN_SET)
    age: int | None = declared("integer", None, low=0, high=18)


@rule(Leaflet, "audience")
def _not_shouted(at, audience):
    if audience and audience.isupper():
        at.fail("is in capitals; write it in lower case")
        return None
    return audience


def read(text: str) -> tuple[Leaflet | None, list[str]]:
    problems = ProblemList("x.yaml")
    lines: dict[str, int] = {}
    values = read_model(Leaflet, Fields(parse_yaml(text, "x.yaml"), "", problems, known_keys(Leaflet), lines), "x")
    return (Leaflet(**values) if not problems.items else None), [str(p) for p in problems.items]


def test_a_field_declared_once_is_read_validated_printed_and_hashed():
    leaflet, problems = read("title: Fever\naudience: parents\nage: 7\n")
    assert problems == [] and leaflet == Leaflet(title="Fever", audience="parents", age=7)  # the model
    assert list(printed_texts(leaflet)) == [("title", "Fever"), ("audience", "parents")]  # the glyph checks
    assert _words(leaflet) == {"title": "Fever", "audience": "parents"}  # the fingerprint
    # Its type and its rule are checked, and it is a field the file may name.
    assert read("title: Fever\naudience: [a, b]\nage: 30\n")[1] == [
        "x.yaml:2: audience: must be text, not a list", "x.yaml:3: age: 30 is out of range (0 to 18)"]
    assert read("title: Fever\naudience: PARENTS\n")[1] == ["x.yaml:2: audience: is in capitals; write it in lower case"]
    assert read("title: Fever\naudiense: parents\n")[1] == ["x.yaml:2: audiense: unknown field (did you mean 'audience'?)"]


def test_a_field_added_later_leaves_the_fingerprints_of_leaflets_without_it_as_they_were():
    without, _ = read("title: Fever\n")
    assert _words(without) == {"title": "Fever"}  # not {"title": ..., "audience": None}


def test_fields_missing_from_one_mapping_are_reported_in_the_order_declared():
    with pytest.raises(HandoutError) as caught:
        handout_from_tree(parse_yaml("language: en\n", "x.yaml"), "x.yaml", "x")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:1: title: missing", "x.yaml:1: version: missing", "x.yaml:1: reviewed: missing",
        "x.yaml:1: sections: missing"]


def test_the_handout_file_holds_exactly_the_declared_fields():
    assert set(known_keys(Handout)) == {
        "title", "subtitle", "version", "reviewed", "review_due", "language", "layout", "authors", "contact",
        "summary", "sections", "references", "keywords", "draft", "reading_grade", "url", "translation_of"}
    assert set(known_keys(Section)) == {"heading", "body"}
    assert set(known_keys(Reference)) == {
        "id", "authors", "title", "journal", "publisher", "year", "month", "volume", "issue", "pages", "doi",
        "pmid", "url", "accessed", "note", "language"}
    # The fingerprint holds what it always held: the words a family reads.
    assert [name for name, spec, _ in declarations(Handout) if spec.words] == [
        "title", "sections", "references", "subtitle", "authors", "contact", "summary"]


HANDOUT = '''title: Fever and infection
version: "2.1"
reviewed: 2025-03-01
authors: [Sarcoma nurse specialist team]
summary:
  - Call us at once if your child has a **fever** [@nice2020].
  - Keep the thermometer at home.
contact: Ward 7, phone 0161 000 0000
keywords: [fever, infection]
sections:
  - heading: What is a fever?
    body: |
      A temperature of 38°C or more [@nice2020; @who].

      - Check it twice.
references:
  - id: nice2020
    authors: [National Institute for Health and Care Excellence]
    title: Neutropenic sepsis
    year: 2020
    publisher: NICE
    url: https://www.nice.org.uk/guidance/cg151
    accessed: 2024-05-01
  - id: who
    title: Fever in children
    journal: Lancet
    year: 2019
    volume: "3"
    pages: 1-9
    doi: 10.1000/xyz
'''


def test_text_fingerprints_are_unchanged():
    """Manifests already written hold fingerprints made before the fields were declared on the
    model: the same handout must hash the same, or every leaflet would warn that its words
    changed under an unchanged version. (This hash was made by the builder before the change.)"""
    handout = handout_from_tree(parse_yaml(HANDOUT, "x.yaml"), "x.yaml", "x")
    assert text_fingerprint(handout) == "f8a3d670ad55774de80b00769f83d3edb825884bb78c49529c88ac4ea9169c19"
    assert _words(handout)["sections"] == [["What is a fever?", handout.sections[0].body]]  # a section is a row
    # Not the version, dates, layout or keywords.
    for change in ({"version": "9"}, {"keywords": ("x",)}, {"draft": True}, {"lines": MappingProxyType({})}):
        assert text_fingerprint(_replaced(handout, change)) == text_fingerprint(handout)
    assert text_fingerprint(_replaced(handout, {"subtitle": "For parents"})) != text_fingerprint(handout)


def _replaced(handout: Handout, change: dict) -> Handout:
    from dataclasses import replace

    return replace(handout, **change)


# -- a layout's fields ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Look:
    """A model as small as a test needs, declared the way Layout is."""

    margin: float = declared("length", key="page.margin", required=True)
    sheet: tuple | None = declared("page_size", None, key="page.sheet", needs="margin")
    ink: str | None = declared("colour", None)
    boxes: str = declared("choice", "shaded", choices=("shaded", "ruled"))
    bookmarks: bool = declared("switch", False, key="viewer.bookmarks")
    clinic: Clinic | None = declared("mapping", None, item=Clinic)
    REQUIRED_MAPPINGS: ClassVar[tuple[str, ...]] = ("page",)


def look(text: str) -> tuple[dict | None, list[str]]:
    problems = ProblemList("x.yaml")
    values = read_model(Look, Fields(parse_yaml(text, "x.yaml"), "", problems, known_keys(Look)), None)
    return values, [str(p) for p in problems.items]


def test_the_layout_readers_read_lengths_colours_choices_switches_and_mappings():
    values, problems = look("page:\n  margin: 20mm\n  sheet: A4\nink: '#1f4e79'\nboxes: ruled\n"
                            "viewer: {bookmarks: true}\nclinic: {organisation: St Brigid's}\n")
    assert problems == []
    assert values == {"margin": 20 * MM, "sheet": (595.2756, 841.8898), "ink": "#1f4e79", "boxes": "ruled",
                      "bookmarks": True, "clinic": Clinic("St Brigid's")}
    assert look("page: {margin: 3 furlongs, sheet: B9}\nink: red\nboxes: shadowed\nviewer: {bookmarks: ''}\n"
                "clinic: {phone: 1}\n")[1] == [
        "x.yaml:1: page.margin: '3 furlongs' is not a length such as 20mm, 0.8in or 56 (points)",
        # no sheet: it needs a margin that is right
        "x.yaml:2: ink: 'red' is not a colour; write #rrggbb, e.g. #1f4e79",
        "x.yaml:3: boxes: 'shadowed' is not one of shaded, ruled (did you mean 'shaded'?)",
        "x.yaml:4: viewer.bookmarks: must be true or false, not ''",
        "x.yaml:5: clinic.organisation: missing"]
    # A mapping the model requires, and the keys each mapping may hold.
    assert look("ink: '#000000'\n")[1] == ["x.yaml:1: page: missing"]
    assert look("page: {margin: 1in, margn: 2}\nviewer: {bookmark: true}\n")[1] == [
        "x.yaml:1: page.margn: unknown field (did you mean 'margin'?)",
        "x.yaml:2: viewer.bookmark: unknown field (did you mean 'bookmarks'?)"]


@dataclass(frozen=True, kw_only=True)
class HouseLayout(Layout):
    """The shipped Layout with one field "added later": declared once, here, and nowhere else."""

    watermark: str | None = declared("colour", None, key="page.watermark")


def house(project, text: str, model: type = HouseLayout):
    (project.root / "layouts" / "house.yaml").write_text(text, encoding="utf-8")
    world = World(project.root)
    tree = read_layout_tree(Project(project.root), "house", world)
    try:
        return layout_from_tree(tree, "house", Project(project.root), world, model), []
    except HandoutError as exc:
        return None, [str(p) for p in exc.problems]


def test_a_layout_field_declared_once_is_read_validated_and_known(project):
    layout, problems = house(project, "extends: clinic-a4\npage:\n  watermark: '#eeeeee'\n")
    assert problems == [] and layout.watermark == "#eeeeee"
    # Everything else is read, checked and ruled on as for the Layout itself.
    plain = load_layout(Project(project.root), "clinic-a4", World(project.root))
    assert {name: getattr(layout, name) for name, _, _ in declarations(Layout)} == \
        {name: getattr(plain, name) for name, _, _ in declarations(Layout)}
    assert house(project, "extends: clinic-a4\npage:\n  watermark: grey\n")[1] == [
        "layouts/house.yaml:3: page.watermark: 'grey' is not a colour; write #rrggbb, e.g. #1f4e79"]
    assert house(project, "extends: clinic-a4\npage:\n  watermarc: '#eeeeee'\n")[1] == [
        "layouts/house.yaml:3: page.watermarc: unknown field (did you mean 'watermark'?)"]
    # The Layout without the declaration does not know the field.
    assert house(project, "extends: clinic-a4\npage:\n  watermark: '#eeeeee'\n", Layout)[1] == [
        "layouts/house.yaml:3: page.watermark: unknown field"]


def test_the_layout_file_holds_exactly_the_declared_fields():
    assert set(known_keys(Layout)) == {
        "page", "clinic", "fonts", "sizes", "colours", "spacing", "date_format", "review_overdue_notice",
        "alignment", "reading_grade", "emphasis", "boxes", "tables", "logo", "qr_code", "viewer", "hyphenation",
        "accessibility", "print_approval", "library", "links", "pictures", "writing"}
    assert group_keys(Layout, "page") == ("size", "margin_top", "margin_bottom", "margin_left", "margin_right",
                                          "booklet")
    assert group_keys(Layout, "fonts") == ("body", "fallbacks", "languages")
    assert group_keys(Layout, "pictures") == ("width", "beside_text", "max_dpi", "min_contrast")
    assert group_keys(Layout, "writing") == ("sentence_words", "paragraph_sentences")
    assert [group_keys(Layout, name) for name in ("tables", "qr_code", "viewer", "accessibility", "links")] == [
        ("min_column",), ("size",), ("show_title", "open_bookmarks"), ("tagged",), ("phone",)]
    assert known_keys(FontFamily) == ("name", "regular", "bold", "italic", "bold_italic")
    assert known_keys(Clinic) == ("organisation", "department", "phone", "web", "country")
    assert known_keys(Logo) == ("file", "height", "alt")
    assert len(known_keys(TypeSizes)) == 9 and len(known_keys(Colours)) == 9 and len(known_keys(Spacing)) == 5  # blocks: issue 14


def test_every_reader_a_declaration_names_exists():
    import handout_builder.inputs.layout_file  # noqa: F401  (registers the layout's own readers)

    models, named = [Handout, Layout], set()
    while models:
        model = models.pop()
        for _, spec, _ in declarations(model):
            named.add(spec.read)
            models += [spec.item] if spec.item else []
    assert named <= set(READERS), named - set(READERS)
