"""Check one document's front matter against the schema and build its model.

Each problem names the file, the line of the field and the field itself, in Swedish.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from handbok.core import doctypes, goals, records
from handbok.core import schema as S
from handbok.core.dates import DateError, coerce_date, interval_months
from handbok.core.legal import CitationError, LawRegistry, LegalRef, parse_citation, well_formed_number
from handbok.core.model import (
    DOCUMENT,
    EVIDENCE,
    RECORD,
    STATUS_CURRENT,
    STATUS_REPEALED,
    STATUSES,
    Activity,
    Change,
    Document,
    EvidenceInfo,
    Indicator,
    Owner,
    RecordInfo,
    Unit,
)
from handbok.core.problems import ERROR, WARNING
from handbok.core.registry import Registry
from handbok.core.settings import Settings
from handbok.core.sourcefile import SourceFile
from handbok.core.text import listing

_ID = re.compile(S.ID_PATTERN)


@dataclass
class Context:
    """What validation needs besides the file itself."""

    settings: Settings
    roles: Registry
    units: Registry
    laws: LawRegistry
    docs_dir: Path
    today: dt.date
    # Document type -> the bodies that may adopt it (registry.load_roles); empty: no rules.
    decisions: dict[str, list[str]] = field(default_factory=dict)
    _allowed: dict = field(default_factory=dict)

    def one_of_groups(self, kind: str, fields: list) -> list[tuple[str, list[str]]]:
        """(group, field names) for the 'at least one of' rules of this kind of document."""
        key = ("one_of", kind)
        if key not in self._allowed:
            groups = dict.fromkeys(s.one_of for s in fields if s.one_of)
            self._allowed[key] = [(g, [s.name for s in fields if s.one_of == g]) for g in groups]
        return self._allowed[key]

    def allowed_keys(self, kind: str, fields: list) -> set[str]:
        """Keys a document of this kind may carry (computed once per build, not per document)."""
        if kind not in self._allowed:
            self._allowed[kind] = S.allowed_keys(fields, self.settings)
        return self._allowed[kind]


# Internal: a field value was rejected (the problem is already recorded). The records' list parsers catch
# it per item, so that every bad item of a list is reported in one run.
_Invalid = records.Refused


class _Checker:
    def __init__(self, source: SourceFile, ctx: Context):
        self.source = source
        self.ctx = ctx
        self.errors = 0
        self.where: str | None = None  # inside a list item: "åtgärd ”a1”, ”due”" (set by handbok.core.records)

    def field(self, key: str) -> str:
        """'Fältet ”due”', or inside a list item 'Fältet ”measures”, åtgärd ”a1”, ”due”'."""
        return f"Fältet ”{key}”, {self.where}" if self.where else f"Fältet ”{key}”"

    def fail(self, key: str, message: str, index: int | None = None, code: str = "invalid-value") -> NoReturn:
        self.errors += 1
        self.source.problems.append(self.source.problem(code, message, key=key, index=index))
        raise _Invalid

    def warn(self, key: str | None, message: str, code: str, index: int | None = None, line: int | None = None):
        self.source.problems.append(self.source.problem(code, message, key=key, index=index, severity=WARNING,
                                                        line=line))

    # --- one method per kind of value --------------------------------------------------

    def text(self, key, value, index=None) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"{self.field(key)} ska vara text{_quote_hint(value)}.", index)
        text = str(value).strip()
        if not text:
            self.fail(key, f"{self.field(key)} är tomt.", index, "invalid-missing-field")
        return text

    def code(self, key, value, index=None) -> str:
        return self.text(key, value, index)

    def id(self, key, value, index=None) -> str:
        text = self.text(key, value, index)
        if not _ID.match(text):
            self.fail(key, f"{self.field(key)} = ”{text}” ska bestå av små bokstäver a–z, siffror och bindestreck "
                           f"(t.ex. ”{_suggest_id(text)}”).", index)
        return text

    def date(self, key, value, index=None) -> dt.date:
        try:
            return coerce_date(value)
        except DateError as exc:
            self.fail(key, f"{self.field(key)}: {exc}.", index)

    def type(self, key, value, index=None) -> str:
        return self._enum(key, value, self.ctx.settings.types, "dokumenttyp")

    def kind(self, key, value, index=None) -> str:
        return self._enum(key, value, self.ctx.settings.evidence_kinds, "slag av kunskapsunderlag")

    def status(self, key, value, index=None) -> str:
        return self._enum(key, value, STATUSES, "status")

    def _enum(self, key, value, allowed, noun) -> str:
        text = self.text(key, value)
        folded = {a.casefold(): a for a in allowed}
        if text.casefold() in folded:
            return folded[text.casefold()]
        close = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=0.6)
        hint = f" Menade du ”{folded[close[0]]}”?" if close else ""
        self.fail(key, f"{self.field(key)} = ”{text}” är ingen känd {noun}.{hint} Tillåtna: {', '.join(allowed)}.")

    def interval(self, key, value, index=None) -> str:
        text = self.text(key, value)
        try:
            interval_months(text, self.ctx.settings.as_needed_months)
        except DateError as exc:
            self.fail(key, f"{self.field(key)}: {exc}.")
        return text

    def role_name(self, key, value, index=None, what="roll") -> tuple[str, str]:
        text = self.text(key, value, index)
        entry = self.ctx.roles.find(text)
        if entry is None:
            self.fail(key, f"{self.field(key)}: ”{text}” finns inte i rollregistret.{self.ctx.roles.suggestion(text)}",
                      index, "unknown-role")
        return entry.name, entry.id

    def role(self, key, value, index=None) -> Owner:
        if isinstance(value, dict):
            unknown = set(value) - {"role", "name", "email"}
            if unknown or "role" not in value:
                self.fail(key, f"{self.field(key)} ska vara en roll, eller role/name/email "
                               f"(fick {', '.join(map(str, value))}).")
            name, role_id = self.role_name(key, value["role"])
            person = self.text(key, value["name"]) if value.get("name") else None
            email = self.text(key, value["email"]) if value.get("email") else None
            if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                self.fail(key, f"{self.field(key)}: ”{email}” är ingen e-postadress.")
            return Owner(name, role_id, person, email)
        name, role_id = self.role_name(key, value)
        return Owner(name, role_id)

    def approver(self, key, value, index=None) -> str:
        """Who adopted the document: the canonical name when the roles registry knows it. Anything else is
        accepted as written; with decision rules an unknown body is a warning, since no rule can be applied."""
        text = self.text(key, value, index)
        entry = self.ctx.roles.find(text)
        if entry is not None:
            return entry.name
        if self.ctx.decisions:
            self.warn(key, f"{self.field(key)}: ”{text}” finns inte i rollregistret, så handboken kan inte avgöra om "
                           f"den får fastställa dokumentet.{self.ctx.roles.suggestion(text)} Skriv beslutsinstansen "
                           "som den står i rollregistret.", "approver-not-allowed")
        return text

    def unit(self, key, value, index=None) -> Unit:
        text = self.text(key, value, index)
        entry = self.ctx.units.find(text)
        if entry is None:
            self.fail(key, f"{self.field(key)}: ”{text}” finns inte i enhetsregistret."
                           f"{self.ctx.units.suggestion(text)}", index,
                      "unknown-area" if key == "areas" else "unknown-unit")
        return Unit(entry.id, entry.name)

    def units(self, key, value, index=None) -> list[Unit]:
        items = self._list(key, value)
        if not items:
            self.fail(key, f"{self.field(key)} är tomt: ange minst ett verksamhetsområde.",
                      code="invalid-missing-field")
        return [self.unit(key, item, i) for i, item in enumerate(items)]

    def strings(self, key, value, index=None) -> list[str]:
        items = [value] if isinstance(value, str) else self._list(key, value)
        return [self.text(key, item, i) for i, item in enumerate(items)]

    def refs(self, key, value, index=None) -> list[str]:
        return [self.text(key, item, i) for i, item in enumerate(self._list(key, value))]

    def ref(self, key, value, index=None) -> str:
        return self.text(key, value)

    def list_of(self, key, value) -> list:
        return self._list(key, value)

    # The records' structured fields (handbok.core.records reads them with the methods above).
    def record_type(self, key, value, index=None) -> str:
        return self._enum(key, value, doctypes.RECORD_NAMES, "posttyp")

    def plan_year(self, key, value, index=None) -> int:
        return records.plan_year(self, key, value)

    def period(self, key, value, index=None):
        return records.period(self, key, value)

    def control_ref(self, key, value, index=None) -> str:
        return records.control_ref(self, key, value)

    def controls(self, key, value, index=None):
        return records.controls(self, key, value)

    def risks(self, key, value, index=None):
        return records.risks(self, key, value)

    def counts(self, key, value, index=None):
        return records.counts(self, key, value)

    def measures(self, key, value, index=None):
        return records.measures(self, key, value)

    def events(self, key, value, index=None):
        return records.events(self, key, value)

    def goals(self, key, value, index=None):
        return goals.goals(self, key, value, self.ctx.settings.goal_levels)

    def indicators(self, key, value, index=None):
        return goals.indicators(self, key, value)

    def _list(self, key, value) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"{self.field(key)} ska vara en lista (en rad per post som börjar med ”- ”).")
        return value

    def legal(self, key, value, index=None) -> list:
        items = [value] if isinstance(value, str) else self._list(key, value)
        return [(self.text(key, item, i), i) for i, item in enumerate(items)]

    def responsibilities(self, key, value, index=None) -> list[tuple[str, list[str]]]:
        if not isinstance(value, dict):
            self.fail(key, f"{self.field(key)} ska vara roller med en lista av ansvar under varje roll.")
        table = []
        line = self.source.line_of(key)
        for role, duties in value.items():
            role_line = _line_containing(self.source, str(role), line)
            entry = self.ctx.roles.find(str(role))
            if entry is None:
                self.errors += 1
                self.source.problems.append(self.source.problem(
                    "unknown-role", f"{self.field(key)}: rollen ”{role}” finns inte i rollregistret."
                                    f"{self.ctx.roles.suggestion(str(role))}", key=key, line=role_line))
                continue
            items = [duties] if isinstance(duties, str) else duties
            if not isinstance(items, list) or not all(isinstance(d, (str, int, float)) and str(d).strip()
                                                      for d in items):
                self.fail(key, f"{self.field(key)}: ansvaret för ”{role}” ska vara en lista med text.")
            table.append((entry.name, [str(d).strip() for d in items]))
        return table

    def changes(self, key, value, index=None) -> list[Change]:
        result = []
        for i, item in enumerate(self._list(key, value)):
            if not isinstance(item, dict) or "date" not in item or "note" not in item:
                self.fail(key, f"{self.field(key)}: post {i + 1} ska ha ”date” och ”note”.", i)
            result.append(Change(self.date(key, item["date"], i), self.text(key, item["note"], i)))
        return result

    def activities(self, key, value, index=None) -> list[Activity]:
        result = []
        for i, item in enumerate(self._list(key, value)):
            if isinstance(item, str):
                item = {"name": item}
            if not isinstance(item, dict) or "name" not in item or set(item) - {"name", "role", "routine"}:
                self.fail(key, f"{self.field(key)}: aktivitet {i + 1} ska ha ”name” och gärna ”role” och ”routine”.", i)
            role = self.role_name(key, item["role"], i)[0] if item.get("role") else None
            routine = self.text(key, item["routine"], i) if item.get("routine") else None
            result.append(Activity(self.text(key, item["name"], i), role, routine, i))
        return result

    def year(self, key, value, index=None) -> int:
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
            self.fail(key, f"{self.field(key)} = ”{value}” ska vara ett årtal med fyra siffror.")
        year = int(text)
        if year < 1800 or year > self.ctx.today.year:
            self.fail(key, f"{self.field(key)} = {year} är inte ett rimligt utgivningsår (1800–{self.ctx.today.year}).")
        return year

    def url(self, key, value, index=None) -> str:
        text = self.text(key, value)
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", text):
            self.fail(key, f"{self.field(key)} = ”{text}” är ingen webbadress (ska börja med https://).")
        return text

    def file(self, key, value, index=None) -> str:
        text = self.text(key, value)
        folder = posixpath.dirname(self.source.path)
        target = posixpath.normpath(posixpath.join(folder, text))
        if target.startswith("../") or text.startswith("/"):
            self.fail(key, f"{self.field(key)}: ”{text}” pekar utanför handboken; lägg filen bredvid posten.",
                      code="missing-file")
        if not (self.ctx.docs_dir / target).is_file():
            self.fail(key, f"{self.field(key)}: den bifogade filen ”{text}” finns inte (sökte {target}).",
                      code="missing-file")
        return target


def _quote_hint(value) -> str:
    if isinstance(value, bool):
        return " (ja/nej/true/false tolkas som sant/falskt – sätt texten inom citattecken)"
    if isinstance(value, (list, dict)):
        return " (inte en lista)"
    return ""


def _suggest_id(text: str) -> str:
    from handbok.core.text import slugify
    return slugify(text)


def _line_containing(source: SourceFile, needle: str, start: int | None) -> int | None:
    if start is None:
        return None
    for number, line in enumerate(source.fm_lines[start - 1:], start=start + 1):  # lines after the key
        if needle in line:
            return number
    return start


def _profile_for(source: SourceFile, settings: Settings) -> tuple[str, list]:
    """Evidence by its folder; a record of the quality work by its type; else a governed document."""
    if source.path.startswith(settings.evidence_dir.strip("/") + "/"):
        return EVIDENCE, S.EVIDENCE_FIELDS
    written = (source.meta or {}).get("type")
    if isinstance(written, str) and doctypes.is_record(written.strip().casefold()):
        return RECORD, S.RECORD_FIELDS
    return DOCUMENT, S.DOCUMENT_FIELDS


def _applies(spec: S.FieldSpec, kind: str, record_type: str | None) -> bool:
    return spec.types is None or kind != RECORD or record_type in spec.types


def _check_fields(source: SourceFile, checker: _Checker, fields: list, kind: str, values: dict) -> None:
    """Each field of the profile: required ones present, every value checked by its kind into `values`.
    A record's field that belongs to other record types is a warning, not a value."""
    meta = source.meta or {}
    record_type = str(meta.get("type")).strip().casefold() if kind == RECORD else None
    for spec in fields:
        value = meta.get(spec.name)
        if not _applies(spec, kind, record_type):
            if value not in (None, "", []):
                checker.warn(spec.name, f"Fältet ”{spec.name}” används inte i en {doctypes.label(record_type)} "
                                        f"(bara i {', '.join(spec.types or ())}).", "unknown-key")
            continue
        if value is None or value == "" or value == []:
            if spec.required:
                checker.errors += 1
                source.problems.append(source.problem(
                    "invalid-missing-field", f"Fältet ”{spec.name}” ({spec.label.lower()}) saknas: {spec.help}",
                    line=source.body_line - 1 if source.fm_lines else 1, key=spec.name))
            continue
        try:
            values[spec.name] = getattr(checker, spec.kind)(spec.name, value)
        except _Invalid:
            pass


