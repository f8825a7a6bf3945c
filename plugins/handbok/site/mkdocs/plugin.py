"""MkDocs adapter: a thin layer that feeds MkDocs from the handbook index.

All rules live in handbok.core, all HTML comes from handbok.render's templates; this class
only translates MkDocs events into calls to them. Moving to another site engine means
writing another adapter like this one.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as _html
import json
import logging
import posixpath
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.toc import AnchorLink

from handbok.core import doctypes, index, quality, search
from handbok.core.dates import DateError, resolve_today
from handbok.core.model import REPEALED
from handbok.core.settings import ConfigError, Settings, settings_from_options
from handbok.core.text import sv_key
from handbok.render import feed, page_shell, sanitize
from handbok.render import overviews as pages
from handbok.render import search as render_search
from handbok.render.document import LEADING_H1, DocumentParts, link_citations
from handbok.render.links import Links
from handbok.render.sandbox import (
    STANDARD_FILTERS,
    STANDARD_MACROS,
    STANDARD_MACROS_KEPT,
    MacroSandbox,
    MacroSyntax,
    Rendered,
    TemplateRefused,
    body_checks,
)
from handbok.render.templating import Fragment, Permalink, TemplateProblem, Templates, headings, join
from handbok.site.mkdocs.config import HandbokConfig
from handbok.site.mkdocs.project import engine_settings
from handbok.site.mkdocs.version_pages import VersionPages
from handbok.source import reader

log = logging.getLogger("mkdocs.plugins.handbok")


def _theme_text(value: object) -> str:
    """Text for places where MkDocs and the theme print a value as HTML without escaping it
    (page titles, meta, table-of-contents entries). Everything we render ourselves is
    escaped by the templates instead."""
    return _html.escape("" if value is None else str(value), quote=True)


def _add_to_toc(page, entries: list[tuple[int, str, str]], at_start: bool) -> None:
    """Our headings in the page's table of contents, nested like MkDocs nests its own.

    entries: (level, title as HTML, anchor)."""
    if not entries:
        return
    items = page.toc.items if hasattr(page.toc, "items") else page.toc
    if len(items) == 1 and items[0].level == 1:  # an author's H1 holds the rest
        items = items[0].children
    links: list[AnchorLink] = []
    for level, title, anchor in entries:
        link = AnchorLink(title, anchor, level)
        if links and level > links[-1].level:
            links[-1].children.append(link)
        else:
            links.append(link)
    if at_start:
        items[0:0] = links
    else:
        items.extend(links)


def _holds(item, prefix: str) -> bool:
    """Is this nav item a section with pages whose source path starts with prefix?"""
    return isinstance(item, Section) and any(
        getattr(child, "file", None) is not None and child.file.src_uri.startswith(prefix)  # type: ignore[attr-defined]
        for child in item.children)


def _page_uri(item) -> str | None:
    """The source path of a nav item that is a page (None for sections and links)."""
    file = getattr(item, "file", None)
    return file.src_uri if file is not None and not isinstance(item, Section) else None


def _is_index(uri: str | None) -> bool:
    """Is this the index page of its folder (a section's own page with navigation.indexes)?"""
    return (uri or "").rsplit("/", 1)[-1] in ("index.md", "README.md")


# A unit's type folders in the order its start page lists them (Processer, Riktlinjer, Rutiner, Checklistor …).
_TYPE_FOLDER_ORDER = {t.folder: n for n, t in enumerate(doctypes.in_group_order(set(doctypes.BUILTIN_NAMES)))}


def _unit_child_order(child) -> tuple[int, int]:
    """Sort key in a unit's section: its index page, then the type folders, then the rest."""
    if _is_index(_page_uri(child)):
        return (0, 0)
    child_uris = _page_uris(child) if isinstance(child, Section) else []
    sub = child_uris[0].split("/")[1] if child_uris and child_uris[0].count("/") > 1 else None
    return (1, _TYPE_FOLDER_ORDER[sub]) if sub in _TYPE_FOLDER_ORDER else (2, 0)


def _page_uris(section) -> list[str]:
    """The source paths of every page in a section, nested sections included."""
    found: list[str] = []
    for child in section.children:
        if isinstance(child, Section):
            found.extend(_page_uris(child))
        elif _page_uri(child):
            found.append(_page_uri(child))  # type: ignore[arg-type]
    return found


ASSETS = ("handbok.css", "handbok.js")
SEARCH_ASSETS = ("handbok-search.js",)
SEARCH_BUNDLE = "sok"  # below the generated dir: the search index (handbok.search)
OVERRIDES = Path(__file__).parent / "overrides"  # the theme partials of our search box
CALENDAR = "arshjul.ics"  # below the generated dir


class HandbokPlugin(BasePlugin[HandbokConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.book: index.Handbook | None = None
        self.settings: Settings | None = None
        self.today: dt.date | None = None
        self.generated: dict[str, Callable] = {}  # src_uri -> builder(PageContext) of its content
        self.urls: dict[str, str] = {}
        self.owner_pages: dict[str, str] = {}  # owner role -> src_uri of the owner's generated page
        self.unit_pages: dict[str, str] = {}  # unit id -> src_uri of the unit's start page (site shell)
        self.generated_titles: dict[str, str] = {}  # src_uri -> title of a generated page (site shell: nav)
        self.generated_names: dict[str, tuple[str, ...]] = {}  # src_uri -> other names of it, for the search
        self.templates: Templates | None = None
        self.versions: VersionPages | None = None  # the version history from git (on_files)
        self._page = None
        # Template code in pages runs in our sandbox, and only with mkdocs-macros enabled (as before).
        self.macro_syntax: MacroSyntax | None = None
        self.sandbox: MacroSandbox | None = None
        self._macro_html: dict[str, Rendered] = {}  # src_uri -> the macros' HTML, until the page is converted

    # What on_config and on_files set up; a handler that runs later may rely on it.

    @property
    def options(self) -> Settings:
        assert self.settings is not None, "on_config has not run"
        return self.settings

    @property
    def build_day(self) -> dt.date:
        assert self.today is not None, "on_config has not run"
        return self.today

    @property
    def template_set(self) -> Templates:
        assert self.templates is not None, "on_config has not run"
        return self.templates

    @property
    def handbook(self) -> index.Handbook:
        assert self.book is not None, "on_files has not run"
        return self.book

    # --- configuration ------------------------------------------------------------------

    @event_priority(100)  # first: every later handler, ours and other plugins', relies on these settings
    def on_config(self, config):
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        try:
            self.settings = engine_settings(settings_from_options(dict(self.config), base))
            self.today = resolve_today(None)
        except (ConfigError, DateError) as exc:
            raise PluginError(f"handbok: {exc}") from None
        override = self.settings.resolve(self.settings.templates_dir)
        if override is not None and not override.is_dir():
            raise PluginError(f"handbok: mallmappen ”{self.settings.templates_dir}” (templates_dir) finns inte")
        self.templates = Templates(override)
        if self.settings.search:
            self._take_over_search(config)
        for asset in self._assets():
            target = f"assets/handbok/{asset}"
            bucket = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if target not in [str(x) for x in bucket]:
                bucket.append(target)
        # Material loads Google Fonts unless told not to: an intranet handbook must not fetch
        # anything from another host (and doing so hands visitors' addresses to Google).
        if getattr(config.theme, "name", None) == "material" and config.theme.get("font"):
            log.info("handbok: Materials typsnitt från Google Fonts används inte (sätt font: false i mkdocs.yml)")
            config.theme["font"] = False
        # Site shell: no "Made with Material for MkDocs" (English, and about the tool) in the footer,
        # unless the site has said otherwise in extra.generator.
        if config.extra is not None and "generator" not in config.extra:
            config.extra["generator"] = False
        # Kept from when our parts went through Markdown as `## Rubrik {#id}`: pages may rely on it since.
        if not {"attr_list", "markdown.extensions.attr_list"} & set(map(str, config.markdown_extensions)):
            config.markdown_extensions.append("attr_list")
        macros = config.plugins.get("macros")
        self.macro_syntax = MacroSyntax.from_options(dict(macros.config), base) if macros is not None else None
        return config

    def _assets(self) -> tuple[str, ...]:
        return ASSETS + (SEARCH_ASSETS if self.options.search else ())

    @staticmethod
    def _take_over_search(config) -> None:
        """Our search in the theme's header (overrides/partials), in place of Material's: its plugin,
        if listed, is turned off so that it builds no index that nothing reads."""
        if getattr(config.theme, "name", None) == "material":
            dirs = config.theme.dirs
            custom = config.theme.custom_dir
            # After the site's own custom_dir (it may override our partials too), before the theme's.
            at = 1 if custom and dirs and Path(dirs[0]) == Path(custom) else 0
            if str(OVERRIDES) not in map(str, dirs):
                dirs.insert(at, str(OVERRIDES))
        material = config.plugins.get("material/search") or config.plugins.get("search")
        if material is not None and "enabled" in material.config:
            material.config["enabled"] = False

    def _make_sandbox(self, config) -> MacroSandbox | None:
        """The sandbox with our macros, and the site's own from mkdocs-macros modules (main.py):
        those are the administrator's code, and what mkdocs-macros itself offers is left out."""
        macros = config.plugins.get("macros")
        if macros is None or self.macro_syntax is None:
            return None
        from handbok.site.mkdocs import macros as handbok_macros

        site_macros = {name: fn for name, fn in dict(getattr(macros, "macros", {}) or {}).items()
                       if name not in STANDARD_MACROS or name in STANDARD_MACROS_KEPT}
        site_filters = {name: fn for name, fn in dict(getattr(macros, "filters", {}) or {}).items()
                        if name not in STANDARD_FILTERS}
        return MacroSandbox(self.macro_syntax, html_macros=handbok_macros.make(self), macros=site_macros,
                            filters=site_filters, variables=dict(getattr(macros, "variables", {}) or {}))

    # --- the index and the virtual files --------------------------------------------------

    def on_files(self, files: Files, config):
        docs_dir = Path(config.docs_dir)
        try:
            self.book = reader.load(docs_dir, self.options, self.build_day, checks=body_checks(self.macro_syntax))
        except ConfigError as exc:
            raise PluginError(f"handbok: {exc}") from None
        for problem in self.handbook.problems:
            where = f"{problem.path}:{problem.line}" if problem.path and problem.line else (problem.path or "handboken")
            if problem.blocks_build:  # which codes fail `mkdocs build --strict`: CODES in core/problems.py
                log.warning(f"{where}: {problem.message} [{problem.code}]")
            else:
                log.info(f"{where}: {problem.message} [{problem.code}]")
        self._replace_unreadable(files, config)
        self._remove_unsafe_files(files, config)
        try:
            self._add_generated(files, config)
        except TemplateProblem as exc:
            raise PluginError(f"handbok: {exc}") from None
        self.versions = VersionPages(self.handbook, self.template_set)
        if self.options.version_history:
            self.versions.read()
        self.versions.add_files(files, config)
        for asset in self._assets():
            source = resources.files("handbok.site.mkdocs").joinpath(f"assets/{asset}")
            files.append(File.generated(config, f"assets/handbok/{asset}", content=source.read_bytes()))
        self.urls = {f.src_uri: f.url for f in files if f.is_documentation_page() or f.src_uri.endswith(".pdf")}
        self.sandbox = self._make_sandbox(config)  # after on_config: mkdocs-macros has loaded the site's modules
        return files

    def _replace_unreadable(self, files: Files, config) -> None:
        """A file that is not UTF-8 would stop the whole build; show a notice page in its place."""
        for doc in self.handbook.documents:
            if doc.source.text is None:
                old = files.get_file_from_path(doc.path)
                if old is not None:
                    files.remove(old)
                notice = (f"---\ntitle: {json.dumps(doc.title)}\n---\n\n!!! failure \"Dokumentet kan inte visas\"\n\n"
                          "    Filen är inte sparad som UTF-8. Dokumentägaren behöver spara om den med rätt "
                          "teckenkodning.\n")
                files.append(File.generated(config, doc.path, content=notice))

    def _remove_unsafe_files(self, files: Files, config) -> None:
        """MkDocs copies every other file of docs_dir into the site: leave out those the attachment
        rules refuse (core.attachments), so that no HTML, script or program is served as the handbook.
        Only the authors' files: the theme's, ours and those the administrator names in mkdocs.yml stay."""
        from handbok.core import attachments
        from handbok.source.files import DocsFiles

        docs_dir = Path(config.docs_dir).resolve()
        named = [*config.extra_css, *config.extra_javascript, *(config.extra_templates or []),
                 config.theme.get("favicon"), config.theme.get("logo"), *(f"assets/handbok/{a}" for a in ASSETS)]
        admin = {path for path in map(attachments.admin_path, filter(None, named)) if path}
        rules = index.attachment_rules(self.options)
        disk = DocsFiles(docs_dir)
        for file in sorted(files, key=lambda f: f.src_uri):  # sorted: the same log on every build
            if file.generated_by is not None or file.src_dir is None or file.is_documentation_page() \
                    or Path(file.src_dir).resolve() != docs_dir:
                continue
            reason = attachments.published_refusal(file.src_uri, rules, disk, admin)
            if reason is None:
                continue
            files.remove(file)
            message = f"handbok: {file.src_uri} tas inte med på webbplatsen. {reason[0].upper()}{reason[1:]} " \
                      f"[{attachments.CODE}]"
            # A file MkDocs would not have published anyway (exclude_docs, drafts) is only mentioned.
            (log.warning if file.inclusion.is_included() else log.info)(message)

    def _calendar_uri(self) -> str | None:
        uri = self._gen_uri(CALENDAR)
        return uri if quality.all_events(self.handbook) else None  # the handbook has an årshjul

    def _gen_uri(self, path: str) -> str:
        return posixpath.join(self.options.generated_dir.strip("/"), path)

    def _add_generated(self, files: Files, config) -> None:
        self.generated = {}
        self.generated_titles = {}
        self.generated_names = {}

        def add(src_uri: str, title: str, builder, names: tuple[str, ...] = ()) -> None:
            if files.get_file_from_path(src_uri) is not None:
                log.info(f"handbok: {src_uri} finns redan i handboken; den genererade sidan hoppas över")
                return
            stub = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
            files.append(File.generated(config, src_uri, content=stub))
            self.generated[src_uri] = builder
            self.generated_titles[src_uri] = title
            self.generated_names[src_uri] = names

        for page in pages.PAGES:
            add(self._gen_uri(page.path), page.title, page.build, (page.description, *page.also))
        # Site shell: a unit whose top-level folder has no index.md of its own gets its start page
        # there, so that the folder's section in the navigation opens on it (navigation.indexes);
        # the old address below the generated dir keeps a redirect. Other units keep enheter/<id>.
        self.unit_pages = {}
        folders = {f.src_uri.split("/", 1)[0] for f in files if "/" in f.src_uri and f.is_documentation_page()}
        for unit_id, name, _ in pages.units_of(self.handbook):
            build_unit = functools.partial(pages.build_unit, unit_id=unit_id)
            old_uri = self._gen_uri(f"enheter/{unit_id}.md")
            own_uri = f"{unit_id}/index.md"
            if unit_id in folders and files.get_file_from_path(own_uri) is None and own_uri != old_uri:
                add(own_uri, name, build_unit)
                self.unit_pages[unit_id] = own_uri
                self._add_redirect(files, config, old_uri, own_uri, name)
            else:
                add(old_uri, name, build_unit)
                self.unit_pages[unit_id] = old_uri
        self.owner_pages = {}
        for slug, owner in pages.owner_pages(self.handbook):
            add(self._gen_uri(f"dokumentagare/{slug}.md"), owner, functools.partial(pages.build_owner, owner=owner),
                ("dokumentägare",))
            self.owner_pages[owner] = self._gen_uri(f"dokumentagare/{slug}.md")
        for slug, role in pages.role_pages(self.handbook):
            add(self._gen_uri(f"ansvar-per-roll/{slug}.md"), role, functools.partial(pages.build_role, role=role))
        self._add_goal_and_report_pages(add)
        from handbok.render import evidence as pages_evidence

        for path, title, builder in pages_evidence.pages(self.handbook):
            add(posixpath.join(self.options.evidence_dir.strip("/"), path), title, builder)
        # Feed and machine-readable index need final URLs: build them from the file list.
        urls = {f.src_uri: f.url for f in files if f.is_documentation_page()}
        feed_uri = self._gen_uri("nytt.xml")
        files.append(File.generated(config, feed_uri, content=feed.atom(
            self.handbook, urls.get, config.site_url, config.site_name, feed_uri, templates=self.template_set)))
        from handbok.reminders import quality_work
        from handbok.render import sitejson

        if self._calendar_uri():  # the årshjul as a calendar staff can subscribe to
            site_url = (config.site_url or "").rstrip("/") + "/" if config.site_url else None
            files.append(File.generated(config, self._gen_uri(CALENDAR), content=quality_work.year_ics(
                self.handbook, lambda path: site_url + urls[path] if site_url and path in urls else None)))
        files.append(File.generated(config, "handbok.json", content=json.dumps(
            sitejson.site_json(self.handbook, urls.get, config.site_url), ensure_ascii=False, indent=1)))

    def _add_goal_and_report_pages(self, add: Callable) -> None:
        """Mål och resultat per unit that a goal names, and a kvalitetsberättelse per year with quality work."""
        from handbok.core.quality_report import report_years
        from handbok.render import quality_pages, quality_report

        for unit_id, name in quality_pages.goal_units(self.handbook):
            add(self._gen_uri(f"mal/{unit_id}.md"), f"Mål och resultat – {name}",
                functools.partial(quality_pages.build_goals_unit, unit_id=unit_id, name=name))
        years = report_years(self.handbook)
        if years:
            folder = quality_report.REPORT_DIR
            add(self._gen_uri(f"{folder}/index.md"), "Kvalitetsberättelser", quality_report.index_page)
            for year in years:
                add(self._gen_uri(f"{folder}/{year}.md"), f"Kvalitetsberättelse {year}",
                    functools.partial(quality_report.site_page, year=year))

    def _add_redirect(self, files: Files, config, old_uri: str, new_uri: str, title: str) -> None:
        """Site shell: a plain page at the address old_uri's page would have had, leading to new_uri's
        (not a page of the site: outside the navigation, the search index and the sitemap)."""
        use_dirs = config.use_directory_urls
        old = File(old_uri, None, str(config.site_dir), use_dirs)
        new = File(new_uri, None, str(config.site_dir), use_dirs)
        if files.get_file_from_path(old.dest_uri) is not None:
            return
        base = posixpath.dirname(old.url) if not old.url.endswith("/") else old.url.rstrip("/")
        href = posixpath.relpath(new.url or ".", base or ".")
        if new.url.endswith("/") and not href.endswith("/"):
            href += "/"
        content = str(self.template_set.render("shell/redirect.html", title=title, href=href))
        files.append(File.generated(config, old.dest_uri, content=content))

    # --- navigation -------------------------------------------------------------------

    def on_nav(self, nav, config, files):
        """Site shell: Swedish section titles and the order of the menu.

        Our generated section is "Översikter", the evidence library's "Evidensbibliotek". Without an
        explicit `nav:` in mkdocs.yml, the other sections get their titles from the unit registry, the
        document types and their index pages, and the menu is ordered: start page, the content in
        Swedish alphabetical order, Evidensbibliotek, Översikter, Arkiv last."""
        generated_dir = self.options.generated_dir.strip("/")
        evidence_dir = self.options.evidence_dir.strip("/")
        overviews = next((item for item in nav.items if _holds(item, generated_dir + "/")), None)
        evidence = next((item for item in nav.items if _holds(item, evidence_dir + "/")), None)
        if overviews is not None:
            overviews.title = "Översikter"
        if evidence is not None:
            evidence.title = "Evidensbibliotek"
            for child in evidence.children:  # pages_evidence's area pages live in omraden/
                if _holds(child, evidence_dir + "/omraden/"):
                    child.title = "Verksamhetsområden"
        if config.nav or self.book is None:  # the administrator's own menu: titles and order as written
            return nav
        units = {unit_id: name for unit_id, name, _ in pages.units_of(self.handbook)}
        for item in nav.items:
            if item is not overviews and item is not evidence:
                self._title_sections(item, 0, units)
        for child in overviews.children if overviews is not None else []:  # "Per dokumentägare", "Enheter" …
            self._title_sections(child, 1, units)
        start = [item for item in nav.items if _page_uri(item) in ("index.md", "README.md")][:1]
        archive = [item for item in nav.items if item not in start and self._is_archive(item)]
        last = [item for item in (evidence, overviews) if item is not None]
        content = [item for item in nav.items if item not in start and item not in archive and item not in last]
        content.sort(key=lambda item: sv_key(_html.unescape(self._nav_title(item))))
        nav.items[:] = start + content + last + archive
        return nav

    def _nav_title(self, item) -> str:
        """The title a nav item shows (pages have none yet when the nav is built)."""
        if isinstance(item, Section):
            return str(item.title or "")
        uri = _page_uri(item)
        return str(getattr(item, "title", None) or (self._source_title(uri) if uri else "") or uri or "")

    def _source_title(self, uri: str) -> str | None:
        if uri in self.generated_titles:
            return self.generated_titles[uri]
        doc = self.handbook.by_path(uri)
        if doc is not None:
            return doc.title
        source = next((s for s in self.handbook.others if s.path == uri), None)
        if source is not None:
            title = (source.meta or {}).get("title")
            if isinstance(title, str) and title.strip():
                return title.strip()
            if source.h1 is not None:
                return source.h1[1]
        return None

    def _title_sections(self, item, depth: int, units: dict[str, str]) -> None:
        """A section's title: its unit's name (a top-level folder named by a unit id), its document
        type's plural (a folder like rutiner/ with documents of that type), its index page's title,
        or what MkDocs made of the folder name. units: unit id -> name."""
        if not isinstance(item, Section):
            return
        uris = _page_uris(item)
        folder = uris[0].split("/")[depth] if uris and uris[0].count("/") > depth else None
        types = {doc.type for doc in map(self.handbook.by_path, uris) if doc is not None}
        index_page = next((_page_uri(child) for child in item.children if _is_index(_page_uri(child))), None)
        doctype = doctypes.get(next(iter(types))) if len(types) == 1 and None not in types else None
        index_title = self._source_title(index_page) if index_page else None
        # The theme prints a section's title as HTML: our titles are text (a unit's name may hold "<").
        if depth == 0 and folder in units:
            item.title = _theme_text(units[folder])
            item.children.sort(key=_unit_child_order)  # stable: the rest keep the engine's order
        elif folder and doctype is not None and doctype.folder == folder:
            item.title = _theme_text(doctype.plural)
        elif index_title:
            item.title = _theme_text(index_title)
        for child in item.children:
            self._title_sections(child, depth + 1, units)

    def _is_archive(self, item) -> bool:
        """A section of repealed documents only, or the folder named arkiv."""
        if not isinstance(item, Section):
            return False
        uris = _page_uris(item)
        if uris and uris[0].split("/", 1)[0] == "arkiv" and all(u.startswith("arkiv/") for u in uris):
            return True
        docs = [self.handbook.by_path(uri) for uri in uris]
        return bool(docs) and all(doc is not None and doc.state == REPEALED for doc in docs)

    # --- pages ------------------------------------------------------------------------------
    # The public interface that macros (and other adapters' helpers) use.

    def links_for(self, page_url: str) -> Links:
        """Links relative to the page at site-relative URL page_url."""
        return Links(self.urls.get, page_url, self.owner_pages.get)

    def unit_url(self, unit_id: str) -> str | None:
        """Site-relative URL of a unit's start page."""
        return self.urls.get(self.unit_pages.get(unit_id) or self._gen_uri(f"enheter/{unit_id}.md"))

    def current_page_url(self) -> str:
        """URL of the page being rendered ('' before the first page)."""
        return self._page.url if self._page is not None else ""

    def document_parts(self, page_url: str) -> DocumentParts:
        return DocumentParts(self.handbook, self.links_for(page_url), self.unit_url, self.template_set)

    def page_url(self, key: str) -> str | None:
        """Site-relative URL of the generated page with this key (overviews.PAGES), None when the site has none."""
        path = next((p.path for p in pages.PAGES if p.key == key), None)
        return self.urls.get(self._gen_uri(path)) if path is not None else None

    def evidence_url(self) -> str | None:
        """Site-relative URL of the evidence library's start page."""
        return self.urls.get(posixpath.join(self.options.evidence_dir.strip("/"), "index.md"))

    def _page_url_of_key(self, key: str) -> str:
        """Site-relative URL of the generated page with this key (see overviews.PAGES); every one
        of them is a page of the site, ours or the handbook's own file of the same name."""
        url = self.page_url(key)
        if url is None:
            raise KeyError(key)
        return url

    def on_pre_page(self, page, config, files):
        self._page = page
        return page

    @event_priority(50)  # before mkdocs-macros, which is then told to leave the page alone
    def _run_template_code(self, markdown, page, config, files):
        """The page's template code, run in the sandbox (render.sandbox) instead of by mkdocs-macros.
        What the check refuses was reported in on_files already: such a page is shown as written."""
        meta = page.meta
        macros = config.plugins.get("macros")
        if macros is None:  # without mkdocs-macros, template code is text (as it always was)
            return markdown
        asked = meta.get("render_macros")
        meta["render_macros"] = False  # mkdocs-macros itself never runs a page's template code
        if asked is False or self.sandbox is None or self.book is None:
            return markdown
        src = page.file.src_uri
        # mkdocs-macros's opt-in mode: only pages that ask, or that its force_render_paths name.
        forced = getattr(macros, "force_page_rendering", lambda path: False)(page.file.src_path)
        if not macros.config.get("render_by_default", True) and asked is not True and not forced:
            return markdown
        if not self.sandbox.syntax.in_text(markdown):
            return markdown
        reported = next((p for p in self.handbook.problems if p.code == "unsafe-template" and p.path == src), None)
        if reported is not None:  # logged with the other problems in on_files
            rendered = self._refused(markdown, reported.line or 1, reported.message)
        else:
            try:
                rendered = self.sandbox.render(markdown, {"title": page.title, "url": page.url, "meta": meta})
            except TemplateRefused as exc:
                first = self._body_line(src)
                for finding in exc.findings:  # a warning: `mkdocs build --strict` fails, as `handbok check` does
                    log.warning(f"{src}:{first + finding.line - 1}: {finding.message} [unsafe-template]")
                rendered = self._refused(markdown, first + exc.findings[0].line - 1, exc.findings[0].message)
        if rendered.parts:
            self._macro_html[src] = rendered
        return rendered.markdown

    def _refused(self, markdown: str, line: int, message: str) -> Rendered:
        """The page as written (nothing in it ran), with a notice to readers first."""
        notice = str(self.template_set.render("macros/refused.html", line=line, message=message))
        return Rendered.with_notice(markdown, notice)

    def _body_line(self, src: str) -> int:
        """The file line where the Markdown MkDocs hands us starts: after the front matter and the
        blank lines MkDocs strips after it."""
        doc = self.handbook.by_path(src)
        source = doc.source if doc is not None else next((s for s in self.handbook.others if s.path == src), None)
        if source is None:
            return 1
        return source.body_line + len(source.body) - len(source.body.lstrip("\n"))

    @event_priority(-50)  # after mkdocs-macros: front-matter text must never reach its template engine
    def _adapt_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        self._sanitize_meta(page)
        if self.book is None:
            return markdown
        if src in self.generated:
            # Overview pages only list what the documents say: out of the search index, except the page
            # that names them all (so "revisionsläge" still finds its way). Parsing them for search was
            # the largest part of the build time the plugin added.
            if src != self._gen_uri(pages.PAGES[0].path):
                page.meta["search"] = {"exclude": True}
            return markdown
        doc = self.handbook.by_path(src)
        if doc is not None:
            if doc.state == REPEALED:
                page.meta["search"] = {"exclude": True}
            elif doc.is_record:  # staff look for the routine first; the records of the work come after it
                page.meta["search"] = {"boost": 0.5}
            page.meta["title"] = page.title = _theme_text(doc.title)  # page.title too: mkdocs-macros may have set it
        return link_citations(markdown, self.document_parts(page.url))

    on_page_markdown = CombinedEvent(_run_template_code, _adapt_markdown)

    @staticmethod
    def _permalink(config) -> Permalink | None:
        """The toc extension's permalink setting, so that our headings match the author's."""
        toc = config.mdx_configs.get("toc") or {}
        symbol = toc.get("permalink")
        if not symbol:
            return None
        return Permalink("¶" if symbol is True else str(symbol), str(toc.get("permalink_title", "Permanent link")))

    @staticmethod
    def _toc_entries(fragments: list[Fragment | None]) -> list[tuple[int, str, str]]:
        return [(h.level, _theme_text(h.title), h.anchor) for h in headings(fragments)]

    def on_page_content(self, html, page, config, files):
        """Our parts are added to the converted HTML: they are HTML already, and passing them
        through Markdown would cost more than the rest of the build."""
        if self.book is None:
            return html
        try:
            return self._page_content(html, page, config)
        except TemplateProblem as exc:
            raise PluginError(f"handbok: {page.file.src_uri}: {exc}") from None

    def _author_html(self, html: str, page) -> str:
        """The page body as the author wrote it, cleaned (render.sanitize: only the HTML that
        core.html_policy allows, widened by html_allow; `handbok check` reports each removal as
        unsafe-html), then the HTML of the handbook's macros put back in place of their
        placeholders (render.sandbox.Rendered). The macros' HTML and our parts, added after, are
        ours and not cleaned."""
        html = sanitize.clean(html, tuple(self.options.html_allow))
        rendered = self._macro_html.pop(page.file.src_uri, None)
        return rendered.restore(html) if rendered is not None else html

    def _page_content(self, html, page, config) -> str:
        html = self._author_html(html, page)
        src = page.file.src_uri
        links = self.links_for(page.url)
        permalink = self._permalink(config)
        builder = self.generated.get(src)
        if builder is not None:
            ctx = pages.PageContext(self.handbook, links, self.unit_url, self._page_url_of_key,
                                    feed_url=self._gen_uri("nytt.xml"), calendar_url=self._calendar_uri(),
                                    generated_url=lambda path: self.urls.get(self._gen_uri(path)),
                                    templates=self.template_set)
            fragments = builder(ctx)
            _add_to_toc(page, self._toc_entries(fragments), at_start=False)
            if self.options.search:
                fragments = [*fragments, render_search.terms(self.template_set, search.page_entry(
                    self.generated_titles.get(src, ""), self.handbook.synonyms, self.generated_names.get(src, ())))]
            return html + str(join(self.template_set, fragments, permalink))  # str: Markup + str would escape the page
        versions = self.versions
        doc = self.handbook.by_path(src)
        if versions is not None and src in versions.history_pages:
            top, bottom = [], versions.history(src, links)
        elif versions is not None and src in versions.version_pages:
            top, bottom = [versions.top(src, links)], []
        elif doc is None:
            return html
        else:
            top, bottom = self.document_parts(page.url).around(doc)
            if versions is not None:
                bottom = versions.with_section(doc, links, bottom)
        _add_to_toc(page, self._toc_entries(top), at_start=True)
        _add_to_toc(page, self._toc_entries(bottom), at_start=False)
        # As str: adding a Markup and the page's HTML would escape the page.
        top_html = str(join(self.template_set, top, permalink))
        bottom_html = str(join(self.template_set, bottom, permalink))
        match = LEADING_H1.match(html)
        if match:  # the author's own H1 stays first
            return html[:match.end()] + top_html + html[match.end():] + bottom_html
        return top_html + html + bottom_html

    @staticmethod
    def _sanitize_meta(page) -> None:
        """Theme templates print page.meta values unescaped; escape strings from front matter, and
        keep our `status` away from Material's own page-status feature."""
        meta = page.meta
        if "status" in meta:
            meta["handbok_status"] = meta.pop("status")
        for key in ("title", "description", "subtitle"):
            if isinstance(meta.get(key), str):
                meta[key] = _theme_text(meta[key])
        if isinstance(meta.get("tags"), list):  # Material's search results insert tags as HTML
            meta["tags"] = [_theme_text(tag) if isinstance(tag, str) else tag for tag in meta["tags"]]
        if isinstance(meta.get("title"), str):
            # mkdocs-macros has already rendered a front-matter title into page.title (unescaped,
            # with {{ … }} evaluated); put back the escaped, literal title.
            page.title = meta["title"]

    # --- the page shell ---------------------------------------------------------------------

    def on_post_page(self, output, page, config):
        """Site shell (render.page_shell) on every page the theme rendered: names for task-list
        checkboxes, the search dialog and the navigation landmarks, a skip link, external links
        marked, and the footer of printed pages with the page's address."""
        address = page.canonical_url or page.url or page.file.dest_uri
        in_force = self.versions.document_of(page.file.src_uri) if self.versions is not None else None
        if in_force is not None and in_force.path in self.urls:  # a superseded version: the one in force
            url = self.urls[in_force.path]
            address = f"{str(config.site_url).rstrip('/')}/{url}" if config.site_url else url
        outside = self.versions is not None and self.versions.is_outside_search(page.file.src_uri)
        scope, weight = self._search_scope(page.file.src_uri, outside)
        return page_shell.shell(output, printed=self.build_day.isoformat(), address=address,
                                site_url=config.site_url, indexed=not outside, search=scope, search_weight=weight)

    def _search_scope(self, src: str, outside: bool) -> tuple[search.PageScope, float | None]:
        """What our search indexes of a page (core.search.PageScope), and the weight of its words."""
        if not self.options.search or outside or self.book is None:
            return search.PageScope.NONE, None
        if src in self.generated:
            return search.PageScope.NAME, None
        doc = self.handbook.by_path(src)
        return search.document_scope(doc), search.text_weight(doc) if doc is not None else None

    def _index_site(self, site_dir: Path) -> None:
        from handbok.search import indexer

        try:
            report = indexer.build_index(site_dir, self._gen_uri(SEARCH_BUNDLE))
        except indexer.SearchIndexError as exc:  # a warning: `mkdocs build --strict` fails, the preview goes on
            log.warning(f"handbok: sökningen fungerar inte på den här webbplatsen: {exc}")
            return
        log.info(f"handbok: {report.summary()}")

    def on_post_template(self, output_content, template_name, config):
        """The theme's 404 page is no page of the site: the same fixes, without a print footer."""
        if template_name != "404.html":
            return output_content
        html = page_shell.name_search_dialog(output_content)
        return page_shell.add_skip_link(page_shell.name_nav_landmarks(html))

    # --- after the build ------------------------------------------------------------------

    @event_priority(-100)  # last: the policy must hash the pages as other plugins leave them
    def on_post_build(self, config):
        from handbok.render import csp

        # `mkdocs serve` adds an inline live-reload script to each page it serves, new on every
        # request, so no hash can name it: the preview gets no <meta> policy. While serving, the
        # engine sets site_url to its own address on dev_addr.
        host, port = config.dev_addr
        serving = str(config.site_url or "").startswith(f"http://{host}:{port}/")
        site_dir = Path(config.site_dir)
        if self.options.search:
            self._index_site(site_dir)
        # Pagefind runs its search in WebAssembly: the policy allows compiling it ('wasm-unsafe-eval'),
        # which runs no script text, unlike 'unsafe-eval'.
        _, blocked = csp.secure_site(site_dir, meta=self.options.csp and not serving, wasm=self.options.search)
        for place in blocked:
            log.warning(f"handbok: {place} körs inte: innehållspolicyn tillåter bara webbplatsens egna "
                        "skript och stilar")
