"""The site shell: navigation titles and order, unit sections, the page shell's accessibility fixes,
the print footer and external links (render/page_shell.py and the adapter's on_nav/on_post_page).

Unit tests on HTML strings, then real builds: the example handbook and small sites (sitebuild.py).
"""

from __future__ import annotations

import html as _html
import re

import pytest

from handbok.render import page_shell
from sitebuild import build_example, build_site, content, find, find_all, search_records, text_of

# --- task-list checkboxes --------------------------------------------------------------------------

TASK = ('<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled="">'
        '<span class="task-list-indicator"></span></label> {text}</li>')


def test_a_task_checkbox_is_labelled_by_its_items_text():
    html = '<ul class="task-list">' + TASK.format(text="Finns <em>våld</em> i hemmet?") + \
        TASK.format(text="Andra punkten") + "</ul>"
    out = page_shell.label_task_checkboxes(html)
    boxes = find_all(out, "input")
    assert [b.attrs["aria-labelledby"] for b in boxes] == ["handbok-punkt-1", "handbok-punkt-2"]
    wrapped = find(out, "span", id="handbok-punkt-1").html
    assert wrapped == '<span id="handbok-punkt-1">Finns <em>våld</em> i hemmet?</span>'
    assert find(out, "span", id="handbok-punkt-2").text == "Andra punkten"
    assert all("disabled" in b.attrs for b in boxes)  # the list is a checklist to read, not a form
    assert text_of(out) == text_of(html)


def test_a_task_items_text_ends_before_a_nested_list_and_in_a_loose_list_at_the_paragraph():
    nested = TASK.format(text="Överst<ul><li>under</li></ul>")
    out = page_shell.label_task_checkboxes(nested)
    assert find(out, "span", id="handbok-punkt-1").text == "Överst"
    loose = ('<li class="task-list-item"><p><label class="task-list-control"><input type="checkbox" disabled>'
             '<span class="task-list-indicator"></span></label> Lös punkt</p><p>Mer text.</p></li>')
    out = page_shell.label_task_checkboxes(loose)
    assert find(out, "span", id="handbok-punkt-1").text == "Lös punkt"
    assert "<p>Mer text.</p>" in out


def test_a_plain_task_checkbox_without_the_custom_label_is_labelled_too():
    plain = '<li class="task-list-item"><input type="checkbox" disabled checked> Klar</li>'
    out = page_shell.label_task_checkboxes(plain)
    assert find(out, "input").attrs["aria-labelledby"] == "handbok-punkt-1"
    assert find(out, "span", id="handbok-punkt-1").text == "Klar"


def test_hostile_task_text_stays_text_and_an_empty_item_gets_a_name():
    hostile = '&lt;script&gt;alert(1)&lt;/script&gt; &quot;citat&quot; &amp; \'apostrof\' " onfocus="x'
    out = page_shell.label_task_checkboxes(TASK.format(text=hostile))
    (box,) = find_all(out, "input")
    assert box.attrs["aria-labelledby"] == "handbok-punkt-1"
    assert "<script" not in out and 'onfocus="x"' not in out.split("<span id")[0]
    assert find(out, "span", id="handbok-punkt-1").text == _html.unescape(hostile)
    empty = page_shell.label_task_checkboxes(TASK.format(text=""))
    assert find(empty, "input").attrs["aria-label"] == "Punkt utan text"
    named = TASK.format(text="x").replace("<input ", '<input aria-label="Egen" ')
    assert page_shell.label_task_checkboxes(named) == named


# --- search dialog, navigation landmarks, skip link ---------------------------------------------------

def test_the_search_dialog_gets_a_name_once():
    html = '<div class="md-search" data-md-component="search" role="dialog"><div></div></div>'
    out = page_shell.name_search_dialog(html)
    assert find(out, "div", role="dialog").attrs["aria-label"] == "Sök i handboken"
    assert page_shell.name_search_dialog(out) == out


NAV = ('<label class="md-nav__link" for="__nav_{n}" id="__nav_{n}_label" tabindex="0">'
       '<span class="md-nav__icon md-icon"></span></label>'
       '<nav class="md-nav" data-md-level="{level}" aria-labelledby="__nav_{n}_label" aria-expanded="true">\n'
       '  <label class="md-nav__title" for="__nav_{n}"><span class="md-nav__icon md-icon"></span> {title} </label>'
       '<ul class="md-nav__list"></ul></nav>')


