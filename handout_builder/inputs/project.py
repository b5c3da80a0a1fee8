"""Where a clinic's leaflets live: the folder holding handouts/, layouts/ and fonts/."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import HandoutError
from .fields import quoted



@dataclass(frozen=True)
class Project:
    """A leaflet project folder. Paths shown to authors are relative to the working folder."""

    root: Path

    @property
    def handouts_dir(self) -> Path:
        return self.root / "handouts"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def handout_files(self) -> list[Path]:
        """Every handouts/*.yaml, in name order."""
        return sorted(self.handouts_dir.glob("*.yaml"))

    def is_layout_file(self, path: Path) -> bool:
        """Whether a file is one of the project's layouts (layouts/*.yaml)."""
        return path.suffix == ".yaml" and Path(os.path.abspath(path.parent)) == Path(os.path.abspath(self.layouts_dir))

    def layout_names(self) -> list[str]:
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml"))

    def layout_file(self, name: str) -> Path:
        return self.layouts_dir / f"{name}.yaml"

    def confined(self, written: str, beside: Path | None = None) -> Path:
        """A file an author named, relative to `beside` (the folder of the handout or layout
        naming it; default the project), that must lie in the project or in `beside`
        (see `confined`)."""
        base = beside or self.root
        return confined(written, base, (self.root, base))

    def display(self, path: Path) -> str:
        """A path as the author should see it: relative to the working folder when inside it."""
        try:
            return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        except ValueError:  # another drive on Windows
            return str(path)


class OutsideProject(ValueError):
    """A file an author named (a logo, a picture) that may not be used; str() says why, for a Problem."""


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://|(data|file|javascript|mailto|blob):", re.IGNORECASE)
_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:|[\\/]{2}")  # C:\logo.png, C:logo.png, \\server\share


def confined(written: str, base: Path, roots: Iterable[Path]) -> Path:
    """The file named by `written` (relative to the folder `base`) if it lies inside one of the
    folders `roots` and exists; raise OutsideProject saying why not.

    A leaflet may use only files of its own project (or beside the handout), so that building it
    reads nothing else on the machine and fetches nothing from the network: web addresses,
    absolute paths, "../" that climbs out, and links (symlinks) that lead out are all refused.
    The logo of a layout and any picture of a handout must be found through this function.
    """
    text = written.strip()
    if not text:
        raise OutsideProject("is empty")
    if "\x00" in text:
        raise OutsideProject("holds a NUL character; give the file's name")
    if _URL.match(text):
        raise OutsideProject(f"{quoted(text)} is a web address or URL; give a file in the project instead "
                             "(the builder never fetches anything)")
    if Path(text).is_absolute() or _WINDOWS_ABSOLUTE.match(text) or text.startswith(("/", "\\", "~")):
        raise OutsideProject(f"{quoted(text)} is an absolute path; give a path inside the project, such as "
                             "images/logo.png")
    roots = [Path(root).resolve() for root in roots]
    lexical = Path(os.path.normpath(Path(base).resolve() / text.replace("\\", "/")))
    if not any(lexical.is_relative_to(root) for root in roots):
        raise OutsideProject(f"{quoted(text)} leads outside the project (through '..'); keep the file inside it")
    real = lexical.resolve()
    if not any(real.is_relative_to(root) for root in roots):
        raise OutsideProject(f"{quoted(text)} is a link to a file outside the project; copy the file into it")
    if not real.is_file():
        raise OutsideProject(f"{quoted(text)} does not exist" + (" (it is a folder)" if real.is_dir() else ""))
    return real


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` (default: the working folder) holding layouts/;
    failing that, the folder this package was installed from."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
            return Project(folder)
    beside_package = Path(__file__).resolve().parents[2]
    if (beside_package / "layouts").is_dir():
        return Project(beside_package)
    raise HandoutError.single(str(start), None, "", "no leaflet project here: no layouts/ and fonts/ folders found")
