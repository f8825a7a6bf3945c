"""`handbok arkivera`: PDF/A-2 archive copies of every adopted version, run as the real CLI on a
temporary git repository (tests/githistory.py) and read back with pypdf."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from githistory import V1, V2, V3, commit, three_adoptions
from sitebuild import build_env, write_site

FILES = ["SN-2024-0011_rutin-oro_v1.pdf", "SN-2025-0007_rutin-oro_v2.pdf", "SN-2026-0003_rutin-oro_v3.pdf"]
MANIFESTS = ["arkivforteckning.csv", "arkivforteckning.json"]


def arkivera(cfg, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbok", "arkivera", "-f", str(cfg), "--today", "2026-06-01",
                           *args], cwd=cfg.parent, env=build_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return three_adoptions(tmp_path_factory.mktemp("archive") / "repo")


@pytest.fixture(scope="module")
def archived(repo, tmp_path_factory):
    folder = tmp_path_factory.mktemp("arkiv") / "arkiv"
    result = arkivera(repo, "-o", str(folder))
    assert result.returncode == 0, result.stderr
    return folder, result


def _pdf(folder, name) -> PdfReader:
    return PdfReader(io.BytesIO((folder / name).read_bytes()))


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_one_file_per_adopted_version_named_for_the_registrator(archived):
    folder, result = archived
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES + MANIFESTS)
    assert "3 nya arkivexemplar, 0 fanns redan; förteckningen uppdaterad." in result.stderr


def test_the_pdf_says_it_is_pdf_a_2_in_its_xmp(archived):
    xmp = _xmp(_pdf(archived[0], FILES[1]))
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp


def test_the_metadata_is_in_the_document_information_and_the_xmp(archived):
    reader = _pdf(archived[0], FILES[1])
    info = reader.metadata
    assert info["/Title"] == "Orosanmälan – mottagande – version 2"
    assert info["/Author"] == "Socialnämnden"
    assert (info["/Dokumenttyp"], info["/Diarienummer"], info["/Version"], info["/Beslutsdatum"],
            info["/BeslutadAv"]) == ("Rutin", "SN 2025/0007", "2", "2025-01-20", "Socialnämnden")
    assert info["/CreationDate"] == "D:20250120120000Z"
    xmp = _xmp(reader)
    for element in ("<hbarkiv:diarienummer>SN 2025/0007</hbarkiv:diarienummer>", "<hbarkiv:version>2</hbarkiv:version>",
                    "<hbarkiv:beslutadAv>Socialnämnden</hbarkiv:beslutadAv>",
                    "<hbarkiv:beslutsdatum>2025-01-20</hbarkiv:beslutsdatum>",
                    "<hbarkiv:dokumenttyp>Rutin</hbarkiv:dokumenttyp>", "Orosanmälan – mottagande – version 2"):
        assert element in xmp
    # Properties outside the predefined schemas are declared, as PDF/A asks.
    assert "<pdfaSchema:prefix>hbarkiv</pdfaSchema:prefix>" in xmp
    assert xmp.count("<pdfaProperty:name>") == xmp.count("<hbarkiv:")


def test_fonts_are_embedded_and_the_pdf_is_tagged(archived):
    reader = _pdf(archived[0], FILES[0])
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((font["/BaseFont"], {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())))
    assert fonts and all(files for _, files in fonts), fonts
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root and root["/Lang"] == "sv"
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_each_copy_holds_its_own_text_and_the_archive_footer(archived):
    folder = archived[0]
    for name, sentence, day, others in ((FILES[0], V1, "2024-01-25", (V2, V3)), (FILES[1], V2, "2025-01-20", (V3,)),
                                        (FILES[2], V3, "2026-02-20", (V1,))):
        text = " ".join((page.extract_text() or "") for page in _pdf(folder, name).pages)
        text = " ".join(text.split())
        assert sentence in text and not any(other in text for other in others)
        assert f"Arkivexemplar – fastställd {day}" in text
        assert "Diarienummer" in text and "Beslutad av Socialnämnden" in text


def test_the_manifest_lists_every_file_with_its_sha256(archived):
    folder = archived[0]
    rows = list(csv.reader(io.StringIO((folder / MANIFESTS[0]).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Fil", "Titel", "Dokumenttyp", "Id", "Version", "Fastställd"] and rows[0][-1] == "SHA-256"
    assert [row[0] for row in rows[1:]] == FILES
    for row in rows[1:]:
        assert row[-1] == hashlib.sha256((folder / row[0]).read_bytes()).hexdigest()
    data = json.loads((folder / MANIFESTS[1]).read_text(encoding="utf-8"))
    assert [(f["file"], f["sha256"], f["diarienummer"]) for f in data["filer"]] == [
        (row[0], row[-1], row[7]) for row in rows[1:]]


def test_a_second_run_writes_nothing_new(repo, archived):
    folder = archived[0]
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    result = arkivera(repo, "-o", str(folder))
    assert result.returncode == 0, result.stderr
    assert "0 nya arkivexemplar, 3 fanns redan; förteckningen oförändrad." in result.stderr
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def test_the_same_version_gives_the_same_bytes(repo, archived, tmp_path):
    result = arkivera(repo, "-o", str(tmp_path / "igen"))
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (tmp_path / "igen" / name).read_bytes() == (archived[0] / name).read_bytes()


def test_since_archives_only_later_decisions_and_never_replaces_a_file(repo, tmp_path):
    folder = tmp_path / "arkiv"
    folder.mkdir()
    (folder / FILES[2]).write_bytes(b"registratorns egen fil")
    result = arkivera(repo, "--sedan", "2025-01-01", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.glob("*.pdf")) == FILES[1:]
    assert (folder / FILES[2]).read_bytes() == b"registratorns egen fil"
    assert "1 nya arkivexemplar, 1 fanns redan" in result.stderr


def test_a_version_with_a_personnummer_is_not_archived(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    page = cfg.parent / "docs" / "rutiner" / "oro.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("revised: 2026-03-01", "revised: 2026-04-01").replace(
        "Allt dokumenteras i journalen.", "Exempel 19811218-9876."), encoding="utf-8")
    commit(cfg.parent, "Version 4", "2026-04-01T10:00:00Z")
    page.write_text(text.replace("revised: 2026-03-01", "revised: 2026-05-01"), encoding="utf-8")
    commit(cfg.parent, "Version 5", "2026-05-01T10:00:00Z")
    result = arkivera(cfg, "-o", str(tmp_path / "arkiv"))
    assert result.returncode == 1
    assert "rutiner/oro.md version 4 arkiveras inte: texten innehåller ett personnummer" in result.stderr
    assert "9876" not in result.stderr.replace("rutiner/oro.md version 4", "")
    assert not list((tmp_path / "arkiv").glob("*_v4.pdf")) and len(list((tmp_path / "arkiv").glob("*.pdf"))) == 4


def test_without_history_it_says_why_in_swedish(tmp_path):
    cfg = write_site(tmp_path, {"a.md": "---\ntitle: A\n---\n"})
    result = arkivera(cfg, "-o", str(tmp_path / "arkiv"))
    assert result.returncode == 2
    assert result.stderr.startswith("handbok: Inget att arkivera. Versionshistoriken visas inte: handboken ligger "
                                    "inte i ett git-arkiv.")
    assert "Traceback" not in result.stderr and not (tmp_path / "arkiv").exists()


def test_help_is_swedish_with_an_example():
    result = subprocess.run([sys.executable, "-m", "handbok", "arkivera", "--help"], capture_output=True, text=True,
                            encoding="utf-8", env=build_env())
    assert result.returncode == 0
    assert "användning: handbok arkivera" in result.stdout and "--sedan DATUM" in result.stdout
    assert "exempel:\n  handbok arkivera -o arkiv" in result.stdout
