"""build-pdf: turn the clinic's YAML leaflets into PDFs (`build`),
validate them (`check`), list them (`list`), sign them off (`approve`) and archive what is
released (`publish`, `history`). A thin command line over the handout_builder engine.

    python build_pdf.py COMMAND ...
"""
from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click



def _load_engine() -> None:
    """Import what every command needs into this module. The group calls it before any command
    runs; `--help` and `--version` never need the engine (importing it is most of their
    start-up). The rest is imported by the commands that use it (`_load_build`, `_load_checks`),
    so `list` loads handouts without the document stage and the checks, and `check` without the
    build's batch, manifest and library."""
    global HandoutError, describe_crash, internal_error, internal_error_row, Pipeline, find_project, ClockError
    from handout_builder.errors import HandoutError, describe_crash, internal_error, internal_error_row
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import find_project
    from handout_builder.world import ClockError


def _load_build() -> None:
    """What `build` (and `diff`'s last build) needs beyond every command's engine: the batch, its
    workers and manifest, the progress bar, the version record and the library page."""
    global Batch, Workers, Progress, WordsRecord, write_library, written_over
    from handout_builder.build.batch import Batch, Workers, written_over
    from handout_builder.build.library import write_library
    from handout_builder.build.progress import Progress
    from handout_builder.build.versions import WordsRecord


def _load_checks() -> None:
    """What `check` needs to review leaflets and show what it found."""
    global report, ERROR, WARNING, Review, review_of_problems
    from handout_builder.checks import report
    from handout_builder.checks.quality import ERROR, WARNING, Review, review_of_problems


def _pipeline() -> Pipeline:
    try:
        return Pipeline(find_project())
    except (HandoutError, ClockError) as exc:
        raise click.UsageError(str(exc)) from None


def _handout_files(pipeline: Pipeline, paths: tuple[Path, ...]) -> list[Path]:
    """The handout files named, the *.yaml in folders named, or every handouts/*.yaml."""
    if not paths:
        files = pipeline.project.handout_files()
        if not files:
            raise click.UsageError(f"no handouts found in {pipeline.project.display(pipeline.project.handouts_dir)}/")
        return files
    files = []
    for path in paths:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    if not files:  # only folders, with no handout in them
        raise click.UsageError(f"no handouts found in {', '.join(pipeline.project.display(p) + '/' for p in paths)}")
    return files


def _check_layout_option(pipeline: Pipeline, layout: str | None) -> None:
    if layout and layout not in pipeline.project.layout_names():
        raise click.BadParameter(f"unknown layout '{layout}'; the layouts are "
                                 f"{', '.join(pipeline.project.layout_names())}", param_hint="-l/--layout")


def _terminal_width() -> int | None:
    """The terminal's width when output goes to one, so tables fit it; None when piped or
    redirected, where each row stays one line of full text for tools and files."""
    if not sys.stdout.isatty():
        return None
    import shutil  # here: piped, `list` and `check` need none of it

    return shutil.get_terminal_size().columns


def _report(exc: HandoutError) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)


def _run(pipeline: Pipeline, path: Path, step):
    """Run one leaflet's step; print its problems and return None when it fails."""
    try:
        return step(path)
    except HandoutError as exc:
        _report(exc)
    except Exception as exc:  # a bug of ours: still one line, and the other leaflets go on
        if pipeline.world.debugging():
            raise
        click.echo(str(internal_error(pipeline.project.display(path), describe_crash(exc))), err=True)
    return None


PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
LAYOUT = click.option("-l", "--layout", metavar="NAME",
                      help="Lay every leaflet out with this layout (layouts/NAME.yaml) instead of its own; "
                           "the PDF is then named <stem>-<layout>.pdf.")
CHECK_LAYOUT = click.option("-l", "--layout", metavar="NAME",
                            help="Check every leaflet as laid out with this layout (layouts/NAME.yaml) instead of "
                                 "its own.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handout-builder")
