"""The yearly kvalitetsberättelse (SOSFS 2011:9 7 kap., general advice): every number from the handbook.

The report follows what offices write (Eslöv's RAN per goal, Trosa's kvalitetsbokslut) and the
general advice: how the quality work was done, which measures were taken and which results were
reached. Python computes each number here, with the records it came from, for one year and one
day; the author's text comes from the year's `kvalitetsberättelse` record, split by its `##`
headings into the sections below, and is never written by handbok. Rendering (Markdown, HTML,
PDF) is handbok.render.quality_report's business.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from handbok.core import goals, quality
from handbok.core.index import Handbook
from handbok.core.model import (
    GOAL_STATUSES,
    MEASURE_CANCELLED,
    MEASURE_DONE,
    OVERDUE,
    STATUS_CURRENT,
    STATUS_REPEALED,
    Control,
    Document,
    Event,
    Goal,
    Indicator,
    IndicatorResult,
    Measure,
    Period,
    Risk,
)
from handbok.core.records import COUNT_KINDS, RISK_LEVELS, risk_level
from handbok.core.text import sv_key

REPORT_TYPE = "kvalitetsberättelse"

# (key, heading): the sections in order. The author writes `## <heading>`; the key names the section
# in the site's anchors and in handbok.json-like output.
SECTIONS = [
    ("sammanfattning", "Sammanfattning"),
    ("mal", "Mål och resultat"),
    ("processer", "Processer och rutiner"),
    ("samverkan", "Samverkan"),
    ("riskanalyser", "Riskanalyser"),
    ("egenkontroll", "Egenkontroll"),
    ("avvikelser", "Avvikelser, lex Sarah och klagomål"),
    ("atgarder", "Förbättrande åtgärder"),
    ("delaktighet", "Personalens delaktighet"),
    ("nasta-ar", "Plan för nästa år"),
]
SECTION_TITLES = dict(SECTIONS)
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class AuthorText:
    """The author's Markdown, split by heading: the foreword, one text per section, one per goal."""

    foreword: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # section key -> Markdown
    goals: dict[str, str] = field(default_factory=dict)  # goal heading (casefolded) -> Markdown
    others: list[tuple[str, str]] = field(default_factory=list)  # (heading, Markdown) of unknown `##` headings


def split_author_text(body: str) -> AuthorText:
    """The author's body by its `##` headings (and the `###` goal headings under Mål och resultat). A heading
    that is no section is kept under its own name, never dropped."""
    text = AuthorText()
    by_title = {title.casefold(): key for key, title in SECTIONS}
    current: str | None = None
    goal: str | None = None
    lines: list[str] = []
    fenced = False

    def flush() -> None:
        content = "\n".join(lines).strip("\n")
        if not _COMMENT.sub("", content).strip():  # the template's guidance alone is no text
            content = ""
        if current is None:
            text.foreword = content
        elif goal is not None:
            text.goals[goal] = content
        elif current in SECTION_TITLES:
            text.sections[current] = content
        else:
            text.others.append((current, content))
        lines.clear()

    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else re.match(r"^(#{2,3})\s+(.+?)\s*#*\s*$", line)
        if heading and len(heading.group(1)) == 2:
            flush()
            name = heading.group(2)
            current, goal = by_title.get(name.casefold(), name), None
            continue
        if heading and current == "mal":
            flush()
            goal = heading.group(2).casefold()
            continue
        lines.append(line)
    flush()
    return text


# --- the numbers -------------------------------------------------------------------------------

@dataclass
class IndicatorLine:
    indicator: Indicator
    status: str
    latest: IndicatorResult | None
    series: list[IndicatorResult]  # every result, oldest first: the trend
    missing: list[tuple[Period, dt.date]]  # ended periods of the year without a value


@dataclass
class GoalLine:
    goal: Goal
    depth: int
    indicators: list[IndicatorLine]
    text: str | None  # the author's analysis under `### <goal name>`

    @property
    def expects_text(self) -> bool:
        """Where the report keeps a place for the author's analysis (RAN): under each effektmål (the second
        level), and under a top goal that is measured itself."""
        return self.depth == 1 or (self.depth == 0 and bool(self.indicators))


@dataclass
class ControlLine:
    control: Control
    planned: int  # periods in the year
    due: int  # periods whose result was due by the report's day
    done: int  # periods with a result
    missing: int  # due periods without a result
    results: list[Document]


@dataclass
class CountTable:
    kind: str
    periods: list[Document]  # the compilations, in period order: the columns
    rows: list[tuple[str, list[int], int]]  # (category, count per compilation, total)
    total: int


