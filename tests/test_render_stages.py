"""The render stage's parts, each called directly on one small leaflet (no command line, no
shipped leaflets): the story and the notes it hands on (story.py, handoff.py), marking
(marking.py), pages (pages.py) and tagging (tagging.py)."""
from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import replace

import pytest

import handout_builder.render  # noqa: F401  isort: skip  (before ReportLab: see reportlab_seam.offer_rlbidi)
import pikepdf
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table

from handout_builder.build.pipeline import Pipeline
from handout_builder.errors import HandoutError
from handout_builder.inputs.clock import pdf_timestamp
from handout_builder.inputs.project import Project
from handout_builder.render.handoff import Bookmark, FirstPage, FirstPageItem, Notes, Story
from handout_builder.render.marking import mark_story
from handout_builder.render.pages import render
from handout_builder.render.reportlab_seam import StandIn, nested
from handout_builder.render.story import build_story
from handout_builder.render.tagging import describe_link, tag_pdf, xmp_date

from conftest import REPO

SMALL = """\
title: Small leaflet
subtitle: For testing the stages
version: "1.0"
reviewed: 2020-01-01
draft: true
url: https://www.example.org/small
authors: [Test team]
contact: Call us on 020 7946 0000.
summary:
  - One key point.
sections:
  - heading: First
    body: |
      Words with a citation [@guide].

      {lang=fr}
      Un passage en français.

      - one
      - two
  - heading: Second
    body: |
      > A callout.

      | Name | When |
      |---|---|
      | Toothpaste | Morning |
references:
  - id: guide
    authors: [Test team]
    title: A guide
    publisher: Test press
    year: 2026
"""
TODAY = dt.date(2026, 11, 1)  # the 2020 review is overdue: the notice is shown


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("stages")
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    (root / "handouts").mkdir()
    (root / "handouts" / "small.yaml").write_text(SMALL, encoding="utf-8")
    return Pipeline(Project(root), TODAY), root / "handouts" / "small.yaml"


@pytest.fixture
def document(pipeline):
    pipe, path = pipeline
    document = pipe.document(path)
    # The pipeline dates a document just before rendering it (so `check` never reads the clock).
    return replace(document, pdf_date=pdf_timestamp(document.handout.reviewed, None))


def every_flowable(items):
    """Every flowable of a story, containers first, in reading order (each once; a stand-in, not
    what it stands for)."""
    seen = set()

    def walk(item):
        if item is None or id(item) in seen:
            return
        seen.add(id(item))
        if isinstance(item, (list, tuple)):
            for part in item:
                yield from walk(part)
            return
        if isinstance(item, Flowable):
            yield item
        if isinstance(item, StandIn):
            return
        for held in nested(item):
            yield from walk(held)

    yield from walk(list(items))


# -- the story --------------------------------------------------------------------------------------

def test_the_story_notes_where_each_part_of_the_handout_starts(document):
    story = build_story(document)
    parts = [story.note(f).part for f in story.flowables if story.note(f).part]
    assert parts == ["title", "summary", "sections[1]", "sections[2]", "contact", "references"]
    assert story.note(story.flowables[0]).part == "title"


def test_the_story_notes_its_bookmarks_in_reading_order(document):
    story = build_story(document)
    bookmarks = [story.note(f).bookmark for f in every_flowable(story.flowables) if story.note(f).bookmark]
    said = document.words
    assert bookmarks == [Bookmark(said["key_points"], "key-points"), Bookmark("First", "section-1"),
                         Bookmark("Second", "section-2"),
                         Bookmark(said["contact"], "contact"), Bookmark(said["references"], "references")]


def test_the_story_notes_languages_roles_and_a_figures_description(document):
    story = build_story(document)
    notes = [(type(f).__name__, story.note(f)) for f in every_flowable(story.flowables)]
    french = [f for f in every_flowable(story.flowables) if story.note(f).lang]
    assert [f.getPlainText() for f in french] == ["Un passage en français."]
    assert [note.role for kind, note in notes if kind == "Table"] == ["Sect", "BlockQuote", "Table", "Sect"]
    figures = [f for f in every_flowable(story.flowables) if isinstance(f, Drawing)]  # the QR code is one
    assert [story.note(f).alt for f in figures] == [
        document.words.say("spoken_qr_code", url="https://www.example.org/small")]


def test_the_story_says_what_page_ones_header_reads(document):
    story = build_story(document)
    logo = document.layout.logo.alt
    assert story.first_page == FirstPage(logo=logo, notice=document.notice, draft=True) and document.notice
    assert [item for item, _, _ in story.first_page.items()] == [
        FirstPageItem.LOGO, FirstPageItem.NOTICE, FirstPageItem.DRAFT]


def test_nothing_is_handed_on_in_attributes_of_the_flowables(document):
    for flowable in every_flowable(build_story(document).flowables):
        assert not {"part", "outline", "lang", "structure", "alt"} & set(vars(flowable)), flowable


def test_notes_are_kept_by_identity_and_carried_to_a_stand_in():
    style = ParagraphStyle("p")
    first, twin = Paragraph("same", style), Paragraph("same", style)
    notes = Notes()
    notes.add(first, part="sections[1]")
    notes.add(first, lang="fr")
    assert notes.of(first).part == "sections[1]" and notes.of(first).lang == "fr"
    assert notes.of(twin).part is None
    wrapper = StandIn(first)
    copied = Notes(notes)
    copied.carry(first, wrapper)
    assert copied.of(wrapper) == notes.of(first) and notes.of(wrapper).part is None


# -- marking ----------------------------------------------------------------------------------------

