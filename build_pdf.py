"""build-pdf: turn the clinic's YAML leaflets into PDFs (`build`), validate them (`check`) and
list them (`list`). A thin command line over the handout_builder engine."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from handout_builder.errors import HandoutError
from handout_builder.pipeline import Pipeline
from handout_builder.project import find_project


def _pipeline() -> Pipeline:
    try:
        return Pipeline(find_project())
    except HandoutError as exc:
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
        if os.environ.get("HANDOUT_BUILDER_DEBUG"):
            raise
        click.echo(f"{pipeline.project.display(path)}: internal error in the builder ({type(exc).__name__}: "
                   f"{exc}); please report it with this leaflet", err=True)
    return None


PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
LAYOUT = click.option("-l", "--layout", metavar="NAME",
                      help="Lay every leaflet out with this layout (layouts/NAME.yaml) instead of its own; "
                           "the PDF is then named <stem>-<layout>.pdf.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handout-builder")
def cli():
    """Build the clinic's patient-information leaflets from handouts/*.yaml into PDFs.

    Exit status: 0 when everything is fine, 1 when a leaflet has a problem, 2 on a usage error.
    """


@cli.command()
@PATHS
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs (default: build/ in the project).")
@LAYOUT
def build(paths, output, layout):
    """Build PDFs from handout files (default: every handouts/*.yaml).

    Prints one line per leaflet built. A leaflet with a problem is not written (the last good
    PDF stays), its problems are printed, the others still build, and the exit status is 1.
    """
    pipeline = _pipeline()
    _check_layout_option(pipeline, layout)
    out_dir = output or pipeline.project.root / "build"
    failed = 0
    files = _handout_files(pipeline, paths)
    for path in files:
        built = _run(pipeline, path, lambda p: pipeline.build(p, out_dir, layout))
        if built is None:
            failed += 1
            continue
        click.echo(f"{built.source} -> {pipeline.project.display(built.output)}: "
                   f"{built.pages} page{'s' if built.pages != 1 else ''}, {built.size / 1024:.1f} KB")
    if failed:
        click.echo(f"{failed} of {len(files)} leaflets not built", err=True)
        sys.exit(1)


@cli.command()
@PATHS
@LAYOUT
def check(paths, layout):
    """Validate handout files as build would, listing every problem; write nothing."""
    pipeline = _pipeline()
    _check_layout_option(pipeline, layout)
    files = _handout_files(pipeline, paths)
    failed = 0
    for path in files:
        document = _run(pipeline, path, lambda p: pipeline.document(p, layout))
        if document is None:
            failed += 1
            continue
        click.echo(f"{document.handout.file}: ok")
    if failed:
        click.echo(f"{failed} of {len(files)} leaflets have problems", err=True)
        sys.exit(1)


@cli.command("list")
@PATHS
def list_(paths):
    """List the leaflets: file, title, version, reviewed, review due and layout."""
    pipeline = _pipeline()
    rows = [("File", "Title", "Version", "Reviewed", "Review due", "Layout")]
    failed = 0
    for path in _handout_files(pipeline, paths):
        try:
            h = pipeline.load(path)
        except HandoutError as exc:
            failed += 1
            rows.append((pipeline.project.display(path), f"(has {len(exc.problems)} problem(s): run check)",
                         "", "", "", ""))
            continue
        except Exception as exc:  # a bug of ours: still one row, and the other leaflets are listed
            if os.environ.get("HANDOUT_BUILDER_DEBUG"):
                raise
            failed += 1
            rows.append((pipeline.project.display(path), f"(internal error in the builder: {type(exc).__name__}; "
                         "please report it)", "", "", "", ""))
            continue
        due = h.review_due.isoformat() if h.review_due else "-"
        rows.append((h.file, h.title, h.version, h.reviewed.isoformat(), due, h.layout))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    cli()
