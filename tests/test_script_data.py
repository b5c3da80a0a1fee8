"""What each language families read needs before a word of it is printed: its fonts (prepared for
print with the OpenType layout that shaping reads, or subset like the Traditional Chinese font),
the body font every shipped layout gives it, the builder's own words in it (draft translations
warn until a translator signs them off), and what `check` says of its reading level.

The shaping and drawing of these scripts is the text engine's (issue 13, part A); what is tested
here is the data that engine reads, and what prints today."""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
import yaml

from conftest import REPO, check_json, page_texts, table_rows, words
from handout_builder.fonts.cmap import characters
from handout_builder.fonts.fontset import FontSet, family_coverage, language_font
from handout_builder.inputs.language import KEYS, Wording, catalogue_codes, catalogue_for, load_catalogue
from handout_builder.inputs.layout_file import load_layout
from handout_builder.inputs.project import Project
from handout_builder.world import World

FONTS = REPO / "fonts"
DEBIAN = Path("/usr/share/fonts/truetype/noto")
DEBIAN_CJK = Path("/usr/share/fonts/opentype/noto")


def _script(name: str):
    """One of the scripts in fonts/ (prepare.py, subset_cjk.py), imported as a module."""
    spec = importlib.util.spec_from_file_location(name, FONTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PREPARE = _script("prepare")
SUBSET_CJK = _script("subset_cjk")

# language -> the family its leaflets are set in, in every shipped layout
BODY = {
    "ar": "NotoSansArabic", "fa": "NotoSansArabic", "ur": "NotoNastaliqUrdu", "he": "NotoSansHebrew",
    "bn": "NotoSansBengali", "hi": "NotoSansDevanagari", "pa": "NotoSansGurmukhi", "gu": "NotoSansGujarati",
    "ta": "NotoSansTamil", "zh": "NotoSansSC", "zh-Hant": "NotoSansTC", "zh-TW": "NotoSansTC", "zh-HK": "NotoSansTC",
    "so": "NotoSans", "vi": "NotoSans", "tr": "NotoSans", "ro": "NotoSans",
}
# Catalogues written for this issue: drafts until a translator signs them off.
DRAFTS = ("ur", "fa", "he", "bn", "hi", "pa", "gu", "ta", "zh-Hant", "so", "vi", "tr", "ro")

# A sample in each shaped script: words whose letters join, stack or reorder when shaped.
SAMPLES = {
    "NotoSansArabic": "العلاج الكيميائي للأطفال",
    "NotoNastaliqUrdu": "کیموتھراپی بچوں کے لیے",
    "NotoSansHebrew": "כִּימוֹתֶרַפְּיָה לִילָדִים",  # pointed, as children's books are: GPOS places the points
    "NotoSansBengali": "কেমোথেরাপি শিশুদের জন্য",
    "NotoSansDevanagari": "कीमोथेरेपी बच्चों के लिए",
    "NotoSansGurmukhi": "ਕੀਮੋਥੈਰੇਪੀ ਬੱਚਿਆਂ ਲਈ",
    "NotoSansGujarati": "કીમોથેરાપી બાળકો માટે",
    "NotoSansTamil": "குழந்தைகளுக்கான கீமோதெரபி",
}
# Every letter each Latin-script language adds to English's, in both cases.
LATIN_LETTERS = {
    "so": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzʼ'",  # Somali: plain Latin and the apostrophe
    "tr": "ÇçĞğİıÖöŞşÜüÂâÎîÛû",
    "ro": "ĂăÂâÎîȘșȚțŞşŢţ",  # comma below, and the cedilla forms old text still has
    "vi": "".join(sorted(set(
        "ĂăÂâĐđÊêÔôƠơƯư"
        "ÀÁẢÃẠàáảãạẰẮẲẴẶằắẳẵặẦẤẨẪẬầấẩẫậÈÉẺẼẸèéẻẽẹỀẾỂỄỆềếểễệÌÍỈĨỊìíỉĩị"
        "ÒÓỎÕỌòóỏõọỒỐỔỖỘồốổỗộỜỚỞỠỢờớởỡợÙÚỦŨỤùúủũụỪỨỬỮỰừứửữựỲÝỶỸỴỳýỷỹỵ"))),
}


def _shape(path: Path, text: str):
    """uharfbuzz's glyphs for text in a font file: (advance, x offset, y offset, cluster) each, and
    whether shaping did more than map each character to its glyph (substituted or moved one)."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(path.read_bytes()))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    placed = [(p.x_advance, p.x_offset, p.y_offset, i.cluster) for i, p in zip(buffer.glyph_infos, buffer.glyph_positions)]
    nominal = sorted(font.get_nominal_glyph(ord(char)) or 0 for char in text)
    changed = sorted(info.codepoint for info in buffer.glyph_infos) != nominal or any(
        x or y for _, x, y, _ in placed)
    return placed, changed


# -- fonts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PREPARE.SHAPED), ids=str)
def test_a_shaped_scripts_font_keeps_its_layout_and_shapes_as_debians_does(name):
    """prepare.py keeps GSUB, GPOS and GDEF in the fonts of scripts that are shaped, every
    character, and what uharfbuzz makes of a sample: the same glyphs placed the same way (the
    glyph ids are renumbered by the subsetter, so their advances, offsets and clusters are compared)."""
    from fontTools.ttLib import TTFont

    bundled = FONTS / name
    with TTFont(bundled, lazy=True) as font:
        assert {"GSUB", "GPOS", "GDEF"} <= set(font.keys())
        assert not {"fpgm", "prep", "cvt "} & set(font.keys())  # hinting dropped, as for the other fonts
    original = DEBIAN.parent / PREPARE.SHAPED[name]
    if not original.exists():
        pytest.skip(f"{original} is not installed (Debian's fonts-noto-core)")
    assert characters(bundled.read_bytes()) == characters(original.read_bytes())
    family = name.split("-")[0]
    shaped, changed = _shape(bundled, SAMPLES[family])
    assert shaped == _shape(original, SAMPLES[family])[0]
    assert changed  # the sample really was shaped: joined, reordered, stacked or its marks placed


def test_the_traditional_chinese_subset_has_big5_level_1_and_cjk_punctuation():
    hanzi = SUBSET_CJK.big5_level1_hanzi()
    assert len(hanzi) == 5401 and hanzi[0] == "一" and hanzi[-1] == "籲"
    punctuation = "，。、；：？！「」『』（）《》〈〉…—・"
    for style in ("Regular", "Bold"):
        drawn = characters((FONTS / f"NotoSansTC-Subset-{style}.ttf").read_bytes())
        assert {ord(c) for c in hanzi + punctuation} <= drawn
        assert set(range(0x3000, 0x3040)) - drawn <= {0x3040}  # CJK symbols and punctuation, whole
        assert set(range(0xFF01, 0xFF5F)) <= drawn  # full-width forms
        assert {ord(c) for c in "ABCxyz0123456789"} <= drawn  # Latin for drug names and numbers


def test_the_chinese_subsets_leave_the_middle_dot_to_noto_sans():
    """Noto Sans CJK draws · a full em wide: as the footer's separator it pushed the large-print
    footer of a Chinese leaflet off its line. Both subsets leave it to Noto Sans."""
    for name in ("NotoSansSC-Subset-Regular.ttf", "NotoSansSC-Subset-Bold.ttf", "NotoSansTC-Subset-Regular.ttf",
                 "NotoSansTC-Subset-Bold.ttf"):
        assert 0xB7 not in characters((FONTS / name).read_bytes()), name


def test_the_traditional_font_draws_traditional_forms():
    """The TC face is not the SC face with more characters: where Taiwan and mainland China draw a
    character differently (骨 and 角, whose inner strokes differ), the two subsets' outlines differ."""
    from fontTools.ttLib import TTFont

    def outline(style: str, char: str):
        with TTFont(FONTS / f"NotoSans{style}-Subset-Regular.ttf") as font:
            glyph = font["glyf"][font.getBestCmap()[ord(char)]]
            return glyph.getCoordinates(font["glyf"])[0].array.tolist()

    assert outline("SC", "骨") != outline("TC", "骨")


def test_no_font_in_fonts_is_without_its_licence():
    """Each bundled font's family is named in the licence file beside it, with what was changed."""
    from fontTools.ttLib import TTFont

    licences = {"Noto": (FONTS / "OFL.txt").read_text(encoding="utf-8"),
                "DejaVu": (FONTS / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")}
    assert "SIL OPEN FONT LICENSE Version 1.1" in licences["Noto"]
    for path in sorted(FONTS.glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            family = font["name"].getDebugName(1)
        text = licences["DejaVu" if path.name.startswith("DejaVu") else "Noto"]
        assert family.replace(" Bold", "") in text, path.name


# -- the layouts' fonts for each language ----------------------------------------------------------

@pytest.fixture(scope="module")
def layouts():
    world = World()
    project = Project(REPO)
    return world, {name: load_layout(project, name, world) for name in project.layout_names()}


@pytest.mark.parametrize("language", sorted(BODY), ids=str)
def test_every_shipped_layout_sets_each_language_in_its_own_font(layouts, language):
    world, by_name = layouts
    for name, layout in by_name.items():
        assert FontSet.for_layout(layout, world, language).body.name == BODY[language], name


@pytest.mark.parametrize("language", sorted(LATIN_LETTERS), ids=str)
def test_noto_sans_draws_somali_turkish_romanian_and_vietnamese(layouts, language):
    world, by_name = layouts
    for name, layout in by_name.items():
        fonts = FontSet.for_layout(layout, world, language)
        body = family_coverage(fonts.body, world)  # regular, bold, italic and bold italic alike
        assert [c for c in LATIN_LETTERS[language] if ord(c) not in body] == [], name


@pytest.mark.parametrize("code", sorted(set(catalogue_codes())), ids=str)
def test_the_builders_words_in_each_language_are_drawn_by_its_fonts(layouts, code):
    """Every printed word of each catalogue, and dates written by Babel in that language, are drawn
    by the fonts of every shipped layout (the glyph check would stop the build otherwise)."""
    world, by_name = layouts
    for name, layout in by_name.items():
        wording = Wording.for_leaflet(code, dict(layout.date_formats), layout.date_format, world)
        assert not wording.fallback
        text = "".join((*wording.texts(), wording.date(dt.date(2026, 11, 1)), wording.date(dt.date(2029, 9, 30))))
        assert FontSet.for_layout(layout, world, code).missing(text) == [], name


def test_traditional_chinese_is_found_for_taiwan_and_hong_kong(layouts):
    world, by_name = layouts
    layout = by_name["clinic-a4"]
    for tag in ("zh-Hant", "zh-TW", "zh-HK", "zh-MO", "zh-Hant-HK"):
        assert catalogue_for(tag, world).code == "zh-Hant", tag
        assert language_font(layout, tag).name == "NotoSansTC", tag
    assert catalogue_for("zh", world).code == "zh" and load_catalogue("zh").name == "简体中文"
    assert language_font(layout, "zh-CN").name == "NotoSansSC"
    assert catalogue_for("pt-BR", world).code == "pt"  # a region still falls back to its language


# -- catalogues -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", DRAFTS, ids=str)
def test_each_new_catalogue_has_every_word_and_is_marked_a_draft(code):
    catalogue = load_catalogue(code)  # raises when a word is missing or its {names} differ from English's
    data = yaml.safe_load(catalogue.path.read_text(encoding="utf-8"))
    assert set(KEYS) <= set(data)
    assert catalogue.draft and data["draft_translation"] is True
    english = load_catalogue("en").words
    assert [key for key in KEYS if catalogue.words[key] == english[key]] == []  # every word translated
    assert catalogue.name != code  # the language's name in itself


def test_a_catalogue_whose_draft_flag_is_not_true_or_false_is_refused(tmp_path, monkeypatch):
    from handout_builder.inputs import language

    folder = tmp_path / "catalogues"
    folder.mkdir()
    (folder / "en.yaml").write_text((language.CATALOGUES / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "xx.yaml").write_text((language.CATALOGUES / "ro.yaml").read_text(encoding="utf-8")
                                    .replace("draft_translation: true", "draft_translation: maybe"), encoding="utf-8")
    monkeypatch.setattr(language, "CATALOGUES", folder)
    with pytest.raises(language.CatalogueError, match="xx.yaml: draft_translation must be true or false"):
        load_catalogue("xx")


LEAFLET = """\
    title: "{title}"
    version: "1.0"
    reviewed: 2026-11-01
    review_due: 2029-11-01
    language: {language}
    authors: [Ward 7]
    contact: "020 7946 0999"
    sections:
      - heading: "{title}"
        body: |
          {sentence}
    references:
      - id: guide
        authors: [Ward 7 nurses]
        title: Mouth care at home
        publisher: St Brigid's Children's Hospital
        year: 2026
"""

SENTENCES = {
    "so": ("Daryeelka afka", "Cadayga ilkaha ilmahaaga maalintii laba jeer. Wac 020 7946 0999 haddii aad walwalsan tahay."),
    "tr": ("Ağız bakımı", "Çocuğunuzun dişlerini günde iki kez fırçalayın. Endişeleniyorsanız 020 7946 0999 numarasını arayın."),
    "ro": ("Îngrijirea gurii", "Spălați dinții copilului de două ori pe zi. Sunați la 020 7946 0999 dacă vă îngrijorează ceva."),
    "vi": ("Chăm sóc răng miệng", "Hãy chải răng cho con hai lần mỗi ngày. Gọi số 020 7946 0999 nếu quý vị lo lắng."),
}


@pytest.mark.parametrize("language", sorted(SENTENCES), ids=str)
def test_a_latin_script_leaflet_prints_its_words_and_reads_back_exactly(project, language):
    title, sentence = SENTENCES[language]
    project.write("x", LEAFLET.format(title=title, sentence=sentence, language=language))
    result = project.run("build")
    assert result.exit_code == 0, result.stderr
    text = words(" ".join(page_texts(project.pdf("x"))))
    assert sentence in text and title in text
    said = load_catalogue(language).words
    assert said["further_reading"] in text and said["page_of"].format(page=1, pages=2) in text


@pytest.mark.parametrize("language", DRAFTS, ids=str)
def test_a_leaflet_in_a_language_whose_words_are_a_draft_is_warned(project, language):
    project.write("x", LEAFLET.format(title="Mouth care", sentence="Brush teeth twice a day.", language=language))
    code, report = check_json(project, "handouts/x.yaml")
    catalogue = load_catalogue(language)
    warning = (f"the builder's own words in {catalogue.name} ('{catalogue.code}': Key points, References, Page 1 of "
               f"2) are a draft translation awaiting a translator's sign-off; once they are checked, delete "
               f"draft_translation from handout_builder/catalogues/{catalogue.code}.yaml")
    found = [(f["line"], f["level"], f["check"], f["message"]) for f in report["findings"] if f["check"] == "language"]
    assert found == [(5, "warning", "language", warning)]
    assert project.run("check", "--strict", "handouts/x.yaml").exit_code == 1


def test_a_signed_off_catalogue_gives_no_warning(project):
    project.write("x", LEAFLET.format(title="Cuidado de la boca", sentence="Cepille los dientes.", language="es"))
    _, report = check_json(project, "handouts/x.yaml")
    assert [f for f in report["findings"] if f["check"] == "language"] == []


# -- reading level ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["ar", "ur", "fa", "he", "bn", "hi", "pa", "gu", "ta", "zh-Hant", "so", "vi",
                                      "tr", "ro"], ids=str)
def test_a_language_with_no_reading_level_formula_says_so_and_gives_no_number(project, language):
    project.write("x", LEAFLET.format(title="Mouth care", sentence="Brush teeth twice a day.", language=language))
    _, report = check_json(project, "handouts/x.yaml")
    reading = [f for f in report["findings"] if f["check"] == "reading-level"]
    assert [(f["level"], f["field"], f["message"]) for f in reading] == [
        ("note", "language", f"no reading-level formula for language '{language}'; reading level is not measured "
                             "(sentence and paragraph lengths still are)")]
    assert report["reading"]["handouts/x.yaml"]["leaflet"] is None  # no score, for the leaflet or a section
    assert report["reading"]["handouts/x.yaml"]["sections"] == []


@pytest.mark.parametrize("language, sentence, count", [
    ("bn", "কেমোথেরাপি শিশুদের জন্য। এটি দ্বিতীয় বাক্য।", [3, 3]),
    ("pa", "ਕੀਮੋਥੈਰੇਪੀ ਬੱਚਿਆਂ ਲਈ। ਇਹ ਦੂਜਾ ਵਾਕ ਹੈ।", [3, 4]),
    ("hi", "कीमोथेरेपी बच्चों के लिए। यह दूसरा वाक्य है।", [4, 4]),
    ("ur", "کیموتھراپی بچوں کے لیے۔ یہ دوسرا جملہ ہے۔", [4, 4]),
    ("ta", "குழந்தைகளுக்கான கீமோதெரபி. இது இரண்டாவது வாக்கியம்.", [2, 3]),
    ("zh-Hant", "化療可以幫助孩子。這是第二句！", [1, 1]),
])
def test_sentences_and_words_are_counted_in_each_script(language, sentence, count):
    """A danda, the Urdu full stop and Chinese full-width stops end sentences; an Indic vowel sign
    is part of its word, not a break in it (so sentence-length warnings count real words)."""
    from handout_builder.checks.readability import sentences

    assert [s.words for s in sentences(sentence, language)] == count
