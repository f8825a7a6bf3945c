"""The built example handbook in headless Chromium: search, status, filters, print, offline, a11y.

The site, its server and `open_page` come from tests/browsing.py (built once per session, clock
fixed on the story day, requests to other hosts aborted and failing the test).

Chromium comes from the shared `browser` fixture (tests/chromium.py): skipped locally without it,
failed in CI.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from browsing import site_search
from chromium import STORY_DAY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# --- fixtures (tests/browsing.py builds and serves the example once per session) -------------------

@pytest.fixture(scope="session")
def site(example_site) -> Path:
    return example_site


@pytest.fixture(scope="session")
def base_url(example_url):
    return example_url


@pytest.fixture
def open_page(open_example):
    return open_example


# --- search ---------------------------------------------------------------------------------

search = site_search  # tests/browsing.py: the header's search box, as staff use it


def test_inflected_search_finds_the_deviation_routine(open_page):
    results = search(open_page(""), "avvikelser")
    assert "gemensamt/rutiner/avvikelsehantering/" in results[:5], results
    # The repealed predecessor is excluded from search.
    assert not any(r.startswith("arkiv/") for r in results), results


def test_search_by_owner_role_finds_the_owners_document(open_page):
    # Lex Maria is owned by Medicinskt ansvarig sjuksköterska; the role is only in its metadata panel
    # (and so in the page's hidden search terms).
    results = search(open_page(""), "Medicinskt ansvarig sjuksköterska")
    assert "gemensamt/rutiner/lex-maria/" in results, results


def test_search_by_law_abbreviation_finds_documents_citing_it(open_page):
    results = search(open_page(""), "LVU")
    for path in ("barn-och-unga/rutiner/orosanmalan/", "barn-och-unga/processer/barn-och-unga/"):
        assert path in results, results


# --- document pages and client-side status -----------------------------------------------------

def test_overdue_routine_shows_metadata_panel_and_banner(open_page):
    page = open_page("gemensamt/rutiner/handledning/")
    panel = page.locator("section.handbok-meta")
    assert panel.is_visible()
    assert "Dokumentägare" in panel.inner_text() and "Socialchef" in panel.inner_text()
    assert panel.locator(".handbok-state").inner_text() == "Revision försenad"
    banner = page.locator(".handbok-banner")
    assert banner.is_visible()
    assert "handbok-banner--overdue" in banner.get_attribute("class")
    assert "6 dagar sedan" in banner.inner_text()


def test_due_soon_and_current_routines(open_page):
    soon = open_page("gemensamt/rutiner/sip/")
    assert "handbok-banner--due-soon" in soon.locator(".handbok-banner").get_attribute("class")
    assert "om 9 dagar" in soon.locator(".handbok-banner").inner_text()
    current = open_page("barn-och-unga/rutiner/orosanmalan/")
    assert current.locator("section.handbok-meta").is_visible()
    assert current.locator(".handbok-banner").count() == 0
    assert current.locator(".handbok-meta .handbok-state").inner_text() == "Aktuell"


def _review_by(site: Path, path: str) -> dt.date:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<section class="handbok-meta"[^>]*data-review-by="([\d-]+)"', html)
    assert found, f"{path}: inget data-review-by på metadatapanelen"
    return dt.date.fromisoformat(found.group(1))


def test_status_is_recomputed_with_the_readers_clock(open_page, site):
    path = "barn-och-unga/rutiner/orosanmalan/"
    due = _review_by(site, path)
    assert due > STORY_DAY + dt.timedelta(days=30), "testet behöver ett dokument som är aktuellt vid bygget"

    late = open_page(path, today=due + dt.timedelta(days=3))
    assert late.locator("section.handbok-meta").get_attribute("data-handbok-status") == "overdue"
    assert late.locator(".handbok-meta .handbok-state").inner_text() == "Revision försenad"
    banner = late.locator(".handbok-banner")
    assert banner.is_visible() and "handbok-banner--overdue" in banner.get_attribute("class")
    assert "3 dagar sedan" in banner.inner_text()
    # The banner the browser writes names the owner as the built one does, linked to the owner's page.
    owner = late.locator("section.handbok-meta dd[data-handbok-owner] a")
    assert banner.locator("a").get_attribute("href") == owner.get_attribute("href")
    assert f"kontakta {owner.inner_text()} vid frågor" in banner.inner_text()
    built = open_page("gemensamt/rutiner/handledning/").locator(".handbok-banner a")
    assert built.get_attribute("href").endswith("handbok/dokumentagare/socialchef/")

    soon = open_page(path, today=due - dt.timedelta(days=10))
    assert soon.locator(".handbok-meta .handbok-state").inner_text() == "Snart dags för revision"
    assert "om 10 dagar" in soon.locator(".handbok-banner").inner_text()

    # And back: an overdue document read on an earlier day loses its banner.
    early = open_page("gemensamt/rutiner/handledning/", today=dt.date(2026, 6, 1))
    assert early.locator(".handbok-banner").count() == 0
    assert early.locator(".handbok-meta .handbok-state").inner_text() == "Aktuell"


# --- keyboard-only filters ------------------------------------------------------------------------

def tab_to(page, element_id: str, limit: int = 400) -> int:
    """Press Tab until the element with `element_id` has focus; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return presses
    pytest.fail(f"#{element_id} gick inte att nå med Tab ({limit} tryck)")


def choose_with_arrows(page, select_id: str, label: str) -> None:
    """With the select focused, press ArrowDown until `label` is chosen (Chromium changes the
    value of a closed, focused select with the arrow keys and fires change)."""
    options = page.locator(f"#{select_id} option").all_inner_texts()
    assert label in options, options
    current = options.index(page.locator(f"#{select_id} option:checked").inner_text())
    target = options.index(label)
    key = "ArrowDown" if target >= current else "ArrowUp"
    for _ in range(abs(target - current)):
        page.keyboard.press(key)
    assert page.locator(f"#{select_id} option:checked").inner_text() == label


