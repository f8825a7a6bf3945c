"""Read a Markdown file's YAML front matter fast, with line numbers, and never raise.

Only the front matter is parsed as YAML (with the C loader when present); the body
is kept as text for the checks that scan it. Dates stay strings here so that a bad
date becomes our Swedish message, not a constructor exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handbok.core.problems import ERROR, Problem
from handbok.core.sourcefile import SourceFile
from handbok.source import yamlfast
from handbok.source.loader import FrontMatterLoader

# The line that closes the front matter: '---' or '...' and nothing but white space after it.
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
_TOP_KEY = re.compile(r"^([^\s#\-][^:\n]*?)[^\S\n]*:(?:[^\S\n]|$)", re.MULTILINE)

# PyYAML's English problem texts, explained for routine owners.
_YAML_HINTS = [
    ("mapping values are not allowed",
     "ett kolon (:) står på fel ställe – sätt värdet inom citattecken om det innehåller kolon"),
    ("could not find expected ':'", "en rad saknar kolon efter fältnamnet, eller ett citattecken är inte stängt"),
    ("cannot start any token",
     "tabbtecken eller ett otillåtet tecken i början av ett värde – använd mellanslag och citattecken"),
    ("found unexpected end of stream", "ett citattecken eller en parentes stängs aldrig"),
    ("while scanning a quoted scalar", "ett citattecken stängs aldrig"),
    ("did not find expected key", "indraget (antalet mellanslag) stämmer inte med raderna ovanför"),
    ("expected <block end>", "indraget (antalet mellanslag) stämmer inte med raderna ovanför"),
    ("found undefined alias", "ett värde börjar med * – sätt det inom citattecken"),
    ("found character that cannot start any token",
     "ett värde börjar med ett specialtecken (@, `, %) – sätt det inom citattecken"),
    ("tab character", "tabbtecken används som indrag – använd mellanslag"),
    ("did not find expected ',' or ']'",
     "en hakparentes [ stängs aldrig, eller ett kommatecken saknas mellan värdena"),
    ("did not find expected ',' or '}'",
     "en klammerparentes { stängs aldrig, eller ett kommatecken saknas mellan värdena"),
]

# For a quote or bracket that is never closed, PyYAML's problem mark is where it gave up
# (often the end of the block); the context mark is where the quote or bracket was opened.
_UNCLOSED_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow")


def read_source(file_path: Path, rel_path: str) -> SourceFile:
    source = SourceFile(path=rel_path)
    try:
        raw = file_path.read_bytes()
    except OSError as exc:
        source.problems.append(Problem(rel_path, None, ERROR, "invalid-file",
                                       f"Filen kunde inte läsas: {exc.strerror or exc}"))
        return source
    return parse_source(raw, rel_path, source)


def parse_source(raw: bytes, rel_path: str, source: SourceFile | None = None) -> SourceFile:
    """The file's text, body, front-matter lines, key lines and metadata; problems instead of exceptions."""
    source = source or SourceFile(path=rel_path)
    text = _decode(raw, rel_path, source)
    if text is None:
        return source
    block = _split_front_matter(text, rel_path, source)
    if block is None:
        return source
    _find_top_keys(block, rel_path, source)
    meta = _load_meta(rel_path, source)
    if meta is _FAILED:
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


def _decode(raw: bytes, rel_path: str, source: SourceFile) -> str | None:
    """The UTF-8 text without a BOM, or None (and a problem) when it is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start:exc.start + 1].hex().upper()
        source.problems.append(Problem(
            rel_path, line, ERROR, "invalid-encoding",
            f"Filen är inte sparad som UTF-8 (ogiltig byte 0x{bad} på rad {line}). "
            "Spara om filen med teckenkodningen UTF-8 så att å, ä och ö blir rätt."))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _split_front_matter(text: str, rel_path: str, source: SourceFile) -> str | None:
    """Set the source's text, body and front-matter lines; the block, or None (and a problem)."""
    source.text = text
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        source.body = text
        source.problems.append(Problem(
            rel_path, 1, ERROR, "invalid-frontmatter",
            "Dokumentet saknar metadata (front matter). Börja filen med en rad ”---”, fältet title, type, owner, "
            "revised m.fl., och avsluta med ”---”."))
        return None
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        source.problems.append(Problem(
            rel_path, 1, ERROR, "invalid-frontmatter",
            "Metadatablocket (front matter) avslutas aldrig: lägg till en rad ”---” efter sista fältet."))
        return None
    block = text[first_end + 1:closing.start()]  # the front-matter lines, each ending in a newline
    source.fm_lines = block.split("\n")[:-1]
    source.body = text[closing.end() + 1:]
    source.body_line = text.count("\n", 0, closing.start()) + 2
    return block


def _find_top_keys(block: str, rel_path: str, source: SourceFile) -> None:
    """Record each top-level key's line; a repeated key is a problem."""
    # One pass over the block finds the top-level keys; line numbers are counted between matches.
    number, position = 2, 0
    for match in _TOP_KEY.finditer(block):
        number += block.count("\n", position, match.start())
        position = match.start()
        key = match.group(1).strip().strip("'\"")
        if key in source.key_lines:
            source.problems.append(Problem(
                rel_path, number, ERROR, "invalid-value",
                f"Fältet ”{key}” förekommer två gånger (rad {source.key_lines[key]} och {number}); ta bort det ena.",
                key))
        else:
            source.key_lines[key] = number


_FAILED = object()  # _load_meta's result when the YAML could not be read


def _load_meta(rel_path: str, source: SourceFile) -> object:
    """The front matter parsed as YAML, or _FAILED (and a problem)."""
    try:
        # The common simple forms take a fast path that returns exactly what YAML would; anything
        # else (and every error, so that its message comes from YAML) goes through the real parser.
        meta = yamlfast.parse(source.fm_lines)
        if meta is None:
            meta = yaml.load("\n".join(source.fm_lines), Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        source.problems.append(_marked_yaml_problem(exc, rel_path))
        return _FAILED
    except yaml.YAMLError as exc:  # errors without a position
        source.problems.append(Problem(rel_path, 1, ERROR, "invalid-yaml",
                                       f"Metadatan (YAML) går inte att läsa: {exc}."))
        return _FAILED
    except RecursionError:
        source.problems.append(Problem(rel_path, 1, ERROR, "invalid-yaml", "Metadatan (YAML) är för djupt nästlad."))
        return _FAILED
    return meta


def _marked_yaml_problem(exc: yaml.MarkedYAMLError, rel_path: str) -> Problem:
    """A YAML syntax error as a Swedish problem on the line where the author can fix it."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and str(exc.context or "").startswith(_UNCLOSED_CONTEXTS):
        mark = exc.context_mark
    line = mark.line + 2 if mark is not None else 1
    detail = str(exc.problem or exc.context or "okänt fel")
    hint = next((sv for en, sv in _YAML_HINTS if en in detail), None)
    if hint is None and "quoted scalar" in str(exc.context or ""):
        hint = "ett citattecken stängs aldrig"
    message = f"Metadatan (YAML) går inte att läsa på rad {line}: {hint or 'syntaxfel'} (YAML: {detail})."
    return Problem(rel_path, line, ERROR, "invalid-yaml", message)
