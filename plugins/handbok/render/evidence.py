"""The evidence library's overview pages: the start page and one page per area.

The MkDocs adapter calls pages(book) and adds each page as a virtual file in the
evidence folder. Builders return Markdown headings with escaped HTML blocks, like pages.py.

The start page's list is one HTML block (not Markdown headings) because the filter script
hides a whole area or kind group, heading included, when none of its entries match.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Callable

from handbok.render.links import esc, md_text
from handbok.core.index import Handbook
from handbok.core.model import REPEALED, Document, Unit
from handbok.render.overviews import PageContext, filter_form, units_of
from handbok.core.text import slugify, sv_key, unique_slugs

LIST_ID = "handbok-evidens"
NO_AREA = Unit("", "Inget verksamhetsområde angivet")

INTRO = (
    "Evidensbiblioteket samlar det kunskapsunderlag som handbokens processer, riktlinjer och rutiner "
    "bygger på: forskning, kunskapsöversikter, nationella riktlinjer, metodstöd, statistik och "
    "brukarundersökningar.\n\n"
    "Socialtjänsten ska arbeta kunskapsbaserat. Det betyder att vi väger samman tre kunskapskällor: "
    "**bästa tillgängliga kunskap** om vad som fungerar, **den professionella expertisen** hos oss som "
    "arbetar i verksamheten och **den enskildes erfarenheter och önskemål**. Underlagen här är den första "
    "källan – de ersätter aldrig samtalet med den det gäller eller den egna yrkeskunskapen.\n\n"
    "Varje post har en sammanfattning, en länk till källan och ibland en bifogad fil. Posterna granskas "
    "regelbundet så att de fortfarande är aktuella.\n\n"
)


# --- small helpers ---------------------------------------------------------------------------

def _newest_first(entries: list[Document]) -> list[Document]:
    return sorted(entries, key=lambda e: (-(e.entry.year or 0), sv_key(e.title)))


def _kind_label(kind: str) -> str:
    return kind[:1].upper() + kind[1:] if kind else "Slag saknas"


def _kinds(book: Handbook, entries: list[Document]) -> list[str]:
    """Kinds in the configured order, then any others (from invalid entries) alphabetically."""
    used = {e.entry.kind or "" for e in entries}
    known = [k for k in book.settings.evidence_kinds if k in used]
    return known + sorted(used - set(known), key=sv_key)


def _areas(book: Handbook) -> list[tuple[Unit, list[Document]]]:
    """Every area that has entries, in registry order, with its entries (an entry may be in several)."""
    members: dict[str, list[Document]] = defaultdict(list)
    names: dict[str, Unit] = {}
    for entry in book.evidence:
        for area in entry.entry.areas or [NO_AREA]:
            members[area.id].append(entry)
            names.setdefault(area.id, area)
    order = [unit_id for unit_id, _, _ in units_of(book)]
    ids = [i for i in order if i in members] + sorted((i for i in members if i not in order),
                                                      key=lambda i: (i == "", sv_key(names[i].name)))
    return [(names[i], members[i]) for i in ids]


def _who(entry: Document) -> str:
    info = entry.entry
    authors = "; ".join(info.authors)
    if info.publisher and info.publisher not in info.authors:
        return f"{authors} ({info.publisher})" if authors else info.publisher
    return authors


def _attachment(entry: Document) -> str:
    if not entry.entry.file:
        return ""
    kind = posixpath.splitext(entry.entry.file)[1].lstrip(".").upper() or "fil"
    return f' <span class="handbok-evidence__file">Bifogad fil ({esc(kind)})</span>'


def _item(entry: Document, ctx: PageContext, area: Unit | None) -> str:
    """One entry as a list item; data-* attributes drive the filter script."""
    info = entry.entry
    facts = [esc(_who(entry)), esc(info.year or "år saknas"), esc(info.kind)]
    areas = [area] if area is not None else (info.areas or [NO_AREA])
    attrs = {"data-area": "|".join(a.name for a in areas), "data-kind": info.kind or "",
             "data-year": str(info.year or "")}
    attr_text = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
    state = (f' <span class="handbok-state handbok-state--{entry.state}">Granskning försenad</span>'
             if entry.state == "overdue" else "")
    return (f'<li data-filter-item {attr_text}>{ctx.links.anchor(entry)} '
            f'<span class="handbok-muted">{" · ".join(f for f in facts if f)}</span>{_attachment(entry)}{state}</li>')


def _area_pages(book: Handbook) -> dict[str, str]:
    """Area id -> page path relative to the evidence folder. Ids are slugified (without a unit
    registry an id is whatever the author wrote) and made unique."""
    slugs = unique_slugs([area.id for area, _ in _areas(book) if area.id], reserved=())
    return {area_id: f"omraden/{slug}.md" for area_id, slug in slugs.items()}


def _area_src(book: Handbook, area_id: str) -> str | None:
    path = _area_pages(book).get(area_id)
    return posixpath.join(book.settings.evidence_dir.strip("/"), path) if path else None


def _area_link(ctx: PageContext, area: Unit) -> str:
    src = _area_src(ctx.book, area.id)
    href = ctx.links.doc(src) if src else None
    return f'<a href="{esc(href)}">{esc(area.name)}</a>' if href else esc(area.name)


def _count_list(rows: list[tuple[str, int]], label: str) -> str:
    items = "".join(f'<li class="handbok-count"><span class="handbok-count__n">{n}</span> '
                    f'<span class="handbok-count__label">{text}</span></li>' for text, n in rows)
    return f'<ul class="handbok-counts" aria-label="{esc(label)}">{items}</ul>\n\n'


# --- the start page ----------------------------------------------------------------------------

def build_index(ctx: PageContext) -> str:
    book = ctx.book
    entries = book.evidence
    if not entries:
        return INTRO + "<p>Biblioteket har inga poster ännu.</p>\n"
    areas = _areas(book)
    kinds = _kinds(book, entries)
    parts = [INTRO, "## Översikt {#oversikt}\n\n",
             f"<p>Biblioteket har {len(entries)} {'post' if len(entries) == 1 else 'poster'}. "
             "En post som gäller flera verksamhetsområden står under vart och ett.</p>\n\n",
             "### Per verksamhetsområde {#per-omrade}\n\n",
             _count_list([(_area_link(ctx, a), len(m)) for a, m in areas], "Antal poster per verksamhetsområde"),
             "### Per slag {#per-slag}\n\n",
             _count_list([(esc(_kind_label(k)), sum(1 for e in entries if (e.entry.kind or "") == k)) for k in kinds],
                         "Antal poster per slag"),
             "## Filtrera listan {#filtrera}\n\n",
             "<p>Nedan står alla poster ordnade efter verksamhetsområde och slag, nyast först. Välj område, "
             "slag eller år för att visa bara det du söker.</p>\n\n"]
    years = sorted({str(e.entry.year) for e in entries if e.entry.year}, reverse=True)
    parts.append(filter_form(LIST_ID, [("data-area", "Verksamhetsområde", [a.name for a, _ in areas]),
                                       ("data-kind", "Slag", [k for k in kinds if k]),
                                       ("data-year", "År", years)], "rader i listan"))
    sections = []
    for area, members in areas:
        anchor = f"omrade-{slugify(area.id or area.name)}"
        groups = []
        for kind in _kinds(book, members):
            in_kind = _newest_first([e for e in members if (e.entry.kind or "") == kind])
            heading_id = f"{anchor}-{slugify(kind or 'slag-saknas')}"
            items = "".join(_item(e, ctx, area) for e in in_kind)
            groups.append(f'<section data-filter-group aria-labelledby="{heading_id}">'
                          f'<h3 id="{heading_id}">{esc(_kind_label(kind))}</h3>'
                          f'<ul class="handbok-doclist">{items}</ul></section>')
        more = (f'<p class="handbok-muted">Se även sidan för {_area_link(ctx, area)} med de dokument som '
                "bygger på underlagen.</p>") if area.id else ""
        sections.append(f'<section data-filter-group aria-labelledby="{anchor}"><h2 id="{anchor}">{esc(area.name)}'
                        f'</h2>{more}{"".join(groups)}</section>')
    parts.append(f'<div id="{LIST_ID}" class="handbok-evidence-list">{"".join(sections)}</div>\n\n')
    return "".join(parts)


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


def build_area(ctx: PageContext, area: Unit, entries: list[Document]) -> str:
    book = ctx.book
    start = ctx.links.doc(posixpath.join(book.settings.evidence_dir.strip("/"), "index.md"))
    unit_url = ctx.unit_url(area.id) if area.id else None
    description = next((d for i, _, d in units_of(book) if i == area.id and d), "")
    parts = []
    if description:
        parts.append(f"<p>{esc(description)}</p>\n\n")
    links = []
    if start:
        links.append(f'<a href="{esc(start)}">hela evidensbiblioteket</a>')
    if unit_url:
        links.append(f'<a href="{esc(ctx.links.site(unit_url))}">enhetens alla styrdokument</a>')
    parts.append(f"<p>Kunskapsunderlag för {esc(area.name)}, ordnade efter slag och nyast först. "
                 + (f"Se även {' och '.join(links)}." if links else "") + "</p>\n\n")
    kinds = _kinds(book, entries)
    parts.append(_count_list([(esc(_kind_label(k)), sum(1 for e in entries if (e.entry.kind or "") == k))
                              for k in kinds], f"Antal poster per slag för {area.name}"))
    for kind in kinds:
        items = "".join(_item(e, ctx, area) for e in _newest_first([e for e in entries if (e.entry.kind or "") == kind]))
        parts.append(f"## {md_text(_kind_label(kind))} {{#slag-{slugify(kind or 'slag-saknas')}}}\n\n"
                     f'<ul class="handbok-doclist">{items}</ul>\n\n')
    citing = _citing(book, entries)
    own = [(d, c) for d, c in citing if d.unit and d.unit.id == area.id]
    other = [(d, c) for d, c in citing if not (d.unit and d.unit.id == area.id)]
    parts.append("## Dokument som bygger på underlagen {#citeras-av}\n\n")
    if not citing:
        parts.append("<p>Inget styrdokument hänvisar till de här underlagen ännu.</p>\n\n")
    for heading, group in ((f"Rutiner och andra styrdokument inom {area.name}", own),
                           ("Dokument från andra enheter", other)):
        if group:
            items = "".join(f'<li>{ctx.links.anchor(d)} <span class="handbok-muted">– bygger på '
                            f'{", ".join(ctx.links.anchor(e) for e in cited)}</span></li>' for d, cited in group)
            parts.append(f'<p><strong>{esc(heading)}</strong></p>\n\n<ul class="handbok-doclist">{items}</ul>\n\n')
    return "".join(parts)


# --- what the adapter asks for ------------------------------------------------------------------

def pages(book: Handbook) -> list[tuple[str, str, Callable[[PageContext], str]]]:
    """(path relative to the evidence folder, title, builder) for every library page."""
    found: list[tuple[str, str, Callable[[PageContext], str]]] = [("index.md", "Evidensbibliotek", build_index)]
    paths = _area_pages(book)
    for area, entries in _areas(book):
        if area.id:
            found.append((paths[area.id], area.name,
                          lambda ctx, area=area, entries=entries: build_area(ctx, area, entries)))
    return found
