"""Revision rules: when a document is next due and what state it is in on a given day."""

from __future__ import annotations

import datetime as dt

from handbok.core.dates import DateError, add_months, interval_months
from handbok.core.model import CURRENT, DRAFT, DUE_SOON, OVERDUE, REPEALED, STATUS_DRAFT, STATUS_REPEALED, Document
from handbok.core.problems import ERROR, WARNING, Problem
from handbok.core.text import days, review_verbs


def next_review(revised: dt.date | None, interval: str | None, review_by: dt.date | None,
                as_needed_months: int) -> dt.date | None:
    """review_by wins; else revised + interval in calendar months."""
    if review_by is not None:
        return review_by
    if revised is None or not interval:
        return None
    try:
        return add_months(revised, interval_months(interval, as_needed_months))
    except DateError:
        return None


def state_on(status: str, due: dt.date | None, today: dt.date, window_days: int) -> tuple[str, int | None]:
    """(state, days until due). Drafts and repealed documents are never overdue."""
    if status == STATUS_REPEALED:
        return REPEALED, None
    days = (due - today).days if due else None
    if status == STATUS_DRAFT:
        return DRAFT, days
    if days is None:
        return CURRENT, None
    if days < 0:
        return OVERDUE, days
    if days <= window_days:
        return DUE_SOON, days
    return CURRENT, days


def apply(doc: Document, today: dt.date, window_days: int, as_needed_months: int) -> None:
    doc.next_review = next_review(doc.revised, doc.review_interval, doc.review_by, as_needed_months)
    doc.state, doc.days_left = state_on(doc.status, doc.next_review, today, window_days)


def problems_for(doc: Document) -> list[Problem]:
    owner = doc.owner.role if doc.owner else None
    noun = "Posten" if doc.is_evidence else "Dokumentet"
    verb, done = review_verbs(doc.is_evidence)
    field = "review_by" if doc.review_by else ("review_interval" if doc.review_interval else None)
    line = doc.source.line_of(field) if field else None
    if doc.state == OVERDUE:
        due, days_left = doc.deadline
        days_late = -days_left
        return [Problem(doc.path, line, ERROR, "overdue",
                        f"{noun} skulle ha {done} senast {due.isoformat()} "
                        f"({days(days_late)} sedan). Dokumentägare: {owner or 'saknas'}.",
                        field, owner, days_late)]
    if doc.state == DUE_SOON:
        due, days_left = doc.deadline
        when = "i dag" if days_left == 0 else f"om {days(days_left)}"
        return [Problem(doc.path, line, WARNING, "due-soon",
                        f"{noun} ska {verb} senast {due.isoformat()} ({when}). "
                        f"Dokumentägare: {owner or 'saknas'}.", field, owner, days_left)]
    return []
