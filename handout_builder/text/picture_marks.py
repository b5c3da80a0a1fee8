"""What an author writes right after a picture: `![alt](images/port.png "Caption"){width=50%}`
asks for less than the layout's width, `![](images/swirl.png){decorative}` says the picture only
decorates (a screen reader skips it). A markdown-it core rule, run after inline parsing: the
braces are taken off the text after the image and become attributes of the image token, which
the walk (walk.py) reads as the picture's `width` and `decorative`.

Only these words are understood, in one pair of braces, separated by spaces. Braces holding
anything else stay text, so nothing an author writes can vanish; the document stage refuses
braces after a picture that it does not understand, naming them.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# Anything in braces straight after a picture: read as the picture's marks, or refused.
BRACES = re.compile(r"[ \t]*\{([^{}\n]*)\}")
WIDTH = re.compile(r"width=\"?(\d+(?:\.\d+)?)%\"?\Z")
DECORATIVE = "decorative"


def picture_rule(state: StateCore) -> None:
    """Move `{...}` right after an image onto the image token: attrs width (percent, as written),
    decorative ("1"), or marks (the braces' text, when a word in it is not understood)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for index, child in enumerate(children[:-1]):
            after = children[index + 1]
            if child.type != "image" or after.type != "text":
                continue
            found = BRACES.match(after.content)
            if not found:
                continue
            words = found.group(1).split()
            unknown = [word for word in words if word != DECORATIVE and not WIDTH.match(word)]
            if unknown:
                child.attrSet("marks", found.group(0).strip())
            for word in words:
                if word == DECORATIVE:
                    child.attrSet("decorative", "1")
                elif WIDTH.match(word):
                    child.attrSet("width", WIDTH.match(word).group(1))
            after.content = after.content[found.end():]


def picture_plugin(md: MarkdownIt) -> None:
    """Teach a MarkdownIt parser `{width=50%}` and `{decorative}` after a picture."""
    md.core.ruler.after("inline", "pictures", picture_rule)
