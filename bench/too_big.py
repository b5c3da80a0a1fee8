"""How long each leaflet that is too big for a page takes to build, and how much memory it needs.

    python bench/too_big.py            # every case in tests/big_leaflets.py, and the 5 MB worst cases
    python bench/too_big.py --quick    # without the 5 MB worst cases

Each case is built by the real command in a fresh process (as a clinic runs it), in a throw-away
project with the shipped layouts and fonts. Reported: wall time, peak memory (the process's
maximum resident set), and what the builder said. Targets, not tests: the suite must pass on a
slow, noisy machine, so time and memory are measured here and written in the README, never
asserted in a test.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import big_leaflets  # noqa: E402  (tests/ holds the cases the tests also build)

# Run by the parent in a fresh process: build one file, then print this process's peak memory.
CHILD = """
import resource, sys
sys.argv = ["build_pdf.py", "build", "handouts/x.yaml"]
sys.path.insert(0, {repo!r})
import build_pdf
try:
    build_pdf.cli()
finally:
    sys.stderr.write(f"PEAK_KB={{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}\\n")
"""


def measure(name: str, text: str, timeout: float) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "handouts").mkdir()
        shutil.copytree(REPO / "layouts", root / "layouts")
        os.symlink(REPO / "fonts", root / "fonts")
        (root / "handouts" / "x.yaml").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        try:
            run = subprocess.run([sys.executable, "-c", CHILD.format(repo=str(REPO))], cwd=root,
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return timeout, float("nan"), f"still running after {timeout:.0f} s"
        seconds = time.perf_counter() - start
        lines = run.stderr.splitlines()
        peak = next((int(line[8:]) for line in lines if line.startswith("PEAK_KB=")), 0) / 1024
        said = (run.stdout.strip() or next((line for line in lines if not line.startswith("PEAK_KB")), ""))
        return seconds, peak, said.replace("handouts/x.yaml", "x.yaml")[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 5 MB worst cases")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    cases = dict(big_leaflets.CASES)
    if not args.quick:
        cases.update(big_leaflets.WORST_CASES)
    print(f"{'case':42} {'size':>8} {'time':>7} {'peak':>7}  result")
    for name, make in cases.items():
        text = make()
        seconds, peak, said = measure(name, text, args.timeout)
        print(f"{name:42} {len(text.encode()) / 1024:7.0f}K {seconds:6.1f}s {peak:5.0f}MB  {said}", flush=True)
    baseline = measure("a minimal leaflet", big_leaflets.TOP + "sections:\n" + big_leaflets.section("Words."), 60)
    print(f"{'(a minimal leaflet, for comparison)':42} {'':>8} {baseline[0]:6.1f}s {baseline[1]:5.0f}MB  {baseline[2]}")


if __name__ == "__main__":
    main()
