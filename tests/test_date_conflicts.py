"""Dates that contradict the calendar or each other: `date-conflict`, an error that never stops the build."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import make_handbook, run_cli
from handbok.core.index import Handbook
from handbok.core.problems import CODES, ERROR
from handbok.core.settings import Settings
from handbok.source import reader
from sitebuild import build_site, line_of, logged_at

TODAY = dt.date(2026, 6, 1)


def routine(**fields: str) -> str:
    values = {"revised": "2026-03-12", "review_interval": "årligen", "approved_by": "Enhetschef",
              "approved": "2026-03-12"}
    values.update(fields)
    lines = ["---", "title: Rutin med datum", "type: rutin", "owner: Enhetschef"]
    lines += [f"{key}: {value}" for key, value in values.items() if value != "" and key != "changes"]
    lines.append("legal_basis: [SOSFS 2011:9 4 kap. 4 §]")
    if fields.get("changes"):
        lines += ["changes:"] + [f"  - date: {day}\n    note: Ändrad." for day in fields["changes"].split(",")]
    return "\n".join(lines + ["---", "", "Text.", ""])


def load(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY) -> Handbook:
    make_handbook(tmp_path, files)
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False), today)


def conflicts(book: Handbook) -> list:
    return [p for p in book.problems if p.code == "date-conflict"]


def test_consistent_dates_are_fine(tmp_path):
    book = load(tmp_path, {"r.md": routine(changes="2026-03-12", review_by="2027-01-31", followed_up="2026-05-01")})
    assert book.problems == []


@pytest.mark.parametrize("key", ["revised", "approved", "followed_up"])
def test_a_date_after_today_is_a_conflict_on_its_line(tmp_path, key):
    text = routine(**{key: "2026-06-02"}, **({"approved": "2026-06-02"} if key == "revised" else {}))
    book = load(tmp_path, {"r.md": text})
    found = {p.field: p for p in conflicts(book)}
    assert key in found
    problem = found[key]
    assert problem.line == line_of(text, f"{key}:")
    assert problem.severity == ERROR == CODES["date-conflict"].severity and not problem.blocks_build
    assert f"Fältet ”{key}”" in problem.message and "2026-06-02" in problem.message and "2026-06-01" in problem.message
    assert book.documents[0].valid  # the document is still shown as usual


def test_today_itself_is_not_in_the_future(tmp_path):
    book = load(tmp_path, {"r.md": routine(revised="2026-06-01", approved="2026-06-01")})
    assert conflicts(book) == []


def test_a_change_after_today_is_a_conflict_on_its_item(tmp_path):
    text = routine(changes="2026-03-12,2026-07-01")
    book = load(tmp_path, {"r.md": text})
    [problem] = conflicts(book)
    assert problem.field == "changes" and "2026-07-01" in problem.message
    assert problem.line == line_of(text, "- date: 2026-07-01")


@pytest.mark.parametrize(("review_by", "word"), [("2026-03-12", "samma dag som"), ("2026-01-31", "före")])
def test_review_by_on_or_before_revised_is_a_conflict(tmp_path, review_by, word):
    text = routine(review_by=review_by)
    book = load(tmp_path, {"r.md": text})
    [problem] = conflicts(book)
    assert problem.field == "review_by" and problem.line == line_of(text, "review_by:")
    assert f"är {word} den senaste revisionen" in problem.message


def test_a_follow_up_before_a_later_revision_is_normal(tmp_path):
    assert conflicts(load(tmp_path, {"r.md": routine(followed_up="2025-12-01")})) == []


def test_an_impossible_date_stays_invalid_value(tmp_path):
    text = routine(approved="2025-02-30")
    book = load(tmp_path, {"r.md": text})
    assert [(p.code, p.line) for p in book.problems] == [("invalid-value", line_of(text, "approved:"))]


def test_the_cli_reports_file_line_and_code(tmp_path):
    text = routine(approved="2026-09-01", review_by="2026-01-01")
    make_handbook(tmp_path, {"rutiner/datum.md": text}, options={"coverage": False})
    result = run_cli("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1  # errors
    found = {(p["path"], p["line"], p["severity"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    assert ("rutiner/datum.md", line_of(text, "approved:"), "error", "date-conflict") in found
    assert ("rutiner/datum.md", line_of(text, "review_by:"), "error", "date-conflict") in found
    text_report = run_cli("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert f"rutiner/datum.md:{line_of(text, 'approved:')}" in text_report.stdout
    assert "date-conflict" in text_report.stdout


def test_the_strict_build_passes_and_logs_the_conflict(tmp_path):
    text = routine(approved="2026-09-01")
    built = build_site(tmp_path, {"rutiner/datum.md": text}, roles=["Enhetschef"], strict=True, today=TODAY)
    assert built.result.returncode == 0, built.log[-3000:]
    assert logged_at(built.log, "rutiner/datum.md", line_of(text, "approved:"), "date-conflict")
    assert (built.site / "rutiner" / "datum" / "index.html").is_file()
