"""A layout change that reaches only the furniture, against a build from clean (issue 20: at most 0.35 x).

    python bench/kept_pages.py [--leaflets 50] [--runs 3] [--jobs 1] [--profile]

Makes bench/run.py's throw-away project (the shipped handouts and seeded synthetic ones), then, in
turn for each run so that both meet the same load: builds the set from clean into an empty folder,
and rebuilds the kept folder after a new clinic phone number in clinic-a4 (which every leaflet's
layout extends). Prints the minimum and median wall time and CPU (the process and the workers it
waited for) of each, and their ratio. `--profile`: the rebuild after the change once more in this
process (-j 1, cProfile), its top functions by cumulative time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import CLI, make_project, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaflets", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="1", help="-j for both builds (default 1: CPU is then all counted)")
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kept-pages-bench-") as temp:
        root = Path(temp) / "clinic"
        root.mkdir()
        count = len(make_project(root, options.leaflets))
        env = {**os.environ, "HANDOUT_BUILDER_TODAY": "2027-01-01"}
        layout = root / "layouts" / "clinic-a4.yaml"
        original = layout.read_text(encoding="utf-8")
        jobs = ["-j", options.jobs]
        first = timed([*CLI, "build", "-q", *jobs], root, env)  # the folder whose pages are kept
        print(f"{count} leaflets; first build {first.seconds:.2f} s", file=sys.stderr)
        clean, changed = [], []
        for run in range(options.runs):
            out = Path(temp) / f"clean-{run}"
            clean.append(timed([*CLI, "build", "-q", *jobs, "-o", str(out)], root, env))
            shutil.rmtree(out)
            layout.write_text(original.replace("phone: 020 7946 0000", f"phone: 020 7946 000{run + 1}"),
                              encoding="utf-8")
            changed.append(timed([*CLI, "build", "-q", *jobs], root, env))
        for name, samples in (("from clean", clean), ("after a layout change", changed)):
            walls, cpus = [s.seconds for s in samples], [s.cpu for s in samples]
            print(f"{count} leaflets {name} (-j {options.jobs}): wall min {min(walls):.2f} s, median "
                  f"{statistics.median(walls):.2f} s; CPU min {min(cpus):.2f} s, "
                  f"median {statistics.median(cpus):.2f} s")
        wall = min(s.seconds for s in changed) / min(s.seconds for s in clean)
        cpu = min(s.cpu for s in changed) / min(s.cpu for s in clean)
        print(f"ratio after a layout change / from clean: wall (min) {wall:.2f}, CPU (min) {cpu:.2f}")
        if options.profile:
            layout.write_text(original.replace("phone: 020 7946 0000", "phone: 020 7946 0099"), encoding="utf-8")
            code = ("import cProfile, pstats, sys; sys.argv = ['build_pdf.py', 'build', '-q', '-j', '1'];"
                    "import build_pdf;"
                    "cProfile.run('build_pdf.cli(standalone_mode=False)', 'profile.out');"
                    "pstats.Stats('profile.out').sort_stats('cumulative').print_stats(40)")
            subprocess.run([sys.executable, "-c", code], cwd=root, env={**env, "PYTHONPATH": str(BENCH.parent)},
                           check=False)


if __name__ == "__main__":
    main()
