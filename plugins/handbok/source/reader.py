"""Reading a handbook from disk: find its Markdown files, parse them, hand them to the index.

The core's index works on parsed files (handbok.core.sourcefile.SourceFile); this module is
the one place that walks the docs dir, and the one that may spread the work over processes.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from handbok.core import attachments, index
from handbok.core.index import Handbook
from handbok.core.settings import Settings
from handbok.core.sourcefile import SourceFile
from handbok.source.files import DocsFiles
from handbok.source.frontmatter import read_source

# The suffixes MkDocs treats as pages: every one of them is a governed document.
MARKDOWN_SUFFIXES = attachments.DOCUMENT_SUFFIXES


def markdown_files(docs_dir: Path) -> list[tuple[Path, str]]:
    """All Markdown files below docs_dir as (path, relative POSIX path), hidden folders skipped like MkDocs does."""
    found = []
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_root = os.path.relpath(root, docs_dir)
        for name in sorted(files):
            if name.endswith(MARKDOWN_SUFFIXES) and not name.startswith("."):
                rel = name if rel_root == "." else f"{rel_root}/{name}".replace(os.sep, "/")
                found.append((Path(root) / name, rel))
    return found


def load(docs_dir: Path, settings: Settings, today: dt.date, *, workers: int = 1,
         checks: Sequence[index.BodyCheck] = ()) -> Handbook:
    """Read every Markdown file below docs_dir and build the checked handbook index from them.

    With workers > 1 (the CLI, on a large handbook) forked processes share the reading, parsing and
    scanning of the files; validation and linking stay in this process.
    """
    # Reading creates many small objects and no garbage cycles: pausing the cyclic garbage collector
    # meanwhile saves about a quarter of the time on large handbooks.
    paused = gc.isenabled()
    gc.disable()
    try:
        files = markdown_files(docs_dir)
        others = DocsFiles(docs_dir)  # what links and `file` fields point at, for the attachment rules
        sources = _read_parallel(files, settings, workers, others, checks) \
            if workers > 1 and len(files) >= PARALLEL_MIN_FILES else _read_all(files, settings, others, checks)
        return index.build(docs_dir, settings, today, sources, others)
    finally:
        if paused:
            gc.enable()


def _read_source(file_path: Path, rel: str, settings: Settings, others: DocsFiles,
                 checks: Sequence[index.BodyCheck]) -> SourceFile:
    """Everything that needs only the file itself (and the files it links to): parse it and scan its text."""
    source = read_source(file_path, rel)
    index.scan_source(source, settings, others, checks)
    return source


# Below this many files one process is as fast as two (forking and sending the results back cost time).
PARALLEL_MIN_FILES = 2000


def _read_all(files: list[tuple[Path, str]], settings: Settings, others: DocsFiles,
              checks: Sequence[index.BodyCheck] = ()) -> list[SourceFile]:
    return [_read_source(file_path, rel, settings, others, checks) for file_path, rel in files]


def _read_chunk(chunk: list[tuple[Path, str]], settings: Settings, others: DocsFiles,
                checks: Sequence[index.BodyCheck]) -> list[SourceFile]:
    sources = _read_all(chunk, settings, others, checks)
    for source in sources:  # the text is scanned already; only the results travel back
        source.body = ""
        if source.text is not None:
            source.text = ""
    return sources


def _read_parallel(files: list[tuple[Path, str]], settings: Settings, workers: int,
                   others: DocsFiles, checks: Sequence[index.BodyCheck]) -> list[SourceFile]:
    """The first share is read here, the others in forked processes; the file order is kept."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return _read_all(files, settings, others, checks)
    size = -(-len(files) // workers)
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    with ProcessPoolExecutor(len(chunks) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_read_chunk, chunk, settings, others, checks) for chunk in chunks[1:]]
        first = _read_all(chunks[0], settings, others, checks)
        return first + [source for future in futures for source in future.result()]