def build_document(source: SourceFile, ctx: Context) -> Document:
    """Validate a parsed file and return its model; problems are added to source.problems."""
    kind, fields = _profile_for(source, ctx.settings)
    doc = Document(path=source.path, source=source, kind=kind, title=_fallback_title(source))
    if source.meta is None:
        doc.valid = False
        return doc
    meta = source.meta
    checker = _Checker(source, ctx)
    values: dict = {}
    allowed = ctx.allowed_keys(kind, fields)
    for key in meta:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(S.field_names(fields)), n=1, cutoff=0.7)
            hint = f" Menade du ”{close[0]}”?" if close else " Kontrollera stavningen."
            checker.warn(key, f"Okänt fält ”{key}”.{hint}", "unknown-key")
    _check_fields(source, checker, fields, kind, values)
    for group, names in ctx.one_of_groups(kind, fields):
        if not any(meta.get(n) not in (None, "", []) for n in names):
            checker.errors += 1
            source.problems.append(source.problem("invalid-missing-field", S.ONE_OF_MESSAGES[group] + ".",
                                                  line=source.body_line - 1, key=names[0]))
    _fill(doc, values, kind)
    if kind == DOCUMENT:
        _document_rules(doc, values, checker, ctx, meta)
    if kind == RECORD:
        _record_rules(doc, values, ctx)
    _resolve_legal(doc, values.get("legal_basis", []), checker, ctx)
    doc.valid = checker.errors == 0
    return doc


