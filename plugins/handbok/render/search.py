"""The site search's part of a page: the hidden block of search terms, filters and result facts.

The block (templates/search/terms.html) goes at the end of the page's text; which part of the
page the indexer reads is the page shell's (render.page_shell.search_scope).
"""

from __future__ import annotations

from handbok.core.search import TERMS_MARK, SearchEntry
from handbok.render.templating import Fragment, Templates


def terms(templates: Templates, entry: SearchEntry) -> Fragment | None:
    return templates.fragment("search/terms.html", entry=entry, mark=TERMS_MARK, weight=f"{entry.terms_weight:g}")
