"""How fast handout-builder is, measured against a hand-written ReportLab script run alongside it.

    python bench/run.py [--leaflets 200] [--runs 7] [--heavy-runs 3] [--others-python PY] [--out DIR]

Makes a throw-away project (the shipped layouts and fonts, the shipped handouts and seeded
synthetic ones of 2 to 12 pages in two layouts: bench/leaflets.py) and times whole processes of
the real command line, start-up included, several times each:

- one leaflet cold: `build` of bench/leaflet.yaml (3 pages) in a fresh process, into an empty folder;
- the whole set from clean, on one core (`-j 1`) and on all cores;
- a no-change rebuild of the set, and a rebuild after a layout change (the clinic's phone number);
- `check` over the set; `list` over the set and of the reference leaflet alone, and `--help` (start-up);
- like with like: the reference leaflet fifty times from clean, on one core and on all, beside the
  hand-written script's fifty in one process; `check` of the one leaflet;
- the baseline: bench/baseline.py, the same 3-page leaflet (QR code included) written by hand in plain ReportLab,
  cold and fifty in one process; and, when `typst` and `weasyprint` can be imported by
  --others-python (default: this Python), the same leaflet in Typst and WeasyPrint.

Each row gives the median and spread (fastest to slowest) over the runs, leaflets a second, the
peak memory of the largest process, the output size, and the time as a ratio to the hand-written
script doing the same number of leaflets (its cold time, plus its in-process time a leaflet for the
rest), so results from slow or noisy machines compare. Then each target of issues 9 and 20 with its
result. CPU is that of the process and the children it waited for: workers forked from the fork
server are not counted, so CPU of a many-core row is a floor; its wall time is the measure.
Results go to DIR/results.json and DIR/results.md (default build/bench/) and the table is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from leaflets import write_set  # noqa: E402

CLI = [sys.executable, str(REPO / "build_pdf.py")]
# Measured on the same 2-core machine when the issue was written; used when Typst or WeasyPrint
# cannot be run here: (cold seconds, seconds a leaflet in one process, bytes of the 3-page leaflet).
ISSUE_NUMBERS = {"typst": (0.061, 0.489 / 50, 46 * 1024), "weasyprint": (0.575, 4.3 / 50, int(16.5 * 1024))}
# Leaflets in one process for each other tool (WeasyPrint takes about a second a leaflet).
IN_PROCESS = {"typst": 50, "weasyprint": 10}


@dataclass
class Sample:
    seconds: float
    peak_kb: int  # the largest resident set of the process and the children it waited for
    cpu: float = 0.0  # user and system seconds of the process and its children


@dataclass
class Row:
    scenario: str
    leaflets: int
    samples: list[Sample] = field(default_factory=list)
    output_bytes: int | None = None
    baseline_seconds: float | None = None  # the hand-written script doing the same number of leaflets
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        return min(s.seconds for s in self.samples), max(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_kb for s in self.samples) / 1024

    @property
    def per_second(self) -> float:
        return self.leaflets / self.median

    @property
    def ratio(self) -> float | None:
        return self.median / self.baseline_seconds if self.baseline_seconds else None

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "min": self.spread[0], "max": self.spread[1],
                "cpu": self.cpu, "per_second": self.per_second, "peak_mb": self.peak_mb,
                "ratio_to_baseline": self.ratio}


def timed(args: list[str], cwd: Path, env: dict | None = None, check: bool = True) -> Sample:
    """Run a whole process; its wall time and peak memory (from wait4, children included)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if check and process.returncode != 0:
            err.seek(0)
            out.seek(0)
            raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{out.read().decode()[-2000:]}"
                             f"{err.read().decode()[-2000:]}")
        return Sample(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def repeat(row: Row, runs: int, make_args, cwd: Path, before=None, env=None) -> Row:
    for run in range(runs):
        if before:
            before(run)
        row.samples.append(timed(make_args(run), cwd, env))
    return row


def make_project(root: Path, count: int) -> list[Path]:
    """A project like the clinic's: the shipped layouts, fonts and handouts, and synthetic ones."""
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "fonts", root / "fonts")
    handouts = root / "handouts"
    handouts.mkdir()
    shipped = sorted((REPO / "handouts").glob("*.yaml"))[:count]
    for path in shipped:
        shutil.copy(path, handouts / path.name)
    for folder in (REPO / "handouts").iterdir():  # the pictures the shipped handouts show
        if folder.is_dir():
            shutil.copytree(folder, handouts / folder.name)
    write_set(handouts, count - len(shipped))
    shutil.copy(BENCH / "leaflet.yaml", root / "leaflet.yaml")  # the reference leaflet, apart
    return sorted(handouts.glob("*.yaml"))


