"""Generate a realistic synthetic handbook of N documents for benchmarks.

    python benchmarks/synthetic.py OUT N [--today 2026-04-01] [--seed 1]

Writes OUT/docs (units with processes and their activities, routines with legal
references and responsibility tables, guidelines, checklists, evidence entries),
OUT/mkdocs.yml (Material + the handbok plugin) and OUT/registry/{roles,units}.yml.
Review dates are spread around --today so that some documents are overdue, some due
soon and most current, as in a real handbook; a small share carries the usual author
mistakes (a misspelt key, an unknown role, a repealed law). Output is deterministic for
a given seed. Importable: `generate(out, n, today=..., seed=...)` returns a summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import posixpath
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TODAY = dt.date(2026, 4, 1)

BASE_UNITS = [
    ("ledning", "Ledning och styrning"),
    ("gemensamt", "Gemensamma rutiner"),
    ("barn-och-unga", "Barn och unga"),
    ("vuxen", "Vuxen – missbruk och beroende"),
    ("ekonomiskt-bistand", "Ekonomiskt bistånd"),
    ("familjeratt", "Familjerätt"),
]
SHARED_ROLES = ["Socialnämnden", "Socialchef", "Verksamhetsutvecklare", "Kvalitetssamordnare",
                "Förste socialsekreterare", "Socialsekreterare", "Behandlare", "Registrator", "Medarbetare",
                "Dataskyddsombud"]

TOPICS = ["orosanmälan", "förhandsbedömning", "utredning", "beslut", "uppföljning", "avslut", "samverkan",
          "dokumentation", "sekretess", "avvikelser", "lex Sarah", "klagomål", "egenkontroll", "riskanalys",
          "introduktion", "handledning", "kompetens", "delegation", "placering", "familjehem", "kontaktperson",
          "skyddsbedömning", "barnsamtal", "hot och våld", "akt och arkiv", "gallring", "tolk", "brukarmedverkan",
          "samordnad individuell plan", "överklagande", "återsökning", "nödbistånd", "budgetrådgivning",
          "missbruksutredning", "LVM-anmälan", "vårdnadsutredning", "samarbetssamtal", "faderskap", "umgängesstöd"]
VERBS = ["Ta emot", "Registrera", "Bedöma", "Utreda", "Besluta om", "Genomföra", "Följa upp", "Dokumentera",
         "Återkoppla", "Avsluta", "Planera", "Samordna", "Kontrollera", "Rapportera", "Analysera"]
SENTENCES = [
    "Handläggaren dokumenterar bedömningen i journalen samma dag.",
    "Enhetschefen ansvarar för att rutinen är känd av alla medarbetare på enheten.",
    "Vid osäkerhet konsulteras förste socialsekreterare innan beslut fattas.",
    "Barnets bästa ska särskilt beaktas och barnets egen uppfattning ska dokumenteras.",
    "Uppgifterna registreras i verksamhetssystemet och handlingarna diarieförs.",
    "Avvikelser från rutinen rapporteras enligt rutinen för avvikelsehantering.",
    "Den enskilde informeras muntligt och skriftligt om beslutet och om hur man överklagar.",
    "Uppföljningen sker minst var sjätte månad eller tidigare om behoven förändras.",
    "Samverkan med hälso- och sjukvården sker genom samordnad individuell plan när det behövs.",
    "Sekretess gäller för uppgifter om enskildas personliga förhållanden.",
    "Materialet sammanställs inför kvalitetsberättelsen och redovisas för nämnden.",
    "Checklistan används som stöd och ersätter inte den professionella bedömningen.",
]
LEGAL_POOL = [
    "SoL 10 kap. 1 §", "SoL 11 kap. 1 §", "SFS 2025:400 12 kap. 1 §", "socialtjänstlagen (2025:400) 5 kap. 1 §",
    "LVU 1 §", "LVU 2 §", "LVM 4 §", "24 b § LSS", "LSS 9 §", "OSL 26 kap. 1 §", "FL 9 §", "FL 23 §",
    "GDPR art. 6", "GDPR art. 9", "SoLPuL 7 §", "FB 6 kap.", "FB 6 kap. 2 a §", "SOSFS 2014:5 4 kap. 1 §",
    "SOSFS 2011:5 3 kap. 1 §", "HSL 5 kap. 1 §", "PSL 3 kap. 1 §", "AFS 2023:1", "SFS 2018:1197",
]
# The requirement-bearing paragraphs of SOSFS 2011:9, cited so that coverage is realistic.
SOSFS_POOL = ["SOSFS 2011:9 3 kap. 1 §", "SOSFS 2011:9 4 kap. 2–3 §§", "SOSFS 2011:9 4 kap. 4 §",
              "SOSFS 2011:9 4 kap. 5 §", "SOSFS 2011:9 4 kap. 6 §", "SOSFS 2011:9 5 kap. 1 §",
              "SOSFS 2011:9 5 kap. 2 §", "SOSFS 2011:9 5 kap. 6 §", "SOSFS 2011:9 5 kap. 7 §",
              "SOSFS 2011:9 6 kap. 1 §", "SOSFS 2011:9 7 kap. 1 §"]
OLD_SOL = ["SoL 11 kap. 1 §", "SoL 14 kap. 1 §", "SoL 3 kap. 3 §"]  # before 2025-07-01 this is SFS 2001:453
EVIDENCE_KINDS = ["forskningsrapport", "kunskapsöversikt", "utvärdering", "nationella riktlinjer", "metodstöd",
                  "föreskrift/vägledning", "statistik", "brukarundersökning"]
PUBLISHERS = ["Socialstyrelsen", "SBU", "Forte", "FoU-enheten i länet", "SKR", "Länsstyrelsen"]
# Document type -> (folder, share of governed documents, review intervals with weights)
TYPES = {
    "rutin": ("rutiner", 60, [("årligen", 65), ("vartannat år", 25), ("6 månader", 5), ("vid behov", 5)]),
    "riktlinje": ("riktlinjer", 10, [("vartannat år", 60), ("årligen", 40)]),
    "checklista": ("checklistor", 15, [("årligen", 70), ("vid behov", 30)]),
    "instruktion": ("instruktioner", 8, [("årligen", 80), ("18 månader", 20)]),
    "ansvarsfördelning": ("ansvar", 2, [("årligen", 100)]),
    "plan": ("planer", 2, [("årligen", 100)]),
}
INTERVAL_MONTHS = {"årligen": 12, "vartannat år": 24, "6 månader": 6, "vid behov": 24, "18 månader": 18}


@dataclass
class Doc:
    path: str
    id: str
    type: str
    title: str
    unit: tuple[str, str]
    owner: str
    routines: list[Doc] = field(default_factory=list)  # processes: the routines of their activities


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})
    out = "".join(c if c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(part for part in out.split("-") if part)


def _units(n: int) -> list[tuple[str, str]]:
    units = list(BASE_UNITS)
    for number in range(len(units), max(len(units), n // 400)):
        units.append((f"omrade-{number + 1}", f"Verksamhetsområde {number + 1}"))
    return units


def _review(rng: random.Random, today: dt.date, intervals) -> tuple[dt.date, str]:
    names, weights = zip(*intervals, strict=True)
    interval = rng.choices(names, weights)[0]
    # Revised within ~110 % of the interval: about a tenth overdue, a few due soon.
    span = int(INTERVAL_MONTHS[interval] * 30.44 * 1.1)
    return today - dt.timedelta(days=rng.randint(0, span)), interval


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(count))


def _link(from_doc: Doc, to_doc: Doc) -> str:
    return posixpath.relpath(to_doc.path, posixpath.dirname(from_doc.path))


def _plan(n: int, rng: random.Random) -> tuple[list[Doc], list[Doc], list[tuple[str, str]], list[str]]:
    units = _units(n)
    chiefs = [f"Enhetschef {name[0].lower()}{name[1:]}" for _, name in units]
    n_evidence = max(5, n * 4 // 100)
    n_process = max(len(units), n * 3 // 100)
    n_other = max(0, n - n_evidence - n_process)
    evidence = []
    for number in range(n_evidence):
        topic = rng.choice(TOPICS)
        doc_id = f"ev-{_slug(topic)}-{number + 1}"
        evidence.append(Doc(f"evidens/{doc_id}.md", doc_id, "evidens", f"Kunskapsstöd om {topic} ({number + 1})",
                            rng.choice(units), "Verksamhetsutvecklare"))
    governed: list[Doc] = []
    type_names = list(TYPES)
    weights = [TYPES[t][1] for t in type_names]
    used: set[str] = set()
    for number in range(n_other):
        index = number % len(units)
        unit = units[index]
        doc_type = rng.choices(type_names, weights)[0]
        topic = rng.choice(TOPICS)
        title = f"{doc_type.capitalize()} för {topic} – {unit[1].lower()}"
        slug = _slug(f"{topic} {number + 1}")
        path = f"{unit[0]}/{TYPES[doc_type][0]}/{slug}.md"
        doc_id = f"{_slug(doc_type)}-{unit[0]}-{slug}"
        assert doc_id not in used
        used.add(doc_id)
        governed.append(Doc(path, doc_id, doc_type, title, unit, chiefs[index]))
    routines_by_unit: dict[str, list[Doc]] = {}
    for doc in governed:
        if doc.type == "rutin":
            routines_by_unit.setdefault(doc.unit[0], []).append(doc)
    for number in range(n_process):
        index = number % len(units)
        unit = units[index]
        pool = routines_by_unit.get(unit[0], [])
        process = Doc(f"{unit[0]}/processer/process-{number + 1}.md", f"process-{unit[0]}-{number + 1}", "process",
                      f"Process {number + 1} – {rng.choice(TOPICS)} inom {unit[1].lower()}", unit, chiefs[index])
        process.routines = rng.sample(pool, min(len(pool), rng.randint(4, 8)))
        governed.append(process)
    return governed, evidence, units, chiefs


def _document_text(doc: Doc, rng: random.Random, today: dt.date, governed: list[Doc], evidence: list[Doc],
                   roles: list[str]) -> str:
    folder, _, intervals = TYPES.get(doc.type, ("processer", 0, [("årligen", 70), ("vartannat år", 30)]))
    revised, interval = _review(rng, today, intervals)
    status = rng.choices(["gällande", "utkast", "upphävd"], [92, 5, 3])[0]
    legal = rng.sample(LEGAL_POOL, rng.randint(1, 3)) + rng.sample(SOSFS_POOL, rng.randint(1, 2))
    if revised < dt.date(2025, 7, 1) and rng.random() < 0.3:
        legal[0] = rng.choice(OLD_SOL)  # not yet adapted to the new socialtjänstlag: a repealed-law warning
    related = rng.sample(governed, 2)
    cited = rng.sample(evidence, min(len(evidence), rng.randint(0, 2)))
    owner = doc.owner if rng.random() > 0.005 else doc.owner.replace("Enhetschef", "Enhetsschef")  # a typo
    lines = ["---", f"title: {doc.title}", f"id: {doc.id}", f"type: {doc.type}", f"owner: {owner}",
             f"unit: {doc.unit[0]}", f"revised: {revised.isoformat()}"]
    if rng.random() < 0.05:
        lines.append(f"review_by: {(revised + dt.timedelta(days=rng.randint(200, 500))).isoformat()}")
    else:
        lines.append(f"review_interval: {interval}")
    if status != "gällande":
        lines.append(f"status: {status}")
    if rng.random() < 0.4:
        lines += ["approved_by: Socialnämnden", f"approved: {revised.isoformat()}",
                  f"diarienummer: SN {revised.year}/{rng.randint(1, 999):04d}"]
    if doc.type in ("rutin", "riktlinje", "process") or rng.random() < 0.5:
        lines.append("legal_basis:")
        lines += [f"  - {ref}" for ref in legal]
    lines.append(f"tags: [{', '.join(rng.sample(TOPICS, 2))}]")
    lines.append(f"related: [{', '.join(d.id for d in related)}]")
    if cited:
        lines.append(f"evidence: [{', '.join(d.id for d in cited)}]")
    lines += _responsibility_lines(doc, rng, roles) + _activity_lines(doc, rng, roles)
    lines += ["changes:", f"  - date: {revised.isoformat()}", "    note: Reviderad efter årlig genomgång."]
    if rng.random() < 0.01:
        lines.append("reviewd: 2024-01-01")  # a misspelt key: an unknown-key warning
    lines.append("---")
    body = [f"# {doc.title}", "", "## Syfte", "", _paragraphs(rng, 1), "", "## Ansvar", "",
            f"**{doc.owner}** ansvarar för att dokumentet hålls aktuellt. " + _paragraphs(rng, 1), "",
            "## Tillvägagångssätt", ""]
    body += [f"{i + 1}. **{rng.choice(VERBS)}.** {' '.join(rng.sample(SENTENCES, 2))}"
             for i in range(rng.randint(4, 8))]
    body += ["", "## Dokumentation", "", _paragraphs(rng, 2), ""]
    body += [f"Se även [{d.title}]({_link(doc, d)})." for d in related]
    if cited:
        body += ["", "Arbetssättet bygger på " + " och ".join(f"[@{d.id}]" for d in cited) + "."]
    body += ["", "## Uppföljning", "", "| Vad | Vem | När |", "|---|---|---|",
             f"| Efterlevnad | {doc.owner} | Årligen |", "| Avvikelser | Kvalitetssamordnare | Varje månad |", ""]
    return "\n".join(lines + body) + "\n"


def _responsibility_lines(doc: Doc, rng: random.Random, roles: list[str]) -> list[str]:
    if doc.type not in ("rutin", "ansvarsfördelning", "riktlinje"):
        return []
    lines = ["responsibilities:"]
    for role in [doc.owner] + rng.sample([r for r in roles if r != doc.owner], 2):
        lines.append(f"  {role}:")
        lines += [f"    - {s}" for s in rng.sample(SENTENCES, rng.randint(1, 3))]
    return lines


def _activity_lines(doc: Doc, rng: random.Random, roles: list[str]) -> list[str]:
    if doc.type != "process":
        return []
    lines = ["activities:"]
    for step, routine in enumerate(doc.routines):
        lines += [f"  - name: {rng.choice(VERBS)} ({step + 1})", f"    role: {rng.choice(roles + [doc.owner])}"]
        if rng.random() > 0.1:
            lines.append(f"    routine: {routine.id}")
    return lines


def _evidence_text(doc: Doc, rng: random.Random, today: dt.date, units: list[tuple[str, str]]) -> str:
    reviewed, interval = _review(rng, today, [("vartannat år", 70), ("årligen", 30)])
    areas = rng.sample(units, rng.randint(1, 2))
    lines = ["---", f"id: {doc.id}", f"title: {doc.title}", f"kind: {rng.choice(EVIDENCE_KINDS)}",
             f"publisher: {rng.choice(PUBLISHERS)}", f"year: {rng.randint(2005, today.year - 1)}",
             f"areas: [{', '.join(u[0] for u in areas)}]", f"url: https://www.example.se/kunskap/{doc.id}",
             f"reviewed: {reviewed.isoformat()}", f"review_interval: {interval}", "owner: Verksamhetsutvecklare",
             "language: sv", f"keywords: [{', '.join(rng.sample(TOPICS, 2))}]", "---",
             "", "## Sammanfattning", "", _paragraphs(rng, 2), ""]
    return "\n".join(lines)


def generate(out: Path, n: int, *, today: dt.date = DEFAULT_TODAY, seed: int = 1) -> dict:
    """Write a synthetic handbook of n Markdown documents (plus index.md) below out."""
    rng = random.Random(seed)
    out = Path(out)
    docs = out / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    governed, evidence, units, chiefs = _plan(n, rng)
    roles = chiefs + SHARED_ROLES
    written = set()
    for doc in governed:
        target = docs / doc.path
        if target.parent not in written:
            target.parent.mkdir(parents=True, exist_ok=True)
            written.add(target.parent)
        target.write_text(_document_text(doc, rng, today, governed, evidence, SHARED_ROLES),
                          encoding="utf-8")
    (docs / "evidens").mkdir(parents=True, exist_ok=True)
    for doc in evidence:
        (docs / doc.path).write_text(_evidence_text(doc, rng, today, units), encoding="utf-8")
    (docs / "index.md").write_text("# Verksamhetshandbok\n\nSyntetisk handbok för prestandamätning.\n",
                                   encoding="utf-8")
    registry = out / "registry"
    registry.mkdir(parents=True, exist_ok=True)
    (registry / "roles.yml").write_text(
        "roles:\n" + "".join(f"  - name: {role}\n" for role in roles), encoding="utf-8")
    (registry / "units.yml").write_text(
        "units:\n" + "".join(f"  - id: {uid}\n    name: {name}\n" for uid, name in units), encoding="utf-8")
    plugins = "  - search\n  - handbok:\n      roles_file: registry/roles.yml\n      units_file: registry/units.yml\n"
    (out / "mkdocs.yml").write_text(mkdocs_yml(plugins=plugins), encoding="utf-8")
    return {"documents": len(governed) + len(evidence), "governed": len(governed), "evidence": len(evidence),
            "units": len(units), "roles": len(roles), "docs_dir": str(docs)}


def mkdocs_yml(plugins: str, docs_dir: str = "docs", site_dir: str = "site") -> str:
    """A Material mkdocs.yml for the synthetic site; `plugins` is the YAML list body."""
    return (f"site_name: Syntetisk verksamhetshandbok\ndocs_dir: {docs_dir}\nsite_dir: {site_dir}\n"
            # navigation.prune as in the project's mkdocs.yml: without it every page carries the whole
            # navigation and a 2,000-page build is quadratic.
            "theme:\n  name: material\n  language: sv\n  font: false\n  features:\n    - navigation.prune\n"
            f"plugins:\n{plugins}"
            "markdown_extensions:\n  - tables\n  - admonition\n  - attr_list\n  - toc:\n      permalink: true\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv en syntetisk handbok med N dokument.")
    parser.add_argument("out", type=Path, help="målmapp (docs/, mkdocs.yml och registry/ skrivs dit)")
    parser.add_argument("n", type=int, help="antal dokument")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY,
                        help="datum som revisionsdatumen sprids kring (standard 2026-04-01)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N måste vara minst 1")
    summary = generate(args.out, args.n, today=args.today, seed=args.seed)
    print(f"{summary['documents']} dokument ({summary['governed']} styrdokument, {summary['evidence']} evidensposter, "
          f"{summary['units']} enheter, {summary['roles']} roller) i {summary['docs_dir']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
