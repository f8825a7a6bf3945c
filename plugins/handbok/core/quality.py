"""The quality work over time: which controls are due without a result, which measures are late,
which årshjul activities passed without the record they should produce.

Runs on the index once every record is parsed and registered (handbok.core.index calls link()
and then evaluate()). Everything is computed for one day, `today`, like the revision rules, so
the same handbook gives the same problems on the same day in CI, on the site and in reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from handbok.core import doctypes, goals, records
from handbok.core.model import (
    CURRENT,
    DUE_SOON,
    MEASURE_DONE,
    OVERDUE,
    STATUS_CURRENT,
    Control,
    Document,
    Event,
    Indicator,
    Measure,
    Period,
)
from handbok.core.problems import ERROR, WARNING, Problem
from handbok.core.text import days, due_in

if TYPE_CHECKING:
    from handbok.core.index import Handbook

PRACTICE_WINDOW_DAYS = 365  # "from the last 12 months": what counts as evidence of practice


def shorten(text: str, limit: int = 90) -> str:
    """A measure's text in a one-line message: whole words up to `limit` characters, then "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"


def record_date(doc: Document) -> dt.date | None:
    """When a record happened: performed (results, analyses), else its decision date."""
    info = doc.record
    return (info.performed if info else None) or doc.approved


def in_force(doc: Document) -> bool:
    return doc.status == STATUS_CURRENT and doc.valid


def _current(book: Handbook) -> list[Document]:
    """The records in force: the pages, reminders and handbok.json leave drafts and repealed records out
    (a draft's measures are not yet decided, a repealed record's no longer count)."""
    return [d for d in book.records if d.status == STATUS_CURRENT and d.record is not None]


# Computed once per index (Handbook.once): every owner page, the start page and the reminders ask.
def all_measures(book: Handbook) -> list[Measure]:
    return [m for doc in book.once(_current) if doc.record for m in doc.record.measures]


def all_controls(book: Handbook) -> list[Control]:
    return [c for doc in book.once(_current) if doc.record for c in doc.record.controls]


def all_events(book: Handbook) -> list[Event]:
    return [e for doc in book.once(_current) if doc.record for e in doc.record.events]


def all_indicators(book: Handbook) -> list[Indicator]:
    """The indicators of the målplaner in force that have a year (each under its goal)."""
    return [i for doc in book.once(_current) if doc.record and doc.record.year for i in doc.record.indicators
            if i.goal is not None]


def roles_with_work(book: Handbook) -> set[str]:
    """Every role that is responsible for a measure, a control or an activity, owns a goal, or owns a record."""
    roles = {m.responsible for m in all_measures(book)} | {c.responsible for c in all_controls(book)}
    roles |= {g.owner for doc in book.once(_current) if doc.record for g in doc.record.goals}
    roles |= {e.owner for e in all_events(book)} | {d.owner.role for d in book.records if d.owner}
    return {r for r in roles if r}


# --- linking ---------------------------------------------------------------------------------

def link(book: Handbook, problems: list[Problem]) -> None:
    """Resolve what records point at: checked documents, the control of a result, analysed documents,
    the routine an activity follows."""
    for doc in book.records:
        info = doc.record
        if info is None:
            continue
        for control in info.controls:
            control.checks = _resolve_all(book, doc, control.checks_refs, "controls", control.index, problems,
                                          f"kontrollen ”{control.id}”: ”checks”")
            control.periods = control_periods(control, info.year) if info.year else []
        info.analysed = _resolve_all(book, doc, info.analysed_refs, "analysed", None, problems, "”analysed”")
        for event in info.events:
            if event.follows_ref:
                event.follows = _resolve(book, doc, event.follows_ref, "events", event.index, problems,
                                         f"aktiviteten ”{event.id}”: ”follows”")
        if info.control_ref:
            _link_result(book, doc, problems)


def _resolve(book: Handbook, doc: Document, ref: str, key: str, index: int | None, problems: list[Problem],
             what: str) -> Document | None:
    target = book.resolve(ref, doc.path)
    if target is None:
        problems.append(doc.source.problem(
            "unknown-document", f"Fältet ”{key}”, {what}: ”{ref}” är inget känt dokument (varken id eller sökväg).",
            key=key, index=index))
    elif target is not doc and doc not in target.backlinks:
        target.backlinks.append(doc)
    return target


def _resolve_all(book, doc, refs, key, index, problems, what) -> list[Document]:
    found = []
    for position, ref in enumerate(refs):
        target = _resolve(book, doc, ref, key, index if index is not None else position, problems, what)
        if target is not None and target not in found:
            found.append(target)
    return found


