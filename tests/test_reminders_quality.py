"""handbok påminnelser with the quality work: each role's late and soon-due measures, controls without a
result, årshjul activities, in its digest and calendar; and the årshjul as one recurring calendar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import icalendar

from test_reminders import ROLES, SITE, UNITS, clean_env

PLAN = """---
title: Egenkontrollplan 2026
type: egenkontrollplan
id: plan-2026
owner: Verksamhetsutvecklare
year: 2026
controls:
  - id: logg
    name: Loggkontroll
    frequency: kvartalsvis
    responsible: Verksamhetsutvecklare
---
"""

RESULT = """---
title: Loggkontroll kvartal 1–2
type: kontrollresultat
id: resultat
owner: Verksamhetsutvecklare
control: plan-2026#logg
performed: 2026-07-10
period: {from: 2026-01-01, to: 2026-06-30}
measures:
  - id: a1
    what: "Behörigheter <script>x</script> *ses över*"
    responsible: Enhetschef vuxen
    due: 2026-11-20
    status: pågår
  - id: a2
    what: Ny rutin för loggkontroll
    responsible: Socialchef
    due: 2026-12-12
    status: planerad
  - id: a3
    what: Klar sedan länge
    responsible: Socialchef
    due: 2026-08-01
    status: genomförd
    completed: 2026-07-30
---
"""

WHEEL = """---
title: Årshjul
type: årshjul
id: arshjul
owner: Verksamhetsutvecklare
approved: 2026-01-10
events:
  - id: internkontrollplan
    name: Nämnden beslutar om internkontrollplan
    when: 15 december
    owner: Socialchef
  - id: riskanalys
    name: Riskanalys
    when: oktober
    owner: Socialchef
    produces: riskanalys
---
"""


def make(root: Path) -> None:
    (root / "registry").mkdir(parents=True)
    (root / "registry" / "roles.yml").write_text(ROLES, encoding="utf-8")
    (root / "registry" / "units.yml").write_text(UNITS, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: Test\nsite_url: {SITE}\ndocs_dir: handbook\nplugins:\n  - handbok:\n"
        "      roles_file: registry/roles.yml\n      units_file: registry/units.yml\n      coverage: false\n",
        encoding="utf-8")
    for rel, text in {"kvalitetsarbete/plan.md": PLAN, "kvalitetsarbete/resultat.md": RESULT,
                      "kvalitetsarbete/arshjul.md": WHEEL}.items():
        target = root / "handbook" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def run(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "handbok", "påminnelser", "handbook", "--today", "2026-12-01",
                             "-o", "ut"], cwd=root, capture_output=True, text=True, env=clean_env(), timeout=60)
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_roles_with_only_quality_work_get_a_digest_naming_each_measure_control_and_activity(tmp_path):
    make(tmp_path)
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "ut"
    assert {p.name for p in out.iterdir()} >= {"enhetschef-vuxen.md", "socialchef.md", "verksamhetsutvecklare.md",
                                              "arshjul.ics", "index.md"}
    vuxen = (out / "enhetschef-vuxen.md").read_text(encoding="utf-8")
    assert vuxen.startswith("# Påminnelse om kvalitetsarbetet – Enhetschef vuxen")
    assert "I kvalitetsarbetet väntar 1 åtgärd." in vuxen
    assert ("- Behörigheter \\<script\\>x\\</script\\> \\*ses över\\* – skulle ha genomförts senast 2026-11-20 "
            "(11 dagar sedan), status pågår. Från: Loggkontroll kvartal 1–2.") in vuxen
    assert f"  {SITE}kvalitetsarbete/resultat/#atgard-a1" in vuxen

    chief = (out / "socialchef.md").read_text(encoding="utf-8")
    assert "I kvalitetsarbetet väntar 1 åtgärd och 2 aktiviteter i årshjulet." in chief
    assert "Ny rutin för loggkontroll – ska vara genomförd senast 2026-12-12 (om 11 dagar)" in chief
    assert "Riskanalys – skulle ha gett en post senast 2026-10-31 (31 dagar sedan)." in chief
    assert "Nämnden beslutar om internkontrollplan – ska göras senast 2026-12-15 (om 14 dagar)." in chief
    assert "Klar sedan länge" not in chief  # a completed measure is not reminded

    developer = (out / "verksamhetsutvecklare.md").read_text(encoding="utf-8")
    assert ("- Loggkontroll (Egenkontrollplan 2026), perioden 2026-07-01 – 2026-09-30 – resultatet skulle ha "
            "funnits senast 2026-10-30 (32 dagar sedan).") in developer
    summary = (out / "index.md").read_text(encoding="utf-8")
    assert "- Enhetschef vuxen: 0 försenade, 0 snart dags, kvalitetsarbete: 1 åtgärd" in summary


def test_each_roles_calendar_has_its_deadlines_and_the_year_calendar_recurs(tmp_path):
    make(tmp_path)
    assert run(tmp_path).returncode == 0
    out = tmp_path / "ut"
    calendar = icalendar.Calendar.from_ical((out / "socialchef.ics").read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Åtgärd: Ny rutin för loggkontroll", "Årshjul: Riskanalys",
                           "Årshjul: Nämnden beslutar om internkontrollplan"}
    assert events["Åtgärd: Ny rutin för loggkontroll"]["dtstart"].dt.isoformat() == "2026-12-12"
    assert str(events["Åtgärd: Ny rutin för loggkontroll"]["url"]).endswith("kvalitetsarbete/resultat/#atgard-a2")
    year = icalendar.Calendar.from_ical((out / "arshjul.ics").read_bytes())
    rules = {str(e["summary"]): e["rrule"] for e in year.walk("VEVENT")}
    assert rules["Riskanalys"]["BYMONTH"] == [10] and rules["Riskanalys"]["BYMONTHDAY"] == [-1]
    assert rules["Nämnden beslutar om internkontrollplan"]["BYMONTHDAY"] == [15]


def test_a_second_run_writes_the_same_bytes(tmp_path):
    make(tmp_path)
    run(tmp_path)
    first = {p.name: p.read_bytes() for p in (tmp_path / "ut").iterdir()}
    run(tmp_path)
    assert {p.name: p.read_bytes() for p in (tmp_path / "ut").iterdir()} == first
