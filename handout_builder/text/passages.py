"""Passages in another language: `{lang=fr}` on the line before a paragraph, heading, list,
callout or table says that block is in French, so a screen reader reads it with a French voice
(the tagged PDF gives that element /Lang). A markdown-it core rule, run between block and inline
parsing; the rest of the builder sees only a `lang` attribute on the block's opening token.

Only this one form is understood. Any other text in braces stays text, so nothing an author
writes can vanish; a `{lang=..}` that marks no block is found by the document stage and refused.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

MARK = re.compile(r"\{lang=\"?([^\s{}\"]*)\"?\}")
# Blocks a passage can be: their opening tokens take the attribute.
MARKABLE = ("paragraph_open", "heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open",
            "table_open")


def passage_rule(state: StateCore) -> None:
    """`{lang=xx}` alone in a paragraph marks the block after it; as the first line of a
    paragraph, it marks that paragraph."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "paragraph_open" and index + 2 < len(tokens) and tokens[index + 1].type == "inline":
            inline = tokens[index + 1]
            first, _, rest = inline.content.partition("\n")
            match = MARK.fullmatch(first.strip())
            if match and not rest.strip():  # alone: it marks the next block at the same level
                after = index + 3
                if after < len(tokens) and tokens[after].type in MARKABLE and tokens[after].level == token.level:
                    tokens[after].attrSet("lang", match.group(1))
                    del tokens[index:after]
                    continue
            elif match:  # the first line of a paragraph: it marks the paragraph
                token.attrSet("lang", match.group(1))
                inline.content = rest
                if inline.map:
                    inline.map = [inline.map[0] + 1, inline.map[1]]
        index += 1


def passage_plugin(md: MarkdownIt) -> None:
    """Teach a MarkdownIt parser `{lang=xx}` before a block."""
    md.core.ruler.before("inline", "passages", passage_rule)
