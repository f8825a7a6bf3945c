"""The registry of problem codes (handbok.core.problems.CODES) matches the code that reports them.

The source of plugins/handbok is read as Python syntax: every call that creates a problem
(Problem(...), SourceFile.problem(...) and the validator's fail()/warn()) must name a
registered code with the severity the registry gives it, and every registered code must
be reported somewhere.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from conftest import ROOT
from handbok.core.problems import CODES, ERROR, WARNING, Problem, ProblemCode

PACKAGE = ROOT / "plugins" / "handbok"
REGISTRY = PACKAGE / "core" / "problems.py"


@dataclass(frozen=True)
class Wrapper:
    """A function that creates a Problem from a code it is given."""

    position: int  # of the code among the positional arguments (self not counted)
    severity: str | None  # the severity it always reports with; None: read the `severity` argument
    severity_position: int | None = None  # positional place of severity, if it can be given positionally
    default_severity: str | None = None  # when the severity argument is left out


# Every way of creating a problem. A new helper that takes a code must be added here, or its
# codes are not checked (the test below fails on a code passed through an unknown function).
WRAPPERS = {
    "Problem": Wrapper(3, None, severity_position=2),
    "problem": Wrapper(0, None, default_severity=ERROR),  # SourceFile.problem(code, message, *, severity=ERROR)
    "fail": Wrapper(3, ERROR),  # validate._Checker.fail(key, message, index, code="invalid-value")
    "warn": Wrapper(2, WARNING),  # validate._Checker.warn(key, message, code)
}
SEVERITY_NAMES = {"ERROR": ERROR, "WARNING": WARNING}


@dataclass(frozen=True)
class Use:
    where: str  # path:line
    code: str
    severity: str | None  # None when it cannot be read from the source


def _strings(node: ast.expr | None) -> list[str] | None:
    """The string literals an argument can be, or None when it is not made of literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_strings(e) for e in node.elts]
        return None if any(i is None for i in items) else [s for i in items for s in i or []]
    return None


def _severity(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Name):
        return SEVERITY_NAMES.get(node.id)
    if isinstance(node, ast.Attribute):
        return SEVERITY_NAMES.get(node.attr)
    return None


def _argument(call: ast.Call, position: int | None, keyword: str) -> tuple[bool, ast.expr | None]:
    for kw in call.keywords:
        if kw.arg == keyword:
            return True, kw.value
    if position is not None and position < len(call.args):
        return True, call.args[position]
    return False, None


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_code(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "code"


class _Scanner(ast.NodeVisitor):
    def __init__(self, rel: str):
        self.rel = rel
        self.created: list[Use] = []  # codes given to something that creates a problem
        self.compared: list[Use] = []  # codes a problem's .code is compared with
        self.opaque: list[str] = []  # code arguments that are neither literals nor a wrapper's own parameter
        self._functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []

    def _where(self, node: ast.AST) -> str:
        return f"{self.rel}:{getattr(node, 'lineno', '?')}"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        wrapper = WRAPPERS.get(node.name)
        if wrapper is not None:  # a default code, e.g. fail(..., code="invalid-value")
            args = node.args.args + node.args.kwonlyargs
            defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults \
                + node.args.kw_defaults
            for arg, default in zip(args, defaults, strict=True):
                if arg.arg == "code" and default is not None:
                    for code in _strings(default) or []:
                        self.created.append(Use(self._where(default), code, wrapper.severity))
        self._functions.append(node)
        self.generic_visit(node)
        self._functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        wrapper = WRAPPERS.get(name or "")
        if wrapper is not None:
            given, code_arg = _argument(node, wrapper.position, "code")
            if given:
                self._created(node, wrapper, code_arg)
        # {"overdue": ...}.get(p.code, ...)
        if name == "get" and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Dict) \
                and node.args and _is_code(node.args[0]):
            for key in node.func.value.keys:
                for code in _strings(key) or []:
                    self.compared.append(Use(self._where(node), code, None))
        self.generic_visit(node)

    def _created(self, node: ast.Call, wrapper: Wrapper, code_arg: ast.expr | None) -> None:
        codes = _strings(code_arg)
        if codes is None:
            function = self._functions[-1] if self._functions else None
            params = {a.arg for a in function.args.args + function.args.kwonlyargs} if function else set()
            passed_through = (isinstance(code_arg, ast.Name) and code_arg.id in params
                              and function is not None and function.name in WRAPPERS)
            if not passed_through:
                self.opaque.append(self._where(node))
            return
        severity = wrapper.severity
        if severity is None:
            given, arg = _argument(node, wrapper.severity_position, "severity")
            severity = _severity(arg) if given else wrapper.default_severity
        for code in codes:
            self.created.append(Use(self._where(node), code, severity))

    def visit_Compare(self, node: ast.Compare) -> None:
        sides = [node.left, *node.comparators]
        if any(_is_code(side) for side in sides):
            for side in sides:
                for code in _strings(side) or []:
                    self.compared.append(Use(self._where(node), code, None))
        self.generic_visit(node)


