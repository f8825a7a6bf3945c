"""The generated overview pages, rendered in-process: well-formed HTML with every value escaped.

The builders get a PageContext and return fragments; these tests join the fragments as the site
adapter does and read the HTML back with html.parser (no site build, so they are fast).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import ROOT, make_handbook
from handbok.core import quality
from handbok.core.index import Handbook
from handbok.core.settings import Settings
from handbok.core.text import slugify
from handbok.render import overviews
from handbok.render.links import Links
from handbok.render.overviews import PageContext
from handbok.render.templating import Fragment, Templates, default_templates, join
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from htmlcheck import Parsed, assert_well_formed

TODAY = dt.date(2026, 6, 1)
ODD_TYPE = "<i>x</i>"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_OWNER = '"><img src=x onerror=alert(1)>'
HOSTILE_ROLE = "<b>Roll</b> & 'co'"
HOSTILE_DUTY = "<script>alert(2)</script>"
HOSTILE_NOTE = "</td></tr></table><script>alert(3)</script>"
TAGS_THAT_MUST_NOT_APPEAR = {"script", "img", "i", "b"}


def context(book: Handbook, links: Links | None = None, templates: Templates | None = None) -> PageContext:
    """A PageContext as the site adapter makes one; URLs are made up but shaped like the site's."""
    return PageContext(
        book, links or Links(lambda path: None, ""),
        unit_url=lambda unit_id: f"handbok/enheter/{unit_id}/",
        page_url=lambda key: f"handbok/{key}/",
        feed_url="handbok/nytt.xml",
        generated_url=lambda path: "handbok/" + path.removesuffix(".md").removesuffix("index") + "/",
        templates=templates or default_templates())


def linked(book: Handbook) -> Links:
    """Links as on the site: every document has a page."""
    return Links(lambda path: path.removesuffix(".md") + "/", "handbok/sida/")


def every_page(book: Handbook) -> list[tuple[str, Callable[[PageContext], list]]]:
    """(name, builder) for every generated page, as the site adapter adds them."""
    found: list[tuple[str, Callable[[PageContext], list]]] = [(page.key, page.build) for page in overviews.PAGES]
    found += [(f"enhet {unit_id}", functools.partial(overviews.build_unit, unit_id=unit_id))
              for unit_id, _, _ in overviews.units_of(book)]
    found += [(f"ägare {owner}", functools.partial(overviews.build_owner, owner=owner))
              for _, owner in overviews.owner_pages(book)]
    found += [(f"roll {role}", functools.partial(overviews.build_role, role=role))
              for _, role in overviews.role_pages(book)]
    return found


def render(builder: Callable[[PageContext], list], ctx: PageContext) -> tuple[list[Fragment | None], str]:
    fragments = builder(ctx)
    assert isinstance(fragments, list)
    assert all(f is None or isinstance(f, Fragment) for f in fragments)
    assert any(f is not None for f in fragments), "a generated page is never empty"
    return fragments, str(join(ctx.templates, fragments))


def assert_page_is_sound(fragments: list[Fragment | None], html: str) -> None:
    """Well formed, and every heading of the table of contents is on the page with its anchor."""
    assert_well_formed(html)
    anchors = [f.heading.anchor for f in fragments if f is not None and f.heading is not None]
    assert len(anchors) == len(set(anchors)), anchors
    ids = Parsed(html).attribute_values("id")
    for anchor in anchors:
        assert anchor in ids


# --- a site's own type with markup in its name (a bug of the old string rendering) -------------

@pytest.fixture
def odd_type_book(tmp_path: Path) -> Handbook:
    make_handbook(tmp_path, {
        "barn-och-unga/ovrigt/konstig-typ.md": f"""---
title: Ett dokument av en egen typ
type: "{ODD_TYPE}"
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-12
review_interval: årligen
---

Text.
""",
        "barn-och-unga/rutiner/orosanmalan.md": """---
title: Orosanmälan
type: rutin
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-12
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
---

Text.
"""})
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False, extra_types=[ODD_TYPE]),
                       TODAY)


