"""dates.py: calendar-month arithmetic, review intervals and what "today" is."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbok.core.dates import (
    NAMED_INTERVALS,
    OFFERED_INTERVALS,
    DateError,
    add_months,
    coerce_date,
    interval_months,
    parse_iso_date,
    resolve_today,
)

D = dt.date


@pytest.mark.parametrize("start, months, expected", [
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year keeps the 29th
    (D(2025, 3, 31), 1, D(2025, 4, 30)),
    (D(2025, 8, 31), 1, D(2025, 9, 30)),
    (D(2025, 1, 30), 1, D(2025, 2, 28)),
    (D(2025, 1, 28), 1, D(2025, 2, 28)),
    (D(2025, 12, 15), 1, D(2026, 1, 15)),  # year boundary
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day, next year has none
    (D(2024, 2, 29), 24, D(2026, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),  # four years on, leap day again
    (D(2026, 3, 12), 0, D(2026, 3, 12)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),  # negative months go back
    (D(2026, 1, 15), -1, D(2025, 12, 15)),
    (D(2025, 2, 28), -12, D(2024, 2, 28)),
    (D(2028, 2, 29), -48, D(2024, 2, 29)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_add_months_lands_in_the_right_month_and_never_later_day(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    # The day only moves when the target month is too short.
    if result.day < start.day:
        assert (result + dt.timedelta(days=1)).month != result.month


@pytest.mark.parametrize("name, months", [
    ("6 månader", 6), ("halvårsvis", 6), ("12 månader", 12), ("årligen", 12), ("varje år", 12),
    ("18 månader", 18), ("24 månader", 24), ("vartannat år", 24), ("36 månader", 36), ("var tredje år", 36),
    ("48 månader", 48), ("var fjärde år", 48),
])
def test_named_intervals(name, months):
    assert interval_months(name, as_needed_max=24) == months


def test_every_named_interval_is_tested_or_as_needed():
    # Keeps the table above in step with the code: a new name must get a case.
    tested = {"6 månader", "halvårsvis", "12 månader", "årligen", "varje år", "18 månader", "24 månader",
              "vartannat år", "36 månader", "var tredje år", "48 månader", "var fjärde år"}
    assert set(NAMED_INTERVALS) == tested | {"vid behov"}
    assert set(OFFERED_INTERVALS) <= set(NAMED_INTERVALS)


@pytest.mark.parametrize("maximum", [24, 12, 36])
def test_as_needed_uses_the_configured_maximum(maximum):
    assert interval_months("vid behov", as_needed_max=maximum) == maximum


@pytest.mark.parametrize("text, months", [
    ("18 månader", 18), ("2 år", 24), ("1 år", 12), ("3 månader", 3), ("1 månad", 1), ("9månader", 9),
    ("  Årligen ", 12), ("VID   BEHOV", 24), ("Vartannat  år", 24),
])
def test_generic_and_loosely_written_intervals(text, months):
    assert interval_months(text, as_needed_max=24) == months


@pytest.mark.parametrize("text", ["", "ibland", "0 månader", "0 år", "-6 månader", "6 veckor", "1,5 år", "årligen!",
                                  "1000 månader", "tolv månader"])
def test_bad_intervals_are_rejected_in_swedish(text):
    with pytest.raises(DateError) as info:
        interval_months(text, as_needed_max=24)
    message = str(info.value)
    assert "inget känt revisionsintervall" in message
    assert "årligen" in message and "18 månader" in message  # tells the author what works


def test_parse_iso_date():
    assert parse_iso_date("2026-03-12") == D(2026, 3, 12)
    assert parse_iso_date(" 2024-02-29 ") == D(2024, 2, 29)


@pytest.mark.parametrize("text, phrase", [
    ("2026-02-30", "finns inte i kalendern"),
    ("2025-02-29", "finns inte i kalendern"),
    ("2026-13-01", "finns inte i kalendern"),
    ("26-01-01", "ÅÅÅÅ-MM-DD"),
    ("2026-1-5", "ÅÅÅÅ-MM-DD"),
    ("12/3 2026", "ÅÅÅÅ-MM-DD"),
    ("20260312", "ÅÅÅÅ-MM-DD"),
    ("", "ÅÅÅÅ-MM-DD"),
])
def test_bad_dates_name_the_value(text, phrase):
    with pytest.raises(DateError) as info:
        parse_iso_date(text)
    assert phrase in str(info.value)
    assert f"”{text.strip()}”" in str(info.value)


def test_coerce_date():
    assert coerce_date(D(2026, 1, 2)) == D(2026, 1, 2)
    assert coerce_date(dt.datetime(2026, 1, 2, 23, 59)) == D(2026, 1, 2)
    assert coerce_date("2026-01-02") == D(2026, 1, 2)
    for bad in (20260102, None, ["2026-01-02"], True):
        with pytest.raises(DateError):
            coerce_date(bad)


# --- today ----------------------------------------------------------------------

EPOCH_2026_03_12 = str(int(dt.datetime(2026, 3, 12, 12, 0, tzinfo=dt.UTC).timestamp()))


def test_explicit_today_wins_over_source_date_epoch():
    assert resolve_today("2025-01-01", {"SOURCE_DATE_EPOCH": EPOCH_2026_03_12}) == D(2025, 1, 1)
    assert resolve_today(D(2025, 1, 1), {"SOURCE_DATE_EPOCH": "garbage"}) == D(2025, 1, 1)


def test_source_date_epoch_wins_over_the_clock():
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": EPOCH_2026_03_12}) == D(2026, 3, 12)
    assert resolve_today("", {"SOURCE_DATE_EPOCH": f" {EPOCH_2026_03_12}\n"}) == D(2026, 3, 12)


def test_source_date_epoch_is_utc():
    # 23:30 UTC on 2026-03-11 is already the 12th in Stockholm; the rule is UTC, as reproducible builds define it.
    late = str(int(dt.datetime(2026, 3, 11, 23, 30, tzinfo=dt.UTC).timestamp()))
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": late}) == D(2026, 3, 11)


def test_system_clock_is_the_last_resort():
    before = dt.date.today()
    got = resolve_today(None, {})
    assert before <= got <= dt.date.today()
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": "  "}) >= before  # blank counts as unset


@pytest.mark.parametrize("bad", ["igår", "1.5e9", "2026-03-12", "99999999999999999999999"])
def test_bad_source_date_epoch_message(bad):
    with pytest.raises(DateError) as info:
        resolve_today(None, {"SOURCE_DATE_EPOCH": bad})
    assert str(info.value) == f"SOURCE_DATE_EPOCH=”{bad}” är inget heltal (sekunder sedan 1970-01-01)"


def test_bad_explicit_today():
    with pytest.raises(DateError, match="ÅÅÅÅ-MM-DD"):
        resolve_today("12 mars", {})
    with pytest.raises(DateError, match="finns inte i kalendern"):
        resolve_today("2026-02-30", {})
