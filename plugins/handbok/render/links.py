"""Relative links between pages, engine-agnostic. (Escaping is the templates' job.)"""

from __future__ import annotations

import posixpath
from collections.abc import Callable


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

    def __init__(self, url_of: Callable[[str], str | None], page_url: str,
                 owner_page: Callable[[str], str | None] = lambda role: None):
        self.url_of = url_of  # docs-relative source path -> site-relative URL (None if not on the site)
        self.page_url = page_url
        self.owner_page = owner_page  # owner role -> docs-relative source path of the owner's page

    def owner(self, role: str | None) -> str | None:
        """The href of the owner's own page (the generated 'Per dokumentägare' page), if there is one."""
        path = self.owner_page(role) if role else None
        return None if path is None else self.doc(path)

    def doc(self, path: str) -> str | None:
        url = self.url_of(path)
        return None if url is None else relative_url(url, self.page_url)

    def site(self, url: str) -> str:
        return relative_url(url, self.page_url)


def human_size(size: int) -> str:
    """File size in Swedish notation: '840 byte', '12 kB', '1,4 MB'."""
    if size < 1000:
        return f"{size} byte"
    if size < 1_000_000:
        return f"{round(size / 1000):d} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
