"""What the site search knows of a page: synonyms and compound parts (core/synonyms.py), the terms,
filters and facts of a document (core/search.py), their hidden block (render/search.py) and the
part of a page the indexer reads (render/page_shell.search_scope). In-process, on strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbok.core import search, synonyms
from handbok.core.settings import ConfigError
from handbok.render import page_shell
from handbok.render import search as render_search
from handbok.render.templating import default_templates
from handbok.source import reader

ROOT = Path(__file__).resolve().parent.parent

OWN = """\
synonymer:
  orosanmälan: [anmälan om oro]
  socialjouren: [jouren, jour efter kontorstid]
ordled: [mottagning, grupp]
"""


def test_the_shipped_set_knows_the_forms_a_stemmer_cannot():
    syn = synonyms.load()
    assert "orosanmälan" in syn.expansions("Rutin för orosanmälningar")
    assert "ekonomiskt bistånd" in syn.expansions("Försörjningsstöd – riktlinje")
    assert "försörjningsstöd" in syn.expansions("Riktlinje för ekonomiskt bistånd")
    assert "lagen med särskilda bestämmelser om vård av unga" in syn.expansions("LVU")
    # Words the text holds already are not repeated.
    assert "orosanmälningar" not in syn.expansions("Rutin för orosanmälningar")


@pytest.mark.parametrize(("word", "parts"), [
    ("orosanmälan", ["oro", "anmälan"]),             # linking s
    ("Barnsamtalen", ["barn", "samtal"]),            # a noun ending on the last part
    ("hembesök", ["hem", "besök"]),
    ("familjehemsplacering", ["familje", "hem", "placering"]),  # three parts
    ("vårdnadsutredning", ["vårdnad", "utredning"]),
    ("handläggning", []),                            # a part itself, no compound of parts
    ("orosan", []),                                  # no known last part
])
def test_compounds_split_at_known_parts_only(word, parts):
    assert synonyms.load().split(word) == parts


def test_the_handbooks_own_file_adds_to_the_shipped_set(tmp_path):
    own = tmp_path / "synonymer.yml"
    own.write_text(OWN, encoding="utf-8")
    syn = synonyms.load(own)
    group = next(g for g in syn.groups if g[0] == "orosanmälan")
    assert "orosanmälningar" in group and "anmälan om oro" in group  # merged, not replaced
    assert "jour efter kontorstid" in syn.expansions("Socialjouren")
    assert syn.split("mottagningsgruppen") == ["mottagning", "grupp"]
    assert synonyms.load(own, defaults=False).expansions("orosanmälningar") == []


@pytest.mark.parametrize(("text", "message"), [
    ("synonymer:\n  orosanmälan: [a, b\n", r"synonymer\.yml:\d+: synonymfilen är inte giltig YAML"),
    ("synonymer:\n  orosanmälan: []\n", r"synonymer\.yml:2: ”orosanmälan” under ”synonymer:” behöver minst en synonym"),
    ("synonymer:\n  - orosanmälan\n", r"synonymer\.yml:2: under ”synonymer:” ska varje rad vara ett sökord"),
    ("synonymer:\n  a: [b]\nsynonymr:\n  c: [d]\n", r"synonymer\.yml:3: okänt avsnitt ”synonymr”"),
    ("synonymer:\n  a: [b, {c: d}]\n", r"synonymer\.yml:2: här ska stå ett ord eller uttryck"),
    ("- bara en lista\n", r"synonymer\.yml:1: synonymfilen ska ha avsnitten"),
    ("synonymer:\n  kalle: [19811218-9876]\n",
     r"synonymer\.yml:2: synonymfilen innehåller ett personnummer \(19811218-\*\*\*\*\)"),
])
def test_a_broken_synonym_file_is_named_with_its_line(tmp_path, text, message):
    path = tmp_path / "synonymer.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        synonyms.load(path)


def test_a_synonym_file_that_is_not_utf8_or_missing_is_a_swedish_error(tmp_path):
    path = tmp_path / "synonymer.yml"
    path.write_bytes("synonymer:\n  växel: [telefonväxel]\n".encode("cp1252"))
    with pytest.raises(ConfigError, match="inte sparad som UTF-8"):
        synonyms.load(path)
    with pytest.raises(ConfigError, match="kan inte läsas"):
        synonyms.load(tmp_path / "saknas.yml")


# --- a document's entry -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    from handbok.core.dates import resolve_today
    from handbok.core.settings import settings_from_options

    settings = settings_from_options({"roles_file": "registry/roles.yml", "units_file": "registry/units.yml",
                                      "synonyms_file": "registry/synonymer.yml"}, ROOT)
    return reader.load(ROOT / "handbook", settings, resolve_today("2026-12-01"))


def test_a_documents_terms_hold_its_facts_and_the_synonyms_of_its_title(example):
    doc = example.by_path("ekonomiskt-bistand/riktlinjer/ekonomiskt-bistand.md")
    entry = search.document_entry(doc, example.synonyms)
    assert doc.owner.role in entry.terms and doc.unit.name in entry.terms and "Riktlinje" in entry.terms
    assert all(ref.raw in entry.terms for ref in doc.legal)  # the lagrum as written
    assert all(tag in entry.terms for tag in doc.tags)
    assert "försörjningsstöd" in entry.terms  # a synonym of "ekonomiskt bistånd" in the title
    assert dict(entry.filters) == {"Enhet": doc.unit.name, "Dokumenttyp": "Riktlinje",
                                   "Status": "Aktuell", "Ägare": doc.owner.role}
    assert ("typ", "Riktlinje") in entry.facts and entry.weight is None


def test_a_repealed_document_is_not_searched_and_a_record_counts_for_less(example):
    repealed = next(d for d in example.documents if d.state == "repealed")
    assert search.document_scope(repealed) is search.PageScope.NONE
    record = next(d for d in example.documents if d.is_record)
    assert search.document_entry(record, example.synonyms).weight == search.RECORD_WEIGHT
    assert search.document_scope(record) is search.PageScope.PAGE


def test_the_hidden_block_escapes_what_it_holds_and_marks_where_the_text_ends():
    entry = search.SearchEntry(terms=['<script>alert("x")</script>', "LVU 2 §"],
                               filters=[("Ägare", "Chef & <b>ledare</b>")], facts=[("typ", "Rutin")])
    html = str(render_search.terms(default_templates(), entry).html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<span data-pagefind-filter="Ägare">Chef &amp; &lt;b&gt;ledare&lt;/b&gt;</span>' in html
    assert re.search(rf"<p data-pagefind-weight=\"3\">{search.TERMS_MARK} &lt;script&gt;", html)
    assert html.startswith('<div class="handbok-search-terms" hidden data-handbok-search-terms>')
    assert render_search.terms(default_templates(), search.SearchEntry()) is None


# --- what the indexer reads ---------------------------------------------------------------------------

PAGE = ('<html><body><header><h1>Sidhuvud</h1></header><article class="md-content__inner md-typeset">'
        '<h1 id="x">Revisionsläge</h1><p>Lång lista</p>'
        '<div class="handbok-search-terms" hidden data-handbok-search-terms><p>⁂ revision</p></div>'
        '</article></body></html>')


def test_a_page_is_indexed_whole_by_name_or_not_at_all():
    whole = page_shell.search_scope(PAGE, search.PageScope.PAGE, 0.6)
    assert '<article class="md-content__inner md-typeset" data-pagefind-body="" data-pagefind-weight="0.6">' in whole
    named = page_shell.search_scope(PAGE, search.PageScope.NAME)
    assert named.count("data-pagefind-body") == 2
    assert '<h1 id="x" data-pagefind-body="" data-pagefind-weight="3">' in named  # the article's H1, not the header's
    assert '<div class="handbok-search-terms" hidden data-handbok-search-terms data-pagefind-body="">' in named
    assert page_shell.search_scope(PAGE, search.PageScope.NONE) == PAGE
    assert page_shell.search_scope("<p>no article</p>", search.PageScope.PAGE) == "<p>no article</p>"
