"""Stage 2 for content: a YAML Node tree -> a validated, frozen Handout.

Every problem in the file is collected before anything is raised, so `check` can list them all.
"""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from ..errors import ProblemList
from .fields import Fields, did_you_mean, quoted
from ..model import CITATION, CITATION_KEY, DEFAULT_LAYOUT, LANGUAGE_TAG, MONTH_NAMES, Handout, Reference, Section
from .source import Node, read_yaml
from ..world import World

HANDOUT_FIELDS = (
    "title", "subtitle", "version", "reviewed", "review_due", "language", "layout", "authors",
    "contact", "summary", "sections", "references", "keywords", "draft", "reading_grade", "url",
    "translation_of",
)
TRANSLATION_FIELDS = ("handout", "version")
SECTION_FIELDS = ("heading", "body")
REFERENCE_FIELDS = (
    "id", "authors", "title", "journal", "publisher", "year", "month", "volume", "issue", "pages",
    "doi", "pmid", "url", "accessed", "note",
)

REFERENCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]*\Z")
LAYOUT_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]*\Z")
DOI = re.compile(r"10\.\d{4,9}/\S+\Z")
MAX_QR_URL = 150


def load_handout(path: Path, display: str | None, world: World) -> Handout:
    """Read (through the world), parse and validate one handout file; raise HandoutError listing
    every problem."""
    display = display or str(path)
    return handout_from_tree(read_yaml(path, display, world), display, path.stem)


def handout_from_tree(tree: Node, display: str, stem: str) -> Handout:
    """Validate a parsed handout tree into a Handout."""
    problems = ProblemList(display)
    lines: dict[str, int] = {}
    top = Fields(tree, "", problems, HANDOUT_FIELDS, lines)

    title = top.text("title", required=True)
    version = top.text("version", required=True, numbers=False)
    reviewed = top.date("reviewed", required=True)
    review_due = top.date("review_due")
    if reviewed and review_due and review_due <= reviewed:
        top.fail("review_due", f"{review_due.isoformat()} must be after reviewed ({reviewed.isoformat()})")
    language = top.text("language", default="en")
    if language and not LANGUAGE_TAG.match(language):
        top.fail("language", f"{quoted(language)} is not a language code such as en, es or pt-BR")
    layout = top.text("layout", default=DEFAULT_LAYOUT)
    if layout and not LAYOUT_NAME.match(layout):
        top.fail("layout", f"{quoted(layout)} is not a layout name (lower-case letters, digits and -)")

    sections = []
    for path, node in top.mappings("sections", required=True):
        fields = Fields(node, path, problems, SECTION_FIELDS, lines)
        heading = fields.text("heading", required=True)
        body = fields.text("body", required=True)
        if heading is not None and "\n" in heading.strip():
            fields.fail("heading", "must be one line")
        if heading and body:
            sections.append(Section(heading=" ".join(heading.split()), body=body, field=path))

    references = []
    seen_ids: dict[str, str] = {}
    written_ids: set[str] = set()  # ids of every reference, valid or not, so citations do not cascade
    for path, node in top.mappings("references"):
        id_node = node.value.get("id")
        if id_node is not None and isinstance(id_node.value, str):
            written_ids.add(id_node.value.strip())
        reference = _reference(Fields(node, path, problems, REFERENCE_FIELDS, lines))
        if reference is None:
            continue
        if reference.id in seen_ids:
            problems.add(lines.get(f"{path}.id"), f"{path}.id",
                         f"'{reference.id}' is already the id of {seen_ids[reference.id]}")
            continue
        seen_ids[reference.id] = path
        references.append(reference)

    url = top.text("url")
    if url and not re.match(r"https?://[^\s/]+\.[^\s]+\Z", url):
        top.fail("url", f"'{url}' is not a web address starting with http:// or https://")
        url = None
    elif url and len(url) > MAX_QR_URL:  # a longer address makes a QR code too dense to scan from paper
        top.fail("url", f"is {len(url)} characters long; the QR code needs an address of at most {MAX_QR_URL}")
        url = None
    translation_of = translated_version = None
    translation = top.mapping("translation_of", TRANSLATION_FIELDS)
    if translation:
        translation_of = translation.text("handout", required=True)
        translated_version = translation.text("version", required=True, numbers=False)
        if translation_of and (translation_of.endswith(".yaml") or not re.match(r"[^/\\\s]+\Z", translation_of)):
            translation.fail("handout", f"'{translation_of}' must be the source handout's file name without "
                             ".yaml, e.g. non-rms-chemotherapy")
            translation_of = None
        elif translation_of == stem:
            translation.fail("handout", "a handout cannot be a translation of itself")
            translation_of = None
    handout = dict(
        translation_of=translation_of if translated_version else None,
        translated_version=translated_version if translation_of else None,
        url=url,
        subtitle=top.text("subtitle"),
        authors=top.text_list("authors"),
        contact=top.text("contact"),
        summary=top.text_list("summary", one_allowed=False),
        keywords=top.text_list("keywords"),
        draft=top.boolean("draft"),
        reading_grade=top.number("reading_grade", low=1, high=20),
    )
    cited_texts = [(f"{s.field}.body", s.body) for s in sections]
    cited_texts += [(f"summary[{i}]", text) for i, text in enumerate(handout["summary"], start=1)]
    cited_texts += [("contact", handout["contact"])] if handout["contact"] else []
    _check_citations(cited_texts, seen_ids.keys() | written_ids, lines, problems)
    problems.raise_if_any()
    return Handout(
        file=display, stem=stem, title=title, version=version, reviewed=reviewed,
        review_due=review_due, language=language, layout=layout, sections=tuple(sections),
        references=tuple(references), lines=MappingProxyType(lines), **handout,
    )


