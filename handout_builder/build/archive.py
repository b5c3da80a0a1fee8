"""The archive of every published version: archive/<stem>/<version>/<stem>-<layout>.pdf and
archive/index.csv, append-only, so the clinic can say what a family was given on any day.

A PDF is put in place (atomically) before its row is added to the index (atomically), so a
publish killed at any moment leaves every row naming a complete file; a file without its row is
finished by the next publish. A file is never replaced: the same version with other bytes is
refused. One publish at a time holds archive/.publish.lock (an flock, which the system lets go
of when the process ends, however it ends).
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import io
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterator

from ..errors import HandoutError
from ..inputs.project import Project
from ..world import data_hash
from .pipeline import Pipeline
from .signoff import status_of
from .writing import write_atomically

ARCHIVE_DIR = "archive"
INDEX_NAME = "index.csv"
LOCK_NAME = ".publish.lock"
SAFE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*\Z")


@dataclass(frozen=True)
class Row:
    """One archived file, as a row of archive/index.csv."""

    stem: str
    language: str
    version: str
    layout: str
    sha256: str
    approved_by: str
    approved_on: str  # YYYY-MM-DD
    published_on: str  # YYYY-MM-DD
    root: Path | None = None  # the project: not a column

    @property
    def relative(self) -> str:
        return f"{ARCHIVE_DIR}/{self.stem}/{self.version}/{self.stem}-{self.layout}.pdf"

    @property
    def path(self) -> Path:
        return (self.root or Path(".")) / self.relative


COLUMNS = tuple(f.name for f in fields(Row) if f.name != "root")


@dataclass(frozen=True)
class Published:
    """One leaflet's file in the archive after a publish: 'added' now, or 'already' there with
    the same bytes (a second publish of the same version)."""

    source: str
    row: Row
    state: str


class Archive:
    """A project's archive/ folder."""

    def __init__(self, project: Project):
        self.project = project
        self.root = project.root
        self.folder = project.root / ARCHIVE_DIR
        self.index = self.folder / INDEX_NAME

    def rows(self, stem: str | None = None) -> list[Row]:
        """Every row of the index (of one leaflet, by stem), in the order published."""
        try:
            text = self.index.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise HandoutError.single(self._shown(self.index), None, "", f"cannot read it: {exc}") from None
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None:
            return []
        if tuple(header) != COLUMNS:
            raise HandoutError.single(self._shown(self.index), 1, "", f"the header must be {','.join(COLUMNS)}")
        out = []
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(COLUMNS):
                raise HandoutError.single(self._shown(self.index), line, "", f"has {len(cells)} cells, not "
                                          f"{len(COLUMNS)}")
            row = Row(*cells, root=self.root)
            if stem is None or row.stem == stem:
                out.append(row)
        return out

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the publish lock for the block; HandoutError when another publish holds it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise HandoutError.single(self._shown(path), None, "", "another publish is running in this "
                                          "project; wait for it to finish") from None
            # With the lock held nothing else writes here: a temporary (writing.py) is what a killed
            # publish left, never a file's only copy, and would otherwise stay in the archive for good.
            for leftover in self.folder.rglob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            yield
        finally:
            os.close(fd)  # closing lets go of the lock

    def put(self, row: Row, data: bytes, source: str) -> Published:
        """Put one file in place and then its row in the index, unless both are there already.
        Refuse (HandoutError) a file of the same version with other bytes."""
        target = self.root / row.relative
        try:
            existing = target.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise HandoutError.single(self._shown(target), None, "", f"cannot read it: {exc.strerror}") from None
        if existing is not None and existing != data:
            raise HandoutError.single(source, None, "version", f"version {row.version} is archived already as "
                                      f"{self._shown(target)} with other bytes (sha256 {data_hash(existing)[:12]}…, "
                                      f"now {row.sha256[:12]}…); the archive is never overwritten: raise version, "
                                      "approve and publish again")
        rows = self.rows()
        recorded = next((r for r in rows if (r.stem, r.version, r.layout) == (row.stem, row.version, row.layout)),
                        None)
        if existing is not None and recorded is not None:
            return Published(source, recorded, "already")
        try:
            if existing is None:
                write_atomically(target, data)
            self._append(row, rows)
        except OSError as exc:
            raise HandoutError.single(self._shown(target), None, "", f"cannot write the archive: "
                                      f"{exc.strerror or exc}") from None
        return Published(source, row, "added")

    def _append(self, row: Row, rows: list[Row]) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for each in [*rows, row]:
            writer.writerow([getattr(each, name) for name in COLUMNS])
        write_atomically(self.index, out.getvalue().encode("utf-8"))

    def _shown(self, path: Path) -> str:
        return self.project.display(path)


def publish(pipeline: Pipeline, files: list[Path], layout: str | None = None) -> Iterator[Published | HandoutError]:
    """Release each handout (approved, not a draft, PDF/A-2u) in its own layout or `layout`,
    and put it in the archive; yield what happened to each, a HandoutError for one refused.
    The caller holds `Archive.lock()`."""
    archive = Archive(pipeline.project)
    today = pipeline.today.isoformat()
    for path in files:
        try:
            rendered = pipeline.rendered(path, layout, release=True)
            handout = rendered.document.handout
            if not SAFE_VERSION.match(handout.version):
                raise HandoutError.single(handout.file, handout.line_of("version"), "version",
                                          f"'{handout.version}' cannot name a folder of the archive; use letters, "
                                          "digits, '.', '-' and '_', such as 2.1")
            approval = status_of(pipeline, rendered.document.written or handout).approval  # the words as written
            row = Row(handout.stem, handout.language, handout.version, layout or handout.layout,
                      data_hash(rendered.data), approval.by, approval.on.isoformat(), today, pipeline.project.root)
            yield archive.put(row, rendered.data, handout.file)
        except HandoutError as exc:
            yield exc


@dataclass(frozen=True)
class Version:
    """One published version of a leaflet: when it was first published and its files."""

    version: str
    published_on: dt.date
    approved_by: str
    approved_on: str
    rows: tuple[Row, ...]


def history(project: Project, stem: str) -> list[Version]:
    """The published versions of handouts/<stem>.yaml, oldest first."""
    versions: dict[str, list[Row]] = {}
    for row in Archive(project).rows(stem):
        versions.setdefault(row.version, []).append(row)
    out = [Version(version, min(dt.date.fromisoformat(r.published_on) for r in rows), rows[0].approved_by,
                   rows[0].approved_on, tuple(rows)) for version, rows in versions.items()]
    return sorted(out, key=lambda v: v.published_on)  # stable: the index's order on the same day


def current_on(versions: list[Version], day: dt.date) -> Version | None:
    """The version that was current on `day`: the last first published on or before it."""
    before = [version for version in versions if version.published_on <= day]
    return before[-1] if before else None

