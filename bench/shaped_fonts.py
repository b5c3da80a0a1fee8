"""What drawing shaped glyphs through our own fonts (render/embedding.py) costs: the size of each
shipped leaflet's PDF and how long one build of it takes, in one process after a first build.

    python bench/shaped_fonts.py [--runs 7] [LEAFLET ...]

LEAFLET is a stem in handouts/ (default: the English, Arabic, Bengali and Urdu non-RMS leaflets).
Each is built with the real command (`build -j 1 --force`, in this process) once, then --runs
times more; the first build's time (fonts registered, caches filled: the font subsets too), the
median and fastest of the others, the CPU time of the first and of the fastest other (steadier
on a shared machine), and the PDF's bytes are printed as a Markdown table. Run it in two checkouts with the same Python to compare (README: "Shaped text: fonts").
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout's engine, whichever is installed

DEFAULT = ["non-rms-chemotherapy", "non-rms-chemotherapy-ar", "non-rms-chemotherapy-bn", "non-rms-chemotherapy-ur"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("leaflets", nargs="*", default=DEFAULT)
    args = parser.parse_args()

    from click.testing import CliRunner

    import build_pdf

    os.chdir(REPO)
    print(f"engine: {REPO}")
    print("| leaflet | bytes | first build s | median s a build after | fastest s | first build CPU s | fastest CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as out:
        for stem in args.leaflets:
            command = ["build", f"handouts/{stem}.yaml", "-j", "1", "--force", "-q", "-o", out]
            times, cpu = [], []
            for run in range(args.runs + 1):
                started, started_cpu = time.perf_counter(), time.process_time()
                result = CliRunner().invoke(build_pdf.cli, command, catch_exceptions=False)
                if result.exit_code != 0:
                    sys.exit(result.output)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)  # a shared machine: CPU time steadies it
            first, later = times[0], times[1:]  # the first registers fonts and fills caches (subsets too)
            size = (Path(out) / f"{stem}.pdf").stat().st_size
            print(f"| {stem} | {size} | {first:.3f} | {statistics.median(later):.3f} | {min(later):.3f} "
                  f"| {cpu[0]:.3f} | {min(cpu[1:]):.3f} |")


if __name__ == "__main__":
    main()
