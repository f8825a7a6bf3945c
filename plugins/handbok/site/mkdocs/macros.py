"""Macros for authors (mkdocs-macros): the generated lists, inside any page.

    {{ handbok_dokument(enhet="barn-och-unga", typ="rutin") }}
    {{ handbok_ansvar("Enhetschef barn och unga") }}
    {{ handbok_lagrum("SoL 14 kap. 2 §") }}
    {{ handbok_revisionslage(enhet="barn-och-unga") }}

The handbok plugin registers them when the macros plugin is enabled. Output is HTML
built from escaped values; links are relative to the page being rendered.
"""

from __future__ import annotations

from handbok.core.dates import DateError, coerce_date
from handbok.render.links import Links, esc
from handbok.core.legal import CitationError, LegalRef, parse_citation
from handbok.core.model import REPEALED
from handbok.render.overviews import PageContext, review_table
from handbok.core import doctypes
from handbok.core.text import sv_key


def _error(text: str) -> str:
    return f'<span class="handbok-macro-error" role="note"><strong>Makrofel:</strong> {esc(text)}</span>'


def make(plugin) -> dict:
    """The macro functions, bound to the plugin's index and the page being rendered."""

    def links() -> Links:
        return plugin.links_for(plugin.current_page_url())

    def select(enhet=None, typ=None, agare=None):
        book = plugin.book
        docs = [d for d in book.governed if d.state != REPEALED]
        if enhet:
            unit = book.units.find(enhet)
            if unit is None:
                return None, f"enheten ”{enhet}” finns inte i enhetsregistret"
            docs = [d for d in docs if d.unit and d.unit.id == unit.id]
        if typ:
            docs = [d for d in docs if d.type == typ]
        if agare:
            role = book.roles.find(agare)
            if role is None:
                return None, f"rollen ”{agare}” finns inte i rollregistret"
            docs = [d for d in docs if d.owner and d.owner.role_id == role.id]
        return sorted(docs, key=lambda d: sv_key(d.title)), None

    def handbok_dokument(enhet=None, typ=None, agare=None):
        """A list of documents, filtered by unit, type and/or owner."""
        docs, error = select(enhet, typ, agare)
        if error:
            return _error(error)
        if not docs:
            return "<p>Inga dokument.</p>"
        link = links()
        items = "".join(f'<li>{link.anchor(d)} <span class="handbok-muted">({esc(doctypes.label(d.type))})</span></li>'
                        for d in docs)
        return f'<ul class="handbok-doclist">{items}</ul>'

    def handbok_ansvar(roll):
        """Every duty of a role across all responsibility tables."""
        role = plugin.book.roles.find(roll)
        if role is None:
            return _error(f"rollen ”{roll}” finns inte i rollregistret")
        link = links()
        rows = [(duty, doc) for doc in plugin.book.governed if doc.state != REPEALED
                for name, duties in doc.responsibilities if name == role.name for duty in duties]
        if not rows:
            return f"<p>{esc(role.name)} har inga ansvar i handbokens ansvarsfördelningar.</p>"
        items = "".join(f"<li>{esc(duty)} ({link.anchor(doc)})</li>" for duty, doc in rows)
        return f"<ul>{items}</ul>"

    def handbok_lagrum(text, datum=None):
        """A legal reference as a link to the official text; an abbreviation means the act in force
        on `datum` (ÅÅÅÅ-MM-DD), by default the one in force now."""
        try:
            citation = parse_citation(str(text))
        except CitationError as exc:
            return _error(f"”{text}” går inte att tolka ({exc})")
        try:
            on = coerce_date(datum) if datum else None
        except DateError as exc:
            return _error(f"datum: {exc}")
        act = plugin.book.laws.resolve(citation.act_text, on)
        if act is None:
            return _error(f"”{citation.act_text}” finns inte i lagrumsregistret")
        return plugin.document_parts(plugin.current_page_url()).legal_link(LegalRef(citation, act))

    def handbok_revisionslage(enhet=None, typ=None, agare=None):
        """The revision table for a selection of documents."""
        docs, error = select(enhet, typ, agare)
        if error:
            return _error(error)
        ctx = PageContext(plugin.book, links(), plugin.unit_url, lambda key: "")
        return review_table(plugin.book.in_review_order(docs), ctx, "Revisionsläge")

    return {
        "handbok_dokument": handbok_dokument,
        "handbok_ansvar": handbok_ansvar,
        "handbok_lagrum": handbok_lagrum,
        "handbok_revisionslage": handbok_revisionslage,
    }
