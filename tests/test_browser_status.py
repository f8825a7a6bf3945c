"""Revisionsläge on one screen, one status everywhere, Mina dokument: the example in headless Chromium.

The site is built on the story day (tests/browsing.py). The reader's clock is then moved 45 days on:
every status, count and day count the browser works out must agree with `handbok check --today <that
day>` run on the same example, which knows nothing of the browser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from browsing import axe_report, axe_violations
from chromium import STORY_DAY
from conftest import ROOT, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LATER = STORY_DAY + dt.timedelta(days=45)
REVIEW = "handbok/revisionslage/"
MINE = "handbok/mina-dokument/"
OWNERS = "handbok/dokumentagare/"
SHORT = {"overdue": "Försenad", "due-soon": "Snart dags", "current": "Aktuell", "draft": "Utkast",
         "repealed": "Upphävd"}
LABELS = {"overdue": "Revision försenad", "due-soon": "Snart dags för revision", "current": "Aktuell"}
NO_OWNER = "Dokumentägare saknas"


# --- what `handbok check` says on the later day ------------------------------------------------------

@pytest.fixture(scope="module")
def check_later() -> dict[str, tuple[str, int, str | None]]:
    """Docs-relative path -> (overdue | due-soon, days late or left, owner) from `handbok check --today LATER`."""
    result = run_cli("check", "--today", LATER.isoformat(), "--format", "json", cwd=ROOT)
    data = json.loads(result.stdout)
    assert data["today"] == LATER.isoformat()
    found: dict[str, tuple[str, int, str | None]] = {}
    for problem in data["problems"]:
        if problem["code"] not in ("overdue", "due-soon"):
            continue
        days = problem["days"]
        # The message says the same day count in words.
        phrase = (f"{days} {'dag' if days == 1 else 'dagar'} sedan" if problem["code"] == "overdue"
                  else ("i dag" if days == 0 else f"om {days} {'dag' if days == 1 else 'dagar'}"))
        assert phrase in problem["message"], problem
        found[problem["path"]] = (problem["code"], days, problem.get("owner"))
    assert {"overdue", "due-soon"} <= {state for state, _, _ in found.values()}, "the later day needs both states"
    return found


def site_path(url: str) -> str:
    """The docs-relative source path of a page URL of the example ('a/b/' -> 'a/b.md')."""
    path = urlsplit(url).path.lstrip("/")
    return path.rstrip("/") + ".md" if path else "index.md"


def rows_of(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all("""rows => rows.map(r => ({
        href: r.querySelector('th[scope=row] a') ? r.querySelector('th[scope=row] a').href : null,
        state: r.getAttribute('data-handbok-status'),
        built: r.getAttribute('data-handbok-built'),
        pill: r.querySelector('.handbok-state').textContent,
        owner: r.getAttribute('data-owner'),
        type: r.getAttribute('data-type'),
        reviewBy: r.getAttribute('data-review-by'),
        hidden: r.hidden,
        cells: Array.from(r.cells).map(c => c.innerText.trim()),
    }))""")


def tile_counts(page, selector: str = "ul.handbok-counts") -> dict[str, int]:
    tiles = page.locator(selector).first.locator("[data-handbok-count]")
    return {state: int(n) for state, n in tiles.evaluate_all(
        "ts => ts.map(t => [t.getAttribute('data-handbok-count'), t.querySelector('.handbok-count__n').textContent])")}


def expected_row(row: dict, checked: dict) -> tuple[str, str]:
    """(state, pill text) a row must show on the later day, from the check's problems."""
    path = site_path(row["href"])
    if path in checked:
        state, days, _ = checked[path]
        return state, f"{SHORT[state]} ({days} d)" if state == "overdue" else f"{SHORT[state]} (om {days} d)"
    assert row["built"] in ("current", "draft", "repealed"), (path, row)  # time only moves on
    return row["built"], SHORT[row["built"]]


