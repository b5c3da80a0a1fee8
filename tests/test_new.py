"""`new`: a commented template made from the fields declared on the model, that passes `check`
as written and builds; and a translation laid out like its source, each text to translate marked."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import MINIMAL, page_texts, words
from handout_builder.build import new as starting
from handout_builder.model import Handout, Reference, Section, declarations

TITLE = "Mouth care during chemotherapy"


def test_new_writes_a_draft_that_passes_check_and_builds(project):
    result = project.run("new", TITLE)
    assert result.exit_code == 0, result.stderr
    path = project.root / "handouts" / "mouth-care-during-chemotherapy.yaml"
    assert result.stdout == ("wrote handouts/mouth-care-during-chemotherapy.yaml: fill it in, then run: "
                             "python build_pdf.py check handouts/mouth-care-during-chemotherapy.yaml\n")
    data = yaml.safe_load(path.read_text())
    assert data["title"] == TITLE and data["draft"] is True and data["language"] == "en"
    body = data["sections"][0]["body"]
    assert "\n- " in body and "| When | What to do |" in body and "[@example-guide]" in body  # a list, a table, a citation
    assert [ref["id"] for ref in data["references"]] == ["example-guide"]
    checked = project.run("check")
    assert checked.exit_code == 0, checked.stdout
    assert "0 errors" in checked.stdout.splitlines()[-1]
    built = project.run("build")
    assert built.exit_code == 0, built.stderr
    first = words(page_texts(project.pdf("mouth-care-during-chemotherapy"))[0])
    assert TITLE in first and "DRAFT" in first and "A list:" in first


@pytest.mark.parametrize("model, explained", [(Handout, starting.HANDOUT_FIELDS), (Section, starting.SECTION_FIELDS),
                                              (Reference, starting.REFERENCE_FIELDS)])
def test_every_declared_field_is_in_the_template_with_a_comment_above(model, explained):
    text = starting.template(TITLE, "en", dt.date(2026, 11, 30))
    lines = text.splitlines()
    for name, spec, _ in declarations(model):
        written = spec.key.split(".")[0] if spec.key else name  # translated_version is translation_of's version
        # set, or commented out with an example: "title: ...", "  - id: ...", "# review_due: ..."
        at = [i for i, line in enumerate(lines)
              if re.fullmatch(rf"(# )?(- )?{written}:.*", line.strip().removeprefix("# ").removeprefix("- "))
              or re.fullmatch(rf"(- )?{written}:.*", line.strip().removeprefix("# "))]
        assert at, f"{model.__name__}.{name} is not in the template"
        above = lines[at[0] - 1].strip()
        assert above.startswith("# ") and len(above) > 10, f"{name} has no comment above it"
        assert name in explained


def test_a_field_added_to_the_model_but_not_to_the_template_stops_new(project, monkeypatch):
    assert starting.unexplained_fields() == []
    monkeypatch.delitem(starting.HANDOUT_FIELDS, "keywords")
    assert starting.unexplained_fields() == ["Handout.keywords"]
    result = project.run("new", TITLE)
    assert result.exit_code == 1
    assert result.stderr == ("handout_builder/build/new.py: the template does not place Handout.keywords; "
                             "add it to the template\n")
    assert not (project.root / "handouts" / "mouth-care-during-chemotherapy.yaml").exists()


def test_new_never_overwrites_and_refuses_a_bad_language(project):
    assert project.run("new", TITLE).exit_code == 0
    path = project.root / "handouts" / "mouth-care-during-chemotherapy.yaml"
    path.write_text(path.read_text() + "# my edits\n")
    again = project.run("new", TITLE)
    assert again.exit_code == 1
    assert again.stderr == ("handouts/mouth-care-during-chemotherapy.yaml: already exists; choose another title or "
                            "delete the file first\n")
    assert path.read_text().endswith("# my edits\n")
    bad = project.run("new", "Other", "--language", "Spanish")
    assert bad.exit_code == 2 and "'Spanish' is not a language code such as en, es or pt-BR" in bad.stderr


def test_a_new_leaflet_in_another_language(project):
    assert project.run("new", "Cuidado de la boca durante la quimioterapia", "--language", "es").exit_code == 0
    data = yaml.safe_load((project.root / "handouts" / "cuidado-de-la-boca-durante-la-quimioterapia.yaml").read_text())
    assert data["language"] == "es"
    assert project.run("check").exit_code == 0


SOURCE = MINIMAL.replace("    sections:", """\
    subtitle: For families
    summary:
      - Call us if your child has a fever [@guide].
    sections:""").replace("        body: Some words.", """\
        body: |
          - a list first
          - then more

          Some words [@guide].
      - heading: Second
        body: More words.""")


def test_a_translation_copies_the_structure_and_marks_each_text(project):
    project.write("mouth", SOURCE)
    result = project.run("new", "Cuidado de la boca", "--translation-of", "handouts/mouth.yaml", "--language", "es")
    assert result.exit_code == 0, result.stderr
    path = project.root / "handouts" / "mouth-es.yaml"
    data = yaml.safe_load(path.read_text())
    source = yaml.safe_load((project.root / "handouts" / "mouth.yaml").read_text())
    assert data["title"] == "Cuidado de la boca"
    assert data["translation_of"] == {"handout": "mouth", "version": "1.0"}
    assert data["language"] == "es" and data["draft"] is True
    assert data["subtitle"] == "[translate] For families"
    assert data["summary"] == ["[translate] Call us if your child has a fever [@guide]."]
    assert [s["heading"] for s in data["sections"]] == ["[translate] First", "[translate] Second"]
    assert [s["body"] for s in data["sections"]] == ["[translate]\n\n" + s["body"].rstrip("\n") + "\n"
                                                     for s in source["sections"]]
    assert data["references"] == source["references"]
    assert data["contact"] == "[translate] " + source["contact"]
    assert project.run("check").exit_code == 0
    listed = project.run("list").stdout.splitlines()
    assert listed[2].startswith("  handouts/mouth-es.yaml  Cuidado de la boca")
    assert project.run("build").exit_code == 0


def test_a_translation_needs_a_language(project):
    project.write("mouth", SOURCE)
    result = project.run("new", "Cuidado", "--translation-of", "handouts/mouth.yaml")
    assert result.exit_code == 2 and "a translation needs --language" in result.stderr


def test_check_finds_every_text_still_to_translate(project):
    from conftest import check_json

    project.write("mouth", SOURCE)
    assert project.run("new", "Cuidado", "--translation-of", "handouts/mouth.yaml", "--language", "es").exit_code == 0
    path = project.root / "handouts" / "mouth-es.yaml"
    status, report = check_json(project, "handouts/mouth-es.yaml")
    marked = [(f["field"], f["level"]) for f in report["findings"] if f["check"] == "translation"]
    assert status == 0
    assert marked == [(field, "warning") for field in ("subtitle", "contact", "summary[1]", "sections[1].heading",
                                                       "sections[1].body", "sections[2].heading", "sections[2].body")]
    path.write_text(path.read_text().replace("[translate] For families", "Para las familias"))
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    status, report = check_json(project, "handouts/mouth-es.yaml")
    assert status == 1
    assert [f["field"] for f in report["findings"] if f["check"] == "translation" and f["level"] == "error"] == [
        "contact", "summary[1]", "sections[1].heading", "sections[1].body", "sections[2].heading", "sections[2].body"]