def _link_result(book: Handbook, doc: Document, problems: list[Problem]) -> None:
    info = doc.record
    assert info is not None and info.control_ref
    plan_id, control_id = info.control_ref.split("#", 1)
    plan = book.by_key.get(plan_id)
    if plan is None or plan.type not in doctypes.PLAN_TYPES or plan.record is None:
        problems.append(doc.source.problem(
            "unknown-control", f"Fältet ”control”: ”{plan_id}” är ingen egenkontrollplan eller internkontrollplan i "
                               "handboken; skriv planens id följt av # och kontrollens id.", key="control"))
        return
    control = next((c for c in plan.record.controls if c.id == control_id), None)
    if control is None:
        known = ", ".join(c.id for c in plan.record.controls) or "inga"
        problems.append(doc.source.problem(
            "unknown-control", f"Fältet ”control”: planen ”{plan.title}” har ingen kontroll ”{control_id}” "
                               f"(planens kontroller: {known}).", key="control"))
        return
    info.control = control
    if in_force(doc):
        control.results.append(doc)
    if doc not in plan.backlinks:
        plan.backlinks.append(doc)


# --- what is due -------------------------------------------------------------------------------

def covering(control: Control, period: Period) -> list[Document]:
    """The results in force of a control that cover one of its periods (a result covers each period its
    own period overlaps)."""
    return [r for r in control.results if r.record and r.record.period and r.record.period.overlaps(period)]


def control_periods(control: Control, year: int) -> list[tuple[Period, dt.date]]:
    """(period, date the result is due) for each period of the plan's year."""
    if control.frequency:
        return [(p, p.end + dt.timedelta(days=control.within_days))
                for p in records.periods_of(year, records.FREQUENCIES[control.frequency])]
    result, start = [], dt.date(year, 1, 1)
    for due in control.due_dates:
        result.append((Period(min(start, due), due), due))
        start = due + dt.timedelta(days=1)
    return result


def measure_state(measure: Measure, today: dt.date, window_days: int) -> tuple[str | None, int | None]:
    if not measure.is_open or measure.due is None:
        return None, None
    left = (measure.due - today).days
    if left < 0:
        return OVERDUE, left
    return (DUE_SOON if left <= window_days else CURRENT), left


def evaluate(book: Handbook) -> list[Problem]:
    """The quality-work problems of the day; sets each measure's and control's derived state."""
    problems: list[Problem] = []
    today, window = book.today, book.settings.due_soon_days
    for doc in book.records:
        info = doc.record
        if info is None:
            continue
        checked = in_force(doc)
        for measure in info.measures:
            measure.state, measure.days_left = measure_state(measure, today, window) if checked else (None, None)
            problems.extend(_measure_problems(doc, measure, today))
        for control in info.controls:
            if checked:
                problems.extend(_control_problems(doc, control, today))
        if info.control is not None and info.period is not None and checked:
            problems.extend(_result_outside_plan(doc, info.control, info.period))
        for event in info.events:
            if checked:
                problems.extend(_event_problems(book, doc, event, today))
        if checked and info.year is not None:
            problems.extend(_indicator_problems(doc, info.indicators, info.year, today))
    return problems


def _indicator_problems(doc: Document, indicators: list[Indicator], year: int, today: dt.date) -> list[Problem]:
    problems = []
    for indicator in indicators:
        owner = indicator.goal.owner if indicator.goal else None
        for period, due in goals.missing_periods(indicator, year, today):
            late = (today - due).days
            problems.append(Problem(
                doc.path, doc.source.line_of("indicators", indicator.index), WARNING, "indicator-result-missing",
                f"Indikatorn ”{indicator.name}” saknar värde för perioden {period.label()}; det skulle ha funnits "
                f"senast {due.isoformat()} ({days(late)} sedan). Ansvarig för målet: {owner or 'saknas'}. Skriv "
                f"värdet under ”results” med ”period: {goals.period_text(period, indicator.frequency)}”.", "indicators",
                owner, late))
    return problems


def _result_outside_plan(doc: Document, control: Control, period: Period) -> list[Problem]:
    plan = control.plan.record if control.plan is not None else None
    if plan is None or plan.year is None or any(p.overlaps(period) for p, _ in control.periods):
        return []
    return [doc.source.problem("unknown-control", f"Fältet ”period”: {period.label()} ligger utanför planens år "
                                                  f"({plan.year}), så resultatet hör inte till någon planerad "
                                                  "kontroll.", key="period")]


def _measure_problems(doc: Document, measure: Measure, today: dt.date) -> list[Problem]:
    line = doc.source.line_of("measures", measure.index)
    where = f"Åtgärden ”{shorten(measure.what)}” ({doc.title})"
    if measure.state == OVERDUE and measure.due is not None and measure.days_left is not None:
        return [Problem(doc.path, line, ERROR, "measure-overdue",
                        f"{where} skulle ha genomförts senast {measure.due.isoformat()} "
                        f"({days(-measure.days_left)} sedan) men har status ”{measure.status}”. Ansvarig: "
                        f"{measure.responsible}.", "measures", measure.responsible, -measure.days_left)]
    if measure.state == DUE_SOON and measure.due is not None and measure.days_left is not None:
        return [Problem(doc.path, line, WARNING, "measure-due-soon",
                        f"{where} ska vara genomförd senast {measure.due.isoformat()} ({due_in(measure.days_left)}). "
                        f"Ansvarig: {measure.responsible}.", "measures", measure.responsible, measure.days_left)]
    if (measure.status == MEASURE_DONE and measure.effect_check is not None and measure.effect_check < today
            and not measure.effect and in_force(doc)):
        late = (today - measure.effect_check).days
        return [Problem(doc.path, line, WARNING, "measure-effect-missing",
                        f"{where} skulle ha följts upp senast {measure.effect_check.isoformat()} ({days(late)} sedan): "
                        "skriv i ”effect” vad uppföljningen visade. Ansvarig: "
                        f"{measure.responsible}.", "measures", measure.responsible, late)]
    return []


