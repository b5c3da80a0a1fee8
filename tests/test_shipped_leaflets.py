"""The clinic's own leaflets build cleanly, in both shipped layouts, and say what the sources say."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from pypdf import PdfReader

from conftest import REPO, page_texts, words

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


# shipped (conftest.py): every handouts/*.yaml built by the real command in a fresh process, as a
# clinic runs it (`build`), once a run; test_translations.py reads the same build.


def drafts() -> list[str]:
    """The shipped leaflets marked draft: true (translations awaiting a translator's sign-off)."""
    return sorted(p.stem for p in (REPO / "handouts").glob("*.yaml")
                  if yaml.safe_load(p.read_text(encoding="utf-8")).get("draft"))


def test_every_handout_builds(shipped):
    out, run = shipped
    stems = sorted(p.stem for p in (REPO / "handouts").glob("*.yaml"))
    assert len(stems) >= 2
    assert sorted(p.stem for p in out.glob("*.pdf")) == stems
    assert len(run.stdout.splitlines()) == len(stems)
    # Only a draft says anything more: that it is a draft, and that its language's words are too.
    said = run.stderr.splitlines()
    # A translation whose language the layout has no clinic name in is warned too (issue 14), at
    # the layout's line, naming the draft translation.
    said = [line for line in said if not (line.startswith("layouts/clinic-a4.yaml") and ": warning: clinic." in line
                                          and any(f"handouts/{stem}.yaml" in line for stem in drafts()))]
    assert all(line.split(":")[0] in {f"handouts/{stem}.yaml" for stem in drafts()} for line in said), said
    # A translation whose language the layout has no clinic name in is warned too (issue 14).
    assert all(": warning: draft: " in line or ": warning: language: " in line or ": warning: clinic." in line
               for line in said), said


def test_non_rms_leaflet_keeps_every_fact_of_the_seed_page(shipped):
    out, _ = shipped
    text = words(" ".join(page_texts(out / "non-rms-chemotherapy.pdf")))
    for fact in (
        "ARST0332", "ifosfamide and doxorubicin (called ID for short)", "35–40% of patients",
        "≥ 90% of it was made up of dead tumour cells", "ARST1321", "pazopanib",
        "multitargeted tyrosine kinase inhibitor (TKI)", "leiomyosarcoma, synovial sarcoma, chondrosarcoma and "
        "other sarcomas", "high-grade tumours larger than 5 cm", "vincristine, dactinomycin, cyclophosphamide and "
        "doxorubicin", "(a major response) in 41% of patients", "(a minor response) in 16% of patients",
        "Children\u2019s Oncology Group (COG)", "intermediate and high risk",
    ):
        assert fact in text
    last = words(page_texts(out / "non-rms-chemotherapy.pdf")[-1])
    assert ("1. Sarcoma Meta-analysis Collaboration. Adjuvant chemotherapy for localised resectable soft-tissue "
            "sarcoma of adults: meta-analysis of individual data. Lancet. 1997;350(9092):1647-54. PMID: 9400508.") in last
    assert ("2. Ferrari A, Miceli R, Rey A, Oberlin O, Orbach D, Brennan B, et al. Non-metastatic unresected pediatric "
            "non-rhabdomyosarcoma soft tissue sarcomas; results of a pooled analysis from the United States and "
            "European groups. Eur J Cancer. 2011 Mar;47(5):724-31. doi: 10.1016/j.ejca.2010.11.013. "
            "Epub 2010 Dec 8.") in last


def test_fever_leaflet_has_what_the_first_does_not(shipped):
    out, _ = shipped
    pages = page_texts(out / "fever-and-infection.pdf")
    assert len(pages) >= 3
    text = words(" ".join(pages))
    assert "1. Wait at least 20 minutes" in text and "6. If the reading is below 38 °C" in text  # numbered list
    assert "Blood count What it does What a low count can mean" in text  # table header row
    assert "Call us straight away: do not wait until the morning." in text  # callout
    assert "If your child\u2019s temperature is ≥ 38 °C" in text  # typographic apostrophe (issue 14)


def test_shipped_layouts_set_their_page_sizes(every_layout):
    for layout, size in (("clinic-a4", A4), ("clinic-letter", LETTER)):
        reader = PdfReader(every_layout / f"non-rms-chemotherapy-{layout}.pdf")
        for page in reader.pages:
            assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == size
    letter = words(" ".join(page_texts(every_layout / "non-rms-chemotherapy-clinic-letter.pdf")))
    assert "Reviewed November 1, 2026" in letter  # the Letter layout writes dates the US way


def test_shipped_leaflets_pass_every_check_strictly():
    """Plain language, sources, dates, contact details and legible type: warnings fail too. (Draft
    translations are held to the same checks, less the warnings that say they are drafts:
    test_translated_leaflets.py.)"""
    approved = [f"handouts/{p.name}" for p in sorted((REPO / "handouts").glob("*.yaml")) if p.stem not in drafts()]
    run = subprocess.run([sys.executable, "build_pdf.py", "check", "--strict", *approved], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("5 leaflets checked: 0 errors, 0 warnings, ")
