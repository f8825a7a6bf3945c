"""handbok new / handbok revise helpers: real files in tmp dirs, diffs proven with difflib."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handbok.authoring.documents import (
    DEFAULT_REVISE_NOTE,
    DOCUMENT_TYPES,
    ReviseError,
    new_document,
    revise_file,
    revise_text,
    write_new,
)

TODAY = dt.date(2026, 3, 12)
NEW = dt.date(2026, 5, 4)


def front_matter(text: str) -> dict:
    text = text.lstrip("\ufeff")
    assert text.startswith("---")
    block = re.split(r"^(?:---|\.\.\.)\r?$", text, maxsplit=2, flags=re.M)[1]
    return yaml.safe_load(block)


def lines(text: str) -> list[str]:
    """Lines with endings kept, split on \\n only (so CRLF shows up in the diff)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines), each exactly as bytes on disk would show them."""
    a, b = lines(before), lines(after)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def sections(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.M)


# --------------------------------------------------------------------------- new

EXPECTED_SECTIONS = {
    "rutin": ["Syfte", "Ansvar", "Tillvägagångssätt", "Dokumentation", "Uppföljning"],
    "process": ["Syfte", "Processens steg", "In- och utdata", "Uppföljning"],
    "riktlinje": ["Syfte", "Omfattning", "Riktlinje", "Ansvar", "Uppföljning"],
    "checklista": ["Före", "Under", "Efter"],
    "instruktion": ["Syfte", "Förutsättningar", "Gör så här", "Om något går fel"],
    "policy": ["Syfte", "Omfattning", "Ställningstagande", "Ansvar", "Uppföljning"],
    "plan": ["Syfte", "Mål", "Aktiviteter och tidsplan", "Ansvar", "Uppföljning"],
    "ansvarsfördelning": ["Syfte", "Ansvarsfördelning", "Delegation och ersättare", "Uppföljning"],
}
FOLDERS = {
    "process": "processer", "rutin": "rutiner", "riktlinje": "riktlinjer", "checklista": "checklistor",
    "instruktion": "instruktioner", "policy": "policyer", "plan": "planer", "ansvarsfördelning": "ansvarsfordelning",
}


def test_all_types_are_covered():
    assert set(DOCUMENT_TYPES) == set(EXPECTED_SECTIONS) == set(FOLDERS)


@pytest.mark.parametrize("doc_type", sorted(EXPECTED_SECTIONS))
def test_new_document_per_type(tmp_path, doc_type):
    rel, text = new_document(tmp_path, doc_type, "Mottagning", today=TODAY, unit="barn-och-unga",
                             owner="Enhetschef barn och unga")
    assert rel.as_posix() == f"barn-och-unga/{FOLDERS[doc_type]}/mottagning.md"
    meta = front_matter(text)
    assert meta["title"] == "Mottagning"
    assert meta["type"] == doc_type
    assert meta["owner"] == "Enhetschef barn och unga"
    assert meta["unit"] == "barn-och-unga"
    assert meta["revised"] == TODAY
    assert meta["status"] == "utkast"
    assert meta["legal_basis"] == []
    assert meta["review_interval"] == ("vartannat år" if doc_type in ("policy", "plan") else "årligen")
    assert meta["changes"] == [{"date": TODAY, "note": "Nytt dokument."}]
    assert ("responsibilities" in meta) == (doc_type in ("rutin", "ansvarsfördelning"))
    assert ("activities" in meta) == (doc_type == "process")

    body = text.split("\n---\n", 1)[1]
    assert sections(body) == EXPECTED_SECTIONS[doc_type]
    # Every section carries a one-line Swedish hint right under its heading.
    for part in re.split(r"^## .+\n", body, flags=re.M)[1:]:
        assert re.match(r"\n<!-- [^\n]+ -->\n", part), part
    if doc_type == "checklista":
        for part in re.split(r"^## .+\n", body, flags=re.M)[1:]:
            assert "- [ ] " in part
    if doc_type in ("process", "rutin", "riktlinje"):
        assert "#  - SOSFS 2011:9 4 kap. 4 §" in text  # example references as a YAML comment


def test_new_document_skeletons_for_roles():
    _, rutin = new_document(None, "rutin", "R", today=TODAY, unit=None, owner="Enhetschef vuxen")
    resp = front_matter(rutin)["responsibilities"]
    assert list(resp) == ["Enhetschef vuxen", "ANGE ROLL"]
    assert all(isinstance(duties, list) and duties for duties in resp.values())
    _, process = new_document(None, "process", "P", today=TODAY, unit=None, owner=None)
    meta = front_matter(process)
    assert meta["owner"] == "ANGE DOKUMENTÄGARE"  # placeholder that check reports as an unknown role
    assert meta["activities"] == [{"name": "Första aktiviteten", "role": "ANGE ROLL"}]


def test_swedish_title_and_unit_give_ascii_path():
    rel, _ = new_document(None, "rutin", "Förhandsbedömning – inom 14 dagar (Ö/Å)", today=TODAY,
                          unit="Äldreomsorg & hemtjänst", owner="X")
    assert rel.as_posix() == "aldreomsorg-hemtjanst/rutiner/forhandsbedomning-inom-14-dagar-o-a.md"
    assert rel.as_posix().isascii()


def test_unit_slug_wins_and_no_unit_means_common_folder():
    rel, text = new_document(None, "ansvarsfördelning", "Ansvar", today=TODAY, unit="Barn och unga",
                             owner=None, unit_slug="bou")
    assert rel.as_posix() == "bou/ansvarsfordelning/ansvar.md"
    assert front_matter(text)["unit"] == "Barn och unga"
    rel, text = new_document(None, "policy", "Kvalitetspolicy", today=TODAY, unit=None, owner=None)
    assert rel.as_posix() == "gemensamt/policyer/kvalitetspolicy.md"
    assert "unit" not in front_matter(text)


def test_type_is_case_insensitive_and_accepts_ascii_spelling():
    _, text = new_document(None, "Ansvarsfordelning", "A", today=TODAY, unit=None, owner=None)
    assert front_matter(text)["type"] == "ansvarsfördelning"


def test_unknown_type_lists_valid_types():
    with pytest.raises(ValueError) as info:
        new_document(None, "manual", "Titel", today=TODAY, unit=None, owner=None)
    message = str(info.value)
    assert "Okänd dokumenttyp ”manual”" in message
    for doc_type in DOCUMENT_TYPES:
        assert doc_type in message


def test_empty_title_is_refused():
    with pytest.raises(ValueError, match="Titeln"):
        new_document(None, "rutin", "  \n ", today=TODAY, unit=None, owner=None)


HOSTILE = [
    "Rutin: del 1",
    'Säg "hej" # inte en kommentar',
    "'apostrof' och \"citat\"",
    "# börjar med fyrkant",
    "- ser ut som en lista",
    "yes",
    "2024-01-01",
    "[a, b]",
    "{a: b}",
    "*alias",
    "&ankare",
    "!tagg",
    "% procent",
    "@snabel",
    "| pipe",
    "> större",
    "---",
    "...",
    "a\\b",
    "null",
    "1e3",
    "Åäö: ÅÄÖ – “typografiska” citat",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_title_and_owner_round_trip(title):
    _, text = new_document(None, "rutin", title, today=TODAY, unit=title, owner=title)
    meta = front_matter(text)
    assert meta["title"] == title
    assert meta["owner"] == title
    assert meta["unit"] == title
    assert title in meta["responsibilities"]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_title_round_trips(title):
    wanted = " ".join(title.split())
    if not wanted:
        return
    _, text = new_document(None, "process", title, today=TODAY, unit=None, owner=None)
    assert front_matter(text)["title"] == wanted


def test_write_new_creates_file_and_never_overwrites(tmp_path):
    rel, text = new_document(tmp_path, "rutin", "Orosanmälan", today=TODAY, unit="barn-och-unga", owner="X")
    target = tmp_path / rel
    write_new(target, text)
    assert target.read_bytes() == text.encode("utf-8")
    original = b"handskriven text\n"
    target.write_bytes(original)
    with pytest.raises(FileExistsError):
        write_new(target, text)
    assert target.read_bytes() == original
    assert sorted(p.name for p in target.parent.iterdir()) == ["orosanmalan.md"]  # no temp files left


def test_write_new_refuses_to_write_through_a_symlink(tmp_path):
    victim = tmp_path / "victim.md"
    victim.write_text("orört\n", encoding="utf-8")
    link = tmp_path / "new.md"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_new(link, "x\n")
    assert victim.read_text(encoding="utf-8") == "orört\n"


# --------------------------------------------------------------------------- revise

ITEM = ["  - date: 2026-05-04\n", "    note: Reviderad utan ändringar i sak.\n"]

COMMENTED = """\
---
# Dokumenthuvud, skrivet för hand
type: rutin   # typen
revised: 2025-09-01   # senast fastställd av nämnden
title: 'Orosanmälan'
owner: {role: Enhetschef barn och unga, name: Anna Ek}
legal_basis:
    - SoL 10 kap. 1 §     # gamla lagen
