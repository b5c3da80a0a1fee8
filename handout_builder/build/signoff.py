"""Clinical sign-off: whether a leaflet's current words are approved, what may be released, and
recording a new approval in approvals/<stem>.yaml (read by inputs/approvals.py).

The words are those of `text_fingerprint` (manifest.py), the hash `build`'s version warning uses:
a layout-only change keeps a leaflet approved, any change to what families read does not.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks.findings import ERROR, WARNING, Finding
from ..errors import HandoutError, Problem
from ..inputs.approvals import (Approval, ApprovalStatus, approval_status, approvals_file, approvals_in_text,
                               keeps_approvals, read_approvals)
from ..model import Handout
from .pipeline import Pipeline

if TYPE_CHECKING:  # `check` and `list` ask for a status; only `approve` compares PDFs (changes.py)
    from ..checks.quality import Review
    from .changes import SectionChange

HEADER = ("# Clinical sign-offs of handouts/{stem}.yaml, one entry a version, oldest first.\n"
          "# Written by `build-pdf approve`; commit this file, and never edit an entry.\n"
          "approvals:\n")


def approvals_of(pipeline: Pipeline, stem: str) -> tuple[Approval, ...]:
    """Every sign-off of handouts/<stem>.yaml, read through the pipeline's World."""
    path = approvals_file(pipeline.project.root, stem)
    return read_approvals(path, pipeline.project.display(path), pipeline.world)


def status_of(pipeline: Pipeline, handout: Handout) -> ApprovalStatus:
    """Whether the handout's current words, under its current version, are signed off."""
    from .manifest import text_fingerprint  # here: `check` of a project without approvals needs no manifest

    return approval_status(approvals_of(pipeline, handout.stem), handout.version, text_fingerprint(handout))


def release_problems(pipeline: Pipeline, handout: Handout) -> list[Problem]:
    """Why a leaflet may not be released (build --release, publish): it is a draft, or its words
    are not approved. Empty when it may."""
    problems = []
    if handout.draft:
        problems.append(Problem(handout.file, handout.line_of("draft"), "draft",
                                "a draft is never released; remove 'draft: true' once it is approved"))
    status = status_of(pipeline, handout)
    if not status.approved:
        problems.append(Problem(handout.file, handout.line_of("version"), "version",
                                f"{status}; run approve before releasing it"))
    return problems


@dataclass(frozen=True)
class Proposal:
    """An approval about to be recorded: what is approved, the last approval, and the words that
    changed since (`changes`, or None with `no_diff` saying why they cannot be shown)."""

    handout: Handout
    approval: Approval
    last: Approval | None
    changes: list[SectionChange] | None
    compared_with: str | None  # the PDF of the last approved words that `changes` compares with
    no_diff: str | None
    already: Approval | None = None  # these words under this version are approved already


def propose(pipeline: Pipeline, path: Path, by: str, out_dir: Path | None = None) -> Proposal:
    """Prepare the approval of a handout's current words by `by` ("Name, role"), today. Raise
    HandoutError when it must be refused: it does not pass `check`'s errors, or its words changed
    but its version did not."""
    by = " ".join(by.split())
    name, _, role = by.partition(",")
    if not name.strip() or not role.strip():
        raise HandoutError.single(pipeline.project.display(path), None, "--by",
                                  f"'{by}' must name the clinician and their role: --by \"Name, role\"")
    review = pipeline.check(path)
    errors = review.at("error")
    if errors:
        raise HandoutError([finding.problem() for finding in errors])
    handout = pipeline.load(path)
    from .manifest import text_fingerprint

    fingerprint = text_fingerprint(handout)
    approvals = approvals_of(pipeline, handout.stem)
    last = approvals[-1] if approvals else None
    approval = Approval(handout.version, fingerprint, by, pipeline.today)
    status = approval_status(approvals, handout.version, fingerprint)
    if status.approved:
        return Proposal(handout, approval, last, None, None, None, already=status.approval)
    same_version = next((a for a in approvals if a.version == handout.version), None)
    if same_version is not None:
        raise HandoutError.single(handout.file, handout.line_of("version"), "version",
                                  f"the words changed since version {handout.version} was approved on "
                                  f"{same_version.on}, but version is still \"{handout.version}\"; raise version "
                                  "before approving the new words")
    if last is None:
        return Proposal(handout, approval, None, None, None, "never approved before: every word is new")
    old = _pdf_of_words(pipeline, path, handout, last, out_dir or pipeline.project.root / "build")
    if old is None:
        return Proposal(handout, approval, last, None, None,
                        f"no PDF of version {last.version}'s words is at hand (not in archive/ nor in the build "
                        "folder), so the changes cannot be shown")
    old_path, layout = old
    new_data, _ = pipeline.render(pipeline.document(path, layout))
    shown = pipeline.project.display(old_path)
    from .changes import compare, read_sections

    changes = compare(read_sections(old_path.read_bytes(), shown), read_sections(new_data, handout.file))
    return Proposal(handout, approval, last, changes, shown, None)


