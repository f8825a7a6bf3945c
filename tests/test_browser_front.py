"""The start page and the APT list in Chromium: choosing a unit and a date with the keyboard, what
is shown (checked against the example's documents in Python), the choice kept in the address and
remembered across pages, printing, no JavaScript, and axe with zero violations.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browsing import at_noon, axe_report, axe_violations
from chromium import STORY_DAY
from handbok.render import overviews
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from sitebuild import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APT = "handbok/apt-lista/"
UNIT = "Barn och unga"
SINCE = "2026-06-01"


@pytest.fixture(scope="module")
def book():
    found = load_project(ROOT / "mkdocs.yml")
    return reader.load(Path(found.docs_dir), found.settings, STORY_DAY)


def expected_rows(book, unit: str, since: str) -> list[tuple[str, str]]:
    """(date, title) of the documents the APT list must show for `unit` since `since`: the unit's own
    current documents and those of the common units, adopted or changed on or after the date."""
    rows = []
    for doc in book.governed:
        day = overviews.changed_on(doc)
        if doc.status != "gällande" or day is None or day.isoformat() < since:
            continue
        common = doc.unit is None or doc.unit.id in ("gemensamt", "ledning")
        if common or doc.unit.name == unit:
            rows.append((day.isoformat(), doc.title))
    return sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)


def shown_rows(page) -> list[tuple[str, str]]:
    rows = page.locator("#handbok-apt tbody tr:not([hidden])")
    found = [(rows.nth(i).get_attribute("data-changed"), rows.nth(i).locator("th").inner_text().strip())
             for i in range(rows.count())]
    return sorted(found, reverse=True)


def choose_with_keyboard(page, unit: str, since: str) -> None:
    """Tab to the unit select, pick `unit` with the arrow keys, Tab to the date and type it."""
    select = page.locator("#handbok-apt-enhet")
    options = select.locator("option").all_inner_texts()
    select.focus()
    page.keyboard.press("Home")
    for _ in range(options.index(unit)):
        page.keyboard.press("ArrowDown")
    assert select.input_value() == unit
    page.keyboard.press("Tab")
    date = page.locator("#handbok-apt-sedan")
    assert date.evaluate("el => el === document.activeElement")
    # The order of the date's fields follows the browser's language (year-month-day in Swedish,
    # month/day/year in a US English browser): find it with the arrow keys first.
    order = []
    for _ in range(3):
        before = date.input_value().split("-")
        page.keyboard.press("ArrowUp")
        after = date.input_value().split("-")
        page.keyboard.press("ArrowDown")
        order.append(next(i for i in range(3) if before[i] != after[i]))  # 0 year, 1 month, 2 day
        if len(order) < 3:
            page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")  # back to the first field
    page.keyboard.press("ArrowLeft")
    parts = since.split("-")
    for i in order:
        page.keyboard.type(parts[i])
        if i == 0:  # the year field takes more than four digits: move on by hand
            page.keyboard.press("ArrowRight")
    assert date.input_value() == since


def test_apt_unit_and_date_by_keyboard_match_the_documents(open_example, book):
    page = open_example(APT)
    assert page.locator("#handbok-apt-sedan").input_value() == (STORY_DAY - dt.timedelta(days=30)).isoformat()
    choose_with_keyboard(page, UNIT, SINCE)
    expected = expected_rows(book, UNIT, SINCE)
    assert expected
    assert shown_rows(page) == sorted(expected, reverse=True)
    result = page.locator("form.handbok-apt__form .handbok-filter__result").inner_text()
    assert result.startswith(f"Visar {len(expected)} av ")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"enhet": [UNIT], "sedan": [SINCE]}


def test_apt_choice_survives_a_reload_and_is_remembered_on_the_start_page(open_example, book):
    page = open_example(APT)
    choose_with_keyboard(page, "Familjerätt", "2026-05-01")
    before = shown_rows(page)
    assert before == sorted(expected_rows(book, "Familjerätt", "2026-05-01"), reverse=True)
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("#handbok-apt-enhet").input_value() == "Familjerätt"
    assert page.locator("#handbok-apt-sedan").input_value() == "2026-05-01"
    assert shown_rows(page) == before
    front = open_example("")  # same browser context: the unit is remembered ("enhet")
    assert front.locator("#handbok-startsida-enhet").input_value() == "Familjerätt"


def test_the_address_alone_sets_the_list(open_example, book):
    page = open_example(f"{APT}?enhet=Vuxen%20%E2%80%93%20missbruk%20och%20beroende&sedan=2026-04-01")
    unit = "Vuxen – missbruk och beroende"
    assert page.locator("#handbok-apt-enhet").input_value() == unit
    assert shown_rows(page) == sorted(expected_rows(book, unit, "2026-04-01"), reverse=True)


def test_a_status_tile_on_the_start_page_opens_revisionslage_filtered(open_example):
    page = open_example("")
    tile = page.locator('li[data-handbok-count="due-soon"] a.handbok-count__link')
    n = int(tile.locator(".handbok-count__n").inner_text())
    tile.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/handbok/revisionslage/?status=due-soon")
    page.wait_for_load_state("load")
    assert page.locator('button[data-handbok-tile="due-soon"]').get_attribute("aria-pressed") == "true"
    rows = page.locator("#handbok-revisionslage tbody tr:not([hidden])")
    assert rows.count() == n > 0
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.handbokStatus)")) == {"due-soon"}


def test_start_page_news_follow_my_unit(open_example, book):
    page = open_example("")
    since = (STORY_DAY - dt.timedelta(days=30)).isoformat()
    items = page.locator("#handbok-startsida-nytt li[data-filter-item]")
    assert items.count() == len(overviews.recent_changes(book, STORY_DAY - dt.timedelta(days=30)))
    select = page.locator("#handbok-startsida-enhet")
    select.focus()
    options = select.locator("option").all_inner_texts()
    page.keyboard.press("Home")
    for _ in range(options.index("Ekonomiskt bistånd")):
        page.keyboard.press("ArrowDown")
    assert select.input_value() == "Ekonomiskt bistånd"
    visible = page.locator("#handbok-startsida-nytt li[data-filter-item]:not([hidden]) a")
    assert sorted(visible.all_inner_texts()) == sorted(t for _, t in expected_rows(book, "Ekonomiskt bistånd", since))
    apt = open_example(APT)  # the APT list starts with the same unit
    assert apt.locator("#handbok-apt-enhet").input_value() == "Ekonomiskt bistånd"


def test_print_shows_the_choice_and_every_column_but_no_navigation(open_example, book):
    page = open_example(f"{APT}?enhet=Barn%20och%20unga&sedan={SINCE}")
    page.emulate_media(media="print")
    form = page.locator("form.handbok-apt__form")
    assert form.is_visible()
    assert page.locator("#handbok-apt-enhet").is_visible() and page.locator("#handbok-apt-sedan").is_visible()
    assert page.locator("#handbok-apt-enhet").input_value() == UNIT
    assert page.locator("#handbok-apt-sedan").input_value() == SINCE
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert page.locator(selector).count() == 0 or not page.locator(selector).first.is_visible(), selector
    width = page.evaluate("document.documentElement.clientWidth")
    headers = page.locator("#handbok-apt thead th")
    assert headers.all_inner_texts() == ["Dokument", "Typ", "Beslutat/ändrat", "Vad är nytt",
                                         "Genomgånget (signatur)"]
    for i in range(headers.count()):
        box = headers.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (i, box, width)
    hidden = page.locator("#handbok-apt tbody tr[hidden]")
    assert hidden.count() > 0 and not any(hidden.nth(i).is_visible() for i in range(hidden.count()))
    assert len(shown_rows(page)) == len(expected_rows(book, UNIT, SINCE))
    assert page.locator(".handbok-apt-signatures tbody tr").count() == 12
    assert page.locator(".handbok-apt-signatures").is_visible()


def test_without_javascript_the_last_90_days_show(browser, example_url, book):
    context = browser.new_context(java_script_enabled=False, timezone_id="Europe/Stockholm", locale="sv-SE")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(at_noon(STORY_DAY))
        page.goto(example_url + APT)
        since = (STORY_DAY - dt.timedelta(days=90)).isoformat()
        assert page.locator("form.handbok-apt__form").is_hidden()
        assert page.locator("article noscript").count() == 1  # the page's notice (the search box has its own)
        every_unit = sorted(((r["date"].isoformat(), r["doc"].title)
                             for r in overviews.recent_changes(book, dt.date.fromisoformat(since))), reverse=True)
        assert every_unit and shown_rows(page) == every_unit
        assert page.locator("#handbok-apt tbody tr").count() > len(every_unit)  # the older rows are there, hidden
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", APT, f"{APT}?enhet=Barn%20och%20unga&sedan={SINCE}"])
def test_axe_finds_nothing(open_example, path):
    page = open_example(path)
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


@pytest.mark.parametrize("path", ["", f"{APT}?enhet=Barn%20och%20unga&sedan={SINCE}"])
def test_axe_finds_nothing_on_a_phone(open_example, path):
    page = open_example(path, viewport=(390, 844))
    violations = axe_violations(page)
    assert not violations, axe_report(violations)