def cli():
    """Build the clinic's patient-information leaflets from handouts/*.yaml into PDFs.

    Exit status: 0 when everything is fine, 1 when a leaflet has a problem, 2 on a usage error.
    """
    _load_engine()


ALL_LAYOUTS = click.option("--all-layouts", is_flag=True,
                           help="Lay every leaflet out in every layout in layouts/, each PDF named <stem>-<layout>.pdf.")


def _layouts_to_use(pipeline: Pipeline, layout: str | None, all_layouts: bool) -> list[str | None]:
    """The -l layout, every layout for --all-layouts, or [None]: each leaflet's own."""
    if layout and all_layouts:
        raise click.UsageError("give -l/--layout or --all-layouts, not both")
    _check_layout_option(pipeline, layout)
    return list(pipeline.project.layout_names()) if all_layouts else [layout]


def _built_line(pipeline: Pipeline, built) -> str:
    if built.output.suffix == ".eml":
        what = "an e-mail draft with the PDF attached and no recipient (open it, address it, send it)"
    elif built.sheets:
        what = (f"a booklet of {built.pages} pages on {built.sheets} sheet{'s' if built.sheets != 1 else ''} "
                "(print both sides, flip on the short edge, fold)")
    else:
        what = f"{built.pages} page{'s' if built.pages != 1 else ''}"
    return f"{built.source} -> {pipeline.project.display(built.output)}: {what}, {built.size / 1024:.1f} KB"


@cli.command()
@PATHS
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs (default: build/ in the project).")
@LAYOUT
@click.option("--force", is_flag=True, help="Rebuild every leaflet, even those up to date.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing: list each leaflet whose PDF is missing or stale, and exit 1 if there is one.")
@click.option("--watch", is_flag=True,
              help="Keep running, and rebuild a leaflet as soon as its handout, layout or fonts are saved "
                   "(Ctrl-C stops).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Build N leaflets at once, each in its own process (default: one per core, or this "
                   "process alone for fewer than 8 leaflets to build).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Also say why each leaflet was rebuilt, and how long it all took.")
@ALL_LAYOUTS
@click.option("--release", is_flag=True,
              help="Build the copies for families: refuse any leaflet that is a draft or whose words are not "
                   "approved (see approve), and make each PDF/A-2u as well as PDF/UA.")
def build(paths, output, layout, force, check_only, watch, jobs, quiet, verbose, all_layouts, release):
    """Build PDFs from handout files (default: every handouts/*.yaml).

    Only leaflets whose inputs changed since the last build into the folder are rebuilt (the
    handout, its layout, its fonts, the builder); the rest are up to date. Each leaflet rebuilt
    runs the checks of `check` first. Prints one line per leaflet, and its warnings. A leaflet
    with an error is not written (the last good PDF stays), its errors are printed, the others
    still build, and the exit status is 1.
    """
    _load_build()
    pipeline = _pipeline()
    layouts = _layouts_to_use(pipeline, layout, all_layouts)
    for flag, name in ((force, "--force"), (watch, "--watch")):
        if check_only and flag:
            raise click.UsageError(f"--check writes nothing, so it cannot go with {name}")
    if quiet and verbose:
        raise click.UsageError("choose one of -q/--quiet and -v/--verbose")
    try:
        pipeline.world.source_date_epoch()
    except ClockError as exc:
        raise click.UsageError(str(exc)) from None
    out_dir = output or pipeline.project.root / "build"
    show = Show(quiet, verbose, said={} if watch else None, release=release)
    if check_only:
        sys.exit(_check_stale(pipeline, paths, out_dir, layouts, show))
    read: list = []  # what each leaflet's build read (World records): what --watch watches
    failed = _build_changed(pipeline, paths, out_dir, layouts, force, jobs, show, read)
    if watch:
        _watch(pipeline, paths, out_dir, layouts, jobs, show, read)
    elif failed:
        sys.exit(1)


