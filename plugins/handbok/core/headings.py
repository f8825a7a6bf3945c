"""The page heading: the H1 an author wrote in the body, compared with the document's title.

The site shows `title` in menus, lists and search results, and as the page's H1 when the body
has none; an H1 of its own that says something else gives the page two names.
"""

from __future__ import annotations

import re

from handbok.core.model import Document
from handbok.core.problems import WARNING, Problem

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
_ATTR_LIST = re.compile(r"\s*\{:?[^{}]*\}$")  # '# Titel {#id .class}' (attr_list)
_MARKUP = re.compile(r"[*_`]")
_ANY_H1 = re.compile(r"^ {0,3}(?:#(?:[ \t]|$)|=+[ \t]*$)", re.MULTILINE)


def first_h1(body: str, body_line: int) -> tuple[int, str] | None:
    """(line, text as written) of the body's first level-1 heading outside code fences, or None."""
    if not _ANY_H1.search(body):  # most bodies: one regex pass, no lines to walk
        return None
    fenced, previous = None, ""
    for number, line in enumerate(body.split("\n"), start=body_line):
        fence = _FENCE.match(line)
        if fence:  # a fence closes with the same character, at least as many times, and nothing after it
            run = fence.group(1)
            if fenced is None:
                fenced = run
            elif run[0] == fenced[0] and len(run) >= len(fenced) and not line.strip()[len(run):].strip():
                fenced = None
            previous = ""
            continue
        if fenced is not None:
            continue
        match = _ATX_H1.match(line)
        if match:
            return number, (match.group("text") or "").strip()
        if previous.strip() and _SETEXT_H1.match(line) and not previous.startswith(("    ", "\t", "#", ">", "-", "*")):
            return number - 1, previous.strip()
        previous = line
    return None


def normalized(text: str) -> str:
    """The words of a heading or title: attribute list, emphasis marks and extra spaces removed."""
    return " ".join(_MARKUP.sub("", _ATTR_LIST.sub("", text)).split())


def heading_problem(doc: Document) -> Problem | None:
    """`heading-differs` when the author's H1 is not the title given in the front matter."""
    found = doc.source.h1
    title = (doc.source.meta or {}).get("title")
    if found is None or not isinstance(title, str) or not title.strip():
        return None
    line, heading = found
    if "{{" in heading or "{%" in heading:  # a macro: what it becomes is only known when the site is built
        return None
    if normalized(heading) == normalized(title):
        return None
    return doc.source.problem(
        "heading-differs",
        f"Rubriken på rad {line} (”{heading}”) är inte densamma som dokumentets titel (”{title.strip()}”), "
        "som visas i menyer, listor och sökträffar; ta bort rubriken (titeln blir då sidans rubrik) "
        "eller skriv den likadant som titeln.",
        severity=WARNING, line=line)
