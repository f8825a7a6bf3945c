"""The version history in headless Chromium: axe on each page kind, the keyboard, 400 % zoom and print.

The site is built from the temporary git repository of tests/githistory.py (three adopted versions).
"""

from __future__ import annotations

import pytest

import chromium
from browsing import axe_report, axe_violations
from githistory import three_adoptions
from sitebuild import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {"dokumentet": "rutiner/oro/", "vad ändrades": "rutiner/oro-versioner/",
         "upphävd version": "rutiner/oro-version-1/"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    built = build(three_adoptions(tmp_path_factory.mktemp("browser-history") / "repo"), strict=True)
    assert built.result.returncode == 0, built.log
    yield from chromium.serve(built.site)


@pytest.fixture
def open_page(browser, site_url):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    context.on("request", lambda request: None if request.url.startswith((site_url, "data:", "blob:"))
               else foreign.append(request.url))

    def _open(path: str, viewport: tuple[int, int] | None = None):
        page = context.new_page()
        if viewport:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        return page

    yield _open
    context.close()
    assert not foreign, foreign


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_accessibility_violations_of_any_impact(open_page, path):
    violations = axe_violations(open_page(path))
    assert not violations, f"axe-core hittade brister på /{path}:\n{axe_report(violations)}"


def test_the_editorial_changes_open_from_the_keyboard(open_page):
    page = open_page(PAGES["dokumentet"])
    summary = page.locator("details.handbok-edits > summary")
    assert not page.locator("details.handbok-edits").evaluate("d => d.open")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.handbok-edits").evaluate("d => d.open")
    assert page.get_by_text("Tog bort länk").is_visible()


def test_the_changes_fit_at_400_percent_zoom(open_page):
    # 1280 px at 400 % is a 320 px wide viewport (WCAG 1.4.10 reflow).
    page = open_page(PAGES["vad ändrades"], viewport=(320, 256))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    diff = page.locator(".handbok-diff").first
    assert diff.evaluate("d => d.scrollWidth <= d.clientWidth + 1")


def test_inserted_and_deleted_words_are_not_told_by_colour_alone(open_page):
    page = open_page(PAGES["vad ändrades"])
    styles = page.evaluate("""() => ['ins', 'del'].map(tag => {
        const el = document.querySelector('.handbok-diff ' + tag);
        return getComputedStyle(el).textDecorationLine; })""")
    assert styles == ["underline", "line-through"]
    page.emulate_media(media="print")
    printed = page.locator(".handbok-diff ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert printed == "underline"


def test_the_superseded_banner_prints(open_page):
    page = open_page(PAGES["upphävd version"])
    page.emulate_media(media="print")
    banner = page.locator(".handbok-banner--superseded")
    assert banner.is_visible() and banner.inner_text().startswith("Upphävd version – gäller inte.")
