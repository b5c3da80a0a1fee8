"""The text stage: Handout + Layout -> Document, everything the page needs decided, no ReportLab yet.

Parses the Markdown, numbers the citations in order of first use, and refuses what would print
wrongly: a character no bundled font can draw, a broken citation, a picture that cannot be found,
read or described (inputs/pictures.py). `check` stops after this stage; `build` goes on to lay it out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from ..inputs.approvals import Approval
from ..inputs.characters import refusals
from ..errors import HandoutError, Problem, ProblemList
from ..fonts.fontset import FontSet
from ..inputs.characters import character_name
from .furniture import furniture_problems
from ..inputs.language import Wording
from ..inputs.pictures import PictureProblem, find_picture
from .limits import size_problems, too_much_text
from .markdown import printed_address
from ..model import LANGUAGE_TAG, Handout, Layout, Picture, Reference, declarations
from .passages import MARK
from .review_dates import review_due, review_status
from .markdown import parser
from .punctuation import typeset_tree, typographic
from .walk import (
    CITATION, CODE, CODE_SPAN, IMAGE, LINK, PARAGRAPH, PASSAGES, RUN, SOFTBREAK, TEXT, Node, Walk, body_tree,
    inline_tree,
)
from ..world import World

_BROKEN_CITATION = re.compile(r"\[\s*@|@[A-Za-z0-9][\w:.\-]*\s*\]")
GLYPHS = "glyphs"  # the check of a character no font can draw
NO_GLYPH = "no bundled font can draw"  # how a glyph problem starts


@dataclass(frozen=True)
class Document:
    """A leaflet ready for layout: parsed text, numbered citations, resolved fonts."""

    handout: Handout
    layout: Layout
    fonts: FontSet
    summary: tuple[Node, ...]  # each key point, a RUN tree (walk.py)
    bodies: tuple[Node, ...]  # each section body, a BODY tree
    contact: Node | None  # the contact text, a RUN tree
    cited: tuple[Reference, ...]  # in citation order: number n is cited[n - 1]
    uncited: tuple[Reference, ...]  # never cited: "Further reading"
    notice: str | None = None  # printed on every page: the review-overdue warning
    wording: Wording | None = None  # the builder's own words, dates and numbers in the leaflet's language
    # The PDF's creation date, seconds since 1970 (clock.pdf_timestamp): set by the pipeline just
    # before rendering, so `check` never reads SOURCE_DATE_EPOCH.
    pdf_date: int = 0
    # The sign-off of these words, printed on the last page when the layout asks (print_approval):
    # set by the pipeline just before rendering, like pdf_date.
    approval: Approval | None = None
    # Each picture the sections show, by the file as written in the Markdown (a Node's href)
    pictures: Mapping[str, Picture] = field(default_factory=lambda: MappingProxyType({}))
    # The handout as its authors wrote it: `handout` has the title and headings typeset (straight
    # quotes made the language's, punctuation.py); the text fingerprint hashes the words as written.
    written: Handout | None = None

    @property
    def markdown(self) -> tuple[Node, ...]:
        """Every Markdown tree of the leaflet, in the order families read them: key points,
        section bodies, contact."""
        return (*self.summary, *self.bodies, *([self.contact] if self.contact else []))

    @property
    def words(self) -> Wording:
        """The leaflet's wording (English when none was given)."""
        return self.wording or Wording.for_leaflet("en", {}, self.layout.date_format, self.fonts.world)

    def number(self, ref_id: str) -> int:
        """The citation number of a cited reference."""
        for index, ref in enumerate(self.cited, start=1):
            if ref.id == ref_id:
                return index
        raise KeyError(ref_id)


@dataclass(frozen=True)
class Parsed:
    """A handout with its Markdown parsed: what depends on the handout file alone (no layout,
    fonts or catalogue), so a build after a layout change can reuse it (build/stage_cache.py)."""

    handout: Handout
    summary: tuple[Node, ...]
    bodies: tuple[Node, ...]
    contact: Node | None


def parse(handout: Handout) -> Parsed:
    """Parse a handout's Markdown (key points, section bodies, contact) into trees (walk.py);
    raise HandoutError when there is too much of it to parse."""
    excess = too_much_text(handout)  # before parsing: parsing megabytes of Markdown is itself slow
    if excess:
        raise HandoutError([excess])
    summary = tuple(inline_tree(item, f"summary[{index}]", handout.line_of(f"summary[{index}]"))
                    for index, item in enumerate(handout.summary, start=1))
    bodies = tuple(body_tree(section.body, f"{section.field}.body", handout.line_of(f"{section.field}.body"))
                   for section in handout.sections)
    contact = inline_tree(handout.contact, "contact", handout.line_of("contact")) if handout.contact else None
    return Parsed(handout, summary, bodies, contact if contact is not None and contact.children else None)


