"""The built example handbook served to headless Chromium: fixtures for every browser test module.

Registered in conftest.py (pytest_plugins), so the example is built once per session however many
modules use it. The site is built with SOURCE_DATE_EPOCH for 2026-12-01 (the day of
tests/example_story.yml) and served from 127.0.0.1. Every page gets a browser clock fixed at noon
Swedish time, because handbok.js re-evaluates status against the reader's clock. Requests to any
other host are aborted and recorded; a single one fails the test that made it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import chromium
from chromium import STORY_DAY
from sitebuild import build_example

TIMEZONE = "Europe/Stockholm"
# WCAG 2.1 A and AA, and axe's best practices (unique landmarks, one main, headings in order):
# the handbook must show zero violations of any impact (law 2018:1937 asks for WCAG 2.1 AA).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    built = build_example(tmp_path_factory, strict=True, today=STORY_DAY)
    assert built.result.returncode == 0, built.log
    return built.site


@pytest.fixture(scope="session")
def example_url(example_site):
    yield from chromium.serve(example_site)


@pytest.fixture
def open_example(browser, example_url):
    """open_example(path, today=STORY_DAY, viewport=(1280, 900)) -> a Playwright page showing example_url + path.

    The browser's clock is fixed at noon Swedish time on `today` before the page loads.
    Requests to other hosts are aborted; any such request fails the test at teardown.
    """
    local = urlsplit(example_url).netloc
    foreign: list[str] = []
    requested: list[str] = []
    context = browser.new_context(timezone_id=TIMEZONE, locale="sv-SE", viewport={"width": 1280, "height": 900})

    def route(r):
        if urlsplit(r.request.url).netloc == local or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)

    def record(request):
        requested.append(request.url)
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and urlsplit(request.url).netloc != local:
            foreign.append(request.url)

    def _open(path: str, today: dt.date = STORY_DAY, viewport: tuple[int, int] | None = None):
        page = context.new_page()
        if viewport is not None:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        page.on("request", record)
        page.clock.set_fixed_time(at_noon(today))
        page.goto(example_url + path)
        page.wait_for_load_state("load")
        return page

    _open.requested = requested  # every URL any page of this test asked for
    yield _open
    context.close()
    assert not foreign, "Sidan hämtade något från en annan server än den lokala:\n" + "\n".join(sorted(set(foreign)))


SEARCH_RESULTS = "[data-handbok-search-results]"


def site_search(page, query: str) -> list[str]:
    """Open the site search with Material's shortcut ("/"), type `query`, wait for its results; return
    the result pages' site paths ("a/b/"), best first. The hooks: the header's input[type=search] and
    the list [data-handbok-search-results], whose data-state and data-query say what it shows."""
    page.keyboard.press("/")
    box = page.locator("header input[type=search]")
    assert box.evaluate("el => el === document.activeElement"), "”/” ska flytta fokus till sökrutan"
    box.fill(query)
    page.wait_for_function(
        "([sel, q]) => { const l = document.querySelector(sel); "
        "return l.dataset.state === 'done' && l.dataset.query === q; }",
        arg=[SEARCH_RESULTS, query], timeout=20_000)
    hrefs = page.locator(f"{SEARCH_RESULTS} > li a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    return [h.lstrip("/") for h in hrefs]


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now, every impact level."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response["violations"]


def axe_report(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " +
                     "\n    ".join(f"{n['target']}: {n.get('failureSummary', '')}" for n in v["nodes"][:5])
                     for v in violations)
