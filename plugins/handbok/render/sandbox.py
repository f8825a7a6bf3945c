"""Template code in page bodies ({{ … }}, {% … %}), run where it can do no harm.

Authors are many and the build runs where CI keeps its credentials, so a page must not be able
to reach the site's settings, the environment, files or Python objects. mkdocs-macros renders
pages in a plain Jinja2 environment with the whole MkDocs config as a variable; the site adapter
therefore renders the page itself, here, and tells mkdocs-macros to leave it alone.

Two lines of defence:
- `find_unsafe` reads the template without running it and refuses names, attributes, filters
  and includes that lead out of the handbook (what `handbok check` reports as unsafe-template);
- `MacroSandbox` runs only what passed, in an ImmutableSandboxedEnvironment whose globals are the
  documented macros, the site's own macros and filters, and plain values (strings, numbers,
  dates, lists and mappings of them) with nothing that looks like a secret.

The handbook's own macros return HTML made by our templates; it must not go through the
sanitizer meant for authors' HTML (it carries data- attributes the sanitizer removes). Their
output therefore goes into the Markdown as a placeholder, and `Rendered.restore` puts the HTML
back after the page has been converted and cleaned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import re
import secrets
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jinja2 import (
    DebugUndefined,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    Undefined,
    nodes,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import UNSAFE_FUNCTION_ATTRIBUTES, UNSAFE_METHOD_ATTRIBUTES, ImmutableSandboxedEnvironment
from markupsafe import Markup

from handbok.core.problems import Problem
from handbok.core.sourcefile import SourceFile

# Names that lead to the site's configuration, the machine or Jinja2's own objects; mkdocs-macros
# offers the first ones, Jinja2 the others (`self` reaches the template's context, cycler and the
# like their functions' globals). A page that names one of them is not rendered at all.
FORBIDDEN_NAMES = {
    "config": "webbplatsens inställningar",
    "environment": "uppgifter om datorn som bygger webbplatsen",
    "plugin": "tilläggets inställningar",
    "git": "uppgifter ur versionshanteringen",
    "extra": "alla värden under extra: i mkdocs.yml",
    "context": "alla variabler på en gång",
    "macros_info": "alla variabler på en gång",
    "self": "mallens inre",
    "cycler": "Jinja2:s inre funktioner",
    "joiner": "Jinja2:s inre funktioner",
    "lipsum": "Jinja2:s inre funktioner",
    "namespace": "Jinja2:s inre funktioner",
    "dict": "Jinja2:s inre funktioner",
    "render_file": "filer på datorn som bygger webbplatsen",
}
FORBIDDEN_FILTERS = {"attr"}  # reads any attribute by a computed name
# mkdocs-macros's standard macros and filters: only these two are harmless (and reproducible: not now()).
STANDARD_MACROS_KEPT = {"fix_url"}
STANDARD_MACROS = {"context", "macros_info", "now", "fix_url", "render_file"}
STANDARD_FILTERS = {"pretty"}
# Jinja2's own lists, and what Python 2 and frames, generators and coroutines call their internals.
_UNSAFE_ATTRIBUTES = UNSAFE_FUNCTION_ATTRIBUTES | UNSAFE_METHOD_ATTRIBUTES | {
    "mro", "func_globals", "func_code", "f_globals", "f_locals", "f_builtins", "f_back", "tb_frame", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code"}
# Keys whose values are never offered to pages, at any depth of `extra:` or the page's front matter.
_SECRET_KEY = re.compile(r"pass|pw(?![a-z])|secret|token|credential|api.?key|private|auth|cert|salt", re.IGNORECASE)
# Variables mkdocs-macros keeps for itself: never plain data for a page.
_INTERNAL_VARIABLES = {"macros", "filters", "page", "navigation", "files"}

# Limits on what one expression may make: 'x' * 10**9 would take the build's memory.
MAX_REPEAT = 10_000
MAX_POWER = 256

UNDEFINED = {"keep": DebugUndefined, "silent": Undefined, "strict": StrictUndefined, "lax": Undefined}


@dataclass(frozen=True)
class MacroSyntax:
    """The delimiters and include folder, as mkdocs-macros is configured (its j2_* options)."""

    variable_start: str = "{{"
    variable_end: str = "}}"
    block_start: str = "{%"
    block_end: str = "%}"
    comment_start: str = "{#"
    comment_end: str = "#}"
    include_dir: Path | None = None
    undefined: str = "keep"

    @classmethod
    def from_options(cls, options: Mapping[str, object], base: Path) -> MacroSyntax:
        """From the macros plugin's options (mkdocs.yml); include_dir relative to mkdocs.yml."""
        values: dict[str, object] = {}
        for name in ("variable_start", "variable_end", "block_start", "block_end", "comment_start", "comment_end"):
            value = options.get(f"j2_{name}_string")
            if isinstance(value, str) and value:
                values[name] = value
        include = options.get("include_dir")
        if isinstance(include, str) and include:
            values["include_dir"] = (base / include).resolve()
        undefined = options.get("on_undefined")
        if isinstance(undefined, str) and undefined in UNDEFINED:
            values["undefined"] = undefined
        return dataclasses.replace(cls(), **values)  # type: ignore[arg-type]

    def in_text(self, text: str) -> bool:
        """Could the text hold template code at all? Most pages do not: they are left as they are."""
        return self.variable_start in text or self.block_start in text or self.comment_start in text

    def jinja_options(self) -> dict[str, str]:
        return {"variable_start_string": self.variable_start, "variable_end_string": self.variable_end,
                "block_start_string": self.block_start, "block_end_string": self.block_end,
                "comment_start_string": self.comment_start, "comment_end_string": self.comment_end}


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, in the text that was checked
    message: str  # Swedish, a whole sentence