def test_a_site_type_with_markup_in_its_name_is_text_in_the_unit_heading(odd_type_book):
    ctx = context(odd_type_book)
    fragments, html = render(functools.partial(overviews.build_unit, unit_id="barn-och-unga"), ctx)
    assert_well_formed(html)
    parsed = Parsed(html)
    assert "i" not in parsed.names()
    assert ODD_TYPE in parsed.text
    # The heading (and so the table of contents) holds the plain text; the anchor is as before.
    headings = [f.heading for f in fragments if f is not None and f.heading is not None]
    odd = next(h for h in headings if h.title == ODD_TYPE)
    assert (odd.level, odd.anchor) == (2, "typ-i-x-i") and odd.anchor == f"typ-{slugify(ODD_TYPE)}"
    assert f'<h2 id="typ-i-x-i">{Markup.escape(ODD_TYPE)}</h2>' in html
    assert [h.title for h in headings] == ["Rutiner", ODD_TYPE]  # built-in types first, then the site's


def test_every_page_of_a_small_handbook_is_well_formed(odd_type_book):
    for name, builder in every_page(odd_type_book):
        for links in (Links(lambda path: None, ""), linked(odd_type_book)):
            fragments, html = render(builder, context(odd_type_book, links))
            try:
                assert_page_is_sound(fragments, html)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}") from None
            assert "i" not in Parsed(html).names(), name


def test_pages_without_data_say_so(odd_type_book):
    ctx = context(odd_type_book)
    assert Parsed(render(overviews.build_archive, ctx)[1]).text == "Inga upphävda dokument."
    coverage = Parsed(render(overviews.build_coverage, ctx)[1]).text
    assert coverage == "Täckningskontrollen är avstängd (inställningen coverage)."
    html = render(functools.partial(overviews.build_unit, unit_id="finns-inte"), ctx)[1]
    assert "Enheten har inga dokument ännu." in Parsed(html).text
    assert_well_formed(html)


# --- the example handbook --------------------------------------------------------------------

@pytest.fixture(scope="module")
def example() -> Handbook:
    project = load_project(ROOT / "mkdocs.yml")
    assert Path(project.docs_dir).resolve() == (ROOT / "handbook").resolve()
    return reader.load(Path(project.docs_dir), project.settings, TODAY)


def test_every_overview_of_the_example_handbook_is_well_formed(example):
    pages = every_page(example)
    assert len(pages) > len(overviews.PAGES) + 10  # units, owners and roles have pages of their own
    for name, builder in pages:
        for links in (Links(lambda path: None, ""), linked(example)):
            fragments, html = render(builder, context(example, links))
            try:
                assert_page_is_sound(fragments, html)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}") from None


def test_the_law_page_has_one_section_per_kind_of_act_and_one_row_per_act(example):
    fragments, html = render(overviews.build_law, context(example))
    headings = [f.heading for f in fragments if f is not None and f.heading is not None]
    assert [h.title for h in headings] == ["Lagar", "Förordningar", "Föreskrifter och allmänna råd", "EU-rättsakter"]
    assert all(h.level == 2 and h.anchor.startswith("lagar-") for h in headings)
    rows = re.findall(r'<tr id="(lag-[^"]+)"', html)
    assert len(rows) == len(set(rows)) == len(example.laws.acts)  # every act once, cited or not


