"""What changed between two builds of a leaflet, in the words families read, section by section.

Both sides are PDFs (a leaflet not yet written is rendered in memory first), read back with pypdf
as a reader's software would. The section headings are the PDF's bookmarks; the words under each
are compared with difflib, so a reviewer signing off a new edition sees exactly which words are
new. Running headers and footers are marked as page furniture by render/pages.py and compared on their
own, once, without their page numbers.
"""
from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import HandoutError
from ..text.punctuation import quote_blind

FRONT = "Title"  # the text before the first bookmark (Key points has its own)
FURNITURE = "Page header and footer"
CONTEXT_WORDS = 5


@lru_cache(maxsize=None)
def _page_numbers() -> re.Pattern:
    """"Page 2 of 4" in every language with a catalogue ("Página 2 de 4", "第 2 页，共 4 页"): made
    when first compared, not on import (parsing the 23 catalogues costs `check` ~0.1 s at start)."""
    from ..inputs.language import catalogue_codes, load_catalogue

    forms = {re.escape(load_catalogue(code).words["page_of"]).replace(r"\{page\}", r"\d+").replace(r"\{pages\}", r"\d+")
             for code in catalogue_codes()}
    return re.compile(r"\s*(?:" + "|".join(sorted(forms)) + r")\s*$")


@dataclass(frozen=True)
class TextSection:
    """A heading (a bookmark, or FRONT / FURNITURE) and the words printed under it."""

    title: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Edit:
    """One run of words replaced: a little unchanged text either side, for finding it."""

    before: tuple[str, ...]
    removed: tuple[str, ...]
    added: tuple[str, ...]
    after: tuple[str, ...]
    more_before: bool = False  # the section has words before `before`
    more_after: bool = False


@dataclass(frozen=True)
class SectionChange:
    """A section whose words differ: 'changed' (with edits), 'renamed' (its heading changed, and
    perhaps some words), 'added' or 'removed' (all its words)."""

    title: str
    kind: str
    edits: tuple[Edit, ...]
    old_title: str | None = None  # of a renamed section


def read_sections(data: bytes, name: str) -> list[TextSection]:
    """The leaflet's text as sections; raise HandoutError naming `name` if it is not a readable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        titles = _bookmarks(reader)
        pages = [_page_text(page) for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise HandoutError.single(name, None, "", f"cannot read it as a PDF ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    page_starts: list[int] = []
    furniture: list[str] = []
    for body, marked in pages:
        page_starts.append(len(lines))
        lines.extend(line for line in body.splitlines() if line.strip())
        for block in marked:
            text = " ".join(_page_numbers().sub("", line) for line in block.splitlines()).split()
            if text and " ".join(text) not in furniture:
                furniture.append(" ".join(text))
    sections = _split(lines, page_starts, titles)
    if furniture:
        sections.append(TextSection(FURNITURE, tuple(" ".join(furniture).split())))
    return sections


def compare(old: list[TextSection], new: list[TextSection]) -> list[SectionChange]:
    """The sections whose words differ, in the new leaflet's order (removed ones where they were).
    Sections are matched by heading; where headings changed but as many sections stand between
    the same neighbours, they are taken as renamed in place."""
    changes: list[SectionChange] = []
    matcher = difflib.SequenceMatcher(None, [_blind_title(s.title) for s in old], [_blind_title(s.title) for s in new],
                                      autojunk=False)
    for tag, o1, o2, n1, n2 in matcher.get_opcodes():
        if tag == "equal":
            for before, after in zip(old[o1:o2], new[n1:n2]):
                edits = word_edits(before.words, after.words)
                if edits:
                    changes.append(SectionChange(after.title, "changed", edits))
            continue
        if tag == "replace" and o2 - o1 == n2 - n1:
            for before, after in zip(old[o1:o2], new[n1:n2]):
                changes.append(SectionChange(after.title, "renamed", word_edits(before.words, after.words),
                                             old_title=before.title))
            continue
        for section in old[o1:o2]:
            changes.append(SectionChange(section.title, "removed", (Edit((), section.words, (), ()),)))
        for section in new[n1:n2]:
            changes.append(SectionChange(section.title, "added", (Edit((), (), section.words, ()),)))
    return changes


def _blind_title(title: str) -> str:
    return " ".join(filter(None, map(quote_blind, title.split())))


def word_edits(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[Edit, ...]:
    """Each run of words that differs, with up to CONTEXT_WORDS unchanged words either side."""
    # Matched quote-blind: “ward” for "ward", or « non » for "non", is no change of the words.
    old_keys, new_keys = [quote_blind(w) for w in old], [quote_blind(w) for w in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    edits = []
    for tag, o1, o2, n1, n2 in matcher.get_opcodes():
        if tag != "equal" and any(old_keys[o1:o2] + new_keys[n1:n2]):  # not a lone « or » only
            edits.append(Edit(old[max(0, o1 - CONTEXT_WORDS):o1], old[o1:o2], new[n1:n2], old[o2:o2 + CONTEXT_WORDS],
                              more_before=o1 > CONTEXT_WORDS, more_after=o2 + CONTEXT_WORDS < len(old)))
    return tuple(edits)


def _bookmarks(reader) -> list[tuple[str, int]]:
    """(title, page index) of each bookmark, depth first, in reading order."""
    out: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((" ".join(str(item.title).split()), reader.get_destination_page_number(item)))

    walk(reader.outline)
    return out


def _page_text(page) -> tuple[str, list[str]]:
    """A page's text outside page furniture, and each block of furniture text."""
    body: list[str] = []
    marked: list[str] = []
    stack: list[bool] = []  # for each open marked-content sequence: is it furniture?

    def before(operator, operands, cm, tm):
        if operator in (b"BDC", b"BMC"):
            is_artifact = bool(operands) and str(operands[0]) == "/Artifact"
            stack.append(is_artifact)
            if is_artifact and stack.count(True) == 1:
                marked.append("")
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(content, cm, tm, font, size):
        if any(stack):
            marked[-1] += content
        else:
            body.append(content)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(body), marked


