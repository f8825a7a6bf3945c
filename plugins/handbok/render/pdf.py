"""A standalone HTML document (such as the yearly quality report) as an accessible, tagged PDF.

Why WeasyPrint and not the browser: the site's browser tests drive Chromium, but a PDF export must
work on any machine that has the Python dependencies and Pango, with no browser engine, no server
and no built site. WeasyPrint lays out an HTML *string* directly (CSS paged media) and writes
PDF/UA-1: a tagged PDF with a structure tree (headings, paragraphs, tables, lists, figures),
``/MarkInfo << /Marked true >>``, the document language and a title shown in the window title bar.

What the caller must put in the HTML (WeasyPrint reads these; nothing else is needed):

- ``<html lang="sv">``: becomes the catalog's ``/Lang`` (PDF/UA requires it);
- ``<title>``: becomes ``/Title`` and the XMP ``dc:title`` (the viewer shows it, not the file name);
- ``<meta name="author" content="...">`` (may be repeated): ``/Author`` and ``dc:creator``;
- ``<meta name="description" content="...">``: ``/Subject`` and ``dc:description``;
- ``<meta name="keywords" content="a, b">``: ``/Keywords``;
- optionally ``<meta name="dcterms.created" content="2026-01-31T12:00:00Z">`` and
  ``dcterms.modified`` (W3C date format): ``/CreationDate`` and ``/ModDate``;
- accessible markup as for the web: real headings in order, ``<table>`` with ``<caption>`` and
  ``<th scope>``, ``alt`` on images, ``role="img"`` with ``aria-label`` and ``<title>`` on SVG.

Reproducible output: the same input gives byte-identical PDF. WeasyPrint itself only writes dates
that the HTML gives, so the creation and modification dates are set here, in this order of
precedence: the ``created`` argument (for both dates); otherwise the HTML's ``dcterms.created`` /
``dcterms.modified``; otherwise ``SOURCE_DATE_EPOCH`` (seconds since 1970, as in reproducible
builds); otherwise the current time, which is the only case that is not reproducible. The trailer's
``/ID`` is WeasyPrint's ``pdf_identifier=True``, an MD5 hash of the PDF's objects rather than a
random value, and embedded font subsets get their timestamp from ``SOURCE_DATE_EPOCH`` too (fontTools
reads it), which is set to the document's date while rendering.

No network: every resource goes through a fetcher that serves ``data:`` URLs and ``file:`` URLs
inside the folder of ``base_url`` only; anything else (http, https, ftp, files elsewhere) is
refused with :class:`ResourceRefused`, which WeasyPrint turns into a missing image or stylesheet,
and is logged on this module's logger. Nothing leaves the machine.

WeasyPrint needs Pango through cffi; it is imported inside :func:`html_to_pdf`, so importing this
module always works, and a machine without it gets :class:`PdfUnavailable` with a message in Swedish.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

__all__ = ["PdfUnavailable", "ResourceRefused", "XmpProperties", "html_to_pdf", "check_url"]

log = logging.getLogger(__name__)

# Loggers whose warnings (CSS WeasyPrint does not know, font subsetting notes) would clutter a CLI.
_QUIET_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")

UNAVAILABLE_MESSAGE = (
    "PDF kan inte skapas: WeasyPrint eller dess systembibliotek (Pango) saknas. "
    "Installera dem med scripts/setup.sh."
)


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it loads (Pango, HarfBuzz, fontconfig) are missing."""


