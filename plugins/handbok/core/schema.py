"""The front-matter schema: one source of truth for validation, JSON Schema and docs.

Each field is described once here. validate.py checks documents against these specs,
json_schema() turns them into a JSON Schema for editors (yaml-language-server), and
markdown_reference() writes the field tables in docs/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handbok.core import doctypes, goals, records
from handbok.core.dates import OFFERED_INTERVALS
from handbok.core.model import MEASURE_STATUSES, STATUSES
from handbok.core.settings import Settings

# Kinds of value; validate.py has one checker per kind.
TEXT, CODE, ID, DATE, TYPE, STATUS, INTERVAL, ROLE, UNIT, UNITS = (
    "text", "code", "id", "date", "type", "status", "interval", "role", "unit", "units")
STRINGS, REFS, REF, LEGAL, RESPONSIBILITIES, CHANGES, ACTIVITIES = (
    "strings", "refs", "ref", "legal", "responsibilities", "changes", "activities")
KIND, YEAR, URL, FILE = "kind", "year", "url", "file"
APPROVER = "approver"
# Kinds of the quality-work records (parsed by handbok.core.records).
RECORD_TYPE, PLAN_YEAR, PERIOD, CONTROLS, CONTROL_REF, RISKS, COUNTS, MEASURES, EVENTS = (
    "record_type", "plan_year", "period", "controls", "control_ref", "risks", "counts", "measures", "events")
GOALS, INDICATORS = "goals", "indicators"  # a målplan's (parsed by handbok.core.goals)

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    label: str  # Swedish label in the metadata panel and the docs
    help: str  # Swedish explanation for authors
    required: bool = False
    one_of: str | None = None  # fields sharing a group: at least one of them is required
    example: object = None
    types: tuple[str, ...] | None = None  # records only: the record types the field belongs to (None: all)


DOCUMENT_FIELDS = [
    FieldSpec("title", TEXT, "Titel", "Dokumentets titel.", True,
              example="Orosanmälan – mottagande och skyddsbedömning"),
    FieldSpec("type", TYPE, "Dokumenttyp", "Vad för slags styrdokument det är.", True, example="rutin"),
    FieldSpec("owner", ROLE, "Dokumentägare",
              "Rollen som ansvarar för att dokumentet hålls aktuellt, ur rollregistret. Kan också skrivas "
              "som `{role: …, name: …, email: …}`.", True, example="Enhetschef barn och unga"),
    FieldSpec("revised", DATE, "Senast reviderad",
              "Datum då dokumentet senast reviderades eller fastställdes (ÅÅÅÅ-MM-DD).", True, example="2026-03-12"),
    FieldSpec("review_interval", INTERVAL, "Revideras", "Hur ofta dokumentet ska ses över.", one_of="review",
              example="årligen"),
    FieldSpec("review_by", DATE, "Revideras senast",
              "Uttryckligt datum för nästa revision; gäller före revisionsintervallet.", one_of="review",
              example="2027-01-31"),
    FieldSpec("follow_up_interval", INTERVAL, "Följs upp",
              "Hur ofta dokumentet ska följas upp (gås igenom för att se att det fungerar), om det skiljer sig "
              "från revisionen, t.ex. ”Revideras: vid behov” och ”Följs upp: vartannat år”. Räknas från "
              "”followed_up”, annars från ”revised”.", example="vartannat år"),
    FieldSpec("followed_up", DATE, "Senast uppföljd", "Datum då dokumentet senast följdes upp (ÅÅÅÅ-MM-DD).",
              example="2026-03-26"),
    FieldSpec("legal_basis", LEGAL, "Lagrum",
              "Lagar och föreskrifter dokumentet vilar på, ett lagrum per rad, t.ex. `SoL 14 kap. 2 §` eller "
              "`SOSFS 2011:9 4 kap. 4 §`. Krävs för processer, rutiner och riktlinjer.",
              example=["SOSFS 2011:9 4 kap. 4 §"]),
    FieldSpec("status", STATUS, "Status", "`gällande` (standard), `utkast` eller `upphävd`.", example="gällande"),
    FieldSpec("id", ID, "Id",
              "Stabilt id som andra dokument kan hänvisa till (små bokstäver, siffror och bindestreck).",
              example="rutin-orosanmalan"),
    FieldSpec("unit", UNIT, "Enhet", "Enhet eller verksamhetsområde, ur enhetsregistret.", example="barn-och-unga"),
    FieldSpec("approved_by", APPROVER, "Beslutad av",
              "Vem som fastställde dokumentet (nämnd, chef eller ledningsgrupp). Med rollregistret skrivs den som "
              "rollen står där, och beslutsordningen i registret (`decisions:`) anger vem som får fastställa "
              "vilken dokumenttyp.", example="Socialnämnden"),
    FieldSpec("approved", DATE, "Beslutsdatum", "Datum för beslutet.", example="2026-02-20"),
    FieldSpec("diarienummer", CODE, "Diarienummer", "Diarienummer för beslutet.", example="SN 2026/0113"),
    FieldSpec("paragraf", CODE, "Paragraf",
              "Paragrafen i protokollet där beslutet står, t.ex. ”§ 86”.", example="§ 86"),
    FieldSpec("version", CODE, "Version",
              "Versionsnummer, om ni numrerar versionerna själva (t.ex. ”3” eller ”2.1”). Utan det räknas "
              "versionerna ur historiken: 1, 2, 3 … för varje nytt beslut eller ny revision.", example="3"),
    FieldSpec("tags", STRINGS, "Nyckelord", "Sökord och etiketter.", example=["orosanmälan"]),
    FieldSpec("related", REFS, "Relaterade dokument", "Id eller sökväg (relativt handboken) till relaterade dokument.",
              example=["process-barn-och-unga"]),
    FieldSpec("evidence", REFS, "Kunskapsunderlag", "Id för poster i evidensbiblioteket som dokumentet vilar på.",
              example=["bbic"]),
    FieldSpec("responsibilities", RESPONSIBILITIES, "Ansvarsfördelning",
              "Roll → lista med ansvar. Rollerna ska finnas i rollregistret.",
              example={"Enhetschef barn och unga": ["Ser till att rutinen är känd."]}),
    FieldSpec("changes", CHANGES, "Ändringslogg", "Lista med `date` och `note` för varje ändring.",
              example=[{"date": "2026-03-12", "note": "Anpassad till nya socialtjänstlagen."}]),
    FieldSpec("activities", ACTIVITIES, "Aktiviteter",
              "Endast processer: aktiviteterna i ordning, var och en med `name`, `role` och `routine` "
              "(id för rutinen).",
              example=[{"name": "Ta emot orosanmälan", "role": "Socialsekreterare", "routine": "rutin-orosanmalan"}]),
    FieldSpec("replaced_by", REF, "Ersatt av",
              "För upphävda dokument: id eller sökväg till dokumentet som ersätter det.",
              example="rutin-avvikelsehantering"),
]

EVIDENCE_FIELDS = [
    FieldSpec("id", ID, "Id", "Stabilt id som rutiner citerar, t.ex. med `[@bbic]`.", True, example="bbic"),
    FieldSpec("title", TEXT, "Titel", "Källans titel.", True, example="Grundbok i BBIC"),
    FieldSpec("kind", KIND, "Slag", "Vilket slags kunskapsunderlag.", True, example="metodstöd"),
    FieldSpec("authors", STRINGS, "Författare", "Författare (personer eller organisationer).", one_of="creator",
              example=["Socialstyrelsen"]),
    FieldSpec("publisher", TEXT, "Utgivare", "Utgivande organisation.", one_of="creator", example="Socialstyrelsen"),
    FieldSpec("year", YEAR, "År", "Utgivningsår (fyra siffror).", True, example=2018),
    FieldSpec("areas", UNITS, "Verksamhetsområden", "Verksamhetsområden ur enhetsregistret.", True,
              example=["barn-och-unga"]),
    FieldSpec("url", URL, "Länk", "Webbadress till källan.", one_of="source", example="https://www.socialstyrelsen.se/"),
    FieldSpec("file", FILE, "Bifogad fil", "Bifogad fil, sökväg relativt postens mapp.", one_of="source",
              example="bilagor/bbic.pdf"),
    FieldSpec("reviewed", DATE, "Senast granskad", "När någon senast bekräftade att källan är aktuell.", True,
              example="2026-02-01"),
    FieldSpec("review_interval", INTERVAL, "Granskas", "Hur ofta posten ska granskas.", one_of="review",
              example="vartannat år"),
    FieldSpec("review_by", DATE, "Granskas senast", "Uttryckligt datum för nästa granskning.", one_of="review"),
    FieldSpec("owner", ROLE, "Ansvarig", "Roll som håller posten aktuell.", example="Verksamhetsutvecklare"),
    FieldSpec("status", STATUS, "Status", "`gällande` (standard) eller `upphävd` för inaktuella källor."),
    FieldSpec("language", TEXT, "Språk", "Språkkod, t.ex. `sv` eller `en`.", example="sv"),
    FieldSpec("doi", CODE, "DOI", "DOI-nummer.", example="10.1002/14651858.CD000000"),
    FieldSpec("isbn", CODE, "ISBN", "ISBN.", example="978-91-7555-000-0"),
    FieldSpec("keywords", STRINGS, "Nyckelord", "Sökord.", example=["utredning"]),
    FieldSpec("tags", STRINGS, "Etiketter", "Etiketter."),
]

_PLANS = doctypes.PLAN_TYPES
_PERFORMED = ("kontrollresultat", "riskanalys", "sammanställning", "tillsyn")
_WITH_MEASURES = (*_PERFORMED, "målplan")  # a målplan's measures serve its goals (`goal:`)
_MEASURE_EXAMPLE = {"id": "a1", "what": "Mallen för utredning får en rubrik för barnets inställning",
                    "responsible": "Enhetschef barn och unga", "due": "2026-10-31", "status": "pågår"}

RECORD_FIELDS = [
    FieldSpec("title", TEXT, "Titel", "Postens titel.", True, example="Journalgranskning BBIC, första kvartalet 2026"),
    FieldSpec("type", RECORD_TYPE, "Posttyp",
              "Vad för slags post det är: egenkontrollplan, internkontrollplan, kontrollresultat, riskanalys, "
              "sammanställning, tillsyn eller årshjul.", True, example="kontrollresultat"),
    FieldSpec("id", ID, "Id", "Stabilt id som andra poster hänvisar till (små bokstäver, siffror och bindestreck).",
              True, example="resultat-bbic-2026-q1"),
    FieldSpec("owner", ROLE, "Ansvarig", "Rollen som ansvarar för posten, ur rollregistret.", True,
              example="Enhetschef barn och unga"),
    FieldSpec("unit", UNIT, "Enhet", "Enhet som posten gäller, ur enhetsregistret; utan enhet gäller den hela "
              "förvaltningen.", example="barn-och-unga"),
    FieldSpec("status", STATUS, "Status", "`gällande` (standard), `utkast` eller `upphävd`.", example="gällande"),
    FieldSpec("year", PLAN_YEAR, "År", "Året som planen, målen eller kvalitetsberättelsen gäller (fyra siffror).",
              True, example=2026, types=(*_PLANS, "målplan", "kvalitetsberättelse")),
    FieldSpec("performed", DATE, "Genomförd", "Datum då kontrollen, analysen eller sammanställningen gjordes, eller "
              "tillsynsbeslutets datum (ÅÅÅÅ-MM-DD).", True, example="2026-04-20", types=_PERFORMED),
    FieldSpec("period", PERIOD, "Period", "Perioden som resultatet eller sammanställningen gäller, t.ex. "
              "`{from: 2026-01-01, to: 2026-03-31}`.", True, example={"from": "2026-01-01", "to": "2026-03-31"},
              types=("kontrollresultat", "sammanställning")),
    FieldSpec("reports_to", ROLE, "Rapporteras till", "Roll som planens resultat rapporteras till, om inte "
              "kontrollen anger en egen.", example="Socialchef", types=_PLANS),
    FieldSpec("controls", CONTROLS, "Kontroller",
              "De planerade kontrollerna, var och en med `id`, `name`, `checks` (id för rutiner och processer som "
              "granskas), `method`, `frequency` (månadsvis, kvartalsvis, tertialvis, halvårsvis, årligen) eller `due` "
              "(datum), `within_days` (dagar efter periodens slut då resultatet ska finnas, standard 30), "
              "`responsible`, `reports_to`, `unit` och för internkontroll `risk`.", True,
              example=[{"id": "loggkontroll", "name": "Loggkontroll i verksamhetssystemet", "method": "loggkontroll",
                        "frequency": "månadsvis", "responsible": "Kvalitetssamordnare"}], types=_PLANS),
    FieldSpec("control", CONTROL_REF, "Kontroll", "Den planerade kontrollen resultatet gäller: planens id, #, "
              "kontrollens id.", True, example="egenkontrollplan-2026#bbic-journalgranskning",
              types=("kontrollresultat",)),
    FieldSpec("sample", TEXT, "Urval", "Vad som granskades och hur många.",
              example="20 utredningar avslutade under perioden, slumpvis valda", types=("kontrollresultat",)),
    FieldSpec("findings", TEXT, "Iakttagelser", "Vad granskningen visade. Skriv aldrig uppgifter om enskilda.",
              example="I 14 av 20 utredningar framgick barnets inställning.", types=("kontrollresultat", "tillsyn")),
    FieldSpec("assessment", TEXT, "Bedömning", "Vad resultatet betyder för kvaliteten.",
              example="Delvis godtagbart.", types=("kontrollresultat", "tillsyn")),
    FieldSpec("analysed", REFS, "Analyserat", "Id för processer och rutiner som analysen gäller.",
              example=["process-barn-och-unga"], types=("riskanalys",)),
    FieldSpec("subject", TEXT, "Gäller", "Vad som analyserades, när det inte är ett dokument (t.ex. en förändring).",
              example="Ny organisation av mottagningen", types=("riskanalys",)),
    FieldSpec("risks", RISKS, "Risker",
              "Riskerna, var och en med `id`, `risk`, `probability` och `consequence` (1–4 vardera; riskvärdet är "
              "produkten, 1–16) och gärna `cause` och `handling`.", True,
              example=[{"id": "r1", "risk": "Skyddsbedömning görs inte samma dag", "probability": 2,
                        "consequence": 4}], types=("riskanalys",)),
    FieldSpec("counts", COUNTS, "Antal per kategori",
              "Antal per slag (`kind`: avvikelse, lex sarah, lex maria, klagomål, synpunkt) och `category`. Bara "
              "antal, aldrig uppgifter om enskilda.", True,
              example=[{"kind": "avvikelse", "category": "Dokumentation", "count": 6}], types=("sammanställning",)),
    FieldSpec("authority", TEXT, "Tillsynsmyndighet", "Vem som gjorde tillsynen eller granskningen, t.ex. IVO.",
              example="IVO", types=("tillsyn",)),
    FieldSpec("measures", MEASURES, "Åtgärder",
              "Förbättrande åtgärder, var och en med `id`, `what`, `responsible` (roll), `due` (datum), `status` "
              "(planerad, pågår, genomförd, avbruten), `completed` (när genomförd), `reason` (när avbruten) och "
              "gärna `effect_check` (när effekten följs upp) och `effect` (vad uppföljningen visade). I en målplan "
              "anger `goal` målet som åtgärden ska bidra till.",
              example=[_MEASURE_EXAMPLE], types=_WITH_MEASURES),
    FieldSpec("events", EVENTS, "Aktiviteter",
              "Årshjulets återkommande aktiviteter, var och en med `id`, `name`, `when` (t.ex. ”mars”, ”1 mars”, "
              "”april och oktober”, ”varje kvartal”), `owner` (roll), `follows` (rutinens id) och `produces` "
              "(posttypen aktiviteten ska ge, då kontrolleras den).", True,
              example=[{"id": "riskanalys", "name": "Riskanalys inför internkontrollplanen", "when": "oktober",
                        "owner": "Ledningsgruppen", "produces": "riskanalys"}], types=("årshjul",)),
    FieldSpec("goals", GOALS, "Mål",
              "Målkedjan, var och en med `id`, `name`, `level` (nämndmål, effektmål, verksamhetsmål eller sajtens "
              "egna nivåer), `parent` (id för målet en nivå upp, krävs under översta nivån), `owner` (roll), "
              "`units` (enheter; utan enheter gäller målet hela förvaltningen) och gärna `description`.", True,
              example=[{"id": "trygg-uppvaxt", "level": "nämndmål", "name": "Barn och unga växer upp tryggt",
                        "owner": "Socialnämnden"}], types=("målplan",)),
    FieldSpec("indicators", INDICATORS, "Indikatorer",
              "Hur målen mäts, var och en med `id`, `goal` (målets id), `name`, `measured_in` (dagar, procent …), "
              "`direction` (`högre` eller `lägre` är bättre), `target` (målvärdet, ett tal), gärna `partly` (från "
              "vilket värde målet är delvis uppnått), `frequency` (årligen, halvårsvis, tertialvis, kvartalsvis, "
              "månadsvis; standard årligen), `within_days` (standard 30), `kolada`, `open_comparisons`, `source` "
              "och `results`: en rad per period med `period` (”2026”, ”2026-H1”, ”2026-T2”, ”2026-K3”, ”2026-05”), "
              "`value`, gärna `date` och `comment`.",
              example=[{"id": "utredningstid", "goal": "snabb-utredning", "name": "Utredningstid, median",
                        "measured_in": "dagar", "direction": "lägre", "target": 100,
                        "results": [{"period": "2026-H1", "value": 104, "date": "2026-07-15"}]}],
              types=("målplan",)),
    FieldSpec("approved_by", APPROVER, "Beslutad av", "Vem som fastställde planen, årshjulet, målen eller "
              "kvalitetsberättelsen.",
              example="Socialchef"),
    FieldSpec("approved", DATE, "Beslutsdatum", "Datum för beslutet. För ett årshjul kontrolleras bara aktiviteter "
              "efter beslutsdatum.", example="2025-12-10"),
    FieldSpec("diarienummer", CODE, "Diarienummer", "Diarienummer.", example="SN 2025/0412"),
    FieldSpec("paragraf", CODE, "Paragraf", "Paragrafen i protokollet.", example="§ 112"),
    FieldSpec("tags", STRINGS, "Nyckelord", "Sökord och etiketter.", example=["egenkontroll"]),
    FieldSpec("related", REFS, "Relaterade dokument", "Id eller sökväg till relaterade dokument.",
              example=["rutin-egenkontroll"]),
    FieldSpec("changes", CHANGES, "Ändringslogg", "Lista med `date` och `note` för varje ändring."),
]
RECORD_REQUIRED_BY_TYPE = {
    name: [f for f in RECORD_FIELDS if f.required and (f.types is None or name in f.types)]
    for name in doctypes.RECORD_NAMES}

ONE_OF_MESSAGES = {
    "review": "Ange när dokumentet ska ses över: fältet ”review_interval” (t.ex. ”årligen”) eller "
              "”review_by” (ett datum)",
    "source": "Ange var källan finns: fältet ”url” (webbadress) eller ”file” (bifogad fil)",
    "creator": "Ange vem som står bakom källan: fältet ”authors” eller ”publisher”",
}


def field_names(fields: list[FieldSpec]) -> set[str]:
    return {f.name for f in fields}


def allowed_keys(fields: list[FieldSpec], settings: Settings) -> set[str]:
    return field_names(fields) | set(settings.engine_keys) | set(settings.extra_keys)


# --- JSON Schema ------------------------------------------------------------------

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_STRINGS = {"type": "array", "items": {"type": "string"}}


_TEXT = {"type": "string", "minLength": 1}
_ID = {"type": "string", "pattern": ID_PATTERN}
_SCORE = {"type": "integer", "minimum": records.RISK_SCALE[0], "maximum": records.RISK_SCALE[1]}


def _items(required: list[str], properties: dict) -> dict:
    return {"type": "array", "items": {"type": "object", "required": required, "additionalProperties": False,
                                       "properties": properties}}


def _schema_for(spec: FieldSpec, settings: Settings, roles: list[str] | None, units: list[str] | None) -> dict:
    role = {"type": "string", "enum": roles} if roles else {"type": "string", "minLength": 1}
    unit = {"type": "string", "enum": units} if units else {"type": "string", "minLength": 1}
    kinds_period = {"type": "object", "required": ["from", "to"], "additionalProperties": False,
                    "properties": {"from": _DATE, "to": _DATE}}
    kinds: dict[str, dict[str, Any]] = {
        TEXT: {"type": "string", "minLength": 1},
        # The registry's roles are offered; other text is accepted too (a warning when there are decision rules).
        APPROVER: {"anyOf": [role, {"type": "string", "minLength": 1}]} if roles else role,
        CODE: {"type": ["string", "number"]},
        ID: {"type": "string", "pattern": ID_PATTERN},
        DATE: _DATE,
        TYPE: {"type": "string", "enum": settings.types},
        KIND: {"type": "string", "enum": settings.evidence_kinds},
        STATUS: {"type": "string", "enum": STATUSES},
        INTERVAL: {"anyOf": [{"type": "string", "enum": OFFERED_INTERVALS},
                             {"type": "string", "pattern": r"^\d{1,3} (månad|månader|år)$"}]},
        ROLE: {"anyOf": [role, {"type": "object", "required": ["role"], "additionalProperties": False,
                                 "properties": {"role": role, "name": {"type": "string"},
                                                "email": {"type": "string", "format": "email"}}}]},
        UNIT: unit,
        UNITS: {"type": "array", "items": unit, "minItems": 1},
        STRINGS: {"anyOf": [_STRINGS, {"type": "string"}]},
        REFS: _STRINGS,
        REF: {"type": "string"},
        LEGAL: {"type": "array", "items": {"type": "string", "minLength": 1}},
        RESPONSIBILITIES: {"type": "object", "additionalProperties": {"anyOf": [_STRINGS, {"type": "string"}]},
                           **({"propertyNames": {"enum": roles}} if roles else {})},
        CHANGES: {"type": "array", "items": {"type": "object", "required": ["date", "note"],
                                             "additionalProperties": False,
                                             "properties": {"date": _DATE, "note": {"type": "string"}}}},
        ACTIVITIES: {"type": "array", "items": {"type": "object", "required": ["name"], "additionalProperties": False,
                                                "properties": {"name": {"type": "string"}, "role": role,
                                                               "routine": {"type": "string"}}}},
        YEAR: {"type": "integer", "minimum": 1800, "maximum": 2100},
        URL: {"type": "string", "pattern": r"^https?://"},
        FILE: {"type": "string", "minLength": 1},
        RECORD_TYPE: {"type": "string", "enum": doctypes.RECORD_NAMES},
        PLAN_YEAR: {"type": "integer", "minimum": 2000, "maximum": 2100},
        PERIOD: kinds_period,
        CONTROL_REF: {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]*#[a-z0-9][a-z0-9._-]*$"},
        CONTROLS: _items(["id", "name", "responsible"], {
            "id": _ID, "name": _TEXT, "checks": _STRINGS, "method": {"type": "string", "examples": records.METHODS},
            "frequency": {"type": "string", "enum": list(records.FREQUENCIES) + list(records.FREQUENCY_ALIASES)},
            "due": {"anyOf": [_DATE, {"type": "array", "items": _DATE}]},
            "within_days": {"type": "integer", "minimum": 0, "maximum": 366}, "responsible": role,
            "reports_to": role, "unit": unit, "risk": _TEXT}),
        RISKS: _items(["id", "risk", "probability", "consequence"], {
            "id": _ID, "risk": _TEXT, "probability": _SCORE, "consequence": _SCORE, "cause": _TEXT,
            "handling": _TEXT}),
        COUNTS: _items(["kind", "category", "count"], {
            "kind": {"type": "string", "enum": records.COUNT_KINDS + [k.capitalize() for k in records.COUNT_KINDS]
                     + ["Lex Sarah", "Lex Maria"]}, "category": _TEXT,
            "count": {"type": "integer", "minimum": 0}}),
        MEASURES: _items(["id", "what", "responsible", "status"], {
            "id": _ID, "what": _TEXT, "responsible": role, "due": _DATE,
            "status": {"type": "string", "enum": MEASURE_STATUSES}, "completed": _DATE, "reason": _TEXT,
            "effect_check": _DATE, "effect": _TEXT, "goal": _ID}),
        GOALS: _items(["id", "name", "level", "owner"], {
            "id": _ID, "name": _TEXT, "level": {"type": "string", "examples": settings.goal_levels},
            "parent": _ID, "owner": role, "units": {"anyOf": [unit, {"type": "array", "items": unit}]},
            "description": _TEXT}),
        INDICATORS: _items(["id", "goal", "name", "direction", "target"], {
            "id": _ID, "goal": _ID, "name": _TEXT, "measured_in": _TEXT,
            "direction": {"type": "string", "enum": goals.DIRECTIONS}, "target": {"type": "number"},
            "partly": {"type": "number"},
            "frequency": {"type": "string", "enum": list(records.FREQUENCIES) + list(records.FREQUENCY_ALIASES)},
            "within_days": {"type": "integer", "minimum": 0, "maximum": 366},
            "kolada": {"type": "string", "pattern": goals.KOLADA_PATTERN}, "open_comparisons": _TEXT,
            "source": _TEXT, "results": {"type": "array", "items": {
                "type": "object", "required": ["period", "value"], "additionalProperties": False,
                "properties": {"period": {"anyOf": [{"type": ["string", "integer"]}, kinds_period]},
                               "value": {"type": "number"}, "date": _DATE, "comment": _TEXT}}}}),
        EVENTS: _items(["id", "name", "when"], {
            "id": _ID, "name": _TEXT, "when": {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]},
            "owner": role, "follows": _TEXT, "produces": {"type": "string", "enum": doctypes.RECORD_NAMES},
            "description": _TEXT}),
    }
    schema = dict(kinds[spec.kind])
    schema["title"] = spec.label
    schema["description"] = spec.help
    if spec.example is not None:
        schema["examples"] = [spec.example]
    return schema


def _profile(fields: list[FieldSpec], settings, roles, units, title: str) -> dict:
    groups: dict[str, list[str]] = {}
    for spec in fields:
        if spec.one_of:
            groups.setdefault(spec.one_of, []).append(spec.name)
    schema: dict[str, Any] = {
        "type": "object",
        "title": title,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _schema_for(f, settings, roles, units) for f in fields},
    }
    schema["allOf"] = [{"anyOf": [{"required": [name]} for name in names]} for names in groups.values()]
    for key in sorted(set(settings.engine_keys) | set(settings.extra_keys)):
        schema["properties"].setdefault(key, {})
    # Unknown keys are warnings in `handbok check`; in the editor they show as errors while typing.
    schema["additionalProperties"] = False
    return schema


def json_schema(settings: Settings | None = None, roles: list[str] | None = None,
                units: list[str] | None = None) -> dict:
    """JSON Schema (draft 2020-12) of the front matter of documents and evidence entries."""
    settings = settings or Settings()
    document = _profile(DOCUMENT_FIELDS, settings, roles, units, "Styrdokument")
    required_legal = settings.legal_basis_required_for
    document["allOf"].append({
        "if": {"properties": {"type": {"enum": required_legal}}, "required": ["type"]},
        "then": {"required": ["legal_basis"]},
    })
    record = _profile(RECORD_FIELDS, settings, roles, units, "Post i kvalitetsarbetet")
    record["required"] = ["title", "type", "id", "owner"]
    for name, fields in RECORD_REQUIRED_BY_TYPE.items():
        record["allOf"].append({"if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                                "then": {"required": [f.name for f in fields]}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://handbok.invalid/schema/handbok.schema.json",
        "title": "handbok – metadata (front matter) för verksamhetshandboken",
        "description": "Styrdokument (process, rutin, riktlinje …), poster i evidensbiblioteket och poster i "
                       "kvalitetsarbetet (egenkontroll, riskanalys, åtgärder, årshjul).",
        "$defs": {"document": document,
                  "evidence": _profile(EVIDENCE_FIELDS, settings, roles, units, "Post i evidensbiblioteket"),
                  "record": record},
        "oneOf": [{"$ref": "#/$defs/document"}, {"$ref": "#/$defs/evidence"}, {"$ref": "#/$defs/record"}],
    }


def markdown_reference(fields: list[FieldSpec]) -> str:
    """The field table for the author docs."""
    rows = ["| Fält | Krävs | Betydelse |", "|---|---|---|"]
    for spec in fields:
        required = "ja" if spec.required else ("en av " + ", ".join(
            f"`{f.name}`" for f in fields if f.one_of == spec.one_of) if spec.one_of else "nej")
        if spec.types is not None:
            required = f"{required} ({', '.join(spec.types)})"
        rows.append(f"| `{spec.name}` | {required} | **{spec.label}.** {spec.help} |")
    return "\n".join(rows) + "\n"