def _split(lines: list[str], page_starts: list[int], titles: list[tuple[str, int]]) -> list[TextSection]:
    """Cut the text's lines at each bookmarked heading (a heading may wrap onto several lines)."""
    cuts: list[tuple[int, int, str]] = []  # (first line of heading, first line after it, title)
    position = 0
    for title, page in titles:
        start = max(position, page_starts[page] if 0 <= page < len(page_starts) else position)
        found = _find_heading(lines, start, title)
        if found is None:
            found = _find_heading(lines, position, title)
        if found is None:
            continue  # a bookmark whose heading is not in the text: its words stay in the section above
        cuts.append((found[0], found[1], title))
        position = found[1]
    sections = []
    first = cuts[0][0] if cuts else len(lines)
    if first > 0:
        sections.append(TextSection(FRONT, tuple(" ".join(lines[:first]).split())))
    for index, (_, body_start, title) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(lines)
        sections.append(TextSection(title, tuple(" ".join(lines[body_start:end]).split())))
    return sections


def _find_heading(lines: list[str], start: int, title: str) -> tuple[int, int] | None:
    wanted = title.split()
    for index in range(start, len(lines)):
        joined: list[str] = []
        for end in range(index, min(index + 4, len(lines))):
            joined += lines[end].split()
            if joined == wanted:
                return index, end + 1
            if joined != wanted[:len(joined)]:
                break
    return None


# -- pictures -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShownPicture:
    """A picture of a leaflet as a reader's software finds it: a Figure of the tagged structure
    with its alt text, and the hash of the image (or drawing) its marked content shows."""

    alt: str
    digest: str


@dataclass(frozen=True)
class PictureChange:
    """A picture 'changed' (same alt text, other image), 'added' or 'removed', named by its alt text."""

    alt: str
    kind: str


def read_pictures(data: bytes, name: str) -> list[ShownPicture]:
    """The pictures of a tagged leaflet in reading order (an untagged one has none to name:
    alt text lives in the structure tree). Only figures that show an image or a drawn form count:
    the logo and the QR code are drawn by the builder, not chosen by the leaflet's authors."""
    import hashlib

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ContentStream

    try:
        reader = PdfReader(io.BytesIO(data))
        root = reader.trailer["/Root"]
        if "/StructTreeRoot" not in root:
            return []
        page_of = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
        figures: list[tuple[str, list[tuple[int, int]]]] = []

        def walk(element, page):
            element = element.get_object()
            if not hasattr(element, "get"):
                return
            page = page_of.get(element.raw_get("/Pg").idnum, page) if "/Pg" in element else page
            kids = element.get("/K")
            kids = [] if kids is None else list(kids) if isinstance(kids.get_object(), list) else [kids]
            if element.get("/S") == "/Figure" and "/Alt" in element:
                marks = []
                for kid in kids:
                    kid = kid.get_object()
                    if isinstance(kid, int):
                        marks.append((page, int(kid)))
                    elif hasattr(kid, "get") and kid.get("/Type") == "/MCR":
                        marks.append((page_of.get(kid.raw_get("/Pg").idnum, page) if "/Pg" in kid else page,
                                      int(kid["/MCID"])))
                figures.append((" ".join(str(element["/Alt"]).split()), marks))
                return
            for kid in kids:
                if hasattr(kid.get_object(), "get"):
                    walk(kid, page)

        walk(root["/StructTreeRoot"], None)
        shown: dict[tuple[int, int], list[str]] = {}  # (page, MCID) -> digests of what it draws
        for index in sorted({page for _, marks in figures for page, _ in marks if page is not None}):
            page = reader.pages[index]
            objects = page["/Resources"].get("/XObject", {}) if "/Resources" in page else {}
            mcids: list[int | None] = []
            for operands, operator in ContentStream(page.get_contents(), reader).operations:
                if operator in (b"BDC", b"BMC"):
                    properties = operands[1] if len(operands) > 1 and hasattr(operands[1], "get") else {}
                    mcids.append(properties.get("/MCID") if properties else None)
                elif operator == b"EMC" and mcids:
                    mcids.pop()
                elif operator == b"Do" and mcids and mcids[-1] is not None and operands[0] in objects:
                    drawn = objects[operands[0]].get_object()
                    shown.setdefault((index, int(mcids[-1])), []).append(hashlib.sha256(drawn.get_data()).hexdigest())
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HandoutError.single(name, None, "", f"cannot read its pictures ({type(exc).__name__}: {exc})") from None
    out = []
    for alt, marks in figures:
        digests = [digest for mark in marks for digest in shown.get(mark, [])]
        if digests:
            out.append(ShownPicture(alt, "+".join(digests)))
    return out


def compare_pictures(old: list[ShownPicture], new: list[ShownPicture]) -> list[PictureChange]:
    """The pictures added, removed or changed (the same alt text in the same place, another
    image), in the new leaflet's order, matched by their alt text."""
    changes: list[PictureChange] = []
    matcher = difflib.SequenceMatcher(None, [p.alt for p in old], [p.alt for p in new], autojunk=False)
    for tag, o1, o2, n1, n2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [PictureChange(after.alt, "changed") for before, after in zip(old[o1:o2], new[n1:n2])
                        if before.digest != after.digest]
            continue
        changes += [PictureChange(p.alt, "removed") for p in old[o1:o2]]
        changes += [PictureChange(p.alt, "added") for p in new[n1:n2]]
    return changes