def can_import(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


def pages_of(folder: Path) -> list[int]:
    from pypdf import PdfReader

    return [len(PdfReader(pdf).pages) for pdf in sorted(folder.glob("*.pdf"))]


def imports_reportlab(args: list[str], cwd: Path) -> bool:
    """Whether running the command line with these arguments imports ReportLab at all."""
    probe = ("import runpy, sys\n"
             f"sys.path.insert(0, {str(REPO)!r})\n"  # as running the script would
             f"sys.argv = ['build_pdf.py', *{args!r}]\n"
             "try:\n"
             f"    runpy.run_path({str(REPO / 'build_pdf.py')!r}, run_name='__main__')\n"
             "except SystemExit:\n"
             "    pass\n"
             "print('REPORTLAB' if any(m == 'reportlab' or m.startswith('reportlab.') for m in sys.modules) else 'NONE')\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True)
    return "REPORTLAB" in result.stdout.splitlines()[-1:]


WARM = """\
import json, sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from handout_builder.build.pipeline import Pipeline
from handout_builder.inputs.project import find_project
project, times = find_project(Path.cwd()), []
for run in range({runs} + 1):
    started = time.perf_counter()
    Pipeline(project).build(Path("leaflet.yaml"), Path({out!r}))  # a fresh pipeline, as watch makes
    times.append(time.perf_counter() - started)
print(json.dumps(times[1:]))  # the first run loads the libraries
"""


def warm_rebuilds(root: Path, out: Path, runs: int, env: dict) -> Row:
    """The reference leaflet rebuilt in a process that has built before, as `build --watch` does
    when its handout is saved: checks, layout and writing, without start-up."""
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen([sys.executable, "-c", WARM.format(repo=str(REPO), runs=runs, out=str(out))],
                                   cwd=root, stdout=output, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        times = json.loads(output.read())
    row = Row("1 leaflet warm (a rebuild in build --watch)", 1, note="no start-up: the process has built before")
    row.samples = [Sample(seconds, usage.ru_maxrss) for seconds in times]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflets", type=int, default=200, help="leaflets in the set (default 200)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each quick scenario (default 7)")
    parser.add_argument("--heavy-runs", type=int, default=3, help="runs of each whole-set build (default 3)")
    parser.add_argument("--others-python", default=sys.executable,
                        help="a Python that can import typst and weasyprint, to time them too")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="where results go")
    options = parser.parse_args()
    began = time.perf_counter()
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    rows: list[Row] = []

    with tempfile.TemporaryDirectory(prefix="handout-bench-") as temp:
        root = Path(temp) / "clinic"
        root.mkdir()
        files = make_project(root, options.leaflets)
        n = len(files)
        env = {**os.environ, "HANDOUT_BUILDER_TODAY": "2027-01-01"}
        say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

        # -- the baseline ---------------------------------------------------------------------
        say("baseline: the hand-written ReportLab script")
        base_pdf = Path(temp) / "baseline.pdf"
        base = repeat(Row("baseline: hand-written ReportLab, 1 leaflet cold", 1), options.runs,
                      lambda _: [sys.executable, str(BENCH / "baseline.py"), str(base_pdf)], root)
        base.output_bytes = base_pdf.stat().st_size
        base.baseline_seconds = base.median
        base50 = repeat(Row("baseline: hand-written ReportLab, 50 in one process", 50), options.heavy_runs,
                        lambda _: [sys.executable, str(BENCH / "baseline.py"), str(base_pdf), "50"], root)
        per_leaflet = (base50.median - base.median) / 49  # in a warm process, start-up paid once
        base50.baseline_seconds = base50.median

        def baseline_for(leaflets: int) -> float:
            return base.median + (leaflets - 1) * per_leaflet

        rows += [base, base50]

        # -- one leaflet, cold ----------------------------------------------------------------
        say("one leaflet, cold")
        cold_dirs = [Path(temp) / f"cold-{run}" for run in range(options.runs)]
        cold = repeat(Row("1 leaflet cold (build, fresh process)", 1), options.runs,
                      lambda run: [*CLI, "build", "leaflet.yaml", "-o", str(cold_dirs[run]), "-q"], root, env=env)
        cold.output_bytes = (cold_dirs[0] / "leaflet.pdf").stat().st_size
        cold.baseline_seconds = baseline_for(1)
        rows.append(cold)
        warm = warm_rebuilds(root, Path(temp) / "warm", options.runs * 3, env)
        warm.baseline_seconds = per_leaflet  # the hand-written script's time a leaflet in a warm process
        rows.append(warm)

        # -- the whole set --------------------------------------------------------------------
        say(f"{n} leaflets from clean, one core and {jobs} cores")
        serial = Row(f"{n} leaflets from clean, 1 core (-j 1)", n)
        parallel = Row(f"{n} leaflets from clean, {jobs} cores", n)
        out = root / "build"
        for run in range(options.heavy_runs):  # in turn, so that both meet the same load
            serial.samples.append(timed([*CLI, "build", "-q", "-j", "1", "-o", str(Path(temp) / f"serial-{run}")],
                                        root, env))
            shutil.rmtree(out, ignore_errors=True)
            parallel.samples.append(timed([*CLI, "build", "-q"], root, env))
        pages = pages_of(out)
        sizes = [pdf.stat().st_size for pdf in out.glob("*.pdf")]
        for row in (serial, parallel):
            row.baseline_seconds = baseline_for(n)
            row.output_bytes = sum(sizes)
            row.note = f"{sum(pages)} pages, {min(pages)} to {max(pages)} a leaflet"
        rows += [serial, parallel]

        # -- like with like: the reference leaflet, fifty times, as the baseline does it ------------
        say("the reference leaflet fifty times: one core, and all cores")
        same = root / "same"
        same.mkdir()
        for index in range(50):
            shutil.copy(BENCH / "leaflet.yaml", same / f"reference-{index:02d}.yaml")
        same_serial = Row("reference leaflet x50 from clean, 1 core (-j 1)", 50)
        same_parallel = Row(f"reference leaflet x50 from clean, {jobs} cores", 50)
        for run in range(options.heavy_runs):
            same_serial.samples.append(timed([*CLI, "build", "same", "-q", "-j", "1", "-o",
                                              str(Path(temp) / f"same-serial-{run}")], root, env))
            same_parallel.samples.append(timed([*CLI, "build", "same", "-q", "-o",
                                                str(Path(temp) / f"same-parallel-{run}")], root, env))
        for row in (same_serial, same_parallel):
            row.baseline_seconds = base50.median
            row.note = "the same leaflet as the hand-written script's 50 in one process"
        rows += [same_serial, same_parallel]
        check_one = repeat(Row("check of one leaflet", 1), options.runs,
                           lambda _: [*CLI, "check", "leaflet.yaml"], root, env=env)
        check_one.baseline_seconds = base.median
        rows.append(check_one)

        say("no-change rebuild, and a rebuild after a layout change")
        unchanged = repeat(Row(f"{n} leaflets, no change (up to date)", n), options.runs,
                           lambda _: [*CLI, "build", "-q"], root, env=env)
        unchanged.baseline_seconds = base.median
        unchanged.note = "start-up included"
        rows.append(unchanged)
        layout = root / "layouts" / "clinic-a4.yaml"
        original = layout.read_text(encoding="utf-8")

        def new_phone(run):
            layout.write_text(original.replace("phone: 020 7946 0000", f"phone: 020 7946 000{run + 1}"),
                              encoding="utf-8")

        changed = repeat(Row(f"{n} leaflets after a layout change (new phone number)", n), options.heavy_runs,
                         lambda _: [*CLI, "build", "-q"], root, before=new_phone, env=env)
        changed.baseline_seconds = baseline_for(n)
        changed.note = "every leaflet's layout extends clinic-a4"
        rows.append(changed)

        say("check, list and --help")
        checked = repeat(Row(f"check over {n} leaflets", n), options.runs, lambda _: [*CLI, "check"], root, env=env)
        checked.baseline_seconds = baseline_for(n)
        listed = repeat(Row(f"list of {n} leaflets", n), options.runs, lambda _: [*CLI, "list"], root, env=env)
        listed_one = repeat(Row("list of one leaflet", 1), options.runs, lambda _: [*CLI, "list", "leaflet.yaml"],
                            root, env=env)
        helped = repeat(Row("--help (start-up)", 0), options.runs, lambda _: [*CLI, "--help"], root, env=env)
        for row in (listed, listed_one, helped):
            row.baseline_seconds = base.median
        rows += [checked, listed, listed_one, helped]
        no_reportlab = {name: not imports_reportlab(args, root)
                        for name, args in (("--help", ["--help"]), ("list", ["list"]), ("check", ["check"]))}

        # -- the tools a clinic could use instead ---------------------------------------------
        others: dict[str, dict] = {}
        for tool, script in (("typst", "typst_leaflet.py"), ("weasyprint", "weasyprint_leaflet.py")):
            if not can_import(options.others_python, tool):
                cold_s, each_s, size = ISSUE_NUMBERS[tool]
                others[tool] = {"measured": False, "cold": cold_s, "each_in_process": each_s, "bytes": size}
                continue
            say(f"{tool}: the same leaflet")
            pdf = Path(temp) / f"{tool}.pdf"
            one = repeat(Row(f"{tool}: the same leaflet, 1 cold", 1), options.runs,
                         lambda _: [options.others_python, str(BENCH / "others" / script), str(pdf)], root)
            one.output_bytes = pdf.stat().st_size
            count = IN_PROCESS[tool]
            many = repeat(Row(f"{tool}: the same leaflet, {count} in one process", count), options.heavy_runs,
                          lambda _: [options.others_python, str(BENCH / "others" / script), str(pdf), str(count)],
                          root)
            for row in (one, many):
                row.baseline_seconds = baseline_for(row.leaflets)
            rows += [one, many]
            others[tool] = {"measured": True, "cold": one.median, "each_in_process": (many.median - one.median) / (count - 1),
                            "bytes": one.output_bytes}

    typst = others["typst"]
    # Typst's 200 in one process at its measured rate a leaflet (start-up once), and the same a page
    # at a time for the pages our set has (its leaflet has 3).
    typst_200 = typst["cold"] + (n - 1) * typst["each_in_process"]
    typst_pages = typst["cold"] + (sum(pages) / 3 - 1) * typst["each_in_process"]
    targets = [
        ("one leaflet cold: at most 1.1 x the hand-written script", f"{cold.ratio:.2f} x", cold.ratio <= 1.1),
        (f"{n} from clean on {jobs} cores: at least 1.7 x faster than on 1 core",
         f"{serial.median / parallel.median:.2f} x (CPU {serial.cpu:.1f} s on one core, {parallel.cpu:.1f} s on "
         f"{jobs}: at most {serial.cpu / parallel.cpu * jobs:.2f} x on free cores)", serial.median / parallel.median >= 1.7),
        (f"{n} from clean on {jobs} cores: faster than Typst's {n} in one process at its rate a leaflet "
         f"({'measured here' if typst['measured'] else 'the issue'}: {typst_200:.1f} s)",
         f"{parallel.median:.1f} s", parallel.median < typst_200),
        (f"  the same, a page at a time (our {sum(pages)} pages at Typst's rate a page of the 3-page leaflet: "
         f"{typst_pages:.1f} s)", f"{parallel.median:.1f} s", parallel.median < typst_pages),
        (f"no-change rebuild of {n}: under 0.3 s, start-up included", f"{unchanged.median:.3f} s",
         unchanged.median < 0.3),
        ("--help, list and check import no ReportLab",
         "imported by " + ", ".join(k for k, v in no_reportlab.items() if not v) if not all(no_reportlab.values())
         else "none imports it",
         all(no_reportlab.values())),
        ("3-page leaflet's PDF under 25 KB", f"{cold.output_bytes / 1024:.1f} KB", cold.output_bytes < 25 * 1024),
    ]
    # Issue 20's targets: like with like (the same leaflet), CPU where the machine is shared.
    ours_each = (same_serial.median - cold.median) / 49  # a leaflet in a one-process batch, start-up paid once
    ours_each_cpu = (same_serial.cpu - cold.cpu) / 49
    base_each_cpu = (base50.cpu - base.cpu) / 49
    typst_50 = typst["cold"] + 49 * typst["each_in_process"]
    # The issue's "of one leaflet": list and check of the reference leaflet (the set's list is a row above).
    start_ups = {"--help": helped, "list of one leaflet": listed_one, "check of one leaflet": check_one}
    targets += [
        ("[20] one leaflet cold: at most 1.3 x the plain script on the same leaflet",
         f"{cold.ratio:.2f} x (CPU {cold.cpu / base.cpu:.2f} x)", cold.ratio <= 1.3),
        ("[20] --help, list and check of one leaflet: at most 100 ms each",
         ", ".join(f"{name} {row.median * 1000:.0f} ms (CPU {row.cpu * 1000:.0f} ms)" for name, row in start_ups.items()),
         all(row.median <= 0.1 for row in start_ups.values())),
        ("[20] a leaflet in a one-process batch: at most 1.2 x the plain script's",
         f"{ours_each / per_leaflet:.2f} x ({ours_each * 1000:.0f} ms vs {per_leaflet * 1000:.0f} ms; "
         f"CPU {ours_each_cpu / base_each_cpu:.2f} x)", ours_each <= 1.2 * per_leaflet),
        (f"[20] 50 from clean on {jobs} cores: faster than Typst's 50 in one process "
         f"({'measured here' if typst['measured'] else 'the issue'}: {typst_50:.2f} s) and at most 0.6 x the "
         "plain script's 50", f"{same_parallel.median:.2f} s, {same_parallel.median / base50.median:.2f} x",
         same_parallel.median < typst_50 and same_parallel.median <= 0.6 * base50.median),
        (f"[20] {n} after a layout change: at most 0.35 x their build from clean",
         f"{changed.median / parallel.median:.2f} x", changed.median <= 0.35 * parallel.median),
        ("[20] memory: a batch process's peak at most 1.3 x the plain script's (50 in one process)",
         f"{same_serial.peak_mb:.0f} MB vs {base50.peak_mb:.0f} MB: {same_serial.peak_mb / base50.peak_mb:.2f} x",
         same_serial.peak_mb <= 1.3 * base50.peak_mb),
    ]
    write_results(options.out, rows, targets, others, n, jobs, time.perf_counter() - began)


def write_results(folder: Path, rows: list[Row], targets, others: dict, n: int, jobs: int, took: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {jobs} cores, Python {platform.python_version()}, {platform.platform()}"
    lines = [f"handout-builder benchmark: {n} leaflets, {machine}; took {took:.0f} s", "",
             "| scenario | median | spread | CPU | leaflets/s | peak memory | output | x hand-written ReportLab | note |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        low, high = row.spread
        rate = f"{row.per_second:.1f}" if row.leaflets else ""
        size = f"{row.output_bytes / 1024:.1f} KB" if row.output_bytes else ""
        if row.output_bytes and row.leaflets > 1:
            size = f"{row.output_bytes / 1024 / 1024:.1f} MB"
        ratio = f"{row.ratio:.2f}" if row.ratio else ""
        lines.append(f"| {row.scenario} | {fmt(row.median)} | {fmt(low)} to {fmt(high)} ({len(row.samples)} runs) | "
                     f"{fmt(row.cpu) if row.cpu else ''} | {rate} | {row.peak_mb:.0f} MB | {size} | {ratio} | {row.note} |")
    lines += ["", "| target | result | met |", "|---|---|---|"]
    lines += [f"| {name} | {result} | {'yes' if met else 'NO'} |" for name, result, met in targets]
    unmeasured = [tool for tool, data in others.items() if not data["measured"]]
    if unmeasured:
        lines += ["", f"Not measured here ({', '.join(unmeasured)} cannot be imported; pass --others-python): "
                  "the issue's numbers on the same machine are used: "
                  + "; ".join(f"{t} {others[t]['cold'] * 1000:.0f} ms cold, {others[t]['each_in_process'] * 1000:.0f} ms "
                              "a leaflet in one process, "
                              f"{others[t]['bytes'] / 1024:.1f} KB" for t in unmeasured)]
    table = "\n".join(lines) + "\n"
    (folder / "results.md").write_text(table, encoding="utf-8")
    (folder / "results.json").write_text(json.dumps({
        "machine": machine, "leaflets": n, "seconds": took, "rows": [row.as_dict() for row in rows],
        "targets": [{"target": name, "result": result, "met": met} for name, result, met in targets],
        "others": others}, indent=1) + "\n", encoding="utf-8")
    print(table)
    print(f"written to {folder / 'results.md'} and results.json", file=sys.stderr)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
