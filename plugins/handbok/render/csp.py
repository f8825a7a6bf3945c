"""Content-Security-Policy for the built site, computed from the built HTML.

A strict policy is defence in depth against script injection: even if hostile HTML slipped
past the sanitizer, the browser runs no inline script, no event handler and no `javascript:`
URL that the policy does not name. The theme's own inline scripts and styles are allowed by
their SHA-256 hashes, computed here from the finished pages, so the policy needs no
'unsafe-inline'.

Engine-free: everything works on HTML text and a site folder, so another site engine can
call secure_site() after its build just like the MkDocs adapter does.

One policy for the whole site (the hashes of every page together): a web server sends one
header for all pages, and it must equal the <meta> tag in each page.

What the browser hashes (HTML Standard, tokenization; CSP3 "does element match source
list"): the element's text exactly as in the file, after the parser's input preprocessing
(CR LF and lone CR become LF; in script and style text a NUL becomes U+FFFD), encoded as
UTF-8. Script and style text is raw text, so no character references are decoded; a style
attribute's hash is over its value after decoding them.

Inline <script> and <style> elements inside an <article> (the page body authors write) are
never trusted: hashing them would allow exactly the injected script the policy is meant to
stop. They are reported by inline_hashes() and stay blocked in the browser. (A stray
</article> in a page body would end that region early; the sanitizer keeps author HTML
balanced, so this rule is a second line behind it, not a replacement.)
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import re
from dataclasses import dataclass, field
from pathlib import Path

POLICY_FILE = "content-security-policy.txt"
HTTP_EQUIV = "Content-Security-Policy"

# Script types the browser executes (classic scripts, modules) or checks against script-src
# anyway (import maps, speculation rules). Anything else (application/json, text/template …)
# is a data block: never run, never checked, so it needs no hash.
_JS_TYPES = {
    "", "module", "importmap", "speculationrules",
    "application/ecmascript", "application/javascript", "application/x-ecmascript",
    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}
# Elements whose content is text to the parser (with scripting enabled), so a <script> in
# them is not an element. Only script and style matter for the policy.
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
# The region authors write; see the module docstring.
_CONTENT = "article"

# One token of markup. Atomic groups keep the attribute list from backtracking on a start
# tag that is never closed.
_ATTR = r"""(?>[^\s/>][^\s/>=]*)(?>\s*=\s*(?>"[^"]*"|'[^']*'|[^\s>]*))?"""
_TOKEN = re.compile(
    r"<!--(?:.*?)(?:--!?>|\Z)"                              # comment
    r"|<[!?][^>]*>"                                          # doctype, bogus comment
    r"|</(?P<end>[a-zA-Z][^\s/>]*)[^>]*>"                    # end tag
    rf"|<(?P<start>[a-zA-Z][^\s/>]*)(?P<attrs>(?>[\s/]*{_ATTR})*)[\s/]*>",  # start tag
    re.DOTALL)
_ATTRS = re.compile(r"""([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_OUR_META = re.compile(r"<meta\s+http-equiv=\"?Content-Security-Policy\"?\s[^>]*>\s*", re.IGNORECASE)


@dataclass
class Inline:
    """Hash sources ('sha256-…') of what the pages need, and what stays blocked."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attrs: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)  # descriptions of untrusted inline elements

    def update(self, other: Inline) -> None:
        self.scripts |= other.scripts
        self.styles |= other.styles
        self.style_attrs |= other.style_attrs
        self.blocked.extend(other.blocked)


def _preprocess(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def hash_source(text: str) -> str:
    """The CSP hash source for `text` as the browser sees it."""
    digest = hashlib.sha256(_preprocess(text).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _attrs(source: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, dq, sq, uq in _ATTRS.findall(source):
        name = name.lower()
        if name not in found:  # the browser keeps the first of duplicated attributes
            found[name] = _html.unescape(dq or sq or uq)
    return found


def _executable(attrs: dict[str, str]) -> bool:
    if "src" in attrs:  # external: allowed (or not) by its URL; inline text is ignored
        return False
    return attrs.get("type", "").strip().lower() in _JS_TYPES


# Where a token that matters can start, in the lower-cased page: comments, the raw-text
# elements, the content region, and style attributes. Scanning for these with str.find and
# tokenizing only there is what keeps this pass cheap (a page has some 1,600 tags, and
# tokenizing every one took four seconds on a 2,000-page site).
_STARTS = ("<!--", "</article", "style", *(f"<{tag}" for tag in sorted(_RAW_TEXT | {_CONTENT})))
_STYLE_ATTR = re.compile(r"(?<=[\s\"'/])style\s*=")


def _candidates(lower: str) -> list[int]:
    found = set()
    for needle in _STARTS:
        at = lower.find(needle)
        while at != -1:
            found.add(at)
            at = lower.find(needle, at + 1)
    return sorted(found)


def _token_at(html: str, lower: str, at: int, pos: int) -> re.Match[str] | None:
    """The token a candidate position belongs to; pos: where the unread part of the page begins."""
    if not lower.startswith("<", at):  # "style": an attribute only inside a start tag
        if not _STYLE_ATTR.match(lower, at):
            return None
        at = html.rfind("<", pos, at)
        return _TOKEN.match(html, at) if at != -1 else None
    match = _TOKEN.match(html, at)
    if match is not None and not lower.startswith(("<!--", "</article"), at) \
            and html.rfind(">", pos, at) < html.rfind("<", pos, at):
        # This "<" lies inside an earlier tag's attribute value: that tag is the token.
        outer = _TOKEN.match(html, html.rfind("<", pos, at))
        if outer is not None and outer.end() > at:
            return outer
    return match


def inline_hashes(html: str, where: str = "") -> Inline:
    """The inline scripts, styles and style attributes of one page."""
    html = _preprocess(html)
    lower = html.lower()
    found = Inline()
    depth = 0  # inside how many <article> elements
    pos = 0  # everything before pos is read; between two candidates lie only text and other tags
    for at in _candidates(lower):
        match = _token_at(html, lower, at, pos) if at >= pos else None
        if match is None:
            continue
        pos = match.end()
        end, tag = match.group("end"), match.group("start")
        if end is not None:
            if end.lower() == _CONTENT:
                depth = max(0, depth - 1)
            continue
        if tag is None:
            continue
        tag = tag.lower()
        raw = tag in _RAW_TEXT
        attr_text = match.group("attrs")
        attrs = _attrs(attr_text) if raw or "style" in attr_text.lower() else {}
        if "style" in attrs:
            found.style_attrs.add(hash_source(attrs["style"]))
        if tag == _CONTENT:  # "/>" closes nothing in HTML: <article/> opens an article too
            depth += 1
        if not raw:
            continue
        close = re.compile(rf"</{tag}[\s/>]", re.IGNORECASE).search(html, pos)
        text = html[pos:close.start() if close else len(html)]
        pos = close.start() if close else len(html)
        if tag == "style" or (tag == "script" and _executable(attrs)):
            source = hash_source(text.replace("\0", "\ufffd"))
            if depth:
                line = html.count("\n", 0, match.start()) + 1
                found.blocked.append(f"{where}:{line}: <{tag}> i sidtexten")
            else:
                (found.scripts if tag == "script" else found.styles).add(source)
    return found


def policy(inline: Inline, *, header: bool = False, wasm: bool = False) -> str:
    """The policy text. header=True adds what a <meta> policy cannot carry (frame-ancestors);
    wasm=True lets the site's scripts compile WebAssembly (the search engine runs in it)."""
    styles = sorted(inline.styles)
    if inline.style_attrs:
        # Hashes of style="…" attributes only count together with 'unsafe-hashes' (CSP3).
        # Python-Markdown writes table column alignment as style attributes.
        styles += ["'unsafe-hashes'", *sorted(inline.style_attrs)]
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if wasm else []), *sorted(inline.scripts)]),
        " ".join(["style-src 'self'", *styles]),
        "img-src 'self' data:",  # Material's and our CSS draw icons from data: URLs
        "font-src 'self'",
        "connect-src 'self'",  # the search index, fetched by the search worker
        "worker-src 'self'",  # Material runs its search in a worker loaded from the site
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-src 'none'",
    ]
    if header:
        directives.append("frame-ancestors 'self'")  # ignored in <meta>: a header only
    return "; ".join(directives)


def meta_tag(text: str) -> str:
    # The policy's quotes are single quotes; they need no escaping in a double-quoted value.
    value = _html.escape(text, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="{HTTP_EQUIV}" content="{value}">'


def with_meta(html: str, text: str | None) -> str:
    """The page with exactly one CSP <meta> (none when text is None), placed before anything
    it must govern: a <meta> policy applies only to what the parser meets after it. It goes
    right after a leading <meta charset>, which must stay in the first 1024 bytes."""
    html = _OUR_META.sub("", html)
    head = _HEAD.search(html)
    if text is None or head is None:
        return html
    at = head.end()
    charset = _CHARSET.match(html, at)
    if charset is not None:
        at = charset.end()
    indent = re.match(r"\s*", html[at:]).group(0) or "\n"  # type: ignore[union-attr]
    return html[:at] + indent + meta_tag(text) + html[at:]


def _read(path: Path) -> str:
    # Bytes, so line endings are kept exactly as the engine wrote them.
    return path.read_bytes().decode("utf-8")


def secure_site(site_dir: Path, *, meta: bool = True, wasm: bool = False) -> tuple[str, list[str]]:
    """Compute the site-wide policy, put its <meta> into every HTML page (unless meta is
    False) and write the header version to POLICY_FILE in site_dir.

    Returns (header policy, descriptions of blocked inline elements)."""
    pages = sorted(site_dir.rglob("*.html"))
    inline = Inline()
    # Two passes, each page read twice: holding every page in memory between them doubled the
    # build's peak memory on a 2,000-page site; reading again costs little (the pages are cached).
    for page in pages:
        inline.update(inline_hashes(_OUR_META.sub("", _read(page)), page.relative_to(site_dir).as_posix()))
    text = policy(inline, wasm=wasm) if meta else None
    for page in pages:
        html = _read(page)
        updated = with_meta(html, text)
        if updated != html:
            page.write_bytes(updated.encode("utf-8"))
    header = policy(inline, header=True, wasm=wasm)
    (site_dir / POLICY_FILE).write_text(header + "\n", encoding="utf-8")
    return header, inline.blocked
