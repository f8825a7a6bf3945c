"""Generated overview pages: revision status, owners, roles, decisions, law, units, news, archive, coverage.

Each page is a title and a builder returning Fragments rendered from the templates in
templates/overviews/: Python works out what a page shows (groupings, counts, order, URLs),
the templates write the HTML. Nothing is written into the docs dir: the site adapter adds
these as virtual files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from markupsafe import Markup

from handbok.core import coverage, doctypes, quality
from handbok.core.index import Handbook
from handbok.core.legal import ACT_KINDS
from handbok.core.model import CURRENT, DRAFT, DUE_SOON, OVERDUE, REPEALED, STATE_LABELS, STATUS_CURRENT, Document
from handbok.core.text import paragraphs, slugify, sv_key, unique_slugs
from handbok.render import quality_pages, records
from handbok.render.pagekit import GeneratedPage, Page, PageContext, distinct, part
from handbok.render.templating import Fragment, Heading

__all__ = ["PAGES", "GeneratedPage", "Page", "PageContext", "review_table", "status_tiles"]

STATES = (OVERDUE, DUE_SOON, CURRENT, DRAFT, REPEALED)  # the order of counts and filters


def _part(ctx: PageContext, name: str, heading: Heading | None = None, **data: object) -> Fragment | None:
    """One part of a page from templates/overviews/<name>.html, with links relative to the page."""
    return part(ctx, f"overviews/{name}", heading, **data)


# --- pieces that other renderers use ---------------------------------------------------------

REVIEW_COLUMNS = ("type", "owner", "unit", "next")


def review_table(docs: list[Document], ctx: PageContext, caption: str, columns: tuple[str, ...] = REVIEW_COLUMNS,
                 table_id: str | None = None) -> Markup:
    """The revision table on its own (for the author's macro handbok_revisionslage)."""
    table = ctx.templates.render("overviews/review_table.html", links=ctx.links, docs=docs, caption=caption,
                                 columns=columns, table_id=table_id, warn_days=ctx.book.settings.due_soon_days)
    return table + "\n\n"  # a block of its own wherever it is put into Markdown


def _counts(docs: Iterable[Document]) -> dict[str, int]:
    """Documents per revision state on the build day, in the order of STATES."""
    counts = dict.fromkeys(STATES, 0)
    for doc in docs:
        counts[doc.state or CURRENT] += 1
    return counts


def count_dates(docs: Iterable[Document]) -> str:
    """The documents behind a set of count tiles, for handbok.js to recount with the reader's date
    (contract 2): one space-separated token per document, its next revision (YYYY-MM-DD) where the
    state depends on the date, else the state itself (draft, repealed, or current without a date)."""
    tokens = []
    for doc in docs:
        state = doc.state or CURRENT
        if state in (DRAFT, REPEALED) or doc.next_review is None:
            tokens.append(state)
        else:
            tokens.append(doc.next_review.isoformat())
    return " ".join(tokens)


def status_tiles(book: Handbook, docs: list[Document]) -> dict:
    """What a block of count tiles (the state_counts macro) needs: the counts on the build day, the
    dates handbok.js recounts them from, and the due-soon window."""
    return {"counts": _counts(docs), "dates": count_dates(docs), "warn_days": book.settings.due_soon_days}


# --- the pages -----------------------------------------------------------------------------

def build_review(ctx: PageContext) -> Page:
    """Revisionsläge: every document, overdue first; filters kept in the address (?agare=…&enhet=…&typ=…
    &status=overdue), the status filter by state id so that it follows the state the browser works out."""
    docs = ctx.book.in_review_order()
    filters = [
        ("data-owner", "Dokumentägare", distinct(d.owner.role if d.owner else "" for d in docs), "agare"),
        ("data-unit", "Enhet", distinct(d.unit.name if d.unit else "" for d in docs), "enhet"),
        ("data-type", "Typ", distinct(doctypes.label(d.type) for d in docs), "typ"),
        ("data-handbok-status", "Status", [(s, STATE_LABELS[s]) for s in STATES], "status"),
    ]
    return [_part(ctx, "review", today=ctx.book.today, docs=docs, **status_tiles(ctx.book, docs), filters=filters,
                  columns=REVIEW_COLUMNS)]


def build_mine(ctx: PageContext) -> Page:
    """Mina dokument: the reader chooses their owner role once (remembered by the browser) and sees
    that role's documents, overdue first."""
    docs = ctx.book.in_review_order()
    roles = distinct(d.owner.role if d.owner else "" for d in docs)
    owners = next((p for p in PAGES if p.key == "owners"), None)
    measures = records.measure_rows(quality.all_measures(ctx.book))
    roles = distinct(roles + [row["measure"].responsible or "" for row in measures])
    return [_part(ctx, "mine", docs=docs, roles=roles, **status_tiles(ctx.book, docs), columns=REVIEW_COLUMNS,
                  owners_url=ctx.page_url(owners.key) if owners else None, measures=measures)]


NO_OWNER = "Dokumentägare saknas"


def _owner_groups(book: Handbook) -> dict[str, list[Document]]:
    """Per role its documents (with a revision date); a role with only quality work (measures, controls,
    activities, records) gets a page too, with no documents."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in book.library:
        groups[doc.owner.role if doc.owner else NO_OWNER].append(doc)
    for role in quality.roles_with_work(book):
        groups.setdefault(role, [])
    return dict(groups)


def owner_pages(book: Handbook) -> list[tuple[str, str]]:
    """(slug, owner) for one page per dokumentägare."""
    names = sorted(book.once(_owner_groups), key=sv_key)
    slugs = unique_slugs(names)
    return [(slugs[name], name) for name in names]


def build_owners(ctx: PageContext) -> Page:
    """The owners, those with overdue documents first, each linking to their own page."""
    groups = ctx.book.once(_owner_groups)
    slugs = {owner: slug for slug, owner in owner_pages(ctx.book)}
    rows = []
    for owner, docs in groups.items():
        counts = _counts(docs)
        rows.append({"owner": owner, "url": ctx.generated_url(f"dokumentagare/{slugs[owner]}.md"),
                     "total": len(docs), "overdue": counts[OVERDUE], "due_soon": counts[DUE_SOON],
                     "dates": count_dates(docs)})
    rows.sort(key=lambda r: (-r["overdue"], -r["due_soon"], sv_key(r["owner"])))
    return [_part(ctx, "owners", rows=rows, warn_days=ctx.book.settings.due_soon_days)]


def build_owner(ctx: PageContext, owner: str) -> Page:
    docs = ctx.book.once(_owner_groups).get(owner, [])
    return [_part(ctx, "owner", owner=owner, total=len(docs), **status_tiles(ctx.book, docs),
                  docs=ctx.book.in_review_order(docs),
                  columns=("next", "type", "unit"))] + quality_pages.owner_work(ctx, owner)


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


def build_roles(ctx: PageContext) -> Page:
    duties, activities = ctx.book.once(_role_duties)
    roles = [{"role": role, "url": ctx.generated_url(f"ansvar-per-roll/{slug}.md"),
              "duties": len(duties[role]), "activities": len(activities[role])}
             for slug, role in role_pages(ctx.book)]
    return [_part(ctx, "roles", roles=roles)]


def build_role(ctx: PageContext, role: str) -> Page:
    duties, activities = ctx.book.once(_role_duties)
    return [
        _part(ctx, "role", role=role),
        _part(ctx, "role_duties", Heading(2, "Ansvar", "ansvar"), role=role, duties=duties[role])
        if duties[role] else None,
        _part(ctx, "role_activities", Heading(2, "Aktiviteter i processer", "aktiviteter"),
              activities=activities[role]) if activities[role] else None,
    ]


def _decision_groups(book: Handbook) -> dict[str, list[Document]]:
    """Per body in `approved_by`: the current governed documents it has adopted."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in book.governed:
        if doc.status == STATUS_CURRENT and doc.approved_by:
            groups[doc.approved_by].append(doc)
    return groups


def build_decisions(ctx: PageContext) -> Page:
    """Per beslutsinstans: what each body has adopted, newest decision first, then the current
    documents that lack a decision."""
    book = ctx.book
    groups = book.once(_decision_groups)
    names = sorted(groups, key=sv_key)
    slugs = unique_slugs(names)
    undecided = [{"doc": doc, "missing": [label for label, value in (("Beslutad av", doc.approved_by),
                                                                      ("Beslutsdatum", doc.approved)) if not value]}
                 for doc in sorted(book.governed, key=lambda d: sv_key(d.title))
                 if doc.status == STATUS_CURRENT and not (doc.approved_by and doc.approved)]
    bodies = [{"name": name, "anchor": f"beslut-{slugs[name]}", "count": len(groups[name])} for name in names]
    page: Page = [_part(ctx, "decisions", bodies=bodies, undecided=len(undecided),
                        rules=list(book.decisions.items()))]
    for body in bodies:
        docs = sorted(groups[body["name"]], key=lambda d: (-(d.approved.toordinal() if d.approved else 0),
                                                           sv_key(d.title)))
        page.append(_part(ctx, "decisions_body", Heading(2, body["name"], body["anchor"]), body=body["name"],
                          docs=docs))
    page.append(_part(ctx, "decisions_missing", Heading(2, "Utan beslut", "utan-beslut"), rows=undecided))
    return page


def build_law(ctx: PageContext) -> Page:
    """Every act in the registry, cited or not, grouped as the seeds' "Bilaga 1" lists the governing law:
    laws, förordningar, föreskrifter, EU acts; then numbers the documents cite that the registry lacks."""
    book = ctx.book
    citing: dict[str, list] = defaultdict(list)
    for doc in book.documents:
        for ref in doc.legal:
            citing[ref.act.id].append((doc, ref))
    acts = list(book.laws.acts.values()) + [a for a in book.laws.cited_uncatalogued if a.id in citing]
    # Acts of the same title (the 2001 and the 2025 socialtjänstlag) stand the one in force first.
    groups = [(kind, label, sorted((a for a in acts if a.kind == kind and a.catalogued),
                                   key=lambda a: (sv_key(a.issuer or ""), sv_key(a.title), a.is_repealed(book.today),
                                                  a.number)))
              for kind, label in ACT_KINDS.items()]
    missing = sorted((a for a in acts if not a.catalogued), key=lambda a: a.number)
    counts = [(label, len(members)) for _, label, members in groups] + (
        [("Saknas i registret", len(missing))] if missing else [])
    page: Page = [_part(ctx, "law", today=book.today, counts=counts, total=len(acts) - len(missing),
                        cited=sum(1 for a in acts if a.catalogued and citing.get(a.id)),
                        unverified=sum(1 for a in acts if a.catalogued and not a.verified))]

    def rows(members):
        return [{"act": act, "state": _act_state(act, book.today), "anchor": law_anchor(act.id),
                 "successor": book.laws.successor(act),
                 "successor_anchor": law_anchor(act.replaced_by) if act.replaced_by else None,
                 "citing": sorted(citing.get(act.id, []), key=lambda item: (sv_key(item[0].title), item[1].raw))}
                for act in members]

    for kind, label, members in groups:
        if members:
            page.append(_part(ctx, "law_group", Heading(2, label, f"lagar-{slugify(kind)}"),
                              caption=f"{label}: status och dokument som hänvisar",
                              rows=rows(members), today=book.today))
    if missing:
        page.append(_part(ctx, "law_missing", Heading(2, "Saknas i lagrumsregistret", "lagar-saknas"),
                          rows=rows(missing), today=book.today))
    return page


def law_anchor(act_id: str) -> str:
    """The row of an act on the law page: 'lag-sol-2025' (the anchor links from elsewhere use)."""
    return f"lag-{slugify(act_id)}"


def _act_state(act, today) -> str:
    if act.is_repealed(today):
        return "repealed"
    if act.in_force and today < act.in_force:
        return "coming"
    return "in-force"


def units_of(book: Handbook) -> list[tuple[str, str, str]]:
    """(id, name, description) for every unit in the registry or in use."""
    if book.units.entries is not None:  # a configured registry
        return [(u.id, u.name, u.description) for u in book.units.entries]
    seen: dict[str, tuple[str, str, str]] = {}
    for doc in book.documents:
        for unit in ([doc.unit] if doc.unit else []) + (doc.entry.areas if doc.entry else []):
            seen.setdefault(unit.id, (unit.id, unit.name, ""))
    return sorted(seen.values(), key=lambda u: sv_key(u[1]))


def _unit_documents(book: Handbook, unit_id: str) -> list[Document]:
    """The unit's governed documents that are still in force."""
    return [d for d in book.governed if d.unit and d.unit.id == unit_id and d.state != REPEALED]


def unit_summaries(book: Handbook, unit_url: Callable[[str], str | None]) -> list[dict]:
    """{name, description, url, documents} of every unit: the units index and the start page."""
    return [{"name": name, "description": description, "url": unit_url(unit_id),
             "documents": len(_unit_documents(book, unit_id))}
            for unit_id, name, description in units_of(book)]


def build_units_index(ctx: PageContext) -> Page:
    return [_part(ctx, "units_index", units=unit_summaries(ctx.book, ctx.unit_url))]


def build_unit(ctx: PageContext, unit_id: str) -> Page:
    book = ctx.book
    _, _, description = next((u for u in units_of(book) if u[0] == unit_id), (unit_id, unit_id, ""))
    docs = _unit_documents(book, unit_id)
    evidence = sorted((e for e in book.evidence if e.entry and any(a.id == unit_id for a in e.entry.areas)),
                      key=lambda e: (-((e.entry.year if e.entry else None) or 0), sv_key(e.title)))
    page: Page = [_part(ctx, "unit", description=paragraphs(description or ""), **status_tiles(book, docs))]
    for group in doctypes.in_group_order({d.type for d in docs if d.type}):
        members = sorted((d for d in docs if d.type == group.name), key=lambda d: sv_key(d.title))
        if members:
            # The plural is the site's own text for an extra type: the heading escapes it.
            page.append(_part(ctx, "unit_group", Heading(2, group.plural, f"typ-{slugify(group.name)}"),
                              docs=members, warn_days=book.settings.due_soon_days))
    if evidence:
        page.append(_part(ctx, "unit_evidence", Heading(2, "Kunskapsunderlag", "kunskapsunderlag"),
                          evidence=evidence))
    if not docs and not evidence:
        page.append(_part(ctx, "unit_empty"))
    return page


def build_news(ctx: PageContext) -> Page:
    docs = sorted((d for d in ctx.book.library if d.last_changed), key=lambda d: (d.last_changed, d.path),
                  reverse=True)
    rows = []
    for doc in docs[:200]:
        rows.append({"doc": doc, "date": doc.last_changed, "note": doc.last_change_note})
    return [_part(ctx, "news", feed_url=ctx.feed_url, rows=rows)]


def build_archive(ctx: PageContext) -> Page:
    docs = sorted((d for d in ctx.book.documents if d.state == REPEALED), key=lambda d: sv_key(d.title))
    return [_part(ctx, "archive", docs=docs)]


def build_coverage(ctx: PageContext) -> Page:
    catalogue = ctx.book.catalogue
    if catalogue is None:
        return [_part(ctx, "coverage", catalogue=None)]
    covered = sum(1 for r in catalogue.requirements if r.covered)
    total = len(catalogue.requirements)
    unverified = sum(1 for r in catalogue.requirements if not r.verified)
    # Each row is a link target, so the summary can name the gaps and lead straight to them.
    anchors = {r.id: f"krav-{slugify(r.id)}" for r in catalogue.requirements}
    practice = {r.id: records.practice_rows(ctx.book, r) for r in catalogue.requirements if r.practice}
    return [_part(ctx, "coverage", catalogue=catalogue, covered=covered, total=total, gaps=total - covered,
                  unverified=unverified, anchors=anchors, practice=practice,
                  practice_nouns=coverage.PRACTICE_NOUNS)]


def build_overview(ctx: PageContext) -> Page:
    pages = [{"url": ctx.page_url(p.key), "title": p.title, "description": p.description}
             for p in PAGES if p.key != "overview"]
    return [_part(ctx, "overview", **status_tiles(ctx.book, ctx.book.library), pages=pages)]


# --- Start page and APT (what changed lately, and for whom) ---------------------------------------

COMMON_UNITS = ("gemensamt", "ledning")  # unit ids whose documents concern every unit
APT_WINDOW_DAYS = 365  # the APT list holds the changes of the last year
APT_NOSCRIPT_DAYS = 90  # of which those of the last 90 days show without JavaScript
APT_DEFAULT_DAYS = 30  # the date field starts 30 days before the build day
APT_SIGNATURE_ROWS = 12


def changed_on(doc: Document) -> dt.date | None:
    """The newest of the document's change dates (revised, changes) and its decision date."""
    days = [day for day in (doc.last_changed, doc.approved) if day]
    return max(days) if days else None


def change_note(doc: Document) -> str:
    """What is new on changed_on(doc): the change note, or that it was adopted (by whom)."""
    if doc.approved and (doc.last_changed is None or doc.approved > doc.last_changed):
        return f"Beslutad av {doc.approved_by}." if doc.approved_by else "Beslutad."
    return doc.last_change_note


def unit_filter_value(doc: Document, every_unit: str) -> str:
    """The data-unit of a row: the document's unit name, or `every_unit` (every unit's name, separated
    by "|") for documents of the common units or without a unit, so that they show whichever unit is chosen."""
    if doc.unit is not None and doc.unit.id not in COMMON_UNITS:
        return doc.unit.name
    return every_unit


def recent_changes(book: Handbook, since: dt.date) -> list[dict]:
    """The current (in force, not draft) governed documents adopted or changed on or after `since`,
    newest first: {doc, date, note, units}."""
    changed = [(day, doc) for doc in book.governed if doc.status == STATUS_CURRENT
               for day in [changed_on(doc)] if day is not None and day >= since]
    changed.sort(key=lambda item: (-item[0].toordinal(), sv_key(item[1].title)))
    every_unit = "|".join(name for _, name, _ in units_of(book))  # once: units_of may walk every document
    return [{"doc": doc, "date": day, "note": change_note(doc), "units": unit_filter_value(doc, every_unit)}
            for day, doc in changed]


def most_referred(book: Handbook, doc_type: str = "rutin", limit: int = 6) -> list[tuple[Document, int]]:
    """(document, how many documents link to it) for the routines in force most referred to."""
    docs = [d for d in book.governed if d.type == doc_type and d.state != REPEALED and d.backlinks]
    docs.sort(key=lambda d: (-len(d.backlinks), sv_key(d.title)))
    return [(d, len(d.backlinks)) for d in docs[:limit]]


def build_apt(ctx: PageContext) -> Page:
    """APT-lista per enhet: what was adopted or changed since the last arbetsplatsträff, to go
    through and sign. The rows of the last year are on the page; the form narrows them down."""
    today = ctx.book.today
    noscript_since = today - dt.timedelta(days=APT_NOSCRIPT_DAYS)
    rows = recent_changes(ctx.book, today - dt.timedelta(days=APT_WINDOW_DAYS))
    for row in rows:
        row["hidden"] = row["date"] < noscript_since
    return [
        _part(ctx, "apt", rows=rows, units=[name for _, name, _ in units_of(ctx.book)], today=today,
              since=today - dt.timedelta(days=APT_DEFAULT_DAYS), noscript_since=noscript_since,
              earliest=today - dt.timedelta(days=APT_WINDOW_DAYS)),
        _part(ctx, "apt_signatures", Heading(2, "Deltagare", "deltagare"), rows=APT_SIGNATURE_ROWS),
    ]


PAGES = [
    GeneratedPage("overview", "index.md", "Översikter", "Alla sammanställningar", build_overview),
    GeneratedPage("review", "revisionslage.md", "Revisionsläge",
                  "Alla dokument med nästa revisionsdatum, försenade först.", build_review,
                  ("revision", "revisionsdatum", "försenade dokument")),
    GeneratedPage("mine", "mina-dokument.md", "Mina dokument",
                  "Välj din roll en gång och se dina dokument och åtgärder, de försenade först.", build_mine,
                  ("min roll", "mina åtgärder")),
    *quality_pages.PAGES,
    GeneratedPage("owners", "dokumentagare/index.md", "Per dokumentägare", "Vad varje dokumentägare ansvarar för.",
                  build_owners, ("dokumentägare", "ägare")),
    GeneratedPage("roles", "ansvar-per-roll/index.md", "Ansvar per roll",
                  "Varje rolls ansvar i alla ansvarsfördelningar.", build_roles, ("roller", "ansvar")),
    GeneratedPage("decisions", "beslutsinstanser.md", "Per beslutsinstans",
                  "Vad nämnden, cheferna och ledningsgruppen har fastställt, och gällande dokument utan beslut.",
                  build_decisions, ("beslut", "fastställda dokument")),
    GeneratedPage("law", "lagrum.md", "Lagar och föreskrifter",
                  "Alla lagar, förordningar och föreskrifter i lagrumsregistret, och vilka dokument som hänvisar till "
                  "dem.", build_law, ("lagrum", "lagrumsregister", "författningar")),
    GeneratedPage("units", "enheter/index.md", "Enheter", "Startsidor per enhet (tjänstekartor).", build_units_index,
                  ("tjänstekarta", "verksamhetsområden")),
    GeneratedPage("news", "nytt.md", "Nytt och ändrat", "Senast ändrade dokument och ett Atom-flöde.", build_news,
                  ("senaste ändringar", "nyheter")),
    GeneratedPage("coverage", "tackning.md", "Ledningssystemets täckning",
                  "Vilka krav i SOSFS 2011:9 som dokumenten täcker, och luckorna.", build_coverage,
                  ("täckning", "krav", "luckor")),
    GeneratedPage("archive", "arkiv.md", "Arkiv", "Upphävda dokument.", build_archive, ("upphävda", "upphävt")),
    GeneratedPage("apt", "apt-lista.md", "APT-lista per enhet",
                  "Dokument som beslutats eller ändrats sedan förra arbetsplatsträffen, att gå igenom och signera.",
                  build_apt, ("arbetsplatsträff", "apt")),
]
