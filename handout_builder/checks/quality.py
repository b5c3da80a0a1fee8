"""The checks a leaflet reviewer would make, run on the Document, the text exactly as families
will read it: plain language, what publication needs, sources, links and legible type.

Each rule returns Findings: a place (file, line, field), a level and a message that says what to
do. Errors stop `build` and fail `check`; warnings print, and fail `check --strict`; notes only
inform. Characters the fonts cannot draw are refused earlier, by the document stage.
"""
from __future__ import annotations

import datetime as dt

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from ..text.document import Document
from ..errors import Problem
from ..model import TO_TRANSLATE, Handout
from ..inputs.pictures import dpi, printed_size
from ..text.document import leads_with_picture
from ..text.prose import CALLOUT, CELL, CONTACT, ITEM, KEY_POINT, PARAGRAPH, PROSE, SUBHEADING, Block, blocks
from ..text.walk import IMAGE, Node, Walk
from ..text.review_dates import DEFAULT_YEARS as REVIEW_YEARS, add_years  # PIF TICK: every 3 years
# The findings' vocabulary lives apart, so `list` and the report need not import the checks.
from .findings import ERROR, LEVELS, NOTE, WARNING, Finding  # noqa: F401 (used by importers too)
from .readability import FLESCH_KINCAID, SMOG, Counts, Formula, Sentence, formulas_for, sentences

TARGET_GRADE = 8  # health-literacy guidance asks for grade 6 to 8
SMOG_MIN_SENTENCES = 30  # SMOG was normed on 30-sentence samples; it is not judged on fewer
MIN_JUDGED_WORDS = 10  # grade formulas mean nothing on a few words ("Different words." is grade 8.8)
MAX_SENTENCE_WORDS = 25
MAX_PARAGRAPH_WORDS = 100
MIN_BODY_SIZE = 12  # points (RNIB Clear Print: 12 at least)
LARGE_PRINT_SIZE = 14  # points (RNIB Clear Print: large print from 14 up)
MAX_ITALIC_WORDS = 10
MIN_PICTURE_DPI = 150  # below this a printed picture looks blurred
MAX_ALT_CHARACTERS = 250  # a screen reader reads alt text in one breath; longer belongs in the text
# Alt text that says nothing of what the picture shows
EMPTY_ALT_WORDS = frozenset({"image", "picture", "photo", "photograph", "figure", "graphic", "icon", "img",
                             "diagram", "illustration"})
_ALT_AS_FILE = re.compile(r"^\S+\.(png|jpe?g|svg|gif|webp|tiff?)$|^(img|dsc|dscn|pxl|photo)[_\-]?\d+$", re.I)
_ALT_PREAMBLE = re.compile(r"^(a |an |the )?(picture|image|photo|photograph|graphic|illustration) (of|showing)\b",
                           re.I)
MIN_CAPITALS_RUN = 3  # words in capitals in a row
VAGUE_LINK_TEXT = frozenset({"click here", "here", "click", "this", "this link", "link", "this page",
                             "more", "read more", "more information", "find out more", "click this link"})
_CAPITAL_WORD = re.compile(r"^[^\W\d_]*[A-Z][^\W\d_]*$")


def _clinic_names(document: Document) -> Iterator[Finding]:
    """A translation whose language a clinic name the layout translates does not have: the name
    prints in the layout's default language on every page of it."""
    clinic, layout, language = document.layout.clinic, document.layout, document.handout.language
    if document.handout.translation_of is None:
        return  # a translation is warned: a leaflet written in its language chose its layout
    for name in clinic.fell_back:
        file, line = layout.where(f"clinic.{name}")
        yield Finding(file, line, f"clinic.{name}", WARNING, "clinic-language",
                      f"has no text in '{language}', so {document.handout.file} prints "
                      f"'{getattr(clinic, name)}' on every page; add {language}: with the name in that language")


EMPTY_PAGE = 1 / 3  # a page more empty than this, other than the last of a part, is noted (page fill)


