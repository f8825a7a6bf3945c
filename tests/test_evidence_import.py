"""Tests for `handbok evidens import`: RIS/BibTeX files in, evidence entry files out (real files in tmp dirs)."""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handbok.evidence.importer import (
    PLACEHOLDER_SUMMARY,
    Reference,
    clean,
    create_exclusive,
    front_matter,
    run_import,
)
from handbok.source.frontmatter import parse_source

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = datetime.date(2026, 3, 1)
BRIEF_ORDER = ["id", "title", "kind", "authors", "publisher", "year", "areas", "url", "file", "reviewed",
               "review_interval", "owner", "language", "doi", "isbn", "keywords"]


def run(source, target, *, dry_run=False, existing_ids=(), **kw):
    out, err = io.StringIO(), io.StringIO()
    code = run_import(source, target, dry_run=dry_run, existing_ids=set(existing_ids), today=TODAY,
                      out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


def read_entry(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    fm, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(fm), body.strip()


def entries(target: Path) -> dict[str, tuple[dict, str]]:
    return {p.stem: read_entry(p) for p in sorted(target.glob("*.md"))}


# --- RIS ----------------------------------------------------------------------------------------------
def test_zotero_ris_maps_every_field(tmp_path):
    target = tmp_path / "evidens"
    code, out, err = run(FIXTURES / "zotero.ris", target)
    assert (code, err) == (0, "")
    got = entries(target)
    assert sorted(got) == ["andersson-2021-motiverande", "kunskapsguiden", "socialstyrelsen-2011-ledningssystem",
                           "socialstyrelsen-2018-grundbok", "socialstyrelsen-2024-statistik"]

    meta, body = got["andersson-2021-motiverande"]
    assert meta == {
        "id": "andersson-2021-motiverande",
        "title": "Motiverande samtal inom socialtjänsten: en randomiserad studie i tre kommuner",
        "kind": "forskningsrapport",
        "authors": ["Andersson, Anna", "Öberg, Åsa", "Jönsson, Lars-Åke"],
        "year": 2021,
        "areas": [],
        "url": "https://doi.org/10.1234/smt.2021.042",
        "reviewed": TODAY,
        "review_interval": "vartannat år",
        "language": "sv",
        "doi": "10.1234/smt.2021.042",
        "keywords": ["motiverande samtal", "missbruk", "beroende"],
    }
    assert body.startswith("Studien jämför motiverande samtal")

    meta, body = got["socialstyrelsen-2018-grundbok"]
    assert meta["title"] == "Grundbok i BBIC – Barns behov i centrum"
    assert meta["kind"] == "forskningsrapport"  # RPRT
    assert (meta["authors"], meta["publisher"]) == (["Socialstyrelsen"], "Socialstyrelsen")
    assert meta["isbn"] == "978-91-7555-462-6"
    assert meta["url"] == "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/barn-och-unga/bbic/"
    assert meta["keywords"] == ["utredning", "barn"]  # "utredning, barn" split on the comma
    assert meta["language"] == "sv"  # "svenska"
    assert "doi" not in meta
    assert body == PLACEHOLDER_SUMMARY

    meta, _ = got["socialstyrelsen-2011-ledningssystem"]  # GOVDOC without author: publisher only
    assert meta["kind"] == "föreskrift/vägledning"
    assert "authors" not in meta and meta["publisher"] == "Socialstyrelsen"

    meta, _ = got["socialstyrelsen-2024-statistik"]
    assert (meta["kind"], meta["language"]) == ("statistik", "en")

    meta, _ = got["kunskapsguiden"]  # ELEC without year and author
    assert "year" not in meta and "authors" not in meta and meta["kind"] == "metodstöd"

    for meta, _ in got.values():
        keys = list(meta)
        assert keys == [k for k in BRIEF_ORDER if k in keys], "key order as in the brief"

    assert "Skapade " + (target / "andersson-2021-motiverande.md").as_posix() + " (forskningsrapport, 2021)" in out
    assert "kunskapsguiden.md (metodstöd, år saknas)" in out
    assert "år saknas" in out and "behöver ett år" in out
    assert "författare och utgivare saknas" in out
    assert "dubblett av posten på rad 1 (samma DOI)" in out
    assert "areas är tom" in out
    assert out.rstrip().endswith("5 skapade, 1 hoppades över")


def test_written_file_has_areas_comment_and_reads_with_the_handbook_parser(tmp_path):
    target = tmp_path / "evidens"
    run(FIXTURES / "zotero.ris", target)
    raw = (target / "andersson-2021-motiverande.md").read_bytes()
    assert "areas: []  # Fyll i verksamhetsområden".encode() in raw
    assert "socialtjänsten".encode() in raw  # UTF-8, not \xe4 escapes
    source = parse_source(raw, "evidens/andersson-2021-motiverande.md")
    assert source.problems == []
    assert source.meta["title"] == "Motiverande samtal inom socialtjänsten: en randomiserad studie i tre kommuner"


def test_endnote_ris_with_bom_crlf_and_old_tags(tmp_path):
    target = tmp_path / "evidens"
    code, out, err = run(FIXTURES / "endnote.ris", target)
    assert (code, err) == (0, "")
    got = entries(target)
    assert sorted(got) == ["ek-2019-forhandsbedomningar", "lindqvist-2016-barns", "nilsson-socialt"]

    meta, body = got["ek-2019-forhandsbedomningar"]
    assert meta["title"] == "Förhandsbedömningar inom den sociala barnavården: en kartläggning"  # T1
    assert meta["authors"] == ["Ek, Märta", "Åström, Örjan"]  # A1
    assert meta["year"] == 2019  # Y1 2019///
    assert meta["isbn"] == "91-7555-123-X"  # "(pdf)" dropped
    assert meta["publisher"] == "Göteborgs universitet, Institutionen för socialt arbete"
    assert meta["url"] == "http://hdl.handle.net/2077/12345"
    assert body == ("Rapporten beskriver hur 40 kommuner gör förhandsbedömningar efter en orosanmälan "
                    "och hur lång tid det tar.")  # N2 over two lines

    assert got["lindqvist-2016-barns"][0]["kind"] == "forskningsrapport"  # THES
    meta, _ = got["nilsson-socialt"]
    assert (meta["kind"], meta["isbn"]) == ("kunskapsöversikt", "978-91-44-12345-6")  # BOOK; "ISBN " dropped
    assert "year" not in meta
    assert "dubblett av posten på rad 1 (samma titel och år)" in out
    assert out.rstrip().endswith("3 skapade, 1 hoppades över")


def test_cp1252_ris_gives_the_same_entries_and_says_which_encoding(tmp_path):
    utf8_dir, legacy_dir = tmp_path / "utf8", tmp_path / "cp1252"
    run(FIXTURES / "endnote.ris", utf8_dir)
    code, out, err = run(FIXTURES / "endnote-cp1252.ris", legacy_dir)
    assert (code, err) == (0, "")
    assert "inte UTF-8" in out and "Windows-1252" in out
    names = sorted(p.name for p in utf8_dir.iterdir())
    assert names == sorted(p.name for p in legacy_dir.iterdir())
    for name in names:
        assert (legacy_dir / name).read_bytes() == (utf8_dir / name).read_bytes()


# --- BibTeX -------------------------------------------------------------------------------------------
def test_bibtex_maps_fields_and_decodes_latex(tmp_path):
    target = tmp_path / "evidens"
    code, out, err = run(FIXTURES / "library.bib", target)
    assert (code, err) == (0, "")
    got = entries(target)
    assert sorted(got) == ["bergstrom-2020-effekter", "ivo-2023-tillsynsrapport", "lundstrom-sociala",
                           "sammanhallen", "socialstyrelsen-2022-handlaggning"]

    meta, body = got["bergstrom-2020-effekter"]
    assert meta == {
        "id": "bergstrom-2020-effekter",
        "title": "Effekter av MST för ungdomar med normbrytande beteende: en systematisk översikt",
        "kind": "kunskapsöversikt",  # "systematisk översikt" in the title wins over @article
        "authors": ["Bergström, Malin", "Åkesson, Björn", "von Essen, Karl"],
        "year": 2020,
        "areas": [],
        "url": "https://doi.org/10.1080/2156857X.2020.1723456",
        "reviewed": TODAY,
        "review_interval": "vartannat år",
        "language": "sv",
        "doi": "10.1080/2156857X.2020.1723456",
        "keywords": ["MST", "ungdomar", "normbrytande beteende"],
    }
    assert body == "Vi sammanställer 12 studier om multisystemisk terapi (MST) &amp; jämför effekter."

    meta, _ = got["socialstyrelsen-2022-handlaggning"]
    assert meta["title"] == "Handläggning och dokumentation inom socialtjänsten"
    assert meta["kind"] == "forskningsrapport"  # @techreport
    assert meta["authors"] == ["Socialstyrelsen"]
    assert meta["publisher"] == "Socialstyrelsen"  # institution = @string sos
    assert meta["isbn"] == "978-91-7555-555-5"
    assert meta["url"].endswith("/handbocker/2022-1-1234.pdf")

    meta, _ = got["ivo-2023-tillsynsrapport"]
    assert meta["kind"] == "metodstöd"  # @misc
    assert meta["authors"] == ["Inspektionen för vård och omsorg (IVO)"]  # braces keep it one author
    assert meta["title"] == "Tillsynsrapport 2023: Vad har IVO sett?"
    # \url{…} in howpublished, with '%' kept (LaTeX would read it as a comment)
    assert meta["url"] == "https://www.ivo.se/publicerat-material/rapporter/tillsynsrapport-2023/?utm_source=x%20y"

    meta, _ = got["lundstrom-sociala"]
    assert meta["authors"] == ["Lundström, Tommy", "Sallnäs, Marie"]
    assert (meta["kind"], meta["publisher"]) == ("kunskapsöversikt", "Liber")
    assert "year" not in meta and "url" not in meta

    meta, _ = got["sammanhallen"]  # @online without author and year
    assert meta["url"] == "https://kunskapsguiden.se/omraden-och-teman/aldre/"
    assert "authors" not in meta and "publisher" not in meta

    assert "nyckeln ”Bergstrom2020” förekommer redan" in out and "rad 57" in out
    assert "(samma DOI)" in out
    assert "länk saknas" in out
    assert out.rstrip().endswith("5 skapade, 2 hoppades över")


def test_bibtex_sniffed_from_content_and_ris_sniffed_from_content(tmp_path):
    bib = tmp_path / "export.txt"
    bib.write_bytes((FIXTURES / "library.bib").read_bytes())
    ris = tmp_path / "export-endnote.txt"
    ris.write_bytes((FIXTURES / "endnote.ris").read_bytes())
    assert run(bib, tmp_path / "a")[0] == 0
    assert len(list((tmp_path / "a").glob("*.md"))) == 5
    assert run(ris, tmp_path / "b")[0] == 0
    assert len(list((tmp_path / "b").glob("*.md"))) == 3


# --- duplicates, existing files, re-runs ----------------------------------------------------------
def test_never_overwrites_an_existing_file(tmp_path):
    target = tmp_path / "evidens"
    target.mkdir()
    existing = target / "andersson-2021-motiverande.md"
    original = b"---\nid: andersson-2021-motiverande\ntitle: Min egen text\n---\nHandskriven sammanfattning.\n"
    existing.write_bytes(original)
    code, out, err = run(FIXTURES / "zotero.ris", target)
    assert (code, err) == (0, "")
    assert existing.read_bytes() == original
    assert f"{existing.as_posix()}: filen finns redan, hoppar över" in out
    assert out.rstrip().endswith("4 skapade, 2 hoppades över")


def test_existing_id_in_library_is_skipped(tmp_path):
    target = tmp_path / "evidens"
    code, out, _ = run(FIXTURES / "zotero.ris", target, existing_ids={"socialstyrelsen-2018-grundbok"})
    assert code == 0
    assert not (target / "socialstyrelsen-2018-grundbok.md").exists()
    assert "id ”socialstyrelsen-2018-grundbok” finns redan" in out


def test_rerun_creates_nothing_and_changes_nothing(tmp_path):
    target = tmp_path / "evidens"
    run(FIXTURES / "library.bib", target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    code, out, _ = run(FIXTURES / "library.bib", target)
    assert code == 0
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert out.rstrip().endswith("0 skapade, 7 hoppades över")


def test_create_exclusive_does_not_clobber_a_file_that_appeared(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"someone else")
    assert create_exclusive(path, b"ours") is False
    assert path.read_bytes() == b"someone else"
    dangling = tmp_path / "link.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    assert create_exclusive(dangling, b"ours") is False
    assert not (tmp_path / "nowhere.md").exists()
    assert create_exclusive(tmp_path / "new.md", b"ours") is True
    assert (tmp_path / "new.md").read_bytes() == b"ours"
    assert sorted(os.listdir(tmp_path)) == ["link.md", "new.md", "x.md"]  # no temp files left


def test_ids_are_deduplicated_within_the_file(tmp_path):
    src = tmp_path / "lista.ris"
    src.write_text("TY  - JOUR\nTI  - Motiverande samtal\nAU  - Andersson, Anna\nPY  - 2021\nER  - \n"
                   "TY  - JOUR\nTI  - Motiverande intervjuer i praktiken\nAU  - Andersson, Bo\nPY  - 2021\nER  - \n"
                   "TY  - JOUR\nTI  - Om motiverande arbete\nAU  - Andersson, Cia\nPY  - 2021\nER  - \n",
                   encoding="utf-8")
    code, out, _ = run(src, tmp_path / "ev")
    assert code == 0
    got = entries(tmp_path / "ev")
    assert sorted(got) == ["andersson-2021-motiverande", "andersson-2021-motiverande-2",
                           "andersson-2021-motiverande-3"]  # "Om" is not a significant word
    assert got["andersson-2021-motiverande-3"][0]["title"] == "Om motiverande arbete"


def test_reference_without_title_is_skipped_and_reported(tmp_path):
    src = tmp_path / "lista.ris"
    src.write_text("TY  - JOUR\nAU  - Ek, Anna\nPY  - 2020\nER  - \nTY  - JOUR\nTI  - Med titel\nPY  - 2020\nER  - \n",
                   encoding="utf-8")
    code, out, _ = run(src, tmp_path / "ev")
    assert code == 0
    assert f"{src}:1: titel saknas" in out
    assert [p.name for p in (tmp_path / "ev").iterdir()] == ["2020-titel.md"]


# --- dry run, defaults, warnings --------------------------------------------------------------------
def test_dry_run_writes_nothing_and_prints_front_matter(tmp_path):
    target = tmp_path / "evidens"
    code, out, err = run(FIXTURES / "zotero.ris", target, dry_run=True)
    assert (code, err) == (0, "")
    assert not target.exists()
    assert "Skulle skapa " + (target / "andersson-2021-motiverande.md").as_posix() in out
    block = out.split("andersson-2021-motiverande.md (forskningsrapport, 2021)\n---\n", 1)[1].split("\n---\n")[0]
    assert yaml.safe_load(block)["authors"] == ["Andersson, Anna", "Öberg, Åsa", "Jönsson, Lars-Åke"]
    assert "inget skrevs: 5 skulle skapas, 1 hoppades över" in out


def test_dry_run_reports_existing_files_as_skipped(tmp_path):
    target = tmp_path / "evidens"
    target.mkdir()
    (target / "kunskapsguiden.md").write_bytes(b"egen")
    code, out, _ = run(FIXTURES / "zotero.ris", target, dry_run=True)
    assert code == 0
    assert "kunskapsguiden.md: filen finns redan, hoppar över" in out
    assert "Skulle skapa " + (target / "kunskapsguiden.md").as_posix() not in out
    assert "4 skulle skapas, 2 hoppades över" in out
    assert [p.name for p in target.iterdir()] == ["kunskapsguiden.md"]


def test_target_that_is_a_file_exits_1(tmp_path):
    target = tmp_path / "evidens"
    target.write_bytes(b"inte en mapp")
    code, _, err = run(FIXTURES / "zotero.ris", target)
    assert code == 1 and "är ingen mapp" in err
    assert target.read_bytes() == b"inte en mapp"


def test_default_area_and_interval(tmp_path):
    target = tmp_path / "evidens"
    code, out, _ = run(FIXTURES / "zotero.ris", target, default_area="barn-och-unga", default_interval="årligen")
    assert code == 0
    meta, _ = read_entry(target / "socialstyrelsen-2018-grundbok.md")
    assert (meta["areas"], meta["review_interval"]) == (["barn-och-unga"], "årligen")
    assert "areas är tom" not in out


def test_unsafe_url_dropped_and_future_year_warned(tmp_path):
    src = tmp_path / "lista.ris"
    src.write_text("TY  - ELEC\nTI  - Farlig länk\nAU  - Ek, Anna\nPY  - 2031\nUR  - javascript:alert(1)\nER  - \n",
                   encoding="utf-8")
    code, out, _ = run(src, tmp_path / "ev")
    assert code == 0
    meta, _ = read_entry(tmp_path / "ev" / "ek-2031-farlig.md")
    assert "url" not in meta
    assert "ingen http(s)-adress" in out and "2031 ligger i framtiden" in out


@pytest.mark.parametrize("ris_type, kind", [
    ("RPRT", "forskningsrapport"), ("JOUR", "forskningsrapport"), ("THES", "forskningsrapport"),
    ("BOOK", "kunskapsöversikt"), ("CHAP", "kunskapsöversikt"), ("GOVDOC", "föreskrift/vägledning"),
    ("STAT", "föreskrift/vägledning"), ("DATA", "statistik"), ("ELEC", "metodstöd"), ("XYZ", "metodstöd"),
])
def test_kind_table_for_ris_types(tmp_path, ris_type, kind):
    src = tmp_path / "a.ris"
    src.write_text(f"TY  - {ris_type}\nTI  - Rapport om hemtjänst\nPB  - Kommunen\nPY  - 2020\nER  - \n",
                   encoding="utf-8")
    code, out, _ = run(src, tmp_path / "ev")
    assert code == 0
    assert read_entry(tmp_path / "ev" / "kommunen-2020-rapport.md")[0]["kind"] == kind
    assert ("okänd referenstyp ”XYZ”" in out) == (ris_type == "XYZ")


@pytest.mark.parametrize("title, kind", [
    ("Nationella riktlinjer för vård och stöd vid missbruk och beroende", "nationella riktlinjer"),
    ("Brukarundersökning individ- och familjeomsorg 2023", "brukarundersökning"),
    ("Utvärdering av mobila team", "utvärdering"),
])
def test_title_words_refine_the_kind(tmp_path, title, kind):
    src = tmp_path / "a.bib"
    src.write_text(f"@techreport{{k, title={{{title}}}, institution={{Socialstyrelsen}}, year=2020}}\n",
                   encoding="utf-8")
    assert run(src, tmp_path / "ev")[0] == 0
    [path] = (tmp_path / "ev").glob("*.md")
    assert read_entry(path)[0]["kind"] == kind


# --- hostile input ----------------------------------------------------------------------------------
HOSTILE_TITLES = [
    "Barn: vad säger forskningen?",
    '"Citat" och \'apostrofer\'',
    "# inte en kommentar",
    "*stjärna i början",
    "&ankare och !tagg",
    "<script>alert('x')</script>",
    "- börjar som en lista",
    "yes",
    "2021",
    "null",
    "---",
    "{klammer} [hakparentes] | > % @ `",
    "Titel med\ttabb",
]


def test_hostile_titles_round_trip_through_the_written_file(tmp_path):
    src = tmp_path / "farlig.ris"
    src.write_text("".join(f"TY  - RPRT\nTI  - {t}\nPB  - Kommunen\nPY  - {1990 + i}\nER  - \n"
                           for i, t in enumerate(HOSTILE_TITLES)), encoding="utf-8")
    code, out, err = run(src, tmp_path / "ev")
    assert (code, err) == (0, "")
    titles = {read_entry(p)[0]["title"] for p in (tmp_path / "ev").glob("*.md")}
    assert titles == {clean(t) for t in HOSTILE_TITLES}
    for path in (tmp_path / "ev").glob("*.md"):
        assert parse_source(path.read_bytes(), f"evidens/{path.name}").problems == []


def test_abstract_html_is_escaped_in_the_body(tmp_path):
    src = tmp_path / "a.ris"
    src.write_text("TY  - RPRT\nTI  - T\nPB  - K\nPY  - 2020\nAB  - Se <script>alert(1)</script> & mer\nER  - \n",
                   encoding="utf-8")
    run(src, tmp_path / "ev")
    [path] = (tmp_path / "ev").glob("*.md")
    assert read_entry(path)[1] == "Se &lt;script&gt;alert(1)&lt;/script&gt; &amp; mer"


text_values = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60).map(clean)


@settings(max_examples=300, deadline=None)
@given(title=text_values, author=text_values, publisher=text_values, keyword=text_values, area=text_values)
def test_front_matter_round_trips_any_text(title, author, publisher, keyword, area):
    ref = Reference(line=1, kind="metodstöd", title=title or "x", authors=[author] if author else [],
                    publisher=publisher, year=2020, keywords=[keyword] if keyword else [])
    fm = front_matter(ref, "x-2020", today=TODAY, area=area or None, interval="vartannat år")
    assert "\n---\n" not in f"\n{fm}"  # nothing can end the front matter early
    meta = yaml.safe_load(fm)
    assert meta["title"] == ref.title
    assert meta.get("authors", []) == ref.authors
    assert meta.get("publisher", "") == publisher
    assert meta.get("keywords", []) == ref.keywords
    assert meta["areas"] == ([area] if area else [])


# --- broken files -----------------------------------------------------------------------------------
def test_broken_bibtex_exits_1_with_swedish_message_and_writes_nothing(tmp_path):
    target = tmp_path / "evidens"
    code, out, err = run(FIXTURES / "broken.bib", target)
    assert code == 1
    assert f"{FIXTURES / 'broken.bib'}:13: posten som börjar på rad 7 kunde inte tolkas" in err
    assert "saknas ”}”" in err and "Inget importerades" in err
    assert "Traceback" not in err + out
    assert not target.exists()  # not even the valid first entry


def test_broken_ris_exits_1_naming_the_line(tmp_path):
    code, out, err = run(FIXTURES / "broken.ris", tmp_path / "ev")
    assert code == 1
    assert f"{FIXTURES / 'broken.ris'}:11: en ny post" in err and "rad 7" in err
    assert not (tmp_path / "ev").exists()


def test_truncated_ris_exits_1(tmp_path):
    src = tmp_path / "avklippt.ris"
    src.write_text("TY  - JOUR\nTI  - Hel\nER  - \nTY  - JOUR\nTI  - Avklip", encoding="utf-8")
    code, _, err = run(src, tmp_path / "ev")
    assert code == 1 and f"{src}:4: posten avslutas aldrig" in err


def test_ris_extension_without_records_exits_1(tmp_path):
    src = tmp_path / "tom.ris"
    src.write_text("Det här är ingen RIS-fil.\n", encoding="utf-8")
    code, _, err = run(src, tmp_path / "ev")
    assert code == 1 and "inga RIS-poster" in err


def test_unknown_format_exits_2(tmp_path):
    code, out, err = run(FIXTURES / "unknown.txt", tmp_path / "ev")
    assert code == 2 and "okänt format" in err and "unknown.txt" in err
    assert not (tmp_path / "ev").exists()


def test_missing_file_exits_1(tmp_path):
    code, _, err = run(tmp_path / "finns-inte.ris", tmp_path / "ev")
    assert code == 1 and "finns-inte.ris: filen finns inte" in err


def test_non_utf8_bibtex_exits_1_with_line(tmp_path):
    src = tmp_path / "gammal.bib"
    src.write_bytes("@book{a,\n  title = {Ålderdom},\n  year = 2001\n}\n".encode("latin-1"))
    code, _, err = run(src, tmp_path / "ev")
    assert code == 1 and f"{src}:2: filen är inte UTF-8" in err and "Traceback" not in err
