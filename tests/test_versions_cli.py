"""`handbok versioner`: a document's versions and the changes between any two, as the real CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from githistory import three_adoptions
from sitebuild import build_env, write_site

DOC = "docs/rutiner/oro.md"


def versioner(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbok", "versioner", *args, "--today", "2026-06-01"], cwd=cwd,
                          env=build_env(), capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return three_adoptions(tmp_path_factory.mktemp("cli") / "repo").parent


def test_lists_the_adopted_versions_newest_first(repo):
    result = versioner(repo, DOC)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Orosanmälan – mottagande (rutiner/oro.md), fastställda versioner, senaste först:"
    assert lines[1].startswith("Version 3  2026-03-01  Socialnämnden  SN 2026/0003  (gällande)")
    assert [line.split("  ")[0] for line in lines[1:]] == ["Version 3", "Version 2", "Version 1"]


def test_compares_any_two_versions_with_markers_instead_of_colour(repo):
    result = versioner(repo, DOC, "--jämför", "3", "1")  # the order given does not matter
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Version 1 (2024-02-01) jämfört med version 3 (2026-03-01)" in out
    assert "  Diarienummer: SN 2024/0011 → SN 2026/0003" in out
    assert "Anmälan ska bedömas [-inom 24 timmar-] {+samma dag av två socialsekreterare+}." in out
    assert "  [-Se också den andra rutinen.-]" in out and "  ## Mottagande" in out


def test_an_unknown_version_or_file_is_a_swedish_message(repo, tmp_path):
    result = versioner(repo, DOC, "--jämför", "1", "7")
    assert result.returncode == 2
    assert result.stderr.strip() == "handbok: Version 7 finns inte för rutiner/oro.md; versionerna är 1, 2, 3."
    missing = versioner(repo, "docs/rutiner/finns-inte.md")
    assert missing.returncode == 2 and "finns inte" in missing.stderr and "Traceback" not in missing.stderr
    cfg = write_site(tmp_path, {"a.md": "---\ntitle: A\n---\n"})
    outside = versioner(cfg.parent, str(repo / DOC))
    assert outside.returncode == 2 and "ligger inte i handbokens mapp" in outside.stderr
