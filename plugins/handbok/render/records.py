"""What a record's page shows around its own text, and the measure rows every list of measures shares.

A plan shows its controls with the state of each period, a result its findings, a risk analysis
its risks and the matrix, a compilation its counts, the årshjul its activities month by month,
and every record its measures, each with its own anchor (#atgard-<id>) so that a measure can be
linked from the Åtgärder page, owner pages and reminders.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from handbok.core import doctypes, quality, records
from handbok.core.model import (
    CURRENT,
    DUE_SOON,
    MEASURE_CANCELLED,
    MEASURE_DONE,
    OVERDUE,
    Control,
    Document,
    Event,
    Measure,
)
from handbok.core.text import paragraphs, sv_key
from handbok.render.templating import Fragment, Heading

if TYPE_CHECKING:
    from handbok.render.document import DocumentParts

# A measure's state: while open the date-driven states of documents (re-evaluated by handbok.js), else
# its closing status. These are the values of data-handbok-status on a measure row.
DONE, CANCELLED = "done", "cancelled"
MEASURE_LABELS = {OVERDUE: "Försenad", DUE_SOON: "Snart", CURRENT: "I tid", DONE: "Genomförd",
                  CANCELLED: "Avbruten"}
MEASURE_ORDER = {OVERDUE: 0, DUE_SOON: 1, CURRENT: 2, DONE: 3, CANCELLED: 4}

# The state of one period of a planned control on the build day.
PERIOD_DONE, PERIOD_MISSING, PERIOD_WAITING, PERIOD_PLANNED = "done", "missing", "waiting", "planned"
PERIOD_LABELS = {PERIOD_DONE: "Genomförd", PERIOD_MISSING: "Saknas", PERIOD_WAITING: "Resultat väntas",
                 PERIOD_PLANNED: "Planerad"}


def shown_state(measure: Measure) -> str:
    """The state a measure row shows: the date-driven state while open, else its closing status."""
    if measure.status == MEASURE_DONE:
        return DONE
    if measure.status == MEASURE_CANCELLED:
        return CANCELLED
    return measure.state or CURRENT


def measure_rows(measures: list[Measure]) -> list[dict]:
    """One row per measure, overdue first (most overdue first), then due soon, in time, closed."""
    rows: list[dict] = []
    for measure in measures:
        record = measure.record
        state = shown_state(measure)
        rows.append({"measure": measure, "state": state, "label": MEASURE_LABELS[state], "record": record,
                     "unit": record.unit.name if record is not None and record.unit else "",
                     "source": doctypes.label(record.type) if record is not None else "",
                     "when": measure.completed if state == DONE else measure.due})
    rows.sort(key=_measure_key)
    return rows


def _measure_key(row: dict) -> tuple:
    measure: Measure = row["measure"]
    return MEASURE_ORDER[row["state"]], measure.due or dt.date.max, sv_key(measure.what)


def measure_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(MEASURE_LABELS, 0)
    for row in rows:
        counts[row["state"]] += 1
    return counts


def open_dates(rows: list[dict]) -> str:
    """The due dates of the open measures, for handbok.js to recount the tiles (contract 2)."""
    return " ".join(r["measure"].due.isoformat() for r in rows if r["state"] in (OVERDUE, DUE_SOON, CURRENT)
                    and r["measure"].due)


def period_rows(control: Control, today: dt.date) -> list[dict]:
    """Each period of a control with its state on the build day and the results that cover it."""
    rows = []
    for period, due in control.periods:
        results = quality.covering(control, period)
        if results:
            state = PERIOD_DONE
        elif due < today:
            state = PERIOD_MISSING
        elif period.end < today:
            state = PERIOD_WAITING
        else:
            state = PERIOD_PLANNED
        rows.append({"period": period, "due": due, "state": state, "label": PERIOD_LABELS[state],
                     "results": results, "name": period_name(period, control)})
    return rows


def control_items(controls: list[Control], today: dt.date) -> list[dict]:
    """What the year grid needs of each control: its periods and how many months a period spans
    (None: explicit due dates, listed in one cell)."""
    return [{"control": c, "periods": period_rows(c, today), "span": records.FREQUENCIES.get(c.frequency or "")}
            for c in controls]


def period_name(period, control: Control) -> str:
    """'Kvartal 2', 'Mars', 'Halvår 1', '2026' – how a coordinator names the period."""
    months = {1: "Månad", 3: "Kvartal", 4: "Tertial", 6: "Halvår"}
    size = records.FREQUENCIES.get(control.frequency or "")
    if size == 1:
        return records.MONTHS[period.start.month - 1].capitalize()
    if size in months:
        return f"{months[size]} {(period.start.month - 1) // size + 1}"
    if size == 12:
        return str(period.start.year)
    return f"t.o.m. {period.end.isoformat()}"


def event_rows(events: list[Event], year: int) -> list[dict]:
    """(month, activities that month) for the årshjul's twelve months, each activity with its date."""
    months: list[dict] = [{"number": n, "name": records.MONTHS[n - 1].capitalize(), "items": []} for n in range(1, 13)]
    for event in events:
        for day in event.occurrences(year):
            found = next((r for due, r in event.checked if due == day), None)
            checked = any(due == day for due, _ in event.checked)
            months[day.month - 1]["items"].append({"event": event, "day": day, "record": found, "checked": checked})
    seen: set[str] = set()
    for month in months:
        month["items"].sort(key=lambda item: (item["day"], sv_key(item["event"].name)))
        for item in month["items"]:  # the activity's first time of year is its link target
            item["anchor"] = item["event"].anchor if item["event"].id not in seen else None
            seen.add(item["event"].id)
    return months


