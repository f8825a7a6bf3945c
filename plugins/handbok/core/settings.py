"""Handbook settings: every option with its default and Swedish help, in one place.

The MkDocs adapter declares the same options as a typed config class (handbok.site.mkdocs.config,
kept equal to these by a test), the CLI reads them from mkdocs.yml (handbok.site.mkdocs.project),
and the docs table is generated from OPTION_HELP.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from handbok.core import attachments, doctypes, html_policy

DEFAULT_TYPES = doctypes.BUILTIN_NAMES
DEFAULT_EVIDENCE_KINDS = [
    "forskningsrapport", "kunskapsöversikt", "utvärdering", "nationella riktlinjer", "metodstöd",
    "föreskrift/vägledning", "statistik", "brukarundersökning",
]

# The levels of the goal chain, top first (Eslöv writes inriktningsmål, effektmål, leveransmål).
DEFAULT_GOAL_LEVELS = ["nämndmål", "effektmål", "verksamhetsmål"]


@dataclass
class Settings:
    exclude: list[str] = field(default_factory=lambda: ["index.md"])
    evidence_dir: str = "evidens"
    extra_types: list[str] = field(default_factory=list)
    extra_evidence_kinds: list[str] = field(default_factory=list)
    legal_basis_required_for: list[str] = field(
        default_factory=lambda: [n for n in DEFAULT_TYPES if doctypes.get(n).legal_basis_required])
    due_soon_days: int = 30
    as_needed_months: int = 24
    roles_file: str | None = None
    units_file: str | None = None
    laws_file: str | None = None
    provisions_file: str | None = None
    requirements_file: str | None = None
    coverage: bool = True
    require_decision: bool = False
    allow_test_personnummer: bool = False
    extra_keys: list[str] = field(default_factory=list)
    generated_dir: str = "handbok"
    templates_dir: str | None = None
    attachment_types: list[str] = field(default_factory=list)
    html_allow: list[str] = field(default_factory=list)
    csp: bool = True
    law_links: str | None = None
    goal_levels: list[str] = field(default_factory=lambda: list(DEFAULT_GOAL_LEVELS))
    organisation: str | None = None
    version_history: bool = True
    version_authors: bool = False
    search: bool = True
    synonyms_file: str | None = None
    # Front-matter keys the site engine itself reads (never "unknown"); set by the site adapter.
    engine_keys: tuple[str, ...] = ()
    # Where relative registry paths are resolved: the folder of mkdocs.yml.
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def types(self) -> list[str]:
        return DEFAULT_TYPES + [t for t in self.extra_types if t not in DEFAULT_TYPES]

    @property
    def evidence_kinds(self) -> list[str]:
        return DEFAULT_EVIDENCE_KINDS + [k for k in self.extra_evidence_kinds if k not in DEFAULT_EVIDENCE_KINDS]

    def resolve(self, relative: str | None) -> Path | None:
        return None if not relative else (self.base_dir / relative)


# name -> Swedish help. Order is the documentation order.
OPTION_HELP: dict[str, str] = {
    "exclude": "Sidor (glob-mönster relativt docs_dir) som inte är styrda dokument. Standard: startsidan `index.md`.",
    "evidence_dir": "Mapp (relativt docs_dir) med evidensbibliotekets poster.",
    "extra_types": "Egna dokumenttyper utöver process, rutin, riktlinje, checklista, instruktion, policy, plan och "
                   "ansvarsfördelning.",
    "extra_evidence_kinds": "Egna slag av kunskapsunderlag utöver de inbyggda (forskningsrapport, metodstöd …).",
    "legal_basis_required_for": "Dokumenttyper som måste ange lagrum (`legal_basis`).",
    "due_soon_days": "Hur många dagar före nästa revision ett dokument räknas som ”snart dags”.",
    "as_needed_months": "Längsta tid (månader) som ”vid behov” får betyda innan dokumentet ändå ska revideras.",
    "roles_file": "YAML-fil med rollregistret (dokumentägare och roller i ansvarsfördelningar), och med "
                  "beslutsordningen under `decisions:` (vem som får fastställa vilken dokumenttyp). "
                  "Utan den godtas alla roller.",
    "units_file": "YAML-fil med enheter/verksamhetsområden. Utan den godtas alla enheter.",
    "laws_file": "YAML-fil med egna eller ändrade författningar; läggs ovanpå det inbyggda lagrumsregistret.",
    "provisions_file": "YAML-fil med egna par av gammal och ny paragraf (till exempel i SoL 2001:453 och 2025:400); "
                       "läggs till den inbyggda paragrafnyckeln.",
    "requirements_file": "YAML-fil som ersätter den inbyggda kravkatalogen för SOSFS 2011:9.",
    "coverage": "Rapportera krav i SOSFS 2011:9 som inget dokument täcker (varningen `uncovered-requirement`).",
    "require_decision": "Kräv att varje gällande styrdokument har ett beslut (`approved_by` och `approved`): "
                        "saknas det blir det felet `decision-required` i stället för varningen `missing-decision`. "
                        "Sajten byggs ändå.",
    "allow_test_personnummer": "Godta Skatteverkets testpersonnummer i texter "
                               "(annars flaggas de som andra personnummer).",
    "extra_keys": "Egna metadatafält som inte ska varna som okända.",
    "generated_dir": "URL-prefix för de genererade sidorna (revisionsläge, lagrum, ansvar per roll …).",
    "templates_dir": "Mapp (relativt mkdocs.yml) med egna versioner av handboks HTML-mallar: en fil där med samma "
                     "namn som en av handboks mallar (t.ex. `document/panel.html`) används i stället för den.",
    "attachment_types": "Egna filtyper (filändelser, t.ex. `[.dwg]`) som får länkas och publiceras utöver de inbyggda "
                        "(PDF, Office-dokument utan makron, bilder, ren text, kalenderfiler, ljud och video). "
                        "HTML, JavaScript, XML, körbara program och SVG-bilder med skript går aldrig att tillåta: "
                        "de stoppas alltid, och att ange en sådan filtyp här är ett fel.",
    "html_allow": "Egna HTML-element, attribut och adressprefix som författare får skriva i sidtexten utöver de "
                  "inbyggda (t.ex. `[mark, span.data-info, \"*.data-info\", \"msteams:\"]`: ett element, "
                  "element.attribut (tillåter elementet också), `*.attribut` på alla element, eller ett prefix "
                  "för länkar). Skript, inbäddade ramar, formulär, stilmallar, `style`, händelseattribut (`on…`) "
                  "och `javascript:`/`data:`-länkar går aldrig att tillåta: att ange dem här är ett fel.",
    "csp": "Lägg in webbplatsens innehållspolicy (Content-Security-Policy) som `<meta>`-tagg i varje sida. "
           "Policyn för webbserverns huvud skrivs alltid till `content-security-policy.txt` i den byggda "
           "webbplatsen.",
    "law_links": "Adressmall för länkarna till författningar, för en sajt som har lagtexterna på en egen "
                 "spegel (t.ex. `https://lagar.intranat.exempel.se/{series}/{year}/{serial}`). Mallen får "
                 "innehålla `{number}` (”2025:400”), `{series}` (”SFS”), `{year}` (”2025”), `{serial}` "
                 "(”400”) och `{id}` (författningens id i lagrumsregistret). Tom: länkarna går till den "
                 "officiella adressen i lagrumsregistret.",
    "goal_levels": "Målkedjans nivåer, översta först, som de heter i nämndens styrmodell. Standard: nämndmål, "
                   "effektmål, verksamhetsmål (till exempel inriktningsmål, effektmål, leveransmål).",
    "organisation": "Kommunens och förvaltningens namn, som det ska stå på kvalitetsberättelsens titelsida, t.ex. "
                    "”Exempelkommun, socialförvaltningen”. Tom: webbplatsens namn (`site_name`).",
    "version_history": "Visa versionshistoriken ur git på varje styrdokument: fastställda versioner, vad som "
                       "ändrades mellan dem och de upphävda versionerna som egna sidor. Kräver hela historiken "
                       "(inte en grund klon).",
    "version_authors": "Visa namnen på dem som gjort redaktionella ändringar (ur git). Namn är personuppgifter: "
                       "standard är att bara den som fastställde versionen (`approved_by`) visas.",
    "search": "Handbokens egen sökning (Pagefind) i sidhuvudets sökruta: svenska ordformer, synonymer, filter "
              "och ett index som hämtas i bitar. Ersätter Materials sökning; ta bort `search` ur `plugins:`.",
    "synonyms_file": "YAML-fil med handbokens egna synonymer och ordled för sökningen (läggs till "
                     "grunduppsättningen), t.ex. `registry/synonymer.yml`.",
}

# The placeholders of law_links, filled in by handbok.core.legal.
LAW_LINK_FIELDS = ("number", "series", "year", "serial", "id")


def option_names() -> list[str]:
    return list(OPTION_HELP)


def settings_from_options(options: dict | None, base_dir: Path) -> Settings:
    """Typed settings; a value of the wrong kind is a ConfigError naming the option."""
    defaults = Settings(base_dir=base_dir)
    values = {}
    for name, value in (options or {}).items():
        if name not in OPTION_HELP:
            continue
        default = getattr(defaults, name)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            ok = value is None or isinstance(value, str)
        if not ok:
            raise ConfigError(f"handbok-inställningen ”{name}” har fel sorts värde: {value!r}")
        if name == "attachment_types":
            _check_attachment_types(value)
        if name == "html_allow":
            _check_html_allow(value)
        if name == "law_links":
            _check_law_links(value)
        if name == "goal_levels" and (not value or len({v.casefold() for v in value}) != len(value)):
            raise ConfigError("handbok-inställningen ”goal_levels” ska ha minst en nivå och varje nivå bara en gång, "
                              f"t.ex. [nämndmål, effektmål, verksamhetsmål]; nu: {value!r}")
        values[name] = value
    return Settings(base_dir=base_dir, **values)


def _check_attachment_types(values: list[str]) -> None:
    """Widening the allowlist must never let a page or a program through (see core.attachments)."""
    errors = attachments.widening_errors(values)
    if errors:
        raise ConfigError("handbok-inställningen ”attachment_types”: " + "; ".join(errors))


def _check_html_allow(values: list[str]) -> None:
    """Widening the HTML list must never let a script, a frame, a form or a style through (core.html_policy)."""
    errors = html_policy.allow_errors(values)
    if errors:
        raise ConfigError("handbok-inställningen ”html_allow”: " + "; ".join(errors))


def law_link_errors(template: str) -> list[str]:
    """What is wrong with a law_links template (Swedish), nothing when it can be used."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return ["en klammerparentes { eller } står ensam (skriv {{ eller }} för en klammer i adressen)"]
    errors = []
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in LAW_LINK_FIELDS:
            known = ", ".join(f"{{{f}}}" for f in LAW_LINK_FIELDS)
            errors.append(f"platshållaren {{{name}}} finns inte (använd {known})")
        elif spec or conversion:
            errors.append(f"platshållaren {{{name}}} ska skrivas utan format (bara {{{name}}})")
    if not template.startswith(("https://", "http://", "/")):
        errors.append("adressen ska börja med https://, http:// eller / (en adress på den egna webbservern)")
    return errors


def _check_law_links(value: str | None) -> None:
    errors = law_link_errors(value) if value else []
    if errors:
        raise ConfigError(f"handbok-inställningen ”law_links” ({value}): " + "; ".join(errors))


class ConfigError(Exception):
    """mkdocs.yml or a registry could not be used; the message is Swedish."""
