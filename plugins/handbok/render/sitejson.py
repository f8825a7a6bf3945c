"""The machine-readable ``handbok.json`` the site publishes next to its pages.

Other systems (intranet start page, Power BI, a follow-up list in Excel) read the
handbook's metadata from here instead of scraping HTML. Everything is data: titles
are passed on exactly as written, never HTML-escaped; dates are ISO strings.

Top level:

| Fält        | Typ             | Innehåll |
|-------------|-----------------|----------|
| `format`    | sträng          | Alltid `"handbok/1"`; ändras bara om formatet ändras på ett sätt som inte är bakåtkompatibelt. |
| `generated` | datum           | Dagen filen byggdes (`ÅÅÅÅ-MM-DD`), samma ”i dag” som revisionslägena räknas från. |
| `site_url`  | sträng eller null | Webbplatsens adress (`site_url` i mkdocs.yml). |
| `documents` | lista           | Ett objekt per styrt dokument och per post i evidensbiblioteket, sorterade på `path`. |
| `records`   | lista           | Ett objekt per post i kvalitetsarbetet (egenkontrollplan, kontrollresultat, riskanalys …), sorterade på `path`: fälten ovan utom revisionsfälten, och `performed`, `year`, `period` (`{"from", "to"}`), `control` (planens id#kontrollens id) och `controls` (planens kontroller med `id`, `name`, `responsible`, `periods`: `{"from", "to", "due", "state"}` där `state` är `done`, `missing`, `waiting` eller `planned`). |
| `measures`  | lista           | Varje förbättrande åtgärd: `id`, `record` (postens sökväg), `url` (med ankare `#atgard-<id>`), `what`, `responsible`, `due`, `status` (`planerad`, `pågår`, `genomförd`, `avbruten`), `state` (`overdue`, `due-soon`, `current` för öppna, annars null), `days_left`, `completed`, `reason`, `effect_check`, `effect`. |
| `activities` | lista          | Årshjulets aktiviteter: `id`, `record`, `url`, `name`, `when` (som det skrivits), `times` (`{"month", "day"}`, `day` null = månadens sista dag), `owner`, `follows` (dokumentets sökväg), `produces`, `next_due`. |
| `indicators` | lista          | Indikatorerna i gällande målplaner: `id`, `record` (målplanens sökväg), `url` (med ankare `#indikator-<id>`), `year`, `goal` (`{"id", "name", "level", "owner", "units"}`), `name`, `measured_in`, `direction` (`högre` eller `lägre`), `target`, `partly`, `status` (`uppnått`, `delvis`, `ej uppnått`, `saknas` för planens år), `kolada`, `open_comparisons`, `source` och `results` (`{"period", "from", "to", "value", "date", "comment"}`, äldst först). |

Each object in `documents`:

| Fält           | Typ               | Innehåll |
|----------------|-------------------|----------|
| `path`         | sträng            | Filens sökväg i handboken, t.ex. `barn-och-unga/rutiner/orosanmalan.md`. |
| `url`          | sträng            | Sidans adress relativt webbplatsen, t.ex. `barn-och-unga/rutiner/orosanmalan/`. |
| `absolute_url` | sträng eller null | Hela adressen (`site_url` + `url`); null när `site_url` saknas. |
| `id`           | sträng eller null | Dokumentets stabila id (`id` i metadatan). |
| `title`        | sträng            | Titeln, exakt som den skrivits. |
| `type`         | sträng eller null | Dokumenttyp (`rutin`, `process` …); `"evidens"` för poster i evidensbiblioteket. |
| `owner`        | objekt eller null | Dokumentägare: `{"role", "name", "email"}`; `name` och `email` kan vara null. |
| `unit`         | objekt eller null | Enhet: `{"id", "name"}`. |
| `revised`      | datum eller null  | Senast reviderad (för evidensposter: senast granskad, `reviewed`). |
| `next_review`  | datum eller null  | Nästa revision enligt `review_by` eller `review_interval`. |
| `status`       | sträng            | `gällande`, `utkast` eller `upphävd`. |
| `state`        | sträng eller null | Revisionsläge: `overdue`, `due-soon`, `current`, `draft` eller `repealed`. |
| `days_left`    | heltal eller null | Dagar kvar till nästa revision (negativt = försenad). |
| `next_follow_up` | datum eller null | Nästa uppföljning enligt `follow_up_interval` (räknat från `followed_up` eller `revised`). |
| `follow_up_state` | sträng eller null | Uppföljningens läge: `overdue`, `due-soon` eller `current`; null utan uppföljningsintervall. |
| `decision`     | objekt            | Beslutet: `{"approved_by", "approved", "diarienummer", "paragraf"}`; varje värde kan vara null. |
| `legal`        | lista             | Lagrum: `{"text", "act", "number", "url", "location", "catalogued"}` – `text` som det visas (`SoL 14 kap. 2 §`), `act` författningens rubrik, `number` dess nummer (`SFS 2025:400`), `url` länk till författningen eller null, `location` kapitel/paragraf (kan vara tom), `catalogued` false när numret saknas i lagrumsregistret. |

Values that failed validation are null (or an empty list) rather than guessed;
`handbok check` reports why.
"""

from __future__ import annotations

from collections.abc import Callable

from handbok.core import goals, quality
from handbok.core.model import Document, Event, Indicator, Measure
from handbok.render.records import period_rows

