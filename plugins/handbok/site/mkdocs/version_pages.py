"""MkDocs side of the version history: the pages of superseded versions and of the changes between them.

Each superseded adopted version of a document is one more page *beside the document*
(``orosanmalan-version-2.md``), so that the old text's relative links and images resolve as they did;
a link to a page that no longer exists is kept as text (MkDocs would warn and a strict build fail).
The page of changes is ``orosanmalan-versioner.md``. None of them is in the navigation or the search
index: a reader must not take a superseded version for the one in force.
"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Callable

from mkdocs.structure.files import File, Files, InclusionLevel

from handbok.core.index import Handbook
from handbok.core.model import STATUS_DRAFT, Document
from handbok.core.text import ascii_name, unlink_pages
from handbok.core.versions import DocumentHistory, Version
from handbok.render import versions as render
from handbok.render.document import CHANGE_LOG_ANCHOR
from handbok.render.links import Links
from handbok.render.templating import Fragment, Templates
from handbok.source import git_history

log = logging.getLogger("mkdocs.plugins.handbok")

class VersionPages:
    """The histories of one build and the pages made from them."""

    def __init__(self, book: Handbook, templates: Templates):
        self.book = book
        self.templates = templates
        self.histories: dict[str, DocumentHistory] = {}
        self.version_pages: dict[str, tuple[Document, Version]] = {}  # src_uri -> its document and version
        self.history_pages: dict[str, Document] = {}  # src_uri -> the document whose changes it shows
        self._uri_of: dict[tuple[str, str], str] = {}  # (document path, version label) -> src_uri

    def read(self) -> None:
        """The histories from git, once per build; says once why there are none."""
        self.histories, notice = git_history.document_histories(self.book)
        if notice:
            log.info(f"handbok: {notice}")

    @staticmethod
    def _stem(doc: Document) -> str:
        return doc.path.rsplit(".", 1)[0]

    def history_uri(self, doc: Document) -> str | None:
        uri = f"{self._stem(doc)}-versioner.md"
        return uri if uri in self.history_pages else None

    def add_files(self, files: Files, config) -> None:
        """A page for every superseded version and for every document's changes, outside the navigation."""
        self.version_pages, self.history_pages, self._uri_of = {}, {}, {}
        for path, history in sorted(self.histories.items()):
            doc = self.book.by_path(path)
            if doc is None:
                continue
            stem = self._stem(doc)
            # The version in force gets a page too while the document's own page shows a draft of the next.
            paged = history.superseded + ([history.current] if history.current and doc.status == STATUS_DRAFT
                                          else [])
            for version in paged:
                uri = f"{stem}-version-{ascii_name(version.label) or 'x'}.md"
                if version.withheld or files.get_file_from_path(uri) is not None:
                    continue
                state = "gällande" if version is history.current else "upphävd"
                title = f"{doc.title} – version {version.label} ({state})"
                body = self._keep_links(version.source.body, doc.path, files)
                files.append(File.generated(config, uri, content=self._stub(title) + body,
                                            inclusion=InclusionLevel.NOT_IN_NAV))
                self.version_pages[uri] = (doc, version)
                self._uri_of[(doc.path, version.label)] = uri
            if len(history.versions) > 1:
                uri = f"{stem}-versioner.md"
                if files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, content=self._stub(f"Versionshistorik – {doc.title}"),
                                                inclusion=InclusionLevel.NOT_IN_NAV))
                    self.history_pages[uri] = doc

    @staticmethod
    def _stub(title: str) -> str:
        # render_macros: false – an old text's template code does not run against today's handbook.
        return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nrender_macros: false\n"
                "search:\n  exclude: true\n---\n\n")

    @staticmethod
    def _keep_links(body: str, path: str, files: Files) -> str:
        """The old text with links to pages that are gone turned into their text."""
        folder = posixpath.dirname(path)

        def exists(target: str) -> bool:
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            return files.get_file_from_path(resolved) is not None

        return unlink_pages(body, exists)

    def is_outside_search(self, src: str) -> bool:
        """A page of a version or of changes: in no search index, ours or a crawler's."""
        return src in self.version_pages or src in self.history_pages

    def document_of(self, src: str) -> Document | None:
        """The document a version's page is a version of (None for every other page)."""
        found = self.version_pages.get(src)
        return found[0] if found is not None else None

    # --- what the pages show -------------------------------------------------------------------

    def _href(self, links: Links, doc: Document) -> Callable[[Version], str | None]:
        return lambda version: (links.doc(self._uri_of[(doc.path, version.label)])
                                if (doc.path, version.label) in self._uri_of else None)

    def section(self, doc: Document, links: Links) -> Fragment | None:
        """The "Versioner" part of the document's own page."""
        history = self.histories.get(doc.path)
        if history is None:
            return None
        history_uri = self.history_uri(doc)
        return render.section(self.templates, links, history, self._href(links, doc),
                              links.doc(history_uri) if history_uri else None, self.book.settings.version_authors)

    def with_section(self, doc: Document, links: Links, bottom: list[Fragment | None]) -> list[Fragment | None]:
        """The end of the document's page with "Versioner" last; the author's change log is left out when
        every entry in it is the note of a version (the table says the same, with the decisions)."""
        section = self.section(doc, links)
        if section is None:
            return bottom
        history = self.histories[doc.path]
        if history.shows_all([change.note for change in doc.changes]):
            bottom = [f for f in bottom if f is None or f.heading is None or f.heading.anchor != CHANGE_LOG_ANCHOR]
        return [*bottom, section]

    def top(self, src: str, links: Links) -> Fragment | None:
        """The banner and metadata of a superseded version's page."""
        doc, version = self.version_pages[src]
        history = self.histories[doc.path]
        history_uri = self.history_uri(doc)
        history_href = links.doc(history_uri) if history_uri else None
        if history_href and version is not history.versions[0]:
            history_href += "#" + render.anchor(version)
        return render.version_top(self.templates, links, doc, history, version, links.doc(doc.path), history_href)

    def history(self, src: str, links: Links) -> list[Fragment | None]:
        doc = self.history_pages[src]
        return render.history_page(self.templates, links, doc, self.histories[doc.path], self._href(links, doc),
                                   self.book.settings.version_authors)
