"""Atom feed of new and changed documents ("Nytt och ändrat"), for feed readers and Outlook."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from handbok.core import doctypes
from handbok.core.index import Handbook
from handbok.render.links import relative_url
from handbok.render.templating import Templates, default_templates


def _absolute(site_url: str | None, url: str, feed_path: str = "") -> str:
    if not site_url:  # no site_url: relative to the feed itself, which is how readers resolve it
        return relative_url(url, feed_path)
    return site_url.rstrip("/") + "/" + url.lstrip("/")


def _entry_id(site_url: str | None, link: str, doc) -> str:
    """Atom ids must be absolute IRIs; without a site_url use a stable URN from the document key."""
    if site_url:
        return f"{link}#{doc.last_changed.isoformat()}"
    return f"urn:handbok:{quote(doc.key, safe='/-._~')}:{doc.last_changed.isoformat()}"


def atom(book: Handbook, url_of: Callable[[str], str | None], site_url: str | None, site_name: str | None,
         feed_path: str, limit: int = 50, templates: Templates | None = None) -> str:
    published = [(changed, doc.path, url, doc) for doc in book.library
                 if (changed := doc.last_changed) is not None and (url := url_of(doc.path)) is not None]
    newest = sorted(published, key=lambda item: (item[0], item[1]), reverse=True)[:limit]
    entries = []
    for changed, _, url, doc in newest:
        link = _absolute(site_url, url, feed_path)
        entries.append({
            "id": _entry_id(site_url, link, doc), "title": doc.title, "link": link,
            "updated": changed.isoformat() + "T00:00:00Z",
            "author": doc.owner.role if doc.owner else "okänd", "category": doctypes.label(doc.type),
            "summary": doc.last_change_note,
        })
    self_link = _absolute(site_url, feed_path, feed_path)
    # Autoescaping for HTML is valid escaping for XML text and attributes too.
    return str((templates or default_templates()).render(
        "feed/atom.xml", entries=entries, self_link=self_link,
        feed_id=self_link if site_url else "urn:handbok:" + quote(feed_path, safe="/-._~"),
        title=(site_name or "Handboken") + " – nytt och ändrat",
        updated=(newest[0][0] if newest else book.today).isoformat() + "T00:00:00Z")) + "\n"
