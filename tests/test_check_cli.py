"""`handbok check` end to end: real files, a real subprocess, every report format.

The fixture tests/fixtures/broken is a handbook with one broken document of every kind;
the file that is not UTF-8 is written here, because editors and git would "fix" it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, make_handbook, run_cli

TODAY = "2026-04-01"
OPEN = "rutiner/Öppna jämförelser och åtgärder.md"

# Every (path, line, severity, code) the fixture must produce on TODAY, and nothing else.
EXPECTED = {
    ("evidens/trasig-post.md", 6, "error", "unknown-area"),
    ("evidens/trasig-post.md", 7, "error", "missing-file"),
    ("evidens/trasig-post.md", 10, "error", "invalid-missing-field"),
    ("processer/barn-och-unga.md", 15, "warning", "activity-without-routine"),
    ("processer/barn-och-unga.md", 17, "error", "unknown-document"),
    ("rutiner/dubblett-b.md", 3, "error", "duplicate-id"),
    ("rutiner/fel-datum.md", 5, "error", "invalid-value"),  # revised: 2026-02-30
    ("rutiner/fel-datum.md", 6, "error", "invalid-value"),  # review_by: 26-01-01
    ("rutiner/forsenad.md", 6, "error", "overdue"),
    ("rutiner/latin1.md", 2, "error", "invalid-encoding"),
    ("rutiner/okand-roll.md", 4, "error", "unknown-role"),
    ("rutiner/okand-roll.md", 5, "error", "unknown-unit"),
    ("rutiner/okand-roll.md", 12, "error", "unknown-role"),  # responsibilities: Kurator
    ("rutiner/okanda-referenser.md", 8, "error", "unknown-document"),
    ("rutiner/okanda-referenser.md", 9, "error", "unknown-evidence"),
    ("rutiner/okanda-referenser.md", 13, "error", "unknown-evidence"),  # [@okand-kalla] in the body
    ("rutiner/okant-falt.md", 8, "warning", "unknown-key"),
    ("rutiner/okant-lagrum.md", 8, "error", "unknown-reference"),
    ("rutiner/okant-lagrum.md", 9, "error", "unknown-reference"),
    ("rutiner/saknade-falt.md", 4, "error", "invalid-missing-field"),  # owner, revised, review, legal_basis
    ("rutiner/saknade-falt.md", 4, "warning", "missing-decision"),  # approved_by and approved too
    ("rutiner/snart.md", 6, "warning", "due-soon"),
    ("rutiner/trasig-yaml.md", 2, "error", "invalid-yaml"),
    ("rutiner/upphavd-lag.md", 8, "warning", "repealed-law"),
    ("rutiner/utan-metadata.md", 1, "error", "invalid-frontmatter"),
    (OPEN, 7, "error", "overdue"),
}
CODES = {"invalid-encoding", "invalid-frontmatter", "invalid-yaml", "invalid-missing-field", "invalid-value",
         "unknown-key", "unknown-role", "unknown-unit", "unknown-area", "overdue", "due-soon", "unknown-reference",
         "repealed-law", "unknown-document", "unknown-evidence", "duplicate-id", "missing-file",
         "uncovered-requirement", "process-without-activities", "activity-without-routine", "personal-data",
         "invalid-file", "missing-decision"}
# Codes whose message is about the document's review date; their field only locates the line.
NOT_ABOUT_A_FIELD = {"overdue", "due-soon"}


@pytest.fixture
def broken(tmp_path):
    root = tmp_path / "trasig handbok"  # a space in the project path too
    shutil.copytree(FIXTURES / "broken", root)
    (root / "docs" / "rutiner" / "latin1.md").write_bytes("---\ntitle: Förhandsbedömning\ntype: rutin\n---\n"
                                                           .encode("latin-1"))
    return root


def check(cwd, *args, env=None):
    return run_cli("check", *args, cwd=cwd, env=env)


def check_json(cwd, *args, env=None) -> tuple[int, dict]:
    result = check(cwd, "--format", "json", *args, env=env)
    assert result.stderr == ""
    return result.returncode, json.loads(result.stdout)  # the whole of stdout is one JSON object


def keys(report) -> set:
    return {(p["path"], p["line"], p["severity"], p["code"]) for p in report["problems"]}


def test_json_report_lists_every_broken_document(broken):
    code, report = check_json(broken, "--today", TODAY)
    assert code == 1
    assert report["today"] == TODAY
    assert report["documents"] == 21  # every .md except index.md
    assert keys(report) == EXPECTED
    for problem in report["problems"]:
        assert set(problem) >= {"path", "line", "severity", "code", "message"}
        assert problem["path"] is None or not problem["path"].startswith(("docs/", "/"))
        assert problem["line"] is None or (isinstance(problem["line"], int) and problem["line"] >= 1)
        assert problem["severity"] in ("error", "warning")
        assert problem["code"] in CODES
        if problem.get("field") and problem["code"] not in NOT_ABOUT_A_FIELD:
            assert f"”{problem['field']}”" in problem["message"], problem
    missing = [p for p in report["problems"] if p["path"] == "rutiner/saknade-falt.md"
               and p["code"] == "invalid-missing-field"]
    assert sorted(p["field"] for p in missing) == ["legal_basis", "owner", "review_interval", "revised"]


def test_messages_are_specific(broken):
    _, report = check_json(broken, "--today", TODAY)
    by = {(p["path"], p["line"]): p["message"] for p in report["problems"]}
    assert "”2026-02-30”" in by["rutiner/fel-datum.md", 5] and "finns inte i kalendern" in by["rutiner/fel-datum.md", 5]
    assert "”26-01-01”" in by["rutiner/fel-datum.md", 6] and "ÅÅÅÅ-MM-DD" in by["rutiner/fel-datum.md", 6]
    assert "Menade du ”Enhetschef barn och unga”?" in by["rutiner/okand-roll.md", 4]
    assert "”Kurator”" in by["rutiner/okand-roll.md", 12]
    assert "kolon" in by["rutiner/trasig-yaml.md", 2]
    assert "UTF-8" in by["rutiner/latin1.md", 2]
    assert "Menade du ”revised”?" in by["rutiner/okant-falt.md", 8]
    assert "441 dagar" in by[OPEN, 7] and "2025-01-15" in by[OPEN, 7]
    assert "om 19 dagar" in by["rutiner/snart.md", 6]
    assert ("SFS 2001:453 upphävdes 2025-07-01 och ersattes av socialtjänstlag (2025:400)"
            in by["rutiner/upphavd-lag.md", 8])
    assert "rutiner/dubblett-a.md" in by["rutiner/dubblett-b.md", 3]
    overdue = next(p for p in report["problems"] if p["path"] == OPEN)
    assert overdue["owner"] == "Verksamhetsutvecklare" and overdue["days"] == 441


def test_drafts_and_repealed_documents_are_never_overdue(broken):
    _, report = check_json(broken, "--today", "2040-01-01")
    paths = {p["path"] for p in report["problems"] if p["code"] in ("overdue", "due-soon")}
    assert "rutiner/utkast.md" not in paths and "rutiner/upphavd.md" not in paths
    assert {"rutiner/orosanmalan.md", "rutiner/forsenad.md", OPEN} <= paths  # the date did move
    # A repealed document may cite a repealed law without a warning; a current one may not.
    assert not [p for p in report["problems"] if p["path"] == "rutiner/upphavd.md"]


def test_text_report_groups_by_owner_most_overdue_first(broken):
    result = check(broken, "--today", TODAY)
    assert result.returncode == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"handbok check {TODAY}: 21 dokument i ")
    groups = [line for line in lines if line and not line.startswith(" ") and line.endswith(")")]
    names = [g.rsplit(" (", 1)[0] for g in groups]
    assert names[:2] == ["Verksamhetsutvecklare", "Kvalitetssamordnare"]  # 441 days, then 81 days overdue
    assert names[-1] == "Utan dokumentägare / hela handboken"
    assert set(names) == {"Verksamhetsutvecklare", "Kvalitetssamordnare", "Socialsekreterare",
                          "Enhetschef barn och unga", "Utan dokumentägare / hela handboken"}
    start = lines.index("Kvalitetssamordnare (2)")
    assert "docs/rutiner/forsenad.md:6  [försenad 81 d]" in lines[start + 1]
    assert "docs/rutiner/snart.md:6  [om 19 d]" in lines[start + 3]
    assert f"  FEL     docs/{OPEN}:7  [försenad 441 d] – Öppna jämförelser och åtgärder" in lines
    assert lines[-1] == "Summa: 24 fel, 5 varningar (2 försenade, 1 snart dags för revision)."


def test_github_annotations(broken):
    result = check(broken, "--today", TODAY, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED) + 3  # saknade-falt.md has four problems on one line
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert f"::error file=docs/{OPEN},line=7,title=overdue::Dokumentet skulle ha reviderats" in result.stdout
    assert "::warning file=docs/rutiner/okant-falt.md,line=8,title=unknown-key::Okänt fält ”reviewd”." in result.stdout
    assert "::error file=docs/rutiner/trasig-yaml.md,line=2,title=invalid-yaml::" in result.stdout


def test_junit_report(broken):
    result = check(broken, "--today", TODAY, "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == 21
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert int(suite.get("failures")) == len(failed)
    assert failed == {path for path, _, severity, _ in EXPECTED if severity == "error"}
    case = next(c for c in cases if c.get("name") == OPEN)
    assert case.find("failure").get("message") == "overdue"
    warned = next(c for c in cases if c.get("name") == "rutiner/okant-falt.md")
    assert warned.find("failure") is None and "reviewd" in warned.find("system-out").text


def test_gitlab_code_quality(broken):
    result = check(broken, "--today", TODAY, "--format", "gitlab")
    assert result.returncode == 1
    issues = json.loads(result.stdout)
    assert isinstance(issues, list) and len(issues) == len(EXPECTED) + 3
    for issue in issues:
        assert issue["location"]["path"].startswith("docs/")
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["check_name"] in CODES and issue["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    overdue = next(i for i in issues if i["location"]["path"] == f"docs/{OPEN}")
    assert overdue["severity"] == "critical" and overdue["location"]["lines"]["begin"] == 7


def test_output_file(broken):
    result = check(broken, "--today", TODAY, "--format", "json", "-o", "rapport.json")
    assert result.returncode == 1 and result.stdout == ""
    assert keys(json.loads((broken / "rapport.json").read_text(encoding="utf-8"))) == EXPECTED
    (broken / "rapport.json").write_text("mitt eget", encoding="utf-8")
    again = check(broken, "--today", TODAY, "--format", "json", "-o", "rapport.json")
    assert again.returncode == 2 and "finns redan" in again.stderr
    assert (broken / "rapport.json").read_text(encoding="utf-8") == "mitt eget"  # never overwritten unasked
    forced = check(broken, "--today", TODAY, "--format", "json", "-o", "rapport.json", "--force")
    assert forced.returncode == 1
    assert keys(json.loads((broken / "rapport.json").read_text(encoding="utf-8"))) == EXPECTED


def test_docs_dir_argument_finds_the_mkdocs_yml_next_to_it(broken, tmp_path):
    _, from_config = check_json(broken, "--today", TODAY)
    _, from_dir = check_json(broken, "docs", "--today", TODAY)
    assert keys(from_dir) == keys(from_config)  # registries read from mkdocs.yml either way
    _, from_elsewhere = check_json(tmp_path, str(broken / "docs"), "--today", TODAY)
    assert keys(from_elsewhere) == keys(from_config)
    _, explicit = check_json(tmp_path, "--config-file", str(broken / "mkdocs.yml"), "--today", TODAY)
    assert keys(explicit) == keys(from_config)


# --- today, --warn-days ---------------------------------------------------------

def epoch(day: str) -> str:
    return str(int(dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC).timestamp()))


def test_source_date_epoch_sets_today(broken):
    _, by_flag = check_json(broken, "--today", TODAY)
    _, by_env = check_json(broken, env={"SOURCE_DATE_EPOCH": epoch(TODAY)})
    assert by_env == by_flag


def test_today_flag_wins_over_source_date_epoch(broken):
    _, report = check_json(broken, "--today", "2025-02-01", env={"SOURCE_DATE_EPOCH": epoch(TODAY)})
    assert report["today"] == "2025-02-01"
    assert not [p for p in report["problems"] if p["path"] == "rutiner/forsenad.md"]
    # Öppna jämförelser was due 2025-01-15: 17 days overdue on 2025-02-01.
    assert next(p for p in report["problems"] if p["path"] == OPEN)["days"] == 17


@pytest.mark.parametrize("days, due_soon", [(None, True), ("19", True), ("18", False), ("0", False), ("400", True)])
def test_warn_days(broken, days, due_soon):
    args = ["--today", TODAY] + (["--warn-days", days] if days else [])
    _, report = check_json(broken, *args)
    soon = {p["path"] for p in report["problems"] if p["code"] == "due-soon"}
    assert ("rutiner/snart.md" in soon) is due_soon
    if days == "400":  # every current document due within 400 days is now "soon"
        assert "rutiner/orosanmalan.md" in soon


# --- exit codes -----------------------------------------------------------------

ROLES = ["Socialsekreterare"]
GOOD = ("---\ntitle: Bra rutin\ntype: rutin\nowner: Socialsekreterare\nrevised: 2026-01-10\nreview_interval: årligen\n"
        "legal_basis: [SOSFS 2011:9 4 kap. 4 §]\napproved_by: Socialsekreterare\napproved: 2025-01-10\n---\nText.\n")


def test_clean_handbook_exits_0(tmp_path):
    make_handbook(tmp_path, {"index.md": "# Start\n", "rutin.md": GOOD}, roles=ROLES, options={"coverage": False})
    result = check(tmp_path, "--today", TODAY)
    assert result.returncode == 0, result.stdout
    assert "Allt är i ordning." in result.stdout
    assert "Summa: 0 fel, 0 varningar" in result.stdout


def test_only_warnings_exit_0(tmp_path):
    files = {"okant.md": GOOD.replace("revised:", "reviewd: x\nrevised:"),
             "gammal.md": GOOD.replace("2026-01-10", "2025-06-15").replace("SOSFS 2011:9 4 kap. 4 §", "SoL 3 kap. 1 §"),
             "snart.md": GOOD.replace("2026-01-10", "2025-04-10")}
    make_handbook(tmp_path, files, roles=ROLES, options={"coverage": False})
    code, report = check_json(tmp_path, "--today", TODAY)
    assert code == 0
    assert sorted(p["code"] for p in report["problems"]) == ["due-soon", "repealed-law", "unknown-key"]
    assert all(p["severity"] == "warning" for p in report["problems"])


def test_coverage_warnings_when_enabled(tmp_path):
    process = ("---\ntitle: Processkarta\ntype: process\nowner: Socialsekreterare\nrevised: 2026-01-10\n"
               "review_interval: årligen\nlegal_basis: [SOSFS 2011:9 4 kap. 2–3 §§]\napproved_by: Socialsekreterare\n"
               "approved: 2026-01-10\nactivities:\n"
               "  - name: Ta emot\n    routine: rutin.md\n---\n")
    draft = GOOD.replace("type: rutin", "type: rutin\nstatus: utkast").replace("4 kap. 4 §", "5 kap. 1 §")
    make_handbook(tmp_path, {"rutin.md": GOOD, "process.md": process, "utkast.md": draft}, roles=ROLES,
                  options={"coverage": True})
    code, report = check_json(tmp_path, "--today", TODAY)
    assert code == 0  # uncovered requirements are warnings
    uncovered = [p for p in report["problems"] if p["code"] == "uncovered-requirement"]
    assert uncovered and all(p["path"] is None and p["line"] is None and p["severity"] == "warning"
                             for p in uncovered)
    text = "\n".join(p["message"] for p in uncovered)
    for covered in ("4 kap. 2 §", "4 kap. 3 §", "4 kap. 4 §"):  # the range and the routine cover these
        assert f"SOSFS 2011:9 {covered} " not in text
    assert "SOSFS 2011:9 5 kap. 1 §" in text  # only a draft cites it: drafts do not count
    assert {p["code"] for p in report["problems"]} == {"uncovered-requirement"}
    github = check(tmp_path, "--today", TODAY, "--format", "github").stdout
    assert "::warning title=uncovered-requirement::Inget gällande dokument täcker" in github
    gitlab = json.loads(check(tmp_path, "--today", TODAY, "--format", "gitlab").stdout)
    assert all(i["location"]["path"] and i["location"]["lines"]["begin"] == 1 for i in gitlab)
    junit = ET.fromstring(check(tmp_path, "--today", TODAY, "--format", "junit").stdout.encode("utf-8"))
    assert junit.find("testsuite").get("failures") == "0"


@pytest.mark.parametrize("args, phrase", [
    (["--today", "2026-13-01"], "finns inte i kalendern"),
    (["--today", "1 april"], "ÅÅÅÅ-MM-DD"),
    (["--bogus"], "okända argument"),
    (["--format", "xml"], "ogiltigt val"),
    (["--warn-days", "x"], "inget heltal"),
    (["--warn-days", "-1"], "--warn-days"),
    (["finns-inte"], "Mappen ”finns-inte” finns inte"),
    (["--config-file", "saknas.yml"], "kan inte läsas"),
])
def test_usage_errors_exit_2_in_swedish(broken, args, phrase):
    result = check(broken, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert phrase in result.stderr
    assert result.stderr.startswith(("handbok: ", "användning:"))


def test_bad_source_date_epoch_exits_2(broken):
    result = check(broken, env={"SOURCE_DATE_EPOCH": "igår"})
    assert result.returncode == 2 and result.stdout == ""
    assert "SOURCE_DATE_EPOCH=”igår” är inget heltal" in result.stderr


def test_no_mkdocs_yml_and_no_docs_dir_exits_2(tmp_path):
    result = check(tmp_path, "--today", TODAY)
    assert result.returncode == 2
    assert "Hittar ingen mkdocs.yml" in result.stderr


@pytest.mark.parametrize("config, phrase", [
    ("site_name: [\n", "YAML-fel"),
    ("site_name: x\ndocs_dir: docs\nplugins:\n  - handbok:\n      roles_fil: x.yml\n",
     "okänd inställning för handbok: roles_fil"),
    ("site_name: x\ndocs_dir: docs\nplugins:\n  - handbok:\n      due_soon_days: snart\n", "due_soon_days"),
    ("site_name: x\ndocs_dir: docs\nplugins:\n  - handbok:\n      roles_file: saknas.yml\n", "saknas.yml"),
    ("site_name: x\ndocs_dir: docs\ncopyright: 2026-13-01\n", "YAML-fel"),
    ("- bara\n- en lista\n", "namn: värde"),
])
def test_bad_configuration_exits_2(tmp_path, config, phrase):
    make_handbook(tmp_path, {"rutin.md": GOOD}, config)
    result = check(tmp_path, "--today", TODAY)
    assert result.returncode == 2, result.stdout
    assert phrase in result.stderr and result.stderr.startswith("handbok: ")


def test_broken_registry_exits_2(tmp_path):
    make_handbook(tmp_path, {"rutin.md": GOOD}, roles=ROLES)
    (tmp_path / "registry" / "roles.yml").write_bytes(b"roles:\n  - name: Socialsekreterare\n  - name: \xe5\n")
    result = check(tmp_path, "--today", TODAY)
    assert result.returncode == 2
    assert "roles.yml" in result.stderr and "UTF-8" in result.stderr


def test_empty_docs_dir(tmp_path):
    make_handbook(tmp_path, {}, options={"coverage": False})
    code, report = check_json(tmp_path, "--today", TODAY)
    assert code == 0 and report["documents"] == 0 and report["problems"] == []
