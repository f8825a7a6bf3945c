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
        [sys.executable, str(ROOT / "benchmarks" / "bench_site.py"), "--quick",
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

    data = json.loads(results_file.read_text(encoding="utf-8"))
    assert [b["n"] for b in data["builds"]] == [20, 40]
    for build in data["builds"]:
        assert build["material_s"] > 0 and build["handbok_s"] > 0
        assert build["ratio"] == build["handbok_s"] / build["material_s"]
    handbok = data["sizes"]["handbok"]
    assert handbok["documents"]["pages"] >= 40 and handbok["overviews"]["pages"] > 0
    assert 0 < handbok["documents"]["avg_kb"] <= handbok["documents"]["max_kb"]
    # Material's lunr index, downloaded whole, and handbok's Pagefind bundle, fetched in pieces.
    assert handbok["search_index_kb"] > 0 and data["sizes"]["material"]["search_index_kb"] > 0
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


@pytest.mark.browser
def test_bench_search_quick_runs(tmp_path):
    """benchmarks/bench_search.py --quick: builds, Chromium on both sites, the ratios and targets, the JSON."""
    import yaml

    from chromium import CHROMIUM, unavailable

    if not CHROMIUM.exists():
        unavailable(f"Chromium saknas ({CHROMIUM}); installera Debians paket chromium")
    results_file = tmp_path / "search.json"
    work = tmp_path / "work"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_search.py"), "--quick", "--repeat", "1", "--work",
         str(work), "--json", str(results_file)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=900)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Traceback" not in out, out
    # The exact commands of all three builds are printed.
    for name in ("material", "handbok", "handbok-utan-sok"):
        assert f"mkdocs build --quiet --clean -f mkdocs-{name}.yml" in out
    assert re.search(r"Kvot handbok/Material vid N=60: klar \d+\.\d{3}, klar \+ första träff \d+\.\d{3}", out), out
    assert re.search(r"Mål sökningen klar .* vid N=60: .*: (OK|MISSAT)", out), out
    assert re.search(r"Mål < 300 KB före första träffen .*: (OK|MISSAT)", out), out
    assert "\nSammanfattning:\n" in out

    data = json.loads(results_file.read_text(encoding="utf-8"))
    assert [s["n"] for s in data["sizes"]] == [30, 60]
    for size in data["sizes"]:
        build = size["build"]
        assert build["ratio_material"] == build["handbok_s"] / build["material_s"]
        assert build["ratio_indexing"] == build["handbok_s"] / build["handbok-utan-sok_s"]
        assert build["handbok_index"]["files"] > 0 and build["handbok-utan-sok_index"]["files"] == 0
        for site in ("material", "handbok"):
            measured = size["browser"][site]
            assert [r["query"] for r in measured["runs"]] == data["queries"]
            assert measured["foreign"] == 0, measured  # nothing leaves 127.0.0.1
            for run in measured["runs"]:
                assert run["ready_s"] > 0 and run["first_s"] > 0
                assert run["kb"] > run["html_kb"] > 0 and run["kb"] > run["search_kb"] > 0
        assert size["compare"]["ratio_ready"] == size["browser"]["handbok"]["ready_s"] / size["browser"]["material"][
            "ready_s"]
    # handbok brings its own search: no Material search plugin in its config, and search: false means no index.
    n60 = work / "n60"
    plugins = yaml.safe_load((n60 / "mkdocs-handbok.yml").read_text(encoding="utf-8"))["plugins"]
    assert [next(iter(p)) for p in plugins] == ["handbok"]
    off = yaml.safe_load((n60 / "mkdocs-handbok-utan-sok.yml").read_text(encoding="utf-8"))["plugins"]
    assert off[0]["handbok"]["search"] is False
    assert (n60 / "site-material" / "search" / "search_index.json").exists()
    assert not (n60 / "site-handbok" / "search" / "search_index.json").exists()
    assert not list((n60 / "site-handbok-utan-sok").rglob("pagefind-entry.json"))
