"""Which files a handbook may publish next to its pages: the one list of attachment types.

Everything in the docs dir that is not a page is copied into the site as it is and served
from the intranet under the handbook's own address. A file the browser treats as a page or
a program (HTML, JavaScript, an SVG with a script, XML with a stylesheet) would run with
the handbook's origin, so only types on the allowlist below are published; anything else,
including unknown types, is refused. A site may add harmless types of its own
(`attachment_types`), but never one of NEVER_ALLOWED.

The rules are used three times, so `handbok check` and the site build agree:

* links in a document's body (Markdown links and images, reference definitions, raw
  `href`/`src`) that point at a file in the docs dir: a Problem `unsafe-attachment`;
* the `file` field of an evidence entry: the same Problem;
* every non-Markdown file of the docs dir, linked or not: the site adapter leaves the
  refused ones out of the build (published_refusal).

The core reads no files: whether a file exists and what an SVG contains comes through an
AttachmentFiles object that handbok.source provides (source.files.DocsFiles).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Protocol
from urllib.parse import unquote

from handbok.core.problems import ERROR, Problem
from handbok.core.sourcefile import SourceFile
from handbok.core.text import INLINE_LINK, REFERENCE_DEFINITION, without_code

CODE = "unsafe-attachment"

# The suffixes MkDocs treats as pages. A link to one of them is a link to a document (or to a
# file MkDocs renders as a page), never an attachment; case-insensitive, so `X.MD` too.
DOCUMENT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")

# extension -> what it is, for messages. Every type here is published as it is.
ALLOWED: dict[str, str] = {
    ".pdf": "PDF",
    # Office without macros (the macro formats are refused below).
    **dict.fromkeys((".doc", ".docx", ".dot", ".dotx", ".xls", ".xlsx", ".xltx", ".ppt", ".pptx", ".ppsx",
                     ".potx", ".odt", ".ods", ".odp", ".odg", ".rtf"), "Office-dokument"),
    # Images. SVG is an image only when it contains no script: see svg_refusal.
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".ico", ".svg"),
                    "bild"),
    **dict.fromkeys((".txt", ".csv"), "ren text"),
    ".ics": "kalenderfil",
    **dict.fromkeys((".mp3", ".m4a", ".wav", ".ogg", ".oga", ".mp4", ".m4v", ".webm", ".ogv"), "ljud eller video"),
    # Fonts: a site's own stylesheet (extra_css) may load them from the docs dir; they run nothing.
    **dict.fromkeys((".woff", ".woff2", ".ttf", ".otf"), "typsnitt"),
}

_HTML = ("HTML-filer visas som en webbsida med handbokens adress och kan köra kod (skript) i läsarens "
         "webbläsare; spara innehållet som PDF eller skriv det som en sida i handboken.")
_SCRIPT = ("JavaScript och annan programkod körs i läsarens webbläsare; skript läggs bara in av administratören "
           "(extra_javascript i mkdocs.yml).")
_XML = ("XML-filer kan innehålla stilmallar (XSLT) och skript som webbläsaren kör; spara innehållet som PDF eller "
        "ren text (.txt, .csv).")
_PROGRAM = ("körbara program och skript kan skada läsarens dator och får aldrig läggas ut på intranätet; "
            "beskriv i stället var programmet finns att hämta, eller be IT om hjälp.")
_SVGZ = "komprimerade SVG-bilder går inte att kontrollera; spara bilden som PNG eller som okomprimerad SVG utan skript."

# Types no setting can allow: what a browser runs as a page or a program, and programs for the reader's computer.
NEVER_ALLOWED: dict[str, str] = {
    **dict.fromkeys((".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta"), _HTML),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".wasm", ".swf"), _SCRIPT),
    **dict.fromkeys((".xml", ".xsl", ".xslt", ".rss", ".atom"), _XML),
    ".svgz": _SVGZ,
    **dict.fromkeys((".exe", ".msi", ".msp", ".bat", ".cmd", ".com", ".scr", ".pif", ".cpl", ".dll", ".sys",
                     ".ps1", ".psm1", ".psd1", ".vbs", ".vbe", ".jse", ".wsf", ".wsh", ".sh", ".bash", ".zsh",
                     ".jar", ".lnk", ".url", ".reg", ".msc", ".app", ".dmg", ".pkg", ".deb", ".rpm", ".apk",
                     ".appx", ".msix", ".py", ".pyw", ".pl", ".rb", ".php", ".phtml", ".asp", ".aspx", ".jsp",
                     ".cgi"), _PROGRAM),
}

# Refused by default with their own reason; a site may still allow them with attachment_types.
_REFUSED: dict[str, str] = {
    **dict.fromkeys((".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".pptm", ".potm", ".ppsm"),
                    "Office-filer med makron kan köra program på läsarens dator; spara filen utan makron "
                    "(.docx, .xlsx, .pptx) eller som PDF."),
    **dict.fromkeys((".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".iso"),
                    "komprimerade arkiv kan dölja vilka filer som helst; lägg ut filerna var för sig, "
                    "till exempel som PDF eller Office-dokument."),
    ".css": "stilmallar ändrar hur hela handboken ser ut och läggs bara in av administratören "
            "(extra_css i mkdocs.yml).",
}

_KINDS = "PDF, Office-dokument utan makron, bilder, ren text, kalenderfiler, ljud och video"
_EXTENSION = re.compile(r"^\.?([a-z0-9][a-z0-9_+-]*)$")


class AttachmentFiles(Protocol):
    """The docs dir as the rules see it; paths are docs-relative and POSIX."""

    def exists(self, path: str) -> bool:
        """Is there a regular file at path (False for anything that cannot be looked at)?"""
        ...

    def read(self, path: str) -> bytes:
        """The file's bytes; OSError when it cannot be read."""
        ...


