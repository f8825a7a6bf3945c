"""textdiff.py: word-level "what changed" between two versions of a steering document."""

from __future__ import annotations

import pytest

from handbok.core.textdiff import (
    ADDED,
    CHANGED,
    DELETE,
    EQUAL,
    HEADING,
    INSERT,
    REMOVED,
    SAME,
    SKIPPED,
    Block,
    Span,
    TextDiff,
    blocks_of,
    diff,
    plain,
)


def kinds(result: TextDiff) -> list[str]:
    return [block.kind for block in result.blocks]


def only(result: TextDiff, kind: str) -> Block:
    found = [block for block in result.blocks if block.kind == kind]
    assert len(found) == 1, kinds(result)
    return found[0]


def test_an_inserted_phrase_before_punctuation_leaves_the_word_and_the_full_stop_alone() -> None:
    result = diff("Anmälan ska bedömas samma dag.", "Anmälan ska bedömas samma dag av två socialsekreterare.")
    assert only(result, CHANGED).spans == (Span(EQUAL, "Anmälan ska bedömas samma dag"),
                                           Span(INSERT, "av två socialsekreterare"),
                                           Span(EQUAL, ".", space_before=False))


def test_changed_sentence_gives_exact_word_spans() -> None:
    result = diff("Anmälan ska göras inom 24 timmar.", "Anmälan ska göras samma dag.")
    assert result.blocks == (
        Block(CHANGED, (
            Span(EQUAL, "Anmälan ska göras"),
            Span(DELETE, "inom 24 timmar"),
            Span(INSERT, "samma dag"),
            Span(EQUAL, ".", space_before=False),  # punctuation is its own token: the full stop stays
        )),
    )
    assert result.changed


def test_word_counts() -> None:
    result = diff("Anmälan ska göras inom 24 timmar.", "Anmälan ska göras samma dag.")
    assert (result.inserted_words, result.deleted_words) == (2, 3)


def test_unchanged_headings_are_landmarks_with_level() -> None:
    old = "# Rutin\n\n## Syfte\n\nTexten är gammal.\n\n### Ansvar\n\nEnhetschefen ansvarar."
    new = old.replace("gammal", "ny")
    result = diff(old, new)
    headings = [(b.level, b.spans) for b in result.blocks if b.kind == HEADING]
    assert headings == [
        (1, (Span(EQUAL, "Rutin"),)),
        (2, (Span(EQUAL, "Syfte"),)),
        (3, (Span(EQUAL, "Ansvar"),)),
    ]


def test_changed_heading_keeps_its_level() -> None:
    result = diff("## Syfte och mål\n\nText.", "## Syfte och omfattning\n\nText.")
    block = result.blocks[0]
    assert (block.kind, block.level) == (CHANGED, 2)
    assert Span(INSERT, "omfattning") in block.spans


def test_added_paragraph_is_added() -> None:
    old = "Första stycket.\n\nSista stycket."
    new = "Första stycket.\n\nBeslut fattas av nämnden.\n\nSista stycket."
    result = diff(old, new)
    assert kinds(result) == [SAME, ADDED, SAME]
    assert only(result, ADDED).spans == (Span(INSERT, "Beslut fattas av nämnden."),)
    assert (result.inserted_words, result.deleted_words) == (4, 0)


def test_removed_list_item_is_removed() -> None:
    old = "Ta med:\n\n- legitimation\n- beslut om bistånd\n- journalnummer"
    new = "Ta med:\n\n- legitimation\n- journalnummer"
    result = diff(old, new)
    assert only(result, REMOVED).spans == (Span(DELETE, "beslut om bistånd"),)
    assert result.deleted_words == 3
    assert result.inserted_words == 0


