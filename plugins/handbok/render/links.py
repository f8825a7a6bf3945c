"""HTML helpers for the renderers: escaping and relative links, engine-agnostic.

Everything taken from front matter passes through esc() (HTML) or md_text()
(Markdown headings and inline text) before it reaches a page.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Callable

import markdown as _markdown

_MD_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~=:"}


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def md_text(value: object) -> str:
    """Text safe inside Markdown (a heading, a list item): HTML-escaped and inert for Markdown."""
    return esc(value).translate(_MD_SPECIAL)


def relative_url(target: str, base: str) -> str:
    """Site-relative URL `target` as seen from the page at site-relative URL `base`.

    Both use MkDocs' directory-URL shape ('a/b/' or 'a/b.html'; '' is the home page).
    """
    base_dir = base if base.endswith("/") or base == "" else posixpath.dirname(base) + "/"
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath("/" + path, "/" + base_dir.rstrip("/")) if path or base_dir else "."
    if (path.endswith("/") or path == "") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{fragment}" if fragment else "")


class Links:
    """Turns document paths and site URLs into hrefs relative to the page being rendered."""

    def __init__(self, url_of: Callable[[str], str | None], page_url: str):
        self.url_of = url_of  # docs-relative source path -> site-relative URL (None if not on the site)
        self.page_url = page_url

    def doc(self, path: str) -> str | None:
        url = self.url_of(path)
        return None if url is None else relative_url(url, self.page_url)

    def site(self, url: str) -> str:
        return relative_url(url, self.page_url)

    def anchor(self, doc, text: str | None = None, cls: str = "") -> str:
        """A link to a document, or its escaped title when it has no page."""
        label = esc(text if text is not None else doc.title)
        href = self.doc(doc.path)
        klass = f' class="{cls}"' if cls else ""
        return f'<a href="{esc(href)}"{klass}>{label}</a>' if href else label


def human_size(size: int) -> str:
    """File size in Swedish notation: '840 byte', '12 kB', '1,4 MB'."""
    if size < 1000:
        return f"{size} byte"
    if size < 1_000_000:
        return f"{round(size / 1000):d} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


_HEADING = re.compile(r"^(#{1,6}) (.+?)(?: \{#([A-Za-z0-9_-]+)\})?$")
_FIRST_TAG = re.compile(r"^(<[a-zA-Z][^>]*?)(/?>)")


def blocks_to_html(text: str, toc: list[tuple[int, str, str]], *, search_exclude: bool = False,
                   permalink: tuple[str, str] | None = None) -> str:
    """Turn what our renderers write (headings, escaped HTML blocks, short text paragraphs) into HTML.

    Our blocks are already HTML, so they skip Markdown: running megabytes of generated tables
    through Python-Markdown's raw-HTML handling was most of the build time on large handbooks.
    Headings are collected in `toc` as (level, title HTML, anchor) for the page's table of contents.
    With search_exclude, HTML blocks are kept out of the search index (long lists that only repeat
    what the documents themselves say). `permalink` is (symbol, title) when the site's toc
    extension adds permalinks to headings, so ours look the same.
    """
    out = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        block = block.strip()
        if not block:
            continue
        heading = _HEADING.match(block) if "\n" not in block else None
        if heading:
            level, title = len(heading.group(1)), heading.group(2)
            anchor = heading.group(3) or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "avsnitt"
            toc.append((level, title, anchor))
            link = (f'<a class="headerlink" href="#{anchor}" title="{esc(permalink[1])}">{esc(permalink[0])}</a>'
                    if permalink else "")
            out.append(f'<h{level} id="{anchor}">{title}{link}</h{level}>')
        elif block.startswith("<"):
            out.append(_FIRST_TAG.sub(r"\1 data-search-exclude\2", block, count=1) if search_exclude else block)
        else:
            out.append(_markdown.markdown(block))
    return "\n".join(out)
