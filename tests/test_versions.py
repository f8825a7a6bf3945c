"""core.versions (adopted versions and edits from commits) in-process, and source.git_history on a real
temporary repository (renames, deletions, files that are not UTF-8)."""

from __future__ import annotations

import datetime as dt

import pytest

from githistory import commit, git
from handbok.core import versions
from handbok.core.versions import Revision, as_date, derive, field_changes
from handbok.source import git_history
from handbok.source.frontmatter import parse_source


def rev(n: int, front: str, body: str = "Text.", message: str = "", when: str = "2025-01-01") -> Revision:
    raw = f"---\ntitle: Rutin\n{front}---\n\n{body}\n".encode()
    day = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC) + dt.timedelta(days=n)
    return Revision(f"c{n}", day, "Anna Andersson", message or f"commit {n}", parse_source(raw, "r.md"))


def test_each_new_decision_is_a_version_and_other_commits_are_edits():
    history = derive("r.md", [
        rev(0, "status: utkast\nrevised: 2024-12-01\n", message="Utkast"),
        rev(1, "revised: 2025-01-02\napproved: 2025-01-01\n", message="Fastställd"),
        rev(2, "revised: 2025-01-02\napproved: 2025-01-01\n", body="Rättad text.", message="Stavfel"),
        rev(3, "revised: 2026-01-05\napproved: 2026-01-01\n", message="Reviderad"),
    ])
    assert [(v.number, v.label, v.date, v.note) for v in history.versions] == [
        (1, "1", dt.date(2025, 1, 2), "Fastställd"), (2, "2", dt.date(2026, 1, 5), "Reviderad")]
    assert [e.message for e in history.edits_before] == ["Utkast"]
    assert [e.message for e in history.versions[0].edits] == ["Stavfel"]
    assert history.current is history.versions[1] and history.superseded == [history.versions[0]]
    assert history.pairs() == [(history.versions[0], history.versions[1])]
    assert history.edit_count == 2


def test_the_authors_version_label_and_change_notes_are_used():
    history = derive("r.md", [
        rev(0, "revised: 2025-01-01\nversion: '4.0'\n"),
        rev(1, "revised: 2025-06-01\nversion: '4.1'\nchanges:\n  - {date: 2025-01-01, note: Gammal.}\n"
               "  - {date: 2025-06-01, note: Ny skyddsbedömning.}\n  - {date: 2025-07-01, note: Senare.}\n"),
    ])
    assert [v.label for v in history.versions] == ["4.0", "4.1"]
    assert history.versions[1].note == "Ny skyddsbedömning."  # after the last version, up to this one
    assert history.by_label("4.0") is history.versions[0]


def test_a_repeal_ends_the_current_version_without_adding_one():
    history = derive("r.md", [rev(0, "revised: 2025-01-01\n"), rev(1, "revised: 2025-09-01\nstatus: upphävd\n")])
    assert len(history.versions) == 1
    assert history.repealed == dt.date(2025, 9, 1)
    assert history.current is None and history.superseded == history.versions


def test_a_revision_on_disk_that_is_not_committed_is_one_more_version():
    committed = [rev(0, "revised: 2025-01-01\n")]
    working = parse_source(b"---\ntitle: Rutin\nrevised: 2026-02-01\n---\n\nNy text.\n", "r.md")
    history = derive("r.md", committed, working)
    assert [(v.label, v.revision is None, v.note) for v in history.versions] == [
        ("1", False, "commit 0"), ("2", True, "Inte incheckad ännu.")]
    same = parse_source(b"---\ntitle: Rutin\nrevised: 2025-01-01\n---\n\nBara text.\n", "r.md")
    assert len(derive("r.md", committed, same).versions) == 1


def test_a_commit_whose_front_matter_does_not_parse_is_an_edit():
    broken = Revision("c9", dt.datetime(2025, 3, 1, tzinfo=dt.UTC), "A", "Trasig", parse_source(
        b"---\ntitle: [\n---\n", "r.md"))
    history = derive("r.md", [rev(0, "revised: 2025-01-01\n"), broken, rev(70, "revised: 2025-01-01\n")])
    assert len(history.versions) == 1 and [e.message for e in history.versions[0].edits] == ["Trasig", "commit 70"]


def test_personnummer_in_a_message_or_a_text_is_withheld():
    history = derive("r.md", [rev(0, "revised: 2025-01-01\n", message="Exempel 811218-9876 inlagt"),
                              rev(1, "revised: 2025-02-01\n", body="Klienten 19811218-9876."),
                              rev(2, "revised: 2025-03-01\n", body="Test 19000101-9801.")],
                      allow_test_numbers=True)
    assert history.versions[0].note == versions.WITHHELD_MESSAGE and not history.versions[0].withheld
    assert history.versions[1].withheld and not history.versions[2].withheld