def test_far_unchanged_paragraphs_collapse_and_near_ones_stay() -> None:
    paragraphs = [f"Stycke nummer {n}." for n in range(1, 8)]
    old = "\n\n".join(paragraphs)
    new = old.replace("Stycke nummer 4.", "Stycke nummer fyra.")
    result = diff(old, new, context=1)
    assert kinds(result) == [SKIPPED, SAME, CHANGED, SAME, SKIPPED]
    assert [b.skipped for b in result.blocks if b.kind == SKIPPED] == [2, 2]
    assert result.blocks[1].spans == (Span(EQUAL, "Stycke nummer 3."),)
    assert result.blocks[3].spans == (Span(EQUAL, "Stycke nummer 5."),)
    assert result.blocks[0].spans == ()


def test_wider_context_keeps_more() -> None:
    paragraphs = [f"Stycke nummer {n}." for n in range(1, 8)]
    old = "\n\n".join(paragraphs)
    new = old.replace("Stycke nummer 4.", "Stycke nummer fyra.")
    result = diff(old, new, context=2)
    assert kinds(result) == [SKIPPED, SAME, SAME, CHANGED, SAME, SAME, SKIPPED]
    assert [b.skipped for b in result.blocks if b.kind == SKIPPED] == [1, 1]


def test_heading_splits_a_collapsed_run() -> None:
    old = "A ett.\n\nA två.\n\n## Mitten\n\nB ett.\n\nB två.\n\nSlutet är här."
    new = old.replace("Slutet är här.", "Slutet är nu här.")
    result = diff(old, new, context=1)
    assert kinds(result) == [SKIPPED, HEADING, SKIPPED, SAME, CHANGED]
    assert [b.skipped for b in result.blocks if b.kind == SKIPPED] == [2, 1]


def test_identical_texts_are_unchanged_headings_and_skips() -> None:
    text = "# Rutin\n\nEtt.\n\nTvå.\n\n## Ansvar\n\nTre."
    result = diff(text, text)
    assert not result.changed
    assert kinds(result) == [HEADING, SKIPPED, HEADING, SKIPPED]
    assert [b.skipped for b in result.blocks] == [0, 2, 0, 1]
    assert (result.inserted_words, result.deleted_words) == (0, 0)


@pytest.mark.parametrize("old, new", [("", ""), ("   \n\n\t", ""), ("", "\r\n"), ("<!-- bara -->", "")])
def test_empty_input_gives_no_blocks(old: str, new: str) -> None:
    result = diff(old, new)
    assert result == TextDiff((), 0, 0)
    assert not result.changed


def test_only_headings() -> None:
    result = diff("# Ett\n## Två", "# Ett\n## Två\n### Tre")
    assert kinds(result) == [HEADING, HEADING, ADDED]
    assert result.blocks[2].level == 3


def test_crlf_is_normalised() -> None:
    assert blocks_of("## Syfte\r\n\r\nRad ett\r\nrad två\r\n") == ["## Syfte", "Rad ett\nrad två"]
    result = diff("Ett.\r\n\r\nTvå.\r\n", "Ett.\n\nTvå.\n")
    assert not result.changed


def test_rewritten_paragraph_becomes_removed_then_added() -> None:
    old = "Ansökan lämnas skriftligen till handläggaren."
    new = "Kontakta mottagningsgruppen per telefon vardagar."
    result = diff(old, new)
    assert result.blocks == (
        Block(REMOVED, (Span(DELETE, old),)),
        Block(ADDED, (Span(INSERT, new),)),
    )
    assert (result.inserted_words, result.deleted_words) == (5, 5)


def test_surplus_blocks_in_a_replace_are_removed_and_added() -> None:
    old = "Inledning.\n\nRegeln gäller alla ärenden i verksamheten.\n\nSlut."
    new = "Inledning.\n\nRegeln gäller nya ärenden i verksamheten.\n\nHelt ny mening här.\n\nSlut."
    result = diff(old, new)
    assert kinds(result) == [SAME, CHANGED, ADDED, SAME]


