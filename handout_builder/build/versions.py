"""The words each version of a leaflet stands for, across every output folder of the project.

"The text changed but version is still 1.0" must compare a leaflet's words with the words its
version was first given, not with the last build into one folder: a build into a fresh `-o`
folder has no manifest to compare with, and a manifest only knows its own folder. So the words
first built under each version of each leaflet are kept in one file of the project,
`handouts/built-words.json` (commit it with the handouts), whichever folder the build wrote to.

It is read through the World outside any leaflet's recording, so it is no leaflet's input: writing
it never makes a PDF stale, and `--watch` does not rebuild when it changes.

`signed_off_words` is the one place the warning asks; the approvals of the sign-off issue
(approvals/<stem>.yaml) will answer there first, once they exist.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs.project import Project
from ..world import World
from .writing import write_atomically

RECORD_NAME = "built-words.json"
FORMAT = 1


@dataclass
class WordsRecord:
    """For each leaflet (by its input key, "handouts/x.yaml"), each version -> the text
    fingerprint (manifest.text_fingerprint) it was first built with, in any output folder."""

    path: Path
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def of(cls, project: Project, world: World) -> "WordsRecord":
        """The project's record; an empty one when there is none or it cannot be read (then the
        first build of each version sets it again)."""
        record = cls(project.handouts_dir / RECORD_NAME)
        try:
            data = json.loads(world.read_bytes(record.path).decode("utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("leaflets"), dict):
                record.versions = {key: {str(v): str(words) for v, words in versions.items()}
                                   for key, versions in data["leaflets"].items() if isinstance(versions, dict)}
        except (OSError, ValueError, AttributeError):
            pass
        return record

    def note(self, leaflet: str, version: str, words: str) -> None:
        """A build of `leaflet` as `version` with these words: kept if it is the version's first."""
        versions = self.versions.setdefault(leaflet, {})
        if version not in versions:
            versions[version] = words
            self.changed = True

    def first_built(self, leaflet: str, version: str) -> str | None:
        """The words `version` of `leaflet` was first built with, in any folder, if it was."""
        return self.versions.get(leaflet, {}).get(version)

    def write(self) -> None:
        """Replace the file in one step, when a build noted a new version."""
        if not self.changed:
            return
        data = {"format": FORMAT, "leaflets": {key: dict(sorted(v.items())) for key, v in sorted(self.versions.items())}}
        write_atomically(self.path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        self.changed = False


def signed_off_words(record: WordsRecord, leaflet: str, version: str) -> str | None:
    """The words `version` of a leaflet stands for: the text fingerprint a changed text under the
    same version is warned against. For now the words first built under that version in any
    output folder; the sign-off record (approvals/<stem>.yaml, issue 17) is to answer first."""
    return record.first_built(leaflet, version)
