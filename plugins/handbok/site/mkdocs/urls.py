"""Where MkDocs publishes a page: the URL shape of `use_directory_urls` (the default).

Used where there is no build to ask (the reminders of `handbok påminnelser` run from the CLI).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote


def page_url(path: str) -> str:
    """Site-relative URL of a page as MkDocs builds it with use_directory_urls:
    'a/b.md' -> 'a/b/', 'a/index.md' (or README.md) -> 'a/', 'index.md' -> ''."""
    stem, _, _ = path.rpartition(".")
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        url = f"{folder}/" if folder else ""
    else:
        url = f"{stem}/"
    return quote(url)


def absolute_url(site_url: str | None, path: str) -> str | None:
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + page_url(path)


def page_links(site_url: str | None) -> Callable[[str], str | None] | None:
    """docs-relative path -> absolute page URL on the site at site_url; None without a site_url."""
    if not site_url:
        return None
    return lambda path: absolute_url(site_url, path)