def _fallback_title(source: SourceFile) -> str:
    title = (source.meta or {}).get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return posixpath.splitext(posixpath.basename(source.path))[0].replace("-", " ").capitalize()


def _fill(doc: Document, values: dict, kind: str) -> None:
    doc.title = values.get("title", doc.title)
    doc.doc_id = values.get("id")
    doc.type = values.get("type")
    doc.owner = values.get("owner")
    doc.unit = values.get("unit")
    doc.revised = values.get("reviewed" if kind == EVIDENCE else "revised")
    doc.review_interval = values.get("review_interval")
    doc.review_by = values.get("review_by")
    doc.status = values.get("status", STATUS_CURRENT)
    doc.approved_by = values.get("approved_by")
    doc.approved = values.get("approved")
    doc.diarienummer = values.get("diarienummer")
    doc.paragraf = values.get("paragraf")
    doc.version = values.get("version")
    doc.follow_up_interval = values.get("follow_up_interval")
    doc.followed_up = values.get("followed_up")
    doc.tags = values.get("tags", [])
    doc.related_refs = values.get("related", [])
    doc.evidence_ids = values.get("evidence", [])
    doc.responsibilities = values.get("responsibilities", [])
    doc.changes = values.get("changes", [])
    doc.activities = values.get("activities")
    doc.replaced_by_ref = values.get("replaced_by")
    description = (doc.source.meta or {}).get("description")
    doc.description = description if isinstance(description, str) else None
    if kind == RECORD:
        doc.revised = values.get("performed") or values.get("approved")
        reports_to = values.get("reports_to")
        doc.record = RecordInfo(
            performed=values.get("performed"), year=values.get("year"), period=values.get("period"),
            reports_to=reports_to.role if reports_to is not None else None,
            controls=values.get("controls", []), control_ref=values.get("control"), sample=values.get("sample"),
            findings=values.get("findings"), assessment=values.get("assessment"),
            analysed_refs=values.get("analysed", []), subject=values.get("subject"), risks=values.get("risks", []),
            counts=values.get("counts", []), authority=values.get("authority"), measures=values.get("measures", []),
            events=values.get("events", []), goals=values.get("goals", []),
            indicators=values.get("indicators", []))
        for control in doc.record.controls:
            control.plan = doc
            control.reports_to = control.reports_to or doc.record.reports_to
        for item in doc.record.measures + doc.record.events + doc.record.goals + doc.record.indicators:
            item.record = doc
    if kind == EVIDENCE:
        doc.type = "evidens"
        doc.entry = EvidenceInfo(
            kind=values.get("kind", ""), authors=values.get("authors", []), publisher=values.get("publisher"),
            year=values.get("year"), areas=values.get("areas", []), url=values.get("url"), file=values.get("file"),
            language=values.get("language"), doi=values.get("doi"), isbn=values.get("isbn"),
            keywords=values.get("keywords", []))


