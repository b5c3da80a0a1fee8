"""What tagging (PDF/UA) costs: time to lay out each shipped leaflet with and without it, and the
size of the file (a benchmark, not a test).

    python bench/tagging_cost.py

Target: tagging adds well under half to a leaflet's build time and nothing to its size.
"""
from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.chdir(REPO)

from handout_builder.build.pipeline import Pipeline  # noqa: E402
from handout_builder.inputs.project import find_project  # noqa: E402

RUNS = 5


def timed(pipeline: Pipeline, document) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        data, _ = pipeline.render(document)
        times.append(time.perf_counter() - start)
        size = len(data)
    return statistics.median(times), size


pipeline = Pipeline(find_project())
for path in pipeline.project.handout_files():
    document = pipeline.document(path)
    untagged = dataclasses.replace(document, layout=dataclasses.replace(document.layout, tagged=False))
    pipeline.render(document)  # fonts and logo read once
    plain_time, plain_size = timed(pipeline, untagged)
    tagged_time, tagged_size = timed(pipeline, document)
    print(f"{path.name}: untagged {plain_time * 1000:.0f} ms, {plain_size / 1024:.1f} KB; "
          f"tagged {tagged_time * 1000:.0f} ms (+{(tagged_time / plain_time - 1) * 100:.0f}%), "
          f"{tagged_size / 1024:.1f} KB")