def test_a_long_commit_subject_is_cut_at_a_word():
    long = "Reviderad " + "mycket lång rad " * 20
    note = derive("r.md", [rev(0, "revised: 2025-01-01\n", message=long)]).versions[0].note
    assert len(note) <= versions.MESSAGE_LENGTH + 2 and note.endswith(" lång …")


def test_field_changes_name_the_changed_fields_by_their_labels():
    history = derive("r.md", [
        rev(0, "revised: 2025-01-01\napproved_by: Socialnämnden\nlegal_basis: [SoL 14 kap. 1 §]\n"),
        rev(1, "revised: 2026-01-01\napproved_by: Socialnämnden\nlegal_basis: [SoL (2025:400) 19 kap. 1 §]\n"),
    ])
    assert field_changes(*history.versions) == [("Senast reviderad", "2025-01-01", "2026-01-01"),
                                                ("Lagrum", "SoL 14 kap. 1 §", "SoL (2025:400) 19 kap. 1 §")]


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2025, 1, 2), dt.date(2025, 1, 2)), ("2025-01-02", dt.date(2025, 1, 2)),
    (dt.datetime(2025, 1, 2, 10), dt.date(2025, 1, 2)), ("2025-02-30", None), (20250102, None), (None, None)])
def test_as_date_takes_what_yaml_gives(value, expected):
    assert as_date(value) == expected


# --- reading git --------------------------------------------------------------------------------

def _write(path, text: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_read_history_follows_renames_and_forgets_deleted_files(tmp_path):
    docs = tmp_path / "docs"
    body = "\n\nRutinen beskriver hur en orosanmälan tas emot och bedöms, steg för steg, av två handläggare.\n" * 3
    _write(docs / "a" / "rutin.md", "---\ntitle: R\nrevised: 2025-01-01\n---" + body)
    _write(docs / "bort.md", "---\ntitle: B\n---\n")
    _write(tmp_path / "utanför.md", "---\ntitle: U\n---\n")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "Första", "2025-01-01T10:00:00Z")
    (docs / "b").mkdir()
    git(tmp_path, "mv", "docs/a/rutin.md", "docs/b/rutin-ny.md")
    (docs / "bort.md").unlink()
    commit(tmp_path, "Flyttad", "2025-02-01T10:00:00Z")
    _write(docs / "b" / "rutin-ny.md", "---\ntitle: R\nrevised: 2026-01-01\n---" + body)
    _write(docs / "trasig.md", b"---\ntitle: \xff\n---\n")
    commit(tmp_path, "Reviderad", "2026-01-01T10:00:00Z")
    history = git_history.read_history(docs)
    assert history.status == git_history.OK
    assert sorted(history.revisions) == ["b/rutin-ny.md", "trasig.md"]
    assert [r.message for r in history.revisions["b/rutin-ny.md"]] == ["Första", "Flyttad", "Reviderad"]
    assert history.revisions["trasig.md"][0].source.text is None  # not UTF-8: kept, with no text


def test_read_history_without_a_repository_or_commits(tmp_path):
    assert git_history.read_history(tmp_path).status == git_history.NO_REPO
    git(tmp_path, "init", "-q")
    empty = git_history.read_history(tmp_path)
    assert (empty.status, empty.revisions) == (git_history.OK, {})


def test_the_first_version_takes_only_its_newest_change_note():
    # A document moved into git from Word brings its old change log: those entries tell of earlier versions.
    history = derive("r.md", [rev(0, "revised: 2025-01-01\nchanges:\n  - {date: 2025-01-01, note: Flyttad till "
                                     "handboken.}\n  - {date: 2019-03-01, note: Första versionen i Word.}\n")])
    assert history.versions[0].note == "Flyttad till handboken."
    assert history.shows_all(["Flyttad till handboken."]) and not history.shows_all(["Första versionen i Word."])


def test_hostile_commit_messages_and_names_never_stop_the_reading(tmp_path):
    docs = tmp_path / "docs"
    _write(docs / "r.md", "---\ntitle: R\nrevised: 2025-01-01\n---\n\nText.\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Första \x1e med \x1f avskiljare", when="2025-01-01T10:00:00Z")
    _write(docs / "r.md", "---\ntitle: R\nrevised: 2026-01-01\n---\n\nNy text.\n")
    commit(tmp_path, "Andra <script>alert(1)</script>", "2026-01-01T10:00:00Z")
    history = git_history.read_history(docs)
    assert history.status == git_history.OK
    assert [r.message for r in history.revisions["r.md"]] == ["Andra <script>alert(1)</script>"]
