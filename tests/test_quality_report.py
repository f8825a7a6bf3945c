"""The kvalitetsberättelse (handbok.core.quality_report and `handbok kvalitetsberattelse`): its numbers are those
`handbok check` and the records give (computed here on their own, from the files), the author's text is kept
byte for byte and never written, the PDF is a tagged PDF with the title, and the site has its pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml

from conftest import ROOT, run_cli
from handbok.core import goals
from handbok.core.quality_report import SECTIONS, split_author_text
from sitebuild import build_example, content, find, find_all, section, text_of

TODAY = dt.date(2026, 12, 1)
HANDBOOK = ROOT / "handbook"
AUTHOR = HANDBOOK / "kvalitetsarbete" / "kvalitetsberattelse-2026.md"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def report_cli(*args: str, cwd: Path = ROOT):
    return run_cli("kvalitetsberattelse", "--year", "2026", "--today", TODAY.isoformat(), *args, cwd=cwd)


@pytest.fixture(scope="module")
def numbers() -> dict:
    run = report_cli("--format", "json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def checked() -> list[dict]:
    run = run_cli("check", "--today", TODAY.isoformat(), "--format", "json", cwd=ROOT)
    return json.loads(run.stdout)["problems"]


# --- the author's text ---------------------------------------------------------------------------

def test_the_authors_text_is_split_by_section_and_goal_and_nothing_is_dropped():
    body = ("Förord.\n\n## Sammanfattning\n\nKort.\n\n## Mål och resultat\n\nOm målen.\n\n### Snabb utredning\n\n"
            "**Analys.** Bra.\n\n```\n## inte en rubrik\n```\n\n## Samverkan\n\nMed skolan.\n\n"
            "## Något annat\n\nExtra.\n")
    text = split_author_text(body)
    assert text.foreword == "Förord."
    assert text.sections["sammanfattning"] == "Kort." and text.sections["mal"] == "Om målen."
    assert text.goals["snabb utredning"].startswith("**Analys.** Bra.") and "## inte en rubrik" in text.goals[
        "snabb utredning"]
    assert text.sections["samverkan"] == "Med skolan." and text.others == [("Något annat", "Extra.")]


def test_every_heading_of_the_example_text_is_a_section():
    text = split_author_text(AUTHOR.read_text(encoding="utf-8").split("---\n", 2)[2])
    assert set(text.sections) == {key for key, _ in SECTIONS} and text.others == []


# --- the numbers are those of check and of the records ---------------------------------------------

def test_overdue_documents_and_measures_and_missing_controls_are_those_check_reports(numbers, checked):
    def paths(code: str) -> list[str]:
        return sorted(p["path"] for p in checked if p["code"] == code)

    governed_overdue = [p for p in paths("overdue") if not p.startswith("evidens/")]
    assert sorted(numbers["documents"]["overdue"]) == governed_overdue and len(governed_overdue) == 3
    assert sorted(m["record"] for m in numbers["measures"]["overdue"]) == paths("measure-overdue")
    assert numbers["controls"]["missing"] == len(paths("control-missing")) == 1
    missing = [i["id"] for i in numbers["goals"]["indicators"] if i["missing"]]
    assert len(missing) == len(paths("indicator-result-missing")) == 1


def test_deviation_counts_are_the_sums_of_the_years_compilations():
    expected: dict[str, int] = {}
    sources = []
    for path in sorted((HANDBOOK / "kvalitetsarbete").rglob("*.md")):
        meta = front_matter(path)
        if meta.get("type") == "sammanställning" and str(meta["period"]["to"]).startswith("2026"):
            sources.append(path.relative_to(HANDBOOK).as_posix())
            for row in meta["counts"]:
                expected[row["kind"]] = expected.get(row["kind"], 0) + row["count"]
    run = report_cli("--format", "json")
    counts = json.loads(run.stdout)["counts"]
    assert {kind: c["total"] for kind, c in counts.items()} == expected and len(sources) == 3
    assert sorted(counts["avvikelse"]["sources"]) == sources


def test_each_indicators_status_follows_from_its_target_and_its_latest_value_of_the_year(numbers):
    meta = front_matter(HANDBOOK / "kvalitetsarbete" / "mal" / "mal-2026.md")
    expected = {}
    for item in meta["indicators"]:
        year = [r for r in item.get("results", []) if str(r["period"]).startswith("2026")]
        if not year:
            expected[item["id"]] = "saknas"
            continue
        value = max(year, key=lambda r: goals.parse_period(r["period"])[0].end)["value"]
        better = (lambda a, b: a >= b) if item["direction"] == "högre" else (lambda a, b: a <= b)
        if better(value, item["target"]):
            expected[item["id"]] = "uppnått"
        elif "partly" in item and better(value, item["partly"]):
            expected[item["id"]] = "delvis"
        else:
            expected[item["id"]] = "ej uppnått"
    found = {i["id"]: i["status"] for i in numbers["goals"]["indicators"]}
    assert found == expected
    assert set(found.values()) == {"uppnått", "delvis", "ej uppnått", "saknas"}  # the example shows every status
    assert numbers["goals"]["status"] == {s: list(expected.values()).count(s)
                                          for s in ("uppnått", "delvis", "ej uppnått", "saknas")}


def test_the_markdown_report_prints_the_same_numbers(numbers):
    run = report_cli("--format", "md")
    text = run.stdout
    controls = numbers["controls"]
    assert (f"{controls['planned']} planerade, {controls['due']} skulle ha resultat, {controls['done']} genomförda, "
            f"{controls['missing']} saknas") in text
    for plan in controls["plans"]:
        for row in plan["controls"]:
            assert f"| {row['planned']} | {row['due']} | {row['done']} | {row['missing']} |" in text
    total = numbers["counts"]["avvikelse"]["total"]
    assert f"| **Summa** | **{total}** |" in text
    overdue = len(numbers["measures"]["overdue"])
    assert f"{numbers['measures']['open']} öppna, varav {overdue} försenad" in text
    assert "Kvalitetsberättelse 2026:" in run.stderr and "indikatorer" in run.stderr  # the one-line summary


def test_the_rendering_in_docs_is_the_example_as_it_stands():
    """docs/exempel-kvalitetsberattelse-2026.md is what the command makes of the example today (regenerate it with
    handbok kvalitetsberattelse --year 2026 --today 2026-12-01 --format md -o docs/… --force)."""
    assert report_cli("--format", "md").stdout == (ROOT / "docs" / "exempel-kvalitetsberattelse-2026.md").read_text(
        encoding="utf-8")


# --- the author's text is the author's ------------------------------------------------------------

@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("handbook", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_regenerating_keeps_the_authors_text_byte_for_byte(project):
    author = project / "handbook" / "kvalitetsarbete" / "kvalitetsberattelse-2026.md"
    before = hashlib.sha256(author.read_bytes()).hexdigest()
    first = report_cli("--format", "md", "-o", "berattelse.md", cwd=project)
    assert first.returncode == 0, first.stderr
    refused = report_cli("--format", "md", "-o", "berattelse.md", cwd=project)
    assert refused.returncode == 2 and "finns redan" in refused.stderr and "--force" in refused.stderr
    again = report_cli("--format", "md", "-o", "berattelse.md", "--force", cwd=project)
    assert again.returncode == 0
    assert hashlib.sha256(author.read_bytes()).hexdigest() == before
    report = (project / "berattelse.md").read_text(encoding="utf-8")
    text = split_author_text(author.read_text(encoding="utf-8").split("---\n", 2)[2])
    for key, body in text.sections.items():
        assert body in report, key  # every section of the author's text, as written
    for body in text.goals.values():
        assert body in report


def test_a_changed_number_changes_the_report_and_the_text_stays(project):
    compilation = project / "handbook" / "kvalitetsarbete" / "sammanstallningar" / "sammanstallning-2026-q3.md"
    source = compilation.read_text(encoding="utf-8")
    compilation.write_text(source.replace("category: Tidsfrister\n    count: 7", "category: Tidsfrister\n    count: 9"),
                           encoding="utf-8")
    run = report_cli("--format", "json", cwd=project)
    counts = json.loads(run.stdout)["counts"]["avvikelse"]
    assert counts["categories"]["Tidsfrister"] == 18 and counts["total"] == 38


def test_sections_without_text_are_marked_and_named_in_the_summary(project):
    author = project / "handbook" / "kvalitetsarbete" / "kvalitetsberattelse-2026.md"
    head, body = author.read_text(encoding="utf-8").split("\n## Samverkan\n", 1)
    author.write_text(head + "\n## Riskanalyser\n" + body.split("\n## Riskanalyser\n", 1)[1], encoding="utf-8")
    run = report_cli("--format", "md", cwd=project)
    assert "Skriv den under rubriken `## Samverkan` i kvalitetsarbete/kvalitetsberattelse-2026.md" in run.stdout
    assert "Text saknas under: Samverkan" in run.stderr


def test_without_an_authors_text_the_report_is_made_and_says_how_to_start_it(project):
    (project / "handbook" / "kvalitetsarbete" / "kvalitetsberattelse-2026.md").unlink()
    run = report_cli("--format", "md", cwd=project)
    assert run.returncode == 0 and "handbok new kvalitetsberättelse" in run.stderr
    assert run.stdout.count("Plats för författarens text") >= len(SECTIONS)


def test_hostile_values_are_escaped_in_markdown_and_html(project):
    plan = project / "handbook" / "kvalitetsarbete" / "mal" / "mal-2026.md"
    source = plan.read_text(encoding="utf-8")
    plan.write_text(source.replace("name: Barn och unga växer upp under trygga förhållanden",
                                   "name: \"Barn <script>alert(1)</script> | *växer*\"", 1), encoding="utf-8")
    markdown = report_cli("--format", "md", cwd=project).stdout
    assert "Barn \\<script\\>alert\\(1\\)\\</script\\> \\| \\*växer\\*" in markdown
    html = report_cli("--format", "html", cwd=project).stdout
    assert "<script>" not in html and "Barn &lt;script&gt;alert(1)&lt;/script&gt; | *växer*" in html


def test_a_personal_identity_number_anywhere_stops_the_report(project):
    author = project / "handbook" / "kvalitetsarbete" / "kvalitetsberattelse-2026.md"
    text = author.read_text(encoding="utf-8")
    author.write_text(text.replace("## Samverkan\n", "## Samverkan\n\nGäller 640823-3234.\n"), encoding="utf-8")
    run = report_cli("--format", "pdf", "-o", "berattelse.pdf", cwd=project)
    assert run.returncode == 2 and "personnummer" in run.stderr
    assert "kvalitetsarbete/kvalitetsberattelse-2026.md:" in run.stderr and "640823" not in run.stderr
    assert not (project / "berattelse.pdf").exists()


def test_html_in_the_authors_text_is_sanitized_in_the_html_report(project):
    author = project / "handbook" / "kvalitetsarbete" / "kvalitetsberattelse-2026.md"
    author.write_text(author.read_text(encoding="utf-8").replace(
        "## Samverkan\n", "## Samverkan\n\n<script>alert(1)</script><img src=x onerror=alert(2)> Text.\n"),
        encoding="utf-8")
    html = report_cli("--format", "html", cwd=project).stdout
    assert "<script>alert(1)" not in html and "onerror" not in html and "Text." in html


def test_a_year_that_has_not_begun_is_refused_in_swedish():
    run = run_cli("kvalitetsberattelse", "--year", "2031", "--today", TODAY.isoformat(), cwd=ROOT)
    assert run.returncode == 2 and "--year 2031" in run.stderr and "Traceback" not in run.stderr


def test_help_is_swedish_with_an_example():
    run = run_cli("kvalitetsberattelse", "--help", cwd=ROOT)
    assert "användning:" in run.stdout and "exempel:" in run.stdout and "--format pdf" in run.stdout


# --- the PDF --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_pdf_opens_has_the_title_and_is_tagged(tmp_path):
    out = tmp_path / "kvalitetsberattelse-2026.pdf"
    run = report_cli("--format", "pdf", "-o", str(out))
    assert run.returncode == 0, run.stderr
    reader = pypdf.PdfReader(out)
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title.startswith("Kvalitetsberättelse 2026")
    assert reader.metadata.author == "Socialnämnden"
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"] and catalog["/Lang"] == "sv"
    assert "Kvalitetsberättelse 2026" in reader.pages[0].extract_text()
    assert len(reader.pages) > 5
    words = " ".join(page.extract_text() for page in reader.pages)
    assert "Mål och resultat" in words and "Plan för nästa år" in words
    contents = reader.pages[1].extract_text()
    assert "Innehåll" in contents and re.search(r"Mål och resultat, sida \d+", contents)  # page numbers of the parts
    assert "Exempelkommun, socialförvaltningen" in reader.pages[0].extract_text()  # the option organisation
    again = tmp_path / "igen.pdf"
    report_cli("--format", "pdf", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # the same day gives the same file


# --- the site ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_example(tmp_path_factory, today=TODAY)
    assert result.result.returncode == 0, result.log
    return result


@pytest.mark.slow
def test_the_goals_page_shows_the_chain_with_status_in_words_and_a_described_trend(built):
    html = content(built.page("handbok/mal/"))
    goals_html = find_all(html, "li", class_="handbok-goal")
    assert len(goals_html) == 9
    rows = find_all(html, "tr", **{"data-handbok-goal": None})
    statuses = [r.attrs["data-handbok-goal"] for r in rows]
    assert len(rows) == 9 and statuses.count("saknas") == 1
    text = text_of(html)
    assert "Delvis uppnått" in text and "Ej uppnått" in text, text[:300]
    assert "Värde saknas för 2026-01-01 – 2026-06-30" in text, text[text.find("saknas för") - 80:][:200]
    svg = find(html, "svg", role="img")
    caption = find(html, "figcaption", id=svg.attrs["aria-labelledby"])
    assert caption.text.startswith("Utveckling: 2024:") and "Målvärde" in caption.text
    assert "barn-och-unga/" in html  # the units' own pages are linked


@pytest.mark.slow
def test_a_units_goal_page_has_its_goals_and_those_above_them(built):
    text = text_of(content(built.page("handbok/mal/vuxen/")))
    assert "Vuxna med missbruk eller beroende får beviljade insatser utan dröjsmål" in text
    assert "Vuxna får stöd att leva ett självständigt liv" in text  # the nämndmål above it
    assert "Barnets röst syns i varje utredning" not in text


@pytest.mark.slow
def test_the_report_page_has_every_section_in_the_toc_and_the_numbers_link_their_records(built):
    html = built.page("handbok/kvalitetsberattelse/2026/")
    for key, title in SECTIONS:
        assert find(html, "h2", id=key).text.startswith(title)
    egenkontroll = section(html, "egenkontroll")
    assert "resultat" in egenkontroll and "../../../kvalitetsarbete/egenkontroll/egenkontrollplan-2026/" in egenkontroll
    assert "Året är inte slut" in text_of(html)
    assert find_all(html, "div", class_="handbok-author")  # the author's text is there
    index = text_of(content(built.page("handbok/kvalitetsberattelse/")))
    assert "Kvalitetsberättelse 2026 – utkast" in index


@pytest.mark.slow
def test_the_plan_and_the_authors_text_have_their_own_pages(built):
    plan = content(built.page("kvalitetsarbete/mal/mal-2026/"))
    assert find(plan, "h2", id="handbok-mal") and len(find_all(plan, "li", class_="handbok-goal")) == 9
    author = content(built.page("kvalitetsarbete/kvalitetsberattelse-2026/"))
    note = find(author, "p", class_="handbok-report-notice")
    assert "Läs hela kvalitetsberättelsen 2026" in note.text


@pytest.mark.slow
def test_handbok_json_has_the_indicators_with_the_reports_statuses(built, numbers):
    data = json.loads((built.site / "handbok.json").read_text(encoding="utf-8"))
    found = {i["id"]: i["status"] for i in data["indicators"]}
    assert found == {i["id"]: i["status"] for i in numbers["goals"]["indicators"]}
    first = data["indicators"][0]
    assert first["url"].endswith(f"kvalitetsarbete/mal/mal-2026/#indikator-{first['id']}") and first["year"] == 2026
