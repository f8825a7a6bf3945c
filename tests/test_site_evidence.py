"""The evidence library end to end: validation in `handbok check` and `mkdocs build --strict`,
citations, entry pages, attachments, the library start page and area pages, escaping.

Every site is built for real by `mkdocs build` in a subprocess (sitebuild.py) from a small handbook
in a tmp dir; the date is fixed with SOURCE_DATE_EPOCH (build) and --today (check).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_cli
from sitebuild import build, search_records, write_site

pytestmark = pytest.mark.slow
TODAY = dt.date(2026, 12, 1)
HOSTILE = "<b>Fet</b> & \"citat\" 'apostrof' </script><script>alert(1)</script> [@bbic] *stjärna* {{ makro }} ö"
HOSTILE_URL = 'https://example.se/?a=1&b="><script>alert(2)</script>'
ROLES = ["Socialchef", "Enhetschef barn och unga", "Enhetschef vuxen", "Verksamhetsutvecklare"]
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga"}, {"id": "vuxen", "name": "Vuxen"},
         {"id": "familjeratt", "name": "Familjerätt"}]
PDF = b"%PDF-1.4\n" + b"0" * 2991  # 3000 bytes: shown as "3 kB"


def _yaml_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def entry(entry_id: str | None, title: str | None = "Titel", *, kind: str = "metodstöd", year: object = 2020,
          areas: str = "[barn-och-unga]", extra: str = "", creator: str = "authors: [Socialstyrelsen]\n",
          source: str = "url: https://www.socialstyrelsen.se/\n", reviewed: str = "2026-06-01",
          body: str = "Sammanfattning av källan.") -> str:
    fields = [f"id: {entry_id}" if entry_id else "", f"title: {_yaml_str(title)}" if title is not None else "",
              f"kind: {kind}", creator, f"year: {year}", f"areas: {areas}", source, f"reviewed: {reviewed}",
              "review_interval: årligen", extra]
    front = "\n".join(f.rstrip("\n") for f in fields if f)
    return f"---\n{front}\n---\n\n{body}\n"


def routine(title: str, unit: str, owner: str, *, evidence: str = "", body: str = "Text.") -> str:
    return (f"---\ntitle: {title}\ntype: rutin\nowner: {owner}\nunit: {unit}\nrevised: 2026-06-01\n"
            f"review_interval: årligen\nlegal_basis:\n  - SOSFS 2011:9 4 kap. 4 §\napproved_by: {owner}\n"
            f"approved: 2026-06-01\n{evidence}---\n\n{body}\n")


GOOD = {
    "index.md": "# Start\n",
    "barn/orosanmalan.md": routine(
        "Orosanmälan", "barn-och-unga", "Enhetschef barn och unga", evidence="evidence: [bbic]\n",
        body="Vi bedömer skyddsbehovet enligt aktuell forskning [@sbu-2020].\n\n```\n[@inte-en-kallhanvisning]\n```\n"),
    "vuxen/mi.md": routine("Motiverande samtal i vuxenenheten", "vuxen", "Enhetschef vuxen",
                           body="Samtalen följer metodstödet [@mi]."),
    "familjeratt/samtal.md": routine("Samarbetssamtal", "familjeratt", "Socialchef", evidence="evidence: [fientlig]\n"),
    "evidens/bbic.md": entry("bbic", "Grundbok i BBIC", year=2018, extra=(
        "file: bilagor/bbic.pdf\nkeywords: [utredning, barn]\nowner: Verksamhetsutvecklare")),
    "evidens/bilagor/bbic.pdf": PDF,
    "evidens/sbu-2020.md": entry(
        "sbu-2020", "Insatser för barn – en systematisk översikt", kind="kunskapsöversikt", year=2020,
        areas="[barn-och-unga, vuxen]", creator="authors: [Anna Forskare, Bo Granskare]\npublisher: SBU\n",
        extra="keywords: [skyddsbedömning, unikt-sokord]",
        body="Översikten visar att strukturerade bedömningar fungerar bättre än ostrukturerade."),
    "evidens/mi.md": entry("mi", "Motiverande samtal – kunskapsstöd", year=2023, areas="[vuxen]"),
    "evidens/gammal.md": entry("gammal", "Gammal vägledning", year=2010, reviewed="2024-01-15"),
    "evidens/fientlig.md": entry(
        "fientlig", HOSTILE, kind="utvärdering", year=2019, areas="[familjeratt]",
        creator=f"authors: [{_yaml_str(HOSTILE)}]\npublisher: {_yaml_str(HOSTILE)}\n",
        source=f"url: {_yaml_str(HOSTILE_URL)}\n",
        extra=f"keywords: [{_yaml_str(HOSTILE)}]\nlanguage: {_yaml_str(HOSTILE)}",
        body="Vanlig sammanfattning."),
}

BAD = {
    "index.md": "# Start\n",
    "evidens/ok.md": entry("ok", "En korrekt post"),
    "evidens/utan-titel.md": entry("utan-titel", None),
    "evidens/ar-20xx.md": entry("ar-20xx", year="20xx"),
    "evidens/ar-1700.md": entry("ar-1700", year=1700),
    "evidens/ar-framtid.md": entry("ar-framtid", year=TODAY.year + 3),
    "evidens/okant-omrade.md": entry("okant-omrade", areas="[rymden]"),
    "evidens/saknad-bilaga.md": entry("saknad-bilaga", source="file: bilagor/finns-inte.pdf\n"),
    "evidens/dubblett-a.md": entry("samma-id", "Första"),
    "evidens/dubblett-b.md": entry("samma-id", "Andra"),
    "evidens/utan-kalla.md": entry("utan-kalla", source=""),
    "evidens/utan-upphov.md": entry("utan-upphov", creator=""),
    "rutin.md": routine("Rutin med fel", "barn-och-unga", "Socialchef", evidence="evidence: [saknas]\n",
                        body="Första raden.\n\nEnligt [@finns-inte] gäller detta."),
}


PLUGINS = [{"search": {"lang": "sv"}}, "handbok"]  # Swedish search, no macros plugin
MARKDOWN = {"markdown_extensions": [{"toc": {"permalink": True}}, "attr_list"]}


def _project(tmp: Path, files: dict) -> Path:
    """Write the handbook below tmp (docs/, registry/, mkdocs.yml); return tmp."""
    write_site(tmp, files, roles=ROLES, units=UNITS, plugins=PLUGINS, config=MARKDOWN)
    return tmp


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = _project(tmp_path_factory.mktemp("bra"), GOOD)
    result = build(root / "mkdocs.yml", strict=True, today=TODAY).result
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> tuple[Path, dict, subprocess.CompletedProcess]:
    root = _project(tmp_path_factory.mktemp("fel"), BAD)
    check = run_cli("check", "--format", "json", "--today", TODAY.isoformat(), cwd=root)
    return root, json.loads(check.stdout), check


# --- HTML helpers -----------------------------------------------------------------------------

class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    return " ".join(" ".join(parser.parts).split())


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def content(html: str) -> str:
    """The page's article, without theme navigation (which lists every page title)."""
    start = html.index('<article class="md-content__inner')
    return html[start:html.index("</article>", start)]


