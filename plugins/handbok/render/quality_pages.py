"""The generated pages of the quality work: Åtgärder, Egenkontroll (the plans as a year grid) and Årshjul.

Like the overview pages, Python works out what is shown (rows, states, order), the templates in
templates/records/ write the HTML, and nothing is written into the docs dir.
"""

from __future__ import annotations

from handbok.core import doctypes, quality
from handbok.core.model import Document
from handbok.core.text import sv_key
from handbok.render import goals as G
from handbok.render import records as R
from handbok.render.pagekit import GeneratedPage, Page, PageContext, distinct, part
from handbok.render.templating import Heading

MEASURE_FILTER_STATES = [(state, label) for state, label in R.MEASURE_LABELS.items()]


def build_measures(ctx: PageContext) -> Page:
    """Åtgärder: every improvement measure, overdue first; filters kept in the address
    (?ansvarig=…&enhet=…&status=overdue&fran=…)."""
    rows = R.measure_rows(quality.all_measures(ctx.book))
    filters = [
        ("data-owner", "Ansvarig", distinct(r["measure"].responsible or "" for r in rows), "ansvarig"),
        ("data-unit", "Enhet", distinct(r["unit"] for r in rows), "enhet"),
        ("data-handbok-status", "Status", MEASURE_FILTER_STATES, "status"),
        ("data-source", "Kommer från", distinct(r["source"] for r in rows), "fran"),
    ]
    return [part(ctx, "records/measures_page", rows=rows, counts=R.measure_counts(rows), dates=R.open_dates(rows),
                 warn_days=ctx.book.settings.due_soon_days, filters=filters, today=ctx.book.today,
                 labels=R.MEASURE_LABELS, page=ctx.page_url("measures"))]


def _plans(book) -> list[Document]:
    plans = [d for d in book.records if d.type in doctypes.PLAN_TYPES and d.record]
    return sorted(plans, key=lambda d: (-(d.record.year or 0), doctypes.PLAN_TYPES.index(d.type), sv_key(d.title)))


def build_controls(ctx: PageContext) -> Page:
    """Egenkontroll och internkontroll: each plan as a grid of its controls by period (done, missing,
    awaited, planned), newest year first, with links to the results."""
    today = ctx.book.today
    plans = []
    for plan in _plans(ctx.book):
        info = plan.record
        assert info is not None
        controls = R.control_items(info.controls, today)
        counts = dict.fromkeys(R.PERIOD_LABELS, 0)
        for item in controls:
            for period in item["periods"]:
                counts[period["state"]] += 1
        plans.append({"doc": plan, "controls": controls, "counts": counts})
    orphans = [d for d in ctx.book.records if d.type == "kontrollresultat" and d.record and d.record.control is None]
    return [part(ctx, "records/controls_page", plans=plans, today=today, labels=R.PERIOD_LABELS,
                 months=R.records.MONTHS, orphans=orphans)]


def build_year(ctx: PageContext) -> Page:
    """Årshjul: the yearly cycle month by month, with the routine each activity follows and, for the
    activities that must produce a record, whether they did this year."""
    year = ctx.book.today.year
    wheels = [d for d in ctx.book.records if d.type == "årshjul" and d.record]
    wheels.sort(key=lambda d: sv_key(d.title))
    items = [{"doc": d, "months": R.event_rows(d.record.events, year)} for d in wheels if d.record]
    return [part(ctx, "records/year_page", wheels=items, year=year, today=ctx.book.today,
                 calendar_url=ctx.calendar_url)]


def _goal_parts(ctx: PageContext, unit_id: str | None = None) -> Page:
    """Each målplan in force as a section: tiles by status, then the chain (one unit's goals, with the goals
    above them, when unit_id is given)."""
    out: Page = []
    for plan in G.plans(ctx.book):
        lines = G.plan_lines(plan, ctx.book.today)
        if unit_id is not None:
            lines = G.for_unit(lines, unit_id)
            if not lines:
                continue
        year = plan.record.year if plan.record else None
        out.append(part(ctx, "goals/plan_head", Heading(2, plan.title, f"plan-{plan.key}"), plan=plan))
        out.append(part(ctx, "goals/chain", **G.chain_data(lines, year)))
    return out


def goal_units(book) -> list[tuple[str, str]]:
    """(unit id, name) of every unit a goal in force names: each gets its own Mål och resultat page."""
    found = {u.id: u.name for plan in G.plans(book) if plan.record for g in plan.record.goals for u in g.units}
    return sorted(found.items(), key=lambda item: sv_key(item[1]))


def build_goals(ctx: PageContext) -> Page:
    """Mål och resultat: the goal chain of each plan in force, newest year first, with links to the units'."""
    units = [(name, ctx.generated_url(f"mal/{uid}.md")) for uid, name in goal_units(ctx.book)]
    links = [(name, ctx.links.site(url)) for name, url in units if url]
    return [part(ctx, "goals/page", today=ctx.book.today, unit=None, unit_links=links,
                 plans=G.plans(ctx.book)), *_goal_parts(ctx)]


def build_goals_unit(ctx: PageContext, unit_id: str, name: str) -> Page:
    return [part(ctx, "goals/page", today=ctx.book.today, unit=name, unit_links=[], plans=G.plans(ctx.book)),
            *_goal_parts(ctx, unit_id)]


def owner_work(ctx: PageContext, role: str) -> Page:
    """The quality work of one role for its owner page: measures, controls, årshjul activities, records."""
    book = ctx.book
    measures = R.measure_rows([m for m in quality.all_measures(book) if m.responsible == role])
    controls = [c for c in quality.all_controls(book) if c.responsible == role]
    upcoming = []
    for control in controls:
        rows = R.period_rows(control, book.today)
        nxt = next((p for p in rows if p["state"] in (R.PERIOD_MISSING, R.PERIOD_WAITING, R.PERIOD_PLANNED)), None)
        upcoming.append({"control": control, "next": nxt,
                         "missing": sum(1 for p in rows if p["state"] == R.PERIOD_MISSING)})
    events = sorted((e for e in quality.all_events(book) if e.owner == role),
                    key=lambda e: (e.next_due or book.today, sv_key(e.name)))
    owned = sorted((d for d in book.records if d.owner and d.owner.role == role), key=lambda d: sv_key(d.title))
    if not (measures or controls or events or owned):
        return []
    return [part(ctx, "records/owner_work", Heading(2, "Kvalitetsarbete", "kvalitetsarbete"), role=role,
                 measures=measures, controls=upcoming, events=events, owned=owned,
                 warn_days=book.settings.due_soon_days)]


PAGES = [
    GeneratedPage("measures", "atgarder.md", "Åtgärder",
                  "Alla förbättrande åtgärder med ansvarig och datum, de försenade först.", build_measures),
    GeneratedPage("controls", "egenkontroll.md", "Egenkontroll och internkontroll",
                  "Planerade kontroller per period: genomförda, saknade och kommande, med resultaten.",
                  build_controls),
    GeneratedPage("goals", "mal/index.md", "Mål och resultat",
                  "Nämndens mål, effektmål och verksamhetsmål med indikatorer, målvärden och senaste resultat.",
                  build_goals),
    GeneratedPage("year", "arshjul.md", "Årshjul",
                  "Kvalitetsarbetets återkommande aktiviteter månad för månad, och en kalender att prenumerera på.",
                  build_year),
]
