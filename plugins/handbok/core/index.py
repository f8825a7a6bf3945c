"""The handbook index: every document read once, validated, cross-referenced.

Built once per check or per site build and shared by everything that renders or
reports: back-links, process membership, evidence citations, coverage, problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from handbok.core import attachments, coverage, headings, html_policy, quality, revision, synonyms
from handbok.core.legal import LawRegistry, load_laws
from handbok.core.model import STATE_ORDER, Document
from handbok.core.problems import ERROR, WARNING, Problem
from handbok.core.registry import Decisions, Registry, load_registry, load_roles
from handbok.core.settings import Settings
from handbok.core.sourcefile import SourceFile
from handbok.core.synonyms import Synonyms
from handbok.core.text import PAGE_TARGET
from handbok.core.validate import Context, build_document

_INLINE_LINK = re.compile(r"\]" + PAGE_TARGET)
_REF_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?\.md)(?:#\S*)?>?", re.MULTILINE)
_CITE = re.compile(r"\[@([a-z0-9][a-z0-9._-]*)\]")
_FENCE = re.compile(r"^(\s*)(```|~~~)")


@dataclass
class Handbook:
    docs_dir: Path
    settings: Settings
    today: dt.date
    laws: LawRegistry
    roles: Registry
    units: Registry
    documents: list[Document] = field(default_factory=list)  # governed documents and evidence entries
    others: list[SourceFile] = field(default_factory=list)  # excluded pages (read for the personal-data scan)
    problems: list[Problem] = field(default_factory=list)
    accepted: list[Problem] = field(default_factory=list)  # accepted personal-number occurrences
    catalogue: coverage.Catalogue | None = None
    decisions: Decisions = field(default_factory=dict)  # document type -> bodies that may adopt it
    by_key: dict[str, Document] = field(default_factory=dict)
    derived: dict = field(default_factory=dict)  # groupings computed once per build by the page builders
    synonyms: Synonyms = field(default_factory=Synonyms)  # search words (core.synonyms); read when search is on

    def __repr__(self) -> str:
        # Short on purpose: the generated repr of every document, law and problem runs to megabytes, and
        # pytest prints a fixture's repr in a failing test's traceback (it took minutes, CI timed out).
        return f"<Handbook {str(self.docs_dir)!r}: {len(self.documents)} dokument, {len(self.problems)} problem>"

    def once(self, compute):
        """compute(self), computed on first use and kept: one grouping serves every generated page."""
        if compute not in self.derived:
            self.derived[compute] = compute(self)
        return self.derived[compute]

    # --- queries used by reports and pages ---------------------------------------------

    @property
    def governed(self) -> list[Document]:
        """The steering documents: processes, routines, guidelines … (not evidence, not records)."""
        return [d for d in self.documents if not d.is_evidence and not d.is_record]

    @property
    def records(self) -> list[Document]:
        """The records of the quality work: plans, results, analyses, compilations, the årshjul."""
        return [d for d in self.documents if d.is_record]

    @property
    def library(self) -> list[Document]:
        """What has a revision date: the steering documents and the evidence entries (not records)."""
        return [d for d in self.documents if not d.is_record]

    @property
    def evidence(self) -> list[Document]:
        return [d for d in self.documents if d.is_evidence]

    def by_path(self, path: str) -> Document | None:
        doc = self.by_key.get(path)
        return doc if doc is not None and doc.path == path else None

    def resolve(self, ref: str, from_path: str) -> Document | None:
        """An id, a path relative to the docs dir, or a path relative to the citing document."""
        ref = ref.strip()
        if ref in self.by_key:
            return self.by_key[ref]
        clean = ref.split("#", 1)[0].lstrip("/")
        for candidate in (clean, posixpath.normpath(posixpath.join(posixpath.dirname(from_path), clean))):
            doc = self.by_key.get(candidate)
            if doc is not None:
                return doc
        return None

    def in_review_order(self, documents: list[Document] | None = None) -> list[Document]:
        """Overdue first (most overdue first), then due soon, current, drafts, repealed."""
        far = dt.date.max
        return sorted(documents if documents is not None else self.library,
                      key=lambda d: (STATE_ORDER.get(d.state, 9), d.next_review or far, d.title.casefold()))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns)


def build(docs_dir: Path, settings: Settings, today: dt.date, sources: list[SourceFile],
          files: attachments.AttachmentFiles | None = None) -> Handbook:
    """Check the whole handbook from its parsed files: each file on its own first, then the links
    between them. The files are read by handbok.source (see reader.load); `files` lets the
    attachment rules look at the other files of the docs dir (without it they are not checked)."""
    laws = load_laws(settings.resolve(settings.laws_file), settings.resolve(settings.provisions_file),
                     settings.law_links)
    roles, decisions = load_roles(settings.resolve(settings.roles_file), settings.types)
    units = load_registry(settings.resolve(settings.units_file), "units", "enhet")
    book = Handbook(docs_dir, settings, today, laws, roles, units, decisions=decisions)
    if settings.search or settings.synonyms_file:
        book.synonyms = synonyms.load(settings.resolve(settings.synonyms_file))
    ctx = Context(settings, roles, units, laws, docs_dir, today, decisions=decisions)
    for source in sources:
        if _excluded(source.path, settings.exclude):
            book.others.append(source)
            continue
        doc = build_document(source, ctx)
        heading = headings.heading_problem(doc)
        if heading is not None:
            source.problems.append(heading)
        revision.apply(doc, today, settings.due_soon_days, settings.as_needed_months)
        if files is not None:
            _check_attached_file(doc, settings, files)
        book.documents.append(doc)
    _link(book)
    _collect_problems(book)
    return book


def document_at(book: Handbook, source: SourceFile) -> Document:
    """A document as an earlier version of its file says (from git), checked with the handbook's
    registries; its problems are the past's and reported nowhere. Not linked to other documents."""
    ctx = Context(book.settings, book.roles, book.units, book.laws, book.docs_dir, book.today,
                  decisions=book.decisions)
    doc = build_document(dataclasses.replace(source, problems=[]), ctx)
    revision.apply(doc, book.today, book.settings.due_soon_days, book.settings.as_needed_months)
    return doc


