"""The clinic's leaflet library: `index.html` in the output folder, where staff find, print and
e-mail every leaflet built into it.

Written from the folder's manifest alone (manifest.py: each entry carries the title, key points,
headings and a small picture of page 1), so it lists exactly the PDFs in the folder and the same
manifest on the same day gives the same bytes. One self-contained file: its style and script are
inline, nothing is fetched, and it works opened from a shared drive (file://) or a web server.
With scripts off it is the full list; with them, a search box and filters narrow it.

Leaflet text is data, never markup: every text goes into the HTML through html.escape, and into
the script's search index as JSON with <, > and & escaped, so `</script>` cannot end the block.
A Content-Security-Policy allows only this page's own style and script (by hash) besides.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..inputs.language import babel_locale
from ..text.review_dates import ReviewStatus, review_status
from .manifest import Entry, Manifest
from .writing import write_atomically

INDEX_NAME = "index.html"
STATES = {"current": "Up to date", "due": "Review due soon", "overdue": "Review overdue"}


@dataclass(frozen=True)
class Copy:
    """One PDF of a leaflet in the folder, and its e-mail draft if it has one."""

    pdf: str
    label: str  # what it is for, from its layout file ("Large print")
    layout: str
    pages: int
    size: int
    email: str | None  # the .eml beside it


@dataclass(frozen=True)
class Listed:
    """One leaflet (one handout) as the library shows it, with every PDF built of it."""

    number: int  # its place in the page, for element ids (never author text)
    stem: str
    entry: Entry  # the entry its details are shown from
    status: ReviewStatus
    copies: tuple[Copy, ...]
    thumbnail: str  # base64 PNG, "" when none

    @property
    def language_name(self) -> str:
        return language_name(self.entry.language)


def language_name(tag: str) -> str:
    """A language in its own name ("Español", "বাংলা"), or the tag when CLDR does not know it.
    English is written without loading Babel's data, as CLDR names it (tests/test_library.py)."""
    if tag == "en":
        return "English"
    locale = babel_locale(tag)
    name = locale.get_display_name(locale) if locale is not None else None
    return name[:1].upper() + name[1:] if name else tag


def listed_leaflets(folder: Path, manifest: Manifest, today: dt.date) -> list[tuple[Listed, list[Listed]]]:
    """The leaflets whose PDFs are in the folder, each source with its translations (sorted by
    title, and translations by language); a translation whose source is not here stands alone."""
    by_source: dict[str, list[tuple[str, Entry]]] = {}
    for name, entry in sorted(manifest.entries.items()):
        if (folder / name).is_file():
            by_source.setdefault(entry.source, []).append((name, entry))
    leaflets = []
    for source, built in by_source.items():
        # The picture: the leaflet's own layout first, then any, a booklet's screen copy last.
        shown = min(built, key=lambda item: (item[1].layout_option is not None,
                                             any(n.endswith("-screen.pdf") for n in item[1].also), item[0]))[1]
        copies = tuple(sorted((Copy(name, entry.label, entry.layout, entry.pages, entry.size,
                                    next((n for n in sorted(entry.also) if n.endswith(".eml")), None))
                               for name, entry in built), key=lambda c: (c.label.casefold(), c.pdf)))
        status = review_status(dt.date.fromisoformat(shown.review_due), today)
        leaflets.append((Path(source).stem, shown, status, copies))
    leaflets.sort(key=lambda item: (item[1].title.casefold(), item[0]))
    numbered = [Listed(number, stem, entry, status, copies, entry.thumbnail)
                for number, (stem, entry, status, copies) in enumerate(leaflets, start=1)]
    stems = {item.stem for item in numbered}
    groups: dict[str, tuple[Listed, list[Listed]]] = {}
    for item in numbered:
        if not item.entry.translation_of or item.entry.translation_of not in stems:
            groups[item.stem] = (item, [])
    for item in numbered:
        if item.entry.translation_of and item.entry.translation_of in stems:
            groups[item.entry.translation_of][1].append(item)
    for _, translations in groups.values():
        translations.sort(key=lambda item: (item.language_name.casefold(), item.stem))
    return list(groups.values())


