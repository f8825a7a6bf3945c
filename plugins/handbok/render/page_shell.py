"""The page shell: accessibility fixes and additions around every page the theme renders.

Pure functions on a finished page's HTML (the theme's markup, Material 9.x, with our content in
it); the site adapter calls them after the theme has rendered a page. Nothing here knows the site
engine. Every text inserted is either fixed Swedish text or escaped here (markupsafe), and every
attribute added is built from our own ids; the author's HTML is never rewritten beyond them.
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import urlsplit

from markupsafe import escape

from handbok.core.search import NAME_TITLE_WEIGHT, PageScope

SKIP_TARGET = "handbok-innehall"
SKIP_TEXT = "Hoppa till innehållet"
SEARCH_NAME = "Sök i handboken"
EXTERNAL_TEXT = " (extern webbplats)"
PRINT_NOTE = "utskrifter är inte styrande, gällande version:"

_TAG = re.compile(r"<[^>]*>")


def _text(fragment: str) -> str:
    """The plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(_html.unescape(_TAG.sub(" ", fragment)).split())


def _add_attr(tag: str, name: str, value: str) -> str:
    """A start tag with one more attribute (value escaped); unchanged if it has the attribute."""
    if re.search(rf"\s{re.escape(name)}\s*=", tag):
        return tag
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} {name}="{escape(value)}"{tag[end:]}'


def _add_class(tag: str, cls: str) -> str:
    match = re.search(r'\sclass\s*=\s*"([^"]*)"', tag)
    if match is None:
        return _add_attr(tag, "class", cls)
    if cls in match.group(1).split():
        return tag
    return f'{tag[:match.start(1)]}{match.group(1)} {cls}{tag[match.end(1):]}'


# --- task lists ----------------------------------------------------------------------------
# pymdownx.tasklist (custom_checkbox) renders an item as
#   <li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled>
#   <span class="task-list-indicator"></span></label> The item's text</li>
# The checkbox has no name: it gets one from the item's text, wrapped in a span with an id.

_TASK = re.compile(
    r'(<label class="task-list-control">)(<input\b[^>]*type="checkbox"[^>]*>)(.*?</label>)'
    # without custom_checkbox: the checkbox alone at the start of the item
    r'|(<li class="task-list-item">\s*(?:<p>)?)(<input\b[^>]*type="checkbox"[^>]*>)()',
    re.DOTALL)
# Where an item's own text ends: a nested block, or the end of the item or paragraph.
_TEXT_END = re.compile(r"</li>|</p>|<(?:ul|ol|p|div|table|pre|blockquote|dl|h[1-6])[\s>]", re.IGNORECASE)


def label_task_checkboxes(html: str) -> str:
    """Give every task-list checkbox an accessible name: aria-labelledby the item's text."""
    if "task-list-item" not in html:  # most pages: no regex over the whole page
        return html
    out: list[str] = []
    pos = 0
    number = 0
    for match in _TASK.finditer(html):
        if match.start() < pos:  # inside text already wrapped (cannot happen with balanced markup)
            continue
        number += 1
        before, checkbox, rest = (match.group(1), match.group(2), match.group(3)) if match.group(2) \
            else (match.group(4), match.group(5), match.group(6))
        after = match.end()
        end = _TEXT_END.search(html, after)
        stop = end.start() if end else len(html)
        text = html[after:stop]
        out.append(html[pos:match.start()])
        pos = after
        if "aria-label" in checkbox:
            out.append(match.group(0))
            continue
        if not _text(text):
            out.append(before + _add_attr(checkbox, "aria-label", "Punkt utan text") + rest)
            continue
        ident = f"handbok-punkt-{number}"
        out.append(before + _add_attr(checkbox, "aria-labelledby", ident) + rest)
        lead = len(text) - len(text.lstrip())
        trail = len(text.rstrip())
        out.append(f'{text[:lead]}<span id="{ident}">{text[lead:trail]}</span>{text[trail:]}')
        pos = stop
    out.append(html[pos:])
    return "".join(out)


