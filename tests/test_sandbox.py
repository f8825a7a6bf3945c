"""The template sandbox in-process: the check without running, the run, the placeholders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handbok.core.sourcefile import SourceFile
from handbok.render.sandbox import (
    MacroSandbox,
    MacroSyntax,
    Rendered,
    TemplateRefused,
    body_checks,
    find_unsafe,
    plain,
    plain_variables,
    template_problems,
)


def sandbox(**kwargs) -> MacroSandbox:
    kwargs.setdefault("html_macros", {})
    syntax = kwargs.pop("syntax", MacroSyntax())
    return MacroSandbox(syntax, **kwargs)


def refused(text: str, box: MacroSandbox | None = None) -> list[tuple[int, str]]:
    with pytest.raises(TemplateRefused) as info:
        (box or sandbox()).render(text, {})
    return [(f.line, f.message) for f in info.value.findings]


@pytest.mark.parametrize("text, needle", [
    ("{{ config }}", "”config”"),
    ("{{ environment.system }}", "”environment”"),
    ("{{ self }}", "”self”"),
    ("{{ lipsum() }}", "”lipsum”"),
    ("{{ x.__class__ }}", "”.__class__”"),
    ("{{ x['__globals__'] }}", "”['__globals__']”"),
    ("{{ x.mro }}", "”.mro”"),
    ("{{ f.func_globals }}", "”.func_globals”"),
    ("{{ x|attr('y') }}", "”attr”"),
    ("{% extends 'base.html' %}", "{% extends %}"),
    ("{% include 'a.md' %}", "include_dir"),
    ("{% import 'a.md' as a %}", "include_dir"),
])
def test_the_check_refuses_what_leads_out(text, needle):
    findings = find_unsafe(text)
    assert findings and needle in findings[0].message and findings[0].message.endswith(".")


def test_findings_carry_the_line_and_read_in_writing_order():
    text = "Rad ett\n\n{{ ok }}\n{{ ''.__class__.__mro__ }}\n"
    assert [(f.line, f.message.split("”")[1]) for f in find_unsafe(text)] == [(4, ".__class__"), (4, ".__mro__")]


def test_plain_text_and_harmless_code_pass():
    assert find_unsafe("Inga mallar här, bara {text} och %.") == []
    assert find_unsafe("{{ page.title | upper }} {% for x in [1, 2] %}{{ x * 2 }}{% endfor %}") == []


def test_a_syntax_error_is_a_finding_not_an_exception():
    (finding,) = find_unsafe("Text\n{{ handbok_dokument( }}")
    assert finding.line == 2 and finding.message.startswith("Mallkoden går inte att tolka")


def test_the_sites_delimiters_are_used(tmp_path):
    syntax = MacroSyntax.from_options({"j2_variable_start_string": "<<", "j2_variable_end_string": ">>"}, tmp_path)
    assert find_unsafe("{{ config }}", syntax) == []  # not template code on this site
    assert find_unsafe("<< config >>", syntax)
    assert sandbox(syntax=syntax, variables={"a": "b"}).render("<< a >> {{ a }}", {}).markdown == "b {{ a }}"


def test_includes_only_from_the_include_folder(tmp_path):
    (tmp_path / "block").mkdir()
    (tmp_path / "block" / "ok.md").write_text("Delad text {{ n }}.", encoding="utf-8")
    (tmp_path / "block" / "bad.md").write_text("\n{{ self }}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("hemligt", encoding="utf-8")
    syntax = MacroSyntax.from_options({"include_dir": "block"}, tmp_path)
    box = sandbox(syntax=syntax, variables={"n": 3})
    assert box.render("{% include 'ok.md' %}", {}).markdown == "Delad text 3."
    assert find_unsafe("{% include '../secret.txt' %}", syntax)
    assert find_unsafe("{% include name %}", syntax)  # a computed name cannot be checked
    ((line, message),) = refused("Först\n\n{% include 'bad.md' %}", box)
    assert line == 3 and "”bad.md” (rad 2)" in message


def test_the_run_refuses_what_the_check_cannot_see():
    computed = "{% set u = '_' %}{{ ''[u ~ u ~ 'class' ~ u ~ u] }}"
    assert find_unsafe(computed) == []
    assert "__class__" in refused(computed)[0][1]
    assert "append" in refused("{% set x = [] %}{{ x.append(1) }}")[0][1]
    assert "10000" in refused("{{ 'ab' * 6000 }}")[0][1]
    assert "256" in refused("{{ 2 ** 1000 }}")[0][1]
    assert refused("Rad\n{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")[0][1] == \
        "Mallkoden anropar sig själv utan slut."


def test_a_failing_site_macro_is_reported_with_its_line():
    def broken():
        raise ValueError("trasig")

    ((line, message),) = refused("A\nB {{ broken() }}", sandbox(macros={"broken": broken}))
    assert line == 2 and message == "Mallkoden gav ett fel: ValueError: trasig."


def test_undefined_names_follow_the_sites_setting(tmp_path):
    assert sandbox().render("{{ okänd }}", {}).markdown == "{{ okänd }}"  # mkdocs-macros's default: keep
    strict = MacroSyntax.from_options({"on_undefined": "strict"}, tmp_path)
    assert "okänd" in refused("{{ okänd }}", sandbox(syntax=strict))[0][1]


def test_only_plain_values_without_secrets_become_variables():
    day = dt.date(2026, 1, 2)
    assert plain({"a": [1, "b", day], "password": "x", "n": {"api_key": 1, "ok": None}}) == \
        {"a": [1, "b", day], "n": {"ok": None}}
    assert plain(object()) is None and plain([1, object()]) is None
    assert plain_variables({"config": {"a": 1}, "kommun": "X", "smtp_pw": "p", "fn": len, "obj": Path(".")}) == \
        {"kommun": "X"}


def test_page_variables_and_front_matter():
    out = sandbox().render("{{ page.title }} {{ enhet }} {{ page.meta.enhet }}",
                           {"title": "T", "url": "a/", "meta": {"enhet": "BoU", "token": "x"}})
    assert out.markdown == "T BoU BoU"


def test_the_handbook_macros_html_comes_back_after_conversion():
    box = sandbox(html_macros={"lista": lambda: '<ul data-x="1"><li>A &amp; B</li></ul>'})
    out = box.render("Före\n\n{{ lista() }}\n\nEfter {{ lista() }}", {})
    assert "<ul" not in out.markdown and out.parts
    html = f"<p>Före</p>\n<p>{out.token}0X</p>\n<p>Efter {out.token}1X</p><a title=\"{out.token}0X\">x</a>"
    assert out.restore(html) == ('<p>Före</p>\n<ul data-x="1"><li>A &amp; B</li></ul>\n'
                                 '<p>Efter <ul data-x="1"><li>A &amp; B</li></ul></p><a title="A &amp; B">x</a>')


def test_a_page_without_macros_is_left_alone():
    out = sandbox().render("Bara text.", {})
    assert out == Rendered("Bara text.") and out.restore("<p>x</p>") == "<p>x</p>"


def test_the_body_check_gives_file_lines_and_respects_render_macros_false():
    source = SourceFile(path="a.md", meta={"title": "A"}, body="\nText\n{{ config }}\n", body_line=5)
    (problem,) = template_problems(source)
    assert (problem.path, problem.line, problem.code) == ("a.md", 7, "unsafe-template")
    source.meta = {"render_macros": False}
    assert template_problems(source) == []
    assert body_checks(None) == () and len(body_checks(MacroSyntax())) == 1


def test_a_heading_id_that_looks_like_a_comment_gets_a_hint():
    (finding,) = find_unsafe("# Rubrik\n\n## Del {#del}\n")
    assert finding.line == 3 and "skriv {: #id } i stället" in finding.message


def test_a_notice_goes_after_the_leading_heading():
    out = Rendered.with_notice("\n# Rubrik\n\nText {{ x }}", "<div>Obs</div>")
    assert out.markdown.split("\n")[:5] == ["", "# Rubrik", "", f"{out.token}0X", ""]
    assert out.restore(f"<h1>Rubrik</h1>\n<p>{out.token}0X</p>\n<p>Text</p>") == \
        "<h1>Rubrik</h1>\n<div>Obs</div>\n<p>Text</p>"
    assert Rendered.with_notice("Text", "<div>Obs</div>").markdown.split("\n")[1].endswith("0X")


def test_values_are_printed_as_text_and_macro_results_as_they_are():
    """Front matter and extra: are data: the engine escapes them. Macros (ours, the site's) return content."""
    box = sandbox(html_macros={"lista": lambda: "<ul></ul>"}, macros={"fet": lambda text: f"<b>{text}</b>"},
                  variables={"kommun": "A & B"})
    out = box.render("{{ page.title }} {{ kommun }} {{ fet('x') }} {{ lista() }}",
                     {"title": "<script>alert(1)</script>"})
    assert out.markdown == f"&lt;script&gt;alert(1)&lt;/script&gt; A &amp; B <b>x</b> {out.token}0X"
    assert out.parts == ["<ul></ul>"]
