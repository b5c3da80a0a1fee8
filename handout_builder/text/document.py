"""Stage 3: Handout + Layout -> Document, everything the page needs decided, no ReportLab yet.

Parses the Markdown, numbers the citations in order of first use, and refuses what would print
wrongly: a character no bundled font can draw, an image or a broken citation in a body. `check` stops after this stage; `build` goes on to lay it out.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

from markdown_it.token import Token

from ..inputs.characters import refusals
from ..errors import HandoutError, Problem, ProblemList
from ..fonts.fontset import FontSet
from ..inputs.characters import character_name
from .furniture import furniture_problems
from ..inputs.language import Wording
from .limits import size_problems, too_much_text
from .markdown import parse_blocks, parse_inline, printed_address
from ..model import LANGUAGE_TAG, Handout, Layout, Reference
from .passages import MARK
from .review_dates import review_due, review_status
from ..world import World

# Every text field of a Reference that prints (the rest of its citation is the builder's own words).
_REFERENCE_TEXT = ("title", "journal", "publisher", "month", "volume", "issue", "pages", "doi", "pmid", "url", "note")
_BROKEN_CITATION = re.compile(r"\[\s*@|@[A-Za-z0-9][\w:.\-]*\s*\]")
NO_GLYPH = "no bundled font can draw"  # how a glyph problem starts (check reports it as "glyphs")
RIGHT_TO_LEFT = ("'{language}' is written right to left, which the builder cannot yet print correctly: in a line "
                 "with bold, a link, a citation or a Latin word ReportLab 5.1 puts the words in the wrong order, "
                 "and copied text comes out in visual order (README: Right-to-left languages)")


@dataclass(frozen=True)
class Document:
    """A leaflet ready for layout: parsed text, numbered citations, resolved fonts."""

    handout: Handout
    layout: Layout
    fonts: FontSet
    summary: tuple[tuple[Token, ...], ...]  # inline tokens of each key point
    bodies: tuple[tuple[Token, ...], ...]  # block tokens of each section body
    contact: tuple[Token, ...]  # inline tokens of the contact text
    cited: tuple[Reference, ...]  # in citation order: number n is cited[n - 1]
    uncited: tuple[Reference, ...]  # never cited: "Further reading"
    notice: str | None = None  # printed on every page: the review-overdue warning
    wording: Wording | None = None  # the builder's own words, dates and numbers in the leaflet's language
    # The PDF's creation date, seconds since 1970 (clock.pdf_timestamp): set by the pipeline just
    # before rendering, so `check` never reads SOURCE_DATE_EPOCH.
    pdf_date: int = 0

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


def evaluate(handout: Handout, layout: Layout, fonts: FontSet, world: World, today: dt.date | None = None) -> Document:
    """Decide everything about a leaflet that does not need a page; raise HandoutError if it
    cannot print correctly. Catalogues are read through `world`; `today` decides the
    review-overdue notice (None: no notice)."""
    problems = ProblemList(handout.file)
    excess = too_much_text(handout)  # before parsing: parsing megabytes of Markdown is itself slow
    if excess:
        raise HandoutError([excess])
    summary = tuple(tuple(parse_inline(item)) for item in handout.summary)
    bodies = tuple(tuple(parse_blocks(section.body)) for section in handout.sections)
    contact = tuple(parse_inline(handout.contact)) if handout.contact else ()

    # Every inline run, with its field, in the order families read them.
    places: list[tuple[str, list[Token], int]] = []
    for index, tokens in enumerate(summary, start=1):
        places.append((f"summary[{index}]", list(tokens), 0))
    for section, tokens in zip(handout.sections, bodies):
        for block in tokens:
            if block.type == "inline":
                places.append((f"{section.field}.body", block.children or [], block.map[0] if block.map else 0))
            elif block.type in ("fence", "code_block"):
                places.append((f"{section.field}.body", [block], block.map[0] if block.map else 0))
    if contact:
        places.append(("contact", list(contact), 0))

    by_id = {ref.id: ref for ref in handout.references}
    order: list[str] = []
    for field, tokens, first_line in places:
        for token, offset in _with_lines(tokens):
            line = _line(handout, field, first_line + offset)
            if token.type == "citation":  # the handout stage refused ids with no reference
                order.extend(key for key in token.meta["keys"] if key not in order)
            elif token.type == "image":
                problems.add(line, field, "images cannot go in a section body; describe the picture in words")
            elif token.type == "text" and _BROKEN_CITATION.search(token.content):
                problems.add(line, field, f"'{_BROKEN_CITATION.search(token.content).group(0)}' looks like a "
                             "broken citation; write [@id] or [@id1; @id2]")
            elif token.type == "text" and MARK.search(token.content):
                problems.add(line, field, f"'{MARK.search(token.content).group(0)}' marks nothing here; put it alone "
                             "on the line before the paragraph, heading, list, callout or table in that language")
    for section, tokens in zip(handout.sections, bodies):  # passages in another language (passages.py)
        for block in tokens:
            language = block.attrGet("lang")
            if language is not None and not LANGUAGE_TAG.match(language):
                problems.add(_line(handout, f"{section.field}.body", (block.map or [0])[0]), f"{section.field}.body",
                             f"{{lang={language}}}: '{language}' is not a language code such as fr, es or pt-BR")

    wording = Wording.for_leaflet(handout.language, dict(layout.date_formats), layout.date_format, world)
    if wording.right_to_left:
        # Refused rather than printed wrongly: see rtl.py and README "Right-to-left languages".
        problems.add(handout.line_of("language"), "language", RIGHT_TO_LEFT.format(language=handout.language))
    problems.extend(size_problems(handout, layout, bodies, places))
    problems.extend(_glyph_problems(handout, layout, fonts, places, wording))
    problems.extend(furniture_problems(handout, layout, fonts, wording))
    problems.raise_if_any()
    return Document(
        handout=handout, layout=layout, fonts=fonts, summary=summary, bodies=bodies, contact=contact,
        cited=tuple(by_id[key] for key in order),
        uncited=tuple(ref for ref in handout.references if ref.id not in order),
        notice=wording["review_overdue"] if (layout.review_overdue_notice and today
                                             and review_status(review_due(handout), today).overdue) else None,
        wording=wording,
    )


def _with_lines(tokens: Iterable[Token]) -> Iterator[tuple[Token, int]]:
    """Inline tokens with the line offset each sits on (children of links and emphasis are flat)."""
    offset = 0
    for token in tokens:
        yield token, offset
        if token.type in ("softbreak", "hardbreak"):
            offset += 1


def _line(handout: Handout, field: str, offset: int) -> int | None:
    start = handout.line_of(field)
    return start + offset if start is not None else None


def _glyph_problems(handout: Handout, layout: Layout, fonts: FontSet, places,
                    wording: Wording | None = None) -> Iterator[Problem]:
    """Every character that reaches the page must be one we print correctly (characters.py) and
    have a glyph in some bundled font."""

    def text_of(token: Token) -> str:
        if token.type == "link_open":
            return printed_address(token.attrGet("href") or "")
        return token.content if token.type in ("text", "code_inline", "fence", "code_block") else ""

    checks: list[tuple[str, str, int | None, str]] = []  # (file, field, line, text)
    plain = [("title", handout.title), ("subtitle", handout.subtitle), ("url", handout.url),
             ("version", handout.version)]
    plain += [(f"authors[{i}]", name) for i, name in enumerate(handout.authors, start=1)]
    plain += [(f"{s.field}.heading", s.heading) for s in handout.sections]
    for ref in handout.references:
        plain += [(f"{ref.field}.authors[{i}]", name) for i, name in enumerate(ref.authors, start=1)]
        plain += [(f"{ref.field}.{name}", getattr(ref, name)) for name in _REFERENCE_TEXT]
    for field, text in plain:
        if text:
            checks.append((handout.file, field, handout.line_of(field), text))
    for field, tokens, first_line in places:
        for token, offset in _with_lines(tokens):
            text = text_of(token)
            if text:
                checks.append((handout.file, field, _line(handout, field, first_line + offset), text))
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
                          f"has them to the layout (fonts.languages or fonts.fallbacks)")
    for file, field, line, text in checks:
        refused = refusals(text)
        for char, message in refused:
            if wording is not None and wording.right_to_left and unicodedata.bidirectional(char) in ("R", "AL"):
                continue  # the leaflet's language is refused once, not each of its letters
            yield Problem(file, line, field, message)
        for char in fonts.missing(text):
            if char not in {c for c, _ in refused}:
                yield Problem(file, line, field, f"{NO_GLYPH} {character_name(char)}; "
                              "replace it or add a fallback font that has it to the layout")
    # Keywords are not printed (they go in the PDF's metadata) but must still be characters.
    for index, keyword in enumerate(handout.keywords, start=1):
        field = f"keywords[{index}]"
        for _, message in refusals(keyword, printed=False):
            yield Problem(handout.file, handout.line_of(field), field, message)
