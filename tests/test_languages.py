"""Leaflets in the languages families read: the builder's own words from each language's
catalogue, dates in the reader's language, /Lang, accented and non-Latin text read back exactly,
fonts chosen per language (never a blank box), hyphenation only where a layout asks for it, and
a language with no catalogue printing English with a warning."""
from __future__ import annotations

import pytest
import yaml
from pypdf import PdfReader

from conftest import MINIMAL, page_texts, table_rows, words
from handout_builder.inputs.language import KEYS, catalogue_codes, load_catalogue

LEAFLET = """\
    title: {title}
    version: "1.0"
    reviewed: 2026-11-01
    review_due: 2029-11-01
    language: {language}
    authors: [Ward 7]
    contact: "020 7946 0999"
    url: https://www.example.org/leaflet
    summary:
      - "{sentence} [@cited]"
    sections:
      - heading: "{heading}"
        body: |
          {sentence} [@cited]
    references:
      - id: cited
        authors: [Ward 7 nurses]
        title: Mouth care at home
        publisher: St Brigid's Children's Hospital
        year: 2026
      - id: extra
        authors: [Ward 7 nurses]
        title: More about mouth care
        publisher: St Brigid's Children's Hospital
        year: 2025
"""

# language: (title, heading, a sentence with the language's own letters, the reviewed date as a
# reader of that language writes it, the review-due date). Dates are written out here by hand,
# not computed with Babel, so the test says what families must read.
SAMPLES = {
    "en": ("Mouth care", "Brushing teeth", "Brush your child\u2019s teeth twice a day.", "1 November 2026",
           "1 November 2029"),
    "es": ("Cuidado de la boca", "¿Cómo se cepillan?", "Cepille los dientes de su niño dos veces al día.",
           "1 de noviembre de 2026", "1 de noviembre de 2029"),
    "fr": ("Soins de la bouche", "Brossage des dents", "Brossez les dents de votre enfant deux fois par jour, "
           "même à l’hôpital.", "1 novembre 2026", "1 novembre 2029"),
    "pt": ("Cuidados com a boca", "Escovar os dentes", "Escove os dentes do seu filho duas vezes por dia, "
           "não se esqueça.", "1 de novembro de 2026", "1 de novembro de 2029"),
    "pl": ("Higiena jamy ustnej", "Mycie zębów", "Myj zęby dziecka dwa razy dziennie, także w szpitalu; "
           "zażółć gęślą jaźń.", "1 listopada 2026", "1 listopada 2029"),
    "de": ("Mundpflege", "Zähneputzen", "Putzen Sie die Zähne Ihres Kindes zweimal täglich, auch über Weihnachten.",
           "1. November 2026", "1. November 2029"),
    "it": ("Igiene della bocca", "Lavare i denti", "Lavi i denti di suo figlio due volte al giorno, è importante.",
           "1 novembre 2026", "1 novembre 2029"),
    "el": ("Φροντίδα του στόματος", "Βούρτσισμα δοντιών", "Βουρτσίστε τα δόντια του παιδιού σας δύο φορές "
           "την ημέρα.", "1 Νοεμβρίου 2026", "1 Νοεμβρίου 2029"),
    "zh": ("口腔护理", "刷牙", "每天给孩子刷两次牙。", "2026年11月1日", "2029年11月1日"),
}


def catalogue(language: str) -> dict:
    return load_catalogue(language).words


def test_every_catalogue_has_every_word_with_the_same_names():
    codes = catalogue_codes()
    assert {"en", "es", "fr", "pt", "pl", "de", "it"} <= set(codes)
    for code in codes:
        data = yaml.safe_load(load_catalogue(code).path.read_text(encoding="utf-8"))
        assert set(KEYS) <= set(data), code  # load_catalogue also checks each {name} against English
        if code != "en":  # translated, not copied
            assert data["key_points"] != catalogue("en")["key_points"] or code in ("fr",), code


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_a_leaflet_prints_the_builders_words_and_dates_in_its_language(project, language):
    title, heading, sentence, reviewed, due = SAMPLES[language]
    project.write("x", LEAFLET.format(title=title, heading=heading, sentence=sentence, language=language))
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    path = project.pdf("x")
    pages = page_texts(path)
    text = words(" ".join(pages))
    said = catalogue(language)
    # The author's words, accents and all, read back exactly.
    for expected in (title, heading, sentence):
        assert words(expected) in text
    # The builder's own words, from the catalogue.
    for key in ("key_points", "contact", "references", "further_reading", "online_version"):
        assert words(said[key]) in text, key
    about = said["edition_with_review_due"].format(version="1.0", reviewed=reviewed, review_due=due)
    assert words(about) in text
    assert words(said["written_by"].format(authors="Ward 7")) in text
    for number, page in enumerate(pages, start=1):
        footer = words(page)
        assert footer.endswith(words(said["page_of"].format(page=number, pages=len(pages))))
        assert words(said["footer_edition"].format(version="1.0", reviewed=reviewed)) in footer
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == language
    assert [item.title for item in reader.outline][-3:] == [said["contact"], said["references"],
                                                             said["further_reading"]]


