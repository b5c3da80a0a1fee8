"""Where a clinic's leaflets live: the folder holding handouts/, layouts/ and fonts/."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import HandoutError

DEFAULT_LAYOUT = "clinic-a4"


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

    def layout_names(self) -> list[str]:
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml"))

    def layout_file(self, name: str) -> Path:
        return self.layouts_dir / f"{name}.yaml"

    def display(self, path: Path) -> str:
        """A path as the author should see it: relative to the working folder when inside it."""
        try:
            return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        except ValueError:  # another drive on Windows
            return str(path)


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` (default: the working folder) holding layouts/;
    failing that, the folder this package was installed from."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
            return Project(folder)
    beside_package = Path(__file__).resolve().parent.parent
    if (beside_package / "layouts").is_dir():
        return Project(beside_package)
    raise HandoutError.single(str(start), None, "", "no leaflet project here: no layouts/ and fonts/ folders found")
