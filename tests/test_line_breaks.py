"""Where lines break, in every layout (README "Where lines break"): UAX #14 through ICU, and the
clinic's rules on top. Each unit that must stay whole is placed, by sweeping the words before
it, so that the line would end inside it, in the body, list and table-cell styles of each shipped
layout; no line may end inside it, and the sweep must really have reached it (the unit then starts
a line). Titles and headings balance their lines; Chinese punctuation follows kinsoku.
"""
from __future__ import annotations

import pytest

from conftest import REPO

LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.yaml"))

# (unit, words of the sentence around it)
UNITS = [
    "020 7946 0999", "+44 (0)20 7946 0999", "[1, 2]", "[3–5]", "1 November 2028", "November 1, 2028",
    "5 ml", "38 °C", "2.5 mg", "PMID: 9400508", "9am to 5pm", "9.30 am", "09:00–17:00",
]


@pytest.fixture(scope="module")
def engines():
    """For each layout: (a function making an English paragraph in a named style, the frame width)."""
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import find_project
    from handout_builder.render.reportlab_seam import register
    from handout_builder.render.shaped import ShapedParagraph
    from handout_builder.render.styles import make_styles

    pipeline = Pipeline(find_project(REPO))
    out = {}
    for name in LAYOUTS:
        document = pipeline.document(REPO / "handouts" / "fever-and-infection.yaml", name)
        register(document.fonts)
        styles = make_styles(document.layout, document.fonts.body, document.words)
        layout = document.layout
        width = layout.page_width - layout.margin_left - layout.margin_right

        def make(text, style_name, styles=styles):
            from handout_builder.render.inline import escape

            return ShapedParagraph(escape(text), getattr(styles, style_name))

        out[name] = (make, width)
    return out


def line_texts(para) -> list[str]:
    return [para.logical[line.start:line.end] for line in para.lines]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("unit", UNITS)
def test_no_line_ends_inside_a_unit_that_must_stay_whole(engines, layout, unit):
    make, frame = engines[layout]
    reached = False
    for style, width in (("body", frame), ("list_item", frame * 0.9), ("table_cell", frame / 3)):
        for count in range(1, 60):
            # Words of every length before the unit move it across the line's end a little at a time.
            before = " ".join(("call", "us", "now", "a", "nurse")[i % 5] for i in range(count))
            text = f"{before} {unit} and then rest."
            para = make(text, style)
            para.wrap(width, 10_000)
            at = text.index(unit)
            for line in para.lines[:-1]:
                assert not at < line.end < at + len(unit), (
                    layout, style, line_texts(para))
            # The unit starts a line (a citation group: with the word before it, which it stays with).
            first = at if not unit.startswith("[") else before.rfind(" ") + 1
            reached = reached or any(line.start == first for line in para.lines[1:])
    assert reached, "the sweep never brought the unit to a line's end"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_web_address_breaks_only_after_a_slash_or_before_a_query(engines, layout):
    make, frame = engines[layout]
    url = "https://www.example.org/sarcoma/leaflets/mouth-care?lang=en&size=large"
    seen = set()
    # From the widest piece between two breaks up: narrower, a piece is cut at the edge (README).
    narrowest = int(make(f"Read it at {url} today.", "body").minWidth()) + 1
    for width in range(narrowest, int(frame), 5):
        para = make(f"Read it at {url} today.", "body")
        para.wrap(width, 10_000)
        start = para.logical.index(url)
        for line in para.lines[:-1]:
            if start < line.end < start + len(url):
                cut = para.logical[line.end - 1], para.logical[line.end]
                assert cut[0] == "/" or cut[1] in "?&", (width, line_texts(para))
                seen.add(cut)
    assert seen, "no width put the address at a line's end"


def test_uax14_dictionary_rules_break_thai_between_words():
    from handout_builder.render.shaped import break_opportunities

    text = "ภาษาไทยง่ายนิดเดียว"  # no spaces: only a dictionary knows where the words are
    can = break_opportunities(text)
    assert [text[i:j] for i, j in zip([0] + [i for i in range(len(text)) if can[i]],
                                      [i for i in range(len(text)) if can[i]] + [len(text)])] == [
        "ภาษา", "ไทย", "ง่าย", "นิด", "เดียว"]