def evaluate(handout: Handout, layout: Layout, fonts: FontSet, world: World, today: dt.date | None = None,
             parsed: Parsed | None = None, folder: Path | None = None) -> Document:
    """Decide everything about a leaflet that does not need a page; raise HandoutError if it
    cannot print correctly. Catalogues and pictures are read through `world`; `today` decides the
    review-overdue notice (None: no notice); `parsed`: the handout's Markdown already parsed;
    `folder` is the handout's, where its pictures are found (default: the folder of handout.file)."""
    problems = ProblemList(handout.file)
    # The clinic's names in the leaflet's language, where the layout has them (model.Clinic).
    layout = replace(layout, clinic=layout.clinic.in_language(handout.language))
    if parsed is None or parsed.handout is not handout:
        parsed = parse(handout)
    summary, bodies, contact = parsed.summary, parsed.bodies, parsed.contact
    markdown = (*summary, *bodies, *([contact] if contact else []))  # in the order families read them

    order: list[str] = []  # reference ids in order of first citation
    passages: list[tuple[int | None, str, str]] = []  # reported after the rest, as they always were

    def citation(node: Node) -> None:  # the handout stage refused ids with no reference
        order.extend(key for key in node.keys if key not in order)

    pictures: dict[str, Picture] = {}

    def image(node: Node) -> None:
        problem = picture_problem(node)
        if problem is None and node.href not in pictures:
            try:
                pictures[node.href] = find_picture(parser().normalizeLinkText(node.href),
                                                   folder or Path(handout.file).parent, world)
            except PictureProblem as exc:
                problem = str(exc)
        if problem:
            problems.add(node.line, node.field, problem)

    def text(node: Node) -> None:
        broken = _BROKEN_CITATION.search(node.text)
        if broken:
            problems.add(node.line, node.field, f"'{broken.group(0)}' looks like a broken citation; write [@id] or "
                         "[@id1; @id2]")
        elif MARK.search(node.text):
            problems.add(node.line, node.field, f"'{MARK.search(node.text).group(0)}' marks nothing here; put it "
                         "alone on the line before the paragraph, heading, list, callout or table in that language")

    def passage(node: Node) -> None:  # a passage in another language (passages.py)
        if node.lang is not None and not LANGUAGE_TAG.match(node.lang):
            passages.append((node.line, node.field, f"{{lang={node.lang}}}: '{node.lang}' is not a language code "
                             "such as fr, es or pt-BR"))

    Walk(enter={CITATION: citation, IMAGE: image, TEXT: text, **{kind: passage for kind in PASSAGES}})(*markdown)
    for line, field, message in passages:
        problems.add(line, field, message)

    wording = Wording.for_leaflet(handout.language, dict(layout.date_formats), layout.date_format, world)
    problems.extend(size_problems(handout, layout, markdown))
    problems.extend(_glyph_problems(handout, layout, fonts, markdown, wording))
    problems.extend(furniture_problems(handout, layout, fonts, wording))
    problems.raise_if_any()
    # Typographic quotes and apostrophes in the leaflet's language (punctuation.py), once the
    # glyph checks have named any character the author typed that the fonts lack. `parsed` is
    # left as written: it may be kept for the next build (build/stage_cache.py), whose checks
    # above must read the words as written, as a build from clean does.
    language = handout.language
    summary = tuple(typeset_tree(tree, language) for tree in summary)
    bodies = tuple(typeset_tree(tree, language) for tree in bodies)
    contact = typeset_tree(contact, language) if contact else contact
    written = handout
    handout = replace(handout, title=typographic(handout.title, language),
                      subtitle=typographic(handout.subtitle, language) if handout.subtitle else handout.subtitle,
                      sections=tuple(replace(section, heading=typographic(section.heading, language))
                                     for section in handout.sections))
    by_id = {ref.id: ref for ref in handout.references}
    return Document(
        handout=handout, layout=layout, fonts=fonts, summary=summary, bodies=bodies, contact=contact,
        cited=tuple(by_id[key] for key in order),
        uncited=tuple(ref for ref in handout.references if ref.id not in order),
        notice=wording["review_overdue"] if (layout.review_overdue_notice and today
                                             and review_status(review_due(handout), today).overdue) else None,
        wording=wording, pictures=MappingProxyType(pictures), written=written,
    )


def leads_with_picture(run: Node) -> bool:
    """Whether a run of text (a paragraph's) starts with a picture: the story sets it as a figure,
    or as a row with the picture beside the words after it."""
    return bool(run.children) and run.children[0].kind == IMAGE


