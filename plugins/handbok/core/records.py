"""The fields of quality-work records: controls, measures, risks, counts, periods and the årshjul's times.

Each parser reads one front-matter value with the validator's primitives (text, date, role ...),
so that a problem inside a list item names the file, the item's line and the field in the same
Swedish as every other field. What the values mean over time (due dates, missing results) is
handbok.core.quality's business.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NoReturn, Protocol

from handbok.core import doctypes
from handbok.core.model import (
    MEASURE_CANCELLED,
    MEASURE_DONE,
    MEASURE_STATUSES,
    Control,
    Count,
    Event,
    Measure,
    Period,
    Risk,
    Unit,
    When,
)


class Refused(Exception):
    """A value was refused; the checker has recorded the problem (raised by Checker.fail)."""


class Checker(Protocol):
    """The validator's primitives (handbok.core.validate._Checker): each records a problem and raises
    when the value is refused."""

    def fail(self, key: str, message: str, index: int | None = None, code: str = "invalid-value") -> NoReturn: ...
    def warn(self, key: str | None, message: str, code: str, index: int | None = None,
             line: int | None = None) -> None: ...
    def text(self, key: str, value: object, index: int | None = None) -> str: ...
    def id(self, key: str, value: object, index: int | None = None) -> str: ...
    def date(self, key: str, value: object, index: int | None = None) -> dt.date: ...
    def role_name(self, key: str, value: object, index: int | None = None) -> tuple[str, str]: ...
    def unit(self, key: str, value: object, index: int | None = None) -> Unit: ...
    def refs(self, key: str, value: object, index: int | None = None) -> list[str]: ...
    def list_of(self, key: str, value: object) -> list: ...

    where: str | None


class _At:
    """While checking one field of a list item, messages name the item and the field."""

    def __init__(self, checker: Checker, where: str):
        self.checker, self.where = checker, where

    def __enter__(self) -> None:
        self.checker.where = self.where

    def __exit__(self, *exc: object) -> None:
        self.checker.where = None

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]

# Frequencies of a planned control: how many months each period is.
FREQUENCIES = {"månadsvis": 1, "kvartalsvis": 3, "tertialvis": 4, "halvårsvis": 6, "årligen": 12}
FREQUENCY_ALIASES = {"varje månad": "månadsvis", "en gång i månaden": "månadsvis", "varje kvartal": "kvartalsvis",
                      "en gång per kvartal": "kvartalsvis", "varje tertial": "tertialvis",
                      "två gånger per år": "halvårsvis", "två gånger om året": "halvårsvis",
                      "varje halvår": "halvårsvis",
                      "en gång per år": "årligen", "en gång om året": "årligen", "varje år": "årligen",
                      "årsvis": "årligen"}
DEFAULT_WITHIN_DAYS = 30

COUNT_KINDS = ["avvikelse", "lex sarah", "lex maria", "klagomål", "synpunkt"]
COUNT_LABELS = {"avvikelse": "Avvikelser", "lex sarah": "Lex Sarah", "lex maria": "Lex Maria",
                "klagomål": "Klagomål", "synpunkt": "Synpunkter"}  # headings and table rows
METHODS = ["journalgranskning", "loggkontroll", "observation", "enkät", "statistik", "intervju", "stickprov",
           "genomgång"]
RISK_SCALE = (1, 4)  # probability and consequence: 1–4 each, score 1–16
PROBABILITY_LABELS = {1: "osannolik", 2: "mindre sannolik", 3: "möjlig", 4: "sannolik"}
CONSEQUENCE_LABELS = {1: "försumbar", 2: "lindrig", 3: "kännbar", 4: "allvarlig"}
RISK_LEVELS = ((4, "låg"), (8, "medel"), (12, "hög"), (16, "mycket hög"))  # (highest score, level)

MEASURE_KEYS = {"id", "what", "responsible", "due", "status", "completed", "reason", "effect_check", "effect", "goal"}
CONTROL_KEYS = {"id", "name", "checks", "method", "frequency", "due", "within_days", "responsible", "reports_to",
                "unit", "risk"}
RISK_KEYS = {"id", "risk", "probability", "consequence", "cause", "handling"}
COUNT_KEYS = {"kind", "category", "count"}
EVENT_KEYS = {"id", "name", "when", "owner", "follows", "produces", "description"}


def risk_level(score: int) -> str:
    return next(level for top, level in RISK_LEVELS if score <= top)


def frequency_name(text: str) -> str | None:
    folded = text.strip().casefold()
    return folded if folded in FREQUENCIES else FREQUENCY_ALIASES.get(folded)


def periods_of(year: int, months: int) -> list[Period]:
    """The calendar periods of `months` months in a year: quarters, half-years ..."""
    result = []
    for first in range(1, 13, months):
        start = dt.date(year, first, 1)
        last_month = first + months - 1
        end = When(last_month).on(year)
        result.append(Period(start, end))
    return result


# --- the årshjul's "when" ---------------------------------------------------------------

_DAY_MONTH = re.compile(r"^(?:senast\s+)?(\d{1,2})\s+([a-zåäö]+)$")
_EVERY = {"månadsvis": list(range(1, 13)), "kvartalsvis": [3, 6, 9, 12], "tertialvis": [4, 8, 12],
          "halvårsvis": [6, 12], "årligen": [12]}


def parse_when(text: str) -> list[When]:
    """'januari', '1 mars', 'april och oktober', 'januari, april, juli och oktober', 'varje kvartal' ...
    Raises ValueError with a Swedish message."""
    folded = " ".join(text.casefold().split())
    frequency = frequency_name(folded)
    if frequency is not None:
        return [When(m) for m in _EVERY[frequency]]
    times = []
    for part in re.split(r",\s*|\s+och\s+", folded):
        part = part.strip()
        if not part:
            continue
        if part in MONTHS:
            times.append(When(MONTHS.index(part) + 1))
            continue
        match = _DAY_MONTH.match(part)
        if match and match.group(2) in MONTHS:
            month = MONTHS.index(match.group(2)) + 1
            day = int(match.group(1))
            last = When(month).on(2024).day  # 2024: a leap year, so 29 februari is a day
            if not 1 <= day <= last:
                raise ValueError(f"”{part}” är ingen dag i kalendern")
            # The month's last day as a date ("29 februari", "31 mars") is its last day every year: 28 February
            # in a common year, in the check and in the calendar's recurrence rule alike.
            times.append(When(month, None if day == last else day))
            continue
        raise ValueError(f"”{part}” är ingen tid på året som handboken förstår (skriv en månad som ”mars”, en dag "
                         "som ”1 mars”, flera som ”april och oktober”, eller ”varje månad”, ”varje kvartal”, "
                         "”två gånger per år”)")
    if not times:
        raise ValueError("tiden är tom")
    return times


# --- parsers fed the validator's checker -----------------------------------------------------

def _items(checker: Checker, key: str, value: object, noun: str, keys: set[str]) -> list[tuple[int, dict]]:
    """(index, mapping) for each item of a list of mappings; unknown keys in an item are warnings."""
    result = []
    for index, item in enumerate(checker.list_of(key, value)):
        if not isinstance(item, dict):
            checker.fail(key, f"Fältet ”{key}”: {noun} {index + 1} ska ha fält som ”id:” och ”{sorted(keys)[0]}:”, "
                              "inte bara en text.", index)
        for unknown in sorted(set(map(str, item)) - keys):
            checker.warn(key, f"Fältet ”{key}”, {noun} {index + 1}: okänt fält ”{unknown}”. Tillåtna: "
                              f"{', '.join(sorted(keys))}.", "unknown-key", index)
        result.append((index, item))
    return result


def _unique_id(checker: Checker, key: str, item: dict, index: int, seen: set[str], noun: str) -> str:
    if item.get("id") in (None, ""):
        checker.fail(key, f"Fältet ”{key}”: {noun} {index + 1} saknar ”id” (ett kort namn som är unikt i "
                          "dokumentet, t.ex. ”a1”).", index, "invalid-missing-field")
    ident = checker.id(key, item["id"], index)
    if ident in seen:
        checker.fail(key, f"Fältet ”{key}”: id ”{ident}” används av två poster; ge var och en ett eget id.", index)
    seen.add(ident)
    return ident


def _required(checker: Checker, key: str, item: dict, name: str, index: int, noun: str) -> object:
    value = item.get(name)
    if value in (None, "", []):
        checker.fail(key, f"Fältet ”{key}”, {noun} {index + 1}: ”{name}” saknas.", index, "invalid-missing-field")
    return value


def _choice(checker: Checker, key: str, item: dict, name: str, index: int, noun: str, where: str,
            choices: list[str], hint: str | None = None) -> str:
    """A required value from a fixed list, in any case; returned as the list spells it."""
    text = checker.text(key, _required(checker, key, item, name, index, noun), index)
    found = next((c for c in choices if c.casefold() == text.casefold()), None)
    if found is None:
        checker.fail(key, f"Fältet ”{key}”, {where}: ”{name}” = ”{text}” "
                          f"{hint or 'finns inte. Tillåtna: ' + ', '.join(choices)}.", index)
    return found


def _label(item: dict, index: int, noun: str) -> str:
    ident = item.get("id")
    return f"{noun} ”{ident}”" if isinstance(ident, str) and ident.strip() else f"{noun} {index + 1}"


def _optional_text(checker: Checker, key: str, item: dict, name: str, index: int, noun: str = "") -> str | None:
    if item.get(name) in (None, ""):
        return None
    with _At(checker, f"{_label(item, index, noun)}, ”{name}”" if noun else f"”{name}”"):
        return checker.text(key, item[name], index)


def _optional_date(checker: Checker, key: str, item: dict, name: str, index: int, noun: str = "") -> dt.date | None:
    if item.get(name) in (None, ""):
        return None
    with _At(checker, f"{_label(item, index, noun)}, ”{name}”" if noun else f"”{name}”"):
        return checker.date(key, item[name], index)


def _optional_role(checker: Checker, key: str, item: dict, name: str, index: int, noun: str = "") -> str | None:
    if item.get(name) in (None, ""):
        return None
    with _At(checker, f"{_label(item, index, noun)}, ”{name}”" if noun else f"”{name}”"):
        return checker.role_name(key, item[name], index)[0]


def measures(checker: Checker, key: str, value: object) -> list[Measure]:
    result: list = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "åtgärd", MEASURE_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "åtgärd")
            noun = f"åtgärd ”{ident}”"
            what = checker.text(key, _required(checker, key, item, "what", index, "åtgärd"), index)
            status = _choice(checker, key, item, "status", index, "åtgärd", noun, MEASURE_STATUSES)
            measure = Measure(ident, what, _optional_role(checker, key, item, "responsible", index, "åtgärd"),
                              _optional_date(checker, key, item, "due", index, "åtgärd"), status, index,
                              completed=_optional_date(checker, key, item, "completed", index, "åtgärd"),
                              reason=_optional_text(checker, key, item, "reason", index, "åtgärd"),
                              effect_check=_optional_date(checker, key, item, "effect_check", index, "åtgärd"),
                              effect=_optional_text(checker, key, item, "effect", index, "åtgärd"),
                              goal_ref=_optional_text(checker, key, item, "goal", index, "åtgärd"))
            if measure.responsible is None:
                checker.fail(key, f"Fältet ”{key}”, {noun}: ”responsible” saknas – vilken roll ansvarar för åtgärden?",
                             index, "invalid-missing-field")
            if measure.due is None and measure.is_open:
                checker.fail(key, f"Fältet ”{key}”, {noun}: ”due” saknas – när ska åtgärden vara genomförd "
                                  "(ÅÅÅÅ-MM-DD)?", index, "invalid-missing-field")
            if status == MEASURE_DONE and measure.completed is None:
                checker.fail(key, f"Fältet ”{key}”, {noun} är genomförd men saknar ”completed” (datum då den "
                                  "genomfördes).", index, "invalid-missing-field")
            if status == MEASURE_CANCELLED and not measure.reason:
                checker.fail(key, f"Fältet ”{key}”, {noun} är avbruten men saknar ”reason” (varför den avbröts).",
                             index, "invalid-missing-field")
            if measure.completed is not None and status != MEASURE_DONE:
                checker.fail(key, f"Fältet ”{key}”, {noun} har ”completed” = {measure.completed} men status "
                                  f"”{status}”; en åtgärd med genomförandedatum har status ”genomförd”.", index)
            result.append(measure)
        except Refused:  # reported; the other items are still checked
            continue
    return result


def frequency_of(checker: Checker, key: str, value: object, index: int, noun: str) -> str:
    """A control's or an indicator's `frequency`, as its canonical name ("varje kvartal" -> "kvartalsvis")."""
    name = frequency_name(checker.text(key, value, index))
    if name is None:
        checker.fail(key, f"Fältet ”{key}”, {noun}: ”frequency” = ”{value}” är ingen känd frekvens. "
                          f"Tillåtna: {', '.join(FREQUENCIES)}.", index)
    return name


def within_days(checker: Checker, key: str, item: dict, index: int, noun: str) -> int:
    """`within_days`: how long after a period's end its result or value may come (default 30)."""
    within = item.get("within_days", DEFAULT_WITHIN_DAYS)
    if isinstance(within, bool) or not isinstance(within, int) or not 0 <= within <= 366:
        checker.fail(key, f"Fältet ”{key}”, {noun}: ”within_days” = ”{within}” ska vara ett antal dagar "
                          "(0–366).", index)
    return within


