"""render.sanitize: nh3 with core.html_policy's lists, on the HTML that Markdown produces."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown

from handbok.render import sanitize

EXTENSIONS = ["toc", "fenced_code", "admonition", "attr_list", "tables", "def_list", "footnotes", "abbr",
              "pymdownx.details", "pymdownx.tasklist"]
CONFIGS = {"toc": {"permalink": True, "permalink_title": "Länk hit"}, "pymdownx.tasklist": {"custom_checkbox": True}}


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, sorted((k, v or "") for k, v in attrs)))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append((">", tag))

    def handle_data(self, data):
        self.tokens.append(("t", data))


def tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def md(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)


def test_markdown_output_comes_through_unchanged():
    source = """## Rubrik

| Steg | Vem |
|:-----|----:|
| Ett  | Två |

!!! note "Tänk på"

    En **anmärkning** med `kod` och [länk](../rutin/ "titel").

??? tip "Mer"

    Text.

- [x] Klart
- [ ] Inte klart

Term
:   Förklaring

Enligt SoL[^1] ska det göras. ![Bild](bild.png){ width="30" loading="lazy" }

[^1]: Fotnot.

*[SoL]: Socialtjänstlagen

1. Ett
2. Två

> Citat

```
<script>som kod</script>
```
"""
    html = md(source)
    cleaned = sanitize.clean(html)
    # The same HTML, written by another serializer: <br> for <br />, disabled="" for disabled, ¶ for &para;.
    assert tokens(cleaned) == tokens(html)
    assert 'style="text-align: left;"' in cleaned
    assert "&lt;script&gt;som kod&lt;/script&gt;" in cleaned  # code shown as text stays text


def test_removes_scripts_handlers_and_bad_urls():
    cleaned = sanitize.clean(
        '<p>a<script>alert(1)</script><img src="x.png" onerror="alert(2)"><a href="jav&#x61;script:x">l</a>'
        '<a href=" JaVaScRiPt:x">m</a><a href="vbscript:x">n</a><a href="data:text/html,x">o</a></p>'
        '<iframe srcdoc="x">ram</iframe><object data="x"></object><embed src="x"><style>p{}</style>'
        '<form action="x"><button formaction="javascript:x">b</button></form><svg onload="x"><circle/></svg>'
        '<meta http-equiv="refresh" content="0;url=javascript:x"><base href="//x/"><link rel="stylesheet" href="x">'
        '<details open ontoggle="x"><summary>s</summary></details><input type="text" onfocus="x" autofocus>'
        '<template><img onerror="x"></template><!-- kommentar -->')
    assert cleaned == ('<p>a<img src="x.png"><a>l</a><a>m</a><a>n</a><a>o</a></p>b'
                       '<details open=""><summary>s</summary></details><input>')


def test_data_images_of_raster_types_only():
    png = '<img src="data:image/png;base64,AA" alt="a">'
    assert sanitize.clean(png) == png
    assert sanitize.clean('<img src="data:image/svg+xml;base64,AA" alt="a">') == '<img alt="a">'


def test_style_only_as_table_alignment():
    assert sanitize.clean('<table><tr><th style="text-align: left;">a</th><td style="color: red">b</td></tr></table>'
                          '<p style="text-align: left;">c</p>') == (
        '<table><tbody><tr><th style="text-align: left;">a</th><td>b</td></tr></tbody></table><p>c</p>')


def test_no_rel_is_added_and_links_keep_their_attributes():
    html = '<a href="https://example.se/" title="t" class="c" target="_blank" rel="noopener">x</a>'
    assert sanitize.clean(html) == html


def test_html_allow_and_the_cache():
    assert sanitize.clean("<mark>m</mark>") == "m"
    assert sanitize.clean("<mark>m</mark>", ("mark",)) == "<mark>m</mark>"
    assert sanitize.clean('<a href="msteams:/x">t</a>', ("msteams:",)) == '<a href="msteams:/x">t</a>'
    assert sanitize.clean("<script>x</script><mark>m</mark>", ("script", "mark")) == "<mark>m</mark>"
    assert sanitize._cleaner(("mark",)) is sanitize._cleaner(("mark",))
    assert sanitize.clean("") == ""
