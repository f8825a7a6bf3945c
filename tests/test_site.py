"""The MkDocs site: what `mkdocs build` makes of a handbook, checked in the built HTML.

Real builds in subprocesses (see sitebuild.py); each module-scoped fixture builds once.
The fixture date is 2026-06-01 (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from handbok.core.coverage import load_catalogue
from sitebuild import (
    ROOT,
    build,
    build_site,
    check_json,
    content,
    find,
    find_all,
    links,
    off_site_assets,
    panel_rows,
    resolve,
    search_records,
    section,
    text_of,
    write_site,
)

pytestmark = pytest.mark.slow
SITE_URL = "https://intranat.exempel.se/handbok/"

# The main fixture: one document per state, a process with two routines, an evidence entry, a macro page.
ROLES = [
    {"id": "socialnamnden", "name": "Socialnämnden"},
    {"id": "enhetschef-bou", "name": "Enhetschef barn och unga"},
    {"id": "socialsekreterare", "name": "Socialsekreterare"},
    {"id": "verksamhetsutvecklare", "name": "Verksamhetsutvecklare"},
]
UNITS = [
    {"id": "barn-och-unga", "name": "Barn och unga", "description": "Myndighetsutövning för barn och unga."},
    {"id": "vuxen", "name": "Vuxen – missbruk", "description": "Vuxna med missbruk."},
]
FILES = {
    "index.md": "# Start\n\nVälkommen till handboken.\n",
    "barn-och-unga/processer/barn-och-unga.md": """---
title: Processen för barn och unga
id: process-bou
type: process
owner: Enhetschef barn och unga
unit: barn-och-unga
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
activities:
  - name: Ta emot orosanmälan
    role: Socialsekreterare
    routine: rutin-orosanmalan
  - name: Gör förhandsbedömning
    role: Socialsekreterare
    routine: barn-och-unga/rutiner/forhandsbedomning.md
---

Processen beskriver arbetet från anmälan till beslut.
""",
    "barn-och-unga/rutiner/orosanmalan.md": """---
title: Orosanmälan – mottagande
id: rutin-orosanmalan
type: rutin
owner: Enhetschef barn och unga
unit: barn-och-unga
revised: 2026-03-12
review_by: 2027-01-31
approved_by: Socialnämnden
approved: 2026-02-20
diarienummer: SN 2026/0113
legal_basis:
  - LVU 1 §
  - SoL 10 kap. 1 §
tags: [orosanmälan, skyddsbedömning]
related: [barn-och-unga/rutiner/forhandsbedomning.md]
evidence: [bbic]
responsibilities:
  Enhetschef barn och unga:
    - Ser till att rutinen är känd av alla medarbetare.
  Socialsekreterare:
    - Gör skyddsbedömning samma dag som anmälan kommer in.
changes:
  - date: 2026-03-12
    note: Anpassad till socialtjänstlagen (2025:400).
  - date: 2025-01-10
    note: Första versionen.
---

Anmälan registreras samma dag. Arbetet följer BBIC [@bbic].
""",
    "barn-och-unga/rutiner/forhandsbedomning.md": """---
title: Förhandsbedömning
type: rutin
owner: Socialsekreterare
unit: barn-och-unga
revised: 2025-03-01
review_interval: 12 månader
legal_basis: [SoL 11 kap. 1 §]
---

Börjar när en [orosanmälan](orosanmalan.md) har tagits emot.
""",
    "barn-och-unga/checklistor/skydd.md": """---
title: Checklista skyddsbedömning
type: checklista
owner: Socialsekreterare
unit: barn-och-unga
revised: 2025-06-20
review_by: 2026-06-20
---

- [ ] Barnets säkerhet
""",
    "barn-och-unga/rutiner/utkast.md": """---
title: Utkast till rutin för placering
type: rutin
owner: Enhetschef barn och unga
unit: barn-och-unga
revised: 2026-05-01
review_interval: årligen
status: utkast
legal_basis: [LVU 2 §]
---

Ej fastställd.
""",
    "vuxen/rutiner/gammal.md": """---
title: Gammal zebrafinkrutin
type: rutin
owner: Enhetschef barn och unga
unit: vuxen
revised: 2026-01-01
review_interval: årligen
status: upphävd
replaced_by: rutin-orosanmalan
legal_basis: [SFS 2025:400 5 kap. 1 §]
---

Zebrafinkrutinen gäller inte längre.
""",
    "vuxen/ansvar.md": """---
title: Ansvarsfördelning vuxen
type: ansvarsfördelning
owner: Socialnämnden
unit: vuxen
revised: 2026-01-15
review_interval: årligen
responsibilities:
  Verksamhetsutvecklare:
    - Förvaltar handbokens register.
---

Vem gör vad.
""",
    "evidens/bbic.md": """---
id: bbic
title: Grundbok i BBIC
kind: metodstöd
authors: [Socialstyrelsen]
publisher: Socialstyrelsen
year: 2018
areas: [barn-och-unga]
url: https://www.socialstyrelsen.se/bbic
reviewed: 2026-02-01
review_interval: vartannat år
---

Sammanfattning.
""",
    "makron.md": """# Makron

