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

from handbok.core.model import Document

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


def site_json(book, url_of: Callable[[str], str | None], site_url: str | None) -> dict:
    """The handbok.json structure (plain dicts, lists, strings, ints and None: json.dumps-ready)."""
    documents = sorted(book.documents, key=lambda d: d.path)
    return {
        "format": FORMAT,
        "generated": book.today.isoformat(),
        "site_url": site_url or None,
        "documents": [document_entry(doc, url_of, site_url or None) for doc in documents],
    }
