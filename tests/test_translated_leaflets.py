"""The non-RMS leaflet in the languages families read most (Arabic, Urdu, Bengali, Punjabi and
Traditional Chinese): each a draft of the current source, with the source's structure, every
fact, figure, drug and trial name and the phone number as the English writes them, its
references unchanged, and every character drawn by a bundled font.

Each is tested in a project where it sits beside its source, as in handouts/."""
from __future__ import annotations

import re
import shutil
import unicodedata

import pytest
import yaml
from pypdf import PdfReader

from conftest import REPO, check_json, page_texts, words
from handout_builder.fonts.fontset import FontSet, family_coverage
from handout_builder.inputs.layout_file import load_layout
from handout_builder.inputs.project import Project
from handout_builder.world import World

HANDOUTS = REPO / "handouts"
SOURCE = HANDOUTS / "non-rms-chemotherapy.yaml"


TRANSLATIONS = {language: HANDOUTS / f"non-rms-chemotherapy-{language}.yaml"
                for language in ("bn", "pa", "zh-Hant", "ar", "ur")}
RIGHT_TO_LEFT = ("ar", "ur")
# Names that stay as the English writes them: drugs, trials, the study group, abbreviations.
KEPT = ("ifosfamide", "doxorubicin", "vincristine", "dactinomycin", "cyclophosphamide", "pazopanib", "ARST0332",
        "ARST1321", "Children's Oncology Group", "COG", "ID", "TKI", "non-RMS", "020 7946 0000", "35–40%", "≥ 90%",
        "41%", "16%", "5 cm")
# The script each language is written in, as Unicode names its letters.
SCRIPT = {"bn": "BENGALI", "pa": "GURMUKHI", "zh-Hant": "CJK UNIFIED IDEOGRAPH", "ar": "ARABIC", "ur": "ARABIC"}


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def printed_text(data: dict) -> str:
    """Everything a leaflet's author wrote that is printed, but its references."""
    parts = [data["title"], data.get("subtitle", ""), data["contact"], *data["summary"]]
    for section in data["sections"]:
        parts += [section["heading"], section["body"]]
    return "\n".join(parts)


def shape(body: str) -> dict:
    """What a section's Markdown is made of, whatever its language: paragraphs, list items, bold
    passages, emphasised ones and citations in order."""
    blocks = [block for block in re.split(r"\n\s*\n", body.strip()) if block.strip()]
    return {
        "paragraphs": sum(1 for block in blocks if not block.lstrip().startswith("- ")),
        "items": len(re.findall(r"(?m)^\s*- ", body)),
        "bold": body.count("**") // 2,
        "citations": re.findall(r"\[@[^\]]+\]", body),
    }


@pytest.fixture(scope="module")
def source():
    return load(SOURCE)


@pytest.mark.parametrize("language", TRANSLATIONS, ids=str)
def test_each_translation_is_a_draft_of_the_current_source(source, language):
    data = load(TRANSLATIONS[language])
    assert data["language"] == language and data["draft"] is True
    assert data["translation_of"] == {"handout": "non-rms-chemotherapy", "version": source["version"]}
    for field in ("version", "reviewed", "review_due", "layout"):
        assert data[field] == source[field], field
    assert data["url"] == f"{source['url']}-{language}"


@pytest.mark.parametrize("language", TRANSLATIONS, ids=str)
def test_each_translation_has_the_structure_of_its_source(source, language):
    data = load(TRANSLATIONS[language])
    assert len(data["summary"]) == len(source["summary"])
    assert [item.count("**") for item in data["summary"]] == [item.count("**") for item in source["summary"]]
    assert len(data["sections"]) == len(source["sections"])
    for index, (theirs, ours) in enumerate(zip(data["sections"], source["sections"]), start=1):
        assert shape(theirs["body"]) == shape(ours["body"]), f"sections[{index}]"
    assert data["references"] == source["references"]  # titles stay as published


@pytest.mark.parametrize("language", TRANSLATIONS, ids=str)
def test_each_translation_keeps_every_name_and_figure_as_written(source, language):
    text = printed_text(load(TRANSLATIONS[language]))
    english = printed_text(source)
    for kept in KEPT:
        assert kept.lower() in text.lower(), kept
        assert text.lower().count(kept.lower()) >= 1
    # Every number the English prints, the translation prints too, in the same digits.
    assert sorted(set(re.findall(r"\d+", english))) == sorted(set(re.findall(r"\d+", text)))


