"""The reader's language: the builder's own words (catalogues), dates and numbers, and which way
and how the language's lines run.

Every word a leaflet prints that its author did not write ("Key points", "Page 2 of 4", the
review-overdue notice) lives as data in `catalogues/<language>.yaml`, one file a language, never
in code. A leaflet whose language has no catalogue prints the English words, and `check` and
`build` warn. Dates and numbers are written by Babel (CLDR) in the reader's language; direction
(right to left for Arabic, Urdu, Hebrew, Persian) comes from CLDR too.
"""
from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..model import LONG  # a date format: Babel's long date in the leaflet's language
from ..world import World

CATALOGUES = Path(__file__).parent.parent / "catalogues"  # package data beside the stages
ENGLISH = "en"
# English as Babel (CLDR) writes it for "en": its months' names and whole numbers. Most leaflets
# are English; loading Babel's data for these costs ~30 ms of every cold start. Babel is still
# asked for every other language, and for English dates in its long format.
# tests/test_same_output.py checks these against Babel.
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
# The words every catalogue holds. The {names} in each must be those of the English text.
# What a screen reader says for a figure or a link: alt text, never printed (so not glyph-checked).
SPOKEN = ("spoken_qr_code", "spoken_reference", "spoken_email", "spoken_phone", "spoken_anchor", "spoken_footer_link")
# The e-mail draft beside a leaflet's email layout (build/email_draft.py): sent, never printed.
EMAIL = ("email_subject", "email_message")
KEYS = ("key_points", "contact", "references", "further_reading", "online_version", "written_by", "edition",
        "edition_with_review_due", "footer_edition", "page_of", "draft", "review_overdue", "booklet_title",
        "available_from", "cited", "approved_by", *SPOKEN, *EMAIL)
# Settings a catalogue may hold besides the words. draft_translation: true marks words a qualified
# translator has not yet signed off (check warns on every leaflet in that language until they do);
# `unchecked` lists single words whose translation still awaits a native speaker's check.
SETTINGS = ("language", "line_breaks", "draft_translation", "unchecked")
LINE_BREAKS = ("spaces", "characters")  # characters: a line may break between any two (Chinese, Japanese)


class CatalogueError(ValueError):
    """A catalogue file is malformed: a bug in the builder's own data, found by its tests."""


@dataclass(frozen=True)
class Catalogue:
    """The builder's own words in one language, from catalogues/<code>.yaml."""

    code: str  # the file's language code, e.g. "es" or "pt-BR"
    name: str  # the language's name in itself, e.g. "Español"
    words: Mapping[str, str]
    line_breaks: str = "spaces"
    path: Path | None = None
    draft: bool = False  # a draft translation, awaiting a translator's sign-off
    unchecked: tuple[str, ...] = ()  # words whose translation awaits a native speaker's check


def catalogue_codes(world: World | None = None) -> list[str]:
    """The languages that have a catalogue, e.g. ['ar', 'de', 'el', 'en', ...] (the listing is
    an input of what is built with it: a new catalogue changes which words a leaflet gets)."""
    return sorted(path.stem for path in (world or World()).listing(CATALOGUES, ".yaml"))


# (file, hash of its bytes, hash of English's) -> the catalogue: each version is parsed once a process.
_parsed: dict[tuple[Path, str | None, str | None], Catalogue] = {}


def load_catalogue(code: str, world: World | None = None) -> Catalogue:
    """Read catalogues/<code>.yaml through the world; raise CatalogueError when a word is missing
    or its {names} differ from English (so English is read too)."""
    world = world or World()
    path = CATALOGUES / f"{code}.yaml"
    text = world.read_bytes(path).decode("utf-8")
    english = None if code == ENGLISH else load_catalogue(ENGLISH, world)
    key = (path, world.digest(path), None if english is None else world.digest(CATALOGUES / f"{ENGLISH}.yaml"))
    if key not in _parsed:
        _parsed[key] = _parse_catalogue(code, path, text, english)
    return _parsed[key]