# --- Revisionsläge: layout --------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", [(1366, 900), (1920, 1080), (390, 844)], ids=["1366", "1920", "390"])
def test_the_status_column_is_on_screen(open_example, viewport):
    page = open_example(REVIEW, viewport=viewport)
    width = viewport[0]
    headers = page.locator("#handbok-revisionslage thead th").all_inner_texts()
    assert [h.strip() for h in headers] == ["Status", "Nästa revision", "Dokument", "Typ", "Dokumentägare", "Enhet"]
    status = page.locator("#handbok-revisionslage thead th").first.bounding_box()
    first_pill = page.locator("#handbok-revisionslage tbody tr .handbok-state").first.bounding_box()
    for box in (status, first_pill):
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= width, (box, width)
    wrap = page.locator(".handbok-review")
    scroll, client = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    if width >= 1366:
        # Every column fits: nothing to scroll to, and every cell but the title keeps to one line.
        assert scroll <= client, (scroll, client)
        lines = page.locator("#handbok-revisionslage tbody td").evaluate_all("""cells => cells.map(c => {
            // The lines of text in the cell: text boxes whose tops differ by more than half a line.
            const tops = [], walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const range = document.createRange(); range.selectNodeContents(walker.currentNode);
              for (const r of range.getClientRects()) { if (r.width > 0) tops.push(r.top); }
            }
            const half = parseFloat(getComputedStyle(c).lineHeight) / 2;
            return tops.filter((t, i) => tops.findIndex(u => Math.abs(u - t) < half) === i).length; })""")
        assert max(lines) == 1, lines
        last = page.locator("#handbok-revisionslage thead th").last.bounding_box()
        assert last["x"] + last["width"] <= width
    else:
        # A phone: each document is a card, nothing to scroll sideways to, the title on screen, the
        # other cells named by their column; the header row stays as sort buttons.
        assert scroll <= client, (scroll, client)
        title = page.locator("#handbok-revisionslage tbody th a").first.bounding_box()
        assert title["x"] >= 0 and title["x"] + title["width"] <= width, title
        label = page.locator("#handbok-revisionslage tbody td[data-label='Dokumentägare']").first.evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert "Dokumentägare" in label
        assert page.locator("#handbok-revisionslage thead button.handbok-sort").first.is_visible()
        page.locator('button[data-handbok-tile="overdue"]').click()
        shown = page.locator("#handbok-revisionslage tbody tr").evaluate_all(
            "rows => rows.filter(r => r.getBoundingClientRect().height > 0).map(r => r.dataset.handbokStatus)")
        assert shown and set(shown) == {"overdue"}  # a hidden card takes no room
    # The scroll area can be reached with the keyboard.
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label")


def test_print_is_landscape_with_every_column_and_no_filters(open_example):
    page = open_example(REVIEW)
    page.emulate_media(media="print")
    assert not page.locator("form.handbok-filter").is_visible()
    assert not page.locator("[data-handbok-csv]").is_visible()
    assert page.locator("#handbok-revisionslage thead th").evaluate_all(
        "ths => ths.every(th => th.getBoundingClientRect().width > 0)")
    assert page.evaluate("() => getComputedStyle(document.body).page") == "handbok-landscape"
    # The named page is landscape: every printed page is wider than high, the first one too.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", page.pdf(prefer_css_page_size=True))
    assert boxes and all(float(w) > float(h) for w, h in boxes), boxes
    # Other pages print as before (portrait).
    other = open_example("gemensamt/rutiner/handledning/")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", other.pdf(prefer_css_page_size=True))
    assert boxes and all(float(w) < float(h) for w, h in boxes), boxes


# --- Revisionsläge: sorting, tiles, the address, CSV ---------------------------------------------------

def test_sorting_by_a_column_header_with_the_keyboard(open_example):
    page = open_example(REVIEW)
    headers = page.locator("#handbok-revisionslage thead th")
    assert headers.nth(0).get_attribute("aria-sort") == "ascending"  # overdue first, as built
    title_cells = page.locator("#handbok-revisionslage tbody th[scope=row]")
    before = title_cells.all_inner_texts()
    button = headers.nth(2).locator("button")
    assert button.inner_text().strip() == "Dokument"
    button.focus()
    page.keyboard.press("Enter")
    assert headers.nth(2).get_attribute("aria-sort") == "ascending"
    assert headers.nth(0).get_attribute("aria-sort") is None
    ascending = title_cells.all_inner_texts()
    assert ascending != before
    # Swedish order: å, ä, ö after z, as localeCompare("sv") puts them.
    assert page.evaluate("titles => titles.every((t, i) => i === 0 || titles[i - 1].localeCompare(t, 'sv') <= 0)",
                         ascending)
    page.keyboard.press("Enter")
    assert headers.nth(2).get_attribute("aria-sort") == "descending"
    assert title_cells.all_inner_texts() == list(reversed(ascending))
    # Back to status: overdue, due soon, current, draft, repealed, each by date.
    headers.nth(0).locator("button").focus()
    page.keyboard.press("Enter")
    rows = rows_of(page, "#handbok-revisionslage tbody tr")
    order = ["overdue", "due-soon", "current", "draft", "repealed"]
    keys = [(order.index(r["state"]), r["reviewBy"] or "9999") for r in rows]
    assert keys == sorted(keys)


