"""Watch mode: wait for an author to save a handout, a layout or a font, and say what changed.

watchfiles does the watching (native file events, with polling where there are none). Changes
that arrive together (an editor's save is often several events) come back as one set, 50 ms
after the last of them, so a leaflet is rebuilt well within a second of being saved.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

from ..inputs.project import Project

WATCHED_SUFFIXES = (".yaml", ".yml", ".ttf", ".otf")


def watched_folders(project: Project, paths: Iterable[Path]) -> list[Path]:
    """The folders to watch: those holding the handouts asked for (or handouts/), layouts/ and
    fonts/. Folders, not files, because editors save by replacing the file."""
    folders = {(p if p.is_dir() else p.parent).resolve() for p in paths} or {project.handouts_dir.resolve()}
    folders |= {project.layouts_dir.resolve(), project.fonts_dir.resolve()}
    return sorted(f for f in folders if f.is_dir())


def relevant(path: str) -> bool:
    """A handout, layout or font file; not an editor's or our own temporary file."""
    name = Path(path).name
    return name.lower().endswith(WATCHED_SUFFIXES) and not name.startswith((".", "~", "#"))


def changes(folders: list[Path], stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """Each set of relevant files that changed together, until `stop` is set (or Ctrl-C, which
    raises KeyboardInterrupt). An empty set comes every half second when nothing changed; the
    first one means the watching has begun."""
    from watchfiles import watch

    for batch in watch(*folders, watch_filter=lambda change, path: relevant(path), step=50,
                       rust_timeout=500, yield_on_timeout=True, stop_event=stop, raise_interrupt=True):
        yield {Path(path) for _, path in batch}
