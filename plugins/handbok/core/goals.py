"""Goals and indicators (a `målplan`): parsing the chain and judging each indicator against its target.

The goal chain is written flat, each goal naming its parent one level up, and each indicator
naming its goal, all in the same file: a plan is the nämnd's decision for one year, so its chain
is complete in itself. The parsers use the validator's primitives like handbok.core.records, so a
problem names the file, the item's line and the field. What is missing on a given day is
handbok.core.quality's business (it calls missing_periods()).
"""

from __future__ import annotations

import datetime as dt
import re

from handbok.core import records
from handbok.core.model import (
    GOAL_NO_RESULT,
    GOAL_NOT_REACHED,
    GOAL_PARTLY,
    GOAL_REACHED,
    HIGHER,
    LOWER,
    Goal,
    Indicator,
    IndicatorResult,
    Measure,
    Period,
)
from handbok.core.records import (
    Checker,
    Refused,
    _At,
    _choice,
    _items,
    _optional_role,
    _optional_text,
    _required,
    _unique_id,
)

DIRECTIONS = [HIGHER, LOWER]
GOAL_KEYS = {"id", "name", "level", "parent", "owner", "units", "description"}
INDICATOR_KEYS = {"id", "goal", "name", "measured_in", "direction", "target", "partly", "frequency", "within_days",
                  "kolada", "open_comparisons", "source", "results"}
RESULT_KEYS = {"period", "value", "date", "comment"}
KOLADA_PATTERN = r"^[A-Z]\d{5}$"  # Kolada's key figures: a letter and five digits (N00945, U21468)

# "2026-H1" (halvår), "2026-T2" (tertial), "2026-K3" or "2026-Q3" (kvartal): (months per part, parts).
_PARTS = {"h": (6, 2), "t": (4, 3), "k": (3, 4), "q": (3, 4)}
_PART = re.compile(r"^(\d{4})-([htkq])([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(value: object) -> tuple[Period, str]:
    """(period, text) of a result's period: "2026", "2026-H1", "2026-T2", "2026-K3", "2026-05".
    Raises ValueError with a Swedish message."""
    text = str(value).strip()
    folded = text.casefold()
    if re.fullmatch(r"\d{4}", folded) and not isinstance(value, bool):
        year = int(folded)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), text
    match = _PART.match(folded)
    if match:
        year, months_count, parts = int(match.group(1)), *_PARTS[match.group(2)]
        part = int(match.group(3))
        if part > parts:
            raise ValueError(f"”{text}”: året har bara {parts} delar av det slaget")
        return records.periods_of(year, months_count)[part - 1], text.upper()
    match = _MONTH.match(folded)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return records.periods_of(year, 1)[month - 1], text
    raise ValueError(f"”{text}” är ingen period som handboken förstår (skriv ett år som ”2026”, ett halvår som "
                     "”2026-H1”, ett tertial som ”2026-T2”, ett kvartal som ”2026-K3”, en månad som ”2026-05” eller "
                     "”{from: 2026-01-01, to: 2026-08-31}”)")


def period_text(period: Period, frequency: str) -> str:
    """How a value for one period of an indicator's frequency is written: "2026", "2026-H1", "2026-T2",
    "2026-K3", "2026-05" (what parse_period reads back)."""
    months, year = records.FREQUENCIES[frequency], period.start.year
    if months == 12:
        return str(year)
    if months == 1:
        return f"{year}-{period.start.month:02d}"
    letter = next(k for k, (size, _) in _PARTS.items() if size == months).upper()
    return f"{year}-{letter}{(period.start.month - 1) // months + 1}"


def _number(checker: Checker, key: str, value: object, index: int, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+([.,]\d+)?\s*%?\s*", value):
            hint = (f" Skriv bara talet, t.ex. {value.replace('%', '').replace(',', '.').strip()}, och måttet "
                    "(procent, dagar …) i ”measured_in”.")
        checker.fail(key, f"Fältet ”{key}”, {what} = ”{value}” ska vara ett tal.{hint}", index)
    return float(value)


def goals(checker: Checker, key: str, value: object, levels: list[str]) -> list[Goal]:
    """The goals of a plan; each goal below the top level names its parent one level up in the same list."""
    result: list[Goal] = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "mål", GOAL_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "mål")
            noun = f"målet ”{ident}”"
            name = checker.text(key, _required(checker, key, item, "name", index, "mål"), index)
            level = _choice(checker, key, item, "level", index, "mål", noun, levels)
            goal = Goal(ident, name, level, index, owner=_optional_role(checker, key, item, "owner", index, "målet"),
                        description=_optional_text(checker, key, item, "description", index, "målet"))
            goal.parent_ref = _optional_text(checker, key, item, "parent", index, "målet")
            if item.get("units") not in (None, "", []):
                units = item["units"] if isinstance(item["units"], list) else [item["units"]]
                with _At(checker, f"{noun}, ”units”"):
                    goal.units = [checker.unit(key, u, index) for u in units]
            if goal.owner is None:
                checker.fail(key, f"Fältet ”{key}”, {noun}: ”owner” saknas – vilken roll äger målet?", index,
                             "invalid-missing-field")
            result.append(goal)
        except Refused:  # reported; the other items are still checked
            continue
    _link_chain(checker, key, result, levels)
    return result


