"""The example handbook builds the same with MkDocs 1.6 and with ProperDocs (the maintained MkDocs 1.x fork).

Both engines build the example's mkdocs.yml --strict, each in its own subprocess (ProperDocs rebinds
`sys.modules["mkdocs"]`, so the two must never share a process), on the same fixed date. Then:
the same files exist; every page's handbok content (its <article>, plus the handbok assets the
page loads) is identical; handbok.json, the Atom feed and handbok's assets are byte-identical.
The themes' <meta name="generator"> is the one expected difference and is not compared.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.util
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sitebuild import ENGINES, Built, build_example

pytestmark = pytest.mark.slow

STORY_DAY = dt.date(2026, 12, 1)  # the day of tests/example_story.yml
BYTE_IDENTICAL = ["handbok.json", "handbok/nytt.xml"]  # + everything under assets/handbok/
GENERATOR = {"mkdocs": 'content="mkdocs-1.', "properdocs": "ProperDocs"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Built]:
    """engine -> the built example handbook; both builds run at the same time."""
    if importlib.util.find_spec("properdocs") is None:
        reason = "properdocs saknas; installera testberoendena: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI är satt, så motorjämförelsen får inte hoppas över)")
        pytest.skip(reason)
    with ThreadPoolExecutor(len(ENGINES)) as pool:
        futures = {engine: pool.submit(build_example, tmp_path_factory, strict=True, today=STORY_DAY, engine=engine)
                   for engine in ENGINES}
    sites = {engine: future.result() for engine, future in futures.items()}
    for engine, built in sites.items():
        if built.result.returncode != 0:
            pytest.fail(f"`{engine} build --strict` failed:\n{built.log[-3000:]}")
    return sites


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


ARTICLE = re.compile(r"<article\b[^>]*>.*?</article>", re.DOTALL)  # Material has one per page, never nested
HANDBOK_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*assets/handbok/[^"]*)"')


def handbok_parts(html: str) -> str:
    """What handbok contributes to a page: the <article> (the page content with every handbok-* block)
    and the handbok assets the page loads."""
    return "\n".join(ARTICLE.findall(html) + HANDBOK_ASSET.findall(html))


def _lines(html: str) -> list[str]:
    """One tag per line, so that a diff of one-line HTML stays short."""
    return html.replace("><", ">\n<").splitlines()


def first_difference(a: Built, b: Built) -> tuple[int, str | None]:
    """(pages with handbok markup, 'page: unified diff' for the first page whose handbok parts differ or None)."""
    with_handbok = 0
    for page in a.html_files():
        rel = page.relative_to(a.site).as_posix()
        left = handbok_parts(page.read_text(encoding="utf-8"))
        right = handbok_parts((b.site / rel).read_text(encoding="utf-8"))
        with_handbok += "handbok-" in left
        if left != right:
            diff = difflib.unified_diff(_lines(left), _lines(right), f"{ENGINES[0]}/{rel}", f"{ENGINES[1]}/{rel}",
                                        n=2, lineterm="")
            return with_handbok, f"{rel} differs between the engines:\n" + "\n".join(d[:200] for d in list(diff)[:40])
    return with_handbok, None


def test_both_engines_build_strict(sites):
    for engine, built in sites.items():
        assert built.result.returncode == 0, f"{engine}:\n{built.log[-3000:]}"
        assert "Traceback" not in built.log, f"{engine}:\n{built.log[-3000:]}"
        # Really built by that engine (the generator tag is the one allowed difference).
        assert GENERATOR[engine] in built.page(""), engine


def test_same_files(sites):
    mkdocs, properdocs = files(sites["mkdocs"].site), files(sites["properdocs"].site)
    assert mkdocs == properdocs, {"only mkdocs": sorted(mkdocs - properdocs),
                                  "only properdocs": sorted(properdocs - mkdocs)}
    assert len(mkdocs) > 50


def test_handbok_parts_of_every_page_are_identical(sites):
    with_handbok, difference = first_difference(sites["mkdocs"], sites["properdocs"])
    assert difference is None, difference
    # The comparison compared something: handbok markup on most pages.
    assert with_handbok > len(sites["mkdocs"].html_files()) // 2


@pytest.mark.parametrize("rel", BYTE_IDENTICAL)
def test_published_data_is_byte_identical(sites, rel):
    mkdocs, properdocs = (sites[engine].site / rel for engine in ENGINES)
    assert mkdocs.read_bytes() == properdocs.read_bytes(), rel


def test_handbok_assets_are_byte_identical(sites):
    assets = sorted((sites["mkdocs"].site / "assets" / "handbok").rglob("*"))
    assert assets
    for path in (p for p in assets if p.is_file()):
        rel = path.relative_to(sites["mkdocs"].site)
        assert path.read_bytes() == (sites["properdocs"].site / rel).read_bytes(), rel
