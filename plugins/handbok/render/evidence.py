"""The evidence library's overview pages: the start page and one page per area.

The MkDocs adapter calls pages(book) and adds each page as a virtual file in the evidence
folder. Builders return Fragments rendered from the templates in templates/evidence/; this
module only works out what they show (groupings, order, links).

The start page's list is one fragment (its area and kind headings are not in the table of
contents) because the filter script hides a whole area or kind group, heading included, when
none of its entries match.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from handbok.core.index import Handbook
from handbok.core.model import OVERDUE, REPEALED, Document, EvidenceInfo, Unit
from handbok.core.text import slugify, sv_key, unique_slugs
from handbok.render.overviews import PageContext, units_of
from handbok.render.templating import Fragment, Heading

LIST_ID = "handbok-evidens"
NO_AREA = Unit("", "Inget verksamhetsområde angivet")

Builder = Callable[[PageContext], list[Fragment | None]]


# --- what the templates are given ----------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One entry in a list; area, kind and year are the values the filter script matches."""

    doc: Document
    facts: list[str]  # who, year, kind: shown after the title
    area: str
    kind: str
    year: str
    file_kind: str | None  # 'PDF' when the entry has a file attached
    overdue: bool


@dataclass(frozen=True)
class Count:
    label: str
    n: int
    href: str | None = None


@dataclass(frozen=True)
class KindGroup:
    label: str
    anchor: str
    items: list[Item]


@dataclass(frozen=True)
class AreaSection:
    name: str
    anchor: str
    href: str | None  # the area's own page
    has_page: bool  # every area but NO_AREA has one
    groups: list[KindGroup]


# --- grouping -------------------------------------------------------------------------------------

def _info(entry: Document) -> EvidenceInfo:
    assert entry.entry is not None, entry.path  # validation gives every evidence document its entry
    return entry.entry


def _newest_first(entries: list[Document]) -> list[Document]:
    return sorted(entries, key=lambda e: (-(_info(e).year or 0), sv_key(e.title)))


def _kind_label(kind: str) -> str:
    return kind[:1].upper() + kind[1:] if kind else "Slag saknas"


def _kind_of(entry: Document) -> str:
    return _info(entry).kind or ""


def _kinds(book: Handbook, entries: list[Document]) -> list[str]:
    """Kinds in the configured order, then any others (from invalid entries) alphabetically."""
    used = {_kind_of(e) for e in entries}
    known = [k for k in book.settings.evidence_kinds if k in used]
    return known + sorted(used - set(known), key=sv_key)


def _of_kind(entries: list[Document], kind: str) -> list[Document]:
    return [e for e in entries if _kind_of(e) == kind]


def _areas(book: Handbook) -> list[tuple[Unit, list[Document]]]:
    """Every area that has entries, in registry order, with its entries (an entry may be in several)."""
    members: dict[str, list[Document]] = defaultdict(list)
    names: dict[str, Unit] = {}
    for entry in book.evidence:
        for area in _info(entry).areas or [NO_AREA]:
            members[area.id].append(entry)
            names.setdefault(area.id, area)
    order = [unit_id for unit_id, _, _ in units_of(book)]
    ids = [i for i in order if i in members] + sorted((i for i in members if i not in order),
                                                      key=lambda i: (i == "", sv_key(names[i].name)))
    return [(names[i], members[i]) for i in ids]


def _area_pages(book: Handbook) -> dict[str, str]:
    """Area id -> page path relative to the evidence folder. Ids are slugified (without a unit
    registry an id is whatever the author wrote) and made unique."""
    slugs = unique_slugs([area.id for area, _ in book.once(_areas) if area.id], reserved=())
    return {area_id: f"omraden/{slug}.md" for area_id, slug in slugs.items()}


def _in_evidence_dir(book: Handbook, path: str) -> str:
    return posixpath.join(book.settings.evidence_dir.strip("/"), path)


def _area_href(ctx: PageContext, area: Unit) -> str | None:
    path = ctx.book.once(_area_pages).get(area.id)
    return ctx.links.doc(_in_evidence_dir(ctx.book, path)) if path else None


def _who(entry: Document) -> str:
    info = _info(entry)
    authors = "; ".join(info.authors)
    if info.publisher and info.publisher not in info.authors:
        return f"{authors} ({info.publisher})" if authors else info.publisher
    return authors


def _file_kind(entry: Document) -> str | None:
    file = _info(entry).file
    if not file:
        return None
    return posixpath.splitext(file)[1].lstrip(".").upper() or "fil"


def _item(entry: Document, area: Unit) -> Item:
    info = _info(entry)
    facts = [_who(entry), str(info.year or "år saknas"), info.kind or ""]
    return Item(doc=entry, facts=[f for f in facts if f], area=area.name, kind=info.kind or "",
                year=str(info.year or ""), file_kind=_file_kind(entry), overdue=entry.state == OVERDUE)