# A check of a page body that needs a library the core does not know (the template sandbox):
# injected by the caller, a module-level function so that it travels to worker processes.
BodyCheck = Callable[[SourceFile], list[Problem]]


def scan_source(source: SourceFile, settings: Settings, files: attachments.AttachmentFiles | None = None,
                checks: Sequence[BodyCheck] = ()) -> None:
    """Everything that needs only the file's text: personal data, links and citations in the body,
    HTML the build would remove, the injected checks, and (given the docs dir's files) links to
    attachments of a refused type."""
    _scan_personal_data(source, settings)
    source.body_hrefs = _body_hrefs(source.body)
    source.body_cites = list(_inline_citations(source))
    source.h1 = headings.first_h1(source.body, source.body_line)
    if source.text is None:
        return
    source.problems.extend(html_policy.body_problems(source, tuple(settings.html_allow)))
    for check in checks:
        source.problems.extend(check(source))
    if files is not None:
        source.problems.extend(attachments.body_problems(source, attachment_rules(settings), files))


def attachment_rules(settings: Settings) -> attachments.Rules:
    """The site's allowlist of attachment types (one object per distinct setting)."""
    return attachments.rules_for(tuple(settings.attachment_types))


def _check_attached_file(doc: Document, settings: Settings, files: attachments.AttachmentFiles) -> None:
    """An evidence entry's `file` must be of an allowed type. A refused file is not linked from the
    entry's page either: the site build leaves it out, so the link would lead nowhere."""
    info = doc.entry
    if info is None or not info.file:
        return
    written = str((doc.source.meta or {}).get("file") or info.file).strip()
    problem = attachments.file_field_problem(doc.source, written, info.file, attachment_rules(settings), files)
    if problem is not None:
        doc.source.problems.append(problem)
        info.file = None