# --- the parts of a record's page ------------------------------------------------------------

def record_around(parts: DocumentParts, doc: Document) -> tuple[list[Fragment | None], list[Fragment | None]]:
    """Before the author's text: banner, panel and what the record holds; after it: its measures, what
    links here and the change log."""
    info = doc.record
    top: list[Fragment | None] = [parts.banner(doc), parts.panel(doc)]
    today = parts.book.today
    if info is not None:
        if info.findings or info.assessment:
            top.append(parts._render("records/result.html", Heading(2, "Resultat", "handbok-resultat"),
                                     findings=paragraphs(info.findings or ""),
                                     assessment=paragraphs(info.assessment or "")))
        if info.controls:
            top.append(parts._render("records/controls.html", Heading(2, "Planerade kontroller", "handbok-kontroller"),
                                     doc=doc, controls=control_items(info.controls, today), today=today,
                                     months=records.MONTHS))
        if info.risks:
            risks = sorted(info.risks, key=lambda r: (-r.score, r.id))
            top.append(parts._render("records/risks.html", Heading(2, "Risker", "handbok-risker"), risks=risks,
                                     level=records.risk_level, probability=records.PROBABILITY_LABELS,
                                     consequence=records.CONSEQUENCE_LABELS, matrix=_matrix(info.risks)))
        if info.counts:
            top.append(parts._render("records/counts.html", Heading(2, "Antal per kategori", "handbok-antal"),
                                     groups=_count_groups(info.counts)))
        if info.goals:
            from handbok.render import goals as G  # here: render.goals imports this module for measure rows

            lines = G.plan_lines(doc, today) if info.year else []
            top.append(parts._render("goals/chain.html", Heading(2, "Målkedjan", "handbok-mal"),
                                     **G.chain_data(lines, info.year)))
        if doc.type == "kvalitetsberättelse" and info.year:
            generated = parts.book.settings.generated_dir.strip("/")
            top.append(parts._render("report/record_notice.html", doc=doc, year=info.year,
                                     report=f"{generated}/kvalitetsberattelse/{info.year}.md"))
        if info.events:
            year = today.year
            top.append(parts._render("records/events.html", Heading(2, f"Årshjulet {year}", "handbok-arshjul"),
                                     months=event_rows(info.events, year), year=year, today=today))
    bottom: list[Fragment | None] = []
    if info is not None and info.measures:
        bottom.append(parts._render("records/measures.html", Heading(2, "Åtgärder", "handbok-atgarder"),
                                    rows=measure_rows(info.measures), warn_days=parts.book.settings.due_soon_days,
                                    columns=("owner", "when")))
    if info is not None and info.control is not None and info.control.plan is not None:
        others = [r for r in info.control.results if r is not doc]
        bottom.append(parts.doc_list(Heading(2, "Andra resultat av samma kontroll", "handbok-andra-resultat"),
                                     sorted(others, key=lambda r: r.record.period.start if r.record and
                                            r.record.period else dt.date.min), with_type=False))
    siblings = info.control.results if info is not None and info.control is not None else []
    bottom.append(parts.doc_list(Heading(2, "Dokument som hänvisar hit", "handbok-hanvisningar"),
                                 [d for d in doc.backlinks if d not in siblings]))
    bottom.append(parts.change_log(doc))
    return top, bottom


