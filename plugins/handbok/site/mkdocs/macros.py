"""Macros for authors (mkdocs-macros): the generated lists, inside any page.

    {{ handbok_dokument(enhet="barn-och-unga", typ="rutin") }}
    {{ handbok_ansvar("Enhetschef barn och unga") }}
    {{ handbok_lagrum("SoL 14 kap. 2 §") }}
    {{ handbok_revisionslage(enhet="barn-och-unga") }}
    {{ handbok_startsida(vanliga=["gemensamt/rutiner/avvikelsehantering.md", "lex-sarah"]) }}

With the macros plugin enabled, the handbok plugin runs each page's template code in its sandbox
(render.sandbox) with these macros. Each macro selects what to show from the handbook index, then
renders it with the site's templates (templates/macros/); the HTML replaces the call once the page
is converted, with links relative to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Protocol

from handbok.core import quality
from handbok.core.dates import DateError, coerce_date
from handbok.core.index import Handbook
from handbok.core.legal import CitationError, LegalRef, parse_citation, well_formed_number
from handbok.core.model import REPEALED, Document
from handbok.core.text import sv_key
from handbok.render import overviews
from handbok.render.links import Links
from handbok.render.overviews import PageContext, review_table
from handbok.render.templating import Templates


class MacroHost(Protocol):
    """What the macros use of the site plugin (HandbokPlugin): its public interface only."""

    @property
    def handbook(self) -> Handbook: ...  # loaded in on_files, before any page is rendered

    @property
    def template_set(self) -> Templates: ...  # set up in on_config

    def links_for(self, page_url: str) -> Links: ...

    def current_page_url(self) -> str: ...

    def unit_url(self, unit_id: str) -> str | None: ...

    def page_url(self, key: str) -> str | None: ...  # a generated page by its key in overviews.PAGES

    def evidence_url(self) -> str | None: ...


class MacroError(Exception):
    """A mistake in a macro call (an unknown unit, role or act); the message is Swedish."""


def _noted(method: Callable[..., str]) -> Callable[..., str]:
    """A macro whose MacroError becomes a note on the page instead of a failed build."""

    @functools.wraps(method)
    def call(self: HandbokMacros, *args, **kwargs) -> str:
        try:
            return method(self, *args, **kwargs)
        except MacroError as exc:
            return self.render("error.html", message=str(exc))

    return call


class HandbokMacros:
    """The macro functions, bound to the plugin's index and the page being rendered."""

    def __init__(self, plugin: MacroHost):
        self.plugin = plugin

    @property
    def book(self) -> Handbook:
        return self.plugin.handbook

    @property
    def templates(self) -> Templates:
        return self.plugin.template_set

    def links(self) -> Links:
        return self.plugin.links_for(self.plugin.current_page_url())

    def render(self, name: str, **data: object) -> str:
        """A template from templates/macros/ as a str (HTML: the sandbox keeps it out of the Markdown)."""
        return str(self.templates.render(f"macros/{name}", links=self.links(), **data))

    # --- selection: no HTML ----------------------------------------------------------------

    def select(self, enhet: str | None = None, typ: str | None = None, agare: str | None = None) -> list[Document]:
        """Documents in force (not repealed), by unit, type and/or owner, in title order."""
        book = self.book
        docs = [d for d in book.governed if d.state != REPEALED]
        if enhet:
            unit = book.units.find(enhet)
            if unit is None:
                raise MacroError(f"enheten ”{enhet}” finns inte i enhetsregistret")
            docs = [d for d in docs if d.unit and d.unit.id == unit.id]
        if typ:
            docs = [d for d in docs if d.type == typ]
        if agare:
            role = book.roles.find(agare)
            if role is None:
                raise MacroError(f"rollen ”{agare}” finns inte i rollregistret")
            docs = [d for d in docs if d.owner and d.owner.role_id == role.id]
        return sorted(docs, key=lambda d: sv_key(d.title))

    def duties(self, role_name: str) -> list[tuple[str, Document]]:
        """(duty, document) for every duty of a role in the responsibility tables in force."""
        return [(duty, doc) for doc in self.book.governed if doc.state != REPEALED
                for name, duties in doc.responsibilities if name == role_name for duty in duties]

    def legal_ref(self, text: object, datum: object = None) -> LegalRef:
        """What an author wrote, resolved in the law registry as of `datum` (default: now)."""
        try:
            citation = parse_citation(str(text))
        except CitationError as exc:
            raise MacroError(f"”{text}” går inte att tolka ({exc})") from None
        try:
            on = coerce_date(datum) if datum else None
        except DateError as exc:
            raise MacroError(f"datum: {exc}") from None
        act = self.book.laws.resolve(citation.act_text, on)
        if act is None:
            number = well_formed_number(citation.act_text)
            if number is None:
                raise MacroError(f"”{citation.act_text}” finns inte i lagrumsregistret")
            act = self.book.laws.uncatalogued(number[0])  # shown as written, as in a document's legal_basis
        return LegalRef(citation, act)

    # --- the macros ------------------------------------------------------------------------

    @_noted
    def handbok_dokument(self, enhet=None, typ=None, agare=None) -> str:
        """A list of documents, filtered by unit, type and/or owner."""
        return self.render("dokument.html", docs=self.select(enhet, typ, agare))

    @_noted
    def handbok_ansvar(self, roll) -> str:
        """Every duty of a role across all responsibility tables."""
        role = self.book.roles.find(roll)
        if role is None:
            raise MacroError(f"rollen ”{roll}” finns inte i rollregistret")
        return self.render("ansvar.html", role=role.name, rows=self.duties(role.name))

    @_noted
    def handbok_lagrum(self, text, datum=None) -> str:
        """A legal reference as a link to the official text; an abbreviation means the act in force
        on `datum` (ÅÅÅÅ-MM-DD), by default the one in force now."""
        return self.render("lagrum.html", ref=self.legal_ref(text, datum), today=self.book.today, laws=self.book.laws)

    @_noted
    def handbok_revisionslage(self, enhet=None, typ=None, agare=None) -> str:
        """The revision table for a selection of documents."""
        docs = self.book.in_review_order(self.select(enhet, typ, agare))
        ctx = PageContext(self.book, self.links(), self.plugin.unit_url, lambda key: "", templates=self.templates)
        return str(review_table(docs, ctx, "Revisionsläge"))

    # --- the start page ---------------------------------------------------------------------

    # In this order, those the site has; the quality-work pages only when the handbook has such records.
    FRONT_LINKS = ("year", "measures", "controls", "goals", "review", "mine", "evidence", "law", "apt", "news")
    NEWS_DAYS = 30

    def favourites(self, vanliga: object) -> list[tuple[Document | None, str]]:
        """(document or None when unknown, what the author wrote) for each entry of `vanliga`:
        document ids or paths relative to the docs dir."""
        refs = [vanliga] if isinstance(vanliga, str) else vanliga
        if not isinstance(refs, list | tuple) or not all(isinstance(ref, str) for ref in refs):
            raise MacroError("vanliga ska vara en lista med dokumentens id eller sökvägar, "
                             "till exempel vanliga=[\"gemensamt/rutiner/avvikelsehantering.md\"]")
        return [(self.book.resolve(ref, ""), ref) for ref in refs]

    def front_links(self) -> list[dict[str, str]]:
        """The pages the start page points to: {url, title, description}, only those the site has."""
        titles = {p.key: (p.title, p.description) for p in overviews.PAGES}
        titles["evidence"] = ("Evidensbibliotek", "Kunskapsstöd, nationella riktlinjer och rapporter som "
                                                  "rutinerna bygger på.")
        found = []
        has = {"year": bool(quality.all_events(self.book)), "measures": bool(quality.all_measures(self.book)),
               "controls": bool(quality.all_controls(self.book)),
               "goals": any(d.type == "målplan" for d in self.book.records)}
        for key in self.FRONT_LINKS:
            if not has.get(key, True):
                continue
            url = self.plugin.evidence_url() if key == "evidence" else self.plugin.page_url(key)
            if url is not None and key in titles:
                title, description = titles[key]
                found.append({"key": key, "url": url, "title": title, "description": description})
        return found

    @_noted
    def handbok_startsida(self, vanliga=None, arshjul=None) -> str:
        """The start page as a front door: revision status, what changed lately (for the reader's unit),
        the routines most used, the units and the overview pages; `arshjul` names the document that holds
        the year's cycle (the plan for the quality work), linked first among the overview pages."""
        book = self.book
        favourites = self.favourites(vanliga) if vanliga is not None else None
        if arshjul is not None and not isinstance(arshjul, str):
            raise MacroError("arshjul ska vara ett dokuments id eller sökväg, "
                             "till exempel arshjul=\"ledningssystem/plan-kvalitetsarbete-2027.md\"")
        year_plan = (self.book.resolve(arshjul, ""), arshjul) if arshjul is not None else None
        since = book.today - dt.timedelta(days=self.NEWS_DAYS)
        return self.render("startsida.html", **overviews.status_tiles(book, book.library),
                           units=overviews.unit_summaries(book, self.plugin.unit_url),
                           news=overviews.recent_changes(book, since), since=since, news_days=self.NEWS_DAYS,
                           favourites=favourites, referred=overviews.most_referred(book) if favourites is None else [],
                           pages=self.front_links(), year_plan=year_plan, today=book.today,
                           year_page=bool(quality.all_events(book)))

    def functions(self) -> dict[str, Callable[..., str]]:
        return {
            "handbok_dokument": self.handbok_dokument,
            "handbok_ansvar": self.handbok_ansvar,
            "handbok_lagrum": self.handbok_lagrum,
            "handbok_revisionslage": self.handbok_revisionslage,
            "handbok_startsida": self.handbok_startsida,
        }


def make(plugin: MacroHost) -> dict[str, Callable[..., str]]:
    """The macro functions (name -> callable) that the plugin's sandbox offers to pages."""
    return HandbokMacros(plugin).functions()