def page_fill_findings(handout: Handout, fill) -> list[Finding]:
    """A note for each page more than a third empty that does not end a part of the leaflet,
    naming the page and why: what did not fit below, in which part ("page 2 is 45% empty: a heading
    and the start of a table in 'What to do' did not fit below it"). `fill`: render/pages.py's
    PageFill of each page, as the pipeline measured them."""
    headings = {section.field: section.heading for section in handout.sections}
    found = []
    for page in fill:
        if page.ends_part or page.empty <= EMPTY_PAGE:
            continue
        where = f" in '{headings[page.part]}'" if page.part in headings else (f" ({page.part})" if page.part else "")
        found.append(Finding(handout.file, handout.line_of(page.part) if page.part else None, page.part or "",
                             NOTE, "page-fill", f"page {page.page} is {page.empty:.0%} empty: {page.next_block}"
                             f"{where} did not fit below it and could not split there"))
    return found


@dataclass(frozen=True)
class Score:
    """A formula's score for a stretch of text."""

    formula: str
    kind: str  # grade or ease
    value: float
    mark: float  # the most a grade may be, or the least an ease score may be
    too_hard: bool


@dataclass(frozen=True)
class Reading:
    """The reading level of one section, or of the whole leaflet."""

    field: str  # "sections[2]", or "" for the whole leaflet
    heading: str
    sentences: int
    words: int
    scores: tuple[Score, ...]

    @property
    def too_hard(self) -> bool:
        return any(score.too_hard for score in self.scores)


@dataclass(frozen=True)
class Review:
    """Everything the checks found in one leaflet."""

    file: str
    findings: tuple[Finding, ...]
    language: str = "en"
    target_grade: float = TARGET_GRADE
    reading: tuple[Reading, ...] = ()  # the whole leaflet first, then each section
    kind: str = "leaflet"  # or "layout": a layout file checked on its own

    def at(self, level: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == level)


@dataclass(frozen=True)
class WordsReview:
    """What the checks of a leaflet's words alone found (reading level, sentence and paragraph
    lengths, links, emphasis, what publication needs): it depends on the handout and the reading
    target only, never on the layout's looks, the fonts or the day, so a build after a layout
    change reuses it (build/stage_cache.py)."""

    target: float
    reading: tuple[Reading, ...]
    # by check, kept apart so that `review` lists them in its order (sorting keeps ties in order)
    level_and_publication: tuple[Finding, ...]
    to_translate: tuple[Finding, ...]
    links: tuple[Finding, ...]
    emphasis: tuple[Finding, ...]
    # The sentences of each paragraph, list item, callout, key point and contact text: a layout's
    # writing rules (_writing_rules, Easy Read's) judge them against the layout, at every review
    ideas: tuple[tuple[Block, tuple[Sentence, ...]], ...] = ()


def review_words(document: Document, target: float) -> WordsReview:
    """The checks of a leaflet's words alone, against the reading-level `target`."""
    handout = document.handout
    text = list(blocks(document))
    split = list(_sentences(handout, text))  # both checks read the same sentences: split them once
    reading, findings = _reading_level(handout, split, target)
    findings += list(_lengths(handout, split))
    findings += list(_publication(handout))
    return WordsReview(target, tuple(reading), tuple(findings), tuple(_still_to_translate(handout)),
                       tuple(_links(handout, text)), tuple(_emphasis(handout, text)),
                       tuple((block, tuple(found)) for block, found in split if block.kind in _IDEAS))


def reading_target(document: Document) -> float:
    """The reading grade a leaflet is judged against: its own, its layout's, or grade 8."""
    return document.handout.reading_grade or document.layout.reading_grade or TARGET_GRADE


def review(document: Document, today: dt.date | None = None, words: WordsReview | None = None) -> Review:
    """Run every check on a Document (it has passed the document stage); `today`, when given,
    is the day dates are checked against (a review date in the future). `words`: what
    `review_words` found for this document's handout before (used when its target is this one)."""
    handout, layout = document.handout, document.layout
    target = reading_target(document)
    if words is None or words.target != target:
        words = review_words(document, target)
    findings = list(words.level_and_publication)
    findings += list(_review_in_future(handout, today))
    findings += list(words.to_translate)
    findings += list(_references(document))
    findings += list(words.links)
    findings += list(_clinic_names(document))
    findings += list(_layout_type(layout))
    findings += list(_figures(layout, handout.language if handout.translation_of else None))
    findings += list(words.emphasis)
    findings += list(_catalogue(document))
    findings += list(_pictures(document))
    findings += list(_writing_rules(handout, layout, words.ideas))
    return Review(handout.file, tuple(sorted(findings, key=Finding.sort_key)), handout.language, target,
                  words.reading)