def library_page(folder: Path, manifest: Manifest, today: dt.date) -> bytes:
    """The bytes of index.html for the folder's PDFs, review status as on `today`."""
    groups = listed_leaflets(folder, manifest, today)
    everyone = [item for source, translations in groups for item in (source, *translations)]
    index = [{"id": f"l{item.number}", "group": f"g{source.number}", "title": item.entry.title,
              "subtitle": item.entry.subtitle, "headings": item.entry.headings, "key_points": item.entry.key_points, "keywords": item.entry.keywords,
              "language": item.entry.language, "language_name": item.language_name, "status": item.status.state,
              "layouts": sorted({copy.layout for copy in item.copies})}
             for source, translations in groups for item in (source, *translations)]
    data = json.dumps({"leaflets": index}, ensure_ascii=False, sort_keys=True)
    # In a <script> block only "</" ends it; escaping <, > and & (and the JavaScript line breaks)
    # keeps any author text inside the JSON string it belongs to.
    data = (data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    languages = sorted({(item.entry.language, item.language_name) for item in everyone}, key=lambda x: x[1].casefold())
    layouts = sorted({(copy.layout, copy.label) for item in everyone for copy in item.copies},
                     key=lambda x: x[1].casefold())
    count = _count(len(everyone))
    body = "\n".join([
        '<a class="skip" href="#results">Skip to the leaflets</a>',
        "<header>",
        "<h1>Leaflet library</h1>",
        f"<p>{_count(len(everyone))} in this folder. Review status as on {today.isoformat()}. Open a leaflet's "
        "PDF to print it, or its e-mail draft to send it to a family.</p>",
        "</header>",
        "<main>",
        _find_form(languages, layouts),
        f'<p id="count" class="count" role="status" aria-live="polite" aria-atomic="true">{count}</p>',
        '<ul id="results" class="library" tabindex="-1">',
        *(_group(source, translations) for source, translations in groups),
        "</ul>",
        _print_list(everyone),
        "</main>",
    ])
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
            f"style-src '{_sha(STYLE)}'; script-src '{_sha(SCRIPT)}'; form-action 'none'; base-uri 'none'\">\n"
            f"<title>Leaflet library</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
            f'<script id="library-index" type="application/json">{data}</script>\n'
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return page.encode("utf-8")


def write_library(folder: Path, today: dt.date) -> Path | None:
    """Write the folder's index.html from its manifest when its bytes would change; return its
    path when written, None when it was already up to date (or the folder has no manifest)."""
    manifest = Manifest.read(folder)
    if not manifest.entries:
        return None
    data = library_page(folder, manifest, today)
    target = folder / INDEX_NAME
    try:
        if target.read_bytes() == data:
            return None
    except OSError:
        pass
    write_atomically(target, data)
    return target


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _count(n: int) -> str:
    return f"{n} leaflet{'s' if n != 1 else ''}"


def _find_form(languages, layouts) -> str:
    """The search box and filters: hidden until the script shows them (without scripts, the
    full list is the page)."""
    def select(name: str, label: str, everything: str, options) -> str:
        return (f'<div class="field"><label for="{name}">{label}</label><select id="{name}" name="{name}">'
                f'<option value="">{everything}</option>'
                + "".join(f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in options)
                + "</select></div>")

    return "\n".join([
        '<form id="find" class="find" role="search" aria-label="Find a leaflet" hidden>',
        '<div class="field wide"><label for="q">Find a leaflet</label>'
        '<input id="q" name="q" type="search" autocomplete="off" spellcheck="false" aria-describedby="q-hint">'
        '<p id="q-hint" class="hint">A word from its title, headings, key points or keywords.</p></div>',
        select("language", "Language", "All languages", languages),
        select("layout", "Kind of copy", "All kinds", layouts),
        select("review", "Review status", "Any review status", STATES.items()),
        "</form>",
    ])


def _group(source: Listed, translations: list[Listed]) -> str:
    parts = [f'<li class="group" id="g{source.number}">', _leaflet(source)]
    if translations:
        parts += [f'<section class="translations" aria-labelledby="tr{source.number}">',
                  f'<h3 id="tr{source.number}" class="translations-heading">Translations of '
                  f'<span lang="{escape(source.entry.language)}">{escape(source.entry.title)}</span></h3>',
                  '<ul class="translation-list">',
                  *(f"<li>{_leaflet(item)}</li>" for item in translations), "</ul>", "</section>"]
    parts.append("</li>")
    return "\n".join(parts)


def _status(item: Listed) -> str:
    status, due = item.status, escape(item.entry.review_due)
    if status.overdue:
        return (f'<span class="status overdue"><span aria-hidden="true">⚠ </span>Review overdue: due {due}, '
                f'{-status.days} day{"s" if status.days != -1 else ""} ago. Check with the clinical team before use.</span>')
    if status.state == "due":
        return f'<span class="status due">Review due soon: by {due}</span>'
    return f'<span class="status current">Up to date: next review by {due}</span>'


def _leaflet(item: Listed) -> str:
    entry, lang = item.entry, escape(item.entry.language)
    title = f'<span lang="{lang}" dir="auto">{escape(entry.title)}</span>'
    facts = [("Language", f'<span lang="{lang}">{escape(item.language_name)}</span>'),
             ("Version", escape(entry.version)), ("Reviewed", escape(entry.reviewed)), ("Review", _status(item))]
    if entry.draft:
        facts.insert(0, ("Draft", '<span class="status draft">Draft: not yet approved for families</span>'))
    copies = []
    for copy in item.copies:
        what = f'<span class="visually-hidden">: </span><span lang="{lang}" dir="auto" class="visually-hidden">' \
               f'{escape(entry.title)}, </span><span class="visually-hidden">{escape(item.language_name)}</span>'
        size = f"PDF, {copy.pages} page{'s' if copy.pages != 1 else ''}, {max(1, round(copy.size / 1024))} KB"
        line = (f'<li class="copy" data-layout="{escape(copy.layout)}"><a class="pdf" href="{escape(copy.pdf)}">'
                f'<span class="label">{escape(copy.label)}</span>{what}<span class="meta">{size}</span></a>')
        if copy.email:
            line += (f'<a class="email" href="{escape(copy.email)}"><span class="label">E-mail draft</span>'
                     f'{what}<span class="meta">to send to a family, PDF attached</span></a>')
        copies.append(line + "</li>")
    picture = (f'<img class="thumb" src="data:image/png;base64,{item.thumbnail}" alt="" width="96" height="136">'
               if item.thumbnail else "")
    subtitle = f'<p class="subtitle" lang="{lang}" dir="auto">{escape(entry.subtitle)}</p>' if entry.subtitle else ""
    return "\n".join([
        f'<article class="leaflet" id="l{item.number}" aria-labelledby="h{item.number}">',
        picture,
        '<div class="about">',
        f'<h2 id="h{item.number}">{title}</h2>',
        subtitle,
        '<dl class="facts">' + "".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in facts) + "</dl>",
        f'<ul class="copies" aria-label="Copies">{"".join(copies)}</ul>',
        "</div>",
        "</article>",
    ])


