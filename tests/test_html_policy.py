"""core.html_policy: the lists of allowed HTML, html_allow, and the scanner behind `unsafe-html`."""

from __future__ import annotations

import pytest

from handbok.core import html_policy as hp
from handbok.core.settings import ConfigError, settings_from_options
from handbok.core.sourcefile import SourceFile


def scan(body: str, allowed: tuple[str, ...] = (), body_line: int = 1) -> list[tuple[int | None, str]]:
    source = SourceFile("rutin.md", body=body, body_line=body_line)
    problems = hp.body_problems(source, allowed)
    assert all(p.code == "unsafe-html" and p.severity == "error" and p.path == "rutin.md" for p in problems)
    return [(p.line, p.message) for p in problems]


# --- the lists ------------------------------------------------------------------------------------


def test_never_allowed_elements_are_not_in_the_list():
    assert not hp.TAGS & set(hp.NEVER_TAGS)
    assert hp.CLEAN_CONTENT_TAGS <= set(hp.NEVER_TAGS)
    assert "mark" not in hp.TAGS  # left to html_allow
    for tag, names in hp.ATTRIBUTES.items():
        assert tag in hp.TAGS
        assert not [n for n in names if hp.never_attribute(n) and not (n == "style" and tag in ("th", "td"))]


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"),
    ("  JaVaScRiPt:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("\x01\njavascript:x", "javascript"),
    ("VBScript:x", "vbscript"),
    ("https://example.se/", "https"),
    ("mailto:a@b.se", "mailto"),
    ("../rutin/", None),
    ("#avsnitt", None),
    ("bild.png", None),
    ("//example.se/x", None),
])
def test_scheme_is_read_as_a_browser_reads_it(url, scheme):
    assert hp.scheme_of(url) == scheme


def test_data_urls_only_for_raster_images():
    policy = hp.parse_allow(())
    png = "data:image/png;base64,iVBORw0KGgo="
    assert hp.url_allowed("img", "src", png, policy)
    assert hp.url_allowed("img", "src", " DATA:image/JPEG;base64,xx", policy)
    assert hp.url_allowed("img", "src", "data:image/webp,xx", policy)
    assert not hp.url_allowed("img", "src", "data:image/svg+xml;base64,xx", policy)
    assert not hp.url_allowed("img", "src", "data:text/html,xx", policy)
    assert not hp.url_allowed("a", "href", png, policy)
    assert not hp.url_allowed("a", "href", "javascript:x", policy)
    assert hp.url_allowed("a", "href", "tel:+4610", policy)


def test_attribute_values():
    policy = hp.parse_allow(())
    assert hp.value_allowed("th", "style", "text-align: left;", policy)
    assert hp.value_allowed("td", "style", "text-align:right", policy)
    assert not hp.value_allowed("td", "style", "text-align: left; background: url(x)", policy)
    assert hp.value_allowed("input", "type", "checkbox", policy)
    assert not hp.value_allowed("input", "type", "password", policy)
    assert policy.attribute_allowed("th", "style") and not policy.attribute_allowed("p", "style")
    assert policy.attribute_allowed("div", "aria-label") and not policy.attribute_allowed("div", "onclick")
    assert not policy.attribute_allowed("a", "ONCLICK".lower())


# --- html_allow ---------------------------------------------------------------------------------


def test_html_allow_widens_elements_attributes_and_schemes():
    policy = hp.parse_allow(("mark", "span.data-info", "*.data-x", "video.src", "MSTEAMS:"))
    assert {"mark", "video"} <= policy.tags
    assert policy.attribute_allowed("span", "data-info") and not policy.attribute_allowed("div", "data-info")
    assert policy.attribute_allowed("p", "data-x")
    assert policy.attribute_allowed("video", "src")
    assert "msteams" in policy.schemes
    assert hp.parse_allow(("mark",)) is hp.parse_allow(("mark",))  # one policy per setting


def test_html_allow_never_lets_code_through_even_unvalidated():
    policy = hp.parse_allow(("script", "iframe", "a.onclick", "p.style", "form", "javascript:", "data:", "*.srcdoc"))
    assert not {"script", "iframe", "form"} & policy.tags
    assert not policy.attribute_allowed("a", "onclick") and not policy.attribute_allowed("p", "style")
    assert not policy.attribute_allowed("iframe", "srcdoc")
    assert not hp.url_allowed("a", "href", "javascript:x", policy)
    assert not hp.url_allowed("a", "href", "data:text/html,x", policy)


def test_allow_errors_name_each_refused_entry():
    assert hp.allow_errors(["mark", "span.data-info", "*.data-x", "msteams:"]) == []
    errors = hp.allow_errors(["script", "a.onclick", "*.style", "form", "javascript:", "inte ett element"])
    assert len(errors) == 6
    assert errors[0].startswith("elementet <script> kan aldrig tillåtas")
    assert "onclick" in errors[1] and "style" in errors[2] and "<form>" in errors[3]
    assert "javascript:" in errors[4] and "”inte ett element”" in errors[5]


