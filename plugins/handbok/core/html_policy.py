"""Which HTML an author may write in a page body: the one source of truth for the allowed tags,
attributes and URL schemes, and the scanner that reports what the build will remove.

STUB: filled in by the sanitizer work (see issue 18)."""

from __future__ import annotations

from handbok.core.problems import Problem
from handbok.core.sourcefile import SourceFile


def body_problems(source: SourceFile, allowed: tuple[str, ...] = ()) -> list[Problem]:
    """`unsafe-html` errors for the raw HTML and URLs in the Markdown body that the build removes."""
    return []
