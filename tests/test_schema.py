"""schema.py: the field specs, the JSON Schema for editors, and agreement with `handbok check`."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from jsonschema import Draft202012Validator

from conftest import make_handbook, run_cli
from handbok.core import schema as core_schema
from handbok.core.schema import DOCUMENT_FIELDS, EVIDENCE_FIELDS, markdown_reference
from handbok.core.settings import Settings
from handbok.site.mkdocs.project import engine_settings
from handbok.source import reader

TODAY = dt.date(2026, 3, 12)

GOOD_DOCUMENT = {
    "title": "Orosanmälan – mottagande och skyddsbedömning",
    "id": "rutin-orosanmalan",
    "type": "rutin",
    "owner": {"role": "Enhetschef barn och unga", "name": "Anna Ek", "email": "anna.ek@exempelkommun.se"},
    "unit": "barn-och-unga",
    "revised": "2026-03-12",
    "review_interval": "årligen",
    "review_by": "2027-01-31",
    "status": "gällande",
    "approved_by": "Socialnämnden",
    "approved": "2024-02-20",
    "diarienummer": "SN 2024/0113",
    "legal_basis": ["SoL 10 kap. 1 §", "SOSFS 2011:9 4 kap. 4 §"],
    "tags": ["orosanmälan", "skyddsbedömning"],
    "related": ["process-barn-och-unga"],
    "evidence": ["bbic"],
    "responsibilities": {"Enhetschef barn och unga": ["Ser till att rutinen är känd."],
                         "Socialsekreterare": ["Gör skyddsbedömning samma dag."]},
    "changes": [{"date": "2026-03-12", "note": "Anpassad till socialtjänstlagen (2025:400)."}],
    "description": "Kort beskrivning för sökmotorn.",  # an engine key: allowed
}

GOOD_PROCESS = {
    "title": "Process barn och unga", "id": "process-barn-och-unga", "type": "process", "owner": "Socialchef",
    "revised": "2026-01-10", "review_interval": "vartannat år", "legal_basis": ["SOSFS 2011:9 4 kap. 2–3 §§"],
    "activities": [{"name": "Ta emot orosanmälan", "role": "Socialsekreterare", "routine": "rutin-orosanmalan"},
                   {"name": "Förhandsbedöma"}],
}

GOOD_EVIDENCE = {
    "id": "bbic", "title": "Grundbok i BBIC", "kind": "metodstöd", "authors": ["Socialstyrelsen"],
    "publisher": "Socialstyrelsen", "year": 2018, "areas": ["barn-och-unga"],
    "url": "https://www.socialstyrelsen.se/bbic", "reviewed": "2026-02-01", "review_interval": "vartannat år",
    "owner": "Verksamhetsutvecklare", "language": "sv", "doi": "10.1234/abcd", "isbn": "978-91-7555-000-0",
    "keywords": ["utredning", "barn"],
}


def json_schema(settings: Settings | None = None, **kwargs) -> dict:
    """The schema as a MkDocs site sees it: the engine's own front-matter keys are known."""
    return core_schema.json_schema(engine_settings(settings or Settings()), **kwargs)