def test_tiles_filter_by_status_and_the_filter_survives_a_reload(open_example):
    page = open_example(REVIEW)
    total = page.locator("#handbok-revisionslage tbody tr").count()
    tile = page.locator('ul.handbok-counts button[data-handbok-tile="overdue"]')
    assert tile.get_attribute("aria-pressed") == "false"
    tile.focus()
    page.keyboard.press("Enter")
    assert tile.get_attribute("aria-pressed") == "true"
    assert parse_qs(urlsplit(page.url).query) == {"status": ["overdue"]}
    overdue = tile_counts(page)["overdue"]
    live = page.locator(".handbok-filter__result")
    assert live.inner_text() == f"Visar {overdue} av {total} dokument."

    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("#handbok-revisionslage-data-handbok-status").input_value() == "overdue"
    assert page.locator('button[data-handbok-tile="overdue"]').get_attribute("aria-pressed") == "true"
    shown = [r for r in rows_of(page, "#handbok-revisionslage tbody tr") if not r["hidden"]]
    assert len(shown) == overdue and {r["state"] for r in shown} == {"overdue"}
    assert page.locator(".handbok-filter__result").inner_text() == f"Visar {overdue} av {total} dokument."
    # A second press lets every row back in, and the address forgets the filter.
    page.locator('button[data-handbok-tile="overdue"]').click()
    assert urlsplit(page.url).query == ""
    assert page.locator("#handbok-revisionslage tbody tr:not([hidden])").count() == total


def test_an_opened_link_with_filters_shows_them(open_example):
    page = open_example(REVIEW + "?agare=Socialchef&typ=Rutin")
    assert page.locator("#handbok-revisionslage-data-owner").input_value() == "Socialchef"
    assert page.locator("#handbok-revisionslage-data-type").input_value() == "Rutin"
    shown = [r for r in rows_of(page, "#handbok-revisionslage tbody tr") if not r["hidden"]]
    assert shown and all(r["owner"] == "Socialchef" and r["type"] == "Rutin" for r in shown)


def test_csv_download_is_the_rows_shown(open_example):
    page = open_example(REVIEW + "?typ=Rutin")
    shown = [r for r in rows_of(page, "#handbok-revisionslage tbody tr") if not r["hidden"]]
    headers = [h.strip() for h in page.locator("#handbok-revisionslage thead th").all_inner_texts()]
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner CSV").click()
    download = info.value
    assert download.suggested_filename == f"revisionslage-{STORY_DAY.isoformat()}.csv"
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == ""
    table = [line.split(";") for line in lines[:-1]]
    assert table[0] == headers
    assert table[1:] == [r["cells"] for r in shown]
    assert len(table) - 1 == len(shown) < page.locator("#handbok-revisionslage tbody tr").count()
    assert all(row[0].startswith(("Försenad", "Snart dags", "Aktuell", "Utkast", "Upphävd")) for row in table[1:])


# --- one status everywhere, on a later day -------------------------------------------------------------

def test_revisionslage_agrees_with_handbok_check_on_a_later_day(open_example, check_later):
    page = open_example(REVIEW, today=LATER)
    rows = rows_of(page, "#handbok-revisionslage tbody tr")
    for row in rows:
        state, pill = expected_row(row, check_later)
        assert (row["state"], row["pill"]) == (state, pill), site_path(row["href"])
    counts = Counter(r["state"] for r in rows)
    assert tile_counts(page) == {s: counts.get(s, 0) for s in SHORT}
    assert counts["overdue"] == sum(1 for s, _, _ in check_later.values() if s == "overdue")
    assert counts["due-soon"] == sum(1 for s, _, _ in check_later.values() if s == "due-soon")
    # Overdue first with the reader's date.
    order = ["overdue", "due-soon", "current", "draft", "repealed"]
    assert [order.index(r["state"]) for r in rows] == sorted(order.index(r["state"]) for r in rows)
    # The status filter follows the state worked out in the browser.
    page.locator("#handbok-revisionslage-data-handbok-status").select_option("overdue")
    assert page.locator(".handbok-filter__result").inner_text() == (
        f"Visar {counts['overdue']} av {len(rows)} dokument.")


