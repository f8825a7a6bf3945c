"""Which HTML an author may write in a page body: the one source of truth for the allowed tags,
attributes and URL schemes, and the scanner that reports what the build will remove.

A page body is written by routine owners, but it is served under the handbook's own address:
a `<script>`, an `onclick=` or a `javascript:` link in it would run in every reader's browser
with the intranet's cookies. So the body's HTML (after Markdown) goes through a sanitizer
(handbok.render.sanitize, nh3) that keeps only what is listed here, and `handbok check` reads
the Markdown source with the same lists (body_problems), so that the author hears about every
removal before the build does it silently. Our own generated parts are added after the
sanitizer and are not affected.

A site may widen the lists with `html_allow` (parse_allow); what can run code or change the
whole page (NEVER_TAGS, never_attribute, NEVER_SCHEMES) stays refused whatever it says, and
settings_from_options reports such an entry as a configuration error (allow_errors).

Standard library only: the core has no HTML engine.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from handbok.core.problems import Problem
from handbok.core.sourcefile import SourceFile
from handbok.core.text import INLINE_LINK, REFERENCE_DEFINITION, without_code

CODE = "unsafe-html"

# --- the lists ---------------------------------------------------------------------------------

# What Python-Markdown and the extensions the handbook uses produce (tables, footnotes, admonition,
# pymdownx.details/tasklist/tabbed/highlight, toc permalinks, abbr, def_list), plus the plain text
# markup authors write by hand. `mark`, media and layout elements are left to html_allow.
TAGS: frozenset[str] = frozenset("""
    a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li ol p pre q s samp small span
    strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr
""".split())

# On every allowed element; `aria-*` too (GENERIC_PREFIXES).
GENERIC_ATTRIBUTES: frozenset[str] = frozenset({"class", "id", "title", "lang", "dir", "role"})
GENERIC_PREFIXES: tuple[str, ...] = ("aria-",)

ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "name", "rel", "target"}),  # name: code line anchors (highlight)
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    # style: only the text-align that Markdown tables write (STYLE below).
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "align", "style"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align", "style"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    # Task lists (checkbox) and pymdownx.tabbed (radio); INPUT_TYPES restricts the type.
    "input": frozenset({"type", "checked", "disabled", "name"}),
    "label": frozenset({"for"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}

# Attributes whose value is a URL: the scheme is checked (url_refusal) wherever they are allowed.
URL_ATTRIBUTES: frozenset[str] = frozenset({"href", "src", "cite"})
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
# data: only as the src of an image, and only of raster types a browser never runs (no SVG, no HTML).
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|jpg|webp)(?:;[a-z0-9=.+-]*)*,", re.IGNORECASE)
# The one style value allowed: what Python-Markdown writes on aligned table cells.
_STYLE = re.compile(r"^\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*$", re.IGNORECASE)
INPUT_TYPES: frozenset[str] = frozenset({"checkbox", "radio"})

# Elements removed with everything inside them: their content is code, or text that is no
# part of the page (a fallback for a plugin, a form's options). Other refused elements lose
# only their tags; their text stays.
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset("""
    script style template noscript iframe frame frameset object embed applet svg math textarea select
    noembed noframes xmp title
