"""handbok.render.pdf: real WeasyPrint rendering of a Swedish report, read back with pypdf."""

from __future__ import annotations

import datetime
import io
import logging
import socket
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from handbok.render import pdf
from handbok.render.pdf import PdfUnavailable, ResourceRefused, check_url, html_to_pdf

CREATED = datetime.datetime(2026, 1, 31, 12, 0, tzinfo=datetime.UTC)

REPORT = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Kvalitetsberättelse 2026</title>
<meta name="author" content="Socialtjänstens kvalitetsgrupp">
<meta name="description" content="Årlig kvalitetsberättelse för socialtjänsten">
<meta name="keywords" content="kvalitet, socialtjänst, årsrapport">
<style>table { border-collapse: collapse } th, td { border: 1px solid #444; padding: 2pt 4pt }</style>
</head>
<body>
<h1>Årets kvalitetsarbete i förvaltningen</h1>
<h2>Avvikelser och åtgärder</h2>
<p>Under året rapporterades fler avvikelser än förra året; översynen är klar och åtgärderna följs upp.</p>
<table>
<caption>Avvikelser per område</caption>
<thead><tr><th scope="col">Område</th><th scope="col">Antal</th></tr></thead>
<tbody>
<tr><th scope="row">Äldreomsorg</th><td>12</td></tr>
<tr><th scope="row">Individ- och familjeomsorg</th><td>7</td></tr>
</tbody>
</table>
<ul><li>Rutin för läkemedel är reviderad</li><li>Ny utbildning i dokumentation</li></ul>
<svg role="img" aria-label="Stapeldiagram över avvikelser" width="120" height="60" viewBox="0 0 120 60">
<title>Stapeldiagram över avvikelser</title>
<rect x="10" y="10" width="40" height="50" fill="#336"/><rect x="70" y="30" width="40" height="30" fill="#963"/>
</svg>
</body>
</html>
"""


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return html_to_pdf(REPORT, created=CREATED)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to resolve a name or open a socket is recorded and fails."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_is_a_pdf_with_title_and_metadata(report_pdf: bytes) -> None:
    assert report_pdf.startswith(b"%PDF-1.7")
    reader = _reader(report_pdf)
    info = reader.metadata
    assert info is not None
    assert info.title == "Kvalitetsberättelse 2026"
    assert info.author == "Socialtjänstens kvalitetsgrupp"
    assert info.subject == "Årlig kvalitetsberättelse för socialtjänsten"
    assert info["/Keywords"] == "kvalitet, socialtjänst, årsrapport"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20260131120000Z"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": "Kvalitetsberättelse 2026"}
    assert b"pdfuaid" in xmp.stream.get_data()  # declares PDF/UA-1 conformance


def test_is_tagged_with_language_and_title_shown(report_pdf: bytes) -> None:
    catalog = _reader(report_pdf).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True  # a pypdf BooleanObject
    assert catalog["/Lang"] == "sv"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_structure_tree_has_headings_table_list_and_figure(report_pdf: bytes) -> None:
    roles: set[str] = set()

    def walk(node: object) -> None:
        node = getattr(node, "get_object", lambda: node)()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                roles.add(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(_reader(report_pdf).trailer["/Root"]["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/Table", "/Caption", "/TH", "/TD", "/L", "/LI", "/Figure"} <= roles


def test_text_keeps_swedish_letters(report_pdf: bytes) -> None:
    text = " ".join(_reader(report_pdf).pages[0].extract_text().split())  # lines may wrap
    assert "Årets kvalitetsarbete i förvaltningen" in text
    assert "översynen är klar" in text


def test_same_input_gives_identical_bytes(report_pdf: bytes) -> None:
    assert html_to_pdf(REPORT, created=CREATED) == report_pdf
    other = html_to_pdf(REPORT, created=CREATED + datetime.timedelta(days=1))
    assert other != report_pdf
    assert _reader(other).metadata["/CreationDate"] == "D:20260201120000Z"


def test_source_date_epoch_is_the_default_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(CREATED.timestamp())))
    first = html_to_pdf(REPORT)
    assert first == html_to_pdf(REPORT)
    assert _reader(first).metadata["/CreationDate"] == "D:20260131120000Z"


def test_html_dates_win_over_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    html = REPORT.replace("<title>", '<meta name="dcterms.created" content="2025-12-01T08:00:00Z"><title>')
    info = _reader(html_to_pdf(html)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20251201080000Z"


def test_remote_image_is_refused_without_network(
    no_network: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    html = REPORT.replace("<ul>", '<p><img src="http://example.com/x.png" alt="Logotyp"></p><ul>')
    with caplog.at_level(logging.WARNING, logger="handbok.render.pdf"):
        data = html_to_pdf(html, created=CREATED)
    assert data.startswith(b"%PDF")
    assert "Årets kvalitetsarbete" in _reader(data).pages[0].extract_text()
    refusals = [r.getMessage() for r in caplog.records if r.name == "handbok.render.pdf"]
    assert len(refusals) == 1 and "http://example.com/x.png" in refusals[0]
    assert no_network == []


def test_local_files_below_base_url_are_served(tmp_path: Path, no_network: list[object]) -> None:
    (tmp_path / "bild.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    html = REPORT.replace("<ul>", '<p><img src="bild.svg" alt="Ruta"></p><ul>')
    with_image = html_to_pdf(html, base_url=str(tmp_path), created=CREATED)
    without_base = html_to_pdf(html, created=CREATED)  # no base_url: no files are read
    assert with_image != without_base
    assert no_network == []


def test_check_url() -> None:
    root = Path("/srv/rapport").resolve()
    check_url("data:image/png;base64,AAAA", None)
    check_url(root.joinpath("bilder", "a.png").as_uri(), root)
    for url, base in [
        ("http://example.com/x.png", root),
        ("https://example.com/x.css", root),
        ("ftp://example.com/x", root),
        ("file:///etc/passwd", root),
        (root.joinpath("..", "hemligt.txt").as_uri(), root),
        ("file://example.com/srv/rapport/a.png", root),
        (root.joinpath("a.png").as_uri(), None),
    ]:
        with pytest.raises(ResourceRefused, match="Hämtar inte"):
            check_url(url, base)


def test_weasyprint_warnings_are_silenced(caplog: pytest.LogCaptureFixture) -> None:
    html = REPORT.replace("<style>", "<style>p { no-such-property: 1 } ")
    with caplog.at_level(logging.DEBUG):
        html_to_pdf(html, created=CREATED)
    assert not [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
    assert logging.getLogger("weasyprint").level == logging.NOTSET  # restored afterwards


def test_missing_weasyprint_gives_swedish_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` raise ImportError
    with pytest.raises(PdfUnavailable, match="PDF kan inte skapas.*scripts/setup.sh"):
        html_to_pdf(REPORT)
    assert pdf.UNAVAILABLE_MESSAGE.startswith("PDF kan inte skapas")
