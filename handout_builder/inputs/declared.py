"""Reading the fields a model declares (model.py: Spec, `declared`) from one YAML mapping.

A handout and a layout are read the same way: every declared field in the order declared, each
by its reader (the table READERS: how a value of that type is written and checked), then each
field's rule and the model's own rule, registered with `@rule` beside the loader
(inputs/handout.py, inputs/layout_file.py). Adding a field to a model is all it takes for it to
be read, validated for its type and named in "unknown field (did you mean ...)"; a rule is
needed only for what its type does not say, and a reader only for a new type.

Problems go to the list of the mapping being read; nothing is raised here.
"""
from __future__ import annotations

import functools
from dataclasses import MISSING, dataclass, field, fields as dataclass_fields
from typing import Any, Callable

from ..model import Spec, declarations
from .fields import Fields, describe


@dataclass
class Reading:
    """What a reader or a rule sees: the mapping being read, the field it is about, and the values
    read so far."""

    fields: Fields  # the mapping the field is written in
    name: str  # the field's key in that mapping ("" for a rule about the whole model)
    values: dict[str, Any]  # every value read so far in this model, by the model's field names
    context: Any  # what the loader passes down: a handout's stem; a layout's project and world
    earlier: tuple = ()  # a list item: the items of the same list kept before it
    outer: dict[str, Any] | None = None  # a mapping read as a model of its own: its holder's values so far
    groups: dict[str, Fields | None] = field(default_factory=dict)  # this model's mappings with dotted keys

    def fail(self, message: str, name: str | None = None) -> None:
        """A problem with the field (or with another field of the same mapping)."""
        self.fields.fail(self.name if name is None else name, message)


Reader = Callable[[Reading, Spec, Any], Any]  # (where, its Spec, its default or None) -> the value
FieldRule = Callable[[Reading, Any], Any]  # (reading, value read) -> the value to keep (None: refused)
ModelRule = Callable[[Reading, dict], "dict | None"]  # (reading, values) -> the values to build from (None: drop)
READERS: dict[str, Reader] = {}
_RULES: dict[tuple[type, str], FieldRule | ModelRule] = {}


def reader(name: str) -> Callable[[Reader], Reader]:
    """Register how a value of one type is read (the name a Spec's `read` gives)."""

    def register(function: Reader) -> Reader:
        READERS[name] = function
        return function
    return register


def rule(model: type, name: str = "") -> Callable:
    """Register a rule beyond the type: for a declared field of `model`, run once the field (or the
    run of fields of the same mapping declared together, for keys with a dot) is read; with no
    name, run once all of the model's fields are read."""

    def register(function: Callable) -> Callable:
        _RULES[(model, name)] = function
        return function
    return register


@functools.cache  # a model's declarations never change; asked for each mapping read (1,200 times in `list`)
def known_keys(model: type) -> tuple[str, ...]:
    """The keys a mapping of `model` may hold (a key with a dot names a mapping within it)."""
    keys = [(spec.key or name).split(".")[0] for name, spec, _ in declarations(model)]
    return tuple(dict.fromkeys(keys))


@functools.cache
def group_keys(model: type, group: str) -> tuple[str, ...]:
    """The keys the mapping `group` of a model may hold ("page" -> size, margin_top, ...)."""
    keys = [(spec.key or name).split(".", 1)[1] for name, spec, _ in declarations(model)
            if (spec.key or name).startswith(group + ".")]
    return tuple(dict.fromkeys(keys))


def read_model(model: type, fields: Fields, context: Any, earlier: tuple = (),
               outer: dict | None = None) -> dict[str, Any] | None:
    """Every declared field of `model` read from one mapping, in the order declared, each with its
    rule; then the model's own rule. The values by field name, or None when the model's rule
    drops it.

    Fields with dotted keys of one mapping ("translation_of.handout", "page.margin_top") declared
    one after another are read together, then their rules run; the mapping is opened (its unknown
    keys reported) at its first field, and a later run of its fields reads the same mapping."""
    values: dict[str, Any] = {}
    groups: dict[str, Fields | None] = {}
    declared = declarations(model)
    index = 0
    while index < len(declared):
        name, spec, default = declared[index]
        key = spec.key or name
        if "." not in key:
            at = Reading(fields, key, values, context, outer=outer, groups=groups)
            if _ready(spec, values):
                values[name] = _read(at, spec, default)
                _apply(model, name, at, values)
            else:
                values[name] = _default(default)
            index += 1
            continue
        group = key.split(".")[0]
        run = [index]
        while run[-1] + 1 < len(declared) and _group_of(declared[run[-1] + 1]) == group:
            run.append(run[-1] + 1)
        index = run[-1] + 1
        if group not in groups:
            required = group in getattr(model, "REQUIRED_MAPPINGS", ())
            groups[group] = fields.mapping(group, group_keys(model, group), required=required)
        inner = groups[group]
        readings = []
        for member in run:
            member_name, member_spec, member_default = declared[member]
            at = Reading(inner, (member_spec.key or member_name).split(".", 1)[1], values, context, outer=outer,
                         groups=groups) if inner else None
            if at is not None and _ready(member_spec, values):
                values[member_name] = _read(at, member_spec, member_default)
                readings.append((member_name, at))
            else:
                values[member_name] = _default(member_default)
        for member_name, at in readings:  # once the run is read: a rule may look at its partners
            _apply(model, member_name, at, values)
    whole = _rule(model, "")
    if whole is None:
        return values
    return whole(Reading(fields, "", values, context, earlier, outer, groups), values)