class ResourceRefused(Exception):
    """A URL that the PDF renderer does not fetch: only data: and local files below base_url."""


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Let only errors through from WeasyPrint and fontTools while rendering."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def _source_date_epoch(moment: datetime.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to moment while rendering (fontTools stamps font subsets with it)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """An aware datetime in UTC, whole seconds (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _w3c(moment: datetime.datetime) -> str:
    """The W3C date format that WeasyPrint's metadata expects, e.g. 2026-01-31T12:00:00Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fallback_moment() -> datetime.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            log.warning("SOURCE_DATE_EPOCH=%r är inte ett heltal antal sekunder; använder aktuell tid", epoch)
    return _utc(datetime.datetime.now(datetime.UTC))


def _allowed_root(base_url: str | None) -> Path | None:
    """The local folder whose files may be read: base_url's folder, or None (no files at all)."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path))
        is_folder = parts.path.endswith("/")
    elif len(parts.scheme) > 1:  # http: and the like; a one-letter "scheme" is a Windows drive
        return None
    else:
        path = Path(base_url)
        is_folder = base_url.endswith(("/", os.sep))
    path = path.resolve()
    return path if is_folder or path.is_dir() else path.parent


def check_url(url: str, root: Path | None) -> None:
    """Raise ResourceRefused unless url is a data: URL or a local file: URL inside root."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme == "file" and root is not None and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path)).resolve()
        if path.is_relative_to(root):
            return
        raise ResourceRefused(f"Hämtar inte {url}: filen ligger utanför {root}")
    if scheme == "file":
        raise ResourceRefused(f"Hämtar inte {url}: lokala filer läses bara under base_url")
    raise ResourceRefused(f"Hämtar inte {url}: PDF:en byggs utan nätverk (endast data: och lokala filer)")


def _local_fetcher(url_fetcher_class: Any, root: Path | None) -> Any:
    """An instance of a WeasyPrint URLFetcher subclass that checks every URL before opening it."""

    refused_urls: set[str] = set()

    class LocalOnlyFetcher(url_fetcher_class):
        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                check_url(url, root)
            except ResourceRefused as refused:
                if url not in refused_urls:  # WeasyPrint may ask for the same image twice
                    refused_urls.add(url)
                    log.warning("%s", refused)
                raise
            return super().fetch(url, headers)

    # No redirects: a file: or data: URL has none, and nothing else gets opened.
    return LocalOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)


@dataclass(frozen=True)
class XmpProperties:
    """Properties of our own in the XMP metadata, declared by a PDF/A extension schema (ISO 19005-2
    6.6.2.3.2 asks that every property outside the predefined schemas is described in the file)."""

    namespace: str  # the namespace URI, ending in / or #
    prefix: str
    schema: str  # a human-readable name of the schema
    values: tuple[tuple[str, str, str], ...]  # (property name, value, description)


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_EXT = {"pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
        "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
        "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}


def _with_properties(rdf_xml: bytes, props: XmpProperties) -> bytes:
    """WeasyPrint's rdf:RDF with one more rdf:Description for the values and one for their schema."""
    from xml.etree.ElementTree import SubElement, fromstring, register_namespace, tostring

    for prefix, uri in (*_EXT.items(), (props.prefix, props.namespace)):
        register_namespace(prefix, uri)
    rdf = fromstring(rdf_xml)
    values = SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    for name, value, _ in props.values:
        SubElement(values, f"{{{props.namespace}}}{name}").text = value
    schema_holder = SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    schemas = SubElement(SubElement(schema_holder, f"{{{_EXT['pdfaExtension']}}}schemas"), f"{{{_RDF}}}Bag")
    schema = SubElement(schemas, f"{{{_RDF}}}li", {f"{{{_RDF}}}parseType": "Resource"})
    SubElement(schema, f"{{{_EXT['pdfaSchema']}}}schema").text = props.schema
    SubElement(schema, f"{{{_EXT['pdfaSchema']}}}namespaceURI").text = props.namespace
    SubElement(schema, f"{{{_EXT['pdfaSchema']}}}prefix").text = props.prefix
    seq = SubElement(SubElement(schema, f"{{{_EXT['pdfaSchema']}}}property"), f"{{{_RDF}}}Seq")
    for name, _, description in props.values:
        item = SubElement(seq, f"{{{_RDF}}}li", {f"{{{_RDF}}}parseType": "Resource"})
        SubElement(item, f"{{{_EXT['pdfaProperty']}}}name").text = name
        SubElement(item, f"{{{_EXT['pdfaProperty']}}}valueType").text = "Text"
        SubElement(item, f"{{{_EXT['pdfaProperty']}}}category").text = "external"
        SubElement(item, f"{{{_EXT['pdfaProperty']}}}description").text = description
    return tostring(rdf, encoding="utf-8")


def html_to_pdf(html: str, *, base_url: str | None = None, created: datetime.datetime | None = None,
                variant: str = "pdf/ua-1", info: dict[str, str] | None = None,
                xmp: XmpProperties | None = None) -> bytes:
    """The HTML document as PDF/UA-1 bytes, byte-identical for the same html, base_url and date.

    variant: WeasyPrint's PDF variant; "pdf/a-2b" for an archive copy (tagged all the same).
    info: more entries for the document information dictionary (ASCII names such as "Diarienummer").
    xmp: the same values as XMP properties of our own, with their PDF/A extension schema.

    base_url: a folder (path or file: URL) that relative URLs resolve against; files below it may be
    embedded (images, stylesheets, fonts). Without it only data: URLs are served.
    created: the creation and modification date written into the PDF (a naive value is UTC);
    None takes the HTML's dcterms.created/modified, then SOURCE_DATE_EPOCH, then now.
    Raises PdfUnavailable when WeasyPrint or Pango cannot be loaded.
    """
    try:
        import weasyprint  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: cffi could not dlopen Pango
        raise PdfUnavailable(UNAVAILABLE_MESSAGE) from error

    options: dict[str, Any] = {
        "pdf_variant": variant,  # pdf/ua-1: PDF 1.7, tags, XMP with pdfuaid:part 1
        "pdf_tags": True,  # PDF/UA implies it; explicit because render() lays out the tags too
        "pdf_identifier": True,  # /ID = MD5 of the objects: stable, not random
        "custom_metadata": bool(info),  # only the standard fields and ours; other <meta> stay out of the PDF
        "uncompressed_pdf": False,
    }
    fetcher = _local_fetcher(URLFetcher, _allowed_root(base_url))
    with _quiet_logs():
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)
        metadata = document.metadata
        metadata.custom = dict(info or {})
        if xmp is not None:
            standard = metadata.generate_rdf_metadata
            # An instance attribute: WeasyPrint calls self.generate_rdf_metadata when it writes the XMP.
            metadata.generate_rdf_metadata = lambda *args: _with_properties(standard(*args), xmp)
        if created is not None:
            moment = _utc(created)
            metadata.created = metadata.modified = _w3c(moment)
        else:
            moment = _fallback_moment()
            metadata.created = metadata.created or _w3c(moment)
            metadata.modified = metadata.modified or metadata.created
        with _source_date_epoch(moment):
            pdf = document.write_pdf(**options)
    assert isinstance(pdf, bytes)
    return pdf
