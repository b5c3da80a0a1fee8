"""A leaflet's CPU in one process, stage by stage (a benchmark, not a test): what issue 20's
"a leaflet in a one-process batch" is made of, without start-up, writing or the page-1 picture.

    python bench/leaflet_cpu.py [--leaflet bench/leaflet.yaml] [--runs 30] [--repo DIR] [--profile FILE]

The leaflet (default: the reference leaflet, 3 pages, the one the hand-written script draws) is
built again and again by one process, after one build that loads the libraries and fonts. Each
stage's CPU time (time.process_time) is the minimum over the runs, as the least disturbed by other
work on a shared machine; the median is given beside it:

- document: the handout read, its Markdown parsed and the document stage (text/document.py);
- story: render/story.py's flowables;
- pages: ReportLab's layout and drawing, to PDF bytes (render/pages.py, render/shaped.py);
- tagging: the structure tree written into those bytes (render/tagging.py);
- leaflet: all four, as one build does them.

--repo: the checkout to measure (default: this one), so that main can be measured with the same
script: `git archive main | tar -x -C /tmp/main && python bench/leaflet_cpu.py --repo /tmp/main`.
--without-rl-accel: ReportLab's pure-Python fp_str and the rest, as without the rl-accel package.
--profile FILE: cProfile the runs into FILE (for `python -m pstats FILE`); times are then slower.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflet", type=Path, default=BENCH / "leaflet.yaml")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--without-rl-accel", action="store_true")
    args = parser.parse_args()
    if args.without_rl_accel:
        sys.modules["_rl_accel"] = None  # ReportLab's rl_accel then falls back on its Python
    leaflet = args.leaflet.resolve()
    repo = args.repo.resolve()
    sys.path.insert(0, str(repo))
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for folder in ("layouts", "fonts"):
            shutil.copytree(repo / folder, root / folder)
        (root / "handouts").mkdir()
        shutil.copy(leaflet, root / "leaflet.yaml")
        os.chdir(root)
        measure(root / "leaflet.yaml", args.runs, args.profile)


def measure(path: Path, runs: int, profile: Path | None) -> None:
    from dataclasses import replace

    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import find_project
    from handout_builder.render.marking import mark_story
    from handout_builder.render.pages import render
    from handout_builder.render.story import build_story
    from handout_builder.render.tagging import tag_pdf

    project = find_project(path.parent)
    times: dict[str, list[float]] = {"document": [], "story": [], "pages": [], "tagging": [], "leaflet": []}
    size = 0
    pipeline = Pipeline(project)  # one, as a batch's process keeps one

    def once(record: bool) -> None:
        nonlocal size
        clock = time.process_time
        started = clock()
        document = pipeline.document(path)  # no stage cache: parsed afresh each time, as a build from clean
        document = replace(document, pdf_date=1767225600)  # as the pipeline sets it, a fixed date
        after_document = clock()
        story, marks = mark_story(build_story(document))
        after_story = clock()
        data, _ = render(document, story, marks)
        after_pages = clock()
        data = tag_pdf(data, marks, document.words, False)
        after_tagging = clock()
        size = len(data)
        if record:
            for name, seconds in (("document", after_document - started), ("story", after_story - after_document),
                                  ("pages", after_pages - after_story), ("tagging", after_tagging - after_pages),
                                  ("leaflet", after_tagging - started)):
                times[name].append(seconds)

    once(False)  # libraries imported, fonts read
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for _ in range(runs):
        once(True)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    print(f"{path.name}: {runs} builds in one process, CPU ms (min / median); PDF {size / 1024:.1f} KB")
    print(" | ".join(f"{name} {min(values) * 1000:.1f} / {statistics.median(values) * 1000:.1f}"
                     for name, values in times.items()))


if __name__ == "__main__":
    main()