def controls(checker: Checker, key: str, value: object) -> list[Control]:
    result: list = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "kontroll", CONTROL_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "kontroll")
            noun = f"kontrollen ”{ident}”"
            control = Control(ident, checker.text(key, _required(checker, key, item, "name", index, "kontroll"), index),
                              index)
            control.checks_refs = checker.refs(key, item.get("checks") or [])
            control.method = _optional_text(checker, key, item, "method", index, "kontrollen")
            control.responsible = _optional_role(checker, key, item, "responsible", index, "kontrollen")
            if control.responsible is None:
                checker.fail(key, f"Fältet ”{key}”, {noun}: ”responsible” saknas – vilken roll genomför kontrollen?",
                             index, "invalid-missing-field")
            control.reports_to = _optional_role(checker, key, item, "reports_to", index, "kontrollen")
            control.unit = checker.unit(key, item["unit"], index) if item.get("unit") else None
            control.risk = _optional_text(checker, key, item, "risk", index, "kontrollen")
            frequency, due = item.get("frequency"), item.get("due")
            if (frequency in (None, "")) == (due in (None, "", [])):
                checker.fail(key, f"Fältet ”{key}”, {noun}: ange antingen ”frequency” ({', '.join(FREQUENCIES)}) "
                                  "eller ”due” (en lista med datum), inte båda och inte ingetdera.", index,
                             "invalid-missing-field" if frequency in (None, "") else "invalid-value")
            if frequency not in (None, ""):
                control.frequency = frequency_of(checker, key, frequency, index, noun)
            else:
                dates = due if isinstance(due, list) else [due]
                with _At(checker, f"{noun}, ”due”"):
                    control.due_dates = sorted({checker.date(key, d, index) for d in dates})
            control.within_days = within_days(checker, key, item, index, noun)
            result.append(control)
        except Refused:  # reported; the other items are still checked
            continue
    return result


