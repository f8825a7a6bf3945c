"""Build a handbook site with the real `mkdocs build` (or `properdocs build`) and read what it produced.

The one place where tests write a site project (write_site) and build it (build, build_site,
build_example): test_site*.py, test_example_handbook.py, test_browser.py and test_engines.py.
Each build is a subprocess (about 1-3 s), so modules build their fixture once (module-scoped
fixtures) and assert on the HTML files. A subprocess also keeps the engines apart: ProperDocs
rebinds `sys.modules["mkdocs"]`, so MkDocs and ProperDocs must never be imported in one process.
HTML is inspected with the standard library only (html.parser, regex).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 1)


def epoch(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH for noon UTC on `day` (the build's "today")."""
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


def build_env(today: dt.date = TODAY) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "HANDBOK_DEBUG")}
    env.update({"SOURCE_DATE_EPOCH": epoch(today), "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"})
    return env


def _registry_yaml(key: str, entries) -> str:
    items = [e if isinstance(e, dict) else {"name": e} for e in entries]
    return yaml.safe_dump({key: items}, allow_unicode=True, sort_keys=False)


DEFAULT_PLUGINS = ("search", "handbok", "macros")


def write_site(root: Path, files: dict[str, str | bytes], *, roles: list | None = None, units: list | None = None,
               options: dict | None = None, config: dict | None = None, minimal: bool = False,
               plugins: list | tuple = DEFAULT_PLUGINS) -> Path:
    """Write docs/, registry/ and mkdocs.yml below `root`; return the mkdocs.yml path.

    files: docs-relative path -> text (UTF-8) or raw bytes. roles/units: names or
    {id, name, description} dicts for the registries. options: handbok plugin options on
    top of the defaults (registries wired in, coverage off). config: extra top-level keys.
    plugins: the `plugins:` list; the entry "handbok" becomes `{handbok: <those options>}`,
    other entries are written as given (e.g. {"search": {"lang": "sv"}}).
    minimal: only `theme: material` and `plugins: [search, handbok]`, nothing else.
    """
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if minimal:
        data = {"site_name": "Minimal handbok", "theme": "material", "plugins": ["search", "handbok"]}
    else:
        plugin = {"coverage": False}
        for key, entries in (("roles", roles), ("units", units)):
            if entries is not None:
                (root / "registry").mkdir(exist_ok=True)
                (root / "registry" / f"{key}.yml").write_text(_registry_yaml(key, entries), encoding="utf-8")
                plugin[f"{key}_file"] = f"registry/{key}.yml"
        plugin.update(options or {})
        data = {"site_name": "Testhandbok", "theme": {"name": "material", "language": "sv", "font": False},
                "plugins": [{"handbok": plugin} if entry == "handbok" else entry for entry in plugins]}
    data.update(config or {})
    cfg = root / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cfg


@dataclass
class Built:
    result: subprocess.CompletedProcess
    site: Path

    @property
    def log(self) -> str:
        return self.result.stdout + self.result.stderr

    def page(self, url: str) -> str:
        """The HTML of the page at site URL `url` ('a/b/' or 'a/b/index.html')."""
        path = self.site / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


ENGINES = ("mkdocs", "properdocs")


