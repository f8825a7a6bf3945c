"""What the site search knows of a page beyond its text: search terms, filters and result facts.

The search engine indexes the built HTML (handbok.search): the page's own text, and a hidden
block of terms that render.search puts at the end of it. That block holds

- the document's facts staff search by: owner, unit, type, who adopted it, the lagrum as written,
  keywords, diarienummer, id, and a knowledge base entry's authors and publisher (the panel that
  shows them is left out of the index, so that the snippets under a result show the document's own
  text, not the same labels on every page);
- the synonyms of the words in its title, keywords and description (core.synonyms), so that
  "försörjningsstöd" finds "Ekonomiskt bistånd" and "orosanmälningar" finds "Orosanmälan";
- the parts of the compounds in its title ("oro anmälan"), so that "anmälan" finds it too.

Filters (the names are shown beside the results): unit, document type, status at build time
and owner. A generated overview page is indexed by its name only (see PageScope).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from handbok.core import doctypes
from handbok.core.model import REPEALED, STATE_LABELS, Document
from handbok.core.synonyms import Synonyms

# The filters, in the order they are shown; the names are the labels staff see.
FILTER_UNIT = "Enhet"
FILTER_TYPE = "Dokumenttyp"
FILTER_STATUS = "Status"
FILTER_OWNER = "Ägare"
FILTERS = (FILTER_UNIT, FILTER_TYPE, FILTER_STATUS, FILTER_OWNER)
# Marks where a page's own text ends and the search terms begin, in the text the engine keeps
# for snippets: the browser cuts the snippet there (assets/handbok-search.js). A punctuation
# character, so that it is never indexed as a word, and one no Swedish text uses.
TERMS_MARK = "\u2042"  # ⁂
# How much a word in the terms counts against one in the text (the engine's weight scale,
# 1 = running text, 7 = a title): a synonym of the title should rank almost like the title.
TERMS_WEIGHT = 3.0
# A record (a control result, a compiled list of deviations) ranks below the routine it follows.
RECORD_WEIGHT = 0.6
# A knowledge base entry ranks just below a routine on the same subject: staff look for what to do.
EVIDENCE_WEIGHT = 0.8
# An overview page is short (only its name is indexed), and the engine favours short pages: its
# title and names count for less than a document's, or "försörjningsstöd" would find every page
# with "ekonomiskt bistånd" in its name before the routines.
NAME_TITLE_WEIGHT = 3.0
NAME_TERMS_WEIGHT = 1.0


class PageScope(enum.Enum):
    """How much of a page the search indexes."""

    PAGE = "page"  # the page's text and its terms
    NAME = "name"  # the title and its terms only: overview pages, whose long lists only bury real hits
    NONE = "none"  # nothing: repealed documents, superseded versions, the search's own pages


@dataclass(frozen=True)
class SearchEntry:
    terms: list[str] = field(default_factory=list)  # words and phrases, indexed but never shown
    filters: list[tuple[str, str]] = field(default_factory=list)  # (filter name, value)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (key, value) shown with the result
    weight: float | None = None  # the text's weight, when not that of running text
    terms_weight: float = TERMS_WEIGHT


def _named(doc: Document) -> str:
    """The words a document is known by: its title, keywords and description."""
    return " ".join([doc.title, *doc.tags, doc.description or ""])


def derived_terms(text: str, synonyms: Synonyms) -> list[str]:
    """The synonyms of, and the compound parts in, a text (its own words excluded)."""
    out = synonyms.expansions(text)
    out.extend(p for p in synonyms.compound_parts(text) if p not in out)
    return out


def status_label(doc: Document) -> str | None:
    return STATE_LABELS.get(doc.state) if doc.state else None


def document_entry(doc: Document, synonyms: Synonyms) -> SearchEntry:
    type_label = doctypes.label(doc.type) if doc.type else None
    unit = doc.unit.name if doc.unit else None
    owner = doc.owner.role if doc.owner else None
    status = status_label(doc)
    entry = doc.entry
    terms = [
        owner, type_label, unit, doc.approved_by,
        # A knowledge base entry: who wrote it, who published it, its keywords.
        *(entry.authors if entry else []), entry.publisher if entry else None, *(entry.keywords if entry else []),
        *(ref.raw for ref in doc.legal), *(ref.display for ref in doc.legal if ref.display != ref.raw),
        *doc.tags, doc.diarienummer, doc.doc_id,
        *derived_terms(_named(doc), synonyms),
    ]
    facts = [("typ", type_label), ("enhet", unit), ("status", None if doc.is_evidence else status)]
    filters = [(FILTER_UNIT, unit), (FILTER_TYPE, type_label),
               (FILTER_STATUS, None if doc.state == REPEALED else status), (FILTER_OWNER, owner)]
    return SearchEntry(terms=list(dict.fromkeys(t for t in terms if t)), filters=_given(filters),
                       facts=_given(facts), weight=text_weight(doc))


def _given(pairs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """The (name, value) pairs that have a value."""
    return [(name, value) for name, value in pairs if value]


def text_weight(doc: Document) -> float | None:
    """How much the words of a page's text count against a routine's (None: as much)."""
    return RECORD_WEIGHT if doc.is_record else EVIDENCE_WEIGHT if doc.is_evidence else None


def page_entry(title: str, synonyms: Synonyms, names: tuple[str, ...] = ()) -> SearchEntry:
    """An overview page: found by its name, other names for it and their synonyms."""
    text = " ".join([title, *names])
    return SearchEntry(terms=[*names, *(t for t in derived_terms(text, synonyms) if t not in names)],
                       facts=[("typ", "Översikt"), *([("beskrivning", names[0])] if names else [])],
                       terms_weight=NAME_TERMS_WEIGHT)


def document_scope(doc: Document | None) -> PageScope:
    if doc is not None and doc.state == REPEALED:  # reachable from the archive, not from the search
        return PageScope.NONE
    return PageScope.PAGE
