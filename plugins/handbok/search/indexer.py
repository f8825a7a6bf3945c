"""Build the search index of a finished site with Pagefind.

Pagefind reads the built HTML, so the index does not depend on the site engine: any engine that
renders our templates and page shell can call build_index() after its build. It stems Swedish
(Snowball), splits the index into chunks the browser fetches per query, and needs no Node: the
binary comes from PyPI (pagefind-bin) and runs here, offline.

What is indexed is decided in the HTML: render.page_shell.search_scope marks the indexed part of
each page (data-pagefind-body), render.search adds the hidden terms and filters; here only the
parts of an indexed page that must never reach a snippet are excluded (EXCLUDE).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

LANGUAGE = "sv"
# Labels, banners and panels: the same words on every page, which only bury the hits and would
# begin every snippet. [data-search-exclude] is what the templates mark for any search engine.
EXCLUDE = (
    "[data-search-exclude]",
    ".handbok-banner",
    "section.handbok-meta",
    ".headerlink",
    ".md-source-file",
    ".handbok-external__note",
    ".handbok-print-footer",
    ".handbok-flow",  # a process's activities: names, roles and links run together in the text (no spaces)
)
# Pagefind writes its own ready-made interfaces too; the site has its own (assets/handbok-search.js).
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
_COUNT = re.compile(r"Indexed (\d+) (pages?|words?|filters?)")


class SearchIndexError(Exception):
    """The index could not be built; the message is Swedish."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    words: int
    filters: int
    seconds: float
    bytes: int  # the bundle on disk

    def summary(self) -> str:
        return (f"sökindex: {self.pages} sidor, {self.words} ord, {self.filters} filter, "
                f"{self.bytes / 1024:.0f} KB, {self.seconds:.1f} s")


def executable() -> Path:
    try:
        import pagefind_bin  # type: ignore[import-untyped]
    except ImportError:
        raise SearchIndexError("Pagefind saknas: installera handbok med sina beroenden (pip install handbok) "
                               "eller stäng av sökningen med ”search: false”") from None
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError) as exc:
        raise SearchIndexError(f"Pagefinds program hittas inte ({exc})") from None


def build_index(site_dir: Path, output: str) -> IndexReport:
    """Index site_dir into site_dir/output (replacing what is there). output: a folder below the
    site root, POSIX."""
    bundle = site_dir / output
    if bundle.exists():  # chunks of an earlier build would be left behind
        shutil.rmtree(bundle)
    cmd = [str(executable()), "--site", str(site_dir), "--output-subdir", output, "--force-language", LANGUAGE,
           "--exclude-selectors", ", ".join(EXCLUDE)]
    started = time.perf_counter()
    try:
        # No network, no input: Pagefind reads the folder and writes the bundle.
        result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                                stdin=subprocess.DEVNULL, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind kunde inte köras ({exc})") from None
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not (bundle / "pagefind.js").exists():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError(f"Pagefind misslyckades (kod {result.returncode}): {' / '.join(detail)}")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)
    counts = {kind.rstrip("s"): int(n) for n, kind in _COUNT.findall(result.stdout)}
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return IndexReport(counts.get("page", 0), counts.get("word", 0), counts.get("filter", 0), seconds, size)
