"""The handbook's history from git: every commit of every Markdown file, read in two processes.

One `git log` over the whole docs dir (the commits and, per commit, which files changed to which
blob), then one `git cat-file --batch` for the contents of those blobs. Spawning git once per file
would cost a process per document on every build; at 2,000 documents that is most of a minute.

What a commit means for document control (adopted version, editorial change) is decided in
handbok.core.versions; this module only reads. It never writes to the repository and never fails
the build: no git, no repository or a shallow clone give an empty history with a reason.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handbok.core import versions
from handbok.core.index import Handbook
from handbok.core.sourcefile import SourceFile
from handbok.core.versions import DocumentHistory, Revision
from handbok.source.frontmatter import parse_source

# Why there is no history; the site says so once, in Swedish (core.versions.NOTICES).
OK, NO_GIT, NO_REPO, SHALLOW, FAILED = "ok", "no-git", "no-repo", "shallow", "failed"

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"{_RECORD}%H{_FIELD}%ct{_FIELD}%an{_FIELD}%B{_FIELD}"
_TIMEOUT = 600  # seconds; a history of 100,000 commits is read well within it


@dataclass
class History:
    status: str
    revisions: dict[str, list[Revision]] = field(default_factory=dict)  # docs-relative path -> oldest first
    detail: str = ""  # git's own message when status is FAILED


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # No pager, no prompts, no locale-dependent quoting: the output is parsed, never shown.
    env = {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin, capture_output=True,
                          env=env, timeout=_TIMEOUT, check=False)


def _parse_log(output: bytes) -> list[tuple[str, int, str, str, list[tuple[str, str, str | None]]]]:
    """(commit, time, author, message, [(status, path, blob or None)]) per commit, oldest first.

    A rename gives the new path with the status "R" and the old path as a deletion first, so that a
    moved routine keeps its history (handled in read_history)."""
    commits = []
    for record in output.decode("utf-8", "replace").split(_RECORD)[1:]:
        fields = record.split(_FIELD, 4)
        # A separator inside a message or a name cuts a record short: that commit is left out, not the build.
        if len(fields) < 5 or not fields[1].isdigit():
            continue
        sha, when, author, message, raw = fields
        entries = raw.split("\0")
        changes: list[tuple[str, str, str | None]] = []
        i = 0
        while i < len(entries):
            entry = entries[i].strip("\n")
            i += 1
            if not entry.startswith(":"):
                continue
            parts = entry[1:].split()
            if len(parts) < 5:
                continue
            blob, status = parts[3], parts[4][:1]
            if status in "RC":
                old, new = entries[i], entries[i + 1]
                i += 2
                if status == "R":
                    changes.append(("R", f"{old}\0{new}", blob))
                else:
                    changes.append(("A", new, blob))
                continue
            path = entries[i]
            i += 1
            changes.append((status, path, None if status == "D" else blob))
        commits.append((sha, int(when), author, message.strip(), changes))
    return commits


def _blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob, from one `git cat-file --batch`."""
    if not shas:
        return {}
    result = _git(["cat-file", "--batch"], root, stdin="".join(f"{sha}\n" for sha in shas).encode())
    out = result.stdout
    contents: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":  # "<sha> missing"
            continue
        size = int(header[2])
        contents[header[0].decode()] = out[pos:pos + size]
        pos += size + 1
    return contents


def _repository(docs_dir: Path) -> tuple[Path | None, History | None]:
    """The repository's top folder, or why there is no history to read."""
    if shutil.which("git") is None:
        return None, History(NO_GIT)
    try:
        probe = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], docs_dir)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, History(FAILED, detail=str(exc))
    if probe.returncode != 0:
        return None, History(NO_REPO)
    lines = probe.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) > 1 and lines[1].strip() == "true":
        return None, History(SHALLOW)
    return Path(lines[0]).resolve(), None


# One commit of one file before its content is read: (commit, time, author, message, blob).
_Change = tuple[str, dt.datetime, str, str, str]


def _by_file(commits: list, docs_path: Callable[[str], str | None]) -> dict[str, list[_Change]]:
    """Each file's commits, following renames; a file deleted and created again starts anew."""
    changed: dict[str, list[_Change]] = {}
    for sha, when, author, message, changes in commits:
        moment = dt.datetime.fromtimestamp(when, tz=dt.UTC)
        for status, path, blob in changes:
            if status == "R":
                old, path = path.split("\0", 1)
                old_docs, new_docs = docs_path(old), docs_path(path)
                if old_docs is not None and new_docs is not None and old_docs in changed:
                    changed[new_docs] = changed.pop(old_docs)
            target = docs_path(path)
            if target is None:
                continue
            if status == "D":
                changed.pop(target, None)
            elif blob:
                changed.setdefault(target, []).append((sha, moment, author, message, blob))
    return changed


def read_history(docs_dir: Path, suffixes: tuple[str, ...] = (".md",),
                 wanted: Callable[[str], bool] = lambda path: True) -> History:
    """Every committed revision of every file below docs_dir with one of the suffixes that wanted(path)
    accepts (its path today, docs-relative); only those files' contents are read and parsed."""
    docs_dir = docs_dir.resolve()
    root, failed = _repository(docs_dir)
    if root is None:
        assert failed is not None
        return failed
    prefix = docs_dir.relative_to(root).as_posix() if docs_dir != root else ""
    start = f"{prefix}/" if prefix else ""

    def docs_path(path: str) -> str | None:
        return path[len(start):] if path.startswith(start) and path.endswith(suffixes) else None

    try:
        log = _git(["log", "-z", "--raw", "-M", "--no-abbrev", "--topo-order", "--reverse", "--no-color",
                    f"--format={_FORMAT}", "--", prefix or "."], root)
        if log.returncode != 0:
            message = log.stderr.decode("utf-8", "replace").strip()
            # A repository without commits yet has no history, which is no failure.
            return History(OK) if "does not have any commits" in message else History(FAILED, detail=message)
        changed = {path: commits for path, commits in _by_file(_parse_log(log.stdout), docs_path).items()
                   if wanted(path)}
        contents = _blobs(root, sorted({change[4] for commits in changed.values() for change in commits}))
    except (OSError, subprocess.SubprocessError) as exc:
        return History(FAILED, detail=str(exc))
    revisions = {path: [Revision(sha, moment, author, message, parse_source(contents[blob], path))
                        for sha, moment, author, message, blob in commits if blob in contents]
                 for path, commits in changed.items()}
    return History(OK, {path: found for path, found in revisions.items() if found})


def document_histories(book: Handbook) -> tuple[dict[str, DocumentHistory], str | None]:
    """The version history of every steering document, and the notice to give once when there is none
    (a shallow clone, no repository, no git)."""
    paths: dict[str, SourceFile | None] = {doc.path: doc.source for doc in book.governed if doc.source.text is not None}
    history = read_history(book.docs_dir, wanted=paths.__contains__)  # records and evidence are not read
    if history.status != OK:
        notice = versions.NOTICES[history.status]
        return {}, f"{notice}: {history.detail}" if history.status == FAILED else notice
    return versions.histories(paths, history.revisions,
                              allow_test_numbers=book.settings.allow_test_personnummer), None
