"""The quality checks, one small handout a finding (tests/corpus/*.yaml): each finding's exact
place, level, field and message, and the exit status of `check` and `check --strict`.

The corpus files are real leaflets: `python build_pdf.py check tests/corpus/x.yaml` shows the
same findings (layouts named test-* are made here from clinic-a4, each with one change)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import MINIMAL, REPO, check_json, layout_line, page_texts, table_rows

CORPUS = REPO / "tests" / "corpus"
LAYOUT_CHANGES = {  # test layout -> (text in clinic-a4, what it becomes)
    "test-small-body": ("  body: 12\n", "  body: 11\n"),
    "test-small-table": ("  table: 12\n", "  table: 11\n"),
    "test-14pt": ("  body: 12\n  leading: 17.5\n", "  body: 14\n  leading: 20\n"),
    "test-justified": ("date_format:", "alignment: justify\ndate_format:"),
    "test-grade-6": ("date_format:", "reading_grade: 6\ndate_format:"),
}

# Every leaflet also gets two notes that are about something else: the layout's body size
# against large print, and the whole leaflet's reading level when it is within the target.
# They are left out of CASES (and tested on their own below).
CASES = {
    "capitals-run": (0, 1, [
        ('handouts/capitals-run.yaml:12', 'warning', 'sections[1].body', 'emphasis', 'words in capitals ("DO NOT USE MOUTHWASH") are hard to read; write them in lower case, with bold for emphasis'),
    ]),
    "citation-without-reference": (1, 1, [
        ('handouts/citation-without-reference.yaml:12', 'error', 'sections[1].body', 'input', 'citation [@rinse2020] has no reference with that id'),
    ]),
    "clean": (0, 0, [
    ]),
    "draft": (0, 1, [
        ('handouts/draft.yaml:1', 'warning', 'draft', 'publication', "this leaflet is a draft: every page says DRAFT; remove 'draft: true' once it is approved"),
        ('handouts/draft.yaml:1', 'warning', 'contact', 'publication', 'missing: families need to know whom to call (add contact: with a phone number)'),
        ('handouts/draft.yaml:1', 'warning', 'authors', 'publication', 'missing: a leaflet must say who wrote it (add authors:, e.g. [Sarcoma nurse specialist team])'),
        ('handouts/draft.yaml:1', 'warning', 'references', 'publication', 'missing: list at least one source for what the leaflet says (add references:)'),
    ]),
    "glyph-missing": (1, 1, [
        ('handouts/glyph-missing.yaml:12', 'error', 'sections[1].body', 'glyphs', 'no bundled font can draw U+1F9A0 🦠 MICROBE; replace it or add a fallback font that has it to the layout'),
    ]),
    "italics-run": (0, 1, [
        ('handouts/italics-run.yaml:12', 'warning', 'sections[1].body', 'emphasis', '17 words in italics ("Always use the soft brush that…"); long runs of italics are hard to read: use bold for emphasis, or plain text'),
    ]),
    "language-es": (0, 1, [
        ('handouts/language-es.yaml', 'warning', '', 'reading-level', 'the whole leaflet reads Szigriszt-Pazos (INFLESZ) reading ease 27.2: harder than the pass mark of 55 (2 sentences, 21 words)'),
        ('handouts/language-es.yaml:9', 'warning', 'sections[1]', 'reading-level', '"Mucositis" reads Szigriszt-Pazos (INFLESZ) reading ease -29.7: harder than the pass mark of 55; hardest sentences: line 11 "La administración concomitante de quimioterapia citotóxica…" (14 words); use shorter sentences and everyday words'),
    ]),
    "language-without-formula": (0, 0, [
        ('handouts/language-without-formula.yaml:5', 'note', 'language', 'reading-level', "no reading-level formula for language 'pl'; reading level is not measured (sentence and paragraph lengths still are)"),
    ]),
    "layout-14pt": (0, 0, [
    ]),
    "layout-justified": (0, 1, [
        (f'layouts/test-justified.yaml:{layout_line("date_format:")}', 'warning', 'alignment', 'alignment', 'justified text leaves uneven gaps between words, which makes it harder to read; use alignment: left'),
    ]),
    "layout-reading-grade": (0, 1, [
        ('handouts/layout-reading-grade.yaml:9', 'warning', 'sections[1]', 'reading-level', '"A sore mouth" reads at grade 8.2 (Flesch-Kincaid), SMOG 10.1: harder than the target of grade 6; hardest sentences: line 12 "Doctors call this mucositis, and it…" (13 words); use shorter sentences and everyday words'),
    ]),
    "layout-small-body": (1, 1, [
        (f'layouts/test-small-body.yaml:{layout_line("  body: 12")}', 'error', 'sizes.body', 'type-size', '11 pt body text is too small to read; use at least 12 pt'),
    ]),
    "layout-small-table": (1, 1, [
        (f'layouts/test-small-table.yaml:{layout_line("  table: 12")}', 'error', 'sizes.table', 'type-size', '11 pt table text is too small to read; use at least 12 pt'),
    ]),
    "link-click-here": (0, 1, [
        ('handouts/link-click-here.yaml:13', 'warning', 'sections[1].body', 'link', "link text 'click here' means nothing on paper; say where it leads, e.g. [the NHS page on sepsis](https://...)"),
    ]),
    "link-here": (0, 1, [
        ('handouts/link-here.yaml:10', 'warning', 'sections[1].body', 'link', "link text 'here' means nothing on paper; say where it leads, e.g. [the NHS page on sepsis](https://...)"),
    ]),
    "link-malformed": (1, 1, [
        ('handouts/link-malformed.yaml:12', 'error', 'sections[1].body', 'link', "link 'www.example.org/brush' is not a web address starting with http:// or https:// (or a mailto: or tel: address)"),
    ]),
    "missing-authors": (1, 1, [
        ('handouts/missing-authors.yaml:1', 'error', 'authors', 'publication', 'missing: a leaflet must say who wrote it (add authors:, e.g. [Sarcoma nurse specialist team])'),
    ]),
    "missing-contact": (1, 1, [
        ('handouts/missing-contact.yaml:1', 'error', 'contact', 'publication', 'missing: families need to know whom to call (add contact: with a phone number)'),
    ]),
    "missing-references": (1, 1, [
        ('handouts/missing-references.yaml:1', 'error', 'references', 'publication', 'missing: list at least one source for what the leaflet says (add references:)'),
    ]),
    "missing-reviewed": (1, 1, [
        ('handouts/missing-reviewed.yaml:1', 'error', 'reviewed', 'input', 'missing'),
    ]),
    "missing-version": (1, 1, [
        ('handouts/missing-version.yaml:1', 'error', 'version', 'input', 'missing'),
    ]),
    "paragraph-too-long": (0, 1, [
        ('handouts/paragraph-too-long.yaml:10', 'warning', 'sections[1].body', 'paragraph-length', 'paragraph of 108 words (more than 100): "Brush your child\u2019s teeth twice a…"; break it up, or make a list'),
    ]),
    "reading-level-target-set": (0, 0, [
    ]),
    "reading-level-too-hard": (0, 1, [
        ('handouts/reading-level-too-hard.yaml', 'warning', '', 'reading-level', 'the whole leaflet reads at grade 15.7 (Flesch-Kincaid), SMOG 12.7: harder than the target of grade 8 (5 sentences, 37 words)'),
        ('handouts/reading-level-too-hard.yaml:8', 'warning', 'sections[1]', 'reading-level', '"Mucositis" reads at grade 24.4 (Flesch-Kincaid), SMOG 15.5: harder than the target of grade 8; hardest sentences: line 12 "Inflammation of the oral mucosa, consequently…" (13 words), line 15 "Meticulous oral hygiene considerably diminishes microbiological…" (4.1 syllables a word); use shorter sentences and everyday words'),
    ]),
    "reference-bad-doi": (1, 1, [
        ('handouts/reference-bad-doi.yaml:17', 'error', 'references[1].doi', 'input', "'10.1234' is not a DOI (it starts with 10. and has a /, e.g. 10.1016/j.ejca.2010.11.013)"),
    ]),
    "reference-bad-pmid": (1, 1, [
        ('handouts/reference-bad-pmid.yaml:17', 'error', 'references[1].pmid', 'input', "'PMC123' is not a PubMed id (digits only)"),
    ]),
    "reference-incomplete": (1, 1, [
        ('handouts/reference-incomplete.yaml:12', 'error', 'references[1].authors', 'reference', "'guide' has no authors (for a guideline or web page, name the organisation)"),
        ('handouts/reference-incomplete.yaml:12', 'error', 'references[1].year', 'reference', "'guide' has no year of publication"),
        ('handouts/reference-incomplete.yaml:12', 'error', 'references[1]', 'reference', "'guide' has no journal, publisher or url, so a reader cannot find it"),
    ]),
    "reference-uncited": (0, 0, [
        ('handouts/reference-uncited.yaml:17', 'note', 'references[2]', 'reference', '\'book\' is never cited; it prints under "Further reading"'),
    ]),
    "review-due-default": (0, 0, [
        ('handouts/review-due-default.yaml:3', 'note', 'review_due', 'publication', 'not set: the review falls due on 2029-11-01, 3 years after reviewed; set review_due to print the date on the leaflet'),
    ]),
    "review-due-too-late": (0, 1, [
        ('handouts/review-due-too-late.yaml:4', 'warning', 'review_due', 'publication', '2030-06-01 is more than 3 years after reviewed (2026-11-01); review leaflets at least every 3 years'),
    ]),
    "sentence-too-long": (0, 1, [
        ('handouts/sentence-too-long.yaml:12', 'warning', 'sections[1].body', 'sentence-length', 'sentence of 30 words (more than 25): "Use a soft brush and a…"; split it into shorter sentences'),
    ]),
    "smog-too-hard": (0, 1, [
        ('handouts/smog-too-hard.yaml', 'warning', '', 'reading-level', 'the whole leaflet reads at grade 3.6 (Flesch-Kincaid), SMOG 8.8: harder than the target of grade 8 (37 sentences, 223 words)'),
        ('handouts/smog-too-hard.yaml:8', 'warning', 'sections[1]', 'reading-level', '"Pain medicine" reads at grade 3.8 (Flesch-Kincaid), SMOG 8.8: harder than the target of grade 8; hardest sentences: line 10 "Your child may need medicine for…" (7 words), line 10 "Give the medicine after food." (1.6 syllables a word); use shorter sentences and everyday words'),
    ]),
}


def background(finding: dict) -> bool:
    return (finding["check"] == "type-size" and finding["level"] == "note") or (
        finding["check"] == "reading-level" and finding["field"] == "" and finding["level"] == "note")


@pytest.fixture
def corpus(project):
    """The project with the corpus handouts and the test layouts."""
    clinic = (project.root / "layouts" / "clinic-a4.yaml").read_text()
    for name, (old, new) in LAYOUT_CHANGES.items():
        assert old in clinic
        (project.root / "layouts" / f"{name}.yaml").write_text(clinic.replace(old, new, 1))
    for path in CORPUS.glob("*.yaml"):
        shutil.copy(path, project.root / "handouts" / path.name)
    return project


def test_every_corpus_file_has_a_case():
    assert sorted(p.stem for p in CORPUS.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", CASES)
def test_corpus_finding(corpus, name):
    exit_code, strict_exit_code, expected = CASES[name]
    code, report = check_json(corpus, f"handouts/{name}.yaml")
    found = [(f["file"] + (f":{f['line']}" if f["line"] else ""), f["level"], f["field"], f["check"], f["message"])
             for f in report["findings"] if not background(f)]
    assert found == expected
    assert code == exit_code
    assert corpus.run("check", "--strict", f"handouts/{name}.yaml").exit_code == strict_exit_code


def test_the_background_notes(corpus):
    _, report = check_json(corpus, "handouts/clean.yaml")
    assert [(f["file"], f["line"], f["level"], f["field"], f["message"]) for f in report["findings"]] == [
        ("handouts/clean.yaml", None, "note", "",
         "the whole leaflet reads at grade -0.5 (Flesch-Kincaid), SMOG 3.1: within the target of grade 8 "
         "(3 sentences, 25 words)"),
        ("layouts/clinic-a4.yaml", layout_line("  body: 12"), "note", "sizes.body",
         "12 pt body text is below the 14 pt that readers with poor sight need; offer a large-print copy too"),
    ]
    _, report = check_json(corpus, "handouts/layout-14pt.yaml")
    assert not [f for f in report["findings"] if f["check"] == "type-size"]


def test_table_lists_errors_first_then_warnings_then_notes_with_a_summary(corpus):
    result = corpus.run("check", "handouts/capitals-run.yaml", "handouts/missing-contact.yaml",
                        "handouts/reference-uncited.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Where", "Level", "Field", "Message"]
    assert lines[1] == ("handouts/missing-contact.yaml:1     error    contact           missing: families need to "
                        "know whom to call (add contact: with a phone number)")
    assert [row[1] for row in table_rows(result)] == ["error", "warning", "note", "note", "note", "note", "note"]
    # The layout's note is said once, not once a leaflet.
    assert sum(f"layouts/clinic-a4.yaml:{layout_line('  body: 12')}" in line for line in lines) == 1
    assert lines[-1] == "3 leaflets checked: 1 error, 1 warning, 5 notes"


def test_json_gives_counts_findings_and_the_reading_level_of_each_section(corpus):
    code, report = check_json(corpus, "handouts/reading-level-too-hard.yaml")
    assert code == 0
    assert (report["leaflets"], report["errors"], report["warnings"], report["notes"]) == (1, 0, 2, 1)
    reading = report["reading"]["handouts/reading-level-too-hard.yaml"]
    assert (reading["language"], reading["target_grade"]) == ("en", 8)
    assert [s["heading"] for s in reading["sections"]] == ["Mucositis", "When to call"]
    mucositis, call = reading["sections"]
    assert [(s["formula"], s["value"], s["too_hard"]) for s in mucositis["scores"]] == [
        ("Flesch-Kincaid grade", 24.4, True), ("SMOG", 15.5, False)]  # SMOG is not judged on 3 sentences
    assert call["sentences"] == 1 and not any(s["too_hard"] for s in call["scores"])
    assert reading["leaflet"]["sentences"] == 5 and reading["leaflet"]["words"] == 37


def test_build_stops_at_an_error_and_prints_warnings(corpus):
    result = corpus.run("build", "handouts/missing-contact.yaml", "handouts/sentence-too-long.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "handouts/missing-contact.yaml:1: contact: missing: families need to know whom to call (add contact: with "
        "a phone number)",
        'handouts/sentence-too-long.yaml:12: warning: sections[1].body: sentence of 30 words (more than 25): "Use a '
        'soft brush and a…"; split it into shorter sentences',
        "1 of 2 leaflets not built",
    ]
    assert result.stdout.startswith("handouts/sentence-too-long.yaml -> build/sentence-too-long.pdf: ")
    assert corpus.pdf("sentence-too-long").exists() and not corpus.pdf("missing-contact").exists()


def test_a_draft_builds_with_draft_on_every_page(project):
    project.write("draft", "    draft: true\n" + MINIMAL)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "handouts/draft.yaml:1: warning: draft: this leaflet is a draft: every page says DRAFT; remove "
        "'draft: true' once it is approved"]
    pages = page_texts(project.pdf("draft"))
    assert len(pages) == 2 and all("DRAFT" in page for page in pages)
    project.write("final", MINIMAL)
    assert project.run("build", "handouts/final.yaml").exit_code == 0
    assert not any("DRAFT" in page for page in page_texts(project.pdf("final")))


def test_draft_must_be_true_or_false(project):
    project.write("x", "    draft: maybe\n" + MINIMAL)
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "handouts/x.yaml:1: draft: must be true or false, not 'maybe'"


OFFLINE = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("network is unreachable (blocked by the test)")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from handout_builder.checks import readability
assert readability.english_spelling_syllables("area") == 2  # what spelling alone would say
assert readability.syllables("area", "en") == 3  # the pronouncing dictionary, read from disk
assert readability.syllables("straße", "de") == 2  # pyphen's German dictionary
import build_pdf
build_pdf.cli(["check", "--format", "json", sys.argv[1]])
"""


def test_reading_level_works_with_the_network_unreachable(corpus):
    """The syllable dictionaries come from installed packages; nothing is fetched at first use."""
    run = subprocess.run([sys.executable, "-c", OFFLINE, "handouts/reading-level-too-hard.yaml"],
                         cwd=corpus.root, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(corpus.root)})
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    sections = report["reading"]["handouts/reading-level-too-hard.yaml"]["sections"]
    assert sections[0]["scores"][0]["value"] == 24.4
