"""Small things staff noticed on the overview pages of the example: counts in the right number,
the one gap of the coverage matrix named at the top, acts of the same title in a clear order."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT
from handbok.render import overviews
from handbok.site.mkdocs.project import load_project
from handbok.source import reader
from test_render_overviews import context, render

TODAY = dt.date(2026, 12, 1)


def load_example():
    project = load_project(ROOT / "mkdocs.yml")
    return reader.load(project.docs_dir, project.settings, TODAY)


@pytest.fixture(scope="module")
def example():
    return load_example()


def test_the_coverage_summary_names_each_gap_and_links_to_its_row():
    example = load_example()  # its own: two gaps are made below, one of documents, one of work
    by_id = {r.id: r for r in example.catalogue.requirements}
    by_id["3-1"].documents.clear()
    by_id["5-1"].evidence.clear()
    _, html = render(overviews.build_coverage, context(example))
    gaps = [r for r in example.catalogue.requirements if not r.covered]
    assert [r.id for r in gaps] == ["3-1", "5-1"]
    summary = html[:html.index("<table")]
    for req in gaps:
        anchor = re.search(rf'<a href="#(krav-[^"]+)">{re.escape(req.location)} – {re.escape(req.heading)}</a>',
                           summary)
        assert anchor, summary
        row = re.search(rf'<tr id="{anchor.group(1)}"[^>]*data-handbok-coverage="(\w+)"', html)
        assert row and row.group(1) == "gap"
    assert f"{len(gaps)} saknar dokument eller visat arbete:" in summary
    assert "Saknas</strong>: ingen riskanalys från de senaste 12 månaderna." in html


def test_a_coverage_without_gaps_says_so():
    example = load_example()  # its own: the requirements are changed below
    for req in example.catalogue.requirements:
        if not req.covered:
            req.documents.append(example.documents[0])
    _, html = render(overviews.build_coverage, context(example))
    assert "Inget krav saknar dokument eller visat arbete." in html and "handbok-coverage-gaps" not in html


def test_the_act_in_force_comes_before_the_repealed_one_of_the_same_title(example):
    _, html = render(overviews.build_law, context(example))
    rows = re.findall(r'<tr id="(lag-[^"]+)" data-handbok-law="([\w-]+)"', html)
    order = [anchor for anchor, _ in rows]
    new, old = overviews.law_anchor("sol-2025"), overviews.law_anchor("sol-2001")
    assert new in order and old in order
    assert order.index(new) == order.index(old) - 1, "samma titel: gällande lag först, den upphävda direkt efter"
    assert dict(rows)[old] == "repealed"


def test_role_counts_say_aktivitet_in_the_singular(example):
    _, html = render(overviews.build_roles, context(example))
    counts = re.findall(r"\((\d+) ansvar, (\d+) (aktivitet|aktiviteter)\)", html)
    assert counts
    for _, n, word in counts:
        assert word == ("aktivitet" if n == "1" else "aktiviteter"), (n, word)
    assert any(n == "1" for _, n, _ in counts), "exemplet har en roll med en aktivitet"
