"""What a governed page shows around its own text: banner, metadata panel, process map,
responsibility table, back-links, knowledge base and change log.

Each part is a Fragment rendered from a template in templates/document/; the site adapter
puts them before and after the author's text and adds their headings to the table of contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from handbok.core import doctypes, search
from handbok.core.index import Handbook
from handbok.core.legal import LegalRef
from handbok.core.model import CURRENT, DRAFT, DUE_SOON, OVERDUE, REPEALED, Document
from handbok.core.text import days, due_in, paragraphs, review_verbs
from handbok.render import records
from handbok.render import search as render_search
from handbok.render.links import Links, human_size
from handbok.render.templating import Fragment, Heading, Templates, default_templates

UnitUrl = Callable[[str], "str | None"]  # unit id -> site-relative URL of its start page
BANNER_STATES = (OVERDUE, DUE_SOON, DRAFT, REPEALED)
CHANGE_LOG_ANCHOR = "handbok-andringslogg"
# The author's own first heading, where a page body begins with one: our parts go after it.
LEADING_H1 = re.compile(r"\A\s*<h1[^>]*>.*?</h1>", re.DOTALL)


def evidence_label(entry: Document) -> str:
    """'Socialstyrelsen 2018' – who and when, for citations and lists."""
    info = entry.entry
    if info is None:  # not an evidence entry
        return entry.title
    who = (info.authors[0].split(",")[0] if info.authors else info.publisher) or ""
    if len(info.authors) > 1:
        who += " m.fl."
    return f"{who} {info.year or ''}".strip()


def _attachment(doc: Document, book: Handbook, links: Links) -> dict | None:
    info = doc.entry
    if not info or not info.file:
        return None
    path = book.docs_dir / info.file
    return {"href": links.site(info.file), "name": Path(info.file).name,
            "kind": Path(info.file).suffix.lstrip(".").upper() or "fil",
            "size": human_size(path.stat().st_size) if path.is_file() else "saknas"}


def day_phrase(days_left: int) -> str:
    """How far away a date is, as handbok.js writes it: 'om 5 dagar', 'i dag', '3 dagar sedan'."""
    return f"{days(-days_left)} sedan" if days_left < 0 else due_in(days_left)


class DocumentParts:
    """The parts of one governed page, rendered with the site's templates."""

    def __init__(self, book: Handbook, links: Links, unit_url: UnitUrl | None = None,
                 templates: Templates | None = None):
        self.book = book
        self.links = links
        self.unit_url = unit_url
        self.templates = templates or default_templates()

    def _render(self, name: str, heading: Heading | None = None, **context) -> Fragment | None:
        return self.templates.fragment(name, heading, links=self.links, **context)

    def banner(self, doc: Document) -> Fragment | None:
        """The status banner; nothing for a current document (the panel then says 'current')."""
        if doc.state not in BANNER_STATES:  # most documents: skip the template altogether
            return None
        verb, done = review_verbs(doc.is_evidence)
        return self._render("document/banner.html", doc=doc, state=doc.state, verb=verb, done=done)

    def panel(self, doc: Document) -> Fragment | None:
        """The document header: a summary line (status, owner, next review, unit) and the rest folded."""
        summary = [row for row in self._summary_rows(doc) if row[2]]
        rows = [row for row in self._panel_rows(doc) if row[2]]  # a row only for what the document has
        return self._render("document/panel.html", doc=doc, state=doc.state or CURRENT, summary=summary, rows=rows,
                            today=self.book.today, laws=self.book.laws, warn_days=self.book.settings.due_soon_days)

    def _units(self, units: list) -> list[tuple]:
        return [(unit, self.unit_url(unit.id) if self.unit_url else None) for unit in units]

    @staticmethod
    def _review(doc: Document) -> dict | None:
        """The next review with its day phrase ('om 113 dagar'); no phrase where the date never counts."""
        if doc.next_review is None or doc.state == REPEALED:
            return None
        phrase = None
        if doc.days_left is not None and doc.state != DRAFT:
            phrase = day_phrase(doc.days_left)
        return {"date": doc.next_review, "phrase": phrase}

    def _summary_rows(self, doc: Document) -> list[tuple[str, str, object, bool]]:
        """(label, kind, value, searchable) of the summary line after the status pill."""
        if doc.is_record:
            return records.record_summary_rows(doc, self._units([doc.unit] if doc.unit else []))
        info = doc.entry
        if doc.is_evidence and info is not None:
            return [
                ("Ansvarig", "owner", doc.owner, True),
                ("Nästa granskning", "review", self._review(doc), False),
                ("Slag", "text", info.kind, True),
            ]
        return [
            ("Dokumentägare", "owner", doc.owner, True),
            ("Nästa revision", "review", self._review(doc), False),
            ("Enhet", "units", self._units([doc.unit] if doc.unit else []), True),
        ]

    def _panel_rows(self, doc: Document) -> list[tuple[str, str, object, bool]]:
        """(label, kind, value, searchable) folded under "Mer om dokumentet"; the template renders each kind.

        The status is the pill of the summary line (and the banner for drafts and repealed documents)."""
        info = doc.entry
        email = doc.owner.email if doc.owner else None
        if doc.is_record and doc.record is not None:
            return records.record_panel_rows(doc, self.links)
        if doc.is_evidence and info is not None:
            return [
                ("Författare", "text", "; ".join(info.authors), True),
                ("Utgivare", "text", info.publisher, True),
                ("År", "text", info.year, True),
                ("Verksamhetsområden", "units", self._units(info.areas), True),
                ("Länk", "url", info.url, True),
                ("Bifogad fil", "attachment", _attachment(doc, self.book, self.links), True),
                ("DOI", "text", info.doi, True),
                ("ISBN", "text", info.isbn, True),
                ("Språk", "text", info.language, True),
                ("Nyckelord", "text", ", ".join(info.keywords), True),
                ("E-post till ansvarig", "email", email, True),
                ("Senast granskad", "date", doc.revised, False),
            ]
        return [
            ("Dokumenttyp", "text", doctypes.label(doc.type), True),
            ("E-post till dokumentägaren", "email", email, True),
            ("Beslutad av", "text", doc.approved_by, True),
            ("Beslutsdatum", "date", doc.approved, False),
            ("Diarienummer", "text", doc.diarienummer, True),
            ("Paragraf", "text", doc.paragraf, True),
            ("Senast reviderad", "date", doc.revised, False),
            ("Revideras", "text", doc.review_interval, False),
            ("Följs upp", "follow_up", (doc.follow_up_interval, doc.next_follow_up) if doc.follow_up_interval else None,
             False),
            ("Senast uppföljd", "date", doc.followed_up, False),
            ("Lagrum", "legal", doc.legal, True),
            ("Kunskapsunderlag", "docs", doc.evidence, False),
            ("Relaterade dokument", "docs", doc.related, False),
            ("Nyckelord", "text", ", ".join(doc.tags), True),
        ]

    def process_map(self, doc: Document) -> Fragment | None:
        """The activities of a process in order, each linked to the routine that says how."""
        if doc.type != "process" or not doc.activities:
            return None
        return self._render("document/process_map.html", Heading(2, "Processens aktiviteter", "handbok-aktiviteter"),
                            doc=doc)

    def responsibilities(self, doc: Document) -> Fragment | None:
        if not doc.responsibilities:
            return None
        heading = Heading(2, "Ansvarsfördelning", "handbok-ansvar")
        return self._render("document/responsibilities.html", heading, doc=doc)

    def doc_list(self, heading: Heading, docs: list[Document], with_type: bool = True) -> Fragment | None:
        if not docs:
            return None
        return self._render("document/doclist.html", heading, docs=docs, with_type=with_type)

    def knowledge_base(self, doc: Document) -> Fragment | None:
        if not doc.evidence:
            return None
        return self._render("document/knowledge_base.html",
                            Heading(2, "Kunskapsunderlag", "handbok-kunskapsunderlag"), doc=doc)

    def change_log(self, doc: Document) -> Fragment | None:
        if not doc.changes:
            return None
        changes = [{"date": c.date, "paragraphs": paragraphs(c.note)}
                   for c in sorted(doc.changes, key=lambda c: c.date, reverse=True)]
        return self._render("document/change_log.html", Heading(2, "Ändringslogg", CHANGE_LOG_ANCHOR),
                            changes=changes)

    def around(self, doc: Document) -> tuple[list[Fragment | None], list[Fragment | None]]:
        """What goes before the author's text (banner, panel, process map) and after it."""
        top, bottom = records.record_around(self, doc) if doc.is_record else self._around(doc)
        return top, [*bottom, self.search_terms(doc)]

    def _around(self, doc: Document) -> tuple[list[Fragment | None], list[Fragment | None]]:
        top = [self.banner(doc), self.panel(doc), self.process_map(doc)]
        backlinks = "Citeras av" if doc.is_evidence else "Dokument som hänvisar hit"
        bottom = [
            self.responsibilities(doc),
            self.doc_list(Heading(2, "Ingår i process", "handbok-processer"), doc.processes, with_type=False),
            self.knowledge_base(doc),
            self.doc_list(Heading(2, backlinks, "handbok-hanvisningar"), doc.backlinks),
            self.change_log(doc),
        ]
        return top, bottom

    def search_terms(self, doc: Document) -> Fragment | None:
        """The hidden terms, filters and facts the site search reads (core.search), when it is on."""
        if not self.book.settings.search or search.document_scope(doc) is search.PageScope.NONE:
            return None
        return render_search.terms(self.templates, search.document_entry(doc, self.book.synonyms))

    def legal_link(self, ref: LegalRef) -> Markup:
        """'SoL 14 kap. 2 §' linked to the official text, with a note when the act is repealed."""
        return self.templates.render("legal.html", ref=ref, today=self.book.today, laws=self.book.laws)

    def citation(self, entry: Document, href: str | None) -> str:
        return str(self.templates.render("citation.html", entry=entry, href=href, label=evidence_label(entry)))


_CITE = re.compile(r"\[@([a-z0-9][a-z0-9._-]*)\]")
_FENCE = re.compile(r"^\s*(```|~~~)")


def link_citations(markdown: str, parts: DocumentParts) -> str:
    """[@id] in the text becomes a link to the evidence entry: '(Socialstyrelsen 2018)'."""
    if "[@" not in markdown:
        return markdown
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and "[@" in line:
            def repl(match):
                entry = parts.book.by_key.get(match.group(1))  # ids are indexed: no scan of all documents per page
                if entry is None or not entry.is_evidence:
                    return match.group(0)
                return parts.citation(entry, parts.links.doc(entry.path))
            line = _CITE.sub(repl, line)
        out.append(line)
    return "\n".join(out)
