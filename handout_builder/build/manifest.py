"""The record of what was built into an output folder, and deciding from it what is stale.

`build-manifest.json` beside the PDFs holds, for each PDF, every input its build read, as the
World recorded it (world.py): each file with a hash of the bytes read (the handout, its layouts,
their logo and fonts, the word catalogues, and any other kind of file read through the World),
each environment variable with its value (SOURCE_DATE_EPOCH); and the builder's identity, and the
PDF's own hash, pages and size. A leaflet is up to date when all of those still match; anything
else (a changed input, a PDF deleted or edited by hand, a new builder) rebuilds it.

Deciding needs only hashes and this JSON: no YAML parsing and no ReportLab, so a build where
nothing changed costs a fraction of a second however many leaflets there are.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..model import WHEN_SET, Handout, declarations
from ..world import World, data_hash
from .writing import write_atomically

MANIFEST_NAME = "build-manifest.json"
FORMAT = 3  # bump when Entry changes shape; an older manifest then rebuilds everything
# Libraries whose version can change a PDF's bytes.
# pypdfium2 draws the page-1 picture the manifest keeps for the library page.
SHAPING_LIBRARIES = ("reportlab", "markdown-it-py", "linkify-it-py", "pikepdf", "pypdf", "svglib", "babel", "pypdfium2")


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file the builder wrote (a PDF: an output, not an input, so not read
    through the World), or None when it cannot be read."""
    try:
        return data_hash(path.read_bytes())
    except OSError:
        return None


def builder_identity(libraries: tuple[str, ...] = SHAPING_LIBRARIES) -> str:
    """What built a PDF: this builder's version and the versions of the libraries that shape the
    bytes (or of `libraries`). A new one makes every leaflet stale. Versions are read from the
    installed packages' records, not by importing them (importing pikepdf, pypdf and svglib would
    cost more than the rest of a no-change build)."""
    import handout_builder

    installed = _installed_versions()
    parts = [f"handout-builder {handout_builder.__version__}"]
    for name in libraries:
        version = installed.get(_normal(name))
        if version is None:  # not installed as a .dist-info folder (an .egg-info, a zip): ask the slow way
            from importlib import metadata

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "?"
        parts.append(f"{name} {version}")
    return "; ".join(parts)


def _normal(name: str) -> str:
    """A distribution's name as PEP 503 compares them ('Markdown_It.py' is 'markdown-it-py')."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_versions() -> dict[str, str]:
    """The version of each distribution installed as a NAME-VERSION.dist-info folder on sys.path,
    the first found winning as it does for imports and importlib.metadata: one folder listing an
    entry of sys.path, where importlib.metadata's import and searches cost ~35 ms a start."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a folder (a zip), or gone
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder[:-len(".dist-info")].partition("-")
                if version:
                    found.setdefault(_normal(name), version)
    return found


def text_fingerprint(handout: Handout) -> str:
    """A hash of the words a family reads in a leaflet (not its version, dates, layout or
    keywords), to notice text that changed under an unchanged version. Which fields count is
    declared on the model (Spec.words)."""
    return data_hash(json.dumps(_words(handout), sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))


def _words(value: object) -> dict | list:
    """The `words` fields of a model value, by name (a Section: as a row), with those of the
    items of its lists. A WHEN_SET field is left out while it is empty, so that a field added
    to the model leaves the fingerprints of leaflets that do not use it as they were."""
    model = type(value)
    words = {}
    for name, spec, _ in declarations(model):
        held = getattr(value, name)
        if spec.words is None or (spec.words == WHEN_SET and held in (None, "", ())):
            continue
        words[name] = [_words(item) for item in held] if spec.item is not None else held
    return list(words.values()) if getattr(model, "WORDS_AS_ROW", False) else words