def _check_citations(texts, ids, lines, problems: ProblemList) -> None:
    """Every [@id] in the text must name a reference of this handout."""
    for field, text in texts:
        for match in CITATION.finditer(text):
            for key in CITATION_KEY.findall(match.group(0)):
                if key not in ids:
                    line = lines.get(field)
                    line = line + text[: match.start()].count("\n") if line else None
                    problems.add(line, field, f"citation [@{key}] has no reference with that id" + did_you_mean(key, ids))


def _is_month(text: str) -> bool:
    """Jan, Jan., January or Sept: a month's name or the start of it, at least three letters."""
    word = text.strip().rstrip(".").lower()
    return len(word) >= 3 and any(name.lower().startswith(word) for name in MONTH_NAMES)


def _reference(fields: Fields) -> Reference | None:
    ref_id = fields.text("id", required=True)
    if ref_id and not REFERENCE_ID.match(ref_id):
        fields.fail("id", f"{quoted(ref_id)} must be letters, digits and _ : . - with no spaces, e.g. smith2011")
        ref_id = None
    title = fields.text("title", required=True)
    year = fields.integer("year", low=1800, high=2200)
    month = fields.text("month")
    if month and not _is_month(month):
        fields.fail("month", f"{quoted(month)} is not a month; write Jan, Feb, ... Dec")
        month = None
    doi = fields.text("doi")
    if doi:
        doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
        if not DOI.match(doi):
            fields.fail("doi", f"{quoted(doi)} is not a DOI (it starts with 10. and has a /, e.g. 10.1016/j.ejca.2010.11.013)")
            doi = None
    pmid = fields.text("pmid")
    if pmid and not (pmid.isascii() and pmid.isdigit()):
        fields.fail("pmid", f"{quoted(pmid)} is not a PubMed id (digits only)")
        pmid = None
    url = fields.text("url")
    if url and not re.match(r"https?://\S+\Z", url):
        fields.fail("url", f"{quoted(url)} is not a web address starting with http:// or https://")
        url = None
    reference = dict(
        authors=fields.text_list("authors"),
        journal=fields.text("journal"),
        publisher=fields.text("publisher"),
        volume=fields.text("volume"),
        issue=fields.text("issue"),
        pages=fields.text("pages"),
        accessed=fields.date("accessed"),
        note=fields.text("note"),
    )
    if not (ref_id and title):
        return None
    return Reference(id=ref_id, title=" ".join(title.split()), year=year,
                     month=month[:3].title() if month else None, doi=doi, pmid=pmid, url=url,
                     field=fields.path, **reference)
