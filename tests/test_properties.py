"""Property tests: any text in any text field either builds a PDF that says exactly that text, or
is refused with clear lines naming the field, each for a reason the text really has. Never a
traceback, an internal error or a hang.

The text is drawn from everything an author might paste: markup characters, backslashes, Markdown
syntax, very long words, combining marks, emoji, right-to-left scripts, control and invisible
characters, and any Unicode character at all. It reaches the file as a double-quoted YAML scalar
with escapes, so the field holds exactly the drawn text (the corpus tests YAML syntax itself).

What "says exactly that text" means: the text of the PDF's pages, without the running header and
footer, contains the field's text; for Markdown fields, each block of its text (paragraph, list
item, table cell, code) in order, with a link's address printed after its words (see inline.py).
Whitespace is compared loosely only where layout decides it: a run of spaces is any whitespace,
and a word broken across lines (too long for one) may gain a line break.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
import signal
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import event, example, given
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import REPO, LeafletProject
from handout_builder.render.inline import printed_address
from handout_builder.text.markdown import parse_blocks, parse_inline

FONTS = REPO / "fonts"
# The shipped layouts' families: each character is drawn by the first family whose every style has it.
FAMILIES = [
    ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"],
    ["NotoSansMath-Regular.ttf"],
    ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"],
]


def _coverage(files: list[str]) -> frozenset[int]:
    cmaps = []
    for name in files:
        with TTFont(FONTS / name, lazy=True) as font:
            cmaps.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*cmaps)


COVERED = frozenset().union(*(_coverage(files) for files in FAMILIES))
BODY = _coverage(FAMILIES[0])
DRAWABLE = sorted(chr(c) for c in BODY if unicodedata.category(chr(c))[0] not in "CZ")

FRAGMENTS = [
    # markup that must print as written
    "&", "<", ">", '"', "'", "\\", "&amp;", "&#65;", "&nbsp;", "<b>", "</b>", "<br/>", "<i>x</i>",
    '<img src="http://127.0.0.1:9/x.png"/>', '<font name="Courier">', "<a href='x'>", "%s", "{0}",
    # Markdown
    "*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "[words](https://example.org/a_b)",
    "[https://example.org](https://example.org/)", "<https://example.org/x>", "<mailto:a@b.org>",
    "# ", "## ", "\n", "\n\n", "\n- ", "\n* ", "\n1. ", "\n10) ", "\n> ", "\n    ", "\t", "  \n", "\\\n",
    "\n---\n", "|", "\n| a | b |\n|---|:-:|\n| c | d |\n", "```", "~~~", "\n```\ncode  here\n```\n",
    "![a picture](x.png)", "[@", "@a1]", "[@a1]", "[@a1; @a1]", "[@nobody]", "\\*", "\\[",
    # characters nobody planned for
    "é", "e\u0301", "\u0301", "\u20dd", "ﬁ", "ß", "Σ", "ж", "≥", "≤", "→", "µ", "°", "½", "™", "•", "…",
    "\u00a0", "\u2009", "\u3000", "\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066",
    "😀", "🦠", "☺", "👍🏽", "🇬🇧", "中文", "שלום", "مرحبا", "\u2028", "\x07", "\x1b[31m", "\x85", "\r", "\r\n",
    "\ue000", "\uf0b7", "\U000f0000", "\uffff", "\ufffd",
    "x" * 90, "W" * 45, "https://example.org/" + "a" * 150,
]

TEXT = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet=st.sampled_from(DRAWABLE), min_size=1, max_size=12),
        st.just(" "),
        st.text(max_size=4),  # any Unicode character at all
    ),
    max_size=10,
).map("".join)

REVIEWED = dt.date(2026, 11, 1)
# Characters that print as nothing (a field of only these is empty): format characters and
# Unicode's other default-ignorable code points.
INVISIBLE = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf") + \
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0" + "".join(map(chr, range(0xFE00, 0xFE10)))


def base_handout() -> dict:
    """A leaflet using every text field, each with text of its own to find it by."""
    return {
        "title": "A leaflet", "subtitle": "For families", "version": "1.0", "reviewed": REVIEWED,
        "authors": ["Ward 7 nurses"], "keywords": ["fever"], "contact": "Call us.",
        "summary": ["Keep the line dry."],
        "sections": [{"heading": "First", "body": "Some words [@a1]."},
                     {"heading": "Second", "body": "More words."}],
        "references": [
            {"id": "a1", "title": "A study", "authors": ["Smith A"], "journal": "J Test", "year": 2020,
             "volume": "1", "issue": "2", "pages": "3-4", "note": "A note"},
            {"id": "b2", "title": "A book", "authors": ["Jones B"], "publisher": "Press", "year": 2019},
        ],
    }


# field path -> (how to put text there, Markdown or plain)
def _set(*path):
    def put(handout, text):
        node = handout
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = text
    return put


PLAIN_FIELDS = {
    "title": _set("title"),
    "subtitle": _set("subtitle"),
    "version": _set("version"),
    "authors[1]": _set("authors", 0),
    "sections[2].heading": _set("sections", 1, "heading"),
    "references[1].title": _set("references", 0, "title"),
    "references[1].authors[1]": _set("references", 0, "authors", 0),
    "references[1].journal": _set("references", 0, "journal"),
    "references[1].volume": _set("references", 0, "volume"),
    "references[1].issue": _set("references", 0, "issue"),
    "references[1].pages": _set("references", 0, "pages"),
    "references[1].note": _set("references", 0, "note"),
    "references[2].publisher": _set("references", 1, "publisher"),
}
MARKDOWN_FIELDS = {
    "sections[2].body": _set("sections", 1, "body"),
    "summary[1]": _set("summary", 0),
    "contact": _set("contact"),
}
CLINIC_FIELDS = ("organisation", "department", "phone", "web")


# -- writing the files ------------------------------------------------------------------------------

def yaml_text(value) -> str:
    """A value as YAML; strings double-quoted with every non-ASCII or unprintable character escaped,
    so the parsed value is exactly the string."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def handout_yaml(handout: dict) -> str:
    return "".join(f"{key}: {yaml_text(value)}\n" for key, value in handout.items())


