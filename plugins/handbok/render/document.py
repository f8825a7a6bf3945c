"""What a governed page shows around its own text: banner, metadata panel, process map,
responsibility table, back-links, knowledge base and change log.

Output is Markdown with raw HTML blocks, so our headings reach the table of contents
while every value from front matter is escaped by us.
"""

from __future__ import annotations

import re
from pathlib import Path

from handbok.core import doctypes
from handbok.core.text import days, review_verbs
from handbok.render.links import Links, esc, human_size
from handbok.core.index import Handbook
from handbok.core.model import CURRENT, DRAFT, DUE_SOON, OVERDUE, REPEALED, STATE_LABELS, Document



def banner(doc: Document, links: Links) -> str:
    """The status banner; empty for a current document (the panel then says 'current')."""
    state = doc.state
    if state not in (OVERDUE, DUE_SOON, DRAFT, REPEALED):
        return ""
    owner = esc(doc.owner.label) if doc.owner else "dokumentägaren"
    verb, done = review_verbs(doc.is_evidence)
    if state == OVERDUE:
        text = (f"<strong>Revisionen är försenad.</strong> Dokumentet skulle ha {done} senast "
                f"<time datetime=\"{doc.next_review}\">{doc.next_review}</time> ({days(-doc.days_left)} sedan). "
                f"Innehållet kan vara inaktuellt – kontakta {owner} vid frågor.")
    elif state == DUE_SOON:
        text = (f"<strong>Snart dags för revision.</strong> Dokumentet ska {verb} senast "
                f"<time datetime=\"{doc.next_review}\">{doc.next_review}</time> (om {days(doc.days_left)}).")
    elif state == DRAFT:
        text = "<strong>Utkast.</strong> Dokumentet är inte fastställt och gäller inte ännu."
    else:
        text = "<strong>Upphävt.</strong> Dokumentet gäller inte längre och finns kvar för kännedom."
        if doc.replaced_by is not None:
            text += f" Det har ersatts av {links.anchor(doc.replaced_by)}."
    review = f' data-review-by="{doc.next_review}"' if doc.next_review else ""
    return (f'<div class="handbok-banner handbok-banner--{state}" data-handbok-status="{state}"{review} '
            f'role="note">{text}</div>')


def _row(label: str, value: str, searchable: bool = True) -> str:
    """One label/value pair of the panel. Labels, dates and lists of other documents' titles are kept
    out of the search index: they are the same on every page and only bury the real hits."""
    if not value:
        return ""
    # The spaces keep label and value apart in the search index, which strips tags without adding any.
    hidden = "" if searchable else " data-search-exclude"
    return (f'<div class="handbok-meta__row"{hidden}><dt data-search-exclude>{esc(label)}</dt> '
            f"<dd>{value}</dd></div> ")