def review_of_problems(file: str, problems: Iterable[Problem], kind: str = "leaflet") -> Review:
    """A leaflet (or layout) that did not get through the earlier stages: each problem is an error."""
    return Review(file, tuple(Finding(p.file, p.line, p.field, ERROR, p.check, p.message) for p in problems),
                  kind=kind)


def review_layout(file: str, layout) -> Review:
    """A layout file checked on its own (`check layouts/x.yaml`): the checks of a layout that every
    leaflet built with it would show."""
    found = [*_layout_type(layout), *_figures(layout)]
    return Review(file, tuple(sorted(found, key=Finding.sort_key)), kind="layout")


# -- reading level, sentences and paragraphs ---------------------------------------------------

@dataclass
class _Text:
    """The sentences of one stretch of text, each with the block it came from."""

    sentences: list[tuple[Block, Sentence]] = field(default_factory=list)

    def counts(self) -> Counts:
        return Counts.of(s for _, s in self.sentences)


def _sentences(handout: Handout, text: list[Block]) -> Iterator[tuple[Block, list[Sentence]]]:
    for block in text:
        if block.kind in PROSE or block.kind == SUBHEADING:
            yield block, sentences(block.text, handout.language)


def _reading_level(handout: Handout, split: list[tuple[Block, list[Sentence]]], target: float) -> tuple[list[Reading], list[Finding]]:
    formulas = formulas_for(handout.language)
    if not formulas:
        return [], [Finding(handout.file, handout.line_of("language"), "language", NOTE, "reading-level",
                            f"no reading-level formula for language '{handout.language}'; reading level is not "
                            "measured (sentence and paragraph lengths still are)")]
    whole, by_section = _Text(), {}
    for block, found in split:
        if block.kind not in PROSE:
            continue
        for sentence in found:
            whole.sentences.append((block, sentence))
            if block.section is not None:
                by_section.setdefault(block.section, _Text()).sentences.append((block, sentence))
    if not whole.sentences:
        return [], []

    def measure(stretch: _Text, field_: str, heading: str) -> Reading:
        counts = stretch.counts()
        scores = tuple(_score(formula, counts, target) for formula in formulas)
        return Reading(field_, heading, counts.sentences, counts.words, scores)

    readings = [measure(whole, "", handout.title)]
    findings = []
    for index, section in enumerate(handout.sections):
        if index not in by_section:
            continue
        reading = measure(by_section[index], section.field, section.heading)
        readings.append(reading)
        if reading.too_hard and reading.words >= MIN_JUDGED_WORDS:
            findings.append(Finding(
                handout.file, handout.line_of(f"{section.field}.heading"), section.field, WARNING, "reading-level",
                f"\"{section.heading}\" reads {_scores(reading, target)}; hardest sentences: "
                f"{_hardest(by_section[index])}; use shorter sentences and everyday words"))
    leaflet = readings[0]
    too_hard = leaflet.too_hard and leaflet.words >= MIN_JUDGED_WORDS
    level = WARNING if too_hard else NOTE
    if leaflet.words < MIN_JUDGED_WORDS:
        verdict = "too few words to judge against"
    else:
        verdict = "harder than" if too_hard else "within"
    findings.append(Finding(handout.file, None, "", level, "reading-level",
                            f"the whole leaflet reads {_scores(leaflet, target, verdict)} "
                            f"({leaflet.sentences} sentences, {leaflet.words} words)"))
    return readings, findings


def _score(formula: Formula, counts: Counts, target: float) -> Score:
    value = formula.score(counts)
    judged = formula is not SMOG or counts.sentences >= SMOG_MIN_SENTENCES
    mark = target if formula.kind == "grade" else formula.easy_enough
    return Score(formula.name, formula.kind, value, mark, judged and formula.too_hard(value, target))


def _scores(reading: Reading, target: float, verdict: str = "harder than") -> str:
    """'at grade 11.8 (Flesch-Kincaid), SMOG 13: harder than the target of grade 8'."""
    parts = []
    for score in reading.scores:
        if score.formula == FLESCH_KINCAID.name:
            parts.append(f"at grade {score.value:g} (Flesch-Kincaid)")
        elif score.kind == "grade":
            parts.append(f"{score.formula} {score.value:g}")
        else:
            parts.append(f"{score.formula} reading ease {score.value:g}")
    if all(score.kind == "grade" for score in reading.scores):
        aim = f"the target of grade {target:g}"
    else:
        aim = "the pass mark of " + ", ".join(f"{score.mark:g}" for score in reading.scores)
    return ", ".join(parts) + f": {verdict} {aim}"


