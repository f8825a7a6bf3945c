"""What a governed page shows around the author's text (render/document.py), rendered in-process:
every part well formed, change notes with several paragraphs, hostile values escaped.

DocumentParts.around gives the fragments before and after the text; these tests join them as the
site adapter does (no site build, so they are fast).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import ROOT, make_handbook
from handbok.core.index import Handbook
from handbok.core.model import Document
from handbok.core.settings import Settings
from handbok.render.document import DocumentParts
from handbok.render.links import Links
from handbok.render.templating import Fragment, default_templates, join
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from htmlcheck import Parsed, assert_well_formed

TODAY = dt.date(2026, 6, 1)
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_OWNER = '"><img src=x onerror=alert(1)>'
HOSTILE_DUTY = "<b>Fet</b> plikt"
HOSTILE_NOTE = "</td></tr></table><script>alert(3)</script>"
TAGS_THAT_MUST_NOT_APPEAR = {"script", "img", "b"}

ROUTINE = f"""---
title: '{HOSTILE_TITLE}'
id: rutin-a
type: rutin
owner:
  role: Enhetschef
  name: '{HOSTILE_OWNER}'
unit: barn-och-unga
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §, SoL 14 kap. 2 §]
evidence: [bbic]
related: [process-a]
changes:
  - date: 2026-03-01
    note: |
      Första stycket.

      Andra stycket.
  - date: 2025-03-01
    note: '{HOSTILE_NOTE}'
---

Text.
"""

FILES: dict[str, str | bytes] = {
    "barn/rutin.md": ROUTINE,
    "barn/process.md": """---
title: Processen
id: process-a
type: process
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 2 §]
activities:
  - name: Ta emot
    role: Enhetschef
    routine: rutin-a
---

Text.
""",
    "barn/ansvar.md": f"""---
title: Ansvar
type: ansvarsfördelning
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-01
review_interval: årligen
responsibilities:
  Enhetschef:
    - '{HOSTILE_DUTY}'
---

Text.
""",
    "evidens/bbic.md": """---
id: bbic
title: Grundbok i BBIC
kind: metodstöd
publisher: Socialstyrelsen
year: 2018
areas: [barn-och-unga]
url: https://www.socialstyrelsen.se/
reviewed: 2026-02-01
review_interval: vartannat år
---

Sammanfattning.
""",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Handbook:
    root = make_handbook(tmp_path_factory.mktemp("dokument"), FILES, roles=["Enhetschef"],
                         units=[{"id": "barn-och-unga", "name": "Barn och unga"}])
    settings = Settings(base_dir=root, roles_file="registry/roles.yml", units_file="registry/units.yml",
                        coverage=False)
    loaded = reader.load(root / "docs", settings, TODAY)
    assert not loaded.errors, loaded.errors
    return loaded


def parts(book: Handbook, links: Links | None = None) -> DocumentParts:
    return DocumentParts(book, links or Links(lambda path: None, ""), lambda unit_id: f"handbok/enheter/{unit_id}/",
                         default_templates())


def linked() -> Links:
    return Links(lambda path: path.removesuffix(".md") + "/", "barn/sida/")


def rendered(book: Handbook, doc: Document, links: Links | None = None) -> tuple[list[Fragment | None], str]:
    top, bottom = parts(book, links).around(doc)
    fragments = top + bottom
    html = str(join(default_templates(), fragments))
    return fragments, html


def test_change_note_with_two_paragraphs_is_a_well_formed_table_cell(book):
    """A YAML block scalar with a blank line inside: two <p> in the <td>, nothing outside the table.
    The old Markdown path wrote `<td>Första stycket.\\n<p>Andra stycket.</td></tr></tbody></table></div></p>`."""
    doc = book.by_path("barn/rutin.md")
    fragment = parts(book).change_log(doc)
    assert fragment is not None and fragment.heading is not None
    assert (fragment.heading.title, fragment.heading.anchor) == ("Ändringslogg", "handbok-andringslogg")
    html = str(fragment.html)
    assert_well_formed(html)
    assert "<td><p>Första stycket.</p><p>Andra stycket.</p></td>" in html
    assert html.startswith("<div") and html.endswith("</table></div>")
    # Newest first; a one-paragraph note stays bare text, escaped.
    assert html.index("2026-03-01") < html.index("2025-03-01")
    assert "<td>&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)&lt;/script&gt;</td>" in html


@pytest.mark.parametrize("links", [None, linked()], ids=["without-pages", "with-pages"])
def test_every_part_of_every_document_is_well_formed_and_escaped(book, links):
    for doc in book.documents:
        top, bottom = parts(book, links).around(doc)
        for fragment in top + bottom:
            if fragment is None:
                continue
            try:
                assert_well_formed(str(fragment.html))
            except AssertionError as exc:
                raise AssertionError(f"{doc.path}: {exc}\n{fragment.html}") from None
        _, html = rendered(book, doc, links)
        assert_well_formed(html)
        assert not Parsed(html).names() & TAGS_THAT_MUST_NOT_APPEAR, doc.path
    _, html = rendered(book, book.by_path("barn/rutin.md"), links)
    text = Parsed(html).text
    assert HOSTILE_OWNER in text and HOSTILE_NOTE in text
    _, html = rendered(book, book.by_path("barn/ansvar.md"), links)
    assert HOSTILE_DUTY in Parsed(html).text


def test_parts_have_their_headings(book):
    fragments, _ = rendered(book, book.by_path("barn/rutin.md"))
    anchors = [f.heading.anchor for f in fragments if f is not None and f.heading is not None]
    assert anchors == ["handbok-processer", "handbok-kunskapsunderlag", "handbok-andringslogg"]
    fragments, _ = rendered(book, book.by_path("barn/process.md"))
    anchors = [f.heading.anchor for f in fragments if f is not None and f.heading is not None]
    assert anchors[0] == "handbok-aktiviteter"
    fragments, _ = rendered(book, book.by_path("barn/ansvar.md"))
    assert "handbok-ansvar" in [f.heading.anchor for f in fragments if f is not None and f.heading is not None]


# --- the example handbook ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example() -> Handbook:
    project = load_project(ROOT / "mkdocs.yml")
    return reader.load(Path(project.docs_dir), project.settings, TODAY)


def test_every_part_of_every_example_document_is_well_formed(example):
    assert len(example.documents) > 20
    for links in (Links(lambda path: None, ""), Links(lambda path: path.removesuffix(".md") + "/", "sida/")):
        document_parts = DocumentParts(example, links, lambda unit_id: f"handbok/enheter/{unit_id}/",
                                       default_templates())
        for doc in example.documents:
            top, bottom = document_parts.around(doc)
            for fragment in top + bottom:
                if fragment is None:
                    continue
                try:
                    assert_well_formed(str(fragment.html))
                except AssertionError as exc:
                    raise AssertionError(f"{doc.path}: {exc}") from None
            assert_well_formed(str(join(default_templates(), top + bottom)))
