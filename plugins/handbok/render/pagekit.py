"""What every generated page is made of: the context a builder gets, the page record, one part.

Shared by the overview pages (overviews.py), the evidence library (evidence.py) and the pages of
the quality work (quality_pages.py), so that none of them has to import another to build a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from handbok.core.index import Handbook
from handbok.core.text import sv_key
from handbok.render.links import Links
from handbok.render.templating import Fragment, Heading, Templates, default_templates

Page = list[Fragment | None]


@dataclass
class PageContext:
    book: Handbook
    links: Links
    unit_url: Callable[[str], str | None]  # unit id -> site-relative URL of its start page
    page_url: Callable[[str], str]  # generated page key -> site-relative URL
    feed_url: str | None = None
    generated_url: Callable[[str], str | None] = lambda path: None  # path below the generated dir -> URL
    templates: Templates = field(default_factory=default_templates)
    calendar_url: str | None = None  # site-relative path of the årshjul's .ics file


@dataclass(frozen=True)
class GeneratedPage:
    key: str
    path: str  # relative to the generated dir
    title: str
    description: str
    build: Callable[[PageContext], Page]
    also: tuple[str, ...] = ()  # other names staff search the page by (core.search.page_entry)


def part(ctx: PageContext, name: str, heading: Heading | None = None, **data: object) -> Fragment | None:
    """One part of a page from templates/<name>.html, with links relative to the page."""
    return ctx.templates.fragment(f"{name}.html", heading, links=ctx.links, **data)


def distinct(values: Iterable[str]) -> list[str]:
    """The different non-empty values in Swedish order: the options of a filter."""
    return sorted({v for v in values if v}, key=sv_key)
