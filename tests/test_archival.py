"""Archived (released) copies are PDF/A-2u as well as PDF/UA-1. No PDF/A validator installs here
(veraPDF needs a JVM), so each requirement this builder can meet is tested on its own, with
pikepdf, qpdf (every PDF the suite writes passes `qpdf --check`: conftest.py) and Pillow's
littleCMS for the colour profile. README.md lists which requirements are tested and which not."""
from __future__ import annotations

import io
import re
import subprocess
import sys

import pikepdf
import pytest
from click.testing import CliRunner

import build_pdf
from conftest import MINIMAL, REPO, LeafletProject

BY = "Dr Ana Silva, consultant"
# With a Bengali sentence, drawn by the shaped-text engine in a font of its own (a Type0 font).
LINKED = MINIMAL.replace("Some words.", "Some words, and [our page](https://www.example.org/sarcoma) [@guide]. "
                                        "আপনার শিশুর দাঁত দিনে দুবার পরিষ্কার করুন।")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A leaflet with a link, a citation and the shipped layout's logo, published."""
    root = tmp_path_factory.mktemp("archival") / "clinic"
    root.mkdir()
    project = LeafletProject(root)
    project.write("x", LINKED)
    runner = CliRunner()
    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        assert runner.invoke(build_pdf.cli, ["approve", "handouts/x.yaml", "--by", BY, "--yes"]).exit_code == 0
        result = runner.invoke(build_pdf.cli, ["publish"])
        assert result.exit_code == 0, result.output
        assert runner.invoke(build_pdf.cli, ["build"]).exit_code == 0  # a working copy, not archival
    finally:
        os.chdir(here)
    return root / "archive" / "x" / "1.0" / "x-clinic-a4.pdf", root / "build" / "x.pdf"


def xmp(pdf: pikepdf.Pdf) -> str:
    return pdf.Root.Metadata.read_bytes().decode("utf-8")


def test_the_xmp_claims_pdfa_2u_and_pdfua_1_with_the_extension_schema(released):
    archived, working = released
    with pikepdf.open(archived) as pdf:
        text = xmp(pdf)
        assert "<pdfaid:part>2</pdfaid:part>" in text and "<pdfaid:conformance>U</pdfaid:conformance>" in text
        assert "<pdfuaid:part>1</pdfuaid:part>" in text
        # pdfuaid is not a schema PDF/A knows: it must be described in pdfaExtension
        assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in text
        assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in text
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the metadata stream is not compressed
        with pdf.open_metadata() as meta:  # the XMP parses, and says what the document information says
            assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "U"
            info = pdf.docinfo
            assert meta["dc:title"] == str(info.Title)
            assert meta["pdf:Producer"] == str(info.Producer)
            assert meta["xmp:CreatorTool"] == str(info.Creator)
            assert meta["pdf:Keywords"] == str(info.get("/Keywords", ""))
            assert meta["pdf:Trapped"] == "False" and info.Trapped == "/False"
    with pikepdf.open(working) as pdf:
        assert "pdfaid" not in xmp(pdf) and "/OutputIntents" not in pdf.Root  # only released copies claim it


def test_the_output_intent_is_an_embedded_srgb_profile(released):
    from PIL import ImageCms

    with pikepdf.open(released[0]) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        profile = intent.DestOutputProfile
        assert profile.N == 3
        opened = ImageCms.ImageCmsProfile(io.BytesIO(profile.read_bytes()))
        assert opened.profile.xcolor_space.strip() == "RGB" and opened.profile.device_class == "mntr"
        assert profile.read_bytes()[8] in (2, 4)  # an ICC version PDF/A-2 allows (2.x or 4.x)


def test_every_font_is_embedded_with_a_unicode_map(released):
    with pikepdf.open(released[0]) as pdf:
        fonts = 0
        assert any(font.Subtype == pikepdf.Name.Type0 for font in pdf.pages[0].Resources.Font.values())
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                fonts += 1
                if font.Subtype == pikepdf.Name.Type0:  # the shaped text's (render/embedding.py)
                    (descendant,) = font.DescendantFonts
                    # ISO 19005-2, 6.2.11.3.2: a CIDFontType2 names how its codes reach glyphs
                    assert descendant.Subtype == pikepdf.Name.CIDFontType2 and "/CIDToGIDMap" in descendant
                    descriptor = descendant.FontDescriptor
                else:
                    descriptor = font.FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
                assert "/ToUnicode" in font, font.BaseFont  # PDF/A-2u: every character maps to Unicode
                # a symbolic TrueType font must have no /Encoding (ISO 19005-2, 6.2.11.6)
                if font.Subtype == pikepdf.Name.TrueType and int(descriptor.Flags) & 4:
                    assert "/Encoding" not in font
        assert fonts


def test_nothing_is_transparent_and_every_annotation_prints(released):
    with pikepdf.open(released[0]) as pdf:
        annotations = 0
        for page in pdf.pages:
            assert "/Group" not in page.obj
            for state in page.Resources.get("/ExtGState", {}).values():
                assert float(state.get("/CA", 1)) == 1 and float(state.get("/ca", 1)) == 1
                assert state.get("/SMask", pikepdf.Name["/None"]) == pikepdf.Name["/None"]
            for xobject in page.Resources.get("/XObject", {}).values():
                assert "/SMask" not in xobject
            for annotation in page.get("/Annots", []):
                annotations += 1
                assert int(annotation.F) & 4 and not int(annotation.F) & (1 | 2 | 32)  # print; not hidden
        assert annotations >= 2  # the link and the citation
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root and "/JavaScript" not in str(pdf.Root.keys())
        assert "/Encrypt" not in pdf.trailer and "/ID" in pdf.trailer


def test_the_archived_copy_still_passes_the_pdfua_checks(released):
    run = subprocess.run([sys.executable, "-m", "pdfua", "check", str(released[0])], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_transparency_is_found_and_refused(project):
    """The draft mark is drawn with alpha: a draft is never released, but the check that would
    stop anything transparent is shown to find it."""
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.errors import HandoutError
    from handout_builder.inputs.project import Project

    path = project.write("x", MINIMAL + "    draft: true\n")
    pipeline = Pipeline(Project(project.root))
    with pytest.raises(HandoutError) as refused:
        pipeline.render(pipeline.document(path), archival=True)
    assert str(refused.value) == ("handouts/x.yaml: cannot be made an archival PDF (PDF/A-2u): page 1: "
                                  "transparency (alpha 0.35); page 2: transparency (alpha 0.35)")


def test_the_profile_shipped_is_the_one_described():
    """srgb.icc: littleCMS's built-in sRGB with a fixed date, so archived bytes never change."""
    data = (REPO / "handout_builder" / "render" / "srgb.icc").read_bytes()
    assert data[36:40] == b"acsp" and data[12:16] == b"mntr" and data[16:20] == b"RGB "
    assert re.search(rb"s\x00R\x00G\x00B", data)  # its description, in UTF-16
