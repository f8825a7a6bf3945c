"""The search index in real builds: what each page gives the indexer (the marked parts, the hidden
terms and filters), what Pagefind made of it (its fragments, read back from the bundle), and the
settings around it (search off, Material's search listed, a broken synonym file)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import make_handbook, run_cli
from handbok.core.search import TERMS_MARK
from sitebuild import build_example, build_site, content, search_records

pytestmark = pytest.mark.slow

BUNDLE = "handbok/sok"
ROUTINE = ("---\ntitle: Orosanmälan – mottagande\ntype: rutin\nowner: Enhetschef\nunit: barn\nrevised: 2026-05-01\n"
           "review_interval: årligen\nlegal_basis: [SOSFS 2011:9 4 kap. 4 §]\ntags: [skyddsbedömning]\n---\n\n"
           "Så tar vi emot en anmälan om oro.\n")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    built = build_example(tmp_path_factory)
    assert built.result.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def indexed(example):
    return search_records(example.site)


def test_a_document_is_indexed_with_its_text_and_hidden_terms_but_not_its_labels(example, indexed):
    html = example.page("barn-och-unga/rutiner/orosanmalan/")
    assert re.search(r'<article class="md-content__inner[^"]*"[^>]*data-pagefind-body', html)
    terms = re.search(r'<div class="handbok-search-terms" hidden data-handbok-search-terms>.*?</div>\s*</div>',
                      content(html), re.DOTALL)
    assert terms, "the hidden terms block is inside the article"
    page = indexed["barn-och-unga/rutiner/orosanmalan/"]
    text, _, hidden = page["content"].partition(TERMS_MARK)
    assert text.startswith("Orosanmälan – mottagande och skyddsbedömning.") and "Syfte." in text
    for label in ("Dokumentägare", "Nästa revision", "Gällande version", "Om dokumentet", "¶"):
        assert label not in text, label  # the panel and the headings' permalinks are not the text
    assert "orosanmälningar" in hidden and "Enhetschef barn och unga" in hidden and "oro · anmälan" in hidden
    assert page["filters"] == {"Enhet": ["Barn och unga"], "Dokumenttyp": ["Rutin"], "Status": ["Aktuell"],
                               "Ägare": ["Enhetschef barn och unga"]}
    assert page["meta"]["typ"] == "Rutin" and page["meta"]["title"] == "Orosanmälan – mottagande och skyddsbedömning"


def test_repealed_documents_superseded_versions_and_the_404_page_are_not_indexed(example, indexed):
    assert "arkiv/avvikelsehantering-2023/" not in indexed
    assert "data-pagefind-body" not in example.page("arkiv/avvikelsehantering-2023/")
    versions = [url for url in indexed if "-version-" in url or url.endswith("-versioner/")]
    assert versions == []
    assert "data-pagefind-body" not in (example.site / "404.html").read_text(encoding="utf-8")


def test_an_overview_page_is_indexed_by_its_name_not_its_lists(indexed):
    review = indexed["handbok/revisionslage/"]
    assert review["content"].startswith("Revisionsläge.")
    assert len(review["content"].split()) < 40, review["content"]  # not the table of every document
    assert "revisionsdatum" in review["content"] and review["filters"] == {}
    assert review["meta"]["typ"] == "Översikt"


def test_the_bundle_holds_only_what_the_site_uses_and_the_policy_allows_it(example):
    bundle = example.site / BUNDLE
    assert (bundle / "pagefind.js").is_file() and list(bundle.glob("wasm.sv.pagefind"))
    assert not list(bundle.glob("pagefind-*ui*")) and not (bundle / "pagefind-highlight.js").exists()
    assert not (example.site / "search" / "search_index.json").exists()  # Material's index is not built
    policy = (example.site / "content-security-policy.txt").read_text(encoding="utf-8")
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "'unsafe-eval'" not in policy
    html = example.page("")
    assert 'data-md-component="search"' not in html and 'name="search"' not in html  # Material's search stays off
    assert re.search(r'<input type="search"[^>]*aria-label="Sök i handboken"', html)
    assert 'data-bundle="handbok/sok/pagefind.js"' in html


def test_the_index_is_the_same_on_every_build(example, tmp_path_factory):
    again = build_example(tmp_path_factory, strict=False)  # another build of the same sources
    assert again.result.returncode == 0, again.log
    first = {p.relative_to(example.site / BUNDLE): p.read_bytes() for p in (example.site / BUNDLE).rglob("*")
             if p.is_file()}
    second = {p.relative_to(again.site / BUNDLE): p.read_bytes() for p in (again.site / BUNDLE).rglob("*")
              if p.is_file()}
    assert first.keys() == second.keys() and first == second


def test_with_search_off_materials_search_is_left_as_it_was(tmp_path):
    built = build_site(tmp_path, {"rutiner/orosanmalan.md": ROUTINE}, roles=["Enhetschef"],
                       units=[{"id": "barn", "name": "Barn och unga"}], options={"search": False}, strict=True)
    assert built.result.returncode == 0, built.log
    assert (built.site / "search" / "search_index.json").exists() and not (built.site / BUNDLE).exists()
    html = built.page("rutiner/orosanmalan/")
    assert 'data-md-component="search"' in html and "data-handbok-search" not in html
    assert "data-pagefind-body" not in html and "data-handbok-search-terms" not in html


def test_the_handbooks_own_synonyms_are_indexed(tmp_path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "synonymer.yml").write_text(
        "synonymer:\n  orosanmälan: [larm om barn]\nordled: [mottagande]\n", encoding="utf-8")
    built = build_site(tmp_path, {"rutiner/orosanmalan.md": ROUTINE}, roles=["Enhetschef"],
                       units=[{"id": "barn", "name": "Barn och unga"}],
                       options={"synonyms_file": "registry/synonymer.yml"}, strict=True)
    assert built.result.returncode == 0, built.log
    hidden = search_records(built.site)["rutiner/orosanmalan/"]["content"].partition(TERMS_MARK)[2]
    assert "larm om barn" in hidden and "orosanmälningar" in hidden  # own and shipped synonyms
    assert "skyddsbedömning" in hidden  # keywords too


def test_a_broken_synonym_file_stops_the_build_with_its_line(tmp_path):
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "synonymer.yml").write_text("synonymer:\n  orosanmälan: []\n", encoding="utf-8")
    built = build_site(tmp_path, {"rutiner/orosanmalan.md": ROUTINE}, roles=["Enhetschef"],
                       units=[{"id": "barn", "name": "Barn och unga"}],
                       options={"synonyms_file": "registry/synonymer.yml"})
    assert built.result.returncode != 0
    assert re.search(r"registry/synonymer\.yml:2: ”orosanmälan” under ”synonymer:” behöver minst en synonym",
                     built.log), built.log
    assert "Traceback" not in built.log


def test_handbok_check_names_a_broken_synonym_file_too(tmp_path):
    make_handbook(tmp_path, {"rutiner/orosanmalan.md": ROUTINE}, roles=["Enhetschef"],
                  units=[{"id": "barn", "name": "Barn och unga"}], options={"synonyms_file": "registry/synonymer.yml"})
    (tmp_path / "registry" / "synonymer.yml").write_text("synonymer:\n  jour: [jouren\nordled: [x]\n",
                                                         encoding="utf-8")
    result = run_cli("check", "docs", "--today", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(r"registry/synonymer\.yml:\d+: synonymfilen är inte giltig YAML", result.stderr), result.stderr


def test_the_word_index_is_cut_small_and_its_chunks_name_their_words(example):
    from handbok.search import indexer

    bundle = example.site / BUNDLE
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = indexer._read_chunk(bundle / f"pagefind.{entry['languages']['sv']['hash']}.pf_meta")
    chunks = meta[indexer._CHUNKS_AT]
    assert len(chunks) > 1 and {p.name for p in (bundle / "index").iterdir()} == {f"{c[2]}.pf_index" for c in chunks}
    previous = ""
    for first, last, name in chunks:
        words = indexer._read_chunk(bundle / "index" / f"{name}.pf_index")[0]
        names = [w[0] for w in words]
        assert names == sorted(names) and names[0] > previous
        assert names[0].startswith(first) and names[-1].startswith(last), (first, last, names[0], names[-1])
        # Cut once the positions reach CHUNK_POSITIONS: without its last word, a chunk is below it.
        assert sum(indexer._positions(w) for w in words[:-1]) < indexer.CHUNK_POSITIONS
        previous = names[-1]