@dataclass(frozen=True)
class Show:
    """How `build` was asked to run beyond what to build: how much it says (-q only problems and
    warnings, -v also reasons and timing), and --release."""

    quiet: bool = False
    verbose: bool = False
    up_to_date: bool = True  # watch mode says only what it rebuilt
    said: dict | None = None  # watch mode: each leaflet's warnings as last printed, said again only when changed
    release: bool = False  # build --release: what is built, not how much is said, but it travels here


def _build_changed(pipeline: Pipeline, paths, out_dir: Path, layouts: list[str | None], force: bool,
                   jobs: int | None, show: Show, read: list | None = None) -> int:
    """Build the stale leaflets in each layout, print a line for each, and return how many failed.
    `read` gets what each leaflet was built from (World records), built now or before. `jobs`:
    the user's -j, or None to choose (batch.Workers.pays); the layouts share the workers."""
    started = time.monotonic()
    pipeline.world.remember_hashes(pipeline.world.hashes_file())  # an unchanged font is not read to be hashed
    files = _handout_files(pipeline, paths)
    words = WordsRecord.of(pipeline.project, pipeline.world)  # shared by every layout's batch
    failed = built = up_to_date = 0
    if len(layouts) > 1:  # a broken handout is reported once, not once a layout
        readable = [path for path in files if _run(pipeline, path, pipeline.load) is not None]
        failed, files = (len(files) - len(readable)) * len(layouts), readable
    clashes = written_over(files, layouts, out_dir, pipeline.world)
    if clashes:  # nothing is built: one leaflet would silently replace another
        _report(HandoutError(clashes))
        return failed + len(clashes)
    with Workers(jobs, batches=len(layouts)) as workers:  # started for enough stale leaflets (Workers.pays)
        for layout in layouts:
            counts = _build_batch(pipeline, files, out_dir, layout, force, workers, show, read, words)
            failed, built, up_to_date = failed + counts[0], built + counts[1], up_to_date + counts[2]
    total = (failed + built + up_to_date)
    try:
        library = write_library(out_dir, pipeline.today)  # the folder's index.html, when it changed
    except OSError as exc:
        click.echo(f"{pipeline.project.display(out_dir / 'index.html')}: cannot write the leaflet library: "
                   f"{exc.strerror or exc}", err=True)
        failed += 1
    else:
        if library is not None and show.verbose:
            click.echo(f"{pipeline.project.display(library)}: the leaflet library (open it in a web browser)")
    pipeline.world.save_hashes()
    if failed:
        what = "leaflets" if len(layouts) == 1 else "leaflet layouts"
        click.echo(f"{failed} of {total} {what} not built", err=True)
    if show.verbose:
        click.echo(f"{built} built, {up_to_date} up to date, {failed} failed in {time.monotonic() - started:.2f} s")
    return failed


def _build_batch(pipeline: Pipeline, files: list[Path], out_dir: Path, layout: str | None, force: bool,
                 workers: Workers, show: Show, read: list | None = None,
                 words: WordsRecord | None = None) -> tuple[int, int, int]:
    """Build one layout's stale leaflets; return how many failed, were built, were up to date.
    `read` gets what each leaflet was built from: this build's record, or its manifest entry's."""
    project = pipeline.project
    batch = Batch(project, out_dir, layout, today=pipeline.today, world=pipeline.world, words=words,
                  release=show.release)
    leaflets = batch.plan(files, force)
    stale = [leaflet for leaflet in leaflets if leaflet.stale]
    progress = Progress(sys.stderr, len(stale), enabled=not show.quiet)
    outcomes = batch.build(stale, workers=workers)
    failed = built = 0
    try:
        for leaflet in leaflets:
            where = f"{leaflet.source} -> {project.display(leaflet.output)}"
            if not leaflet.stale:
                if show.up_to_date and not show.quiet:
                    click.echo(f"{where}: up to date")
                _warn(batch, leaflet, show)
                if read is not None:
                    read.append(batch.recorded(leaflet))
                continue
            progress.update(leaflet.output.stem)
            outcome = next(outcomes)
            progress.clear()
            progress.advance()
            if read is not None and outcome.inputs is not None:
                read.append(outcome.inputs)
            if outcome.built is None:
                failed += 1
                _report_outcome(project, outcome)
                continue
            built += 1
            if not show.quiet:
                why = f" ({'; '.join(leaflet.reasons)})" if show.verbose else ""
                for each in (outcome.built, *outcome.built.also):
                    click.echo(_built_line(pipeline, each) + why)
            for finding in outcome.built.warnings:
                click.echo(f"{finding.place}: warning: {finding.field + ': ' if finding.field else ''}"
                           f"{finding.message}", err=True)
            _warn(batch, leaflet, show)
    finally:
        progress.clear()
        if built:
            with _interrupt_deferred():  # Ctrl-C mid-write would leave the record a build behind
                batch.record()
    return failed, built, len(leaflets) - len(stale)