def _document_rules(doc: Document, values: dict, checker: _Checker, ctx: Context, meta: dict) -> None:
    source = doc.source
    if doc.type in ctx.settings.legal_basis_required_for and not meta.get("legal_basis"):
        checker.errors += 1
        source.problems.append(source.problem(
            "invalid-missing-field",
            f"Fältet ”legal_basis” (lagrum) saknas: en {doc.type} ska ange vilka lagar och föreskrifter den vilar på, "
            "t.ex. ”SOSFS 2011:9 4 kap. 4 §”.", key="legal_basis",
            line=source.line_of("legal_basis") or source.body_line - 1))
    if doc.activities is not None and doc.type != "process":
        checker.warn("activities", f"Fältet ”activities” används bara i processer (det här är en {doc.type}).",
                     "unknown-key")
    _decision_rules(doc, checker, ctx, meta)
    _date_rules(doc, values, ctx)


_DECISION_FIELDS = {"approved_by": "”approved_by” (vem som fastställde det)", "approved": "”approved” (beslutsdatum)"}


def _decision_rules(doc: Document, checker: _Checker, ctx: Context, meta: dict) -> None:
    """Who may adopt the document (the roles registry's `decisions:`) and that a document in force is adopted."""
    source = doc.source
    allowed = ctx.decisions.get(doc.type or "")
    if (allowed and doc.approved_by and doc.status != STATUS_REPEALED and doc.approved_by not in allowed
            and ctx.roles.find(doc.approved_by) is not None):  # an unknown body is already reported
        checker.warn("approved_by", f"Fältet ”approved_by”: en {doc.type} fastställs av {listing(allowed, 'eller')}, "
                                    f"inte av {doc.approved_by}.", "approver-not-allowed")
    if doc.status != STATUS_CURRENT:
        return
    missing = [name for name in _DECISION_FIELDS if meta.get(name) in (None, "", [])]
    if not missing:
        return
    message = (f"Dokumentet är gällande men saknar uppgift om beslut: fyll i "
               f"{' och '.join(_DECISION_FIELDS[name] for name in missing)}.")
    line = source.line_of("approved_by") or source.line_of("approved") or source.body_line - 1
    if ctx.settings.require_decision:
        source.problems.append(source.problem(
            "decision-required", message + " Handboken kräver att varje gällande dokument är fastställt "
                                           "(inställningen require_decision).",
            key=missing[0], line=line, severity=ERROR))
    else:
        source.problems.append(source.problem("missing-decision", message, key=missing[0], line=line,
                                              severity=WARNING))


