"""Document control: which commits of a steering document are adopted versions, and which are edits.

ISO 9001 §7.5 and every document-management system a municipality compares us with keep the
superseded versions of a controlled document and show them marked as such. In handbok that history
is in git; this module turns one file's commits (read by handbok.source.git_history) into versions:

- an **adopted version** is a commit where the document is current (``status: gällande``, the
  default) and its decision fields (``approved``, ``revised``, ``status``) differ from the commit
  before: the first commit of a current document is version 1, each new decision or revision the
  next. ``version:`` in the front matter names a version when the author numbers them;
- every other commit is an **editorial change** (spelling, links, a draft in progress), listed under
  the version it came after;
- a commit that sets ``status: upphävd`` repeals the document; it adds no version.

The file on disk may be ahead of the last commit (a preview before the change is committed): when its
decision fields differ, it is one more version, marked as not committed yet.

Names from git are personal data: a version shows who *adopted* it (``approved_by``, a body or a
role), never the commit's author; commit messages are shown, but one with a personnummer is withheld.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from handbok.core import doctypes, personal_data
from handbok.core.model import STATUS_CURRENT, STATUS_REPEALED
from handbok.core.sourcefile import SourceFile

# Why a site has no version history, said once per build (the key is git_history's status).
NOTICES = {
    "shallow": ("Versionshistoriken visas inte: arkivet är en grund klon (shallow clone) utan historik. "
                "Hämta hela historiken med ”git fetch --unshallow”, eller sätt ”fetch-depth: 0” i "
                "actions/checkout (GitHub) eller ”GIT_DEPTH: 0” (GitLab)."),
    "no-repo": "Versionshistoriken visas inte: handboken ligger inte i ett git-arkiv.",
    "no-git": "Versionshistoriken visas inte: programmet git finns inte på den här datorn.",
    "failed": "Versionshistoriken visas inte: git kunde inte läsa historiken",
}
WITHHELD_MESSAGE = "(meddelandet visas inte: det innehåller ett personnummer)"
_ADOPTION_KEYS = ("approved", "revised", "status")


@dataclass(frozen=True)
class Revision:
    """One commit of one file, as git has it."""

    commit: str
    time: dt.datetime  # commit time, UTC
    author: str  # personal data: shown only where a site opts in (version_authors)
    message: str
    source: SourceFile  # the file as committed, parsed


@dataclass(frozen=True)
class Edit:
    """An editorial change: a commit that adopted nothing."""

    date: dt.date
    message: str
    author: str
    commit: str


@dataclass
class Version:
    number: int  # 1, 2, 3 … in order
    label: str  # the author's ``version:``, else the number
    date: dt.date  # revised, else approved, else the commit's day
    source: SourceFile
    revision: Revision | None  # None: only in the working tree, not committed yet
    note: str
    edits: list[Edit] = field(default_factory=list)  # editorial changes after this version, oldest first
    withheld: bool = False  # its text holds a personnummer: never shown, diffed or archived

    @property
    def meta(self) -> dict:
        return self.source.meta or {}

    @property
    def approved(self) -> dt.date | None:
        return as_date(self.meta.get("approved"))

    @property
    def adopted_on(self) -> dt.date:
        """The day of the decision: the archive copy's "fastställd"."""
        return self.approved or self.date

    def type_label(self, today_type: str | None) -> str:
        """'Rutin': the document type this version had (the document's type today if it named none)."""
        return doctypes.label(value_text(self.meta.get("type")) or today_type)

    def text(self, key: str) -> str | None:
        """A front-matter value as text (approved_by, diarienummer, paragraf …), None when absent."""
        value = self.meta.get(key)
        return str(value).strip() or None if value not in (None, "", []) else None


@dataclass
class DocumentHistory:
    path: str
    versions: list[Version]  # oldest first
    edits_before: list[Edit] = field(default_factory=list)  # commits before the first adopted version
    repealed: dt.date | None = None  # the day a commit set status: upphävd

    @property
    def current(self) -> Version | None:
        """The version in force (the last one), None when nothing was ever adopted."""
        return self.versions[-1] if self.versions and self.repealed is None else None

    @property
    def superseded(self) -> list[Version]:
        """Every version that no longer applies (all of them once the document is repealed)."""
        return self.versions if self.repealed is not None else self.versions[:-1]

    @property
    def edit_count(self) -> int:
        return len(self.edits_before) + sum(len(v.edits) for v in self.versions)

    def pairs(self) -> list[tuple[Version, Version]]:
        """Consecutive adopted versions (older, newer), newest first: what changed at each decision."""
        return [(self.versions[i - 1], self.versions[i]) for i in range(len(self.versions) - 1, 0, -1)]

    def shows_all(self, notes: list[str]) -> bool:
        """Does every one of these change notes (the document's ``changes:``) appear in a version's note?"""
        return bool(self.versions) and all(any(note.strip() in v.note for v in self.versions) for note in notes)

    def by_label(self, label: str) -> Version | None:
        return next((v for v in self.versions if v.label == label), None)


