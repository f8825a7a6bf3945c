"""Invariants of the built-in SOSFS 2011:9 requirement catalogue (data, not code).

These tests check how the catalogue records what is known and what is not: they do not
hard-code which paragraphs are verified, so a later check against the consolidated text can
flip an entry without touching this file, as long as it brings a source and a note.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from handbok.core.coverage import load_catalogue

DOCUMENT_TYPES = {"process", "riktlinje", "rutin", "checklista", "instruktion", "policy", "plan",
                  "ansvarsfördelning"}
KNOWN_KEYS = {"id", "chapter", "section", "heading", "summary", "expects", "verified", "note", "source", "practice"}


def _text() -> str:
    return resources.files("handbok.core").joinpath("data/sosfs_2011_9.yml").read_text(encoding="utf-8")


def _raw() -> list[dict]:
    data = yaml.safe_load(_text())
    assert isinstance(data, dict) and data.get("act") == "SOSFS 2011:9"
    assert isinstance(data.get("requirements"), list) and data["requirements"]
    return data["requirements"]


REQUIREMENTS = _raw()
IDS = [str(r.get("id")) for r in REQUIREMENTS]


def _filled(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def test_the_catalogue_loads_through_the_parser_with_every_entry():
    catalogue = load_catalogue()
    assert catalogue.act_number == "SOSFS 2011:9"
    assert [r.id for r in catalogue.requirements] == IDS
    # the parser defaults a missing `verified` to True: the file must never rely on that
    assert [r.verified for r in catalogue.requirements] == [r["verified"] for r in REQUIREMENTS]


def test_no_unknown_keys():
    for r in REQUIREMENTS:
        assert set(r) <= KNOWN_KEYS, f"{r.get('id')}: unknown keys {set(r) - KNOWN_KEYS}"


def test_ids_and_paragraphs_are_unique():
    assert len(IDS) == len(set(IDS))
    places = [(str(r["chapter"]), str(r["section"])) for r in REQUIREMENTS]
    assert len(places) == len(set(places)), "two entries for the same chapter and paragraph"


@pytest.mark.parametrize("req", REQUIREMENTS, ids=IDS)
def test_id_matches_chapter_and_section(req):
    assert isinstance(req["chapter"], str) and isinstance(req["section"], str)
    assert re.fullmatch(r"\d+", req["chapter"])
    assert re.fullmatch(r"\d+( [a-z])?", req["section"])
    assert req["id"] == f"{req['chapter']}-{req['section']}"


@pytest.mark.parametrize("req", REQUIREMENTS, ids=IDS)
def test_every_entry_says_explicitly_whether_it_is_verified(req):
    assert "verified" in req and isinstance(req["verified"], bool)


@pytest.mark.parametrize("req", REQUIREMENTS, ids=IDS)
def test_every_entry_has_heading_summary_expects_and_source(req):
    assert _filled(req.get("heading"))
    assert _filled(req.get("summary"))
    assert "\n" not in req["summary"].strip(), "the summary is one line"
    assert req.get("expects") in DOCUMENT_TYPES
    assert _filled(req.get("source")), "every entry names the source consulted"


@pytest.mark.parametrize("req", [r for r in REQUIREMENTS if r["verified"] is False],
                         ids=[r["id"] for r in REQUIREMENTS if r["verified"] is False])
def test_unverified_entries_say_what_is_uncertain(req):
    assert _filled(req.get("note")), "verified: false needs a note saying what is uncertain"


@pytest.mark.parametrize("req", [r for r in REQUIREMENTS if r["verified"] is True],
                         ids=[r["id"] for r in REQUIREMENTS if r["verified"] is True])
def test_verified_entries_quote_a_source_that_names_the_paragraph(req):
    assert _filled(req.get("source"))
    note = req.get("note")
    assert _filled(note), "verified: true needs a note quoting the source"
    # the quote ties chapter and paragraph together ("3 kap 1 §", "5 kap. 1 §", "4 kap 2-4", "7 kap. 1")
    assert re.search(rf"{req['chapter']} kap\.? ", note), "the note quotes the chapter it verifies"
    # an entry resting only on the domain notes is not verified
    assert "domain.md" not in req["source"]


@pytest.mark.parametrize("section", ["1", "2", "3"])
def test_5_kap_1_to_3_are_verified_only_with_a_source(section):
    matches = [r for r in REQUIREMENTS if r["chapter"] == "5" and r["section"] == section]
    for r in matches:
        if r["verified"]:
            assert _filled(r.get("source")) and "domain.md" not in r["source"]
            assert "SOSFS 2011:9 5 kap" in r["note"] and f"{section} §" in r["note"]
        else:
            assert _filled(r.get("note"))


def test_header_documents_the_fields_and_what_verified_means():
    header = "\n".join(line for line in _text().splitlines() if line.startswith("#"))
    for field in ("verified", "note", "source", "expects"):
        assert field in header
    assert "consolidated text" in header
    assert "HSLF-FS 2023:27" in header


def test_summaries_are_not_duplicated():
    summaries = [r["summary"].strip() for r in REQUIREMENTS]
    assert len(summaries) == len(set(summaries))


def test_requirements_of_work_name_a_known_practice():
    """5 kap. 1, 2, 6 and 7 §§ are covered by the work itself (handbok.core.quality.practice), so their
    `practice` must be a kind that function knows."""
    from handbok.core.quality import PRACTICE_LABELS

    practices = {r["id"]: r["practice"] for r in REQUIREMENTS if "practice" in r}
    assert practices == {"5-1": "riskanalys", "5-2": "kontrollresultat", "5-6": "sammanställning", "5-7": "åtgärd"}
    assert set(practices.values()) <= set(PRACTICE_LABELS)
