"""Rendering through Jinja2 templates with autoescape: the one place HTML is made.

Renderers hand plain data to templates; every value is escaped by Jinja2 unless it is a
`Markup`, and the only `Markup` we create is what a template returned (`Templates.render`).
A renderer returns `Fragment`s — an optional heading and an HTML body — so that the site
adapter builds the table of contents from data instead of parsing HTML back.

A site can override any template by putting a file of the same name in its own folder
(the option `templates_dir`), as Material's `custom_dir` does for theme templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from handbok.core import doctypes
from handbok.core.model import STATE_LABELS
from handbok.core.records import COUNT_LABELS
from handbok.core.text import counted, days

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Heading:
    level: int
    title: str  # plain text: escaped wherever it is shown
    anchor: str


@dataclass(frozen=True)
class Fragment:
    """One part of a page: an optional heading (for the table of contents) and its HTML body."""

    html: Markup
    heading: Heading | None = None


@dataclass(frozen=True)
class Permalink:
    """The toc extension's permalink setting, so that our headings look like the author's."""

    symbol: str
    title: str


class TemplateProblem(Exception):
    """A template (usually a site's own override) could not be rendered; the message is Swedish."""


class Templates:
    """Our template set, with a site's own folder searched first."""

    def __init__(self, override_dir: Path | None = None):
        # A plain folder loader: PackageLoader spent a tenth of a second finding the package at every build.
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(TEMPLATES_DIR))]
        if override_dir is not None:
            loaders.insert(0, jinja2.FileSystemLoader(str(override_dir)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self.env.globals.update(type_label=doctypes.label, state_label=STATE_LABELS.get, days=days,
                                count_label=COUNT_LABELS.get, counted=counted)

    def render(self, name: str, **context: object) -> Markup:
        try:
            html = self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.name or name
            raise TemplateProblem(f"mallen {where} har ett syntaxfel på rad {exc.lineno}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateProblem(f"mallen {name} kunde inte användas: {exc.message or exc}") from None
        # Autoescaped output, so safe; leading and trailing white space carries no meaning in fragments.
        return Markup(html.strip())

    def fragment(self, name: str, heading: Heading | None = None, **context: object) -> Fragment | None:
        """A fragment from a template; None when the template renders nothing (a part with no data)."""
        html = self.render(name, **context)
        return Fragment(html, heading) if html else None


_DEFAULT: Templates | None = None


def default_templates() -> Templates:
    """The package's own templates (no site overrides), shared within the process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Templates()
    return _DEFAULT


def join(templates: Templates, fragments: Iterable[Fragment | None], permalink: Permalink | None = None) -> Markup:
    """The fragments as one HTML string, each heading rendered before its body."""
    parts = []
    for fragment in fragments:
        if fragment is None:
            continue
        if fragment.heading is not None:
            parts.append(templates.render("heading.html", heading=fragment.heading, permalink=permalink))
        parts.append(fragment.html)
    return Markup("\n").join(parts)


def headings(fragments: Iterable[Fragment | None]) -> list[Heading]:
    return [f.heading for f in fragments if f is not None and f.heading is not None]