@dataclass
class Report:
    year: int
    as_of: dt.date  # the last day the numbers cover: 31 December, or today while the year runs
    final: bool  # the year has ended
    today: dt.date
    author: Document | None
    text: AuthorText
    plans: list[Document]  # the year's målplaner
    goal_lines: list[GoalLine]
    goal_counts: dict[str, int]  # status -> indicators
    adopted: list[Document]
    revised: list[Document]
    overdue: list[Document]
    in_force: int
    covered: int
    requirements: int
    gaps: list  # coverage.Requirement
    samverkan: list  # the requirements on samverkan (coverage.Requirement), with the documents that cover them
    analyses: list[tuple[Document, list[Risk]]]
    risk_levels: dict[str, int]
    high_risks: list[tuple[Document, Risk]]
    control_plans: list[tuple[Document, list[ControlLine]]]
    control_totals: dict[str, int]
    findings: list[Document]  # the year's control results with their assessment
    supervision: list[Document]
    count_tables: list[CountTable]
    measures_taken: list[Measure]
    measures_done: list[Measure]
    measures_open: list[Measure]
    measures_overdue: list[Measure]
    measures_cancelled: list[Measure]
    next_events: list[tuple[dt.date, Event]]
    next_plans: list[Document]
    next_measures: list[Measure]

    @property
    def title(self) -> str:
        return f"Kvalitetsberättelse {self.year}"

    @property
    def adopted_by(self) -> str | None:
        return self.author.approved_by if self.author else None


def author_document(book: Handbook, year: int) -> Document | None:
    """The year's author text: the kvalitetsberättelse record of that year (in force before a draft)."""
    found = [d for d in book.records if d.type == REPORT_TYPE and d.record and d.record.year == year]
    found.sort(key=lambda d: (d.status != STATUS_CURRENT, d.path))
    return found[0] if found else None


def report_years(book: Handbook) -> list[int]:
    """The years with quality work to report: a målplan, a plan or a report text of the year, or records
    performed in it; newest first, never later than this year."""
    years: set[int] = set()
    for doc in book.records:
        if doc.record is None or doc.status == STATUS_REPEALED:
            continue
        if doc.record.year:
            years.add(doc.record.year)
        if doc.record.performed:  # a decision date alone (a plan adopted in December) is no year of work
            years.add(doc.record.performed.year)
    return sorted((y for y in years if y <= book.today.year), reverse=True)