def test_lists_and_tables_of_generated_pages_stay_out_of_the_search_index(example):
    """As before templates: the search index gets the intro text of a page, not its lists."""
    html = str(join(default_templates(), overviews.build_overview(context(example))))
    blocks = [(tag, attrs) for tag, attrs, _ in Parsed(html).tags if tag in ("p", "ul")]
    top = [(tag, attrs.get("class"), "data-search-exclude" in attrs) for tag, attrs in blocks[:3]]
    assert top == [("p", None, False), ("ul", "handbok-counts", True), ("ul", "handbok-doclist", True)]
    review = Parsed(str(join(default_templates(), overviews.build_review(context(example)))))
    excluded = [tag for tag, attrs, _ in review.tags if "data-search-exclude" in attrs]
    assert excluded == ["ul", "form", "p", "div"]  # tiles, filters, the CSV button, the table


# --- hostile values --------------------------------------------------------------------------

@pytest.fixture
def hostile_book(tmp_path: Path) -> Handbook:
    owner = HOSTILE_OWNER.replace("'", "''")
    make_handbook(tmp_path, {
        "enhet/process.md": f"""---
title: '{HOSTILE_TITLE}'
id: process-fientlig
type: process
owner: '{owner}'
unit: barn-och-unga
revised: 2026-05-20
review_interval: årligen
legal_basis: [SoL 14 kap. 1 §]
responsibilities:
  '{HOSTILE_ROLE.replace("'", "''")}':
    - '{HOSTILE_DUTY}'
activities:
  - name: '{HOSTILE_DUTY}'
    role: '{HOSTILE_ROLE.replace("'", "''")}'
    routine: rutin-vanlig
changes:
  - date: 2026-05-20
    note: '{HOSTILE_NOTE}'
---

Text.
""",
        "enhet/rutin.md": f"""---
title: Vanlig rutin
id: rutin-vanlig
type: rutin
owner: '{owner}'
unit: barn-och-unga
revised: 2025-05-01
review_interval: årligen
legal_basis: [SoL 14 kap. 1 §]
---

Text.
""",
        "enhet/gammal.md": f"""---
title: '{HOSTILE_TITLE} (upphävd)'
type: rutin
owner: '{owner}'
unit: barn-och-unga
revised: 2024-01-01
review_interval: årligen
status: upphävd
replaced_by: process-fientlig
legal_basis: [SoL 14 kap. 1 §]
---

Text.
"""})
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False), TODAY)


def test_hostile_titles_owners_and_roles_come_out_as_text(hostile_book):
    assert HOSTILE_OWNER in {name for _, name in overviews.owner_pages(hostile_book)}
    assert HOSTILE_ROLE in {name for _, name in overviews.role_pages(hostile_book)}
    seen = ""
    for name, builder in every_page(hostile_book):
        for links in (Links(lambda path: None, ""), linked(hostile_book)):
            fragments, html = render(builder, context(hostile_book, links))
            try:
                assert_page_is_sound(fragments, html)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}") from None
            parsed = Parsed(html)
            assert not parsed.names() & TAGS_THAT_MUST_NOT_APPEAR, name
            assert not [value for _, attrs, _ in parsed.tags for key, value in attrs.items() if key.startswith("on")]
            seen += parsed.text
    for value in (HOSTILE_TITLE, HOSTILE_OWNER, HOSTILE_ROLE, HOSTILE_DUTY, HOSTILE_NOTE):
        assert value in seen


def test_hostile_values_in_attributes_round_trip(hostile_book):
    html = str(join(default_templates(), overviews.build_review(context(hostile_book))))
    parsed = Parsed(html)
    assert set(parsed.attribute_values("data-owner")) == {HOSTILE_OWNER}
    assert HOSTILE_OWNER in parsed.attribute_values("value")  # the owner filter's option
    heading = next(f.heading for f in overviews.build_role(context(hostile_book), HOSTILE_ROLE)
                   if f is not None and f.heading is not None)
    assert heading.title == "Ansvar"


