"""How long `check` takes over the shipped leaflets, after start-up (a benchmark, not a test).

    python benchmarks/check_speed.py

Start-up is importing the builder; the first check also reads the layout, the font files' cmaps
and the pronouncing dictionary, once a process; later checks reuse them. Target: a check over
the shipped leaflets well under a second after start-up.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.chdir(REPO)

started = time.perf_counter()
from handout_builder.pipeline import Pipeline  # noqa: E402
from handout_builder.project import find_project  # noqa: E402
from handout_builder import report  # noqa: E402

imported = time.perf_counter()


def check_all() -> list:
    pipeline = Pipeline(find_project())
    reviews = [pipeline.check(path) for path in pipeline.project.handout_files()]
    report.table(reviews)
    return reviews


first_start = time.perf_counter()
reviews = check_all()
first = time.perf_counter() - first_start
runs = []
for _ in range(10):
    t = time.perf_counter()
    check_all()  # a fresh Pipeline: layouts and leaflets are read again; dictionaries stay loaded
    runs.append(time.perf_counter() - t)

print(f"leaflets: {len(reviews)}, findings: {sum(len(r.findings) for r in reviews)}")
print(f"start-up (imports): {imported - started:.3f} s")
print(f"first check, with the dictionary and font cmaps loaded on first use: {first:.3f} s")
print(f"later checks: median {statistics.median(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms")