<div id="m-dok">{{ handbok_dokument(enhet="barn-och-unga", typ="rutin") }}</div>

<div id="m-ansvar">{{ handbok_ansvar("Socialsekreterare") }}</div>

<div id="m-lagrum">{{ handbok_lagrum("LVU 1 §") }}</div>

<div id="m-rev">{{ handbok_revisionslage(enhet="barn-och-unga") }}</div>

<div id="m-fel">{{ handbok_dokument(enhet="finns-inte") }}</div>

<div id="m-fel-roll">{{ handbok_ansvar("Ingen sådan roll") }}</div>

<div id="m-fel-lag">{{ handbok_lagrum("XYZ 3 §") }}</div>
""",
}

# Overdue, due-soon and repealed-law problems are in this fixture: it must still build with --strict.
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("site"), FILES, roles=ROLES, units=UNITS, strict=True,
                       options={"exclude": ["index.md", "makron.md"]}, config={"site_url": SITE_URL})
    assert built.result.returncode == 0, built.log
    return built


def page(built, url: str) -> str:
    return content(built.page(url))


def hrefs_to(built, url: str, fragment: str) -> list[str]:
    """Where the links in `fragment` (on the page at `url`) point, site-relative."""
    return [resolve(url, href) for href, _ in links(fragment)]


# --- the build itself ----------------------------------------------------------------------------

def test_overdue_due_soon_and_repealed_law_do_not_fail_strict(site):
    for code in ("overdue", "due-soon", "repealed-law"):
        lines = [line for line in site.log.splitlines() if f"[{code}]" in line]
        assert lines and all(line.startswith("INFO") for line in lines), site.log
    assert "WARNING" not in site.log


# --- governed pages --------------------------------------------------------------------------------

BANNERS = [
    ("barn-och-unga/rutiner/forhandsbedomning/", "overdue", "2026-03-01",
     ["Revisionen är försenad", "2026-03-01", "92 dagar sedan", "kontakta Socialsekreterare"]),
    ("barn-och-unga/checklistor/skydd/", "due-soon", "2026-06-20", ["Snart dags för revision", "om 19 dagar"]),
    ("barn-och-unga/rutiner/utkast/", "draft", "2027-05-01", ["Utkast", "inte fastställt"]),
    ("vuxen/rutiner/gammal/", "repealed", "2027-01-01", ["Upphävt", "ersatts av Orosanmälan – mottagande"]),
]


@pytest.mark.parametrize("url, state, review_by, phrases", BANNERS, ids=[b[1] for b in BANNERS])
def test_banner_and_panel_state(site, url, state, review_by, phrases):
    html = page(site, url)
    banners = find_all(html, "div", class_="handbok-banner")
    assert len(banners) == 1
    banner = banners[0]
    assert banner.attrs["data-handbok-status"] == state
    assert banner.attrs["data-review-by"] == review_by
    assert banner.attrs["role"] == "note"
    for phrase in phrases:
        assert phrase in banner.text
    panel = find(html, "section", class_="handbok-meta")
    assert panel.attrs["data-handbok-status"] == state
    assert panel.attrs["data-review-by"] == review_by
    assert banner.start < panel.start  # the banner comes first, before the panel and the text


def test_overdue_banner_links_the_owner_to_the_owners_page(site):
    url = "barn-och-unga/rutiner/forhandsbedomning/"
    banner = find(page(site, url), "div", class_="handbok-banner")
    assert hrefs_to(site, url, banner.html) == ["handbok/dokumentagare/socialsekreterare/"]
    assert (site.site / "handbok/dokumentagare/socialsekreterare/index.html").is_file()


def test_repealed_banner_links_to_successor(site):
    url = "vuxen/rutiner/gammal/"
    banner = find(page(site, url), "div", class_="handbok-banner")
    assert hrefs_to(site, url, banner.html) == ["barn-och-unga/rutiner/orosanmalan/"]


def test_current_document_has_no_banner_and_a_current_panel(site):
    html = page(site, "barn-och-unga/rutiner/orosanmalan/")
    assert not find_all(html, "div", class_="handbok-banner")
    panel = find(html, "section", class_="handbok-meta")
    assert panel.attrs["data-handbok-status"] == "current"
    assert panel.attrs["data-review-by"] == "2027-01-31"
    assert "Aktuell" in panel.text


def test_assets_are_linked_with_local_urls(site):
    url = "barn-och-unga/rutiner/orosanmalan/"
    html = site.page(url)
    sheets = [e.attrs["href"] for e in find_all(html, "link", rel="stylesheet")]
    scripts = [e.attrs["src"] for e in find_all(html, "script", src=None)]
    css = [h for h in sheets if h.endswith("assets/handbok/handbok.css")]
    js = [s for s in scripts if s.endswith("assets/handbok/handbok.js")]
    assert len(css) == 1 and len(js) == 1
    for href in css + js:
        assert not re.match(r"^([a-z]+:)?//", href)
        assert (site.site / resolve(url, href)).is_file()


def test_metadata_panel(site):
    url = "barn-och-unga/rutiner/orosanmalan/"
    rows = panel_rows(page(site, url))
    assert rows["Dokumenttyp"].text == "Rutin"
    assert rows["Dokumentägare"].text == "Enhetschef barn och unga"
    assert [(resolve(url, h), t) for h, t in links(rows["Enhet"].html)] == [
        ("barn-och-unga/", "Barn och unga")]
    assert rows["Beslutad av"].text == "Socialnämnden"
    assert rows["Beslutsdatum"].text == "2026-02-20"
    assert rows["Diarienummer"].text == "SN 2026/0113"
    assert rows["Senast reviderad"].text == "2026-03-12"
    # The summary line: the next review with the days left on the build day (2026-06-01).
    assert rows["Nästa revision"].text == "2027-01-31 (om 244 dagar)"
    assert "Status" not in rows  # the status pill says it (and the banner, for drafts and repealed documents)
    law = links(rows["Lagrum"].html)
    # A link to another host says so to screen readers (page shell: " (extern webbplats)", hidden on screen).
    assert law[0][1] == "LVU 1 § (extern webbplats)" and "sfs-1990-52" in law[0][0]
    assert law[0][0].startswith("https://www.riksdagen.se/")
    # Revised after 2025-07-01: "SoL" is the new socialtjänstlag (2025:400).
    assert law[1][1] == "SoL 10 kap. 1 § (extern webbplats)" and "sfs-2025-400" in law[1][0]
    assert "upphävd" not in rows["Lagrum"].text
    assert [(resolve(url, h), t) for h, t in links(rows["Kunskapsunderlag"].html)] == [
        ("evidens/bbic/", "Grundbok i BBIC")]
    assert [(resolve(url, h), t) for h, t in links(rows["Relaterade dokument"].html)] == [
        ("barn-och-unga/rutiner/forhandsbedomning/", "Förhandsbedömning")]
    for target in ("barn-och-unga/", "evidens/bbic/", "barn-och-unga/rutiner/forhandsbedomning/"):
        assert (site.site / target / "index.html").is_file()


def test_repealed_act_is_flagged_in_the_panel(site):
    rows = panel_rows(page(site, "barn-och-unga/rutiner/forhandsbedomning/"))
    law = rows["Lagrum"]
    assert "sfs-2001-453" in links(law.html)[0][0]
    assert "upphävd 2025-07-01" in law.text and "2025:400" in law.text


def test_inline_citation_links_to_the_evidence_entry(site):
    url = "barn-och-unga/rutiner/orosanmalan/"
    cite = find(page(site, url), "a", class_="handbok-cite")
    assert cite.text == "Socialstyrelsen 2018"
    assert resolve(url, cite.attrs["href"]) == "evidens/bbic/"


def test_responsibility_table_is_accessible(site):
    html = section(page(site, "barn-och-unga/rutiner/orosanmalan/"), "handbok-ansvar")
    table = find(html, "table")
    assert find(table.html, "caption").text
    assert [th.text for th in find_all(table.html, "th", scope="col")] == ["Roll", "Ansvar"]
    rows = find_all(find(table.html, "tbody").html, "tr")
    assert [find(r.html, "th", scope="row").text for r in rows] == ["Enhetschef barn och unga", "Socialsekreterare"]
    assert [li.text for li in find_all(rows[1].html, "li")] == ["Gör skyddsbedömning samma dag som anmälan kommer in."]


def test_routine_shows_the_process_it_belongs_to(site):
    url = "barn-och-unga/rutiner/orosanmalan/"
    html = section(page(site, url), "handbok-processer")
    assert "Ingår i process" in html
    assert hrefs_to(site, url, html) == ["barn-och-unga/processer/barn-och-unga/"]


def test_back_links_from_related_and_from_markdown_links(site):
    # forhandsbedomning links to orosanmalan in its text; orosanmalan lists forhandsbedomning as related.
    url = "barn-och-unga/rutiner/orosanmalan/"
    html = section(page(site, url), "handbok-hanvisningar")
    assert "Dokument som hänvisar hit" in html
    assert hrefs_to(site, url, html) == ["barn-och-unga/rutiner/forhandsbedomning/"]
    url = "barn-och-unga/rutiner/forhandsbedomning/"
    back = section(page(site, url), "handbok-hanvisningar")
    assert hrefs_to(site, url, back) == ["barn-och-unga/rutiner/orosanmalan/"]
    url = "evidens/bbic/"
    assert "barn-och-unga/rutiner/orosanmalan/" in hrefs_to(site, url, section(page(site, url), "handbok-hanvisningar"))


def test_change_log_newest_first(site):
    html = section(page(site, "barn-och-unga/rutiner/orosanmalan/"), "handbok-andringslogg")
    rows = find_all(find(html, "tbody").html, "tr")
    assert [[td.text for td in find_all(r.html, "td")] for r in rows] == [
        ["2026-03-12", "Anpassad till socialtjänstlagen (2025:400)."], ["2025-01-10", "Första versionen."]]
    assert find(html, "caption").text


def test_process_map_links_every_routine_in_order(site):
    url = "barn-och-unga/processer/barn-och-unga/"
    flow = find(page(site, url), "ol", class_="handbok-flow")
    steps = find_all(flow.html, "li", class_="handbok-flow__step")
    assert [find(s.html, "span", class_="handbok-flow__name").text for s in steps] == [
        "Ta emot orosanmälan", "Gör förhandsbedömning"]
    assert all("Socialsekreterare" in s.text for s in steps)
    assert hrefs_to(site, url, flow.html) == [
        "barn-och-unga/rutiner/orosanmalan/", "barn-och-unga/rutiner/forhandsbedomning/"]


def test_no_attribute_list_syntax_leaks_into_headings(site):
    for path in site.html_files():
        assert "{#" not in text_of(path.read_text(encoding="utf-8")), path


# --- generated pages -------------------------------------------------------------------------------

GENERATED = ["revisionslage/", "dokumentagare/", "ansvar-per-roll/", "lagrum/", "enheter/", "nytt/", "tackning/",
             "arkiv/"]


def test_overview_links_to_every_generated_page(site):
    targets = hrefs_to(site, "handbok/", page(site, "handbok/"))
    for name in GENERATED:
        assert f"handbok/{name}" in targets
        assert (site.site / "handbok" / name / "index.html").is_file()


def test_generated_pages_are_in_the_navigation_as_oversikter(site):
    nav = find(site.page(""), "nav", class_="md-nav--primary")
    assert "Översikter" in nav.text and "Revisionsläge" in nav.text


def test_revision_status_page(site):
    html = page(site, "handbok/revisionslage/")
    counts = {li.attrs["data-handbok-count"]: int(find(li.html, "span", class_="handbok-count__n").text)
              for li in find_all(html, "li", data_handbok_count=None)}
    # current: orosanmälan, the process, the responsibility doc and the evidence entry
    assert counts == {"overdue": 1, "due-soon": 1, "current": 4, "draft": 1, "repealed": 1}
    rows = find_all(find(html, "table", id="handbok-revisionslage").html, "tr", data_handbok_status=None)
    states = [r.attrs["data-handbok-status"] for r in rows]
    order = ["overdue", "due-soon", "current", "draft", "repealed"]
    assert states == sorted(states, key=order.index)
    assert states[0] == "overdue" and "Förhandsbedömning" in rows[0].text
    assert rows[0].attrs["data-review-by"] == "2026-03-01"
    # The filter form: every select has a label.
    form = find(html, "form", class_="handbok-filter")
    selects = find_all(form.html, "select")
    assert len(selects) == 4
    labels = {e.attrs["for"]: e.text for e in find_all(form.html, "label")}
    assert [labels[s.attrs["id"]] for s in selects] == ["Dokumentägare", "Enhet", "Typ", "Status"]
    unit_options = [o.text for o in find_all(selects[1].html, "option")]
    assert unit_options == ["Alla", "Barn och unga", "Vuxen – missbruk"]


def test_owner_page_puts_owners_with_overdue_documents_first(site):
    url = "handbok/dokumentagare/"
    html = page(site, url)
    rows = find_all(find(html, "tbody").html, "tr")
    owners = [find(r.html, "th").text for r in rows]
    assert owners[0] == "Socialsekreterare"
    assert {"Enhetschef barn och unga", "Socialnämnden"} <= set(owners)
    assert [td.text for td in find_all(rows[0].html, "td")] == ["2", "1", "1"]  # documents, overdue, due soon
    # Each owner has a page of their own with their documents, overdue first.
    owner_url = resolve(url, links(rows[0].html)[0][0])
    assert owner_url == "handbok/dokumentagare/socialsekreterare/"
    own = page(site, owner_url)
    assert "1 försenade" in text_of(own) and "1 snart dags" in text_of(own)
    assert hrefs_to(site, owner_url, find(own, "tbody").html) == [
        "barn-och-unga/rutiner/forhandsbedomning/", "barn-och-unga/checklistor/skydd/"]


def test_duties_appear_under_their_role_with_a_link_to_the_source(site):
    index = page(site, "handbok/ansvar-per-roll/")
    role_urls = {a_text: resolve("handbok/ansvar-per-roll/", href) for href, a_text in links(index)}
    url = role_urls["Verksamhetsutvecklare"]
    assert url == "handbok/ansvar-per-roll/verksamhetsutvecklare/"
    html = page(site, url)
    row = find(find(section(html, "ansvar"), "tbody").html, "tr")
    assert find(row.html, "td").text == "Förvaltar handbokens register."
    assert hrefs_to(site, url, row.html) == ["vuxen/ansvar/"]
    url = role_urls["Socialsekreterare"]
    part = page(site, url)
    assert "Gör skyddsbedömning samma dag som anmälan kommer in." in text_of(part)
    assert "Ta emot orosanmälan" in text_of(section(part, "aktiviteter"))  # activity in the process
    assert "barn-och-unga/processer/barn-och-unga/" in hrefs_to(site, url, part)


def test_law_page_lists_citing_documents_and_locations(site):
    url = "handbok/lagrum/"
    html = page(site, url)

    def act(act_id):
        return find(html, "tr", id=f"lag-{act_id}").html

    lvu = act("lvu")
    rows = {resolve(url, links(li.html)[0][0]): li.text.rsplit(" – ", 1)[1] for li in find_all(lvu, "li")}
    assert rows == {"barn-och-unga/rutiner/orosanmalan/": "1 §", "barn-och-unga/rutiner/utkast/": "2 §"}
    assert any("sfs-1990-52" in h for h, _ in links(lvu))
    old = act("sol-2001")
    assert "Upphävd 2025-07-01" in text_of(old) and "ersatt av socialtjänstlagen (2025:400)" in text_of(old)
    assert "11 kap. 1 §" in text_of(old)
    assert "barn-och-unga/rutiner/forhandsbedomning/" in hrefs_to(site, url, old)
    assert "Upphävd" not in text_of(act("sol-2025"))
    assert "Gäller sedan 2025-07-01" in text_of(act("sol-2025"))


def test_unit_pages_group_documents_by_type(site):
    index = page(site, "handbok/enheter/")
    units = set(hrefs_to(site, "handbok/enheter/", index))
    # A unit with a folder of its own has its start page there (the folder's section opens on it).
    assert {"barn-och-unga/", "vuxen/"} <= units
    url = "barn-och-unga/"
    html = page(site, url)
    assert "Myndighetsutövning för barn och unga." in text_of(html)
    assert hrefs_to(site, url, section(html, "typ-process")) == ["barn-och-unga/processer/barn-och-unga/"]
    assert hrefs_to(site, url, section(html, "typ-rutin")) == [
        "barn-och-unga/rutiner/forhandsbedomning/", "barn-och-unga/rutiner/orosanmalan/",
        "barn-och-unga/rutiner/utkast/"]
    assert hrefs_to(site, url, section(html, "typ-checklista")) == ["barn-och-unga/checklistor/skydd/"]
    assert hrefs_to(site, url, section(html, "kunskapsunderlag")) == ["evidens/bbic/"]
    headings = [h.text for h in find_all(html, "h2")]
    assert headings.index("Processer") < headings.index("Rutiner") < headings.index("Checklistor")
    vuxen = page(site, "vuxen/")
    assert "Ansvarsfördelning vuxen" in text_of(vuxen)
    assert "zebrafink" not in text_of(vuxen).lower()  # repealed documents are not on unit pages


def test_news_page_and_atom_feed(site):
    url = "handbok/nytt/"
    html = page(site, url)
    rows = find_all(find(html, "tbody").html, "tr")
    dates = [find(r.html, "time").attrs["datetime"] for r in rows]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2026-05-01"
    oros = next(r for r in rows if "Orosanmälan" in r.text)
    assert "Anpassad till socialtjänstlagen (2025:400)." in oros.text
    feed_links = [h for h, _ in links(html) if h.endswith(".xml")]
    assert [resolve(url, h) for h in feed_links] == ["handbok/nytt.xml"]

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(site.site / "handbok" / "nytt.xml").getroot()
    assert root.tag == f"{atom}feed"
    assert root.find(f"{atom}id").text and root.find(f"{atom}updated").text.startswith("2026-05-01")
    entries = root.findall(f"{atom}entry")
    assert len(entries) == len(rows)
    updated = [e.find(f"{atom}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    by_title = {e.find(f"{atom}title").text: e for e in entries}
    entry = by_title["Orosanmälan – mottagande"]
    assert entry.find(f"{atom}link").attrib["href"] == SITE_URL + "barn-och-unga/rutiner/orosanmalan/"
    assert entry.find(f"{atom}summary").text == "Anpassad till socialtjänstlagen (2025:400)."
    assert entry.find(f"{atom}author/{atom}name").text == "Enhetschef barn och unga"
    assert len({e.find(f"{atom}id").text for e in entries}) == len(entries)


def test_archive_lists_repealed_documents_with_successor(site):
    url = "handbok/arkiv/"
    rows = find_all(find(page(site, url), "tbody").html, "tr")
    assert len(rows) == 1
    assert hrefs_to(site, url, rows[0].html) == ["vuxen/rutiner/gammal/", "barn-och-unga/rutiner/orosanmalan/"]


def test_coverage_page_says_when_coverage_is_off(site):
    assert "avstängd" in text_of(page(site, "handbok/tackning/"))


# --- search ----------------------------------------------------------------------------------------

def _search(built) -> list[dict]:
    """The site search's records (sitebuild.search_records) as location, title and text."""
    return [{"location": url, "title": r["meta"].get("title", ""), "text": r["content"]}
            for url, r in sorted(search_records(built.site).items())]