@contextlib.contextmanager
def _interrupt_deferred():
    """Hold Ctrl-C (SIGINT) until the block is done, then stop as asked."""
    import signal  # here: only a build that wrote something holds Ctrl-C
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _report_outcome(project, outcome) -> None:
    for problem in outcome.problems:
        click.echo(str(problem), err=True)
    if outcome.crash:
        click.echo(str(internal_error(project.display(outcome.leaflet.path), outcome.crash)), err=True)


def _warn(batch: Batch, leaflet, show: Show | None = None) -> None:
    warnings = batch.warnings(leaflet)
    if show is not None and show.said is not None:  # watching: say a leaflet's warnings once, when they change
        if show.said.get(leaflet.output) == warnings:
            return
        show.said[leaflet.output] = warnings
    for warning in warnings:
        click.echo(f"{leaflet.source}: warning: {warning}", err=True)


def _check_stale(pipeline: Pipeline, paths, out_dir: Path, layouts: list[str | None], show: Show) -> int:
    """`build --check`: list what a build would rebuild; 1 when there is anything, else 0."""
    project = pipeline.project
    files = _handout_files(pipeline, paths)
    stale = total = 0
    for layout in layouts:
        batch = Batch(project, out_dir, layout, today=pipeline.today, world=pipeline.world, release=show.release)
        leaflets = batch.plan(files)
        for leaflet in leaflets:
            where = f"{leaflet.source} -> {project.display(leaflet.output)}"
            if not leaflet.stale:
                if show.verbose:
                    click.echo(f"{where}: up to date")
            elif not leaflet.output.exists():
                click.echo(f"{where}: missing")
            else:
                click.echo(f"{where}: stale ({'; '.join(leaflet.reasons)})")
            _warn(batch, leaflet)
        stale += sum(leaflet.stale for leaflet in leaflets)
        total += len(leaflets)
    if stale:
        click.echo(f"{stale} of {total} leaflets need building: run build", err=True)
        return 1
    if not show.quiet:
        click.echo(f"all {total} leaflets up to date")
    return 0


def _watch(pipeline: Pipeline, paths, out_dir: Path, layouts: list[str | None], jobs: int | None, show: Show,
           read: list) -> None:
    """Rebuild what changes until Ctrl-C; a problem is printed and watching goes on. What is
    watched is what the builds read (`read`: World records), so it follows each rebuild."""
    from handout_builder.build.watch import Watched, changes

    project = pipeline.project
    watched = Watched.of(project, paths, read, pipeline.world)
    show = Show(show.quiet, show.verbose, up_to_date=False, said=show.said, release=show.release)
    started = restarted = False
    try:
        while True:
            folders = watched.folders
            # `watched` is looked up at each event, so it follows the rebuilds; a new folder to
            # watch (a layout now using a logo elsewhere) starts the watcher again.
            for changed in changes(folders, lambda path: watched.relevant(path)):
                if not started:  # the watcher is ready: say so once
                    shown = ", ".join(project.display(f) + "/" for f in folders)
                    click.echo(f"watching {shown} for changes (Ctrl-C stops)", err=True)
                    started = True
                if not changed and not restarted:
                    continue
                restarted = False  # after a restart, build once: a save while it restarted is not lost
                # A fresh pipeline (and World) reads everything again; what to rebuild is decided
                # from the manifest.
                pipeline = Pipeline(project, pipeline.today)
                read = []
                try:
                    _build_changed(pipeline, paths, out_dir, layouts, False, jobs, show, read)
                except click.UsageError as exc:  # e.g. the last handout was deleted: say so, keep watching
                    click.echo(f"{exc.format_message()}", err=True)
                    continue
                watched = Watched.of(project, paths, read, pipeline.world)
                if watched.folders != folders:
                    restarted = True
                    break
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


