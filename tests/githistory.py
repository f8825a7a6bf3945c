"""A handbook in a temporary git repository with a history: the fixture of the version-history tests.

One routine, adopted three times with editorial commits between the adoptions, and a second routine
that the first links to in its early versions and that is later removed. Commits carry fixed dates
and a fixed author, so every run gives the same commits.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sitebuild import ROUTINE_PAGE, write_site

AUTHOR = "Anna Andersson"
V1 = "Anmälan ska bedömas inom 24 timmar."
V2 = "Anmälan ska bedömas samma dag."
V3 = "Anmälan ska bedömas samma dag av två socialsekreterare."
EDIT = " Använd mallen för anteckningar."


def routine(revised: str, approved: str, diary: str, sentence: str, *, changes: str = "",
            link: bool = True, extra: str = "", closing: str = "") -> str:
    see_also = "Se också [den andra rutinen](annan.md).\n" if link else ""
    return f"""---
title: Orosanmälan – mottagande
id: rutin-oro
type: rutin
owner: Enhetschef
revised: {revised}
approved: {approved}
approved_by: Socialnämnden
diarienummer: {diary}
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
{extra}{changes}---

# Orosanmälan – mottagande

## Syfte

Rutinen beskriver hur en orosanmälan tas emot.

## Mottagande

{sentence}

{see_also}
## Dokumentation

Allt dokumenteras i journalen.{closing}
"""


def git(root: Path, *args: str, when: str = "2024-01-01T10:00:00Z") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(root)}
    result = subprocess.run(["git", "-c", f"user.name={AUTHOR}", "-c", "user.email=anna@example.invalid",
                             "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=root,
                            env=env, capture_output=True, text=True, check=True)
    return result.stdout


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A", when=when)
    git(root, "commit", "-q", "-m", message, when=when)


def three_adoptions(root: Path, *, options: dict | None = None) -> Path:
    """The repository: v1 2024, a typo fix, v2 2025, a link fix, v3 2026 (the other routine removed).
    Returns the mkdocs.yml path."""
    root.mkdir(parents=True, exist_ok=True)
    page = root / "docs" / "rutiner" / "oro.md"
    cfg = write_site(root, {"rutiner/oro.md": routine("2024-02-01", "2024-01-25", "SN 2024/0011", V1),
                            "rutiner/annan.md": ROUTINE_PAGE.format(name="annan", payload="Text.")},
                     roles=["Enhetschef"], options=options)
    git(root, "init", "-q")
    commit(root, "Orosanmälan fastställd av nämnden", "2024-02-01T10:00:00Z")
    page.write_text(routine("2024-02-01", "2024-01-25", "SN 2024/0011", V1, closing=EDIT), encoding="utf-8")
    commit(root, "Lagt till journalens mall", "2024-05-02T10:00:00Z")
    changes2 = "changes:\n  - date: 2025-02-01\n    note: Skyddsbedömning samma dag.\n"
    page.write_text(routine("2025-02-01", "2025-01-20", "SN 2025/0007", V2, changes=changes2, closing=EDIT),
                    encoding="utf-8")
    commit(root, "Reviderad 2025", "2025-02-01T10:00:00Z")
    page.write_text(routine("2025-02-01", "2025-01-20", "SN 2025/0007", V2, changes=changes2, link=False,
                            closing=EDIT), encoding="utf-8")
    commit(root, "Tog bort länk", "2025-06-10T10:00:00Z")
    changes3 = changes2 + "  - date: 2026-03-01\n    note: Två socialsekreterare bedömer varje anmälan.\n"
    page.write_text(routine("2026-03-01", "2026-02-20", "SN 2026/0003", V3, changes=changes3, link=False,
                            closing=EDIT), encoding="utf-8")
    (root / "docs" / "rutiner" / "annan.md").unlink()
    commit(root, "Reviderad 2026", "2026-03-01T10:00:00Z")
    return cfg