_PAST_DATES = {"revised": "senast reviderad", "approved": "beslutsdatum", "followed_up": "senast uppföljd"}
_RECORD_PAST_DATES = {"performed": "genomförd", "approved": "beslutsdatum"}


def _record_rules(doc: Document, values: dict, ctx: Context) -> None:
    """What cannot be true of a record on the calendar: done in the future, a result before its period
    began, a measure completed in the future."""
    source, today, info = doc.source, ctx.today, doc.record
    assert info is not None
    for key, label in _RECORD_PAST_DATES.items():
        day = values.get(key)
        if day is not None and day > today:
            source.problems.append(source.problem(
                "date-conflict", f"Fältet ”{key}” ({label}) = {day} ligger efter dagens datum ({today}): det "
                                 "som redan har skett kan inte ha ett datum i framtiden.", key=key))
    if info.performed and info.period and info.performed < info.period.start:
        source.problems.append(source.problem(
            "date-conflict", f"Fältet ”performed” = {info.performed} ligger före perioden som posten gäller "
                             f"({info.period.label()}).", key="performed"))
    _goal_rules(doc, today)
    for measure in info.measures:
        if measure.completed is not None and measure.completed > today:
            source.problems.append(source.problem(
                "date-conflict", f"Fältet ”measures”, åtgärd ”{measure.id}”: ”completed” = {measure.completed} ligger "
                                 f"efter dagens datum ({today}); skriv in datumet när åtgärden är genomförd.",
                key="measures", index=measure.index))