""".split())

# Never allowed, whatever html_allow says; the value says why (Swedish, after a colon).
_SCRIPT = "skript får inte finnas i handboken"
_EMBED = "inbäddat innehåll från andra sidor eller program får inte finnas i handboken"
_STYLESHEET = "stilmallar ändrar hur hela handboken ser ut och läggs bara in av administratören"
_FORM = "formulär hör inte hemma i handboken; länka i stället till e-tjänsten eller blanketten"
_PAGE = "det ändrar hur hela sidan fungerar och läggs bara in av administratören"
_VECTOR = "SVG- och MathML-kod kan gömma skript; lägg in bilden som en bildfil (till exempel PNG)"
_HIDDEN = "innehåll som webbläsaren visar eller kör på andra villkor än sidtexten kan gömma skript"
NEVER_TAGS: dict[str, str] = {
    "script": _SCRIPT,
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe",
                     "param"), _EMBED),
    **dict.fromkeys(("style", "link"), _STYLESHEET),
    **dict.fromkeys(("form", "button", "textarea", "select", "option", "optgroup", "datalist", "output",
                     "fieldset", "legend", "keygen", "selectedcontent"), _FORM),
    **dict.fromkeys(("meta", "base", "html", "head", "body", "title"), _PAGE),
    **dict.fromkeys(("svg", "math"), _VECTOR),
    **dict.fromkeys(("template", "noscript", "noembed", "noframes", "xmp", "plaintext", "listing", "slot"),
                    _HIDDEN),
}
# Attributes that run or load code, or change where a form or the page goes.
_NEVER_ATTRIBUTES: frozenset[str] = frozenset({
    "style", "srcdoc", "srcset", "formaction", "action", "http-equiv", "background", "dynsrc", "lowsrc",
    "ping", "is", "nonce", "xmlns", "popovertarget", "popovertargetaction", "attributename",
})
NEVER_SCHEMES: frozenset[str] = frozenset({"javascript", "vbscript", "livescript", "data", "mocha", "blob"})


def never_attribute(name: str) -> bool:
    """Can no setting allow this attribute (event handlers, style, frame and form targets)?"""
    name = name.lower()
    return name.startswith("on") or name.startswith(("xmlns:", "xlink:")) or name in _NEVER_ATTRIBUTES


# --- a site's policy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The lists for one site: the built-in ones plus its html_allow."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]  # tag -> attributes; "*": on every tag
    schemes: frozenset[str]

    def attribute_allowed(self, tag: str, name: str) -> bool:
        if never_attribute(name) and not (name == "style" and tag in ("th", "td")):
            return False
        return (name in self.attributes.get(tag, ()) or name in self.attributes["*"]
                or name.startswith(GENERIC_PREFIXES))

    def known_attribute(self, name: str) -> bool:
        """Allowed on some element (for attr_list, where the element is not known)."""
        return any(self.attribute_allowed(tag, name) for tag in self.attributes)

    @property
    def clean_content_tags(self) -> frozenset[str]:
        return CLEAN_CONTENT_TAGS - self.tags


_ENTRY = re.compile(r"^(?:(\*|[a-z][a-z0-9-]*)(?:\.([a-z_][a-z0-9_.:-]*))?|([a-z][a-z0-9+.-]*):)$")


def _entries(allowed: Iterable[str]) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """(entry as written, tag, attribute, scheme) per html_allow entry; all None when malformed."""
    for written in allowed:
        match = _ENTRY.match(str(written).strip().lower())
        if match is None:
            yield written, None, None, None
        else:
            yield written, match.group(1), match.group(2), match.group(3)


def allow_errors(allowed: Iterable[str]) -> list[str]:
    """Swedish messages for html_allow entries that are malformed or can never be allowed."""
    errors = []
    for written, tag, attribute, scheme in _entries(allowed):
        if tag is None and scheme is None:
            errors.append(f"”{written}” är varken ett HTML-element (”mark”), ett element med attribut "
                          "(”span.data-info”, ”*.data-info”) eller ett adressprefix (”msteams:”)")
        elif tag in NEVER_TAGS:
            errors.append(f"elementet <{tag}> kan aldrig tillåtas: {NEVER_TAGS[tag]}")
        elif attribute is not None and never_attribute(attribute):
            errors.append(f"attributet {attribute} kan aldrig tillåtas: det kan köra skript eller ändra hur sidan "
                          "ser ut och fungerar")
        elif scheme in NEVER_SCHEMES:
            errors.append(f"adresser som börjar med ”{scheme}:” kan aldrig tillåtas: de kan köra skript")
    return errors


@functools.lru_cache(maxsize=16)
def parse_allow(allowed: tuple[str, ...] = ()) -> Policy:
    """The policy of a site with these html_allow entries. Entries that can never be allowed (or are
    malformed) are left out here too: allow_errors has already stopped the configuration."""
    tags = set(TAGS)
    attributes: dict[str, set[str]] = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    attributes["*"] = set(GENERIC_ATTRIBUTES)
    schemes = set(URL_SCHEMES)
    for _, tag, attribute, scheme in _entries(allowed):
        if scheme is not None and scheme not in NEVER_SCHEMES:
            schemes.add(scheme)
        if tag is None or tag in NEVER_TAGS or (attribute is not None and never_attribute(attribute)):
            continue
        if tag != "*":
            tags.add(tag)  # element.attribute allows the element too
        if attribute is not None:
            attributes.setdefault(tag, set()).add(attribute)
    return Policy(frozenset(tags), {tag: frozenset(names) for tag, names in attributes.items()},
                  frozenset(schemes))


# --- URLs and attribute values ------------------------------------------------------------------

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_STRIP = "".join(map(chr, range(0x21)))  # what a browser strips around a URL: C0 controls and space
_URL_DROP = re.compile(r"[\t\n\r]")  # … and removes anywhere in it


def scheme_of(url: str) -> str | None:
    """The lower-case scheme a browser reads in an (already entity-decoded) URL; None for a relative one.
    `  JaVa\\tScript:x` is javascript:, as for the browser."""
    match = _SCHEME.match(_URL_DROP.sub("", url.strip(_URL_STRIP)))
    return match.group(1).lower() if match else None


def url_allowed(tag: str, attribute: str, url: str, policy: Policy) -> bool:
    """May this (entity-decoded) URL stand in tag's attribute?"""
    scheme = scheme_of(url)
    if scheme is None or (scheme in policy.schemes and scheme not in NEVER_SCHEMES):
        return True
    return (scheme == "data" and tag == "img" and attribute == "src"
            and _SAFE_DATA_IMAGE.match(_URL_DROP.sub("", url.strip(_URL_STRIP))) is not None)


