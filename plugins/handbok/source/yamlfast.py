"""A fast, conservative parser for the small YAML subset that front matter uses.

`parse(lines)` returns exactly what ``yaml.load("\\n".join(lines), Loader=FrontMatterLoader)``
returns, or None when it is not sure (anything outside the subset, and anything YAML would
reject): the caller then falls back to real YAML. PyYAML spends most of its time in the
Python-level resolver and constructor, which is why a line-based reader pays off here.

The subset: block mappings (`key: value`, `key:` + child block, top-level and nested),
block sequences (indented or at the key's own column) of scalars, of one-line flow
sequences and of flat-or-nested mappings (`- name: …`), one-line flow sequences of
scalars, one-line scalars: plain, 'single' and "double" (without backslashes), and literal
block scalars (`key: |` or `key: |-`) of top-level keys, the findings of quality-work records.
Plain scalars are typed with the loader's own implicit resolvers and built with its own
constructors, so `yes`, `0o17`, `1:30`, `.inf` and dates come out exactly as from PyYAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from handbok.source.loader import FrontMatterLoader

__all__ = ["parse"]

_STR = "tag:yaml.org,2002:str"
_TYPED = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))

# Characters libyaml and PyYAML both accept and treat as ordinary (no tabs, no line
# breaks of any kind — \r, \x85, \u2028, \u2029 — no BOM, no control characters).
_BAD_CHAR = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A plain mapping key: must start with a letter, digit or underscore (never an indicator)
# and may not end in a space (YAML would strip it) or contain ':' or '#'.
_KEY = re.compile(r"\w(?:[\w .,()/–&+'§-]*[\w.,()/–&+'§-])?")
_COMMENT = r"(?: +#.*)?$"
_SINGLE = re.compile(rf"'((?:[^']|'')*)'{_COMMENT}")
_DOUBLE = re.compile(rf'"([^"\\]*)"{_COMMENT}')
# A plain scalar inside a flow sequence: no flow indicators, '?' or '#' (libyaml and PyYAML
# disagree on some of them), ':' only inside a word ("SOSFS 2011:9"), not starting with an
# indicator or "- ". Words are separated by spaces; written so that nothing backtracks.
_FLOW_CHAR = r"[^ ,\[\]{}#:?]"
_FLOW_PLAIN = (rf"(?:[^ ,\[\]{{}}#:?'\"!&*|>%@`-]|-{_FLOW_CHAR}){_FLOW_CHAR}*(?::{_FLOW_CHAR}+)*"
               rf"(?: +{_FLOW_CHAR}+(?::{_FLOW_CHAR}+)*)*")
_FLOW_ITEM = rf"(?:'(?:[^']|'')*'|\"[^\"\\]*\"|{_FLOW_PLAIN})"
_FLOW_SEQ = re.compile(rf"\[( *(?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*)?)\]{_COMMENT}")
_FLOW_TOKEN = re.compile(rf"'((?:[^']|'')*)'|\"([^\"\\]*)\"|({_FLOW_PLAIN})")
# Characters that cannot start a plain scalar in block context (or that we do not allow to).
_NOT_PLAIN_START = frozenset("?:,[]{}#&*!|>'\"%@`")
_MAX_DEPTH = 10
_MAX_KEY = 200
_CACHE_LIMIT = 65536  # entries; a 10,000-document handbook has ~36,000 distinct lines


class _Unsure(Exception):
    """Outside the subset (or invalid YAML): let real YAML decide."""


_MISSING = object()
_REJECT = object()
_EMPTY = object()  # "key:" with nothing after it: null, or a block that follows
_SKIP = object()  # a blank or comment line
# Caches of immutable results: handbook front matter repeats the same lines a lot.
# Typed Any: the values are parse results or the module's sentinels, checked by identity.
_cache: dict[str, Any] = {}  # plain scalar text -> value
_lines_seen: dict[str, Any] = {}  # whole line -> _classify(line)
_keys: dict[str, Any] = {}  # key text -> key
_tables: Any = None  # (by_first, wildcard, constructors, loader), set by _init()


def _init():
    global _tables
    resolvers = FrontMatterLoader.yaml_implicit_resolvers
    wildcard = list(resolvers.get(None, []))
    by_first = {first: list(found) + wildcard for first, found in resolvers.items() if first is not None}
    loader = FrontMatterLoader("")  # only used as `self` for its constructor methods
    _tables = (by_first, wildcard, FrontMatterLoader.yaml_constructors, loader)


def _plain(text: str):
    """The value of a one-line plain scalar, typed as the loader types it."""
    value = _cache.get(text, _MISSING)
    if value is _MISSING:
        by_first, wildcard, constructors, loader = _tables
        for tag, regexp in by_first.get(text[0], wildcard):  # noqa: B007 - the matching tag is read after the loop
            if regexp.match(text):
                break
        else:
            tag = _STR
        if tag == _STR:
            value = text
        elif tag in _TYPED:
            try:
                value = constructors[tag](loader, yaml.ScalarNode(tag, text))
            except Exception:  # e.g. "0x_" resolves to int but int() fails: let YAML raise
                value = _REJECT
        else:  # merge ("<<"), value ("="), ...
            value = _REJECT
        if len(_cache) < _CACHE_LIMIT:  # when full, keep the early (frequent) ones
            _cache[text] = value
    if value is _REJECT:
        raise _Unsure
    return value


def _flow(rest: str) -> list:
    match = _FLOW_SEQ.match(rest)
    if match is None:
        raise _Unsure
    inner = match.group(1)
    if "'" not in inner and '"' not in inner:
        return [_plain(item.strip(" ")) for item in inner.split(",")] if inner.strip(" ") else []
    items = []
    for token in _FLOW_TOKEN.finditer(inner):
        kind = token.lastindex
        if kind == 1:
            items.append(token.group(1).replace("''", "'"))
        elif kind == 2:
            items.append(token.group(2))
        else:
            items.append(_plain(token.group(3)))
    return items


def _value(rest: str):
    """A one-line value (the rest of a line after `key: ` or `- `: no leading or trailing space).

    Returns the scalar, or a tuple for a flow sequence (a list per use: lists are mutable).
    """
    first = rest[0]
    if first == "[":
        return tuple(_flow(rest))
    if first == "'":
        match = _SINGLE.match(rest)
        if match is None:
            raise _Unsure
        return match.group(1).replace("''", "'")
    if first == '"':
        match = _DOUBLE.match(rest)
        if match is None:
            raise _Unsure
        return match.group(1)
    if first in _NOT_PLAIN_START or (first == "-" and (len(rest) == 1 or rest[1] == " ")):
        raise _Unsure
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut].rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _Unsure  # "mapping values are not allowed here"
    return _plain(rest)


def _key(text: str) -> str:
    key: Any = _keys.get(text)
    if key is None:
        key = _REJECT  # quoted, complex or oddly spelt keys; yes, 1, null … as keys
        if len(text) <= _MAX_KEY and _KEY.fullmatch(text):  # YAML limits simple keys to 1024
            try:
                key = _plain(text)
            except _Unsure:
                pass
            if type(key) is not str:
                key = _REJECT
        if len(_keys) < _CACHE_LIMIT:
            _keys[text] = key
    if key is _REJECT:
        raise _Unsure
    return key


def _classify(line: str):
    """One line as (column, entry column or 0, key or None, value or _EMPTY),
    or _SKIP for blank lines and whole-line comments. Raises _Unsure outside the subset.

    An entry line "- x" has its entry column (where x starts); "- key: v" carries the key
    of the mapping that starts there. Values are parsed here, structure is checked later.
    """
    if not line.isprintable() and _BAD_CHAR.search(line):
        raise _Unsure  # tab, stray "\r" or another character YAML treats specially or rejects
    text = line.lstrip(" ")
    if not text or text[0] == "#":
        return _SKIP
    column = len(line) - len(text)
    text = text.rstrip(" ")
    entry = 0
    if text[0] == "-":
        if len(text) < 3 or text[1] != " ":
            raise _Unsure  # "-" alone (an empty entry) or a plain scalar "-x" as a line
        rest = text[2:].lstrip(" ")
        first = rest[0]
        if first == "#" or (first == "-" and (len(rest) == 1 or rest[1] == " ")):
            raise _Unsure  # empty entry, nested sequence
        entry = column + len(text) - len(rest)
        text = rest
    cut = -1 if text[0] in "'\"" else text.find(": ")  # a quoted scalar is never a key here
    if cut > 0 and text.find(" #", 0, cut) >= 0:
        cut = -1  # "- x #: y" is the scalar x and a comment
    if cut > 0:
        key = _key(text[:cut])
        rest = text[cut + 2:].lstrip(" ")
        value = _EMPTY if rest[0] == "#" else _value(rest)
    elif text[-1] == ":":
        key = _key(text[:-1])
        value = _EMPTY
    elif entry:
        key = None
        value = _value(text)
    else:
        raise _Unsure  # a bare scalar line: multi-line scalar, or not a mapping at all
    return column, entry, key, value


_LITERAL = re.compile(r"([^ #:][^:]*?): \|(-?)")  # a top-level "key: |" or "key: |-" (whole line)


def _literal(lines: list[str], i: int, strip: bool) -> tuple[str, int]:
    """The literal block scalar whose content starts at lines[i]: (text, index after it).

    As YAML reads it: the first line sets the indentation, which is removed from every line; the lines
    are joined with line breaks; "|" keeps one final line break (clip), "|-" none (strip). The block ends
    at the next line in column 0. Anything less plain (blank lines first, whitespace-only lines longer
    than the indentation, a line indented less than the first, tabs and odd characters) is unsure."""
    first = lines[i] if i < len(lines) else ""
    indent = len(first) - len(first.lstrip(" "))
    if indent == 0 or not first.strip():
        raise _Unsure
    content: list[str] = []
    while i < len(lines):
        line = lines[i]
        if not line.isprintable() and _BAD_CHAR.search(line):
            raise _Unsure
        if not line.strip(" "):
            if len(line) > indent:
                raise _Unsure
            content.append("")
        elif line[:indent] == " " * indent:
            content.append(line[indent:])
        elif line[0] != " ":
            break
        else:
            raise _Unsure
        i += 1
    # At the end of the front matter the last line has no line break after it, unless blank lines follow.
    last_break = not (i == len(lines) and content and content[-1])
    while content and not content[-1]:
        content.pop()
    return "\n".join(content) + ("\n" if last_break and not strip else ""), i


def _lines(lines: list[str]) -> list[tuple]:
    """The significant lines, classified (see _classify); identical lines share the work."""
    result: list[tuple] = []
    add = result.append
    known = _lines_seen.get
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.endswith(("|", "|-")) and line[:1] not in (" ", "-", "#"):
            match = _LITERAL.fullmatch(line)
            if match is None:
                raise _Unsure
            text, index = _literal(lines, index, strip=bool(match.group(2)))
            add((0, 0, _key(match.group(1)), text))
            continue
        hit = known(line)
        if hit is None:
            hit = _classify(line)
            if len(_lines_seen) < _CACHE_LIMIT:  # when full, keep the early (frequent) ones
                _lines_seen[line] = hit
        if hit is _SKIP:
            continue
        if hit[3].__class__ is tuple:  # a flow sequence: a new list for every document
            hit = (hit[0], hit[1], hit[2], list(hit[3]))
        add(hit)
    return result


def _mapping(lines: list, i: int, col: int, end: int, depth: int):
    if depth > _MAX_DEPTH:
        raise _Unsure
    result = {}
    while i < end:
        column, entry, key, value = lines[i]
        if column != col:
            if column < col:
                break
            raise _Unsure  # continuation line or bad indentation
        if entry:
            raise _Unsure  # "- " where a key belongs
        i += 1
        if value is _EMPTY:
            value = None
            if i < end:
                column, entry = lines[i][:2]
                if column > col:
                    value, i = (_sequence if entry else _mapping)(lines, i, column, end, depth + 1)
                elif column == col and entry:  # a sequence at the key's own column
                    value, i = _sequence(lines, i, col, end, depth + 1)
        result[key] = value  # a duplicate key keeps the last value, as in PyYAML
    return result, i


def _sequence(lines: list, i: int, col: int, end: int, depth: int):
    if depth > _MAX_DEPTH:
        raise _Unsure
    result = []
    while i < end:
        column, entry, key, value = lines[i]
        if column != col:
            if column < col:
                break
            raise _Unsure
        if not entry:
            break  # the next key of the mapping this sequence sits in
        if key is None:
            result.append(value)
            i += 1
        else:  # "- key: …" starts a mapping at the entry column
            lines[i] = (entry, 0, key, value)
            value, i = _mapping(lines, i, entry, end, depth + 1)
            result.append(value)
    return result, i


def parse(lines: list[str]) -> dict | None:
    """The front matter as yaml.load(FrontMatterLoader) returns it, or None if unsure.

    `lines` are the lines between the "---" delimiters. Every character of a line is
    checked when the line is first seen (tabs, control characters, odd line breaks → None).
    """
    if _tables is None:
        _init()
    if lines and lines[0].endswith("\r"):  # CRLF: "\r\n" is one line break to YAML too
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    try:
        significant = _lines(lines)
        if not significant or significant[0][0] != 0:
            return None
        result, i = _mapping(significant, 0, 0, len(significant), 0)
    except (_Unsure, RecursionError):
        return None
    return result if i == len(significant) else None