def target(site: Path, page_url: str, href: str) -> Path:
    """The built file a relative href on page_url points at."""
    path = posixpath.normpath(posixpath.join(page_url, href.split("#")[0]))
    candidate = site / path
    return candidate / "index.html" if candidate.is_dir() else candidate


def link_to(html: str, text: str) -> str:
    match = re.search(r'<a[^>]*href="([^"]+)"[^>]*>' + re.escape(text) + "</a>", html)
    assert match, f"ingen länk med texten {text!r}"
    return match.group(1)


def problems_for(report: dict, path: str) -> list[dict]:
    return [p for p in report["problems"] if p["path"] == path]


# --- validation --------------------------------------------------------------------------------

CASES = [  # file, code, field, where the line points
    ("evidens/utan-titel.md", "invalid-missing-field", "title", "---"),
    ("evidens/ar-20xx.md", "invalid-value", "year", "year:"),
    ("evidens/ar-1700.md", "invalid-value", "year", "year:"),
    ("evidens/ar-framtid.md", "invalid-value", "year", "year:"),
    ("evidens/okant-omrade.md", "unknown-area", "areas", "areas:"),
    ("evidens/saknad-bilaga.md", "missing-file", "file", "file:"),
    ("evidens/dubblett-b.md", "duplicate-id", "id", "id:"),
    ("evidens/utan-kalla.md", "invalid-missing-field", "url", "---"),
    ("evidens/utan-upphov.md", "invalid-missing-field", "authors", "---"),
    ("rutin.md", "unknown-evidence", "evidence", "evidence:"),
]


