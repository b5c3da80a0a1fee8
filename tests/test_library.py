"""The leaflet library, read as files: index.html lists every leaflet built into the folder in
every layout, from the manifest, the same bytes each time; the e-mail drafts read back with
Python's email package; leaflet text is data in the page and in the drafts. (In a real browser:
test_library_browser.py.)"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import textwrap
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from conftest import LIBRARY_TODAY, MINIMAL, REPO

from handout_builder.build.email_draft import email_draft
from handout_builder.build.library import library_page, write_library
from handout_builder.build.manifest import Manifest
from handout_builder.build.pipeline import Pipeline
from handout_builder.inputs.language import load_catalogue
from handout_builder.inputs.project import Project

SHIPPED = sorted(path.stem for path in (REPO / "handouts").glob("*.yaml"))
LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.yaml"))


class Page(HTMLParser):
    """The links, the text and the elements (with attributes) of an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a":
            self.links.append(attrs["href"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def read_page(folder: Path) -> Page:
    return Page((folder / "index.html").read_text(encoding="utf-8"))


def test_the_library_links_every_pdf_and_draft_in_the_folder(shipped_library):
    page = read_page(shipped_library)
    pdfs = {p.name for p in shipped_library.glob("*.pdf") if not p.name.endswith("-screen.pdf")}
    assert pdfs == {f"{stem}-{layout}.pdf" for stem in SHIPPED for layout in LAYOUTS}
    assert set(page.links) - {"#results"} == pdfs | {p.name for p in shipped_library.glob("*.eml")}
    assert {f"{stem}-email.eml" for stem in SHIPPED} == {p.name for p in shipped_library.glob("*.eml")}
    text = " ".join(" ".join(page.text).split())
    for label in ("Print (A4)", "Large print", "Booklet to fold", "For email", "E-mail draft"):
        assert text.count(label) >= len(SHIPPED), label
    for name in ("English", "Español", "Français"):
        assert name in text
    # Translations under their source: one group, holding the Spanish and French leaflets.
    html = (shipped_library / "index.html").read_text(encoding="utf-8")
    group = re.search(r'<li class="group" id="g\d+">(?:(?!<li class="group").)*Quimioterapia', html, re.S).group(0)
    assert "Translations of" in group and "Chemotherapy for non-rhabdomyosarcoma" in group
    # Overdue in words, not colour alone; the others current.
    assert re.search(r'class="status overdue">.*?Review overdue: due 2028-11-01, 61 days ago', html)
    assert html.count('class="status overdue"') == 2  # the fever leaflet and its Easy Read version
    assert html.count('class="status current"') == len(SHIPPED) - 2  # all but those two
    # Every leaflet has its small picture of page 1, and nothing is fetched from elsewhere.
    assert len(re.findall(r'<img class="thumb" src="data:image/png;base64,', html)) == len(SHIPPED)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_library_is_the_same_bytes_from_the_same_manifest_and_rewritten_only_when_it_changes(shipped_library):
    today = dt.date.fromisoformat(LIBRARY_TODAY)
    manifest = Manifest.read(shipped_library)
    written = (shipped_library / "index.html").read_bytes()
    assert library_page(shipped_library, manifest, today) == written
    assert write_library(shipped_library, today) is None  # unchanged: not written again
    later = library_page(shipped_library, manifest, today + dt.timedelta(days=400))
    assert later != written and b"Review overdue" in later


def test_an_email_draft_attaches_the_pdf_in_the_leaflets_language_with_no_recipient(shipped_library):
    for stem, code in (("fever-and-infection", "en"), ("non-rms-chemotherapy-es", "es"),
                       ("non-rms-chemotherapy-fr", "fr")):
        raw = (shipped_library / f"{stem}-email.eml").read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message.defects == []
        assert message["To"] is None and message["Cc"] is None and message["Bcc"] is None
        assert message["X-Unsent"] == "1"
        words = load_catalogue(code).words
        title = json.loads((shipped_library / "build-manifest.json").read_text())["pdfs"][f"{stem}-email.pdf"]["title"]
        assert message["Subject"] == words["email_subject"].format(title=title)
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == [f"{stem}-email.pdf"]
        assert attachments[0].get_content_type() == "application/pdf"
        assert attachments[0].get_content() == (shipped_library / f"{stem}-email.pdf").read_bytes()
        body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert title in body and words["email_message"].split("{title}")[0].strip() in body


HOSTILE_TITLE = "<script>alert('title')</script> & fever"
SHOWN_TITLE = "<script>alert(\u2018title\u2019)</script> & fever"  # as printed: typographic quotes
HOSTILE_POINT = "\"><img src=x onerror=alert('key')> </script><script>alert('index')</script>"
SHOWN_POINT = "\u201c><img src=x onerror=alert(\u2018key\u2019)> </script><script>alert(\u2018index\u2019)</script>"


def hostile(project) -> Path:
    text = textwrap.dedent(MINIMAL).replace("title: A leaflet", f"title: {json.dumps(HOSTILE_TITLE)}\n"
                           f"subtitle: {json.dumps(chr(34) + '><img src=x onerror=alert(1)>')}\n"
                           f"summary:\n  - {json.dumps(HOSTILE_POINT)}\n  - Call the ward at once.")
    return project.write("hostile", text)


def test_leaflet_text_is_characters_in_the_page_never_markup(project):
    hostile(project)
    result = project.run("build", "-l", "email")
    assert result.exit_code == 0, result.stderr
    html = (project.root / "build" / "index.html").read_text(encoding="utf-8")
    page = Page(html)
    assert [tag for tag, _ in page.tags].count("script") == 2  # the index and ours, nothing else
    assert not any(tag == "img" and "onerror" in attrs for tag, attrs in page.tags)
    assert not any(tag not in ("img",) and "src" in attrs for tag, attrs in page.tags)
    assert SHOWN_TITLE in " ".join(page.text)  # shown as those characters
    index = json.loads(page.scripts[0])  # the search index still parses, holding the text as it was
    assert index["leaflets"][0]["title"] == SHOWN_TITLE
    assert index["leaflets"][0]["key_points"][0] == SHOWN_POINT
    assert "</script><script>alert" not in page.scripts[0]


def test_a_line_break_in_a_title_cannot_add_a_header_to_an_email_draft(project):
    path = project.write("x", MINIMAL)
    pipeline = Pipeline(Project(project.root))
    document = pipeline.document(path, "email")
    evil = "Fever\r\nBcc: everyone@example.org\nX-Injected: yes"
    document = replace(document, handout=replace(document.handout, title=evil))
    raw = email_draft(document, "x-email.pdf", b"%PDF-1.7 test")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Bcc"] is None and message["X-Injected"] is None and message["To"] is None
    assert message["Subject"] == "Information for you: Fever Bcc: everyone@example.org X-Injected: yes"
    assert email_draft(document, "x-email.pdf", b"%PDF-1.7 test") == raw  # same PDF, same bytes


def test_a_wrong_library_field_in_a_layout_is_one_line(project):
    project.write("x", MINIMAL)
    layout = project.root / "layouts" / "email.yaml"
    layout.write_text(layout.read_text(encoding="utf-8").replace("email_draft: true", "email_draft: sometimes"),
                      encoding="utf-8")
    result = project.run("build", "-l", "email")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "layouts/email.yaml" in line]
    assert len(lines) == 1 and "library.email_draft" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    text = layout.read_text(encoding="utf-8").replace("email_draft: sometimes", "email_draft: true")
    layout.write_text(text.replace("label: For email", "labl: For email"), encoding="utf-8")
    result = project.run("build", "-l", "email")
    assert result.exit_code == 1
    assert re.search(r"layouts/email\.yaml:\d+: library\.labl: unknown field \(did you mean 'label'\?\)", result.stderr)


def test_a_language_is_named_in_itself():
    from handout_builder.build.library import language_name

    assert [language_name(tag) for tag in ("en", "es", "fr", "bn", "ar", "zh", "pt-BR", "xx-unknown")] == \
        ["English", "Español", "Français", "বাংলা", "العربية", "中文", "Português (Brasil)", "xx-unknown"]


def test_english_is_named_as_cldr_names_it_without_babel():
    """language_name writes "English" without loading Babel; Babel agrees."""
    from babel import Locale

    from handout_builder.build.library import language_name

    english = Locale.parse("en").get_display_name("en")
    assert language_name("en") == english[:1].upper() + english[1:]