@cli.command()
@PATHS
@CHECK_LAYOUT
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table for people, or JSON for tools.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--page-fill", is_flag=True,
              help="Also lay each leaflet out and note any page more than a third empty, and why.")
@ALL_LAYOUTS
def check(paths, layout, format_, strict, all_layouts, page_fill):
    """Check handout files as a leaflet reviewer would, and as build does first; write nothing.

    Lists every finding (file:line, level, field, message), errors first, then a summary line.
    Errors stop a leaflet from being built; warnings do not, unless --strict; notes only inform.
    In a project that keeps approvals/, a leaflet whose words are not approved is a warning.
    With --page-fill, each leaflet is laid out as build lays it out (slower) and a page more than
    a third empty, other than the last of a part, is a note naming the page and why.
    Exit status: 1 when there are errors (or warnings with --strict), else 0.
    """
    _load_checks()
    pipeline = _pipeline()
    # The hashes builds remember (read, never written: `check` writes nothing): a font file the
    # layout names is known to be there without reading it whole to hash it.
    pipeline.world.remember_hashes(pipeline.world.hashes_file())
    layouts = _layouts_to_use(pipeline, layout, all_layouts)
    # In several layouts a leaflet's own findings are the same in each, and are listed once.
    reviews = [_review(pipeline, path, name, page_fill) for path in _handout_files(pipeline, paths)
               for name in layouts]
    if format_ == "json":
        click.echo(report.as_json(reviews))
    else:
        for line in report.table(reviews, _terminal_width()):
            click.echo(line)
        click.echo(report.summary(reviews))
    total = report.counts(reviews)
    if total[ERROR] or (strict and total[WARNING]):
        sys.exit(1)


def _review(pipeline: Pipeline, path: Path, layout: str | None, page_fill: bool = False) -> Review:
    from handout_builder.build.signoff import sign_off_review

    try:
        return sign_off_review(pipeline, path, pipeline.check(path, layout, page_fill=page_fill))
    except Exception as exc:  # a bug of ours: one finding, and the other leaflets go on
        if pipeline.world.debugging():
            raise
        shown = pipeline.project.display(path)
        return review_of_problems(shown, [internal_error(shown, describe_crash(exc))])


@cli.command("list")
@PATHS
def list_(paths):
    """List the leaflets: file, title, version, reviewed, review due, layout and review status
    (current, due within 90 days, or overdue; review due defaults to 3 years after reviewed),
    language, and for a translation (listed under its source) whether it is up to date with it;
    in a project that keeps approvals/, whether its words are approved."""
    # Only what a row needs: the handouts loaded, never the document stage or the checks.
    from handout_builder.checks.report import fitted
    from handout_builder.checks.translations import grouped
    from handout_builder.inputs.approvals import keeps_approvals
    from handout_builder.text.review_dates import review_due, review_status

    pipeline = _pipeline()
    today = pipeline.today
    signing = keeps_approvals(pipeline.project.root)
    if signing:
        from handout_builder.build.signoff import status_of
    rows = [("File", "Title", "Version", "Reviewed", "Review due", "Layout", "Review", "Language", "Translation")
            + (("Approval",) if signing else ())]
    failed = 0
    crashes: dict[Path, str] = {}

    def load(path: Path):
        try:
            return pipeline.load(path)
        except HandoutError:
            raise
        except Exception as exc:  # a bug of ours: still one row, and the other leaflets are listed
            if pipeline.world.debugging():
                raise
            crashes[path] = type(exc).__name__
            raise HandoutError.single(pipeline.project.display(path), None, "", "internal error") from None

    for row in grouped(_handout_files(pipeline, paths), load, pipeline.project.display):
        shown = "  " * row.depth + pipeline.project.display(row.path)  # a translation stands under its source
        h = row.handout
        if h is None:
            failed += 1
            what = (internal_error_row(crashes[row.path]) if row.path in crashes
                    else f"(has {row.problems} problem(s): run check)")
            rows.append((shown, what, "", "", "", "", "", "", "") + (("",) if signing else ()))
            continue
        due = review_due(h)
        approval: tuple[str, ...] = ()
        if signing:
            try:
                approval = (str(status_of(pipeline, h)),)
            except HandoutError as exc:
                failed += 1
                _report(exc)
                approval = ("(approvals file has problems)",)
        rows.append((shown, h.title, h.version, h.reviewed.isoformat(), due.isoformat(), h.layout,
                     str(review_status(due, today)), h.language, str(row.translation or "")) + approval)
    for line in fitted(rows, _terminal_width(), wrap=1):  # the title wraps
        click.echo(line)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("title")