@pytest.mark.parametrize("path, code, field, line_start", CASES, ids=[c[0] for c in CASES])
def test_check_reports_each_entry_error_with_code_field_and_line(bad, path, code, field, line_start):
    root, report, result = bad
    assert result.returncode == 1
    found = [p for p in problems_for(report, path) if p["code"] == code and p.get("field") == field]
    assert len(found) == 1, problems_for(report, path)
    problem = found[0]
    assert problem["severity"] == "error"
    line = (root / "docs" / path).read_text(encoding="utf-8").split("\n")[problem["line"] - 1]
    assert line.startswith(line_start), (problem, line)
    assert re.search(r"[åäöÅÄÖ]|Fältet|finns|saknas", problem["message"])  # a Swedish sentence, not a code


def test_future_year_message_names_the_year(bad):
    _, report, _ = bad
    [problem] = [p for p in problems_for(report, "evidens/ar-framtid.md") if p["code"] == "invalid-value"]
    assert str(TODAY.year + 3) in problem["message"]


def test_unknown_inline_citation_is_an_error_on_its_line(bad):
    root, report, _ = bad
    [problem] = [p for p in problems_for(report, "rutin.md")
                 if p["code"] == "unknown-evidence" and "[@" in p["message"]]
    assert problem["severity"] == "error"
    assert "[@finns-inte]" in (root / "docs" / "rutin.md").read_text(encoding="utf-8").split("\n")[problem["line"] - 1]


def test_valid_entry_has_no_problems(bad):
    _, report, _ = bad
    assert problems_for(report, "evidens/ok.md") == []
    assert problems_for(report, "evidens/dubblett-a.md") == []  # the first holder of the id is fine


def test_strict_build_fails_and_names_every_bad_file(bad):
    root, _, _ = bad
    result = build(root / "mkdocs.yml", strict=True, today=TODAY).result
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for path, code, _, _ in CASES:
        assert re.search(re.escape(path) + r":\d+: .*\[" + re.escape(code) + r"\]", output), (path, output)
    assert "evidens/ok.md" not in output


def test_good_handbook_checks_clean_apart_from_overdue_entry(tmp_path):
    root = _project(tmp_path, GOOD)
    result = run_cli("check", "--format", "json", "--today", TODAY.isoformat(), cwd=root)
    report = json.loads(result.stdout)
    assert [(p["path"], p["code"]) for p in report["problems"]] == [("evidens/gammal.md", "overdue")]
    [overdue] = report["problems"]
    assert overdue["severity"] == "error" and overdue["days"] == (TODAY - dt.date(2025, 1, 15)).days
    assert result.returncode == 1


# --- citations and entry pages --------------------------------------------------------------------

