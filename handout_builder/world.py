"""The World (Typst's word): the one place the engine reads files and its environment.

Every file a build reads (handouts, layouts, logos, fonts, the builder's word catalogues, and
whatever comes next, such as pictures) and every environment variable it consults
(SOURCE_DATE_EPOCH) comes through a World, which hashes the exact bytes it hands out. What one
leaflet read is collected by `World.recording()`: that record (`Inputs`) is the leaflet's list of
inputs. The manifest stores it, `build --check` compares it with the files as they are now, and
`build --watch` watches the folders it names. So nothing can be read without becoming an input,
and a new kind of input needs no change to the build, the manifest or the watch.

Within one World each file is read once and every later read gets the same bytes: all the
leaflets of a run see one version of every file. A file saved while the build runs then differs
from the hash recorded for it, so the next build redoes the leaflets that read it. A file whose
hash alone is wanted (`digest`, `is_file`: the fonts a layout names for every script, most of
which a leaflet never draws with) is hashed as it streams past and its bytes are not kept, so a
batch does not hold megabytes of fonts it never uses; if its bytes are wanted later they are
read, hashed and recorded then.

What is worked out from a file's bytes (a font's character map, a parsed font) is cached by the
hash of those bytes (`derived`), across Worlds: a `build --watch` that makes a new World for every
change parses only the files that did change.

`build` also remembers the hash of each file it read by the file's size, times, inode and
device (`remember_hashes`, in the user's cache folder: `hashes_file`), so that when only a
file's hash is wanted (is it up to date? a fallback font a layout names but this run never
draws with) the next run need not read megabytes of fonts again. A remembered hash is used only
when all of those match; the ctime (which no program can set back, unlike the mtime) changes on
every write, so a same-size edit with its mtime put back still misses; and a file changed less
than RACY_SECONDS before it was hashed is never remembered, so an edit within the same tick of
the clock cannot hide behind it. Bytes handed out are always read and hashed afresh.

The clock is read here too, once a World (`today`), but is not recorded as a leaflet's input: a
PDF must not go stale because a day passed. What a leaflet takes from the day (whether its review
is overdue) is kept in its manifest entry instead.

HANDOUT_BUILDER_DEBUG is read here too (`debugging`), and only here, unrecorded: it decides
whether a bug of ours stops the run with its traceback, never what a PDF holds.

This module imports nothing from the engine's stages: every stage may use it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, TypeVar

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
TODAY = "HANDOUT_BUILDER_TODAY"
DEBUG = "HANDOUT_BUILDER_DEBUG"
LISTING = "/*"  # an input key holding this names a folder's listing: "catalogues/*.yaml"

T = TypeVar("T")


class ClockError(ValueError):
    """An environment variable holds something that is not a date or a time."""


class FileTooLarge(ValueError):
    """A file is larger than its reader allows; `size` says how large (bytes). Nothing was read."""

    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


@dataclass
class Inputs:
    """What one leaflet (or one load) read through the World: each file by its key (relative to
    the project with /, else absolute) with the SHA-256 of the bytes read (None: missing or
    unreadable), each folder listing likewise (keys holding LISTING), and each environment
    variable with its value (None: not set). Plain data, so it travels back from worker processes."""

    files: dict[str, str | None] = field(default_factory=dict)
    environment: dict[str, str | None] = field(default_factory=dict)

    def add(self, other: "Inputs") -> None:
        """Take in what another record read (a cached load replayed into a leaflet's record)."""
        self.files.update(other.files)
        self.environment.update(other.environment)


@dataclass(frozen=True)
class _File:
    key: str  # as an input is named (World.key)
    data: bytes | None  # None: could not be read (error says why)
    digest: str | None
    error: OSError | None = None


RACY_SECONDS = 2  # a file changed this recently when hashed is not remembered (see the docstring)
HASHES_FILE = "handout-builder/file-hashes.json"  # in XDG_CACHE_HOME (default ~/.cache)
HASHES_KEPT = 1000  # above this many remembered files, those that no longer exist are forgotten

# What was worked out from files, across Worlds: (function, digests of its files) -> value.
_DERIVED: OrderedDict[tuple, object] = OrderedDict()
_DERIVED_KEPT = 256


def data_hash(data: bytes) -> str:
    """The SHA-256 of some bytes, as the manifest writes it."""
    return hashlib.sha256(data).hexdigest()


class World:
    """The files and environment one run of the builder sees (see the module's docstring).

    `root` is the project folder (input keys are relative to it when inside it); `environ` the
    environment variables (default: this process's, copied now); `today` overrides the clock.
    """

    def __init__(self, root: Path | None = None, environ: Mapping[str, str] | None = None,
                 today: dt.date | None = None):
        self.root = Path(root) if root is not None else None
        self.environ = dict(os.environ if environ is None else environ)
        self._today = today
        self._files: dict[object, _File] = {}  # by the path as given (a Path or str), and by absolute path
        self._derived: dict[tuple, object] = {}  # (function, paths as given) -> value, this World
        self._listings: dict[tuple[str, str], list[str]] = {}  # (folder, suffix) -> names, this World
        self._open: list[Inputs] = []  # the records being made, innermost last
        self._hashes_file: Path | None = None  # remember_hashes
        self._hashes: dict[str, list] = {}  # absolute path -> [size, mtime_ns, ctime_ns, inode, device, digest]
        self._hashes_changed = False
        self._hashed: dict[str, _File] = {}  # absolute path -> its hash alone (remembered or streamed), no bytes

    # -- what a worker process needs to see the same world -------------------------------------

    def settings(self) -> tuple[Path | None, dict[str, str], dt.date]:
        """(root, environment, today): enough to make the same World in another process."""
        return self.root, dict(self.environ), self.today()

    # -- recording -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def recording(self) -> Iterator[Inputs]:
        """Record everything read through this World inside the block (nested records each get
        every read made while they are open)."""
        inputs = Inputs()
        self._open.append(inputs)
        try:
            yield inputs
        finally:  # by identity: an enclosing record that read the same files is equal to this one
            del self._open[next(index for index, open_ in enumerate(self._open) if open_ is inputs)]

    def replay(self, inputs: Inputs) -> None:
        """Add to the open records what an earlier, cached, read recorded: a layout loaded once
        and used by many leaflets is an input of each."""
        for record in self._open:
            record.add(inputs)

    # -- files -------------------------------------------------------------------------------------

    def key(self, path: Path) -> str:
        """How the manifest names a file: relative to the project (with /), else absolute."""
        if self.root is not None:
            for inside, root in ((Path(os.path.abspath(path)), Path(os.path.abspath(self.root))),
                                 (Path(path).resolve(), self.root.resolve())):
                try:
                    return inside.relative_to(root).as_posix()
                except ValueError:
                    continue
        return str(Path(path).resolve())

    def path(self, key: str) -> Path:
        """The file (or listing's folder) an input key names."""
        path = Path(key.split(LISTING)[0] if LISTING in key else key)
        return path if path.is_absolute() or self.root is None else self.root / path

    def _load(self, path: Path, limit: int | None = None) -> _File:
        """The file as this World read it (read now if it has not been), noted in the open records."""
        known = self._files.get(path)  # the common case: the same Path object asked again
        if known is None:
            where = os.path.abspath(path)
            known = self._files.get(where)
            if known is None:
                known = self._read(path, where, limit)
                self._files[where] = known
            self._files[path] = known
        for record in self._open:
            record.files[known.key] = known.digest
        if limit is not None and known.data is not None and len(known.data) > limit:
            raise FileTooLarge(len(known.data))
        return known

    def _read(self, path: Path, where: str, limit: int | None) -> _File:
        try:
            with open(where, "rb") as opened:
                status = os.fstat(opened.fileno())
                if limit is not None and status.st_size > limit:
                    for record in self._open:  # an input still: saving it smaller must rebuild
                        record.files[self.key(path)] = None
                    raise FileTooLarge(status.st_size)
                data = opened.read()
        except OSError as exc:
            return _File(self.key(path), None, None, exc)
        digest = data_hash(data)
        if self._hashes_file is not None and len(data) == status.st_size:
            self._remember(where, status, digest)
        return _File(self.key(path), data, digest)

    # -- hashes remembered by size and times ---------------------------------------------------

    def hashes_file(self) -> Path:
        """Where `build` remembers files' hashes: the user's cache folder (XDG_CACHE_HOME, else
        ~/.cache), not recorded as an input (it decides how fast, never what a PDF holds)."""
        cache = self.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(cache) / HASHES_FILE

    def remember_hashes(self, file: Path) -> None:
        """Remember files' hashes by their size, times, inode and device in `file` (JSON), and
        use what it remembers when only a hash is wanted (see the module's docstring). Call
        `save_hashes` to write it. A missing or unreadable file remembers nothing."""
        if self._hashes_file is not None:
            return
        self._hashes_file = Path(file)
        try:
            loaded = json.loads(self._hashes_file.read_text(encoding="utf-8"))
            self._hashes = {k: v for k, v in loaded.items() if isinstance(v, list) and len(v) == 6}
        except (OSError, ValueError, AttributeError):
            self._hashes = {}

    def save_hashes(self) -> None:
        """Write the remembered hashes (atomically) when this run learned any."""
        if self._hashes_file is None or not self._hashes_changed:
            return
        if len(self._hashes) > HASHES_KEPT:  # forget files gone since (throw-away projects, old fonts)
            self._hashes = {where: entry for where, entry in self._hashes.items() if os.path.exists(where)}
        self._hashes_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._hashes_file.with_name(f".{self._hashes_file.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(self._hashes, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self._hashes_file)
        except OSError:  # not remembered: the next run reads the files again
            with contextlib.suppress(OSError):
                temporary.unlink()
            return
        self._hashes_changed = False

    @staticmethod
    def _stamp(status: os.stat_result) -> list:
        return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]

    def _remember(self, where: str, status: os.stat_result, digest: str) -> None:
        settled = (time.time() - RACY_SECONDS) * 1e9
        if status.st_mtime_ns >= settled or status.st_ctime_ns >= settled:
            self._hashes.pop(where, None)  # changed too recently to vouch for: hashed every time
            return
        entry = [*self._stamp(status), digest]
        if self._hashes.get(where) != entry:
            self._hashes[where] = entry
            self._hashes_changed = True

    def _remembered(self, path: Path) -> _File | None:
        """The file's hash as remembered, when the file's size and times are as they were."""
        where = os.path.abspath(path)
        entry = self._hashes.get(where)
        if entry is None:
            return None
        try:
            status = os.stat(where)
        except OSError:
            return None
        if self._stamp(status) != entry[:5]:
            return None
        return _File(self.key(path), None, entry[5])

    def read_bytes(self, path: Path, limit: int | None = None) -> bytes:
        """The file's bytes, recorded. Raises OSError when it cannot be read, and FileTooLarge
        (reading nothing) when it holds more than `limit` bytes."""
        loaded = self._load(path, limit)
        if loaded.error is not None:
            raise loaded.error
        return loaded.data

    def digest(self, path: Path) -> str | None:
        """The SHA-256 of the file's bytes (None when it cannot be read), recorded; the hash
        remembered for the file when it is unchanged (remember_hashes), without reading it.
        A file only hashed is not kept: its bytes, if wanted later, are read, hashed and
        recorded then."""
        if path in self._files:
            return self._load(path).digest
        where = os.path.abspath(path)
        if where in self._files:
            return self._load(path).digest
        known = self._hashed.get(where)
        if known is None:
            known = (self._remembered(path) if self._hashes else None) or self._hash_only(path, where)
            self._hashed[where] = known
        for record in self._open:
            record.files[known.key] = known.digest
        return known.digest

    def _hash_only(self, path: Path, where: str) -> _File:
        # Read, hashed and let go: a layout names every script's fonts (megabytes), a leaflet
        # draws with few. (Read whole, as every read of the World is: the largest font, briefly.)
        read = self._read(path, where, None)
        return _File(read.key, None, read.digest, read.error)

    def is_file(self, path: Path) -> bool:
        """Whether the file exists and can be read. Its bytes are recorded: a file a layout names
        (a fallback font) is an input even when this leaflet never needs to read it."""
        return self.digest(path) is not None

    def listing(self, folder: Path, suffix: str) -> list[Path]:
        """The files in `folder` whose names end with `suffix`, in name order, recorded as one
        input (a file added or removed there changes it)."""
        where = (os.path.abspath(folder), suffix)
        if where not in self._listings:
            try:
                self._listings[where] = sorted(entry.name for entry in os.scandir(folder)
                                               if entry.name.endswith(suffix) and entry.is_file())
            except OSError:
                self._listings[where] = []
        names = self._listings[where]
        for record in self._open:
            record.files[self.key(folder) + LISTING + suffix] = data_hash("\n".join(names).encode("utf-8"))
        return [Path(folder) / name for name in names]

    def derived(self, paths: tuple[Path, ...], make: Callable[..., T]) -> T:
        """`make(bytes of each path)`, each file read (and recorded) through this World, the
        result cached by the bytes' hashes so unchanged files are worked on once a process.
        `make` must be a module-level function (it is part of the cache's key)."""
        here = (make, paths)
        if here in self._derived:
            for path in paths:  # still an input of whatever is being recorded now
                self.digest(path)
            return self._derived[here]
        datas = [self.read_bytes(path) for path in paths]
        key = (make, tuple(self._files[path].digest for path in paths))
        if key in _DERIVED:
            _DERIVED.move_to_end(key)
            value = _DERIVED[key]
        else:
            value = _DERIVED[key] = make(*datas)
            if len(_DERIVED) > _DERIVED_KEPT:
                _DERIVED.popitem(last=False)
        self._derived[here] = value
        return value

    def current(self, key: str) -> str | None:
        """What an input key's hash is now (a file's bytes or a folder's listing), as `Inputs`
        recorded it; for deciding whether a leaflet is stale."""
        if LISTING in key:
            folder, suffix = key.split(LISTING, 1)
            names = [path.name for path in self.listing(self.path(folder), suffix)]
            return data_hash("\n".join(names).encode("utf-8"))
        return self.digest(self.path(key))

    # -- the environment and the clock ---------------------------------------------------------

    def environment(self, name: str) -> str | None:
        """An environment variable's value (None when unset or blank), recorded."""
        value = self.environ.get(name, "").strip() or None
        for record in self._open:
            record.environment[name] = value
        return value

    def source_date_epoch(self) -> int | None:
        """SOURCE_DATE_EPOCH as whole seconds, or None when it is not set (recorded)."""
        value = self.environment(SOURCE_DATE_EPOCH)
        if value is None:
            return None
        if not value.isdigit():
            raise ClockError(f"{SOURCE_DATE_EPOCH} must be whole seconds since 1970-01-01, not '{value}'")
        return int(value)

    def debugging(self) -> bool:
        """Whether HANDOUT_BUILDER_DEBUG is set (to anything): then a bug of ours stops the run
        with its traceback, instead of becoming one line about the leaflet and the run going on.
        Not recorded as an input: it changes what a crash says, never a PDF."""
        return bool(self.environ.get(DEBUG))

    def today(self) -> dt.date:
        """The date review status is judged on: HANDOUT_BUILDER_TODAY (YYYY-MM-DD) or the
        clock's, read once a World and never recorded (see the module's docstring)."""
        if self._today is None:
            value = self.environ.get(TODAY, "").strip()
            if not value:
                self._today = dt.date.today()
            else:
                try:
                    self._today = dt.date.fromisoformat(value)
                except ValueError:
                    raise ClockError(f"{TODAY} must be a date YYYY-MM-DD, not '{value}'") from None
        return self._today