# -- what the PDF must say --------------------------------------------------------------------------

class Refused(Exception):
    """The text holds something the builder must refuse (an image)."""


def inline_pieces(children) -> str:
    """What a run of inline tokens prints as: words, code, citation labels, link addresses."""
    out, links = [], []
    for token in children:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
            if links:
                links[-1][1] += token.content
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "link_open":
            links.append([token.attrGet("href") or "", ""])
        elif token.type == "link_close":
            href, words = links.pop()
            shown = printed_address(href)
            if shown and printed_address(words.strip()) != shown:
                out.append(f" ({shown})")
        elif token.type == "citation":
            assert set(token.meta["keys"]) == {"a1"}, token.content  # others are refused first
            out.append("[1]")
        elif token.type == "image":
            raise Refused
        elif token.type not in ("em_open", "em_close", "strong_open", "strong_close"):
            raise AssertionError(f"no expectation for inline token {token.type}")
    return "".join(out)


def markdown_pieces(text: str, blocks: bool) -> list[str]:
    """Each block of printed text a Markdown field makes, in reading order."""
    if not blocks:
        return [inline_pieces(parse_inline(text))]
    pieces = []
    for token in parse_blocks(text):
        if token.type == "inline":
            pieces.append(inline_pieces(token.children or []))
        elif token.type in ("fence", "code_block"):
            pieces.append(token.content)
    return pieces


def pattern(piece: str) -> str:
    """A regex for printed text: whitespace runs match any whitespace; a line break may split a word."""
    parts = []
    for run in re.findall(r"\s+|\S", piece):
        parts.append(r"\s+" if run.isspace() else re.escape(run))
    return r"\s?".join(parts)


# The builder drops soft hyphens (places a word may be hyphenated) and zero-width no-break spaces
# (stray byte order marks) as it reads text; a zero-width space is a space.
UNPRINTED = str.maketrans({"\u00ad": "", "\ufeff": "", "\u200b": " "})
# Those two are gone before Markdown is parsed: `\<soft hyphen>&` is the escape `\&`.
DROPPED = str.maketrans("", "", "\u00ad\ufeff")


# Straight quotes and apostrophes print as the leaflet's language prints them (English: ’ “ ” ‘),
# which tests/test_typesetting.py checks exactly; here both sides are compared with them straight.
STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalised(text: str) -> str:
    """Whitespace and hyphenation normalised: runs of whitespace are one space; quotes straight."""
    return " ".join(text.translate(UNPRINTED).translate(STRAIGHT).split())


