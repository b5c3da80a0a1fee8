"""Citations: the [@id] syntax in Markdown, Vancouver numbering, and Vancouver reference text.

Numbers follow the order in which references are first cited in the printed leaflet
(Vancouver); references never cited are listed apart, under "Further reading".
"""
from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..model import CITATION, CITATION_KEY, Reference

MAX_AUTHORS = 6  # Vancouver: list six, then "et al."


def citation_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: `[@a]` or `[@a; @b]` becomes one `citation` token with its keys."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = CITATION.match(state.src, state.pos)
    if not match or match.end() > state.posMax:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta = {"keys": CITATION_KEY.findall(match.group(0))}
    state.pos = match.end()
    return True


def citation_plugin(md: MarkdownIt) -> None:
    """Teach a MarkdownIt parser the citation syntax (before links, which also start with '[')."""
    md.inline.ruler.before("link", "citation", citation_rule)


def citation_label(numbers: list[int]) -> str:
    """'[1]', '[1, 2]' or '[1–3]' for three or more in a row."""
    return "".join(text for text, _ in citation_parts(numbers))


def citation_parts(numbers: list[int]) -> list[tuple[str, int | None]]:
    """The label of a citation in pieces, each with the reference it stands for (None: the
    brackets and commas), so that each number links to its own reference: '[1, 2]' is
    [('[', None), ('1', 1), (', ', None), ('2', 2), (']', None)]. In a range '1–4' the dash
    stands for the first reference it hides (2)."""
    numbers = sorted(set(numbers))
    parts: list[tuple[str, int | None]] = [("[", None)]
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        if len(parts) > 1:
            parts.append((", ", None))
        if prev - start >= 2:
            parts += [(str(start), start), ("\u2013", start + 1), (str(prev), prev)]
        else:
            for k in range(start, prev + 1):
                parts += [(", ", None)] if k != start else []
                parts.append((str(k), k))
        if n is not None:
            start = prev = n
    parts.append(("]", None))
    return parts


@dataclass(frozen=True)
class Segment:
    """A piece of reference text, linked when `href` is set."""

    text: str
    href: str | None = None


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def vancouver(ref: Reference, available_from: str = "Available from:", cited_word: str = "cited") -> list[Segment]:
    """A reference in Vancouver (ICMJE/NLM) style, as text segments with DOI and web links.
    `available_from` and `cited_word` are those words in the leaflet's language."""
    out: list[Segment] = []
    if ref.authors:
        names = list(ref.authors[:MAX_AUTHORS])
        if len(ref.authors) > MAX_AUTHORS:
            names.append("et al")
        out.append(Segment(_end(", ".join(names)) + " "))
    web_only = ref.url and not ref.journal
    out.append(Segment(_end(ref.title + (" [Internet]" if web_only else "")) + " "))
    when = " ".join(str(p) for p in (ref.year, ref.month) if p)
    cited = ""
    if ref.accessed:
        cited = f" [{cited_word} {ref.accessed.year} {ref.accessed.strftime('%b')} {ref.accessed.day}]"
    if ref.journal:
        source = f"{_end(ref.journal)} {when}" if when else _end(ref.journal)
        if ref.volume:
            source += f";{ref.volume}" + (f"({ref.issue})" if ref.issue else "")
        if ref.pages:
            source += f":{ref.pages}"
        out.append(Segment(_end(source.rstrip()) + " "))
    elif ref.publisher:
        out.append(Segment(_end(ref.publisher + (f"; {when}" if when else "") + cited) + " "))
    elif when:
        out.append(Segment(_end(when + cited) + " "))
    if ref.doi:
        out += [Segment("doi: "), Segment(ref.doi, f"https://doi.org/{ref.doi}"), Segment(". ")]
    if ref.pmid:
        out += [Segment("PMID: "), Segment(ref.pmid, f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"), Segment(". ")]
    if ref.url:
        out += [Segment(f"{available_from} "), Segment(ref.url, ref.url), Segment(" ")]
    if ref.note:
        out.append(Segment(_end(ref.note)))
    last = out[-1]
    out[-1] = Segment(last.text.rstrip(), last.href)
    return out
