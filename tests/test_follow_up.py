"""The follow-up interval ("Revideras: vid behov", "Följs upp: vartannat år"): its own date, state and
warnings, shown in the panel, with the revision state left as it was."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import make_handbook, run_cli
from handbok.core import revision
from handbok.core.index import Handbook
from handbok.core.model import CURRENT, OVERDUE
from handbok.core.problems import WARNING
from handbok.core.settings import Settings
from handbok.render.document import DocumentParts
from handbok.render.links import Links
from handbok.source import reader
from sitebuild import line_of

TODAY = dt.date(2026, 6, 1)


def routine(*, follow_up: str | None = "vartannat år", followed_up: str | None = None, revised: str = "2025-03-26",
            review: str = "vid behov", status: str | None = None) -> str:
    lines = ["---", "title: Rutin för uppföljning", "type: rutin", "owner: Enhetschef barn och unga",
             f"revised: {revised}", f"review_interval: {review}"]
    if follow_up is not None:
        lines.append(f"follow_up_interval: {follow_up}")
    if followed_up is not None:
        lines.append(f"followed_up: {followed_up}")
    if status:
        lines.append(f"status: {status}")
    lines += ["approved_by: Enhetschef barn och unga", f"approved: {revised}",
              "legal_basis: [SOSFS 2011:9 4 kap. 4 §]", "---", "", "Text.", ""]
    return "\n".join(lines)


def load(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY, **settings) -> Handbook:
    make_handbook(tmp_path, files)
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False, **settings), today)


def codes(book: Handbook) -> list[str]:
    return sorted(p.code for p in book.problems)


# --- the date ---------------------------------------------------------------------------------------

def test_one_function_gives_the_next_revision_and_the_next_follow_up():
    revised = dt.date(2025, 3, 26)
    assert revision.next_due(revised, "vartannat år", None, 24) == dt.date(2027, 3, 26)
    assert revision.next_due(revised, "vid behov", None, 36) == dt.date(2028, 3, 26)
    assert revision.next_due(revised, "årligen", dt.date(2025, 12, 1), 24) == dt.date(2025, 12, 1)
    assert revision.next_due(None, "årligen", None, 24) is None
    assert revision.next_due(revised, None, None, 24) is None


def test_the_next_follow_up_counts_from_followed_up_else_from_revised(tmp_path):
    book = load(tmp_path, {"a.md": routine(), "b.md": routine(followed_up="2026-01-15")})
    by_path = {d.path: d for d in book.documents}
    assert by_path["a.md"].next_follow_up == dt.date(2027, 3, 26)
    assert by_path["b.md"].next_follow_up == dt.date(2028, 1, 15)
    assert by_path["b.md"].followed_up == dt.date(2026, 1, 15)
    assert not [c for c in codes(book) if c.startswith("follow-up")]


# --- the state and its warnings ---------------------------------------------------------------------

def test_an_overdue_follow_up_is_a_warning_with_owner_and_days(tmp_path):
    text = routine(follow_up="årligen", review="vartannat år")  # revised 2025-03-26: follow-up due 2026-03-26
    book = load(tmp_path, {"r.md": text})
    [problem] = [p for p in book.problems if p.code == "follow-up-overdue"]
    assert problem.severity == WARNING and not problem.blocks_build
    assert problem.line == line_of(text, "follow_up_interval:") and problem.field == "follow_up_interval"
    assert problem.owner == "Enhetschef barn och unga"
    assert problem.days == (TODAY - dt.date(2026, 3, 26)).days == 67
    assert "senast 2026-03-26 (67 dagar sedan" in problem.message
    assert "Dokumentägare: Enhetschef barn och unga." in problem.message
    doc = book.documents[0]
    assert doc.follow_up_state == OVERDUE
    # The revision has its own state: revised 2025-03-26 + 2 years is still ahead.
    assert doc.state == CURRENT and doc.next_review == dt.date(2027, 3, 26)
    assert "overdue" not in codes(book) and "due-soon" not in codes(book)


def test_a_follow_up_soon_due_is_a_warning_within_the_due_soon_window(tmp_path):
    text = routine(follow_up="årligen", review="vartannat år", revised="2025-06-20")
    book = load(tmp_path, {"r.md": text})
    [problem] = [p for p in book.problems if p.code == "follow-up-due-soon"]
    assert problem.days == 19 and "om 19 dagar" in problem.message
    assert problem.line == line_of(text, "follow_up_interval:")
    assert load(tmp_path / "smalt", {"r.md": text}, due_soon_days=10).problems == []


def test_drafts_and_repealed_documents_are_not_followed_up(tmp_path):
    files = {"u.md": routine(follow_up="årligen", status="utkast"),
             "x.md": routine(follow_up="årligen", status="upphävd")}
    assert not [c for c in codes(load(tmp_path, files)) if c.startswith("follow-up")]


def test_a_bad_interval_is_invalid(tmp_path):
    text = routine(follow_up="ibland")
    book = load(tmp_path, {"r.md": text})
    [problem] = [p for p in book.problems if p.code == "invalid-value"]
    assert problem.line == line_of(text, "follow_up_interval:") and "”ibland”" in problem.message


# --- the panel --------------------------------------------------------------------------------------

def test_the_panel_shows_the_interval_and_the_next_follow_up(tmp_path):
    book = load(tmp_path, {"r.md": routine(followed_up="2026-01-15")})
    panel = DocumentParts(book, Links(lambda path: None, "")).panel(book.documents[0])
    assert panel is not None
    assert re.search(r'<dt data-search-exclude>Följs upp</dt> <dd>vartannat år \(nästa uppföljning '
                     r'<time datetime="2028-01-15">2028-01-15</time>\)</dd>', panel.html), panel.html
    assert '<dt data-search-exclude>Senast uppföljd</dt> <dd><time datetime="2026-01-15">' in panel.html
    plain = load(tmp_path / "utan", {"r.md": routine(follow_up=None)})
    other = DocumentParts(plain, Links(lambda path: None, "")).panel(plain.documents[0])
    assert other is not None and "Följs upp" not in other.html


# --- the CLI ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("revised", "code"), [("2025-03-26", "follow-up-overdue"),
                                               ("2025-06-20", "follow-up-due-soon")])
def test_the_cli_reports_the_follow_up_with_file_and_line(tmp_path, revised, code):
    text = routine(follow_up="årligen", review="vartannat år", revised=revised)
    make_handbook(tmp_path, {"rutiner/uppfoljning.md": text}, options={"coverage": False})
    result = run_cli("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout  # warnings only
    found = [(p["path"], p["line"], p["code"], p.get("owner")) for p in json.loads(result.stdout)["problems"]]
    assert found == [("rutiner/uppfoljning.md", line_of(text, "follow_up_interval:"), code,
                      "Enhetschef barn och unga")]
    text_report = run_cli("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert f"rutiner/uppfoljning.md:{line_of(text, 'follow_up_interval:')}" in text_report.stdout
    assert code in text_report.stdout