def _parse_catalogue(code: str, path: Path, text: str, english: Catalogue | None) -> Catalogue:
    import yaml

    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: must be a mapping of words")
    unknown = set(data) - set(KEYS) - set(SETTINGS)
    missing = set(KEYS) - set(data)
    if unknown or missing:
        raise CatalogueError(f"{path.name}: " + "; ".join(
            part for part in (f"unknown {', '.join(sorted(unknown))}" if unknown else "",
                              f"missing {', '.join(sorted(missing))}" if missing else "") if part))
    words = {key: str(data[key]) for key in KEYS}
    if english is not None:
        for key in KEYS:
            if _names(words[key]) != _names(english.words[key]):
                raise CatalogueError(f"{path.name}: {key} must use {sorted(_names(english.words[key])) or 'no {names}'}, "
                                     f"as English does, not {sorted(_names(words[key]))}")
    unchecked = data.get("unchecked", [])
    if not isinstance(unchecked, list) or not set(unchecked) <= set(KEYS):
        raise CatalogueError(f"{path.name}: unchecked must be a list of the catalogue's words")
    line_breaks = str(data.get("line_breaks", "spaces"))
    if line_breaks not in LINE_BREAKS:
        raise CatalogueError(f"{path.name}: line_breaks must be one of {', '.join(LINE_BREAKS)}")
    draft = data.get("draft_translation", False)
    if not isinstance(draft, bool):
        raise CatalogueError(f"{path.name}: draft_translation must be true or false")
    return Catalogue(code, str(data.get("language", code)), MappingProxyType(words), line_breaks, path, draft,
                     tuple(unchecked))


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=None)
def language_tags(language: str) -> tuple[str, ...]:
    """The tags to look a language's data up by, most particular first: the tag itself, the
    language with the script CLDR says it is written in, then the language alone. 'zh-TW' and
    'zh-HK' are written in Traditional characters: ('zh-TW', 'zh-Hant', 'zh'); 'pt-BR':
    ('pt-BR', 'pt')."""
    if "-" not in language:  # a language alone ('en', 'fr'): nothing to look up, and no Babel to load
        return (language,)
    from babel.core import get_global

    parts = language.split("-")
    root = parts[0]
    tags = [language]
    likely = get_global("likely_subtags").get(language.replace("-", "_"))
    if likely and language != root:  # the root's own script adds nothing ('zh' is 'zh' whatever it is)
        script = likely.split("_")[1:2]
        if script and len(script[0]) == 4:  # a script subtag: Hant, Arab, Guru
            tags.append(f"{root}-{script[0]}")
    tags += ["-".join(parts[:end]) for end in range(len(parts) - 1, 0, -1)]  # zh-Hant-HK, zh-Hant, zh
    return tuple(dict.fromkeys(tags))


def catalogue_for(language: str, world: World) -> Catalogue | None:
    """The catalogue for a language tag: its own ('pt-BR', 'zh-Hant'), else that of its script
    ('zh-HK' uses 'zh-Hant'), else its language's ('pt'), else None."""
    codes = {code.lower(): code for code in catalogue_codes(world)}
    for candidate in language_tags(language):
        if candidate.lower() in codes:
            return load_catalogue(codes[candidate.lower()], world)
    return None


@lru_cache(maxsize=None)
def babel_locale(language: str):
    """Babel's Locale for a language tag ('pt-BR' -> pt_BR), or None when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    for candidate in (language.replace("-", "_"), language.split("-")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return None


@dataclass(frozen=True)
class Wording:
    """What the builder itself writes in one leaflet: its catalogue's words, its dates and numbers,
    and which way its lines run. `fallback` is True when the language has no catalogue (the words
    are English)."""

    language: str
    catalogue: Catalogue
    date_pattern: str  # LONG, or a pattern with {day}, {month_name} and {year}
    fallback: bool = False
    right_to_left: bool = False
    date_language: str = ENGLISH  # the language dates and numbers are written in (English with English words)

    @classmethod
    def for_leaflet(cls, language: str, date_formats: Mapping[str, str], default_date_format: str,
                    world: World) -> "Wording":
        """The wording of a leaflet in `language`, its dates as the layout says for that language
        (date_formats by language tag, else default_date_format); catalogues are read through
        the world."""
        catalogue = catalogue_for(language, world)
        # Without a catalogue the words are English, and so are the dates within them.
        english = language == ENGLISH  # written left to right, and known to CLDR
        date_language = language if catalogue is not None and (english or babel_locale(language)) else ENGLISH
        root = date_language.split("-")[0].lower()
        pattern = date_formats.get(date_language, date_formats.get(root, default_date_format))
        locale = None if english else babel_locale(language)
        return cls(language, catalogue or load_catalogue(ENGLISH, world), pattern, fallback=catalogue is None,
                   right_to_left=bool(locale and locale.character_order == "right-to-left"),
                   date_language=date_language)

    @property
    def locale(self):
        return babel_locale(self.date_language)

    def __getitem__(self, key: str) -> str:
        return self.catalogue.words[key]

    def say(self, key: str, **values) -> str:
        """A catalogue text with its {names} filled in."""
        return self.catalogue.words[key].format(**values)

    def date(self, day: dt.date) -> str:
        """A date as this leaflet prints it: "1 de noviembre de 2026", or the layout's pattern
        with the month's name in the leaflet's language."""
        if self.date_pattern != LONG and self.date_language == ENGLISH:
            return self.date_pattern.format(day=day.day, month_name=ENGLISH_MONTHS[day.month - 1], year=day.year)
        from babel.dates import format_date, get_month_names

        if self.date_pattern == LONG:
            return format_date(day, "long", locale=self.locale)
        month = get_month_names("wide", "format", locale=self.locale)[day.month]
        return self.date_pattern.format(day=day.day, month_name=month, year=day.year)

    def number(self, value: int) -> str:
        """A whole number as the reader writes it."""
        if self.date_language == ENGLISH:
            return f"{value:,}"
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    @property
    def line_breaks(self) -> str:
        return self.catalogue.line_breaks

    def texts(self) -> list[str]:
        """Every printed text of the catalogue with its {names} left out, for the glyph check."""
        return [re.sub(r"\{[a-z_]+\}", "", text) for key, text in self.catalogue.words.items()
                if key not in SPOKEN and key not in EMAIL]