def test_review_overview_filters_with_keyboard_only(open_page):
    page = open_page("handbok/revisionslage/")
    form = page.locator("form.handbok-filter")
    assert form.is_visible(), "handbok.js ska visa filtret"
    rows = page.locator("#handbok-revisionslage tbody tr")
    total = rows.count()
    live = form.locator(".handbok-filter__result")
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text() == f"Visar {total} av {total} dokument."

    tab_to(page, "handbok-revisionslage-data-handbok-status")
    choose_with_arrows(page, "handbok-revisionslage-data-handbok-status", "Revision försenad")
    visible = page.locator("#handbok-revisionslage tbody tr:not([hidden])")
    statuses = visible.evaluate_all("rows => rows.map(r => r.getAttribute('data-handbok-status'))")
    assert statuses == ["overdue"] * 4, statuses  # 3 documents + 1 evidence entry (example_story.yml)
    assert page.locator("#handbok-revisionslage tbody tr[hidden]").count() == total - 4
    assert live.inner_text() == f"Visar 4 av {total} dokument."

    # Shift+Tab back to "Typ" and narrow to routines: the evidence entry disappears.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == "handbok-revisionslage-data-type"
    choose_with_arrows(page, "handbok-revisionslage-data-type", "Rutin")
    titles = visible.locator("th[scope=row]").all_inner_texts()
    assert len(titles) == 3 and not any("alkohol" in t for t in titles), titles
    assert live.inner_text() == f"Visar 3 av {total} dokument."

    choose_with_arrows(page, "handbok-revisionslage-data-type", "Alla")
    page.keyboard.press("Tab")
    choose_with_arrows(page, "handbok-revisionslage-data-handbok-status", "Alla")
    assert live.inner_text() == f"Visar {total} av {total} dokument."


def test_evidence_library_filters_with_keyboard_only(open_page):
    page = open_page("evidens/")
    form = page.locator("form.handbok-filter")
    assert form.is_visible(), "handbok.js ska visa filtret"
    select = form.locator("select[data-filter]").first
    select_id = select.get_attribute("id")
    attribute = select.get_attribute("data-filter")
    target = page.locator("#" + form.get_attribute("data-filter-target"))
    items = target.locator("li[data-filter-item], tbody tr")
    keys = items.evaluate_all("els => els.map(e => e.getAttribute('data-filter-key'))")
    assert all(keys), "varje rad i biblioteket bär sin post (data-filter-key)"
    total = len(set(keys))  # an entry listed under several areas is one post
    assert total < items.count(), "exemplet har poster som står under flera områden"
    live = form.locator(".handbok-filter__result")
    noun = form.get_attribute("data-noun")
    assert noun == "poster"
    assert live.inner_text() == f"Visar {total} av {total} {noun}."
    # The library's own sentence counts the same posts.
    assert f"Biblioteket har {total} poster." in page.locator(".md-content").inner_text()

    values = items.evaluate_all(f"els => els.map(e => e.getAttribute('{attribute}'))")
    options = select.locator("option").all_inner_texts()
    # The option that narrows the list most, so the test sees rows being hidden.
    chosen = min((o for o in options[1:] if any(o in (v or "").split("|") for v in values)),
                 key=lambda o: sum(o in (v or "").split("|") for v in values))
    expected = len({k for k, v in zip(keys, values, strict=True) if chosen in (v or "").split("|")})
    assert 0 < expected < total

    tab_to(page, select_id)
    choose_with_arrows(page, select_id, chosen)
    shown = target.locator("li[data-filter-item]:not([hidden]), tbody tr:not([hidden])")
    assert len(set(shown.evaluate_all("els => els.map(e => e.getAttribute('data-filter-key'))"))) == expected
    assert all(chosen in (v or "").split("|")
               for v in shown.evaluate_all(f"els => els.map(e => e.getAttribute('{attribute}'))"))
    assert live.inner_text() == f"Visar {expected} av {total} {noun}."
    groups = target.locator("[data-filter-group]")
    if groups.count():
        # Headings of groups with nothing left in them are hidden too.
        assert target.locator("[data-filter-group][hidden]").count() > 0


# --- print -------------------------------------------------------------------------------------

def test_print_stylesheet_hides_navigation(open_page):
    page = open_page("gemensamt/rutiner/handledning/")
    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".handbok-meta").is_visible()
    assert page.locator(".handbok-banner").is_visible()


# --- offline ---------------------------------------------------------------------------------------

OFFLINE_PAGES = ["", "gemensamt/rutiner/handledning/", "barn-och-unga/processer/barn-och-unga/",
                 "handbok/revisionslage/", "barn-och-unga/", "evidens/", "evidens/bbic/",
                 "handbok/lagrum/", "handbok/tackning/"]


def test_no_request_leaves_the_local_server(open_page, base_url):
    """Every page and the search index load from the local server only (the intranet has no internet).
    open_page aborts and records foreign requests; this test makes sure each kind of page is visited."""
    for path in OFFLINE_PAGES:
        page = open_page(path)
        page.wait_for_load_state("networkidle")
    search(page, "orosanmälan")
    seen = open_page.requested
    assert any("/handbok/sok/" in url and "/index/" in url for url in seen), seen  # the search index
    assert all(url.startswith(base_url) or url.startswith(("data:", "blob:")) for url in seen), seen


# --- accessibility --------------------------------------------------------------------------------

# axe on every page kind: tests/test_browser_shell.py (ACCESSIBILITY_PAGES).