def blank(text: str) -> bool:
    return all(char.isspace() or char in INVISIBLE for char in text)


# Each bidi-mirrored bracket pair folded to one character: ")" -> "(", ">" -> "<", "]" -> "[".
MIRRORED = str.maketrans(")>]}»›≥", "(<[{«‹≤")


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def find_in_order(pieces: list[str], text: str) -> None:
    position = 0
    text = text.translate(UNPRINTED).translate(STRAIGHT)
    for piece in pieces:
        piece = normalised(piece)
        if not piece:
            continue
        if right_to_left(piece):
            # pypdf orders bidirectional text by its own rule of thumb, not UAX #9, and reads a
            # bracket mirrored in a right-to-left line ("<" drawn as ">") as the glyph it sees:
            # check only that every character is printed, a bracket as either of its pair. The
            # order and the brackets are the ActualText's, which tests/test_scripts.py reads back
            # exactly for every right-to-left script (README: what readers get).
            printed = Counter(text.replace(" ", "").replace("\n", "").translate(MIRRORED))
            piece = piece.replace(" ", "").translate(MIRRORED)
            assert not Counter(piece) - printed, f"not printed: {piece!r}\nin: {text[:3000]!r}"
            continue
        match = re.compile(pattern(piece)).search(text, position)
        assert match, f"not printed: {piece!r}\nin: {text[position:position + 3000]!r}"
        position = match.end()


def page_bodies(pdf: Path) -> tuple[str, list[list[str]]]:
    """The pages' text without the running header (first line) and footer (last two), and each page's lines."""
    reader = PdfReader(pdf, strict=True)
    pages = [page.extract_text().split("\n") for page in reader.pages]  # not splitlines: U+2028 is text
    return "\n".join("\n".join(lines[1:-2]) for lines in pages), pages


# -- why a refusal may happen -----------------------------------------------------------------------
#
# Each reason is the whole message a problem line may end with (a regex, matched in full), and is
# allowed only when the text has what the message names: a refusal for anything else fails.

def named(char: str) -> str:
    """How a message names a character: 'U+2192 → RIGHTWARDS ARROW', the character itself shown
    only where it is visible, its Unicode name where it has one."""
    category = unicodedata.category(char)
    shown = char if char.isprintable() and category[0] not in "CZ" else ""
    name = unicodedata.name(char, "(an invisible control character)" if category == "Cc" else "")
    return " ".join(part for part in (f"U+{ord(char):04X}", shown, name) if part)


DIRECTION_CONTROLS = ("RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI")
CITATION_KEYS = re.compile(r"@([A-Za-z0-9][\w:.\-]*)")  # what follows @ in [@id] (README: Citations)
IDS = ("a1", "b2")  # base_handout's references
TOO_LONG = r"too long for the {where} by (?:\d+|less than 1) mm \(it must fit on one line of the page\); shorten it"


