"""The quality work on a real site build: each record's page, the generated pages Åtgärder, Egenkontroll
och internkontroll and Årshjul, the årshjul calendar, owner pages, Mina dokument and handbok.json."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from htmlcheck import assert_well_formed
from sitebuild import Built, build_site, content, find, find_all, links, text_of

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 12, 1)
ROLES = ["Socialchef", "Verksamhetsutvecklare", "Kvalitetssamordnare", "Enhetschef barn och unga",
         "Ledningsgruppen"]
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga"}]

ROUTINE = """---
title: Rutin för utredning
id: rutin-utredning
type: rutin
owner: Enhetschef barn och unga
unit: barn-och-unga
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
---

Text.
"""

PLAN = """---
title: Egenkontrollplan 2026
type: egenkontrollplan
id: egenkontrollplan-2026
owner: Verksamhetsutvecklare
year: 2026
approved_by: Socialchef
approved: 2025-12-10
reports_to: Socialchef
controls:
  - id: bbic
    name: Journalgranskning BBIC
    checks: [rutin-utredning]
    method: journalgranskning
    frequency: kvartalsvis
    responsible: Enhetschef barn och unga
    unit: barn-och-unga
  - id: logg
    name: Loggkontroll
    method: loggkontroll
    due: [2026-06-15, 2026-12-15]
    responsible: Kvalitetssamordnare
---

Planens text.
"""

Q1 = """---
title: Journalgranskning BBIC, kvartal 1
type: kontrollresultat
id: resultat-q1
owner: Enhetschef barn och unga
unit: barn-och-unga
control: egenkontrollplan-2026#bbic
performed: 2026-04-20
period: {from: 2026-01-01, to: 2026-03-31}
sample: 20 utredningar
findings: |
  I 13 av 20 utredningar framgick barnets inställning. <script>alert("iakttagelse")</script>
assessment: Delvis godtagbart.
measures:
  - id: a1
    what: Mallen får en rubrik för barnets inställning
    responsible: Enhetschef barn och unga
    due: 2026-05-31
    status: genomförd
    completed: 2026-05-15
  - id: a2
    what: Utbildning i BBIC för nyanställda <b>nu</b>
    responsible: Enhetschef barn och unga
    due: 2026-10-31
    status: pågår
---

Analys.
"""

Q2 = Q1.replace("kvartal 1", "kvartal 2").replace("resultat-q1", "resultat-q2").replace(
    "2026-01-01, to: 2026-03-31", "2026-04-01, to: 2026-06-30").replace("2026-04-20", "2026-07-20").split(
    "measures:")[0] + "---\n\nText.\n"

LOG = """---
title: Loggkontroll första halvåret
type: kontrollresultat
id: resultat-logg
owner: Kvalitetssamordnare
control: egenkontrollplan-2026#logg
performed: 2026-06-20
period: {from: 2026-01-01, to: 2026-06-15}
findings: Inga obehöriga uppslag.
---
"""

RISK = """---
title: Riskanalys 2026
type: riskanalys
id: riskanalys-2026
owner: Socialchef
performed: 2026-10-08
analysed: [rutin-utredning]
risks:
  - id: r1
    risk: Skyddsbedömning dröjer
    probability: 3
    consequence: 4
    handling: internkontroll
  - id: r2
    risk: Fel mall används
    probability: 1
    consequence: 2
measures:
  - id: a1
    what: Checklista för mottagningen
    responsible: Socialchef
    due: 2026-12-20
    status: planerad
---
"""

COMPILATION = """---
title: Avvikelser och klagomål kvartal 3
type: sammanställning
id: sammanstallning-q3
owner: Kvalitetssamordnare
performed: 2026-10-22
period: {from: 2026-07-01, to: 2026-09-30}
counts:
  - kind: avvikelse
    category: Dokumentation
    count: 6
  - kind: avvikelse
    category: Informationsöverföring
    count: 4
  - kind: klagomål
    category: Bemötande
    count: 2