def test_nested_navigation_landmarks_are_named_by_their_sections_title():
    html = NAV.format(n="2", level=1, title="Översikter") + NAV.format(n="2_9", level=2, title="Per dokumentägare")
    out = page_shell.name_nav_landmarks(html)
    navs = find_all(out, "nav")
    assert [n.attrs["aria-labelledby"] for n in navs] == ["__nav_2_title", "__nav_2_9_title"]
    assert find(out, "label", id="__nav_2_title").text == "Översikter"
    assert find(out, "label", id="__nav_2_9_title").text == "Per dokumentägare"


def test_two_navigation_landmarks_with_one_title_get_different_names_and_the_title_is_escaped():
    title = 'Rutiner &quot;&lt;b&gt;'
    html = NAV.format(n="3", level=1, title=title) + NAV.format(n="3_1", level=2, title=title)
    out = page_shell.name_nav_landmarks(html)
    first, second = find_all(out, "nav")
    assert first.attrs["aria-labelledby"] == "__nav_3_title"
    assert second.attrs["aria-label"] == 'Rutiner "<b> (2)'
    assert "<b>" not in out


PAGE = ('<html><body><input class="md-toggle" type="checkbox" id="__drawer">'
        '<div data-md-component="skip">\n  \n</div><header><a href="https://example.org/">Tema</a></header>'
        '<main><article class="md-content__inner md-typeset">{content}</article></main></body></html>')


def test_a_page_without_a_table_of_contents_gets_a_skip_link_to_its_content():
    out = page_shell.add_skip_link(PAGE.format(content="<h1>Titel</h1>"))
    link = find(out, "a", class_="handbok-skip")
    assert link.text == "Hoppa till innehållet" and link.attrs["href"] == "#handbok-innehall"
    assert "md-skip" in link.attrs["class"].split()  # Material's style: hidden until focused
    assert out.index("handbok-skip") < out.index("<header")  # first focusable element of the page
    article = find(out, "article")
    assert article.attrs["id"] == "handbok-innehall" and article.attrs["tabindex"] == "-1"
    themed = PAGE.format(content="").replace("\n  \n", '<a href="#syfte" class="md-skip">Hoppa till innehåll</a>')
    assert page_shell.add_skip_link(themed) == themed


# --- print footer ---------------------------------------------------------------------------------

def test_the_print_footer_carries_the_date_and_the_escaped_address_at_the_end_of_the_body():
    out = page_shell.add_print_footer(PAGE.format(content=""), "2026-12-01", 'https://x.se/a/?b="<c>"&d')
    footer = find(out, "div", class_="handbok-print-footer")
    assert footer.text == ('Utskriven 2026-12-01 – utskrifter är inte styrande, gällande version: '
                           'https://x.se/a/?b="<c>"&d')
    assert find(footer.html, "span", data_handbok_printed=None).text == "2026-12-01"
    assert "<c>" not in out and out.endswith("</div></body></html>")


# --- external links --------------------------------------------------------------------------------

@pytest.mark.parametrize(("href", "external"), [
    ("https://www.riksdagen.se/sv/", True),
    ("//www.riksdagen.se/sv/", True),
    ("HTTP://Example.org", True),
    ("https://intranat.exempel.se/handbok/annan/", False),  # the site's own host
    ("https://INTRANAT.exempel.se/", False),
    ("../rutiner/", False),
    ("#syfte", False),
    ("mailto:kvalitet@exempel.se", False),
    ("tel:+46101234567", False),
])
def test_which_links_are_external(href, external):
    assert page_shell.is_external(href, "intranat.exempel.se") is external


