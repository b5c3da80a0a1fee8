"""The inputs stage, for content: a YAML Node tree -> a validated, frozen Handout.

What a handout file holds is declared once, on the model (model.py: each field's Spec says how it
is written and read). inputs/declared.py reads every declared field in the order declared, then
applies the rules beyond a field's type, each registered here against its field with `@rule`.
Adding a field to the model is all it takes for it to be read, validated for its type and named in
"unknown field (did you mean ...)"; a rule is needed only for what its type does not say.

Every problem in the file is collected before anything is raised, so `check` can list them all.
"""
from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from ..errors import HandoutError, ProblemList
from .declared import Reading, known_keys, read_model, rule
from .fields import Fields, did_you_mean, quoted
from ..model import CITATION, CITATION_KEY, LANGUAGE_TAG, MONTH_NAMES, Handout, Layout, Reference, Section
from .source import Node, read_yaml
from ..world import World

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
    layout_fields = [key for key in tree.value if key in known_keys(Layout) or key == "extends"]
    if layout_fields and "title" not in tree.value:  # not 56 "unknown field"s: say what the file is
        raise HandoutError.single(display, tree.key_lines[layout_fields[0]], "",
                                  f"this is a layout file ({', '.join(k + ':' for k in layout_fields[:3])} ...), not "
                                  "a handout; keep layouts in layouts/ and check one with `check layouts/NAME.yaml`")
    problems = ProblemList(display)
    lines: dict[str, int] = {}
    values = read_model(Handout, Fields(tree, "", problems, known_keys(Handout), lines), stem)
    problems.raise_if_any()
    return Handout(file=display, stem=stem, lines=MappingProxyType(lines), **values)


# -- the handout's rules beyond the type ------------------------------------------------------

@rule(Handout, "review_due")
def _after_reviewed(at: Reading, review_due):
    reviewed = at.values["reviewed"]
    if reviewed and review_due and review_due <= reviewed:
        at.fail(f"{review_due.isoformat()} must be after reviewed ({reviewed.isoformat()})")
    return review_due


@rule(Handout, "language")
def _language_code(at: Reading, language):
    if language and not LANGUAGE_TAG.match(language):
        at.fail(f"{quoted(language)} is not a language code such as en, es or pt-BR")
    return language


@rule(Handout, "layout")
def _layout_name(at: Reading, layout):
    if layout and not LAYOUT_NAME.match(layout):
        lower = layout.strip().lower()
        hint = f" (did you mean '{lower}'?)" if LAYOUT_NAME.match(lower) else ""
        at.fail(f"{quoted(layout)} is not a layout name (lower-case letters, digits and -){hint}")
    return layout


@rule(Handout, "url")
def _online_version(at: Reading, url):
    if url and not re.match(r"https?://[^\s/]+\.[^\s]+\Z", url):
        at.fail(f"'{url}' is not a web address starting with http:// or https://")
        return None
    if url and len(url) > MAX_QR_URL:  # a longer address makes a QR code too dense to scan from paper
        at.fail(f"is {len(url)} characters long; the QR code needs an address of at most {MAX_QR_URL}")
        return None
    return url


@rule(Handout, "translation_of")
def _source_handout(at: Reading, source):
    if source and (source.endswith(".yaml") or not re.match(r"[^/\\\s]+\Z", source)):
        at.fail(f"'{source}' must be the source handout's file name without .yaml, e.g. non-rms-chemotherapy")
        return None
    if source and source == at.context:  # the handout's stem
        at.fail("a handout cannot be a translation of itself")
        return None
    return source


@rule(Handout)
def _handout(at: Reading, values: dict) -> dict:
    # A translation names both its source and the source's version, or it is not one.
    source, version = values["translation_of"], values["translated_version"]
    values["translation_of"], values["translated_version"] = (source, version) if source and version else (None, None)
    # Every [@id] in the text names a reference of this handout: any written, even one refused
    # for another reason, so that one mistake is not reported again at each citation.
    ids = {ref.id for ref in values["references"]} | _written_ids(at.fields.node)
    texts = [(f"{s.field}.body", s.body) for s in values["sections"]]
    texts += [(f"summary[{i}]", text) for i, text in enumerate(values["summary"], start=1)]
    texts += [("contact", values["contact"])] if values["contact"] else []
    for where, text in texts:
        for match in CITATION.finditer(text):
            for key in CITATION_KEY.findall(match.group(0)):
                if key not in ids:
                    line = at.fields.lines.get(where)
                    line = line + text[: match.start()].count("\n") if line else None
                    at.fields.problems.add(line, where, f"citation [@{key}] has no reference with that id"
                                           + did_you_mean(key, ids))
    return values


def _written_ids(tree: Node) -> set[str]:
    """The id written in each reference, as written (stripped)."""
    references = tree.value.get("references")
    if references is None or not references.is_sequence:
        return set()
    ids = set()
    for node in references.value:
        id_node = node.value.get("id") if node.is_mapping else None
        if id_node is not None and isinstance(id_node.value, str):
            ids.add(id_node.value.strip())
    return ids


@rule(Section)
def _section(at: Reading, values: dict) -> dict | None:
    heading, body = values["heading"], values["body"]
    if heading is not None and "\n" in heading.strip():
        at.fail("must be one line", "heading")
    if not (heading and body):
        return None
    return {**values, "heading": " ".join(heading.split())}


# -- a reference's rules beyond the type ------------------------------------------------------

@rule(Reference, "id")
def _reference_id(at: Reading, ref_id):
    if ref_id and not REFERENCE_ID.match(ref_id):
        at.fail(f"{quoted(ref_id)} must be letters, digits and _ : . - with no spaces, e.g. smith2011")
        return None
    return ref_id


@rule(Reference, "language")
def _reference_language(at: Reading, language):
    if language and not LANGUAGE_TAG.match(language):
        at.fail(f"{quoted(language)} is not a language code such as en, es or pt-BR")
        return None
    return language


@rule(Reference, "month")
def _month(at: Reading, month):
    if month and not _is_month(month):
        at.fail(f"{quoted(month)} is not a month; write Jan, Feb, ... Dec")
        return None
    return month[:3].title() if month else None


@rule(Reference, "doi")
def _doi(at: Reading, doi):
    if doi:
        doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
        if not DOI.match(doi):
            at.fail(f"{quoted(doi)} is not a DOI (it starts with 10. and has a /, e.g. 10.1016/j.ejca.2010.11.013)")
            return None
    return doi


@rule(Reference, "pmid")
def _pmid(at: Reading, pmid):
    if pmid and not (pmid.isascii() and pmid.isdigit()):
        at.fail(f"{quoted(pmid)} is not a PubMed id (digits only)")
        return None
    return pmid


@rule(Reference, "url")
def _reference_url(at: Reading, url):
    if url and not re.match(r"https?://\S+\Z", url):
        at.fail(f"{quoted(url)} is not a web address starting with http:// or https://")
        return None
    return url


@rule(Reference)
def _reference(at: Reading, values: dict) -> dict | None:
    if not (values["id"] and values["title"]):
        return None
    first = next((ref for ref in at.earlier if ref.id == values["id"]), None)
    if first is not None:
        where = at.fields.sub("id")
        at.fields.problems.add(at.fields.lines.get(where), where, f"'{values['id']}' is already the id of {first.field}")
        return None
    return {**values, "title": " ".join(values["title"].split())}


def _is_month(text: str) -> bool:
    """Jan, Jan., January or Sept: a month's name or the start of it, at least three letters."""
    word = text.strip().rstrip(".").lower()
    return len(word) >= 3 and any(name.lower().startswith(word) for name in MONTH_NAMES)