@click.option("--language", metavar="CODE", help="The leaflet's language: en, es, fr, pt-BR... (default: en, "
                                                 "or for a translation required).")
@click.option("--translation-of", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="PATH", help="Start a translation of this handout: its structure and references, with "
                                   "each text to translate marked [translate].")
def new(title, language, source):
    """Write handouts/<title-as-a-file-name>.yaml from a commented template, to fill in.

    Every field is there with a one-line comment saying what it is; the leaflet is a draft
    (draft: true) and passes `check` as written. With --translation-of, the file is named after
    the source and the language (handouts/<source>-<language>.yaml) and TITLE is the translated title.
    """
    from handout_builder.build import new as starting

    pipeline = _pipeline()
    project = pipeline.project
    if source is not None and not language:
        raise click.UsageError("a translation needs --language, e.g. --language es")
    language = language or "en"
    try:
        starting.check_language(language)
    except HandoutError as exc:
        raise click.BadParameter(exc.problems[0].message, param_hint="--language") from None
    try:
        if source is not None:
            handout = pipeline.load(source)
            stem = f"{source.stem}-{language}"
            text = starting.translation(handout, source.stem, language, pipeline.today, title)
        else:
            stem = starting.stem_for(title)
            if not stem:
                raise click.BadParameter("give a title with letters or digits in it", param_hint="TITLE")
            text = starting.template(title, language, pipeline.today)
        path = starting.new_path(project, stem)
        starting.write_new(path, text, project.display(path))
    except HandoutError as exc:
        _report(exc)
        sys.exit(1)
    click.echo(f"wrote {project.display(path)}: fill it in, then run: python build_pdf.py check "
               f"{project.display(path)}")


