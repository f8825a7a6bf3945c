"""The site shell in headless Chromium: the menu, the skip link, names for assistive technology,
the footer of printed pages and external links (render/page_shell.py, the adapter's on_nav).

The example site, its server and `open_example` come from tests/browsing.py (clock fixed).
"""

from __future__ import annotations

import datetime as dt

import pytest

from browsing import axe_report, axe_violations
from chromium import STORY_DAY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ACCESSIBILITY_PAGES = {
    "startsida": "",
    "rutin": "barn-och-unga/rutiner/orosanmalan/",
    "gemensam rutin": "gemensamt/rutiner/handledning/",
    "process": "barn-och-unga/processer/barn-och-unga/",
    "checklista": "barn-och-unga/checklistor/skyddsbedomning/",
    "revisionsläge": "handbok/revisionslage/",
    "dokumentägare": "handbok/dokumentagare/",
    "en dokumentägare": "handbok/dokumentagare/socialchef/",
    "ansvar per roll": "handbok/ansvar-per-roll/",
    "lagrum": "handbok/lagrum/",
    "enhet": "barn-och-unga/",
    "evidensbibliotek": "evidens/",
    "nytt och ändrat": "handbok/nytt/",
    "per beslutsinstans": "handbok/beslutsinstanser/",
    "täckning": "handbok/tackning/",
    "mina dokument": "handbok/mina-dokument/",
    "apt-lista": "handbok/apt-lista/",
    "åtgärder": "handbok/atgarder/",
    "egenkontroll": "handbok/egenkontroll/",
    "årshjul": "handbok/arshjul/",
    "egenkontrollplan": "kvalitetsarbete/egenkontroll/egenkontrollplan-2026/",
    "kontrollresultat": "kvalitetsarbete/egenkontroll/resultat-bbic-2026-q2/",
    "riskanalys": "kvalitetsarbete/riskanalyser/riskanalys-2026-internkontroll/",
    "sammanställning": "kvalitetsarbete/sammanstallningar/sammanstallning-2026-q3/",
    "årshjulets post": "kvalitetsarbete/arshjul/",
    "mål och resultat": "handbok/mal/",
    "en enhets mål": "handbok/mal/barn-och-unga/",
    "målplan": "kvalitetsarbete/mal/mal-2026/",
    "kvalitetsberättelse": "handbok/kvalitetsberattelse/2026/",
    "kvalitetsberättelser": "handbok/kvalitetsberattelse/",
    "kvalitetsberättelsens text": "kvalitetsarbete/kvalitetsberattelse-2026/",
}


@pytest.mark.parametrize("path", list(ACCESSIBILITY_PAGES.values()), ids=list(ACCESSIBILITY_PAGES))
def test_no_accessibility_violations_of_any_impact(open_example, path):
    violations = axe_violations(open_example(path))
    assert not violations, f"axe-core hittade brister på /{path}:\n{axe_report(violations)}"


def test_the_unit_section_in_the_menu_opens_the_units_start_page(open_example):
    page = open_example("")
    nav = page.locator("nav.md-nav--primary")
    labels = [t.strip() for t in nav.locator(":scope > ul > li > a .md-ellipsis").all_inner_texts()]
    assert labels[-3:] == ["Evidensbibliotek", "Översikter", "Arkiv"]
    assert "Ekonomiskt bistånd" in labels and "Familjerätt" in labels
    nav.get_by_role("link", name="Barn och unga", exact=True).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/barn-och-unga/")
    assert page.locator("h1").inner_text() == "Barn och unga"
    assert "Myndighetsutövning inom den sociala barn- och ungdomsvården" in page.locator("article").inner_text()


def test_the_skip_link_is_first_in_tab_order_and_moves_focus_to_the_content(open_example):
    page = open_example("handbok/revisionslage/")  # no table of contents: Material has no skip link here
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.className]")
    assert focused[0] == "Hoppa till innehållet" and "handbok-skip" in focused[1]
    skip = page.locator("a.handbok-skip")
    page.wait_for_function("() => getComputedStyle(document.querySelector('a.handbok-skip')).opacity === '1'")
    box = skip.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "handbok-innehall"
    page.keyboard.press("Tab")  # the next stop is in the content, past the menu
    assert page.evaluate("() => document.getElementById('handbok-innehall').contains(document.activeElement)")
    # Unfocused, the link is out of sight.
    page.locator("h1").click()
    page.wait_for_function("() => getComputedStyle(document.querySelector('a.handbok-skip')).opacity === '0'")


def test_a_page_with_a_table_of_contents_keeps_materials_skip_link_first(open_example):
    page = open_example("barn-och-unga/rutiner/orosanmalan/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    assert page.locator("a.md-skip").count() == 1


def test_checklist_boxes_and_the_search_dialog_have_names(open_example):
    page = open_example("barn-och-unga/checklistor/skyddsbedomning/")
    first = page.locator("article input[type=checkbox]").first
    assert first.is_disabled()
    box = page.get_by_role("checkbox", name="Finns uppgifter om våld, sexuella övergrepp eller hot mot barnet?")
    assert box.count() == 1
    assert page.locator("div.md-search[role=dialog]").get_attribute("aria-label") == "Sök i handboken"


def test_the_footer_names_no_generator(open_example):
    page = open_example("")
    footer = page.locator("footer.md-footer").inner_text()
    assert "Material for MkDocs" not in footer and "Made with" not in footer


def test_printed_pages_carry_the_readers_date_and_the_valid_address(open_example):
    reader_day = STORY_DAY + dt.timedelta(days=5)
    page = open_example("barn-och-unga/rutiner/orosanmalan/", today=reader_day)
    footer = page.locator(".handbok-print-footer")
    assert not footer.is_visible()  # on screen: nothing
    page.emulate_media(media="print")
    assert footer.is_visible()
    assert footer.inner_text() == (f"Utskriven {reader_day.isoformat()} – utskrifter är inte styrande, gällande "
                                   "version: https://intranat.exempelkommun.se/handbok/barn-och-unga/rutiner/"
                                   "orosanmalan/")
    assert footer.evaluate("el => getComputedStyle(el).position") == "fixed"


def test_external_links_are_marked_for_eyes_and_ears_and_internal_ones_are_not(open_example):
    page = open_example("barn-och-unga/rutiner/orosanmalan/")
    page.locator("article details summary").first.click()
    law = page.locator("article a.handbok-law").first
    assert law.is_visible()
    assert "handbok-external" in (law.get_attribute("class") or "")
    name = law.evaluate("a => a.textContent.replace(/\\s+/g, ' ').trim()")
    assert name.endswith("(extern webbplats)")
    assert page.get_by_role("link", name=name).count() >= 1
    note = law.locator(".handbok-external__note")
    size = note.bounding_box()
    assert size is not None and size["width"] <= 1 and size["height"] <= 1  # read, not seen
    marker = law.evaluate("a => getComputedStyle(a, '::after').content")
    assert "↗" in marker
    internal = page.locator("article a[href^='../']").first
    assert "handbok-external" not in (internal.get_attribute("class") or "")
    assert internal.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal", "")
