"""How big the PDFs are with each way of numbering a font subset's glyphs (render/subsetting.py):
renumbered from 0 in the font's order (what the builder does), or each glyph keeping its number
in the font with the glyphs not drawn left empty (loca and hmtx as long as the last glyph kept,
runs that compress to little). Also the time subsetting takes, the fonts of each leaflet alone.

    python bench/subset_sizes.py [LEAFLET.yaml ...]

Default: bench/leaflet.yaml (the 3-page reference leaflet) and every leaflet in handouts/, each
in its own layout, built in this process with the real command (`build -j 1 --force`), in a
throw-away copy of the project (bench/run.py's: nothing in this checkout is written).
Prints a Markdown table of bytes each way.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout's engine, whichever is installed


def main() -> None:
    from click.testing import CliRunner

    import build_pdf
    from handout_builder.render import embedding, subsetting

    from bench.run import make_project

    leaflets = [Path(arg).resolve() for arg in sys.argv[1:]]
    project = Path(tempfile.mkdtemp(prefix="subset-sizes-"))
    shipped = make_project(project, len(list((REPO / "handouts").glob("*.yaml"))))
    os.chdir(project)
    leaflets = leaflets or [project / "leaflet.yaml", *shipped]
    spent = [0.0]

    def numbered(keep: bool):
        def subset_of(data, gids):
            started = time.process_time()
            made = subsetting.subset(data, gids, keep_glyph_ids=keep)
            spent[0] += time.process_time() - started
            return made
        return subset_of

    sizes: dict[str, dict[bool, int]] = {}
    times = {}
    original = embedding._subset_of
    try:
        for keep in (False, True):
            embedding._subset_of = numbered(keep)
            spent[0] = 0.0
            with tempfile.TemporaryDirectory() as out:
                for leaflet in leaflets:
                    result = CliRunner().invoke(build_pdf.cli, ["build", str(leaflet), "-j", "1", "--force", "-q",
                                                                "-o", out], catch_exceptions=False)
                    if result.exit_code != 0:
                        sys.exit(result.output)
                    sizes.setdefault(leaflet.stem, {})[keep] = (Path(out) / f"{leaflet.stem}.pdf").stat().st_size
            times[keep] = spent[0]
    finally:
        embedding._subset_of = original
        os.chdir(REPO)
        shutil.rmtree(project, ignore_errors=True)
    print("| leaflet | renumbered bytes | original numbers bytes | difference |")
    print("|---|---:|---:|---:|")
    for stem, both in sizes.items():
        print(f"| {stem} | {both[False]} | {both[True]} | {both[True] - both[False]:+d} |")
    total = {keep: sum(both[keep] for both in sizes.values()) for keep in (False, True)}
    print(f"| all | {total[False]} | {total[True]} | {total[True] - total[False]:+d} |")
    print(f"\nsubsetting CPU, all leaflets: renumbered {times[False] * 1000:.0f} ms, "
          f"original numbers {times[True] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