def build(cfg: Path, site: Path | None = None, *, strict: bool = False, today: dt.date = TODAY,
          engine: str = "mkdocs") -> Built:
    """Run `python -m ENGINE build -f cfg -d site` (default: next to cfg) in cfg's folder.

    engine: "mkdocs" or "properdocs" (the MkDocs 1.x fork, same plugin API and config file).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {ENGINES}")
    site = site or cfg.parent / "site"
    cmd = [sys.executable, "-m", engine, "build", "-f", str(cfg), "-d", str(site)]
    if strict:
        cmd.append("--strict")
    result = subprocess.run(cmd, cwd=cfg.parent, env=build_env(today), capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=300)
    return Built(result, site)


_EXAMPLE_BUILDS: dict[tuple[bool, dt.date, str], Built] = {}


def build_example(tmp_path_factory, *, strict: bool = True, today: dt.date = TODAY, engine: str = "mkdocs") -> Built:
    """The example handbook (ROOT/mkdocs.yml), built once per test session for each (strict, today, engine).

    The modules that only read the built example share it; none may change its files.
    """
    key = (strict, today, engine)
    if key not in _EXAMPLE_BUILDS:
        site = tmp_path_factory.mktemp(f"example-{engine}") / "site"
        _EXAMPLE_BUILDS[key] = build(ROOT / "mkdocs.yml", site, strict=strict, today=today, engine=engine)
    return _EXAMPLE_BUILDS[key]


# A valid routine (owner Enhetschef, so the site needs roles=["Enhetschef"]) with `payload` as its
# body between two ordinary paragraphs; the hostile suites put one payload on each such page.
ROUTINE_PAGE = """---
title: Sida {name}
id: sida-{name}
type: rutin
owner: Enhetschef
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
---

Inledning till sidan.

{payload}

