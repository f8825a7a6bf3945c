"""Atom feed of new and changed documents ("Nytt och ändrat"), for feed readers and Outlook."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote
from xml.sax.saxutils import escape

from handbok.render.links import relative_url

from handbok.core.index import Handbook
from handbok.core import doctypes


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
         feed_path: str, limit: int = 50) -> str:
    docs = sorted((d for d in book.documents if d.last_changed and url_of(d.path) is not None),
                  key=lambda d: (d.last_changed, d.path), reverse=True)[:limit]
    updated = (docs[0].last_changed if docs else book.today).isoformat() + "T00:00:00Z"
    entries = []
    for doc in docs:
        link = _absolute(site_url, url_of(doc.path), feed_path)
        latest = max(doc.changes, key=lambda c: c.date) if doc.changes else None
        note = latest.note if latest and latest.date == doc.last_changed else "Reviderad."
        owner = doc.owner.role if doc.owner else "okänd"
        entries.append(
            "<entry>"
            f"<id>{escape(_entry_id(site_url, link, doc))}</id>"
            f"<title>{escape(doc.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{escape(link, {chr(34): "&quot;"})}"/>'
            f"<updated>{doc.last_changed.isoformat()}T00:00:00Z</updated>"
            f"<author><name>{escape(owner)}</name></author>"
            f"<category term=\"{escape(doctypes.label(doc.type), {chr(34): '&quot;'})}\"/>"
            f"<summary>{escape(note)}</summary>"
            "</entry>")
    self_link = _absolute(site_url, feed_path, feed_path)
    feed_id = self_link if site_url else "urn:handbok:" + quote(feed_path, safe="/-._~")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">'
            f"<id>{escape(feed_id)}</id><title>{escape((site_name or 'Handboken') + ' – nytt och ändrat')}</title>"
            f'<link rel="self" href="{escape(self_link, {chr(34): "&quot;"})}"/>'
            f"<updated>{updated}</updated>{''.join(entries)}</feed>\n")
