"""Dates: what "today" is, month arithmetic and review intervals.

Kept free of any site engine so the CLI, the build and tests agree on one rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateError(ValueError):
    """A date that could not be read; the message is Swedish and user-facing."""


def parse_iso_date(value: str) -> dt.date:
    """Parse a strict ISO date (YYYY-MM-DD) with a Swedish error message."""
    text = str(value).strip()
    if not ISO_DATE.match(text):
        raise DateError(f"”{text}” är inget datum på formen ÅÅÅÅ-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(f"”{text}” är inget giltigt datum (finns inte i kalendern)") from None


def coerce_date(value: object) -> dt.date:
    """Front-matter value to a date: YAML may already have made it a date, or left it a string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_iso_date(value)
    raise DateError(f"”{value}” är inget datum på formen ÅÅÅÅ-MM-DD")


def resolve_today(explicit: str | dt.date | None = None, environ: dict | None = None) -> dt.date:
    """--today wins, then SOURCE_DATE_EPOCH (reproducible builds), then the system clock."""
    if isinstance(explicit, dt.date):
        return explicit
    if explicit:
        return parse_iso_date(explicit)
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise DateError(f"SOURCE_DATE_EPOCH=”{epoch}” är inget heltal (sekunder sedan 1970-01-01)") from None
    return dt.date.today()


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; a day that does not exist in the target month snaps to its last day
    (2024-02-29 + 12 months = 2025-02-28, 2025-01-31 + 1 month = 2025-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


# Named intervals people write in Swedish steering documents, in months.
# "vid behov" has no fixed period; it maps to a configurable maximum (None here).
NAMED_INTERVALS: dict[str, int | None] = {
    "6 månader": 6,
    "halvårsvis": 6,
    "12 månader": 12,
    "årligen": 12,
    "varje år": 12,
    "18 månader": 18,
    "24 månader": 24,
    "vartannat år": 24,
    "36 månader": 36,
    "var tredje år": 36,
    "48 månader": 48,
    "var fjärde år": 48,
    "vid behov": None,
}

# The forms offered to authors (schema enum, docs); the rest above are accepted synonyms.
OFFERED_INTERVALS = ["6 månader", "12 månader", "årligen", "vartannat år", "var tredje år", "vid behov"]

_GENERIC = re.compile(r"^(\d{1,3})\s*(månad|månader|år)$")


def interval_months(text: str, as_needed_max: int) -> int:
    """Months for an interval such as 'årligen', 'vid behov' or '18 månader'."""
    key = " ".join(str(text).lower().split())
    if key in NAMED_INTERVALS:
        months = NAMED_INTERVALS[key]
        return as_needed_max if months is None else months
    match = _GENERIC.match(key)
    if match:
        count = int(match.group(1))
        months = count * 12 if match.group(2) == "år" else count
        if months > 0:
            return months
    offered = ", ".join(f"”{name}”" for name in OFFERED_INTERVALS)
    raise DateError(f"”{text}” är inget känt revisionsintervall (använd {offered} eller t.ex. ”18 månader”)")