def _tokens(text: str) -> set[str]:
    """The words of an indexed text, lower-cased (punctuation is not part of a word to the index)."""
    return set(re.findall(r"\w+", text.lower()))


def test_search_index_finds_a_document_by_owner_law_and_unit(site):
    entry = next(d for d in _search(site) if d["location"] == "barn-och-unga/rutiner/orosanmalan/")
    words = _tokens(entry["text"])
    assert {"enhetschef", "lvu", "barn", "unga", "socialnämnden"} <= words, entry["text"]


def test_repealed_document_is_not_in_the_search_index(site):
    docs = _search(site)
    assert not [d for d in docs if d["location"].startswith("vuxen/rutiner/gammal/")]
    assert not [d for d in docs if "zebrafinkrutinen gäller" in d["text"].lower()]
    assert any(d["location"].startswith("barn-och-unga/rutiner/utkast/") for d in docs)  # drafts are searchable


# --- macros ----------------------------------------------------------------------------------------

def test_macros_render_lists_and_links(site):
    url = "makron/"
    html = page(site, url)

    def block(ident):
        return find(html, "div", id=ident).html

    assert hrefs_to(site, url, block("m-dok")) == [
        "barn-och-unga/rutiner/forhandsbedomning/", "barn-och-unga/rutiner/orosanmalan/",
        "barn-och-unga/rutiner/utkast/"]
    ansvar = block("m-ansvar")
    assert "Gör skyddsbedömning samma dag som anmälan kommer in." in text_of(ansvar)
    assert hrefs_to(site, url, ansvar) == ["barn-och-unga/rutiner/orosanmalan/"]
    (href, text), = links(block("m-lagrum"))
    assert text == "LVU 1 § (extern webbplats)" and "sfs-1990-52" in href
    rows = find_all(block("m-rev"), "tr", data_handbok_status=None)
    assert [r.attrs["data-handbok-status"] for r in rows] == ["overdue", "due-soon", "current", "current", "draft"]