class Rules:
    """The allowlist of one site: the built-in types plus its attachment_types."""

    def __init__(self, extra: Iterable[str] = ()):
        added = {normalize(e) for e in extra}
        # NEVER_ALLOWED stays refused even when listed; settings_from_options reports such a list as an error.
        self.allowed = set(ALLOWED) | {e for e in added if e and e not in NEVER_ALLOWED}

    def reason(self, extension: str) -> str | None:
        """Why a file with this (lower-case) extension is refused, not looking at its content; None if allowed."""
        if extension in NEVER_ALLOWED:
            return NEVER_ALLOWED[extension]
        if extension in self.allowed:
            return None
        if extension in _REFUSED:
            return _REFUSED[extension]
        if not extension:
            return ("filen saknar filändelse, så det går inte att veta vad den är eller hur webbläsaren visar den; "
                    "spara den som PDF eller ett Office-dokument.")
        return (f"filtypen ”{extension}” finns inte bland de tillåtna ({_KINDS}); spara filen i en av de typerna, "
                "eller be administratören lägga till filtypen i inställningen attachment_types.")


@functools.lru_cache(maxsize=16)
def rules_for(extra: tuple[str, ...]) -> Rules:
    """Rules for a site's attachment_types (as a tuple, so that one object serves the whole build)."""
    return Rules(extra)


def normalize(extension: str) -> str:
    """'.DWG', 'dwg' -> '.dwg'; '' for a value that is no extension."""
    match = _EXTENSION.match(extension.strip().lower())
    return f".{match.group(1)}" if match else ""


def widening_errors(extra: Iterable[str]) -> list[str]:
    """Swedish messages for attachment_types entries that are no extension or can never be allowed."""
    errors = []
    for value in extra:
        extension = normalize(value)
        if not extension:
            errors.append(f"”{value}” är ingen filändelse (skriv till exempel ”.dwg”)")
        elif extension in NEVER_ALLOWED:
            errors.append(f"filtypen ”{extension}” kan aldrig tillåtas: {NEVER_ALLOWED[extension]}")
    return errors


def extension_of(path: str) -> str:
    """The lower-case extension of a docs-relative path ('' when it has none, as for '.htaccess')."""
    return posixpath.splitext(posixpath.basename(path))[1].lower()


def is_document(path: str) -> bool:
    return path.lower().endswith(DOCUMENT_SUFFIXES)


