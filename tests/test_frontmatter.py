"""frontmatter.py: reading front matter with line numbers, and never raising on bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbok.source.frontmatter import parse_source, read_source

DOC = """---
title: Orosanmälan
type: rutin
legal_basis:
  - SoL 14 kap. 1 §
  - LVU 1 §
  - SOSFS 2011:9 4 kap. 4 §
tags: [a, b]
responsibilities:
  Socialsekreterare:
    - Gör skyddsbedömning.
    - Dokumenterar.
  Enhetschef:
    - Följer upp.
changes:
  - date: 2026-03-12
    note: Ny lag.
  - date: 2025-01-10
    note: Första versionen.
revised: 2026-03-12
---
# Rubrik

Brödtext.
"""


def parse(text: str | bytes, path: str = "rutiner/a.md"):
    return parse_source(text if isinstance(text, bytes) else text.encode("utf-8"), path)


def codes(source) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in source.problems]


def test_key_and_item_lines():
    source = parse(DOC)
    assert source.problems == []
    assert source.key_lines == {"title": 2, "type": 3, "legal_basis": 4, "tags": 8, "responsibilities": 9,
                                "changes": 15, "revised": 20}
    assert [source.line_of("legal_basis", i) for i in range(3)] == [5, 6, 7]
    assert [source.line_of("changes", i) for i in range(2)] == [16, 18]  # nested keys are not items
    assert source.line_of("tags", 1) == 8  # a flow list has no item lines: the key's line
    assert source.line_of("legal_basis", 9) == 4  # no such item: the key's line
    assert source.line_of("missing") is None and source.line_of(None) is None
    assert source.body_line == 22
    assert source.body.startswith("# Rubrik")
    lines = DOC.split("\n")
    assert lines[source.body_line - 1] == "# Rubrik"


def test_item_lines_without_indent_and_after_comments():
    source = parse("---\ntitle: a\nlegal_basis:\n# kommentar\n- SoL 1 §\n\n- LVU 1 §\ntype: rutin\n---\n")
    assert source.meta["legal_basis"] == ["SoL 1 §", "LVU 1 §"]
    assert [source.line_of("legal_basis", i) for i in range(2)] == [5, 7]
    assert source.line_of("type") == 8


def test_problem_helper_points_at_the_item():
    source = parse(DOC)
    problem = source.problem("unknown-reference", "x", key="legal_basis", index=2)
    assert (problem.path, problem.line, problem.field, problem.severity) == ("rutiner/a.md", 7, "legal_basis", "error")


def test_timestamps_are_left_as_strings():
    source = parse("---\nrevised: 2026-03-12\nreview_by: 2026-02-30\nat: 2026-03-12 10:00:00\nyear: 2018\n---\n")
    assert source.meta == {"revised": "2026-03-12", "review_by": "2026-02-30", "at": "2026-03-12 10:00:00",
                           "year": 2018}
    assert source.problems == []  # an impossible date is the validator's business, not a YAML crash


def test_duplicate_keys():
    source = parse("---\ntitle: a\ntype: rutin\ntitle: b\n---\n")
    assert codes(source) == [("invalid-value", 4)]
    problem = source.problems[0]
    assert "”title”" in problem.message and "rad 2 och 4" in problem.message and problem.field == "title"
    assert source.meta["title"] == "b"


def test_bom_is_skipped():
    source = parse("\ufeff---\ntitle: a\nrevised: 2026-03-12\n---\nText\n")
    assert source.problems == []
    assert source.meta == {"title": "a", "revised": "2026-03-12"}
    assert source.key_lines == {"title": 2, "revised": 3}
    assert not source.text.startswith("\ufeff")


def test_crlf_line_endings():
    source = parse(DOC.replace("\n", "\r\n"))
    assert source.problems == []
    assert source.meta["title"] == "Orosanmälan"  # no stray \r in values
    assert source.meta["legal_basis"][2] == "SOSFS 2011:9 4 kap. 4 §"
    assert [source.line_of("legal_basis", i) for i in range(3)] == [5, 6, 7]
    assert source.body_line == 22


def test_no_front_matter():
    source = parse("# Bara en rubrik\n\nText.\n")
    assert codes(source) == [("invalid-frontmatter", 1)]
    assert "saknar metadata" in source.problems[0].message
    assert source.meta is None and source.body.startswith("# Bara")
    assert source.text == "# Bara en rubrik\n\nText.\n"


def test_empty_file():
    source = parse(b"")
    assert codes(source) == [("invalid-frontmatter", 1)]


def test_unclosed_block():
    source = parse("---\ntitle: a\ntype: rutin\n\nText utan slut.\n")
    assert codes(source) == [("invalid-frontmatter", 1)]
    assert "avslutas aldrig" in source.problems[0].message and "---" in source.problems[0].message
    assert source.meta is None


def test_dots_close_the_block_and_empty_block_is_an_empty_mapping():
    assert parse("---\ntitle: a\n...\nText").meta == {"title": "a"}
    empty = parse("---\n---\nText")
    assert empty.meta == {} and empty.problems == [] and empty.body == "Text"


@pytest.mark.parametrize("block", ["- a\n- b", "bara löptext", "42"])
def test_non_mapping(block):
    source = parse(f"---\n{block}\n---\nText\n")
    assert codes(source) == [("invalid-frontmatter", 2)]
    assert "namn: värde" in source.problems[0].message
    assert source.meta is None


@pytest.mark.parametrize("front, line, hint", [
    ("title: Rutin: med kolon\ntype: rutin", 2, "kolon"),
    ("title: x\nlegal_basis:\n  - a\n - b", 5, "indraget"),
    ('title: "oavslutad\ntype: rutin\nowner: x', 2, "citattecken"),
    ("title: x\ntype: 'rutin\nowner: x", 3, "citattecken"),
    ("title: x\n\ttype: rutin", 3, "tabbtecken"),
    ("title: x\ntags: @foo", 3, "otillåtet tecken"),
    ("title: x\nowner: *chef", 3, "börjar med *"),
    ("title: x\ntags: [a, b\nowner: y", 3, "hakparentes"),
    ("title: x\nowner: {role: a\nunit: y", 3, "klammerparentes"),
])
def test_yaml_errors_have_a_swedish_hint_and_the_right_line(front, line, hint):
    source = parse(f"---\n{front}\n---\nText\n")
    assert codes(source) == [("invalid-yaml", line)]
    message = source.problems[0].message
    assert message.startswith(f"Metadatan (YAML) går inte att läsa på rad {line}: ")
    assert hint in message
    assert source.meta is None


def test_non_utf8_bytes():
    raw = "---\ntitle: Åtgärder\n---\nSkadad rad: ".encode() + "är".encode("latin-1") + b"\n"
    source = parse(raw)
    assert codes(source) == [("invalid-encoding", 4)]
    assert "0xE4" in source.problems[0].message and "UTF-8" in source.problems[0].message
    assert source.text is None and source.meta is None


def test_latin1_file_from_an_old_editor():
    source = parse("---\ntitle: Förhandsbedömning\n---\n".encode("cp1252"))
    assert codes(source) == [("invalid-encoding", 2)]


def test_unreadable_file(tmp_path):
    source = read_source(tmp_path / "finns-inte.md", "finns-inte.md")
    assert [p.code for p in source.problems] == ["invalid-file"]
    assert source.meta is None


def test_read_source_reads_bytes_from_disk(tmp_path):
    path = tmp_path / "Öppna jämförelser.md"
    path.write_bytes(DOC.replace("\n", "\r\n").encode("utf-8"))
    source = read_source(path, "rutiner/Öppna jämförelser.md")
    assert source.path == "rutiner/Öppna jämförelser.md"
    assert source.meta["type"] == "rutin" and source.problems == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8")))
def test_never_raises(raw):
    source = parse_source(raw, "x.md")
    assert source.meta is None or isinstance(source.meta, dict)
    for problem in source.problems:
        assert problem.line is None or problem.line >= 1