@cli.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="With a handout: the folder its last PDF was built into (default: build/).")
@LAYOUT
def diff(old, new, output, layout):
    """Print the words that differ, section by section, between OLD.pdf and NEW.pdf, or between
    a handout as it would build now and the PDF last built from it (diff handouts/x.yaml), and
    each picture changed, added or removed, by its alt text.

    Compares the text and pictures read back from the PDFs, so it shows what families will read
    and see differently. Exit status: 0 when the words and pictures are the same, 1 when they
    differ, 2 when it cannot compare.
    """
    from handout_builder.build.changes import compare, compare_pictures, read_pictures, read_sections

    pipeline = _pipeline()
    project = pipeline.project
    is_pdf = old.suffix.lower() == ".pdf"
    if is_pdf and new is None:
        raise click.UsageError("give the new PDF too (diff OLD.pdf NEW.pdf), or a handout (diff handouts/x.yaml)")
    if not is_pdf and new is not None:
        raise click.UsageError("give two PDFs (diff OLD.pdf NEW.pdf) or one handout (diff handouts/x.yaml)")
    _check_layout_option(pipeline, layout)
    try:
        if is_pdf:
            old_name, new_name = project.display(old), project.display(new)
            new_data = new.read_bytes()
        else:
            out_dir = output or project.root / "build"
            last = out_dir / (f"{old.stem}-{layout}.pdf" if layout else f"{old.stem}.pdf")
            if not last.is_file():
                raise HandoutError.single(project.display(last), None, "", "no PDF has been built here yet: "
                                          "nothing to compare with (run build first)")
            new_name = f"{project.display(old)} (as it would build now)"
            new_data, _ = pipeline.render(pipeline.document(old, layout))
            old, old_name = last, project.display(last)
        old_data = old.read_bytes()
        changes = compare(read_sections(old_data, old_name), read_sections(new_data, new_name))
        pictures = compare_pictures(read_pictures(old_data, old_name), read_pictures(new_data, new_name))
    except HandoutError as exc:
        _report(exc)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"cannot read {exc.filename}: {exc.strerror}", err=True)
        sys.exit(2)
    if not changes and not pictures:
        click.echo(f"same words: {old_name} and {new_name}")
        sys.exit(0)
    click.echo(f"--- {old_name}\n+++ {new_name}")
    _print_changes(changes)
    if pictures:
        click.echo("\nPictures")
        for change in pictures:
            click.echo(f"  {change.kind}: {change.alt}")
    counts = [f"{len(changes)} section{'s' if len(changes) != 1 else ''} differ{'s' if len(changes) == 1 else ''}"]
    if pictures:
        counts.append(f"{len(pictures)} picture{'s' if len(pictures) != 1 else ''} "
                      f"{'differ' if len(pictures) != 1 else 'differs'}")
    click.echo("\n" + ", ".join(counts))
    sys.exit(1)


def _format_edit(edit) -> str:
    """One edit as `  ...words [-old words-] {+new words+} words...`, wrapped for reading."""
    import textwrap

    parts = []
    if edit.before:
        parts.append(("..." if edit.more_before else "") + " ".join(edit.before))
    if edit.removed:
        parts.append("[-" + " ".join(edit.removed) + "-]")
    if edit.added:
        parts.append("{+" + " ".join(edit.added) + "+}")
    if edit.after:
        parts.append(" ".join(edit.after) + ("..." if edit.more_after else ""))
    return textwrap.fill(" ".join(parts), width=100, initial_indent="  ", subsequent_indent="    ",
                         break_on_hyphens=False)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, metavar='"NAME, ROLE"', help="The clinician signing off, and their role.")
@click.option("--yes", is_flag=True, help="Record it without asking (for scripts).")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="The build folder to find the last approved words in for the diff (default: build/).")
def approve(path, by, yes, output):
    """Record a clinician's sign-off of a handout's words in approvals/<stem>.yaml (commit it).

    Records the version, the fingerprint of the words families read (a layout-only change needs
    no new sign-off), who and today's date. Refuses when the words changed but version did not.
    Shows the words changed since the last approved version, and asks before recording.
    """
    from handout_builder.build.signoff import propose, record

    pipeline = _pipeline()
    try:
        proposal = propose(pipeline, path, by, output)
    except HandoutError as exc:
        _report(exc)
        sys.exit(1)
    h, approval = proposal.handout, proposal.approval
    if proposal.already is not None:
        click.echo(f"{h.file}: version {h.version} is approved already, by {proposal.already.by} on "
                   f"{proposal.already.on}; nothing to record")
        return
    if proposal.changes is not None:
        click.echo(f"Words changed since version {proposal.last.version} was approved "
                   f"(--- {proposal.compared_with}, +++ {h.file}):")
        _print_changes(proposal.changes)
        if not proposal.changes:
            click.echo("  (none: only the version changed)")
    else:
        click.echo(f"{h.file}: {proposal.no_diff}")
    question = f"Record that {approval.by} approves version {h.version} of {h.file} on {approval.on}?"
    if not yes and not click.confirm(question, default=False):
        click.echo("nothing recorded", err=True)
        sys.exit(1)
    try:
        written = record(pipeline, approval, h.stem)
    except HandoutError as exc:
        _report(exc)
        sys.exit(1)
    click.echo(f"{h.file}: version {h.version} approved by {approval.by} on {approval.on} "
               f"(recorded in {pipeline.project.display(written)}; commit it)")


