"""The one walk over a leaflet's Markdown (text/walk.py): every kind of node is made, in the
order written, with the line of the file it starts on and what it carries; each consumer's
rules are called on the way in and out; and the story and the inline markup have a rule for
every kind, so a new construct cannot be walked past unprinted."""
from __future__ import annotations

from pathlib import Path

import pytest

from handout_builder.text import walk
from handout_builder.text.walk import (
    BLOCKS, BODY, INLINE, KINDS, RUN, SKIP, Node, Walk, body_tree, inline_tree,
)

REPO = Path(__file__).resolve().parent.parent

BODY_TEXT = """\
Intro *soft*
then **bold** [site](https://example.org) [@a; @b]\\
after `code`

## Sub

{lang=fr}
- un
- deux

3. three
4. ![pic](p.png)

> callout

| Left | Right |
|------|------:|
| x    | y     |

```
fenced
```

---
"""

# (kind, line, depth) of every node, in the order written: the body's text starts on line 10.
EXPECTED = [
    ("body", 10, 0),
    ("paragraph", 10, 1), ("run", 10, 2),
    ("text", 10, 3), ("emphasis", 10, 3), ("text", 10, 4), ("softbreak", 10, 3),
    ("text", 11, 3), ("strong", 11, 3), ("text", 11, 4), ("text", 11, 3),
    ("link", 11, 3), ("text", 11, 4), ("text", 11, 3), ("citation", 11, 3), ("hardbreak", 11, 3),
    ("text", 12, 3), ("code_span", 12, 3),
    ("heading", 14, 1), ("run", 14, 2), ("text", 14, 3),
    ("bullet_list", 17, 1),
    ("item", 17, 2), ("paragraph", 17, 3), ("run", 17, 4), ("text", 17, 5),
    ("item", 18, 2), ("paragraph", 18, 3), ("run", 18, 4), ("text", 18, 5),
    ("ordered_list", 20, 1),
    ("item", 20, 2), ("paragraph", 20, 3), ("run", 20, 4), ("text", 20, 5),
    ("item", 21, 2), ("paragraph", 21, 3), ("run", 21, 4), ("image", 21, 5),
    ("callout", 23, 1), ("paragraph", 23, 2), ("run", 23, 3), ("text", 23, 4),
    ("table", 25, 1),
    # markdown-it gives cells no line of their own: they are put on the body's first line.
    ("row", 25, 2), ("cell", 10, 3), ("run", 25, 4), ("text", 25, 5), ("cell", 10, 3), ("run", 25, 4),
    ("text", 25, 5),
    ("row", 27, 2), ("cell", 10, 3), ("run", 27, 4), ("text", 27, 5), ("cell", 10, 3), ("run", 27, 4),
    ("text", 27, 5),
    ("code", 29, 1),
    ("rule", 33, 1),
]


def visited(tree: Node) -> list[tuple[str, int | None, int]]:
    """(kind, line, depth) of each node on the way in, from a rule for every kind."""
    seen: list[tuple[str, int | None, int]] = []
    depth = 0

    def enter(node: Node) -> None:
        nonlocal depth
        seen.append((node.kind, node.line, depth))
        depth += 1

    def leave(node: Node) -> None:
        nonlocal depth
        depth -= 1

    Walk(enter={kind: enter for kind in KINDS}, leave={kind: leave for kind in KINDS})(tree)
    return seen


def test_every_kind_of_node_is_visited_in_order_with_its_line():
    tree = body_tree(BODY_TEXT, "sections[1].body", 10)
    assert visited(tree) == EXPECTED
    assert {kind for kind, _, _ in EXPECTED} == set(KINDS)  # the example holds every kind there is


