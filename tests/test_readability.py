"""Counting for reading level: sentences, words, syllables and the formulas, by hand."""
from __future__ import annotations

import pytest

from handout_builder.checks.readability import (
    FLESCH_KINCAID, FORMULAS, SMOG, Counts, english_spelling_syllables, formulas_for, sentences,
    split_sentences, syllables,
)


def test_sentences_end_at_full_stops_not_at_decimals_or_abbreviations():
    text = "A temperature of 37.5 °C is normal. Call us, e.g. at night! Is it 38 °C? Then come in"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "A temperature of 37.5 °C is normal.", "Call us, e.g. at night!", "Is it 38 °C?", "Then come in"]


@pytest.mark.parametrize("word, count", [
    ("the", 1), ("every", 3), ("chemotherapy", 5), ("temperature", 3),  # the pronouncing dictionary
    ("ifosfamide", 4), ("doxorubicin", 5), ("pazopanib", 4), ("leiomyosarcoma", 7),  # spelling rules
    ("non-rhabdomyosarcoma", 8), ("child's", 1), ("35", 1),
])
def test_english_syllables(word, count):
    assert syllables(word, "en-GB") == count


def test_spelling_rules_agree_with_the_dictionary_on_most_words():
    # Words the dictionary has, counted by spelling alone: the fallback for drug names is sound.
    sample = {"hospital": 3, "bacteria": 4, "infection": 3, "medicine": 3, "surgery": 3, "tumour": 2,
              "operation": 4, "neutrophils": 3, "platelets": 2, "shivering": 3, "vomiting": 3, "tired": 1}
    right = sum(english_spelling_syllables(word) == count for word, count in sample.items())
    assert right >= 10


def test_flesch_kincaid_and_smog_by_hand():
    found = sentences("The cat sat on the mat. Chemotherapy is a medicine.", "en")
    counts = Counts.of(found)
    assert counts == Counts(sentences=2, words=10, syllables=16, polysyllables=2, monosyllables=8,
                            long_words=2, letters=40)
    assert FLESCH_KINCAID.score(counts) == round(0.39 * 10 / 2 + 11.8 * 16 / 10 - 15.59, 1)  # 5.3
    assert SMOG.score(counts) == round(1.043 * (2 * 30 / 2) ** 0.5 + 3.1291, 1)  # 8.8


def test_each_language_has_its_own_formula_or_none():
    assert [f.name for f in formulas_for("en-US")] == ["Flesch-Kincaid grade", "SMOG"]
    assert [f.name for f in formulas_for("es")] == ["Szigriszt-Pazos (INFLESZ)"]
    assert [f.name for f in formulas_for("de-AT")] == ["Wiener Sachtextformel"]
    assert formulas_for("pl") == ()
    for formulas in FORMULAS.values():
        for formula in formulas:
            assert formula.kind in ("grade", "ease") and (formula.kind == "grade") == (formula.easy_enough is None)


def test_other_languages_count_syllables_with_their_hyphenation_dictionary():
    assert syllables("quimioterapia", "es") == 5  # qui-mio-te-ra-pia
    assert syllables("Fieber", "de") == 2