---

Analys av mönster.
"""

WHEEL = """---
title: Årshjul
type: årshjul
id: arshjul
owner: Verksamhetsutvecklare
approved_by: Socialchef
approved: 2026-01-15
events:
  - id: riskanalys
    name: Riskanalys inför internkontrollplanen
    when: oktober
    owner: Ledningsgruppen
    follows: rutin-utredning
    produces: riskanalys
  - id: sammanstallning
    name: Sammanställning av avvikelser
    when: januari, april, juli och oktober
    owner: Kvalitetssamordnare
    produces: sammanställning
  - id: patientsakerhet
    name: Patientsäkerhetsberättelse
    when: 1 mars
    owner: Socialchef
---

Så används årshjulet.
"""

DRAFT = COMPILATION.replace("sammanstallning-q3", "utkast").replace("kvartal 3", "utkast").replace(
    "owner: Kvalitetssamordnare", "owner: Kvalitetssamordnare\nstatus: utkast\nmeasures:\n  - id: u1\n"
    "    what: Utkastets åtgärd\n    responsible: Socialchef\n    due: 2026-01-01\n    status: planerad")

FILES = {"rutiner/utredning.md": ROUTINE, "kvalitetsarbete/egenkontroll/plan.md": PLAN,
         "kvalitetsarbete/egenkontroll/q1.md": Q1, "kvalitetsarbete/egenkontroll/q2.md": Q2,
         "kvalitetsarbete/egenkontroll/logg.md": LOG, "kvalitetsarbete/risk.md": RISK,
         "kvalitetsarbete/sammanstallning.md": COMPILATION, "kvalitetsarbete/utkast.md": DRAFT,
         "kvalitetsarbete/arshjul.md": WHEEL}


def words(html: str) -> str:
    """The text with a space where elements meet (cells, lines), as it is read out."""
    return text_of(re.sub(r"<", " <", html))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("quality")
    built = build_site(root, FILES, roles=ROLES, units=UNITS,
                       config={"site_url": "https://intranat.example.se/handbok/"}, today=TODAY, strict=True)
    assert built.result.returncode == 0, built.result.stderr[-3000:]
    return built


def test_a_result_page_shows_findings_escaped_and_each_measure_with_its_own_anchor(site):
    html = site.page("kvalitetsarbete/egenkontroll/q1/")
    assert_well_formed(html)
    article = content(html)
    assert "<script>alert" not in article and "&lt;script&gt;alert(&#34;iakttagelse&#34;)&lt;/script&gt;" in article
    assert "I 13 av 20 utredningar framgick barnets inställning." in text_of(article)
    done = find(article, "tr", id="atgard-a1")
    late = find(article, "tr", id="atgard-a2")
    assert done.attrs["data-handbok-status"] == "done" and "data-review-by" not in done.attrs
    assert "Genomförd" in done.text and "2026-05-15" in done.text
    assert late.attrs["data-handbok-status"] == "overdue" and late.attrs["data-review-by"] == "2026-10-31"
    assert "Försenad (31 d)" in late.text and "&lt;b&gt;nu&lt;/b&gt;" in late.html
    # The panel links the control on the plan's page; the other result of the same control is listed.
    assert ("../plan/#kontroll-bbic", "Journalgranskning BBIC (Egenkontrollplan 2026)") in links(article)
    assert "Journalgranskning BBIC, kvartal 2" in text_of(article)


def test_the_plan_page_draws_its_year_grid_with_a_state_in_words_for_every_period(site):
    article = content(site.page("kvalitetsarbete/egenkontroll/plan/"))
    grid = find(article, "table", class_="handbok-grid")
    cells = [(c.attrs.get("colspan"), words(c.html)) for c in find_all(grid.html, "td")]
    # One word per period (the period and the result are read out too); a done period links its result.
    assert cells[:4] == [("3", "Klar – Kvartal 1: Journalgranskning BBIC, kvartal 1"),
                         ("3", "Klar – Kvartal 2: Journalgranskning BBIC, kvartal 2"),
                         ("3", "Saknas – Kvartal 3 senast 2026-10-30"), ("3", "Planerad – Kvartal 4")]
    assert ("../q1/", "Klar – Kvartal 1: Journalgranskning BBIC, kvartal 1") in links(grid.html)
    # Explicit due dates: one cell lists the periods.
    assert cells[4] == ("12", "t.o.m. 2026-06-15: Genomförd – Loggkontroll första halvåret t.o.m. 2026-12-15: "
                              "Planerad")
    assert find(article, "section", id="kontroll-bbic")
    assert ("../../../rutiner/utredning/", "Rutin för utredning") in links(article)


def test_the_measures_page_lists_the_measures_in_force_overdue_first_with_filters(site):
    html = site.page("handbok/atgarder/")
    assert_well_formed(html)
    table = find(html, "table", id="handbok-atgarder")
    rows = find_all(table.html, "tr", data_handbok_status=None)
    assert [(r.attrs["data-handbok-status"], r.attrs["data-owner"]) for r in rows] == [
        ("overdue", "Enhetschef barn och unga"), ("due-soon", "Socialchef"), ("done", "Enhetschef barn och unga")]
    assert "Utkastets åtgärd" not in html  # a draft's measures are not decided yet
    hrefs = [href for href, _ in links(table.html)]
    assert "../../kvalitetsarbete/egenkontroll/q1/#atgard-a2" in hrefs
    assert "../../kvalitetsarbete/risk/#atgard-a1" in hrefs
    selects = {s.attrs["data-param"]: s for s in find_all(html, "select", data_param=None)}
    assert set(selects) == {"ansvarig", "enhet", "status", "fran"}
    assert "Riskanalys" in selects["fran"].html and "Kontrollresultat" in selects["fran"].html
    tiles = find(html, "ul", class_="handbok-counts")
    assert tiles.attrs["data-handbok-dates"] == "2026-10-31 2026-12-20"
    assert [text_of(li.html) for li in find_all(tiles.html, "li")] == [
        "1 Försenad", "1 Snart", "0 I tid", "1 Genomförd", "0 Avbruten"]


def test_the_controls_page_sums_up_every_plan(site):
    text = text_of(content(site.page("handbok/egenkontroll/")))
    assert "Egenkontrollplan 2026, beslutad av Socialchef 2025-12-10. Genomförd: 3, Saknas: 1, Planerad: 2." in text


def test_the_year_page_lists_twelve_months_and_what_each_activity_produced(site):
    html = site.page("handbok/arshjul/")
    assert_well_formed(html)
    months = find_all(content(html), "li", class_="handbok-month")
    assert len(months) == 12
    october = text_of(months[9].html)
    assert "31 oktober: Riskanalys inför internkontrollplanen – Ledningsgruppen. Följer Rutin för utredning." in october
    assert "klar: Riskanalys 2026" in october
    assert "klar: Avvikelser och klagomål kvartal 3" in october
    assert "saknas" in text_of(months[6].html)  # July: no compilation from May–July
    assert "1 mars: Patientsäkerhetsberättelse" in text_of(months[2].html)
    assert ("../arshjul.ics", "Prenumerera på årshjulet (.ics)") in links(html)


def test_the_year_calendar_recurs_every_year_on_the_month_or_its_last_day(site):
    ics = (site.site / "handbok" / "arshjul.ics").read_text(encoding="utf-8").replace("\r\n ", "").replace(
        "\n ", "")  # unfolded
    events = ics.split("BEGIN:VEVENT")[1:]
    assert len(events) == 3
    rules = sorted(line for event in events for line in event.splitlines() if line.startswith("RRULE"))
    assert rules == ["RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=1,4,7,10", "RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=10",
                     "RRULE:FREQ=YEARLY;BYMONTHDAY=1;BYMONTH=3"]
    assert "URL:https://intranat.example.se/handbok/kvalitetsarbete/arshjul/#aktivitet-riskanalys" in ics
    assert sorted(re.findall(r"DTSTART;VALUE=DATE:(\d+)", ics)) == ["20260131", "20260301", "20261031"]


def test_owner_pages_show_the_roles_quality_work(site):
    text = text_of(content(site.page("handbok/dokumentagare/kvalitetssamordnare/")))
    assert "Kvalitetsarbete" in text and "Loggkontroll (Egenkontrollplan 2026)" in text
    assert "Sammanställning av avvikelser – januari, april, juli och oktober, nästa gång 2027-01-31" in text
    chief = site.page("handbok/dokumentagare/enhetschef-barn-och-unga/")
    measures = find(chief, "div", aria_label="Åtgärder som Enhetschef barn och unga ansvarar för")
    assert "Utbildning i BBIC för nyanställda" in measures.html and "Från:" in words(measures.html)


def test_mina_dokument_lists_the_roles_measures_under_the_same_choice(site):
    html = site.page("handbok/mina-dokument/")
    form = find(html, "form", class_="handbok-filter")
    assert form.attrs["data-filter-also"] == "handbok-mina-atgarder"
    rows = find_all(find(html, "table", id="handbok-mina-atgarder").html, "tr", data_owner=None)
    assert {r.attrs["data-owner"] for r in rows} == {"Enhetschef barn och unga", "Socialchef"}
    assert "Socialchef" in find(html, "select", id="handbok-mina-dokument-roll").html


def test_a_risk_analysis_shows_the_matrix_with_levels_in_words(site):
    article = content(site.page("kvalitetsarbete/risk/"))
    matrix = find(article, "table", class_="handbok-matrix")
    rows = find_all(matrix.html, "tr")
    assert words(rows[1].html) == "4 allvarlig 4 låg 8 medel 12 hög r1 16 mycket hög"
    assert [text_of(find(r.html, "th").html) for r in find_all(find(article, "table").html, "tr")[1:]][0] \
        == "Skyddsbedömning dröjer"


def test_a_compilation_shows_counts_and_totals(site):
    text = words(content(site.page("kvalitetsarbete/sammanstallning/")))
    assert "Avvikelser Dokumentation 6 Avvikelser Informationsöverföring 4 Avvikelser Summa 10" in text
    assert "Klagomål Bemötande 2 Klagomål Summa 2" in text


def test_handbok_json_has_records_measures_and_activities(site):
    data = json.loads((site.site / "handbok.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in data["documents"]] == ["rutiner/utredning.md"]
    records = {r["id"]: r for r in data["records"]}
    assert records["egenkontrollplan-2026"]["controls"][0]["periods"][2] == {
        "from": "2026-07-01", "to": "2026-09-30", "due": "2026-10-30", "state": "missing"}
    assert records["resultat-q1"]["control"] == "egenkontrollplan-2026#bbic"
    measure = next(m for m in data["measures"] if m["what"].startswith("Utbildning"))
    assert measure["url"] == "kvalitetsarbete/egenkontroll/q1/#atgard-a2" and measure["state"] == "overdue"
    assert measure["days_left"] == -31 and measure["status"] == "pågår"
    assert {a["id"]: a["next_due"] for a in data["activities"]} == {
        "riskanalys": "2027-10-31", "sammanstallning": "2027-01-31", "patientsakerhet": "2027-03-01"}


def test_the_build_log_names_the_quality_problems_without_stopping_the_build(site):
    log = site.result.stderr
    assert "kvalitetsarbete/egenkontroll/plan.md:" in log and "[control-missing]" in log
    assert "kvalitetsarbete/egenkontroll/q1.md:" in log and "[measure-overdue]" in log