def _list(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def legal_link(ref, book: Handbook) -> str:
    """'SoL 14 kap. 2 §' linked to the official text, with a note when the act is repealed."""
    act = ref.act
    name = esc(act.abbreviation or act.number)
    title = esc(act.citation)
    label = f'<abbr title="{title}">{name}</abbr>' if act.abbreviation else name
    text = f"{label} {esc(ref.location)}".strip()
    if act.url:
        text = f'<a href="{esc(act.url)}" class="handbok-law">{text}</a>'
    if act.is_repealed(book.today):
        successor = book.laws.successor(act)
        tail = f", ersatt av {esc(successor.citation)}" if successor else ""
        text += f' <span class="handbok-law__repealed">(upphävd {act.repealed}{tail})</span>'
    return text


def owner_html(doc: Document) -> str:
    if not doc.owner:
        return ""
    text = esc(doc.owner.role)
    if doc.owner.name:
        text += f", {esc(doc.owner.name)}"
    if doc.owner.email:
        text += f' (<a href="mailto:{esc(doc.owner.email)}">{esc(doc.owner.email)}</a>)'
    return text


def evidence_label(entry: Document) -> str:
    """'Socialstyrelsen 2018' – who and when, for citations and lists."""
    info = entry.entry
    who = (info.authors[0].split(",")[0] if info.authors else info.publisher) or ""
    if len(info.authors) > 1:
        who += " m.fl."
    return f"{who} {info.year or ''}".strip()


def panel(doc: Document, book: Handbook, links: Links, unit_url=None) -> str:
    rows = []
    if doc.is_evidence:
        info = doc.entry
        rows += [
            _row("Slag", esc(info.kind)),
            _row("Författare", esc("; ".join(info.authors))),
            _row("Utgivare", esc(info.publisher)),
            _row("År", esc(info.year)),
            _row("Verksamhetsområden", ", ".join(_unit_link(u, links, unit_url) for u in info.areas)),
            _row("Länk", f'<a href="{esc(info.url)}">{esc(info.url)}</a>' if info.url else ""),
            _row("Bifogad fil", attachment_html(doc, book, links)),
            _row("DOI", esc(info.doi)),
            _row("ISBN", esc(info.isbn)),
            _row("Språk", esc(info.language)),
            _row("Nyckelord", esc(", ".join(info.keywords))),
            _row("Ansvarig", owner_html(doc)),
            _row("Senast granskad", _date(doc.revised), searchable=False),
            _row("Nästa granskning", _date(doc.next_review), searchable=False),
        ]
    else:
        rows += [
            _row("Dokumenttyp", esc(doctypes.label(doc.type))),
            _row("Dokumentägare", owner_html(doc)),
            _row("Enhet", _unit_link(doc.unit, links, unit_url) if doc.unit else ""),
            _row("Beslutad av", esc(doc.approved_by)),
            _row("Beslutsdatum", _date(doc.approved), searchable=False),
            _row("Diarienummer", esc(doc.diarienummer)),
            _row("Senast reviderad", _date(doc.revised), searchable=False),
            _row("Nästa revision", _date(doc.next_review) + (f" ({esc(doc.review_interval)})" if doc.review_interval else ""),
                 searchable=False),
            _row("Status", esc(doc.status), searchable=False),
            _row("Lagrum", _list([legal_link(ref, book) for ref in doc.legal])),
            _row("Kunskapsunderlag", _list([links.anchor(e) for e in doc.evidence]), searchable=False),
            _row("Relaterade dokument", _list([links.anchor(r) for r in doc.related]), searchable=False),
        ]
        if doc.tags:
            rows.append(_row("Nyckelord", esc(", ".join(doc.tags))))
    state = doc.state or CURRENT
    review = f' data-review-by="{doc.next_review}"' if doc.next_review else ""
    label = "Om kunskapsunderlaget" if doc.is_evidence else "Om dokumentet"
    return (f'<section class="handbok-meta" aria-label="{label}" data-handbok-status="{state}"{review} '
            f'data-warn-days="{book.settings.due_soon_days}"><p class="handbok-meta__state" data-search-exclude>'
            f'<span class="handbok-state handbok-state--{state}">{esc(STATE_LABELS.get(state, state))}</span></p>'
            f'<dl class="handbok-meta__list">{"".join(rows)}</dl></section>')


def _date(day) -> str:
    return f'<time datetime="{day}">{day}</time>' if day else ""


def _unit_link(unit, links: Links, unit_url) -> str:
    url = unit_url(unit.id) if unit_url else None
    return f'<a href="{esc(links.site(url))}">{esc(unit.name)}</a>' if url else esc(unit.name)


def attachment_html(doc: Document, book: Handbook, links: Links) -> str:
    info = doc.entry
    if not info or not info.file:
        return ""
    path = book.docs_dir / info.file
    kind = Path(info.file).suffix.lstrip(".").upper() or "fil"
    size = human_size(path.stat().st_size) if path.is_file() else "saknas"
    href = links.site(info.file)
    return f'<a href="{esc(href)}" download>{esc(Path(info.file).name)}</a> ({esc(kind)}, {size})'


def process_map(doc: Document, links: Links) -> str:
    """The activities of a process in order, each linked to the routine that says how."""
    if doc.type != "process" or not doc.activities:
        return ""
    steps = []
    for number, activity in enumerate(doc.activities, start=1):
        routine = (links.anchor(activity.routine) if activity.routine is not None
                   else '<span class="handbok-flow__missing">Rutin saknas</span>')
        role = f'<span class="handbok-flow__role">Ansvarig: {esc(activity.role)}</span>' if activity.role else ""
        steps.append(f'<li class="handbok-flow__step"><span class="handbok-flow__name">{esc(activity.name)}</span>'
                     f'{role}<span class="handbok-flow__routine">Rutin: {routine}</span></li>')
    return (f'## Processens aktiviteter {{#handbok-aktiviteter}}\n\n'
            f'<ol class="handbok-flow" aria-label="Processens aktiviteter i ordning">{"".join(steps)}</ol>\n\n')


def responsibilities(doc: Document) -> str:
    if not doc.responsibilities:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{esc(role)}</th><td><ul>{"".join(f"<li>{esc(d)}</li>" for d in duties)}</ul></td></tr>'
        for role, duties in doc.responsibilities)
    return ('## Ansvarsfördelning {#handbok-ansvar}\n\n'
            '<div class="handbok-table-wrap handbok-responsibilities"><table>'
            '<caption>Ansvarsfördelning: vem ansvarar för vad</caption>'
            '<thead><tr><th scope="col">Roll</th><th scope="col">Ansvar</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div>\n\n')