def test_settings_refuse_a_dangerous_html_allow(tmp_path):
    with pytest.raises(ConfigError, match="html_allow.*<iframe> kan aldrig tillåtas"):
        settings_from_options({"html_allow": ["iframe"]}, tmp_path)
    assert settings_from_options({"html_allow": ["mark"]}, tmp_path).html_allow == ["mark"]


# --- the scanner ----------------------------------------------------------------------------------


def test_script_is_one_problem_on_its_line():
    found = scan("Rad ett.\n\n<script>\nalert(1)\n</script>\n", body_line=10)
    assert found == [(12, "Elementet <script> tas bort med sitt innehåll när sidan byggs: "
                          "skript får inte finnas i handboken.")]


def test_event_handler_and_urls_in_raw_html():
    found = scan('<img src="x.png" onerror="alert(1)">\n<a href="jav&#x61;script:x">a</a> <a href="#ok">b</a>')
    assert found == [
        (1, "Attributet onerror på <img> tas bort när sidan byggs: händelseattribut kör skript i läsarens "
            "webbläsare."),
        (2, "Länken ”javascript:…” på <a> tas bort när sidan byggs: adressen kör skript i läsarens webbläsare."),
    ]


def test_nothing_inside_a_removed_element_is_reported_again():
    found = scan('<svg onload="x"><script>alert(1)</script><a href="javascript:x">a</a></svg> '
                 '<template><img onerror="x"></template>')
    assert [m.split(" tas bort")[0] for _, m in found] == ["Elementet <svg>", "Elementet <template>"]


def test_markdown_links_images_references_and_autolinks():
    body = ("[a](javascript:alert(1)) ![b](data:text/html;base64,xx) ![c](data:image/png;base64,xx)\n"
            "[d](<vbscript:x>) [e](https://example.se) ![f](bild.png) [g](rutin.md#del)\n"
            "\n[ref]: JAVA&#x53;CRIPT:x\n[^1]: En fotnot med javascript: i texten.\n"
            "<javascript:alert(1)> <https://example.se> <kansliet@exempel.se>\n")
    found = scan(body)
    assert [(line, m.split(" ”")[0], m.split("”")[1]) for line, m in found] == [
        (1, "Länken", "javascript:…"), (1, "Bilden", "data:…"),
        (2, "Länken", "vbscript:…"), (4, "Länken", "javascript:…"), (6, "Länken", "javascript:…")]
    assert "PNG, GIF, JPEG eller WebP" in found[1][1]


def test_attr_lists():
    body = ('Stycke.\n{: onclick="alert(1)" }\n\n[a](b.md){ href="javascript:x" target=_blank }\n\n'
            "## Rubrik {#id .klass style=\"color: red\" }\n\n"
            "{{ makro('x') }} {% if a %}x{% endif %} {# kommentar #} mängden {a, b} och {x} {: #ok .ok }\n")
    found = scan(body)
    assert [(line, m.split(" tas bort")[0]) for line, m in found] == [
        (2, "Attributet onclick i attributlistan {…}"),
        (4, "Länken ”javascript:…” i attributlistan {…}"),
        (6, "Attributet style i attributlistan {…}"),
    ]


def test_code_is_an_example_not_html():
    body = ("Skriv `<script>` eller ``<a onclick=x>`` så här:\n\n```html\n<script>alert(1)</script>\n```\n\n"
            "~~~~\n<iframe src=x>\n~~~~\n\nOch \\<script> med bakstreck. <!-- <script> i en kommentar -->\n")
    assert scan(body) == []


def test_comments_a_browser_ends_early_are_scanned():
    assert [m.split(" tas bort")[0] for _, m in scan("<!--><img src=x onerror=alert(1)>-->")] == [
        "Attributet onerror på <img>"]


def test_harmless_elements_not_on_the_list_point_to_html_allow():
    found = scan("Det <mark>viktiga</mark> ordet.")
    assert found == [(1, "Elementet <mark> är inte tillåtet i handboken och tas bort när sidan byggs (texten i det "
                         "står kvar); använd Markdown, eller be administratören lägga till elementet i inställningen "
                         "html_allow.")]
    assert scan("Det <mark>viktiga</mark> ordet.", ("mark",)) == []


def test_legitimate_html_is_not_reported():
    body = ('<details open markdown="1"><summary>Mer</summary>\n\nText\n</details>\n\n'
            '| a |\n|:-:|\n| <kbd>Ctrl</kbd> |\n\n<abbr title="Socialtjänstlagen">SoL</abbr> H<sub>2</sub>O '
            '10<sup>3</sup> <span class="x" lang="en" aria-label="y">z</span> <br> <img src="bild.png" alt="b" '
            'width="30"> <a href="mailto:a@b.se" title="t">a</a> <th style="text-align: center;">\n')
    assert scan(body) == []


def test_uppercase_tags_and_attributes():
    found = scan('<SCRIPT>x</SCRIPT><A HREF="JavaScript:x" OnMouseOver="y">a</A>')
    assert [m.split(" tas bort")[0] for _, m in found] == [
        "Elementet <script>", "Länken ”javascript:…” på <a>", "Attributet onmouseover på <a>"]
