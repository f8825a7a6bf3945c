"""Generated overview pages: revision status, owners, roles, law, units, news, archive, coverage.

Each page is a title and a builder returning Markdown (headings) with escaped HTML blocks.
Nothing is written into the docs dir: the site adapter adds these as virtual files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from handbok.render.links import Links, esc, md_text
from handbok.render.templating import Templates, default_templates
from handbok.core.index import Handbook
from handbok.core.model import CURRENT, DRAFT, DUE_SOON, OVERDUE, REPEALED, STATE_LABELS, Document
from handbok.core import doctypes
from handbok.core.text import slugify, sv_key, unique_slugs


@dataclass
class PageContext:
    book: Handbook
    links: Links
    unit_url: Callable[[str], str | None]  # unit id -> site-relative URL of its start page
    page_url: Callable[[str], str]  # generated page key -> site-relative URL
    feed_url: str | None = None
    generated_url: Callable[[str], str | None] = lambda path: None  # path below the generated dir -> URL
    templates: Templates = field(default_factory=default_templates)


@dataclass(frozen=True)
class GeneratedPage:
    key: str
    path: str  # relative to the generated dir
    title: str
    description: str
    build: Callable[[PageContext], str]


def _state_cell(doc: Document) -> str:
    state = doc.state or CURRENT
    days = ""
    if state == OVERDUE:
        days = f" ({-doc.days_left} d)"
    elif state == DUE_SOON:
        days = f" (om {doc.days_left} d)"
    return (f'<td class="handbok-state-cell"><span class="handbok-state handbok-state--{state}">'
            f'{esc(STATE_LABELS[state])}{days}</span></td>')


def _review_row(doc: Document, ctx: PageContext, columns: tuple[str, ...]) -> str:
    cells = [f'<th scope="row">{ctx.links.anchor(doc)}</th>']
    for column in columns:
        if column == "type":
            cells.append(f"<td>{esc(doctypes.label(doc.type))}</td>")
        elif column == "owner":
            cells.append(f"<td>{esc(doc.owner.role) if doc.owner else '–'}</td>")
        elif column == "unit":
            cells.append(f"<td>{esc(doc.unit.name) if doc.unit else '–'}</td>")
        elif column == "next":
            cells.append(f'<td><time datetime="{doc.next_review or ""}">{doc.next_review or "–"}</time></td>')
    cells.append(_state_cell(doc))
    attrs = {
        "data-handbok-status": doc.state or CURRENT,
        "data-review-by": doc.next_review or "",
        "data-owner": doc.owner.role if doc.owner else "",
        "data-unit": doc.unit.name if doc.unit else "",
        "data-type": doctypes.label(doc.type),
        "data-status": STATE_LABELS.get(doc.state or CURRENT, ""),
    }
    attr_text = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
    return f"<tr {attr_text}>{''.join(cells)}</tr>"


_HEADERS = {"type": "Typ", "owner": "Dokumentägare", "unit": "Enhet", "next": "Nästa revision"}


def review_table(docs: list[Document], ctx: PageContext, caption: str, columns=("type", "owner", "unit", "next"),
                 table_id: str | None = None) -> str:
    head = "".join(f'<th scope="col">{_HEADERS[c]}</th>' for c in columns)
    rows = "".join(_review_row(d, ctx, columns) for d in docs)
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<div class="handbok-table-wrap handbok-review"><table{ident}><caption>{esc(caption)}</caption>'
            f'<thead><tr><th scope="col">Dokument</th>{head}<th scope="col">Status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>\n\n")


def _counts(docs: list[Document]) -> dict[str, int]:
    counts = {state: 0 for state in (OVERDUE, DUE_SOON, CURRENT, DRAFT, REPEALED)}
    for doc in docs:
        counts[doc.state or CURRENT] += 1
    return counts


def counts_html(docs: list[Document]) -> str:
    items = "".join(
        f'<li class="handbok-count handbok-count--{state}" data-handbok-count="{state}">'
        f'<span class="handbok-count__n">{n}</span> <span class="handbok-count__label">{esc(STATE_LABELS[state])}</span></li>'
        for state, n in _counts(docs).items())
    return f'<ul class="handbok-counts" aria-label="Antal dokument per status">{items}</ul>\n\n'


def filter_form(target: str, filters: list[tuple[str, str, list[str]]], noun: str) -> str:
    """Selects that filter the rows (or items) of `target` by data attributes; see handbok.js."""
    fields = []
    for attr, label, values in filters:
        field_id = f"{target}-{attr}"
        options = '<option value="">Alla</option>' + "".join(
            f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
        fields.append(f'<div class="handbok-filter__field"><label for="{field_id}">{esc(label)}</label>'
                      f'<select id="{field_id}" data-filter="{attr}">{options}</select></div>')
    return (f'<form class="handbok-filter" data-filter-target="{target}" data-noun="{esc(noun)}" '
            f'aria-label="Filtrera listan" hidden>{"".join(fields)}'
            f'<p class="handbok-filter__result" role="status" aria-live="polite"></p></form>\n\n')


def _distinct(values) -> list[str]:
    return sorted({v for v in values if v}, key=sv_key)


# --- the pages -----------------------------------------------------------------------------

def build_review(ctx: PageContext) -> str:
    docs = ctx.book.in_review_order()
    filters = [
        ("data-owner", "Dokumentägare", _distinct(d.owner.role if d.owner else "" for d in docs)),
        ("data-unit", "Enhet", _distinct(d.unit.name if d.unit else "" for d in docs)),
        ("data-type", "Typ", _distinct(doctypes.label(d.type) for d in docs)),
        ("data-status", "Status", [STATE_LABELS[s] for s in (OVERDUE, DUE_SOON, CURRENT, DRAFT, REPEALED)]),
    ]
    return (f"Läget den {ctx.book.today}: alla styrdokument och kunskapsunderlag med nästa revisionsdatum, "
            "de försenade först. Statusen räknas om med din dators datum när sidan visas.\n\n"
            + counts_html(docs)
            + filter_form("handbok-revisionslage", filters, "dokument")
            + review_table(docs, ctx, "Revisionsläge för alla dokument", table_id="handbok-revisionslage"))


NO_OWNER = "Dokumentägare saknas"


def _owner_groups(book: Handbook) -> dict[str, list[Document]]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in book.documents:
        groups[doc.owner.role if doc.owner else NO_OWNER].append(doc)
    return groups




def owner_pages(book: Handbook) -> list[tuple[str, str]]:
    """(slug, owner) for one page per dokumentägare."""
    names = sorted(book.once(_owner_groups), key=sv_key)
    slugs = unique_slugs(names)
    return [(slugs[name], name) for name in names]


def build_owners(ctx: PageContext) -> str:
    """The owners, those with overdue documents first, each linking to their own page."""
    groups = ctx.book.once(_owner_groups)
    slugs = dict((owner, slug) for slug, owner in owner_pages(ctx.book))

    def rank(item):
        counts = _counts(item[1])
        return (-counts[OVERDUE], -counts[DUE_SOON], sv_key(item[0]))

    rows = []
    for owner, docs in sorted(groups.items(), key=rank):
        counts = _counts(docs)
        url = ctx.generated_url(f"dokumentagare/{slugs[owner]}.md")
        name = f'<a href="{esc(ctx.links.site(url))}">{esc(owner)}</a>' if url else esc(owner)
        rows.append(f'<tr><th scope="row">{name}</th><td>{len(docs)}</td><td>{counts[OVERDUE]}</td>'
                    f"<td>{counts[DUE_SOON]}</td></tr>")
    return ("Vad varje dokumentägare ansvarar för att hålla aktuellt. Ägare med försenade dokument står först; "
            "varje ägare har en egen sida med sina dokument.\n\n"
            '<div class="handbok-table-wrap"><table><caption>Dokumentägare</caption><thead><tr>'
            '<th scope="col">Dokumentägare</th><th scope="col">Dokument</th><th scope="col">Försenade</th>'
            f'<th scope="col">Snart dags</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n')


def build_owner(ctx: PageContext, owner: str) -> str:
    docs = ctx.book.once(_owner_groups).get(owner, [])
    counts = _counts(docs)
    summary = f"{len(docs)} dokument"
    if counts[OVERDUE]:
        summary += f", {counts[OVERDUE]} försenade"
    if counts[DUE_SOON]:
        summary += f", {counts[DUE_SOON]} snart dags"
    return (f"<p>{esc(summary)}. Försenade och snart förfallande dokument står först.</p>\n\n"
            + counts_html(docs)
            + review_table(ctx.book.in_review_order(docs), ctx, f"Dokument som {owner} äger",
                           columns=("type", "unit", "next")))


def _role_duties(book: Handbook) -> tuple[dict[str, list], dict[str, list]]:
    """Per role: (duty, document) from responsibility tables and (activity, process) from processes."""
    duties: dict[str, list[tuple[str, Document]]] = defaultdict(list)
    activities: dict[str, list[tuple[str, Document]]] = defaultdict(list)
    for doc in book.governed:
        if doc.state == REPEALED:
            continue
        for role, items in doc.responsibilities:
            duties[role].extend((d, doc) for d in items)
        for activity in doc.activities or []:
            if activity.role:
                activities[activity.role].append((activity.name, doc))
    return duties, activities


def role_pages(book: Handbook) -> list[tuple[str, str]]:
    """(slug, role) for one page per role that has duties or activities."""
    duties, activities = book.once(_role_duties)
    names = sorted(set(duties) | set(activities), key=sv_key)
    slugs = unique_slugs(names)
    return [(slugs[name], name) for name in names]


def build_roles(ctx: PageContext) -> str:
    duties, activities = ctx.book.once(_role_duties)
    items = []
    for slug, role in role_pages(ctx.book):
        url = ctx.generated_url(f"ansvar-per-roll/{slug}.md")
        name = f'<a href="{esc(ctx.links.site(url))}">{esc(role)}</a>' if url else esc(role)
        items.append(f"<li>{name} ({len(duties[role])} ansvar, {len(activities[role])} aktiviteter)</li>")
    return ("Alla ansvar som ansvarsfördelningar och processer ger varje roll, med länk till dokumentet där "
            "ansvaret står. Svarar på frågor som ”Vad ansvarar enhetschef för?”.\n\n"
            f'<ul class="handbok-columns">{"".join(items)}</ul>\n')


def build_role(ctx: PageContext, role: str) -> str:
    duties, activities = ctx.book.once(_role_duties)
    parts = [f"<p>Det här ansvarar {esc(role)} för enligt handbokens ansvarsfördelningar och processer.</p>\n\n"]
    if duties[role]:
        rows = "".join(f"<tr><td>{esc(duty)}</td><td>{ctx.links.anchor(doc)}</td></tr>" for duty, doc in duties[role])
        parts.append("## Ansvar {#ansvar}\n\n"
                     f'<div class="handbok-table-wrap handbok-duties"><table><caption>Ansvar för {esc(role)}'
                     '</caption><thead><tr><th scope="col">Ansvar</th><th scope="col">Källa</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table></div>\n\n")
    if activities[role]:
        items = "".join(f"<li>{esc(name)} – i {ctx.links.anchor(doc)}</li>" for name, doc in activities[role])
        parts.append(f'## Aktiviteter i processer {{#aktiviteter}}\n\n<ul class="handbok-doclist">{items}</ul>\n\n')
    return "".join(parts)


def build_law(ctx: PageContext) -> str:
    book = ctx.book
    citing: dict[str, list] = defaultdict(list)
    for doc in book.documents:
        for ref in doc.legal:
            citing[ref.act.id].append((doc, ref))
    acts = sorted((book.laws.acts[i] for i in citing), key=lambda a: sv_key(a.abbreviation or a.title))
    parts = ["Alla lagar och föreskrifter som handbokens dokument hänvisar till, med var de hänvisar. "
             "Upphävda författningar är markerade med vad som ersatt dem.\n\n"]
    for act in acts:
        heading = f"{act.abbreviation} – {act.title}" if act.abbreviation else f"{act.number} – {act.title}"
        parts.append(f"## {md_text(heading)} {{#lag-{slugify(act.id)}}}\n\n")
        facts = [esc(act.number)]
        if act.in_force:
            facts.append(f"i kraft {act.in_force}")
        if act.repealed:
            successor = book.laws.successor(act)
            tail = f", ersatt av {esc(successor.citation)}" if successor else ""
            facts.append(f'<strong class="handbok-law__repealed">upphävd {act.repealed}{tail}</strong>')
        if act.url:
            facts.append(f'<a href="{esc(act.url)}">officiell text</a>')
        parts.append(f'<p class="handbok-law-facts">{" · ".join(facts)}</p>\n\n')
        rows = "".join(
            f"<tr><td>{ctx.links.anchor(doc)}</td><td>{esc(ref.location or 'hela författningen')}</td></tr>"
            for doc, ref in sorted(citing[act.id], key=lambda item: sv_key(item[0].title)))
        parts.append(f'<div class="handbok-table-wrap"><table><caption>Dokument som hänvisar till {esc(act.label)}'
                     '</caption><thead><tr><th scope="col">Dokument</th><th scope="col">Kapitel och paragraf</th>'
                     f"</tr></thead><tbody>{rows}</tbody></table></div>\n\n")
    return "".join(parts)




def units_of(book: Handbook) -> list[tuple[str, str, str]]:
    """(id, name, description) for every unit in the registry or in use."""
    if book.units.configured:
        return [(u.id, u.name, u.description) for u in book.units.entries]
    seen = {}
    for doc in book.documents:
        for unit in ([doc.unit] if doc.unit else []) + (doc.entry.areas if doc.entry else []):
            seen.setdefault(unit.id, (unit.id, unit.name, ""))
    return sorted(seen.values(), key=lambda u: sv_key(u[1]))


def build_units_index(ctx: PageContext) -> str:
    items = []
    for unit_id, name, description in units_of(ctx.book):
        docs = [d for d in ctx.book.governed if d.unit and d.unit.id == unit_id and d.state != REPEALED]
        url = ctx.unit_url(unit_id)
        link = f'<a href="{esc(ctx.links.site(url))}">{esc(name)}</a>' if url else esc(name)
        items.append(f"<li>{link} – {len(docs)} dokument{('. ' + esc(description)) if description else ''}</li>")
    return ("Varje enhet har en startsida med alla dess processer, riktlinjer, rutiner och checklistor – "
            "bra att börja med som ny medarbetare.\n\n" + f'<ul class="handbok-doclist">{"".join(items)}</ul>\n')


def build_unit(ctx: PageContext, unit_id: str) -> str:
    book = ctx.book
    unit = next((u for u in units_of(book) if u[0] == unit_id), (unit_id, unit_id, ""))
    docs = [d for d in book.governed if d.unit and d.unit.id == unit_id and d.state != REPEALED]
    parts = [f"{md_text(unit[2])}\n\n" if unit[2] else "", counts_html(docs)]
    for group in doctypes.in_group_order({d.type for d in docs if d.type}):
        doc_type, heading = group.name, group.plural
        members = sorted((d for d in docs if d.type == doc_type), key=lambda d: sv_key(d.title))
        if members:
            items = "".join(f'<li>{ctx.links.anchor(d)} <span class="handbok-state handbok-state--{d.state}">'
                            f'{esc(STATE_LABELS.get(d.state, ""))}</span></li>' for d in members)
            parts.append(f"## {heading} {{#typ-{slugify(doc_type)}}}\n\n<ul class=\"handbok-doclist\">{items}</ul>\n\n")
    evidence = sorted((e for e in book.evidence if any(a.id == unit_id for a in e.entry.areas)),
                      key=lambda e: (-(e.entry.year or 0), sv_key(e.title)))
    if evidence:
        items = "".join(f'<li>{ctx.links.anchor(e)} <span class="handbok-muted">({esc(e.entry.kind)}, '
                        f'{esc(e.entry.year)})</span></li>' for e in evidence)
        parts.append(f'## Kunskapsunderlag {{#kunskapsunderlag}}\n\n<ul class="handbok-doclist">{items}</ul>\n\n')
    if not docs and not evidence:
        parts.append("<p>Enheten har inga dokument ännu.</p>\n")
    return "".join(parts)


def build_news(ctx: PageContext) -> str:
    docs = sorted((d for d in ctx.book.documents if d.last_changed), key=lambda d: (d.last_changed, d.path), reverse=True)
    feed = (f'<p><a href="{esc(ctx.links.site(ctx.feed_url))}" type="application/atom+xml">Prenumerera på ändringarna '
            "(Atom-flöde)</a> i din flödesläsare eller i Outlook.</p>\n\n") if ctx.feed_url else ""
    rows = []
    for doc in docs[:200]:
        latest = max(doc.changes, key=lambda c: c.date) if doc.changes else None
        note = latest.note if latest and latest.date == doc.last_changed else "Reviderad."
        rows.append(f'<tr><td><time datetime="{doc.last_changed}">{doc.last_changed}</time></td>'
                    f"<td>{ctx.links.anchor(doc)}</td><td>{esc(doctypes.label(doc.type))}</td><td>{esc(note)}</td></tr>")
    return ("De senast reviderade och ändrade dokumenten, nyast först.\n\n" + feed
            + '<div class="handbok-table-wrap"><table><caption>Senaste ändringarna</caption><thead><tr>'
            '<th scope="col">Datum</th><th scope="col">Dokument</th><th scope="col">Typ</th><th scope="col">Ändring</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>\n")


def build_archive(ctx: PageContext) -> str:
    docs = sorted((d for d in ctx.book.documents if d.state == REPEALED), key=lambda d: sv_key(d.title))
    if not docs:
        return "Inga upphävda dokument.\n"
    rows = "".join(
        f"<tr><td>{ctx.links.anchor(d)}</td><td>{esc(doctypes.label(d.type))}</td>"
        f"<td>{ctx.links.anchor(d.replaced_by) if d.replaced_by else '–'}</td></tr>" for d in docs)
    return ("Upphävda dokument gäller inte längre. De finns kvar här för kännedom och syns inte i sökningen.\n\n"
            '<div class="handbok-table-wrap"><table><caption>Upphävda dokument</caption><thead><tr>'
            '<th scope="col">Dokument</th><th scope="col">Typ</th><th scope="col">Ersatt av</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>\n")


def build_coverage(ctx: PageContext) -> str:
    catalogue = ctx.book.catalogue
    if catalogue is None:
        return "Täckningskontrollen är avstängd (inställningen `coverage`).\n"
    covered = sum(1 for r in catalogue.requirements if r.documents)
    total = len(catalogue.requirements)
    rows = []
    for req in catalogue.requirements:
        docs = "".join(f"<li>{ctx.links.anchor(d)}</li>" for d in req.documents)
        cell = f'<ul class="handbok-doclist">{docs}</ul>' if docs else '<strong class="handbok-gap">Saknas</strong>'
        note = "" if req.verified else ' <span class="handbok-muted">(paragrafnumret är inte verifierat)</span>'
        state = "covered" if req.documents else "gap"
        rows.append(f'<tr class="handbok-req handbok-req--{state}" data-handbok-coverage="{state}">'
                    f'<th scope="row">{esc(req.location)}{note}</th><td><strong>{esc(req.heading)}</strong> '
                    f"{esc(req.summary)}</td><td>{cell}</td></tr>")
    return (f"Hur handbokens gällande dokument täcker kraven i {esc(catalogue.act_number)} om ledningssystem för "
            "systematiskt kvalitetsarbete. Ett dokument täcker ett krav när dess lagrum (`legal_basis`) anger "
            "kravets kapitel och paragraf.\n\n"
            f'<p class="handbok-coverage-summary"><strong>{covered} av {total}</strong> krav täcks. '
            f"{total - covered} saknar dokument.</p>\n\n"
            '<div class="handbok-table-wrap handbok-coverage"><table><caption>Krav och dokument som täcker dem'
            '</caption><thead><tr><th scope="col">Krav</th><th scope="col">Vad som ska finnas</th>'
            f'<th scope="col">Täcks av</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n')


def build_overview(ctx: PageContext) -> str:
    items = "".join(
        f'<li><a href="{esc(ctx.links.site(ctx.page_url(p.key)))}">{esc(p.title)}</a> – {esc(p.description)}</li>'
        for p in PAGES if p.key != "overview")
    return ("Sammanställningar som byggs automatiskt från dokumentens metadata varje gång handboken publiceras.\n\n"
            + counts_html(ctx.book.documents) + f'<ul class="handbok-doclist">{items}</ul>\n')


PAGES = [
    GeneratedPage("overview", "index.md", "Översikter", "Alla sammanställningar", build_overview),
    GeneratedPage("review", "revisionslage.md", "Revisionsläge", "Alla dokument med nästa revisionsdatum, försenade först.",
                  build_review),
    GeneratedPage("owners", "dokumentagare/index.md", "Per dokumentägare", "Vad varje dokumentägare ansvarar för.", build_owners),
    GeneratedPage("roles", "ansvar-per-roll/index.md", "Ansvar per roll", "Varje rolls ansvar i alla ansvarsfördelningar.",
                  build_roles),
    GeneratedPage("law", "lagrum.md", "Lagrum", "Lagar och föreskrifter som dokumenten hänvisar till.", build_law),
    GeneratedPage("units", "enheter/index.md", "Enheter", "Startsidor per enhet (tjänstekartor).", build_units_index),
    GeneratedPage("news", "nytt.md", "Nytt och ändrat", "Senast ändrade dokument och ett Atom-flöde.", build_news),
    GeneratedPage("coverage", "tackning.md", "Ledningssystemets täckning",
                  "Vilka krav i SOSFS 2011:9 som dokumenten täcker, och luckorna.", build_coverage),
    GeneratedPage("archive", "arkiv.md", "Arkiv", "Upphävda dokument.", build_archive),
]
