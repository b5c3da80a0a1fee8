"""Watch mode: wait for an author to save something a leaflet was built from, and say what changed.

What to watch is what the builds read, as the World recorded it (world.py): the folder of every
file read (handouts, layouts, logos, fonts, catalogues, and any new kind of input) and of every
folder listed, plus the folders where new handouts may appear. A save is relevant when it is one
of those files, a file in a listed folder, or a handout. Nothing here knows the kinds of input.

watchfiles does the watching (native file events, with polling where there are none). Changes
that arrive together (an editor's save is often several events) come back as one set, 50 ms
after the last of them, so a leaflet is rebuilt well within a second of being saved.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..inputs.project import Project
from ..world import LISTING, Inputs, World

HANDOUT_SUFFIX = ".yaml"  # what a handout is named: a new one in a watched handout folder is built


@dataclass(frozen=True)
class Watched:
    """What to watch after a build: the files read, the folders listed (with the ending of the
    names listed), and the folders handouts come from."""

    files: frozenset[Path]
    listed: frozenset[tuple[Path, str]]
    handout_folders: frozenset[Path]

    @classmethod
    def of(cls, project: Project, paths: Iterable[Path], read: Iterable[Inputs], world: World) -> "Watched":
        """From the handouts asked for (none: handouts/) and the records of what their builds read."""
        handouts = frozenset((p if p.is_dir() else p.parent).resolve() for p in paths) \
            or frozenset({project.handouts_dir.resolve()})
        files, listed = set(), set()
        for inputs in read:
            for key in inputs.files:
                if LISTING in key:
                    folder, suffix = key.split(LISTING, 1)
                    listed.add((world.path(folder).resolve(), suffix))
                else:
                    files.add(world.path(key).resolve())
        return cls(frozenset(files), frozenset(listed), handouts)

    @property
    def folders(self) -> list[Path]:
        """The folders to watch (folders, not files, because editors save by replacing the file)."""
        folders = {path.parent for path in self.files} | {folder for folder, _ in self.listed} | self.handout_folders
        return sorted(folder for folder in folders if folder.is_dir())

    def relevant(self, path: str) -> bool:
        """A file the builds read, a file in a folder they listed, or a handout; not an editor's
        or our own temporary file."""
        name = Path(path).name
        if name.startswith((".", "~", "#")):
            return False
        where = Path(path).resolve()
        return (where in self.files or (where.parent in self.handout_folders and name.endswith(HANDOUT_SUFFIX))
                or any(where.parent == folder and name.endswith(suffix) for folder, suffix in self.listed))


def changes(folders: list[Path], relevant: Callable[[str], bool],
            stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """Each set of relevant files that changed together, until `stop` is set (or Ctrl-C, which
    raises KeyboardInterrupt). An empty set comes every half second when nothing changed; the
    first one means the watching has begun."""
    from watchfiles import watch

    for batch in watch(*folders, watch_filter=lambda change, path: relevant(path), step=50,
                       rust_timeout=500, yield_on_timeout=True, stop_event=stop, raise_interrupt=True):
        yield {Path(path) for _, path in batch}
