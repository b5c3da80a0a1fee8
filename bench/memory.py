"""What a one-process batch's memory is made of: resident memory after each library a build
imports, and after the 1st, 10th and last leaflet of a batch of the reference leaflet.

    python bench/memory.py [--leaflets 50] [--python]

Issue 20 asks a batch process's peak to be at most 1.3 times the hand-written script's
(bench/baseline.py, about 50 MB). This splits ours by cause: each step's line is the resident
set (VmRSS) once that step is done, and what it added. Libraries are imported in the order a
build needs them, so each line counts what that library brings beyond those before it. The
batch is the real one (build/batch.py, in this process, as `build -j 1` runs it), into a
temporary folder, in a throw-away project made as bench/run.py makes it.

Each line also splits the resident set (/proc/self/smaps_rollup): "anon" is memory the process
made (Python's objects, the C libraries' own allocations), "file" pages of files mapped in and
touched (the libraries' code, ICU's data). With --python, tracemalloc (which slows the batch
and adds its own memory, so the totals are then larger) says which files of Python code
allocated what the batch still holds at its end, by file.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

# In the order a build imports them; each is measured beyond the ones before it.
STEPS = [
    ("command line: click, PyYAML, markdown-it-py", ["click", "yaml", "markdown_it"]),
    ("the engine without render/ (inputs, text, checks, build)",
     ["handout_builder.build.pipeline", "handout_builder.build.batch", "handout_builder.text.document",
      "handout_builder.checks.quality"]),
    ("ReportLab platypus (and PIL, which it imports)", ["reportlab.platypus"]),
    ("render/ (story, pages, marking, shaped text)",
     ["handout_builder.render.story", "handout_builder.render.pages", "handout_builder.render.marking",
      "handout_builder.render.shaped"]),
    ("uharfbuzz", ["uharfbuzz"]),
    ("ICU (icukit-pyicu): bidi and line breaking", ["icu"]),
    ("pikepdf (tagging)", ["pikepdf", "handout_builder.render.tagging"]),
    ("svglib (the SVG logo)", ["svglib.svglib"]),
    ("pypdfium2 (the page-1 picture)", ["pypdfium2"]),
]


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024


def split_mb() -> tuple[float, float]:
    """(anonymous, file-backed) resident memory, MB."""
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup if line.rstrip().endswith("kB")}
    return fields["Anonymous"] / 1024, (fields["Rss"] - fields["Anonymous"]) / 1024


def line(name: str, now: float, last: float | None) -> str:
    anonymous, mapped = split_mb()
    added = "" if last is None else f"+{now - last:5.1f}"
    return f"{name:58} {now:6.1f} MB  {added:6}  anon {anonymous:5.1f}  file {mapped:5.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflets", type=int, default=50, help="the reference leaflet this many times (default 50)")
    parser.add_argument("--python", action="store_true",
                        help="trace Python's allocations (tracemalloc) and say what the batch holds by file")
    options = parser.parse_args()
    last = resident_mb()
    print(line("Python started", last, None))
    for name, modules in STEPS:
        for module in modules:
            importlib.import_module(module)
        now = resident_mb()
        print(line(name, now, last))
        last = now
    if options.python:
        import tracemalloc

        tracemalloc.start()
        before = tracemalloc.take_snapshot()
    from handout_builder.build.batch import Batch
    from handout_builder.inputs.project import find_project

    with tempfile.TemporaryDirectory(prefix="handout-memory-") as temp:
        root = Path(temp) / "clinic"
        (root / "same").mkdir(parents=True)
        shutil.copytree(REPO / "layouts", root / "layouts")
        shutil.copytree(REPO / "fonts", root / "fonts")
        for index in range(options.leaflets):
            shutil.copy(BENCH / "leaflet.yaml", root / "same" / f"reference-{index:02d}.yaml")
        os.chdir(root)
        batch = Batch(find_project(root), root / "build")
        outcomes = batch.build(batch.plan(sorted((root / "same").glob("*.yaml"))))
        for count, outcome in enumerate(outcomes, start=1):
            assert outcome.built is not None, (outcome.problems, outcome.crash)
            if count in (1, 10, options.leaflets):
                gc.collect()
                now = resident_mb()
                print(line(f"after leaflet {count} of the batch", now, last))
                last = now
        if options.python:
            held = tracemalloc.take_snapshot().compare_to(before, "filename")
            print(f"Python objects the batch holds at its end: {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB")
            for stat in held[:12]:
                print(f"    {stat.size_diff / 2**20:5.2f} MB  {stat.traceback[0].filename}")
    with open("/proc/self/status", encoding="ascii") as status:
        peak = [line for line in status if line.startswith("VmHWM")][0].split()[1]
    print(f"{'peak (VmHWM)':58} {int(peak) / 1024:6.1f} MB")


if __name__ == "__main__":
    main()