@dataclass(frozen=True)
class Entry:
    """What one PDF in the folder was built from, and what it came out as."""

    source: str  # the handout: "handouts/x.yaml" (relative to the project) or an absolute path
    layout_option: str | None  # the -l layout it was built with, or None for the handout's own
    inputs: dict[str, str | None]  # every file (and folder listing) the build read, keyed as `source`
    # -> SHA-256 of what was read (None: it was missing), as the World recorded it
    environment: dict[str, str | None]  # every environment variable the build read -> its value
    builder: str  # builder_identity()
    output: str  # SHA-256 of the PDF
    pages: int
    size: int
    version: str
    text: str  # text_fingerprint() of this build
    version_text: str  # text_fingerprint() when this version was first built
    reviewed: str  # YYYY-MM-DD
    review_due: str  # YYYY-MM-DD, the default applied
    notice: bool  # the layout prints the review-overdue notice on overdue leaflets
    overdue: bool  # and this build printed it
    also: dict[str, str]  # other files written beside the PDF (a booklet's screen copy, an e-mail
    # draft) -> SHA-256
    # What the library page (library.py) shows and searches, so it is written from this file alone.
    title: str
    subtitle: str  # "" when none
    language: str  # the handout's language tag
    translation_of: str  # the source handout's stem; "" for a source
    headings: list[str]  # the sections' headings and subheadings, as read
    key_points: list[str]  # as read (Markdown marks gone)
    keywords: list[str]
    draft: bool
    layout: str  # the layout it was laid out with
    label: str  # what the layout's PDFs are for ("Large print"), from the layout file
    thumbnail: str  # page 1 as a small PNG (thumbnail.py), base64; a booklet's from its screen copy
    release: bool = False  # built with --release: approved words, PDF/A-2u (absent in older manifests)

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        names = {f.name for f in fields(cls)}
        if set(data) | {"release"} != names:
            raise ValueError("entry has other fields")
        return cls(**data)

    @property
    def text_changed_under_version(self) -> bool:
        """The words differ from those first built under this version number."""
        return self.text != self.version_text


@dataclass
class Manifest:
    """Every PDF built into one folder, by file name."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """The folder's manifest; an empty one when there is none or it cannot be read (then
        everything is rebuilt, which is always safe)."""
        manifest = cls(folder)
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return manifest
            manifest.entries = {name: Entry.from_json(entry) for name, entry in data["pdfs"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            manifest.entries = {}
        return manifest

    def write(self) -> None:
        """Replace the manifest file in one step (see writing.py)."""
        data = {"format": FORMAT, "pdfs": {name: asdict(entry) for name, entry in sorted(self.entries.items())}}
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomically(self.path, text.encode("utf-8"))


@dataclass(frozen=True)
class Wanted:
    """What a leaflet would be built from now, as far as is known without reading it."""

    source: str
    layout_option: str | None
    builder: str
    today: dt.date
    release: bool = False


def stale_reasons(entry: Entry | None, pdf: Path, wanted: Wanted, world: World) -> list[str]:
    """Why the PDF must be rebuilt; empty when it is up to date. Each input the entry recorded
    is looked at again through `world`, whatever kind of input it is."""
    if entry is None:
        return ["not built here before"]
    if entry.source != wanted.source or entry.layout_option != wanted.layout_option:
        return [f"last built from {entry.source}" + (f" with layout {entry.layout_option}" if entry.layout_option else "")]
    current = file_hash(pdf)
    if current is None:
        return ["PDF missing"]
    reasons = []
    if current != entry.output:
        reasons.append("PDF changed since it was built")
    for name, recorded in sorted(entry.also.items()):
        now = file_hash(pdf.parent / name)
        if now != recorded:
            reasons.append(f"{name} {'missing' if now is None else 'changed since it was built'}")
    for key, recorded in sorted(entry.inputs.items()):
        now = world.current(key)
        if now != recorded:
            reasons.append(f"{key} {'missing' if now is None else 'changed'}")
    if entry.release != wanted.release:
        reasons.append("a release build is wanted" if wanted.release else "last built as a release")
    if entry.builder != wanted.builder:
        reasons.append(f"builder changed ({entry.builder} -> {wanted.builder})")
    for name, recorded in sorted(entry.environment.items()):
        if world.environment(name) != recorded:
            reasons.append(f"{name} changed")
    if entry.notice and entry.overdue != (wanted.today > dt.date.fromisoformat(entry.review_due)):
        reasons.append("review became overdue" if not entry.overdue else "review no longer overdue")
    return reasons