def test_marking_grows_the_tree_in_reading_order_page_ones_header_first(document):
    story, marks = mark_story(build_story(document))
    roles = [element.role for element in marks.document.children]
    assert roles[:6] == ["Figure", "P", "P", "H1", "P", "Sect"]
    assert marks.document.children[0].alt == document.layout.logo.alt
    assert set(marks.first_page) == set(FirstPageItem)
    french = [e for e in marks.document.walk() if e.lang]
    assert [(e.role, e.lang) for e in french] == [("P", "fr")]
    assert "BlockQuote" in [e.role for e in marks.document.walk()]
    assert [e.role for e in marks.document.walk() if e.role in ("TH", "TD")] == ["TH", "TH", "TD", "TD"]


def test_marking_carries_the_notes_to_its_wrappers(document):
    story = build_story(document)
    marked, _ = mark_story(story)
    assert [marked.note(f).part for f in marked.flowables if marked.note(f).part] == [
        story.note(f).part for f in story.flowables if story.note(f).part]
    bookmarks = [marked.note(f).bookmark for f in every_flowable(marked.flowables) if marked.note(f).bookmark]
    assert [b.key for b in bookmarks] == ["key-points", "section-1", "section-2", "contact", "references"]
    assert isinstance(marked.flowables[0], StandIn) and marked.flowables[0].inner is story.flowables[0]


def test_marking_refuses_a_table_without_a_role_and_a_figure_without_a_description():
    with pytest.raises(TypeError, match="needs a role"):
        mark_story(Story((Table([["x"]]),)))
    with pytest.raises(ValueError, match="without alt text"):
        mark_story(Story((Drawing(10, 10),)))


def test_drawing_records_each_elements_pieces_and_links(document):
    story, marks = mark_story(build_story(document))
    data, pages = render(document, story, marks)
    by_page: dict[int, list[int]] = {}
    for element in marks.document.walk():
        for page, mcid in element.pieces:
            by_page.setdefault(page, []).append(mcid)
    assert sorted(by_page) == list(range(pages))
    assert all(sorted(ids) == list(range(len(ids))) for ids in by_page.values())
    # on page 1 only; DRAFT is drawn first (behind the text), though the logo is read first
    assert [marks.first_page[item].pieces for item in FirstPageItem] == [[(0, 1)], [(0, 2)], [(0, 0)]]
    links = [target for element in marks.document.walk() for _, _, target in element.links]
    assert "#ref-1" in links and "https://www.example.org/small" in links


# -- pages ------------------------------------------------------------------------------------------

def test_pages_add_the_bookmarks_and_date_the_pdf(document):
    data, pages = render(document, build_story(document))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == pages
    said = document.words
    assert [item.title for item in reader.outline] == [said["key_points"], "First", "Second", said["contact"],
                                                       said["references"]]
    assert reader.metadata["/CreationDate"].startswith("D:20200101")


def _too_big(document, flowable, part="sections[2]"):
    notes = Notes()
    title = notes.add(Paragraph("Title", ParagraphStyle("t")), part="title")
    notes.add(flowable, part=part)
    with pytest.raises(HandoutError) as refused:
        render(document, Story((title, flowable), notes))
    (problem,) = refused.value.problems
    return problem


def test_something_too_large_for_a_page_is_the_authors_problem_naming_its_part(document):
    style = ParagraphStyle("p")
    header = Paragraph(" ".join(f"w{n}" for n in range(3000)), style)
    problem = _too_big(document, Table([[header], ["x"]], colWidths=["100%"], repeatRows=1))
    assert (problem.file, problem.line, problem.field) == (
        document.handout.file, document.handout.line_of("sections[2]"), "sections[2]")
    assert problem.message == ("a table or box here is too large to fit on a page, even on a page of its own (a "
                               "table's header row repeats on every page, so it must fit on one); break it up")


def test_a_table_squeezed_narrower_than_its_padding_is_too_wide(document):
    squeezed = Table([[Paragraph("x", ParagraphStyle("p"))]], colWidths=[4],
                     style=[("LEFTPADDING", (0, 0), (-1, -1), 20)])
    problem = _too_big(document, squeezed, part="sections[1]")
    assert problem.field == "sections[1]"
    assert problem.message.startswith("a table or box here is too wide to fit on a page")


# -- tagging ----------------------------------------------------------------------------------------

def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def test_tagging_writes_the_tree_the_marks_recorded(document):
    story, marks = mark_story(build_story(document))
    data, _ = render(document, story, marks)
    with pikepdf.open(io.BytesIO(tag_pdf(data, marks, document.words))) as pdf:
        root = pdf.Root.StructTreeRoot
        (top,) = _kids(root)
        assert top.S == "/Document"
        roles = [str(kid.S) for kid in _kids(top) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        assert roles[:4] == ["/Figure", "/P", "/P", "/H1"] and roles[-1] == "/Link"  # the footer's web link
        assert str(_kids(top)[0].Alt) == document.layout.logo.alt
        french = [node for node in _walk(top) if "/Lang" in node]
        assert [str(node.Lang) for node in french] == ["fr"]
        assert pdf.Root.MarkInfo.Marked and all("/StructParents" in page.obj for page in pdf.pages)
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                assert "/Contents" in annotation and "/StructParent" in annotation


def _walk(node):
    yield node
    for kid in _kids(node):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from _walk(kid)


def test_what_a_link_leads_to_in_words_and_dates_in_xmp(document):
    words = document.words
    assert describe_link("#ref-2", words) == words.say("spoken_reference", number="2")
    assert describe_link("mailto:a@example.org", words) == words.say("spoken_email", address="a@example.org")
    assert describe_link("https://www.example.org/small", words) == "www.example.org/small"
    assert xmp_date("D:20261101000000+00'00'") == "2026-11-01T00:00:00Z"
    assert xmp_date("yesterday") == ""