Sista stycket.
"""


def routine_page(name: str, payload: str) -> str:
    return ROUTINE_PAGE.format(name=name, payload=payload)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of text that contains needle."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def logged_at(log: str, path: str, line: int, code: str) -> bool:
    """Does the build log report `code` at path:line (one message, on one log line)?"""
    return re.search(rf"{re.escape(path)}:{line}: [^\n]*\[{re.escape(code)}\]", log) is not None


def checked_at(check: subprocess.CompletedProcess, code: str) -> set[tuple[str, int]]:
    """(path, line) of every `code` problem in the output of check_json."""
    return {(p["path"], p["line"]) for p in json.loads(check.stdout)["problems"] if p["code"] == code}


def build_site(root: Path, files: dict[str, str | bytes], *, strict: bool = False, today: dt.date = TODAY,
               engine: str = "mkdocs", **kwargs) -> Built:
    """write_site() + build() in one call."""
    return build(write_site(root, files, **kwargs), strict=strict, today=today, engine=engine)


def check_json(cfg: Path, today: dt.date = TODAY) -> subprocess.CompletedProcess:
    """`handbok check --format json` on the same project, with the same date."""
    return subprocess.run([sys.executable, "-m", "handbok", "check", "-f", str(cfg), "--format", "json",
                           "--today", today.isoformat()], cwd=cfg.parent, env=build_env(today),
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)


# --- reading HTML ------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    html: str  # the element's outer HTML (start tag to matching end tag)
    start: int = 0

    @property
    def text(self) -> str:
        return text_of(self.html)


class _Collector(HTMLParser):
    """Finds elements matching a tag and attribute filter, with their outer HTML."""

    def __init__(self, source: str, tag: str | None, attrs: dict[str, str | None]):
        super().__init__(convert_charrefs=True)
        self.source, self.tag, self.want = source, tag, attrs
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.open: list[tuple[str, dict, int, int]] = []  # (tag, attrs, start offset, depth)
        self.stack: list[str] = []
        self.found: list[Element] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _matches(self, tag: str, attrs: dict) -> bool:
        if self.tag is not None and tag != self.tag:
            return False
        for name, value in self.want.items():
            if name not in attrs:
                return False
            if value is not None and (attrs[name] or "") != value and value not in (attrs[name] or "").split():
                return False
        return True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        start = self._offset()
        if tag in VOID:
            if self._matches(tag, attrs):
                end = self.source.index(">", start) + 1
                self.found.append(Element(tag, attrs, self.source[start:end], start))
            return
        self.stack.append(tag)
        if self._matches(tag, attrs):
            self.open.append((tag, attrs, start, len(self.stack)))

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        if self._matches(tag, attrs):
            start = self._offset()
            end = self.source.index(">", start) + 1
            self.found.append(Element(tag, attrs, self.source[start:end], start))

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            depth = len(self.stack)
            closed = self.stack.pop()
            if self.open and self.open[-1][3] == depth:
                otag, oattrs, start, _ = self.open.pop()
                end = self.source.index(">", self._offset()) + 1 if closed == tag else self._offset()
                self.found.append(Element(otag, oattrs, self.source[start:end], start))
            if closed == tag:
                break


def find_all(html: str, tag: str | None = None, **attrs: str | None) -> list[Element]:
    """Elements by tag and attributes (attribute names with '_' for '-'; value None = present;
    a class-like value matches one of the space-separated words). Document order."""
    want = {name.replace("_", "-").rstrip("-"): value for name, value in attrs.items()}  # class_ -> class
    parser = _Collector(html, tag, want)
    parser.feed(html)
    parser.close()
    return sorted(parser.found, key=lambda e: e.start)


def search_records(site: Path, bundle: str = "handbok/sok") -> dict[str, dict]:
    """What the site search indexed, page by page: Pagefind's record (its text under "content", its
    "filters" and "meta") read back from the built bundle, by site path ("a/b/")."""
    import gzip

    out = {}
    for path in (site / bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        out[data["url"].lstrip("/")] = data
    return out


def find(html: str, tag: str | None = None, **attrs: str | None) -> Element:
    found = find_all(html, tag, **attrs)
    assert found, f"no <{tag or '*'} {attrs}> in the page"
    return found[0]


def content(html: str) -> str:
    """The page's main article (Material's <article class="md-content__inner ...">)."""
    return find(html, "article").html


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    """Visible text with entities decoded and whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every <a href> in the fragment."""
    return [(e.attrs.get("href") or "", e.text) for e in find_all(html, "a", href=None)]


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and ({"stylesheet", "preload", "preconnect", "icon", "modulepreload"}
                                                     & set(rel)):
            self.urls.append(attrs["href"])

    handle_startendtag = handle_starttag


def asset_urls(html: str) -> list[str]:
    """URLs the browser loads by itself: script/img src, stylesheet/preload/icon link href."""
    parser = _Assets()
    parser.feed(html)
    parser.close()
    return parser.urls


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def off_site_assets(site: Path) -> list[str]:
    """Every asset URL in the built site that points at another host ('file: url')."""
    bad = []
    remote = re.compile(r"^(https?:)?//", re.IGNORECASE)
    for page in sorted(site.rglob("*.html")):
        for url in asset_urls(page.read_text(encoding="utf-8")):
            if remote.match(url):
                bad.append(f"{page.relative_to(site)}: {url}")
    for sheet in sorted((site / "assets").rglob("*.css")):
        for url in css_urls(sheet.read_text(encoding="utf-8", errors="replace")):
            if remote.match(url):
                bad.append(f"{sheet.relative_to(site)}: {url}")
    return bad


def resolve(page_url: str, href: str) -> str:
    """Site-relative URL that `href` on the page at `page_url` ('a/b/') points at."""
    path = href.split("#", 1)[0]
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join(base, path))
    return "" if joined == "." else joined + ("/" if path.endswith("/") else "")


def section(html: str, heading_id: str) -> str:
    """The HTML from the heading with `heading_id` up to the next heading of the same level."""
    match = re.search(rf'<(h[1-6])[^>]*\bid="{re.escape(heading_id)}"', html)
    assert match, f"no heading with id {heading_id!r}"
    level = match.group(1)
    end = re.compile(rf"<{level}[\s>]|</article>").search(html, match.end())
    return html[match.start():end.start() if end else len(html)]


def panel_rows(html: str) -> dict[str, Element]:
    """The metadata panel as label -> <dd> element."""
    panel = find(html, "section", class_="handbok-meta")
    rows = {}
    for row in find_all(panel.html, "div", class_="handbok-meta__row"):
        rows[find(row.html, "dt").text] = find(row.html, "dd")
    return rows