def test_external_links_in_the_content_are_marked_and_others_left_alone():
    body = ('<p><a href="https://www.riksdagen.se/x" class="handbok-law">SoL 1 §</a> '
            '<a href="https://intranat.exempel.se/handbok/y/">egen</a> <a href="mailto:a@b.se">brev</a> '
            '<a href="https://example.org/?q=&quot;x&quot;">annan <em>sida</em></a></p>')
    out = page_shell.mark_external_links(PAGE.format(content=body), "https://intranat.exempel.se/handbok/")
    marked = find_all(out, "a", class_="handbok-external")
    assert [a.attrs["href"] for a in marked] == ["https://www.riksdagen.se/x", 'https://example.org/?q="x"']
    assert marked[0].attrs["class"] == "handbok-law handbok-external"
    assert marked[0].text == "SoL 1 § (extern webbplats)"
    assert marked[1].text == "annan sida (extern webbplats)"
    assert find(out, "header").html.count("handbok-external") == 0  # the theme's own links are not content
    assert page_shell.mark_external_links(out, "https://intranat.exempel.se/handbok/") == out
    # Without site_url, every link to a host is external.
    assert len(find_all(page_shell.mark_external_links(PAGE.format(content=body), None), "a",
                        class_="handbok-external")) == 3


# --- the example handbook ----------------------------------------------------------------------------

slow = pytest.mark.slow  # the tests below build sites (a few seconds each)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    built = build_example(tmp_path_factory, strict=True)
    assert built.result.returncode == 0, built.log
    return built


_TOP = re.compile(r'<li class="md-nav__item md-nav__item--pruned md-nav__item--nested">\s*'
                  r'<a href="([^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', re.S)


def top_sections(html: str) -> list[tuple[str, str]]:
    """(href, title) of the primary navigation's sections, as a page outside them shows them (pruned)."""
    nav = find(html, "nav", class_="md-nav--primary").html
    return [(href, _html.unescape(title)) for href, title in _TOP.findall(nav)]



@slow
def test_example_navigation_titles_keep_swedish_letters_and_follow_the_order(example):
    sections = top_sections(example.page(""))
    titles = [t for _, t in sections]
    assert titles == ["Barn och unga", "Ekonomiskt bistånd", "Familjerätt", "Gemensamma rutiner", "Kvalitetsarbete",
                      "Ledningssystem",
                      "Vuxen – missbruk och beroende", "Evidensbibliotek", "Översikter", "Arkiv"]
    owners = example.page("handbok/dokumentagare/")
    nav = find(owners, "nav", class_="md-nav--primary").text
    assert "Per dokumentägare" in nav and "Dokumentagare" not in nav
    assert "Ansvar per roll" in nav and "Enheter" in nav
    rutin = find(example.page("barn-och-unga/rutiner/orosanmalan/"), "nav", class_="md-nav--primary").text
    assert "Rutiner" in rutin and "Checklistor" in rutin
    # A unit's type folders in the order its start page lists them, not alphabetically (Checklistor first).
    unit = find(example.page("barn-och-unga/"), "nav", class_="md-nav--primary").text
    shown = ("Processer", "Riktlinjer", "Rutiner", "Checklistor")
    positions = [unit.index(name) for name in shown]
    assert positions == sorted(positions), unit
    page_order = text_of(content(example.page("barn-och-unga/")))
    assert [page_order.index(n) for n in shown] == sorted(page_order.index(n) for n in shown)


@slow
def test_example_unit_sections_open_on_the_units_start_page(example):
    sections = dict((t, h) for h, t in top_sections(example.page("")))
    assert sections["Barn och unga"] == "barn-och-unga/"
    assert sections["Ekonomiskt bistånd"] == "ekonomiskt-bistand/"
    unit = example.page("barn-och-unga/")
    assert find(unit, "h1").text == "Barn och unga"
    assert "Myndighetsutövning inom den sociala barn- och ungdomsvården" in text_of(content(unit))
    # The units index and the documents' panels lead there too; a unit without a folder keeps its address.
    index = content(example.page("handbok/enheter/"))
    hrefs = [a.attrs["href"] for a in find_all(index, "a", href=None)]
    assert "../../barn-och-unga/" in hrefs and "ledning/" in hrefs
    assert "Ledning och styrning" in text_of(content(example.page("handbok/enheter/ledning/")))


