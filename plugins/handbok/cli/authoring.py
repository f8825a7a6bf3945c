"""CLI commands for routine owners: new, revise, reminders and evidence import."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from handbok.core import doctypes
from handbok.core.dates import parse_iso_date, resolve_today
from handbok.core.settings import ConfigError, Settings
from handbok.site.mkdocs.project import Project, load_project
from handbok.source.frontmatter import read_source


def _project_or_defaults(args) -> Project:
    """Authoring works without mkdocs.yml too (then docs_dir must be given)."""
    config = Path(args.config_file) if getattr(args, "config_file", None) else None
    docs = Path(args.docs_dir) if getattr(args, "docs_dir", None) else None
    if config is None and docs is None and not Path("mkdocs.yml").exists():
        raise ConfigError("Hittar ingen mkdocs.yml här; ange handbokens mapp med --docs-dir.")
    return load_project(config, docs)


def cmd_new(args) -> int:
    from handbok.authoring import documents as authoring
    from handbok.core.registry import load_registry

    project = _project_or_defaults(args)
    settings = project.settings
    today = resolve_today(args.today)
    unit_slug = None
    if args.unit:
        units = load_registry(settings.resolve(settings.units_file), "units", "enhet")
        entry = units.find(args.unit)
        if entry is None:
            raise ConfigError(f"Enheten ”{args.unit}” finns inte i enhetsregistret.{units.suggestion(args.unit)}")
        unit_slug = entry.id
    if args.owner:
        roles = load_registry(settings.resolve(settings.roles_file), "roles", "roll")
        if roles.find(args.owner) is None:
            raise ConfigError(f"Rollen ”{args.owner}” finns inte i rollregistret.{roles.suggestion(args.owner)}")
    try:
        rel, text = authoring.new_document(project.docs_dir, args.type, args.title, today=today,
                                           unit=unit_slug or args.unit, owner=args.owner, unit_slug=unit_slug,
                                           settings=settings)
    except ValueError as exc:
        print(f"handbok new: {exc}", file=sys.stderr)
        return 2
    target = project.docs_dir / rel
    try:
        authoring.write_new(target, text)
    except FileExistsError:
        print(f"handbok new: {target} finns redan – befintliga filer skrivs aldrig över. Välj en annan titel "
              "eller revidera det befintliga dokumentet.", file=sys.stderr)
        return 1
    print(f"Skapade {target}")
    if doctypes.is_record(authoring.normalize_type(args.type, settings.types)):
        print("Nästa steg: fyll i fälten (roller ur rollregistret, datum och åtgärder) och texten, och sätt status: "
              "gällande när posten är klar. Se docs/kvalitetsarbete.md.")
        return 0
    print("Nästa steg: fyll i lagrum (legal_basis), ansvar och texten, och sätt status: gällande när dokumentet "
          "är fastställt.")
    return 0


def cmd_revise(args) -> int:
    from handbok.authoring import documents as authoring

    day = parse_iso_date(args.date) if args.date else resolve_today(None)
    path = Path(args.path)
    if not path.is_file():
        print(f"handbok revise: filen ”{path}” finns inte.", file=sys.stderr)
        return 2
    before = read_source(path, path.name)
    offers = _citation_offers(before.meta or {}, day)
    for offer in offers:
        print(offer.message)
    replace = {o.item: o.write for o in offers if o.write}
    if replace and not args.byt_lagrum and not _ask_to_replace(replace):
        print("Lagrummen ändrades inte. Kör igen med --byt-lagrum för att byta dem, eller ändra legal_basis för hand.")
        replace = {}
    try:
        authoring.revise_file(path, date=day, note=args.note, legal=replace)
    except authoring.ReviseError as exc:
        print(f"handbok revise: {exc}", file=sys.stderr)
        return 1
    print(f"Reviderade {path}: revised = {day.isoformat()}, ny rad i ändringsloggen"
          + (f", {len(replace)} lagrum {'bytt' if len(replace) == 1 else 'bytta'}." if replace else "."))
    for old, new in replace.items():
        print(f"  ”{old}” → ”{new}”")
    return 0


@dataclass(frozen=True)
class _Offer:
    item: str
    message: str
    write: str | None  # the reference to write instead, when one new place holds all of it


def _citation_offers(meta: dict, new_date) -> list[_Offer]:
    """What revising does to the document's law references, said before anything is written.

    Abbreviations are read as the act in force on the revision date: after 2025-07-01 'SoL'
    means SFS 2025:400, so a routine citing 'SoL 11 kap. 1 a §' of the old law would silently
    point at another paragraph. Every reference to an act repealed by then is named, with its
    new place when the paragraph key knows it."""
    from handbok.core.dates import DateError, coerce_date
    from handbok.core.legal import CitationError, cites_by_number, load_laws, parse_citation

    try:
        old_date = coerce_date(meta.get("revised"))
    except DateError:
        return []
    items = meta.get("legal_basis") or []
    items = [items] if isinstance(items, str) else items
    if not isinstance(items, list):
        return []
    try:
        project = load_project() if Path("mkdocs.yml").exists() else None
    except ConfigError:
        project = None
    settings = project.settings if project else Settings()
    laws = load_laws(settings.resolve(settings.laws_file), settings.resolve(settings.provisions_file))
    offers = []
    for item in items:
        try:
            citation = parse_citation(str(item))
        except CitationError:
            continue
        old, new = laws.resolve(citation.act_text, old_date), laws.resolve(citation.act_text, new_date)
        if old is None or not old.is_repealed(new_date):
            continue
        by_number = cites_by_number(citation.act_text)
        if new is not None and new.id != old.id:
            head = (f"Obs: lagrummet ”{item}” syftade på {old.citation}, men efter revisionen läses "
                    f"”{citation.act_text}” som {new.citation}.")
        else:
            head = f"Obs: lagrummet ”{item}” hänvisar till {old.citation}, som upphävdes {old.repealed}."
        moved = laws.new_place_text(old, citation, by_number=by_number)
        if moved is None:
            successor = laws.successor(old)
            where = f" i {successor.definite}" if successor else ""
            offers.append(_Offer(str(item), f"{head} Var {citation.location or 'bestämmelsen'} finns{where} är inte "
                                             "känt för handboken; slå upp det och rätta lagrummet.", None))
            continue
        text, write = moved
        tail = f" Förslag: ”{write}”." if write else " Välj rätt paragraf och rätta lagrummet."
        offers.append(_Offer(str(item), f"{head} {text[:1].upper()}{text[1:]}.{tail}", write))
    return offers


def _ask_to_replace(replace: dict[str, str]) -> bool:
    """Ask on a terminal (never in CI or a pipe, where the answer is no)."""
    if not sys.stdin.isatty() or os.environ.get("CI"):
        return False
    pairs = "; ".join(f"”{old}” → ”{new}”" for old, new in replace.items())
    try:
        answer = input(f"Byta lagrum i legal_basis ({pairs})? [j/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("j", "ja", "y", "yes")


def cmd_reminders(args) -> int:
    from handbok.reminders import digest as reminders
    from handbok.site.mkdocs.urls import page_links
    from handbok.source import reader

    project = load_project(Path(args.config_file) if args.config_file else None,
                           Path(args.docs_dir) if args.docs_dir else None)
    if args.warn_days is not None:
        project.settings.due_soon_days = args.warn_days
    book = reader.load(project.docs_dir, project.settings, resolve_today(args.today))
    return reminders.run(book, Path(args.output), url_of=page_links(project.site_url), send=args.send)


def cmd_evidens(args) -> int:
    from handbok.evidence import importer as evidence_import
    from handbok.source import reader

    if args.evidens_command != "import":
        print("handbok evidens: ange ett kommando, t.ex. ”handbok evidens import referenser.ris”", file=sys.stderr)
        return 2
    project = _project_or_defaults(args)
    settings: Settings = project.settings
    today = resolve_today(args.today)
    book = reader.load(project.docs_dir, settings, today)
    existing = {d.doc_id for d in book.evidence if d.doc_id}
    source = Path(args.file)
    if not source.is_file():
        print(f"handbok evidens import: filen ”{source}” finns inte.", file=sys.stderr)
        return 2
    return evidence_import.run_import(source, project.docs_dir / settings.evidence_dir, dry_run=args.dry_run,
                                      existing_ids=existing, today=today, default_area=args.area)


COMMANDS = {"new": cmd_new, "revise": cmd_revise, "påminnelser": cmd_reminders, "evidens": cmd_evidens}