@pytest.mark.parametrize("ident, message", [
    ("m-fel", "enheten ”finns-inte” finns inte i enhetsregistret"),
    ("m-fel-roll", "rollen ”Ingen sådan roll” finns inte i rollregistret"),
    ("m-fel-lag", "XYZ"),
])
def test_macro_errors_are_swedish_notes(site, ident, message):
    note = find(find(page(site, "makron/"), "div", id=ident).html, "span", class_="handbok-macro-error")
    assert note.text.startswith("Makrofel:") and message in note.text


# --- no assets from other hosts ------------------------------------------------------------------------

def test_fixture_site_loads_nothing_from_other_hosts(site):
    assert off_site_assets(site.site) == []
    # Links to the official law texts are fine (and expected).
    assert "https://www.riksdagen.se/" in site.page("barn-och-unga/rutiner/orosanmalan/")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    built = build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")
    assert built.result.returncode == 0, built.log
    return built


def test_example_handbook_loads_nothing_from_other_hosts(example):
    assert len(example.html_files()) > 20
    assert off_site_assets(example.site) == []


# --- minimal wiring: theme material, plugins search + handbok, nothing else ---------------------------

@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    files = {k: v for k, v in FILES.items() if k != "makron.md"}
    root = tmp_path_factory.mktemp("minimal")
    cfg = write_site(root, files, minimal=True)
    assert yaml.safe_load(cfg.read_text(encoding="utf-8")) == {
        "site_name": "Minimal handbok", "theme": "material", "plugins": ["search", "handbok"]}
    built = build(cfg)
    assert built.result.returncode == 0, built.log
    return built