def _hardest(stretch: _Text) -> str:
    """The longest sentence, and the one with most syllables a word, with their lines."""
    pairs = stretch.sentences
    longest = max(pairs, key=lambda pair: pair[1].words)
    densest = max(pairs, key=lambda pair: (pair[1].syllables / pair[1].words, pair[1].words))
    chosen = [(longest, f"{longest[1].words} words")]
    if densest[1] is not longest[1]:
        chosen.append((densest, f"{densest[1].syllables / densest[1].words:.1f} syllables a word"))
    return ", ".join(f"line {block.line_at(s.start)} {_quote(s.text)} ({why})" for (block, s), why in chosen)


def _quote(text: str, words: int = 6) -> str:
    """The first words of a sentence, in quotes."""
    parts = text.split()
    return "\"" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "\""


def _lengths(handout: Handout, split: list[tuple[Block, list[Sentence]]]) -> Iterator[Finding]:
    """Sentences over 25 words and paragraphs over 100 words."""
    for block, found in split:
        for sentence in found:
            if sentence.words > MAX_SENTENCE_WORDS:
                yield Finding(handout.file, block.line_at(sentence.start), block.field, WARNING, "sentence-length",
                              f"sentence of {sentence.words} words (more than {MAX_SENTENCE_WORDS}): "
                              f"{_quote(sentence.text)}; split it into shorter sentences")
        total = sum(sentence.words for sentence in found)
        if total > MAX_PARAGRAPH_WORDS and block.kind not in (CELL, SUBHEADING):
            yield Finding(handout.file, block.line_at(0), block.field, WARNING, "paragraph-length",
                          f"{block.kind} of {total} words (more than {MAX_PARAGRAPH_WORDS}): "
                          f"{_quote(block.text)}; break it up, or make a list")


# -- what publication needs ---------------------------------------------------------------------

def _publication(handout: Handout) -> Iterator[Finding]:
    """Contact details, authors, at least one reference, and a review date."""
    level = WARNING if handout.draft else ERROR
    file = handout.file
    if handout.draft:
        yield Finding(file, handout.line_of("draft"), "draft", WARNING, "publication",
                      "this leaflet is a draft: every page says DRAFT; remove 'draft: true' once it is approved")
    if not handout.contact:
        yield Finding(file, 1, "contact", level, "publication",
                      "missing: families need to know whom to call (add contact: with a phone number)")
    if not handout.authors:
        yield Finding(file, 1, "authors", level, "publication",
                      "missing: a leaflet must say who wrote it (add authors:, e.g. [Sarcoma nurse specialist team])")
    if not handout.references:
        yield Finding(file, 1, "references", level, "publication",
                      "missing: list at least one source for what the leaflet says (add references:)")
    if handout.review_due is None:
        due = add_years(handout.reviewed, REVIEW_YEARS)
        yield Finding(file, handout.line_of("reviewed"), "review_due", NOTE, "publication",
                      f"not set: the review falls due on {due.isoformat()}, {REVIEW_YEARS} years after reviewed; "
                      "set review_due to print the date on the leaflet")
    elif handout.review_due > add_years(handout.reviewed, REVIEW_YEARS):
        yield Finding(file, handout.line_of("review_due"), "review_due", WARNING, "publication",
                      f"{handout.review_due.isoformat()} is more than {REVIEW_YEARS} years after reviewed "
                      f"({handout.reviewed.isoformat()}); review leaflets at least every {REVIEW_YEARS} years")


def _still_to_translate(handout: Handout) -> Iterator[Finding]:
    """Text a translation started by `new --translation-of` still has in the source's language."""
    level = WARNING if handout.draft else ERROR
    texts = [("title", handout.title), ("subtitle", handout.subtitle), ("contact", handout.contact)]
    texts += [(f"summary[{i}]", point) for i, point in enumerate(handout.summary, start=1)]
    texts += [(f"{s.field}.{part}", getattr(s, part)) for s in handout.sections for part in ("heading", "body")]
    marked = [(field, text) for field, text in texts if text and TO_TRANSLATE in text]
    for field, _ in marked:
        yield Finding(handout.file, handout.line_of(field), field, level, "translation",
                      f"still marked {TO_TRANSLATE}: translate the text, then delete the mark")