def validator(profile: str | None = None, **kwargs) -> Draft202012Validator:
    schema = json_schema(**kwargs)
    if profile:
        schema = {**schema, "oneOf": [{"$ref": f"#/$defs/{profile}"}]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_valid_draft_2020_12():
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(schema, ensure_ascii=False)  # plain JSON, nothing Python-only inside


def test_good_examples_are_valid():
    for data in (GOOD_DOCUMENT, GOOD_PROCESS, GOOD_EVIDENCE):
        errors = [e.message for e in validator().iter_errors(data)]
        assert errors == [], data["id"]
    assert validator("document").is_valid(GOOD_DOCUMENT)
    assert validator("evidence").is_valid(GOOD_EVIDENCE)
    assert not validator("evidence").is_valid(GOOD_DOCUMENT)
    assert not validator("document").is_valid(GOOD_EVIDENCE)


def with_changes(base: dict, **changes) -> dict:
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return data


BAD_DOCUMENTS = {
    "no-title": with_changes(GOOD_DOCUMENT, title=...),
    "empty-title": with_changes(GOOD_DOCUMENT, title=""),
    "bad-type": with_changes(GOOD_DOCUMENT, type="rutiner"),
    "no-owner": with_changes(GOOD_DOCUMENT, owner=...),
    "owner-extra-key": with_changes(GOOD_DOCUMENT, owner={"role": "Socialchef", "telefon": "1"}),
    "impossible-date": with_changes(GOOD_DOCUMENT, revised="2026-02-30"),
    "short-year": with_changes(GOOD_DOCUMENT, revised="26-01-01"),
    "no-review": with_changes(GOOD_DOCUMENT, review_interval=..., review_by=...),
    "bad-interval": with_changes(GOOD_DOCUMENT, review_interval="ibland"),
    "bad-status": with_changes(GOOD_DOCUMENT, status="aktiv"),
    "bad-id": with_changes(GOOD_DOCUMENT, id="Rutin Orosanmälan"),
    "routine-without-legal-basis": with_changes(GOOD_DOCUMENT, legal_basis=...),
    "legal-basis-not-a-list": with_changes(GOOD_DOCUMENT, legal_basis={"SoL": "1 §"}),
    "change-without-note": with_changes(GOOD_DOCUMENT, changes=[{"date": "2026-03-12"}]),
    "unknown-key": with_changes(GOOD_DOCUMENT, reviewd="2026-03-12"),
    "activity-extra-key": with_changes(GOOD_PROCESS, activities=[{"name": "a", "ansvar": "b"}]),
}

BAD_EVIDENCE = {
    "no-year": with_changes(GOOD_EVIDENCE, year=...),
    "two-digit-year": with_changes(GOOD_EVIDENCE, year=18),
    "no-source": with_changes(GOOD_EVIDENCE, url=..., file=...),
    "no-creator": with_changes(GOOD_EVIDENCE, authors=..., publisher=...),
    "url-not-http": with_changes(GOOD_EVIDENCE, url="www.socialstyrelsen.se"),
    "empty-areas": with_changes(GOOD_EVIDENCE, areas=[]),
    "bad-kind": with_changes(GOOD_EVIDENCE, kind="bok"),
    "no-reviewed": with_changes(GOOD_EVIDENCE, reviewed=...),
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_documents_are_rejected(name):
    assert not validator().is_valid(BAD_DOCUMENTS[name])


@pytest.mark.parametrize("name", sorted(BAD_EVIDENCE))
def test_bad_evidence_entries_are_rejected(name):
    assert not validator().is_valid(BAD_EVIDENCE[name])


def _yaml_front(data: dict) -> str:
    import yaml

    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\nText.\n"


def test_schema_and_check_agree(tmp_path):
    """What the editor rejects, `handbok check` reports (unknown keys only as a warning)."""
    files = {"rutiner/god.md": _yaml_front(GOOD_DOCUMENT), "processer/god.md": _yaml_front(GOOD_PROCESS),
             "evidens/bbic.md": _yaml_front(GOOD_EVIDENCE)}
    files.update({f"fel/{name}.md": _yaml_front(data) for name, data in BAD_DOCUMENTS.items()})
    files.update({f"evidens/fel-{name}.md": _yaml_front({**data, "id": f"fel-{name}"})
                  for name, data in BAD_EVIDENCE.items()})
    make_handbook(tmp_path, files)
    book = reader.load(tmp_path / "docs", Settings(base_dir=tmp_path, coverage=False), TODAY)
    errors: dict[str, set[str]] = {}
    warnings: dict[str, set[str]] = {}
    for p in book.problems:
        (errors if p.is_error else warnings).setdefault(p.path, set()).add(p.code)
    # The good ones: duplicate ids of the bad copies aside, nothing wrong with them.
    for path in ("rutiner/god.md", "processer/god.md", "evidens/bbic.md"):
        assert errors.get(path, set()) <= {"duplicate-id"}, (path, errors.get(path))
    for name in BAD_DOCUMENTS:
        path = f"fel/{name}.md"
        if name == "unknown-key":
            assert "unknown-key" in warnings.get(path, set())
        else:
            assert errors.get(path, set()) - {"duplicate-id"}, f"{name}: the schema rejects it but check does not"
    for name in BAD_EVIDENCE:
        assert errors.get(f"evidens/fel-{name}.md"), f"{name}: the schema rejects it but check does not"


def test_every_field_spec_is_in_the_schema():
    schema = json_schema()
    for profile, fields in (("document", DOCUMENT_FIELDS), ("evidence", EVIDENCE_FIELDS)):
        part = schema["$defs"][profile]
        assert set(part["properties"]) >= {f.name for f in fields}
        assert part["required"] == [f.name for f in fields if f.required]
        groups = [sorted(r["required"][0] for r in item["anyOf"]) for item in part["allOf"] if "anyOf" in item]
        expected = {}
        for spec in fields:
            if spec.one_of:
                expected.setdefault(spec.one_of, []).append(spec.name)
        assert sorted(groups) == sorted(sorted(names) for names in expected.values())
        for spec in fields:
            prop = part["properties"][spec.name]
            assert prop["title"] == spec.label and prop["description"] == spec.help
            if spec.example is not None:
                single = Draft202012Validator(prop, format_checker=Draft202012Validator.FORMAT_CHECKER)
                assert single.is_valid(spec.example), f"{profile}.{spec.name}: its own example is invalid"


def test_field_names_are_unique_and_documented():
    for fields in (DOCUMENT_FIELDS, EVIDENCE_FIELDS):
        names = [f.name for f in fields]
        assert len(names) == len(set(names))
        table = markdown_reference(fields)
        for spec in fields:
            assert f"| `{spec.name}` |" in table
            assert spec.help


def test_registries_become_enums():
    roles = ["Socialchef", "Socialsekreterare", "Enhetschef barn och unga", "Verksamhetsutvecklare"]
    units = ["barn-och-unga"]
    check = validator(roles=roles, units=units)
    assert check.is_valid(GOOD_DOCUMENT) and check.is_valid(GOOD_PROCESS) and check.is_valid(GOOD_EVIDENCE)
    assert not check.is_valid(with_changes(GOOD_DOCUMENT, owner="Enhetschef Barn & unga"))
    assert not check.is_valid(with_changes(GOOD_DOCUMENT, unit="vuxen"))
    assert not check.is_valid(with_changes(GOOD_DOCUMENT, responsibilities={"Okänd roll": ["x"]}))
    assert not check.is_valid(with_changes(GOOD_EVIDENCE, areas=["vuxen"]))


def test_extra_types_and_keys_from_settings():
    settings = Settings(extra_types=["delegationsordning"], extra_keys=["gallras"])
    check = Draft202012Validator(json_schema(settings))
    assert check.is_valid(with_changes(GOOD_DOCUMENT, type="delegationsordning", gallras="2030"))
    assert not Draft202012Validator(json_schema()).is_valid(with_changes(GOOD_DOCUMENT, type="delegationsordning"))


# --- the CLI --------------------------------------------------------------------

def test_cli_schema_without_mkdocs_yml(tmp_path):
    result = run_cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema == json.loads(json.dumps(json_schema(), ensure_ascii=False))
    assert "ä" in result.stdout  # written as UTF-8, not \u escapes


def test_cli_schema_uses_the_sites_registries(tmp_path):
    make_handbook(tmp_path, {}, roles=["Socialchef", {"id": "ss", "name": "Socialsekreterare"}],
                  units=[{"id": "barn-och-unga", "name": "Barn och unga"}])
    result = run_cli("schema", "-o", "handbok.schema.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    schema = json.loads((tmp_path / "handbok.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    owner = schema["$defs"]["document"]["properties"]["owner"]["anyOf"][0]
    assert owner["enum"] == ["Socialchef", "Socialsekreterare"]
    assert schema["$defs"]["document"]["properties"]["unit"]["enum"] == ["barn-och-unga"]


def test_cli_schema_with_a_missing_config_file(tmp_path):
    result = run_cli("schema", "--config-file", "finns-inte.yml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "finns-inte.yml" in result.stderr and "kan inte läsas" in result.stderr