def test_citing_routine_lists_knowledge_base_and_links_inline_citation(site):
    html = content(page(site, "barn/orosanmalan"))
    section = html[html.index('id="handbok-kunskapsunderlag"'):]
    items = re.findall(r"<li>(.*?)</li>", section.split("</ul>")[0])
    texts = [text_of(i) for i in items]
    assert "Grundbok i BBIC (metodstöd, 2018)" in texts
    assert "Insatser för barn – en systematisk översikt (kunskapsöversikt, 2020)" in texts
    assert target(site, "barn/orosanmalan/", link_to(section, "Grundbok i BBIC")) == site / "evidens/bbic/index.html"
    cite = re.search(r'<a class="handbok-cite" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert cite and cite.group(2) == "Anna Forskare m.fl. 2020"
    assert target(site, "barn/orosanmalan/", cite.group(1)) == site / "evidens/sbu-2020/index.html"
    assert "[@sbu-2020]" not in html
    assert "[@inte-en-kallhanvisning]" in html  # code blocks are left alone


def test_entry_page_lists_citing_documents_and_metadata(site):
    html = content(page(site, "evidens/sbu-2020"))
    cited_by = html[html.index('id="handbok-hanvisningar"'):]
    assert text_of(cited_by[:cited_by.index("</h2>")].split(">", 1)[1]).startswith("Citeras av")
    assert target(site, "evidens/sbu-2020/", link_to(cited_by, "Orosanmälan")) == site / "barn/orosanmalan/index.html"
    panel = text_of(html[html.index('class="handbok-meta"'):html.index("</section>")])
    for expected in ("Slag kunskapsöversikt", "Författare Anna Forskare; Bo Granskare", "Utgivare SBU", "År 2020",
                     "Barn och unga", "Vuxen", "Nyckelord skyddsbedömning, unikt-sokord", "Senast granskad 2026-06-01"):
        assert expected in panel, (expected, panel)


def test_attachment_is_copied_and_linked_with_type_and_size(site):
    copied = site / "evidens" / "bilagor" / "bbic.pdf"
    assert copied.read_bytes() == PDF
    html = content(page(site, "evidens/bbic"))
    match = re.search(r'<a href="([^"]+)" download>bbic\.pdf</a> \(PDF, 3 kB\)', html)
    assert match, html
    assert target(site, "evidens/bbic/", match.group(1)) == copied


def test_entry_metadata_is_in_the_search_index(site):
    record = search_records(site)["evidens/sbu-2020/"]
    text = record["content"]
    assert record["meta"]["title"] == "Insatser för barn – en systematisk översikt"
    for needle in ("unikt-sokord", "Anna Forskare", "SBU", "strukturerade bedömningar"):
        assert needle in text, needle


# --- the library start page -------------------------------------------------------------------------

class _Library(HTMLParser):
    """Collects the start page's list: area -> kind -> [(title, item attributes, item text)]."""

    def __init__(self):
        super().__init__()
        self.tree: dict[str, dict[str, list]] = {}
        self.area = self.kind = None
        self.heading: str | None = None
        self.item: dict | None = None
        self.depth = 0  # inside the list container
        self.text = ""
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "handbok-evidens":
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "div":
            self.depth += 1
        if tag in ("h2", "h3"):
            self.heading, self.text = tag, ""
        if tag == "li":
            self.item = {"attrs": attrs, "text": "", "title": None}
        if tag == "a" and self.item is not None and self.item["title"] is None:
            self.item["title"] = ""
            self.in_link = True

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        if tag == self.heading:
            if tag == "h2":
                self.area, self.kind = self.text.strip(), None
                self.tree[self.area] = {}
            else:
                self.kind = self.text.strip()
                self.tree[self.area][self.kind] = []
            self.heading = None
        if tag == "a" and self.in_link:
            self.in_link = False
        if tag == "li" and self.item is not None:
            self.item["text"] = " ".join(self.item["text"].split())
            self.tree[self.area][self.kind].append(self.item)
            self.item = None

    def handle_data(self, data):
        if not self.depth:
            return
        if self.heading:
            self.text += data
        if self.item is not None:
            self.item["text"] += data
            if self.in_link:
                self.item["title"] += data


def library(site: Path) -> dict:
    parser = _Library()
    parser.feed(page(site, "evidens"))
    return parser.tree


def test_library_groups_by_area_then_kind_newest_first(site):
    tree = library(site)
    assert list(tree) == ["Barn och unga", "Vuxen", "Familjerätt"]  # registry order
    assert {k: [i["title"] for i in v] for k, v in tree["Barn och unga"].items()} == {
        "Kunskapsöversikt": ["Insatser för barn – en systematisk översikt"],
        "Metodstöd": ["Grundbok i BBIC", "Gammal vägledning"],  # 2018 before 2010
    }
    # An entry with two areas is listed under both.
    assert [i["title"] for i in tree["Vuxen"]["Kunskapsöversikt"]] == ["Insatser för barn – en systematisk översikt"]
    assert [i["title"] for i in tree["Vuxen"]["Metodstöd"]] == ["Motiverande samtal – kunskapsstöd"]
    assert [i["title"] for i in tree["Familjerätt"]["Utvärdering"]] == [HOSTILE]


def test_library_items_show_authors_year_kind_and_attachment(site):
    items = {i["title"]: i for kinds in library(site).values() for group in kinds.values() for i in group}
    bbic = items["Grundbok i BBIC"]
    assert "Socialstyrelsen · 2018 · metodstöd" in bbic["text"] and "Bifogad fil (PDF)" in bbic["text"]
    sbu = items["Insatser för barn – en systematisk översikt"]
    assert "Anna Forskare; Bo Granskare (SBU) · 2020 · kunskapsöversikt" in sbu["text"]
    assert "Bifogad fil" not in sbu["text"]
    assert sbu["attrs"]["data-kind"] == "kunskapsöversikt" and sbu["attrs"]["data-year"] == "2020"
    assert "Granskning försenad" in items["Gammal vägledning"]["text"]


def test_library_counts_and_links_to_area_pages(site):
    html = content(page(site, "evidens"))
    assert "Biblioteket har 5 poster." in text_of(html)
    by_area = html[html.index('aria-label="Antal poster per verksamhetsområde"'):]
    by_area = by_area[:by_area.index("</ul>")]
    counts = re.findall(r'count__n">(\d+)</span> <span class="handbok-count__label"><a href="([^"]+)">([^<]+)</a>',
                        by_area)
    assert [(n, name) for n, _, name in counts] == [("3", "Barn och unga"), ("2", "Vuxen"), ("1", "Familjerätt")]
    for _, href, _ in counts:
        assert target(site, "evidens/", href).is_file()
    assert target(site, "evidens/", counts[0][1]) == site / "evidens/omraden/barn-och-unga/index.html"
    by_kind = html[html.index('aria-label="Antal poster per slag"'):]
    by_kind = text_of(by_kind[:by_kind.index("</ul>")].split(">", 1)[1])
    assert by_kind == "1 Kunskapsöversikt 1 Utvärdering 3 Metodstöd"  # in the order of the kinds setting


def test_library_filter_form_is_labelled_and_announces_results(site):
    html = content(page(site, "evidens"))
    form = re.search(r'<form class="handbok-filter" data-filter-target="handbok-evidens".*?</form>', html,
                     re.S).group(0)
    selects = re.findall(r'<label for="([^"]+)">([^<]+)</label><select id="([^"]+)" data-filter="([^"]+)">', form)
    assert [(label, attr) for _, label, _, attr in selects] == [
        ("Verksamhetsområde", "data-area"), ("Slag", "data-kind"), ("År", "data-year")]
    assert all(for_id == select_id for for_id, _, select_id, _ in selects)
    years = re.findall(r'<option value="(\d{4})">', form)
    assert years == ["2023", "2020", "2019", "2018", "2010"]  # newest first
    assert 'role="status" aria-live="polite"' in form
    # Every item carries the value the area select filters on, and its group can be hidden.
    assert 'id="handbok-evidens"' in html
    assert html.count("data-filter-item") == 6  # five entries, one of them in two areas
    assert 'data-area="Vuxen" data-kind="kunskapsöversikt"' in html


# --- area pages ------------------------------------------------------------------------------------

def test_area_page_groups_by_kind_and_lists_citing_routines(site):
    html = content(page(site, "evidens/omraden/barn-och-unga"))
    assert re.search(r"<h1[^>]*>Barn och unga</h1>", html)  # the search marks the name (NAME scope)
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)', html)
    assert [h for _, h in headings] == ["Kunskapsöversikt", "Metodstöd", "Dokument som bygger på underlagen"]
    metod = html[html.index('id="slag-metodstod"'):html.index('id="citeras-av"')]
    assert metod.index("Grundbok i BBIC") < metod.index("Gammal vägledning")
    citing = html[html.index('id="citeras-av"'):]
    assert target(site, "evidens/omraden/barn-och-unga/", link_to(citing, "Orosanmälan")) == \
        site / "barn/orosanmalan/index.html"
    assert "Motiverande samtal i vuxenenheten" not in citing
    assert target(site, "evidens/omraden/barn-och-unga/", link_to(html, "hela evidensbiblioteket")) == \
        site / "evidens/index.html"