def test_minimal_configuration_builds_panels_and_generated_pages(minimal):
    html = page(minimal, "barn-och-unga/rutiner/orosanmalan/")
    assert find(html, "section", class_="handbok-meta").attrs["data-handbok-status"] == "current"
    assert find_all(page(minimal, "barn-och-unga/rutiner/forhandsbedomning/"), "div", class_="handbok-banner")
    for name in GENERATED:
        assert (minimal.site / "handbok" / name / "index.html").is_file(), name
    assert (minimal.site / "handbok" / "nytt.xml").is_file()
    assert (minimal.site / "handbok.json").is_file()
    assert (minimal.site / "assets" / "handbok" / "handbok.css").is_file()
    assert "assets/handbok/handbok.js" in minimal.page("")


def test_minimal_configuration_has_no_attribute_list_leaks_and_no_google_fonts(minimal):
    for path in minimal.html_files():
        assert "{#" not in text_of(path.read_text(encoding="utf-8")), path
    assert off_site_assets(minimal.site) == []


def test_feed_without_site_url_links_relative_to_the_feed(minimal):
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(minimal.site / "handbok" / "nytt.xml").getroot()
    entries = root.findall(f"{atom}entry")
    assert entries
    for entry in entries:
        assert re.match(r"^[a-z][a-z0-9+.-]*:", entry.find(f"{atom}id").text)  # absolute IRI
        target = resolve("handbok/nytt.xml", entry.find(f"{atom}link").attrib["href"])
        assert (minimal.site / target / "index.html").is_file(), target