def _link_chain(checker: Checker, key: str, chain: list[Goal], levels: list[str]) -> None:
    """Each goal's parent: known, one level up; a goal below the top level must have one."""
    by_id = {g.id: g for g in chain}
    for goal in chain:
        depth = levels.index(goal.level)
        try:
            if goal.parent_ref is None:
                if depth > 0:
                    checker.fail(key, f"Fältet ”{key}”, målet ”{goal.id}” är ett {goal.level} men saknar ”parent”: "
                                      f"skriv id:t för det {levels[depth - 1]} som det bryter ned.", goal.index,
                                 "invalid-missing-field")
                continue
            parent = by_id.get(goal.parent_ref)
            if parent is None:
                checker.fail(key, f"Fältet ”{key}”, målet ”{goal.id}”: ”parent” = ”{goal.parent_ref}” är inget mål i "
                                  f"planen (planens mål: {', '.join(by_id)}).", goal.index, "unknown-goal")
            if levels.index(parent.level) != depth - 1:
                wanted = f"ett {levels[depth - 1]}" if depth > 0 else "inget (ett mål på översta nivån har ingen)"
                checker.fail(key, f"Fältet ”{key}”, målet ”{goal.id}” ({goal.level}) har ”{parent.id}” "
                                  f"({parent.level}) som överordnat mål; det ska vara {wanted}.", goal.index,
                             "unknown-goal")
            goal.parent = parent
            parent.children.append(goal)
        except Refused:  # reported; the goal stays at the top of the page
            continue


def indicators(checker: Checker, key: str, value: object) -> list[Indicator]:
    result: list[Indicator] = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "indikator", INDICATOR_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "indikator")
            noun = f"indikatorn ”{ident}”"
            name = checker.text(key, _required(checker, key, item, "name", index, "indikator"), index)
            goal_ref = checker.text(key, _required(checker, key, item, "goal", index, "indikator"), index)
            direction = _choice(checker, key, item, "direction", index, "indikator", noun, DIRECTIONS,
                                "ska vara ”högre” (högre värden är bättre) eller ”lägre” (lägre värden är bättre)")
            target = _number(checker, key, _required(checker, key, item, "target", index, "indikator"), index,
                             f"{noun}: ”target”")
            indicator = Indicator(ident, name, goal_ref, direction, target, index,
                                  measured_in=_optional_text(checker, key, item, "measured_in", index, "indikatorn"),
                                  source=_optional_text(checker, key, item, "source", index, "indikatorn"),
                                  open_comparisons=_optional_text(checker, key, item, "open_comparisons", index,
                                                                  "indikatorn"))
            if item.get("partly") not in (None, ""):
                indicator.partly = _number(checker, key, item["partly"], index, f"{noun}: ”partly”")
                if indicator.meets(indicator.partly, target) and indicator.partly != target:
                    checker.fail(key, f"Fältet ”{key}”, {noun}: ”partly” = {item['partly']} ska ligga på den sämre "
                                      f"sidan av målvärdet {item['target']} (”direction” är ”{direction}”).", index)
            _indicator_schedule(checker, key, item, index, noun, indicator)
            indicator.results = _results(checker, key, item.get("results"), index, noun)
            result.append(indicator)
        except Refused:  # reported; the other items are still checked
            continue
    return result


def _indicator_schedule(checker: Checker, key: str, item: dict, index: int, noun: str, indicator: Indicator) -> None:
    if item.get("frequency") not in (None, ""):
        indicator.frequency = records.frequency_of(checker, key, item["frequency"], index, noun)
    indicator.within_days = records.within_days(checker, key, item, index, noun)
    if item.get("kolada") not in (None, ""):
        kolada = checker.text(key, item["kolada"], index)
        if not re.fullmatch(KOLADA_PATTERN, kolada):
            checker.fail(key, f"Fältet ”{key}”, {noun}: ”kolada” = ”{kolada}” ska vara ett nyckeltals id i Kolada, "
                              "en stor bokstav och fem siffror, t.ex. ”N00945”.", index)
        indicator.kolada = kolada


def _results(checker: Checker, key: str, value: object, index: int, noun: str) -> list[IndicatorResult]:
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        checker.fail(key, f"Fältet ”{key}”, {noun}: ”results” ska vara en lista med ”period” och ”value” per rad.",
                     index)
    found: list[IndicatorResult] = []
    for number, item in enumerate(value, start=1):
        result = _result(checker, key, item, index, f"{noun}, resultat {number}")
        if any(r.period == result.period for r in found):
            checker.fail(key, f"Fältet ”{key}”, {noun}: perioden {result.period_text} har två värden; skriv ett "
                              "värde per period.", index)
        found.append(result)
    return sorted(found, key=lambda r: (r.period.end, r.period.start))


