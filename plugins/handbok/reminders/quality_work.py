"""The quality work in `handbok påminnelser`: each role's late and soon-due measures, controls whose
result is missing or soon due, and årshjul activities soon due or missed; and the årshjul as one
calendar file with yearly recurrence rules that staff can subscribe to.

The digest (digest.py) adds these to each role's Markdown and .ics; nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from handbok.core import goals, quality
from handbok.core.model import DUE_SOON, OVERDUE, Control, Document, Event, Indicator, Measure, Period
from handbok.core.text import days, due_in
from handbok.reminders import ics

UrlOf = Callable[[str], "str | None"]
YEAR_PRODID = "-//handbok//Arshjul//SV"


@dataclass
class Work:
    """One role's quality work that needs attention on the day."""

    measures: list[Measure] = field(default_factory=list)  # open, overdue or due soon
    controls: list[tuple[Control, Period, dt.date]] = field(default_factory=list)  # result missing or soon due
    activities: list[tuple[Event, dt.date, bool]] = field(default_factory=list)  # (event, due, missed)
    indicators: list[tuple[Indicator, Period, dt.date]] = field(default_factory=list)  # value missing or soon due

    def __bool__(self) -> bool:
        return bool(self.measures or self.controls or self.activities or self.indicators)


def collect(book) -> dict[str, Work]:
    """role -> its Work, for the roles that have any."""
    today, window = book.today, dt.timedelta(days=book.settings.due_soon_days)
    work: dict[str, Work] = {}

    def of(role: str | None) -> Work:
        return work.setdefault(role or "", Work())

    for measure in quality.all_measures(book):
        if measure.state in (OVERDUE, DUE_SOON):
            of(measure.responsible).measures.append(measure)
    for control in quality.all_controls(book):
        for period, due in _open_periods(control, today + window):
            of(control.responsible).controls.append((control, period, due))
    for event in quality.all_events(book):
        for due, missed in _activity_dates(event, today + window):
            of(event.owner).activities.append((event, due, missed))
    for indicator in quality.all_indicators(book):
        year = indicator.record.record.year if indicator.record and indicator.record.record else None
        for period, due in goals.missing_periods(indicator, year, today + window) if year else []:
            of(indicator.goal.owner if indicator.goal else None).indicators.append((indicator, period, due))
    for item in work.values():
        item.measures.sort(key=lambda m: (m.due or dt.date.max, m.what))
        item.controls.sort(key=lambda c: (c[2], c[0].name))
        item.activities.sort(key=lambda a: (a[1], a[0].name))
        item.indicators.sort(key=lambda i: (i[2], i[0].name))
    work.pop("", None)  # every measure, control and activity has a role: nothing is lost here
    return {role: item for role, item in work.items() if item}


def _open_periods(control: Control, horizon: dt.date) -> list[tuple[Period, dt.date]]:
    """The periods of a plan in force without a result, whose result is due by the horizon."""
    if control.plan is None or not quality.in_force(control.plan):
        return []
    return [(period, due) for period, due in control.periods
            if due <= horizon and period.end < horizon
            and not quality.covering(control, period)]


def _activity_dates(event: Event, horizon: dt.date) -> list[tuple[dt.date, bool]]:
    """(due, missed): the occurrences that passed without their record, then the next one if it is soon."""
    if event.record is None or not quality.in_force(event.record):
        return []
    dates = [(due, True) for due, found in event.checked if found is None]
    if event.next_due is not None and event.next_due <= horizon:
        dates.append((event.next_due, False))
    return dates


def _link(doc: Document | None, anchor: str, url_of: UrlOf | None) -> str:
    if doc is None:
        return ""
    url = url_of(doc.path) if url_of else None
    return f"{url}#{anchor}" if url else f"Fil: {doc.path}"


def _when(due: dt.date, today: dt.date, late: str, soon: str) -> str:
    """'resultatet skulle ha funnits senast 2026-10-30 (32 dagar sedan)' or '… ska finnas senast … (om 5 dagar)'."""
    if due < today:
        return f"{late} senast {due} ({days((today - due).days)} sedan)"
    return f"{soon} senast {due} ({due_in((due - today).days)})"