def _score_part(checker: Checker, key: str, item: dict, name: str, index: int, noun: str) -> int:
    value = item.get(name)
    low, high = RISK_SCALE
    if value in (None, ""):
        checker.fail(key, f"Fältet ”{key}”, {noun}: ”{name}” saknas, så risken har inget riskvärde; värdera den "
                          f"från {low} till {high}.", index, "invalid-missing-field")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        checker.fail(key, f"Fältet ”{key}”, {noun}: ”{name}” = ”{value}” ska vara en siffra från {low} till {high}.",
                     index)
    return int(value)


def risks(checker: Checker, key: str, value: object) -> list[Risk]:
    result: list = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "risk", RISK_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "risk")
            noun = f"risken ”{ident}”"
            text = checker.text(key, _required(checker, key, item, "risk", index, "risk"), index)
            result.append(Risk(ident, text, _score_part(checker, key, item, "probability", index, noun),
                               _score_part(checker, key, item, "consequence", index, noun),
                               _optional_text(checker, key, item, "cause", index, "risken"),
                               _optional_text(checker, key, item, "handling", index, "risken")))
        except Refused:  # reported; the other items are still checked
            continue
    return result


def counts(checker: Checker, key: str, value: object) -> list[Count]:
    result = []
    for index, item in _items(checker, key, value, "rad", COUNT_KEYS):
        try:
            kind = _choice(checker, key, item, "kind", index, "rad", f"rad {index + 1}", COUNT_KINDS)
            category = checker.text(key, _required(checker, key, item, "category", index, "rad"), index)
            number = item.get("count")
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                checker.fail(key, f"Fältet ”{key}”, rad {index + 1}: ”count” = ”{number}” ska vara ett antal (0 eller "
                                  "fler). Skriv bara antal, aldrig uppgifter om enskilda.", index)
            result.append(Count(kind, category, number))
        except Refused:  # reported; the other items are still checked
            continue
    return result


