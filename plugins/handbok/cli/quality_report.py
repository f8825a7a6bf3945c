"""`handbok kvalitetsberattelse`: the year's report from the handbook, as Markdown, HTML, PDF or JSON.

Reads the handbook like `handbok check` (same settings, same day), builds the report in the core and
renders it; the author's text file is read, never written. The one-line summary says what is missing.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys

from handbok.core import quality_report
from handbok.core.quality_report import SECTIONS, Report
from handbok.core.settings import ConfigError
from handbok.render import quality_report as render
from handbok.render.templating import Templates
from handbok.site.mkdocs.project import Project
from handbok.site.mkdocs.urls import page_links


def make(project: Project, today: dt.date, year: int, fmt: str) -> tuple[str | bytes, str]:
    """(the report in the format, a one-line Swedish summary)."""
    from handbok.source import reader

    if not 2000 <= year <= today.year:
        raise ConfigError(f"--year {year}: ange ett år från 2000 till {today.year} (en berättelse gäller ett år "
                          "som har börjat).")
    gc.disable()  # one short-lived object graph, as in `handbok check`
    book = reader.load(project.docs_dir, project.settings, today, workers=min(os.cpu_count() or 1, 4),
                       checks=project.body_checks())
    leaks = [p for p in book.problems if p.code == "personal-data"]
    if leaks:  # the report copies the records' and the author's text: nothing is written while one is there
        where = ", ".join(f"{p.path}:{p.line}" for p in leaks[:3]) + (" …" if len(leaks) > 3 else "")
        raise ConfigError(f"Kvalitetsberättelsen skrivs inte: handboken innehåller personnummer eller "
                          f"samordningsnummer ({where}). Ta bort dem först; handbok check visar var de står.")
    report = quality_report.build(book, year)
    organisation = project.settings.organisation or project.site_name or "Verksamhetshandbok"
    url_of = page_links(project.site_url) or (lambda path: None)
    templates = Templates(project.settings.resolve(project.settings.templates_dir))
    allowed = tuple(project.settings.html_allow)
    if fmt == "json":
        import json

        output: str | bytes = json.dumps(render.report_json(report), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        output = render.markdown_report(report, templates, organisation=organisation, url_of=url_of)
    else:
        html = render.standalone_html(report, templates, organisation=organisation, url_of=url_of, allowed=allowed)
        if fmt == "html":
            output = html
        else:
            from handbok.render import pdf

            if sys.stderr.isatty():  # a few seconds of layout: say so on a terminal, stay quiet in CI
                print("Skapar PDF …", file=sys.stderr, flush=True)
            try:
                output = pdf.html_to_pdf(html, created=dt.datetime(today.year, today.month, today.day, 12,
                                                                   tzinfo=dt.UTC))
            except pdf.PdfUnavailable as exc:
                raise ConfigError(str(exc)) from None
    return output, summary(report)


def summary(report: Report) -> str:
    missing = [title for key, title in SECTIONS if not report.text.sections.get(key)]
    counts = report.goal_counts
    text = (f"{report.title}: {sum(counts.values())} indikatorer ({counts['uppnått']} uppnådda), "
            f"{report.control_totals['done']} kontrollperioder genomförda och {report.control_totals['missing']} "
            f"saknas, {len(report.measures_done)} åtgärder genomförda.")
    if report.author is None:
        return (text + f" Författarens text saknas: skapa den med handbok new kvalitetsberättelse "
                f"\"Kvalitetsberättelse {report.year}\".")
    if missing:
        text += f" Text saknas under: {', '.join(missing)} (i {report.author.path})."
    return text
