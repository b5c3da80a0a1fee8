"""The stages joined: what `build`, `check` and `list` do for each handout file.

Every file is read through the pipeline's World (world.py). Layouts and their fonts are loaded
once per name and reused across leaflets in one run; what loading one read is replayed into the
record of each leaflet that uses it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..inputs.clock import pdf_timestamp
from ..errors import HandoutError
from ..inputs.fields import did_you_mean, quoted
from ..inputs.handout import load_handout
from ..model import Handout, Layout
from ..inputs.project import Project
from ..world import Inputs, World

# Layouts, fonts, the document stage and the checks are imported where used: `list` only loads handouts.
if TYPE_CHECKING:
    from ..checks.quality import Finding, Review, WordsReview
    from ..fonts.fontset import FontSet
    from ..text.document import Document, Parsed
    from .stage_cache import StageCache


@dataclass(frozen=True)
class Built:
    """One leaflet written: where from, where to, how many pages and bytes."""

    source: str
    output: Path
    pages: int
    size: int
    warnings: tuple[Finding, ...] = ()  # what the checks found that did not stop the build
    sheets: int | None = None  # a booklet: the sheets its pages are imposed on
    also: tuple["Built", ...] = ()  # other files written for the same leaflet (a screen copy, an e-mail draft)


@dataclass(frozen=True)
class Rendered:
    """A leaflet laid out but not yet written: `data` goes to <stem>.pdf (for a booklet, the
    imposed sheets to print) and `screen`, when set, to <stem>-screen.pdf (a booklet's pages in
    reading order)."""

    document: Document
    data: bytes
    pages: int
    warnings: tuple[Finding, ...] = ()
    screen: bytes | None = None
    screen_pages: int | None = None


class Pipeline:
    """Runs handouts through the stages for one project, reading through one World (default: a
    new one for the project, seeing this process's environment)."""

    def __init__(self, project: Project, today: dt.date | None = None, world: World | None = None,
                 cache: "StageCache | None" = None):
        self.project = project
        self.world = world or World(project.root)
        self.today = today or self.world.today()  # for review status and the overdue notice
        self._layouts: dict[str, tuple[Layout, FontSet, Inputs]] = {}
        # What a build into a folder kept from the last one there (stage_cache.py); a batch sets it.
        self.cache = cache
        # Per handout key: what parsing it read, whether it came from the cache, and the words'
        # checks found there; until its review is kept with it.
        self._kept: dict[str, tuple[Inputs | None, Parsed, WordsReview | None]] = {}
        # (handout, layout) -> (stage_cache.pages_key, KeptPages): a leaflet's laid-out pages, kept
        # in the stage cache once its PDF is written (a folder short of room has the PDF first).
        self._pages_to_keep: dict[tuple[str, str], tuple[str, object]] = {}

    def layout(self, name: str) -> tuple[Layout, FontSet]:
        """A layout and its fonts by name (raises HandoutError naming the layout file)."""
        from ..fonts.fontset import FontSet
        from ..inputs.layout_file import load_layout

        if name not in self._layouts:
            with self.world.recording() as read:
                layout = load_layout(self.project, name, self.world)
            self._refuse_font_name_clash(layout)
            self._layouts[name] = (layout, FontSet.for_layout(layout, self.world), read)
        layout, fonts, read = self._layouts[name]
        self.world.replay(read)  # loaded once, an input of every leaflet that uses it
        return layout, fonts

    def _refuse_font_name_clash(self, layout: Layout) -> None:
        """A family name means one set of files in a run (ReportLab knows fonts by name)."""
        from ..fonts.fontset import layout_families

        for other, _, _ in self._layouts.values():
            theirs = {f.name: f for f in layout_families(other)}
            for family in layout_families(layout):
                if family.name in theirs and theirs[family.name] != family:
                    raise HandoutError.single(layout.file, None, "fonts", f"font name '{family.name}' means other "
                                              f"files in {other.file}; give this family a name of its own")

    def load(self, path: Path) -> Handout:
        """The inputs stage: the validated handout."""
        return load_handout(path, self.project.display(path), self.world)

    def parsed(self, path: Path) -> Parsed:
        """The inputs stage and the handout's Markdown parsed: from the folder's stage cache
        when nothing it read has changed (stage_cache.py), else worked out (and kept once its
        words are checked, in `_review`)."""
        from ..text.document import parse

        if self.cache is None:
            return parse(self.load(path))
        key, source = self.world.key(path), self.project.display(path)
        kept = self.cache.get(key, source, self.world)
        if kept is not None:
            self._kept[key] = (None, kept.parsed, kept.words)
            return kept.parsed
        with self.world.recording() as read:
            parsed = parse(self.load(path))
        self._kept[key] = (read, parsed, None)
        return parsed

    def document(self, path: Path, layout_name: str | None = None) -> Document:
        """Stages 1-3: everything `check` validates."""
        from ..fonts.fontset import FontSet
        from ..text.document import evaluate

        parsed = self.parsed(path)
        handout = parsed.handout
        name = layout_name or handout.layout
        if name not in self.project.layout_names():
            known = self.project.layout_names()
            field = "layout"
            line = handout.line_of("layout") if not layout_name else None
            raise HandoutError.single(handout.file, line, field, f"unknown layout {quoted(name)}"
                                      + did_you_mean(name, known) + f"; the layouts are {', '.join(known)}")
        layout, fonts = self.layout(name)
        if layout.language_fonts:  # a leaflet in a language with a body font of its own
            fonts = FontSet.for_layout(layout, self.world, handout.language)
        return evaluate(handout, layout, fonts, self.world, self.today, parsed, folder=path.parent)

    def check(self, path: Path, layout_name: str | None = None, page_fill: bool = False) -> Review:
        """Stages 1-3 and every quality check: what `check` reports. A leaflet that does not get
        through the stages is reviewed as its problems, each an error. A file in layouts/ is
        checked as the layout it is. `page_fill`: lay the leaflet out too (ReportLab, slower) and
        note each page more than a third empty that does not end a part (check --page-fill)."""
        from ..checks.quality import Finding, page_fill_findings, review_of_problems

        if self.project.is_layout_file(path):
            return self.check_layout(path)
        try:
            document = self.document(path, layout_name)
        except HandoutError as exc:
            return review_of_problems(self.project.display(path), exc.problems)
        found = self._review(path, document)
        if not page_fill or found.at("error"):  # a leaflet with errors would not be built: nothing to lay out
            return found
        try:
            fill = self.page_fill(document)
        except HandoutError as exc:  # something too big for a page: build names it the same way
            return replace(found, findings=tuple(sorted(found.findings + tuple(review_of_problems(
                found.file, exc.problems).findings), key=Finding.sort_key)))
        notes = page_fill_findings(document.handout, fill)
        return replace(found, findings=tuple(sorted(found.findings + tuple(notes), key=Finding.sort_key))) if notes \
            else found

    def check_layout(self, path: Path) -> Review:
        """A layout file on its own: everything loading it checks (its fields, the layouts it
        extends, its fonts, logo and colours), then the checks of a layout (quality.review_layout)."""
        from ..checks.quality import review_layout, review_of_problems

        shown = self.project.display(path)
        try:
            layout, _ = self.layout(path.stem)
        except HandoutError as exc:
            return review_of_problems(shown, exc.problems, kind="layout")
        return review_layout(shown, layout)

    def _review(self, path: Path, document: Document) -> Review:
        """Every quality check, and for a translation, how it stands against its source. The
        checks of the words alone come from the stage cache when kept there for this target."""
        from ..checks.quality import Finding, review

        found = review(document, self.today, self._words(path, document))
        extra = self.translation_findings(path, document.handout)
        return replace(found, findings=tuple(sorted(found.findings + tuple(extra), key=Finding.sort_key))) if extra else found

    def _words(self, path: Path, document: Document) -> WordsReview | None:
        """The checks of the document's words, from the stage cache or worked out and kept."""
        from ..checks.quality import reading_target, review_words

        if self.cache is None:
            return None
        key = self.world.key(path)
        read, parsed, words = self._kept.pop(key, (None, None, None))
        if parsed is None or parsed.handout is not (document.written or document.handout):  # as written, not typeset
            return None
        target = reading_target(document)
        if words is not None and words.target == target:
            return words
        if read is None:  # kept for another reading target: what parsing read, as kept
            kept = self.cache.get(key, self.project.display(path), self.world)
            read = Inputs(dict(kept.inputs), dict(kept.environment)) if kept is not None else None
        words = review_words(document, target)
        if read is not None:
            self.cache.put(key, self.project.display(path), read, parsed, words)
        return words

    def translation_findings(self, path: Path, handout: Handout) -> list[Finding]:
        """For a translation: its source is missing, broken or has moved on (checks/translations.py)."""
        from ..checks.translations import source_path, translation_findings

        source = source_path(path, handout)
        if source is None:
            return []
        loaded, problem = None, None
        try:
            loaded = self.load(source) if self.world.is_file(source) else None
        except HandoutError as exc:
            problem = f"it has {len(exc.problems)} problem(s); run check on it"
        return translation_findings(handout, loaded, self.project.display(source), problem)

    def render(self, document: Document, archival: bool = False) -> tuple[bytes, int]:
        """Stages 4-5, and tagging (5c) unless the layout turns it off: the PDF bytes and page count.
        Something too big for a page is a HandoutError naming the part of the handout (render/pages.py).
        `archival`: a released copy, PDF/A-2u as well as PDF/UA-1 (render/archival.py)."""
        # The PDF's date: decided here, so only a build (never `check`) reads SOURCE_DATE_EPOCH.
        document = replace(document, pdf_date=pdf_timestamp(document.handout.reviewed, self.world.source_date_epoch()))
        if document.layout.print_approval:  # the approvals file is then an input of the leaflet
            from .signoff import status_of

            approval = status_of(self, document.handout).approval
            missing = document.fonts.missing(approval.by) if approval is not None else None
            if missing:
                from ..inputs.approvals import approvals_file

                raise HandoutError.single(self.project.display(approvals_file(self.project.root, document.handout.stem)),
                                          approval.line, "by", f"the layout prints who approved the leaflet, but its "
                                          f"fonts cannot draw {', '.join(repr(c) for c in missing)}")
            document = replace(document, approval=approval)
        if archival and not document.layout.tagged:
            raise HandoutError.single(document.layout.file, document.layout.lines.get("accessibility"), "accessibility",
                                      "a released copy must be a tagged PDF (PDF/UA and PDF/A-2u); this layout "
                                      "turns tagging off")
        drawn = self._drawn_from_kept(document)
        if drawn is not None:
            data, pages, marks = drawn
        else:
            data, pages, marks = self._laid_out(document)
        if marks is None:
            return data, pages
        from ..render.tagging import tag_pdf

        try:
            return tag_pdf(data, marks, document.words, archival), pages
        except ValueError as exc:
            if not archival:
                raise
            raise HandoutError.single(document.handout.file, None, "", f"cannot be made an archival PDF (PDF/A-2u): "
                                      f"{exc}") from None

    def _laid_out(self, document: Document) -> tuple[bytes, int, object]:
        """The story made, laid out on pages and drawn: the untagged PDF bytes, the page count and
        the marks to tag it with (None: an untagged layout). With a stage cache, what the story
        drew on each page is kept for the next build (`_drawn_from_kept`)."""
        from ..render.pages import render
        from ..render.story import build_story
        from .stage_cache import pages_key

        story = build_story(document)
        marks = None
        if document.layout.tagged:
            from ..render.marking import mark_story

            story, marks = mark_story(story)
        kept: list | None = [] if self.cache is not None else None
        data, pages = render(document, story, marks, kept=kept)
        if kept and kept[0] is not None:  # kept once the leaflet's files are written (`write`)
            self._pages_to_keep[(document.handout.file, document.layout.name)] = (pages_key(document), kept[0])
        return data, pages, marks

    def _drawn_from_kept(self, document: Document) -> tuple[bytes, int, object] | None:
        """The leaflet drawn from its story's pages as the last build into the folder kept them,
        when nothing the story depends on has changed since (stage_cache.pages_key: a new phone
        number in the layout redraws only the header and footer); None otherwise."""
        if self.cache is None:
            return None
        from .stage_cache import pages_key

        kept = self.cache.pages(document.handout.file, document.layout.name, pages_key(document))
        if kept is None:
            return None
        from ..render.handoff import first_page_of
        from ..render.kept_pages import NotKept
        from ..render.pages import draw_kept

        first_page = first_page_of(document)
        marks = None
        if document.layout.tagged:
            from ..render.marking import first_page_marks

            marks = first_page_marks(first_page)
        try:
            data, pages = draw_kept(document, first_page, kept, marks)
        except NotKept:  # page 1's header reads other items now (a logo added): lay out anew
            return None
        except (LookupError, TypeError, ValueError, AttributeError):  # an entry that unpickled but is not whole
            return None
        return data, pages, marks

    def page_fill(self, document: Document) -> list:
        """How full each page of the leaflet is (render/pages.py's PageFill, a page each): laid out
        as `build` lays it out, untagged (tagging moves nothing on the page)."""
        from ..render.pages import render
        from ..render.story import build_story

        fill: list = []
        render(document, build_story(document), fill=fill)
        return fill

    def rendered(self, path: Path, layout_name: str | None = None, release: bool = False) -> "Rendered":
        """Stages 1-5 with the review: the PDF bytes of a leaflet that passed `check`'s errors.
        `release`: a copy for families and the archive: refused unless approved and not a draft
        (build/signoff.py), and PDF/A-2u as well as PDF/UA."""
        document = self.document(path, layout_name)
        if release:
            from .signoff import release_problems

            refused = release_problems(self, document.handout)
            if refused:
                raise HandoutError(refused)
        found = self._review(path, document)  # the same checks as `check`: errors stop the leaflet here
        if found.at("error"):
            raise HandoutError([finding.problem() for finding in found.at("error")])
        if release and document.layout.booklet_sheet:
            raise HandoutError.single(document.layout.file, None, "page.booklet", "a booklet is not released: "
                                      "release the leaflet in a layout of single pages")
        data, pages = self.render(document, archival=True) if release else self.render(document)
        if document.layout.booklet_sheet:  # the booklet to print, and its pages in order for screens
            from ..render.imposition import booklet_pages, impose_booklet

            sheets = impose_booklet(data, document.layout.booklet_sheet, document.words["booklet_title"])
            return Rendered(document, sheets, booklet_pages(pages), found.at("warning"), screen=data,
                            screen_pages=pages)
        return Rendered(document, data, pages, found.at("warning"))

    def build(self, path: Path, out_dir: Path, layout_name: str | None = None) -> Built:
        """All stages: validate, lay out and write `out_dir/<stem>.pdf` (or `<stem>-<layout>.pdf`)."""
        return self.write(self.rendered(path, layout_name), out_dir, layout_name)

    def write(self, rendered: "Rendered", out_dir: Path, layout_name: str | None = None) -> Built:
        """Write rendered bytes to `out_dir/<stem>.pdf` (or `<stem>-<layout>.pdf`), with a
        booklet's screen copy and an email layout's e-mail draft beside it."""
        from .writing import write_atomically

        document, data = rendered.document, rendered.data
        stem = document.handout.stem + (f"-{layout_name}" if layout_name else "")
        output = out_dir / f"{stem}.pdf"
        built = Built(source=document.handout.file, output=output, pages=rendered.pages, size=len(data),
                      warnings=rendered.warnings)
        files = [(output, data)]
        if rendered.screen is not None:
            screen = out_dir / f"{stem}-screen.pdf"
            files.insert(0, (screen, rendered.screen))
            built = replace(built, sheets=rendered.pages // 4, also=(
                Built(source=built.source, output=screen, pages=rendered.screen_pages, size=len(rendered.screen)),))
        if document.layout.email_draft:  # a ready e-mail with the PDF attached (email_draft.py)
            from .email_draft import email_draft

            draft = output.with_suffix(".eml")
            files.append((draft, email_draft(document, output.name, data)))
            built = replace(built, also=(*built.also, Built(source=built.source, output=draft, pages=0,
                                                             size=len(files[-1][1]))))
        for target, content in files:
            try:
                write_atomically(target, content)
            except OSError as exc:
                raise HandoutError.single(self.project.display(target), None, "",
                                          f"cannot write the PDF: {exc.strerror or exc}") from None
        kept = self._pages_to_keep.pop((document.handout.file, document.layout.name), None)
        if kept is not None and self.cache is not None:
            self.cache.put_pages(document.handout.file, document.layout.name, *kept)
        return built
