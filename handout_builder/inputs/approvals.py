"""Clinical sign-offs: reading `approvals/<stem>.yaml`, and what they say about a leaflet's words.

A clinician approves exactly the words a family reads: each entry records a version, the
fingerprint of its words (build/manifest.py `text_fingerprint`, the same hash `build`'s version
warning uses, so a layout-only change keeps its approval), who approved it and when. The file is
plain YAML, one entry a version, oldest first, appended by `build-pdf approve`
(build/signoff.py) and committed with the leaflets:

    approvals:
      - version: "1.1"
        words: 3f5a...   # SHA-256 of the words
        by: "Dr Ana Silva, consultant paediatric oncologist"
        date: 2026-03-01

Files are read through the World like every other input. Nothing here computes a fingerprint
(that is the build stage's): callers pass the one they have.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import HandoutError, ProblemList
from ..world import World
from .fields import Fields
from .source import Node, parse_yaml, read_yaml

APPROVALS_DIR = "approvals"
ENTRY_FIELDS = ("version", "words", "by", "date")
FINGERPRINT = re.compile(r"[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class Approval:
    """One sign-off: these words (their fingerprint), under this version, by whom and when."""

    version: str
    words: str
    by: str
    on: dt.date
    line: int | None = None  # in the approvals file


@dataclass(frozen=True)
class ApprovalStatus:
    """How a leaflet's current words stand against its sign-offs."""

    approval: Approval | None  # the sign-off of exactly these words under this version, if any
    last: Approval | None  # the latest sign-off of any words
    same_words: Approval | None = None  # a sign-off of these words under another version

    @property
    def approved(self) -> bool:
        return self.approval is not None

    def __str__(self) -> str:
        if self.approval is not None:
            return f"approved (version {self.approval.version}, by {self.approval.by} on {self.approval.on})"
        if self.last is None:
            return "not approved (never signed off)"
        if self.same_words is not None:
            return (f"not approved (a new version number; the words are those of version {self.same_words.version}, "
                    "approved before)")
        return f"not approved (words changed since version {self.last.version} was approved)"


def approvals_folder(root: Path) -> Path:
    """Where a project keeps its sign-offs."""
    return root / APPROVALS_DIR


def approvals_file(root: Path, stem: str) -> Path:
    """The sign-offs of handouts/<stem>.yaml."""
    return approvals_folder(root) / f"{stem}.yaml"


def keeps_approvals(root: Path) -> bool:
    """Whether the project has started signing leaflets off (it has an approvals/ folder): only
    then do `check --strict` and `list` judge approval; `build --release` and `publish` always do."""
    return approvals_folder(root).is_dir()


def read_approvals(path: Path, display: str, world: World) -> tuple[Approval, ...]:
    """Every sign-off in an approvals file, oldest first; () when there is no file. Raise
    HandoutError (file, line, field) when it is malformed."""
    if not world.is_file(path):
        return ()
    return approvals_in(read_yaml(path, display, world), display)


def approvals_in(tree: Node, display: str) -> tuple[Approval, ...]:
    """The sign-offs in a parsed approvals file (see read_approvals)."""
    problems = ProblemList(display)
    if not tree.is_mapping:
        raise HandoutError.single(display, tree.line, "", "must be a mapping with 'approvals:', a list of sign-offs")
    top = Fields(tree, "", problems, ("approvals",))
    found: list[Approval] = []
    for where, node in top.mappings("approvals", required=True):
        entry = Fields(node, where, problems, ENTRY_FIELDS)
        version = entry.text("version", required=True, numbers=False)
        words = entry.text("words", required=True)
        by = entry.text("by", required=True)
        on = entry.date("date", required=True)
        if words and not FINGERPRINT.match(words):
            entry.fail("words", "must be the 64-character fingerprint `approve` wrote; do not edit it")
        if version and words and by and on and FINGERPRINT.match(words):
            found.append(Approval(version, words, by, on, node.line))
    seen: dict[str, Approval] = {}
    for approval in found:
        earlier = seen.get(approval.version)
        if earlier is not None and earlier.words != approval.words:
            problems.add(approval.line, "version", f"version {approval.version} was approved with other words on "
                         f"line {earlier.line}; each version is approved once")
        seen[approval.version] = approval
    problems.raise_if_any()
    return tuple(found)


def approvals_in_text(text: str, display: str) -> tuple[Approval, ...]:
    """The sign-offs in an approvals file's text (to check one before it is written)."""
    return approvals_in(parse_yaml(text, display), display)


def last_approval(root: Path, stem: str, display: str, world: World) -> Approval | None:
    """The last approved record for a handout (the stem of handouts/<stem>.yaml), or None.
    `display` is how to name the approvals file in a problem."""
    approvals = read_approvals(approvals_file(root, stem), display, world)
    return approvals[-1] if approvals else None


def approval_status(approvals: tuple[Approval, ...], version: str, fingerprint: str) -> ApprovalStatus:
    """Whether the words with `fingerprint`, under `version`, were signed off."""
    approval = next((a for a in reversed(approvals) if a.words == fingerprint and a.version == version), None)
    same_words = next((a for a in reversed(approvals) if a.words == fingerprint), None)
    return ApprovalStatus(approval, approvals[-1] if approvals else None, same_words)
