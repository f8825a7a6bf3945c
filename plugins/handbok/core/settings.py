"""Handbook settings: every option with its default and Swedish help, in one place.

The MkDocs adapter builds its config scheme from OPTIONS, the CLI reads the same
options from mkdocs.yml, and the docs table is generated from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_TYPES = ["process", "rutin", "riktlinje", "checklista", "instruktion", "policy", "plan", "ansvarsfördelning"]
DEFAULT_EVIDENCE_KINDS = [
    "forskningsrapport", "kunskapsöversikt", "utvärdering", "nationella riktlinjer", "metodstöd",
    "föreskrift/vägledning", "statistik", "brukarundersökning",
]
# Keys MkDocs and Material themselves read from front matter: never "unknown".
ENGINE_KEYS = ["description", "hide", "search", "template", "icon", "subtitle", "comments"]


@dataclass
class Settings:
    exclude: list[str] = field(default_factory=lambda: ["index.md"])
    evidence_dir: str = "evidens"
    extra_types: list[str] = field(default_factory=list)
    extra_evidence_kinds: list[str] = field(default_factory=list)
    legal_basis_required_for: list[str] = field(default_factory=lambda: ["process", "rutin", "riktlinje"])
    due_soon_days: int = 30
    as_needed_months: int = 24
    roles_file: str | None = None
    units_file: str | None = None
    laws_file: str | None = None
    requirements_file: str | None = None
    coverage: bool = True
    allow_test_personnummer: bool = False
    extra_keys: list[str] = field(default_factory=list)
    generated_dir: str = "handbok"
    # Where relative registry paths are resolved: the folder of mkdocs.yml.
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def types(self) -> list[str]:
        return DEFAULT_TYPES + [t for t in self.extra_types if t not in DEFAULT_TYPES]

    @property
    def evidence_kinds(self) -> list[str]:
        return DEFAULT_EVIDENCE_KINDS + [k for k in self.extra_evidence_kinds if k not in DEFAULT_EVIDENCE_KINDS]

    def resolve(self, relative: str | None) -> Path | None:
        return None if not relative else (self.base_dir / relative)


# name -> Swedish help. Order is the documentation order.
OPTION_HELP: dict[str, str] = {
    "exclude": "Sidor (glob-mönster relativt docs_dir) som inte är styrda dokument. Standard: startsidan `index.md`.",
    "evidence_dir": "Mapp (relativt docs_dir) med evidensbibliotekets poster.",
    "extra_types": "Egna dokumenttyper utöver process, rutin, riktlinje, checklista, instruktion, policy, plan och ansvarsfördelning.",
    "extra_evidence_kinds": "Egna slag av kunskapsunderlag utöver de inbyggda (forskningsrapport, metodstöd …).",
    "legal_basis_required_for": "Dokumenttyper som måste ange lagrum (`legal_basis`).",
    "due_soon_days": "Hur många dagar före nästa revision ett dokument räknas som ”snart dags”.",
    "as_needed_months": "Längsta tid (månader) som ”vid behov” får betyda innan dokumentet ändå ska revideras.",
    "roles_file": "YAML-fil med rollregistret (dokumentägare och roller i ansvarsfördelningar). Utan den godtas alla roller.",
    "units_file": "YAML-fil med enheter/verksamhetsområden. Utan den godtas alla enheter.",
    "laws_file": "YAML-fil med egna eller ändrade författningar; läggs ovanpå det inbyggda lagrumsregistret.",
    "requirements_file": "YAML-fil som ersätter den inbyggda kravkatalogen för SOSFS 2011:9.",
    "coverage": "Rapportera krav i SOSFS 2011:9 som inget dokument täcker (varningen `uncovered-requirement`).",
    "allow_test_personnummer": "Godta Skatteverkets testpersonnummer i texter (annars flaggas de som andra personnummer).",
    "extra_keys": "Egna metadatafält som inte ska varna som okända.",
    "generated_dir": "URL-prefix för de genererade sidorna (revisionsläge, lagrum, ansvar per roll …).",
}


def option_names() -> list[str]:
    return list(OPTION_HELP)


def settings_from_options(options: dict | None, base_dir: Path) -> Settings:
    """Typed settings; a value of the wrong kind is a ConfigError naming the option."""
    defaults = Settings(base_dir=base_dir)
    values = {}
    for name, value in (options or {}).items():
        if name not in OPTION_HELP:
            continue
        default = getattr(defaults, name)
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            ok = value is None or isinstance(value, str)
        if not ok:
            raise ConfigError(f"handbok-inställningen ”{name}” har fel sorts värde: {value!r}")
        values[name] = value
    return Settings(base_dir=base_dir, **values)


class ConfigError(Exception):
    """mkdocs.yml or a registry could not be used; the message is Swedish."""


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing anything: python tags become None, !ENV its default."""


def _env_tag(loader, node):
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    names = loader.construct_sequence(node)
    for name in names[:-1]:
        if name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else None


_MkDocsLoader.add_constructor("!ENV", _env_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass
class Project:
    config_file: Path | None
    docs_dir: Path
    settings: Settings
    site_url: str | None = None
    site_name: str | None = None


def load_mkdocs_config(config_file: Path) -> dict:
    try:
        with open(config_file, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_MkDocsLoader) or {}
    except OSError as exc:
        raise ConfigError(f"{config_file}: kan inte läsas ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_file}: filen är inte sparad som UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError(f"{config_file}:{line}: YAML-fel: {exc.problem}") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2025-13-01
        raise ConfigError(f"{config_file}: YAML-fel: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: ska innehålla inställningar på formen ”namn: värde”")
    return data


def handbok_options(mkdocs_config: dict) -> dict:
    """The options given to the handbok plugin in a mkdocs.yml `plugins:` list or mapping."""
    plugins = mkdocs_config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins)
    for name, options in items:
        if name == "handbok":
            return options or {}
    return {}


def load_project(config_file: Path | None = None, docs_dir: Path | None = None) -> Project:
    """Settings as the site would use them: from mkdocs.yml when there is one."""
    if config_file is None and docs_dir is None:
        config_file = Path("mkdocs.yml")
        if not config_file.exists():
            raise ConfigError("Hittar ingen mkdocs.yml i den här mappen; ange mappen med dokumenten, t.ex. ”handbok check handbook”.")
    if config_file is None and docs_dir is not None:
        # A mkdocs.yml next to (or above) the docs dir still carries the registries.
        candidate = docs_dir.resolve().parent / "mkdocs.yml"
        if candidate.exists():
            data = load_mkdocs_config(candidate)
            if (candidate.parent / str(data.get("docs_dir", "docs"))).resolve() == docs_dir.resolve():
                config_file = candidate
    if config_file is None:
        return Project(None, docs_dir, Settings(base_dir=docs_dir.resolve().parent))
    config_file = config_file.resolve()
    data = load_mkdocs_config(config_file)
    base = config_file.parent
    options = handbok_options(data)
    if not isinstance(options, dict):
        raise ConfigError(f"{config_file}: inställningarna för handbok ska vara namn: värde-par")
    unknown = sorted(set(options) - set(option_names()))
    if unknown:
        raise ConfigError(f"{config_file}: okänd inställning för handbok: {', '.join(unknown)}")
    settings = settings_from_options(options, base)
    resolved_docs = docs_dir if docs_dir is not None else base / str(data.get("docs_dir", "docs"))
    return Project(config_file, resolved_docs, settings, data.get("site_url"), data.get("site_name"))
