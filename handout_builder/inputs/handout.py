"""Stage 2 for content: a YAML Node tree -> a validated, frozen Handout.

What a handout file holds is declared once, on the model (model.py: each field's Spec says how it
is written and read). This module reads every declared field in the order declared, then applies
the rules beyond a field's type, each registered here against its field with `@rule`. Adding a
field to the model is all it takes for it to be read, validated for its type and named in
"unknown field (did you mean ...)"; a rule is needed only for what its type does not say.

Every problem in the file is collected before anything is raised, so `check` can list them all.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable

from ..errors import HandoutError, ProblemList
from .fields import Fields, did_you_mean, quoted
from .layout_file import LAYOUT_FIELDS
from ..model import CITATION, CITATION_KEY, LANGUAGE_TAG, MONTH_NAMES, Handout, Reference, Section, declarations
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
    layout_fields = [key for key in tree.value if key in LAYOUT_FIELDS or key == "extends"]
    if layout_fields and "title" not in tree.value:  # not 56 "unknown field"s: say what the file is
        raise HandoutError.single(display, tree.key_lines[layout_fields[0]], "",
                                  f"this is a layout file ({', '.join(k + ':' for k in layout_fields[:3])} ...), not "
                                  "a handout; keep layouts in layouts/ and check one with `check layouts/NAME.yaml`")
    problems = ProblemList(display)
    lines: dict[str, int] = {}
    values = read_model(Handout, Fields(tree, "", problems, known_keys(Handout), lines), stem)
    problems.raise_if_any()
    return Handout(file=display, stem=stem, lines=MappingProxyType(lines), **values)


# -- reading the declared fields ----------------------------------------------------------------

@dataclass
class Reading:
    """What a rule sees: the mapping being read, the field it is about, and the values read so far."""

    fields: Fields  # the mapping the field is written in
    name: str  # the field's name in that mapping ("" for a rule about the whole model)
    values: dict[str, Any]  # every value read so far in this model, by the model's field names
    stem: str  # the handout's file name without .yaml
    earlier: tuple = ()  # a list item: the items of the same list kept before it

    def fail(self, message: str, name: str | None = None) -> None:
        """A problem with the field (or with another field of the same mapping)."""
        self.fields.fail(self.name if name is None else name, message)


FieldRule = Callable[[Reading, Any], Any]  # (reading, value read) -> the value to keep (None: refused)
ModelRule = Callable[[Reading, dict], "dict | None"]  # (reading, values) -> the values to build from (None: drop)
_RULES: dict[tuple[type, str], FieldRule | ModelRule] = {}


def rule(model: type, name: str = "") -> Callable:
    """Register a rule beyond the type: for a declared field of `model`, run once the field (or the
    mapping it is in, for a key with a dot) is read; with no name, run once all of the model's
    fields are read."""

    def register(function: Callable) -> Callable:
        _RULES[(model, name)] = function
        return function
    return register


def known_keys(model: type) -> tuple[str, ...]:
    """The keys a mapping of `model` may hold (a key with a dot names a mapping within it)."""
    keys = [(spec.key or name).split(".")[0] for name, spec, _ in declarations(model)]
    return tuple(dict.fromkeys(keys))


def read_model(model: type, fields: Fields, stem: str, earlier: tuple = ()) -> dict[str, Any] | None:
    """Every declared field of `model` read from one mapping, in the order declared, each with its
    rule; then the model's own rule. The values by field name, or None when the model's rule
    drops it."""
    values: dict[str, Any] = {}
    declared = declarations(model)
    done: set[str] = set()
    for index, (name, spec, default) in enumerate(declared):
        if name in done:
            continue
        key = spec.key or name
        if "." not in key:
            values[name] = _read(fields, key, spec, default, stem)
            _apply(model, name, Reading(fields, key, values, stem), values)
            continue
        # A mapping within this one (translation_of: {handout, version}): its fields are read
        # together, then their rules, in the order declared.
        group = key.split(".")[0]
        members = [(n, s, d) for n, s, d in declared[index:] if (s.key or n).startswith(group + ".")]
        inner = fields.mapping(group, [(s.key or n).split(".", 1)[1] for n, s, _ in members])
        for member, member_spec, member_default in members:
            sub = (member_spec.key or member).split(".", 1)[1]
            value = _read(inner, sub, member_spec, member_default, stem) if inner else _default(member_default)
            values[member] = value
            done.add(member)
        if inner:
            for member, member_spec, _ in members:
                _apply(model, member, Reading(inner, (member_spec.key or member).split(".", 1)[1], values, stem),
                       values)
    whole = _RULES.get((model, ""))
    if whole is None:
        return values
    return whole(Reading(fields, "", values, stem, earlier), values)


def _apply(model: type, name: str, reading: Reading, values: dict) -> None:
    check = _RULES.get((model, name))
    if check is not None:
        values[name] = check(reading, values[name])


def _default(default: object) -> object:
    return None if default is MISSING else default


def _read(fields: Fields, key: str, spec, default: object, stem: str) -> Any:
    """One field's value, read as its Spec says (problems of type go to the fields' list)."""
    kind = spec.read
    if kind == "text":
        return fields.text(key, required=spec.required, numbers=spec.numbers, default=_default(default))
    if kind == "date":
        return fields.date(key, required=spec.required)
    limits = {name: getattr(spec, name) for name in ("low", "high") if getattr(spec, name) is not None}
    if kind == "integer":
        return fields.integer(key, required=spec.required, **limits)
    if kind == "number":
        return fields.number(key, required=spec.required, **limits)
    if kind == "boolean":
        return fields.boolean(key, default=_default(default))
    if kind == "text_list":
        return fields.text_list(key, required=spec.required, one_allowed=spec.one_allowed)
    if kind == "items":  # a list of mappings, each one item of the model spec.item
        items: list = []
        for path, node in fields.mappings(key, required=spec.required):
            item_fields = Fields(node, path, fields.problems, known_keys(spec.item), fields.lines)
            values = read_model(spec.item, item_fields, stem, tuple(items))
            if values is not None:
                items.append(spec.item(**values, field=path))
        return tuple(items)
    raise ValueError(f"no reader for {kind!r}")


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
    if source and source == at.stem:
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