@pytest.fixture(scope="module")
def scan() -> _Scanner:
    total = _Scanner("")
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == REGISTRY:
            continue
        scanner = _Scanner(path.relative_to(PACKAGE).as_posix())
        scanner.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        total.created += scanner.created
        total.compared += scanner.compared
        total.opaque += scanner.opaque
    return total


def test_the_scanner_reads_every_form():
    source = """
def fail(self, key, message, index=None, code="a-default"):
    self.source.problems.append(self.source.problem(code, message, key=key))
def warn(self, key, message, code):
    pass
def check(self, source, p, other):
    Problem(None, 1, ERROR, "one", "x")
    Problem(None, 1, severity=WARNING, code="two", message="x")
    source.problem("three", "x", severity=WARNING)
    source.problem("four", "x")
    self.fail("k", "x", None, "five" if p else "six")
    self.warn("k", "x", "seven")
    Problem(None, 1, ERROR, other, "x")
    if p.code == "eight" or p.code in ("nine",):
        {"ten": 1}.get(p.code)
"""
    scanner = _Scanner("snippet.py")
    scanner.visit(ast.parse(source))
    assert {(u.code, u.severity) for u in scanner.created} == {
        ("a-default", ERROR), ("one", ERROR), ("two", WARNING), ("three", WARNING), ("four", ERROR),
        ("five", ERROR), ("six", ERROR), ("seven", WARNING)}
    assert {u.code for u in scanner.compared} == {"eight", "nine", "ten"}
    assert scanner.opaque == ["snippet.py:13"]  # `other` is not a wrapper's own parameter


def test_the_scan_sees_the_known_call_sites(scan):
    files = {u.where.split(":")[0] for u in scan.created}
    assert {"source/frontmatter.py", "core/validate.py", "core/index.py", "core/revision.py",
            "core/coverage.py"} <= files, files


def test_every_code_in_the_source_is_registered(scan):
    unknown = sorted({f"{u.where} {u.code}" for u in scan.created + scan.compared if u.code not in CODES})
    assert not unknown, "Okända koder (registrera dem i CODES i handbok/core/problems.py):\n" + "\n".join(unknown)


def test_every_code_argument_can_be_checked(scan):
    assert not scan.opaque, ("Koden är varken en sträng eller en parameter som skickas vidare; skriv koden som en "
                             "sträng, eller lägg till hjälpfunktionen i WRAPPERS: " + ", ".join(scan.opaque))


def test_every_registered_code_is_reported_somewhere(scan):
    dead = sorted(set(CODES) - {u.code for u in scan.created})
    assert not dead, f"Koder i CODES som ingen kod rapporterar: {dead}"


def test_each_code_is_reported_with_its_registered_severity(scan):
    wrong = sorted({f"{u.where} {u.code}: {u.severity}, registret säger {CODES[u.code].severity}"
                    for u in scan.created if u.code in CODES and u.severity != CODES[u.code].severity})
    assert not wrong, "\n".join(wrong)


