"""Text survives the trip from YAML to PDF: accents, symbols, markup characters, raw HTML,
and characters the body font lacks (drawn from a fallback font, never as an empty box)."""
from __future__ import annotations

from pypdf import PdfReader

from conftest import page_texts, table_rows, words

SPECIAL = """\
    title: "Fiebre ≥ 38 °C: niño, über, café"
    version: "1.0"
    reviewed: 2026-11-01
    authors: [Ward 7 nurses]
    contact: "Call A & E if platelets < 50 or temperature > 38 °C."
    sections:
      - heading: "Doses in µg/m² – “quoted” & <escaped>"
        body: |
          Café, niño, über, 5 µg/m², 10–20 mg, “smart quotes”, A & E, platelets < 50, x > 3.

          Temperature ≥ 38 °C → call us; ≤ 37.5 °C is normal.

          Raw HTML prints as written: <b>not bold</b> &amp; <script>alert(1)</script>.

          Markdown escapes stay literal: \\*not emphasis\\* and 2 * 3 * 4.
    references:
      - id: bnf
        authors: [Joint Formulary Committee]
        title: British National Formulary for Children
        publisher: BMJ Group
        year: 2026
"""


def test_special_characters_survive(project):
    project.write("special", SPECIAL)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("special"))))
    for expected in (
        "Fiebre ≥ 38 °C: niño, über, café",
        "Doses in µg/m² – “quoted” & <escaped>",
        "Café, niño, über, 5 µg/m², 10–20 mg, “smart quotes”, A & E, platelets < 50, x > 3.",
        "Temperature ≥ 38 °C → call us; ≤ 37.5 °C is normal.",
        "Raw HTML prints as written: <b>not bold</b> & <script>alert(1)</script>.",
        "Markdown escapes stay literal: *not emphasis* and 2 * 3 * 4.",
        "Call A & E if platelets < 50 or temperature > 38 °C.",
    ):
        assert expected in text


def test_characters_missing_from_body_font_come_from_a_fallback(project):
    project.write("special", SPECIAL)
    assert project.run("build").exit_code == 0
    reader = PdfReader(project.pdf("special"))
    used = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            used.add(font.get_object()["/BaseFont"].split("+")[1])
    # ≥ ≤ → are not in Noto Sans: the layout's first fallback with them (Noto Sans Math) drew them.
    assert "NotoSansMath-Regular" in used
    assert "NotoSans-Regular" in used


def test_fallback_characters_in_the_running_header(project):
    project.write("special", SPECIAL)
    assert project.run("build").exit_code == 0
    for page in page_texts(project.pdf("special")):
        assert page.splitlines()[0] == "St Brigid's Children's Hospital Fiebre ≥ 38 °C: niño, über, café"


def test_a_character_no_font_has_is_refused_by_name(project):
    project.write("cjk", """\
        title: A leaflet
        version: "1.0"
        reviewed: 2026-11-01
        sections:
          - heading: First
            body: |
              Fine here.

              A germ 🦠 here.
    """)
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "handouts/cjk.yaml:9: sections[1].body: no bundled font can draw U+1F9A0 🦠 MICROBE; "
        "replace it or add a fallback font that has it to the layout")
    assert not project.pdf("cjk").exists()


def test_a_control_character_is_refused(project):
    project.write("bell", 'title: "Bell \\a here"\nversion: "1"\nreviewed: 2026-11-01\n'
                          "sections:\n  - heading: H\n    body: B\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert table_rows(result) == [(
        "handouts/bell.yaml:1", "error", "title", "U+0007 is an invisible control character; remove it")]
