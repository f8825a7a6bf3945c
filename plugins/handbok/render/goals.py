"""Goals and results on the site: the chain as nested lists, each indicator with target, latest value,
status in words and colour, and a small trend drawn as an inline SVG with its text equivalent.

Shared by the generated page Mål och resultat (one per unit too), the målplan's own page and the
kvalitetsberättelse, so the three always say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handbok.core import quality_report
from handbok.core.index import Handbook
from handbok.core.model import (
    GOAL_NO_RESULT,
    GOAL_NOT_REACHED,
    GOAL_PARTLY,
    GOAL_REACHED,
    HIGHER,
    STATUS_CURRENT,
    Document,
    Goal,
)
from handbok.core.quality_report import GoalLine, IndicatorLine
from handbok.core.text import sv_key
from handbok.render import records

# The status's look: the site's state colours (text always says it too, never colour alone).
STATUS_CLASS = {GOAL_REACHED: "current", GOAL_PARTLY: "due-soon", GOAL_NOT_REACHED: "overdue",
                GOAL_NO_RESULT: "repealed"}
STATUS_LABELS = {GOAL_REACHED: "Uppnått", GOAL_PARTLY: "Delvis uppnått", GOAL_NOT_REACHED: "Ej uppnått",
                 GOAL_NO_RESULT: "Värde saknas"}
TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 132, 40, 5


def number(value: float | None) -> str:
    """A value in Swedish: 104, 85,5, 1 250 (no trailing ",0")."""
    if value is None:
        return "–"
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,d}"
    return text.replace(",", " ").replace(".", ",")


def with_unit(value: float | None, unit: str | None) -> str:
    if value is None:
        return "–"
    if unit in ("procent", "%"):
        return f"{number(value)} %"
    return f"{number(value)} {unit}" if unit else number(value)


@dataclass(frozen=True)
class Trend:
    """The points of a small line chart (SVG user units) and what it shows in words."""

    points: list[tuple[float, float, str, str]]  # (x, y, period, value) per result, oldest first
    target_y: float
    text: str  # the text equivalent: every value and the target

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in self.points)


def trend(line: IndicatorLine) -> Trend | None:
    """A line chart of every result with the target as a dashed line; None with fewer than two values."""
    series = line.series
    if len(series) < 2:
        return None
    indicator = line.indicator
    values = [r.value for r in series] + [indicator.target]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    inner_w, inner_h = TREND_WIDTH - 2 * TREND_PAD, TREND_HEIGHT - 2 * TREND_PAD

    def y_of(value: float) -> float:
        return TREND_PAD + (high - value) / span * inner_h

    step = inner_w / (len(series) - 1)
    points = [(TREND_PAD + i * step, y_of(r.value), r.period_text, with_unit(r.value, indicator.measured_in))
              for i, r in enumerate(series)]
    better = "högre" if indicator.direction == HIGHER else "lägre"
    text = (f"Utveckling: {', '.join(f'{p}: {v}' for _, _, p, v in points)}. Målvärde "
            f"{with_unit(indicator.target, indicator.measured_in)}; {better} är bättre.")
    return Trend(points, y_of(indicator.target), text)


def indicator_row(line: IndicatorLine) -> dict:
    indicator = line.indicator
    latest = line.latest
    return {"line": line, "indicator": indicator, "status": line.status, "label": STATUS_LABELS[line.status],
            "css": STATUS_CLASS[line.status], "target": with_unit(indicator.target, indicator.measured_in),
            "partly": with_unit(indicator.partly, indicator.measured_in) if indicator.partly is not None else None,
            "latest": with_unit(latest.value, indicator.measured_in) if latest else None,
            "latest_period": latest.period_text if latest else None, "latest_date": latest.date if latest else None,
            "comment": latest.comment if latest else None, "trend": trend(line),
            "better": "högre" if indicator.direction == HIGHER else "lägre",
            "missing": [p for p, _ in line.missing]}


def goal_tree(lines: list[GoalLine]) -> list[dict]:
    """The goal lines as nested items: {line, rows, children} (each goal with its indicators' rows)."""
    items: list[dict] = []
    stack: list[dict] = []
    for line in lines:
        item = {"line": line, "goal": line.goal, "rows": [indicator_row(i) for i in line.indicators], "children": [],
                "measures": records.measure_rows(line.goal.measures)}
        while stack and stack[-1]["line"].depth >= line.depth:
            stack.pop()
        (stack[-1]["children"] if stack else items).append(item)
        stack.append(item)
    return items


def status_counts(lines: list[GoalLine]) -> list[tuple[str, str, str, int]]:
    """(status, label, css class, indicators) for the tiles above a chain."""
    counts = {s: 0 for s in STATUS_LABELS}
    for line in lines:
        for indicator in line.indicators:
            counts[indicator.status] += 1
    return [(s, STATUS_LABELS[s], STATUS_CLASS[s], n) for s, n in counts.items()]


def chain_data(lines: list[GoalLine], year: int | None) -> dict:
    """What templates/goals/chain.html needs for one plan's chain: the goal page and the plan's own page."""
    return {"items": goal_tree(lines), "counts": status_counts(lines), "year": year, "level": 3, "prefix": "",
            "width": TREND_WIDTH, "height": TREND_HEIGHT}


def plans(book: Handbook) -> list[Document]:
    """The målplaner in force, newest year first."""
    found = [d for d in book.records if d.type == "målplan" and d.record and d.status == STATUS_CURRENT]
    return sorted(found, key=lambda d: (-(d.record.year or 0) if d.record else 0, sv_key(d.title)))


def plan_lines(plan: Document, today: dt.date) -> list[GoalLine]:
    assert plan.record is not None and plan.record.year is not None
    lines, _ = quality_report.goal_lines([plan], plan.record.year, today)
    return lines


def for_unit(lines: list[GoalLine], unit_id: str) -> list[GoalLine]:
    """The goals that apply to a unit (it is named, or no unit is: the whole förvaltning), with the goals
    above them for context."""
    keep: set[int] = set()
    by_goal = {id(line.goal): line for line in lines}
    for line in lines:
        if not line.goal.units or any(u.id == unit_id for u in line.goal.units):
            goal: Goal | None = line.goal
            while goal is not None:
                keep.add(id(goal))
                goal = goal.parent
    return [by_goal[k] for k in by_goal if k in keep]