def picture_problem(node: Node) -> str | None:
    """What is wrong with where and how a picture (an IMAGE node) is written, or None."""
    shown = parser().normalizeLinkText(node.href)
    run = node.parent
    if run is None or run.parent is None or run.parent.kind != PARAGRAPH or run.kind != RUN:
        return (f"picture '{shown}' cannot go here; put pictures in a section body, on a line of their own or at "
                "the start of the paragraph or list item they illustrate")
    if run.children[0] is not node:
        earlier = [child for child in run.children[:run.children.index(node)]
                   if not (child.kind == TEXT and not child.text.strip()) and child.kind != SOFTBREAK]
        if earlier:
            return (f"picture '{shown}' comes after words; put it on a line of its own, or at the start of the "
                    "paragraph or list item it illustrates")
    if node.marks:
        return f"'{node.marks}' after picture '{shown}' is not understood; write {{width=50%}} or {{decorative}}"
    if node.width is not None and not 10 <= node.width <= 100:
        return f"picture '{shown}': width={node.width:g}% must be between 10% and 100%"
    if not node.text.strip() and not node.decorative:
        return (f"picture '{shown}' has no alt text; say what it shows, in the leaflet's language: "
                f"![A thermometer under the arm]({shown}); or, if it only decorates, write {{decorative}} after it")
    return None


def printed_texts(value: object, path: str = "") -> Iterator[tuple[str, str | None]]:
    """(field path, text) of each plain-text field of a model value that is printed (declared
    `printed` on the model), in the order declared, with the items of its lists."""
    for name, spec, _ in declarations(type(value)):
        held = getattr(value, name)
        where = f"{path}.{name}" if path else name
        if spec.item is not None:
            for item in held:
                yield from printed_texts(item, item.field)
        elif spec.printed and isinstance(held, tuple):
            yield from ((f"{where}[{index}]", text) for index, text in enumerate(held, start=1))
        elif spec.printed:
            yield where, held


def _glyph_problems(handout: Handout, layout: Layout, fonts: FontSet, markdown: Iterable[Node],
                    wording: Wording | None = None) -> Iterator[Problem]:
    """Every character that reaches the page must be one we print correctly (inputs/characters.py) and
    have a glyph in some bundled font."""
    checks: list[tuple[str, str, int | None, str]] = []  # (file, field, line, text)
    for field, text in printed_texts(handout):
        if text:
            checks.append((handout.file, field, handout.line_of(field), text))

    def printed(node: Node) -> None:  # the characters a Markdown node puts on the page
        if node.text:
            checks.append((handout.file, node.field, node.line, node.text))

    def address(node: Node) -> None:  # a link's address prints after its words (render/inline.py)
        shown = printed_address(node.href)
        if shown:
            checks.append((handout.file, node.field, node.line, shown))

    def picture(node: Node) -> None:  # a caption is printed; alt text is spoken, so must be characters too
        if node.caption:
            checks.append((handout.file, node.field, node.line, node.caption))
        for _, message in refusals(node.text, printed=False):
            alt_refused.append(Problem(handout.file, node.line, node.field, message))

    alt_refused: list[Problem] = []
    Walk(enter={TEXT: printed, CODE_SPAN: printed, CODE: printed, LINK: address, IMAGE: picture})(*markdown)
    yield from alt_refused
    clinic = layout.clinic
    for name in ("organisation", "department", "phone", "web"):
        value = getattr(clinic, name)
        if value:
            checks.append((layout.file, f"clinic.{name}", None, value))

    if wording is not None:  # the builder's own words, in the leaflet's language, reach the page too
        missing = fonts.missing("".join((*wording.texts(), wording.date(handout.reviewed))))
        if missing:
            shown = ", ".join(character_name(char) for char in missing[:3]) + (", ..." if len(missing) > 3 else "")
            yield Problem(handout.file, handout.line_of("language"), "language",
                          f"{NO_GLYPH} the builder's own words in '{handout.language}' ({shown}); add a font that "
                          f"has them to the layout (fonts.languages or fonts.fallbacks)", check=GLYPHS)
    # Every text at once first: in the usual leaflet the fonts draw all of it, and no text need
    # be asked about alone.
    any_missing = bool(fonts.missing("".join(text for _, _, _, text in checks)))
    for file, field, line, text in checks:
        refused = refusals(text)
        for char, message in refused:
            yield Problem(file, line, field, message)
        for char in fonts.missing(text) if any_missing else ():
            if char not in {c for c, _ in refused}:
                yield Problem(file, line, field, f"{NO_GLYPH} {character_name(char)}; "
                              "replace it or add a fallback font that has it to the layout", check=GLYPHS)
    # Keywords are not printed (they go in the PDF's metadata) but must still be characters.
    for index, keyword in enumerate(handout.keywords, start=1):
        field = f"keywords[{index}]"
        for _, message in refusals(keyword, printed=False):
            yield Problem(handout.file, handout.line_of(field), field, message)