def test_draft_and_overdue_notices_in_the_leaflets_language(project, monkeypatch):
    title, heading, sentence, _, _ = SAMPLES["de"]
    project.write("x", LEAFLET.format(title=title, heading=heading, sentence=sentence, language="de")
                  .replace("review_due: 2029-11-01", "review_due: 2029-11-01\n    draft: true"))
    monkeypatch.setenv("HANDOUT_BUILDER_TODAY", "2030-01-01")
    assert project.run("build").exit_code == 0
    for page in page_texts(project.pdf("x")):
        assert "ENTWURF" in page
        assert "Überprüfung überfällig: vor Gebrauch mit dem Behandlungsteam abklären" in page
        assert "DRAFT" not in page and "Review overdue" not in page


def test_a_language_without_a_catalogue_prints_english_and_warns(project):
    project.write("x", LEAFLET.format(title="Догляд за ротом", heading="Чищення зубів",
                                      sentence="Чистіть дитині зуби двічі на день.", language="uk"))
    check = project.run("check")
    warning = ("no catalogue for 'uk': the builder's own words (Key points, References, Page 1 of 2) and dates "
               "print in English; add handout_builder/catalogues/uk.yaml (README: Adding a language)")
    assert ("handouts/x.yaml:5", "warning", "language", warning) in table_rows(check)
    result = project.run("build")
    assert result.exit_code == 0
    assert f"handouts/x.yaml:5: warning: language: {warning}" in result.stderr.splitlines()
    text = words(" ".join(page_texts(project.pdf("x"))))
    assert "Чистіть дитині зуби двічі на день." in text  # Cyrillic through Noto Sans
    assert "Key points" in text and "Version 1.0 · Reviewed 1 November 2026" in text


def test_a_regional_language_uses_its_languages_catalogue(project):
    title, heading, sentence, _, _ = SAMPLES["pt"]
    project.write("x", LEAFLET.format(title=title, heading=heading, sentence=sentence, language="pt-BR"))
    result = project.run("build")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert "Pontos principais" in page_texts(project.pdf("x"))[0]
    assert PdfReader(project.pdf("x")).trailer["/Root"]["/Lang"] == "pt-BR"


# -- scripts beyond Latin -------------------------------------------------------------------------

MIXED = LEAFLET.format(title="Fever", heading="In other languages", language="en",
                       sentence="Greek: Ο πυρετός είναι σημαντικός. Chinese: 如果孩子发烧，请立即打电话。")


def fonts_used(path) -> set[str]:
    used = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            used.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return used


def test_greek_and_chinese_paragraphs_print_without_blanks(project):
    project.write("x", MIXED)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("x"))))
    assert "Greek: Ο πυρετός είναι σημαντικός. Chinese: 如果孩子发烧，请立即打电话。" in text
    used = fonts_used(project.pdf("x"))
    assert "NotoSans-Regular" in used  # Greek from the body font
    assert "NotoSansSCSubset-Regular" in used  # hanzi from the Chinese fallback


def test_a_chinese_leaflet_has_its_own_body_font_and_breaks_lines_between_characters(project):
    long = "化疗会降低身体抵抗感染的能力。发烧可能是感染的第一个信号，需要尽快治疗。" * 4
    project.write("x", LEAFLET.format(title="口腔护理", heading="刷牙", sentence=long, language="zh"))
    assert project.run("build").exit_code == 0
    pages = page_texts(project.pdf("x"))
    assert long in "".join(pages[0].split())  # the paragraph wraps across lines, with no character lost
    assert "第 1 页，共 2 页" in pages[0]
    # Latin in a Chinese leaflet comes from the Chinese body font, which has it
    assert fonts_used(project.pdf("x")) >= {"NotoSansSCSubset-Regular", "NotoSansSCSubset-Bold"}


def test_a_hanzi_beyond_the_bundled_subset_is_refused_by_name(project):
    project.write("x", LEAFLET.format(title="口腔护理", heading="刷牙", sentence="罕见字：龘。", language="zh"))
    result = project.run("check")
    assert result.exit_code == 1
    message = ("no bundled font can draw U+9F98 龘 CJK UNIFIED IDEOGRAPH-9F98; replace it or add a fallback font "
               "that has it to the layout")
    assert table_rows(result) == [("handouts/x.yaml:10", "error", "summary[1]", message),
                                  ("handouts/x.yaml:14", "error", "sections[1].body", message)]