def test_document_pages_agree_with_handbok_check_on_a_later_day(open_example, check_later):
    review = open_example(REVIEW, today=LATER)
    rows = rows_of(review, "#handbok-revisionslage tbody tr")
    routines = [r for r in rows if r["type"] == "Rutin"]
    late = next(r for r in routines if check_later.get(site_path(r["href"]), ("",))[0] == "overdue"
                and r["built"] == "current")  # current when built, overdue when read
    current = next(r for r in routines if site_path(r["href"]) not in check_later and r["built"] == "current"
                   and r["reviewBy"])
    base = review.url.split(REVIEW)[0]

    state, days, _ = check_later[site_path(late["href"])]
    page = open_example(late["href"].removeprefix(base), today=LATER)
    panel = page.locator("section.handbok-meta")
    assert panel.get_attribute("data-handbok-status") == "overdue"
    assert panel.locator(".handbok-state").first.inner_text() == LABELS["overdue"]
    banner = page.locator(".handbok-banner")
    assert banner.is_visible() and "handbok-banner--overdue" in banner.get_attribute("class")
    assert f"({days} {'dag' if days == 1 else 'dagar'} sedan)" in banner.inner_text()
    for phrase in panel.locator("[data-handbok-days]").all_inner_texts():
        assert phrase == f"{days} {'dag' if days == 1 else 'dagar'} sedan"

    # Overdue when built and still overdue: the banner's day count is the reader's, not the build's.
    still = next(r for r in routines if r["built"] == "overdue")
    state, days, _ = check_later[site_path(still["href"])]
    page = open_example(still["href"].removeprefix(base), today=LATER)
    assert state == "overdue" and page.locator("section.handbok-meta").get_attribute("data-handbok-status") == state
    banner = page.locator(".handbok-banner").inner_text()
    assert f"({days} dagar sedan)" in banner and banner.count("sedan)") == 1, banner

    page = open_example(current["href"].removeprefix(base), today=LATER)
    panel = page.locator("section.handbok-meta")
    assert panel.get_attribute("data-handbok-status") == "current"
    assert panel.locator(".handbok-state").first.inner_text() == LABELS["current"]
    assert page.locator(".handbok-banner").count() == 0
    left = (dt.date.fromisoformat(current["reviewBy"]) - LATER).days
    for phrase in panel.locator("[data-handbok-days]").all_inner_texts():
        assert phrase == f"om {left} {'dag' if left == 1 else 'dagar'}"


def _owner_expected(check_later, owner: str) -> Counter:
    return Counter(state for state, _, who in check_later.values() if (who or NO_OWNER) == owner)


def test_owner_index_and_an_owner_page_agree_with_handbok_check_on_a_later_day(open_example, check_later):
    index = open_example(OWNERS, today=LATER)
    rows = index.locator("tbody tr[data-handbok-dates]").evaluate_all("""rows => rows.map(r => ({
        owner: r.cells[0].innerText.trim(), href: r.querySelector('a') && r.querySelector('a').href,
        total: +r.cells[1].innerText, overdue: +r.cells[2].innerText, soon: +r.cells[3].innerText}))""")
    assert rows
    for row in rows:
        expected = _owner_expected(check_later, row["owner"])
        assert (row["overdue"], row["soon"]) == (expected["overdue"], expected["due-soon"]), row["owner"]
    keys = [(-r["overdue"], -r["soon"]) for r in rows]
    assert keys == sorted(keys), "owners with overdue documents first"

    # The owner with the most documents late or due: their own page says the same.
    row = max(rows, key=lambda r: (r["overdue"] + r["soon"], r["total"]))
    expected = _owner_expected(check_later, row["owner"])
    base = index.url.split(OWNERS)[0]
    page = open_example(row["href"].removeprefix(base), today=LATER)
    summary = page.locator("[data-handbok-summary]").inner_text()
    sentence = f"{row['total']} dokument"
    sentence += f", {expected['overdue']} försenade" if expected["overdue"] else ""
    sentence += f", {expected['due-soon']} snart dags" if expected["due-soon"] else ""
    assert summary.startswith(sentence + ". "), summary
    table_rows = rows_of(page, ".handbok-review tbody tr")
    assert len(table_rows) == row["total"]
    for table_row in table_rows:
        assert (table_row["state"], table_row["pill"]) == expected_row(table_row, check_later)
    counts = Counter(r["state"] for r in table_rows)
    assert tile_counts(page) == {s: counts.get(s, 0) for s in SHORT}
    assert (counts["overdue"], counts["due-soon"]) == (expected["overdue"], expected["due-soon"])


