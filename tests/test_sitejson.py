"""handbok.json: the machine-readable metadata the site publishes, built from a real handbook in a tmp dir."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest

from handbok.core.settings import Settings
from handbok.render import sitejson
from handbok.site.mkdocs.urls import page_url
from handbok.source import reader

TODAY = dt.date(2026, 12, 1)
SITE = "https://intranat.exempelkommun.se/handbok/"
HOSTILE = "<b>Fet</b> & \"citat\" 'apostrof' </script><script>alert(1)</script> {{ makro }} [@bbic] \\ ö"

DOCS = {
    "barn/rutiner/orosanmalan.md": """\
---
title: Orosanmälan – mottagande
id: rutin-orosanmalan
type: rutin
owner:
  role: Enhetschef barn och unga
  name: Anna Ek
  email: anna.ek@exempelkommun.se
unit: barn-och-unga
revised: 2025-12-10
review_interval: årligen
legal_basis:
  - SFS 2025:400 10 kap. 1 §
  - SOSFS 2011:9 4 kap. 4 §
evidence: [bbic]
---

Text.
""",
    "barn/index.md": """\
---
title: Barn och unga
type: plan
owner: Socialchef
unit: Barn och unga
revised: 2026-06-01
review_interval: årligen
status: utkast
---
""",
    "hostile.md": """\
---
title: '{title}'
type: checklista
owner: Socialchef
revised: 2025-10-01
review_interval: årligen
---
""".replace("{title}", HOSTILE.replace("'", "''")),
    "evidens/bbic.md": """\
---
id: bbic
title: Grundbok i BBIC
kind: metodstöd
publisher: Socialstyrelsen
year: 2018
areas: [barn-och-unga]
url: https://www.socialstyrelsen.se/
reviewed: 2026-02-01
review_interval: vartannat år
---

