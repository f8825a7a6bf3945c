"""`handbok arkivera`: a PDF/A-2 archive copy of every adopted version, and the manifest of the folder.

Reads the handbook and its history from git like the site does (one `git log` for all documents).
An archive file is never replaced: a version whose file exists is skipped, so a second run writes
nothing. The manifest (CSV and JSON) lists every archive file in the folder with its SHA-256 and is
only written when it would say something new. A version whose text holds a personnummer is not
archived; the command says which and ends with exit code 1.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import sys
from pathlib import Path

from handbok.core import archive
from handbok.core.index import Handbook
from handbok.core.settings import ConfigError
from handbok.core.versions import DocumentHistory, Version
from handbok.site.mkdocs.project import Project


def _progress(done: int, total: int, name: str) -> None:
    """A progress line on a terminal; nothing in CI or a pipe."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        width = 24
        filled = width * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:50]:<50}", end="",
              file=sys.stderr, flush=True)
        if done == total:
            print("\r" + " " * (width + 60) + "\r", end="", file=sys.stderr, flush=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_if_changed(path: Path, data: bytes) -> bool:
    from handbok.source.safewrite import write_file

    if path.is_file() and path.read_bytes() == data:
        return False
    return write_file(path, data, replace=True)


def _organisation(project: Project) -> str:
    return project.settings.organisation or project.site_name or "Verksamhetshandbok"


def _plan(histories: dict[str, DocumentHistory], since: dt.date | None) -> tuple[list, list[str], int]:
    """(the versions to archive, those withheld for a personnummer, how many are not committed yet)."""
    todo: list[tuple[DocumentHistory, Version]] = []
    withheld: list[str] = []
    pending = 0
    for path, history in sorted(histories.items()):
        for version in history.versions:
            if version.revision is None:
                pending += 1  # in the working tree only: archived once it is committed
            elif version.withheld and (since is None or version.adopted_on >= since):
                withheld.append(f"{path} version {version.label}")
        todo += [(history, v) for v in archive.archivable(history, since) if not v.withheld]
    return todo, withheld, pending


def _write_copies(project: Project, book: Handbook, todo: list, output: Path) -> tuple[int, dict[str, archive.Item]]:
    """Write the archive copies that are not there yet; (how many were written, every item by file name)."""
    from handbok.render import archive as render
    from handbok.render import pdf
    from handbok.render.templating import Templates
    from handbok.source.safewrite import create_exclusive

    templates = Templates(project.settings.resolve(project.settings.templates_dir))
    allowed = tuple(project.settings.html_allow)
    written = 0
    items: dict[str, archive.Item] = {}
    for number, (history, version) in enumerate(todo, 1):
        doc = book.by_path(history.path)
        assert doc is not None  # histories are made for the handbook's own documents
        item = archive.item(doc, version)
        items[item.file] = item
        _progress(number, len(todo), item.file)
        if (output / item.file).exists():
            continue
        body = render.body_html(version.source.body, project.markdown_extensions, project.mdx_configs, allowed)
        html = render.document_html(templates, doc, history, version, item, organisation=_organisation(project),
                                    body=body)
        try:
            data = render.document_pdf(html, item, (book.docs_dir / doc.path).parent)
        except pdf.PdfUnavailable as exc:
            raise ConfigError(str(exc)) from None
        written += create_exclusive(output / item.file, data)  # False: it appeared meanwhile, and stays
    return written, items


def _write_manifest(book: Handbook, histories: dict[str, DocumentHistory], items: dict[str, archive.Item],
                    output: Path, organisation: str) -> bool:
    """The manifest of every archive copy in the folder (also of versions before --sedan); True when
    it changed."""
    for path, history in histories.items():
        doc = book.by_path(path)
        if doc is None:
            continue
        for version in archive.archivable(history):
            entry = archive.item(doc, version)
            if entry.file not in items and (output / entry.file).is_file():
                items[entry.file] = entry
    listed = [items[name].with_hash(_sha256(output / name)) for name in sorted(items) if (output / name).is_file()]
    changed = _write_if_changed(output / archive.MANIFEST_CSV, archive.manifest_csv(listed).encode("utf-8"))
    changed |= _write_if_changed(output / archive.MANIFEST_JSON, (json.dumps(
        archive.manifest_json(listed, organisation), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return changed


def run(project: Project, today: dt.date, output: Path, since: dt.date | None) -> tuple[int, str]:
    """(exit code, one-line summary)."""
    from handbok.source import git_history, reader

    gc.disable()
    book = reader.load(project.docs_dir, project.settings, today, workers=min(os.cpu_count() or 1, 4),
                       checks=project.body_checks())
    histories, notice = git_history.document_histories(book)
    if notice:
        raise ConfigError(f"Inget att arkivera. {notice}")
    if output.exists() and not output.is_dir():
        raise ConfigError(f"”{output}” finns redan och är ingen mapp.")
    output.mkdir(parents=True, exist_ok=True)
    todo, withheld, pending = _plan(histories, since)
    written, items = _write_copies(project, book, todo, output)
    changed = _write_manifest(book, histories, items, output, _organisation(project))
    parts = [f"{written} nya arkivexemplar", f"{len(todo) - written} fanns redan"]
    if pending:
        parts.append(f"{pending} ej incheckade versioner väntar")
    summary = f"Arkivet {output}: {', '.join(parts)}; förteckningen {'uppdaterad' if changed else 'oförändrad'}."
    for where in withheld:
        print(f"handbok: {where} arkiveras inte: texten innehåller ett personnummer. Ta bort det i en ny "
              "version och arkivera den.", file=sys.stderr)
    if withheld:
        summary += f" {len(withheld)} versioner arkiverades inte (personnummer)."
    return (1 if withheld else 0), summary