def test_the_review_table_for_macros_renders_its_template(hostile_book):
    ctx = context(hostile_book)
    docs = hostile_book.in_review_order()
    table = overviews.review_table(docs, ctx, f"Revisionsläge för {HOSTILE_OWNER}", table_id="t")
    assert isinstance(table, Markup) and table.endswith("\n\n")  # a block of its own in Markdown
    assert_well_formed(table)
    assert not Parsed(table).names() & TAGS_THAT_MUST_NOT_APPEAR
    assert "data-search-exclude" not in table  # an author's page decides what search sees
    assert Parsed(table).attribute_values("id") == ["t"]
    assert f"Revisionsläge för {HOSTILE_OWNER}" in Parsed(table).text


# --- Revisionsläge, one status everywhere, Mina dokument --------------------------------------------

def _html(builder, ctx: PageContext) -> str:
    return str(join(ctx.templates, builder(ctx)))


def test_count_dates_gives_a_date_per_dated_document_and_the_state_of_the_others(example):
    docs = example.documents
    tokens = overviews.count_dates(docs).split(" ")
    assert len(tokens) == len(docs)
    for doc, token in zip(docs, tokens, strict=True):
        if doc.state in ("draft", "repealed"):
            assert token == doc.state
        elif doc.next_review is None:
            assert token == "current"
        else:
            assert token == doc.next_review.isoformat()
    # The example has every kind: dated documents, a draft and a repealed one.
    assert {"draft", "repealed"} <= set(tokens) and any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in tokens)
    assert overviews.count_dates([]) == ""


def test_the_review_table_puts_status_and_next_revision_first(example):
    links = Links(lambda path: path.removesuffix(".md") + "/", "handbok/revisionslage/",
                  owner_page=lambda role: f"handbok/dokumentagare/{slugify(role)}.md")
    html = _html(overviews.build_review, context(example, links))
    parsed = Parsed(html)
    headers = re.findall(r'<th scope="col" role="columnheader" data-sort="(\w+)">([^<]+)</th>', html)
    assert headers == [("status", "Status"), ("date", "Nästa revision"), ("text", "Dokument"), ("text", "Typ"),
                       ("text", "Dokumentägare"), ("text", "Enhet")]
    assert '<table id="handbok-revisionslage" role="table">' in html  # roles kept when a phone stacks the cells
    first_row = re.search(r'<tbody role="rowgroup"><tr [^>]*role="row">(.*?)</tr>', html).group(1)
    cells = re.findall(r"<(td|th)\b", first_row)
    assert cells == ["td", "td", "th", "td", "td", "td"]
    assert 'class="handbok-state handbok-state--overdue" data-handbok-short>Försenad (' in first_row
    # The scroll area can be reached with the keyboard (axe: scrollable-region-focusable).
    wrap = next(attrs for tag, attrs, _ in parsed.tags if "handbok-review" in (attrs.get("class") or ""))
    assert wrap["tabindex"] == "0" and wrap["role"] == "region" and wrap["aria-label"]
    assert wrap["data-warn-days"] == str(example.settings.due_soon_days)
    # The owner is a link to the owner's page where the site has one.
    assert re.search(r'<td role="cell" data-label="Dokumentägare"><a href="../dokumentagare/socialchef/">Socialchef</a>'
                     r'</td>', html) is not None


def test_the_review_filters_live_in_the_address_and_filter_status_by_state(example):
    html = _html(overviews.build_review, context(example))
    params = dict(re.findall(r'data-filter="([\w-]+)" data-param="(\w+)"', html))
    assert params == {"data-owner": "agare", "data-unit": "enhet", "data-type": "typ",
                      "data-handbok-status": "status"}
    status = re.search(r'data-filter="data-handbok-status".*?</select>', html).group(0)
    assert re.findall(r'<option value="([\w-]*)">([^<]+)</option>', status) == [
        ("", "Alla"), ("overdue", "Revision försenad"), ("due-soon", "Snart dags för revision"),
        ("current", "Aktuell"), ("draft", "Utkast"), ("repealed", "Upphävd")]
    # The tiles can set that filter, and carry the dates to recount from.
    tiles = re.search(r'<ul class="handbok-counts"[^>]*>', html).group(0)
    assert 'data-handbok-tiles-for="handbok-revisionslage"' in tiles
    assert f'data-handbok-dates="{overviews.count_dates(example.in_review_order())}"' in tiles
    assert 'data-handbok-csv="handbok-revisionslage"' in html


