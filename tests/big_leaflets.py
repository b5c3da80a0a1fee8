"""Leaflets too big for a page, shared by tests/test_too_big.py (each builds correctly or is
refused clearly) and bench/too_big.py (how long each takes and how much memory it needs).

Words are numbered (w1 w2 ...) so a test can see that none is lost, doubled or reordered.
"""
from __future__ import annotations

import functools

# What `check` requires of a leaflet for publication (authors, contact, a reference), so that the
# only thing wrong with these leaflets is their size. YAML fields may come in any order.
WHO = 'authors: [Test team]\ncontact: Call us on 020 7946 0000.\n'
GUIDE = "references:\n  - id: guide\n    authors: [Test team]\n    title: A guide\n    publisher: Test press\n    year: 2026\n"
TOP = 'title: Too big for a page\nversion: "1.0"\nreviewed: 2026-11-01\n'


def _publishable(make):
    """The leaflet with WHO and GUIDE after its sections, where they move no line the tests name."""
    @functools.wraps(make)
    def leaflet(*args, **kwargs) -> str:
        text = make(*args, **kwargs)
        return text + WHO + ("" if "\nreferences:" in text else GUIDE)
    return leaflet
URL = "https://example.org/" + "a1b2c3d4e5" * 298  # 3,000 characters, no spaces


def block(text: str, indent: int = 6) -> str:
    """Text as a YAML literal block under `body: |`."""
    return "\n".join(" " * indent + line if line else "" for line in text.split("\n"))


def numbered(count: int, prefix: str = "w") -> list[str]:
    return [f"{prefix}{n}" for n in range(1, count + 1)]


def section(body: str, heading: str = "A section") -> str:
    return f"  - heading: {heading}\n    body: |\n{block(body)}\n"


@_publishable
def words_in_paragraphs(count: int = 10_000, per_paragraph: int = 100) -> str:
    words = numbered(count)
    paragraphs = [" ".join(words[i:i + per_paragraph]) for i in range(0, count, per_paragraph)]
    return TOP + "sections:\n" + section("\n\n".join(paragraphs))


@_publishable
def words_in_one_paragraph(count: int = 10_000) -> str:
    return TOP + "sections:\n" + section(" ".join(numbered(count)))


@_publishable
def long_address_in_body() -> str:
    return TOP + "sections:\n" + section(f"Read {URL} today.\n\nOr follow [our page]({URL}).\n\n| Where |\n|---|\n| {URL} |")


@_publishable
def long_word() -> str:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 9  # 405 letters, longer than a line
    return (TOP + f"summary:\n  - Key {word} point.\n" + "sections:\n"
            + section(f"Before {word} after.\n\n| A | B |\n|---|---|\n| {word} | short |", heading=f"Head {word}"))


@_publishable
def table_rows(rows: int = 300) -> str:
    lines = ["| Row | Medicine | When |", "|---|---|---|"]
    lines += [f"| r{n} | medicine m{n} | every {n} hours |" for n in range(1, rows + 1)]
    return TOP + "sections:\n" + section("\n".join(lines))


@_publishable
def tall_cell(words: int = 3_000) -> str:
    cell = " ".join(numbered(words))
    return TOP + "sections:\n" + section(f"| What | Details |\n|---|---|\n| first | {cell} |\n| last | end |")


@_publishable
def tall_header_row(words: int = 2_000) -> str:
    header = " ".join(numbered(words))
    return TOP + "sections:\n" + section(f"| {header} | B |\n|---|---|\n| x | y |")


@_publishable
def references(count: int = 500) -> str:
    cites = "[" + "; ".join(f"@r{n}" for n in range(1, count + 1)) + "]"
    refs = "".join(f"  - id: r{n}\n    authors: [Author A{n}]\n    title: Study number {n}\n    journal: J Test\n"
                   f"    year: 2020\n" for n in range(1, count + 1))
    return TOP + "sections:\n" + section(f"Cited {cites}.") + "references:\n" + refs


@_publishable
def tall_callout(words: int = 3_000) -> str:
    return TOP + "sections:\n" + section("> " + " ".join(numbered(words)))


@_publishable
def tall_key_points(points: int = 60, words: int = 60) -> str:
    items = "".join(f"  - {' '.join(numbered(words, f'p{p}w'))}\n" for p in range(1, points + 1))
    return TOP + "summary:\n" + items + "sections:\n" + section("Body.")


@_publishable
def deep_nesting(depth: int = 12) -> str:
    return TOP + "sections:\n" + section("\n".join("  " * i + f"- level {i + 1}" for i in range(depth)))


@_publishable
def wide_table(columns: int = 60) -> str:
    head = "|" + "|".join(f"c{n}" for n in range(columns)) + "|"
    return TOP + "sections:\n" + section(head + "\n|" + "---|" * columns + "\n|" + "x|" * columns)


@_publishable
def long_paragraph(characters: int) -> str:
    """One paragraph of about `characters` characters of ordinary words."""
    words = " ".join(numbered(characters // 6 + 1))[:characters]
    return TOP + "sections:\n" + section(words)


# The worst cases: the most that still builds, and 5 MB shaped to cost the most.
@_publishable
def most_text(paragraphs: int = 12) -> str:
    """Just under the limits (limits.py): twelve paragraphs of 79,000 characters."""
    text = " ".join(numbered(12_000))[:79_000]
    return TOP + "sections:\n" + section("\n\n".join([text] * paragraphs))


@_publishable
def most_blocks(items: int = 19_900) -> str:
    return TOP + "sections:\n" + section("\n".join(f"- item {n}" for n in range(items)))


@_publishable
def worst_list(megabytes: float = 4.9) -> str:
    count = int(megabytes * 1024 * 1024 // 13)
    return TOP + "sections:\n" + section("\n".join("- item" for _ in range(count)))


@_publishable
def worst_sections(megabytes: float = 4.9) -> str:
    count = min(int(megabytes * 1024 * 1024 // 40), 45_000)  # the YAML value cap allows ~50,000
    return TOP + "sections:\n" + "".join(f"  - heading: H{n}\n    body: B{n}\n" for n in range(count))


@_publishable
def worst_yaml_values(megabytes: float = 4.9) -> str:
    count = int(megabytes * 1024 * 1024 // 2)
    return TOP + "keywords: [" + ",".join("a" * count) + "]\n" + "sections:\n" + section("Body.")


@_publishable
def worst_alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    return TOP + "\n".join(lines) + "\nsections:\n" + section("Body.")


# name -> (handout text, what it shows); the layout cases live in the tests.
CASES = {
    "10,000 words in 100 paragraphs": words_in_paragraphs,
    "10,000 words in one paragraph": words_in_one_paragraph,
    "3,000-character address in a body": long_address_in_body,
    "a word longer than a line": long_word,
    "a table of 300 rows": table_rows,
    "a table cell taller than a page": tall_cell,
    "a table header row taller than a page": tall_header_row,
    "500 references": references,
    "a callout taller than a page": tall_callout,
    "key points taller than a page": tall_key_points,
    "lists nested 12 deep": deep_nesting,
    "a table of 60 columns": wide_table,
}
WORST_CASES = {
    "the most text that builds (948,000 chars)": most_text,
    "the most blocks that build (19,900 items)": most_blocks,
    "5 MB of list items": worst_list,
    "45,000 sections": worst_sections,
    "5 MB of YAML values": worst_yaml_values,
    "an alias bomb (a billion values)": worst_alias_bomb,
}