def test_coverage_page_when_coverage_is_on(minimal):
    url = "handbok/tackning/"
    html = page(minimal, url)
    rows = find_all(find(html, "tbody").html, "tr", data_handbok_coverage=None)
    assert len(rows) > 5
    covered = [r for r in rows if r.attrs["data-handbok-coverage"] == "covered"]
    assert [find(r.html, "span", class_="handbok-req__location").text for r in covered] == ["4 kap. 4 §"]
    assert hrefs_to(minimal, url, covered[0].html) == ["barn-och-unga/processer/barn-och-unga/"]
    assert all("Saknas" in r.text for r in rows if r not in covered)
    assert f"1 av {len(rows)}" in text_of(html)
    # Each requirement says whether its number was read in the consolidated text, and the summary counts them.
    unchecked = {r.location for r in load_catalogue().requirements if not r.verified}
    for row in rows:
        location = find(row.html, "span", class_="handbok-req__location").text
        assert ("ej kontrollerat mot författningstexten" in row.text) == (location in unchecked), location
    summary = find(html, "p", class_="handbok-coverage-unverified").text
    assert "mot den konsoliderade texten av SOSFS 2011:9" in summary
    assert ("Inget av" in summary) == (len(unchecked) == len(rows)) or f"{len(unchecked)} av" in summary


