"""Safe attachments: only files of allowed types are linked from documents and published with the site.

The rule itself (handbok.core.attachments) is tested in process with fake files; the reader
on real files in a tmp dir; `handbok check` and `mkdocs build --strict` in subprocesses.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_handbook, run_cli
from handbok.core import attachments as A
from handbok.core.settings import ConfigError, Settings, settings_from_options
from handbok.core.sourcefile import SourceFile
from handbok.source import reader
from handbok.source.files import MAX_READ_BYTES, DocsFiles
from sitebuild import build_example, build_site

TODAY = dt.date(2026, 6, 1)
BODY_LINE = 8  # where the body of the documents below starts
SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10" fill="#036"/></svg>'
SCRIPT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


class FakeFiles:
    """The docs dir as a dict of docs-relative path -> bytes; `unreadable` paths exist but cannot be read."""

    def __init__(self, files: dict[str, bytes] | None = None, unreadable: tuple[str, ...] = ()):
        self.files = dict(files or {})
        self.unreadable = unreadable

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.unreadable

    def read(self, path: str) -> bytes:
        if path in self.unreadable:
            raise PermissionError(13, "Permission denied", path)
        return self.files[path]


class NoDisk:
    """For links the rules must decide without looking at the docs dir."""

    def exists(self, path: str) -> bool:
        raise AssertionError(f"looked for {path}")

    def read(self, path: str) -> bytes:
        raise AssertionError(f"read {path}")


def problems(body: str, files=None, *, path: str = "rutiner/a.md", extra: tuple[str, ...] = ()):
    source = SourceFile(path=path, body=body, body_line=BODY_LINE, text=body)
    return A.body_problems(source, A.Rules(extra), files if files is not None else NoDisk())


def present(*paths: str, content: bytes = b"x") -> FakeFiles:
    return FakeFiles(dict.fromkeys(paths, content))


# --- which types ---------------------------------------------------------------------------------

REFUSED = ["lathund.html", "lathund.htm", "sida.xhtml", "skript.js", "modul.mjs", "stil.css", "program.exe",
           "installera.msi", "kor.bat", "kor.cmd", "skript.ps1", "skript.sh", "makro.vbs", "app.jar", "gammal.com",
           "skarmslackare.scr", "bibliotek.dll", "app.hta", "genvag.lnk", "mall.docm", "berakning.xlsm",
           "bildspel.pptm", "arkiv.zip", "data.xml", "ritning.dwg", "okand.xyz", "utan-andelse"]
ALLOWED = ["blankett.pdf", "mall.doc", "mall.docx", "mall.dot", "mall.dotx", "tabell.xls", "tabell.xlsx",
           "bildspel.ppt", "bildspel.pptx", "text.odt", "tabell.ods", "bildspel.odp", "brev.rtf", "bild.png",
           "foto.jpg", "foto.jpeg", "animation.gif", "bild.webp", "bild.avif", "bild.bmp", "skanning.tif",
           "skanning.tiff", "lista.txt", "lista.csv", "mote.ics", "ljud.mp3", "film.mp4", "ljud.m4a", "film.webm",
           "ljud.ogg"]


@pytest.mark.parametrize("name", REFUSED)
def test_a_link_to_a_refused_type_is_an_error_with_file_line_and_reason(name):
    body = f"Inledning.\n\nSe [bilagan](bilagor/{name}) innan mötet.\n"
    (problem,) = problems(body, present(f"rutiner/bilagor/{name}"))
    assert (problem.path, problem.line, problem.severity, problem.code) == (
        "rutiner/a.md", BODY_LINE + 2, "error", "unsafe-attachment")
    assert problem.blocks_build
    assert problem.message.startswith(f"Filen ”bilagor/{name}” får inte publiceras: ")
    assert len(problem.message) > 80  # says why and what to do instead


@pytest.mark.parametrize("name", ALLOWED)
def test_a_link_to_an_allowed_type_passes_without_looking_at_the_disk(name):
    assert problems(f"[Bilaga](bilagor/{name}) och ![bild](bilagor/{name})\n") == []


@pytest.mark.parametrize("href", ["LATHUND.HTML", "Lathund.Html", "skript.JS", "program.Exe"])
def test_extensions_are_compared_case_insensitively(href):
    assert len(problems(f"[x]({href})\n", present(f"rutiner/{href}"))) == 1


@pytest.mark.parametrize("href", ["BLANKETT.PDF", "Bild.PNG", "mall.DocX"])
def test_allowed_extensions_in_capitals_pass(href):
    assert problems(f"[x]({href})\n") == []


@pytest.mark.parametrize("href", ["x.pdf#page=2", "x.pdf?v=2", "x.pdf?v=2#page=3", "<x.pdf#page=2>"])
def test_query_strings_and_fragments_do_not_hide_an_allowed_type(href):
    assert problems(f"[x]({href})\n") == []


@pytest.mark.parametrize("href", ["x.html#avsnitt", "x.html?download=1", "x.html?a=b.pdf", "x.html#sida.pdf"])
def test_query_strings_and_fragments_do_not_hide_a_refused_type(href):
    (problem,) = problems(f"[x]({href})\n", present("rutiner/x.html"))
    assert f"”{href}”" in problem.message


def test_url_encoded_names_are_decoded_like_the_web_server_does():
    files = present("rutiner/bilagor/min fil.html", "rutiner/bilagor/min fil.pdf")
    (problem,) = problems("[a](bilagor/min%20fil.html) [b](bilagor/min%20fil.pdf)\n", files)
    assert "”bilagor/min%20fil.html”" in problem.message
    assert problems("[a](<bilagor/min fil.html>)\n", files)[0].line == BODY_LINE


def test_reference_style_links_are_checked_on_the_line_of_the_definition():
    body = 'Fyll i [blanketten][b].\n\n[b]: bilagor/blankett.html "Blanketten"\n[c]: <bilagor/ok.pdf>\n'
    (problem,) = problems(body, present("rutiner/bilagor/blankett.html"))
    assert problem.line == BODY_LINE + 2 and "”bilagor/blankett.html”" in problem.message


def test_footnotes_are_not_link_definitions():
    assert problems("Text[^1].\n\n[^1]: Se sidan.html i intranätet.\n", present("rutiner/Se")) == []


def test_images_linked_images_and_raw_html_are_checked():
    files = FakeFiles({"rutiner/karta.svg": SCRIPT_SVG, "rutiner/ok.svg": SAFE_SVG, "rutiner/b.html": b"",
                       "rutiner/c.js": b"", "rutiner/d.svg": SCRIPT_SVG})
    body = ("![Karta](karta.svg)\n![OK](ok.svg)\n[![bild](a.png)](b.html)\n"
            '<a href="c.js">skript</a> <img alt="" src=\'d.svg\'>\n')
    found = problems(body, files)
    assert [(p.line, p.message.split("”")[1]) for p in found] == [
        (BODY_LINE, "karta.svg"), (BODY_LINE + 2, "b.html"), (BODY_LINE + 3, "c.js"), (BODY_LINE + 3, "d.svg")]
    assert "skript" in found[0].message


def test_links_in_code_blocks_and_inline_code_are_ignored():
    body = ("Skriv så här: `[blankett](x.html)` eller ``[a](x.html) med ` i``.\n\n"
            "```markdown\n[blankett](x.html)\n```\n\n"
            "~~~\n[blankett](x.html)\n~~~\n\n"
            "````\n```\n[blankett](x.html)\n```\n````\n\n"
            "Men här är en riktig länk: [blankett](x.html).\n")
    (problem,) = problems(body, present("rutiner/x.html"))
    assert problem.line == BODY_LINE + body.split("\n").index("Men här är en riktig länk: [blankett](x.html).")


@pytest.mark.parametrize("href", ["https://exempel.se/a.html", "http://exempel.se/skript.js", "mailto:a@exempel.se",
                                  "tel:+4612345", "//cdn.exempel.se/x.js", "#avsnitt", "javascript:alert(1)",
                                  "HTTPS://EXEMPEL.SE/A.HTML", "annan.md", "annan.md#del", "ANNAN.MD", "mapp/"])
def test_other_sites_anchors_and_documents_are_no_attachments(href):
    assert problems(f"[x]({href})\n") == []


@pytest.mark.parametrize("href", ["../../utanfor.html", "%2e%2e/%2e%2e/utanfor.html", "/../x.html", "..", "../"])
def test_links_leaving_the_docs_dir_are_not_attachments(href):
    assert problems(f"[x]({href})\n", FakeFiles()) == []


def test_a_refused_type_that_is_not_in_the_docs_dir_publishes_nothing():
    # With use_directory_urls: false a page's URL ends in .html; a missing file is MkDocs's broken link.
    assert problems("[Annan sida](annan-sida.html) [Flöde](../handbok/nytt.xml)\n", FakeFiles()) == []


def test_absolute_links_are_resolved_from_the_docs_dir():
    (problem,) = problems("[x](/bilagor/x.html)\n", present("bilagor/x.html"))
    assert "”/bilagor/x.html”" in problem.message


@given(st.text())
def test_any_body_is_scanned_without_an_exception(body):
    everything = FakeFiles()
    everything.exists = lambda path: True  # type: ignore[method-assign]
    everything.read = lambda path: path.encode("utf-8", "replace")  # type: ignore[method-assign]
    for problem in problems(body, everything):
        assert problem.code == "unsafe-attachment" and problem.line >= BODY_LINE


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_href_is_resolved_without_an_exception(href):
    target = A.local_target(href, "a/b.md")
    assert target is None or not target.startswith(("../", "/"))
    assert problems(f"[x]({href}) [y]: {href}\n<a href=\"{href}\">\n", FakeFiles()) == []


# --- SVG -----------------------------------------------------------------------------------------

SAFE_SVGS = {
    "plain": SAFE_SVG,
    "gradient reference": b'<svg><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/></svg>',
    "internal use": b'<svg><use href="#ikon"/><use xlink:href="#ikon"/></svg>',
    "relative link": b'<svg><a href="../rutiner/sida.html"><text>Till rutinen</text></a></svg>',
    "xml declaration": b'<?xml version="1.0" encoding="UTF-8"?>\n<svg><title>Karta</title></svg>',
    "latin-1 text": '<?xml version="1.0" encoding="ISO-8859-1"?><svg><text>Förskola</text></svg>'.encode("latin-1"),
    "utf-8 bom": b"\xef\xbb\xbf<svg><text>\xc3\xa5\xc3\xa4\xc3\xb6</text></svg>",
    "utf-16 with bom": "<svg><text>Förskola</text></svg>".encode("utf-16"),
    "inline style": b'<svg><style>rect { fill: #036; }</style><rect style="stroke: url(#g)"/></svg>',
}
UNSAFE_SVGS = {
    "script": SCRIPT_SVG,
    "script in capitals": b"<SVG><SCRIPT>alert(1)</SCRIPT></SVG>",
    "namespaced script": b'<svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>',
    "onload": b'<svg onload="alert(1)"><rect/></svg>',
    "onclick with spaces": b'<svg><rect ONCLICK = "alert(1)"/></svg>',
    "javascript link": b'<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "javascript with tab": b'<svg><a href="java\tscript:alert(1)"><text>x</text></a></svg>',
    "character reference": b'<svg><a href="&#106;avascript:alert(1)"><text>x</text></a></svg>',
    "foreignObject": b'<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    "iframe": b'<svg><iframe src="x"/></svg>',
    "external image": b'<svg><image href="https://exempel.se/bild.png"/></svg>',
    "data image": b'<svg><image xlink:href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
    "external use": b'<svg><use href="//exempel.se/ikoner.svg#a"/></svg>',
    "entity": b'<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]><svg>&x;</svg>',
    "xml stylesheet": b'<?xml-stylesheet type="text/xsl" href="x.xsl"?><svg/>',
    "animated href": b'<svg><a><set attributeName="href" to="x"/><text>x</text></a></svg>',
    "css import": b'<svg><style>@import "https://exempel.se/a.css";</style></svg>',
    "css external url": b'<svg><rect style="fill: url(https://exempel.se/a.svg#g)"/></svg>',
    "xhtml namespace": b'<svg><g xmlns:h="http://www.w3.org/1999/xhtml"><h:a/></g></svg>',
    "utf-16 without bom": "<svg><script>alert(1)</script></svg>".encode("utf-16-le"),
    "utf-16 with bom and script": "<svg><script>alert(1)</script></svg>".encode("utf-16"),
    "utf-7 declared": b'<?xml version="1.0" encoding="UTF-7"?><svg>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</svg>',
    "broken utf-16": b"\xff\xfe<\x00s\x00\x00\xd8",
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("name", SAFE_SVGS)
def test_an_svg_without_script_is_an_image(name):
    assert A.svg_refusal(SAFE_SVGS[name]) is None


@pytest.mark.parametrize("name", UNSAFE_SVGS)
def test_an_svg_that_could_run_code_is_refused(name):
    reason = A.svg_refusal(UNSAFE_SVGS[name])
    assert reason is not None and "SVG-bilden" in reason and "PNG" in reason


def test_an_svg_that_cannot_be_read_is_refused():
    (problem,) = problems("![Karta](karta.svg)\n", FakeFiles(unreadable=("rutiner/karta.svg",)))
    assert "gick inte att läsa" in problem.message


def test_svgz_is_never_allowed_since_it_cannot_be_checked():
    assert A.Rules([".svgz"]).reason(".svgz") is not None


# --- widening the list ---------------------------------------------------------------------------


def test_a_site_can_allow_its_own_types():
    files = present("rutiner/ritning.dwg", "rutiner/modell.IFC")
    assert problems("[Ritning](ritning.dwg) [Modell](modell.IFC)\n", files, extra=(".dwg", "IFC")) == []
    assert A.Rules(["DWG"]).reason(".dwg") is None


@pytest.mark.parametrize("extension", [".html", ".htm", ".js", ".mjs", ".exe", ".bat", ".ps1", ".xml", ".hta"])
def test_widening_never_allows_pages_scripts_or_programs(extension):
    rules = A.Rules([extension, extension.lstrip(".").upper()])
    assert rules.reason(extension) is not None
    with pytest.raises(ConfigError) as error:
        settings_from_options({"attachment_types": [".dwg", extension]}, base_dir=Settings().base_dir)
    assert "attachment_types" in str(error.value) and f"”{extension}” kan aldrig tillåtas" in str(error.value)


def test_listing_svg_does_not_switch_off_the_content_check():
    files = FakeFiles({"rutiner/k.svg": SCRIPT_SVG})
    assert len(problems("![k](k.svg)\n", files, extra=(".svg",))) == 1


def test_an_attachment_type_must_look_like_an_extension():
    with pytest.raises(ConfigError, match="ingen filändelse"):
        settings_from_options({"attachment_types": ["pdf eller docx"]}, base_dir=Settings().base_dir)
    assert settings_from_options({"attachment_types": ["dwg", ".IFC"]}, base_dir=Settings().base_dir
                                 ).attachment_types == ["dwg", ".IFC"]


# --- the files of the site -----------------------------------------------------------------------


def test_published_refusal_spares_documents_and_the_administrators_files():
    files = FakeFiles({"stil/extra.css": b"a{}", "js/extra.js": b"", "bilagor/x.html": b"", "a.md": b"",
                       "bild.svg": SAFE_SVG, "ond.svg": SCRIPT_SVG})
    admin = {A.admin_path(p) for p in ["stil/extra.css", "/js/extra.js?v=2", "https://cdn.exempel.se/x.js"]}
    assert admin == {"stil/extra.css", "js/extra.js", None}
    refused = [p for p in sorted(files.files) if A.published_refusal(p, A.Rules(), files, admin)]
    assert refused == ["bilagor/x.html", "ond.svg"]


# --- on real files -------------------------------------------------------------------------------

DOC = """---
title: Blankett för ansökan
type: checklista
owner: Enhetschef
revised: 2026-01-01
review_interval: årligen
---

