"""Hostile template code in pages (server-side template injection): the template half of the hostile suite.

Every payload tries to run a shell command that creates a marker file, read a file, leak a secret
or exhaust the build. One real site build holds them all, one page each; the test asserts that no
marker file exists afterwards, that no secret reached any built file, that `mkdocs build --strict`
fails naming file and line, and that `handbok check` (the real CLI) reports unsafe-template on the
payload's line for every payload the check can see without running it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitebuild import build, check_json, checked_at, find, line_of, logged_at, routine_page, text_of, write_site

pytestmark = pytest.mark.slow

SECRET = "S3cr3t-template-9d2c4e"

# (name, payload, seen by the check without running it). {marker} is an absolute path; each payload
# would create it (or read a file, or leak SECRET) in an unsandboxed Jinja2 such as mkdocs-macros's.
PAYLOADS = [
    # The classic: the template's own reference to its context, on to a function's module globals.
    ("self-context",
     "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch {marker}').read() }}", True),
    # Jinja2's default globals are functions, whose __globals__ hold the os module.
    ("cycler", "{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}", True),
    ("joiner", "{{ joiner.__init__.__globals__.os.popen('touch {marker}').read() }}", True),
    ("lipsum", "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}", True),
    ("namespace", "{{ namespace.__init__.__globals__.os.popen('touch {marker}').read() }}", True),
    # From any string to every class in the interpreter, then to subprocess.Popen.
    ("subclasses", "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
                   "{{ c(['touch', '{marker}']) }}{% endif %}{% endfor %}", True),
    # The same by subscript, which Jinja2 turns into attribute access.
    ("subscript", "{{ ''['__class__']['__mro__'][1]['__subclasses__']() }}", True),
    # The attr filter reads attributes by a name the static check cannot see in the dotted form.
    ("attr-filter", "{{ (''|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fmro\\x5f\\x5f'))[1] }}", True),
    # mkdocs-macros hands pages the whole MkDocs config: secrets in extra:, and Python objects.
    ("config-extra", "{{ config.extra.smtp_password }}", True),
    ("config-globals", "{{ config.__class__.__init__.__globals__['os'].popen('touch {marker}').read() }}", True),
    ("environment", "{{ environment }}", True),
    ("context-macro", "{{ context() }}", True),
    # Reading files: a path out of the include folder (there is none here), and an absolute one.
    ("include-parent", "{% include '../mkdocs.yml' %}", True),
    ("include-absolute", "{% include '/etc/passwd' %}", True),
    # Built at run time, so only the sandbox can stop it: computed names of the dunder attributes.
    ("computed-names", "{% set u = '_' %}{% set c = u ~ u ~ 'class' ~ u ~ u %}{% set m = u ~ u ~ 'mro' ~ u ~ u %}"
                       "{% set s = u ~ u ~ 'subclasses' ~ u ~ u %}{% for k in ''[c][m][1][s]() %}"
                       "{% if k.__name__ == 'Popen' %}{{ k(['touch', '{marker}']) }}{% endif %}{% endfor %}", True),
    ("computed-only", "{% set u = '_' %}{% set c = u ~ u ~ 'class' ~ u ~ u %}{% set m = u ~ u ~ 'mro' ~ u ~ u %}"
                      "{{ ''[c][m] }}", False),
    # A method that changes a value (the immutable sandbox refuses it).
    ("mutation", "{% set x = [1] %}{{ x.append(2) }}{{ x }}", False),
    # Exhausting the build: a huge string, and a macro that calls itself for ever.
    ("repeat", "{{ 'x' * 100000000 }}", False),
    ("recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", False),
]

def _page(name: str, payload: str, marker: Path) -> str:
    return routine_page(name, payload.replace("{marker}", str(marker)))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-templates")
    marker = root / "MARKER"
    files = {"index.md": "# Start\n\nVälkommen.\n"}
    files.update({f"{name}.md": _page(name, payload, marker) for name, payload, _ in PAYLOADS})
    cfg = write_site(root, files, roles=["Enhetschef"],
                     config={"extra": {"smtp_password": SECRET, "kommun": "Exempelkommun"}})
    strict = build(cfg, root / "site-strict", strict=True)
    lenient = build(cfg, root / "site")
    check = check_json(cfg)
    return {"root": root, "marker": marker, "files": files, "strict": strict, "lenient": lenient, "check": check}


def test_there_are_at_least_ten_payloads():
    assert len(PAYLOADS) >= 10
    assert len({name for name, _, _ in PAYLOADS}) == len(PAYLOADS)


def test_no_payload_ran_a_command(hostile):
    assert not hostile["marker"].exists(), "en sida körde ett kommando under bygget"
    assert hostile["lenient"].result.returncode == 0, hostile["lenient"].log  # the build itself survives


def test_no_secret_or_file_reached_the_site(hostile):
    site = hostile["lenient"].site
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert b"root:x:0:0" not in data, path  # /etc/passwd
            assert b"site_name: Testhandbok" not in data, path  # mkdocs.yml


def test_strict_build_fails_and_names_every_page_and_line(hostile):
    strict = hostile["strict"]
    assert strict.result.returncode != 0
    assert "Traceback" not in strict.log
    for name, payload, _ in PAYLOADS:
        line = line_of(hostile["files"][f"{name}.md"], payload[:20].replace("{marker}", ""))
        assert logged_at(strict.log, f"{name}.md", line, "unsafe-template"), (name, strict.log)


def test_check_reports_unsafe_template_on_the_payload_line(hostile):
    check = hostile["check"]
    assert check.returncode == 1, check.stderr
    assert "Traceback" not in check.stdout + check.stderr
    problems = json.loads(check.stdout)["problems"]
    found = checked_at(check, "unsafe-template")
    for name, payload, static in PAYLOADS:
        line = line_of(hostile["files"][f"{name}.md"], payload[:20].replace("{marker}", ""))
        assert ((f"{name}.md", line) in found) == static, (name, sorted(found))
    assert all(p["message"].endswith(".") and "Traceback" not in p["message"] for p in problems)


def test_a_refused_page_is_shown_as_written(hostile):
    html = hostile["lenient"].page("config-extra/")
    assert "Inledning till sidan." in html and "Sista stycket." in html
    assert "{{ config.extra.smtp_password }}" in html  # as text: nothing in the page ran
    notice = find(html, "div", class_="handbok-macro-refused")
    assert "Mallkoden på rad 13 är inte tillåten: Variabeln ”config”" in text_of(notice.html)


def test_the_example_macros_still_work_in_the_sandbox(tmp_path):
    files = {"index.md": "# Start\n",
             "lista.md": _page("lista", '<div id="m">{{ handbok_dokument() }}</div>\n\n{{ kommun }} – '
                                        "{{ page.title }} – {{ smtp_password }} – {{ 'ab' | upper }}", tmp_path / "M")}
    cfg = write_site(tmp_path, files, roles=["Enhetschef"],
                     config={"extra": {"smtp_password": SECRET, "kommun": "Exempelkommun"}})
    built = build(cfg, strict=True)
    assert built.result.returncode == 0, built.log
    html = built.page("lista/")
    assert '<ul class="handbok-doclist">' in html and 'href="./"' in html  # our HTML, untouched
    assert "Exempelkommun – Sida lista – {{ smtp_password }} – AB" in html  # a secret-looking key is no variable
    assert "HANDBOKMACRO" not in html
    assert SECRET not in html


def test_the_sites_own_macros_and_text_blocks_work(tmp_path):
    """What an administrator adds (a mkdocs-macros module, a folder of shared text blocks) still works."""
    (tmp_path / "main.py").write_text(
        "def define_env(env):\n"
        "    env.variables['kommunkod'] = '0999'\n"
        "    @env.macro\n"
        "    def hej(namn):\n"
        "        return f'**Hej {namn}**'\n"
        "    @env.filter\n"
        "    def skrik(text):\n"
        "        return text.upper() + '!'\n", encoding="utf-8")
    (tmp_path / "textblock").mkdir()
    (tmp_path / "textblock" / "kontakt.md").write_text("Ring växeln, kommun {{ kommunkod }}.\n", encoding="utf-8")
    (tmp_path / "textblock" / "farlig.md").write_text("{{ cycler.__init__ }}\n", encoding="utf-8")
    files = {"index.md": "# Start\n",
             "a.md": _page("a", "{{ hej('Anna') }} {{ 'hallå' | skrik }}\n\n{% include 'kontakt.md' %}",
                           tmp_path / "M"),
             "b.md": _page("b", "{% include 'farlig.md' %}", tmp_path / "M")}
    cfg = write_site(tmp_path, files, roles=["Enhetschef"], plugins=("search", "handbok",
                                                                      {"macros": {"include_dir": "textblock"}}))
    built = build(cfg)
    assert built.result.returncode == 0, built.log
    html = built.page("a/")
    assert "<strong>Hej Anna</strong> HALLÅ!" in html  # the module's Markdown went through Markdown
    assert "Ring växeln, kommun 0999." in html
    assert "b.md:13: I textblocket ”farlig.md” (rad 1): " in built.log and "[unsafe-template]" in built.log
    assert "{% include 'farlig.md' %}" in built.page("b/")
