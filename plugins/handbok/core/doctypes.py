"""The document types: one record per type, for validation, authoring, pages and feeds.

A site adds its own types with the option `extra_types`; they get a record built from the
name alone (label capitalised, folder and plural from the name), so every part of handbok
can ask the same questions of any type.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbok.core.text import slugify


@dataclass(frozen=True)
class DocType:
    name: str  # as written in front matter (`type:`)
    label: str  # singular, for panels and tables: "Rutin"
    plural: str  # heading on unit pages: "Rutiner"
    folder: str  # where `handbok new` puts it inside a unit folder
    interval: str = "årligen"  # default revision interval for `handbok new`
    template: str = "instruktion.md"  # body skeleton in handbok/authoring/templates
    legal_basis_required: bool = False  # default of the option legal_basis_required_for
    builtin: bool = True
    record: bool = False  # a record of the quality work (plans, results, analyses), not a steering document


BUILTIN: tuple[DocType, ...] = (
    # Unit pages list the groups in this order: the process first, then what steers, then what helps.
    DocType("process", "Process", "Processer", "processer", template="process.md", legal_basis_required=True),
    DocType("riktlinje", "Riktlinje", "Riktlinjer", "riktlinjer", template="riktlinje.md", legal_basis_required=True),
    DocType("rutin", "Rutin", "Rutiner", "rutiner", template="rutin.md", legal_basis_required=True),
    DocType("checklista", "Checklista", "Checklistor", "checklistor", template="checklista.md"),
    DocType("instruktion", "Instruktion", "Instruktioner", "instruktioner", template="instruktion.md"),
    DocType("ansvarsfördelning", "Ansvarsfördelning", "Ansvarsfördelning", "ansvarsfordelning",
            template="ansvarsfordelning.md"),
    # Steering documents high in the hierarchy change less often.
    DocType("policy", "Policy", "Policyer", "policyer", interval="vartannat år", template="policy.md"),
    DocType("plan", "Plan", "Planer", "planer", interval="vartannat år", template="plan.md"),
)
# The order of the option documentation and of `handbok new --help` (as before the registry).
BUILTIN_ORDER = ("process", "rutin", "riktlinje", "checklista", "instruktion", "policy", "plan", "ansvarsfördelning")
EVIDENCE = DocType("evidens", "Kunskapsunderlag", "Kunskapsunderlag", "evidens", builtin=True)

# The records of the quality work itself (SOSFS 2011:9 5 and 7 kap.): planned, performed and followed
# up, checked by handbok.core.quality. Their folders are below the site's records folder (kvalitetsarbete/).
RECORDS: tuple[DocType, ...] = (
    DocType("egenkontrollplan", "Egenkontrollplan", "Egenkontrollplaner", "egenkontroll",
            template="egenkontrollplan.md", record=True),
    DocType("internkontrollplan", "Internkontrollplan", "Internkontrollplaner", "internkontroll",
            template="internkontrollplan.md", record=True),
    DocType("kontrollresultat", "Kontrollresultat", "Kontrollresultat", "egenkontroll",
            template="kontrollresultat.md", record=True),
    DocType("riskanalys", "Riskanalys", "Riskanalyser", "riskanalyser", template="riskanalys.md", record=True),
    DocType("sammanställning", "Sammanställning och analys", "Sammanställningar och analyser", "sammanstallningar",
            template="sammanstallning.md", record=True),
    DocType("tillsyn", "Tillsyn och granskning", "Tillsyner och granskningar", "tillsyn",
            template="tillsyn.md", record=True),
    DocType("årshjul", "Årshjul", "Årshjul", "", template="arshjul.md", record=True),
    # The goal chain with its indicators, and the author's text of the yearly kvalitetsberättelse.
    DocType("målplan", "Mål och indikatorer", "Mål och indikatorer", "mal", template="malplan.md", record=True),
    DocType("kvalitetsberättelse", "Kvalitetsberättelse", "Kvalitetsberättelser", "", template="kvalitetsberattelse.md",
            record=True),
)
RECORD_NAMES: list[str] = [t.name for t in RECORDS]
RECORDS_FOLDER = "kvalitetsarbete"  # where `handbok new` puts the records, each type in its folder below
PLAN_TYPES = ("egenkontrollplan", "internkontrollplan")

_BY_NAME = {t.name: t for t in BUILTIN + RECORDS + (EVIDENCE,)}
BUILTIN_NAMES: list[str] = list(BUILTIN_ORDER)
assert set(BUILTIN_NAMES) == {t.name for t in BUILTIN}


def get(name: str | None) -> DocType:
    """The record of a type; a site's own type (or a missing one) gets a record from its name."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    text = name or "dokument"
    return DocType(text, text.capitalize(), text.capitalize(), slugify(text), builtin=False)


def label(name: str | None) -> str:
    """'Rutin' for 'rutin'; a site's own type capitalised; 'Dokument' when there is none."""
    return get(name).label


def is_record(name: str | None) -> bool:
    return name in _BY_NAME and _BY_NAME[name].record


def in_group_order(names: set[str]) -> list[DocType]:
    """The types in `names` as unit pages group them: built-in order, records, then others alphabetically."""
    known = [t for t in BUILTIN + RECORDS if t.name in names]
    return known + [get(n) for n in sorted(names - {t.name for t in known}, key=str)]