Fyll i [blanketten](bilagor/blankett.html) och [ansökan](bilagor/ansokan.pdf).

![Karta](bilagor/karta.svg) ![Gammal karta](bilagor/latin1.svg)

[Null](bilagor/x%00.html) [Mapp](bilagor/mapp.html) [Lång](bilagor/{long}.html) [Trasig](%ff%fe.html)
""".replace("{long}", "a" * 5000)
ENTRY = """---
id: lathund
title: Lathund
kind: metodstöd
publisher: Socialstyrelsen
year: 2020
file: bilagor/lathund.htm
reviewed: 2026-01-01
review_interval: årligen
---

Sammanfattning.
"""
START = "# Start\n\nSe [lathunden](evidens/bilagor/lathund.htm).\n"


def _write(root):
    return make_handbook(root, {
        "index.md": START,
        "rutiner/blankett.md": DOC,
        "rutiner/bilagor/blankett.html": "<script>alert(1)</script>",
        "rutiner/bilagor/ansokan.pdf": b"%PDF-1.4\n",
        "rutiner/bilagor/karta.svg": SCRIPT_SVG,
        "rutiner/bilagor/latin1.svg": '<svg><text>Förskola</text></svg>'.encode("latin-1"),
        "rutiner/bilagor/mapp.html/index.md": "# En mapp som heter .html\n",
        "evidens/lathund.md": ENTRY,
        "evidens/bilagor/lathund.htm": "<p>",
    })


def _unsafe(book):
    return [(p.path, p.line, p.field) for p in book.problems if p.code == "unsafe-attachment"]


EXPECTED = [("evidens/lathund.md", 7, "file"), ("index.md", 3, None), ("rutiner/blankett.md", 9, None),
            ("rutiner/blankett.md", 11, None)]


def test_reader_checks_body_links_file_fields_and_excluded_pages(tmp_path):
    root = _write(tmp_path)
    book = reader.load(root / "docs", Settings(base_dir=root, coverage=False), TODAY)
    assert _unsafe(book) == EXPECTED
    entry = book.by_path("evidens/lathund.md")
    assert entry.entry.file is None  # the page must not link to a file the site leaves out
    message = next(p.message for p in book.problems if p.path == "evidens/lathund.md")
    assert message.startswith("Fältet ”file”: Filen ”bilagor/lathund.htm” får inte publiceras: HTML-filer")


def test_reader_in_parallel_finds_the_same(tmp_path, monkeypatch):
    root = _write(tmp_path)
    monkeypatch.setattr(reader, "PARALLEL_MIN_FILES", 1)
    book = reader.load(root / "docs", Settings(base_dir=root, coverage=False), TODAY, workers=2)
    assert _unsafe(book) == EXPECTED


def test_docs_files_never_raise_for_odd_names_and_cap_what_they_read(tmp_path):
    files = DocsFiles(tmp_path)
    assert not files.exists("x\x00.html") and not files.exists("a" * 5000 + ".html") and not files.exists("saknas")
    with pytest.raises(OSError):
        files.read("x\x00.svg")
    (tmp_path / "stor.svg").write_bytes(b" " * (MAX_READ_BYTES + 1))
    with pytest.raises(OSError):
        files.read("stor.svg")
    assert A.refusal("stor.svg", A.Rules(), files) is not None


# --- end to end ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_handbok_check_reports_unsafe_attachments(tmp_path):
    _write(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - handbok:\n      coverage: false\n",
                                         encoding="utf-8")
    result = run_cli("check", "--format", "json", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = [(p["path"], p["line"], p.get("field")) for p in report["problems"] if p["code"] == "unsafe-attachment"]
    assert found == EXPECTED
    text = run_cli("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert "docs/rutiner/blankett.md:9" in text.stdout and "”bilagor/blankett.html” får inte publiceras" in text.stdout


@pytest.mark.slow
def test_handbok_check_refuses_a_setting_that_would_allow_html(tmp_path):
    make_handbook(tmp_path, {"index.md": "# Start\n"}, options={"attachment_types": [".dwg", ".html"]})
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "attachment_types" in result.stderr and "”.html” kan aldrig tillåtas" in result.stderr


SITE_FILES = {
    "index.md": "# Start\n",
    "rutiner/blankett.md": DOC.split("\n![Karta]")[0] + "\n\nSe också [ritningen](bilagor/ritning.dwg).\n",
    "rutiner/bilagor/blankett.html": "<script>alert(1)</script>",
    "rutiner/bilagor/ansokan.pdf": b"%PDF-1.4\n",
    "rutiner/bilagor/ritning.dwg": b"AC1032",
    "rutiner/bilagor/olankad.js": "alert(1)",
    "rutiner/bilagor/farlig.svg": SCRIPT_SVG,
    "rutiner/bilagor/ofarlig.svg": SAFE_SVG,
    "stil/extra.css": "a { color: #036; }",
}


@pytest.fixture(scope="module")
def unsafe_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("bilagor"), SITE_FILES, strict=True,
                      options={"attachment_types": [".dwg"]}, config={"extra_css": ["stil/extra.css"]})


@pytest.mark.slow
def test_strict_build_fails_on_a_linked_html_file_naming_file_and_line(unsafe_site):
    assert unsafe_site.result.returncode != 0
    log = unsafe_site.log
    assert "rutiner/blankett.md:9: Filen ”bilagor/blankett.html” får inte publiceras: HTML-filer" in log
    assert "[unsafe-attachment]" in log
    for name in ("blankett.html", "olankad.js", "farlig.svg"):  # linked or not: left out, with a warning
        assert f"handbok: rutiner/bilagor/{name} tas inte med på webbplatsen." in log
    assert "ofarlig.svg tas inte med" not in log and "extra.css tas inte med" not in log


@pytest.mark.slow
def test_refused_files_are_absent_from_the_site_and_the_rest_is_there(unsafe_site):
    folder = unsafe_site.site / "rutiner" / "bilagor"
    assert sorted(p.name for p in folder.iterdir()) == ["ansokan.pdf", "ofarlig.svg", "ritning.dwg"]
    assert (unsafe_site.site / "stil" / "extra.css").is_file()  # the administrator's own stylesheet
    assert (unsafe_site.site / "assets" / "handbok" / "handbok.js").is_file()  # ours
    assert (unsafe_site.site / "assets" / "javascripts").is_dir()  # the theme's
    assert not [p for p in unsafe_site.site.rglob("*") if p.suffix in (".htm", ".js") and "rutiner" in p.parts]


@pytest.mark.slow
def test_the_example_handbook_keeps_its_pdfs(tmp_path_factory):
    built = build_example(tmp_path_factory)
    assert built.result.returncode == 0, built.log
    assert "unsafe-attachment" not in built.log
    pdfs = sorted(p.name for p in (built.site / "evidens" / "bilagor").iterdir())
    assert pdfs == ["bbic-sammanfattning.pdf", "lex-sarah-lathund.pdf"]
