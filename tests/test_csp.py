"""The Content-Security-Policy: hashes of inline scripts and styles, the policy text, the <meta>
tag in every page and content-security-policy.txt (handbok.render.csp and the MkDocs adapter).

The hashes are recomputed here with hashlib straight from the HTML, so a mistake in what
csp.py hashes shows up as a mismatch. test_csp_browser.py checks the same policy in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from handbok.render import csp
from sitebuild import build_example, build_site

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def page(head: str = "", body: str = "") -> str:
    return (f'<!doctype html>\n<html>\n<head>\n  <meta charset="utf-8">\n  {head}\n</head>\n'
            f"<body>{body}</body>\n</html>\n")


# --- what is hashed ---------------------------------------------------------------------------

def test_inline_scripts_are_hashed_and_data_blocks_and_external_scripts_are_not():
    html = page(head='<script>var a = 1;</script><script src="x.js"></script>'
                     '<script id="__config" type="application/json">{"a": 1}</script>'
                     '<script type="text/template"><b>x</b></script>',
                body='<script type="module">import "./m.js";</script><script type="Text/JavaScript">b()</script>')
    found = csp.inline_hashes(html)
    assert found.scripts == {sha("var a = 1;"), sha('import "./m.js";'), sha("b()")}
    assert not found.styles and not found.style_attrs and not found.blocked


def test_the_raw_text_is_hashed_with_the_parsers_line_endings():
    # Script text is raw: no entity decoding; CR LF and lone CR become LF before hashing.
    found = csp.inline_hashes(page(head="<script>\r\n if (a &amp;&amp; b < c) x();\r</script>"))
    assert found.scripts == {sha("\n if (a &amp;&amp; b < c) x();\n")}


def test_a_script_ends_at_the_first_end_tag_however_it_is_written():
    found = csp.inline_hashes(page(head="<script>var s = '<div>';</SCRIPT >"
                                        "<script>f()</script/><!-- <script>g()</script> -->"))
    assert found.scripts == {sha("var s = '<div>';"), sha("f()")}


def test_markup_in_raw_text_elements_is_not_a_script():
    found = csp.inline_hashes(page(head="<title><script>x()</script></title>",
                                   body="<textarea><style>p{}</style></textarea>"))
    assert not found.scripts and not found.styles


def test_inline_styles_and_style_attributes_are_hashed():
    html = page(head="<style>p { color: red }</style>",
                body='<table><tr><th style="text-align: left;">A</th><td style=\'a:&quot;b&quot;\'>B</td></tr></table>')
    found = csp.inline_hashes(html)
    assert found.styles == {sha("p { color: red }")}
    # An attribute is hashed after its character references are decoded.
    assert found.style_attrs == {sha("text-align: left;"), sha('a:"b"')}
    text = csp.policy(found)
    assert f"style-src 'self' {sha('p { color: red }')} 'unsafe-hashes' " in text
    assert all(h in text for h in found.style_attrs)


def test_scripts_and_styles_in_the_page_body_are_never_trusted():
    """Hashing an injected script would allow it: whatever is inside <article> stays blocked."""
    html = page(head="<script>theme()</script>",
                body='<article class="md-content__inner"><p>x</p>\n<script>alert(1)</script>'
                     '<style>body{display:none}</style><p style="color: red">y</p></article><script>after()</script>')
    found = csp.inline_hashes(html, "a/index.html")
    assert found.scripts == {sha("theme()"), sha("after()")}
    assert not found.styles
    assert found.style_attrs == {sha("color: red")}  # attributes cannot run script
    assert found.blocked == ["a/index.html:8: <script> i sidtexten", "a/index.html:8: <style> i sidtexten"]


def test_an_unclosed_start_tag_does_not_hang_the_scan():
    found = csp.inline_hashes("<head><script>x()</script><a " + 'b="c" ' * 5000 + "d")
    assert found.scripts == {sha("x()")}


# --- the policy ---------------------------------------------------------------------------------

def test_policy_text_is_sorted_and_strict():
    found = csp.Inline(scripts={"'sha256-b'", "'sha256-a'"})
    text = csp.policy(found)
    assert text == ("default-src 'self'; script-src 'self' 'sha256-a' 'sha256-b'; style-src 'self'; "
                    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
                    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'")
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "unsafe-hashes" not in text
    # frame-ancestors is ignored in a <meta> policy, so only the header carries it.
    assert csp.policy(found, header=True) == text + "; frame-ancestors 'self'"


# --- the <meta> tag -------------------------------------------------------------------------------

def test_meta_comes_right_after_the_charset_and_before_everything_it_governs():
    html = page(head="<script>a()</script><style>p{}</style>")
    out = csp.with_meta(html, "default-src 'self'")
    head = out[out.index("<head>") + len("<head>"):]
    tags = re.findall(r"<(\w+)[^>]*>", head)
    assert tags[:4] == ["meta", "meta", "script", "style"], tags
    assert re.match(r'\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" '
                    r'content="default-src \'self\'">', head)


def test_meta_is_the_first_element_of_a_head_without_charset():
    out = csp.with_meta('<html><head lang="sv"><script>a()</script></head></html>', "x")
    assert out.startswith('<html><head lang="sv">\n<meta http-equiv="Content-Security-Policy" content="x"><script>')


def test_meta_is_replaced_not_added_twice():
    once = csp.with_meta(page(head="<script>a()</script>"), "one")
    twice = csp.with_meta(once, "two")
    assert META.findall(twice) == ["two"]
    assert csp.with_meta(twice, "two") == twice
    assert csp.with_meta(twice, None) == page(head="<script>a()</script>")


def test_a_file_without_head_is_left_alone():
    assert csp.with_meta("<p>fragment</p>", "x") == "<p>fragment</p>"


# --- a site folder --------------------------------------------------------------------------------

def test_secure_site_is_site_wide_idempotent_and_keeps_line_endings(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_bytes(page(head="<script>one()</script>").replace("\n", "\r\n").encode())
    (tmp_path / "a" / "index.html").write_bytes(page(body="<script>two()</script>").encode())
    header, blocked = csp.secure_site(tmp_path)
    assert not blocked
    assert sha("one()") in header and sha("two()") in header and header.endswith("frame-ancestors 'self'")
    assert (tmp_path / csp.POLICY_FILE).read_text(encoding="utf-8") == header + "\n"
    first = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for path in (tmp_path / "index.html", tmp_path / "a" / "index.html"):
        text = path.read_bytes().decode()
        assert META.findall(text) == [header.removesuffix("; frame-ancestors 'self'")]  # one policy everywhere
    assert b"\r\n" in first[tmp_path / "index.html"] and b"\n<meta http-equiv" not in first[tmp_path / "index.html"]
    csp.secure_site(tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == first


def test_secure_site_without_meta_still_writes_the_header_policy(tmp_path):
    (tmp_path / "index.html").write_text(page(head="<script>one()</script>"), encoding="utf-8")
    header, _ = csp.secure_site(tmp_path, meta=False)
    assert "<meta http-equiv" not in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert sha("one()") in (tmp_path / csp.POLICY_FILE).read_text(encoding="utf-8") == header + "\n"


# --- real builds ---------------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<text>.*?)</script>", re.DOTALL)


def assert_policy_in_every_page(site) -> str:
    """Every HTML page: exactly one CSP <meta>, the first element of <head> after the charset,
    naming exactly the hashes of the page's own inline scripts (plus those of the other pages)."""
    header = (site / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    meta_policy = header.removesuffix("; frame-ancestors 'self'")
    assert meta_policy != header
    needed: set[str] = set()
    pages = sorted(site.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert META.findall(html) == [meta_policy], path
        head = html[html.index("<head>") + len("<head>"):]
        assert re.match(r'\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"', head), path
        for match in _SCRIPT.finditer(html):
            if "src=" in match["attrs"] or "application/json" in match["attrs"]:
                continue
            needed.add(sha(match["text"]))
            assert sha(match["text"]) in meta_policy, (path, match["text"][:80])
    script_src = next(d for d in meta_policy.split("; ") if d.startswith("script-src "))
    # Nothing more than the pages need; 'wasm-unsafe-eval' lets the site search compile its WebAssembly.
    assert set(script_src.split()[2:]) - {"'wasm-unsafe-eval'"} == needed
    return meta_policy


@pytest.mark.slow
def test_the_example_site_carries_its_policy_in_every_page(tmp_path_factory):
    built = build_example(tmp_path_factory, strict=True)
    assert built.result.returncode == 0, built.log
    policy = assert_policy_in_every_page(built.site)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.mark.slow
def test_a_built_site_hashes_table_alignment_and_the_option_switches_the_meta_off(tmp_path):
    files = {"index.md": "# Start\n\n| Vänster | Höger |\n|:--|--:|\n| a | b |\n"}
    built = build_site(tmp_path / "on", files, strict=True)
    assert built.result.returncode == 0, built.log
    policy = assert_policy_in_every_page(built.site)
    assert f"'unsafe-hashes' {' '.join(sorted({sha('text-align: left;'), sha('text-align: right;')}))}" in policy

    off = build_site(tmp_path / "off", files, strict=True, options={"csp": False})
    assert off.result.returncode == 0, off.log
    assert not any("http-equiv=\"Content-Security-Policy\"" in p.read_text(encoding="utf-8")
                   for p in off.html_files())
    assert (off.site / csp.POLICY_FILE).read_text(encoding="utf-8").strip().endswith("frame-ancestors 'self'")


@pytest.mark.slow
def test_the_live_preview_gets_no_meta_policy(tmp_path):
    """`mkdocs serve` injects a live-reload script that changes on every request, so the preview
    cannot carry the policy. While serving, MkDocs builds with site_url on dev_addr."""
    built = build_site(tmp_path, {"index.md": "# Start\n"}, strict=True,
                       config={"site_url": "http://127.0.0.1:8000/", "dev_addr": "127.0.0.1:8000"})
    assert built.result.returncode == 0, built.log
    assert "Content-Security-Policy" not in built.page("")
    assert (built.site / csp.POLICY_FILE).exists()


def test_markup_inside_attribute_values_and_text_is_not_a_script_or_style():
    # nh3 leaves "<" unescaped in attribute values; a page may show "style=" as text.
    found = csp.inline_hashes(page(head='<link title="<script>x()</script>" href="a.css">',
                                   body='<p>Skriv style="color: red" i koden.</p>'
                                        '<abbr title="a <style>p{}</style>" style="b">c</abbr>'))
    assert not found.scripts and not found.styles
    assert found.style_attrs == {sha("b")}