def _goal_rules(doc: Document, today: dt.date) -> None:
    """Each indicator and each measure that names a goal under a goal of its plan (`goal:` only in a målplan),
    and no value measured before it could be."""
    source, info = doc.source, doc.record
    assert info is not None
    named = [m for m in info.measures if m.goal_ref is not None]
    if doc.type != "målplan":
        for measure in named:
            source.problems.append(source.problem(
                "unknown-key", f"Fältet ”measures”, åtgärd ”{measure.id}”: ”goal” används bara i en målplan; här "
                               "hör åtgärden till posten den står i.", key="measures", index=measure.index,
                severity=WARNING))
        named = []
    known = ", ".join(g.id for g in info.goals) or "inga"
    for item in goals.link(info.goals, info.indicators, named):
        key, noun = ("indicators", "indikatorn") if isinstance(item, Indicator) else ("measures", "åtgärd")
        source.problems.append(source.problem(
            "unknown-goal", f"Fältet ”{key}”, {noun} ”{item.id}”: ”goal” = ”{item.goal_ref}” är inget mål i planen "
                            f"(planens mål: {known}).", key=key, index=item.index))
    for indicator in info.indicators:
        for result in indicator.results:
            if result.date is not None and result.date > today:
                source.problems.append(source.problem(
                    "date-conflict", f"Fältet ”indicators”, indikatorn ”{indicator.id}”, perioden "
                                     f"{result.period_text}: ”date” = {result.date} ligger efter dagens datum "
                                     f"({today}).", key="indicators", index=indicator.index))
            elif result.period.start > today:
                source.problems.append(source.problem(
                    "date-conflict", f"Fältet ”indicators”, indikatorn ”{indicator.id}”: perioden "
                                     f"{result.period_text} har inte börjat ({result.period.start}), så den kan inte "
                                     "ha ett uppmätt värde.", key="indicators", index=indicator.index))
            elif result.date is not None and result.date < result.period.start:
                source.problems.append(source.problem(
                    "date-conflict", f"Fältet ”indicators”, indikatorn ”{indicator.id}”, perioden "
                                     f"{result.period_text}: ”date” = {result.date} ligger före periodens början "
                                     f"({result.period.start}).", key="indicators", index=indicator.index))