def refusal(path: str, rules: Rules, files: AttachmentFiles) -> str | None:
    """Why the file at docs-relative path must not be published; None if it may. SVGs are read."""
    extension = extension_of(path)
    reason = rules.reason(extension)
    if reason is not None or extension != ".svg":
        return reason
    try:
        data = files.read(path)
    except (OSError, ValueError):  # ValueError: a name the OS cannot take (a NUL byte)
        return ("SVG-bilden gick inte att läsa, så det går inte att kontrollera att den saknar skript; "
                "spara bilden som PNG.")
    return svg_refusal(data)


# --- SVG ---------------------------------------------------------------------------------------

# What makes an SVG more than a picture. Matched on the lower-cased text; a match anywhere (a comment
# too) refuses the file, because being unsure means refusing.
_SVG_DANGERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"<\s*(?:[\w.-]+:)?script\b"), "ett skript (<script>)"),
    (re.compile(r"<\s*(?:[\w.-]+:)?(?:foreignobject|iframe|embed|object|handler|listener)\b"),
     "inbäddad HTML eller annat inbäddat innehåll (<foreignObject>, <iframe>, <embed> eller <object>)"),
    (re.compile(r"http://www\.w3\.org/1999/xhtml"), "inbäddad HTML (XHTML)"),
    (re.compile(r"[\s\"'/](?:[\w.-]+:)?on[a-z0-9_.-]*\s*="),
     "ett händelseattribut (till exempel onload= eller onclick=)"),
    (re.compile(r"(?:java|vb|live)script\s*:"), "en javascript:-länk"),
    (re.compile(r"<!\s*entity|<!\s*doctype[^>]*\["), "egna XML-entiteter (<!ENTITY>), som kan dölja skript"),
    (re.compile(r"<\?\s*xml-stylesheet"), "en stilmall som webbläsaren kör (<?xml-stylesheet?>)"),
    (re.compile(r"attributename\s*=\s*[\"']?[^\"'>]*(?:href|&)"), "en animation som byter ut en länk"),
    (re.compile(r"@import|url\(\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:|//|\\)|behavior\s*:|-moz-binding"),
     "en stilmall som hämtar en fil från en annan adress eller kör kod"),
]
# href / xlink:href values: an internal reference (#id) or a plain relative path; anything with a scheme
# (http:, data:, javascript:), a character reference or other characters is refused.
_SVG_HREF = re.compile(r"[\s\"'/](?:[\w.-]+:)?href\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))")
_SAFE_HREF = re.compile(r"^(?:#[\w.:-]*|(?!//)[\w./%-]+(?:#[\w.:-]*)?)$")
_XML_ENCODING = re.compile(r"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([^\"']*)[\"']")
# Encodings in which the ASCII checks above read the bytes correctly.
_ASCII_COMPATIBLE = re.compile(r"^(?:utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?1|windows-125\d|cp125\d)$")


def svg_refusal(data: bytes) -> str | None:
    """Why an SVG image must not be published (it could run code in the browser); None if it is a plain picture."""
    text = _svg_text(data)
    if text is None:
        return ("SVG-bilden är sparad med en teckenkodning som inte går att kontrollera; spara den som UTF-8 "
                "eller som PNG.")
    for pattern, what in _SVG_DANGERS:
        if pattern.search(text):
            return f"SVG-bilden innehåller {what}, som kan köra kod i läsarens webbläsare; spara bilden som PNG."
    for match in _SVG_HREF.finditer(text):
        value = next(v for v in match.groups() if v is not None).strip()
        if not _SAFE_HREF.match(value):
            return ("SVG-bilden hämtar eller länkar till en annan adress (href), som kan köra kod i läsarens "
                    "webbläsare; spara bilden som PNG.")
    return None


