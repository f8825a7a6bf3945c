"""The start page as a front door: the macro handbok_startsida() on the example's index.md and on
fixture handbooks (the author's "vanliga", unknown entries, hostile titles, no list at all).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from chromium import STORY_DAY
from handbok.render import overviews
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from sitebuild import ROOT, build_example, build_site, content, find, find_all, links, resolve, text_of

HOSTILE = "<script>alert(1)</script>"
HOSTILE_UNIT = '"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    built = build_example(tmp_path_factory, strict=True, today=STORY_DAY)
    assert built.result.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def example_book():
    found = load_project(ROOT / "mkdocs.yml")
    return reader.load(Path(found.docs_dir), found.settings, STORY_DAY)


@pytest.fixture(scope="module")
def front(example) -> str:
    return content(example.page(""))


def section_of(html: str, heading_id: str) -> str:
    """From the h2 with heading_id to the next h2."""
    match = re.search(rf'<h2 id="{heading_id}"', html)
    assert match, heading_id
    end = html.find("<h2", match.end())
    return html[match.start():end if end != -1 else len(html)]


def targets(html: str) -> list[tuple[str, str]]:
    """(site-relative URL, text) of the links in a fragment of the start page."""
    return [(resolve("", href), text) for href, text in links(html)]


# --- the example ----------------------------------------------------------------------------------

def test_headings_are_in_order(front):
    levels = [int(m) for m in re.findall(r"<h([1-6])[\s>]", front)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    headings = [text_of(h.html).rstrip("¶") for h in find_all(front, "h2")]
    assert headings[:5] == ["Läget i handboken", "Nytt och ändrat de senaste 30 dagarna", "Vanliga rutiner",
                            "Enheter", "Sammanställningar"]
    assert "Så läser du ett dokument" in headings and "Hittar du något som är fel?" in headings


def test_status_tiles(front, example_book):
    tiles = find(front, "ul", class_="handbok-counts")
    assert tiles.attrs["aria-label"] == "Antal dokument per status"
    assert tiles.attrs["data-handbok-dates"] == overviews.count_dates(example_book.library)
    counts = {li.attrs["data-handbok-count"]: int(find(li.html, "span", class_="handbok-count__n").text)
              for li in find_all(tiles.html, "li")}
    assert counts == overviews._counts(example_book.library)
    assert counts["overdue"] > 0
    # Each tile links to Revisionsläge filtered by its status.
    hrefs = {li.attrs["data-handbok-count"]: find(li.html, "a", class_="handbok-count__link").attrs["href"]
             for li in find_all(tiles.html, "li")}
    assert hrefs == {state: f"handbok/revisionslage/?status={state}" for state in counts}


def test_units_link_to_their_start_pages(front, example, example_book):
    units = section_of(front, "startsida-enheter")
    index = find(content(example.page("handbok/enheter/")), "ul", class_="handbok-doclist").html
    expected = [(resolve("handbok/enheter/", href), text) for href, text in links(index)]  # as the Enheter page
    assert [text for _, text in expected] == [name for _, name, _ in overviews.units_of(example_book)]
    assert targets(units) == expected
    for url, _ in expected:
        assert (example.site / url / "index.html").is_file(), url
    for unit_id, name, _ in overviews.units_of(example_book):
        n = len(overviews._unit_documents(example_book, unit_id))
        assert f"{name} ({n} dokument)" in text_of(units)


def test_vanliga_are_the_authors_routines(front, example_book):
    favourites = section_of(front, "startsida-vanliga")
    assert targets(favourites) == [
        ("gemensamt/rutiner/avvikelsehantering/", "Rutin för avvikelsehantering"),
        ("gemensamt/rutiner/lex-sarah-rapportering/", "Lex Sarah – rapportera missförhållanden"),
        ("gemensamt/rutiner/klagomal-och-synpunkter/", "Rutin för klagomål och synpunkter"),
        ("gemensamt/rutiner/dokumentation-och-sekretess/", "Rutin för dokumentation, sekretess och personuppgifter"),
        ("gemensamt/rutiner/personuppgiftsincident/", "Rutin vid personuppgiftsincident"),
        ("gemensamt/rutiner/sip/", "Rutin för samordnad individuell plan (SIP)"),
    ]
    assert "Makrofel" not in favourites


def test_news_of_the_last_30_days_filtered_by_unit(front, example_book):
    news = section_of(front, "startsida-nytt")
    form = find(news, "form", class_="handbok-filter")
    assert form.attrs["data-filter-target"] == "handbok-startsida-nytt"
    select = find(form.html, "select")
    assert select.attrs["data-filter"] == "data-unit" and select.attrs["data-handbok-remember"] == "enhet"
    assert find(form.html, "label").attrs["for"] == select.attrs["id"]
    assert find(form.html, "label").text == "Min enhet"
    items = find_all(find(news, "ul", id="handbok-startsida-nytt").html, "li", data_filter_item=None)
    expected = overviews.recent_changes(example_book, STORY_DAY - dt.timedelta(days=30))
    assert expected, "the example has changes in the last 30 days"
    assert [(find(li.html, "a").text, li.attrs["data-unit"]) for li in items] == [
        (row["doc"].title, row["units"]) for row in expected]
    every = "|".join(name for _, name, _ in overviews.units_of(example_book))
    plan = next(li for li in items if "Plan för det systematiska kvalitetsarbetet" in li.text)
    assert plan.attrs["data-unit"] == every  # a document of "ledning" shows for every unit
    assert ("handbok/apt-lista/", "APT-lista per enhet: att gå igenom på arbetsplatsträffen") in targets(news)
    assert ("handbok/nytt/", "Alla ändringar") in targets(news)


def test_links_to_the_overview_pages(front, example):
    pages = section_of(front, "startsida-sidor")
    found = targets(pages)
    # The example's arshjul= names the plan for 2027; with an årshjul record the generated Årshjul comes after it.
    assert [text for _, text in found] == [
        "Plan för det systematiska kvalitetsarbetet 2027 (årshjul)", "Årshjul", "Åtgärder",
        "Egenkontroll och internkontroll", "Mål och resultat", "Revisionsläge", "Mina dokument", "Evidensbibliotek",
        "Lagar och föreskrifter", "APT-lista per enhet", "Nytt och ändrat"]
    assert [url for url, _ in found[:4]] == ["ledningssystem/plan-kvalitetsarbete-2027/", "handbok/arshjul/",
                                             "handbok/atgarder/", "handbok/egenkontroll/"]
    for url, _ in found:
        assert (example.site / url / "index.html").is_file(), url
    assert ("handbok/revisionslage/", "Se revisionsläget för alla dokument") in targets(section_of(front,
                                                                                                 "startsida-lage"))


def test_links_are_in_lists_not_tables(front):
    start = front.index('<div class="handbok-startsida">')
    assert "<table" not in front[start:]


# --- fixture handbooks ----------------------------------------------------------------------------

UNITS = [{"id": "gemensamt", "name": "Gemensamma rutiner"}, {"id": "vuxen", "name": HOSTILE_UNIT}]
ROLES = ["Enhetschef"]


def routine(title: str, unit: str, body: str = "Text.", doc_id: str | None = None) -> str:
    id_line = f"id: {doc_id}\n" if doc_id else ""
    return (f"---\ntitle: {title!r}\n{id_line}type: rutin\nowner: Enhetschef\nunit: {unit}\nrevised: 2026-05-20\n"
            f"review_interval: årligen\nlegal_basis: [SOSFS 2011:9 4 kap. 4 §]\n---\n\n{body}\n")


FILES = {
    "rutiner/a.md": routine(HOSTILE, "vuxen", doc_id="rutin-a"),
    "rutiner/b.md": routine("Rutin B", "gemensamt", "Se [A](a.md)."),
    "rutiner/c.md": routine("Rutin C", "gemensamt", "Se [A](a.md) och [B](b.md)."),
    "rutiner/d.md": routine("Rutin D", "vuxen", "Se [A](a.md)."),
}


def site_with(tmp_path: Path, call: str):
    files = {**FILES, "index.md": f"# Start\n\n{call}\n"}
    built = build_site(tmp_path, files, roles=ROLES, units=UNITS, strict=True, today=dt.date(2026, 6, 1))
    assert built.result.returncode == 0, built.log
    return content(built.page(""))


def test_unknown_vanliga_gives_a_note_and_the_rest_of_the_page(tmp_path):
    html = site_with(tmp_path, '{{ handbok_startsida(vanliga=["rutin-a", "rutiner/b.md", "finns/inte.md"]) }}')
    favourites = section_of(html, "startsida-vanliga")
    assert targets(favourites) == [("rutiner/a/", HOSTILE), ("rutiner/b/", "Rutin B")]
    note = find(favourites, "span", class_="handbok-macro-error")
    assert note.attrs["role"] == "note"
    assert note.text.startswith("Makrofel: ”finns/inte.md” i vanliga finns inte i handboken")
    assert find(html, "h2", id="startsida-enheter")  # the rest of the start page is there


def test_vanliga_of_the_wrong_kind_is_a_macro_error(tmp_path):
    html = site_with(tmp_path, "{{ handbok_startsida(vanliga=3) }}")
    note = find(html, "span", class_="handbok-macro-error")
    assert "vanliga ska vara en lista med dokumentens id eller sökvägar" in note.text
    assert 'class="handbok-startsida"' not in html


def test_arshjul_links_the_named_document_and_an_unknown_one_is_a_note(tmp_path):
    html = site_with(tmp_path, '{{ handbok_startsida(arshjul="rutin-a") }}')
    pages = section_of(html, "startsida-sidor")
    assert targets(pages)[0] == ("rutiner/a/", "Årshjul")
    assert "&lt;script&gt;" in pages and "<script>" not in pages  # the document's title, escaped
    html = site_with(tmp_path / "okand", '{{ handbok_startsida(arshjul="finns/inte.md") }}')
    note = find(section_of(html, "startsida-sidor"), "span", class_="handbok-macro-error")
    assert note.text.startswith("Makrofel: ”finns/inte.md” i arshjul finns inte i handboken")
    html = site_with(tmp_path / "fel", "{{ handbok_startsida(arshjul=[1]) }}")
    assert "arshjul ska vara ett dokuments id eller sökväg" in find(html, "span", class_="handbok-macro-error").text


def test_without_vanliga_the_most_referred_routines_are_shown(tmp_path):
    html = site_with(tmp_path, "{{ handbok_startsida() }}")
    heading = find(html, "h2", id="startsida-vanliga")
    assert heading.text == "Rutiner som många dokument hänvisar till"
    referred = section_of(html, "startsida-vanliga")
    assert [text for _, text in targets(referred)] == [HOSTILE, "Rutin B"]
    assert "(3 dokument hänvisar hit)" in text_of(referred) and "(1 dokument hänvisar hit)" in text_of(referred)


def test_hostile_titles_and_unit_names_are_escaped(tmp_path):
    html = site_with(tmp_path, '{{ handbok_startsida(vanliga=["rutin-a"]) }}')
    start = html[html.index('<div class="handbok-startsida">'):]
    assert "<script>" not in start and "<img" not in start
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in start
    units = section_of(html, "startsida-enheter")
    assert (resolve("", links(units)[1][0]), links(units)[1][1]) == ("handbok/enheter/vuxen/", HOSTILE_UNIT)
    options = [o.text for o in find_all(find(html, "select", id="handbok-startsida-enhet").html, "option")]
    assert options == ["Alla enheter", "Gemensamma rutiner", HOSTILE_UNIT]