def _pdf_of_words(pipeline: Pipeline, path: Path, handout: Handout, last: Approval,
                  out_dir: Path) -> tuple[Path, str | None] | None:
    """A PDF holding the last approved words, and the layout it was made in (None: the leaflet's
    own): its archived copy, else one built from `path` into `out_dir` whose manifest says it
    had them."""
    from .archive import Archive
    from .manifest import Manifest

    for row in Archive(pipeline.project).rows(handout.stem):
        if row.version == last.version and row.path.is_file():
            return row.path, row.layout
    key = pipeline.world.key(path)
    for name, entry in sorted(Manifest.read(out_dir).entries.items()):
        if entry.source == key and entry.text == last.words and (out_dir / name).is_file():
            return out_dir / name, entry.layout_option
    return None


def record(pipeline: Pipeline, approval: Approval, stem: str) -> Path:
    """Append the approval to approvals/<stem>.yaml in one atomic step (the file is the old one
    or the old one and the new entry, never part of it) and return the file."""
    path = approvals_file(pipeline.project.root, stem)
    try:
        old = path.read_bytes().decode("utf-8") if path.is_file() else HEADER.format(stem=stem)
    except (OSError, UnicodeDecodeError) as exc:
        raise HandoutError.single(pipeline.project.display(path), None, "", f"cannot read it: {exc}") from None
    if old and not old.endswith("\n"):
        old += "\n"
    entry = (f"  - version: {json.dumps(approval.version, ensure_ascii=False)}\n"
             f"    words: {approval.words}\n"
             f"    by: {json.dumps(approval.by, ensure_ascii=False)}\n"
             f"    date: {approval.on.isoformat()}\n")
    new = old + entry
    _check_appended(pipeline, path, new, approval)
    try:
        from .writing import write_atomically

        write_atomically(path, new.encode("utf-8"))
    except OSError as exc:
        raise HandoutError.single(pipeline.project.display(path), None, "",
                                  f"cannot write the approval: {exc.strerror or exc}") from None
    return path


def _check_appended(pipeline: Pipeline, path: Path, text: str, approval: Approval) -> None:
    """The file with the new entry must read back with it as its last entry (a hand-edited file
    whose last key is not `approvals:` would take it elsewhere): refuse rather than write that."""
    approvals = approvals_in_text(text, pipeline.project.display(path))
    last = approvals[-1] if approvals else None
    if last is None or (last.version, last.words, last.by, last.on) != (approval.version, approval.words,
                                                                        approval.by, approval.on):
        raise HandoutError.single(pipeline.project.display(path), None, "approvals",
                                  "the new sign-off would not be read as the last entry of 'approvals:'; "
                                  "keep 'approvals:' the last key of the file")



def sign_off_review(pipeline: Pipeline, path: Path, found: Review) -> Review:
    """`check`'s review with a warning when the leaflet's words are not approved, in a project
    that keeps approvals (inputs/approvals.py `keeps_approvals`); so `check --strict` fails on it.
    A leaflet that did not load is left as it is: its errors say enough."""
    if not keeps_approvals(pipeline.project.root) or found.at("error"):
        return found
    try:
        handout = pipeline.load(path)
        status = status_of(pipeline, handout)
    except HandoutError as exc:
        extra = [Finding(p.file, p.line, p.field, ERROR, "sign-off", p.message) for p in exc.problems]
    else:
        if status.approved:
            return found
        extra = [Finding(handout.file, handout.line_of("version"), "version", WARNING, "sign-off",
                         f"{status}; run approve")]
    return replace(found, findings=tuple(sorted(found.findings + tuple(extra), key=Finding.sort_key)))
