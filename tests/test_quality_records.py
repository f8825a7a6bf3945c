"""The records of the quality work (handbok.core.records, handbok.core.quality): every record type is read
and checked, measures and controls fall due on the right day (leap days, month ends), bad values are
Swedish problems with file, line and field, and the coverage of SOSFS 2011:9 5 kap. asks for the work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_handbook, run_cli
from handbok.core import quality, records
from handbok.core.index import Handbook
from handbok.core.model import OVERDUE, Period, When
from handbok.core.settings import Settings
from handbok.source import reader

TODAY = dt.date(2026, 12, 1)


def plan(controls: str, *, year: int = 2026, kind: str = "egenkontrollplan", status: str = "gällande",
         ident: str = "plan-2026") -> str:
    return (f"---\ntitle: Plan {year}\ntype: {kind}\nid: {ident}\nowner: Verksamhetsutvecklare\nyear: {year}\n"
            f"status: {status}\ncontrols:\n{controls}---\n\nText.\n")


QUARTERLY = ("  - id: journal\n    name: Journalgranskning\n    method: journalgranskning\n"
             "    frequency: kvartalsvis\n    responsible: Enhetschef barn och unga\n")


def result(period: str, *, control: str = "plan-2026#journal", measures: str = "", extra: str = "",
           ident: str = "resultat", performed: str = "2026-04-20") -> str:
    return (f"---\ntitle: Resultat\ntype: kontrollresultat\nid: {ident}\nowner: Enhetschef barn och unga\n"
            f"control: \"{control}\"\nperformed: {performed}\nperiod: {period}\nfindings: Iakttagelser.\n"
            f"{extra}{measures}---\n\nText.\n")


def measure(status: str, *, due: str = "2026-10-31", more: str = "", ident: str = "a1") -> str:
    return (f"measures:\n  - id: {ident}\n    what: Mallen ändras\n    responsible: Enhetschef barn och unga\n"
            f"    due: {due}\n    status: {status}\n{more}")


def load(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY, **settings) -> Handbook:
    make_handbook(tmp_path, files)
    return reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, **{"coverage": False, **settings}), today)


def problems(book: Handbook, code: str | None = None):
    return [p for p in book.problems if code is None or p.code == code]


# --- periods and due dates ----------------------------------------------------------------------------

def test_quarters_end_on_the_months_last_day_and_the_result_is_due_30_days_later(tmp_path):
    book = load(tmp_path, {"plan.md": plan(QUARTERLY)})
    control = quality.all_controls(book)[0]
    assert [(p.start, p.end, due) for p, due in control.periods] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 30)),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 30)),
    ]


@pytest.mark.parametrize(("year", "end"), [(2028, 29), (2026, 28), (2100, 28), (2000, 29)])
def test_a_monthly_february_ends_on_its_last_day_in_leap_and_common_years(year, end):
    months = records.periods_of(year, 1)
    assert months[1] == Period(dt.date(year, 2, 1), dt.date(year, 2, end))
    assert [p.end.day for p in months] == [31, end, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_explicit_due_dates_make_periods_from_one_due_date_to_the_next(tmp_path):
    controls = ("  - id: akter\n    name: Aktgranskning\n    due: [2028-02-29, 2028-08-31]\n"
                "    responsible: Enhetschef vuxen\n")
    book = load(tmp_path, {"plan.md": plan(controls, year=2028)}, today=dt.date(2028, 3, 1))
    control = quality.all_controls(book)[0]
    assert control.periods == [(Period(dt.date(2028, 1, 1), dt.date(2028, 2, 29)), dt.date(2028, 2, 29)),
                               (Period(dt.date(2028, 3, 1), dt.date(2028, 8, 31)), dt.date(2028, 8, 31))]
    missing = problems(book, "control-missing")
    assert len(missing) == 1 and "2028-02-29" in missing[0].message and missing[0].days == 1


def test_a_29_february_that_does_not_exist_is_an_invalid_date_on_its_line(tmp_path):
    controls = "  - id: akter\n    name: Aktgranskning\n    due: [2026-02-29]\n    responsible: Enhetschef vuxen\n"
    book = load(tmp_path, {"plan.md": plan(controls)})
    [problem] = problems(book, "invalid-value")
    assert problem.line == 9 and problem.field == "controls"  # the control's own line
    assert problem.message.startswith("Fältet ”controls”, kontrollen ”akter”, ”due”: ”2026-02-29”")
    assert "finns inte i kalendern" in problem.message


@given(st.integers(2000, 2100), st.sampled_from(sorted(records.FREQUENCIES)), st.integers(0, 366))
def test_periods_cover_the_year_without_gaps_and_results_fall_due_after_them(year, frequency, within):
    control = records.Control("k", "Kontroll", 0, frequency=frequency, within_days=within)
    periods = quality.control_periods(control, year)
    assert periods[0][0].start == dt.date(year, 1, 1) and periods[-1][0].end == dt.date(year, 12, 31)
    assert len(periods) == 12 // records.FREQUENCIES[frequency]
    for (period, _), (following, _) in zip(periods, periods[1:], strict=False):
        assert following.start == period.end + dt.timedelta(days=1)
    assert all(due == period.end + dt.timedelta(days=within) for period, due in periods)


# --- controls and results ---------------------------------------------------------------------------------

def test_a_period_past_its_due_date_without_a_result_is_control_missing_with_owner_and_days(tmp_path):
    book = load(tmp_path, {"plan.md": plan(QUARTERLY),
                           "q1.md": result("{from: 2026-01-01, to: 2026-03-31}", ident="q1"),
                           "q2.md": result("{from: 2026-04-15, to: 2026-05-31}", ident="q2")})
    missing = problems(book, "control-missing")
    assert [(p.path, p.line, p.owner, p.days) for p in missing] == [
        ("plan.md", 9, "Enhetschef barn och unga", 32)]  # the line of the control
    assert "2026-07-01 – 2026-09-30" in missing[0].message and "plan-2026#journal" in missing[0].message
    assert not problems(book, "unknown-control")


def test_a_result_spanning_several_periods_covers_each_and_the_day_of_the_due_date_is_not_late(tmp_path):
    monthly = ("  - id: logg\n    name: Loggkontroll\n    frequency: månadsvis\n    within_days: 0\n"
               "    responsible: Kvalitetssamordnare\n")
    files = {"plan.md": plan(monthly),
             "r.md": result("{from: 2026-01-01, to: 2026-10-31}", control="plan-2026#logg")}
    assert not problems(load(tmp_path, files, today=dt.date(2026, 11, 30)), "control-missing")
    [late] = problems(load(tmp_path, files, today=dt.date(2026, 12, 1)), "control-missing")
    assert "2026-11-01 – 2026-11-30" in late.message and late.days == 1


def test_a_draft_plan_and_a_draft_result_do_not_count(tmp_path):
    files = {"plan.md": plan(QUARTERLY, status="utkast")}
    assert not problems(load(tmp_path, files), "control-missing")
    files = {"plan.md": plan(QUARTERLY),
             "q1.md": result("{from: 2026-01-01, to: 2026-03-31}", extra="status: utkast\n")}
    assert len(problems(load(tmp_path, files), "control-missing")) == 3


@pytest.mark.parametrize(("control", "says"), [
    ("okand-plan#journal", "”okand-plan” är ingen egenkontrollplan"),
    ("plan-2026#saknas", "har ingen kontroll ”saknas” (planens kontroller: journal)"),
])
def test_a_result_pointing_at_no_planned_control_is_unknown_control(tmp_path, control, says):
    book = load(tmp_path, {"plan.md": plan(QUARTERLY),
                           "r.md": result("{from: 2026-01-01, to: 2026-03-31}", control=control)})
    [problem] = problems(book, "unknown-control")
    assert problem.path == "r.md" and problem.field == "control" and problem.line == 6 and says in problem.message
    assert problem.is_error and not problem.blocks_build  # a new result's placeholder must not stop the site


def test_a_result_outside_the_plans_year_belongs_to_no_period(tmp_path):
    book = load(tmp_path, {"plan.md": plan(QUARTERLY),
                           "r.md": result("{from: 2025-01-01, to: 2025-03-31}", performed="2025-04-01")})
    [problem] = problems(book, "unknown-control")
    assert problem.field == "period" and "ligger utanför planens år (2026)" in problem.message


@pytest.mark.parametrize(("value", "says"), [
    ("plan-2026", "med # emellan"),
    ("\"#journal\"", "med # emellan"),
])
def test_a_control_reference_without_plan_and_control_is_invalid(tmp_path, value, says):
    text = result("{from: 2026-01-01, to: 2026-03-31}").replace('control: "plan-2026#journal"', f"control: {value}")
    [problem] = problems(load(tmp_path, {"plan.md": plan(QUARTERLY), "r.md": text}), "invalid-value")
    assert problem.field == "control" and says in problem.message


@pytest.mark.parametrize(("controls", "code", "says"), [
    ("  - id: a\n    name: A\n    responsible: Socialchef\n", "invalid-missing-field", "ange antingen ”frequency”"),
    ("  - id: a\n    name: A\n    frequency: varannan vecka\n    responsible: Socialchef\n", "invalid-value",
     "”varannan vecka” är ingen känd frekvens"),
    ("  - id: a\n    name: A\n    frequency: årligen\n", "invalid-missing-field", "”responsible” saknas"),
    ("  - id: a\n    name: A\n    frequency: årligen\n    responsible: Socialchef\n  - id: a\n    name: B\n"
     "    frequency: årligen\n    responsible: Socialchef\n", "invalid-value", "id ”a” används av två poster"),
    ("  - name: A\n    frequency: årligen\n    responsible: Socialchef\n", "invalid-missing-field", "saknar ”id”"),
    ("  - id: a\n    name: A\n    frequency: årligen\n    within_days: -3\n    responsible: Socialchef\n",
     "invalid-value", "”within_days” = ”-3”"),
    ("  - Bara en text\n", "invalid-value", "kontroll 1 ska ha fält"),
])
def test_bad_controls_are_named_by_field_and_item(tmp_path, controls, code, says):
    book = load(tmp_path, {"plan.md": plan(controls)})
    found = [p for p in problems(book, code) if says in p.message]
    assert found, [p.message for p in book.problems]
    assert found[0].path == "plan.md" and found[0].field == "controls" and found[0].line is not None


def test_an_unknown_key_inside_a_control_is_a_warning_naming_the_allowed_keys(tmp_path):
    controls = "  - id: a\n    name: A\n    frequency: årligen\n    responsible: Socialchef\n    ansvarig: x\n"
    [problem] = problems(load(tmp_path, {"plan.md": plan(controls)}), "unknown-key")
    assert "kontroll 1: okänt fält ”ansvarig”" in problem.message and "responsible" in problem.message


# --- measures -----------------------------------------------------------------------------------------------

def test_an_open_measure_past_its_due_date_is_overdue_naming_owner_days_and_record(tmp_path):
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure("pågår"))})
    [problem] = problems(book, "measure-overdue")
    assert (problem.path, problem.line, problem.owner, problem.days) == ("r.md", 11, "Enhetschef barn och unga", 31)
    assert "”Mallen ändras” (Resultat)" in problem.message and "status ”pågår”" in problem.message
    assert not problem.blocks_build and problem.is_error
    assert quality.all_measures(book)[0].state == OVERDUE


@pytest.mark.parametrize(("today", "code", "days"), [
    (dt.date(2026, 10, 1), "measure-due-soon", 30),  # the last day of the window
    (dt.date(2026, 10, 31), "measure-due-soon", 0),  # the due day itself: not late yet
    (dt.date(2026, 11, 1), "measure-overdue", 1),
    (dt.date(2026, 9, 30), None, None),
])
def test_a_measure_is_due_soon_within_the_window_and_late_the_day_after(tmp_path, today, code, days):
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure("planerad"))}, today=today)
    found = [p for p in book.problems if p.code.startswith("measure-")]
    assert [(p.code, p.days) for p in found] == ([(code, days)] if code else [])


def test_closed_measures_are_never_late(tmp_path):
    files = {"a.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y", ident="a",
                            measures=measure("genomförd", more="    completed: 2026-11-02\n")),
             "b.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y", ident="b",
                            measures=measure("avbruten", more="    reason: Ersätts av en annan åtgärd.\n"))}
    book = load(tmp_path, files)
    assert not [p for p in book.problems if p.code.startswith("measure-")]
    assert {m.state for m in quality.all_measures(book)} == {None}


@pytest.mark.parametrize(("status", "more", "code", "says"), [
    ("genomförd", "", "invalid-missing-field", "är genomförd men saknar ”completed”"),
    ("avbruten", "", "invalid-missing-field", "är avbruten men saknar ”reason”"),
    ("klar", "", "invalid-value", "”status” = ”klar” finns inte. Tillåtna: planerad, pågår, genomförd, avbruten"),
    ("pågår", "    completed: 2026-05-01\n", "invalid-value", "har ”completed” = 2026-05-01 men status ”pågår”"),
    ("genomförd", "    completed: 2026-13-01\n", "invalid-value", "”completed”: ”2026-13-01” är inget giltigt"),
])
def test_bad_measures_are_invalid_with_the_measure_named(tmp_path, status, more, code, says):
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure(status, more=more))})
    found = [p for p in problems(book, code) if says in p.message]
    assert found, [p.message for p in book.problems]
    assert found[0].field == "measures" and found[0].line == 11 and "åtgärd ”a1”" in found[0].message


def test_a_completion_in_the_future_is_a_date_conflict(tmp_path):
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure("genomförd", more="    completed: 2026-12-24\n"))})
    [problem] = problems(book, "date-conflict")
    assert "”completed” = 2026-12-24 ligger efter dagens datum" in problem.message


def test_a_completed_measure_whose_effect_check_passed_without_an_effect_is_a_warning(tmp_path):
    more = "    completed: 2026-06-01\n    effect_check: 2026-11-15\n"
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure("genomförd", more=more))})
    [problem] = problems(book, "measure-effect-missing")
    assert problem.days == 16 and "skriv i ”effect”" in problem.message
    done = more + "    effect: Fler utredningar visar barnets inställning.\n"
    book = load(tmp_path, {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                                          measures=measure("genomförd", more=done))})
    assert not problems(book, "measure-effect-missing")


# --- risk analyses and compilations ---------------------------------------------------------------------------

RISKS = ("risks:\n  - id: r1\n    risk: Skyddsbedömning dröjer\n    probability: 3\n    consequence: 4\n"
         "  - id: r2\n    risk: Fel mall\n    probability: 1\n    consequence: 2\n")


def risk_analysis(risks: str = RISKS) -> str:
    return ("---\ntitle: Riskanalys\ntype: riskanalys\nid: risk\nowner: Socialchef\nperformed: 2026-10-08\n"
            f"analysed: [rutin]\n{risks}---\n\nText.\n")


ROUTINE = ("---\ntitle: Rutin\ntype: rutin\nid: rutin\nowner: Socialchef\nrevised: 2026-01-01\n"
           "review_interval: årligen\napproved_by: Socialchef\napproved: 2026-01-01\n"
           "legal_basis: [SOSFS 2011:9 5 kap. 1 §]\n---\n\nText.\n")


def test_a_risk_analysis_scores_probability_times_consequence_and_links_what_it_analysed(tmp_path):
    book = load(tmp_path, {"risk.md": risk_analysis(), "rutin.md": ROUTINE})
    doc = book.by_key["risk"]
    assert [(r.id, r.score, records.risk_level(r.score)) for r in doc.record.risks] == [
        ("r1", 12, "hög"), ("r2", 2, "låg")]
    assert doc.record.analysed == [book.by_key["rutin"]] and doc in book.by_key["rutin"].backlinks
    assert not book.problems


@pytest.mark.parametrize(("risks", "says"), [
    ("risks:\n  - id: r1\n    risk: Utan värde\n    consequence: 2\n", "”probability” saknas, så risken har inget"),
    ("risks:\n  - id: r1\n    risk: För högt\n    probability: 5\n    consequence: 2\n",
     "”probability” = ”5” ska vara en siffra från 1 till 4"),
    ("risks:\n  - id: r1\n    risk: Text\n    probability: hög\n    consequence: 2\n", "”probability” = ”hög”"),
])
def test_a_risk_without_a_valid_score_is_invalid(tmp_path, risks, says):
    book = load(tmp_path, {"risk.md": risk_analysis(risks), "rutin.md": ROUTINE})
    found = [p for p in book.problems if says in p.message]
    assert found and found[0].code in ("invalid-value", "invalid-missing-field") and found[0].field == "risks"


COMPILATION = ("---\ntitle: Sammanställning\ntype: sammanställning\nid: s\nowner: Kvalitetssamordnare\n"
               "performed: 2026-10-22\nperiod: {{from: 2026-07-01, to: 2026-09-30}}\ncounts:\n{counts}---\n\n"
               "Analys.\n")


def test_a_compilation_counts_per_kind_and_refuses_anything_but_numbers(tmp_path):
    good = ("  - kind: avvikelse\n    category: Dokumentation\n    count: 6\n"
            "  - kind: Lex Sarah\n    category: Bemötande\n    count: 1\n")
    book = load(tmp_path, {"s.md": COMPILATION.format(counts=good)})
    assert [(c.kind, c.count) for c in book.by_key["s"].record.counts] == [("avvikelse", 6), ("lex sarah", 1)]
    bad = "  - kind: avvikelse\n    category: Dokumentation\n    count: sex\n  - kind: olycka\n    category: X\n"
    messages = [p.message for p in load(tmp_path, {"s.md": COMPILATION.format(counts=bad)}).problems]
    assert any("”count” = ”sex” ska vara ett antal" in m for m in messages)
    assert any("”kind” = ”olycka” finns inte" in m for m in messages)


def test_a_field_of_another_record_type_is_a_warning_and_a_missing_required_one_an_error(tmp_path):
    text = COMPILATION.format(counts="  - kind: synpunkt\n    category: X\n    count: 1\n").replace(
        "performed: 2026-10-22\n", "controls: [x]\n")
    book = load(tmp_path, {"s.md": text})
    assert any(p.code == "unknown-key" and "”controls” används inte i en Sammanställning och analys" in p.message
               for p in book.problems)
    assert any(p.code == "invalid-missing-field" and p.field == "performed" for p in book.problems)


# --- the årshjul ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "times"), [
    ("mars", [When(3)]),
    ("senast 1 mars", [When(3, 1)]),
    ("April och Oktober", [When(4), When(10)]),
    ("januari, april, juli och oktober", [When(1), When(4), When(7), When(10)]),
    ("varje kvartal", [When(3), When(6), When(9), When(12)]),
    ("två gånger per år", [When(6), When(12)]),
    ("29 februari", [When(2)]),  # a month's last day written as a date is its last day every year
    ("31 mars", [When(3)]),
])
def test_when_reads_months_days_and_frequencies(text, times):
    assert records.parse_when(text) == times


@pytest.mark.parametrize("text", ["31 april", "vecka 12", "", "1 smörgås"])
def test_when_refuses_what_is_no_time_of_year(text):
    with pytest.raises(ValueError):
        records.parse_when(text)


def test_a_29_february_activity_falls_on_28_february_in_a_common_year():
    assert When(2, 29).on(2027) == dt.date(2027, 2, 28) and When(2, 29).on(2028) == dt.date(2028, 2, 29)
    assert When(2).on(2028) == dt.date(2028, 2, 29)


def wheel(events: str, approved: str = "2026-01-15") -> str:
    return (f"---\ntitle: Årshjul\ntype: årshjul\nid: arshjul\nowner: Verksamhetsutvecklare\n"
            f"approved_by: Socialchef\napproved: {approved}\nevents:\n{events}---\n\nText.\n")


EVENT = ("  - id: risk\n    name: Riskanalys\n    when: oktober\n    owner: Ledningsgruppen\n"
         "    follows: rutin\n    produces: riskanalys\n")


def test_an_activity_due_without_its_record_is_flagged_and_one_with_it_is_not(tmp_path):
    book = load(tmp_path, {"arshjul.md": wheel(EVENT), "rutin.md": ROUTINE})
    [problem] = problems(book, "activity-missing")
    assert (problem.line, problem.owner, problem.days) == (9, "Ledningsgruppen", 31)
    assert "senast 2026-10-31" in problem.message and "2025-11-01 – 2026-10-31" in problem.message
    book = load(tmp_path, {"arshjul.md": wheel(EVENT), "rutin.md": ROUTINE, "risk.md": risk_analysis()})
    assert not problems(book, "activity-missing")
    event = quality.all_events(book)[0]
    assert event.checked == [(dt.date(2026, 10, 31), book.by_key["risk"])]
    assert event.next_due == dt.date(2026, 12, 31) or event.next_due == dt.date(2027, 10, 31)


def test_activities_before_the_arshjul_was_adopted_are_not_checked(tmp_path):
    book = load(tmp_path, {"arshjul.md": wheel(EVENT, approved="2026-11-01"), "rutin.md": ROUTINE})
    assert not problems(book, "activity-missing")


def test_bad_activities_name_the_activity(tmp_path):
    events = ("  - id: x\n    name: X\n    when: vecka 12\n  - id: y\n    name: Y\n    when: mars\n"
              "    produces: protokoll\n  - id: z\n    name: Z\n    when: mars\n    follows: finns-inte\n")
    messages = [p.message for p in load(tmp_path, {"arshjul.md": wheel(events)}).problems]
    assert any("aktiviteten ”x”: ”when”: ”vecka 12” är ingen tid på året" in m for m in messages)
    assert any("”produces” = ”protokoll” är ingen posttyp" in m for m in messages)
    assert any("aktiviteten ”z”: ”follows”: ”finns-inte” är inget känt dokument" in m for m in messages)


# --- personal data, hostile text, coverage -------------------------------------------------------------------

def test_a_personal_identity_number_in_findings_or_a_measure_is_found_on_its_line(tmp_path):
    text = result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                  measures=measure("pågår", due="2027-01-31").replace("Mallen ändras", "Ring 19121212-1212"))
    text = text.replace("findings: Iakttagelser.", "findings: |\n  Barnet 20150301-2385 saknade plan.")
    book = load(tmp_path, {"r.md": text})
    found = problems(book, "personal-data")
    assert sorted(p.line for p in found) == [10, 13]


def test_hostile_text_in_a_record_is_data(tmp_path):
    text = result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                  extra="sample: \"<script>alert(1)</script>\"\n")
    book = load(tmp_path, {"r.md": text})
    assert book.by_key["resultat"].record.sample == "<script>alert(1)</script>"


def test_coverage_of_5_kap_needs_the_work_not_only_a_citation(tmp_path):
    files = {"rutin.md": ROUTINE}
    book = load(tmp_path, files, coverage=True)
    uncovered = [p.message for p in problems(book, "uncovered-requirement")]
    assert any("5 kap. 1 § (Riskanalys) räknas som täckt först när" in m and "Ett lagrum i en rutin räcker inte"
               in m for m in uncovered)
    files["risk.md"] = risk_analysis()
    book = load(tmp_path, files, coverage=True)
    assert not any("5 kap. 1 §" in p.message for p in problems(book, "uncovered-requirement"))
    requirement = next(r for r in book.catalogue.requirements if r.id == "5-1")
    assert requirement.covered and requirement.evidence[0][0] is book.by_key["risk"]
    old = load(tmp_path, files, coverage=True, today=dt.date(2027, 10, 9))  # a year and a day later
    assert any("5 kap. 1 §" in p.message for p in problems(old, "uncovered-requirement"))


def test_a_completed_measure_from_the_last_year_covers_5_kap_7(tmp_path):
    files = {"r.md": result("{from: 2026-01-01, to: 2026-03-31}", control="x#y",
                            measures=measure("genomförd", more="    completed: 2026-05-02\n"))}
    book = load(tmp_path, files, coverage=True)
    requirement = next(r for r in book.catalogue.requirements if r.id == "5-7")
    assert requirement.covered and requirement.evidence[0][1] == "a1"
    assert not any("5 kap. 7 §" in p.message for p in problems(book, "uncovered-requirement"))


def test_records_are_not_in_the_revision_lists(tmp_path):
    book = load(tmp_path, {"plan.md": plan(QUARTERLY), "rutin.md": ROUTINE})
    assert [d.path for d in book.in_review_order()] == ["rutin.md"]
    assert [d.path for d in book.records] == ["plan.md"] and [d.path for d in book.governed] == ["rutin.md"]


def test_the_check_cli_reports_record_problems_in_json_with_owner_and_exit_code_1(tmp_path):
    make_handbook(tmp_path, {"plan.md": plan(QUARTERLY),
                             "r.md": result("{from: 2026-01-01, to: 2026-03-31}", measures=measure("pågår"))})
    run = run_cli("check", "docs", "--today", "2026-12-01", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    import json

    report = json.loads(run.stdout)
    found = {(p["code"], p["path"], p.get("owner")) for p in report["problems"]}
    assert ("measure-overdue", "r.md", "Enhetschef barn och unga") in found
    assert ("control-missing", "plan.md", "Enhetschef barn och unga") in found
