"""`new`: a new handout file from a commented template, or a translation laid out like its source.

The template is made from the fields declared on the model (model.py, `declarations`): each is
written with a one-line comment saying what it is, in the order an author fills them in. A field
declared on the model but not placed here stops `new` with an error naming it (and its test fails),
so a new field cannot be left out of the template.

A new leaflet is a draft (`draft: true`) and passes `check` as written: a section with a
paragraph, a list, a table and a citation, a reference, contact and authors, all to be replaced.
A translation copies its source's structure and references; each text to translate keeps the
source's words, marked `[translate]` at its start (a body: in a first paragraph of its own), so
nothing is forgotten and the draft still builds.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from ..errors import HandoutError
from ..inputs.project import Project
from ..model import DEFAULT_LAYOUT, LANGUAGE_TAG, TO_TRANSLATE, Handout, Reference, Section, declarations
from .writing import write_atomically

MARK = TO_TRANSLATE + " "  # the start of a text still in the source's language

# Each declared field, in the order an author fills them in, with its one-line comment. Fields
# a new leaflet leaves unset are written commented out, with an example.
HANDOUT_FIELDS = {
    "title": "required: the leaflet's title, on the first page and in every header",
    "subtitle": "optional: one line under the title",
    "version": "required, in quotes: raise it when the text changes and is signed off again",
    "draft": "true until the leaflet is approved: DRAFT prints on every page; delete it then",
    "reviewed": "required: the date of the clinical review, YYYY-MM-DD",
    "review_due": "optional: when the next review is due (default: three years after reviewed)",
    "language": "the leaflet's language: en, es, fr, pt-BR, zh...",
    "translation_of": "only in a translation: the source leaflet's file name (without .yaml) and the "
                      "version translated",
    "translated_version": "(written as translation_of: version, above)",
    "layout": f"optional: a file in layouts/ (default {DEFAULT_LAYOUT})",
    "reading_grade": "optional: the school grade to write for (default: the layout's, or 8)",
    "authors": "who wrote it, printed at the end (needed before publication)",
    "contact": "whom families call, printed in a box (needed before publication)",
    "summary": "optional: the \"Key points\" box on page 1, one line a point",
    "sections": "required: each section a heading and a body in Markdown (see the README)",
    "references": "the sources, printed on the citation page (at least one before publication); "
                  "cite one in a text with [@id]",
    "keywords": "optional: words the PDF is found by",
    "url": "optional: the online version, printed as a QR code on the last page",
}
SECTION_FIELDS = {
    "heading": "required, one line: also the PDF's bookmark",
    "body": "required, Markdown: paragraphs, **bold**, lists (- item), tables, > callouts, [@id] citations",
}
REFERENCE_FIELDS = {
    "id": "required, unique: what a text cites as [@id]",
    "authors": "a list; for a guideline or web page, the organisation",
    "title": "required",
    "journal": "for an article (or publisher: for a book, guideline or web page)",
    "publisher": "for a book, guideline or web page",
    "year": "the year published",
    "month": "optional, Jan to Dec",
    "volume": "optional, in quotes",
    "issue": "optional, in quotes",
    "pages": "optional, e.g. 1647-54",
    "doi": "optional, e.g. 10.1016/j.ejca.2010.11.013",
    "pmid": "optional, the PubMed id, in quotes",
    "url": "optional, for a web page: printed as \"Available from:\"",
    "accessed": "optional, for a web page: the date it was read",
    "note": "optional, printed last",
    "language": "optional (default en): the language it is written in, for screen readers",
}
_TEMPLATES = ((Handout, HANDOUT_FIELDS), (Section, SECTION_FIELDS), (Reference, REFERENCE_FIELDS))


def unexplained_fields() -> list[str]:
    """Fields declared on the model that the template does not place (it must place them all)."""
    return [f"{model.__name__}.{name}" for model, explained in _TEMPLATES
            for name, _, _ in declarations(model) if name not in explained]


def stem_for(title: str) -> str:
    """A file name for a title: "Mouth care during chemotherapy" -> "mouth-care-during-chemotherapy"."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].rstrip("-")