def markdown(work: Work, today: dt.date, md: Callable[[str], str], url_of: UrlOf | None) -> list[str]:
    """The digest's sections for the quality work (Markdown lines)."""
    lines: list[str] = []
    if work.measures:
        lines += [f"## Åtgärder ({len(work.measures)})", ""]
        for m in work.measures:
            when = _when(m.due or today, today, "skulle ha genomförts", "ska vara genomförd")
            source = m.record.title if m.record else ""
            lines += [f"- {md(m.what)} – {when}, status {m.status}. Från: {md(source)}.",
                      f"  {_link(m.record, m.anchor, url_of)}"]
        lines += ["", "Skriv in status och datum (completed) för åtgärden i posten där den står.", ""]
    if work.controls:
        lines += [f"## Kontroller ({len(work.controls)})", ""]
        for control, period, due in work.controls:
            plan = control.plan.title if control.plan else ""
            when = _when(due, today, "resultatet skulle ha funnits", "resultatet ska finnas")
            lines += [f"- {md(control.name)} ({md(plan)}), perioden {period.label()} – {when}.",
                      f"  {_link(control.plan, control.anchor, url_of)}"]
        lines.append("")
    if work.activities:
        lines += [f"## Aktiviteter i årshjulet ({len(work.activities)})", ""]
        for event, due, _missed in work.activities:  # missed: the day has passed
            when = _when(due, today, "skulle ha gett en post", "ska göras")
            lines += [f"- {md(event.name)} – {when}.", f"  {_link(event.record, event.anchor, url_of)}"]
        lines.append("")
    if work.indicators:
        lines += [f"## Indikatorer ({len(work.indicators)})", ""]
        for indicator, period, due in work.indicators:
            goal = indicator.goal.name if indicator.goal else ""
            when = _when(due, today, "värdet skulle ha funnits", "värdet ska finnas")
            lines += [f"- {md(indicator.name)} (målet {md(goal)}), perioden {period.label()} – {when}.",
                      f"  {_link(indicator.record, indicator.anchor, url_of)}"]
        lines += ["", "Skriv värdet under ”results” i målplanen, med period och datum.", ""]
    return lines


def ics_items(work: Work, url_of: UrlOf | None) -> list[tuple[str, dt.date, str, str, str | None]]:
    """(uid key, date, summary, description, url) of each deadline, for the role's calendar."""
    items = []
    for m in work.measures:
        if m.due is None or m.record is None:
            continue
        url = url_of(m.record.path) if url_of else None
        items.append((f"{m.record.path}|atgard|{m.id}", m.due, f"Åtgärd: {' '.join(m.what.split())}",
                      f"Från: {m.record.title}\nAnsvarig: {m.responsible}", f"{url}#{m.anchor}" if url else None))
    for control, period, due in work.controls:
        plan = control.plan
        url = url_of(plan.path) if url_of and plan else None
        items.append((f"{plan.path if plan else ''}|kontroll|{control.id}|{period.end}", due,
                      f"Kontroll: {control.name} ({period.label()})",
                      f"Plan: {plan.title if plan else ''}\nAnsvarig: {control.responsible}",
                      f"{url}#{control.anchor}" if url else None))
    for event, due, _ in work.activities:
        record = event.record
        url = url_of(record.path) if url_of and record else None
        items.append((f"{record.path if record else ''}|aktivitet|{event.id}|{due}", due, f"Årshjul: {event.name}",
                      f"Ansvarig: {event.owner or 'saknas'}", f"{url}#{event.anchor}" if url else None))
    for indicator, period, due in work.indicators:
        record = indicator.record
        url = url_of(record.path) if url_of and record else None
        items.append((f"{record.path if record else ''}|indikator|{indicator.id}|{period.end}", due,
                      f"Indikator: {indicator.name} ({period.label()})",
                      f"Mål: {indicator.goal.name if indicator.goal else ''}",
                      f"{url}#{indicator.anchor}" if url else None))
    return items


def year_ics(book, url_of: UrlOf | None) -> bytes:
    """The årshjul as one calendar: one all-day event per activity and day of month, recurring every
    year (RRULE FREQ=YEARLY;BYMONTH=…;BYMONTHDAY=…, -1 for a month's last day). Same input, same bytes."""
    stamp = dt.datetime.combine(book.today, dt.time(0, 0), tzinfo=dt.UTC)
    cal = ics.calendar(YEAR_PRODID, "Årshjul – kvalitetsarbetet")
    year = book.today.year
    for event in quality.all_events(book):
        record = event.record
        if record is None or not quality.in_force(record):
            continue
        by_day: dict[int, list[int]] = {}
        for when in event.times:
            by_day.setdefault(when.day or -1, []).append(when.month)
        url = url_of(record.path) if url_of else None
        lines = [f"Ansvarig: {event.owner or 'saknas'}"]
        if event.follows is not None:
            lines.append(f"Följer: {event.follows.title}")
        if event.description:
            lines.append(event.description)
        for day, months in sorted(by_day.items()):
            first = min(w.on(year) for w in event.times if (w.day or -1) == day)
            cal.add_component(ics.day_event(
                f"{record.path}|arshjul|{event.id}|{day}", stamp, first, event.name, "\n".join(lines),
                f"{url}#{event.anchor}" if url else None,
                rrule={"freq": "yearly", "bymonth": sorted(set(months)), "bymonthday": day}))
    return cal.to_ical()
