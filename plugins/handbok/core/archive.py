"""Archive copies of adopted versions: what each file is called and what the manifest says of it.

An adopted steering document is an allmän handling that the registrator files, in practice as PDF/A
in the municipality's e-arkiv. The file name carries what a registrator files by:
``<diarienummer>_<id>_v<version>.pdf`` (``SN-2026-0113_rutin-orosanmalan_v3.pdf``), in ASCII so that
every archive system and file share accepts it. The manifest lists every archive file of the folder
with a SHA-256, as CSV for the registrator (semicolons, UTF-8 with BOM: what Excel opens in Swedish)
and as JSON for an e-arkiv import.

The rendering (HTML, PDF) is handbok.render.archive's; this module knows no format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass

from handbok.core.model import Document
from handbok.core.text import ascii_name, slugify
from handbok.core.versions import DocumentHistory, Version

NO_DIARY = "utan-diarienummer"
MANIFEST_CSV, MANIFEST_JSON = "arkivforteckning.csv", "arkivforteckning.json"


@dataclass(frozen=True)
class Item:
    """One adopted version to archive (a row of the manifest)."""

    file: str
    title: str
    document_type: str
    document_id: str
    version: str
    adopted_on: dt.date
    adopted_by: str
    diarienummer: str
    paragraf: str
    source: str  # the document's path in the handbook
    commit: str  # the git commit of the version
    sha256: str = ""

    def with_hash(self, sha256: str) -> Item:
        return Item(**{**asdict(self), "sha256": sha256})


# (field, column heading) of the manifest, in order.
COLUMNS = (("file", "Fil"), ("title", "Titel"), ("document_type", "Dokumenttyp"), ("document_id", "Id"),
           ("version", "Version"), ("adopted_on", "Fastställd"), ("adopted_by", "Beslutad av"),
           ("diarienummer", "Diarienummer"), ("paragraf", "Paragraf"), ("source", "Källfil"),
           ("commit", "Git-commit"), ("sha256", "SHA-256"))


def document_id(doc: Document) -> str:
    return doc.doc_id or slugify(doc.path.rsplit(".", 1)[0].replace("/", "-"))


def file_name(diarienummer: str | None, doc_id: str, version: str) -> str:
    """'SN-2026-0113_rutin-orosanmalan_v3.pdf'; 'utan-diarienummer_…' when the decision has none."""
    return (f"{ascii_name(diarienummer or '') or NO_DIARY}_{ascii_name(doc_id) or 'dokument'}"
            f"_v{ascii_name(version) or '0'}.pdf")


def item(doc: Document, version: Version) -> Item:
    meta = version.meta
    diary = version.text("diarienummer")
    ident = document_id(doc)
    return Item(file_name(diary, ident, version.label), str(meta.get("title") or doc.title).strip(),
                version.type_label(doc.type), ident, version.label, version.adopted_on,
                version.text("approved_by") or "", diary or "", version.text("paragraf") or "", doc.path,
                version.revision.commit if version.revision else "")


def archivable(history: DocumentHistory, since: dt.date | None = None) -> list[Version]:
    """The committed versions adopted on or after since (all without it), oldest first."""
    return [v for v in history.versions if v.revision is not None and (since is None or v.adopted_on >= since)]


def manifest_csv(items: list[Item]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading for _, heading in COLUMNS])
    for entry in items:
        row = asdict(entry)
        writer.writerow([str(row[name]) for name, _ in COLUMNS])
    return "\ufeff" + out.getvalue()


def manifest_json(items: list[Item], organisation: str) -> dict:
    return {"arkivbildare": organisation, "filer": [
        {name: str(value) for name, value in asdict(entry).items()} for entry in items]}
