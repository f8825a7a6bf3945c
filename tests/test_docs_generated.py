"""The generated parts of docs/ and the shipped JSON Schema must match the code.

If a test here fails, regenerate and commit:

    .venv/bin/python scripts/gen_docs.py
    .venv/bin/handbok schema --force -o schema/handbok.schema.json
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from conftest import ROOT, run_cli

MARKERS = ["handbok:fields:document", "handbok:fields:evidence", "handbok:options", "handbok:codes"]


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_sections_are_up_to_date():
    stale = _gen_docs().outdated(ROOT / "docs")
    assert not stale, "Inaktuella avsnitt i: " + ", ".join(str(p.relative_to(ROOT)) for p in stale) + \
        " – kör .venv/bin/python scripts/gen_docs.py"


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_is_present_in_the_docs(marker):
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")]
    assert any(f"<!-- {marker} -->" in t and f"<!-- /{marker} -->" in t for t in texts), marker


def test_every_field_and_option_is_documented():
    from handbok.core.schema import DOCUMENT_FIELDS, EVIDENCE_FIELDS
    from handbok.core.settings import OPTION_HELP

    writing = (ROOT / "docs" / "skriva-dokument.md").read_text(encoding="utf-8")
    admin = (ROOT / "docs" / "administration.md").read_text(encoding="utf-8")
    for spec in DOCUMENT_FIELDS + EVIDENCE_FIELDS:
        assert f"| `{spec.name}` |" in writing, spec.name
    for name in OPTION_HELP:
        assert f"| `{name}` |" in admin, name


def test_render_replaces_only_between_markers(tmp_path):
    gen = _gen_docs()
    text = "före\n<!-- handbok:options -->\ngammalt\n<!-- /handbok:options -->\nefter\n"
    out = gen.render(text, {"handbok:options": "nytt\n"})
    assert out == "före\n<!-- handbok:options -->\nnytt\n<!-- /handbok:options -->\nefter\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "b.md").write_text("inga markeringar\n", encoding="utf-8")
    stale = gen.outdated(tmp_path)
    assert list(stale) == [tmp_path / "a.md"]


def test_shipped_schema_equals_cli_output():
    shipped = ROOT / "schema" / "handbok.schema.json"
    result = run_cli("schema", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert shipped.read_text(encoding="utf-8") == result.stdout, \
        "schema/handbok.schema.json är inaktuell – kör .venv/bin/handbok schema --force -o schema/handbok.schema.json"
    roles = json.loads(result.stdout)["$defs"]["document"]["properties"]["owner"]["anyOf"][0]
    assert "Socialchef" in roles["enum"]  # the registry from mkdocs.yml is in it


def test_vscode_and_ci_examples_are_valid():
    """The example configs people copy must at least parse, and point at real things."""
    import yaml

    settings = json.loads((ROOT / "docs" / "vscode" / "settings.json").read_text(encoding="utf-8"))
    tasks = json.loads((ROOT / "docs" / "vscode" / "tasks.json").read_text(encoding="utf-8"))
    labels = {t["label"] for t in tasks["tasks"]}
    assert set(settings["triggerTaskOnSave.tasks"]) <= labels
    matcher = next(t for t in tasks["tasks"] if t.get("group", {}).get("isDefault"))["problemMatcher"]
    regexp = re.compile(matcher["pattern"]["regexp"])
    line = "::error file=handbook/a/b.md,line=8,title=overdue::Dokumentet skulle ha reviderats senast 2025-09-15."
    match = regexp.match(line)
    assert match and match.group(matcher["pattern"]["file"]) == "handbook/a/b.md"
    assert match.group(matcher["pattern"]["line"]) == "8"
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        assert isinstance(yaml.safe_load((ROOT / "docs" / "ci" / name).read_text(encoding="utf-8")), dict)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "handbok-check" and hooks[0]["pass_filenames"] is False