def test_a_unit_page_and_the_overview_index_agree_with_handbok_check_on_a_later_day(open_example, check_later):
    units = open_example("handbok/enheter/", today=LATER)
    link = units.locator("main a", has_text="Barn och unga").first
    base = units.url.split("handbok/enheter/")[0]
    page = open_example(link.evaluate("a => a.href").removeprefix(base), today=LATER)
    items = page.locator("li[data-review-by][data-handbok-status]").evaluate_all("""lis => lis.map(li => ({
        href: li.querySelector('a').href, state: li.getAttribute('data-handbok-status'),
        built: li.getAttribute('data-handbok-built'), label: li.querySelector('.handbok-state').textContent}))""")
    assert items
    expected = Counter()
    for item in items:
        path = site_path(item["href"])
        state = check_later[path][0] if path in check_later else item["built"]
        assert (item["state"], item["label"]) == (state, {**LABELS, "draft": "Utkast"}[state]), path
        expected[state] += 1
    assert tile_counts(page) == {s: expected.get(s, 0) for s in SHORT}

    overview = open_example("handbok/", today=LATER)
    tiles = tile_counts(overview)
    assert tiles["overdue"] == sum(1 for s, _, _ in check_later.values() if s == "overdue")
    assert tiles["due-soon"] == sum(1 for s, _, _ in check_later.values() if s == "due-soon")


# --- Mina dokument -----------------------------------------------------------------------------------

def test_mina_dokument_remembers_the_role_and_shows_only_its_documents(open_example):
    page = open_example(MINE)
    live = page.locator(".handbok-filter__result")
    total = page.locator("#handbok-mina-dokument tbody tr").count()
    assert live.inner_text() == f"Välj din roll för att bara se dina dokument. Visar {total} av {total} dokument."
    select = page.get_by_label("Min roll")
    roles = select.locator("option").all_inner_texts()[1:]
    assert "Socialchef" in roles and len(roles) == len(set(roles))
    select.select_option("Socialchef")
    mine = [r for r in rows_of(page, "#handbok-mina-dokument tbody tr") if not r["hidden"]]
    assert mine and {r["owner"] for r in mine} == {"Socialchef"}
    assert live.inner_text() == f"Visar {len(mine)} av {total} dokument."
    assert parse_qs(urlsplit(page.url).query) == {"roll": ["Socialchef"]}
    assert Counter(r["state"] for r in mine) == Counter(
        {s: n for s, n in tile_counts(page).items() if n})  # the tiles count that role's documents

    # A new visit without the address: the choice is remembered in the browser.
    again = open_example(MINE)
    assert again.get_by_label("Min roll").input_value() == "Socialchef"
    shown = [r for r in rows_of(again, "#handbok-mina-dokument tbody tr") if not r["hidden"]]
    assert [r["href"] for r in shown] == [r["href"] for r in mine]
    again.reload()
    assert again.get_by_label("Min roll").input_value() == "Socialchef"
    # Overdue first.
    order = ["overdue", "due-soon", "current", "draft", "repealed"]
    assert [order.index(r["state"]) for r in shown] == sorted(order.index(r["state"]) for r in shown)


# --- accessibility -----------------------------------------------------------------------------------

# Every page kind as it opens: tests/test_browser_shell.py. Here the states a reader's choices leave.

@pytest.mark.parametrize("path", [REVIEW, MINE + "?roll=Socialchef"], ids=["revisionsläge filtrerat", "mina dokument"])
def test_no_accessibility_violations_after_a_choice(open_example, path):
    page = open_example(path)
    if path == REVIEW:
        page.locator('button[data-handbok-tile="due-soon"]').click()  # a pressed tile, a filtered table
    violations = axe_violations(page)
    assert not violations, f"axe-core hittade brister på /{path}:\n{axe_report(violations)}"


@pytest.mark.parametrize("path", [REVIEW, OWNERS + "socialchef/"], ids=["revisionsläge", "en dokumentägare"])
def test_no_accessibility_violations_on_a_phone(open_example, path):
    page = open_example(path, viewport=(390, 844))  # the review table as cards
    violations = axe_violations(page)
    assert not violations, f"axe-core hittade brister på /{path} (390 px):\n{axe_report(violations)}"