def _control_problems(doc: Document, control: Control, today: dt.date) -> list[Problem]:
    problems = []
    line = doc.source.line_of("controls", control.index)
    for period, due in control.periods:
        if due >= today or covering(control, period):
            continue
        late = (today - due).days
        problems.append(Problem(
            doc.path, line, ERROR, "control-missing",
            f"Kontrollen ”{control.name}” för perioden {period.label()} saknar resultat; det skulle ha funnits "
            f"senast {due.isoformat()} ({days(late)} sedan). Ansvarig: {control.responsible}. Skriv ett "
            f"kontrollresultat med ”control: {doc.key}#{control.id}”.", "controls", control.responsible, late))
    return problems


def event_dates(event: Event, years: Iterable[int]) -> list[dt.date]:
    return sorted({day for year in years for day in event.occurrences(year)})


def _match_occurrences(dates: list[dt.date], candidates: list[Document], today: dt.date) -> dict[int, Document | None]:
    """The record each occurrence (by index in `dates`, from 1) got. A record done after the previous
    occurrence and by the due date counts for it; an occurrence without one may take a late record – one
    done before the next occurrence falls due – when the next occurrence does not need it (it has another,
    or is not due yet)."""
    own: dict[int, list[Document]] = {k: [r for r in candidates if dates[k - 1] < record_date(r) <= dates[k]]  # type: ignore[operator]
                                      for k in range(1, len(dates))}
    found: dict[int, Document | None] = {k: (records[0] if records else None) for k, records in own.items()}
    for k in range(1, len(dates) - 1):
        if found[k] is not None:
            continue
        later = own[k + 1]
        spare = later if dates[k + 1] >= today else later[1:]
        if spare:
            found[k] = spare[0]
            later.remove(spare[0])
            if dates[k + 1] >= today:
                found[k + 1] = later[0] if later else None
    return found


def _event_problems(book: Handbook, doc: Document, event: Event, today: dt.date) -> list[Problem]:
    dates = event_dates(event, range(today.year - 2, today.year + 2))
    event.next_due = next((d for d in dates if d >= today), None)
    event.checked = []
    if not event.produces:
        return []
    since = max(d for d in (doc.approved, today - dt.timedelta(days=PRACTICE_WINDOW_DAYS)) if d is not None)
    candidates = [r for r in book.records if r is not doc and r.type == event.produces and in_force(r)
                  and record_date(r) is not None]
    candidates.sort(key=lambda r: (record_date(r), r.path))
    found = _match_occurrences(dates, candidates, today)
    problems = []
    for k, (previous, due) in enumerate(zip(dates, dates[1:], strict=False), start=1):
        if not since <= due < today:
            continue
        event.checked.append((due, found[k]))
        if found[k] is None:
            late = (today - due).days
            problems.append(Problem(
                doc.path, doc.source.line_of("events", event.index), WARNING, "activity-missing",
                f"Aktiviteten ”{event.name}” i årshjulet skulle ha gett en {doctypes.label(event.produces).lower()} "
                f"senast {due.isoformat()} ({days(late)} sedan), men ingen finns från perioden "
                f"{previous + dt.timedelta(days=1)} – {due}. Ansvarig: {event.owner or 'saknas'}.", "events",
                event.owner, late))
    return problems


# --- evidence of practice, for the coverage of SOSFS 2011:9 -----------------------------------

PRACTICE_LABELS = {"riskanalys": "en riskanalys", "kontrollresultat": "ett resultat av egenkontroll",
                   "sammanställning": "en sammanställning och analys", "åtgärd": "en genomförd åtgärd"}


def practice(book: Handbook, kind: str) -> list[tuple[Document, str, dt.date]]:
    """(record, what, date) of the records of one kind from the last 12 months, newest first; for
    "åtgärd" the completed measures (what = the measure's id, for its anchor)."""
    since = book.today - dt.timedelta(days=PRACTICE_WINDOW_DAYS)
    found: list[tuple[Document, str, dt.date]] = []
    for doc in book.records:
        if not in_force(doc) or doc.record is None:
            continue
        if kind == "åtgärd":
            found.extend((doc, m.id, m.completed) for m in doc.record.measures
                         if m.status == MEASURE_DONE and m.completed and since <= m.completed <= book.today)
            continue
        day = record_date(doc)
        if doc.type == kind and day is not None and since <= day <= book.today:
            found.append((doc, "", day))
    return sorted(found, key=lambda item: (-item[2].toordinal(), item[0].path))