Sammanfattning.
""",
}


@pytest.fixture
def book(tmp_path: Path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "roles.yml").write_text(
        "roles:\n  - {id: socialchef, name: Socialchef}\n"
        "  - {id: enhetschef-barn-och-unga, name: Enhetschef barn och unga}\n", encoding="utf-8")
    (tmp_path / "registry" / "units.yml").write_text("units:\n  - {id: barn-och-unga, name: Barn och unga}\n",
                                                    encoding="utf-8")
    docs = tmp_path / "handbook"
    for rel, text in DOCS.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    settings = Settings(base_dir=tmp_path, roles_file="registry/roles.yml", units_file="registry/units.yml",
                        coverage=False)
    loaded = reader.load(docs, settings, TODAY)
    assert not loaded.errors or {p.code for p in loaded.errors} == {"overdue"}, loaded.errors
    return loaded


DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
NULLABLE_STR = {"type": ["string", "null"]}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "generated", "site_url", "documents", "records", "measures", "activities", "indicators"],
    "properties": {
        "format": {"const": "handbok/1"},
        "generated": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "site_url": NULLABLE_STR,
        "documents": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["path", "url", "absolute_url", "id", "title", "type", "owner", "unit", "revised",
                         "next_review", "status", "state", "days_left", "next_follow_up", "follow_up_state",
                         "decision", "legal"],
            "properties": {
                "path": {"type": "string"}, "url": {"type": "string"}, "absolute_url": NULLABLE_STR,
                "id": NULLABLE_STR, "title": {"type": "string"}, "type": NULLABLE_STR,
                "owner": {"oneOf": [{"type": "null"}, {
                    "type": "object", "additionalProperties": False, "required": ["role", "name", "email"],
                    "properties": {"role": {"type": "string"}, "name": NULLABLE_STR, "email": NULLABLE_STR}}]},
                "unit": {"oneOf": [{"type": "null"}, {
                    "type": "object", "additionalProperties": False, "required": ["id", "name"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}]},
                "revised": DATE, "next_review": DATE,
                "status": {"enum": ["gällande", "utkast", "upphävd"]},
                "state": {"enum": ["overdue", "due-soon", "current", "draft", "repealed", None]},
                "days_left": {"type": ["integer", "null"]},
                "next_follow_up": DATE,
                "follow_up_state": {"enum": ["overdue", "due-soon", "current", None]},
                "decision": {"type": "object", "additionalProperties": False,
                             "required": ["approved_by", "approved", "diarienummer", "paragraf"],
                             "properties": {"approved_by": NULLABLE_STR, "approved": DATE,
                                            "diarienummer": NULLABLE_STR, "paragraf": NULLABLE_STR}},
                "legal": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["text", "act", "number", "url", "location", "catalogued"],
                    "properties": {"text": {"type": "string"}, "act": {"type": "string"},
                                   "number": {"type": "string"}, "url": NULLABLE_STR,
                                   "location": {"type": "string"}, "catalogued": {"type": "boolean"}}}},
            }}},
        # The quality work: records (their own fields are asserted in test_site_quality), measures, activities.
        "records": {"type": "array", "items": {"type": "object", "required": [
            "path", "url", "id", "title", "type", "owner", "status", "performed", "year", "period", "control",
            "controls"]}},
        "measures": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "record", "url", "what", "responsible", "due", "status", "state", "days_left",
                         "completed", "reason", "effect_check", "effect"],
            "properties": {"id": {"type": "string"}, "record": {"type": "string"}, "url": NULLABLE_STR,
                           "what": {"type": "string"}, "responsible": {"type": "string"}, "due": DATE,
                           "status": {"enum": ["planerad", "pågår", "genomförd", "avbruten"]},
                           "state": {"enum": ["overdue", "due-soon", "current", None]},
                           "days_left": {"type": ["integer", "null"]}, "completed": DATE, "reason": NULLABLE_STR,
                           "effect_check": DATE, "effect": NULLABLE_STR}}},
        "activities": {"type": "array", "items": {"type": "object", "required": [
            "id", "record", "url", "name", "when", "times", "owner", "follows", "produces", "next_due"]}},
        "indicators": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": [
            "id", "record", "url", "year", "goal", "name", "measured_in", "direction", "target", "partly", "status",
            "kolada", "open_comparisons", "source", "results"], "properties": {
                "status": {"enum": ["uppnått", "delvis", "ej uppnått", "saknas"]},
                "target": {"type": "number"}, "direction": {"enum": ["högre", "lägre"]},
                "results": {"type": "array", "items": {"type": "object", "required": ["period", "value"]}}}}},
    },
}


def roundtrip(data: dict) -> dict:
    """What a consumer reads: strict JSON (no NaN, no non-string keys, no dates)."""
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


def test_schema_and_json_roundtrip(book):
    data = sitejson.site_json(book, page_url, SITE)
    assert roundtrip(data) == data  # nothing that JSON would silently change (dates, tuples)
    jsonschema.validate(data, SCHEMA)
    assert data["format"] == "handbok/1" and data["generated"] == "2026-12-01" and data["site_url"] == SITE
    assert [d["path"] for d in data["documents"]] == sorted(DOCS)


def test_document_entry(book):
    docs = {d["path"]: d for d in sitejson.site_json(book, page_url, SITE)["documents"]}
    entry = docs["barn/rutiner/orosanmalan.md"]
    assert entry["url"] == "barn/rutiner/orosanmalan/"
    assert entry["absolute_url"] == SITE + "barn/rutiner/orosanmalan/"
    assert entry["id"] == "rutin-orosanmalan" and entry["type"] == "rutin"
    assert entry["owner"] == {"role": "Enhetschef barn och unga", "name": "Anna Ek",
                              "email": "anna.ek@exempelkommun.se"}
    assert entry["unit"] == {"id": "barn-och-unga", "name": "Barn och unga"}
    assert (entry["revised"], entry["next_review"]) == ("2025-12-10", "2026-12-10")
    assert (entry["status"], entry["state"], entry["days_left"]) == ("gällande", "due-soon", 9)
    assert [(r["text"], r["number"], r["location"]) for r in entry["legal"]] == [
        ("SoL 10 kap. 1 §", "SFS 2025:400", "10 kap. 1 §"),
        ("SOSFS 2011:9 4 kap. 4 §", "SOSFS 2011:9", "4 kap. 4 §"),
    ]
    assert all(r["act"] for r in entry["legal"])

    folder = docs["barn/index.md"]
    assert folder["url"] == "barn/" and folder["absolute_url"] == SITE + "barn/"
    assert folder["id"] is None and folder["legal"] == []
    assert folder["owner"] == {"role": "Socialchef", "name": None, "email": None}
    assert (folder["status"], folder["state"]) == ("utkast", "draft")
    assert folder["unit"] == {"id": "barn-och-unga", "name": "Barn och unga"}  # given by name, stored by id


def test_evidence_entry_has_type_evidens(book):
    docs = {d["path"]: d for d in sitejson.site_json(book, page_url, SITE)["documents"]}
    entry = docs["evidens/bbic.md"]
    assert entry["type"] == "evidens" and entry["id"] == "bbic"
    assert entry["revised"] == "2026-02-01" and entry["next_review"] == "2028-02-01"  # reviewed + vartannat år
    assert entry["owner"] is None and entry["unit"] is None and entry["state"] == "current"


def test_hostile_title_is_data_not_html(book):
    data = sitejson.site_json(book, page_url, SITE)
    (entry,) = [d for d in data["documents"] if d["path"] == "hostile.md"]
    assert entry["title"] == HOSTILE
    assert entry["state"] == "overdue" and entry["days_left"] == -61
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["documents"][[d["path"] for d in data["documents"]].index("hostile.md")]["title"] == HOSTILE
    assert "&lt;" not in text and "&amp;" not in text


def test_without_site_url_absolute_url_is_null(book):
    data = sitejson.site_json(book, page_url, None)
    assert data["site_url"] is None
    assert all(d["absolute_url"] is None for d in data["documents"])
    jsonschema.validate(roundtrip(data), SCHEMA)


def test_url_of_is_the_callers(book):
    seen = []

    def url_of(path: str) -> str:
        seen.append(path)
        return "/x/" + path.replace(".md", ".html")

    data = sitejson.site_json(book, url_of, "https://x.se/h")
    assert sorted(seen) == sorted(DOCS)
    (entry,) = [d for d in data["documents"] if d["path"] == "hostile.md"]
    assert entry["url"] == "/x/hostile.html" and entry["absolute_url"] == "https://x.se/h/x/hostile.html"


def test_invalid_document_still_listed_with_nulls(tmp_path, book):
    bad = book.docs_dir / "trasig.md"
    bad.write_text("---\ntitle: Trasig\ntype: rutin\nrevised: inte-ett-datum\n---\n", encoding="utf-8")
    reloaded = reader.load(book.docs_dir, book.settings, TODAY)
    data = roundtrip(sitejson.site_json(reloaded, page_url, SITE))
    jsonschema.validate(data, SCHEMA)
    (entry,) = [d for d in data["documents"] if d["path"] == "trasig.md"]
    assert entry["title"] == "Trasig" and entry["revised"] is None and entry["next_review"] is None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["generated"])


def test_decision_follow_up_and_uncatalogued_law_are_in_the_entry(book):
    decided = book.docs_dir / "beslutad.md"
    decided.write_text("---\ntitle: Beslutad\ntype: rutin\nowner: Socialchef\nrevised: 2025-01-15\n"
                       "review_interval: vid behov\nfollow_up_interval: årligen\napproved_by: socialchef\n"
                       "approved: 2025-01-20\ndiarienummer: SN 2025/0012\nparagraf: § 86\n"
                       "legal_basis: [SFS 2019:1234 3 §]\n---\nText.\n", encoding="utf-8")
    reloaded = reader.load(book.docs_dir, book.settings, TODAY)
    data = roundtrip(sitejson.site_json(reloaded, page_url, SITE))
    jsonschema.validate(data, SCHEMA)
    (entry,) = [d for d in data["documents"] if d["path"] == "beslutad.md"]
    assert entry["decision"] == {"approved_by": "Socialchef", "approved": "2025-01-20",
                                 "diarienummer": "SN 2025/0012", "paragraf": "§ 86"}
    assert (entry["next_follow_up"], entry["follow_up_state"]) == ("2026-01-15", "overdue")  # TODAY is 2026-12-01
    assert [(r["number"], r["catalogued"]) for r in entry["legal"]] == [("SFS 2019:1234", False)]
