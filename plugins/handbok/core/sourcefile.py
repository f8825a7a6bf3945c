"""One Markdown file as read from disk: the data the rules work on, with line lookups.

The reading itself (decoding, splitting, YAML) lives in handbok.source; the core only
needs the result and where each key is, so that every problem can name a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handbok.core.problems import ERROR, Problem

_ITEM = re.compile(r"^(\s*)- ")


@dataclass
class SourceFile:
    """One Markdown file as read from disk: front matter, body and where things are."""

    path: str  # relative to docs dir, POSIX
    meta: dict | None = None
    body: str = ""
    body_line: int = 1  # 1-based line where the body starts
    text: str | None = None  # whole decoded text (None when not UTF-8)
    fm_lines: list[str] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    accepted: list[Problem] = field(default_factory=list)  # personal numbers the author accepted explicitly
    body_hrefs: list[str] = field(default_factory=list)  # .md links in the body, as written
    body_cites: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of each [@id] in the body
    h1: tuple[int, str] | None = None  # (line, text) of the body's first level-1 heading
    _item_lines: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def line_of(self, key: str | None, index: int | None = None) -> int | None:
        """Line of a top-level key, or of the index-th item of its block list."""
        if key is None or key not in self.key_lines:
            return None
        start = self.key_lines[key]
        if index is None:
            return start
        items = self._item_lines.get(key)
        if items is None:
            items = self._item_lines[key] = self._scan_items(start)
        return items[index] if index < len(items) else start

    def _scan_items(self, start: int) -> list[int]:
        items: list[int] = []
        indent = None
        # fm_lines[0] is file line 2, so the line after the key (start + 1) is fm_lines[start - 1].
        for offset, line in enumerate(self.fm_lines[start - 1:], start=start + 1):
            if line.strip() and not line.startswith((" ", "\t", "-", "#")):
                break  # next top-level key (comments and blank lines may sit between items)
            match = _ITEM.match(line)
            if match and (indent is None or len(match.group(1)) == indent):
                indent = len(match.group(1))
                items.append(offset)
        return items

    def problem(self, code: str, message: str, *, key: str | None = None, index: int | None = None,
                severity: str = ERROR, line: int | None = None) -> Problem:
        return Problem(self.path, line if line is not None else self.line_of(key, index), severity, code, message, key)