def events(checker: Checker, key: str, value: object) -> list[Event]:
    result: list = []
    seen: set[str] = set()
    for index, item in _items(checker, key, value, "aktivitet", EVENT_KEYS):
        try:
            ident = _unique_id(checker, key, item, index, seen, "aktivitet")
            noun = f"aktiviteten ”{ident}”"
            name = checker.text(key, _required(checker, key, item, "name", index, "aktivitet"), index)
            when = _required(checker, key, item, "when", index, "aktivitet")
            texts = [checker.text(key, w, index) for w in (when if isinstance(when, list) else [when])]
            times: list[When] = []
            for text in texts:
                try:
                    times.extend(parse_when(text))
                except ValueError as exc:
                    checker.fail(key, f"Fältet ”{key}”, {noun}: ”when”: {exc}.", index)
            produces = _optional_text(checker, key, item, "produces", index, "aktiviteten")
            if produces is not None and not doctypes.is_record(produces):
                checker.fail(key, f"Fältet ”{key}”, {noun}: ”produces” = ”{produces}” är ingen posttyp. Tillåtna: "
                                  f"{', '.join(doctypes.RECORD_NAMES)}.", index)
            result.append(Event(ident, name, ", ".join(texts), times, index,
                                owner=_optional_role(checker, key, item, "owner", index, "aktiviteten"),
                                follows_ref=_optional_text(checker, key, item, "follows", index, "aktiviteten"),
                                produces=produces,
                                description=_optional_text(checker, key, item, "description", index, "aktiviteten")))
        except Refused:  # reported; the other items are still checked
            continue
    return result


def period(checker: Checker, key: str, value: object) -> Period:
    if not isinstance(value, dict) or set(map(str, value)) != {"from", "to"}:
        checker.fail(key, f"Fältet ”{key}” ska ha ”from” och ”to”, t.ex. "
                          "”period: {from: 2026-01-01, to: 2026-03-31}”.")
    start, end = checker.date(key, value["from"]), checker.date(key, value["to"])
    if end < start:
        checker.fail(key, f"Fältet ”{key}”: perioden slutar ({end}) före den börjar ({start}).")
    return Period(start, end)


def control_ref(checker: Checker, key: str, value: object) -> str:
    text = checker.text(key, value)
    if text.count("#") != 1 or not all(text.split("#")):
        checker.fail(key, f"Fältet ”{key}” = ”{text}” ska vara planens id och kontrollens id med # emellan, t.ex. "
                          "”egenkontrollplan-2026#loggkontroll”.")
    return text


def plan_year(checker: Checker, key: str, value: object) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        checker.fail(key, f"Fältet ”{key}” = ”{value}” ska vara ett årtal med fyra siffror, t.ex. 2026.")
    return int(text)