def reasons_to_refuse(text: str, markdown: bool, one_line: bool, required: bool, printed: bool = True) -> list[str]:
    """Regexes for each problem message this text justifies. Text that is not `printed` (the PDF's
    keywords) is refused only for what is not a character."""
    text = text.translate(DROPPED)  # as the builder reads it
    allowed = []
    if required and blank(text):
        allowed.append(r"is empty")
    if one_line and "\n" in text.strip():
        allowed.append(r"must be one line")
    for char in set(text) - set(" \t\r\n"):
        name = named(char)
        category, direction = unicodedata.category(char), unicodedata.bidirectional(char)
        reasons = []
        if category == "Cc":
            reasons.append(f"U+{ord(char):04X} is an invisible control character; remove it")
        if category == "Co":
            reasons.append(f"{name} is a private-use character (often a bullet or symbol from a Word symbol font); "
                           "replace it with the character it stands for")
        if category == "Cn":
            reasons.append(f"{name} is not a character in Unicode {unicodedata.unidata_version}; remove it")
        if printed and direction in ("R", "AL"):
            reasons.append(f"{name} is right-to-left text, which the builder cannot yet print in reading order; "
                           "remove it")
        if printed and direction in DIRECTION_CONTROLS:
            reasons.append(f"{name} is an invisible text-direction control; remove it")
        if printed and ord(char) not in COVERED:
            reasons.append(f"no bundled font can draw {name}; replace it or add a fallback font that has it to the "
                           "layout")
        allowed += map(re.escape, reasons)
    if markdown:
        if "[" in text:
            did_you_mean = "(?: \\(did you mean '(?:" + "|".join(IDS) + ")'\\?\\))?"
            allowed += [rf"citation \[@{re.escape(key)}\] has no reference with that id{did_you_mean}"
                        for key in set(CITATION_KEYS.findall(text))]
        if "![" in text:
            # a picture refused: not found (the generated file names name nothing), no alt text, in
            # the wrong place, or braces after it that are not understood (tests/broken/picture-*)
            allowed.append(r"(?:picture '.*'|'\{.*\}' after picture '.*') .*")
        if "@" in text or "[" in text:
            allowed.append(r"'(?:\[\s*@|@[A-Za-z0-9][\w:.\-]*\s*\])' looks like a broken citation; "
                           r"write \[@id\] or \[@id1; @id2\]")
        if re.search(r"[-*+]|\d[.)]", text):
            allowed.append(r"a list item with nothing after its '-' or number; write the item or remove the line")
        if re.search(r"[-*+>]|\d[.)]", text):
            allowed.append(r"lists and callouts are nested more than 4 deep here; flatten them "
                           r"\(deeper text would be squeezed into a sliver of the page\)")
        if "|" in text:
            allowed.append(r"this table has \d+ columns; at most 10 fit across the page")  # clinic-a4
        if "]" in text or "<" in text:  # a link whose address is not one (check's link rule)
            allowed.append(r"link '.*' is not a web address starting with http:// or https:// "
                           r"\(or a mailto: or tel: address\)")
    return allowed


def assert_refused_for_a_reason(stderr: str, file: str, field: str, allowed: list[str],
                                also: tuple[str, str] | None = None) -> None:
    """Every line refuses `field` for an allowed reason (or is the one `also` (field, reason) given)."""
    lines = stderr.splitlines()
    assert lines[-1] == "1 of 1 leaflets not built", stderr
    assert len(lines) >= 2, stderr
    for line in lines[:-1]:
        if also and re.fullmatch(rf"{re.escape(file)}(:\d+)?: {re.escape(also[0])}: {also[1]}", line):
            continue
        match = re.fullmatch(rf"{re.escape(file)}(:\d+)?: {re.escape(field)}: (.*)", line)
        assert match, f"a refusal that does not name {file} and {field}: {line!r}"
        assert any(re.fullmatch(reason, match.group(2)) for reason in allowed), f"refused for no reason: {line!r}"


# -- running it -------------------------------------------------------------------------------------

