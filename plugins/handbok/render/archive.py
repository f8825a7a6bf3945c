"""The archive copy of one adopted version: a standalone HTML document, then PDF/A-2.

The version's text is converted with the site's Markdown extensions (those mkdocs.yml lists) and
cleaned like every page body (render.sanitize); its template code is not run (an archive copy is
the text as adopted, not today's handbook). The metadata goes into the document information
dictionary and the XMP, declared by an extension schema so that a PDF/A validator accepts it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import markdown as md
from markupsafe import Markup

from handbok.core.archive import Item
from handbok.core.model import Document
from handbok.core.text import unlink_pages
from handbok.core.versions import DocumentHistory, Version, value_text
from handbok.render import pdf, sanitize
from handbok.render.document import LEADING_H1
from handbok.render.links import Links
from handbok.render.templating import Templates
from handbok.render.versions import metadata_rows, until

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-2b"  # tagged as well; level A is not claimed without a validator to prove it
NAMESPACE = "https://handbok.invalid/ns/arkiv/1.0/"  # .invalid never resolves (RFC 2606): a name only
FALLBACK_EXTENSIONS = ["tables", "attr_list", "def_list", "admonition", "sane_lists", "toc"]


def body_html(text: str, extensions: list, configs: dict, allowed: tuple[str, ...] = ()) -> Markup:
    """The version's Markdown as clean HTML, without its own first heading (the header has the title)."""
    text = unlink_pages(text)  # the copy is frozen: a link to another page would lead to its version of today
    try:
        html = md.markdown(text, extensions=extensions, extension_configs=configs, output_format="html")
    except Exception as exc:  # noqa: BLE001 – a site's extension that cannot run here: plain Markdown instead
        log.warning("Markdown-tilläggen i mkdocs.yml kunde inte användas (%s); arkivexemplaret görs med de "
                    "vanligaste tilläggen", exc)
        html = md.markdown(text, extensions=FALLBACK_EXTENSIONS, output_format="html")
    return Markup(sanitize.clean(LEADING_H1.sub("", html, count=1), allowed))


def document_html(templates: Templates, doc: Document, history: DocumentHistory, version: Version, item: Item, *,
                  organisation: str, body: Markup) -> str:
    rows = metadata_rows(doc, version, until(history, version))
    keywords = [kw for kw in value_text(version.meta.get("tags")).split("; ") if kw]
    return str(templates.render("archive/document.html", item=item, organisation=organisation, rows=rows,
                                body=body, keywords=keywords, links=Links(lambda path: None, "")))


def document_pdf(html: str, item: Item, base: Path | None = None) -> bytes:
    """PDF/A-2 with the archive metadata in the information dictionary and the XMP."""
    values = (("dokumenttyp", item.document_type, "Dokumenttyp"),
              ("dokumentId", item.document_id, "Dokumentets id i handboken"),
              ("version", item.version, "Version"),
              ("beslutadAv", item.adopted_by, "Beslutad av"),
              ("beslutsdatum", item.adopted_on.isoformat(), "Beslutsdatum (fastställd)"),
              ("diarienummer", item.diarienummer, "Diarienummer"),
              ("paragraf", item.paragraf, "Paragraf i protokollet"))
    info = {"Dokumenttyp": item.document_type, "DokumentId": item.document_id, "Version": item.version,
            "BeslutadAv": item.adopted_by, "Beslutsdatum": item.adopted_on.isoformat(),
            "Diarienummer": item.diarienummer, "Paragraf": item.paragraf}
    xmp = pdf.XmpProperties(NAMESPACE, "hbarkiv", "Handbok: arkivuppgifter för styrdokument",
                            tuple(v for v in values if v[1]))
    created = dt.datetime(item.adopted_on.year, item.adopted_on.month, item.adopted_on.day, 12, tzinfo=dt.UTC)
    return pdf.html_to_pdf(html, base_url=f"{base.resolve().as_uri()}/" if base else None, created=created,
                           variant=PDF_VARIANT, info={k: v for k, v in info.items() if v}, xmp=xmp)