@slow
def test_example_old_unit_address_redirects_and_is_neither_in_the_sitemap_nor_in_search(example):
    old = example.page("handbok/enheter/barn-och-unga/")
    assert '<meta http-equiv="refresh" content="0; url=../../../barn-och-unga/">' in old
    assert find(old, "a").attrs["href"] == "../../../barn-och-unga/"
    sitemap = (example.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "handbok/enheter/barn-och-unga/" not in sitemap and "/barn-och-unga/</loc>" in sitemap
    assert not [url for url in search_records(example.site) if url.startswith("handbok/enheter/barn-och-unga")]


@slow
def test_example_footer_has_no_generator_notice(example):
    for path in example.html_files():
        assert "Made with" not in path.read_text(encoding="utf-8"), path


@slow
def test_example_404_page_gets_the_names_and_the_skip_link_but_no_print_footer(example):
    html = (example.site / "404.html").read_text(encoding="utf-8")
    assert find(html, "div", role="dialog").attrs["aria-label"] == "Sök i handboken"
    assert find(html, "a", class_="md-skip").text in ("Hoppa till innehållet", "Hoppa till innehåll")
    assert "handbok-print-footer" not in html


@slow
def test_example_pages_carry_the_shell(example):
    checklist = example.page("barn-och-unga/checklistor/skyddsbedomning/")
    boxes = find_all(content(checklist), "input", type="checkbox")
    assert len(boxes) >= 10
    for box in boxes:
        assert find(checklist, "span", id=box.attrs["aria-labelledby"]).text
    assert find(checklist, "div", role="dialog").attrs["aria-label"] == "Sök i handboken"
    footer = find(checklist, "div", class_="handbok-print-footer")
    assert footer.text == ("Utskriven 2026-06-01 – utskrifter är inte styrande, gällande version: "
                           "https://intranat.exempelkommun.se/handbok/barn-och-unga/checklistor/skyddsbedomning/")
    review = example.page("handbok/revisionslage/")
    assert find(review, "a", class_="handbok-skip").attrs["href"] == "#handbok-innehall"
    routine = content(example.page("barn-och-unga/rutiner/orosanmalan/"))
    laws = find_all(routine, "a", class_="handbok-law")
    assert laws and all("handbok-external" in a.attrs["class"].split() for a in laws)
    assert all(a.text.endswith(" (extern webbplats)") for a in laws)
    internal = [a for a in find_all(routine, "a", href=None) if not a.attrs["href"].startswith(("http", "//"))]
    assert internal and not any("handbok-external" in (a.attrs.get("class") or "") for a in internal)


# --- small sites -------------------------------------------------------------------------------------

DOC = """---
title: {title}
id: {id}
type: {type}
owner: Enhetschef
unit: {unit}
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
{extra}---

{body}
"""


def doc(title: str, ident: str, type_: str = "rutin", unit: str = "barn-och-unga", extra: str = "",
        body: str = "Text.") -> str:
    return DOC.format(title=title, id=ident, type=type_, unit=unit, extra=extra, body=body)


HOSTILE_UNIT = 'Elak <img src=x onerror=alert(1)> "enhet"'
UNITS = [{"id": "barn-och-unga", "name": "Barn och unga", "description": "Enheten för barn."},
         {"id": "ovrigt", "name": "Övrigt", "description": "Annat."},
         {"id": "aldre", "name": "Äldre", "description": "Äldreomsorg."},
         {"id": "elak", "name": HOSTILE_UNIT, "description": "Elak."}]
# The example's theme features and task lists (write_site's default theme has neither).
SHELL_CONFIG = {"theme": {"name": "material", "language": "sv", "font": False,
                          "features": ["navigation.prune", "navigation.indexes"]},
                "markdown_extensions": [{"pymdownx.tasklist": {"custom_checkbox": True}}]}
HOSTILE_TASKS = "- [ ] <script>alert(1)</script> \"citat\" & 'apostrof'\n- [x] Klar punkt\n"
FILES = {
    "index.md": "# Start\n\nVälkommen. [E-post](mailto:a@b.se), [annan](https://example.org/sida/), "
                "[egen](https://intranat.exempel.se/handbok/annan/).\n",
    "barn-och-unga/rutiner/a.md": doc("A-rutin", "a"),
    "barn-och-unga/checklistor/lista.md": doc("Listan", "lista", "checklista", body=HOSTILE_TASKS),
    "ovrigt/blandat/b.md": doc("B-rutin", "b", unit="ovrigt"),
    "ovrigt/blandat/c.md": doc("C-process", "c", "process", unit="ovrigt"),
    "aldre/index.md": "---\ntitle: Äldres egen startsida\n---\n\n# Äldres egen startsida\n",
    "aldre/d.md": doc("D-rutin", "d", unit="aldre"),
    "zz-tidigare/gammal.md": doc("Gammal", "gammal", extra="status: upphävd\n"),
    "allmant/sida.md": "# En sida\n",
    "elak/e.md": doc("E-rutin", "e", unit="elak"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("shell"), FILES, roles=["Enhetschef"], units=UNITS,
                       config={**SHELL_CONFIG, "site_url": "https://intranat.exempel.se/handbok/"})
    assert built.result.returncode == 0, built.log
    return built


@slow
def test_small_site_titles_from_units_types_and_index_pages_in_order_archive_last(small):
    titles = [t for _, t in top_sections(small.page(""))]
    # allmant/ is a folder MkDocs names; aldre/ has its own index page, zz-tidigare/ only repealed documents.
    assert titles == ["Allmant", "Barn och unga", HOSTILE_UNIT, "Äldre", "Övrigt", "Evidensbibliotek", "Översikter",
                      "Zz tidigare"]
    assert "<img src=x" not in small.page("")  # a unit's name is text in the menu
    nav = find(small.page("ovrigt/blandat/b/"), "nav", class_="md-nav--primary").text
    assert "Blandat" in nav  # two document types in the folder: not named by one of them
    nav = find(small.page("barn-och-unga/rutiner/a/"), "nav", class_="md-nav--primary").text
    assert "Rutiner" in nav


@slow
def test_small_site_unit_with_its_own_index_keeps_it_and_the_generated_unit_page(small):
    assert find(small.page("aldre/"), "h1").text == "Äldres egen startsida"
    assert "Äldreomsorg." in text_of(content(small.page("handbok/enheter/aldre/")))
    assert "Enheten för barn." in text_of(content(small.page("barn-och-unga/")))
    assert not (small.site / "handbok" / "enheter" / "aldre" / "index.html").read_text(
        encoding="utf-8").count('http-equiv="refresh"')


@slow
def test_small_site_hostile_task_items_are_text_in_the_checkbox_names(small):
    article = content(small.page("barn-och-unga/checklistor/lista/"))
    assert "<script>alert" not in article
    boxes = find_all(article, "input", type="checkbox")
    assert len(boxes) == 2
    names = [find(article, "span", id=b.attrs["aria-labelledby"]).text for b in boxes]
    assert names[1] == "Klar punkt"
    assert "\"citat\" & 'apostrof'" in names[0]


@slow
def test_small_site_links_to_other_hosts_are_marked(small):
    article = content(small.page(""))
    marked = [a.attrs["href"] for a in find_all(article, "a", class_="handbok-external")]
    assert marked == ["https://example.org/sida/"]


@slow
def test_a_site_without_site_url_prints_the_pages_path_and_a_site_may_keep_the_generator(tmp_path):
    built = build_site(tmp_path, {"index.md": "# Start\n", "a/b.md": "# B\n"}, minimal=True)
    assert built.result.returncode == 0, built.log
    footer = find(built.page("a/b/"), "div", class_="handbok-print-footer")
    assert footer.text.endswith("gällande version: a/b/")
    assert "Made with" not in built.page("a/b/")
    kept = build_site(tmp_path / "kept", {"index.md": "# Start\n"}, config={"extra": {"generator": True}})
    assert kept.result.returncode == 0, kept.log
    assert "Material for MkDocs" in kept.page("")


@slow
def test_an_explicit_nav_keeps_its_titles_and_order(tmp_path):
    files = {"index.md": "# Start\n", "barn-och-unga/rutiner/a.md": doc("A-rutin", "a"),
             "zz-tidigare/gammal.md": doc("Gammal", "gammal", extra="status: upphävd\n")}
    nav = [{"Start": "index.md"}, {"Gamla": ["zz-tidigare/gammal.md"]}, {"Bou": ["barn-och-unga/rutiner/a.md"]},
           {"Sammanställningar": ["handbok/index.md", "handbok/revisionslage.md"]}]
    built = build_site(tmp_path, files, roles=["Enhetschef"], units=UNITS[:1],
                       config={**SHELL_CONFIG, "nav": nav})
    assert built.result.returncode == 0, built.log
    titles = [t for _, t in top_sections(built.page(""))]
    assert titles == ["Gamla", "Bou", "Översikter"]