REFUSALS = ("control character", "private-use", "not a character", "right-to-left", "direction control",
            "no bundled font", "too long", "is empty", "one line", "has no reference", "broken citation", "images",
            "list item with nothing", "nested more than", "columns")


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Fail an example that runs for longer than a generous bound instead of hanging the suite."""
    def alarm(signum, frame):
        raise Hang(f"a build took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    """One project for all examples of a property (hypothesis runs many examples per test)."""
    root = tmp_path_factory.mktemp("properties") / "clinic"
    root.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        yield LeafletProject(root)


def build(clinic: LeafletProject, handout: dict):
    clinic.pdf("x").unlink(missing_ok=True)
    (clinic.root / "handouts" / "x.yaml").write_text(handout_yaml(handout), encoding="utf-8")
    with time_limit(60):
        result = clinic.run("build", "handouts/x.yaml")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), result
    # What the examples exercised (pytest --hypothesis-show-statistics): builds and kinds of refusal.
    event("built" if result.exit_code == 0 else "refused: " + next(
        (kind for kind in REFUSALS if kind in result.stderr.splitlines()[0]), "other"))
    return result


@given(field=st.sampled_from(sorted(PLAIN_FIELDS)), text=TEXT)
def test_plain_text_fields_print_exactly_or_are_refused(clinic, field, text):
    handout = base_handout()
    PLAIN_FIELDS[field](handout, text)
    result = build(clinic, handout)
    # required fields, and list items (an empty item in a list is a mistake)
    required = field in ("title", "version", "sections[2].heading", "references[1].title") or field.endswith("]")
    if result.exit_code == 1:
        one_line = field == "sections[2].heading"
        reasons = reasons_to_refuse(text, markdown=False, one_line=one_line, required=required)
        if field == "version" and len(text) > 20:  # a version of up to 20 characters always fits
            reasons.append(TOO_LONG.format(where="footer"))
        also = None
        source = {"references[1].journal": ("references[1]", "a1"), "references[2].publisher": ("references[2]", "b2")}
        if field in source and blank(text):  # check: with no journal or publisher a reader cannot find it
            reference, ref_id = source[field]
            also = (reference, rf"'{ref_id}' has no journal, publisher or url, so a reader cannot find it")
        assert_refused_for_a_reason(result.stderr, "handouts/x.yaml", field, reasons, also)
        return
    body, pages = page_bodies(clinic.pdf("x"))
    if blank(text):
        return  # an optional field that prints as nothing is left out
    find_in_order([text], body)
    if field == "version":
        for page in pages:
            find_in_order([f"Version {text} · Reviewed"], page[-1])
    if field == "title":
        info = PdfReader(clinic.pdf("x")).metadata
        assert normalised(info.title) == normalised(text)


@given(field=st.sampled_from(sorted(MARKDOWN_FIELDS) + ["table cell"]), text=TEXT)
@example(field="contact", text="<שלום")  # found: a bracket mirrored in a right-to-left line read back as ">"
def test_markdown_fields_print_exactly_or_are_refused(clinic, field, text):
    handout = base_handout()
    if field == "table cell":
        field, text = "sections[2].body", f"| Heading |\n|---|\n| {text} |\n"
    MARKDOWN_FIELDS[field](handout, text)
    result = build(clinic, handout)
    required = field in ("sections[2].body", "summary[1]")
    if result.exit_code == 1:
        reasons = reasons_to_refuse(text, markdown=True, one_line=False, required=required)
        if field == "contact" and blank(text):  # check: a leaflet for publication says whom to call
            reasons.append(r"missing: families need to know whom to call \(add contact: with a phone number\)")
        assert_refused_for_a_reason(result.stderr, "handouts/x.yaml", field, reasons)
        return
    if blank(text):
        return  # an optional field that prints as nothing is left out
    pieces = markdown_pieces(text.translate(DROPPED), blocks=field.endswith("body"))
    body, _ = page_bodies(clinic.pdf("x"))
    find_in_order(pieces, body)


@given(text=TEXT)
def test_keywords_reach_the_metadata_or_are_refused(clinic, text):
    handout = base_handout()
    handout["keywords"] = [text]
    result = build(clinic, handout)
    if result.exit_code == 1:
        reasons = reasons_to_refuse(text, markdown=False, one_line=False, required=True, printed=False)
        assert_refused_for_a_reason(result.stderr, "handouts/x.yaml", "keywords[1]", reasons)
        return
    info = PdfReader(clinic.pdf("x")).metadata
    assert normalised(text) in normalised(info["/Keywords"])


@given(field=st.sampled_from(CLINIC_FIELDS), text=TEXT)
def test_clinic_details_print_on_every_page_or_are_refused(clinic, field, text):
    layout = clinic.root / "layouts" / "clinic-a4.yaml"
    original = layout.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}:"))
    lines[at] = f"  {field}: {yaml_text(text)}\n"
    while lines[at + 1].startswith("    "):  # a name written for each language: one text instead
        del lines[at + 1]
    layout.write_text("".join(lines), encoding="utf-8")
    try:
        result = build(clinic, base_handout())
    finally:
        layout.write_text(original, encoding="utf-8")
    if result.exit_code == 1:
        reasons = reasons_to_refuse(text, markdown=False, one_line=True, required=field == "organisation")
        reasons.append(TOO_LONG.format(where="header" if field == "organisation" else "footer"))
        assert_refused_for_a_reason(result.stderr, "layouts/clinic-a4.yaml", f"clinic.{field}", reasons)
        return
    _, pages = page_bodies(clinic.pdf("x"))
    if blank(text):
        return  # an optional field that prints as nothing is left out
    line = {"organisation": 0, "department": -2, "phone": -2, "web": -2}[field]
    for page in pages:
        find_in_order([text], page[line])