def _review_in_future(handout: Handout, today: dt.date | None) -> Iterator[Finding]:
    """A reviewed date after today is a typing slip (2062 for 2026) or a review not yet done."""
    if today is not None and handout.reviewed > today:
        yield Finding(handout.file, handout.line_of("reviewed"), "reviewed", WARNING, "publication",
                      f"{handout.reviewed.isoformat()} is in the future (today is {today.isoformat()}); write the "
                      "date the clinical review was done")


# -- references ---------------------------------------------------------------------------------

def _references(document: Document) -> Iterator[Finding]:
    """Each reference can be found by a reader; uncited ones are pointed out."""
    handout = document.handout
    level = WARNING if handout.draft else ERROR
    uncited = {ref.id for ref in document.uncited}
    for ref in handout.references:
        line = handout.line_of(ref.field)
        if not ref.authors:
            yield Finding(handout.file, line, f"{ref.field}.authors", level, "reference",
                          f"'{ref.id}' has no authors (for a guideline or web page, name the organisation)")
        if ref.year is None:
            yield Finding(handout.file, line, f"{ref.field}.year", level, "reference",
                          f"'{ref.id}' has no year of publication")
        if not (ref.journal or ref.publisher or ref.url):
            yield Finding(handout.file, line, ref.field, level, "reference",
                          f"'{ref.id}' has no journal, publisher or url, so a reader cannot find it")
        if ref.id in uncited:
            yield Finding(handout.file, line, ref.field, NOTE, "reference",
                          f"'{ref.id}' is never cited; it prints under \"Further reading\"")


# -- links --------------------------------------------------------------------------------------

def _links(handout: Handout, text: list[Block]) -> Iterator[Finding]:
    """Every link goes somewhere real, and its words say where."""
    for block in text:
        for link in block.links:
            if not well_formed_address(link.href):
                yield Finding(handout.file, link.line, block.field, ERROR, "link",
                              f"link '{link.href}' is not a web address starting with http:// or https:// "
                              "(or a mailto: or tel: address)")
            words = " ".join(re.sub(r"[^\w\s]", " ", link.words).lower().split())
            if words in VAGUE_LINK_TEXT:
                yield Finding(handout.file, link.line, block.field, WARNING, "link",
                              f"link text '{link.words.strip()}' means nothing on paper; say where it leads, "
                              "e.g. [the NHS page on sepsis](https://...)")


def well_formed_address(href: str) -> bool:
    """An http(s) address with a host name, or a mailto: or tel: address."""
    if re.search(r"\s", href):
        return False
    if href.lower().startswith("mailto:"):
        return re.fullmatch(r"mailto:[^@]+@[^@]+\.[^@]+", href, re.I) is not None
    if href.lower().startswith("tel:"):
        return re.fullmatch(r"tel:\+?[\d\-.()]+", href, re.I) is not None
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and not host.startswith(".") and not host.endswith(".")


# -- the builder's own words --------------------------------------------------------------------

def _catalogue(document: Document) -> Iterator[Finding]:
    """A leaflet in a language with no catalogue prints the builder's own words in English; one
    whose catalogue is a draft translation prints words no translator has signed off."""
    handout, wording = document.handout, document.wording
    if wording is not None and wording.fallback:
        yield Finding(handout.file, handout.line_of("language"), "language", WARNING, "language",
                      f"no catalogue for '{handout.language}': the builder's own words (Key points, References, "
                      f"Page 1 of 2) and dates print in English; add handout_builder/catalogues/"
                      f"{handout.language.split('-')[0].lower()}.yaml (README: Adding a language)")
    elif wording is not None and wording.catalogue.draft:
        catalogue = wording.catalogue
        yield Finding(handout.file, handout.line_of("language"), "language", WARNING, "language",
                      f"the builder's own words in {catalogue.name} ('{catalogue.code}': Key points, References, "
                      f"Page 1 of 2) are a draft translation awaiting a translator's sign-off; once they are "
                      f"checked, delete draft_translation from handout_builder/catalogues/{catalogue.code}.yaml")


