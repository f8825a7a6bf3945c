"""Who may adopt what: decision rules in the roles registry, `approved_by`, missing decisions,
`paragraf`, and the generated page "Per beslutsinstans" (in-process, through the CLI and in a real build)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import make_handbook, run_cli
from handbok.core.index import Handbook
from handbok.core.problems import CODES, ERROR, WARNING
from handbok.core.registry import load_roles
from handbok.core.settings import ConfigError
from handbok.render import overviews
from handbok.render.document import DocumentParts
from handbok.render.links import Links
from handbok.render.overviews import PageContext
from handbok.render.templating import default_templates, join
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from htmlcheck import Parsed, assert_well_formed
from sitebuild import build, line_of, logged_at, write_site

TODAY = dt.date(2026, 6, 1)
HOSTILE = "<script>alert('beslut')</script>"
ROLES = [
    {"id": "socialnamnden", "name": "Socialnämnden"},
    {"id": "socialchef", "name": "Socialchef"},
    {"id": "ledningsgruppen", "name": "Ledningsgruppen"},
    {"id": "enhetschef-barn-och-unga", "name": "Enhetschef barn och unga"},
]
DECISIONS = {
    "riktlinje": ["Socialnämnden"],
    "policy": ["socialnamnden"],  # an id works too
    "plan": ["Socialnämnden", "Socialchef"],
    "rutin": ["Socialchef", "Ledningsgruppen", "Enhetschef barn och unga"],
    "process": ["Socialchef", "Ledningsgruppen"],
}


def roles_yaml(decisions: dict | None = DECISIONS) -> str:
    data: dict = {"roles": ROLES}
    if decisions is not None:
        data["decisions"] = decisions
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def document(title: str = "Riktlinje för handläggning", doc_type: str = "riktlinje", *, extra: str = "",
             approved_by: str | None = "Socialnämnden", approved: str | None = "2026-02-17",
             status: str | None = None) -> str:
    lines = ["---", f"title: {title}", f"type: {doc_type}", "owner: Socialchef", "revised: 2026-02-17",
             "review_interval: vartannat år"]
    if status:
        lines.append(f"status: {status}")
    if approved_by is not None:
        lines.append(f"approved_by: {json.dumps(approved_by, ensure_ascii=False)}")
    if approved is not None:
        lines.append(f"approved: {approved}")
    if doc_type in ("riktlinje", "rutin", "process"):
        lines.append("legal_basis: [SOSFS 2011:9 4 kap. 4 §]")
    lines += [line for line in extra.splitlines() if line]
    return "\n".join(lines + ["---", "", "Text.", ""])


def project(tmp_path: Path, files: dict[str, str], *, decisions: dict | None = DECISIONS, roles: bool = True,
            options: dict | None = None) -> Path:
    plugin = {"coverage": False, **(options or {})}
    make_handbook(tmp_path, files, roles=ROLES if roles else None, options=plugin)
    if roles:
        (tmp_path / "registry" / "roles.yml").write_text(roles_yaml(decisions), encoding="utf-8")
    return tmp_path


def load(root: Path, today: dt.date = TODAY) -> Handbook:
    found = load_project(root / "mkdocs.yml")
    return reader.load(Path(found.docs_dir), found.settings, today)


def problems(book: Handbook, code: str) -> list:
    return [p for p in book.problems if p.code == code]


# --- the rules in the registry --------------------------------------------------------------------

def test_decisions_are_loaded_with_canonical_role_names(tmp_path):
    path = tmp_path / "roles.yml"
    path.write_text(roles_yaml(), encoding="utf-8")
    roles, decisions = load_roles(path, ["riktlinje", "policy", "plan", "rutin", "process"])
    assert roles.find("socialchef").name == "Socialchef"  # the registry from the same reading
    assert decisions["policy"] == ["Socialnämnden"]
    assert decisions["rutin"] == ["Socialchef", "Ledningsgruppen", "Enhetschef barn och unga"]


def test_no_file_or_no_decisions_means_no_rules(tmp_path):
    path = tmp_path / "roles.yml"
    path.write_text(roles_yaml(None), encoding="utf-8")
    assert load_roles(path, ["rutin"])[1] == {}
    roles, decisions = load_roles(None, ["rutin"])
    assert decisions == {} and not roles.configured


@pytest.mark.parametrize(("decisions", "needle"), [
    ({"riktlinje": ["Kommunstyrelsen"]}, "”riktlinje” finns ”Kommunstyrelsen” inte i rollregistret"),
    ({"riktlinjer": ["Socialnämnden"]}, "”riktlinjer” ingen känd dokumenttyp"),
    ({"riktlinje": []}, "”riktlinje” ha en lista med roller"),
    (["riktlinje"], "”decisions:” ska vara dokumenttyper"),
])
def test_a_bad_rule_is_a_swedish_config_error_naming_the_file_and_entry(tmp_path, decisions, needle):
    path = tmp_path / "roles.yml"
    path.write_text(roles_yaml(decisions), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_roles(path, ["riktlinje", "rutin"])
    assert str(path) in str(caught.value) and needle in str(caught.value)


def test_a_bad_rule_stops_the_cli_with_the_message(tmp_path):
    root = project(tmp_path, {"riktlinje.md": document()}, decisions={"riktlinje": ["Kommunstyrelsen"]})
    result = run_cli("check", cwd=root)
    assert result.returncode == 2
    assert "registry/roles.yml" in result.stdout + result.stderr
    assert "”Kommunstyrelsen” inte i rollregistret" in result.stdout + result.stderr


# --- approved_by ----------------------------------------------------------------------------------

def test_a_body_outside_the_rule_is_a_warning_naming_who_may_decide(tmp_path):
    text = document(approved_by="Socialchef")
    book = load(project(tmp_path, {"riktlinje.md": text}))
    [problem] = problems(book, "approver-not-allowed")
    assert problem.severity == WARNING and not problem.blocks_build
    assert problem.line == line_of(text, "approved_by:") and problem.field == "approved_by"
    assert problem.message == "Fältet ”approved_by”: en riktlinje fastställs av Socialnämnden, inte av Socialchef."
    assert book.documents[0].valid


def test_the_message_lists_every_allowed_body(tmp_path):
    book = load(project(tmp_path, {"rutin.md": document("Rutin", "rutin", approved_by="Socialnämnden")}))
    [problem] = problems(book, "approver-not-allowed")
    assert "en rutin fastställs av Socialchef, Ledningsgruppen eller Enhetschef barn och unga, inte av " \
           "Socialnämnden." in problem.message


def test_approved_by_is_resolved_like_a_role(tmp_path):
    files = {"a.md": document("A", approved_by="socialnamnden"), "b.md": document("B", approved_by="SOCIALNÄMNDEN")}
    book = load(project(tmp_path, files))
    assert not problems(book, "approver-not-allowed")
    assert {d.approved_by for d in book.documents} == {"Socialnämnden"}


def test_a_type_without_a_rule_may_be_adopted_by_any_known_body(tmp_path):
    book = load(project(tmp_path, {"c.md": document("Checklista", "checklista", approved_by="Socialchef")}))
    assert not problems(book, "approver-not-allowed")


def test_an_unknown_body_is_a_warning_only_when_there_are_rules(tmp_path):
    text = document(approved_by="Kommunstyrelsen")
    with_rules = load(project(tmp_path / "a", {"r.md": text}))
    [problem] = problems(with_rules, "approver-not-allowed")
    assert "”Kommunstyrelsen” finns inte i rollregistret" in problem.message
    assert problem.line == line_of(text, "approved_by:")
    assert not problems(with_rules, "unknown-role")
    without_rules = load(project(tmp_path / "b", {"r.md": text}, decisions=None))
    assert not [p for p in without_rules.problems if p.code in ("approver-not-allowed", "unknown-role")]
    assert without_rules.documents[0].approved_by == "Kommunstyrelsen"
    no_registry = load(project(tmp_path / "c", {"r.md": text}, roles=False))
    assert not problems(no_registry, "approver-not-allowed")
    assert no_registry.documents[0].approved_by == "Kommunstyrelsen"


def test_repealed_documents_are_not_judged_by_todays_rules(tmp_path):
    book = load(project(tmp_path, {"r.md": document(approved_by="Socialchef", status="upphävd")}))
    assert not problems(book, "approver-not-allowed")


# --- missing decisions ----------------------------------------------------------------------------

def test_a_current_document_without_a_decision_is_a_warning_naming_the_missing_fields(tmp_path):
    text = document(approved=None)
    files = {"utan-datum.md": text, "utan-beslut.md": document("Utan beslut", approved_by=None, approved=None)}
    book = load(project(tmp_path, files))
    found = {p.path: p for p in problems(book, "missing-decision")}
    assert set(found) == {"utan-datum.md", "utan-beslut.md"}
    assert found["utan-datum.md"].line == line_of(text, "approved_by:")
    assert "”approved” (beslutsdatum)" in found["utan-datum.md"].message
    assert "approved_by" not in found["utan-datum.md"].message
    both = found["utan-beslut.md"].message
    assert "”approved_by” (vem som fastställde det) och ”approved” (beslutsdatum)" in both
    assert all(p.severity == WARNING for p in found.values())
    assert not problems(book, "decision-required")


def test_drafts_repealed_documents_and_evidence_need_no_decision(tmp_path):
    evidence = """---
