"""Read a Markdown file's YAML front matter fast, with line numbers, and never raise.

Only the front matter is parsed as YAML (with the C loader when present); the body
is kept as text for the checks that scan it. Dates stay strings here so that a bad
date becomes our Swedish message, not a constructor exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbok.source import yamlfast
from handbok.core.problems import ERROR, Problem

try:  # the C loader is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the platform build
    from yaml import SafeLoader as _BaseLoader


def load_data(text: str):
    """A data file of ours (registries, law list, requirements) with the C loader when present:
    the pure-Python loader spent a tenth of a second on the law list alone at every start."""
    return yaml.load(text, Loader=_BaseLoader)


class FrontMatterLoader(_BaseLoader):
    """Safe loader that leaves timestamps as strings (we validate dates ourselves)."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# The line that closes the front matter: '---' or '...' and nothing but white space after it.
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
_TOP_KEY = re.compile(r"^([^\s#\-][^:\n]*?)[^\S\n]*:(?:[^\S\n]|$)", re.MULTILINE)
_ITEM = re.compile(r"^(\s*)- ")

# PyYAML's English problem texts, explained for routine owners.
_YAML_HINTS = [
    ("mapping values are not allowed", "ett kolon (:) står på fel ställe – sätt värdet inom citattecken om det innehåller kolon"),
    ("could not find expected ':'", "en rad saknar kolon efter fältnamnet, eller ett citattecken är inte stängt"),
    ("cannot start any token", "tabbtecken eller ett otillåtet tecken i början av ett värde – använd mellanslag och citattecken"),
    ("found unexpected end of stream", "ett citattecken eller en parentes stängs aldrig"),
    ("while scanning a quoted scalar", "ett citattecken stängs aldrig"),
    ("did not find expected key", "indraget (antalet mellanslag) stämmer inte med raderna ovanför"),
    ("expected <block end>", "indraget (antalet mellanslag) stämmer inte med raderna ovanför"),
    ("found undefined alias", "ett värde börjar med * – sätt det inom citattecken"),
    ("found character that cannot start any token", "ett värde börjar med ett specialtecken (@, `, %) – sätt det inom citattecken"),
    ("tab character", "tabbtecken används som indrag – använd mellanslag"),
    ("did not find expected ',' or ']'", "en hakparentes [ stängs aldrig, eller ett kommatecken saknas mellan värdena"),
    ("did not find expected ',' or '}'", "en klammerparentes { stängs aldrig, eller ett kommatecken saknas mellan värdena"),
]

# For a quote or bracket that is never closed, PyYAML's problem mark is where it gave up
# (often the end of the block); the context mark is where the quote or bracket was opened.
_UNCLOSED_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow")


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


def read_source(file_path: Path, rel_path: str) -> SourceFile:
    source = SourceFile(path=rel_path)
    try:
        raw = file_path.read_bytes()
    except OSError as exc:
        source.problems.append(Problem(rel_path, None, ERROR, "invalid-file", f"Filen kunde inte läsas: {exc.strerror or exc}"))
        return source
    return parse_source(raw, rel_path, source)


def parse_source(raw: bytes, rel_path: str, source: SourceFile | None = None) -> SourceFile:
    source = source or SourceFile(path=rel_path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start:exc.start + 1].hex().upper()
        source.problems.append(Problem(
            rel_path, line, ERROR, "invalid-encoding",
            f"Filen är inte sparad som UTF-8 (ogiltig byte 0x{bad} på rad {line}). "
            "Spara om filen med teckenkodningen UTF-8 så att å, ä och ö blir rätt."))
        return source
    if text.startswith("\ufeff"):
        text = text[1:]
    source.text = text
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        source.body = text
        source.problems.append(Problem(
            rel_path, 1, ERROR, "invalid-frontmatter",
            "Dokumentet saknar metadata (front matter). Börja filen med en rad ”---”, fältet title, type, owner, "
            "revised m.fl., och avsluta med ”---”."))
        return source
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        source.problems.append(Problem(
            rel_path, 1, ERROR, "invalid-frontmatter",
            "Metadatablocket (front matter) avslutas aldrig: lägg till en rad ”---” efter sista fältet."))
        return source
    block = text[first_end + 1:closing.start()]  # the front-matter lines, each ending in a newline
    source.fm_lines = block.split("\n")[:-1]
    source.body = text[closing.end() + 1:]
    source.body_line = text.count("\n", 0, closing.start()) + 2
    # One pass over the block finds the top-level keys; line numbers are counted between matches.
    number, position = 2, 0
    for match in _TOP_KEY.finditer(block):
        number += block.count("\n", position, match.start())
        position = match.start()
        key = match.group(1).strip().strip("'\"")
        if key in source.key_lines:
            source.problems.append(Problem(
                rel_path, number, ERROR, "invalid-value",
                f"Fältet ”{key}” förekommer två gånger (rad {source.key_lines[key]} och {number}); ta bort det ena.", key))
        else:
            source.key_lines[key] = number
    try:
        # The common simple forms take a fast path that returns exactly what YAML would; anything
        # else (and every error, so that its message comes from YAML) goes through the real parser.
        meta = yamlfast.parse(source.fm_lines)
        if meta is None:
            meta = yaml.load("\n".join(source.fm_lines), Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and str(exc.context or "").startswith(_UNCLOSED_CONTEXTS):
            mark = exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        detail = str(exc.problem or exc.context or "okänt fel")
        hint = next((sv for en, sv in _YAML_HINTS if en in detail), None)
        if hint is None and "quoted scalar" in str(exc.context or ""):
            hint = "ett citattecken stängs aldrig"
        message = f"Metadatan (YAML) går inte att läsa på rad {line}: {hint or 'syntaxfel'} (YAML: {detail})."
        source.problems.append(Problem(rel_path, line, ERROR, "invalid-yaml", message))
        return source
    except yaml.YAMLError as exc:  # errors without a position
        source.problems.append(Problem(rel_path, 1, ERROR, "invalid-yaml", f"Metadatan (YAML) går inte att läsa: {exc}."))
        return source
    except RecursionError:
        source.problems.append(Problem(rel_path, 1, ERROR, "invalid-yaml", "Metadatan (YAML) är för djupt nästlad."))
        return source
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        source.problems.append(Problem(
            rel_path, 2, ERROR, "invalid-frontmatter",
            "Metadatan ska vara fält på formen ”namn: värde”, en per rad (inte en lista eller löptext)."))
        return source
    source.meta = {str(k): v for k, v in meta.items()}
    return source