def test_the_scan_reads_every_severity(scan):
    unread = sorted(u.where for u in scan.created if u.severity is None)
    assert not unread, f"Allvarsgraden går inte att läsa ut ur källkoden: {unread}"


_SWEDISH = re.compile(r"\b(och|att|som|ett|en|i|på|är|finns|inte|eller|för|med|det|den)\b")


@pytest.mark.parametrize("code", list(CODES))
def test_explanation_is_one_swedish_sentence(code):
    text = CODES[code].explanation
    assert text and text == text.strip() and "\n" not in text, code
    assert text[0].isupper() and text.endswith("."), text
    assert not re.search(r"[.!?] [A-ZÅÄÖ]", text), f"mer än en mening: {text}"
    assert len(_SWEDISH.findall(text)) >= 2, f"ser inte ut som svenska: {text}"
    assert 40 <= len(text) <= 300, text


def test_codes_are_lowercase_words_with_hyphens():
    for code in CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code), code


def test_an_unregistered_code_raises():
    with pytest.raises(ValueError, match="invalid-vaule"):
        Problem("a.md", 1, ERROR, "invalid-vaule", "Stavfel i koden.")


def test_a_registered_code_is_accepted():
    problem = Problem("a.md", 1, ERROR, "invalid-value", "Fältet ”revised” är fel.")
    assert problem.blocks_build


def test_only_errors_block_the_build():
    assert all(spec.severity == ERROR for spec in CODES.values() if spec.blocks_build)
    with pytest.raises(ValueError):
        ProblemCode(WARNING, True, "En varning som stoppar bygget.")
    # A warning never blocks, whatever its code says.
    assert not Problem(None, None, WARNING, "repealed-law", "x").blocks_build


def test_build_and_gitlab_flags_are_as_before_the_registry():
    """The registry replaced two hard-coded lists: the plugin's NON_BLOCKING and report's critical codes."""
    non_blocking = {"overdue", "due-soon", "repealed-law", "unknown-key", "uncovered-requirement",
                    "process-without-activities", "activity-without-routine", "unknown-law",
                    # Decisions, follow-up and dates (issue "who may decide what"): never stop the build.
                    "approver-not-allowed", "missing-decision", "decision-required", "date-conflict",
                    "follow-up-overdue", "follow-up-due-soon",
                    # The page's H1 and the title (issue "a lighter document header"): a warning.
                    "heading-differs",
                    # The quality work (issue "the quality work itself"): reported every day, the site still built.
                    "measure-overdue", "measure-due-soon", "measure-effect-missing", "control-missing",
                    "unknown-control", "activity-missing",
                    # Goals and indicators (issue "goals and the kvalitetsberättelse").
                    "unknown-goal", "indicator-result-missing"}
    reported = set(CODES) - {"personal-data-accepted"}  # only listed as accepted, never a problem
    assert {c for c in reported if not CODES[c].blocks_build} == non_blocking
    # Since issue 18 what could run code in a reader's browser or in the build is critical too.
    assert {c for c, spec in CODES.items() if spec.critical} == {
        "overdue", "personal-data", "unsafe-template", "unsafe-html", "unsafe-attachment", "measure-overdue",
        "control-missing"}


def test_gitlab_severity_comes_from_the_registry():
    import json
    from types import SimpleNamespace

    from handbok.cli import report

    problems = [Problem("a.md", 1, spec.severity, code, f"meddelande {code}") for code, spec in CODES.items()]
    issues = json.loads(report.gitlab(SimpleNamespace(problems=problems)))  # type: ignore[arg-type]
    severity = {i["check_name"]: i["severity"] for i in issues}
    for code, spec in CODES.items():
        expected = "critical" if spec.critical else ("major" if spec.severity == ERROR else "minor")
        assert severity[code] == expected, code


def test_codes_table_in_the_docs_lists_every_code():
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = ci.split("<!-- handbok:codes -->")[1].split("<!-- /handbok:codes -->")[0]
    assert [line.split("`")[1] for line in block.splitlines() if line.startswith("| `")] == list(CODES)