@cli.command()
@PATHS
@LAYOUT
def publish(paths, layout):
    """Release approved leaflets into the archive (default: every handout that is approved).

    Each is built as for families (build --release: approved words, not a draft, PDF/A-2u) and
    kept as archive/<stem>/<version>/<stem>-<layout>.pdf, with a row in archive/index.csv. The
    archive is never overwritten: publishing a version again with other bytes is refused.
    """
    from handout_builder.build.archive import Archive, publish as publish_leaflets
    from handout_builder.build.signoff import status_of

    pipeline = _pipeline()
    _check_layout_option(pipeline, layout)
    files = _handout_files(pipeline, paths)
    failed = 0
    if not paths:  # every approved leaflet: the others are not for publishing yet, and say so
        chosen = []
        for path in files:
            try:
                handout = pipeline.load(path)
                if status_of(pipeline, handout).approved and not handout.draft:
                    chosen.append(path)
                else:
                    click.echo(f"{handout.file}: skipped: " + ("a draft" if handout.draft else
                                                               str(status_of(pipeline, handout))))
            except HandoutError as exc:
                _report(exc)
                failed += 1
        files = chosen
        if not files:
            click.echo("nothing to publish: no leaflet here is approved and ready (see list)", err=True)
            sys.exit(1)
    archive = Archive(pipeline.project)
    try:
        with archive.lock():
            for outcome in publish_leaflets(pipeline, files, layout):
                if isinstance(outcome, HandoutError):
                    _report(outcome)
                    failed += 1
                    continue
                row = outcome.row
                what = "published" if outcome.state == "added" else "already published"
                click.echo(f"{outcome.source} -> {pipeline.project.display(row.path)}: version {row.version} "
                           f"{what} (approved by {row.approved_by} on {row.approved_on})")
    except HandoutError as exc:
        _report(exc)
        sys.exit(1)
    if failed:
        click.echo(f"{failed} leaflet{'s' if failed != 1 else ''} not published", err=True)
        sys.exit(1)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Name the version, and its files, that was current that day.")
def history(path, on):
    """List the published versions of a handout, with when each was published and approved."""
    import datetime as dt

    from handout_builder.build.archive import current_on, history as versions_of

    pipeline = _pipeline()
    day = None
    if on is not None:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise click.BadParameter(f"'{on}' is not a date; write it as YYYY-MM-DD", param_hint="--on") from None
    shown = pipeline.project.display(path)
    try:
        versions = versions_of(pipeline.project, path.stem)
    except HandoutError as exc:
        _report(exc)
        sys.exit(1)
    if not versions:
        click.echo(f"{shown}: never published", err=True)
        sys.exit(1)
    if day is not None:
        version = current_on(versions, day)
        if version is None:
            click.echo(f"{shown}: nothing was published on or before {day} (first: version {versions[0].version} "
                       f"on {versions[0].published_on})", err=True)
            sys.exit(1)
        click.echo(f"{shown} on {day}: version {version.version} (published {version.published_on}, approved by "
                   f"{version.approved_by} on {version.approved_on})")
        for row in version.rows:
            click.echo(f"  {pipeline.project.display(row.path)}  sha256 {row.sha256}")
        return
    for version in versions:
        click.echo(f"{version.version}  published {version.published_on}  approved by {version.approved_by} on "
                   f"{version.approved_on}")
        for row in version.rows:
            click.echo(f"  {pipeline.project.display(row.path)}")


def _print_changes(changes) -> None:
    """Sections whose words differ, as `diff` prints them."""
    for change in changes:
        note = {"added": " (new section)", "removed": " (section removed)",
                "renamed": f" (heading was: {change.old_title})"}.get(change.kind, "")
        click.echo(f"\n{change.title}{note}")
        for edit in change.edits:
            click.echo(_format_edit(edit))



if __name__ == "__main__":
    cli()
