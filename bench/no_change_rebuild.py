"""How long `build` takes when nothing changed, for a clinic with 200 leaflets.

Makes 200 synthetic handouts (varied sections, lists, tables, citations) in a temporary project
with the repository's layouts and fonts, builds them once, then times whole `build` processes
(start-up included) that find every leaflet up to date, and `build --check`.
Target: well under a second. Run: .venv/bin/python bench/no_change_rebuild.py [COUNT]
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 7


def handout(n: int) -> str:
    layout = "clinic-letter" if n % 5 == 0 else "clinic-a4"
    sections = "\n".join(f"""\
  - heading: Section {s} of leaflet {n}
    body: |
      Paragraph about topic {s} for leaflet {n}, with **bold** words and a citation [@ref{s % 3}].

      - A first point for families, about {n * s} things.
      - A second point, temperature ≥ 38 °C.

      | Count | Meaning |
      |---|---|
      | {s} | what it means |
""" for s in range(1, 4 + n % 4))
    refs = "\n".join(f"""\
  - id: ref{r}
    authors: [Author {r}]
    title: A study number {r}
    journal: J Example
    year: {2000 + r}
""" for r in range(3))
    return f"""\
title: Synthetic leaflet {n}
version: "1.{n % 7}"
reviewed: 2026-11-01
layout: {layout}
summary:
  - Key point for leaflet {n} [@ref0].
sections:
{sections}references:
{refs}"""


def timed(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(REPO / "build_pdf.py"), *args], cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, run


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "handouts").mkdir()
        shutil.copytree(REPO / "layouts", root / "layouts")
        (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
        for n in range(count):
            (root / "handouts" / f"leaflet-{n:03d}.yaml").write_text(handout(n), encoding="utf-8")

        took, run = timed(["build", "-q"], root)
        assert run.returncode == 0, run.stderr
        print(f"first build of {count} leaflets (one worker per core): {took:.1f} s")
        took, run = timed(["build", "-q", "--force", "-j", "1"], root)
        assert run.returncode == 0, run.stderr
        print(f"the same, serial in one process (--force -j 1): {took:.1f} s")

        for label, args in (("no-change build", ["build"]), ("build --check", ["build", "--check"])):
            times = []
            for _ in range(RUNS):
                took, run = timed(args, root)
                assert run.returncode == 0, run.stderr
                times.append(took)
            ups = run.stdout.count("up to date")
            print(f"{label} of {count} leaflets ({ups} 'up to date'): median {statistics.median(times) * 1000:.0f} ms, "
                  f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms over {RUNS} runs")
        took, run = timed(["--help"], root)
        print(f"for scale, start-up alone (build-pdf --help): {took * 1000:.0f} ms")


if __name__ == "__main__":
    main()