def test_a_language_whose_words_no_font_can_draw_is_refused(project):
    layout = (project.root / "layouts" / "clinic-a4.yaml").read_text(encoding="utf-8")
    start, end = layout.index("    - name: NotoSansSC"), layout.index("    - name: DejaVuSans")
    layout = layout[:start] + layout[end:]
    layout = layout[:layout.index("  languages:")] + layout[layout.index("sizes:"):]
    (project.root / "layouts" / "latin.yaml").write_text(layout, encoding="utf-8")
    project.write("x", LEAFLET.format(title="Mouth care", heading="Teeth", sentence="Brush twice a day.",
                                      language="zh") + "    layout: latin\n")
    result = project.run("check")
    assert result.exit_code == 1
    message = dict(((row[2], row[3]) for row in table_rows(result)))["language"]
    assert message.startswith("no bundled font can draw the builder's own words in 'zh' (U+8981 要 CJK UNIFIED "
                              "IDEOGRAPH-8981, ")


# -- dates as the layout says -----------------------------------------------------------------------

def test_a_layout_fixes_a_date_pattern_for_a_language_and_the_rest_are_long(project):
    (project.root / "layouts" / "dates.yaml").write_text(
        'extends: clinic-a4\ndate_format:\n  es: "{day} {month_name} {year}"\n', encoding="utf-8")
    for language in ("es", "fr"):
        title, heading, sentence, _, _ = SAMPLES[language]
        project.write(language, LEAFLET.format(title=title, heading=heading, sentence=sentence, language=language)
                      + "    layout: dates\n")
    assert project.run("build").exit_code == 0
    assert "Versión 1.0 · Revisada el 1 noviembre 2026" in page_texts(project.pdf("es"))[0]
    assert "Version 1.0 · Révisée le 1 novembre 2026" in page_texts(project.pdf("fr"))[0]
    # the mapping merges with clinic-a4's, language by language: English keeps clinic-a4's pattern
    project.write("en", LEAFLET.format(title="T", heading="H", sentence="Words here.", language="en")
                  + "    layout: dates\n")
    assert project.run("build", "handouts/en.yaml").exit_code == 0
    assert "Version 1.0 · Reviewed 1 November 2026" in page_texts(project.pdf("en"))[0]
    # a single format is for every language
    (project.root / "layouts" / "dates.yaml").write_text('extends: clinic-a4\ndate_format: long\n', encoding="utf-8")
    assert project.run("build", "handouts/en.yaml").exit_code == 0
    assert "Version 1.0 · Reviewed November 1, 2026" in page_texts(project.pdf("en"))[0]


def test_a_bad_date_format_is_named(project):
    (project.root / "layouts" / "dates.yaml").write_text(
        'extends: clinic-a4\ndate_format:\n  es: "{day} of {year}"\n  Spanish: long\n', encoding="utf-8")
    project.write("x", LEAFLET.format(title="T", heading="H", sentence="Words.", language="es") + "    layout: dates\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert table_rows(result)[:2] == [
        ("layouts/dates.yaml:3", "error", "date_format.es", "must be long, or contain {day}, {month_name} and {year}"),
        ("layouts/dates.yaml:4", "error", "date_format.Spanish", "'Spanish' is not a language code such as en, es or pt-BR"),
    ]


# -- hyphenation ------------------------------------------------------------------------------------

GERMAN = ("Die Chemotherapie schwächt die Infektionsabwehr. Bei Fieber rufen Sie sofort die "
          "Kinderkrebsstation an. Knochenmarkuntersuchungen und Blutbildkontrollen gehören zur "
          "Behandlungsplanung. Die Überwachungsmaßnahmen schützen Ihr Kind vor Komplikationen. ") * 3


def test_hyphenation_is_off_unless_the_layout_turns_it_on_for_the_language(project):
    (project.root / "layouts" / "hyphenated.yaml").write_text(
        "extends: clinic-a4\nhyphenation: [de]\n", encoding="utf-8")
    project.write("plain", LEAFLET.format(title="Fieber", heading="Warum", sentence=GERMAN.strip(), language="de"))
    project.write("split", LEAFLET.format(title="Fieber", heading="Warum", sentence=GERMAN.strip(), language="de")
                  + "    layout: hyphenated\n")
    assert project.run("build").exit_code == 0
    plain = page_texts(project.pdf("plain"))[0]
    split = page_texts(project.pdf("split"))[0]
    assert not any(line.endswith("-") for line in plain.splitlines())
    broken = [line for line in split.splitlines() if line.endswith("-") and line[-2].isalpha()]
    assert broken, split  # some long words were split at a line end
    # Joining each split word gives back exactly the words written.
    assert words(GERMAN) in words(split.replace("-\n", ""))


