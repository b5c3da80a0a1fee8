"""The Unicode bidirectional algorithm as the shaped-text engine uses it (render/shaped.py): ICU's
full UAX #9, bracket pairs and isolates included, and the units a right-to-left leaflet prints
left to right as written (README "One text engine, every script")."""
from __future__ import annotations

import pytest

from handout_builder.render.shaped import bidi_levels, isolated_units, visual_order


def visual(text: str, right_to_left: bool = True) -> str:
    levels = bidi_levels(text, right_to_left)
    return "".join(text[i] for i in visual_order(levels))


def test_brackets_around_a_latin_drug_name_pair_up_in_arabic():
    # Rule N0: a bracket pair takes one direction, from what is inside and before it. The old
    # algorithm (python-bidi, no bracket pairs) put "(" at the paragraph's level and ")" in the
    # Latin run that follows (levels 1 and 2): brackets pointing the same way on the page.
    text = "خذ (doxorubicin) vincristine"
    levels = bidi_levels(text, True)
    opening, closing = text.index("("), text.index(")")
    assert levels[opening] == levels[closing] == 1
    # Both brackets sit beside the drug name, on the page as a reader of Arabic expects.
    shown = visual(text)
    assert "(doxorubicin)" in shown or ")doxorubicin(" in shown


@pytest.mark.parametrize("unit", ["020 7946 0999", "5 ml", "38 °C", "1 November 2028", "9am to 5pm",
                                  "PMID: 9400508", "www.example.org/sarcoma"])
def test_a_unit_in_arabic_prints_left_to_right_as_written(unit):
    text = f"اتصل {unit} الآن"
    assert (text.index(unit), text.index(unit) + len(unit)) in isolated_units(text)
    assert unit in visual(text)  # not "0999 7946 020", "ml 5", "°C 38"


def test_first_word_read_is_the_rightmost_and_latin_words_keep_their_order():
    text = "العلاج vincristine و doxorubicin مفيد"
    shown = visual(text)
    assert shown.endswith("العلاج"[::-1])  # the first word read is the rightmost
    # The two Latin names read left to right, the one read first on the right.
    assert shown.index("doxorubicin") < shown.index("vincristine")


def test_a_citation_group_follows_the_line_with_its_brackets_mirrored():
    text = "الحمى خطيرة [1, 2] دائما"
    assert not any(start == text.index("[") for start, _ in isolated_units(text))
    levels = bidi_levels(text, True)
    assert levels[text.index("[")] % 2 == 1 and levels[text.index("]")] % 2 == 1


def test_left_to_right_text_has_level_zero_and_characters_beyond_the_basic_plane_keep_their_place():
    assert bidi_levels("Call 020 7946 0999 (day or night).", False) == [0] * 34
    text = "a 😀 ب c"  # an emoji is two UTF-16 units to ICU, one character here
    assert bidi_levels(text, False) == [0, 0, 0, 0, 1, 0, 0]