def _text(value: str) -> str:
    """A one-line text as YAML reads it back exactly: in double quotes (JSON's are YAML's too)."""
    return json.dumps(value, ensure_ascii=False)


def _block(value: str, indent: str) -> str:
    """A text of several lines as a YAML block (`|`), indented under its field."""
    lines = value.rstrip("\n").split("\n")
    return "|\n" + "\n".join((indent + line).rstrip() for line in lines)


def _comment(line: str, comment: str, width: int = 0) -> str:
    """The field's line with its comment on the line above, indented as the field is."""
    field = line.lstrip()
    indent = line[: len(line) - len(field)]
    comment = comment[:1].upper() + comment[1:]
    if indent.endswith("- "):  # a list item's first field: the comment goes above the item
        return f"{indent[:-2]}# {comment}\n{line}"
    return f"{indent}# {comment}\n{line}"


def _check_fields() -> None:
    missing = unexplained_fields()
    if missing:  # a field added to the model must be added to the template
        raise HandoutError.single("handout_builder/build/new.py", None, "",
                                  f"the template does not place {', '.join(missing)}; add it to the template")


def template(title: str, language: str, today: dt.date) -> str:
    """A new leaflet's YAML: every field with a one-line comment; passes `check` as written."""
    _check_fields()
    due = today.replace(year=today.year + 3) if not (today.month == 2 and today.day == 29) \
        else today.replace(year=today.year + 3, day=28)
    h, s, r = HANDOUT_FIELDS, SECTION_FIELDS, REFERENCE_FIELDS
    lines = [
        f"# {title}: a new leaflet. Replace every text below with your own;",
        "# `python build_pdf.py check` says what is missing or wrong.",
        "# Lines starting with # are comments: they do not print.",
        _comment(f"title: {_text(title)}", h["title"]),
        _comment("subtitle: Information for patients and families", h["subtitle"]),
        _comment('version: "0.1"', h["version"]),
        _comment("draft: true", h["draft"]),
        _comment(f"reviewed: {today.isoformat()}", h["reviewed"]),
        _comment(f"# review_due: {due.isoformat()}", h["review_due"]),
        _comment(f"language: {language}", h["language"]),
        _comment("# translation_of: {handout: other-leaflet, version: \"1.0\"}", h["translation_of"]),
        _comment(f"layout: {DEFAULT_LAYOUT}", h["layout"]),
        _comment("# reading_grade: 8", h["reading_grade"]),
        _comment("authors: [Sarcoma nurse specialist team]", h["authors"]),
        _comment('contact: "Questions? Call the sarcoma nurse specialists on 020 7946 0000."', h["contact"], 76),
        _comment("summary:", h["summary"]),
        "  - The most important thing a family should remember.",
        "  - A second key point.",
        _comment("# keywords: [sarcoma, chemotherapy]", h["keywords"]),
        _comment("# url: https://www.example.org/leaflets/" + stem_for(title), h["url"], 76),
        "",
        _comment("sections:", h["sections"]),
        _comment("  - heading: What this leaflet is about", s["heading"]),
        _comment("    body: |", s["body"]),
        "      Write short sentences in everyday words. Explain any medical word the first",
        "      time you use it. Say where a fact comes from with a citation [@example-guide].",
        "",
        "      A list:",
        "",
        "      - one thing to do",
        "      - another thing to do",
        "",
        "      A table:",
        "",
        "      | When | What to do |",
        "      |---|---|",
        "      | Day 1 | Come to the day unit |",
        "      | Day 2 | Rest at home |",
        "  - heading: Who to call",
        "    body: |",
        "      Call us at any time, day or night, if you are worried.",
        "",
        _comment("references:", h["references"]),
        _comment("  - id: example-guide", r["id"]),
        _comment("    authors: [Children's Cancer and Leukaemia Group]", r["authors"], 50),
        _comment("    title: A guide to replace with the real source", r["title"], 50),
        _comment("    publisher: CCLG", r["publisher"]),
        _comment(f"    year: {today.year}", r["year"]),
        _comment("    url: https://www.cclg.org.uk", r["url"]),
        _comment(f"    accessed: {today.isoformat()}", r["accessed"]),
    ]
    lines += [_comment(f"    # {name}:", r[name]) for name in ("journal", "month", "volume", "issue", "pages",
                                                               "doi", "pmid", "note", "language")]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _marked(value: str) -> str:
    return value if value.startswith(MARK) else MARK + value