# --- escaping: hostile text in front matter and registries ---------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "{{ 7*7 }}"
AMP = "&amp;"
HOSTILE_TITLE = f"Rutin {SCRIPT} {IMG} {JINJA} {AMP}"


def _doc(meta: dict, body: str = "Brödtext.\n") -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


HOSTILE_FILES = {
    "index.md": "# Start\n",
    "hostile.md": _doc({
        "title": HOSTILE_TITLE, "type": "process", "owner": SCRIPT, "unit": "elak-enhet",
        "revised": "2026-03-01", "review_interval": "årligen", "legal_basis": ["LVU 1 §"], "tags": [SCRIPT, IMG],
        "description": f"Beskrivning {SCRIPT} {IMG}", "approved_by": SCRIPT, "diarienummer": IMG,
        "responsibilities": {SCRIPT: [f"Ansvar {SCRIPT}", f"Ansvar {IMG} {JINJA}"]},
        "changes": [{"date": "2026-03-01", "note": f"Ändrat {SCRIPT} {IMG} {JINJA} {AMP}"}],
        "activities": [{"name": f"Aktivitet {JINJA} {SCRIPT}", "role": SCRIPT, "routine": "rutin-b"},
                       {"name": f"Utan rutin {IMG}", "role": "Socialsekreterare"}]}),
    "b.md": _doc({"title": f"B {IMG}", "id": "rutin-b", "type": "rutin", "owner": "elak", "unit": "elak-enhet",
                  "revised": "2026-03-01", "review_interval": "årligen", "legal_basis": ["LVU 1 §"],
                  "related": ["hostile.md"], "changes": [{"date": "2026-04-01", "note": IMG}]}),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("hostile"), HOSTILE_FILES, config={"site_url": SITE_URL},
                       roles=[{"id": "elak", "name": SCRIPT}, "Socialsekreterare"],
                       units=[{"id": "elak-enhet", "name": IMG, "description": SCRIPT}])
    assert built.result.returncode == 0, built.log
    return built


def test_hostile_text_is_never_raw_html_in_any_page(hostile):
    files = hostile.html_files() + [hostile.site / "handbok" / "nytt.xml"]
    assert len(files) > 10
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert "<script>alert" not in source, path
        assert "<img src=x" not in source, path
        assert "onerror=alert(1)>" not in source.replace("onerror=alert(1)&gt;", ""), path
        for img in find_all(source, "img"):  # no element was injected
            assert "onerror" not in img.attrs, path


def test_hostile_text_is_shown_as_text_and_not_evaluated(hostile):
    html = hostile.page("hostile/")
    main = content(html)
    assert find(main, "h1").text == HOSTILE_TITLE
    assert find(html, "title").text.startswith(HOSTILE_TITLE)
    assert HOSTILE_TITLE in find(html, "nav", class_="md-nav--primary").text
    assert "49" not in text_of(main)
    rows = panel_rows(main)
    assert rows["Dokumentägare"].text == SCRIPT
    assert rows["Enhet"].text == IMG
    assert rows["Beslutad av"].text == SCRIPT
    assert rows["Diarienummer"].text == IMG
    duties = [li.text for li in find_all(section(main, "handbok-ansvar"), "li")]
    assert duties == [f"Ansvar {SCRIPT}", f"Ansvar {IMG} {JINJA}"]
    assert find(section(main, "handbok-ansvar"), "th", scope="row").text == SCRIPT
    assert f"Ändrat {SCRIPT} {IMG} {JINJA} {AMP}" in text_of(section(main, "handbok-andringslogg"))
    names = [e.text for e in find_all(main, "span", class_="handbok-flow__name")]
    assert names == [f"Aktivitet {JINJA} {SCRIPT}", f"Utan rutin {IMG}"]
    meta = find(html, "meta", name="description")
    assert meta.attrs["content"] == f"Beskrivning {SCRIPT} {IMG}"


@pytest.mark.parametrize("url, expected", [
    ("handbok/dokumentagare/", [SCRIPT]),
    ("handbok/ansvar-per-roll/", [SCRIPT]),
    ("handbok/revisionslage/", [SCRIPT, IMG, HOSTILE_TITLE]),
    ("handbok/enheter/", [IMG, SCRIPT]),
    ("handbok/enheter/elak-enhet/", [IMG, SCRIPT, HOSTILE_TITLE]),
    ("handbok/nytt/", [HOSTILE_TITLE, IMG]),
    ("handbok/lagrum/", [HOSTILE_TITLE]),
])
def test_hostile_text_on_generated_pages(hostile, url, expected):
    text = text_of(page(hostile, url))
    for value in expected:
        assert value in text
    # {{ 7*7 }} was not evaluated: no 49 outside the page's counts and act numbers ('HSLF-FS 2017:49')
    counted = text_of(re.sub(r'<ul class="handbok-counts".*?</ul>', "", page(hostile, url), flags=re.S))
    assert not re.search(r"(?<![:/\d])49(?!\d)", counted)


