"""yamlfast.parse: the fast front matter reader must return exactly what PyYAML returns, or None.

Every comparison is against the real loader (FrontMatterLoader, libyaml when present) and
also against PyYAML's pure-Python SafeLoader with the same resolvers, so that what the fast
path accepts means the same to both YAML implementations.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbok.source.frontmatter import FrontMatterLoader, parse_source
from handbok.source.yamlfast import parse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, with timestamps left as strings like FrontMatterLoader."""


PureLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

ERROR = object()


def load(lines, loader=FrontMatterLoader):
    try:
        return yaml.load("\n".join(lines), Loader=loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return ERROR


def same(a, b) -> bool:
    """Equal, with the same types all the way down (1 is not True, 1.0 is not 1), NaN == NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def check(lines) -> bool:
    """parse(lines) is None or equals both YAML loaders; returns whether it was not None."""
    result = parse(list(lines))
    if result is None:
        return False
    expected = load(lines)
    assert expected is not ERROR, f"accepted YAML that PyYAML rejects: {lines!r} -> {result!r}"
    assert same(result, expected), f"{lines!r}: fast {result!r} != yaml {expected!r}"
    pure = load(lines, PureLoader)
    assert same(result, pure), f"{lines!r}: fast {result!r} != pure-Python yaml {pure!r}"
    return True


def front_matters(folder: Path):
    for path in sorted(folder.rglob("*.md")):
        raw = path.read_bytes()
        if raw.startswith(b"---"):
            lines = parse_source(raw, path.name).fm_lines
            if lines:
                yield path, lines


# --- real front matter --------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("syn")
    generate(out, 400)
    return out / "docs"


@pytest.mark.parametrize("corpus", ["handbook", "fixtures", "synthetic"])
def test_real_front_matter_is_parsed_exactly(corpus, synthetic):
    folder = {"handbook": ROOT / "handbook", "fixtures": FIXTURES, "synthetic": synthetic}[corpus]
    docs = list(front_matters(folder))
    assert len(docs) >= 15
    parsed = sum(check(lines) for _, lines in docs)
    # The fixtures hold deliberately broken YAML; everything else is the everyday subset.
    assert parsed >= 0.95 * len(docs) if corpus != "fixtures" else parsed >= 0.8 * len(docs)


def test_all_real_front_matter_together_is_at_least_95_percent(synthetic):
    docs = [lines for folder in (ROOT / "handbook", FIXTURES, synthetic) for _, lines in front_matters(folder)]
    assert sum(check(lines) for lines in docs) >= 0.95 * len(docs)


def test_results_are_fresh_objects():
    lines = ["tags: [a, b]", "legal_basis:", "  - x", "owner:", "  role: r"]
    first = parse(lines)
    first["tags"].append("c")
    first["legal_basis"].append("y")
    first["owner"]["name"] = "n"
    assert parse(lines) == {"tags": ["a", "b"], "legal_basis": ["x"], "owner": {"role": "r"}}


# --- explicit cases -----------------------------------------------------------------------

SUPPORTED = [
    ["title: Orosanmälan – mottagande", "revised: 2026-03-12", "year: 2018"],
    ["a:", "b: ~", "c: null", "d: yes", "e: Off", "f: 0o17", "g: 017", "h: 0x1F", "i: 1_000", "j: 1:30",
     "k: 1e3", "l: 1.5e+3", "m: .inf", "n: -.Inf", "o: .nan", "p: 2026-13-01", "q: +12", "r: 0b101"],
    ["a: it's", "b: 'it''s'", 'c: "say # hi"', "d: a#b", "e: a # comment: with colon", "f: '' # empty",
     'g: ""', "h: 'a: b'", "i: http://example.se/a?b=c", "j: SOSFS 2011:9 4 kap. 4 §", "k:   spaced   "],
    ["tags: []", "t2: [ ]", "t3: [a, b , 'c d', \"e, f\", yes, 1, ~, SOSFS 2011:9]  # comment", "t4: [-1, .5, a'b]"],
    ["legal_basis:", "  - SoL 10 kap. 1 §", "  -   FL 9 §", "  # a comment", "", "  - 'quoted'", "next: x"],
    ["legal_basis:", "- zero indent", "- yes", "next: x"],
    ["changes:", "  - date: 2026-01-01", "    note: text", "  -   date: 2025-01-01", "      note: 'x'", "other: 1"],
    ["activities:", "- name: A", "  role: R", "  routine: r", "- name: B", "  role: R"],
    ["owner:", "   role: Enhetschef", "   name: Anna Ek", "   email: anna@example.se"],
    ["responsibilities:", "  Enhetschef barn och unga:", "    - duty one", "    - duty: two?",
     "  Socialsekreterare:", "  - indentless duty", "  Kurator: [a, b]", "  Tom:", "end: 1"],
    ["a: 1", "a: 2", "b:", "  x: 1", "  x: 2"],  # duplicates: the last value wins
    ["# leading comment", "  # indented comment", "a: b  ", "", "   ", "c: d # trailing"],
    ["title: x\r", "tags: [a]\r", "list:\r", "  - y\r"],  # CRLF
    ["a:", "  - b:", "    - c", "    d: e", "  - f"],
    ["a:", "  - b: 1", "    c: 2"],
    ["å: ä", "Ö_x-1: o", "name (kort): x", "SoL 10 kap. 1 §: y", "2026-01-01: date-like key"],
    ["a: \xa0lead", "b: trail\xa0", "c: 😀 emoji", "d: -x", "e: --", "f: ..."],
]


@pytest.mark.parametrize("lines", SUPPORTED)
def test_supported_shapes_are_parsed_exactly(lines):
    assert check(lines), f"not parsed: {lines!r}"


def test_values_and_types_spelled_out():
    assert parse(["a: yes", "b: '1'", "c: 1", "d: 1.0", "e:", "f: 2026-01-01", "g: [no, 'no']"]) == {
        "a": True, "b": "1", "c": 1, "d": 1.0, "e": None, "f": "2026-01-01", "g": [False, "no"]}
    assert type(parse(["c: 1"])["c"]) is int and type(parse(["d: 1.0"])["d"]) is float


UNSURE = [
    [],  # empty: YAML gives None, the caller knows what to do
    ["# only a comment"],
    ["a: &anchor x", "b: *anchor"],
    ["a: !!str 1"],
    ["a: |+", "  kept"],  # keep chomping (literal "|" and "|-" are in the subset)
    ["a: >-", "  folded"],
    ["a: multi", "  line plain"],
    ["a: 'multi", "  line quoted'"],
    ["a:\tb"],
    ["a: b\t"],
    ["\ta: b"],
    ['a: "back\\slash"'],
    ['a: "\\n"'],
    ["a: [b, [c]]"],
    ["a: [b, {c: d}]"],
    ["a: {b: c}"],
    ["a: [b,", "  c]"],
    ["a: [b, c,]"],
    ["? a", ": b"],
    ["'quoted key': b"],
    ['"quoted key": b'],
    ["yes: b"], ["1: b"], ["null: b"], ["~: b"], ["<<: {a: 1}"], ["a: <<"], ["a: ="],
    ["- a", "- b"],  # a list, not a mapping
    ["just text"],
    ["a: b", "---", "c: d"],
    ["%YAML 1.1"],
    ["a:", "  -", "  - b"],  # empty entry
    ["a:", "  - - nested"],
    ["a: x\rb: y"],  # a lone CR is a line break too
    ["a: x\x85"], ["a: x\u2028y"], ["a: \ufeffx"],
    ["key :  spaced key"],
    ["  a: indented document"],
    ["a: @at"], ["a: `tick"], ["a: %pct"], ["a: ?q"], ["a: :c"], ["a: - x"], ["a: -"],
    ["a: 'x' trailing"], ["a: 'x'#c"],
    ["k" * 1100 + ": long key"],
]


@pytest.mark.parametrize("lines", UNSURE)
def test_outside_the_subset_is_none(lines):
    assert parse(lines) is None


INVALID = [
    ["title: a: b"],
    ["title: a:"],
    ["a: 'unclosed"],
    ['a: "unclosed'],
    ["a: [unclosed"],
    ["a: b", "  c: d"],
    ["a:", "  b: 1", " c: 2"],
    ["a:", "    b: 1", "  c: 2"],
    ["a:", "  - x", "   - y"],
    ["a:", "  - x", " - y"],
    ["a:", "  - x", "  y: 1"],
    ["a: b", "- c"],
    ["a:", "- x", " - y"],
    ["a: 'x''"],
    ["a: [a, , b]"],
    ["a: [,]"],
    ["a: ]"],
    ["a: }"],
    ["a: x", "b"],
    ["a: x", "  # comment", "  y"],
    ["- a: 1", "  b: 2"],
    ["a:", "  - b: 1", "   c: 2"],
    ["a: 0x_"],  # resolves to int, then int() fails inside PyYAML
]


@pytest.mark.parametrize("lines", INVALID)
def test_what_yaml_rejects_is_none(lines):
    assert parse(lines) is None
    check(lines)


# --- property tests -----------------------------------------------------------------------

ADVERSARIAL = [
    "", "yes", "Yes", "NO", "on", "Off", "y", "n", "true", "False", "null", "Null", "NULL", "~", "0", "-0", "+1",
    "012", "019", "0o17", "0x1F", "0b101", "1_000", "1e3", "1.5e3", "1.0e+3", "6.02e-23", ".5", "1.", "-.inf",
    ".Inf", ".NaN", "1:30", "190:20:30", "1:30.5", "2026-01-01", "2026-13-01", "2026-01-01 10:00", "2026-1-1",
    "<<", "=", "a: b", "a:b", "a:", ":a", "a :b", "a #b", "a#b", "#a", "'a'", "it's", 'say "hi"', "- a", "-a", "-",
    "--", "---", "...", "[a]", "{a: 1}", "a, b", "a,b", "&x", "*x", "!x", "!!str x", "|", ">", "%x", "@x", "`x",
    "?x", "? x", "åäö", "Enhetschef barn och unga", "SOSFS 2011:9 4 kap. 4 §", "SN 2024/0113", " lead", "trail ",
    "a  b", "\xa0", "a\xa0", "a\tb", "a\\b", "ä\u2028ö", "😀", "x\x85", "\ufeffx", "a\rb", "https://x.se/a#b",
    "k: [x]", "x]", "x,", "'", '"', "''", "a''b", "é", "Ω≈", "3 kap. 1 §", "1 000",
]
ALPHABET = "abyYnNoO019._-+~:#'\" ,[]{}&*!|>%@`?åäöÅ§\\\t\xa0"
EVERYDAY = ["Socialnämnden", "årligen", "rutin", "SoL 10 kap. 1 §", "SOSFS 2011:9 4 kap. 2–3 §§", "Anna Ek",
            "2026-03-12", "2018", "https://www.example.se/a-b", "rutin-orosanmalan", "vid behov", "Ser till att x.",
            "yes", "Off", "~", "null", "1.5", "0o17", "017", ".inf", "1:30", "-1", "it's", "a#b", "åäö ÅÄÖ",
            "x  y"]
GOOD_KEYS = ["title", "id", "type", "owner", "legal_basis", "review_interval", "Enhetschef barn och unga", "a b", "å",
             "SoL 10 kap. 1 §", "2026-01-01", "name (kort)", "it's", "x-1", "_", "Ö"]
BAD_KEYS = ["yes", "1", "null", "~", "<<", "key:x", "'q'", "-k", "k ", " k", "x#y", "x #y", "a,b", "a.b", "[k]", "&k",
            "k\t", "? k"]
GOOD_COMMENTS = ["", "", "", "", "", " # c", "  #: c, d]", " ", "  ", " #"]
BAD_COMMENTS = ["#x", "\t# t", "# c"]


def texts(hostile):
    if not hostile:
        return st.sampled_from(EVERYDAY)
    # Mostly everyday values (so that some documents are valid), often adversarial ones.
    return st.one_of(*[st.sampled_from(EVERYDAY)] * 4, st.sampled_from(ADVERSARIAL),
                     st.text(alphabet=ALPHABET, max_size=8))


def comments(hostile):
    return st.sampled_from(GOOD_COMMENTS + BAD_COMMENTS if hostile else GOOD_COMMENTS)


def keys(hostile):
    if not hostile:
        return st.sampled_from(GOOD_KEYS)
    return st.one_of(*[st.sampled_from(GOOD_KEYS)] * 4, st.sampled_from(BAD_KEYS),
                     st.text(alphabet="abcåä_- 01:#'", min_size=1, max_size=6))


@st.composite
def scalar_tokens(draw, hostile, flow=False):
    text = draw(texts(hostile))
    if flow and not hostile:
        text = text.replace("#", "")  # "[a#b]" is valid YAML, but we leave '#' in flow sequences to YAML
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"] + ["single-raw"] * hostile))
    if style == "single":
        token = "'" + text.replace("'", "''") + "'"
    elif style == "single-raw":
        token = "'" + text + "'"
    elif style == "double":
        token = '"' + text + '"'
    else:
        token = text
    return token if flow else token + draw(comments(hostile))


@st.composite
def flow_tokens(draw, hostile):
    items = draw(st.lists(scalar_tokens(hostile, flow=True), max_size=4))
    separator = draw(st.sampled_from([", ", ",", " , ", ",  "]))
    inner = separator.join(items)
    end = draw(st.sampled_from(["", " "] + [","] * hostile))
    return "[" + draw(st.sampled_from(["", " "])) + inner + end + "]" + draw(comments(hostile))


def inline_values(hostile):
    return st.one_of(scalar_tokens(hostile), scalar_tokens(hostile), flow_tokens(hostile))


@st.composite
def sequences(draw, col, depth, hostile):
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        dash = "-" + " " * draw(st.integers(1, 3))
        if depth < 3 and draw(st.booleans()):  # "- key: value" and more keys of that mapping
            item_col = col + len(dash)
            first, *rest = draw(mappings(item_col, depth + 1, hostile))
            lines.append(" " * col + dash + first[item_col:])
            lines += rest
        else:
            lines.append(" " * col + dash + draw(inline_values(hostile)))
    return lines


@st.composite
def mappings(draw, col, depth, hostile):
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        head = " " * col + draw(keys(hostile)) + ":"
        kind = draw(st.sampled_from(["inline", "inline", "empty", "seq", "map"] if depth < 3 else ["inline", "empty"]))
        if kind == "inline":
            lines.append(head + " " * draw(st.integers(1, 2)) + draw(inline_values(hostile)))
        elif kind == "empty":
            lines.append(head + draw(comments(hostile)))
        elif kind == "seq":
            lines.append(head + draw(comments(hostile)))
            lines += draw(sequences(col + draw(st.sampled_from([0, 0, 1, 2, 4])), depth + 1, hostile))
        else:
            lines.append(head + draw(comments(hostile)))
            lines += draw(mappings(col + draw(st.sampled_from([1, 2, 2, 4])), depth + 1, hostile))
    return lines


@st.composite
def documents(draw, hostile=True, one_odd_value=False):
    lines = draw(mappings(0, 0, hostile))
    if one_odd_value:  # an everyday document with one adversarial value or key
        index = draw(st.integers(0, len(lines) - 1))
        head, colon, _ = lines[index].partition(": ")
        if colon and draw(st.booleans()):
            lines[index] = head + colon + draw(inline_values(True))
        else:
            indent = len(lines[index]) - len(lines[index].lstrip(" -"))
            lines[index] = lines[index][:indent] + draw(keys(True)) + ": " + draw(inline_values(True))
    # Blank and comment lines anywhere, at any indentation.
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(lines)))
        lines.insert(position, " " * draw(st.integers(0, 5)) + draw(st.sampled_from(["", "# comment", "#", "# a: b"])))
    if draw(st.integers(0, 9)) == 0:
        lines = [line + "\r" for line in lines]  # CRLF
    # Sometimes damage one line: indentation off by one, or a character YAML cares about.
    if hostile and lines and draw(st.integers(0, 2)) == 0:
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        how = draw(st.sampled_from(["indent+", "indent-", "insert"]))
        if how == "indent+":
            line = " " + line
        elif how == "indent-" and line.startswith(" "):
            line = line[1:]
        elif how == "insert":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.sampled_from([":", ": ", "#", " #", "-", "- ", "'", '"', "\t", "\r", "[", "]",
                                                     ",", " ", "&", "*", "|"])) + line[at:]
        lines[index] = line
    return lines


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(hostile=False))
def test_generated_everyday_front_matter_is_parsed_exactly(lines):
    """Valid documents of the subset, any consistent indentation, comments, quoting, CRLF: parsed, exactly."""
    assert check(lines), f"not parsed: {lines!r}"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(hostile=True))
def test_generated_hostile_front_matter_is_none_or_exactly_yaml(lines):
    check(lines)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(hostile=False, one_odd_value=True))
def test_one_adversarial_value_in_everyday_front_matter_is_none_or_exactly_yaml(lines):
    check(lines)


# (PyYAML writes ":x" plain; the fast path leaves those to YAML.)
simple_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ0123456789 -./§:'()", min_size=1,
                      max_size=20).filter(lambda text: not text.startswith(":"))
simple_scalars = st.one_of(simple_text, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                           st.sampled_from(["yes", "no", "on", "~", "null", "1e3", "0o17", "2026-01-01", "1:30", ""]))
plain_keys = st.from_regex(r"[a-zåäö][a-zåäö0-9_ ]{0,10}[a-zåäö0-9_]", fullmatch=True).filter(
    lambda key: type(yaml.load(key, Loader=FrontMatterLoader)) is str)  # not yes, no, on, null …
flat_maps = st.dictionaries(plain_keys, simple_scalars, min_size=1, max_size=4)
front_matter_data = st.dictionaries(plain_keys, st.one_of(
    simple_scalars, st.lists(simple_scalars, max_size=4), st.lists(flat_maps, min_size=1, max_size=3), flat_maps,
    st.dictionaries(plain_keys, st.lists(simple_text, min_size=1, max_size=3), min_size=1, max_size=3)),
    min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(front_matter_data, st.integers(1, 4), st.booleans())
def test_what_pyyaml_writes_reads_back_exactly(data, indent, flow):
    """Front matter as PyYAML writes it (its quoting, its indentless lists) is read, and exactly."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6, indent=indent,
                          default_flow_style=None if flow else False)
    lines = text.rstrip("\n").split("\n")
    parsed = check(lines)
    assert parsed or "{" in text, f"not parsed: {lines!r}"  # flow mappings are outside the subset


def test_literal_block_scalars_are_read_exactly_as_yaml_reads_them():
    """`findings: |` in quality-work records: every combination of these lines after a "|" or "|-" header
    is either left to YAML or read exactly as both loaders read it."""
    import itertools

    parts = ["  x", "  y z", "", "   indrag", "  # ingen kommentar", "  ö: ä", "  ", "b: 1", "c: [a]"]
    accepted = 0
    for size in range(1, 5):
        for combo in itertools.product(parts, repeat=size):
            for header in ("a: |", "a: |-"):
                accepted += check([header, *combo])
    assert accepted > 3000  # most of them are in the subset
    assert parse(["findings: |", "  I 13 av 20.", "  Barnets inställning.", "sample: 20"]) == {
        "findings": "I 13 av 20.\nBarnets inställning.\n", "sample": 20}
    for unsure in (["a: | # c", "  x"], ["a: |+", "  x"], ["a: |2", "  x"], ["a: |", "", "  x"],
                   ["a: |", "    x", "  y"], ["a: |", "\tx"], ["a:  |", "  x"]):
        assert parse(unsure) is None, unsure