FORMAT = "handbok/1"
EVIDENCE_TYPE = "evidens"


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _legal(doc: Document) -> list[dict]:
    return [{
        "text": ref.display,
        "act": ref.act.title,
        "number": ref.act.number,
        "url": ref.act.url,
        "location": ref.location,
        "catalogued": ref.act.catalogued,
    } for ref in doc.legal]


def document_entry(doc: Document, url_of: Callable[[str], str | None], site_url: str | None) -> dict:
    url = url_of(doc.path)
    owner = doc.owner
    return {
        "path": doc.path,
        "url": url,
        "absolute_url": site_url.rstrip("/") + "/" + url.lstrip("/") if site_url and url is not None else None,
        "id": doc.doc_id,
        "title": doc.title,
        "type": EVIDENCE_TYPE if doc.is_evidence else doc.type,
        "owner": {"role": owner.role, "name": owner.name, "email": owner.email} if owner else None,
        "unit": {"id": doc.unit.id, "name": doc.unit.name} if doc.unit else None,
        "revised": _date(doc.revised),
        "next_review": _date(doc.next_review),
        "status": doc.status,
        "state": doc.state,
        "days_left": doc.days_left,
        "next_follow_up": _date(doc.next_follow_up),
        "follow_up_state": doc.follow_up_state,
        "decision": {"approved_by": doc.approved_by, "approved": _date(doc.approved),
                     "diarienummer": None if doc.diarienummer is None else str(doc.diarienummer),
                     "paragraf": doc.paragraf},
        "legal": _legal(doc),
    }


def _anchored(url_of: Callable[[str], str | None], doc: Document | None, anchor: str) -> str | None:
    url = url_of(doc.path) if doc is not None else None
    return f"{url}#{anchor}" if url is not None else None


def record_entry(doc: Document, url_of: Callable[[str], str | None], site_url: str | None, today) -> dict:
    entry = {k: v for k, v in document_entry(doc, url_of, site_url).items()
             if k not in ("revised", "next_review", "state", "days_left", "next_follow_up", "follow_up_state",
                          "legal")}
    info = doc.record
    if info is None:
        return entry
    entry.update({
        "performed": _date(info.performed),
        "year": info.year,
        "period": {"from": _date(info.period.start), "to": _date(info.period.end)} if info.period else None,
        "control": info.control_ref,
        "controls": [{"id": c.id, "name": c.name, "responsible": c.responsible, "method": c.method,
                      "periods": [{"from": _date(p["period"].start), "to": _date(p["period"].end),
                                   "due": _date(p["due"]), "state": p["state"]} for p in period_rows(c, today)]}
                     for c in info.controls],
    })
    return entry


def _measure(m: Measure, url_of: Callable[[str], str | None]) -> dict:
    return {"id": m.id, "record": m.record.path if m.record else None, "url": _anchored(url_of, m.record, m.anchor),
            "what": m.what, "responsible": m.responsible, "due": _date(m.due), "status": m.status,
            "state": m.state, "days_left": m.days_left, "completed": _date(m.completed), "reason": m.reason,
            "effect_check": _date(m.effect_check), "effect": m.effect}


def _activity(e: Event, url_of: Callable[[str], str | None]) -> dict:
    return {"id": e.id, "record": e.record.path if e.record else None, "url": _anchored(url_of, e.record, e.anchor),
            "name": e.name, "when": e.when_text, "times": [{"month": t.month, "day": t.day} for t in e.times],
            "owner": e.owner, "follows": e.follows.path if e.follows else None, "produces": e.produces,
            "next_due": _date(e.next_due)}


def _indicator(i: Indicator, url_of: Callable[[str], str | None]) -> dict:
    year = i.record.record.year if i.record and i.record.record else None
    goal = i.goal
    return {"id": i.id, "record": i.record.path if i.record else None, "url": _anchored(url_of, i.record, i.anchor),
            "year": year, "goal": {"id": goal.id, "name": goal.name, "level": goal.level, "owner": goal.owner,
                                   "units": [u.id for u in goal.units]} if goal else None,
            "name": i.name, "measured_in": i.measured_in, "direction": i.direction, "target": i.target,
            "partly": i.partly, "status": goals.status(i, year) if year else None, "kolada": i.kolada,
            "open_comparisons": i.open_comparisons, "source": i.source,
            "results": [{"period": r.period_text, "from": _date(r.period.start), "to": _date(r.period.end),
                         "value": r.value, "date": _date(r.date), "comment": r.comment} for r in i.results]}


def site_json(book, url_of: Callable[[str], str | None], site_url: str | None) -> dict:
    """The handbok.json structure (plain dicts, lists, strings, ints and None: json.dumps-ready)."""
    documents = sorted(book.library, key=lambda d: d.path)
    records = sorted(book.records, key=lambda d: d.path)
    return {
        "format": FORMAT,
        "generated": book.today.isoformat(),
        "site_url": site_url or None,
        "documents": [document_entry(doc, url_of, site_url or None) for doc in documents],
        "records": [record_entry(doc, url_of, site_url or None, book.today) for doc in records],
        "measures": [_measure(m, url_of) for m in quality.all_measures(book)],
        "activities": [_activity(e, url_of) for e in quality.all_events(book)],
        "indicators": [_indicator(i, url_of) for i in quality.all_indicators(book)],
    }
