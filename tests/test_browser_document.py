"""The document header in headless Chromium: one summary line on screen, the rest folded and opened
with the keyboard, everything printed, the title as the page's H1, and no axe violations.

The example site, its server and `open_example` come from tests/browsing.py (clock fixed on the
story day, 2026-12-01).
"""

from __future__ import annotations

import datetime as dt

import pytest

from browsing import axe_report, axe_violations
from chromium import STORY_DAY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROUTINE = "barn-och-unga/rutiner/orosanmalan/"
PROCESS = "barn-och-unga/processer/barn-och-unga/"
EVIDENCE = "evidens/bbic/"

# The rows of the header a reader sees, as a list of their labels.
VISIBLE_LABELS = """() => [...document.querySelectorAll('section.handbok-meta dt')]
  .filter(dt => dt.getClientRects().length > 0 && dt.checkVisibility({contentVisibilityAuto: true}))
  .map(dt => dt.textContent)"""


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_only_the_summary_line_is_shown_before_the_text(open_example, viewport):
    page = open_example(ROUTINE, viewport=viewport)
    panel = page.locator("section.handbok-meta")
    assert panel.locator(".handbok-meta__state .handbok-state").inner_text() == "Aktuell"
    assert page.evaluate(VISIBLE_LABELS) == ["Dokumentägare", "Nästa revision", "Enhet"]
    details = panel.locator("details.handbok-meta__more")
    assert details.get_attribute("open") is None
    assert not panel.get_by_text("Dokumenttyp").is_visible()
    assert not panel.get_by_text("Kunskapsunderlag").is_visible()
    # The summary line: the owner is a link to the owner's page, the days left are written out.
    owner = panel.locator(".handbok-meta__summary a", has_text="Enhetschef barn och unga")
    assert owner.get_attribute("href").endswith("handbok/dokumentagare/enhetschef-barn-och-unga/")
    days = (dt.date.fromisoformat(panel.get_attribute("data-review-by")) - STORY_DAY).days
    assert panel.locator("[data-handbok-days]").inner_text() == f"om {days} dagar"
    # Nothing but the header between the title and the text: the first heading of the text follows it.
    order = page.evaluate("""() => {
      const art = document.querySelector('article');
      const h1 = art.querySelector('h1'), meta = art.querySelector('section.handbok-meta');
      return [h1.textContent.replace('¶', ''), meta.previousElementSibling === h1, meta.nextElementSibling.tagName];
    }""")
    assert order == ["Orosanmälan – mottagande och skyddsbedömning", True, "H2"]


def test_the_h1_is_the_title_in_the_menu(open_example):
    page = open_example(PROCESS)
    h1 = page.locator("article h1")
    assert h1.count() == 1
    active = page.locator(".md-nav__link--active").first.inner_text().strip()
    assert h1.inner_text().strip() == active == "Process – barn och unga, från orosanmälan till uppföljning"


def test_more_opens_with_the_keyboard_and_shows_its_focus(open_example):
    page = open_example(ROUTINE)
    summary = page.locator("section.handbok-meta summary")
    for _ in range(200):  # Tab through the page until the summary has focus
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("”Mer om dokumentet” nås inte med Tab")
    outline = summary.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] != "none" and outline[1] != "0px", outline
    page.keyboard.press("Enter")
    assert page.locator("section.handbok-meta details").get_attribute("open") is not None
    assert page.locator("section.handbok-meta a.handbok-law").first.is_visible()
    assert "Beslutad av" in page.evaluate(VISIBLE_LABELS)
    page.keyboard.press("Enter")
    assert page.locator("section.handbok-meta details").get_attribute("open") is None


def test_print_shows_the_folded_rows_and_short_law_references(open_example):
    page = open_example(ROUTINE)
    page.emulate_media(media="print")
    panel = page.locator("section.handbok-meta")
    assert panel.locator("details").get_attribute("open") is None  # still closed: only the style opens it
    labels = page.evaluate(VISIBLE_LABELS)
    for label in ("Dokumentägare", "Dokumenttyp", "Beslutad av", "Lagrum", "Kunskapsunderlag"):
        assert label in labels, labels
    assert not panel.locator("summary").is_visible()  # the switch means nothing on paper
    law = panel.locator("a.handbok-law").first
    assert law.is_visible()
    assert law.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    # Other links to other hosts keep their address on paper (the evidence entry's own link).
    evidence = open_example(EVIDENCE)
    evidence.emulate_media(media="print")
    other = evidence.locator("section.handbok-meta a[href^='https://www.socialstyrelsen.se/']").first
    assert other.is_visible()
    assert "socialstyrelsen.se" in other.evaluate("a => getComputedStyle(a, '::after').content")


def test_evidence_header_has_the_same_structure(open_example):
    page = open_example(EVIDENCE)
    assert page.evaluate(VISIBLE_LABELS) == ["Ansvarig", "Nästa granskning", "Slag"]
    page.locator("section.handbok-meta summary").click()
    assert "Utgivare" in page.evaluate(VISIBLE_LABELS)


@pytest.mark.parametrize("path", [ROUTINE, PROCESS, EVIDENCE])
def test_header_has_no_axe_violations_closed_or_open(open_example, path):
    page = open_example(path)
    violations = axe_violations(page)
    assert violations == [], axe_report(violations)
    page.locator("section.handbok-meta summary").click()
    violations = axe_violations(page)
    assert violations == [], axe_report(violations)


def test_the_day_phrase_follows_the_readers_clock(open_example):
    due = dt.date.fromisoformat(open_example(ROUTINE).locator("section.handbok-meta").get_attribute("data-review-by"))
    late = open_example(ROUTINE, today=due + dt.timedelta(days=3))
    assert late.locator("section.handbok-meta [data-handbok-days]").inner_text() == "3 dagar sedan"
    assert late.locator("section.handbok-meta .handbok-state").inner_text() == "Revision försenad"
    on_the_day = open_example(ROUTINE, today=due)
    assert on_the_day.locator("section.handbok-meta [data-handbok-days]").inner_text() == "i dag"
