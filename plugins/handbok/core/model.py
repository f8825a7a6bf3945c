"""The document model: what a governed document or an evidence entry is, once validated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handbok.core.legal import LegalRef
from handbok.core.sourcefile import SourceFile

# Revision states, also the values of data-handbok-status in the site.
OVERDUE, DUE_SOON, CURRENT, DRAFT, REPEALED = "overdue", "due-soon", "current", "draft", "repealed"
STATE_LABELS = {
    OVERDUE: "Revision försenad",
    DUE_SOON: "Snart dags för revision",
    CURRENT: "Aktuell",
    DRAFT: "Utkast",
    REPEALED: "Upphävd",
}
STATE_ORDER: dict[str | None, int] = {OVERDUE: 0, DUE_SOON: 1, CURRENT: 2, DRAFT: 3, REPEALED: 4}

STATUS_CURRENT, STATUS_DRAFT, STATUS_REPEALED = "gällande", "utkast", "upphävd"
STATUSES = [STATUS_CURRENT, STATUS_DRAFT, STATUS_REPEALED]

DOCUMENT, EVIDENCE, RECORD = "document", "evidence", "record"


@dataclass(frozen=True)
class Owner:
    role: str  # canonical role name
    role_id: str
    name: str | None = None
    email: str | None = None

    @property
    def label(self) -> str:
        return f"{self.role} ({self.name})" if self.name else self.role


@dataclass(frozen=True)
class Unit:
    id: str
    name: str


@dataclass(frozen=True)
class Change:
    date: dt.date
    note: str


@dataclass
class Activity:
    name: str
    role: str | None
    routine_ref: str | None
    index: int  # position in the `activities` list (its line is looked up only when reported)
    routine: Document | None = None  # resolved by the index


@dataclass
class EvidenceInfo:
    kind: str
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    year: int | None = None
    areas: list[Unit] = field(default_factory=list)
    url: str | None = None
    file: str | None = None  # relative to docs dir, POSIX, once resolved
    language: str | None = None
    doi: str | None = None
    isbn: str | None = None
    keywords: list[str] = field(default_factory=list)


# --- records of the quality work (handbok.core.records parses them, handbok.core.quality checks them) ---

MEASURE_PLANNED, MEASURE_ONGOING, MEASURE_DONE, MEASURE_CANCELLED = "planerad", "pågår", "genomförd", "avbruten"
MEASURE_STATUSES = [MEASURE_PLANNED, MEASURE_ONGOING, MEASURE_DONE, MEASURE_CANCELLED]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(eq=False)
class Measure:
    """An improvement measure (åtgärd): lives in the record where it arose, anchored there."""

    id: str
    what: str
    responsible: str | None  # role
    due: dt.date | None
    status: str
    index: int  # position in the record's `measures` list, for the line of a problem
    completed: dt.date | None = None
    reason: str | None = None
    effect_check: dt.date | None = None
    effect: str | None = None
    goal_ref: str | None = None  # in a målplan: the goal the measure serves
    record: Document | None = None  # set by the index
    goal: Goal | None = None
    # Derived by handbok.core.quality: OVERDUE, DUE_SOON or CURRENT while open; None when closed.
    state: str | None = None
    days_left: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (MEASURE_PLANNED, MEASURE_ONGOING)

    @property
    def anchor(self) -> str:
        return f"atgard-{self.id}"


@dataclass(eq=False)
class Control:
    """A planned control of an egenkontrollplan or internkontrollplan."""

    id: str
    name: str
    index: int
    checks_refs: list[str] = field(default_factory=list)
    method: str | None = None
    frequency: str | None = None
    due_dates: list[dt.date] = field(default_factory=list)  # explicit `due:`
    within_days: int = 30
    responsible: str | None = None
    reports_to: str | None = None
    unit: Unit | None = None
    risk: str | None = None
    # Set by the index and the rules.
    checks: list[Document] = field(default_factory=list)
    plan: Document | None = None
    periods: list[tuple[Period, dt.date]] = field(default_factory=list)  # (period, result due)
    results: list[Document] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"kontroll-{self.id}"


@dataclass(frozen=True)
class Risk:
    id: str
    risk: str
    probability: int
    consequence: int
    cause: str | None = None
    handling: str | None = None

    @property
    def score(self) -> int:
        return self.probability * self.consequence


@dataclass(frozen=True)
class Count:
    kind: str
    category: str
    count: int


@dataclass(frozen=True)
class When:
    """One time of year: a month, and a day (None: the month's last day)."""

    month: int
    day: int | None = None

    def on(self, year: int) -> dt.date:
        import calendar

        last = calendar.monthrange(year, self.month)[1]
        return dt.date(year, self.month, min(self.day, last) if self.day else last)


@dataclass(eq=False)
class Event:
    """A recurring activity of the årshjul."""

    id: str
    name: str
    when_text: str
    times: list[When]
    index: int
    owner: str | None = None  # role
    follows_ref: str | None = None
    produces: str | None = None  # a record type
    description: str | None = None
    follows: Document | None = None
    record: Document | None = None  # the årshjul
    # Derived: (due date, record found or None) for the occurrences checked, and the next one.
    checked: list[tuple[dt.date, Document | None]] = field(default_factory=list)
    next_due: dt.date | None = None

    @property
    def anchor(self) -> str:
        return f"aktivitet-{self.id}"

    def occurrences(self, year: int) -> list[dt.date]:
        return sorted({t.on(year) for t in self.times})


# The status of an indicator against its target, in words (also the values of data-handbok-goal).
GOAL_REACHED, GOAL_PARTLY, GOAL_NOT_REACHED, GOAL_NO_RESULT = "uppnått", "delvis", "ej uppnått", "saknas"
GOAL_STATUSES = [GOAL_REACHED, GOAL_PARTLY, GOAL_NOT_REACHED, GOAL_NO_RESULT]
HIGHER, LOWER = "högre", "lägre"  # which way an indicator is better


@dataclass(frozen=True)
class IndicatorResult:
    """One measured value of an indicator for a period."""

    period: Period
    period_text: str  # as written: "2026-H1", "2025" ...
    value: float
    date: dt.date | None = None
    comment: str | None = None


@dataclass(eq=False)
class Indicator:
    """How a goal is measured: a value with a direction, a target and results per period."""

    id: str
    name: str
    goal_ref: str
    direction: str  # HIGHER | LOWER
    target: float
    index: int
    measured_in: str | None = None
    partly: float | None = None
    frequency: str = "årligen"
    within_days: int = 30
    kolada: str | None = None
    open_comparisons: str | None = None
    source: str | None = None
    results: list[IndicatorResult] = field(default_factory=list)
    # Set by the index.
    goal: Goal | None = None
    record: Document | None = None

    @property
    def anchor(self) -> str:
        return f"indikator-{self.id}"

    def meets(self, value: float, threshold: float) -> bool:
        return value >= threshold if self.direction == HIGHER else value <= threshold


@dataclass(eq=False)
class Goal:
    """One goal of the chain (nämndmål → effektmål → verksamhetsmål); the levels are the site's."""

    id: str
    name: str
    level: str
    index: int
    parent_ref: str | None = None
    owner: str | None = None  # role
    units: list[Unit] = field(default_factory=list)
    description: str | None = None
    # Set by the index.
    parent: Goal | None = None
    children: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)  # the målplan's measures for this goal
    record: Document | None = None

    @property
    def anchor(self) -> str:
        return f"mal-{self.id}"