def value_allowed(tag: str, attribute: str, value: str, policy: Policy) -> bool:
    """May this allowed attribute keep this (entity-decoded) value? URLs by scheme, style only as a
    table cell's alignment, input only as a checkbox or radio button."""
    if attribute in URL_ATTRIBUTES:
        return url_allowed(tag, attribute, value, policy)
    if attribute == "style":
        return _STYLE.match(value) is not None
    if tag == "input" and attribute == "type":
        return value.strip().lower() in INPUT_TYPES
    return True


# --- the scanner --------------------------------------------------------------------------------

# <scheme:…> and <name@host>: Markdown autolinks, not elements.
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
_MAIL_AUTOLINK = re.compile(r"<[^\s<>@/]+@[^\s<>]+>")
# attr_list: {: #id .class key="value" } — not a template's {{ … }}, {% … %} or {# … #}.
_ATTR_LIST = re.compile(r"(?<!\{)\{(?![{%])(:?)[ \t]*([^{}\n]+?)[ \t]*\}(?!\})")
_ATTR_TOKEN = re.compile(r"""\s*(?:([#.][^\s}#.]+)|([^\s=}"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s}"']+))?)""")


def _without_code(body: str) -> str:
    """The body with code blanked out (core.text.without_code) and backslash-escaped `<` too:
    HTML shown as code is an example, and Markdown prints `\\<` as text."""
    return without_code(body).replace("\\<", "  ")


def _shown(url: str) -> str:
    """How a refused URL is named in a message: its scheme, not the payload."""
    scheme = scheme_of(url)
    return f"{scheme}:…" if scheme else url[:40]


def _url_reason(scheme: str | None) -> str:
    if scheme == "data":
        return ("data:-adresser får bara användas för bilder i PNG, GIF, JPEG eller WebP; lägg annars filen "
                "bredvid sidan och länka till den")
    if scheme in NEVER_SCHEMES:
        return "adressen kör skript i läsarens webbläsare"
    return (f"adresser som börjar med ”{scheme}:” är inte tillåtna i handboken; be administratören lägga till "
            f"”{scheme}:” i inställningen html_allow om länken behövs")