# --- the search dialog -------------------------------------------------------------------------

_SEARCH_DIALOG = re.compile(r'<div class="md-search"[^>]*role="dialog"[^>]*>')


def name_search_dialog(html: str) -> str:
    return _SEARCH_DIALOG.sub(lambda m: _add_attr(m.group(0), "aria-label", SEARCH_NAME), html, count=1)


# --- navigation landmarks ----------------------------------------------------------------------
# With navigation.indexes, Material labels a nested <nav> by the section's toggle (an icon
# without text), so every such nav is named "" and axe finds them not unique. Each is named by
# its own title instead (the label with the section's name at the top of the nav).

_NESTED_NAV = re.compile(
    r'(<nav class="md-nav" data-md-level="\d+" )aria-labelledby="(__nav_[\d_]+)_label"([^>]*>\s*)'
    r'(<label class="md-nav__title" for="\2")(>.*?</label>)', re.DOTALL)


def name_nav_landmarks(html: str) -> str:
    seen: dict[str, int] = {}

    def named(match: re.Match) -> str:
        title = _text(match.group(5)[1:])
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1 or not title:  # the same title twice in one page: number it
            label = f"{title or 'Avsnitt'} ({seen[title]})"
            return (f'{match.group(1)}aria-label="{escape(label)}"{match.group(3)}'
                    f'{match.group(4)}{match.group(5)}')
        ident = f"{match.group(2)}_title"
        return (f'{match.group(1)}aria-labelledby="{ident}"{match.group(3)}'
                f'{match.group(4)} id="{ident}"{match.group(5)}')

    return _NESTED_NAV.sub(named, html)


# --- skip link -----------------------------------------------------------------------------------
# Material renders its skip link (class md-skip) only on pages with a table of contents.

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')
_SKIP_SLOT = re.compile(r'(<div data-md-component="skip">)(\s*)(</div>)')


def add_skip_link(html: str) -> str:
    """A skip link first in the page, to the content, where the theme has none."""
    if 'class="md-skip"' in html:
        return html
    article = _ARTICLE.search(html)
    if article is None:
        return html
    tag = _add_attr(_add_attr(article.group(0), "id", SKIP_TARGET), "tabindex", "-1")
    target = re.search(r'\sid="([^"]*)"', tag)
    ident = target.group(1) if target else SKIP_TARGET
    html = html[:article.start()] + tag + html[article.end():]
    link = f'<a href="#{escape(ident)}" class="md-skip handbok-skip">{SKIP_TEXT}</a>'
    slot = _SKIP_SLOT.search(html)
    if slot is not None:
        return html[:slot.end(1)] + link + html[slot.start(3):]
    body = re.search(r"<body\b[^>]*>", html)
    if body is None:
        return html
    return html[:body.end()] + link + html[body.end():]


# --- print footer --------------------------------------------------------------------------------

def add_print_footer(html: str, printed: str, address: str) -> str:
    """The line on every printed page: printed when, not steering, where the valid version is.

    printed: the build date (YYYY-MM-DD), which the browser replaces by the reader's date
    (the element with data-handbok-printed). address: the page's canonical URL."""
    footer = (f'<div class="handbok-print-footer">Utskriven <span data-handbok-printed>{escape(printed)}</span>'
              f' – {PRINT_NOTE} <span class="handbok-print-footer__address">{escape(address)}</span></div>')
    end = html.rfind("</body>")
    if end < 0:
        return html + footer
    return html[:end] + footer + html[end:]


# --- external links ------------------------------------------------------------------------------

_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r'\shref\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', re.IGNORECASE)


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower() or None
    except ValueError:
        return None