def _print_list(everyone: list[Listed]) -> str:
    """The notice-board list the print stylesheet prints instead of the page."""
    rows = "".join(
        f'<tr><td><span lang="{escape(item.entry.language)}" dir="auto">{escape(item.entry.title)}</span></td>'
        f"<td>{escape(item.language_name)}</td><td>{escape(item.entry.version)}</td>"
        f"<td>{STATES[item.status.state]}{' (draft)' if item.entry.draft else ''}</td></tr>"
        for item in sorted(everyone, key=lambda item: (item.entry.title.casefold(), item.stem)))
    return ('<table class="print-list"><caption>Leaflet library</caption><thead><tr><th scope="col">Title</th>'
            '<th scope="col">Language</th><th scope="col">Version</th><th scope="col">Review status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


STYLE = """
:root{--text:#1a1a1a;--muted:#4a4a4a;--accent:#1f4e79;--line:#c8c8c8;--overdue:#a4001d;--due:#6b4a00;--focus:#ffbf47}
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--text);background:#fff}
header,main{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:2rem;margin:.5rem 0;color:var(--accent)}
a{color:var(--accent)}
a:focus-visible,input:focus-visible,select:focus-visible,.library:focus-visible{outline:3px solid var(--text);outline-offset:2px;box-shadow:0 0 0 6px var(--focus)}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.75rem 1rem}
.skip:focus{left:1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.find{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0;padding:1rem;background:#f2f5f8;border:1px solid var(--line);border-radius:6px}
.find[hidden]{display:none}
.field{display:flex;flex-direction:column;flex:1 1 12rem;min-width:0}
.field.wide{flex:2 1 18rem}
label{font-weight:700;margin-bottom:.25rem}
input,select{font:inherit;min-height:48px;padding:.4rem .6rem;border:2px solid #555;border-radius:4px;background:#fff;color:var(--text);width:100%}
.hint{margin:.25rem 0 0;color:var(--muted);font-size:.95rem}
.count{font-weight:700;margin:1rem 0 .5rem}
.library,.translation-list,.copies{list-style:none;margin:0;padding:0}
.group{border-top:2px solid var(--line);padding:1rem 0}
.leaflet{display:flex;gap:1rem;align-items:flex-start}
.thumb{flex:0 0 auto;width:96px;height:auto;border:1px solid var(--line);background:#fff}
.about{flex:1 1 auto;min-width:0}
h2{font-size:1.4rem;margin:0;overflow-wrap:anywhere}
.subtitle{margin:.15rem 0 .5rem;color:var(--muted);overflow-wrap:anywhere}
.facts{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0}
.facts div{display:flex;gap:.35rem}
.facts dt{font-weight:700}
.facts dt::after{content:":"}
.facts dd{margin:0}
.status.overdue{color:var(--overdue);font-weight:700}
.status.due{color:var(--due);font-weight:700}
.status.draft{color:var(--overdue);font-weight:700}
.copies{display:flex;flex-wrap:wrap;gap:.5rem}
.copy{display:flex;flex-wrap:wrap;gap:.5rem}
.copies a{display:inline-flex;flex-direction:column;justify-content:center;min-height:48px;min-width:10rem;padding:.4rem .8rem;border:2px solid var(--accent);border-radius:6px;text-decoration:none;background:#fff}
.copies a:hover{background:#e8eef5}
.copies a.email{border-style:dashed}
.label{font-weight:700;text-decoration:underline}
.meta{font-size:.9rem;color:var(--muted)}
.translations{margin:1rem 0 0 1.5rem;padding-left:1rem;border-left:4px solid var(--line)}
.translations-heading{font-size:1rem;margin:0 0 .5rem;color:var(--muted)}
.translation-list>li+li{margin-top:1rem}
.print-list{display:none}
[hidden]{display:none!important}
@media (max-width:40rem){.leaflet{flex-direction:column}.thumb{width:72px}.translations{margin-left:.25rem;padding-left:.75rem}.copies,.copy{flex-direction:column;width:100%}.copies a{width:100%}}
@media print{
@page{margin:12mm}
body{font-size:10pt}
.skip,.find,.count,.library,header p{display:none!important}
h1{font-size:16pt;margin:0 0 4mm;color:#000}
.print-list{display:table;width:100%;border-collapse:collapse}
.print-list caption{display:none}
.print-list th,.print-list td{text-align:left;border-bottom:1px solid #999;padding:1mm 2mm;vertical-align:top}
}
""".strip()

SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("library-index").textContent).leaflets;
  var form = document.getElementById("find"), query = document.getElementById("q");
  var language = document.getElementById("language"), layout = document.getElementById("layout");
  var review = document.getElementById("review"), count = document.getElementById("count");
  var results = document.getElementById("results");
  var groups = Array.prototype.slice.call(results.children);
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }
  data.forEach(function (item) {
    item.fields = [fold(item.title), fold(item.subtitle), fold(item.headings.join("\n")),
                   fold(item.key_points.join("\n")), fold(item.keywords.join("\n")), fold(item.language_name)];
  });
  // Where the words are found decides the order: the exact title first, then a title that
  // starts with them, holds them, then subtitle, headings, key points and keywords.
  function score(item, phrase, words) {
    if (!phrase) return 1;
    var title = item.fields[0];
    if (title === phrase) return 1000;
    var found = 0, weights = [100, 40, 20, 10, 10, 5];
    for (var w = 0; w < words.length; w++) {
      var best = 0;
      for (var f = 0; f < item.fields.length; f++) {
        if (item.fields[f].indexOf(words[w]) !== -1) { best = Math.max(best, weights[f]); }
      }
      if (!best) return 0;
      found += best;
    }
    if (title.indexOf(phrase) === 0) found += 400;
    else if (title.indexOf(phrase) !== -1) found += 200;
    return found;
  }
  function update() {
    var phrase = fold(query.value).trim().replace(/\s+/g, " ");
    var words = phrase ? phrase.split(" ") : [];
    var shown = 0, order = [];
    var best = {};
    data.forEach(function (item) {
      var ok = (!language.value || item.language === language.value) &&
               (!layout.value || item.layouts.indexOf(layout.value) !== -1) &&
               (!review.value || item.status === review.value);
      var s = ok ? score(item, phrase, words) : 0;
      var element = document.getElementById(item.id);
      element.hidden = s === 0;
      var wrapper = element.parentNode.tagName === "LI" && element.parentNode.id !== item.group ? element.parentNode : null;
      if (wrapper) wrapper.hidden = s === 0;
      if (s) { shown++; best[item.group] = Math.max(best[item.group] || 0, s); }
      Array.prototype.forEach.call(element.querySelectorAll(".copy"), function (copy) {
        copy.hidden = !!layout.value && copy.getAttribute("data-layout") !== layout.value;
      });
    });
    groups.forEach(function (group, index) {
      group.hidden = !best[group.id];
      var section = group.querySelector(".translations");
      if (section) {
        section.hidden = !Array.prototype.some.call(section.querySelectorAll(".leaflet"), function (e) { return !e.hidden; });
      }
      order.push({group: group, score: best[group.id] || 0, index: index});
    });
    order.sort(function (a, b) { return (b.score - a.score) || (a.index - b.index); });
    order.forEach(function (o) { results.appendChild(o.group); });
    count.textContent = shown === 0 ? "No leaflet matches. Try another word, or clear the filters."
      : shown + (shown === 1 ? " leaflet" : " leaflets") + (phrase || language.value || layout.value || review.value ? " found" : "");
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); results.focus(); });
  [query, language, layout, review].forEach(function (control) {
    control.addEventListener("input", update);
    control.addEventListener("change", update);
  });
  update();
})();
""".strip()
