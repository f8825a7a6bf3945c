"""`handbok versioner FIL [--jämför A B]`: a document's adopted versions, and what changed between any two.

The site compares each version with the one before; this command compares any two, as text for a
terminal or an e-mail: removed words as [-…-] and inserted words as {+…+} (the markers of wdiff), so
the difference needs no colour. Reads the history like the site (one `git log` for the handbook).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from handbok.core import textdiff
from handbok.core.settings import ConfigError
from handbok.core.versions import Version, field_changes
from handbok.render.versions import rows
from handbok.site.mkdocs.project import Project


def _docs_path(project: Project, file: str) -> str:
    path = Path(file).resolve()
    docs = project.docs_dir.resolve()
    if not path.is_file():
        raise ConfigError(f"Filen ”{file}” finns inte.")
    if not path.is_relative_to(docs):
        raise ConfigError(f"”{file}” ligger inte i handbokens mapp ({project.docs_dir}).")
    return path.relative_to(docs).as_posix()


def _line(row: dict) -> str:
    """One row of the site's versions table (render.versions.rows) as a line of text."""
    cells = [f"Version {row['label']}", row["date"].isoformat(), row["approved_by"] or "–",
             row["diarienummer"] or "–", f"({'gällande' if row['current'] else 'upphävd'})", row["note"]]
    return "  ".join(cells)


def _span(span: textdiff.Span) -> str:
    if span.op == textdiff.INSERT:
        return "{+" + span.text + "+}"
    if span.op == textdiff.DELETE:
        return "[-" + span.text + "-]"
    return span.text


def _block(block: textdiff.Block) -> str:
    if block.kind == textdiff.SKIPPED:
        return f"  … {block.skipped} {'oförändrat stycke' if block.skipped == 1 else 'oförändrade stycken'} …"
    text = textdiff.joined((_span(span), span.space_before) for span in block.spans)
    return f"  {'#' * block.level + ' ' if block.level else ''}{text}"


def compare(old: Version, new: Version) -> list[str]:
    lines = [f"Version {old.label} ({old.date}) jämfört med version {new.label} ({new.date})", ""]
    if old.withheld or new.withheld:
        return [*lines, "Jämförelsen visas inte: en av versionerna innehåller ett personnummer."]
    changes = field_changes(old, new)
    if changes:
        lines += ["Ändrade uppgifter:", *(f"  {label}: {a or '–'} → {b or '–'}" for label, a, b in changes), ""]
    result = textdiff.diff(old.source.body, new.source.body)
    if not result.changed:
        return [*lines, "Texten är oförändrad."]
    return [*lines, f"Texten ({result.inserted_words} ord tillagda {{+så+}}, {result.deleted_words} borttagna "
                    "[-så-]):", *map(_block, result.blocks)]


def run(project: Project, today: dt.date, file: str, versions: list[str] | None) -> str:
    from handbok.source import git_history, reader

    path = _docs_path(project, file)
    book = reader.load(project.docs_dir, project.settings, today, workers=min(os.cpu_count() or 1, 4),
                       checks=project.body_checks())
    histories, notice = git_history.document_histories(book)
    if notice:
        raise ConfigError(notice)
    history = histories.get(path)
    doc = book.by_path(path)
    if doc is None:
        raise ConfigError(f"”{file}” är inget styrdokument i handboken.")
    if history is None or not history.versions:
        return f"{doc.title} ({path}): inga fastställda versioner i historiken ännu."
    if not versions:
        return "\n".join([f"{doc.title} ({path}), fastställda versioner, senaste först:",
                          *map(_line, rows(history))])
    found = [history.by_label(label) for label in versions]
    missing = [label for label, v in zip(versions, found, strict=True) if v is None]
    if missing:
        known = ", ".join(v.label for v in history.versions)
        raise ConfigError(f"Version {', '.join(missing)} finns inte för {path}; versionerna är {known}.")
    old, new = sorted((v for v in found if v is not None), key=lambda v: v.number)
    return "\n".join([f"{doc.title} ({path})", *compare(old, new)])
