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

_BY_NAME = {t.name: t for t in BUILTIN + (EVIDENCE,)}
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


def in_group_order(names: set[str]) -> list[DocType]:
    """The types in `names` as unit pages group them: built-in order, then others alphabetically."""
    known = [t for t in BUILTIN if t.name in names]
    return known + [get(n) for n in sorted(names - {t.name for t in BUILTIN}, key=str)]