def translation(source: Handout, source_stem: str, language: str, today: dt.date, title: str | None = None) -> str:
    """A translation's YAML: the source's structure and references, each text to translate kept in
    the source's words and marked [translate]; a draft that builds as written. `title`, when
    given, is the translated title."""
    _check_fields()
    h = HANDOUT_FIELDS
    lines = [
        f"# Translation of {source_stem}.yaml (version {source.version}) into {language}. Translate every",
        f"# text marked {MARK.strip()} and delete the mark; references stay as they were published.",
        _comment(f"title: {_text(title or _marked(source.title))}", h["title"]),
    ]
    if source.subtitle:
        lines.append(_comment(f"subtitle: {_text(_marked(source.subtitle))}", h["subtitle"]))
    lines += [
        _comment('version: "1.0"', h["version"]),
        _comment("draft: true", h["draft"]),
        _comment(f"reviewed: {today.isoformat()}", h["reviewed"]),
        _comment(f"language: {language}", h["language"]),
        _comment("translation_of:", h["translation_of"]),
        f"  handout: {source_stem}",
        f"  version: {_text(source.version)}",
        _comment(f"layout: {source.layout}", h["layout"]),
    ]
    if source.authors:
        lines.append(_comment("authors: [" + ", ".join(_text(a) for a in source.authors) + "]", h["authors"]))
    if source.contact:
        lines.append(_comment(f"contact: {_text(_marked(source.contact))}", h["contact"]))
    if source.summary:
        lines.append(_comment("summary:", h["summary"]))
        lines += [f"  - {_text(_marked(point))}" for point in source.summary]
    if source.keywords:
        lines.append(_comment("keywords: [" + ", ".join(_text(k) for k in source.keywords) + "]", h["keywords"]))
    lines += ["", _comment("sections:", h["sections"])]
    for section in source.sections:
        lines.append(f"  - heading: {_text(_marked(section.heading))}")
        # a paragraph of its own, so a body that starts with a list or a callout keeps its shape
        lines.append(f"    body: {_block(MARK.strip() + chr(10) + chr(10) + section.body, '      ')}")
    if source.references:
        lines += ["", _comment("references:", h["references"] + " (as published: not translated)")]
        for ref in source.references:
            lines += _reference(ref)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _reference(ref: Reference) -> list[str]:
    out = []
    for name, spec, _ in declarations(Reference):
        value = getattr(ref, name)
        if value in (None, "", ()):
            continue
        if isinstance(value, tuple):
            shown = "[" + ", ".join(_text(v) for v in value) + "]"
        elif isinstance(value, dt.date):
            shown = value.isoformat()
        elif isinstance(value, int):
            shown = str(value)
        else:
            shown = _text(value)
        out.append(f"{'  - ' if not out else '    '}{name}: {shown}")
    return out


def new_path(project: Project, stem: str) -> Path:
    """Where `new` writes: handouts/<stem>.yaml."""
    return project.handouts_dir / f"{stem}.yaml"


def write_new(path: Path, text: str, shown: str) -> None:
    """Write a new handout file; never over one that is there."""
    if path.exists():
        raise HandoutError.single(shown, None, "", "already exists; choose another title or delete the file first")
    write_atomically(path, text.encode("utf-8"))


def check_language(language: str) -> None:
    if not LANGUAGE_TAG.match(language):
        raise HandoutError.single("--language", None, "", f"'{language}' is not a language code such as en, es or pt-BR")
