"""`handbok new`, `handbok revise`, `handbok evidens import` and the personal-data guard, as a user runs them."""

from __future__ import annotations

import json

from conftest import FIXTURES, make_handbook, run_cli

ROLES = ["Enhetschef barn och unga", "Socialsekreterare"]
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga"}]

ROUTINE = """---
title: Rutin för orosanmälan
type: rutin
owner: Enhetschef barn och unga  # kommentar som ska vara kvar
unit: barn-och-unga
revised: 2025-03-01
review_interval: årligen
legal_basis:
  - SOSFS 2011:9 4 kap. 4 §
changes:
  - date: 2025-03-01
    note: Första versionen.
---
Text som inte får ändras.
"""


def test_new_creates_a_document_that_check_accepts_once_filled_in(tmp_path):
    project = make_handbook(tmp_path, {"index.md": "# Start\n"}, roles=ROLES, units=UNITS)
    result = run_cli("new", "rutin", "Förhandsbedömning inom 14 dagar", "--unit", "Barn och unga",
                     "--owner", "Enhetschef barn och unga", "--today", "2026-12-01", cwd=project)
    assert result.returncode == 0, result.stderr
    created = project / "docs" / "barn-och-unga" / "rutiner" / "forhandsbedomning-inom-14-dagar.md"
    assert created.is_file(), result.stdout
    text = created.read_text(encoding="utf-8")
    for section in ("## Syfte", "## Ansvar", "## Tillvägagångssätt", "## Dokumentation", "## Uppföljning"):
        assert section in text
    assert "revised: 2026-12-01" in text
    check = run_cli("check", "--today", "2026-12-01", "--format", "json", cwd=project)
    problems = json.loads(check.stdout)["problems"]
    # A new draft only lacks what the author must decide: its legal basis and the placeholder role.
    assert {p["code"] for p in problems if p["path"] == created.relative_to(project / "docs").as_posix()} <= {
        "invalid-missing-field", "unknown-role"}


def test_new_refuses_to_overwrite(tmp_path):
    project = make_handbook(tmp_path, {"barn-och-unga/rutiner/samma.md": "orört\n"}, roles=ROLES, units=UNITS)
    result = run_cli("new", "rutin", "Samma", "--unit", "barn-och-unga", "--owner", "Socialsekreterare",
                     "--today", "2026-12-01", cwd=project)
    assert result.returncode == 1
    assert "skrivs aldrig över" in result.stderr
    assert (project / "docs" / "barn-och-unga" / "rutiner" / "samma.md").read_text(encoding="utf-8") == "orört\n"


def test_new_rejects_unknown_unit_and_type(tmp_path):
    project = make_handbook(tmp_path, {}, roles=ROLES, units=UNITS)
    unit = run_cli("new", "rutin", "X", "--unit", "Barn och ungdom", "--today", "2026-12-01", cwd=project)
    assert unit.returncode == 2 and "enhetsregistret" in unit.stderr
    kind = run_cli("new", "rutinen", "X", "--today", "2026-12-01", cwd=project)
    assert kind.returncode == 2 and "Okänd dokumenttyp" in kind.stderr


def test_revise_changes_only_the_revised_line_and_the_change_log(tmp_path):
    project = make_handbook(tmp_path, {"rutin.md": ROUTINE}, roles=ROLES, units=UNITS)
    target = project / "docs" / "rutin.md"
    result = run_cli("revise", "docs/rutin.md", "--note", "Nya lagrum: SoL (2025:400).", "--date", "2026-11-30",
                     cwd=project)
    assert result.returncode == 0, result.stderr
    before, after = ROUTINE.splitlines(), target.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [
        "revised: 2026-11-30", "  - date: 2026-11-30", "    note: 'Nya lagrum: SoL (2025:400).'"]
    assert [line for line in before if line not in after] == ["revised: 2025-03-01"]
    assert "# kommentar som ska vara kvar" in after[3]
    check = run_cli("check", "--today", "2026-12-01", "--format", "json", cwd=project)
    assert not [p for p in json.loads(check.stdout)["problems"] if p["code"] == "overdue"]


