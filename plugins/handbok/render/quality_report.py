"""The kvalitetsberättelse as a site page, a standalone HTML document (also the PDF's source) and Markdown.

Every format is written by templates in templates/report/ from one handbok.core.quality_report.Report,
so the numbers are the same wherever the nämnd reads them. The author's Markdown is converted with
the markdown library and sanitized like every page body; in the Markdown format it is copied as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import jinja2
import markdown as md
from markupsafe import Markup

from handbok.core import doctypes, quality_report
from handbok.core.model import Document
from handbok.core.quality import shorten
from handbok.core.quality_report import SECTIONS, Report
from handbok.core.records import COUNT_LABELS, MONTHS, risk_level
from handbok.core.text import counted
from handbok.render import goals as G
from handbok.render import sanitize
from handbok.render.links import Links
from handbok.render.pagekit import PageContext
from handbok.render.templating import Fragment, Heading, Templates

REPORT_DIR = "kvalitetsberattelse"  # below the generated dir: <year>.md, and index.md listing the years


def author_path(report: Report) -> str:
    """Where the author's text is, or would be: its record, else where `handbok ny` puts it."""
    folder = doctypes.RECORDS_FOLDER
    return report.author.path if report.author else f"{folder}/kvalitetsberattelse-{report.year}.md"


def author_html(text: str | None, allowed: tuple[str, ...] = ()) -> Markup | None:
    """The author's Markdown as sanitized HTML; None when there is none."""
    if not text or not text.strip():
        return None
    html = md.markdown(text, extensions=["tables", "sane_lists", "attr_list"], output_format="html")
    # The author's ### and #### sit under our ## and ### headings: keep the outline (no h1/h2 inside).
    html = re.sub(r"<(/?)h([1-2])\b", lambda m: f"<{m.group(1)}h3", html)
    return Markup(sanitize.clean(html, allowed))


@dataclass
class View:
    """What the templates get: the report and the pieces computed for display."""

    report: Report
    author_file: str
    texts: dict[str, Markup | None]  # section key -> the author's HTML
    goal_texts: dict[str, Markup | None]  # goal id -> the author's HTML under its ### heading
    foreword: Markup | None
    others: list[tuple[str, Markup | None]]
    goal_items: list[dict]
    goal_tiles: list[tuple[str, str, str, int]]


def view(report: Report, allowed: tuple[str, ...] = ()) -> View:
    text = report.text
    goal_texts = {line.goal.id: author_html(line.text, allowed) for line in report.goal_lines}
    others = [(heading, author_html(body, allowed)) for heading, body in text.others]
    others += [(heading, author_html(body, allowed)) for heading, body in quality_report.unmatched_goal_texts(report)]
    return View(report, author_path(report), {key: author_html(text.sections.get(key), allowed) for key, _ in SECTIONS},
                goal_texts, author_html(text.foreword, allowed), others, G.goal_tree(report.goal_lines),
                G.status_counts(report.goal_lines))


def _context(v: View) -> dict:
    r = v.report
    return {"v": v, "r": r, "sections": SECTIONS, "type_label": doctypes.label, "risk_level": risk_level,
            "months": MONTHS, "number": G.number, "shorten": _shorten, "width": G.TREND_WIDTH,
            "height": G.TREND_HEIGHT, "status_labels": G.STATUS_LABELS, "count_label": COUNT_LABELS.get,
            "counted": counted, "counts_text": counts_text(r), "by_type": by_type}


def by_type(docs: list[Document]) -> str:
    """'32 rutiner, 6 processer, 1 plan': how many documents of each type, in the unit pages' order."""
    names = [d.type or "" for d in docs]
    return ", ".join(counted(names.count(t.name), t.label.lower(), t.plural.lower())
                     for t in doctypes.in_group_order(set(names)))


def counts_text(report: Report) -> str:
    """'36 avvikelser, 2 lex Sarah, 13 klagomål': the year's compiled totals in one line."""
    def label(kind: str) -> str:
        text = COUNT_LABELS.get(kind, kind)
        return text if text.startswith("Lex") else text.lower()

    return ", ".join(f"{t.total} {label(t.kind)}" for t in report.count_tables) or "inga sammanställda"


def _shorten(text: str | None, limit: int = 220) -> str:
    return shorten(text or "", limit)


# --- the site page -------------------------------------------------------------------------------

def site_page(ctx: PageContext, year: int) -> list[Fragment | None]:
    """The year's report as the parts of a generated page: the opening, then one part per section (their
    headings go into the page's table of contents)."""
    book = ctx.book
    report = quality_report.build(book, year)
    v = view(report, tuple(book.settings.html_allow))
    data = _context(v)
    parts: list[Fragment | None] = [ctx.templates.fragment("report/opening.html", links=ctx.links, **data)]
    for key, title in SECTIONS:
        parts.append(ctx.templates.fragment("report/section.html", Heading(2, title, key), links=ctx.links, key=key,
                                            **data))
    for number, (heading, html) in enumerate(v.others, start=1):
        parts.append(ctx.templates.fragment("report/other.html", Heading(2, heading, f"ovrigt-{number}"),
                                            links=ctx.links, html=html, **data))
    return parts


