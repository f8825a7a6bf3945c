"""Law references a coordinator can trust: numbers the registry lacks are warnings (publishing goes on),
old SoL paragraphs are named with their new place, and `handbok revise` offers the new reference."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_handbook, run_cli
from handbok.core.legal import ACT_KINDS, load_laws, parse_citation, well_formed_number
from handbok.core.settings import Settings
from handbok.source import reader
from sitebuild import build, find_all, section, text_of, write_site

D = dt.date
TODAY = D(2026, 6, 1)
LAWS = load_laws()


def _doc(legal: list[str], revised: str = "2026-01-10", status: str = "gällande") -> str:
    lines = "\n".join(f"  - {item}" for item in legal)
    return (f"---\ntitle: Rutin\ntype: rutin\nowner: Socialsekreterare\nrevised: {revised}\nreview_interval: årligen\n"
            f"status: {status}\napproved_by: Socialchef\napproved: {revised}\nlegal_basis:\n{lines}\n---\nText.\n")


def _problems(tmp_path, legal: list[str], revised: str = "2026-01-10", **settings):
    make_handbook(tmp_path, {"rutin.md": _doc(legal, revised)})
    book = reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False, **settings), TODAY)
    return book, [p for p in book.problems if p.code in ("unknown-law", "unknown-reference", "repealed-law")]


# --- numbers the registry does not hold ---------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("SFS 2019:1234", ("SFS 2019:1234", 2019)),
    ("HSLF-FS 2024:5", ("HSLF-FS 2024:5", 2024)),
    ("SOSFS 1999:3", ("SOSFS 1999:3", 1999)),
    ("lagen (2019:1234)", ("SFS 2019:1234", 2019)),
    ("EU 2019/1150", ("EU 2019/1150", 2019)),
    ("2019:1234", None),  # a bare number could belong to any series
    ("XYZ", None),
    ("SoL", None),
])
def test_what_counts_as_a_well_formed_act_number(text, expected):
    assert well_formed_number(text) == expected


def test_an_uncatalogued_number_is_a_warning_and_the_reference_is_kept(tmp_path):
    book, problems = _problems(tmp_path, ["SFS 2019:1234 3 §", "LVU 1 §"])
    assert [(p.code, p.severity, p.line) for p in problems] == [("unknown-law", "warning", 11)]
    assert "SFS 2019:1234" in problems[0].message and "laws_file" in problems[0].message
    doc = book.documents[0]
    assert doc.valid  # a gap in the registry does not make the document unreliable
    assert [(r.act.number, r.act.catalogued, r.location) for r in doc.legal] == [
        ("SFS 2019:1234", False, "3 §"), ("SFS 1990:52", True, "1 §")]


def test_an_unknown_abbreviation_and_an_impossible_year_stay_errors(tmp_path):
    _, problems = _problems(tmp_path, ["XYZ 3 §", "SFS 2099:1"])
    assert [(p.code, p.severity) for p in problems] == [("unknown-reference", "error"), ("unknown-reference", "error")]


def test_check_passes_with_an_uncatalogued_number(tmp_path):
    make_handbook(tmp_path, {"rutin.md": _doc(["SFS 2019:1234"])}, options={"coverage": False})
    result = run_cli("check", "--today", "2026-06-01", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rutin.md:11" in result.stdout and "unknown-law" in result.stdout


@pytest.fixture(scope="module")
def law_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("lagar")
    cfg = write_site(root, {
        "index.md": "# Start\n",
        "okand.md": _doc(["SFS 2019:1234 3 §", "SoL 4 kap. 3 §"], revised="2024-05-02"),
        "sekretess.md": _doc(["sekretesslagen 7 kap. 4 §"], revised="2008-05-02"),
    }, roles=["Socialsekreterare", "Socialchef"])
    return build(cfg, root / "site", strict=True, today=TODAY)


def test_a_strict_build_passes_and_lists_the_missing_number(law_site):
    assert law_site.result.returncode == 0, law_site.log
    assert "unknown-law" in law_site.log
    html = law_site.page("handbok/lagrum/")
    missing = section(html, "lagar-saknas")
    assert "SFS 2019:1234" in text_of(missing) and "Rutin" in text_of(missing)


def test_the_law_page_lists_every_act_of_the_registry_grouped_by_kind(law_site):
    html = law_site.page("handbok/lagrum/")
    rows = 0
    for kind in ACT_KINDS:
        group = section(html, f"lagar-{kind.replace('ö', 'o')}")
        rows += len(find_all(find_all(group, "tbody")[0].html, "tr"))
    assert rows == len(LAWS.acts)  # cited or not: the whole list of governing law
    laws = text_of(section(html, "lagar-lag"))
    assert "Regeringsformen" in laws or "regeringsform" in laws.casefold()
    assert "Socialtjänstförordning" in text_of(section(html, "lagar-forordning"))
    # Sekretesslagen is repealed, with a link to the row of its successor.
    assert 'id="lag-sekretesslagen"' in html and 'href="#lag-osl"' in html


def test_repealed_sekretesslagen_gives_the_repealed_law_warning_not_unknown(tmp_path):
    _, problems = _problems(tmp_path, ["sekretesslagen 7 kap. 4 §", "SFS 1980:100"], revised="2008-05-02")
    assert [p.code for p in problems] == ["repealed-law", "repealed-law"]
    assert "SFS 1980:100 upphävdes 2009-06-30" in problems[0].message
    assert "offentlighets- och sekretesslag (2009:400)" in problems[0].message


# --- from the old SoL to the new --------------------------------------------------------

def test_a_routine_revised_2024_citing_the_old_forhandsbedomning_is_told_its_new_place(tmp_path):
    _, problems = _problems(tmp_path, ["SoL 11 kap. 1 a §"], revised="2024-03-01")
    assert [p.code for p in problems] == ["repealed-law"]
    message = problems[0].message
    assert "20 kap. 2 § socialtjänstlagen (2025:400)" in message
    assert "”SoL” tolkas som SFS 2001:453" in message


def test_a_paragraph_with_one_new_place_gets_the_reference_to_write(tmp_path):
    _, problems = _problems(tmp_path, ["SoL 4 kap. 3 §", "SoL 2 kap. 99 §"], revised="2024-03-01")
    riksnorm, unknown = problems
    assert ("4 kap. 3 § motsvaras av 12 kap. 7 § socialtjänstlagen (2025:400); skriv ”SoL 12 kap. 7 §”"
            in riksnorm.message)
    assert "Var 2 kap. 99 § finns i den nya författningen är inte känt" in unknown.message  # never guessed


def test_a_split_paragraph_names_each_stycke_and_a_cited_stycke_gets_its_own_place():
    old = LAWS.acts["sol-2001"]
    whole = LAWS.new_place_text(old, parse_citation("SoL 14 kap. 1 §"))
    assert whole is not None and whole[1] is None  # no single reference to offer
    assert "första stycket motsvaras av 19 kap. 1 §" in whole[0] and "fjärde stycket av 19 kap. 3 §" in whole[0]
    fourth = LAWS.new_place_text(old, parse_citation("SoL 14 kap. 1 § fjärde stycket"))
    assert fourth == ("14 kap. 1 § fjärde stycket motsvaras av 19 kap. 3 § socialtjänstlagen (2025:400)",
                      "SoL 19 kap. 3 §")
    lex_sarah = LAWS.new_place_text(old, parse_citation("SoL 14 kap. 2–7 §§"))
    assert lex_sarah is not None and "7 § av 27 kap. 6 §" in lex_sarah[0] and lex_sarah[1] is None


def test_the_shipped_key_holds_the_three_pairs_confirmed_by_government_texts():
    old = LAWS.acts["sol-2001"]
    for cited, new in [("11 kap. 1 a § andra stycket", "20 kap. 2 §"), ("4 kap. 3 §", "12 kap. 7 §"),
                       ("5 kap. 5 § andra stycket", "8 kap. 4 §")]:
        pairs = LAWS.new_place(old, parse_citation(f"SoL {cited}"))
        assert [p.new_location for p in pairs] == [new], cited
        assert all(p.source for p in pairs)


def test_a_site_adds_its_own_pairs_and_unconfirmed_ones_are_ignored(tmp_path):
    key = tmp_path / "paragrafnyckel.yml"
    key.write_text("provisions:\n"
                   "  - {from: sol-2001, from_location: '2 kap. 99 §', to: sol-2025, to_location: '4 kap. 99 §'}\n"
                   "  - {from: sol-2001, from_location: '2 kap. 98 §', to: sol-2025, to_location: '4 kap. 98 §',"
                   " verified: false}\n", encoding="utf-8")
    _, problems = _problems(tmp_path, ["SoL 2 kap. 99 §", "SoL 2 kap. 98 §"], revised="2024-03-01",
                            provisions_file="paragrafnyckel.yml")
    assert "skriv ”SoL 4 kap. 99 §”" in problems[0].message
    assert "inte känt" in problems[1].message


def test_the_document_panel_names_the_new_place(law_site):
    html = law_site.page("okand/")
    assert "motsvaras av 12 kap. 7 § socialtjänstlagen (2025:400)" in text_of(html)


# --- handbok revise offers the new reference -----------------------------------------------

def _routine(tmp_path) -> str:
    make_handbook(tmp_path, {"rutin.md": _doc(["SoL 4 kap. 3 §", "SoL 11 kap. 1 a §", "LVU 1 §"],
                                              revised="2024-03-01")})
    return "docs/rutin.md"


def test_revise_names_each_old_reference_and_changes_nothing_without_asking(tmp_path):
    path = _routine(tmp_path)
    result = run_cli("revise", path, "--date", "2026-06-01", "--note", "Ny lag.", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Förslag: ”SoL 12 kap. 7 §”" in result.stdout
    assert "20 kap. 2 §" in result.stdout and "Välj rätt paragraf" in result.stdout
    assert "--byt-lagrum" in result.stdout
    text = (tmp_path / path).read_text(encoding="utf-8")
    assert "  - SoL 4 kap. 3 §\n" in text and "revised: 2026-06-01" in text


def test_revise_with_byt_lagrum_replaces_only_what_has_one_new_place(tmp_path):
    path = _routine(tmp_path)
    result = run_cli("revise", path, "--date", "2026-06-01", "--byt-lagrum", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "”SoL 4 kap. 3 §” → ”SoL 12 kap. 7 §”" in result.stdout
    text = (tmp_path / path).read_text(encoding="utf-8")
    assert "  - SoL 12 kap. 7 §\n  - SoL 11 kap. 1 a §\n  - LVU 1 §\n" in text
    # What was written checks clean of that reference: the new law, the new place.
    check = run_cli("check", "docs", "--today", "2026-06-01", "--format", "json", cwd=tmp_path)
    assert "12 kap. 7 §" not in check.stdout
