"""What the shaped-text engine costs English text (a benchmark, not a test).

    python bench/text_engine.py [--repo DIR] [--runs 5]

Two measures, each the median CPU time of --runs (a busy machine does not inflate it):

- ms per 1,000 words: English paragraphs (the shipped fever leaflet's sections) laid out at a
  column's width and drawn on a canvas, plain and with a bold word in each sentence, by the
  engine (render/shaped.py's ShapedParagraph) and, beside it, by ReportLab's own Paragraph;
- ms per leaflet: each shipped English leaflet rendered (story, pages, tags) in one process,
  its fonts read once first.

--repo: the checkout to measure (default: this one), so an older commit can be measured with the
same script: `git worktree add /tmp/old main && python bench/text_engine.py --repo /tmp/old`.
Results of the commit that routed every text through the engine are in README "Speed".
"""
from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path


def median_ms(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    repo = args.repo.resolve()
    sys.path.insert(0, str(repo))
    os.chdir(repo)

    import yaml
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import find_project
    from handout_builder.render.inline import escape
    from handout_builder.render.reportlab_seam import register
    from handout_builder.render.shaped import ShapedParagraph

    pipeline = Pipeline(find_project())
    english = [path for path in pipeline.project.handout_files()
               if yaml.safe_load(path.read_text(encoding="utf-8")).get("language", "en") == "en"]
    document = pipeline.document(english[0])
    register(document.fonts)
    body = document.fonts.body.name
    bold = f"{body}-Bold" if f"{body}-Bold" in _registered() else body
    text = " ".join(re.sub(r"[#*_\[\]|>`-]", " ", section.body) for section in document.handout.sections)
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    plain = [escape(p) for p in paragraphs]
    # A bold word a sentence: how ReportLab's Paragraph slows with several fragments.
    emphasised = [re.sub(r"(^|\. )(\w+)", r"\1<b>\2</b>", p) for p in plain]
    words = sum(len(p.split()) for p in paragraphs)
    style = ParagraphStyle("body", fontName=body, fontSize=11, leading=15)

    def lay_out(make, markups):
        def run():
            canvas = Canvas(io.BytesIO())
            for markup in markups:
                para = make(markup, style)
                _, height = para.wrap(430, 10_000)
                para.drawOn(canvas, 50, 50)
        return run

    def shaped(markup, style):
        return ShapedParagraph(markup, style)

    print(f"{repo}: {words} words of English, {len(paragraphs)} paragraphs; bold font {bold}")
    for label, markups in (("plain", plain), ("a bold word a sentence", emphasised)):
        for name, make in (("ReportLab Paragraph", Paragraph), ("shaped engine", shaped)):
            make(markups[0], style).wrap(430, 10_000)  # warm: fonts, caches of the first words
            ms = median_ms(lay_out(make, markups), args.runs)
            print(f"  {label:24} {name:20} {ms * 1000 / words:7.1f} ms per 1,000 words")
    for path in english:
        document = pipeline.document(path)
        pipeline.render(document)  # fonts and logo read once
        ms = median_ms(lambda: pipeline.render(document), args.runs)
        print(f"  {path.name:40} {ms:7.0f} ms a leaflet (rendered in one process)")


def _registered() -> set[str]:
    from reportlab.pdfbase import pdfmetrics

    return set(pdfmetrics.getRegisteredFontNames())


if __name__ == "__main__":
    main()