def build(model: type, values: dict[str, Any], path: str) -> Any:
    """The model built from its values; `path` is where it was written, for a model that keeps it
    (a Section's `field`)."""
    if any(f.name == "field" for f in dataclass_fields(model)):
        return model(**values, field=path)
    return model(**values)


def _group_of(declaration: tuple[str, Spec, object]) -> str | None:
    name, spec, _ = declaration
    key = spec.key or name
    return key.split(".")[0] if "." in key else None


def _ready(spec: Spec, values: dict) -> bool:
    """Whether the field the Spec `needs` (if any) has a value."""
    return not spec.needs or values.get(spec.needs) is not None


def _rule(model: type, name: str) -> Callable | None:
    """The rule registered for a field of the model, or of the model it extends (a subclass keeps
    its base's rules)."""
    return next((_RULES[cls, name] for cls in model.__mro__ if (cls, name) in _RULES), None)


def _apply(model: type, name: str, reading: Reading, values: dict) -> None:
    check = _rule(model, name)
    if check is not None:
        values[name] = check(reading, values[name])


def _default(default: object) -> object:
    return None if default is MISSING else default


def _read(at: Reading, spec: Spec, default: object) -> Any:
    """One field's value, read as its Spec says (problems of type go to the fields' list)."""
    read = READERS.get(spec.read)
    if read is None:
        raise ValueError(f"no reader for {spec.read!r}")
    return read(at, spec, _default(default))


def _limits(spec: Spec) -> dict[str, float]:
    return {name: getattr(spec, name) for name in ("low", "high") if getattr(spec, name) is not None}


# -- the readers of plain types -------------------------------------------------------------------

@reader("text")
def _text(at: Reading, spec: Spec, default):
    return at.fields.text(at.name, required=spec.required, numbers=spec.numbers, default=default)


@reader("date")
def _date(at: Reading, spec: Spec, default):
    return at.fields.date(at.name, required=spec.required)


@reader("integer")
def _integer(at: Reading, spec: Spec, default):
    return at.fields.integer(at.name, required=spec.required, **_limits(spec))


@reader("number")
def _number(at: Reading, spec: Spec, default):
    value = at.fields.number(at.name, required=spec.required, **_limits(spec))
    return default if value is None else value  # not written (or wrong, and reported): the default


@reader("boolean")
def _boolean(at: Reading, spec: Spec, default):
    """true or false; an empty value keeps the default."""
    return at.fields.boolean(at.name, default=default)


@reader("switch")
def _switch(at: Reading, spec: Spec, default):
    """true or false, and nothing else: an empty value is refused too (a layout's viewer.*)."""
    child = at.fields.node.value.get(at.name)
    if child is None:
        return default
    if not isinstance(child.value, bool):
        at.fail(f"must be true or false, not {describe(child.value)}")
        return default
    return child.value


@reader("choice")
def _choice(at: Reading, spec: Spec, default):
    return at.fields.choice(at.name, spec.choices, required=spec.required, default=default)


@reader("length")
def _length(at: Reading, spec: Spec, default):
    return at.fields.length(at.name, required=spec.required, default=default)


@reader("colour")
def _colour(at: Reading, spec: Spec, default):
    return at.fields.colour(at.name, required=spec.required, default=default)


@reader("text_list")
def _text_list(at: Reading, spec: Spec, default):
    return at.fields.text_list(at.name, required=spec.required, one_allowed=spec.one_allowed)


# -- the readers of models within models ------------------------------------------------------------

@reader("items")
def _items(at: Reading, spec: Spec, default):
    """A list of mappings, each one item of the model spec.item."""
    items: list = []
    for path, node in at.fields.mappings(at.name, required=spec.required):
        item_fields = Fields(node, path, at.fields.problems, known_keys(spec.item), at.fields.lines)
        values = read_model(spec.item, item_fields, at.context, tuple(items), outer=at.values)
        if values is not None:
            items.append(build(spec.item, values, path))
    return tuple(items)


@reader("mapping")
def _mapping(at: Reading, spec: Spec, default):
    """A mapping read as one item of the model spec.item (a layout's clinic, sizes, logo)."""
    inner = at.fields.mapping(at.name, known_keys(spec.item), required=spec.required)
    if inner is None:
        return default
    values = read_model(spec.item, inner, at.context, outer=at.values)
    return None if values is None else build(spec.item, values, inner.path)
