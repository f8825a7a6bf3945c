"""Version history on the site, built with the real `mkdocs build` from a temporary git repository.

The repository (tests/githistory.py): one routine adopted three times (2024, 2025, 2026) with
editorial commits between, and a routine it linked to that was later removed.
"""

from __future__ import annotations

import subprocess

import pytest

from githistory import AUTHOR, V1, V2, V3, commit, routine, three_adoptions
from sitebuild import build, content, find, find_all, search_records, section, text_of

PAGE, HISTORY = "rutiner/oro/", "rutiner/oro-versioner/"
V1_PAGE, V2_PAGE = "rutiner/oro-version-1/", "rutiner/oro-version-2/"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return three_adoptions(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture(scope="module")
def built(repo):
    result = build(repo, strict=True)
    assert result.result.returncode == 0, result.log
    return result


def _cells(table: str) -> list[str]:
    """The body rows of a table, cells joined by " | "."""
    return [" | ".join(text_of(cell.html) for cell in find_all(row.html) if cell.tag in ("th", "td"))
            for row in find_all(table, "tr")[1:]]


def _rows(html: str) -> list[str]:
    return _cells(find(section(html, "handbok-versioner"), "table").html)


def test_the_page_lists_three_adopted_versions_newest_first(built):
    rows = _rows(built.page(PAGE))
    assert len(rows) == 3
    # The note from changes:, else the commit message.
    assert rows[0] == ("Version 3 gällande | 2026-03-01 | Socialnämnden | SN 2026/0003 | "
                       "Två socialsekreterare bedömer varje anmälan.")
    assert rows[1] == "Version 2 upphävd | 2025-02-01 | Socialnämnden | SN 2025/0007 | Skyddsbedömning samma dag."
    assert rows[2] == ("Version 1 upphävd | 2024-02-01 | Socialnämnden | SN 2024/0011 | "
                       "Orosanmälan fastställd av nämnden")


def test_superseded_versions_link_to_their_pages_and_the_current_does_not(built):
    table = find(section(built.page(PAGE), "handbok-versioner"), "table").html
    hrefs = [a.attrs["href"] for a in find_all(table, "a", href=None)]
    assert hrefs == ["../oro-version-2/", "../oro-version-1/"]


def test_editorial_changes_are_listed_folded_without_author_names(built):
    html = built.page(PAGE)
    edits = find(section(html, "handbok-versioner"), "details", class_="handbok-edits")
    text = text_of(edits.html)
    assert "Redaktionella ändringar (2)" in text
    assert "2025-06-10: Tog bort länk (efter version 2)" in text
    assert "2024-05-02: Lagt till journalens mall (efter version 1)" in text
    assert AUTHOR not in html and AUTHOR not in built.page(HISTORY) and AUTHOR not in built.page(V1_PAGE)


def test_the_diff_between_v2_and_v3_shows_the_changed_sentence(built):
    html = built.page(HISTORY)
    part = section(html, "version-3")
    assert "Version 3 jämfört med version 2" in text_of(part)
    words = find(part, "div", class_="handbok-diff").html
    inserted = " ".join(text_of(e.html) for e in find_all(words, "ins"))
    deleted = " ".join(text_of(e.html) for e in find_all(words, "del"))
    assert inserted == "[Tillagt: av två socialsekreterare]"  # "dag" and the full stop are kept
    assert "[Borttaget: Se också den andra rutinen.]" in deleted
    assert "samma dag [Tillagt: av två socialsekreterare]." in text_of(part)
    # Screen readers hear what was added and removed; the colour is not the only sign.
    assert "[Tillagt: " in inserted and "[Borttaget: " in deleted
    # Headings kept as landmarks; the changed field values in a table.
    assert "Mottagande" in text_of(part) and "Syfte" in text_of(part)
    assert _cells(find(part, "table").html) == ["Beslutsdatum | 2025-01-20 | 2026-02-20",
                                                "Diarienummer | SN 2025/0007 | SN 2026/0003",
                                                "Senast reviderad | 2025-02-01 | 2026-03-01"]


def test_the_diff_between_v1_and_v2_shows_its_own_change(built):
    words = find(section(built.page(HISTORY), "version-2"), "div", class_="handbok-diff").html
    assert [text_of(e.html) for e in find_all(words, "del")] == ["[Borttaget: inom 24 timmar]"]
    assert [text_of(e.html) for e in find_all(words, "ins")] == ["[Tillagt: samma dag]",
                                                                 "[Tillagt: Använd mallen för anteckningar.]"]


def test_superseded_versions_are_pages_marked_upphavd_with_their_own_text(built):
    for url, sentence, other in ((V1_PAGE, V1, V3), (V2_PAGE, V2, V3)):
        html = built.page(url)
        banner = find(html, "div", class_="handbok-banner--superseded")
        assert "Upphävd version – gäller inte." in text_of(banner.html)
        assert ("../oro/", "Läs den gällande versionen") in [(a.attrs["href"], a.text)
                                                             for a in find_all(banner.html, "a", href=None)]
        body = text_of(content(html))
        assert sentence in body and other not in body
        # A printout of an old version names the address of the version in force.
        assert text_of(find(html, "div", class_="handbok-print-footer").html).endswith("gällande version: rutiner/oro/")


def test_an_old_link_to_a_removed_page_is_kept_as_text(built):
    body = content(built.page(V1_PAGE))
    assert "Se också den andra rutinen." in text_of(body)
    assert "annan" not in body  # no link to a page that is gone (and no warning: the build is strict)


def test_superseded_versions_are_not_in_search_or_navigation(built):
    locations = set(search_records(built.site))
    assert PAGE in locations
    assert not {V1_PAGE, V2_PAGE, HISTORY} & locations
    # Nor in a crawler's: the intranet's own search engine reads the sitemap.
    for url in (V1_PAGE, V2_PAGE, HISTORY):
        assert find(built.page(url), "meta", name="robots").attrs["content"] == "noindex"
    assert 'name="robots"' not in built.page(PAGE)
    nav = find(built.page(PAGE), "nav", class_="md-nav--primary").html
    assert "oro-version" not in nav
    assert "oro-version" not in find(built.page(V1_PAGE), "nav", class_="md-nav--primary").html


def test_the_current_page_links_to_the_changes(built):
    part = section(built.page(PAGE), "handbok-versioner")
    assert ("../oro-versioner/", "Vad ändrades mellan versionerna") in [
        (a.attrs["href"], a.text) for a in find_all(part, "a", href=None)]


def test_a_shallow_clone_says_so_once_and_still_builds(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone)], check=True,
                   capture_output=True)
    result = build(clone / "mkdocs.yml", strict=True)
    assert result.result.returncode == 0, result.log
    assert result.log.count("grund klon (shallow clone)") == 1
    assert "fetch-depth: 0" in result.log
    assert not (result.site / "rutiner" / "oro-version-1").exists()
    assert "handbok-versioner" not in result.page(PAGE)


