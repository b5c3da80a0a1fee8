"""The stages joined: what `build`, `check` and `list` do for each handout file.

Layouts and their fonts are loaded once per name and reused across leaflets in one run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .document import Document, evaluate
from .errors import HandoutError
from .fields import did_you_mean, quoted
from .fonts import FontSet
from .handout import load_handout
from .layout import load_layout
from .model import Handout, Layout
from .project import Project


@dataclass(frozen=True)
class Built:
    """One leaflet written: where from, where to, how many pages and bytes."""

    source: str
    output: Path
    pages: int
    size: int


def too_large(document: Document, exc: Exception) -> HandoutError:
    """ReportLab's LayoutError as a problem naming the part of the handout that did not fit."""
    field = getattr(exc, "part", None) or "sections"
    what = re.search(r"<(Table|Paragraph|ListFlowable|KeepTogether)\b", str(exc))
    thing = {"Table": "a table or box", "Paragraph": "a paragraph", "ListFlowable": "a list",
             "KeepTogether": "a box"}.get(what.group(1) if what else "", "something")
    how = "wide" if str(exc).startswith("too wide") else "large"
    hint = " (a table's header row repeats on every page, so it must fit on one)" if thing == "a table or box" else ""
    return HandoutError.single(document.handout.file, document.handout.line_of(field), field,
                               f"{thing} here is too {how} to fit on a page, even on a page of its own{hint}; "
                               "break it up")


class Pipeline:
    """Runs handouts through the stages for one project."""

    def __init__(self, project: Project):
        self.project = project
        self._layouts: dict[str, tuple[Layout, FontSet]] = {}

    def layout(self, name: str) -> tuple[Layout, FontSet]:
        """A layout and its fonts by name (raises HandoutError naming the layout file)."""
        if name not in self._layouts:
            layout = load_layout(self.project, name)
            self._refuse_font_name_clash(layout)
            self._layouts[name] = (layout, FontSet.for_layout(layout))
        return self._layouts[name]

    def _refuse_font_name_clash(self, layout: Layout) -> None:
        """A family name means one set of files in a run (ReportLab knows fonts by name)."""
        for other, _ in self._layouts.values():
            theirs = {f.name: f for f in (other.body_font, *other.fallback_fonts)}
            for family in (layout.body_font, *layout.fallback_fonts):
                if family.name in theirs and theirs[family.name] != family:
                    raise HandoutError.single(layout.file, None, "fonts", f"font name '{family.name}' means other "
                                              f"files in {other.file}; give this family a name of its own")

    def load(self, path: Path) -> Handout:
        """Stage 1-2: the validated handout."""
        return load_handout(path, self.project.display(path))

    def document(self, path: Path, layout_name: str | None = None) -> Document:
        """Stages 1-3: everything `check` validates."""
        handout = self.load(path)
        name = layout_name or handout.layout
        if name not in self.project.layout_names():
            known = self.project.layout_names()
            field = "layout"
            line = handout.line_of("layout") if not layout_name else None
            raise HandoutError.single(handout.file, line, field, f"unknown layout {quoted(name)}"
                                      + did_you_mean(name, known) + f"; the layouts are {', '.join(known)}")
        layout, fonts = self.layout(name)
        return evaluate(handout, layout, fonts)

    def render(self, document: Document) -> tuple[bytes, int]:
        """Stages 4-5: the PDF bytes and page count."""
        from reportlab.platypus.doctemplate import LayoutError

        from .pages import render
        from .story import build_story

        try:
            return render(document, build_story(document))
        except LayoutError as exc:
            raise too_large(document, exc) from None

    def build(self, path: Path, out_dir: Path, layout_name: str | None = None) -> Built:
        """All stages: validate, lay out and write `out_dir/<stem>.pdf` (or `<stem>-<layout>.pdf`)."""
        from .writing import write_atomically

        document = self.document(path, layout_name)
        data, pages = self.render(document)
        stem = document.handout.stem + (f"-{layout_name}" if layout_name else "")
        output = out_dir / f"{stem}.pdf"
        try:
            write_atomically(output, data)
        except OSError as exc:
            raise HandoutError.single(self.project.display(output), None, "",
                                      f"cannot write the PDF: {exc.strerror or exc}") from None
        return Built(source=document.handout.file, output=output, pages=pages, size=len(data))
