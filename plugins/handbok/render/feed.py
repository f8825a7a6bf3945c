"""Atom feed of new and changed documents ("Nytt och ändrat"), for feed readers and Outlook."""

from __future__ import annotations

from typing import Callable
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
    docs = sorted((d for d in book.documents if d.last_changed and url_of(d.path) is not None),
                  key=lambda d: (d.last_changed, d.path), reverse=True)[:limit]
    entries = []
    for doc in docs:
        link = _absolute(site_url, url_of(doc.path), feed_path)
        latest = max(doc.changes, key=lambda c: c.date) if doc.changes else None
        entries.append({
            "id": _entry_id(site_url, link, doc), "title": doc.title, "link": link,
            "updated": doc.last_changed.isoformat() + "T00:00:00Z",
            "author": doc.owner.role if doc.owner else "okänd", "category": doctypes.label(doc.type),
            "summary": latest.note if latest and latest.date == doc.last_changed else "Reviderad.",
        })
    self_link = _absolute(site_url, feed_path, feed_path)
    # Autoescaping for HTML is valid escaping for XML text and attributes too.
    return str((templates or default_templates()).render(
        "feed/atom.xml", entries=entries, self_link=self_link,
        feed_id=self_link if site_url else "urn:handbok:" + quote(feed_path, safe="/-._~"),
        title=(site_name or "Handboken") + " – nytt och ändrat",
        updated=(docs[0].last_changed if docs else book.today).isoformat() + "T00:00:00Z")) + "\n"