def _items(entries: list[Document], area: Unit) -> list[Item]:
    return [_item(e, area) for e in _newest_first(entries)]


def _kind_counts(book: Handbook, entries: list[Document]) -> list[Count]:
    return [Count(_kind_label(k), len(_of_kind(entries, k))) for k in _kinds(book, entries)]


def _kind_anchor(kind: str) -> str:
    return slugify(kind or "slag-saknas")


def _section(ctx: PageContext, area: Unit, members: list[Document]) -> AreaSection:
    anchor = f"omrade-{slugify(area.id or area.name)}"
    groups = [KindGroup(_kind_label(kind), f"{anchor}-{_kind_anchor(kind)}", _items(_of_kind(members, kind), area))
              for kind in _kinds(ctx.book, members)]
    return AreaSection(area.name, anchor, _area_href(ctx, area), bool(area.id), groups)


def _render(ctx: PageContext, name: str, heading: Heading | None = None, **data: object) -> Fragment | None:
    return ctx.templates.fragment(f"evidence/{name}", heading, links=ctx.links, **data)


# --- the start page ----------------------------------------------------------------------------

def build_index(ctx: PageContext) -> list[Fragment | None]:
    book = ctx.book
    entries = book.evidence
    if not entries:
        return [_render(ctx, "intro.html", empty=True)]
    areas = book.once(_areas)
    kinds = _kinds(book, entries)
    return [
        _render(ctx, "intro.html", empty=False),
        _render(ctx, "overview.html", Heading(2, "Översikt", "oversikt"), count=len(entries)),
        _render(ctx, "area_counts.html", Heading(3, "Per verksamhetsområde", "per-omrade"),
                rows=[Count(area.name, len(members), _area_href(ctx, area)) for area, members in areas]),
        _render(ctx, "kind_counts.html", Heading(3, "Per slag", "per-slag"),
                rows=_kind_counts(book, entries), area_name=None),
        _render(ctx, "library.html", Heading(2, "Filtrera listan", "filtrera"), list_id=LIST_ID,
                area_names=[area.name for area, _ in areas], kinds=[k for k in kinds if k],
                years=sorted({str(_info(e).year) for e in entries if _info(e).year}, reverse=True),
                sections=[_section(ctx, area, members) for area, members in areas]),
    ]


# --- one page per area ---------------------------------------------------------------------------

def _citing(book: Handbook, entries: list[Document]) -> list[tuple[Document, list[Document]]]:
    """Governed documents (not repealed) that cite any of entries, with the entries they cite."""
    wanted = set(map(id, entries))
    found = []
    for doc in book.governed:
        cited = [e for e in doc.evidence if id(e) in wanted]
        if cited and doc.state != REPEALED:
            found.append((doc, cited))
    return sorted(found, key=lambda item: sv_key(item[0].title))


def _in_area(doc: Document, area: Unit) -> bool:
    return doc.unit is not None and doc.unit.id == area.id


def build_area(ctx: PageContext, area: Unit, entries: list[Document]) -> list[Fragment | None]:
    book = ctx.book
    unit_url = ctx.unit_url(area.id) if area.id else None
    citing = _citing(book, entries)
    parts = [
        _render(ctx, "area_intro.html", area_name=area.name,
                description=next((d for i, _, d in units_of(book) if i == area.id and d), ""),
                start_href=ctx.links.doc(_in_evidence_dir(book, "index.md")),
                unit_href=ctx.links.site(unit_url) if unit_url else None),
        _render(ctx, "kind_counts.html", rows=_kind_counts(book, entries), area_name=area.name),
    ]
    for kind in _kinds(book, entries):
        parts.append(_render(ctx, "entries.html", Heading(2, _kind_label(kind), f"slag-{_kind_anchor(kind)}"),
                             items=_items(_of_kind(entries, kind), area)))
    parts.append(_render(ctx, "citing.html", Heading(2, "Dokument som bygger på underlagen", "citeras-av"),
                         area_name=area.name, own=[(d, c) for d, c in citing if _in_area(d, area)],
                         other=[(d, c) for d, c in citing if not _in_area(d, area)]))
    return parts


# --- what the adapter asks for ------------------------------------------------------------------

def pages(book: Handbook) -> list[tuple[str, str, Builder]]:
    """(path relative to the evidence folder, title, builder) for every library page."""
    found: list[tuple[str, str, Builder]] = [("index.md", "Evidensbibliotek", build_index)]
    paths = book.once(_area_pages)
    for area, entries in book.once(_areas):
        if area.id:
            found.append((paths[area.id], area.name, functools.partial(build_area, area=area, entries=entries)))
    return found