def test_without_a_repository_there_is_no_history_and_a_notice(tmp_path):
    from sitebuild import build_site

    result = build_site(tmp_path, {"rutiner/oro.md": routine("2026-03-01", "2026-02-20", "SN 1", V3, link=False)},
                        roles=["Enhetschef"], strict=True)
    assert result.result.returncode == 0, result.log
    assert "inte i ett git-arkiv" in result.log
    assert "handbok-versioner" not in result.page(PAGE)


def test_version_authors_opt_in_shows_names_of_editorial_changes(tmp_path):
    cfg = three_adoptions(tmp_path / "repo", options={"version_authors": True})
    result = build(cfg, strict=True)
    assert result.result.returncode == 0, result.log
    edits = find(section(result.page(PAGE), "handbok-versioner"), "details").html
    assert f"({AUTHOR})" in text_of(edits)


def test_history_can_be_switched_off(tmp_path):
    cfg = three_adoptions(tmp_path / "repo", options={"version_history": False})
    result = build(cfg, strict=True)
    assert result.result.returncode == 0, result.log
    assert "handbok-versioner" not in result.page(PAGE)
    assert not (result.site / "rutiner" / "oro-versioner").exists()


def test_an_uncommitted_revision_is_the_current_version_and_the_last_commit_superseded(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    page = cfg.parent / "docs" / "rutiner" / "oro.md"
    page.write_text(routine("2026-09-01", "2026-08-20", "SN 2026/0099", V3 + " Ny mening.", link=False),
                    encoding="utf-8")
    result = build(cfg, strict=True)
    rows = _rows(result.page(PAGE))
    assert rows[0].startswith("Version 4 gällande | 2026-09-01 |") and rows[0].endswith("Inte incheckad ännu.")
    assert (result.site / "rutiner" / "oro-version-3" / "index.html").exists()


def test_a_personnummer_in_an_old_version_is_never_published(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    root = cfg.parent
    page = root / "docs" / "rutiner" / "oro.md"
    current = page.read_text(encoding="utf-8")
    leaked = current.replace("Allt dokumenteras i journalen.", "Exempel: 19811218-9876 dokumenteras.")
    page.write_text(leaked.replace("revised: 2026-03-01", "revised: 2026-04-01"), encoding="utf-8")
    commit(root, "Ny version med exempel 811218-9876", "2026-04-01T10:00:00Z")
    page.write_text(current.replace("revised: 2026-03-01", "revised: 2026-05-01"), encoding="utf-8")
    commit(root, "Exemplet borttaget", "2026-05-01T10:00:00Z")
    result = build(cfg, strict=True)
    assert result.result.returncode == 0, result.log
    for html_file in result.site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "9876" not in text, html_file
    assert not (result.site / "rutiner" / "oro-version-4").exists()
    assert [row.split(" | ")[0] for row in _rows(result.page(PAGE))][:2] == ["Version 5 gällande", "Version 4 upphävd"]
    assert "meddelandet visas inte" in text_of(result.page(PAGE))
    assert "en av versionerna innehåller ett personnummer" in text_of(result.page(HISTORY))


def test_while_the_page_shows_a_draft_the_version_in_force_has_its_own_page(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    page = cfg.parent / "docs" / "rutiner" / "oro.md"
    page.write_text(page.read_text(encoding="utf-8").replace("review_interval:", "status: utkast\nreview_interval:"),
                    encoding="utf-8")
    commit(cfg.parent, "Utkast till nästa version", "2026-05-01T10:00:00Z")
    result = build(cfg, strict=True)
    assert result.result.returncode == 0, result.log
    table = find(section(result.page(PAGE), "handbok-versioner"), "table").html
    assert ("../oro-version-3/", "Version 3") in [(a.attrs["href"], a.text) for a in find_all(table, "a", href=None)]
    banner = text_of(find(result.page("rutiner/oro-version-3/"), "div", class_="handbok-banner--current-version").html)
    assert banner.startswith("Gällande version. Det här är version 3") and "utkast till nästa version" in banner
    assert V3 in text_of(content(result.page("rutiner/oro-version-3/")))


def test_a_repealed_document_keeps_every_version_as_superseded(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    page = cfg.parent / "docs" / "rutiner" / "oro.md"
    page.write_text(page.read_text(encoding="utf-8").replace("revised: 2026-03-01", "revised: 2026-04-01\n"
                                                             "status: upphävd"), encoding="utf-8")
    commit(cfg.parent, "Upphävd", "2026-04-01T10:00:00Z")
    result = build(cfg, strict=True)
    assert result.result.returncode == 0, result.log
    assert [row.split(" | ")[0] for row in _rows(result.page(PAGE))] == [
        "Version 3 upphävd", "Version 2 upphävd", "Version 1 upphävd"]
    banner = text_of(find(result.page("rutiner/oro-version-3/"), "div", class_="handbok-banner--superseded").html)
    assert "som gällde 2026-03-01 till 2026-04-01" in banner and "Dokumentet är upphävt sedan 2026-04-01" in banner


def test_the_change_log_is_left_out_when_the_versions_table_says_the_same(built):
    html = built.page(PAGE)
    assert 'id="handbok-andringslogg"' not in html
    assert "Två socialsekreterare bedömer varje anmälan." in text_of(section(html, "handbok-versioner"))


def test_a_change_log_entry_that_no_version_shows_keeps_the_change_log(tmp_path):
    cfg = three_adoptions(tmp_path / "repo")
    page = cfg.parent / "docs" / "rutiner" / "oro.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "changes:\n", "changes:\n  - date: 2019-05-01\n    note: Första rutinen, i Word.\n"), encoding="utf-8")
    result = build(cfg, strict=True)
    log = text_of(section(result.page(PAGE), "handbok-andringslogg"))
    assert "Första rutinen, i Word." in log and "Två socialsekreterare bedömer varje anmälan." in log