@pytest.fixture(scope="module")
def layouts():
    world = World()
    project = Project(REPO)
    return world, {name: load_layout(project, name, world) for name in project.layout_names()}


@pytest.mark.parametrize("language", TRANSLATIONS, ids=str)
def test_every_character_of_each_translation_has_a_font_and_its_script_the_body_font(layouts, language):
    """Every character (read from the fonts' cmaps) is drawn by the layout's fonts in every shipped
    layout, and every letter of the language's script by its own body font, not a fallback."""
    world, by_name = layouts
    data = load(TRANSLATIONS[language])
    text = printed_text(data) + "".join(data["authors"])
    letters = {char for char in text if unicodedata.name(char, "").startswith(SCRIPT[language])}
    assert len(letters) > 20
    for name, layout in by_name.items():
        fonts = FontSet.for_layout(layout, world, language)
        assert fonts.missing(text) == [], name
        body = family_coverage(fonts.body, world)
        assert sorted(char for char in letters if ord(char) not in body) == [], name


def beside_source(project, *languages: str):
    """The project with the source leaflet and the given translations side by side in handouts/."""
    shutil.copy(SOURCE, project.root / "handouts")
    for language in languages:
        shutil.copy(TRANSLATIONS[language], project.root / "handouts")
    return project


@pytest.mark.parametrize("language", TRANSLATIONS, ids=str)
def test_check_says_only_that_a_translation_is_a_draft(project, language):
    """No error, and no warning but the two that say it is a draft (the leaflet and its language's
    words); reading level is not measured in any of these languages, and says so."""
    beside_source(project, language)
    name = f"handouts/{TRANSLATIONS[language].name}"
    code, report = check_json(project, name)
    found = sorted((f["level"], f["check"], f["field"]) for f in report["findings"] if f["file"] == name)
    assert code == 0
    assert found == [("note", "reading-level", "language"), ("warning", "language", "language"),
                     ("warning", "publication", "draft")]
    assert project.run("check", "--strict", name).exit_code == 1  # until a translator signs it off


def test_the_translations_are_listed_under_their_source(project):
    beside_source(project, *TRANSLATIONS)
    lines = project.run("list").stdout.splitlines()
    listed = [line.split()[0] for line in lines[1:]]
    assert listed[0] == "handouts/non-rms-chemotherapy.yaml"
    assert sorted(listed[1:]) == sorted(f"handouts/{path.name}" for path in TRANSLATIONS.values())
    assert all(line.startswith("  ") for line in lines[2:])  # indented under the source
    assert "out of date" not in "\n".join(lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped translations, each built alone by the real command in a fresh process (so no
    font another leaflet registered first can hide one this one needs but never registers)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("translations")
    for language in ("bn", "pa", "zh-Hant"):
        run = subprocess.run([sys.executable, "build_pdf.py", "build", str(TRANSLATIONS[language].relative_to(REPO)),
                              "-o", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
    return out


@pytest.mark.parametrize("language", ["bn", "pa", "zh-Hant"], ids=str)
def test_the_shipped_translations_build_as_drafts_in_their_language(built, language):
    reader = PdfReader(built / f"{TRANSLATIONS[language].stem}.pdf")
    assert str(reader.trailer["/Root"]["/Lang"]) == language
    assert reader.metadata.title == load(TRANSLATIONS[language])["title"]
    assert 3 <= len(reader.pages) <= 6


def test_the_traditional_chinese_leaflet_reads_back_as_written(built):
    """Chinese extracts exactly today (the Indic scripts do not until the engine lands: the shaped
    glyphs have no code of their own)."""
    data = load(TRANSLATIONS["zh-Hant"])
    text = "".join(words(" ".join(page_texts(built / "non-rms-chemotherapy-zh-Hant.pdf"))).split())
    for sentence in ("掃描顯示，使用ID後，35–40%病人的腫瘤縮小了。", "41%病人的腫瘤明顯縮小（主要反應）。",
                     "第1頁，共4頁", data["subtitle"]):
        assert sentence in text, sentence
    assert "".join(data["title"].split()) in text


@pytest.mark.parametrize("language", RIGHT_TO_LEFT, ids=str)
def test_the_right_to_left_leaflets_build(project, language):
    beside_source(project, language)
    result = project.run("build", f"handouts/{TRANSLATIONS[language].name}")
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(project.root / "build" / f"{TRANSLATIONS[language].stem}.pdf")
    assert str(reader.trailer["/Root"]["/Lang"]) == language
    assert 3 <= len(reader.pages) <= 6