def _in(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


def build(book: Handbook, year: int) -> Report:
    today = book.today
    as_of = min(today, dt.date(year, 12, 31))
    author = author_document(book, year)
    text = split_author_text(author.source.body if author else "")
    current = [d for d in book.records if quality.in_force(d) and d.record is not None]
    plans = sorted((d for d in current if d.type == "målplan" and d.record and d.record.year == year),
                   key=lambda d: sv_key(d.title))
    goal_lines_, goal_counts = goal_lines(plans, year, today, text)
    governed = [d for d in book.governed if d.status == STATUS_CURRENT]
    covered, requirements, gaps, samverkan = _coverage(book)
    analyses = [(d, list(d.record.risks)) for d in _of_year(current, "riskanalys", year) if d.record]
    levels = {level: 0 for _, level in RISK_LEVELS}
    for _, risks in analyses:
        for risk in risks:
            levels[risk_level(risk.score)] += 1
    high = [(doc, r) for doc, risks in analyses for r in risks if r.score > 8]
    high.sort(key=lambda item: (-item[1].score, sv_key(item[1].risk)))
    control_plans, totals = _controls(current, year, as_of)
    measures = [m for d in current if d.record for m in d.record.measures]
    taken = [m for m in measures if m.record and _in(quality.record_date(m.record), year)]
    report = Report(
        year=year, as_of=as_of, final=today > dt.date(year, 12, 31), today=today, author=author, text=text,
        plans=plans, goal_lines=goal_lines_, goal_counts=goal_counts,
        adopted=sorted((d for d in governed if _in(d.approved, year)), key=_by_date),
        revised=sorted((d for d in governed if _in(d.revised, year) and d.revised != d.approved), key=_by_date),
        overdue=sorted((d for d in governed if d.state == OVERDUE and d.next_review and d.next_review < as_of),
                       key=lambda d: (d.next_review, sv_key(d.title))),
        in_force=len(governed), covered=covered, requirements=requirements, gaps=gaps, samverkan=samverkan,
        analyses=analyses, risk_levels=levels, high_risks=high, control_plans=control_plans, control_totals=totals,
        findings=sorted((d for d in current if d.type == "kontrollresultat" and _period_in(d, year)), key=_by_date),
        supervision=_of_year(current, "tillsyn", year), count_tables=_count_tables(current, year),
        measures_taken=taken,
        measures_done=[m for m in measures if m.status == MEASURE_DONE and _in(m.completed, year)],
        measures_open=[m for m in measures if m.is_open],
        measures_overdue=[m for m in measures if m.state == OVERDUE],
        measures_cancelled=[m for m in taken if m.status == MEASURE_CANCELLED],
        next_events=_next_events(current, year + 1),
        next_plans=sorted((d for d in book.records if d.record and d.record.year == year + 1
                           and d.status != STATUS_REPEALED), key=lambda d: sv_key(d.title)),
        next_measures=sorted((m for m in measures if m.is_open and m.due and m.due.year == year + 1),
                             key=lambda m: (m.due, sv_key(m.what))))
    return report


def _by_date(doc: Document) -> tuple:
    return (quality.record_date(doc) or doc.revised or dt.date.min, sv_key(doc.title))


def _of_year(docs: list[Document], kind: str, year: int) -> list[Document]:
    return sorted((d for d in docs if d.type == kind and _in(quality.record_date(d), year)), key=_by_date)


def _period_in(doc: Document, year: int) -> bool:
    info = doc.record
    if info and info.period:
        return info.period.end.year == year
    return _in(quality.record_date(doc), year)


def goal_lines(plans: list[Document], year: int, today: dt.date,
               text: AuthorText | None = None) -> tuple[list[GoalLine], dict[str, int]]:
    """Each goal of the plans in chain order with its indicators judged for the year, and how many
    indicators have each status."""
    text = text or AuthorText()
    lines = []
    counts = dict.fromkeys(GOAL_STATUSES, 0)
    for plan in plans:
        assert plan.record is not None
        for depth, goal in goals.walk(plan.record.goals):
            indicators = []
            for indicator in goal.indicators:
                state = goals.status(indicator, year)
                counts[state] += 1
                indicators.append(IndicatorLine(indicator, state, goals.latest(indicator, year),
                                                list(indicator.results),
                                                goals.missing_periods(indicator, year, today)))
            own = text.goals.get(goal.name.casefold()) or text.goals.get(goal.id.casefold())
            lines.append(GoalLine(goal, depth, indicators, own))
    return lines, counts


def unmatched_goal_texts(report: Report) -> list[tuple[str, str]]:
    """(heading, text) of the author's `###` texts under Mål och resultat that name no goal of the year."""
    names = {g.goal.name.casefold() for g in report.goal_lines} | {g.goal.id.casefold() for g in report.goal_lines}
    return [(heading, body) for heading, body in report.text.goals.items() if heading not in names]


def _coverage(book: Handbook) -> tuple[int, int, list, list]:
    """(covered, requirements, the gaps, the requirements on samverkan) of SOSFS 2011:9."""
    if book.catalogue is None:
        return 0, 0, [], []
    requirements = book.catalogue.requirements
    gaps = [r for r in requirements if not r.covered]
    samverkan = [r for r in requirements if "samverkan" in (r.heading or r.summary).casefold()]
    return len(requirements) - len(gaps), len(requirements), gaps, samverkan


def _controls(current: list[Document], year: int, as_of: dt.date):
    plans = []
    totals = {"planned": 0, "due": 0, "done": 0, "missing": 0}
    for plan in sorted((d for d in current if d.record and d.record.year == year and d.record.controls),
                       key=lambda d: (d.type, sv_key(d.title))):
        assert plan.record is not None
        lines = []
        for control in plan.record.controls:
            due = [(p, day) for p, day in control.periods if day < as_of]
            done = sum(1 for p, _ in control.periods if quality.covering(control, p))
            missing = sum(1 for p, _ in due if not quality.covering(control, p))
            line = ControlLine(control, len(control.periods), len(due), done, missing, list(control.results))
            for key in totals:
                totals[key] += getattr(line, key)
            lines.append(line)
        plans.append((plan, lines))
    return plans, totals


def _count_tables(current: list[Document], year: int) -> list[CountTable]:
    compilations = sorted((d for d in current if d.type == "sammanställning" and d.record and d.record.period
                           and d.record.period.end.year == year),
                          key=lambda d: (d.record.period.start, d.path) if d.record and d.record.period else ())
    tables = []
    for kind in COUNT_KINDS:
        categories: dict[str, list[int]] = {}
        for column, doc in enumerate(compilations):
            assert doc.record is not None
            for count in doc.record.counts:
                if count.kind == kind:
                    categories.setdefault(count.category, [0] * len(compilations))[column] += count.count
        if not categories:
            continue
        rows = sorted(((c, v, sum(v)) for c, v in categories.items()), key=lambda r: (-r[2], sv_key(r[0])))
        tables.append(CountTable(kind, compilations, rows, sum(r[2] for r in rows)))
    return tables


def _next_events(current: list[Document], year: int) -> list[tuple[dt.date, Event]]:
    found = [(day, e) for d in current if d.type == "årshjul" and d.record for e in d.record.events
             for day in e.occurrences(year)]
    return sorted(found, key=lambda item: (item[0], sv_key(item[1].name)))
