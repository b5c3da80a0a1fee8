"""The fields of a handout are declared once, on the model (model.py: Spec, `declared`): the
validator (inputs/handout.py), the glyph checks (text/document.py) and the text fingerprint
(build/manifest.py) all read that declaration. A field declared once reaches all three, and
the fingerprints of leaflets already built stay as they were."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import pytest

from handout_builder.build.manifest import _words, text_fingerprint
from handout_builder.errors import HandoutError, ProblemList
from handout_builder.inputs.fields import Fields
from handout_builder.inputs.handout import handout_from_tree, known_keys, read_model, rule
from handout_builder.inputs.source import parse_yaml
from handout_builder.model import ALWAYS, WHEN_SET, Handout, Reference, Section, declarations, declared
from handout_builder.text.document import printed_texts


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
        "pmid", "url", "accessed", "note"}
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
