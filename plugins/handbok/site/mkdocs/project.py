"""Reading mkdocs.yml without MkDocs: the CLI's view of a site's settings.

`handbok check` and the authoring commands must work without importing MkDocs (and on
a mkdocs.yml that uses !ENV or Python tags), so this module reads the file itself.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbok.core.index import BodyCheck
from handbok.core.settings import ConfigError, Settings, option_names, settings_from_options
from handbok.render.sandbox import MacroSyntax, body_checks

# Keys MkDocs and Material themselves read from front matter: never "unknown".
ENGINE_KEYS = ("description", "hide", "search", "template", "icon", "subtitle", "comments")


def engine_settings(settings: Settings) -> Settings:
    """The settings with the engine's own front-matter keys known."""
    return dataclasses.replace(settings, engine_keys=ENGINE_KEYS)


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
    macros: MacroSyntax | None = None  # how pages write template code, when mkdocs-macros is enabled
    markdown_extensions: list[str] = dataclasses.field(default_factory=list)  # as mkdocs.yml lists them
    mdx_configs: dict[str, dict] = dataclasses.field(default_factory=dict)

    def body_checks(self) -> tuple[BodyCheck, ...]:
        """The page checks that depend on the site's plugins (see handbok.source.reader.load)."""
        return body_checks(self.macros)


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


def plugin_options(mkdocs_config: dict, plugin: str) -> dict | None:
    """The options given to a plugin in a mkdocs.yml `plugins:` list or mapping; None when the
    plugin is not enabled."""
    plugins = mkdocs_config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins)
    for name, options in items:
        if name == plugin:
            return options or {}
    return None


def handbok_options(mkdocs_config: dict) -> dict:
    """The options given to the handbok plugin in mkdocs.yml."""
    return plugin_options(mkdocs_config, "handbok") or {}


def load_project(config_file: Path | None = None, docs_dir: Path | None = None) -> Project:
    """Settings as the site would use them: from mkdocs.yml when there is one."""
    if config_file is None and docs_dir is None:
        config_file = Path("mkdocs.yml")
        if not config_file.exists():
            raise ConfigError("Hittar ingen mkdocs.yml i den här mappen; ange mappen med dokumenten, "
                              "t.ex. ”handbok check handbook”.")
    if config_file is None and docs_dir is not None:
        # A mkdocs.yml next to (or above) the docs dir still carries the registries.
        candidate = docs_dir.resolve().parent / "mkdocs.yml"
        if candidate.exists():
            data = load_mkdocs_config(candidate)
            if (candidate.parent / str(data.get("docs_dir", "docs"))).resolve() == docs_dir.resolve():
                config_file = candidate
    if config_file is None:
        assert docs_dir is not None  # the first branch returned or raised otherwise
        return Project(None, docs_dir, engine_settings(Settings(base_dir=docs_dir.resolve().parent)))
    config_file = config_file.resolve()
    data = load_mkdocs_config(config_file)
    base = config_file.parent
    options = handbok_options(data)
    if not isinstance(options, dict):
        raise ConfigError(f"{config_file}: inställningarna för handbok ska vara namn: värde-par")
    unknown = sorted(set(options) - set(option_names()))
    if unknown:
        raise ConfigError(f"{config_file}: okänd inställning för handbok: {', '.join(unknown)}")
    settings = engine_settings(settings_from_options(options, base))
    resolved_docs = docs_dir if docs_dir is not None else base / str(data.get("docs_dir", "docs"))
    macros = plugin_options(data, "macros")
    syntax = MacroSyntax.from_options(macros, base) if isinstance(macros, dict) else None
    extensions, configs = markdown_extensions(data)
    return Project(config_file, resolved_docs, settings, data.get("site_url"), data.get("site_name"), syntax,
                   extensions, configs)


def markdown_extensions(mkdocs_config: dict) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions mkdocs.yml lists, with their options (as MkDocs reads `markdown_extensions`)."""
    names: list[str] = []
    configs: dict[str, dict] = {}
    for entry in mkdocs_config.get("markdown_extensions") or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, options in entry.items():
                names.append(str(name))
                if isinstance(options, dict):
                    configs[str(name)] = options
    return names, configs