def _date_rules(doc: Document, values: dict, ctx: Context) -> None:
    """Dates that contradict the calendar or each other: what has happened cannot lie after today, and the
    next revision cannot be due on or before the last one. Reported, never blocking the build."""
    source, today = doc.source, ctx.today
    for key, label in _PAST_DATES.items():
        day = values.get(key)
        if day is not None and day > today:
            source.problems.append(source.problem(
                "date-conflict", f"Fältet ”{key}” ({label}) = {day} ligger efter dagens datum ({today}): det "
                                 "som redan har skett kan inte ha ett datum i framtiden.", key=key))
    for index, change in enumerate(doc.changes):
        if change.date > today:
            source.problems.append(source.problem(
                "date-conflict", f"Fältet ”changes”: ändringen {change.date} ligger efter dagens datum ({today}); "
                                 "skriv in ändringen när den är gjord.", key="changes", index=index))
    review_by, revised = values.get("review_by"), values.get("revised")
    if review_by is not None and revised is not None and review_by <= revised:
        when = "samma dag som" if review_by == revised else "före"
        source.problems.append(source.problem(
            "date-conflict", f"Fältet ”review_by” = {review_by} är {when} den senaste revisionen (”revised” = "
                             f"{revised}): nästa revision måste ligga efter den senaste.", key="review_by"))


