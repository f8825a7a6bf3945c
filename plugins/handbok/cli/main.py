"""The `handbok` command: check for CI, and small helpers for routine owners.

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or configuration error.
Every message is Swedish; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from handbok.core.dates import DateError, parse_iso_date, resolve_today
from handbok.core.settings import ConfigError
from handbok.site.mkdocs.project import Project, load_project

_ARGPARSE_SV = {
    "the following arguments are required": "dessa argument krävs",
    "unrecognized arguments": "okända argument",
    "invalid choice": "ogiltigt val",
    "expected one argument": "förväntade ett värde",
    "argument ": "argument ",
    "choose from": "välj bland",
    "invalid int value": "inget heltal",
}


# argparse's own headings, in Swedish (its texts are not translated on most systems).
_HELP_SV = {"usage: ": "användning: ", "positional arguments:": "argument:", "options:": "flaggor:",
            "optional arguments:": "flaggor:", "show this help message and exit": "visa den här hjälpen och avsluta"}

# One example per command, shown last in its --help.
EXAMPLES = {
    "handbok": "handbok check --today 2026-12-01\n  handbok revise handbook/gemensamt/rutiner/egenkontroll.md "
               "--note \"Ny ansvarsfördelning.\"",
    "check": "handbok check --format github --today 2026-12-01\n  handbok check --format json -o rapport.json",
    "schema": "handbok schema -o schema/handbok.schema.json",
    "new": "handbok new rutin \"Orosanmälan – mottagande\" --unit barn-och-unga --owner \"Enhetschef barn och unga\"",
    "revise": "handbok revise handbook/barn-och-unga/rutiner/orosanmalan.md --note \"Anpassad till nya SoL.\" "
              "--byt-lagrum",
    "påminnelser": "handbok påminnelser -o påminnelser --today 2026-12-01",
    "kvalitetsberattelse": "handbok kvalitetsberattelse --year 2026 --format pdf -o kvalitetsberattelse-2026.pdf\n"
                           "  handbok kvalitetsberattelse --year 2026 --format md > kvalitetsberattelse-2026.md",
    "versioner": "handbok versioner handbook/barn-och-unga/rutiner/orosanmalan.md\n"
                 "  handbok versioner handbook/barn-och-unga/rutiner/orosanmalan.md --jämför 1 3",
    "arkivera": "handbok arkivera -o arkiv\n  handbok arkivera --sedan 2026-01-01 -o arkiv/2026",
    "evidens": "handbok evidens import referenser.ris --area barn-och-unga --dry-run",
    "import": "handbok evidens import referenser.ris --area barn-och-unga --dry-run",
}


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        name = self.prog.split()[-1]
        if self.epilog is None and name in EXAMPLES:
            self.epilog = "exempel:\n  " + EXAMPLES[name]

    def format_help(self) -> str:
        text = super().format_help()
        for en, sv in _HELP_SV.items():
            text = text.replace(en, sv)
        return text

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "användning: ")

    def error(self, message: str):  # argparse's own messages, in Swedish where we know them
        for en, sv in _ARGPARSE_SV.items():
            message = message.replace(en, sv)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def _add_common(parser: argparse.ArgumentParser, docs: bool = True) -> None:
    if docs:
        parser.add_argument("docs_dir", nargs="?",
                            help="mappen med handbokens dokument (standard: docs_dir i mkdocs.yml)")
    parser.add_argument("-f", "--config-file", help="sökväg till mkdocs.yml (standard: mkdocs.yml i den här mappen)")
    parser.add_argument("--today", help="dagens datum ÅÅÅÅ-MM-DD (standard: SOURCE_DATE_EPOCH eller systemets datum)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handbok", description="Verktyg för den digitala verksamhetshandboken.")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)

    check = sub.add_parser("check", help="kontrollera metadata, revisionsdatum, lagrum och personuppgifter")
    _add_common(check)
    check.add_argument("--format", choices=["text", "json", "github", "junit", "gitlab"], default="text",
                       help="utdataformat (standard: text)")
    check.add_argument("--warn-days", type=int, help="dagar före revisionsdatum som räknas som ”snart” (standard 30)")
    check.add_argument("-o", "--output", help="skriv rapporten till en fil i stället för till skärmen")
    check.add_argument("--force", action="store_true", help="skriv över filen som -o anger om den redan finns")

    schema = sub.add_parser("schema", help="skriv JSON Schema för metadatan (för VS Code m.fl.)")
    _add_common(schema, docs=False)
    schema.add_argument("-o", "--output", help="fil att skriva till (standard: skärmen)")
    schema.add_argument("--force", action="store_true", help="skriv över filen som -o anger om den redan finns")

    new = sub.add_parser("new", aliases=["ny"], help="skapa ett nytt dokument från mall")
    new.add_argument("type", metavar="TYP", help="dokumenttyp, t.ex. rutin, eller posttyp i kvalitetsarbetet: "
                                                 "egenkontrollplan, internkontrollplan, kontrollresultat, riskanalys, "
                                                 "sammanställning, tillsyn, årshjul")
    new.add_argument("title", metavar="TITEL", help="dokumentets titel")
    new.add_argument("--unit", help="enhet (id eller namn ur enhetsregistret)")
    new.add_argument("--owner", help="dokumentägare (roll ur rollregistret)")
    _add_common(new, docs=False)
    new.add_argument("--docs-dir", dest="docs_dir", help="handbokens mapp (standard: docs_dir i mkdocs.yml)")

    revise = sub.add_parser("revise", aliases=["revidera"], help="markera ett dokument som reviderat")
    revise.add_argument("path", metavar="FIL", help="dokumentet som har reviderats")
    revise.add_argument("--note", help="vad som ändrades (hamnar i ändringsloggen)")
    revise.add_argument("--date", help="revisionsdatum ÅÅÅÅ-MM-DD (standard: i dag)")
    revise.add_argument("--byt-lagrum", dest="byt_lagrum", action="store_true",
                        help="byt lagrum som hänvisar till en upphävd lag mot den nya paragrafen, när den är känd "
                             "(utan flaggan frågar kommandot i ett terminalfönster)")

    reminders = sub.add_parser("påminnelser", aliases=["reminders"],
                               help="skriv sammanställningar och kalenderfiler per dokumentägare")
    _add_common(reminders)
    reminders.add_argument("-o", "--output", default="påminnelser", help="mapp att skriva till (standard: påminnelser)")
    reminders.add_argument("--warn-days", type=int, help="dagar före revisionsdatum som räknas som ”snart”")
    reminders.add_argument("--send", action="store_true",
                           help="skicka e-post (kräver SMTP-inställning; annars torrkörning)")

    story = sub.add_parser("kvalitetsberattelse", aliases=["kvalitetsberättelse"],
                           help="ta fram årets kvalitetsberättelse med siffrorna ur handboken",
                           description="Kvalitetsberättelsen för ett år: siffrorna räknas fram ur handbokens poster, "
                                       "författarens text hämtas ur årets post av typen kvalitetsberättelse "
                                       "(den skrivs aldrig över).")
    _add_common(story)
    story.add_argument("--year", type=int, metavar="ÅR", help="året berättelsen gäller (standard: årets)")
    story.add_argument("--format", choices=["md", "html", "pdf", "json"], default="md",
                       help="md (Markdown), html (ett fristående dokument), pdf (tillgänglig, taggad PDF) eller "
                            "json (bara siffrorna); standard md")
    story.add_argument("-o", "--output", metavar="FIL", help="fil att skriva till (standard: skärmen; pdf kräver -o)")
    story.add_argument("--force", action="store_true", help="skriv över filen som -o anger om den redan finns")

    history = sub.add_parser("versioner", aliases=["versions"],
                             help="visa ett dokuments fastställda versioner, och vad som ändrades mellan två av dem",
                             description="Ett styrdokuments fastställda versioner ur historiken i git, senaste först. "
                                         "Med --jämför: vad som ändrades mellan två versioner, borttagna ord som "
                                         "[-så-] och tillagda som {+så+}.")
    history.add_argument("path", metavar="FIL", help="dokumentet, t.ex. handbook/barn-och-unga/rutiner/orosanmalan.md")
    history.add_argument("--jämför", "--compare", dest="compare", nargs=2, metavar=("FRÅN", "TILL"),
                         help="två versioner att jämföra, t.ex. 1 3")
    _add_common(history, docs=False)

    archive = sub.add_parser("arkivera", aliases=["archive"],
                             help="skriv arkivexemplar (PDF/A-2) av fastställda versioner, med arkivförteckning",
                             description="Ett arkivexemplar i PDF/A-2 av varje fastställd version ur handbokens "
                                         "historik i git, med metadata för diarieföring, och en arkivförteckning "
                                         "(CSV och JSON) med SHA-256 för varje fil. En fil som redan finns skrivs "
                                         "aldrig över: en ny körning lägger bara till nya versioner.")
    _add_common(archive)
    archive.add_argument("--sedan", metavar="DATUM",
                         help="bara versioner fastställda detta datum (ÅÅÅÅ-MM-DD) eller senare")
    archive.add_argument("-o", "--output", metavar="MAPP", default="arkiv",
                         help="mappen att skriva arkivexemplaren till (standard: arkiv)")

    evidens = sub.add_parser("evidens", help="evidensbiblioteket")
    evidens_sub = evidens.add_subparsers(dest="evidens_command", metavar="KOMMANDO", parser_class=_Parser)
    imp = evidens_sub.add_parser("import", help="importera referenser från RIS eller BibTeX")
    imp.add_argument("file", metavar="FIL", help="RIS- eller BibTeX-fil (.ris, .bib)")
    imp.add_argument("--dry-run", action="store_true", help="visa vad som skulle skrivas, skriv inget")
    imp.add_argument("--area", help="verksamhetsområde att sätta på alla nya poster")
    _add_common(imp, docs=False)
    imp.add_argument("--docs-dir", dest="docs_dir", help="handbokens mapp (standard: docs_dir i mkdocs.yml)")
    return parser


def _project(args) -> Project:
    config = Path(args.config_file) if getattr(args, "config_file", None) else None
    docs = Path(args.docs_dir) if getattr(args, "docs_dir", None) else None
    if docs is not None and not docs.is_dir():
        raise ConfigError(f"Mappen ”{docs}” finns inte.")
    return load_project(config, docs)


def _write(text: str | bytes, output: str | None, force: bool = False) -> None:
    """To stdout, or to a file; an existing file is only replaced when the user says --force."""
    if not output and isinstance(text, bytes):
        if sys.stdout.isatty():
            raise ConfigError("En PDF skrivs inte till terminalen; ange en fil med -o, t.ex. "
                              "-o kvalitetsberattelse.pdf.")
        sys.stdout.buffer.write(text)
        return
    if not output:
        sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        return
    from handbok.source.safewrite import write_file

    target = Path(output)
    exists = ConfigError(f"Filen ”{target}” finns redan. Välj ett annat namn eller lägg till --force för att "
                         "skriva över den.")
    if target.exists() and not force:
        raise exists
    if not write_file(target, text if isinstance(text, bytes) else text.encode("utf-8"), replace=force):
        raise exists  # it appeared while the report was being made


def cmd_check(args) -> int:
    from handbok.cli import report
    from handbok.source import reader

    project = _project(args)
    if args.warn_days is not None:
        if args.warn_days < 0:
            raise ConfigError("--warn-days måste vara 0 eller större")
        project.settings.due_soon_days = args.warn_days
    today = resolve_today(args.today)
    # A short-lived process over one large object graph without garbage cycles to speak of: the cyclic
    # collector would only rescan it again and again (up to a second on 10,000 documents).
    gc.disable()
    book = reader.load(project.docs_dir, project.settings, today, workers=min(os.cpu_count() or 1, 4),
                       checks=project.body_checks())
    _write(report.render(book, args.format, report.prefix_for(project.docs_dir)), args.output, args.force)
    return 1 if book.errors else 0


def cmd_schema(args) -> int:
    from handbok.core import schema
    from handbok.core.registry import load_registry

    try:
        project = _project(args)
        settings = project.settings
    except ConfigError:
        if args.config_file:
            raise
        from handbok.core.settings import Settings
        from handbok.site.mkdocs.project import engine_settings

        settings = engine_settings(Settings())
    roles = load_registry(settings.resolve(settings.roles_file), "roles", "roll")
    units = load_registry(settings.resolve(settings.units_file), "units", "enhet")
    data = schema.json_schema(settings, roles.names() or None, [u.id for u in units.entries or []] or None)
    _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output, args.force)
    return 0


def cmd_quality_report(args) -> int:
    from handbok.cli import quality_report

    project = _project(args)
    today = resolve_today(args.today)
    output, summary = quality_report.make(project, today, args.year or today.year, args.format)
    _write(output, args.output, args.force)
    print(summary + (f" Skrevs till {args.output}." if args.output else ""), file=sys.stderr)
    return 0


def cmd_versions(args) -> int:
    from handbok.cli import versions

    print(versions.run(_project(args), resolve_today(args.today), args.path, args.compare))
    return 0


def cmd_archive(args) -> int:
    from handbok.cli import archive

    project = _project(args)
    today = resolve_today(args.today)
    try:
        since = parse_iso_date(args.sedan) if args.sedan else None
    except DateError as exc:
        raise DateError(f"--sedan: {exc}") from None
    code, summary = archive.run(project, today, Path(args.output), since)
    print(summary, file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"check": cmd_check, "schema": cmd_schema, "kvalitetsberattelse": cmd_quality_report,
                "arkivera": cmd_archive, "versioner": cmd_versions}
    try:
        from handbok.cli import authoring as cli_authoring  # new, revise, reminders, evidens import

        commands.update(cli_authoring.COMMANDS)
    except ImportError:
        pass
    name = args.command
    if name is None:
        parser.print_help()
        return 2
    aliases = {"ny": "new", "revidera": "revise", "reminders": "påminnelser",
               "kvalitetsberättelse": "kvalitetsberattelse", "archive": "arkivera", "versions": "versioner"}
    handler = commands.get(aliases.get(name, name))
    if handler is None:
        print(f"handbok: kommandot ”{name}” finns inte i den här versionen", file=sys.stderr)
        return 2
    try:
        return handler(args)
    except (ConfigError, DateError) as exc:
        print(f"handbok: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: a Swedish line instead of a traceback
        if os.environ.get("HANDBOK_DEBUG"):
            raise
        print(f"handbok: internt fel ({type(exc).__name__}: {exc}). Kör med HANDBOK_DEBUG=1 för detaljer "
              "och rapportera felet.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
