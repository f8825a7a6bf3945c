"""Revision and follow-up rules: when a document is next due and what state it is in on a given day."""

from __future__ import annotations

import datetime as dt

from handbok.core.dates import DateError, add_months, interval_months
from handbok.core.model import (
    CURRENT,
    DRAFT,
    DUE_SOON,
    OVERDUE,
    REPEALED,
    STATUS_CURRENT,
    STATUS_DRAFT,
    STATUS_REPEALED,
    Document,
)
from handbok.core.problems import ERROR, WARNING, Problem
from handbok.core.text import days, due_in, review_verbs


def next_due(since: dt.date | None, interval: str | None, explicit: dt.date | None,
             as_needed_months: int) -> dt.date | None:
    """The next revision or follow-up: an explicit date (review_by) wins; else the last one (revised,
    followed_up) + the interval in calendar months."""
    if explicit is not None:
        return explicit
    if since is None or not interval:
        return None
    try:
        return add_months(since, interval_months(interval, as_needed_months))
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
    doc.next_review = next_due(doc.revised, doc.review_interval, doc.review_by, as_needed_months)
    doc.state, doc.days_left = state_on(doc.status, doc.next_review, today, window_days)
    # The follow-up has its own date and state; it does not change the revision state above.
    doc.next_follow_up = next_due(doc.followed_up or doc.revised, doc.follow_up_interval, None, as_needed_months)
    if doc.next_follow_up is not None and doc.status == STATUS_CURRENT and not doc.is_evidence:
        doc.follow_up_state, doc.follow_up_days = state_on(doc.status, doc.next_follow_up, today, window_days)


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
        return [Problem(doc.path, line, WARNING, "due-soon",
                        f"{noun} ska {verb} senast {due.isoformat()} ({due_in(days_left)}). "
                        f"Dokumentägare: {owner or 'saknas'}.", field, owner, days_left)]
    return []


def follow_up_problems(doc: Document) -> list[Problem]:
    """A follow-up that is late or soon due (current governed documents with follow_up_interval)."""
    if doc.follow_up_state not in (OVERDUE, DUE_SOON) or doc.next_follow_up is None or doc.follow_up_days is None:
        return []
    owner = doc.owner.role if doc.owner else None
    line = doc.source.line_of("follow_up_interval")
    due, days_left = doc.next_follow_up, doc.follow_up_days
    since = f"senast uppföljt {doc.followed_up}" if doc.followed_up else f"reviderat {doc.revised}"
    if doc.follow_up_state == OVERDUE:
        return [Problem(doc.path, line, WARNING, "follow-up-overdue",
                        f"Dokumentet skulle ha följts upp senast {due.isoformat()} ({days(-days_left)} sedan; "
                        f"{since}, följs upp {doc.follow_up_interval}). Dokumentägare: {owner or 'saknas'}.",
                        "follow_up_interval", owner, -days_left)]
    return [Problem(doc.path, line, WARNING, "follow-up-due-soon",
                    f"Dokumentet ska följas upp senast {due.isoformat()} ({due_in(days_left)}). "
                    f"Dokumentägare: {owner or 'saknas'}.", "follow_up_interval", owner, days_left)]
