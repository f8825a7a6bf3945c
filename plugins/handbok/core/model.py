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

DOCUMENT, EVIDENCE = "document", "evidence"


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