def _result(checker: Checker, key: str, item: object, index: int, where: str) -> IndicatorResult:
    if not isinstance(item, dict):
        checker.fail(key, f"Fältet ”{key}”, {where} ska ha ”period:” och ”value:”.", index)
    for unknown in sorted(set(map(str, item)) - RESULT_KEYS):
        checker.warn(key, f"Fältet ”{key}”, {where}: okänt fält ”{unknown}”. Tillåtna: "
                          f"{', '.join(sorted(RESULT_KEYS))}.", "unknown-key", index)
    if item.get("period") in (None, ""):
        checker.fail(key, f"Fältet ”{key}”, {where}: ”period” saknas – vilken period gäller värdet (t.ex. "
                          "”2026-H1”)?", index, "invalid-missing-field")
    if item.get("value") in (None, ""):
        checker.fail(key, f"Fältet ”{key}”, {where}: ”value” saknas.", index, "invalid-missing-field")
    raw = item["period"]
    if isinstance(raw, dict):
        with _At(checker, f"{where}, ”period”"):
            period, text = records.period(checker, key, raw), f"{raw.get('from')} – {raw.get('to')}"
    else:
        try:
            period, text = parse_period(raw)
        except ValueError as exc:
            checker.fail(key, f"Fältet ”{key}”, {where}: ”period”: {exc}.", index)
    value = _number(checker, key, item["value"], index, f"{where}: ”value”")
    date = None
    if item.get("date") not in (None, ""):
        with _At(checker, f"{where}, ”date”"):
            date = checker.date(key, item["date"], index)
    comment = None
    if item.get("comment") not in (None, ""):
        with _At(checker, f"{where}, ”comment”"):
            comment = checker.text(key, item["comment"], index)
    return IndicatorResult(period, text, value, date, comment)


def link(chain: list[Goal], indicators: list[Indicator], measures: list[Measure]) -> list[Indicator | Measure]:
    """Attach each indicator, and each measure that names a goal, to its goal in the plan; what names a goal
    the plan does not have is returned (in that order)."""
    by_id = {g.id: g for g in chain}
    unknown: list[Indicator | Measure] = []
    naming: list[Indicator | Measure] = [*indicators, *(m for m in measures if m.goal_ref is not None)]
    for item in naming:
        goal = by_id.get(item.goal_ref or "")
        item.goal = goal
        if goal is None:
            unknown.append(item)
            continue
        bucket: list = goal.indicators if isinstance(item, Indicator) else goal.measures
        if item not in bucket:
            bucket.append(item)
    return unknown


# --- judging ---------------------------------------------------------------------------------

def in_year(result: IndicatorResult, year: int) -> bool:
    return result.period.start.year == year and result.period.end.year == year


def latest(indicator: Indicator, year: int) -> IndicatorResult | None:
    """The newest result of the year: the latest period end, then the latest date."""
    found = [r for r in indicator.results if in_year(r, year)]
    return max(found, key=lambda r: (r.period.end, r.date or r.period.end)) if found else None


def status(indicator: Indicator, year: int) -> str:
    """uppnått / delvis / ej uppnått / saknas for the newest result of the year."""
    result = latest(indicator, year)
    if result is None:
        return GOAL_NO_RESULT
    if indicator.meets(result.value, indicator.target):
        return GOAL_REACHED
    if indicator.partly is not None and indicator.meets(result.value, indicator.partly):
        return GOAL_PARTLY
    return GOAL_NOT_REACHED


def counts_for(result: IndicatorResult, period: Period) -> bool:
    """A result counts for the period its own period ends in (so a cumulative January–August value is
    the second tertial's, and the year's value the last period's)."""
    return period.start <= result.period.end <= period.end


def missing_periods(indicator: Indicator, year: int, today: dt.date) -> list[tuple[Period, dt.date]]:
    """(period, date the result was due) of the year's ended periods without a result."""
    missing = []
    for period in records.periods_of(year, records.FREQUENCIES[indicator.frequency]):
        due = period.end + dt.timedelta(days=indicator.within_days)
        if due < today and not any(counts_for(r, period) for r in indicator.results):
            missing.append((period, due))
    return missing


def walk(chain: list[Goal]) -> list[tuple[int, Goal]]:
    """(depth, goal) in the chain's order, each goal followed by the goals below it."""
    out: list[tuple[int, Goal]] = []

    def visit(goal: Goal, depth: int) -> None:
        out.append((depth, goal))
        for child in goal.children:
            visit(child, depth + 1)

    for goal in chain:
        if goal.parent is None:
            visit(goal, 0)
    return out
