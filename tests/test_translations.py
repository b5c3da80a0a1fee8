"""Translations: `translation_of` names the source leaflet and the version translated; `list` shows
each translation under its source and says when the source has moved on; `check` and `build`
warn; the shipped Spanish and French leaflets say everything the English one says."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import MINIMAL, REPO, page_texts, table_rows, words

SOURCE = MINIMAL.replace('version: "1.0"', 'version: "{version}"')
TRANSLATION = MINIMAL.replace("title: A leaflet", "title: Un folleto").replace(
    "    sections:", "    language: {language}\n    translation_of:\n      handout: {source}\n"
                    "      version: \"{translated}\"\n    sections:")


def write(project, source_version="1.0", translated="1.0", language="es", source="leaflet"):
    project.write("leaflet", SOURCE.format(version=source_version))
    project.write("leaflet-es", TRANSLATION.format(language=language, source=source, translated=translated))
    project.write("other", MINIMAL.replace("A leaflet", "Another leaflet"))


def list_rows(result) -> list[list[str]]:
    return [line.split("  ") for line in result.stdout.splitlines()[1:]]


def test_list_shows_translations_under_their_source(project):
    write(project)
    result = project.run("list")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split()[-2:] == ["Language", "Translation"]
    assert [line.split()[0] for line in lines[1:]] == ["handouts/leaflet.yaml", "handouts/leaflet-es.yaml",
                                                       "handouts/other.yaml"]
    assert lines[2].startswith("  handouts/leaflet-es.yaml  Un folleto")  # indented under its source
    assert lines[2].endswith("es        up to date with version 1.0")
    assert lines[1].rstrip().endswith("current  en")


def test_a_translation_whose_source_moved_on_is_out_of_date(project):
    write(project, source_version="1.1", translated="1.0")
    listed = project.run("list")
    assert listed.stdout.splitlines()[2].endswith(
        "translation out of date: source is at version 1.1, translated from 1.0")
    check = project.run("check")
    message = ('translation out of date: handouts/leaflet.yaml is at version "1.1", this was translated from "1.0"; '
               'bring the translation up to date with it, then set translation_of.version to "1.1"')
    assert ("handouts/leaflet-es.yaml:9", "warning", "translation_of.version", message) in table_rows(check)
    assert check.exit_code == 0 and project.run("check", "--strict").exit_code == 1
    built = project.run("build")
    assert built.exit_code == 0
    assert f"handouts/leaflet-es.yaml:9: warning: translation_of.version: {message}" in built.stderr.splitlines()


@pytest.mark.parametrize("source_version,translated,state", [
    ("1.9", "1.10", "newer"), ("1.10", "1.9", "out of date"), ("2", "2.0", "same"), ("2.0.1", "2.0", "out of date")])
def test_versions_compare_number_by_number(project, source_version, translated, state):
    write(project, source_version=source_version, translated=translated)
    rows = table_rows(project.run("check", "handouts/leaflet-es.yaml"))
    found = [row for row in rows if row[2] == "translation_of.version"]
    if state == "same":
        assert found == []
    elif state == "newer":
        assert found == [("handouts/leaflet-es.yaml:9", "error", "translation_of.version",
                          f'"{translated}" is newer than handouts/leaflet.yaml\'s version "{source_version}"; '
                          "give the version that was translated")]
    else:
        assert found[0][1] == "warning" and found[0][3].startswith("translation out of date")


def test_a_translation_of_a_missing_leaflet_is_an_error(project):
    write(project, source="leafelt")
    result = project.run("build", "handouts/leaflet-es.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "handouts/leaflet-es.yaml:8: translation_of.handout: the source leaflet 'leafelt' cannot be read: "
        "there is no handouts/leafelt.yaml")
    assert "source handouts/leafelt.yaml not found" in project.run("list").stdout


def test_a_translation_in_its_sources_language_is_an_error(project):
    write(project, language="en")
    assert ("handouts/leaflet-es.yaml:6", "error", "language",
            "'en' is the language of the source handouts/leaflet.yaml too; a translation says which language it is "
            "in (language: es)") in table_rows(project.run("check"))


def test_translation_of_must_name_a_handout_and_a_version(project):
    project.write("x", MINIMAL.replace("    sections:", "    translation_of:\n      handout: a.yaml\n    sections:"))
    rows = table_rows(project.run("check"))
    assert rows == [
        ("handouts/x.yaml:7", "error", "translation_of.version", "missing"),
        ("handouts/x.yaml:7", "error", "translation_of.handout",
         "'a.yaml' must be the source handout's file name without .yaml, e.g. non-rms-chemotherapy"),
    ]


# -- the shipped translations ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def translated(shipped):
    """The shipped translations, from the build of every handout (conftest's shipped)."""
    out, run = shipped
    # Only the shipped drafts say anything: that they are drafts (test_shipped_leaflets.py).
    assert run.returncode == 0, run.stderr
    assert all(": warning: draft: " in line or ": warning: language: " in line or ": warning: clinic." in line
               for line in run.stderr.splitlines())
    return out


FACTS = {  # what the English leaflet says, as each translation says it
    "es": ("ARST0332", "ifosfamida y doxorrubicina (llamados ID, para abreviar)", "en el 35–40% de los pacientes",
           "≥ 90% de él eran células del tumor muertas", "ARST1321", "pazopanib",
           "inhibidor de la tirosina cinasa multidiana (TKI", "el leiomiosarcoma, el sarcoma sinovial, el "
           "condrosarcoma y otros sarcomas", "tumores de alto grado de más de 5 cm", "vincristina, dactinomicina, "
           "ciclofosfamida y doxorrubicina", "(una respuesta importante) en el 41% de los pacientes",
           "(una respuesta menor) en el 16% de los pacientes", "Children\u2019s Oncology Group (COG)",
           "riesgo intermedio y alto", "supervivencia libre de recaída [1]", "juntaron sus resultados [2]"),
    "fr": ("ARST0332", "l’ifosfamide et la doxorubicine (appelés ID, en abrégé)", "chez 35–40 % des patients",
           "≥ 90 % de la tumeur était fait de cellules tumorales mortes", "ARST1321", "pazopanib",
           "inhibiteur de tyrosine kinase multicible (ITK)", "léiomyosarcome, le sarcome synovial, le "
           "chondrosarcome et d’autres sarcomes", "tumeur de haut grade de plus de 5 cm", "la vincristine, la "
           "dactinomycine, le cyclophosphamide et la doxorubicine", "(une réponse majeure) chez 41 % des patients",
           "(une réponse mineure) chez 16 % des patients", "Children’s Oncology Group (COG)",
           "risque intermédiaire et élevé", "survie sans récidive [1]", "mis leurs résultats en commun [2]"),
}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_shipped_translations_keep_every_fact_and_both_references(translated, language):
    pages = page_texts(translated / f"non-rms-chemotherapy-{language}.pdf")
    text = words(" ".join(pages)).replace("\u00a0", " ")
    for fact in FACTS[language]:
        assert words(fact) in text, fact
    last = words(pages[-1])
    # The references keep the titles they were published under, in English.
    assert ("1. Sarcoma Meta-analysis Collaboration. Adjuvant chemotherapy for localised resectable soft-tissue "
            "sarcoma of adults: meta-analysis of individual data. Lancet. 1997;350(9092):1647-54. PMID: 9400508.") in last
    assert ("2. Ferrari A, Miceli R, Rey A, Oberlin O, Orbach D, Brennan B, et al. Non-metastatic unresected "
            "pediatric non-rhabdomyosarcoma soft tissue sarcomas; results of a pooled analysis from the United "
            "States and European groups. Eur J Cancer. 2011 Mar;47(5):724-31. doi: 10.1016/j.ejca.2010.11.013. "
            "Epub 2010 Dec 8.") in last


def test_shipped_translations_are_listed_under_the_english_leaflet():
    run = subprocess.run([sys.executable, "build_pdf.py", "list"], cwd=REPO, capture_output=True, text=True)
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("handouts/non-rms-chemotherapy.yaml"))
    under = [line for line in lines[at + 1:] if line.startswith("  handouts/non-rms-chemotherapy-")]
    assert [line.split()[0] for line in under] == sorted(
        f"handouts/{path.name}" for path in (REPO / "handouts").glob("non-rms-chemotherapy-*.yaml"))
    assert {"handouts/non-rms-chemotherapy-es.yaml", "handouts/non-rms-chemotherapy-fr.yaml"} <= {
        line.split()[0] for line in under}
    assert lines[at + 1:at + 1 + len(under)] == under  # straight after their source, indented
    assert all(line.endswith("up to date with version 1.0") for line in under)