def as_date(value: object) -> dt.date | None:
    """A front-matter date as YAML gave it (a date, or an ISO string); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _key(meta: dict) -> tuple[str, ...]:
    return tuple(str(meta.get(name) or "") for name in _ADOPTION_KEYS)


def _status(meta: dict) -> str:
    value = meta.get("status")
    return value.strip() if isinstance(value, str) and value.strip() else STATUS_CURRENT


def _has_personnummer(text: str | None, allow_test_numbers: bool) -> bool:
    return bool(text) and any(not hit.accepted for hit in personal_data.scan(
        text or "", allow_test_numbers=allow_test_numbers))


MESSAGE_LENGTH = 120  # git's convention is a subject under 72 characters; a longer one is cut at a word


def _message(revision: Revision, allow_test_numbers: bool) -> str:
    """The commit message's first line (cut at MESSAGE_LENGTH), withheld when it holds a personnummer."""
    if _has_personnummer(revision.message, allow_test_numbers):
        return WITHHELD_MESSAGE
    first = next((line.strip() for line in revision.message.splitlines() if line.strip()), "")
    if len(first) > MESSAGE_LENGTH:
        first = first[:MESSAGE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
    return first


def _note(meta: dict, after: dt.date | None, until: dt.date, fallback: str) -> str:
    """The version's change note: its ``changes:`` entries dated after the previous version and up to
    this one (for the first version only the newest: older entries tell of versions before git), else
    the commit message."""
    dated: list[tuple[dt.date, str]] = []
    for change in meta.get("changes") or []:
        if not isinstance(change, dict):
            continue
        day = as_date(change.get("date"))
        note = change.get("note")
        if day is not None and isinstance(note, str) and note.strip() and (after is None or day > after) \
                and day <= until:
            dated.append((day, note.strip()))
    dated.sort(key=lambda entry: entry[0])  # stable: entries of one day keep the author's order
    if after is None:
        dated = [entry for entry in dated if entry[0] == dated[-1][0]] if dated else []
    return " ".join(note for _, note in dated) or fallback


def derive(path: str, revisions: list[Revision], working: SourceFile | None = None, *,
           allow_test_numbers: bool = False) -> DocumentHistory:
    """The adopted versions and editorial changes of one document from its commits, oldest first.

    working: the file as it is on disk now; when its decision fields differ from the last commit's it
    is one more version, not committed yet."""
    history = DocumentHistory(path, [])
    previous: tuple[str, ...] | None = None
    steps: list[tuple[SourceFile, Revision | None]] = [(r.source, r) for r in revisions]
    if working is not None and working.meta is not None and (
            not revisions or revisions[-1].source.meta is None or _key(working.meta) != _key(
                revisions[-1].source.meta)):
        steps.append((working, None))
    for source, revision in steps:
        meta = source.meta
        if meta is None:  # a commit whose front matter did not parse: an edit, whatever it changed
            if revision is not None:
                _add_edit(history, revision, allow_test_numbers)
            continue
        key, status = _key(meta), _status(meta)
        adopted = key != previous and status == STATUS_CURRENT
        if status == STATUS_REPEALED and key != previous and history.versions:
            history.repealed = as_date(meta.get("revised")) or (revision.time.date() if revision else None)
        elif status == STATUS_CURRENT and history.repealed is not None and key != previous:
            history.repealed = None  # taken back into force: the next version applies again
        previous = key
        if not adopted:
            if revision is not None:
                _add_edit(history, revision, allow_test_numbers)
            continue
        number = len(history.versions) + 1
        day = as_date(meta.get("revised")) or as_date(meta.get("approved")) or (
            revision.time.date() if revision else dt.date.min)
        label = str(meta.get("version")).strip() if meta.get("version") not in (None, "") else str(number)
        after = history.versions[-1].date if history.versions else None
        fallback = _message(revision, allow_test_numbers) if revision else "Inte incheckad ännu."
        history.versions.append(Version(number, label, day, source, revision, _note(meta, after, day, fallback),
                                        withheld=_has_personnummer(source.text, allow_test_numbers)))
    return history


def _add_edit(history: DocumentHistory, revision: Revision, allow_test_numbers: bool) -> None:
    edit = Edit(revision.time.date(), _message(revision, allow_test_numbers), revision.author, revision.commit)
    (history.versions[-1].edits if history.versions else history.edits_before).append(edit)


def histories(paths: Mapping[str, SourceFile | None], revisions: dict[str, list[Revision]], *,
              allow_test_numbers: bool = False) -> dict[str, DocumentHistory]:
    """The history of each document (docs-relative path -> its file on disk) that has one."""
    found = {}
    for path, working in paths.items():
        history = derive(path, revisions.get(path, []), working, allow_test_numbers=allow_test_numbers)
        if history.versions or history.edit_count:
            found[path] = history
    return found


# The fields a reader compares between two versions, in the metadata panel's order.
COMPARED = ("title", "type", "owner", "unit", "approved_by", "approved", "diarienummer", "paragraf", "revised",
            "review_interval", "review_by", "legal_basis", "replaced_by")


def value_text(value: object) -> str:
    """A front-matter value as a reader sees it: lists joined, an owner by its role, dates in ISO form."""
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return "; ".join(filter(None, (value_text(item) for item in value)))
    if isinstance(value, dict):
        return str(value.get("role") or value.get("name") or "")
    return str(value).strip()


def field_changes(old: Version, new: Version) -> list[tuple[str, str, str]]:
    """(label, old value, new value) of each compared field that differs between two versions."""
    from handbok.core.schema import DOCUMENT_FIELDS

    labels = {spec.name: spec.label for spec in DOCUMENT_FIELDS}
    found = []
    for name in COMPARED:
        before, after = value_text(old.meta.get(name)), value_text(new.meta.get(name))
        if before != after:
            found.append((labels.get(name, name), before, after))
    return found