def _register(book: Handbook, problems: list[Problem]) -> None:
    seen: dict[str, Document] = {}
    for doc in book.documents:
        book.by_key[doc.path] = doc
    for doc in book.documents:
        if not doc.doc_id:
            continue
        first = seen.get(doc.doc_id)
        if first is not None:
            problems.append(doc.source.problem(
                "duplicate-id", f"Fältet ”id”: ”{doc.doc_id}” används redan av {first.path}; ett id måste vara unikt.",
                key="id"))
            doc.valid = False
            continue
        seen[doc.doc_id] = doc
        book.by_key[doc.doc_id] = doc


def _link(book: Handbook) -> None:
    problems: list[Problem] = []
    _register(book, problems)
    evidence_ids = {d.doc_id: d for d in book.evidence if d.doc_id}
    for doc in book.documents:
        _link_related(book, doc, problems)
        _link_evidence(doc, evidence_ids, problems)
        _link_inline_citations(doc, evidence_ids, problems)
        _link_replaced_by(book, doc, problems)
        _link_activities(book, doc, problems)
        for target in _body_links(book, doc) + doc.related + doc.evidence:
            if target is not doc and doc not in target.backlinks:
                target.backlinks.append(doc)
    quality.link(book, problems)
    for doc in book.documents:
        doc.backlinks.sort(key=lambda d: d.title.casefold())
    book.problems.extend(problems)


def _link_related(book: Handbook, doc: Document, problems: list[Problem]) -> None:
    for index, ref in enumerate(doc.related_refs):
        target = book.resolve(ref, doc.path)
        if target is None:
            problems.append(doc.source.problem(
                "unknown-document", f"Fältet ”related”: ”{ref}” är inget känt dokument (varken id eller sökväg).",
                key="related", index=index))
        elif target is not doc and target not in doc.related:
            doc.related.append(target)


def _link_evidence(doc: Document, evidence_ids: dict[str, Document], problems: list[Problem]) -> None:
    for index, ref in enumerate(doc.evidence_ids):
        entry = evidence_ids.get(ref)
        if entry is None:
            problems.append(doc.source.problem(
                "unknown-evidence", f"Fältet ”evidence”: ”{ref}” finns inte i evidensbiblioteket.", key="evidence",
                index=index))
        elif entry not in doc.evidence:
            doc.evidence.append(entry)


def _link_inline_citations(doc: Document, evidence_ids: dict[str, Document], problems: list[Problem]) -> None:
    for line, ref in doc.source.body_cites:
        entry = evidence_ids.get(ref)
        if entry is None:
            problems.append(Problem(doc.path, line, ERROR, "unknown-evidence",
                                    f"Källhänvisningen [@{ref}] i texten pekar inte på någon post i "
                                    "evidensbiblioteket."))
            continue
        if ref not in doc.cited_inline:
            doc.cited_inline.append(ref)
        if entry not in doc.evidence:
            doc.evidence.append(entry)


def _link_replaced_by(book: Handbook, doc: Document, problems: list[Problem]) -> None:
    if not doc.replaced_by_ref:
        return
    doc.replaced_by = book.resolve(doc.replaced_by_ref, doc.path)
    if doc.replaced_by is None:
        problems.append(doc.source.problem(
            "unknown-document", f"Fältet ”replaced_by”: ”{doc.replaced_by_ref}” är inget känt dokument.",
            key="replaced_by"))


def _link_activities(book: Handbook, doc: Document, problems: list[Problem]) -> None:
    if doc.type != "process" or not doc.valid and doc.activities is None:
        return
    if not doc.activities:
        problems.append(Problem(doc.path, doc.source.line_of("activities") or doc.source.line_of("type"), WARNING,
                                "process-without-activities",
                                "Processen saknar aktiviteter (fältet ”activities”): beskriv processens steg i ordning "
                                "(SOSFS 2011:9 4 kap. 3 §).", "activities"))
        return
    for activity in doc.activities:
        if not activity.routine_ref:
            problems.append(Problem(doc.path, doc.source.line_of("activities", activity.index), WARNING,
                                    "activity-without-routine",
                                    f"Fältet ”activities”: aktiviteten ”{activity.name}” saknar rutin (”routine”) som "
                                    "beskriver hur och av vem den utförs (SOSFS 2011:9 4 kap. 4 §).", "activities"))
            continue
        routine = book.resolve(activity.routine_ref, doc.path)
        if routine is None:
            problems.append(Problem(doc.path, doc.source.line_of("activities", activity.index), ERROR,
                                    "unknown-document",
                                    f"Fältet ”activities”: rutinen ”{activity.routine_ref}” för aktiviteten "
                                    f"”{activity.name}” är inget känt dokument.", "activities"))
            continue
        activity.routine = routine
        if doc not in routine.processes:
            routine.processes.append(doc)