def test_owner_pages_and_the_owner_index_carry_what_the_browser_recounts(example):
    ctx = context(example)
    groups = {owner: [d for d in example.library if (d.owner.role if d.owner else overviews.NO_OWNER) == owner]
              for _, owner in overviews.owner_pages(example)}
    index = _html(overviews.build_owners, ctx)
    rows = re.findall(r'<tr data-handbok-dates="([^"]*)"><th scope="row">(?:<a href="[^"]*">)?([^<]+)', index)
    assert {owner: dates for dates, owner in rows} == {owner: overviews.count_dates(docs)
                                                     for owner, docs in groups.items()}
    assert index.count('data-handbok-count="overdue"') == len(groups)

    docs = groups["Socialchef"]
    page = _html(functools.partial(overviews.build_owner, owner="Socialchef"), ctx)
    sentence = re.search(r"<p [^>]*data-handbok-summary=.*?</p>", page, re.S).group(0)
    # A part with nothing to count is there for the browser's recount, hidden.
    summary = Parsed(re.sub(r'<span data-handbok-summary-part="[\w-]+" hidden>.*?</span>[^<]*</span>', "", sentence))
    counts = overviews._counts(docs)
    expected = f"{len(docs)} dokument"
    expected += f", {counts['overdue']} försenade" if counts["overdue"] else ""
    expected += f", {counts['due-soon']} snart dags" if counts["due-soon"] else ""
    assert summary.text.startswith(expected + ". ")
    assert 'id="handbok-agare-dokument"' in page and 'data-handbok-summary="handbok-agare-dokument"' in page
    assert f'data-handbok-dates="{overviews.count_dates(docs)}"' in page


def test_unit_pages_and_the_overview_index_recount_their_tiles(example):
    ctx = context(example)
    html = _html(functools.partial(overviews.build_unit, unit_id="barn-och-unga"), ctx)
    docs = [d for d in example.governed if d.unit and d.unit.id == "barn-och-unga" and d.state != "repealed"]
    assert f'data-handbok-dates="{overviews.count_dates(docs)}"' in html
    # Each listed document is a status item, so its badge agrees with the tiles on the reader's day.
    items = re.findall(r'<li data-handbok-status="([\w-]+)" data-review-by="([\d-]*)">', html)
    assert len(items) == len(docs)
    overview = _html(overviews.build_overview, ctx)
    assert f'data-handbok-dates="{overviews.count_dates(example.library)}"' in overview  # records have no revision


def test_mina_dokument_lists_every_owner_role_and_every_document(example):
    keys = [page.key for page in overviews.PAGES]
    assert keys[keys.index("review") + 1] == "mine"
    page = next(p for p in overviews.PAGES if p.key == "mine")
    assert (page.path, page.title) == ("mina-dokument.md", "Mina dokument")
    html = _html(overviews.build_mine, context(example))
    assert_well_formed(html)
    select = re.search(r"<select [^>]*>", html).group(0)
    assert 'data-handbok-remember="roll"' in select and 'data-param="roll"' in select
    assert 'data-filter="data-owner"' in select
    roles = re.findall(r'<option value="([^"]+)">', html)
    measures = quality.all_measures(example)
    owners = {d.owner.role for d in example.library if d.owner} | {m.responsible for m in measures}
    assert roles == sorted(owners, key=lambda r: overviews.sv_key(r))  # the roles with measures too
    assert html.count("<tr data-handbok-status=") == len(example.library) + len(measures)
    assert 'data-filter-also="handbok-mina-atgarder"' in html
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
    assert "kräver JavaScript" in noscript and 'href="' in noscript and "Per dokumentägare" in noscript