# Longest first: the UTF-32 LE mark begins like the UTF-16 LE one.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _svg_text(data: bytes) -> str | None:
    """The SVG as lower-case text for the checks; None when it cannot be read reliably."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec).lower()
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:  # UTF-16 without a byte-order mark, compressed or not text at all
        return None
    # Latin-1 decodes any bytes, and every check looks for ASCII: right for UTF-8 and the other
    # ASCII-compatible encodings. An XML declaration naming another encoding (UTF-7 …) is refused.
    text = data.decode("latin-1").lower()
    declared = _XML_ENCODING.match(text)
    if declared and not _ASCII_COMPATIBLE.match(declared.group(1).strip()):
        return None
    return text


# --- links in a document -------------------------------------------------------------------------

# Raw HTML: <a href="…">, <img src="…">.
_RAW = re.compile(r"<[a-zA-Z][^>]*?\s(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def links(body: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line, href as written) of every link, image and raw href/src in the body, code left out."""
    if "](" not in body and "]:" not in body and "<" not in body:
        return
    text = without_code(body)
    found: list[tuple[int, str]] = []
    if "](" in text:
        found += [(m.start(1), m.group(1)) for m in INLINE_LINK.finditer(text)]
    if "]:" in text:
        found += [(m.start(1), m.group(1)) for m in REFERENCE_DEFINITION.finditer(text)]
    if "<" in text:
        found += [(m.start(), next(g for g in m.groups() if g is not None)) for m in _RAW.finditer(text)]
    if not found:
        return
    line, position = first_line, 0
    for offset, href in sorted(found):  # lines counted between hits: one pass over the text
        line += text.count("\n", position, offset)
        position = offset
        yield line, href


def local_target(href: str, from_path: str) -> str | None:
    """The docs-relative path a link points at when it may be an attachment; None for other sites
    (http:, mailto:, tel: …), anchors, folders, documents and paths outside the docs dir."""
    href = href.strip()
    if href.startswith("<") and href.endswith(">"):
        href = href[1:-1].strip()
    if not href or href.startswith(("#", "//", "\\\\")) or _SCHEME.match(href):
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0], errors="replace").replace("\\", "/")
    if not path or path.endswith("/"):
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(from_path), path)
    target = posixpath.normpath(joined)
    if target in (".", "..") or target.startswith(("../", "/")) or is_document(target):
        return None
    return target


def link_refusal(target: str, rules: Rules, files: AttachmentFiles) -> str | None:
    """refusal() for a linked file: a link to a file that is not in the docs dir publishes nothing
    (a page's URL written as x.html, a broken link that MkDocs reports itself)."""
    extension = extension_of(target)
    if extension in rules.allowed and extension != ".svg":
        return None  # allowed whatever it contains: no need to look at the disk
    if not files.exists(target):
        return None
    return refusal(target, rules, files)


def _message(written: str, reason: str) -> str:
    return f"Filen ”{written}” får inte publiceras: {reason}"


def body_problems(source: SourceFile, rules: Rules, files: AttachmentFiles) -> list[Problem]:
    """A Problem for every link in the body to a file of a refused type."""
    problems = []
    for line, href in links(source.body, source.body_line):
        target = local_target(href, source.path)
        if target is None:
            continue
        reason = link_refusal(target, rules, files)
        if reason is not None:
            written = href.strip().strip("<>").strip()
            problems.append(Problem(source.path, line, ERROR, "unsafe-attachment", _message(written, reason)))
    return problems


def file_field_problem(source: SourceFile, written: str, target: str, rules: Rules,
                       files: AttachmentFiles) -> Problem | None:
    """The evidence entry's `file` (target: the resolved, existing docs-relative path)."""
    reason = refusal(target, rules, files)
    if reason is None:
        return None
    return source.problem("unsafe-attachment", f"Fältet ”file”: {_message(written, reason)}", key="file")


# --- the files of the site ---------------------------------------------------------------------


def admin_path(value: object) -> str | None:
    """A docs-relative path from mkdocs.yml (extra_css, extra_javascript, theme logo …); None for a URL."""
    text = str(value).strip()
    if not text or text.startswith("//") or _SCHEME.match(text):
        return None
    return posixpath.normpath(unquote(text.split("#", 1)[0].split("?", 1)[0]).lstrip("/"))


def published_refusal(path: str, rules: Rules, files: AttachmentFiles,
                      admin_paths: Collection[str] = frozenset()) -> str | None:
    """Why a file of the docs dir must be left out of the built site; None to publish it.

    admin_paths: files the administrator named in mkdocs.yml (their own CSS and scripts, the logo);
    they decide about those, not the authors."""
    if is_document(path) or path in admin_paths:
        return None
    return refusal(path, rules, files)
