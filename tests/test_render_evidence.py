"""The evidence library's pages (render/evidence.py), rendered in-process: well-formed HTML, every
value escaped, the start page's structure and what stays out of the search index.

The builders get a PageContext and return fragments; these tests join them as the site adapter
does. No site build, so they are fast; tests/test_site_evidence.py builds the site for real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, make_handbook
from handbok.core.index import Handbook
from handbok.core.settings import Settings
from handbok.render import evidence
from handbok.render.links import Links
from handbok.render.overviews import PageContext
from handbok.render.templating import Fragment, Heading, default_templates, join
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from htmlcheck import Parsed, assert_well_formed

TODAY = dt.date(2026, 6, 1)
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_PUBLISHER = '"><img src=x onerror=alert(1)>'
HOSTILE_AREA = "<i>Kursiv</i> & co"
HOSTILE_DESCRIPTION = "Stöd till <b>familjer</b>"
HOSTILE_DUTY_TITLE = "Rutin <b>fet</b>"
TAGS_THAT_MUST_NOT_APPEAR = {"script", "img", "i", "b"}

UNITS = [{"id": "barn-och-unga", "name": "Barn och unga", "description": HOSTILE_DESCRIPTION},
         {"id": "kursiv", "name": HOSTILE_AREA}, {"id": "vuxen", "name": "Vuxen"}]
ROLES = ["Socialchef", "Enhetschef"]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def entry(entry_id: str, title: str, *, kind: str = "metodstöd", year: int | None = 2020,
          areas: str = "[barn-och-unga]", creator: str = "publisher: Socialstyrelsen", source: str = "url: https://www.socialstyrelsen.se/",
          reviewed: str = "2026-03-01") -> str:
    year_line = f"year: {year}\n" if year else ""
    return (f"---\nid: {entry_id}\ntitle: {_quoted(title)}\nkind: {kind}\n{creator}\n{year_line}areas: {areas}\n"
            f"{source}\nreviewed: {reviewed}\nreview_interval: årligen\n---\n\nSammanfattning.\n")


def routine(title: str, unit: str, evidence_ids: str) -> str:
    return (f"---\ntitle: {_quoted(title)}\ntype: rutin\nowner: Enhetschef\nunit: {unit}\nrevised: 2026-03-01\n"
            "review_interval: årligen\nlegal_basis: [SOSFS 2011:9 4 kap. 4 §]\n"
            f"evidence: {evidence_ids}\n---\n\nText.\n")


FILES: dict[str, str | bytes] = {
    "evidens/fientlig.md": entry("fientlig", HOSTILE_TITLE, areas="[kursiv, barn-och-unga]",
                                 creator=f"publisher: {_quoted(HOSTILE_PUBLISHER)}",
                                 source="file: bilagor/fientlig.pdf"),
    "evidens/bilagor/fientlig.pdf": b"%PDF-1.4\n",
    "evidens/sbu.md": entry("sbu", "Insatser för barn – en översikt", kind="kunskapsöversikt", year=2022,
                            creator="authors: [Anna Forskare, Bo Granskare]\npublisher: SBU"),
    "evidens/aldre.md": entry("aldre", "En äldre vägledning", year=2012),
    "evidens/utan-omrade.md": entry("utan-omrade", "Statistik utan område", kind="statistik", year=2024, areas="[]",
                                    reviewed="2024-01-01"),
    "barn/rutin.md": routine(HOSTILE_DUTY_TITLE, "barn-och-unga", "[fientlig, sbu]"),
    "vuxen/rutin.md": routine("Vuxenrutin", "vuxen", "[sbu]"),
}


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Handbook:
    root = make_handbook(tmp_path_factory.mktemp("evidens"), FILES, roles=ROLES, units=UNITS)
    settings = Settings(base_dir=root, roles_file="registry/roles.yml", units_file="registry/units.yml",
                        coverage=False)
    loaded = reader.load(root / "docs", settings, TODAY)
    # The entry without areas is invalid, and still listed (under "Inget verksamhetsområde angivet").
    assert {(p.path, p.code) for p in loaded.errors if p.code != "overdue"} == {
        ("evidens/utan-omrade.md", "invalid-missing-field")}, loaded.errors
    return loaded


@pytest.fixture
def empty_book(tmp_path: Path) -> Handbook:
    make_handbook(tmp_path, {"index.md": "# Start\n"})
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False), TODAY)


def no_links() -> Links:
    return Links(lambda path: None, "")


def linked() -> Links:
    """Links as on the site: every document has a page."""
    return Links(lambda path: path.removesuffix(".md") + "/", "evidens/sida/")


def unit_page(unit_id: str) -> str | None:
    return f"handbok/enheter/{unit_id}/"


def context(book: Handbook, links: Links | None = None,
            unit_url: Callable[[str], str | None] = unit_page) -> PageContext:
    return PageContext(book, links or no_links(), unit_url=unit_url, page_url=lambda key: f"handbok/{key}/",
                       templates=default_templates())


def render(builder: Callable[[PageContext], list[Fragment | None]],
           ctx: PageContext) -> tuple[list[Fragment | None], str]:
    fragments = builder(ctx)
    assert isinstance(fragments, list)
    assert all(f is None or isinstance(f, Fragment) for f in fragments)
    html = str(join(ctx.templates, fragments))
    assert_well_formed(html)
    return fragments, html


def headings(fragments: list[Fragment | None]) -> list[Heading]:
    return [f.heading for f in fragments if f is not None and f.heading is not None]


# --- every page: well formed, escaped ---------------------------------------------------------------

@pytest.mark.parametrize("links", [no_links, linked], ids=["without-pages", "with-pages"])
def test_every_library_page_is_well_formed_and_escapes_hostile_values(book, links):
    pages = evidence.pages(book)
    assert [path for path, _, _ in pages] == ["index.md", "omraden/barn-och-unga.md", "omraden/kursiv.md"]
    for path, _, builder in pages:
        fragments, html = render(builder, context(book, links()))
        parsed = Parsed(html)
        assert not parsed.names() & TAGS_THAT_MUST_NOT_APPEAR, path
        ids = parsed.attribute_values("id")
        assert len(ids) == len(set(ids)), path
        for heading in headings(fragments):
            assert heading.anchor in ids, (path, heading)
    _, html = render(evidence.build_index, context(book, links()))
    text = Parsed(html).text
    assert HOSTILE_TITLE in text and HOSTILE_PUBLISHER in text and HOSTILE_AREA in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'data-area="&lt;i&gt;Kursiv&lt;/i&gt; &amp; co"' in html


def test_page_titles_are_the_area_names_as_plain_text(book):
    titles = {path: title for path, title, _ in evidence.pages(book)}
    assert titles == {"index.md": "Evidensbibliotek", "omraden/barn-och-unga.md": "Barn och unga",
                      "omraden/kursiv.md": HOSTILE_AREA}


# --- the start page ---------------------------------------------------------------------------------

def test_start_page_headings_go_to_the_table_of_contents(book):
    fragments, html = render(evidence.build_index, context(book))
    assert [(h.level, h.title, h.anchor) for h in headings(fragments)] == [
        (2, "Översikt", "oversikt"), (3, "Per verksamhetsområde", "per-omrade"), (3, "Per slag", "per-slag"),
        (2, "Filtrera listan", "filtrera")]
    for h in headings(fragments):
        assert f'<h{h.level} id="{h.anchor}">{h.title}</h{h.level}>' in html


def test_start_page_intro_is_searchable_and_every_other_block_is_not(book):
    """As the old Markdown blocks were: the introduction's paragraphs are text, every HTML block after it
    carries data-search-exclude, and headings never do."""
    fragments, html = render(evidence.build_index, context(book))
    top = Parsed(html).top_level()
    intro = top[:3]
    assert [tag for tag, _ in intro] == ["p", "p", "p"]
    assert all("data-search-exclude" not in attrs for _, attrs in intro)
    assert "<strong>bästa tillgängliga kunskap</strong>" in html
    rest = top[3:]
    assert [tag for tag, _ in rest] == ["h2", "p", "h3", "ul", "h3", "ul", "h2", "p", "form", "div"]
    for tag, attrs in rest:
        assert ("data-search-exclude" in attrs) == (tag not in {"h2", "h3"}), (tag, attrs)


def test_start_page_lists_areas_in_registry_order_then_entries_without_area(book):
    _, html = render(evidence.build_index, context(book, linked()))
    parsed = Parsed(html)
    sections = [attrs["aria-labelledby"] for tag, attrs, depth in parsed.tags if tag == "section" and depth == 1]
    assert sections == ["omrade-barn-och-unga", "omrade-kursiv", "omrade-inget-verksamhetsomrade-angivet"]
    counts = parsed.attribute_values("aria-label")
    assert "Antal poster per verksamhetsområde" in counts and "Antal poster per slag" in counts
    assert "Biblioteket har 4 poster." in parsed.text
    # Newest first within a kind; an entry in two areas is listed in both.
    items = [attrs for tag, attrs, _ in parsed.tags if tag == "li" and "data-filter-item" in attrs]
    barn = [a["data-year"] for a in items if a["data-area"] == "Barn och unga" and a["data-kind"] == "metodstöd"]
    assert barn == ["2020", "2012"]
    assert [a["data-area"] for a in items].count(HOSTILE_AREA) == 1
    assert "Bifogad fil (PDF)" in parsed.text
    assert "Granskning försenad" in parsed.text  # the entry reviewed in 2024
    # The area pages are linked from the counts and the sections; the area without a page is not.
    assert parsed.attribute_values("href").count("../omraden/barn-och-unga/") == 2
    assert "Se även sidan för Inget verksamhetsområde" not in parsed.text


def test_filter_form_offers_areas_kinds_and_years(book):
    _, html = render(evidence.build_index, context(book))
    parsed = Parsed(html)
    form = next(attrs for tag, attrs, _ in parsed.tags if tag == "form")
    assert form["data-filter-target"] == evidence.LIST_ID and "hidden" in form
    options: dict[str | None, list[str | None]] = {}
    current = None
    for tag, attrs, _ in parsed.tags:
        if tag == "select":
            current = attrs["data-filter"]
            options[current] = []
        elif tag == "option" and current:
            options[current].append(attrs["value"])
    assert options == {
        "data-area": ["", "Barn och unga", HOSTILE_AREA, "Inget verksamhetsområde angivet"],
        "data-kind": ["", "kunskapsöversikt", "metodstöd", "statistik"],
        "data-year": ["", "2024", "2022", "2020", "2012"],
    }


def test_empty_library_says_so(empty_book):
    assert [path for path, _, _ in evidence.pages(empty_book)] == ["index.md"]
    fragments, html = render(evidence.build_index, context(empty_book))
    assert headings(fragments) == []
    top = Parsed(html).top_level()
    assert [tag for tag, _ in top] == ["p", "p", "p", "p"]
    assert "data-search-exclude" in top[-1][1]
    assert Parsed(html).text.endswith("Biblioteket har inga poster ännu.")


# --- one page per area ------------------------------------------------------------------------------

def area_page(book: Handbook, path: str) -> Callable[[PageContext], list[Fragment | None]]:
    return next(builder for p, _, builder in evidence.pages(book) if p == path)


def test_area_page_groups_by_kind_and_splits_citing_documents(book):
    fragments, html = render(area_page(book, "omraden/barn-och-unga.md"), context(book, linked()))
    assert [(h.level, h.title, h.anchor) for h in headings(fragments)] == [
        (2, "Kunskapsöversikt", "slag-kunskapsoversikt"), (2, "Metodstöd", "slag-metodstod"),
        (2, "Dokument som bygger på underlagen", "citeras-av")]
    parsed = Parsed(html)
    assert HOSTILE_DESCRIPTION in parsed.text
    assert "Antal poster per slag för Barn och unga" in parsed.attribute_values("aria-label")
    assert ("Kunskapsunderlag för Barn och unga, ordnade efter slag och nyast först. Se även hela "
            "evidensbiblioteket och enhetens alla styrdokument.") in parsed.text
    hrefs = parsed.attribute_values("href")
    assert "../index/" in hrefs and "../../handbok/enheter/barn-och-unga/" in hrefs
    assert "Rutiner och andra styrdokument inom Barn och unga" in parsed.text
    assert "Dokument från andra enheter" in parsed.text
    assert f"{HOSTILE_DUTY_TITLE} – bygger på {HOSTILE_TITLE}, Insatser för barn – en översikt" in parsed.text
    assert "Vuxenrutin – bygger på Insatser för barn – en översikt" in parsed.text
    for tag, attrs in parsed.top_level():
        assert ("data-search-exclude" in attrs) == (tag != "h2"), (tag, attrs)


def test_area_page_without_links_or_citing_documents(book):
    _, html = render(area_page(book, "omraden/kursiv.md"), context(book, unit_url=lambda unit_id: None))
    assert "Se även" not in Parsed(html).text  # no pages to link to
    _, html = render(area_page(book, "omraden/kursiv.md"), context(book))
    parsed = Parsed(html)
    assert (f"Kunskapsunderlag för {HOSTILE_AREA}, ordnade efter slag och nyast först. "
            "Se även enhetens alla styrdokument.") in parsed.text
    assert "Rutiner och andra styrdokument inom" not in parsed.text  # the citing routine is in another unit
    assert f"Antal poster per slag för {HOSTILE_AREA}" in parsed.attribute_values("aria-label")
    assert not parsed.names() & TAGS_THAT_MUST_NOT_APPEAR


def test_area_page_says_when_nothing_cites_the_entries(tmp_path):
    make_handbook(tmp_path, {"evidens/a.md": entry("a", "Ensam post")}, units=UNITS)
    lonely = reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, units_file="registry/units.yml",
                                                     coverage=False), TODAY)
    _, html = render(area_page(lonely, "omraden/barn-och-unga.md"), context(lonely))
    assert "Inget styrdokument hänvisar till de här underlagen ännu." in Parsed(html).text


# --- the example handbook ---------------------------------------------------------------------------

def test_every_library_page_of_the_example_handbook_is_well_formed():
    project = load_project(ROOT / "mkdocs.yml")
    example = reader.load(Path(project.docs_dir), project.settings, TODAY)
    pages = evidence.pages(example)
    assert len(pages) > 3
    for path, _, builder in pages:
        for links in (no_links(), linked()):
            try:
                render(builder, context(example, links))
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from None
