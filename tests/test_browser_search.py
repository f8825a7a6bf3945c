"""The site search in headless Chromium, as staff use it: the header's search box on the built
example handbook, served from 127.0.0.1 (tests/browsing.py: any request to another host fails the
test). The expected documents are found from the handbook's own data where a query names a fact
(a law, an owner), and named by path where the query is a word staff type for a routine."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browsing import SEARCH_RESULTS as RESULTS
from browsing import axe_report, axe_violations, site_search
from handbok.core.dates import resolve_today
from handbok.core.settings import settings_from_options
from handbok.source import reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


def search(page, query: str) -> list[str]:
    """The result pages' site paths without the trailing slash, best first (browsing.site_search)."""
    return [path.rstrip("/") for path in site_search(page, query)]


@pytest.fixture(scope="module")
def book():
    settings = settings_from_options({"roles_file": "registry/roles.yml", "units_file": "registry/units.yml",
                                      "synonyms_file": "registry/synonymer.yml"}, ROOT)
    return reader.load(ROOT / "handbook", settings, resolve_today("2026-12-01"))


def page_of(path: str) -> str:
    """The site address (directory URLs) of a source path."""
    return path.removesuffix(".md").removesuffix("/index")


@pytest.mark.parametrize(("query", "expected"), [
    ("orosanmälan", "barn-och-unga/rutiner/orosanmalan"),
    ("orosanmälningar", "barn-och-unga/rutiner/orosanmalan"),  # a form the stemmer cannot reach: synonyms
    ("orosanmalan", "barn-och-unga/rutiner/orosanmalan"),      # typed without å, ä, ö
    ("hembesök", "barn-och-unga/rutiner/hembesok"),
    ("lex sarah", "gemensamt/rutiner/lex-sarah-"),  # any of the three lex Sarah routines
    ("försörjningsstöd", "ekonomiskt-bistand/riktlinjer/ekonomiskt-bistand"),  # the title says "ekonomiskt bistånd"
    ("våld i nära relationer", "vuxen/rutiner/vald-i-nara-relationer"),        # "i" does not rank pages
    ("barnsamtal", "barn-och-unga/rutiner/utredning"),                         # a keyword of the BBIC routine
    ("revisionsläge", "handbok/revisionslage"),                                # an overview page by its name
    ("täckning", "handbok/tackning"),
    ("lagrum", "handbok/lagrum"),                                              # by another name for it
])
def test_staff_find_the_intended_document_in_the_top_three(open_example, query, expected):
    found = search(open_example(""), query)
    assert any(f == expected or expected.endswith("-") and f.startswith(expected) for f in found[:3]), found[:5]


def test_a_law_abbreviation_finds_the_documents_citing_it(open_example, book):
    citing = {page_of(d.path) for d in book.documents if any(ref.act.abbreviation == "LVU" for ref in d.legal)}
    found = search(open_example(""), "LVU")
    assert citing and set(found[:3]) <= citing, found[:5]


def test_an_owner_role_finds_the_owners_page_first(open_example, book):
    role = "Enhetschef barn och unga"
    assert any(d.owner and d.owner.role == role for d in book.documents)
    found = search(open_example(""), role)
    assert "handbok/dokumentagare/enhetschef-barn-och-unga" in found[:3], found[:5]


def test_a_compound_is_found_by_its_last_part(open_example):
    # "anmälan" is indexed as a part of "Orosanmälan" (core.synonyms.split); the stemmer alone misses it.
    assert "barn-och-unga/rutiner/orosanmalan" in search(open_example(""), "anmälan")


def test_a_repealed_document_and_superseded_versions_are_not_returned(open_example, book):
    repealed = [page_of(d.path) for d in book.documents if d.state == "repealed"]
    assert repealed
    found = search(open_example(""), "avvikelsehantering")
    assert found and not set(found) & set(repealed), found
    assert "gemensamt/rutiner/avvikelsehantering" in found[:3]
    assert not [f for f in found if "-version-" in f or f.endswith("-versioner")]


def test_a_filter_narrows_the_results_and_says_so(open_example):
    page = open_example("")
    everything = search(page, "rutin")
    select = page.locator("select[data-filter='Enhet']")
    select.wait_for()
    select.select_option(value="Familjerätt")
    page.wait_for_function(
        "sel => document.querySelector(sel).dataset.state === 'done'", arg=RESULTS, timeout=20_000)
    page.wait_for_function(
        "() => /med de valda filtren/.test(document.getElementById('handbok-search-status').textContent)")
    narrowed = page.locator(f"{RESULTS} > li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert 0 < len(narrowed) < len(everything)
    assert all(h.strip("/").startswith("familjeratt/") for h in narrowed), narrowed
    facts = page.locator(f"{RESULTS} .handbok-search__facts").all_inner_texts()
    assert facts and all("Familjerätt" in f for f in facts)


def test_snippets_show_the_text_not_labels_or_search_terms(open_example):
    page = open_example("")
    search(page, "orosanmälningar")
    snippets = page.locator(f"{RESULTS} .handbok-search__excerpt").all_inner_texts()
    assert snippets
    for text in snippets:
        assert "⁂" not in text and "Revisionen är försenad" not in text and "Dokumentägare" not in text, text


def test_the_search_works_with_the_keyboard_alone(open_example):
    page = open_example("")
    search(page, "orosanmälan")
    page.keyboard.press("ArrowDown")
    first = page.locator(f"{RESULTS} > li a").first
    assert first.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowDown")
    assert page.locator(f"{RESULTS} > li a").nth(1).evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.locator("header input[type=search]").evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    href = first.get_attribute("href")
    page.keyboard.press("/")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def test_on_a_narrow_screen_the_header_button_opens_the_search(open_example):
    page = open_example("", viewport=(320, 640))  # 1280 px at 400 % zoom
    button = page.locator("header button.handbok-search__open")
    button.focus()
    page.keyboard.press("Enter")
    box = page.locator("header input[type=search]")
    assert box.is_visible() and box.evaluate("el => el === document.activeElement")


def test_the_open_search_has_no_accessibility_violations(open_example):
    page = open_example("")
    search(page, "orosanmälan")
    page.locator("select[data-filter='Enhet']").wait_for()
    violations = axe_violations(page)
    assert violations == [], axe_report(violations)


def test_the_index_is_fetched_in_pieces_from_the_site_itself(open_example, example_site):
    page = open_example("")
    search(page, "orosanmälan")
    bundle = [urlsplit(u).path for u in open_example.requested if "/handbok/sok/" in u]
    assert any(p.endswith("/pagefind.js") for p in bundle) and any("/index/" in p for p in bundle)
    on_disk = list((example_site / "handbok" / "sok" / "fragment").glob("*.pf_fragment"))
    fragments = [p for p in bundle if "/fragment/" in p]
    assert 0 < len(fragments) < len(on_disk)  # only the results' own texts, not every page's