def is_external(href: str, site_host: str | None) -> bool:
    """Does the link lead to another host than the site's? (mailto:, tel:, relative links: no)"""
    href = _html.unescape(href).strip()
    if not re.match(r"(?i)(https?:)?//", href):
        return False
    host = _host(href if not href.startswith("//") else "http:" + href)
    return host is not None and host != (site_host or "").lower()


def mark_external_links(html: str, site_url: str | None) -> str:
    """Links in the page's content (the article) to another host: class handbok-external and a
    text for screen readers; the visible marker is drawn by CSS."""
    article = _ARTICLE.search(html)
    if article is None:
        return html
    start = article.end()
    end = html.find("</article>", start)
    if end < 0:
        return html
    site_host = _host(site_url) if site_url else None
    body = html[start:end]
    out: list[str] = []
    pos = 0
    for match in _LINK.finditer(body):
        if match.start() < pos:
            continue
        href = _HREF.search(match.group(0))
        if href is None or not is_external(href.group(1) or href.group(2) or "", site_host):
            continue
        close = body.find("</a>", match.end())
        if close < 0:
            continue
        out.append(body[pos:match.start()])
        out.append(_add_class(match.group(0), "handbok-external"))
        out.append(body[match.end():close])
        if "handbok-external__note" not in body[match.end():close]:
            out.append(f'<span class="handbok-external__note">{EXTERNAL_TEXT}</span>')
        pos = close
    out.append(body[pos:])
    return html[:start] + "".join(out) + html[end:]


# --- what the site search indexes -------------------------------------------------------------
# The indexer (handbok.search) reads only the elements marked data-pagefind-body; a page with none
# is not in the index at all. The hidden terms block (render.search) is inside the article.

_H1 = re.compile(r"<h1[\s>]")
_TERMS = re.compile(r'<div class="handbok-search-terms"[^>]*>')


def search_scope(html: str, scope: PageScope, weight: float | None = None) -> str:
    """Mark what the search indexes: the whole article (PAGE), its title and search terms only
    (NAME) or nothing (NONE). weight: how much the page's words count (1 = as other pages')."""
    article = _ARTICLE.search(html)
    if article is None or scope is PageScope.NONE:
        return html
    if scope is PageScope.PAGE:
        tag = _add_attr(article.group(0), "data-pagefind-body", "")
        if weight is not None:
            tag = _add_attr(tag, "data-pagefind-weight", f"{weight:g}")
        return html[:article.start()] + tag + html[article.end():]
    out, pos = [], 0
    for pattern in (_H1, _TERMS):
        match = pattern.search(html, article.end())
        if match is None:
            continue
        end = html.index(">", match.start()) + 1
        tag = _add_attr(html[match.start():end], "data-pagefind-body", "")
        if pattern is _H1:
            tag = _add_attr(tag, "data-pagefind-weight", f"{NAME_TITLE_WEIGHT:g}")
        out.append(html[pos:match.start()] + tag)
        pos = end
    return "".join(out) + html[pos:]


def no_index(html: str) -> str:
    """<meta name="robots" content="noindex"> in the head: the intranet's own search engine (a crawler
    that reads the sitemap) must not offer a superseded version as an answer either."""
    end = html.find("</head>")
    if end < 0 or 'name="robots"' in html[:end]:
        return html
    return html[:end] + '<meta name="robots" content="noindex">' + html[end:]


def shell(html: str, *, printed: str, address: str, site_url: str | None, indexed: bool = True,
          search: PageScope = PageScope.NONE, search_weight: float | None = None) -> str:
    """All of the above, in the order the adapter applies them. indexed: may the intranet's crawler
    offer the page; search: what the site's own search indexes of it."""
    if not indexed:
        html = no_index(html)
    html = search_scope(html, search, search_weight)
    html = label_task_checkboxes(html)
    html = name_search_dialog(html)
    html = name_nav_landmarks(html)
    html = add_skip_link(html)
    html = mark_external_links(html, site_url)
    return add_print_footer(html, printed, address)
