"""Everything handbok adds to a page is well-formed HTML, whatever the front matter holds.

Two cases broke the old string-based rendering and are kept here as regression tests:
a change note written as a YAML block scalar with a blank line inside (it broke the
change-log table) and a site's own document type with markup in its name (it became
markup in a heading on the unit page).
"""

from __future__ import annotations

import pytest

from htmlcheck import assert_well_formed
from sitebuild import build_site, content, find_all, text_of

pytestmark = pytest.mark.slow

ROLES = [{"id": "enhetschef", "name": "Enhetschef"}]
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga"}]
ODD_TYPE = "<i>x</i>"
FILES = {
    "index.md": "# Start\n",
    "barn-och-unga/rutiner/orosanmalan.md": """---
title: Orosanmälan
type: rutin
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-12
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
changes:
  - date: 2026-03-12
    note: |
      Första stycket.

      Andra stycket.
  - date: 2025-01-10
    note: Första versionen.
---

Text.
""",
    "barn-och-unga/ovrigt/konstig-typ.md": f"""---
title: Ett dokument av en egen typ
type: "{ODD_TYPE}"
owner: Enhetschef
unit: barn-och-unga
revised: 2026-03-12
review_interval: årligen
---

Text.
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("markup"), FILES, roles=ROLES, units=UNITS,
                       options={"extra_types": [ODD_TYPE]})
    assert built.result.returncode == 0, built.log
    return built


def test_a_change_note_with_two_paragraphs_keeps_the_change_log_table_intact(site):
    article = content(site.page("barn-och-unga/rutiner/orosanmalan/"))
    assert_well_formed(article)
    (table,) = find_all(article, "div", class_="handbok-changes")
    cells = find_all(table.html, "td")
    assert [c.text for c in cells[::2]] == ["2026-03-12", "2025-01-10"]
    assert cells[3].text == "Första versionen."
    assert [p.text for p in find_all(cells[1].html, "p")] == ["Första stycket.", "Andra stycket."]


def test_a_site_type_with_markup_in_its_name_is_text_on_the_unit_page(site):
    article = content(site.page("barn-och-unga/"))
    assert_well_formed(article)
    assert find_all(article, "i") == []
    headings = [h.text for h in find_all(article, "h2")]
    assert ODD_TYPE in headings


def test_every_page_of_the_site_is_well_formed(site):
    for path in site.html_files():
        html = path.read_text(encoding="utf-8")
        if path.name == "404.html" or 'http-equiv="refresh"' in html:  # a moved page's redirect has no article
            continue
        assert_well_formed(content(html))


def test_the_panel_shows_the_type_label_as_text(site):
    article = content(site.page("barn-och-unga/ovrigt/konstig-typ/"))
    assert ODD_TYPE in text_of(article)
    assert find_all(article, "i") == []
