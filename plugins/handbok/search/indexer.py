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

import gzip
import hashlib
import json
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
    stabilise(bundle)
    counts = {kind.rstrip("s"): int(n) for n, kind in _COUNT.findall(result.stdout)}
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return IndexReport(counts.get("page", 0), counts.get("word", 0), counts.get("filter", 0), seconds, size)


# --- the same bundle from the same pages --------------------------------------------------------
# Pagefind writes its filter chunks in hash-map order, which changes from run to run (Pagefind issue
# 638: fragments are stable since 1.3, "filter/metadata indexes" are not). A build must be
# reproducible, so the filter chunks and the list of them in the language's metadata file are put in
# order, renamed after their new content, and the entry file pointed at the new metadata file.
# The files are gzip-compressed CBOR after a signature; the browser finds each by the name listed.

_SIGNATURE = b"pagefind_dcd"
_FILTERS_AT = 3  # the metadata file's list of [filter name, chunk name]


def _read_chunk(path: Path):
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path.name}: okänt format från Pagefind")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write_chunk(folder: Path, language: str, value, digits: int, pattern: str) -> str:
    """Write value as a chunk named after its content; returns the name Pagefind's files use."""
    import cbor2

    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / pattern.format(name=name)).write_bytes(gzip.compress(data, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry.get("languages", {}).items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        renamed: dict[str, str] = {}
        for _, chunk in meta[_FILTERS_AT]:
            path = bundle / "filter" / f"{chunk}.pf_filter"
            key, values = _read_chunk(path)
            ordered = [key, sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])]
            path.unlink()
            renamed[chunk] = _write_chunk(bundle / "filter", language, ordered, 7, "{name}.pf_filter")
        meta[_FILTERS_AT] = sorted([name, renamed[chunk]] for name, chunk in meta[_FILTERS_AT])
        meta_path.unlink()
        info["hash"] = _write_chunk(bundle, language, meta, 10, "pagefind.{name}.pf_meta")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
