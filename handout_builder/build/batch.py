"""Building a set of leaflets into one folder: which are stale, building those (in worker
processes when there are several), and recording what was built in the folder's manifest.

Like the rest of the engine this never prints: it returns what happened to each leaflet, and
`build_pdf.py` says it. Problems travel back from workers as Problem values, not exceptions.

What a leaflet depends on is never listed here: it is whatever its build read through the World
(world.py), recorded while it was built, in this process or in a worker, and carried back in its
Outcome. The manifest entry stores that record, and `--watch` watches it.
"""
from __future__ import annotations

import base64
import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from ..errors import HandoutError, Problem, describe_crash
from .manifest import Entry, Manifest, Wanted, builder_identity, file_hash, stale_reasons, text_fingerprint
from .pipeline import Built, Pipeline
from .stage_cache import StageCache
from .versions import WordsRecord, signed_off_words
from .thumbnail import first_page_png
from ..inputs.project import Project
from ..text.prose import HEADING, KEY_POINT, SUBHEADING, blocks
from ..text.review_dates import review_due, review_status
from ..world import Inputs, World, data_hash


@dataclass(frozen=True)
class Leaflet:
    """One leaflet asked for: its handout, its PDF, and why the PDF must be rebuilt (if it must)."""

    path: Path
    source: str  # as shown to the author
    key: str  # as the manifest names the handout
    output: Path
    reasons: tuple[str, ...]  # empty when up to date

    @property
    def stale(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class Outcome:
    """What happened when a leaflet was built: the PDF and its manifest entry, or its problems,
    or (a bug of ours) a one-line description of an internal error; and, either way, what the
    build read (so `--watch` also watches the files of a leaflet that failed)."""

    leaflet: Leaflet
    built: Built | None = None
    entry: Entry | None = None
    problems: tuple[Problem, ...] = ()
    crash: str | None = None
    inputs: Inputs | None = None


@dataclass(frozen=True)
class _Task:
    """Everything a worker process needs to build one leaflet (it must pickle)."""

    root: Path
    leaflet: Leaflet
    out_dir: Path
    layout_option: str | None
    world: tuple  # World.settings() of the batch: a worker sees the same environment and day
    builder: str
    release: bool = False  # approved words only, PDF/A-2u (build --release)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# A worker costs a start (~0.3 s of CPU even when warm from the fork server) and a leaflet ~0.1 s:
# below this many leaflets a second core finishes no sooner than this process alone.
SMALL_BATCH = 8


def jobs_for(leaflets: int, jobs: int | None = None) -> int:
    """How many processes build `leaflets` leaflets: `jobs` when the user chose, else one per core,
    or this process alone for a batch too small to gain from a second worker."""
    if jobs is not None:
        return jobs
    return default_jobs() if leaflets >= SMALL_BATCH else 1


# What a worker needs, imported once by the fork server that every worker is forked from
# (handout_builder.render first: see reportlab_seam.offer_rlbidi). The engine imports the last
# three where first used (`check` and `list` need none of them), but every leaflet of the shipped
# layouts uses them: ICU breaks its lines, svglib reads the clinic's SVG logo and pypdfium2
# draws its page-1 picture; imported here, no worker imports them again.
WARM_MODULES = ["handout_builder.render", "handout_builder.build.batch", "handout_builder.render.story",
                "handout_builder.render.marking", "handout_builder.render.pages", "handout_builder.render.tagging",
                "handout_builder.render.qr", "pikepdf", "icu", "svglib.svglib", "pypdfium2"]


class Workers:
    """The worker processes of one command, shared by its batches (each layout of --all-layouts is
    one), started when first needed and stopped on leaving the `with`. Workers are forked from a
    fork server that has imported the engine and ReportLab, so none pays that start-up again;
    the fork server is one fresh single-threaded process, so forking stays safe beside
    watchfiles' thread. Where there is no fork server (Windows), workers are spawned.

    `jobs`: the user's -j, or None to choose from the leaflets each batch has to build (`pays`):
    the fork server is started only for enough of them, counted among the stale, not among all
    the leaflets asked for (2 edited handouts of 50 are built here). `batches`: how many batches
    share the workers (the layouts of --all-layouts), each taken to have as many stale as the first."""

    def __init__(self, jobs: int | None, batches: int = 1):
        self.chosen = jobs
        self.jobs = jobs if jobs is not None else default_jobs()
        self.batches = batches
        self._pool = None

    def pays(self, leaflets: int) -> bool:
        """Whether a batch of `leaflets` to build goes to the workers rather than this process."""
        if self.jobs <= 1 or leaflets <= 1:
            return False
        return self.chosen is not None or self._pool is not None or jobs_for(leaflets * self.batches) > 1

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _executor(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            if "forkserver" in multiprocessing.get_all_start_methods():
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(WARM_MODULES)
            else:
                context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._pool

    def build(self, tasks: list["_Task"], debugging: bool = False) -> Iterator[Outcome]:
        """Each task's outcome, in the order given (`debugging`: a dead worker raises, World.debugging)."""
        from concurrent.futures.process import BrokenProcessPool

        futures = [self._executor().submit(build_one, task) for task in tasks]
        broken = False
        for task, future in zip(tasks, futures):
            try:
                yield future.result()
            except Exception as exc:  # a worker died (killed, out of memory)
                if debugging:
                    raise
                broken = broken or isinstance(exc, BrokenProcessPool)
                yield Outcome(task.leaflet, crash=describe_crash(exc), inputs=Inputs())
        if broken:  # the next batch starts new workers
            self.close()


def pdf_name(path: Path, layout_option: str | None) -> str:
    """The name of a handout's PDF in the output folder, built in `layout_option` (None: its own)."""
    return f"{path.stem}-{layout_option}.pdf" if layout_option else f"{path.stem}.pdf"


def written_over(files: list[Path], layouts: list[str | None], out_dir: Path, world: World) -> list[Problem]:
    """A problem for each handout whose PDF would be written over another handout's in `out_dir`,
    found before anything is built: two of this build's handouts (in any of its layouts) giving one
    name ("a.yaml" in two folders), or a name the folder's manifest records as another handout's
    that still exists ("a-large-print.yaml" in its own layout where "a.yaml" was built in
    large-print). Either way one leaflet would silently replace another."""
    recorded = Manifest.read(out_dir).entries
    first: dict[str, tuple[str, str | None]] = {}
    problems = []
    for layout in layouts:
        for path in files:
            name, key = pdf_name(path, layout), world.key(path)
            if name in first and first[name][0] != key:
                other, other_layout = first[name]
                problems.append(Problem(key, None, "", f"its PDF {name}{_in_layout(layout)} would be written over "
                                        f"{other}'s{_in_layout(other_layout)}; rename one of the two handouts"))
                continue
            first.setdefault(name, (key, layout))
            entry = recorded.get(name)
            if entry is not None and entry.source != key and world.is_file(world.root / entry.source):
                problems.append(Problem(key, None, "", f"its PDF {name} would be written over the one this folder "
                                        f"holds for {entry.source}; rename one of the two handouts, or build into "
                                        "another folder (-o)"))
    return problems


def _in_layout(layout: str | None) -> str:
    return f" (in {layout})" if layout else ""


class Batch:
    """One run of `build` (or `build --check`) into one output folder."""

    def __init__(self, project: Project, out_dir: Path, layout_option: str | None = None,
                 today: dt.date | None = None, world: World | None = None, words: WordsRecord | None = None,
                 release: bool = False):
        self.project = project
        self.release = release
        self.out_dir = out_dir
        self.layout_option = layout_option
        self.world = world or World(project.root)  # what staleness is judged on and leaflets are built from
        self.today = today or self.world.today()
        self.builder = builder_identity()
        self.manifest = Manifest.read(out_dir)
        # the words each version was first built with, in any folder (one record for a whole run)
        self.words = words if words is not None else WordsRecord.of(project, self.world)
        self._pipeline: Pipeline | None = None

    def pdf_name(self, path: Path) -> str:
        return pdf_name(path, self.layout_option)

    def plan(self, files: list[Path], force: bool = False) -> list[Leaflet]:
        """Each handout file as a Leaflet, with the reasons its PDF is stale (all, with force)."""
        leaflets = []
        for path in files:
            key = self.world.key(path)
            name = self.pdf_name(path)
            output = self.out_dir / name
            wanted = Wanted(key, self.layout_option, self.builder, self.today, self.release)
            reasons = stale_reasons(self.manifest.entries.get(name), output, wanted, self.world)
            if force and not reasons:
                reasons = ["--force"]
            leaflets.append(Leaflet(path, self.project.display(path), key, output, tuple(reasons)))
        return leaflets

    def build(self, leaflets: list[Leaflet], jobs: int = 1, workers: Workers | None = None) -> Iterator[Outcome]:
        """Build the given leaflets, in worker processes when jobs > 1 and there is more than one,
        yielding each outcome in the order given and noting each PDF built in the manifest.
        `workers`, when given, are the command's shared workers (they say how many, and whether
        this batch is worth them: Workers.pays).
        Call `record()` after to write the manifest."""
        if not leaflets:
            return
        # Each leaflet records the hash of the very bytes its build read (world.py): an input saved
        # during the build then differs from what was recorded, and the next build redoes it.
        root, environ, _ = self.world.settings()
        tasks = [_Task(self.project.root, leaflet, self.out_dir, self.layout_option, (root, environ, self.today),
                       self.builder, self.release) for leaflet in leaflets]
        if workers is not None and workers.pays(len(tasks)):
            outcomes = workers.build(tasks, self.world.debugging())
        elif workers is None and jobs > 1 and len(tasks) > 1:
            outcomes = self._in_workers(tasks, min(jobs, len(tasks)))
        else:
            if self._pipeline is None:
                self._pipeline = Pipeline(self.project, self.today, self.world)
            outcomes = (build_one(task, self._pipeline) for task in tasks)
        for outcome in outcomes:
            if outcome.entry is not None:
                outcome = replace(outcome, entry=self._carry_version_text(outcome.leaflet.output.name, outcome.entry))
                self.manifest.entries[outcome.leaflet.output.name] = outcome.entry
                self.words.note(outcome.leaflet.key, outcome.entry.version, outcome.entry.version_text)
            yield outcome

    def _in_workers(self, tasks: list[_Task], jobs: int) -> Iterator[Outcome]:
        with Workers(jobs) as workers:
            yield from workers.build(tasks, self.world.debugging())

    def _carry_version_text(self, name: str, entry: Entry) -> Entry:
        """Keep the words first built under this version, so a text change under an unchanged
        version keeps warning until the version is raised."""
        previous = self.manifest.entries.get(name)
        if previous is not None and previous.source == entry.source and previous.version == entry.version:
            return replace(entry, version_text=previous.version_text)
        return entry

    def record(self) -> None:
        """Write the manifest (atomically) when anything was built, and the project's record of
        each version's words when a build gave a version its first."""
        self.manifest.write()
        self.words.write()

    def entry(self, leaflet: Leaflet) -> Entry | None:
        """What the folder's manifest says about a leaflet's PDF."""
        entry = self.manifest.entries.get(leaflet.output.name)
        return entry if entry is not None and entry.source == leaflet.key else None

    def recorded(self, leaflet: Leaflet) -> Inputs:
        """What the leaflet's last build here read, as its manifest entry recorded it (nothing
        when there is no entry)."""
        entry = self.entry(leaflet)
        return Inputs(dict(entry.inputs), dict(entry.environment)) if entry is not None else Inputs()

    def warnings(self, leaflet: Leaflet) -> list[str]:
        """What an author should hear about a leaflet built here: its review is overdue, or its
        words differ from those its version number was first built with, in any output folder
        (versions.py); undoing the edit silences it."""
        entry = self.entry(leaflet)
        if entry is None:
            return []
        out = []
        status = review_status(dt.date.fromisoformat(entry.review_due), self.today)
        if status.overdue:
            out.append(f"review {status} (due {entry.review_due}); check it with the clinical team")
        signed_off = signed_off_words(self.words, leaflet.key, entry.version) or entry.version_text
        if entry.text != signed_off:
            out.append(f"the text changed but version is still \"{entry.version}\"; raise version "
                       "when the change is signed off")
        return out


_worker_pipelines: dict[tuple, Pipeline] = {}
_stage_caches: dict[tuple[Path, str], StageCache] = {}  # by (output folder, builder), in each process


def stage_cache(out_dir: Path, builder: str) -> StageCache:
    """The stage cache of an output folder (stage_cache.py), made once a process."""
    key = (out_dir, builder)
    if key not in _stage_caches:
        _stage_caches[key] = StageCache(out_dir, builder)
    return _stage_caches[key]


def build_one(task: _Task, pipeline: Pipeline | None = None) -> Outcome:
    """Build one leaflet (in this process or a worker) and describe it for the manifest: its
    inputs are what the build read through the pipeline's World, nothing listed by hand."""
    leaflet = task.leaflet
    if pipeline is None:  # a worker keeps one pipeline, so layouts and fonts load once
        root, environ, today = task.world
        key = (root, today, tuple(sorted(environ.items())))
        pipeline = _worker_pipelines.get(key)
        if pipeline is None:
            pipeline = _worker_pipelines[key] = Pipeline(Project(task.root), today, World(root, environ, today))
    pipeline.cache = stage_cache(task.out_dir, task.builder)  # what the last build into this folder kept
    with pipeline.world.recording() as read:
        try:
            rendered = pipeline.rendered(leaflet.path, task.layout_option, release=task.release)
            built = pipeline.write(rendered, task.out_dir, task.layout_option)
            document, data, pages = rendered.document, rendered.data, rendered.pages
            also = {extra.output.name: file_hash(extra.output) for extra in built.also}
        except HandoutError as exc:
            return Outcome(leaflet, problems=exc.problems, inputs=read)
        except Exception as exc:  # a bug of ours: one line, and the other leaflets go on
            if pipeline.world.debugging():
                raise
            return Outcome(leaflet, crash=describe_crash(exc), inputs=read)
    handout, layout = document.handout, document.layout
    text = text_fingerprint(document.written or handout)  # the words as written, before typesetting
    words: dict[str, list[str]] = {}  # kind of block -> its texts, for the library's search
    for block in blocks(document):
        words.setdefault(block.kind, []).append(" ".join(block.text.split()))
    entry = Entry(
        source=leaflet.key, layout_option=task.layout_option,
        inputs=dict(sorted(read.files.items())), environment=dict(sorted(read.environment.items())),
        builder=task.builder, output=data_hash(data),
        pages=pages, size=len(data), version=handout.version, text=text, version_text=text,
        reviewed=handout.reviewed.isoformat(), review_due=review_due(handout).isoformat(),
        notice=layout.review_overdue_notice, overdue=document.notice is not None, also=also,
        title=handout.title, subtitle=handout.subtitle or "", language=handout.language,
        translation_of=handout.translation_of or "", headings=words.get(HEADING, [])[bool(handout.subtitle):]
        + words.get(SUBHEADING, []), key_points=words.get(KEY_POINT, []),
        keywords=list(handout.keywords), draft=handout.draft, layout=layout.name,
        label=layout.library_label or layout.name,
        thumbnail=base64.b64encode(first_page_png(rendered.screen or data)).decode("ascii"),
        release=task.release,
    )
    return Outcome(leaflet, built=built, entry=entry, inputs=read)
