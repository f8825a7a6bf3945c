"""APT-lista per enhet (handbok/apt-lista/): which documents it lists for a unit since a date, the
data the filter script reads, the empty columns to sign on paper, and the print rules.

A fixture handbook with known dates around TODAY: documents of one unit, of another unit, of the
common units (gemensamt, ledning: shown for every unit), a decision newer than the last revision,
a draft and a repealed document (never listed), and hostile text (escaped).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import make_handbook
from handbok.core.index import Handbook
from handbok.core.settings import Settings
from handbok.render import overviews
from handbok.render.links import Links
from handbok.render.overviews import PageContext
from handbok.render.templating import default_templates, join
from handbok.source import reader
from htmlcheck import assert_well_formed
from sitebuild import ROOT, build_site, content, find, find_all, text_of

TODAY = dt.date(2026, 6, 1)
UNITS = [
    {"id": "ledning", "name": "Ledning och styrning"},
    {"id": "gemensamt", "name": "Gemensamma rutiner"},
    {"id": "barn-och-unga", "name": "Barn och unga"},
    {"id": "vuxen", "name": "Vuxen"},
]
ALL_UNITS = "Ledning och styrning|Gemensamma rutiner|Barn och unga|Vuxen"
ROLES = ["Enhetschef", "Socialnämnden"]
HOSTILE = "<script>alert(1)</script>"


def doc(title: str, unit: str, revised: str, extra: str = "") -> str:
    return (f"---\ntitle: {title!r}\ntype: rutin\nowner: Enhetschef\nunit: {unit}\nrevised: {revised}\n"
            f"review_interval: årligen\nlegal_basis: [SOSFS 2011:9 4 kap. 4 §]\n{extra}---\n\nText.\n")


FILES = {
    "bou/ny.md": doc("BoU ny", "barn-och-unga", "2026-05-20",
                     "changes:\n  - date: 2026-05-20\n    note: 'Nytt steg för " + HOSTILE + "'\n"),
    "bou/gammal.md": doc("BoU gammal", "barn-och-unga", "2026-01-10"),
    "bou/kvartal.md": doc("BoU kvartal", "barn-och-unga", "2026-03-20"),
    "bou/beslut.md": doc("BoU beslutad", "barn-och-unga", "2026-02-01",
                         "approved_by: Socialnämnden\napproved: 2026-05-25\n"),
    "bou/utkast.md": doc("BoU utkast", "barn-och-unga", "2026-05-28", "status: utkast\n"),
    "bou/upphavd.md": doc("BoU upphävd", "barn-och-unga", "2026-05-27", "status: upphävd\n"),
    "vuxen/ny.md": doc("Vuxen ny", "vuxen", "2026-05-15"),
    "gemensamt/ny.md": doc(HOSTILE, "gemensamt", "2026-05-10"),
    "ledning/plan.md": doc("Ledning plan", "ledning", "2026-04-01"),
    "ledning/gammal.md": doc("Ledning gammal", "ledning", "2025-01-01"),
}


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Handbook:
    root = make_handbook(tmp_path_factory.mktemp("apt"), FILES, roles=ROLES, units=UNITS,
                         options={"coverage": False})
    return reader.load(root / "docs", Settings(base_dir=root, coverage=False, roles_file="registry/roles.yml",
                                               units_file="registry/units.yml"), TODAY)


def titles(rows) -> list[str]:
    return [row["doc"].title for row in rows]


def shown_for(rows, unit: str, since: str) -> list[str]:
    """What the filter script shows: rows whose data-unit holds the unit and data-changed >= since."""
    return [row["doc"].title for row in rows if unit in row["units"].split("|") and row["date"].isoformat() >= since]


# --- selection ------------------------------------------------------------------------------------

def test_recent_changes_are_current_documents_newest_first(book):
    rows = overviews.recent_changes(book, dt.date(2026, 1, 1))
    assert titles(rows) == ["BoU beslutad", "BoU ny", "Vuxen ny", HOSTILE, "Ledning plan", "BoU kvartal",
                            "BoU gammal"]
    assert "BoU utkast" not in titles(rows) and "BoU upphävd" not in titles(rows)


def test_a_decision_newer_than_the_revision_is_the_change(book):
    rows = overviews.recent_changes(book, TODAY - dt.timedelta(days=365))
    row = next(r for r in rows if r["doc"].title == "BoU beslutad")
    assert row["date"] == dt.date(2026, 5, 25)
    assert row["note"] == "Beslutad av Socialnämnden."


def test_change_note_is_the_latest_note_or_revised(book):
    rows = {r["doc"].title: r for r in overviews.recent_changes(book, dt.date(2026, 1, 1))}
    assert rows["BoU ny"]["note"] == f"Nytt steg för {HOSTILE}"
    assert rows["Vuxen ny"]["note"] == "Reviderad."


def test_common_units_carry_every_unit_name(book):
    rows = {r["doc"].title: r for r in overviews.recent_changes(book, dt.date(2026, 1, 1))}
    assert rows[HOSTILE]["units"] == ALL_UNITS
    assert rows["Ledning plan"]["units"] == ALL_UNITS
    assert rows["BoU ny"]["units"] == "Barn och unga"
    assert rows["Vuxen ny"]["units"] == "Vuxen"


@pytest.mark.parametrize(("unit", "since", "expected"), [
    ("Barn och unga", "2026-05-01", ["BoU beslutad", "BoU ny", HOSTILE]),
    ("Barn och unga", "2026-05-20", ["BoU beslutad", "BoU ny"]),
    ("Barn och unga", "2026-03-01", ["BoU beslutad", "BoU ny", HOSTILE, "Ledning plan", "BoU kvartal"]),
    ("Vuxen", "2026-05-01", ["Vuxen ny", HOSTILE]),
    ("Gemensamma rutiner", "2026-01-01", [HOSTILE, "Ledning plan"]),
])
def test_a_unit_sees_its_own_and_the_common_changes_since_a_date(book, unit, since, expected):
    assert shown_for(overviews.recent_changes(book, dt.date(2025, 6, 1)), unit, since) == expected


# --- the page -------------------------------------------------------------------------------------

def page_html(book: Handbook) -> str:
    ctx = PageContext(book, Links(lambda path: path.removesuffix(".md") + "/", "handbok/apt-lista/"),
                      unit_url=lambda unit_id: f"handbok/enheter/{unit_id}/", page_url=lambda key: f"handbok/{key}/",
                      templates=default_templates())
    return str(join(ctx.templates, overviews.build_apt(ctx)))


def rows_of(html: str) -> list:
    return find_all(find(html, "table", id="handbok-apt").html, "tr", data_changed=None)


def test_apt_page_rows_carry_date_and_units(book):
    html = page_html(book)
    assert_well_formed(html)
    rows = rows_of(html)
    expected = overviews.recent_changes(book, TODAY - dt.timedelta(days=365))
    assert [(r.attrs["data-changed"], r.attrs["data-unit"]) for r in rows] == [
        (e["date"].isoformat(), e["units"]) for e in expected]
    # Without JavaScript: the last 90 days show, older rows are hidden.
    for row in rows:
        assert ("hidden" in row.attrs) == (row.attrs["data-changed"] < "2026-03-03"), row.html
    assert "BoU gammal" not in text_of(" ".join(r.html for r in rows if "hidden" not in r.attrs))
    assert find(html, "noscript").text.endswith("de senaste 90 dagarna, från och med 2026-03-03.")


def test_apt_page_columns_and_signature_table(book):
    html = page_html(book)
    table = find(html, "table", id="handbok-apt")
    assert [th.text for th in find_all(find(table.html, "thead").html, "th")] == [
        "Dokument", "Typ", "Beslutat/ändrat", "Vad är nytt", "Genomgånget (signatur)"]
    first = rows_of(html)[0]
    cells = find_all(first.html, "td")
    assert find(first.html, "th").text == "BoU beslutad"
    assert [c.text for c in cells] == ["Rutin", "2026-05-25", "Beslutad av Socialnämnden.", ""]
    signatures = find(html, "div", class_="handbok-apt-signatures")
    assert find(signatures.html, "caption").text == "Deltagare på arbetsplatsträffen"
    assert [th.text for th in find_all(signatures.html, "th")] == ["Namn", "Signatur", "Datum"]
    body = find_all(find(signatures.html, "tbody").html, "tr")
    assert len(body) == 12 and all(text_of(r.html) == "" for r in body)
    assert '<h2 id="deltagare">Deltagare</h2>' in html


def test_apt_form_follows_the_filter_contract(book):
    html = page_html(book)
    form = find(html, "form", class_="handbok-filter")
    assert form.attrs["data-filter-target"] == "handbok-apt"
    select = find(form.html, "select")
    assert select.attrs["data-filter"] == "data-unit"
    assert select.attrs["data-param"] == "enhet"
    assert select.attrs["data-handbok-remember"] == "enhet"
    assert [o.attrs["value"] for o in find_all(select.html, "option")] == ["", *ALL_UNITS.split("|")]
    since = find(form.html, "input", type="date")
    assert since.attrs["data-filter-since"] == "data-changed"
    assert since.attrs["data-param"] == "sedan"
    assert since.attrs["value"] == "2026-05-02"  # the build day minus 30 days
    for label in find_all(form.html, "label"):
        assert find(form.html, id=label.attrs["for"])


def test_hostile_text_is_escaped(book):
    html = page_html(book)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_nothing_changed_says_so(tmp_path):
    root = make_handbook(tmp_path, {"a.md": doc("Gammal", "vuxen", "2020-01-01")}, roles=ROLES, units=UNITS,
                         options={"coverage": False})
    book = reader.load(root / "docs", Settings(base_dir=root, coverage=False, roles_file="registry/roles.yml",
                                               units_file="registry/units.yml"), TODAY)
    html = page_html(book)
    assert rows_of(html) == []
    assert "Inga gällande dokument har beslutats eller ändrats det senaste året." in text_of(html)


# --- print rules ----------------------------------------------------------------------------------

CSS = (ROOT / "plugins/handbok/site/mkdocs/assets/handbok.css").read_text(encoding="utf-8")


def print_block() -> str:
    blocks = re.findall(r"@media print \{(.*?)\n\}", CSS, re.DOTALL)
    return "\n".join(blocks)


def test_print_keeps_the_apt_form_and_every_column():
    rules = print_block()
    assert re.search(r"\.handbok-apt__form\.handbok-filter:not\(\[hidden\]\) \{ display: flex !important; \}", rules)
    assert ".handbok-table-wrap.handbok-apt" in rules and "overflow: visible" in rules


# --- a real build ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("apt-site"), FILES, roles=ROLES, units=UNITS, strict=False,
                       today=TODAY)
    assert built.result.returncode == 0, built.log
    return built


def test_built_apt_page(site, book):
    html = site.page("handbok/apt-lista/")
    assert "<title>APT-lista per enhet" in html
    main = content(html)
    rows = rows_of(main)
    assert [text_of(find(r.html, "th").html) for r in rows] == titles(
        overviews.recent_changes(book, TODAY - dt.timedelta(days=365)))
    link = find(rows[0].html, "a")
    assert link.attrs["href"] == "../../bou/beslut/"
    assert "Dokument som beslutats eller ändrats sedan förra arbetsplatsträffen" in content(site.page("handbok/"))


def test_built_site_without_common_units(tmp_path):
    """No gemensamt or ledning in the registry: each document is for its own unit only."""
    files = {"a.md": doc("A", "vuxen", "2026-05-20"), "b.md": doc("B", "barn-och-unga", "2026-05-21")}
    built = build_site(tmp_path, files, roles=ROLES, units=UNITS[2:], today=TODAY)
    assert built.result.returncode == 0, built.log
    rows = rows_of(content(built.page("handbok/apt-lista/")))
    assert [r.attrs["data-unit"] for r in rows] == ["Barn och unga", "Vuxen"]
