"""The leaflet library in a real browser, as a nurse uses it: Debian's Chromium driven by
Playwright, the page opened from file:// as from a shared drive. Typing filters the list, the
filters filter, every link finds its file, the keyboard reaches everything, axe-core finds no
serious or critical violation, nothing is fetched from anywhere else, it works with scripts off,
and printing gives the one-page list. Screenshots at desktop and phone width are kept in the
test's temporary folder (the path is printed)."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import REPO

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PDF_VIEWER = "mhjfbmdgcfjbbpaeojofohoefgiehjai"  # the id of Chromium's built-in PDF viewer
SHIPPED = sorted(path.stem for path in (REPO / "handouts").glob("*.yaml"))
LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.yaml"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

if CHROMIUM is None:
    pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)", allow_module_level=True)
from playwright import sync_api  # noqa: E402  a test dependency (pyproject.toml): missing is an error, not a skip


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, shipped_library):
    """The library open at desktop width, with every request it makes logged."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.requests = []
    opened.errors = []
    opened.on("request", lambda request: opened.requests.append(request.url))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.goto((shipped_library / "index.html").as_uri())
    yield opened
    assert opened.errors == []
    folder = shipped_library.as_uri() + "/"
    assert [url for url in opened.requests if not url.startswith(folder) and not url.startswith("data:")] == []
    context.close()


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(".leaflet:not([hidden]) h2", "els => els.filter(e => e.offsetParent)"
                                     ".map(e => e.textContent)")


def test_typing_a_word_from_a_key_point_finds_the_leaflet(page):
    assert page.locator("#count").inner_text() == f"{len(SHIPPED)} leaflets"
    page.locator("#q").fill("ward")  # "call the ward straight away": a key point of the fever leaflets
    assert visible_titles(page) == ["Fever and infection during chemo", "Fever and infection during chemotherapy"]
    assert page.locator("#count").inner_text() == "2 leaflets found"
    page.locator("#q").fill("easy read")  # a subtitle: the Easy Read version alone
    assert visible_titles(page) == ["Fever and infection during chemo"]
    assert page.locator("#count").inner_text() == "1 leaflet found"
    assert page.locator("#count").get_attribute("role") == "status"
    page.locator("#q").fill("zzzz-nothing")
    assert visible_titles(page) == []
    assert page.locator("#count").inner_text().startswith("No leaflet matches")


def test_an_exact_title_comes_first(page):
    page.locator("#q").fill("chemotherapy")  # the English leaflets; the one whose title starts so first,
    assert visible_titles(page) == ["Chemotherapy for non-rhabdomyosarcoma soft-tissue sarcoma",  # then in a title,
                                    "Fever and infection during chemotherapy",
                                    "Fever and infection during chemo"]  # then in the keywords only
    page.locator("#q").fill("Fever and infection during chemotherapy")
    assert visible_titles(page)[0] == "Fever and infection during chemotherapy"
    page.locator("#q").fill("quimioterapia")  # accents and case do not matter either way
    assert visible_titles(page) == ["Quimioterapia para el sarcoma de tejidos blandos no rabdomiosarcoma"]


def test_the_filters_narrow_by_language_layout_and_review_status(page):
    page.select_option("#language", "es")
    assert visible_titles(page) == ["Quimioterapia para el sarcoma de tejidos blandos no rabdomiosarcoma"]
    page.select_option("#language", "")
    page.select_option("#layout", "large-print")
    shown = page.eval_on_selector_all(".copy", "els => els.filter(e => e.offsetParent).map(e => e.dataset.layout)")
    assert shown == ["large-print"] * len(SHIPPED)
    page.select_option("#layout", "")
    page.select_option("#review", "overdue")  # the fever leaflet and its Easy Read version
    assert visible_titles(page) == ["Fever and infection during chemo", "Fever and infection during chemotherapy"]
    status = page.locator(".leaflet:not([hidden]) .status.overdue")
    assert all("Review overdue" in text for text in status.all_inner_texts())  # the words, not colour alone
    page.select_option("#review", "current")
    assert len(visible_titles(page)) == len(SHIPPED) - 2  # all but the fever leaflets


