"""scripts/compare_sites.py: the tool that shows a refactoring left the built site unchanged."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "compare_sites.py"
spec = importlib.util.spec_from_file_location("compare_sites", SCRIPT)
assert spec and spec.loader
compare_sites = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_sites)


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_white_space_between_blocks_and_entity_spelling_do_not_count(tmp_path):
    a = _site(tmp_path / "a", {"p/index.html": "<div><p>Lag &#40;2025:400&#41;</p>\n\n<ul><li>x</li></ul></div>"})
    b = _site(tmp_path / "b", {"p/index.html": "<div>\n<p>Lag (2025:400)</p><ul>\n<li>x</li>\n</ul></div>"})
    assert compare_sites.compare(a, b) == (set(), set(), [])


def test_text_attributes_and_other_files_count(tmp_path):
    a = _site(tmp_path / "a", {"p/index.html": '<p class="x">Ett <b>ord</b></p>', "q/index.html": "<p>Ett ord</p>",
                               "data.json": "{}"})
    b = _site(tmp_path / "b", {"p/index.html": '<p class="y">Ett <b>ord</b></p>', "q/index.html": "<p>Ett  ord!</p>",
                               "data.json": "{ }", "ny.html": "<p></p>"})
    only_a, only_b, differing = compare_sites.compare(a, b)
    assert only_a == set() and only_b == {Path("ny.html")}
    assert [str(rel) for rel, _ in differing] == ["data.json", "p/index.html", "q/index.html"]


def test_the_command_exits_1_on_a_difference_and_0_without(tmp_path):
    a = _site(tmp_path / "a", {"index.html": "<p>a</p>"})
    same = _site(tmp_path / "same", {"index.html": "<p>a</p>\n"})
    other = _site(tmp_path / "other", {"index.html": "<p>b</p>"})
    run = [sys.executable, str(SCRIPT)]
    assert subprocess.run(run + [str(a), str(same)], capture_output=True).returncode == 0
    result = subprocess.run(run + [str(a), str(other)], capture_output=True, text=True)
    assert result.returncode == 1 and "1 skiljer sig" in result.stdout
