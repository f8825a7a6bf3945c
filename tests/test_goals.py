"""Goals and indicators (handbok.core.goals): the chain is read and linked, each indicator is judged against
its target, ended periods without a value are warned, and bad values are Swedish problems with file, line and
field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import make_handbook, run_cli
from handbok.core import goals
from handbok.core.index import Handbook
from handbok.core.model import GOAL_NO_RESULT, GOAL_NOT_REACHED, GOAL_PARTLY, GOAL_REACHED
from handbok.core.settings import Settings
from handbok.source import reader

TODAY = dt.date(2026, 12, 1)

CHAIN = """\
goals:
  - id: trygg
    level: nämndmål
    name: Barn och unga växer upp tryggt
    owner: Socialnämnden
  - id: snabb
    level: effektmål
    parent: trygg
    name: Utredningar blir klara i tid
    owner: Enhetschef barn och unga
    units: [barn-och-unga]
  - id: mottagning
    level: verksamhetsmål
    parent: snabb
    name: Förhandsbedömningar inom 14 dagar
    owner: Enhetschef barn och unga
"""


def indicator(ident: str = "tid", *, direction: str = "lägre", target: str = "100", more: str = "",
              results: str = "") -> str:
    text = (f"  - id: {ident}\n    goal: snabb\n    name: Utredningstid {ident}\n    measured_in: dagar\n"
            f"    direction: {direction}\n    target: {target}\n{more}")
    return text + (f"    results:\n{results}" if results else "")


def plan(indicators: str, *, chain: str = CHAIN, year: int = 2026, status: str = "gällande") -> str:
    return (f"---\ntitle: Mål {year}\ntype: målplan\nid: mal-{year}\nowner: Socialchef\nyear: {year}\n"
            f"status: {status}\n{chain}indicators:\n{indicators}---\n\nMålen i nämndens verksamhetsplan.\n")


def load(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY, **settings) -> Handbook:
    make_handbook(tmp_path, files)
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, **{"coverage": False, **settings}), today)


def problems(book: Handbook, code: str | None = None):
    return [p for p in book.problems if code is None or p.code == code]


def the_plan(book: Handbook):
    doc = next(d for d in book.records if d.type == "målplan")
    assert doc.record is not None
    return doc, doc.record


# --- the chain ----------------------------------------------------------------------------------

def test_the_chain_is_linked_parent_to_child_and_walked_in_order(tmp_path):
    book = load(tmp_path, {"mal.md": plan(indicator())})
    doc, info = the_plan(book)
    assert problems(book) == []
    assert [(depth, g.id) for depth, g in goals.walk(info.goals)] == [(0, "trygg"), (1, "snabb"), (2, "mottagning")]
    assert info.goals[1].parent is info.goals[0] and info.goals[1].units[0].id == "barn-och-unga"
    assert info.indicators[0].goal is info.goals[1] and info.goals[1].indicators == info.indicators


def test_a_goal_below_the_top_without_parent_and_an_unknown_parent_are_reported_on_their_line(tmp_path):
    chain = CHAIN.replace("    parent: trygg\n", "").replace("parent: snabb", "parent: snab")
    book = load(tmp_path, {"mal.md": plan(indicator(), chain=chain)})
    found = problems(book)
    missing = next(p for p in found if "saknar ”parent”" in p.message)
    assert missing.code == "invalid-missing-field" and missing.line == 13 and "nämndmål" in missing.message
    unknown = next(p for p in found if p.code == "unknown-goal")
    assert "”snab” är inget mål i planen" in unknown.message and unknown.line == 18


def test_a_parent_on_the_wrong_level_is_named_with_both_levels(tmp_path):
    chain = CHAIN.replace("parent: snabb", "parent: trygg")
    book = load(tmp_path, {"mal.md": plan(indicator(), chain=chain)})
    [problem] = problems(book, "unknown-goal")
    assert "(verksamhetsmål) har ”trygg” (nämndmål)" in problem.message and "effektmål" in problem.message


def test_the_levels_are_the_sites_own(tmp_path):
    chain = CHAIN.replace("nämndmål", "inriktningsmål").replace("verksamhetsmål", "leveransmål")
    book = load(tmp_path, {"mal.md": plan(indicator(), chain=chain)},
                goal_levels=["inriktningsmål", "effektmål", "leveransmål"])
    assert problems(book) == []
    book = load(tmp_path, {"mal.md": plan(indicator(), chain=chain)})
    problem = next(p for p in problems(book) if "”level”" in p.message)
    assert problem.code == "invalid-value" and "Tillåtna: nämndmål, effektmål, verksamhetsmål" in problem.message


def test_an_indicator_under_an_unknown_goal_is_unknown_goal(tmp_path):
    book = load(tmp_path, {"mal.md": plan(indicator().replace("goal: snabb", "goal: snabbt"))})
    [problem] = problems(book, "unknown-goal")
    assert "”snabbt” är inget mål i planen (planens mål: trygg, snabb, mottagning)" in problem.message
    assert problem.line == 25 and problem.field == "indicators"


# --- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "hint"), [('"85 %"', "Skriv bara talet, t.ex. 85"),
                                              ('"85,5"', "t.ex. 85.5"), ("ja", ""), ("[1, 2]", "")])
def test_a_target_that_is_not_a_number_is_invalid(tmp_path, target, hint):
    book = load(tmp_path, {"mal.md": plan(indicator(target=target))})
    [problem] = problems(book, "invalid-value")
    assert "”target”" in problem.message and "ska vara ett tal" in problem.message and hint in problem.message
    assert problem.line == 25


def test_a_result_without_period_or_value_is_a_missing_field(tmp_path):
    book = load(tmp_path, {"mal.md": plan(indicator(results="      - value: 90\n"))})
    [problem] = problems(book, "invalid-missing-field")
    assert "resultat 1: ”period” saknas" in problem.message
    book = load(tmp_path, {"mal.md": plan(indicator(results="      - period: 2026-H1\n"))})
    [problem] = problems(book, "invalid-missing-field")
    assert "”value” saknas" in problem.message


@pytest.mark.parametrize("period", ["2026-H3", "2026-T4", "2026-13", "våren 2026", "2026-X1"])
def test_an_unknown_period_is_invalid_with_the_forms_that_work(tmp_path, period):
    book = load(tmp_path, {"mal.md": plan(indicator(results=f"      - period: {period}\n        value: 90\n"))})
    [problem] = problems(book, "invalid-value")
    assert "”period”" in problem.message and period in problem.message


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026", (2026, 1, 1), (2026, 12, 31)), ("2026-H2", (2026, 7, 1), (2026, 12, 31)),
    ("2026-t2", (2026, 5, 1), (2026, 8, 31)), ("2026-K1", (2026, 1, 1), (2026, 3, 31)),
    ("2026-Q4", (2026, 10, 1), (2026, 12, 31)), ("2024-02", (2024, 2, 1), (2024, 2, 29))])
def test_period_texts(text, start, end):
    period, _ = goals.parse_period(text)
    assert (period.start, period.end) == (dt.date(*start), dt.date(*end))


def test_a_value_measured_after_today_or_for_a_period_not_begun_is_a_date_conflict(tmp_path):
    results = ("      - period: 2026-H2\n        value: 90\n        date: 2026-12-15\n"
               "      - period: 2027\n        value: 90\n")
    book = load(tmp_path, {"mal.md": plan(indicator(results=results))})
    messages = sorted(p.message for p in problems(book, "date-conflict"))
    assert len(messages) == 2 and "2026-12-15" in messages[0] and "2027 har inte börjat" in messages[1]


def test_two_values_for_one_period_are_refused(tmp_path):
    results = "      - period: 2026-H1\n        value: 90\n      - period: 2026-h1\n        value: 91\n"
    book = load(tmp_path, {"mal.md": plan(indicator(results=results))})
    [problem] = problems(book, "invalid-value")
    assert "2026-H1 har två värden" in problem.message


def test_partly_on_the_better_side_of_the_target_is_refused(tmp_path):
    book = load(tmp_path, {"mal.md": plan(indicator(more="    partly: 90\n"))})
    [problem] = problems(book, "invalid-value")
    assert "”partly” = 90 ska ligga på den sämre sidan av målvärdet 100" in problem.message


def test_a_kolada_key_must_look_like_one(tmp_path):
    book = load(tmp_path, {"mal.md": plan(indicator(more="    kolada: n123\n"))})
    [problem] = problems(book, "invalid-value")
    assert "”kolada” = ”n123”" in problem.message and "N00945" in problem.message


# --- status against the target --------------------------------------------------------------------

@pytest.mark.parametrize(("direction", "value", "expected"), [
    ("lägre", "100", GOAL_REACHED), ("lägre", "95", GOAL_REACHED), ("lägre", "110", GOAL_PARTLY),
    ("lägre", "121", GOAL_NOT_REACHED), ("högre", "100", GOAL_REACHED), ("högre", "85", GOAL_PARTLY),
    ("högre", "79.5", GOAL_NOT_REACHED)])
def test_status_follows_direction_target_and_partly(tmp_path, direction, value, expected):
    partly = "120" if direction == "lägre" else "80"
    results = f"      - period: 2025\n        value: 1000\n      - period: 2026-H1\n        value: {value}\n"
    book = load(tmp_path, {"mal.md": plan(indicator(direction=direction, more=f"    partly: {partly}\n",
                                                    results=results))})
    _, info = the_plan(book)
    assert goals.status(info.indicators[0], 2026) == expected


def test_without_a_result_in_the_year_the_status_is_missing_even_with_older_ones(tmp_path):
    results = "      - period: 2025\n        value: 80\n"
    book = load(tmp_path, {"mal.md": plan(indicator(results=results))})
    _, info = the_plan(book)
    assert goals.status(info.indicators[0], 2026) == GOAL_NO_RESULT
    assert goals.status(info.indicators[0], 2025) == GOAL_REACHED


def test_the_latest_result_of_the_year_decides(tmp_path):
    results = ("      - period: 2026-T2\n        value: 130\n      - period: 2026-T1\n        value: 90\n")
    book = load(tmp_path, {"mal.md": plan(indicator(more="    frequency: tertialvis\n", results=results))})
    _, info = the_plan(book)
    assert goals.latest(info.indicators[0], 2026).period_text == "2026-T2"
    assert goals.status(info.indicators[0], 2026) == GOAL_NOT_REACHED


# --- missing results on the day --------------------------------------------------------------------

def test_an_ended_period_without_a_value_is_warned_with_how_to_write_it(tmp_path):
    more = "    frequency: tertialvis\n"
    results = "      - period: 2026-T1\n        value: 90\n"
    book = load(tmp_path, {"mal.md": plan(indicator(more=more, results=results))})
    [problem] = problems(book, "indicator-result-missing")
    assert problem.severity == "warning" and problem.line == 25 and problem.owner == "Enhetschef barn och unga"
    assert "2026-05-01 – 2026-08-31" in problem.message and "”period: 2026-T2”" in problem.message
    assert "senast 2026-09-30 (62 dagar sedan)" in problem.message


def test_a_period_is_not_missing_until_within_days_have_passed(tmp_path):
    more = "    frequency: halvårsvis\n    within_days: 200\n"
    book = load(tmp_path, {"mal.md": plan(indicator(more=more))})
    assert problems(book, "indicator-result-missing") == []
    book = load(tmp_path, {"mal.md": plan(indicator(more=more))}, today=dt.date(2027, 1, 17))
    assert [p.message.split("perioden ")[1][:23] for p in problems(book, "indicator-result-missing")] == [
        "2026-01-01 – 2026-06-30"]


def test_a_cumulative_value_counts_for_the_period_it_ends_in(tmp_path):
    results = "      - period: {from: 2026-01-01, to: 2026-08-31}\n        value: 90\n"
    more = "    frequency: tertialvis\n"
    book = load(tmp_path, {"mal.md": plan(indicator(more=more, results=results))})
    [problem] = problems(book, "indicator-result-missing")
    assert "2026-01-01 – 2026-04-30" in problem.message  # T1 has none; the January–August value is T2's


def test_drafts_and_annual_indicators_in_their_year_are_not_warned(tmp_path):
    more = "    frequency: kvartalsvis\n"
    assert problems(load(tmp_path, {"mal.md": plan(indicator(more=more), status="utkast")}),
                    "indicator-result-missing") == []
    assert problems(load(tmp_path, {"mal.md": plan(indicator())}), "indicator-result-missing") == []


def test_check_cli_reports_goal_problems_in_json(tmp_path):
    make_handbook(tmp_path, {"mal.md": plan(indicator(more="    frequency: halvårsvis\n"))})
    run = run_cli("check", "docs", "--today", "2026-12-01", "--format", "json", cwd=tmp_path)
    data = json.loads(run.stdout)
    found = [p for p in data["problems"] if p["code"] != "uncovered-requirement"]
    assert [(p["code"], p["path"], p["line"]) for p in found] == [("indicator-result-missing", "mal.md", 25)]


def test_the_goal_owner_is_reminded_of_a_missing_value_and_of_one_soon_due(tmp_path):
    from handbok.reminders import quality_work

    more = "    frequency: tertialvis\n"
    book = load(tmp_path, {"mal.md": plan(indicator(more=more))}, today=dt.date(2026, 9, 15))
    work = quality_work.collect(book)["Enhetschef barn och unga"]
    assert [(p.label(), due.isoformat()) for _, p, due in work.indicators] == [
        ("2026-01-01 – 2026-04-30", "2026-05-30"), ("2026-05-01 – 2026-08-31", "2026-09-30")]
    text = "\n".join(quality_work.markdown(work, book.today, str, None))
    assert "## Indikatorer (2)" in text and "skulle ha funnits senast 2026-05-30 (108 dagar sedan)" in text
    assert "ska finnas senast 2026-09-30 (om 15 dagar)" in text
    [item] = [i for i in quality_work.ics_items(work, None) if i[0].endswith("2026-08-31")]
    assert item[2] == "Indikator: Utredningstid tid (2026-05-01 – 2026-08-31)"


def test_a_measure_in_the_plan_serves_its_goal_and_an_unknown_goal_is_reported(tmp_path):
    measures = ("measures:\n  - id: a1\n    goal: snabb\n    what: Veckovis genomgång\n"
                "    responsible: Enhetschef barn och unga\n    due: 2027-03-31\n    status: pågår\n"
                "  - id: a2\n    goal: okand\n    what: Något\n    responsible: Socialchef\n    due: 2027-03-31\n"
                "    status: planerad\n")
    text = plan(indicator()).replace("---\n\nMålen", measures + "---\n\nMålen")
    book = load(tmp_path, {"mal.md": text})
    _, info = the_plan(book)
    assert [m.id for m in info.goals[1].measures] == ["a1"] and info.measures[0].goal is info.goals[1]
    [problem] = problems(book, "unknown-goal")
    assert "åtgärd ”a2”: ”goal” = ”okand” är inget mål i planen" in problem.message and problem.field == "measures"


def test_goal_on_a_measure_outside_a_plan_is_a_warning(tmp_path):
    result = ("---\ntitle: Resultat\ntype: riskanalys\nid: risk\nowner: Socialchef\nperformed: 2026-04-20\n"
              "risks:\n  - id: r1\n    risk: Risk\n    probability: 2\n    consequence: 2\n"
              "measures:\n  - id: a1\n    goal: snabb\n    what: Något\n    responsible: Socialchef\n"
              "    due: 2027-03-31\n    status: planerad\n---\n\nText.\n")
    book = load(tmp_path, {"risk.md": result})
    [problem] = problems(book, "unknown-key")
    assert "”goal” används bara i en målplan" in problem.message and problem.severity == "warning"