@dataclass
class RecordInfo:
    performed: dt.date | None = None
    year: int | None = None
    period: Period | None = None
    reports_to: str | None = None
    controls: list[Control] = field(default_factory=list)
    control_ref: str | None = None  # "plan-id#control-id" of a result
    control: Control | None = None  # resolved
    sample: str | None = None
    findings: str | None = None
    assessment: str | None = None
    analysed_refs: list[str] = field(default_factory=list)
    analysed: list[Document] = field(default_factory=list)
    subject: str | None = None
    risks: list[Risk] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    authority: str | None = None
    measures: list[Measure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


# eq=False: a document is itself, not its field values. The generated __eq__ compared every
# field recursively (related, backlinks ...), which made `doc in list` quadratic and slow.
@dataclass(eq=False)
class Document:
    path: str  # relative to docs dir, POSIX
    source: SourceFile
    kind: str = DOCUMENT
    title: str = ""
    doc_id: str | None = None
    type: str | None = None
    owner: Owner | None = None
    unit: Unit | None = None
    revised: dt.date | None = None
    review_interval: str | None = None
    review_by: dt.date | None = None
    status: str = STATUS_CURRENT
    approved_by: str | None = None
    approved: dt.date | None = None
    diarienummer: str | None = None
    paragraf: str | None = None
    version: str | None = None
    follow_up_interval: str | None = None
    followed_up: dt.date | None = None
    legal: list[LegalRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related_refs: list[str] = field(default_factory=list)
    evidence_ids: list[str] = field(default_factory=list)
    responsibilities: list[tuple[str, list[str]]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    activities: list[Activity] | None = None
    replaced_by_ref: str | None = None
    description: str | None = None
    entry: EvidenceInfo | None = None
    record: RecordInfo | None = None
    # Derived by the revision rules and the index.
    next_review: dt.date | None = None
    state: str | None = None
    days_left: int | None = None
    next_follow_up: dt.date | None = None  # (followed_up or revised) + follow_up_interval
    follow_up_state: str | None = None  # OVERDUE, DUE_SOON or CURRENT, for current governed documents only
    follow_up_days: int | None = None  # days until next_follow_up (negative: late)
    related: list[Document] = field(default_factory=list)
    evidence: list[Document] = field(default_factory=list)
    cited_inline: list[str] = field(default_factory=list)
    replaced_by: Document | None = None
    backlinks: list[Document] = field(default_factory=list)
    processes: list[Document] = field(default_factory=list)
    valid: bool = True  # False when a schema error makes the document unreliable

    @property
    def key(self) -> str:
        """How other documents refer to this one: its id, else its path."""
        return self.doc_id or self.path

    @property
    def is_evidence(self) -> bool:
        return self.kind == EVIDENCE

    @property
    def is_record(self) -> bool:
        return self.kind == RECORD

    @property
    def deadline(self) -> tuple[dt.date, int]:
        """(next review, days left) of a document that is overdue or due soon, where both are set."""
        if self.next_review is None or self.days_left is None:
            raise ValueError(f"{self.path} has no review deadline")
        return self.next_review, self.days_left

    @property
    def last_changed(self) -> dt.date | None:
        dates = [c.date for c in self.changes] + ([self.revised] if self.revised else [])
        return max(dates) if dates else None

    @property
    def last_change_note(self) -> str:
        """What changed on last_changed, for "Nytt och ändrat" and the feed: the note of the newest
        change when it is from that day, else a plain "Reviderad." (a revision without a note)."""
        latest = max(self.changes, key=lambda c: c.date) if self.changes else None
        return latest.note if latest and latest.date == self.last_changed else "Reviderad."