def test_revise_refuses_broken_front_matter(tmp_path):
    broken = ROUTINE.replace("title: Rutin för orosanmälan", 'title: "Rutin')
    project = make_handbook(tmp_path, {"rutin.md": broken}, roles=ROLES, units=UNITS)
    result = run_cli("revise", "docs/rutin.md", "--date", "2026-11-30", cwd=project)
    assert result.returncode == 1
    assert "rutin.md" in result.stderr
    assert (project / "docs" / "rutin.md").read_text(encoding="utf-8") == broken


def test_evidence_import_cli_creates_entries_and_never_overwrites(tmp_path):
    project = make_handbook(tmp_path, {}, roles=ROLES, units=UNITS)
    ris = next((FIXTURES / "import").glob("*.ris"))
    first = run_cli("evidens", "import", str(ris), "--area", "barn-och-unga", "--today", "2026-12-01", cwd=project)
    assert first.returncode == 0, first.stderr
    created = sorted((project / "docs" / "evidens").glob("*.md"))
    assert created and "Skapade" in first.stdout
    snapshot = {p: p.read_bytes() for p in created}
    again = run_cli("evidens", "import", str(ris), "--area", "barn-och-unga", "--today", "2026-12-01", cwd=project)
    assert again.returncode == 0
    assert {p: p.read_bytes() for p in created} == snapshot
    dry = run_cli("evidens", "import", str(ris), "--dry-run", "--today", "2026-12-01", cwd=project)
    assert dry.returncode == 0 and sorted((project / "docs" / "evidens").glob("*.md")) == created


PNR_DOC = """---
title: Dokumentation
type: instruktion
owner: Socialsekreterare
revised: 2026-11-01
review_interval: årligen
---
Exempel från en akt: 19811218-9876 ska aldrig stå här.
Godkänt exempel: 811218-9876 <!-- handbok: tillåt-personnummer -->
"""


def test_check_flags_personal_identity_numbers_masked_and_lists_accepted(tmp_path):
    project = make_handbook(tmp_path, {"instruktion.md": PNR_DOC}, roles=ROLES, options={"coverage": False})
    result = run_cli("check", "--today", "2026-12-01", "--format", "json", cwd=project)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    hits = [p for p in report["problems"] if p["code"] == "personal-data"]
    assert [(h["path"], h["line"]) for h in hits] == [("instruktion.md", 8)]
    assert "9876" not in result.stdout
    assert [(a["path"], a["line"]) for a in report["accepted"]] == [("instruktion.md", 9)]
    text = run_cli("check", "--today", "2026-12-01", cwd=project)
    assert "Godkända personnummer (1)" in text.stdout and "9876" not in text.stdout


def test_revise_warns_when_an_abbreviation_now_means_the_new_law(tmp_path):
    old_sol = ROUTINE.replace("  - SOSFS 2011:9 4 kap. 4 §", "  - SoL 2 kap. 7 §")
    project = make_handbook(tmp_path, {"rutin.md": old_sol}, roles=ROLES, units=UNITS)
    result = run_cli("revise", "docs/rutin.md", "--date", "2026-11-30", cwd=project)
    assert result.returncode == 0, result.stderr
    assert ("”SoL 2 kap. 7 §” syftade på socialtjänstlag (2001:453), men efter revisionen läses ”SoL” som "
            "socialtjänstlag (2025:400)") in result.stdout
    assert "andra stycket av 10 kap. 9 §" in result.stdout  # where the old paragraph went


def test_check_output_file_is_never_overwritten_without_force(tmp_path):
    project = make_handbook(tmp_path, {"rutin.md": ROUTINE}, roles=ROLES, units=UNITS)
    (project / "rapport.json").write_text("min egen fil\n", encoding="utf-8")
    refused = run_cli("check", "--format", "json", "-o", "rapport.json", "--today", "2026-12-01", cwd=project)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (project / "rapport.json").read_text(encoding="utf-8") == "min egen fil\n"
    forced = run_cli("check", "--format", "json", "-o", "rapport.json", "--force", "--today", "2026-12-01", cwd=project)
    assert forced.returncode in (0, 1)
    assert json.loads((project / "rapport.json").read_text(encoding="utf-8"))["today"] == "2026-12-01"
