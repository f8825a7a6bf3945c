"""The example handbook tells the story it was written to tell (tests/example_story.yml)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from sitebuild import ROOT, build_example

pytestmark = pytest.mark.slow  # checks and builds the whole example handbook

STORY = yaml.safe_load((ROOT / "tests" / "example_story.yml").read_text(encoding="utf-8"))


def _check(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([sys.executable, "-m", "handbok", "check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_reports_exactly_the_intended_problems():
    result = _check("--today", str(STORY["today"]), "--format", "json")
    assert result.returncode == 1, result.stderr  # the overdue documents are errors
    report = json.loads(result.stdout)
    assert report["today"] == str(STORY["today"])
    found = sorted((p["path"] or "", p["code"]) for p in report["problems"])
    intended = sorted((p["path"] or "", p["code"]) for p in STORY["problems"])
    assert found == intended
    uncovered = [p for p in report["problems"] if p["code"] == "uncovered-requirement"]
    wanted = [p["requirement"] for p in STORY["problems"] if p["code"] == "uncovered-requirement"]
    assert [w in p["message"] for p, w in zip(uncovered, wanted, strict=True)] == [True] * len(wanted)


def test_example_is_large_enough_and_uses_every_document_type():
    result = _check("--today", str(STORY["today"]), "--format", "json")
    report = json.loads(result.stdout)
    evidence = list((ROOT / "handbook" / "evidens").glob("*.md"))
    assert report["documents"] - len(evidence) >= 40
    assert len(evidence) >= 15
    types = set()
    for path in (ROOT / "handbook").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines()[:15]:
            if line.startswith("type:"):
                types.add(line.split(":", 1)[1].strip())
    assert {"process", "rutin", "riktlinje", "checklista", "ansvarsfördelning", "policy", "plan"} <= types


def test_example_builds_in_strict_mode_with_the_coverage_matrix(tmp_path_factory):
    built = build_example(tmp_path_factory, strict=True, today=STORY["today"])
    assert built.result.returncode == 0, built.result.stderr[-3000:]
    coverage = built.page("handbok/tackning/")
    assert coverage.count('data-handbok-coverage="gap"') == 0
    assert coverage.count('data-handbok-coverage="covered"') >= 10
    # The requirements of work are covered by the work: the risk analysis and a completed measure (anchored).
    assert "Visat arbete, senaste 12 månaderna:" in coverage
    assert "riskanalys-2026-internkontroll/" in coverage and "resultat-bbic-2026-q1/#atgard-a1" in coverage