id: bbic
title: Grundbok i BBIC
kind: metodstöd
publisher: Socialstyrelsen
year: 2018
areas: [Barn och unga]
url: https://www.socialstyrelsen.se/
reviewed: 2026-02-01
review_interval: vartannat år
---
"""
    files = {"utkast.md": document("Utkast", approved_by=None, approved=None, status="utkast"),
             "upphavd.md": document("Upphävd", approved_by=None, approved=None, status="upphävd"),
             "evidens/bbic.md": evidence}
    book = load(project(tmp_path, files))
    assert not [p for p in book.problems if p.code in ("missing-decision", "decision-required")]


def test_require_decision_makes_it_an_error_that_does_not_block_the_build(tmp_path):
    book = load(project(tmp_path, {"r.md": document(approved_by=None)}, options={"require_decision": True}))
    [problem] = problems(book, "decision-required")
    assert problem.severity == ERROR == CODES["decision-required"].severity
    assert not problem.blocks_build
    assert "require_decision" in problem.message
    assert not problems(book, "missing-decision")


def test_the_cli_reports_file_line_and_code(tmp_path):
    text = document(approved_by="Socialchef", approved=None)
    root = project(tmp_path, {"riktlinjer/handlaggning.md": text})
    result = run_cli("check", "--today", TODAY.isoformat(), "--format", "json", cwd=root)
    found = {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    line = line_of(text, "approved_by:")
    assert found == {("riktlinjer/handlaggning.md", line, "approver-not-allowed"),
                     ("riktlinjer/handlaggning.md", line, "missing-decision")}
    assert result.returncode == 0  # warnings only
    text_report = run_cli("check", "--today", TODAY.isoformat(), cwd=root)
    assert f"riktlinjer/handlaggning.md:{line}" in text_report.stdout
    assert "approver-not-allowed" in text_report.stdout and "missing-decision" in text_report.stdout
    strict = run_cli("check", "--today", TODAY.isoformat(), cwd=project(tmp_path / "strikt", {
        "r.md": text}, options={"require_decision": True}))
    assert strict.returncode == 1 and "decision-required" in strict.stdout


# --- the page "Per beslutsinstans", in-process ----------------------------------------------------

def _context(book: Handbook) -> PageContext:
    return PageContext(book, Links(lambda path: path.removesuffix(".md") + "/", "handbok/beslutsinstanser/"),
                       unit_url=lambda unit_id: None, page_url=lambda key: f"handbok/{key}/",
                       generated_url=lambda path: None, templates=default_templates())


@pytest.fixture
def decided(tmp_path) -> Handbook:
    files = {
        "a.md": document("Äldre riktlinje", approved="2025-04-22", extra="diarienummer: SN 2025/0061\nparagraf: § 31"),
        "b.md": document("Ny riktlinje", approved="2026-02-17", extra="diarienummer: SN 2026/0031\nparagraf: § 14"),
        "c.md": document("Rutin för avvikelser", "rutin", approved_by="Socialchef", approved="2026-01-10"),
        "d.md": document("Ärendeprocess", "process", approved_by="Ledningsgruppen", approved="2026-03-01"),
        "e.md": document("Rutin utan datum", "rutin", approved_by="Enhetschef barn och unga", approved=None),
        "f.md": document("Checklista utan beslut", "checklista", approved_by=None, approved=None),
        "g.md": document("Upphävd riktlinje", approved="2020-01-01", status="upphävd"),
        "h.md": document("Fientlig", "checklista", approved_by=HOSTILE),
    }
    return load(project(tmp_path, files))


def test_the_page_groups_by_body_in_swedish_order_newest_decision_first(decided):
    fragments = overviews.build_decisions(_context(decided))
    html = str(join(default_templates(), fragments))
    assert_well_formed(html)
    headings = [f.heading for f in fragments if f is not None and f.heading is not None]
    assert [h.title for h in headings] == [HOSTILE, "Enhetschef barn och unga", "Ledningsgruppen", "Socialchef",
                                           "Socialnämnden", "Utan beslut"]
    assert len({h.anchor for h in headings}) == len(headings)
    nämnden = next(f for f in fragments if f and f.heading and f.heading.title == "Socialnämnden").html
    assert nämnden.index("Ny riktlinje") < nämnden.index("Äldre riktlinje")  # newest decision first
    assert "Upphävd riktlinje" not in html  # only what is in force
    assert re.search(r"Ny riktlinje</a></th><td>Riktlinje</td><td><time datetime=\"2026-02-17\">2026-02-17</time>"
                     r"</td><td>SN 2026/0031</td><td>§ 14</td>", nämnden)
    missing = fragments[-1].html
    assert "Checklista utan beslut" in missing and "Rutin utan datum" in missing
    assert "Beslutad av, Beslutsdatum" in missing
    assert "Beslutsordning enligt rollregistret" in html


def test_hostile_approver_is_escaped_everywhere(decided):
    fragments = overviews.build_decisions(_context(decided))
    html = str(join(default_templates(), fragments))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "script" not in Parsed(html).names()
    hostile = next(d for d in decided.documents if d.title == "Fientlig")
    panel = DocumentParts(decided, Links(lambda path: None, "")).panel(hostile)
    assert panel is not None and "<script" not in panel.html and "&lt;script&gt;" in panel.html


def test_without_missing_decisions_the_page_says_so(tmp_path):
    book = load(project(tmp_path, {"r.md": document()}))
    html = str(join(default_templates(), overviews.build_decisions(_context(book))))
    assert "Alla gällande dokument har uppgift om beslut." in Parsed(html).text


def test_paragraf_is_in_the_panel_next_to_the_diarienummer(decided):
    doc = next(d for d in decided.documents if d.title == "Ny riktlinje")
    assert doc.paragraf == "§ 14"
    panel = DocumentParts(decided, Links(lambda path: None, "")).panel(doc)
    assert panel is not None
    labels = re.findall(r"<dt data-search-exclude>([^<]+)</dt>", panel.html)
    assert labels[labels.index("Diarienummer") + 1] == "Paragraf"
    assert "<dd>§ 14</dd>" in panel.html


# --- a real, strict site build --------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("beslut")
    files = {
        "riktlinjer/ny.md": document("Ny riktlinje", approved="2026-02-17",
                                     extra="diarienummer: SN 2026/0031\nparagraf: § 14"),
        "riktlinjer/fel-instans.md": document("Riktlinje av fel instans", approved_by="Socialchef"),
        "rutiner/utan-beslut.md": document("Rutin utan beslut", "rutin", approved_by=None, approved=None),
        "rutiner/fientlig.md": document("Fientlig rutin", "rutin", approved_by=HOSTILE),
        "rutiner/framtid.md": document("Rutin med framtida beslut", "rutin", approved_by="Socialchef",
                                       approved="2026-09-01"),
        "rutiner/uppfoljning.md": document("Rutin som ska följas upp", "rutin", approved_by="Socialchef",
                                           extra="follow_up_interval: årligen\nfollowed_up: 2025-03-01"),
    }
    cfg = write_site(root, files, roles=ROLES)
    (root / "registry" / "roles.yml").write_text(roles_yaml(), encoding="utf-8")
    return build(cfg, strict=True, today=TODAY), files


def test_the_strict_build_passes_and_logs_the_new_problems(site):
    built, files = site
    assert built.result.returncode == 0, built.log[-3000:]
    expected = [("riktlinjer/fel-instans.md", "approved_by:", "approver-not-allowed"),
                ("rutiner/fientlig.md", "approved_by:", "approver-not-allowed"),
                ("rutiner/utan-beslut.md", "revised:", None),
                ("rutiner/framtid.md", "approved:", "date-conflict"),
                ("rutiner/uppfoljning.md", "follow_up_interval:", "follow-up-overdue")]
    for path, needle, code in expected:
        if code is not None:
            assert logged_at(built.log, path, line_of(files[path], needle), code), (path, code, built.log[-3000:])
    assert re.search(r"rutiner/utan-beslut\.md:\d+: [^\n]*\[missing-decision\]", built.log)


def test_the_built_page_lists_each_body_and_the_documents_without_decision(site):
    built, _ = site
    html = built.page("handbok/beslutsinstanser/")
    assert re.search(r"<h1[^>]*>Per beslutsinstans", html)
    h2 = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html)
    assert [title for _, title in h2] == ["&lt;script&gt;alert(&#39;beslut&#39;)&lt;/script&gt;", "Socialchef",
                                          "Socialnämnden", "Utan beslut"]
    assert "<script>alert(" not in html
    assert '<caption>Fastställt av Socialnämnden</caption>' in html
    assert re.search(r'<a href="\.\./\.\./riktlinjer/ny/">Ny riktlinje</a></th><td>Riktlinje</td>'
                     r'<td><time datetime="2026-02-17">2026-02-17</time></td><td>SN 2026/0031</td><td>§ 14</td>', html)
    missing = html.split('id="utan-beslut"')[1]
    assert "Rutin utan beslut" in missing and "Ny riktlinje" not in missing
    overview = built.page("handbok/")
    assert 'href="beslutsinstanser/"' in overview


def test_the_built_document_panel_shows_paragraf_and_follow_up(site):
    built, _ = site
    ny = built.page("riktlinjer/ny/")
    assert re.search(r"Diarienummer</dt> <dd>SN 2026/0031</dd></div> <div[^>]*><dt data-search-exclude>Paragraf"
                     r"</dt> <dd>§ 14</dd>", ny)
    follow = built.page("rutiner/uppfoljning/")
    assert re.search(r'Följs upp</dt> <dd>årligen \(nästa uppföljning <time datetime="2026-03-01">2026-03-01'
                     r'</time>\)</dd>', follow)