def test_every_link_finds_its_file_in_the_folder(page, shipped_library):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    files = [href for href in hrefs if "#" not in href]
    assert len(files) == len(LAYOUTS) * len(SHIPPED) + len(SHIPPED)  # every layout's PDF of every leaflet, and its e-mail draft
    for href in files:
        url = urlparse(href)
        assert url.scheme == "file"
        path = Path(unquote(url.path))
        assert path.parent == shipped_library
        assert path.read_bytes().startswith(b"%PDF-" if path.suffix == ".pdf" else b"Subject:") or \
            b"X-Unsent: 1" in path.read_bytes()
    # Following one as a person would: the browser opens (or downloads) the PDF itself.
    link = page.locator('a.pdf[href="fever-and-infection-clinic-a4.pdf"]')
    with page.expect_event("request") as request:
        try:
            link.click()
        except sync_api.Error:
            pass  # a download aborts the navigation; the request was made all the same
    assert request.value.url == (shipped_library / "fever-and-infection-clinic-a4.pdf").as_uri()
    page.wait_for_timeout(500)
    # Chromium shows it in its own built-in PDF viewer, whose files (chrome://, the viewer's
    # extension) are part of the browser, not the web; nothing else may be asked for.
    internal = ("chrome://", f"chrome-extension://{PDF_VIEWER}/")
    assert [url for url in page.requests if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))] == []
    page.requests[:] = [url for url in page.requests if not url.startswith(internal)]


def test_the_keyboard_reaches_the_search_the_filters_and_every_link(page):
    links = page.locator("a[href]").count()
    reached = []
    for _ in range(links + 10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.getAttribute('href')"))
    assert reached[:5] == ["#results", "q", "language", "layout", "review"]
    assert len(set(r for r in reached if r and r.endswith((".pdf", ".eml")))) == links - 1
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # where the focus is can be seen


def test_axe_finds_no_serious_or_critical_violation(browser, shipped_library, tmp_path):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run npm ci in {AXE.parents[2]} (.ci/run does)")
    # The page's Content-Security-Policy allows only its own script: axe is let in for the test.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto((shipped_library / "index.html").as_uri())
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))""")
        assert [v for v in result if v["impact"] in ("serious", "critical")] == [], width
    context.close()


def test_screenshots_at_desktop_and_phone_width(browser, shipped_library, tmp_path):
    for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto((shipped_library / "index.html").as_uri())
        shot = tmp_path / f"library-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # Nothing wider than the screen: no sideways scrolling at a phone's width (or at 200 % zoom).
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        print(f"screenshot: {shot}")
        context.close()


def test_with_scripts_off_the_page_is_the_full_list(browser, shipped_library):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((shipped_library / "index.html").as_uri())
    assert page.locator(".leaflet").count() == len(SHIPPED)
    assert all(page.locator(".leaflet").nth(i).is_visible() for i in range(4))
    assert not page.locator("#find").is_visible()  # a search that cannot work is not offered
    context.close()


def test_printing_gives_a_one_page_list_for_a_notice_board(page, tmp_path):
    page.emulate_media(media="print")
    assert page.locator(".print-list").is_visible() and not page.locator("#results").is_visible()
    rows = page.eval_on_selector_all(".print-list tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(rows) == len(SHIPPED) and any("Español" in row and "1.0" in row and "Up to date" in row for row in rows)
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == 1


def test_leaflet_text_runs_nothing_in_the_browser(browser, project):
    from test_library import SHOWN_TITLE, hostile

    hostile(project)
    assert project.run("build", "-l", "email").exit_code == 0
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((project.root / "build" / "index.html").as_uri())
    page.locator("#q").fill("fever")
    page.locator("h2").first.hover()
    assert page.locator("h2").first.inner_text() == SHOWN_TITLE
    assert page.locator("img").count() == 1  # the page-1 picture, no injected image
    assert dialogs == []
    assert page.locator("#count").inner_text() == "1 leaflet found"
    context.close()