def test_chinese_lines_never_start_with_closing_or_end_with_opening_punctuation():
    from reportlab.lib.styles import ParagraphStyle

    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import find_project
    from handout_builder.render.reportlab_seam import register
    from handout_builder.render.shaped import ShapedParagraph

    pipeline = Pipeline(find_project(REPO))
    document = pipeline.document(REPO / "handouts" / "non-rms-chemotherapy-zh-Hant.yaml")
    register(document.fonts)
    style = ParagraphStyle("body", fontName=document.fonts.body.name, fontSize=11, leading=16)
    text = "孩子發燒時，請立即打電話給病房。（全天二十四小時）「注意」：不要給退燒藥，、先問我們。" * 3
    starts = set()
    for width in range(40, 300, 3):
        para = ShapedParagraph(text, style)
        para.wrap(width, 10_000)
        for line in para.lines:
            piece = para.logical[line.start:line.end]
            assert piece[0] not in "。，、）」：；！？』】", (width, piece)
            assert piece.rstrip()[-1] not in "（「『【", (width, piece)
            starts.add(piece[0])
    assert len(starts) > 5


@pytest.mark.parametrize("layout", LAYOUTS)
def test_titles_and_headings_balance_their_lines(engines, layout):
    make, frame = engines[layout]
    titles = ["Chemotherapy for non-rhabdomyosarcoma soft-tissue sarcoma",
              "Fever and infection during chemotherapy, and what to do first",
              "Chemotherapy before surgery: the ARST0332 study"]
    balanced = 0
    for style in ("title", "heading", "subheading"):
        for title in titles:
            para = make(title, style)
            para.wrap(frame * 0.62, 10_000)
            lines = para.lines
            if len(lines) < 2:
                continue
            greedy = para.break_into_lines(frame * 0.62)
            assert len(lines) == len(greedy)  # balancing never adds a line
            last = para.logical[lines[-1].start:lines[-1].end].split()
            assert len(last) >= 2, (style, line_texts(para))  # no lone last word
            # As even as the words allow: the longest line no longer, the last no shorter, than greedy filling's.
            assert max(line.width for line in lines) <= max(line.width for line in greedy) + 0.01
            assert lines[-1].width >= greedy[-1].width - 0.01
            balanced += lines[-1].width > greedy[-1].width + 1
    assert balanced >= 3


def test_body_text_is_not_balanced(engines):
    make, frame = engines["clinic-a4"]
    text = "Chemo works by attacking cells that divide quickly. Cancer cells divide quickly. So do the cells."
    para = make(text, "body")
    para.wrap(frame * 0.6, 10_000)
    assert [line.end for line in para.lines] == [line.end for line in para.break_into_lines(frame * 0.6)]


def test_a_justified_layout_sets_every_line_of_a_paragraph_but_the_last_flush_right(project):
    from collections import defaultdict

    from conftest import publishable

    (project.root / "layouts" / "justified.yaml").write_text("extends: clinic-a4\nalignment: justify\n",
                                                             encoding="utf-8")
    sentence = "Chemo works by attacking cells that divide quickly, so your child may bruise more easily. "
    project.write("x", publishable(f"""\
        title: Justified
        version: "1.0"
        reviewed: 2026-11-01
        layout: justified
        sections:
          - heading: Why
            body: |
              {sentence * 6}
        """))
    assert project.run("build").exit_code == 0
    import pypdfium2

    document = pypdfium2.PdfDocument(str(project.pdf("x")))
    lines = defaultdict(list)
    try:
        text = document[0].get_textpage()
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                left, bottom, right, top = text.get_charbox(i, loose=True)  # loose: a line's boxes share a bottom
                lines[round(bottom)].append((left, right, char))
    finally:
        document.close()
    paragraph = [sorted(boxes) for _, boxes in sorted(lines.items(), reverse=True)
                 if any(word in "".join(c for _, _, c in sorted(boxes)) for word in ("divide", "bruise", "Chemo"))]
    assert len(paragraph) >= 4
    rights = [line[-1][1] for line in paragraph]
    lefts = [line[0][0] for line in paragraph]
    # Every line but the last ends at the same right edge (within a glyph's side bearing), and
    # starts at the same left edge; the last is ragged.
    assert max(rights[:-1]) - min(rights[:-1]) < 1.5, rights
    assert max(lefts) - min(lefts) < 1.5, lefts
    assert rights[-1] < min(rights[:-1]) - 20
