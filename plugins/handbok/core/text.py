"""Small text helpers shared by the CLI, the generators and the site adapter."""

from __future__ import annotations

import re
import unicodedata

# Case is kept: slugify lowercases afterwards, ascii_name keeps "SN" as the diary writes it.
_SWEDISH = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "é": "e", "É": "E",
                          "ü": "u", "Ü": "U"})


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII file/URL slug: 'Förhandsbedömning – 14 dagar' -> 'forhandsbedomning-14-dagar'.

    Swedish letters are folded by hand first (å->a, ä->a, ö->o) because NFKD
    would keep them as 'a' + combining ring, which we then strip the same way,
    but being explicit keeps the rule obvious to readers of the code.
    """
    folded = text.translate(_SWEDISH)
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug or "dokument"


def ascii_name(text: str) -> str:
    """A file or address part in ASCII with the case kept: 'SN 2026/0113' -> 'SN-2026-0113'; å, ä, ö
    folded as in slugify, every other run of characters outside A–Z and 0–9 one hyphen; "" for none."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text.translate(_SWEDISH)).strip("-")


_SV_ORDER = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003", "æ": "z\u0002", "ø": "z\u0003"})


def sv_key(text: str) -> str:
    """Sort key in Swedish alphabetical order (… x y z å ä ö), case-insensitive."""
    return str(text).casefold().translate(_SV_ORDER)


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs (separated by blank lines), as a YAML block scalar may hold several."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]


def listing(items: list[str], last: str = "och") -> str:
    """'A', 'A och B', 'A, B och C' (or with "eller"): a Swedish enumeration; "" for none."""
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def counted(n: int, one: str, many: str) -> str:
    """'1 åtgärd', '4 åtgärder': a number with its noun (or adjective) in the right form."""
    return f"{n} {one if n == 1 else many}"


def days(n: int) -> str:
    """'1 dag', '5 dagar'."""
    return f"{n} {'dag' if n == 1 else 'dagar'}"


def due_in(n: int) -> str:
    """When something due in n days (n >= 0) is due: 'i dag', 'om 1 dag', 'om 5 dagar'."""
    return "i dag" if n == 0 else f"om {days(n)}"


def unique_slugs(names, reserved=("index",)) -> dict[str, str]:
    """A unique URL or file slug for each name, in order: two names may fold to the same ASCII
    ('Enhetschef barn och unga' and 'Enhetschef, barn och unga'), so later ones get -2, -3 …"""
    result: dict[str, str] = {}
    used = set(reserved)
    for name in names:
        if name in result:
            continue
        slug = base = slugify(name)
        number = 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        result[name] = slug
    return result


def review_verbs(is_evidence: bool) -> tuple[str, str]:
    """('revideras', 'reviderats') for documents, ('granskas', 'granskats') for evidence entries."""
    return ("granskas", "granskats") if is_evidence else ("revideras", "reviderats")


# Markdown links, as Python-Markdown reads them (shared by the checks that look at link targets):
# [text](href "title") and ![alt](href): the href, in <…> or up to white space or an unbalanced ')';
INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|(?:[^\s()<>]|\([^\s()]*\))+)")
# [id]: href — not a footnote ([^1]: text).
REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)

# Markdown code: fenced blocks (``` or ~~~, closed by a fence of the same kind at least as long)
# and inline code spans (not across a blank line).
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(text: str) -> str:
    return _NOT_NEWLINE.sub(" ", text)


def without_code(body: str) -> str:
    """The Markdown body with fenced code blocks and inline code blanked out, lines and offsets
    kept: what is shown as code is an example (of a link, of HTML), not the thing itself."""
    if "```" in body or "~~~" in body:
        lines = body.split("\n")
        fence: str | None = None
        for number, line in enumerate(lines):
            match = _FENCE.match(line)
            if fence is None:
                if match:
                    fence = match.group(1)
                    lines[number] = _blank(line)
                continue
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line[match.end():].strip():
                fence = None
            lines[number] = _blank(line)
        body = "\n".join(lines)
    if "`" in body:
        body = _CODE_SPAN.sub(lambda m: _blank(m.group(0)), body)
    return body


# (target.md#part "title") after a link's text: a link to another page of the handbook as an author writes
# it; the one group is the target. The index finds back-links with it, unlink_pages removes them.
PAGE_TARGET = r"\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)"
_PAGE_LINK = re.compile(r"(?<!!)\[([^\]]*)\]" + PAGE_TARGET)


def unlink_pages(markdown: str, keep=lambda target: False) -> str:
    """Markdown with links to other pages (``[text](x.md)``) turned into their text, except those
    whose target keep(target) accepts; links to other hosts and images stay as they are."""
    if ".md" not in markdown:
        return markdown

    def repl(match: re.Match) -> str:
        target = match.group(2)
        return match.group(0) if "://" in target or keep(target) else match.group(1)

    return _PAGE_LINK.sub(repl, markdown)