def test_hyphenation_for_a_language_pyphen_does_not_know_is_refused(project):
    (project.root / "layouts" / "hyphenated.yaml").write_text(
        "extends: clinic-a4\nhyphenation: [de, xx]\n", encoding="utf-8")
    project.write("x", LEAFLET.format(title="T", heading="H", sentence="Words.", language="de") + "    layout: hyphenated\n")
    result = project.run("check")
    assert ("layouts/hyphenated.yaml:2", "error", "hyphenation[2]",
            "no hyphenation patterns for 'xx'; the languages with patterns include de, es, fr, it, nl, pl and pt"
            ) in table_rows(result)


# -- right to left ----------------------------------------------------------------------------------

ARABIC = LEAFLET.format(title="العناية بالفم", heading="تنظيف الأسنان", language="ar",
                        sentence="نظف أسنان طفلك **مرتين** في اليوم، ثم اتصل بالرقم 020 7946 0999.")


def test_a_right_to_left_leaflet_builds_right_aligned_and_reads_in_logical_order(project):
    # Was refused (ReportLab put the words of a line with bold, a link or a Latin word in the
    # wrong order); now laid out by the shaped-text engine (render/shaped.py, tests/test_scripts.py).
    project.write("x", ARABIC)
    check = project.run("check")
    assert check.exit_code == 0, check.stdout + check.stderr
    build = project.run("build")
    assert build.exit_code == 0, build.stderr
    from test_scripts import element_texts

    texts = [text for role, text in element_texts(project.pdf("x")) if role == "P"]
    assert "نظف أسنان طفلك مرتين في اليوم، ثم اتصل بالرقم 020 7946 0999. [1]" in texts


def test_the_bidi_levels_and_visual_order_follow_uax_9():
    from handout_builder.render.shaped import bidi_levels, visual_order

    logical = "نظف أسنان (2) مع ARST0332."
    levels = bidi_levels(logical, right_to_left=True)
    assert levels[logical.index("A")] == 2 and levels[logical.index("2")] == 2 and levels[0] == 1
    order = visual_order(levels)
    visual = "".join(logical[i] for i in order)
    assert visual.startswith(".ARST0332 ") and visual.endswith(" نانسأ فظن")  # Latin keeps its order
    assert sorted(order) == list(range(len(logical)))
    assert visual_order([0, 0, 0]) == [0, 1, 2] and visual_order([1, 1, 2, 2, 1]) == [4, 2, 3, 1, 0]


# -- passages in another language ---------------------------------------------------------------

PASSAGES = MINIMAL.replace("        body: Some words.", """        body: |
          Some words in English.

          {lang=fr}
          Bonjour à tous, et bienvenue.

          {lang=es}
          - uno
          - dos

          {lang=el}
          > Καλημέρα σας.

          {lang=de}

          | Wort | Bedeutung |
          |---|---|
          | Fieber | fever |

          {lang=it}
          ### Benvenuti""")


def test_a_passage_in_another_language_is_marked_for_screen_readers(project):
    import pikepdf

    from test_accessibility import _elements

    project.write("x", PASSAGES)
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("x"))))
    assert "Some words in English. Bonjour à tous, et bienvenue. • uno • dos Καλημέρα σας." in text
    assert "{lang=" not in text  # the marks are not printed
    with pikepdf.open(project.pdf("x")) as pdf:
        marked = {str(element.S): str(element.Lang) for element in _elements(pdf) if "/Lang" in element}
        assert pdf.Root.Lang == "en"
    assert marked == {"/P": "fr", "/L": "es", "/BlockQuote": "el", "/Table": "de", "/H3": "it"}


@pytest.mark.parametrize("body, line, message", [
    ("Hello.\n\n          {lang=french}\n          Bonjour.", 11,
     "sections[1].body: {lang=french}: 'french' is not a language code such as fr, es or pt-BR"),
    ("Hello.\n\n          {lang=fr}", 11, "sections[1].body: '{lang=fr}' marks nothing here; put it alone on the line "
     "before the paragraph, heading, list, callout or table in that language"),
    ("Hello {lang=fr} bonjour.", 9, "sections[1].body: '{lang=fr}' marks nothing here; put it alone on the line "
     "before the paragraph, heading, list, callout or table in that language"),
])
def test_a_passage_mark_that_marks_nothing_or_no_language_is_refused(project, body, line, message):
    project.write("x", MINIMAL.replace("        body: Some words.", "        body: |\n          " + body))
    result = project.run("build")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"handouts/x.yaml:{line}: {message}"


def test_other_text_in_braces_prints_as_written(project):
    project.write("x", MINIMAL.replace("Some words.", '"{x}\\n{.note} and {lang} stay as written."'))
    assert project.run("build").exit_code == 0
    assert "{x} {.note} and {lang} stay as written." in words(" ".join(page_texts(project.pdf("x"))))
