"""A site's own templates (the option templates_dir) replace ours by name; mistakes in them are
clear Swedish build errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import build, content, find_all, write_site

pytestmark = pytest.mark.slow

ROLES = [{"id": "enhetschef", "name": "Enhetschef"}]
FILES = {
    "index.md": "# Start\n",
    "rutiner/rutin.md": """---
title: En rutin om <b>fetstil</b>
type: rutin
owner: Enhetschef
revised: 2026-03-12
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
---

Text.
""",
}
PANEL = """<section class="egen-panel" aria-label="Om rutinen">
<p>{{ doc.title }} ägs av {{ doc.owner.role }}.</p></section>
"""


def _site(tmp_path: Path, templates: dict[str, str] | None, option: str | None = "mallar") -> Path:
    cfg = write_site(tmp_path, FILES, roles=ROLES, options={"templates_dir": option} if option else None)
    for name, text in (templates or {}).items():
        target = tmp_path / "mallar" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return cfg


def test_a_site_template_replaces_ours_and_is_still_autoescaped(tmp_path):
    built = build(_site(tmp_path, {"document/panel.html": PANEL}), strict=True)
    assert built.result.returncode == 0, built.log
    article = content(built.page("rutiner/rutin/"))
    (panel,) = find_all(article, "section", class_="egen-panel")
    assert panel.text == "En rutin om <b>fetstil</b> ägs av Enhetschef."
    assert find_all(article, "b") == []
    assert find_all(article, "section", class_="handbok-meta") == []


def test_templates_not_overridden_are_ours(tmp_path):
    built = build(_site(tmp_path, {"document/panel.html": PANEL}))
    assert built.result.returncode == 0, built.log
    assert find_all(content(built.page("handbok/revisionslage/")), "table", id="handbok-revisionslage")


def test_a_missing_templates_dir_is_a_swedish_error(tmp_path):
    built = build(_site(tmp_path, None, option="finns-inte"))
    assert built.result.returncode != 0
    assert "mallmappen ”finns-inte” (templates_dir) finns inte" in built.log
    assert "Traceback" not in built.log


@pytest.mark.parametrize(("text", "phrase"), [
    ("<section>{% if doc.title %}</section>\n", "har ett syntaxfel på rad 1"),
    ("<section>{{ doc.no_such_field.x }}</section>\n", "kunde inte användas"),
])
def test_a_broken_site_template_is_a_swedish_error_naming_it(tmp_path, text, phrase):
    built = build(_site(tmp_path, {"document/panel.html": text}))
    assert built.result.returncode != 0
    assert "document/panel.html" in built.log and phrase in built.log, built.log
    assert "Traceback" not in built.log
