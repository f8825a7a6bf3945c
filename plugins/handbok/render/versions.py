"""The version history as HTML: the table on a governed page, the page of changes between versions,
and the head of a superseded version's own page (which the archive copy shares).

The versions come from handbok.core.versions, the word diff from handbok.core.textdiff; this module
only arranges them for the templates in templates/versions/. Addresses are given by the caller (the
site adapter knows the pages, the archive command has none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from handbok.core import textdiff
from handbok.core.model import Document
from handbok.core.versions import DocumentHistory, Edit, Version, field_changes, value_text
from handbok.render.links import Links
from handbok.render.templating import Fragment, Heading, Templates

VersionHref = Callable[[Version], "str | None"]  # a superseded version -> the link to its page


@dataclass(frozen=True)
class Change:
    """What changed from one adopted version to the next."""

    old: Version
    new: Version
    fields: list[tuple[str, str, str]]
    diff: textdiff.TextDiff | None  # None when a version's text is withheld

    @property
    def withheld(self) -> bool:
        return self.diff is None


def change(old: Version, new: Version) -> Change:
    diff = None if old.withheld or new.withheld else textdiff.diff(old.source.body, new.source.body)
    return Change(old, new, field_changes(old, new), diff)


def anchor(version: Version) -> str:
    """The anchor of a version's section on the page of changes."""
    return "version-" + "".join(c if c.isalnum() else "-" for c in version.label)


def rows(history: DocumentHistory, href: VersionHref = lambda version: None) -> list[dict]:
    """The adopted versions newest first, as the versions table (and `handbok versioner`) shows them."""
    current = history.current
    return [{"label": v.label, "date": v.date, "approved_by": v.text("approved_by"),
             "diarienummer": v.text("diarienummer"), "note": v.note, "current": v is current,
             "href": href(v)} for v in reversed(history.versions)]


@dataclass(frozen=True)
class _ListedEdit:
    date: dt.date
    message: str
    author: str
    after: str | None  # the label of the version it came after


def _edits(history: DocumentHistory) -> list[_ListedEdit]:
    def listed(edit: Edit, after: str | None) -> _ListedEdit:
        return _ListedEdit(edit.date, edit.message, edit.author, after)

    edits = [listed(e, None) for e in history.edits_before]
    edits += [listed(e, v.label) for v in history.versions for e in v.edits]
    return list(reversed(edits))


def section(templates: Templates, links: Links, history: DocumentHistory, href: VersionHref,
            history_href: str | None, authors: bool) -> Fragment | None:
    """The "Versioner" part of a governed page."""
    if not history.versions:
        return None
    return templates.fragment("versions/section.html", Heading(2, "Versioner", "handbok-versioner"), links=links,
                              rows=rows(history, href), edits=_edits(history), history_href=history_href,
                              authors=authors)


def history_page(templates: Templates, links: Links, doc: Document, history: DocumentHistory, href: VersionHref,
                 authors: bool) -> list[Fragment | None]:
    """The page of changes: the versions, then each adopted version against the one before, newest first."""
    parts: list[Fragment | None] = [templates.fragment(
        "versions/history_intro.html", links=links, doc=doc, rows=rows(history, href), edits=_edits(history),
        authors=authors)]
    for old, new in history.pairs():
        heading = Heading(2, f"Version {new.label} jämfört med version {old.label}", anchor(new))
        parts.append(templates.fragment("versions/changes.html", heading, links=links, change=change(old, new)))
    return parts


def metadata_rows(doc: Document, version: Version, ended: dt.date | None) -> list[tuple[str, object, bool]]:
    """(label, value, is a date) of one version, for its page and its archive copy."""
    meta = version.meta
    found: list[tuple[str, object, bool]] = [
        ("Version", version.label, False),
        ("Dokumenttyp", version.type_label(doc.type), False),
        ("Dokumentägare", value_text(meta.get("owner")), False),
        ("Beslutad av", version.text("approved_by"), False),
        ("Beslutsdatum", version.approved, True),
        ("Diarienummer", version.text("diarienummer"), False),
        ("Paragraf", version.text("paragraf"), False),
        ("Senast reviderad", version.date, True),
        ("Gällde till", ended, True),
        ("Lagrum", value_text(meta.get("legal_basis")), False),
        ("Ändring", version.note, False),
    ]
    return [row for row in found if row[1]]


def until(history: DocumentHistory, version: Version) -> dt.date | None:
    """The day a version stopped applying: the next version's date, or the repeal."""
    later = [v for v in history.versions if v.number > version.number]
    return later[0].date if later else history.repealed


def version_top(templates: Templates, links: Links, doc: Document, history: DocumentHistory, version: Version,
                current_href: str | None, history_href: str | None) -> Fragment | None:
    """The banner "Upphävd version – gäller inte" and the version's metadata."""
    end = until(history, version)
    return templates.fragment("versions/version_top.html", links=links, version=version, title=doc.title,
                              until=end, superseded=version is not history.current, repealed=history.repealed,
                              current_href=current_href, history_href=history_href,
                              rows=metadata_rows(doc, version, end))
