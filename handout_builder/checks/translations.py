"""Translations: a leaflet in another language that says what its source leaflet says.

A translation is a handout with `translation_of: {handout: <source stem>, version: "<source
version>"}`: the source is the handout of that name in the same folder, and the version is the
source's version the translation was made from. When the source's version moves on, the
translation is out of date until it is brought up to date and its `translation_of.version` raised:
`list` shows it, and `check` and `build` warn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import HandoutError
from ..model import Handout
from .findings import ERROR, WARNING, Finding  # not .quality: `list` groups translations without the checks

CURRENT, OUT_OF_DATE, NO_SOURCE = "current", "out of date", "no source"


def source_path(path: Path, handout: Handout) -> Path | None:
    """The source handout file of a translation (beside it), or None for a leaflet that is not one."""
    return path.parent / f"{handout.translation_of}.yaml" if handout.translation_of else None


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as version a is older than, the same as or newer than b. Versions are compared
    number by number ("1.10" is newer than "1.9"); versions that are not numbers are only equal or not."""
    if a == b:
        return 0
    parts_a, parts_b = re.findall(r"\d+", a), re.findall(r"\d+", b)
    if parts_a and parts_b and re.fullmatch(r"[\d.]+", a) and re.fullmatch(r"[\d.]+", b):
        numbers_a, numbers_b = [int(n) for n in parts_a], [int(n) for n in parts_b]
        width = max(len(numbers_a), len(numbers_b))
        numbers_a += [0] * (width - len(numbers_a))
        numbers_b += [0] * (width - len(numbers_b))
        return (numbers_a > numbers_b) - (numbers_a < numbers_b)
    return -1  # different, and not comparable as numbers: take the source as moved on


@dataclass(frozen=True)
class TranslationStatus:
    """Where a translation stands against its source."""

    state: str  # current, out of date, or no source
    source_file: str  # as shown, e.g. "handouts/non-rms-chemotherapy.yaml"
    translated_version: str
    source_version: str | None = None

    def __str__(self) -> str:
        if self.state == NO_SOURCE:
            return f"source {self.source_file} not found"
        if self.state == OUT_OF_DATE:
            return (f"translation out of date: source is at version {self.source_version}, "
                    f"translated from {self.translated_version}")
        return f"up to date with version {self.source_version}"


def translation_status(handout: Handout, source: Handout | None, source_file: str) -> TranslationStatus:
    """A translation's status, given its source handout (None when it could not be read)."""
    if source is None:
        return TranslationStatus(NO_SOURCE, source_file, handout.translated_version)
    behind = compare_versions(handout.translated_version, source.version) < 0
    return TranslationStatus(OUT_OF_DATE if behind else CURRENT, source_file, handout.translated_version,
                             source.version)


def translation_findings(handout: Handout, source: Handout | None, source_file: str,
                         source_problem: str | None = None) -> list[Finding]:
    """What `check` says about a translation: its source is missing or broken, is itself a
    translation, is in the same language, is older than the version translated, or has moved on."""
    if not handout.translation_of:
        return []
    file, line = handout.file, handout.line_of("translation_of.handout")
    version_line = handout.line_of("translation_of.version")

    def finding(level: str, field: str, at: int | None, message: str) -> Finding:
        return Finding(file, at, field, level, "translation", message)

    if source is None:
        why = source_problem or f"there is no {source_file}"
        return [finding(ERROR, "translation_of.handout", line,
                        f"the source leaflet '{handout.translation_of}' cannot be read: {why}")]
    found = []
    if source.translation_of:
        found.append(finding(ERROR, "translation_of.handout", line,
                             f"{source_file} is itself a translation (of '{source.translation_of}'); "
                             "name the leaflet it was translated from"))
    if source.language.lower() == handout.language.lower():
        found.append(finding(ERROR, "language", handout.line_of("language"),
                             f"'{handout.language}' is the language of the source {source_file} too; "
                             "a translation says which language it is in (language: es)"))
    order = compare_versions(handout.translated_version, source.version)
    if order > 0:
        found.append(finding(ERROR, "translation_of.version", version_line,
                             f"\"{handout.translated_version}\" is newer than {source_file}'s version "
                             f"\"{source.version}\"; give the version that was translated"))
    elif order < 0:
        found.append(finding(WARNING, "translation_of.version", version_line,
                             f"translation out of date: {source_file} is at version \"{source.version}\", "
                             f"this was translated from \"{handout.translated_version}\"; bring the translation "
                             f"up to date with it, then set translation_of.version to \"{source.version}\""))
    return found


@dataclass(frozen=True)
class Row:
    """One leaflet in `list`: its file, the handout (None when it could not be read), and, for a
    translation, its status; `depth` 1 for a translation listed under its source."""

    path: Path
    handout: Handout | None
    problems: int = 0
    translation: TranslationStatus | None = None
    depth: int = 0


def grouped(paths: Iterable[Path], load: Callable[[Path], Handout], display: Callable[[Path], str]) -> list[Row]:
    """The leaflets in name order, each followed by its translations (in language order); a
    translation whose source is not among them stays in its own place."""
    rows: dict[Path, Row] = {}
    for path in paths:
        try:
            rows[path] = Row(path, load(path))
        except HandoutError as exc:
            rows[path] = Row(path, None, problems=len(exc.problems))
    for path, row in list(rows.items()):
        source = source_path(path, row.handout) if row.handout else None
        if source is None:
            continue
        if source in rows:
            source_handout = rows[source].handout
        else:
            try:
                source_handout = load(source) if source.is_file() else None
            except HandoutError:
                source_handout = None
        rows[path] = Row(path, row.handout, translation=translation_status(row.handout, source_handout,
                                                                           display(source)))
    translations: dict[Path, list[Row]] = {}
    for path, row in rows.items():
        source = source_path(path, row.handout) if row.handout else None
        if source is not None and source in rows and source != path:
            translations.setdefault(source, []).append(row)
    placed = {row.path for group in translations.values() for row in group}
    out = []
    for path, row in rows.items():
        if path in placed:
            continue
        out.append(row)
        for translation in sorted(translations.get(path, []), key=lambda r: (r.handout.language, r.path)):
            out.append(Row(translation.path, translation.handout, translation.problems, translation.translation, 1))
    return out