def _resolve_legal(doc: Document, items: list, checker: _Checker, ctx: Context) -> None:
    source = doc.source
    on = doc.revised or ctx.today
    for text, index in items:
        try:
            citation = parse_citation(text)
        except CitationError as exc:
            checker.errors += 1
            source.problems.append(source.problem(
                "unknown-reference", f"Fältet ”legal_basis”: ”{text}” går inte att tolka ({exc}). Skriv t.ex. "
                                     "”SoL 14 kap. 2 §”, ”24 b § LSS” eller ”SOSFS 2011:9 4 kap. 3 §”.",
                key="legal_basis", index=index))
            continue
        act = ctx.laws.resolve(citation.act_text, on)
        if act is None:
            act = _uncatalogued(citation, text, index, checker, ctx)
            if act is None:
                continue
        doc.legal.append(LegalRef(citation, act))
        if doc.status == STATUS_CURRENT and act.is_repealed(ctx.today):
            source.problems.append(source.problem(
                "repealed-law", f"Fältet ”legal_basis”: ”{text}” hänvisar till en upphävd författning"
                                f"{_read_as(act, citation, doc)}: {ctx.laws.repeal_message(act)}. "
                                f"{_new_place(act, citation, ctx.laws)}Se över lagrummen.",
                key="legal_basis", index=index, severity=WARNING))


def _uncatalogued(citation, text: str, index: int, checker: _Checker, ctx: Context):
    """A well-formed number the registry lacks is a gap in the registry, reported as a warning so that
    publishing never stops over it; anything else (an unknown abbreviation) cannot be resolved at all."""
    source = checker.source
    number = well_formed_number(citation.act_text)
    if number is None or not 1700 <= number[1] <= ctx.today.year:
        checker.errors += 1
        source.problems.append(source.problem(
            "unknown-reference", f"Fältet ”legal_basis”: ”{citation.act_text}” i ”{text}” finns inte i "
                                 "lagrumsregistret. Kontrollera förkortningen eller SFS-numret, eller lägg till "
                                 "författningen i sajtens lagrumsregister.", key="legal_basis", index=index))
        return None
    source.problems.append(source.problem(
        "unknown-law", f"Fältet ”legal_basis”: {number[0]} i ”{text}” finns inte i lagrumsregistret, så "
                       "handboken kan inte visa titel och länk eller varna om den upphävs. Kontrollera numret och "
                       "lägg till författningen i sajtens lagrumsregister (inställningen laws_file, se "
                       "”Lagrumsregistret” i docs/administration.md).", key="legal_basis", index=index,
        severity=WARNING))
    return ctx.laws.uncatalogued(number[0])


def _new_place(act, citation, laws: LawRegistry) -> str:
    """'11 kap. 1 a § motsvaras av 20 kap. 2 § socialtjänstlagen (2025:400); skriv ”SoL 20 kap. 2 §”. '"""
    successor = laws.successor(act)
    if successor is None or not citation.section:
        return ""
    moved = laws.new_place_text(act, citation)
    if moved is None:
        return (f"Var {citation.location} finns i den nya författningen är inte känt för handboken; slå upp det i "
                f"{successor.definite}. ")
    text, write = moved
    return f"{text[:1].upper()}{text[1:]}" + (f"; skriv ”{write}”. " if write else ". ")


def _read_as(act, citation, doc: Document) -> str:
    if (re.search(r"\d{4}:\d+", citation.act_text) or not doc.revised or act.repealed is None
            or doc.revised >= act.repealed):
        return ""
    return f" (”{citation.act_text}” tolkas som {act.number} eftersom dokumentet senast reviderades {doc.revised})"