@pytest.mark.parametrize("block, expected", [
    ("Se [socialtjänstlagen](https://lagen.nu/2001:453#K11) kap 11.", "Se socialtjänstlagen kap 11."),
    ("Det är **viktigt**, *bråttom*, __fett__ och _lutande_.", "Det är viktigt, bråttom, fett och lutande."),
    ("- Ring **samma dag**", "Ring samma dag"),
    ("12. Skicka beslut", "Skicka beslut"),
    ("## 5 § Ansvar", "5 § Ansvar"),
    ("Kör `handbok check` nu", "Kör handbok check nu"),
    ("| Roll | Ansvar |", "Roll | Ansvar"),
    ("|------|:------:|", ""),
    ("Före <!-- utkast, ta bort --> efter", "Före efter"),
    ("<!-- bara en kommentar -->", ""),
    ("Rad ett\n   rad   två", "Rad ett rad två"),
    ("filnamn_med_understreck och 5 * 3", "filnamn_med_understreck och 5 * 3"),
    ("Åtgärd § 4 – ökning med 50 %", "Åtgärd § 4 – ökning med 50 %"),
])
def test_plain(block: str, expected: str) -> None:
    assert plain(block) == expected


def test_blocks_of_splits_structure() -> None:
    markdown = (
        "# Titel\n"
        "Stycke ett\nfortsätter.\n\n"
        "- punkt ett\n  fortsättning\n* punkt två\n1. numrerad\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "```\nkod\n\nmer kod\n```\n"
        "Sist.   \n\n\n"
    )
    assert blocks_of(markdown) == [
        "# Titel",
        "Stycke ett\nfortsätter.",
        "- punkt ett\n  fortsättning",
        "* punkt två",
        "1. numrerad",
        "| A | B |",
        "|---|---|",
        "| 1 | 2 |",
        "```\nkod\n\nmer kod\n```",
        "Sist.",
    ]


def test_unclosed_fence_runs_to_the_end() -> None:
    assert blocks_of("Före.\n\n~~~\nkod\n\n# inte rubrik") == ["Före.", "~~~\nkod\n\n# inte rubrik"]
    result = diff("Före.\n\n~~~\nkod", "Före.\n\n~~~\nkod ändrad")
    assert result.inserted_words == 1


def test_table_row_change_is_one_row() -> None:
    old = "| Roll | Ansvar |\n|---|---|\n| Chef | Beslut |\n| Handläggare | Utredning |"
    new = old.replace("Utredning", "Utredning och uppföljning")
    result = diff(old, new)
    changed = only(result, CHANGED)
    assert changed.spans == (Span(EQUAL, "Handläggare | Utredning"), Span(INSERT, "och uppföljning"))


def test_long_text_is_handled() -> None:
    old = "\n\n".join(f"Stycke {n} om rutinen." for n in range(2000))
    new = old.replace("Stycke 1000 om", "Stycke 1000 gäller")
    result = diff(old, new)
    assert kinds(result) == [SKIPPED, SAME, CHANGED, SAME, SKIPPED]
    assert (result.inserted_words, result.deleted_words) == (1, 1)


NASTY = [
    "",
    "\r\n\r\n",
    "```",
    "~~~\n<!-- i kod\n\n",
    "<!-- aldrig stängd\n\n# Rubrik",
    "-->",
    "# \n##\n###### x ######",
    "| | |\n|-|\n|",
    "a | b\n--|--\n\\| c",
    "**_`*`_**",
    "[](\n)[x](y(z)",
    "\\",
    "\ue000999\ue001 och \ue0000\ue001",
    "- \n* \n+ \n1.\n  ",
    "> > - [länk](u) **",
    "\r\r\n\t\x0c\x0b",
    "ord " * 3000,
]


@pytest.mark.parametrize("old", NASTY)
@pytest.mark.parametrize("new", NASTY[:6] + ["Ny text här."])
def test_any_input_is_handled_and_counts_match_spans(old: str, new: str) -> None:
    result = diff(old, new)
    assert result == diff(old, new)
    inserted = sum(len(s.text.split()) for b in result.blocks for s in b.spans if s.op == INSERT)
    deleted = sum(len(s.text.split()) for b in result.blocks for s in b.spans if s.op == DELETE)
    assert (inserted, deleted) == (result.inserted_words, result.deleted_words)
    assert result.changed == bool(inserted or deleted)
    assert not diff(old, old).changed
    assert not diff(new, new, context=0).changed