def _inline_citations(source: SourceFile):
    body = source.body
    if "[@" not in body:
        return
    if "```" not in body and "~~~" not in body:  # no code blocks: one regex pass, lines counted on hits
        number, position = source.body_line, 0
        for match in _CITE.finditer(body):
            number += body.count("\n", position, match.start())
            position = match.start()
            yield number, match.group(1)
        return
    fenced = False
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and "[@" in line:
            for match in _CITE.finditer(line):
                yield number, match.group(1)


def _body_hrefs(body: str) -> list[str]:
    if ".md" not in body:
        return []
    hrefs = [m.group(1) for m in _INLINE_LINK.finditer(body)] if "](" in body else []
    if "]:" in body:
        hrefs += [m.group(1) for m in _REF_LINK.finditer(body)]
    return hrefs


def _body_links(book: Handbook, doc: Document) -> list[Document]:
    targets = []
    folder = posixpath.dirname(doc.path)
    for href in doc.source.body_hrefs:
        if "://" in href:
            continue
        path = posixpath.normpath(posixpath.join(folder, href)) if not href.startswith("/") else href[1:]
        target = book.by_path(path)
        if target is not None and target not in targets:
            targets.append(target)
    return targets


def _scan_personal_data(source: SourceFile, settings: Settings) -> None:
    """Personal identity numbers anywhere in the file, front matter included (masked in messages)."""
    from handbok.core import personal_data

    if source.text is None:
        return
    for hit in personal_data.scan(source.text, allow_test_numbers=settings.allow_test_personnummer):
        if hit.accepted:
            why = "godkänt med markering" if hit.reason == "markering" else "Skatteverkets testnummer"
            source.accepted.append(Problem(source.path, hit.line, WARNING, "personal-data-accepted",
                                           f"Godkänt {hit.kind} {hit.masked} ({why})."))
        else:
            source.problems.append(Problem(
                source.path, hit.line, ERROR, "personal-data",
                f"Texten innehåller ett {hit.kind} ({hit.masked}). En handbok får aldrig innehålla uppgifter "
                "som kan identifiera en enskild: ta bort det eller byt mot ett påhittat exempel."))


# What an excluded (ungoverned) page is still checked for, because it is published all the same.
_PUBLISHED_PAGE_CODES = ("invalid-encoding", "personal-data", attachments.CODE, "unsafe-html", "unsafe-template")


def _collect_problems(book: Handbook) -> None:
    problems = list(book.problems)
    for doc in book.documents:
        problems.extend(doc.source.problems)
        if doc.valid or doc.next_review is not None:
            problems.extend(revision.problems_for(doc))
        problems.extend(revision.follow_up_problems(doc))
    for source in book.others:  # excluded pages are not governed, but are published: readable, no personal data,
        problems.extend(p for p in source.problems  # and no links to files that may not be published
                        if p.code in _PUBLISHED_PAGE_CODES)
    problems.extend(quality.evaluate(book))
    book.accepted = [p for source in [d.source for d in book.documents] + book.others for p in source.accepted]
    if book.settings.coverage:
        book.catalogue = coverage.load_catalogue(book.settings.resolve(book.settings.requirements_file))
        problems.extend(coverage.evaluate(book.catalogue, book.documents, book.laws,
                                          lambda kind: quality.practice(book, kind)))
    owners = {d.path: d.owner.role for d in book.documents if d.owner}
    book.problems = sorted((dataclasses.replace(p, owner=owners.get(p.path)) if p.owner is None and p.path in owners
                            else p for p in problems), key=Problem.sort_key)
