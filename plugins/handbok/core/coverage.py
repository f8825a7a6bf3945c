"""Coverage of SOSFS 2011:9: which requirement each document covers, and the gaps.

A document covers a requirement when its legal basis cites that chapter and paragraph
of SOSFS 2011:9 (a range such as 4 kap. 5–6 §§ covers both). Only documents in force
count: a draft or a repealed document does not make the management system complete.

Some requirements ask for work, not for a routine: risk analyses, egenkontroll, compilations
and improvement measures (5 kap.). Their catalogue entry names the `practice` that proves it,
and only such a record from the last 12 months covers them; a citing routine alone does not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from handbok.core.datafile import load_data
from handbok.core.legal import LawRegistry
from handbok.core.model import STATUS_CURRENT, Document
from handbok.core.problems import WARNING, Problem
from handbok.core.settings import ConfigError

# What proves a requirement of work, in the uncovered warning ("det finns ingen riskanalys ...").
PRACTICE_NOUNS = {"riskanalys": "riskanalys", "kontrollresultat": "egenkontroll med resultat",
                  "sammanställning": "sammanställning och analys av avvikelser och klagomål",
                  "åtgärd": "genomförd förbättrande åtgärd"}


@dataclass
class Requirement:
    id: str
    chapter: str
    section: str
    heading: str
    summary: str
    expects: str | None = None
    verified: bool = True  # number and content read in the consolidated text
    note: str | None = None
    source: str | None = None  # where the number is supported (a URL or a named document)
    practice: str | None = None  # the record kind that proves the work is done (handbok.core.quality)
    documents: list[Document] = field(default_factory=list)
    evidence: list[tuple[Document, str, object]] = field(default_factory=list)  # practice found: (record, id, date)

    @property
    def covered(self) -> bool:
        return bool(self.evidence) if self.practice else bool(self.documents)

    @property
    def location(self) -> str:
        return f"{self.chapter} kap. {self.section} §"


@dataclass
class Catalogue:
    act_number: str
    requirements: list[Requirement]


def _parse(text: str, source: str) -> Catalogue:
    try:
        data = load_data(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date
        raise ConfigError(f"{source}: kravkatalogen är inte giltig YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        raise ConfigError(f"{source}: kravkatalogen ska ha ”act:” och en lista ”requirements:”")
    requirements = []
    for item in data["requirements"]:
        if not isinstance(item, dict) or not all(item.get(k) not in (None, "")
                                                 for k in ("chapter", "section", "summary")):
            raise ConfigError(f"{source}: ett krav saknar chapter, section eller summary: {item!r}")
        chapter, section = str(item["chapter"]).strip(), str(item["section"]).strip()
        requirements.append(Requirement(
            id=str(item.get("id") or f"{chapter}-{section}"), chapter=chapter, section=section,
            heading=str(item.get("heading") or ""), summary=str(item["summary"]).strip(),
            expects=item.get("expects"), verified=bool(item.get("verified", True)), note=item.get("note"),
            source=str(item["source"]) if item.get("source") else None,
            practice=str(item["practice"]) if item.get("practice") else None))
    return Catalogue(str(data.get("act") or "SOSFS 2011:9"), requirements)


@functools.lru_cache(maxsize=1)
def _builtin_text() -> str:
    return resources.files("handbok.core").joinpath("data/sosfs_2011_9.yml").read_text(encoding="utf-8")


def load_catalogue(override: Path | None = None) -> Catalogue:
    if override is None:
        return _parse(_builtin_text(), "sosfs_2011_9.yml (inbyggd)")
    try:
        return _parse(override.read_text(encoding="utf-8"), str(override))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{override}: kravkatalogen kan inte läsas ({exc})") from None


Practice = Callable[[str], list]


def evaluate(catalogue: Catalogue, documents: list[Document], laws: LawRegistry,
             practice: Practice = lambda kind: []) -> list[Problem]:
    """Attach covering documents (and, for a requirement of work, the records that prove it) to each
    requirement; one warning per uncovered requirement."""
    act = laws.by_number(catalogue.act_number)
    for requirement in catalogue.requirements:
        requirement.documents = []
    by_chapter: dict[str | None, list] = {}  # citations of the act, by chapter: each requirement looks at one list
    for doc in documents:
        if doc.status == STATUS_CURRENT and not doc.is_evidence and act is not None:
            for ref in doc.legal:
                if ref.act.id == act.id:
                    by_chapter.setdefault(ref.citation.chapter, []).append((doc, ref))
    problems = []
    for requirement in catalogue.requirements:
        seen = set()
        for doc, ref in by_chapter.get(requirement.chapter, ()):
            if id(doc) not in seen and ref.covers(requirement.chapter, requirement.section):
                seen.add(id(doc))
                requirement.documents.append(doc)
        if requirement.practice:
            requirement.evidence = practice(requirement.practice)
            if not requirement.evidence:
                problems.append(Problem(
                    None, None, WARNING, "uncovered-requirement",
                    f"{catalogue.act_number} {requirement.location} ({requirement.heading or requirement.summary}) "
                    f"räknas som täckt först när kvalitetsarbetet visar att det görs: det finns ingen "
                    f"{PRACTICE_NOUNS.get(requirement.practice, requirement.practice)} från de senaste 12 månaderna. "
                    "Ett lagrum i en rutin räcker inte.", None))
            continue
        if not requirement.documents:
            problems.append(Problem(
                None, None, WARNING, "uncovered-requirement",
                f"Inget gällande dokument täcker {catalogue.act_number} {requirement.location} "
                f"({requirement.heading or requirement.summary}). Ange lagrummet i ”legal_basis” i det dokument "
                "som uppfyller kravet, eller skriv ett.", "legal_basis"))
    return problems