class TemplateRefused(Exception):
    """The page's template code was refused or failed; `findings` say where and why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


# --- the check without running anything ------------------------------------------------------------

def _parser(syntax: MacroSyntax) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(**syntax.jinja_options())


def find_unsafe(text: str, syntax: MacroSyntax = MacroSyntax()) -> list[Finding]:
    """What in the template code leads out of the handbook, read from the parsed template."""
    if not syntax.in_text(text):
        return []
    try:
        tree = _parser(syntax).parse(text)
    except TemplateSyntaxError as exc:
        return [Finding(exc.lineno or 1, _syntax_message(exc, syntax))]
    by_line: dict[int, dict[Finding, None]] = {}
    for node in tree.find_all(nodes.Node):
        message = _refusal(node, syntax)
        if message:
            by_line.setdefault(node.lineno or 1, {})[Finding(node.lineno or 1, message)] = None
    # The tree is walked outside in: within a line, `''.__class__.__mro__` names __mro__ first.
    # Reversed, each line reads as the author wrote it.
    return [f for line in sorted(by_line) for f in reversed(list(by_line[line]))]


def _syntax_message(exc: TemplateSyntaxError, syntax: MacroSyntax) -> str:
    message = f"Mallkoden går inte att tolka: {(exc.message or '').rstrip('.')}."
    if syntax.comment_start == "{#" and "comment" in (exc.message or ""):
        # attr_list's heading ids ({#id}) look like the start of a template comment.
        message += (" Är det ett id som {#id}, skriv {: #id } i stället, eller render_macros: false i huvudet "
                    "om sidan inte har några makron.")
    return message


def _refusal(node: nodes.Node, syntax: MacroSyntax) -> str | None:
    if isinstance(node, nodes.Name) and node.name in FORBIDDEN_NAMES:
        return (f"Variabeln ”{node.name}” får inte användas i en sida: den ger åtkomst till "
                f"{FORBIDDEN_NAMES[node.name]}.")
    if isinstance(node, nodes.Getattr) and _unsafe_attribute(node.attr):
        return f"”.{node.attr}” får inte användas i en sida: det ger åtkomst till Pythons inre."
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) \
            and _unsafe_attribute(node.arg.value):
        return f"”[{node.arg.value!r}]” får inte användas i en sida: det ger åtkomst till Pythons inre."
    if isinstance(node, nodes.Filter) and node.name in FORBIDDEN_FILTERS:
        return f"Filtret ”{node.name}” får inte användas i en sida: det läser godtyckliga egenskaper."
    if isinstance(node, nodes.Extends):
        return "{% extends %} får inte användas i en sida."
    if isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport)):
        return _include_refusal(node.template, syntax)
    return None


def _unsafe_attribute(name: str) -> bool:
    return name.startswith("_") or name in _UNSAFE_ATTRIBUTES


def _include_refusal(template: nodes.Expr, syntax: MacroSyntax) -> str | None:
    if syntax.include_dir is None:
        return ("Delade textblock ({% include %}, {% import %}) kan bara hämtas när administratören har "
                "angett en mapp för dem (include_dir under macros i mkdocs.yml).")
    if not isinstance(template, nodes.Const) or not isinstance(template.value, str):
        return "Namnet på ett delat textblock ska skrivas ut som text inom citattecken."
    path = PurePosixPath(template.value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in template.value:
        return f"Textblocket ”{template.value}” ligger utanför mappen för delade textblock."
    return None


def template_problems(source: SourceFile, syntax: MacroSyntax = MacroSyntax()) -> list[Problem]:
    """unsafe-template for every refused construct in a page body, with the line in the file
    (a handbok.core.index.BodyCheck; functools.partial fixes the site's syntax)."""
    if source.meta and source.meta.get("render_macros") is False:
        return []  # the page asks to be shown as written: nothing in it runs
    return [source.problem("unsafe-template", f.message, line=source.body_line + f.line - 1)
            for f in find_unsafe(source.body, syntax)]


# --- running what passed -----------------------------------------------------------------------------

class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with limits on repetition and powers, and no attribute by computed name."""

    intercepted_binops = frozenset({"*", "**"})

    def unsafe_undefined(self, obj, attribute):
        # Jinja2 returns an undefined value that prints as empty text (or, with on_undefined: keep,
        # as a hint): the page would be published with a hole. Refuse it instead, so that it is reported.
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")

    def call_binop(self, context, operator_name: str, left, right):
        if operator_name == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER:
            raise SecurityError(f"potenser större än {MAX_POWER} är inte tillåtna")
        if operator_name == "*" and _repeats(left, right) > MAX_REPEAT:
            raise SecurityError(f"text och listor kan upprepas högst {MAX_REPEAT} gånger")
        return super().call_binop(context, operator_name, left, right)


def _repeats(left: object, right: object) -> int:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return count * max(len(seq), 1)
    return 0


class _CheckedLoader(FileSystemLoader):
    """Included text blocks are checked like the pages themselves before they run."""

    def __init__(self, syntax: MacroSyntax):
        assert syntax.include_dir is not None
        super().__init__(str(syntax.include_dir))
        self.syntax = syntax

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        findings = find_unsafe(source, self.syntax)
        if findings:
            raise TemplateRefused([Finding(f.line, f"I textblocket ”{template}” (rad {f.line}): {f.message}")
                                   for f in findings])
        return source, filename, uptodate


def plain(value: object) -> object | None:
    """The value if it is plain data (nothing with methods of its own), without secret-looking keys;
    None otherwise. Plain data cannot lead anywhere in the sandbox."""
    if value is None or isinstance(value, (str, bool, int, float, dt.date)):
        return value
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value, strict=True)) else items
    if isinstance(value, Mapping):
        out = {}
        for key, v in value.items():
            if not isinstance(key, str) or _SECRET_KEY.search(key):
                continue
            p = plain(v)
            if p is not None or v is None:
                out[key] = p
        return out
    return None


def plain_variables(variables: Mapping[str, object]) -> dict[str, object]:
    """The variables a page may use: plain values only (see plain), none of the forbidden names."""
    offered = {key: value for key, value in variables.items()
               if key not in FORBIDDEN_NAMES and key not in _INTERNAL_VARIABLES}
    return plain(offered)  # type: ignore[return-value]  # a mapping stays a dict


@dataclass
class Rendered:
    """A page's Markdown after its template code ran, and the HTML its placeholders stand for."""

    markdown: str
    token: str = ""
    parts: list[str] = field(default_factory=list)

    @classmethod
    def with_notice(cls, markdown: str, notice: str) -> Rendered:
        """The Markdown as it is, with an HTML block of ours first (after a leading `# heading`)."""
        token = _new_token()
        lines = markdown.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        at = first + 1 if lines and lines[first].startswith("# ") else first
        lines[at:at] = ["", f"{token}0X", ""]
        return cls("\n".join(lines), token, [notice])

    def restore(self, page_html: str) -> str:
        """Put the macros' HTML where their placeholders ended up in the converted page. In running
        text a placeholder on its own became a paragraph: that paragraph goes, the HTML stays. Inside
        a tag (an attribute value) only the text of the HTML goes in, escaped."""
        if not self.parts:
            return page_html
        token = re.compile(re.escape(self.token) + r"(\d+)X")

        def html_part(match: re.Match) -> str:
            index = int(match.group(1))
            return self.parts[index] if index < len(self.parts) else ""

        def text_part(match: re.Match) -> str:
            return html.escape(_TAG.sub("", html.unescape(html_part(match))), quote=True)

        page_html = re.sub(r"<p>\s*(" + re.escape(self.token) + r"\d+X)\s*</p>",
                           lambda m: html_part(token.match(m.group(1))), page_html)  # type: ignore[arg-type]
        pieces = re.split(r"(<[^>]*>)", page_html)
        return "".join(token.sub(text_part if piece.startswith("<") else html_part, piece) for piece in pieces)


_TAG = re.compile(r"<[^>]*>")


def _new_token() -> str:
    """A placeholder prefix no author can have written: it is new in every build."""
    return f"HANDBOKMACRO{secrets.token_hex(6)}N"


class MacroSandbox:
    """Renders page bodies with the given macros, filters and variables and nothing else.

    html_macros: the handbook's macros, whose HTML is kept out of the Markdown (see Rendered);
    macros, filters: the site's own (mkdocs-macros modules), whose text goes into the Markdown;
    variables: plain values (see plain_variables)."""

    def __init__(self, syntax: MacroSyntax, *, html_macros: Mapping[str, Callable[..., str]],
                 macros: Mapping[str, Callable[..., object]] | None = None,
                 filters: Mapping[str, Callable[..., object]] | None = None,
                 variables: Mapping[str, object] | None = None):
        self.syntax = syntax
        loader = _CheckedLoader(syntax) if syntax.include_dir is not None and syntax.include_dir.is_dir() else None
        # Autoescape: a value from front matter or extra: is text, printed as text (its "<" and "&"
        # escaped by the engine), whatever the author put in it. What macros return is content
        # (Markdown or our placeholders): those results are marked safe (_trusted, _stashing).
        env = _Environment(loader=loader, undefined=UNDEFINED[syntax.undefined], autoescape=True,
                           **syntax.jinja_options())
        for name in FORBIDDEN_NAMES:  # Jinja2's own cycler, joiner, lipsum, namespace, dict
            env.globals.pop(name, None)
        for name in FORBIDDEN_FILTERS:
            env.filters.pop(name, None)
        env.filters.update(filters or {})
        env.globals.update(plain_variables(variables or {}))
        env.globals.update({name: _trusted(fn) for name, fn in (macros or {}).items()})
        self.env = env
        self.html_macros = dict(html_macros)

    def render(self, text: str, page: Mapping[str, object]) -> Rendered:
        """The body with its template code run; raises TemplateRefused (with lines in `text`).
        page: title, url and meta of the page; like mkdocs-macros, the front matter's plain values
        are variables of their own too."""
        if not self.syntax.in_text(text):
            return Rendered(text)
        findings = find_unsafe(text, self.syntax)
        if findings:
            raise TemplateRefused(findings)
        rendered = Rendered("", token=_new_token())
        html_macros = {name: _stashing(fn, rendered) for name, fn in self.html_macros.items()}
        try:
            template = self.env.from_string(text)
            meta = page.get("meta")
            local = plain_variables(meta) if isinstance(meta, Mapping) else {}
            rendered.markdown = template.render({**local, "page": plain(dict(page)), **html_macros})
        except TemplateRefused as exc:  # from an included block: the page's line is where it is included
            line = _template_line(exc)
            raise TemplateRefused([Finding(line, f.message) for f in exc.findings]) from None
        except TemplateSyntaxError as exc:
            raise TemplateRefused([Finding(exc.lineno or 1, _syntax_message(exc, self.syntax))]) from None
        except SecurityError as exc:
            raise TemplateRefused([Finding(_template_line(exc), _security_message(exc))]) from None
        except TemplateError as exc:
            raise TemplateRefused([Finding(_template_line(exc), f"Mallkoden gav ett fel: {exc.message or exc}.")]) \
                from None
        except RecursionError as exc:
            raise TemplateRefused([Finding(_template_line(exc), "Mallkoden anropar sig själv utan slut.")]) from None
        except Exception as exc:  # noqa: BLE001 - a site macro's own error: reported, never a traceback
            raise TemplateRefused([Finding(_template_line(exc),
                                           f"Mallkoden gav ett fel: {type(exc).__name__}: {exc}.")]) from None
        return rendered


def _stashing(fn: Callable[..., str], rendered: Rendered) -> Callable[..., Markup]:
    def call(*args, **kwargs) -> Markup:
        rendered.parts.append(str(fn(*args, **kwargs)))
        return Markup(f"{rendered.token}{len(rendered.parts) - 1}X")

    return call


def _trusted(fn: Callable[..., object]) -> Callable[..., object]:
    """A site macro (the administrator's code): the text it returns goes into the Markdown as it is."""
    @functools.wraps(fn)
    def call(*args, **kwargs) -> object:
        result = fn(*args, **kwargs)
        return Markup(result) if isinstance(result, str) else result

    return call


_UNSAFE_ACCESS = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _security_message(exc: SecurityError) -> str:
    match = _UNSAFE_ACCESS.search(str(exc))
    if match:
        return (f"Mallkoden stoppades: ”.{match.group(1)}” på ett värde av typen {match.group(2)} får inte "
                "användas i en sida (det kan ändra eller nå Pythons inre).")
    return f"Mallkoden stoppades: {str(exc).rstrip('.')}."


def _template_line(exc: BaseException) -> int:
    """The template line where the error happened: Jinja2 rewrites its tracebacks to show it."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno or 1 if frames else 1



def body_checks(syntax: MacroSyntax | None) -> tuple[Callable[[SourceFile], list[Problem]], ...]:
    """The checks handbok.source.reader.load runs on every page: the template check when the site
    renders template code (mkdocs-macros enabled), nothing otherwise."""
    return (functools.partial(template_problems, syntax=syntax),) if syntax is not None else ()