changes:
  - date: 2025-09-01
    note: "Uppdaterad: nya blanketter"
  - date: 2024-01-10
    note: Första versionen.
tags: [a, b]
---
# Rubrik

Text.
"""


def test_revise_changes_only_revised_and_adds_entry_on_top():
    after = revise_text(COMMENTED, date=NEW, note=None, path_label="r.md")
    removed, added = diff(COMMENTED, after)
    assert removed == ["revised: 2025-09-01   # senast fastställd av nämnden\n"]
    assert added == ["revised: 2026-05-04   # senast fastställd av nämnden\n", *ITEM]
    assert after.index(ITEM[0]) < after.index("  - date: 2025-09-01")  # newest first kept
    meta = front_matter(after)
    assert meta["changes"][0] == {"date": NEW, "note": DEFAULT_REVISE_NOTE}


def test_revise_oldest_first_list_appends_at_end():
    before = """---
title: T
revised: 2024-02-01
changes:
  - date: 2023-01-01
    note: a
  - date: 2024-02-01
    note: b  # kommentar
# en kommentar efter listan
owner: X
---
"""
    after = revise_text(before, date=NEW, note="c", path_label="t.md")
    removed, added = diff(before, after)
    assert removed == ["revised: 2024-02-01\n"]
    assert added == ["revised: 2026-05-04\n", "  - date: 2026-05-04\n", "    note: c\n"]
    assert "note: b  # kommentar\n  - date: 2026-05-04\n    note: c\n# en kommentar efter listan\n" in after
    assert [c["note"] for c in front_matter(after)["changes"]] == ["a", "b", "c"]


def test_revise_oldest_first_with_block_scalar_last():
    before = ("---\nrevised: 2024-02-01\nchanges:\n- date: 2023-01-01\n  note: a\n- date: 2024-02-01\n"
              "  note: |\n    rad 1\n    rad 2\n\nowner: X\n---\n")
    after = revise_text(before, date=NEW, note="c", path_label="t.md")
    removed, added = diff(before, after)
    assert removed == ["revised: 2024-02-01\n"]
    assert added == ["revised: 2026-05-04\n", "- date: 2026-05-04\n", "  note: c\n"]
    meta = front_matter(after)
    assert meta["changes"][1]["note"] == "rad 1\nrad 2\n"
    assert meta["changes"][2] == {"date": NEW, "note": "c"}


@pytest.mark.parametrize("dash,content", [(0, 2), (2, 4), (4, 6), (2, 6)])
def test_revise_matches_item_indentation(dash, content):
    d, c = " " * dash, " " * content
    item = f"{d}-{' ' * (content - dash - 1)}date: 2025-01-01\n{c}note: x\n"
    before = f"---\nrevised: 2025-01-01\nchanges:\n{item}---\nbody\n"
    after = revise_text(before, date=NEW, note="y", path_label="t.md")
    _, added = diff(before, after)
    assert added == ["revised: 2026-05-04\n", f"{d}-{' ' * (content - dash - 1)}date: 2026-05-04\n", f"{c}note: y\n"]


@pytest.mark.parametrize("quoted", ['"2024-01-01"', "'2024-01-01'"])
def test_revise_keeps_quoting_of_revised(quoted):
    before = f"---\ntitle: T\nrevised: {quoted}  # k\n---\n"
    after = revise_text(before, date=NEW, note=None, path_label="t.md")
    q = quoted[0]
    removed, added = diff(before, after)
    assert removed == [f"revised: {quoted}  # k\n"]
    assert added == [f"revised: {q}2026-05-04{q}  # k\n", "changes:\n", *ITEM]
    assert front_matter(after)["revised"] == "2026-05-04"


def test_revise_crlf_is_kept_everywhere():
    before = COMMENTED.replace("\n", "\r\n")
    after = revise_text(before, date=NEW, note=None, path_label="r.md")
    removed, added = diff(before, after)
    assert removed == ["revised: 2025-09-01   # senast fastställd av nämnden\r\n"]
    assert added == ["revised: 2026-05-04   # senast fastställd av nämnden\r\n",
                     *(x.replace("\n", "\r\n") for x in ITEM)]
    assert "\n" not in after.replace("\r\n", "")


def test_revise_keeps_bom(tmp_path):
    before = "\ufeff" + COMMENTED
    path = tmp_path / "bom.md"
    path.write_bytes(before.encode("utf-8"))
    revise_file(path, date=NEW, note=None)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf---\n")
    assert raw.count(b"\xef\xbb\xbf") == 1
    removed, added = diff(before, raw.decode("utf-8"))
    assert removed == ["revised: 2025-09-01   # senast fastställd av nämnden\n"]
    assert added == ["revised: 2026-05-04   # senast fastställd av nämnden\n", *ITEM]


@pytest.mark.parametrize(
    "line,kept",
    [("changes: []", "changes:"), ("changes: []   # logg", "changes: # logg"), ("changes:", "changes:"),
     ("changes: ~", "changes:"), ("changes:   # tom", "changes:   # tom")],
)
def test_revise_empty_changes_converts_only_that_line(line, kept):
    before = f"---\ntitle: T\nrevised: 2025-01-01\n{line}\nowner: X\n---\n"
    after = revise_text(before, date=NEW, note=None, path_label="t.md")
    removed, added = diff(before, after)
    if kept == line:
        assert removed == ["revised: 2025-01-01\n"]
        assert added == ["revised: 2026-05-04\n", *ITEM]
    else:
        assert removed == ["revised: 2025-01-01\n", f"{line}\n"]
        assert added == ["revised: 2026-05-04\n", f"{kept}\n", *ITEM]
    assert f"{kept}\n{ITEM[0]}{ITEM[1]}owner: X\n" in after


def test_revise_without_changes_appends_block_at_end_of_header():
    before = "---\ntitle: T\nrevised: 2025-01-01\nowner: X  # sist\n---\nText\n"
    after = revise_text(before, date=NEW, note=None, path_label="t.md")
    assert after == "---\ntitle: T\nrevised: 2026-05-04\nowner: X  # sist\nchanges:\n" + "".join(ITEM) + "---\nText\n"


@pytest.mark.parametrize("order,expected", [("2024-01-01, 2025-01-01", ["a", "b", "n"]),
                                           ("2025-01-01, 2024-01-01", ["n", "a", "b"])])
def test_revise_flow_list_stays_on_its_line(order, expected):
    d1, d2 = order.split(", ")
    before = f"---\nrevised: 2025-01-01\nchanges: [{{date: {d1}, note: a}}, {{date: {d2}, note: b}}]  # logg\n---\n"
    after = revise_text(before, date=NEW, note="n, [x]: {y}", path_label="t.md")
    removed, added = diff(before, after)
    assert len(removed) == 2 and len(added) == 2
    assert added[1].endswith("]  # logg\n")
    assert [c["note"] for c in front_matter(after)["changes"]] == [
        "n, [x]: {y}" if n == "n" else n for n in expected]


def test_revise_body_with_separators_and_lookalike_lines_untouched():
    body = "---\n\nrevised: 2000-01-01\nchanges: []\n---\n...\nSlut\n"
    before = "---\ntitle: T\nrevised: 2025-01-01\nchanges: []\n...\n" + body
    after = revise_text(before, date=NEW, note=None, path_label="t.md")
    assert after.endswith("...\n" + body)
    assert after.count("2026-05-04") == 2  # revised and the new entry, nothing in the body


HOSTILE_NOTES = ['Ny rubrik: "Ansvar" # och \'citat\' – åäö ÅÄÖ', "yes", "2024-01-01", "- lista", "# x", "a\\b",
                 "{a: b}"]


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_revise_note_is_quoted_safely(note):
    after = revise_text(COMMENTED, date=NEW, note=note, path_label="r.md")
    assert front_matter(after)["changes"][0] == {"date": NEW, "note": note}
    _, added = diff(COMMENTED, after)
    assert len(added) == 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_revise_any_note_round_trips(note):
    after = revise_text(COMMENTED, date=NEW, note=note, path_label="r.md")
    wanted = " ".join(note.split()) or DEFAULT_REVISE_NOTE
    assert front_matter(after)["changes"][0]["note"] == wanted


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_revise_any_note_round_trips_in_a_flow_list(note):
    before = "---\nrevised: 2025-01-01\nchanges: [{date: 2025-01-01, note: a}]\n---\n"
    after = revise_text(before, date=NEW, note=note, path_label="t.md")
    wanted = " ".join(note.split()) or DEFAULT_REVISE_NOTE
    assert front_matter(after)["changes"] == [{"date": NEW, "note": wanted}, {"date": dt.date(2025, 1, 1), "note": "a"}]


def test_revise_same_day_is_allowed():
    after = revise_text(COMMENTED, date=dt.date(2025, 9, 1), note="Tillägg", path_label="r.md")
    assert front_matter(after)["changes"][0] == {"date": dt.date(2025, 9, 1), "note": "Tillägg"}


def test_revise_shared_anchor_is_stopped_by_the_safety_net():
    # Inserting into an anchored list would silently change the alias too.
    before = "---\nrevised: 2025-01-01\nchanges: &log\n  - date: 2025-01-01\n    note: a\nhistory: *log\n---\n"
    with pytest.raises(ReviseError, match="inget skrevs"):
        revise_text(before, date=NEW, note=None, path_label="t.md")


# --------------------------------------------------------------------------- refusals


def refused(tmp_path, raw: bytes, **kwargs) -> ReviseError:
    path = tmp_path / "dok.md"
    path.write_bytes(raw)
    with pytest.raises(ReviseError) as info:
        revise_file(path, date=kwargs.get("date", NEW), note=None)
    assert path.read_bytes() == raw  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["dok.md"]  # no temp files
    assert str(path) in str(info.value)
    return info.value


def test_refuses_broken_yaml(tmp_path):
    error = refused(tmp_path, b"---\ntitle: T\nrevised: 2025-01-01\nowner: [oavslutad\n---\nText\n")
    assert "inte giltig YAML" in str(error)
    assert error.line is not None and 4 <= error.line <= 5


def test_refuses_control_character_with_line(tmp_path):
    error = refused(tmp_path, b"---\ntitle: T\nrevised: 2025-01-01\nowner: \"a\x07\"\n---\n")
    assert error.line == 4
    assert "U+0007" in str(error)


def test_refuses_missing_revised(tmp_path):
    error = refused(tmp_path, b"---\ntitle: T\n---\n")
    assert error.field == "revised"
    assert "saknas" in str(error)


def test_refuses_non_utf8(tmp_path):
    error = refused(tmp_path, "---\ntitle: T\nrevised: 2025-01-01\nowner: Enhetschef f\u00f6r\n---\n".encode("latin-1"))
    assert "UTF-8" in str(error)
    assert error.line == 4
    assert "0xf6" in str(error)


def test_refuses_earlier_date(tmp_path):
    error = refused(tmp_path, b"---\ntitle: T\nrevised: 2025-01-01\n---\n", date=dt.date(2024, 12, 31))
    message = str(error)
    assert "2024-12-31" in message and "2025-01-01" in message and "tidigare" in message
    assert error.line == 3 and error.field == "revised"


@pytest.mark.parametrize(
    "raw,needle",
    [
        (b"title: T\nrevised: 2025-01-01\n", "dokumenthuvud"),
        (b"---\ntitle: T\nrevised: 2025-01-01\n", "avslutas aldrig"),
        (b"---\n- a\n- b\n---\n", "samling"),
        (b"---\nrevised: i mars\n---\n", "datum"),
        (b"---\nrevised: 2025-01-01\nchanges: nyss\n---\n", "lista"),
        (b"---\nrevised: 2025-01-01\nrevised: 2025-02-01\n---\n", "flera"),
    ],
)
def test_refuses_other_bad_headers(tmp_path, raw, needle):
    assert needle in str(refused(tmp_path, raw))


def test_revise_file_is_atomic_and_keeps_mode(tmp_path):
    path = tmp_path / "rutin.md"
    path.write_bytes(COMMENTED.encode("utf-8"))
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    revise_file(path, date=NEW, note="Ny blankett")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced, not rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["rutin.md"]
    assert front_matter(path.read_text(encoding="utf-8"))["changes"][0] == {"date": NEW, "note": "Ny blankett"}
