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
import os
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


# --- the bundle as it is served -------------------------------------------------------------------
# Two things are changed in what Pagefind writes; its files are gzip-compressed CBOR after a signature,
# and the browser finds each by the name the language's metadata file lists.
#
# 1. Smaller index chunks. Pagefind cuts its word index into chunks of 20,000 word positions (fixed in
#    its code), and a query fetches the one chunk its word falls in: at 10,000 documents a chunk with
#    a common word ("på", "person") next to the one searched for ran to 190 KB. Cut again at
#    CHUNK_POSITIONS, the browser fetches a fraction of that for most words; a very common word still
#    gets a chunk of its own. The chunk boundaries are named as Pagefind names them (_prefixes).
# 2. The same bundle from the same pages. Pagefind writes its filter chunks in hash-map order, which
#    changes from run to run (Pagefind issue 638: fragments are stable since 1.3, "filter/metadata
#    indexes" are not). The filter chunks and the list of them are put in order, and every rewritten
#    file is named after its content, so a build is reproducible.

_SIGNATURE = b"pagefind_dcd"
_CHUNKS_AT = 2  # the metadata file's list of [first word, last word, chunk name]
_FILTERS_AT = 3  # the metadata file's list of [filter name, chunk name]
CHUNK_POSITIONS = 2000


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
    # Level 6, as Pagefind's own: level 9 took twice the time for 2 % less.
    (folder / pattern.format(name=name)).write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
    return name


def _positions(word) -> int:
    """A word's size as Pagefind measures it: its positions on every page, plus one per page."""
    return sum(len(page[1]) + 1 for page in word[1])


def _cut(words: list, limit: int) -> list[list]:
    chunks, current, size = [], [], 0
    for word in words:
        current.append(word)
        size += _positions(word)
        if size >= limit:
            chunks.append(current)
            current, size = [], 0
    return chunks + ([current] if current else [])


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes of two neighbouring words that tell them apart, as Pagefind names the
    boundary between two chunks (its get_prefixes)."""
    common = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return a[:common + 1], b[:common + 1]


def _split(job: tuple[Path, str, str, str]) -> list[list[str]]:
    """One of Pagefind's chunks cut into chunks of CHUNK_POSITIONS; their [from, to, name]. The outer
    boundaries stay Pagefind's, so the neighbouring chunks need not be read."""
    path, language, first, last = job
    pieces = _cut(_read_chunk(path)[0], CHUNK_POSITIONS)
    if len(pieces) < 2:
        return [[first, last, path.name.removesuffix(".pf_index")]]
    path.unlink()
    bounds = [[piece[0][0], piece[-1][0]] for piece in pieces]
    for left, right in zip(bounds, bounds[1:], strict=False):
        left[1], right[0] = _prefixes(left[1], right[0])
    bounds[0][0], bounds[-1][1] = first, last
    return [[a, b, _write_chunk(path.parent, language, [piece], 7, "{name}.pf_index")]
            for (a, b), piece in zip(bounds, pieces, strict=True)]


def _rechunk(bundle: Path, language: str, listed: list) -> list:
    """The word index in chunks of about CHUNK_POSITIONS; returns the metadata's new chunk list.
    Each of Pagefind's chunks is cut on its own, in parallel: reading and writing them is most of the
    time this takes (10,000 documents: 6 MB of chunks)."""
    jobs = [(bundle / "index" / f"{name}.pf_index", language, first, last) for first, last, name in listed]
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(jobs) > 8:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_split, jobs))
    else:
        parts = [_split(job) for job in jobs]
    chunks = [chunk for part in parts for chunk in part]
    if len({name for _, _, name in chunks}) != len(chunks):  # two chunks of one content: a broken index
        raise SearchIndexError("sökindexets delar kunde inte namnges entydigt")
    return chunks


def stabilise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry.get("languages", {}).items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        meta[_CHUNKS_AT] = _rechunk(bundle, language, meta[_CHUNKS_AT])
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