def _tag_message(tag: str) -> str:
    if tag in NEVER_TAGS:
        how = "med sitt innehåll " if tag in CLEAN_CONTENT_TAGS else ""
        return f"Elementet <{tag}> tas bort {how}när sidan byggs: {NEVER_TAGS[tag]}."
    return (f"Elementet <{tag}> är inte tillåtet i handboken och tas bort när sidan byggs (texten i det står kvar); "
            "använd Markdown, eller be administratören lägga till elementet i inställningen html_allow.")


def _attribute_message(name: str, where: str) -> str:
    if name.startswith("on"):
        why = "händelseattribut kör skript i läsarens webbläsare"
    elif name == "style":
        why = "utseendet bestäms av handbokens stilmall (bara tabellkolumners justering får anges)"
    elif never_attribute(name):
        why = "det kan köra skript eller ändra hur sidan fungerar"
    else:
        why = "det är inte tillåtet i handboken; be administratören lägga till det i inställningen html_allow"
    return f"Attributet {name} {where} tas bort när sidan byggs: {why}."


def _value_message(tag: str, name: str, value: str, where: str) -> str:
    if name in URL_ATTRIBUTES:
        return f"Länken ”{_shown(value)}” {where} tas bort när sidan byggs: {_url_reason(scheme_of(value))}."
    if name == "style":
        return _attribute_message("style", where)
    return f"Attributet {name}=”{value[:40]}” {where} tas bort när sidan byggs: det är inte tillåtet i handboken."


class _Scanner(HTMLParser):
    """Raw HTML in the (code-free) body: one finding per refused element, attribute or URL."""

    def __init__(self, policy: Policy):
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.found: list[tuple[tuple[int, int], str]] = []  # ((line, column) in the text, message)
        self.removed: list[str] = []  # open elements removed with their content: nothing inside is reported

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.removed and self.removed[-1] == tag:
            self.removed.pop()

    def handle_comment(self, data: str) -> None:
        # A browser ends a comment earlier than html.parser at `<!-->`, `<!--->` and `--!>`: what follows
        # is markup to it (and to the sanitizer), so it is scanned too.
        if self.removed:
            return
        rest = data[1:] if data.startswith(">") else data[2:] if data.startswith("->") else \
            data.split("--!>", 1)[1] if "--!>" in data else ""
        if "<" in rest:
            inner = _Scanner(self.policy)
            inner.feed(rest)
            inner.close()
            self.found.extend((self.getpos(), message) for _, message in inner.found)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.removed:
            return
        position = self.getpos()
        if tag not in self.policy.tags:
            self.found.append((position, _tag_message(tag)))
            if tag in CLEAN_CONTENT_TAGS and not closed and tag not in ("embed", "frame"):
                self.removed.append(tag)
            return
        for name, value in attrs:
            if name == "markdown":  # md_in_html's switch: Markdown itself removes it
                continue
            where = f"på <{tag}>"
            if not self.policy.attribute_allowed(tag, name):
                self.found.append((position, _attribute_message(name, where)))
            elif value is not None and not value_allowed(tag, name, value, self.policy):
                self.found.append((position, _value_message(tag, name, value, where)))


def _is_image(text: str, bracket_end: int) -> bool:
    """Does the `]` at bracket_end close the alt text of an image (`![…]`)? Searched back within the paragraph."""
    depth = 0
    for position in range(bracket_end, -1, -1):
        char = text[position]
        if char == "]":
            depth += 1
        elif char == "[":
            depth -= 1
            if depth == 0:
                return position > 0 and text[position - 1] == "!"
        elif char == "\n" and text.startswith("\n\n", position - 1):
            return False
    return False


def _markdown_url(url: str) -> str:
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    return html.unescape(url)


def _url_finding(offset: int, what: str, url: str, removed: str = "tas bort") -> tuple[int, str]:
    return offset, f"{what} ”{_shown(url)}” {removed} när sidan byggs: {_url_reason(scheme_of(url))}."