def test_area_page_separates_routines_from_other_units(site):
    citing = content(page(site, "evidens/omraden/vuxen"))
    citing = citing[citing.index('id="citeras-av"'):]
    own, other = citing.split("Dokument från andra enheter")
    assert "Motiverande samtal i vuxenenheten" in own and "Orosanmälan" not in own
    assert "Orosanmälan" in other


# --- review and escaping -----------------------------------------------------------------------------

def test_overdue_entry_on_revision_page(site):
    html = content(page(site, "handbok/revisionslage"))
    row = re.search(r'<tr [^>]*data-handbok-status="overdue"[^>]*>(.*?)</tr>', html, re.S)
    assert row and "Gammal vägledning" in row.group(1)
    # The status column's short pill: "Försenad (N d)".
    assert re.search(r"^Försenad \(\d+ d\) ", text_of(row.group(1)))
    entry_page = content(page(site, "evidens/gammal"))
    assert 'handbok-banner--overdue' in entry_page and "2025-01-15" in entry_page


def test_hostile_front_matter_is_escaped_everywhere(site):
    pages = [p for p in site.rglob("*.html")]
    assert len(pages) > 10
    seen = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        for raw in ("<script>alert(1)", "<script>alert(2)", "<b>Fet</b>", '"><script>'):
            assert raw not in html, (path, raw)
        seen += "&lt;b&gt;Fet&lt;/b&gt;" in html
    assert seen >= 4  # entry page, library, area page, the citing routine (plus navigation)
    entry_html = content(page(site, "evidens/fientlig"))
    assert "[@bbic]" in entry_html or "&#91;@bbic&#93;" in entry_html  # not turned into a citation
    assert "{{ makro }}" in entry_html or "&#123;&#123; makro &#125;&#125;" in entry_html
