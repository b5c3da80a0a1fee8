"""Start-up of the quick commands and of one leaflet's build, and a batch's peak memory, in whole processes.

    python bench/start_up.py [--leaflets 50] [--runs 7] [--project DIR]

Issue 20's targets for start-up are met or missed by a few tens of milliseconds, which the
noise of a shared machine hides in wall time: this measures CPU time (user + system, of the
process and the children it waited for) and takes the fastest of --runs fresh processes, after
`python -m compileall` so no run pays for compiling. Each command runs in the project
bench/run.py makes (the shipped layouts, fonts and handouts and synthetic leaflets; made in a
temporary folder unless --project names one made before):

- `--help`; `list` of the set and of the reference leaflet alone; `check` of the reference leaflet;
- `build` of the reference leaflet, cold, into an empty folder; the hand-written script's
  (bench/baseline.py) on the same machine in the same run;
- peak memory (ru_maxrss) of the reference leaflet fifty times in one process (`build -j 1`)
  beside the hand-written script's fifty.

The figures go to stdout, one line a command, with `uptime`'s load averages, so a line before
and after a change can be quoted side by side.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import CLI, make_project, timed  # noqa: E402


def fastest(args: list[str], cwd: Path, runs: int, env: dict, before=None) -> tuple[float, float]:
    """The least CPU seconds, and the largest peak in MB, over `runs` fresh processes."""
    samples = []
    for run in range(runs):
        if before:
            before(run)
        samples.append(timed(args, cwd, env))
    return min(s.cpu for s in samples), max(s.peak_kb for s in samples) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflets", type=int, default=50, help="leaflets in the set (default 50)")
    parser.add_argument("--runs", type=int, default=7, help="fresh processes a command (default 7)")
    parser.add_argument("--project", type=Path, help="a project bench/run.py made before (else a temporary one)")
    parser.add_argument("--skip-batch", action="store_true", help="leave out the fifty in one process")
    options = parser.parse_args()
    compiled = [REPO / "handout_builder", REPO / "build_pdf.py"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(path) for path in compiled if path.exists())],
                   check=True)
    env = {**os.environ, "HANDOUT_BUILDER_TODAY": "2027-01-01"}
    with tempfile.TemporaryDirectory(prefix="handout-start-") as temp:
        root = options.project
        if root is None:
            root = Path(temp) / "clinic"
            root.mkdir()
            make_project(root, options.leaflets)
        print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}; "
              f"fastest CPU of {options.runs} runs")
        rows = [("--help", [*CLI, "--help"]), ("list (the set)", [*CLI, "list"]),
                ("list leaflet.yaml", [*CLI, "list", "leaflet.yaml"]),
                ("check leaflet.yaml", [*CLI, "check", "leaflet.yaml"])]
        for name, args in rows:
            cpu, peak = fastest(args, root, options.runs, env)
            print(f"{name:28} {cpu * 1000:6.0f} ms CPU {peak:6.1f} MB")
        cold_out = Path(temp) / "cold"
        cpu, peak = fastest([*CLI, "build", "leaflet.yaml", "-q", "-o", str(cold_out)], root, options.runs, env,
                            before=lambda _: shutil.rmtree(cold_out, ignore_errors=True))
        base_pdf = Path(temp) / "baseline.pdf"
        base_cpu, base_peak = fastest([sys.executable, str(BENCH / "baseline.py"), str(base_pdf)], root,
                                      options.runs, env)
        print(f"{'build leaflet.yaml (cold)':28} {cpu * 1000:6.0f} ms CPU {peak:6.1f} MB   "
              f"script {base_cpu * 1000:.0f} ms {base_peak:.1f} MB: {cpu / base_cpu:.2f}x")
        if options.skip_batch:
            return
        same = root / "same"
        if not same.exists():
            same.mkdir()
            for index in range(50):
                shutil.copy(BENCH / "leaflet.yaml", same / f"reference-{index:02d}.yaml")
        batch_out = Path(temp) / "same-out"
        runs = max(2, options.runs // 3)
        cpu, peak = fastest([*CLI, "build", "same", "-q", "-j", "1", "-o", str(batch_out)], root, runs, env,
                            before=lambda _: shutil.rmtree(batch_out, ignore_errors=True))
        base_cpu, base_peak = fastest([sys.executable, str(BENCH / "baseline.py"), str(base_pdf), "50"], root,
                                      runs, env)
        print(f"{'reference x50, -j 1':28} {cpu:6.2f} s CPU  {peak:6.1f} MB   "
              f"script {base_cpu:.2f} s {base_peak:.1f} MB: memory {peak / base_peak:.2f}x")


if __name__ == "__main__":
    main()
