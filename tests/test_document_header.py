"""The document header (issue "a lighter document header"): one summary line and the rest folded,
the page's H1 is the document's title (`heading-differs`), and law links to a site's own mirror
(`law_links`).

Unit tests for the pure parts; the rest through real builds and the real CLI in subprocesses
(sitebuild.py, conftest.run_cli). The build date is 2026-06-01.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import run_cli
from handbok.core import headings
from handbok.core.legal import Act, linked
from handbok.core.settings import ConfigError, law_link_errors, settings_from_options
from handbok.render.document import day_phrase
from sitebuild import TODAY, build, check_json, find, find_all, links, panel_rows, resolve, text_of, write_site

pytestmark = pytest.mark.slow  # real builds and the CLI in subprocesses

ROLES = [{"id": "enhetschef", "name": "Enhetschef barn och unga"}, {"id": "socialchef", "name": "Socialchef"}]
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga"}]

ROUTINE = """---
title: {title}
id: {id}
type: rutin
owner: Enhetschef barn och unga
unit: barn-och-unga
revised: 2026-03-12
review_by: 2027-01-31
approved_by: Socialchef
approved: 2026-03-01
diarienummer: SN 2026/0113
legal_basis: [LVU 1 §, SoL 10 kap. 1 §]
tags: [orosanmälan, skyddsbedömning]
---
{body}
"""

EVIDENCE = """---
title: Grundbok i BBIC
id: bbic
kind: metodstöd
publisher: Socialstyrelsen
year: 2018
areas: [barn-och-unga]
url: https://www.socialstyrelsen.se/bbic
owner: Socialchef
reviewed: 2026-03-01
review_interval: årligen
---
Grundboken beskriver BBIC.
"""

HOSTILE = '<img src=x onerror="alert(1)"> & "citat"'


def routine(title: str, doc_id: str, body: str) -> str:
    return ROUTINE.format(title=title, id=doc_id, body=body)


FILES = {
    "index.md": "Välkommen.\n",
    # No H1 of its own: the title is the page's H1.
    "rutiner/utan-rubrik.md": routine("Orosanmälan – mottagande", "rutin-utan", "## Syfte\n\nText.\n"),
    # An H1 equal to the title (after spaces and emphasis): no warning.
    "rutiner/samma.md": routine("Förhandsbedömning inom 14 dagar", "rutin-samma",
                                "# Förhandsbedömning  inom *14* dagar {: #start }\n\n## Syfte\n\nText.\n"),
    # An H1 that differs: a warning on its line.
    "rutiner/olika.md": routine("Utredning av barns behov enligt BBIC", "rutin-olika",
                                "Inledning.\n\n# Utredning\n\nText.\n\n# Andra rubriken\n"),
    # A heading line inside a code block is no heading.
    "rutiner/kod.md": routine("Kodexempel", "rutin-kod", "```markdown\n# Inte en rubrik\n```\n\nText.\n"),
    # Hostile text in the title and in a differing H1.
    "rutiner/fientlig.md": routine(json.dumps(HOSTILE, ensure_ascii=False), "rutin-fientlig",
                                   "## Syfte\n\nText.\n"),
    "rutiner/fientlig-rubrik.md": routine("Vanlig titel", "rutin-fientlig-rubrik", f"# {HOSTILE}\n\nText.\n"),
    "evidens/bbic.md": EVIDENCE,
}


def _site(root: Path, options: dict | None = None):
    return write_site(root, FILES, roles=ROLES, units=UNITS, options=options)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build(_site(tmp_path_factory.mktemp("header")))
    assert result.result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory):
    result = build(_site(tmp_path_factory.mktemp("mirror"),
                         {"law_links": "https://lagar.intranat.exempel.se/{series}/{year}/{serial}?id={id}"}))
    assert result.result.returncode == 0, result.log
    return result


# --- the page's H1 ------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "expected"), [
    ("# Rubrik\n\nText", (10, "Rubrik")),
    ("Text\n\n## Underrubrik\n\n# Sen rubrik #\n", (14, "Sen rubrik")),
    ("```\n# kod\n```\n\n~~~\n# mer kod\n~~~\n", None),
    ("````\n```\n# kod\n```\n````\n# Efter\n", (15, "Efter")),
    ("Rubrik\n======\n\nText", (10, "Rubrik")),
    ("    # indragen kod\n\n#Ingen rubrik\n\n## Nivå två\n", None),
    ("Text utan rubriker", None),
])
def test_first_h1_outside_code(body, expected):
    assert headings.first_h1(body, 10) == expected


def test_normalized_heading_ignores_spaces_emphasis_and_attributes():
    assert headings.normalized("Förhandsbedömning  inom *14* dagar {#start}") == "Förhandsbedömning inom 14 dagar"
    assert headings.normalized("`Lex` _Sarah_") == "Lex Sarah"


def test_heading_differs_is_reported_with_file_line_and_both_texts(tmp_path):
    cfg = _site(tmp_path)
    check = check_json(cfg)
    problems = [p for p in json.loads(check.stdout)["problems"] if p["code"] == "heading-differs"]
    by_path = {p["path"]: p for p in problems}
    # Only the first H1 counts; equal, absent and fenced H1s are fine.
    assert set(by_path) == {"rutiner/olika.md", "rutiner/fientlig-rubrik.md"}
    olika = by_path["rutiner/olika.md"]
    assert olika["severity"] == "warning"
    assert olika["line"] == 17  # 14 lines of front matter, then 'Inledning.', '' and the H1
    assert "”Utredning”" in olika["message"] and "”Utredning av barns behov enligt BBIC”" in olika["message"]
    assert "ta bort rubriken" in olika["message"]
    assert "<img src=x onerror" in by_path["rutiner/fientlig-rubrik.md"]["message"]  # data in JSON, as written


def test_heading_differs_in_the_text_report_does_not_fail_the_check(tmp_path):
    files = {name: FILES[name] for name in ("rutiner/olika.md", "rutiner/samma.md", "rutiner/utan-rubrik.md")}
    cfg = write_site(tmp_path, files, roles=ROLES, units=UNITS)
    text = run_cli("check", "-f", str(cfg), "--today", TODAY.isoformat(), cwd=cfg.parent)
    assert "rutiner/olika.md:17" in text.stdout and "[heading-differs]" in text.stdout
    assert "”Utredning”" in text.stdout
    assert text.stdout.count("[heading-differs]") == 1
    assert text.returncode == 0, text.stdout + text.stderr


def test_hostile_title_and_heading_are_escaped(built):
    html = built.page("rutiner/fientlig/")
    article = find(html, "article")
    h1s = find_all(article.html, "h1")
    assert [h.text for h in h1s] == [HOSTILE]
    assert "<img" not in article.html and "onerror=\"alert" not in article.html
    # An author's H1 is the author's HTML: the sanitizer keeps what authors may write, drops the handler.
    other = find(built.page("rutiner/fientlig-rubrik/"), "article")
    assert "onerror" not in other.html
    # The author's own H1 stays first, before the header.
    assert find(other.html, "h1").start < find(other.html, "section", class_="handbok-meta").start


def test_the_title_is_the_h1_before_the_header(built):
    article = find(built.page("rutiner/utan-rubrik/"), "article")
    h1s = find_all(article.html, "h1")
    assert [h.text for h in h1s] == ["Orosanmälan – mottagande"]
    assert h1s[0].start < find(article.html, "section", class_="handbok-meta").start


def test_the_example_handbook_has_no_differing_headings():
    root = Path(__file__).resolve().parents[1]
    check = check_json(root / "mkdocs.yml", today=dt.date(2026, 12, 1))
    assert [p for p in json.loads(check.stdout)["problems"] if p["code"] == "heading-differs"] == []


# --- the summary line and the folded rows -------------------------------------------------------

def test_day_phrase_is_the_scripts_phrase():
    assert [day_phrase(n) for n in (-2, -1, 0, 1, 113)] == [
        "2 dagar sedan", "1 dag sedan", "i dag", "om 1 dag", "om 113 dagar"]


def test_summary_line_has_status_owner_next_review_and_unit(built):
    url = "rutiner/utan-rubrik/"
    panel = find(built.page(url), "section", class_="handbok-meta")
    assert panel.attrs["data-handbok-status"] == "current"
    assert panel.attrs["data-review-by"] == "2027-01-31"
    summary = find(panel.html, "div", class_="handbok-meta__summary")
    pill = find(summary.html, "span", class_="handbok-state handbok-state--current")
    assert pill.text == "Aktuell"
    assert find(summary.html, "p", class_="handbok-meta__state")  # the script's contract
    facts = panel_rows(panel.html)
    in_summary = [find(r.html, "dt").text for r in find_all(summary.html, "div", class_="handbok-meta__row")]
    assert in_summary == ["Dokumentägare", "Nästa revision", "Enhet"]
    owner = links(facts["Dokumentägare"].html)
    assert [(resolve(url, h), t) for h, t in owner] == [
        ("handbok/dokumentagare/enhetschef-barn-och-unga/", "Enhetschef barn och unga")]
    assert facts["Nästa revision"].text == f"2027-01-31 (om {(dt.date(2027, 1, 31) - TODAY).days} dagar)"
    days = find(facts["Nästa revision"].html, "span", **{"data-handbok-days": None})
    assert days.text == f"om {(dt.date(2027, 1, 31) - TODAY).days} dagar"
    assert [(resolve(url, h), t) for h, t in links(facts["Enhet"].html)] == [
        ("handbok/enheter/barn-och-unga/", "Barn och unga")]


def test_other_facts_are_folded_and_status_is_not_repeated(built):
    panel = find(built.page("rutiner/utan-rubrik/"), "section", class_="handbok-meta")
    details = find(panel.html, "details", class_="handbok-meta__more")
    assert "open" not in details.attrs  # closed on screen; the print style shows it
    assert find(details.html, "summary").text == "Mer om dokumentet"
    folded = [find(r.html, "dt").text for r in find_all(details.html, "div", class_="handbok-meta__row")]
    assert folded == ["Dokumenttyp", "Beslutad av", "Beslutsdatum", "Diarienummer", "Senast reviderad",
                      "Lagrum", "Nyckelord"]
    rows = panel_rows(panel.html)
    assert "Status" not in rows and "gällande" not in text_of(panel.html)
    assert rows["Diarienummer"].text == "SN 2026/0113"
    # (The text may end in a note for screen readers that the link leaves the intranet.)
    assert [t.split(" (")[0] for _, t in links(rows["Lagrum"].html)] == ["LVU 1 §", "SoL 10 kap. 1 §"]


def test_search_keeps_values_and_drops_labels(built):
    panel = find(built.page("rutiner/utan-rubrik/"), "section", class_="handbok-meta")
    for row in find_all(panel.html, "div", class_="handbok-meta__row"):
        assert "data-search-exclude" in find(row.html, "dt").attrs
    rows = {find(r.html, "dt").text: r for r in find_all(panel.html, "div", class_="handbok-meta__row")}
    for searchable in ("Dokumentägare", "Enhet", "Lagrum", "Nyckelord", "Diarienummer"):
        assert "data-search-exclude" not in rows[searchable].attrs, searchable
    for excluded in ("Nästa revision", "Beslutsdatum", "Senast reviderad"):
        assert "data-search-exclude" in rows[excluded].attrs, excluded
    assert "data-search-exclude" in find(panel.html, "summary").attrs


def test_evidence_header_has_the_same_structure(built):
    url = "evidens/bbic/"
    panel = find(built.page(url), "section", class_="handbok-meta")
    assert panel.attrs["aria-label"] == "Om kunskapsunderlaget"
    summary = find(panel.html, "div", class_="handbok-meta__summary")
    assert find(summary.html, "span", class_="handbok-state handbok-state--current").text == "Aktuell"
    assert [find(r.html, "dt").text for r in find_all(summary.html, "div", class_="handbok-meta__row")] == [
        "Ansvarig", "Nästa granskning", "Slag"]
    details = find(panel.html, "details", class_="handbok-meta__more")
    assert find(details.html, "summary").text == "Mer om kunskapsunderlaget"
    rows = panel_rows(panel.html)
    assert rows["Utgivare"].text == "Socialstyrelsen" and rows["År"].text == "2018"
    assert [(h, t.split(" (")[0]) for h, t in links(rows["Länk"].html)] == [
        ("https://www.socialstyrelsen.se/bbic", "https://www.socialstyrelsen.se/bbic")]


# --- law links ----------------------------------------------------------------------------------

def _law_hrefs(html: str) -> list[str]:
    return [e.attrs["href"] for e in find_all(html, "a", class_="handbok-law")]


def test_law_links_go_to_the_official_text_by_default(built):
    hrefs = _law_hrefs(built.page("rutiner/utan-rubrik/"))
    assert len(hrefs) == 2 and all(h.startswith("https://www.riksdagen.se/") for h in hrefs)


def test_law_links_template_changes_every_law_link(mirrored):
    hrefs = _law_hrefs(mirrored.page("rutiner/utan-rubrik/"))
    assert hrefs == ["https://lagar.intranat.exempel.se/SFS/1990/52?id=lvu",
                     "https://lagar.intranat.exempel.se/SFS/2025/400?id=sol-2025"]
    law_page = mirrored.page("handbok/lagrum/")
    listed = _law_hrefs(law_page)
    assert listed and all(h.startswith("https://lagar.intranat.exempel.se/") for h in listed)
    assert "https://lagar.intranat.exempel.se/SFS/1990/52?id=lvu" in listed
    assert "riksdagen.se" not in " ".join(listed)


def test_linked_fills_every_placeholder():
    act = Act(id="sosfs-2011-9", title="Ledningssystem", number="HSLF-FS 2011:9", url="https://official/")
    assert linked(act, "/lagar/{series}-{year}-{serial}/{number}/{id}").url == (
        "/lagar/HSLF-FS-2011-9/2011:9/sosfs-2011-9")
    assert linked(act, None) is act
    old_eu = Act(id="dublin", title="Dublinförordningen", number="EU 604/2013")
    assert linked(old_eu, "https://x/{series}/{year}/{serial}").url == "https://x/EU/2013/604"


@pytest.mark.parametrize(("template", "says"), [
    ("https://lagar.exempel.se/{nummer}", "platshållaren {nummer} finns inte"),
    ("https://lagar.exempel.se/{year:04d}", "utan format"),
    ("https://lagar.exempel.se/{", "klammerparentes"),
    ("lagar/{id}", "ska börja med https://"),
])
def test_invalid_law_links_template_is_a_swedish_config_error(template, says):
    assert any(says in error for error in law_link_errors(template))
    with pytest.raises(ConfigError, match="law_links"):
        settings_from_options({"law_links": template}, Path("."))


def test_empty_law_links_is_the_official_address():
    assert settings_from_options({"law_links": ""}, Path(".")).law_links == ""
    assert law_link_errors("https://lagar.exempel.se/{series}/{number}") == []


def test_invalid_law_links_stops_build_and_check_without_traceback(tmp_path):
    cfg = _site(tmp_path, {"law_links": "https://lagar.exempel.se/{nummer}"})
    result = build(cfg)
    assert result.result.returncode != 0
    assert "law_links" in result.log and "platshållaren {nummer} finns inte" in result.log
    assert "Traceback" not in result.log
    check = run_cli("check", "-f", str(cfg), "--today", TODAY.isoformat(), cwd=cfg.parent)
    assert check.returncode != 0
    assert "platshållaren {nummer} finns inte" in check.stdout + check.stderr