def _doc_list(docs: list[Document], links: Links, with_type: bool = True) -> str:
    """Titles of other documents: links for readers, kept out of the search index (they would make
    every page that links to a routine a hit for the routine's title)."""
    items = "".join(
        f"<li>{links.anchor(d)}" + (f' <span class="handbok-muted">({esc(doctypes.label(d.type))})</span>' if with_type else "")
        + "</li>" for d in docs)
    return f'<ul class="handbok-doclist" data-search-exclude>{items}</ul>\n\n'


def knowledge_base(doc: Document, links: Links) -> str:
    if not doc.evidence:
        return ""
    items = "".join(
        f'<li>{links.anchor(e)} <span class="handbok-muted">({esc(e.entry.kind)}, {esc(e.entry.year or "år saknas")})</span></li>'
        for e in doc.evidence)
    return f'## Kunskapsunderlag {{#handbok-kunskapsunderlag}}\n\n<ul class="handbok-doclist" data-search-exclude>{items}</ul>\n\n'


def change_log(doc: Document) -> str:
    if not doc.changes:
        return ""
    rows = "".join(f'<tr><td><time datetime="{c.date}">{c.date}</time></td><td>{esc(c.note)}</td></tr>'
                   for c in sorted(doc.changes, key=lambda c: c.date, reverse=True))
    return ('## Ändringslogg {#handbok-andringslogg}\n\n<div class="handbok-table-wrap handbok-changes" data-search-exclude><table>'
            '<caption>Ändringar, senaste först</caption><thead><tr><th scope="col">Datum</th>'
            f'<th scope="col">Ändring</th></tr></thead><tbody>{rows}</tbody></table></div>\n\n')


_CITE = re.compile(r"\[@([a-z0-9][a-z0-9._-]*)\]")
_FENCE = re.compile(r"^\s*(```|~~~)")


def link_citations(markdown: str, book: Handbook, links: Links) -> str:
    """[@id] in the text becomes a link to the evidence entry: '(Socialstyrelsen 2018)'."""
    if "[@" not in markdown:
        return markdown
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and "[@" in line:
            def repl(match):
                entry = book.by_key.get(match.group(1))  # ids are indexed: no scan of all documents per page
                if entry is None or not entry.is_evidence:
                    return match.group(0)
                href = links.doc(entry.path)
                return (f'(<a class="handbok-cite" href="{esc(href)}" title="{esc(entry.title)}">'
                        f"{esc(evidence_label(entry))}</a>)")
            line = _CITE.sub(repl, line)
        out.append(line)
    return "\n".join(out)


def around(doc: Document, book: Handbook, links: Links, unit_url=None) -> tuple[str, str]:
    """What goes before the author's text (banner, panel, process map) and after it."""
    top = banner(doc, links) + "\n\n" + panel(doc, book, links, unit_url) + "\n\n" + process_map(doc, links)
    bottom = responsibilities(doc)
    if doc.processes:
        bottom += "## Ingår i process {#handbok-processer}\n\n" + _doc_list(doc.processes, links, with_type=False)
    bottom += knowledge_base(doc, links)
    if doc.backlinks:
        heading = "Citeras av" if doc.is_evidence else "Dokument som hänvisar hit"
        bottom += f"## {heading} {{#handbok-hanvisningar}}\n\n" + _doc_list(doc.backlinks, links)
    bottom += change_log(doc)
    return top, bottom