# -- typography ---------------------------------------------------------------------------------

def _layout_type(layout) -> Iterator[Finding]:
    """Type sizes and alignment of the layout, against RNIB Clear Print."""
    for name, what in (("body", "body text"), ("table", "table text")):
        size = getattr(layout.sizes, name)
        file, line = layout.where(f"sizes.{name}")
        if size < MIN_BODY_SIZE:
            yield Finding(file, line, f"sizes.{name}", ERROR, "type-size",
                          f"{size:g} pt {what} is too small to read; use at least {MIN_BODY_SIZE} pt")
        elif size < LARGE_PRINT_SIZE and name == "body":
            yield Finding(file, line, f"sizes.{name}", NOTE, "type-size",
                          f"{size:g} pt {what} is below the {LARGE_PRINT_SIZE} pt that readers with poor sight "
                          "need; offer a large-print copy too")
    if layout.alignment == "justify":
        yield Finding(*layout.where("alignment"), "alignment", WARNING, "alignment",
                      "justified text leaves uneven gaps between words, which makes it harder to read; "
                      "use alignment: left")


def _figures(layout, language: str | None = None) -> Iterator[Finding]:
    """Alternative text for the logo of a tagged leaflet, which comes from the layout (the QR
    code's is made from its address; the pictures of the sections are checked by _pictures); for
    a translation into `language`, in that language."""
    logo = layout.logo
    if not (logo and layout.tagged):
        return
    if logo.alt and language and not logo.names_language(language):
        yield Finding(*layout.where("logo.alt"), "logo.alt", WARNING, "alt-text",
                      f"the logo has no alt text in '{language}', so a screen reader reads \"{logo.alt}\" in this "
                      f"leaflet's voice; add {language}: under logo.alt, saying what it shows in that language")
    if not logo.alt:
        yield Finding(*layout.where("logo.file"), "logo.alt", ERROR, "alt-text",
                      "the logo has no alt text, so a screen reader announces a picture without a name; add alt: "
                      "saying what it shows, e.g. alt: St Brigid's Children's Hospital logo")
    elif layout.origins.get("logo.alt") != layout.origins.get("logo.file"):
        yield Finding(*layout.where("logo.file"), "logo.alt", WARNING, "alt-text",
                      f"this logo's alt text \"{logo.alt}\" was written for the logo in "
                      f"{layout.origins.get('logo.alt')}; add alt: saying what this one shows")


def _pictures(document: Document) -> Iterator[Finding]:
    """The pictures of the sections: alt text that describes nothing (a file name, "image",
    "picture of ...") or is too long to hear; a raster under MIN_PICTURE_DPI at its printed size;
    and contrast under the layout's `pictures.min_contrast`."""
    handout, layout = document.handout, document.layout
    column = layout.page_width - layout.margin_left - layout.margin_right
    frame = layout.page_height - layout.margin_top - layout.margin_bottom
    found: list[Finding] = []

    def picture(node: Node) -> None:
        shown = document.pictures[node.href].written
        place = (handout.file, node.line, node.field, WARNING)
        alt = " ".join(node.text.split())
        if not node.decorative:
            if _ALT_AS_FILE.match(alt) or alt.lower() == shown.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower():
                found.append(Finding(*place, "alt-text", f"the alt text of picture '{shown}' is a file name; say what "
                                     "the picture shows, as you would to someone on the phone"))
            elif alt.lower().strip(".!") in EMPTY_ALT_WORDS:
                found.append(Finding(*place, "alt-text", f"the alt text of picture '{shown}' is only \"{alt}\"; say "
                                     "what the picture shows"))
            elif _ALT_PREAMBLE.match(alt):
                found.append(Finding(*place, "alt-text", f"the alt text of picture '{shown}' starts \""
                                     f"{_ALT_PREAMBLE.match(alt).group(0)}\"; a screen reader already says it is a "
                                     "picture: say only what it shows"))
            if len(alt) > MAX_ALT_CHARACTERS:
                found.append(Finding(*place, "alt-text", f"the alt text of picture '{shown}' is {len(alt)} characters "
                                     f"(more than {MAX_ALT_CHARACTERS}); keep it short and put the detail in the text "
                                     "or the caption"))
        drawn = document.pictures[node.href]
        beside = not leads_with_picture(node.parent) or any(
            child.kind != IMAGE and (child.text.strip() or child.children) for child in node.parent.children[1:])
        room = layout.picture_beside if beside else column * (node.width or layout.picture_width) / 100
        width, _ = printed_size(drawn, room, frame * 0.8)
        resolution = dpi(drawn, width)
        if resolution is not None and resolution < MIN_PICTURE_DPI:
            wanted = round(width / 72 * MIN_PICTURE_DPI)
            found.append(Finding(*place, "picture-resolution", f"picture '{shown}' prints at {resolution:.0f} dpi "
                                 f"({width / 72 * 25.4:.0f}mm wide from {drawn.pixels[0]} pixels), under the "
                                 f"{MIN_PICTURE_DPI} dpi print needs, so it looks blurred; use one at least {wanted} "
                                 "pixels wide, or print it smaller ({width=40%})"))
        least = layout.picture_min_contrast
        if least is not None and drawn.contrast is not None and drawn.contrast < least:
            found.append(Finding(*place, "picture-contrast", f"picture '{shown}' has a contrast of "
                                 f"{drawn.contrast:.1f}:1 between its dark and light parts; this layout asks for "
                                 f"{least:g}:1, so its readers may not make it out: use a clearer picture"))

    Walk(enter={IMAGE: picture})(*document.bodies)
    return iter(found)


