"""Problem reports for people and for CI: text, json, github, junit, gitlab."""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from handbok.core.index import Handbook
from handbok.core.problems import CODES, Problem

FORMATS = ("text", "json", "github", "junit", "gitlab")


def render(book: Handbook, fmt: str, path_prefix: str = "") -> str:
    return {"text": text, "json": as_json, "github": github, "junit": junit, "gitlab": gitlab}[fmt](book, path_prefix)


def as_json(book: Handbook, path_prefix: str = "") -> str:
    data = {
        "today": book.today.isoformat(),
        "documents": len(book.documents),
        "problems": [p.to_json() for p in book.problems],
        "accepted": [p.to_json() for p in book.accepted],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _repo_path(path: str | None, prefix: str) -> str:
    return f"{prefix}{path}" if path else (prefix.rstrip("/") or ".")


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github(book: Handbook, prefix: str = "") -> str:
    """GitHub Actions workflow commands: annotations on the changed files."""
    lines = []
    for p in book.problems:
        props = [f"file={_gh_escape(_repo_path(p.path, prefix), True)}"] if p.path else []
        if p.line:
            props.append(f"line={p.line}")
        props.append(f"title={_gh_escape(p.code, True)}")
        lines.append(f"::{p.severity} {','.join(props)}::{_gh_escape(p.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def junit(book: Handbook, prefix: str = "") -> str:
    """JUnit XML: one test case per document; errors fail it, warnings go to its output."""
    by_path: dict[str | None, list[Problem]] = defaultdict(list)
    for p in book.problems:
        by_path[p.path].append(p)
    cases = []
    documented = {d.path for d in book.documents}
    paths = [d.path for d in book.documents] + sorted({p.path for p in book.problems if p.path} - documented)
    failures = 0
    for path in paths + ([None] if None in by_path else []):
        problems = by_path.get(path, [])
        name = path or "handboken"
        body = []
        errors = [p for p in problems if p.is_error]
        if errors:
            failures += 1
            message = "; ".join(p.code for p in errors)
            detail = "\n".join(f"{p.location()}: {p.message}" for p in errors)
            body.append(f"<failure message={quoteattr(message)} type=\"handbok\">{escape(detail)}</failure>")
        warnings = [p for p in problems if not p.is_error]
        if warnings:
            body.append("<system-out>" + escape("\n".join(f"VARNING {p.location()}: {p.message}" for p in warnings))
                        + "</system-out>")
        cases.append(f"  <testcase classname=\"handbok\" name={quoteattr(name)}>{''.join(body)}</testcase>")
    head = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"handbok check\" "
            f"tests=\"{len(cases)}\" failures=\"{failures}\" errors=\"0\" "
            f"timestamp=\"{book.today.isoformat()}T00:00:00\">")
    return head + "\n" + "\n".join(cases) + "\n</testsuite>\n</testsuites>\n"


def gitlab(book: Handbook, prefix: str = "") -> str:
    """GitLab Code Quality report (a JSON array of issues)."""
    issues = []
    for p in book.problems:
        path = _repo_path(p.path, prefix)
        fingerprint = hashlib.sha256(f"{p.code}|{path}|{p.field}|{p.message}".encode()).hexdigest()
        issues.append({
            "description": p.message,
            "check_name": p.code,
            "fingerprint": fingerprint,
            "severity": "critical" if CODES[p.code].critical else ("major" if p.is_error else "minor"),
            "location": {"path": path, "lines": {"begin": p.line or 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# --- text for people ----------------------------------------------------------------------


def _problem_rank(p: Problem) -> tuple:
    if p.code == "overdue":
        return (0, -(p.days or 0))
    if p.is_error:
        return (1, 0)
    if p.code == "due-soon":
        return (2, p.days or 0)
    return (3, 0)


def text(book: Handbook, prefix: str = "") -> str:
    """Grouped by owner, so each person sees what is theirs; the most overdue first."""
    groups: dict[str, list[Problem]] = defaultdict(list)
    for p in book.problems:
        groups[p.owner or "Utan dokumentägare / hela handboken"].append(p)

    def group_rank(item):
        owner, problems = item
        overdue = max((p.days or 0 for p in problems if p.code == "overdue"), default=-1)
        return (owner.startswith("Utan "), -overdue, -sum(p.is_error for p in problems), owner.casefold())

    titles = {d.path: d.title for d in book.documents}
    where = prefix.rstrip("/") or str(book.docs_dir)
    out = [f"handbok check {book.today.isoformat()}: {len(book.documents)} dokument i {where}", ""]
    for owner, problems in sorted(groups.items(), key=group_rank):
        out.append(f"{owner} ({len(problems)})")
        for p in sorted(problems, key=lambda p: (_problem_rank(p), p.sort_key())):
            label = "FEL    " if p.is_error else "VARNING"
            what = {"overdue": f"försenad {p.days} d", "due-soon": f"om {p.days} d"}.get(p.code, p.code)
            title = f" – {titles[p.path]}" if p.path in titles else ""
            out.append(f"  {label} {_repo_path(p.path, prefix)}{':' + str(p.line) if p.line else ''}  [{what}]{title}")
            out.append(f"          {p.message}")
        out.append("")
    if book.accepted:
        out.append(f"Godkända personnummer ({len(book.accepted)})")
        out.extend(f"  {_repo_path(p.path, prefix)}:{p.line}  {p.message}" for p in book.accepted)
        out.append("")
    errors = sum(p.is_error for p in book.problems)
    warnings = len(book.problems) - errors
    overdue = sum(p.code == "overdue" for p in book.problems)
    soon = sum(p.code == "due-soon" for p in book.problems)
    noun = "varning" if warnings == 1 else "varningar"
    out.append(f"Summa: {errors} fel, {warnings} {noun} ({overdue} försenade, {soon} snart dags för revision).")
    if not book.problems:
        out.append("Allt är i ordning.")
    return "\n".join(out) + "\n"


def prefix_for(docs_dir, cwd=None) -> str:
    """Paths in CI reports are relative to the repository (the current directory), not the docs dir."""
    try:
        rel = os.path.relpath(docs_dir, cwd or os.getcwd())
    except ValueError:
        return ""
    return "" if rel == "." else rel.replace(os.sep, "/").rstrip("/") + "/"