def _matrix(risks) -> list[dict]:
    """The 4 × 4 matrix, consequence from high to low by probability from low to high: the risk ids
    in each cell, and the cell's level (also said in words, not by colour alone)."""
    low, high = records.RISK_SCALE
    rows = []
    for consequence in range(high, low - 1, -1):
        cells = []
        for probability in range(low, high + 1):
            score = probability * consequence
            ids = [r.id for r in risks if (r.probability, r.consequence) == (probability, consequence)]
            cells.append({"score": score, "level": records.risk_level(score), "ids": ids})
        rows.append({"consequence": consequence, "label": records.CONSEQUENCE_LABELS[consequence], "cells": cells})
    return rows


def _count_groups(counts) -> list[dict]:
    groups: dict[str, list] = {}
    for count in counts:
        groups.setdefault(count.kind, []).append(count)
    order = {kind: n for n, kind in enumerate(records.COUNT_KINDS)}
    return [{"kind": kind, "rows": rows, "total": sum(c.count for c in rows)}
            for kind, rows in sorted(groups.items(), key=lambda item: order.get(item[0], 99))]


def record_summary_rows(doc: Document, units) -> list[tuple[str, str, object, bool]]:
    info = doc.record
    when = ("Genomförd", "date", info.performed, False) if info and info.performed else \
        ("År", "text", info.year if info else None, True)
    return [("Ansvarig", "owner", doc.owner, True), when, ("Enhet", "units", units, True)]


def record_panel_rows(doc: Document, links) -> list[tuple[str, str, object, bool]]:
    info = doc.record
    assert info is not None
    control = info.control
    control_link = None
    if control is not None and control.plan is not None:
        href = links.doc(control.plan.path)
        control_link = ((href + "#" + control.anchor) if href else None, f"{control.name} ({control.plan.title})")
    return [
        ("Posttyp", "text", doctypes.label(doc.type), True),
        ("Kontroll", "link", control_link, True),
        ("Period", "text", info.period.label() if info.period else None, False),
        ("Urval", "text", info.sample, True),
        ("Gäller", "text", info.subject, True),
        ("Analyserat", "docs", info.analysed, False),
        ("Tillsynsmyndighet", "text", info.authority, True),
        ("Rapporteras till", "text", info.reports_to, True),
        ("Beslutad av", "text", doc.approved_by, True),
        ("Beslutsdatum", "date", doc.approved, False),
        ("Diarienummer", "text", doc.diarienummer, True),
        ("Paragraf", "text", doc.paragraf, True),
        ("Relaterade dokument", "docs", doc.related, False),
        ("Nyckelord", "text", ", ".join(doc.tags), True),
    ]


def practice_rows(book, requirement) -> list[dict]:
    """The records that prove a requirement of work, for the coverage page: record, measure anchor, date."""
    return [{"doc": doc, "anchor": f"atgard-{ident}" if ident else "", "date": day,
             "what": quality.PRACTICE_LABELS.get(requirement.practice, "")}
            for doc, ident, day in requirement.evidence]