def _markdown_links(text: str, policy: Policy, markup: list[str]) -> list[tuple[int, str]]:
    """Inline links and images, and reference definitions; their URLs are blanked in markup."""
    found = []
    matches: list[tuple[re.Match[str], bool]] = []
    if "](" in text:
        images = "![" in text  # most pages have none: no need to look back from every link
        matches += [(m, images and _is_image(text, m.start())) for m in INLINE_LINK.finditer(text)]
    if "]:" in text:  # a definition may serve an image too: checked as a link, which is stricter
        matches += [(m, False) for m in REFERENCE_DEFINITION.finditer(text)]
    for match, image in matches:
        url = _markdown_url(match.group(1))
        if not url_allowed("img" if image else "a", "src" if image else "href", url, policy):
            found.append(_url_finding(match.start(1), "Bilden" if image else "Länken", url))
        markup[match.start(1):match.end(1)] = " " * (match.end(1) - match.start(1))
    return found


def _raw_html(text: str, policy: Policy, markup: list[str]) -> list[tuple[int, str]]:
    """Autolinks (<scheme:…>, blanked in markup) and then the raw HTML."""
    found = []
    rest = "".join(markup)
    for match in _AUTOLINK.finditer(rest):
        url = html.unescape(match.group(1))
        if not url_allowed("a", "href", url, policy):  # Markdown prints it as text, or drops it
            found.append(_url_finding(match.start(1), "Länken", url, "blir ingen länk"))
        markup[match.start():match.end()] = " " * (match.end() - match.start())
    for match in _MAIL_AUTOLINK.finditer(rest):
        markup[match.start():match.end()] = " " * (match.end() - match.start())
    scanner = _Scanner(policy)
    scanner.feed("".join(markup))
    scanner.close()
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    found.extend((starts[line - 1] + column, message) for (line, column), message in scanner.found)
    return found


def _scan(text: str, policy: Policy) -> list[tuple[int, str]]:
    """(offset, message) of every finding in the code-free body."""
    markup = list(text)  # what the HTML scan reads: the text without the URLs of links and autolinks
    found = _markdown_links(text, policy, markup)
    if "{" in text:
        for match in _ATTR_LIST.finditer(text):
            found.extend(_attr_list(match, policy))
    if "<" in text:
        found.extend(_raw_html(text, policy, markup))
    return found


def _attr_list(match: re.Match[str], policy: Policy) -> list[tuple[int, str]]:
    """Findings in one attr_list block, if it is one: every token must be #id, .class or key[=value]."""
    content = match.group(2)
    tokens = []
    position = 0
    while position < len(content):
        token = _ATTR_TOKEN.match(content, position)
        if token is None or token.end() == position:
            return []  # prose in braces, not an attribute list
        tokens.append(token)
        position = token.end()
    if not any(t.group(2) and (t.group(3) is not None or match.group(1)) for t in tokens):
        return []
    found = []
    for token in tokens:
        name = (token.group(2) or "").lower()
        if not name:
            continue
        value = html.unescape(token.group(3).strip("\"'")) if token.group(3) is not None else ""
        where = "i attributlistan {…}"
        if not policy.known_attribute(name):
            found.append((match.start(), _attribute_message(name, where)))
        elif name in URL_ATTRIBUTES and not url_allowed("a", name, value, policy):
            found.append((match.start(), _value_message("a", name, value, where)))
        elif name == "style":
            found.append((match.start(), _attribute_message(name, where)))
    return found


def body_problems(source: SourceFile, allowed: tuple[str, ...] = ()) -> list[Problem]:
    """`unsafe-html` errors for the raw HTML and URLs in the Markdown body that the build removes."""
    body = source.body
    if not body or not any(c in body for c in "<]{"):
        return []
    text = _without_code(body)
    found = _scan(text, parse_allow(tuple(allowed)))
    problems = []
    line, position = source.body_line, 0
    for offset, message in sorted(found, key=lambda f: f[0]):  # lines counted between findings: one pass
        line += text.count("\n", position, offset)
        position = offset
        problems.append(source.problem("unsafe-html", message, line=line))
    return problems