def test_hostile_text_on_owner_and_role_pages(hostile):
    """The pages of a hostile owner and role, reached through the links of their index pages."""
    texts = []
    for index in ("handbok/dokumentagare/", "handbok/ansvar-per-roll/"):
        for href, label in links(content(page(hostile, index))):
            if label == SCRIPT:
                texts.append(text_of(page(hostile, resolve(index, href))))
    assert len(texts) == 2
    owner, role = texts
    assert HOSTILE_TITLE in owner and IMG in owner
    assert f"Ansvar {IMG} {JINJA}" in role and f"Aktivitet {JINJA} {SCRIPT}" in role
    assert "49" not in owner + role


def test_hostile_text_in_feed_and_search_index(hostile):
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(hostile.site / "handbok" / "nytt.xml").getroot()
    titles = [e.find(f"{atom}title").text for e in root.findall(f"{atom}entry")]
    assert HOSTILE_TITLE in titles
    # The index holds text, never markup: the hostile title arrives as the characters it is, and the
    # browser shows it with textContent (assets/handbok-search.js writes no HTML of what it finds).
    records = _search(hostile)
    assert any(HOSTILE_TITLE in r["title"] for r in records)
    script = (hostile.site / "assets" / "handbok" / "handbok-search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


# --- strict mode -----------------------------------------------------------------------------------------

STRICT_ROLES = ["Enhetschef", "Socialsekreterare"]


def _valid(**changes) -> str:
    meta = {"title": "En rutin", "type": "rutin", "owner": "Enhetschef", "revised": "2026-03-01",
            "review_interval": "årligen", "legal_basis": ["LVU 1 §"], "approved_by": "Enhetschef",
            "approved": "2026-03-01"}
    meta.update(changes)
    return _doc({k: v for k, v in meta.items() if v is not None})


INVALID = {
    "missing-field": _valid(owner=None),
    "bad-date": _valid(revised="2026-02-30"),
    "unknown-role": _valid(owner="Okänd chef"),
    "broken-related": _valid(related=["finns-inte"]),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_document_fails_strict_with_the_check_message(tmp_path, case):
    files = {"index.md": "# Start\n", "ok.md": _valid(title="Giltig"), "fel.md": INVALID[case]}
    cfg = write_site(tmp_path, files, roles=STRICT_ROLES)
    built = build(cfg, strict=True)
    assert built.result.returncode != 0, built.log
    assert "Traceback" not in built.log
    report = json.loads(check_json(cfg).stdout)
    errors = [p for p in report["problems"] if p["path"] == "fel.md" and p["severity"] == "error"]
    assert errors, report
    for problem in errors:
        where = f"fel.md:{problem['line']}" if problem.get("line") else "fel.md"
        expected = f"{where}: {problem['message']} [{problem['code']}]"
        warned = any(line.startswith("WARNING") and expected in line for line in built.log.splitlines())
        assert warned, (expected, built.log)
    assert "ok.md" not in built.log


def test_invalid_document_still_builds_without_strict(tmp_path):
    files = {"index.md": "# Start\n", "fel.md": INVALID["unknown-role"]}
    built = build(write_site(tmp_path, files, roles=STRICT_ROLES))
    assert built.result.returncode == 0, built.log
    assert (built.site / "fel" / "index.html").is_file()


def test_process_activity_with_unknown_routine_fails_strict(tmp_path):
    process = _doc({"title": "Processen", "type": "process", "owner": "Enhetschef", "revised": "2026-03-01",
                    "review_interval": "årligen", "legal_basis": ["SOSFS 2011:9 4 kap. 3 §"],
                    "activities": [{"name": "Ta emot", "role": "Socialsekreterare", "routine": "rutin-finns-inte"}]})
    built = build_site(tmp_path, {"index.md": "# Start\n", "process.md": process}, roles=STRICT_ROLES, strict=True)
    assert built.result.returncode != 0, built.log
    warnings = [line for line in built.log.splitlines() if line.startswith("WARNING")]
    assert any("process.md" in line and "activities" in line and "rutin-finns-inte" in line
               for line in warnings), built.log


LATIN1 = _valid(title="Rutin för åtgärder").encode("latin-1")


def test_non_utf8_file_shows_a_notice_page(tmp_path):
    built = build_site(tmp_path, {"index.md": "# Start\n", "ok.md": _valid(), "trasig.md": LATIN1}, roles=STRICT_ROLES)
    assert built.result.returncode == 0, built.log
    assert "Traceback" not in built.log
    html = page(built, "trasig/")
    assert "Dokumentet kan inte visas" in text_of(html) and "UTF-8" in text_of(html)
    assert find(page(built, "ok/"), "section", class_="handbok-meta")


def test_non_utf8_file_fails_strict(tmp_path):
    built = build_site(tmp_path, {"index.md": "# Start\n", "trasig.md": LATIN1}, roles=STRICT_ROLES, strict=True)
    assert built.result.returncode != 0
    assert "Traceback" not in built.log
    assert any(line.startswith("WARNING") and "trasig.md" in line and "[invalid-encoding]" in line
               for line in built.log.splitlines()), built.log