# Blocks the writing rules of a layout (Easy Read's) judge: a heading or a table cell is no sentence.
_IDEAS = frozenset({PARAGRAPH, ITEM, CALLOUT, KEY_POINT, CONTACT})


def _writing_rules(handout: Handout, layout, split: Iterable[tuple[Block, Sequence[Sentence]]]) -> Iterator[Finding]:
    """A layout's own writing rules (Easy Read: sentences of at most 15 words, one sentence a
    paragraph or list item): warnings for a leaflet written for that layout, notes for one only
    laid out in it (`-l easy-read`, `--all-layouts`), which was not written to its rules."""
    most_words, most_sentences = layout.sentence_words, layout.paragraph_sentences
    level = WARNING if handout.layout == layout.name else NOTE
    for block, found in split:
        if block.kind not in _IDEAS:
            continue
        if most_words is not None:
            for sentence in found:
                if most_words < sentence.words <= MAX_SENTENCE_WORDS:  # longer: _lengths says so already
                    yield Finding(handout.file, block.line_at(sentence.start), block.field, level, "sentence-length",
                                  f"sentence of {sentence.words} words (this layout, {layout.name}, asks for at most "
                                  f"{most_words}): {_quote(sentence.text)}; split it into shorter sentences")
        if most_sentences is not None and len(found) > most_sentences:
            yield Finding(handout.file, block.line_at(0), block.field, level, "one-idea",
                          f"{block.kind} of {len(found)} sentences (this layout, {layout.name}, asks for "
                          f"{'one' if most_sentences == 1 else f'at most {most_sentences}'}): {_quote(block.text)}; "
                          "give each sentence a line of its own")


def _emphasis(handout: Handout, text: list[Block]) -> Iterator[Finding]:
    """Long runs of italics or of capitals, both hard to read."""
    for block in text:
        for run, line in block.italics:
            count = len(run.split())
            if count > MAX_ITALIC_WORDS:
                yield Finding(handout.file, line, block.field, WARNING, "emphasis",
                              f"{count} words in italics ({_quote(run)}); long runs of italics are hard to read: "
                              "use bold for emphasis, or plain text")
        for run in _capital_runs(block.text):
            yield Finding(handout.file, block.line_at(block.text.find(run)), block.field, WARNING, "emphasis",
                          f"words in capitals (\"{run}\") are hard to read; write them in lower case, with bold "
                          "for emphasis")


def _capital_runs(text: str) -> Iterator[str]:
    """Runs of MIN_CAPITALS_RUN or more words in capitals (each of two letters or more)."""
    run: list[str] = []
    for word in text.split() + [""]:
        bare = word.strip(".,;:!?()\"'“”‘’")
        if len(bare) >= 2 and _CAPITAL_WORD.match(bare) and bare.isupper():
            run.append(word)
            continue
        if len(run) >= MIN_CAPITALS_RUN:
            yield " ".join(run).strip(".,;:!?()\"'“”‘’")
        run = []
