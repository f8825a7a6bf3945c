"""benchmarks/bench_site.py --quick runs end to end (without the browser part) and reports every measurement."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_bench_site_quick(tmp_path):
    results_file = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_site.py"), "--quick", "--no-browser",
         "--repeat", "1", "--check-repeat", "1", "--work", str(tmp_path / "work"), "--json", str(results_file)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out, out
    # The exact commands are printed, for both site variants and for the check.
    assert "mkdocs build --quiet --clean -f mkdocs-material.yml" in out
    assert "mkdocs build --quiet --clean -f mkdocs-handbok.yml" in out
    assert "-m handbok check --today 2026-04-01" in out
    assert re.search(r"Kvot handbok/Material vid N=\d+: \d+\.\d\d", out), out
    assert "[4]" not in out  # --no-browser

    data = json.loads(results_file.read_text(encoding="utf-8"))
    assert [b["n"] for b in data["builds"]] == [20, 40]
    for build in data["builds"]:
        assert build["material_s"] > 0 and build["handbok_s"] > 0
        assert build["ratio"] == build["handbok_s"] / build["material_s"]
    handbok = data["sizes"]["handbok"]
    assert handbok["documents"]["pages"] >= 40 and handbok["overviews"]["pages"] > 0
    assert 0 < handbok["documents"]["avg_kb"] <= handbok["documents"]["max_kb"]
    assert handbok["search_index_kb"] > data["sizes"]["material"]["search_index_kb"] > 0
    assert data["check"]["n"] == 200 and data["check"]["seconds"] > 0
    # Both built sites really exist where the benchmark said.
    assert (tmp_path / "work" / "n40" / "site-handbok" / "handbok" / "revisionslage" / "index.html").exists()
    assert (tmp_path / "work" / "n40" / "site-material" / "index.html").exists()
    assert not (tmp_path / "work" / "n40" / "site-material" / "handbok").exists()


def test_bench_history_quick(tmp_path):
    results_file = tmp_path / "history.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_history.py"), "--quick", "--work", str(tmp_path / "work"),
         "--json", str(results_file)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=600)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out, out
    assert "mkdocs build --quiet --clean -f mkdocs-handbok.yml" in out
    assert "-m handbok arkivera --today 2026-04-01 -o arkiv" in out
    assert re.search(r"Kvot med/utan historik vid N=20: \d+\.\d\d", out), out
    data = json.loads(results_file.read_text(encoding="utf-8"))
    build = data["builds"][0]
    assert build["ratio"] == build["with_s"] / build["without_s"]
    # Five commits per document, three of them adoptions: two superseded versions per steering document.
    assert build["superseded_pages"] > 0 and build["pages_with"] > build["pages_without"]
    archive = data["archive"]
    assert archive["files"] > 0 and archive["second_s"] > 0
