"""How full the pages of every shipped leaflet are, in every layout: the page-fill measure.

    python bench/page_fill.py [--over 0.33]

Lays out each leaflet in handouts/ in each layout in layouts/ as `build` does, and prints, for
each, its pages and how empty each one is at the foot (the share of the text area below the last
line), marking the pages `check` notes: more than a third empty and not the last page of a part
(the last page before the citation page, or the leaflet's last page). The summary line gives the
number of such pages and the emptiest one; it is the number to keep at 0.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handout_builder.build.pipeline import Pipeline  # noqa: E402
from handout_builder.checks.quality import EMPTY_PAGE  # noqa: E402
from handout_builder.errors import HandoutError  # noqa: E402
from handout_builder.inputs.project import Project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--over", type=float, default=EMPTY_PAGE, help="the share empty a page is noted over")
    args = parser.parse_args()
    project = Project(ROOT)
    pipeline = Pipeline(project)
    noted, emptiest = 0, (0.0, "")
    for path in sorted((ROOT / "handouts").glob("*.yaml")):
        for layout in project.layout_names():
            name = f"{path.stem} {layout}"
            try:
                fill = pipeline.page_fill(pipeline.document(path, layout))
            except HandoutError as exc:
                print(f"{name}: not laid out: {exc.problems[0].message}")
                continue
            marks = []
            for page in fill:
                flagged = not page.ends_part and page.empty > args.over
                noted += flagged
                if not page.ends_part and page.empty > emptiest[0]:
                    emptiest = (page.empty, f"{name} page {page.page} ({page.next_block} next)")
                marks.append(f"{page.empty:4.0%}{'!' if flagged else ' '}")
            print(f"{name:48} {len(fill):2} pages  empty: {' '.join(marks)}")
    print(f"\npages more than {args.over:.0%} empty, not ending a part: {noted}; "
          f"the emptiest such page: {emptiest[0]:.0%} {emptiest[1]}")


if __name__ == "__main__":
    main()