def index_page(ctx: PageContext) -> list[Fragment | None]:
    years = [(y, quality_report.author_document(ctx.book, y), ctx.generated_url(f"{REPORT_DIR}/{y}.md"))
             for y in quality_report.report_years(ctx.book)]
    return [ctx.templates.fragment("report/index.html", links=ctx.links, years=years, today=ctx.book.today)]


# --- standalone HTML (and the PDF's source) ----------------------------------------------------------

def standalone_html(report: Report, templates: Templates, *, organisation: str, url_of: Callable[[str], str | None],
                    allowed: tuple[str, ...] = ()) -> str:
    """A whole HTML document: title page, contents, sections; links to the records when the site's
    address is known (url_of gives absolute URLs), else each source is named with its file."""
    data = _context(view(report, allowed))
    links = Links(url_of, "")
    parts = [(key, title, templates.render("report/section.html", links=links, key=key, **data))
             for key, title in SECTIONS]
    others = [(f"ovrigt-{n}", heading, templates.render("report/other.html", links=links, html=html, **data))
              for n, (heading, html) in enumerate(data["v"].others, start=1)]
    return str(templates.render("report/standalone.html", links=links, organisation=organisation,
                                opening=templates.render("report/opening.html", links=links, **data),
                                parts=parts + others, **data))


# --- Markdown -------------------------------------------------------------------------------------

class Verbatim(str):
    """The author's Markdown: copied into the Markdown report as written, never escaped."""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md_escape(value: object) -> str:
    """Every value from the data is escaped for Markdown by the template engine (finalize), like HTML
    autoescape: a title with * or | cannot change the table or the emphasis."""
    if isinstance(value, Verbatim):
        return str(value)
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def markdown_report(report: Report, templates: Templates, *, organisation: str,
                    url_of: Callable[[str], str | None]) -> str:
    """The report as Markdown, from report/report.md found like every template (a site's own folder first)."""
    env = jinja2.Environment(loader=templates.env.loader, autoescape=False, finalize=_md_escape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    text = report.text
    data = _context(view(report))
    data.update(organisation=organisation, url_of=url_of, Verbatim=Verbatim,
                md_sections={key: Verbatim(text.sections[key]) if text.sections.get(key) else None
                             for key, _ in SECTIONS},
                md_goals={line.goal.id: Verbatim(line.text) if line.text else None for line in report.goal_lines},
                md_foreword=Verbatim(text.foreword) if text.foreword else None,
                md_others=[(h, Verbatim(b)) for h, b in text.others + quality_report.unmatched_goal_texts(report)])
    out = env.get_template("report/report.md").render(**data)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"


def report_json(report: Report) -> dict:
    """The report's numbers only, with the paths of the records they came from (for scripts and tests)."""
    def paths(docs) -> list[str]:
        return [d.path for d in docs]

    def measure(m) -> dict:
        return {"id": m.id, "record": m.record.path if m.record else None, "status": m.status,
                "due": m.due.isoformat() if m.due else None}

    return {
        "year": report.year, "today": report.today.isoformat(), "as_of": report.as_of.isoformat(),
        "final": report.final, "author": report.author.path if report.author else None,
        "sections_missing": [key for key, _ in SECTIONS if not report.text.sections.get(key)],
        "goals": {"plans": paths(report.plans), "status": report.goal_counts,
                  "indicators": [{"id": i.indicator.id, "goal": line.goal.id, "status": i.status,
                                  "value": i.latest.value if i.latest else None,
                                  "period": i.latest.period_text if i.latest else None,
                                  "target": i.indicator.target,
                                  "missing": [p.label() for p, _ in i.missing]}
                                 for line in report.goal_lines for i in line.indicators]},
        "documents": {"in_force": report.in_force, "adopted": paths(report.adopted), "revised": paths(report.revised),
                      "overdue": paths(report.overdue)},
        "coverage": {"covered": report.covered, "requirements": report.requirements,
                     "gaps": [r.id for r in report.gaps]},
        "risks": {"analyses": [{"record": d.path, "risks": len(risks)} for d, risks in report.analyses],
                  "levels": report.risk_levels},
        "controls": {**report.control_totals,
                     "plans": [{"record": plan.path, "controls": [
                         {"id": line.control.id, "planned": line.planned, "due": line.due, "done": line.done,
                          "missing": line.missing} for line in lines]} for plan, lines in report.control_plans]},
        "counts": {t.kind: {"total": t.total, "sources": paths(t.periods),
                            "categories": {c: total for c, _, total in t.rows}} for t in report.count_tables},
        "measures": {"taken": len(report.measures_taken), "done": len(report.measures_done),
                     "open": len(report.measures_open), "overdue": [measure(m) for m in report.measures_overdue],
                     "cancelled": len(report.measures_cancelled)},
        "next_year": {"events": [{"date": d.isoformat(), "id": e.id, "name": e.name} for d, e in report.next_events],
                      "plans": paths(report.next_plans), "measures": [measure(m) for m in report.next_measures]},
    }