def test_what_each_node_carries():
    tree = body_tree(BODY_TEXT, "sections[1].body", 10)
    nodes = list(tree.descendants())
    first = lambda kind: next(node for node in nodes if node.kind == kind)  # noqa: E731
    assert all(node.field == "sections[1].body" for node in nodes)
    assert first("link").href == "https://example.org"
    assert first("citation").keys == ("a", "b") and first("citation").text == "[@a; @b]"
    assert first("code_span").text == "code" and first("code").text == "fenced\n"
    assert first("image").href == "p.png" and first("image").text == "pic" and not first("image").children
    assert first("bullet_list").lang == "fr" and first("paragraph").lang is None
    assert first("ordered_list").start == 3
    header, body = [node for node in nodes if node.kind == "row"]
    assert header.header and not body.header
    assert [(cell.header, cell.align) for cell in header.children] == [(True, "LEFT"), (True, "RIGHT")]
    assert [(cell.header, cell.align) for cell in body.children] == [(False, "LEFT"), (False, "RIGHT")]
    text_in_item = [node for node in nodes if node.kind == "text" and node.text == "un"][0]
    assert text_in_item.within("item", "callout") and not text_in_item.within("callout")
    assert text_in_item.depth("item", "bullet_list") == 2


def test_a_key_point_or_the_contact_is_one_run_and_a_field_without_a_line_has_none():
    run = inline_tree("Call *us*\non [@a]", "contact", 4)
    assert [(node.kind, node.line) for node in [run, *run.descendants()]] == [
        ("run", 4), ("text", 4), ("emphasis", 4), ("text", 4), ("softbreak", 4), ("text", 5), ("citation", 5)]
    assert all(node.line is None for node in body_tree("a\n\n- b", "x", None).descendants())


def test_rules_run_on_the_way_in_and_out_and_skip_can_keep_a_walk_out_of_a_node():
    events: list[str] = []
    rules = Walk(enter={"paragraph": lambda node: events.append("in"),
                        "run": lambda node: SKIP, "text": lambda node: events.append(node.text)},
                 leave={"paragraph": lambda node: events.append("out")})
    rules(body_tree("one\n\ntwo", "x", 1), inline_tree("three", "y", 1))
    assert events == ["in", "out", "in", "out"]  # the body's runs were skipped; the key point's root too
    Walk(enter={"text": lambda node: events.append(node.text)})(inline_tree("three", "y", 1))
    assert events[-1] == "three"
    with pytest.raises(ValueError, match="no such node kind: paragraph_open"):
        Walk(enter={"paragraph_open": print})


def test_the_story_and_the_inline_markup_have_a_rule_for_every_kind():
    """A new kind in walk.KINDS fails here until the story (blocks) and the inline renderer
    (inline nodes) say what to do with it. Prose, limits and the document stage take only the
    kinds they care about."""
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import Project
    from handout_builder.render.inline import InlineRenderer
    from handout_builder.render.story import StoryBuilder

    document = Pipeline(Project(REPO)).document(REPO / "handouts" / "fever-and-infection.yaml")
    story = StoryBuilder(document)
    # The root holds the blocks; a run's inline nodes are the inline renderer's.
    assert set(story.walk.enter) == set(BLOCKS) - {BODY}
    assert set(InlineRenderer(document.fonts, "#000000", document.number).walk.enter) == set(INLINE)
    assert RUN in story.walk.enter and story.walk.enter[RUN] is not None


def test_the_document_holds_the_trees_in_reading_order():
    from handout_builder.build.pipeline import Pipeline
    from handout_builder.inputs.project import Project

    document = Pipeline(Project(REPO)).document(REPO / "handouts" / "fever-and-infection.yaml")
    fields = [tree.field for tree in document.markdown]
    summary = [f"summary[{index}]" for index in range(1, len(document.summary) + 1)]
    bodies = [f"{section.field}.body" for section in document.handout.sections]
    assert fields == summary + bodies + (["contact"] if document.contact else [])
    assert all(tree.kind == walk.RUN for tree in document.summary)
    assert all(tree.kind == walk.BODY for tree in document.bodies)
