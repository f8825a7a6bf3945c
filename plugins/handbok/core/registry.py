"""Registries of the organisation: roles (who can own or do things) and units/areas.

A registry turns what authors type ("enhetschef barn och unga", an id, a name) into one
canonical entry, so that typos are caught and pages can be grouped reliably. Without a
configured registry every value is accepted as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handbok.core.datafile import load_data
from handbok.core.settings import ConfigError
from handbok.core.text import slugify


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    description: str = ""


class Registry:
    def __init__(self, label: str, entries: list[Entry] | None):
        self.label = label  # Swedish noun used in messages: "roll", "enhet"
        self.entries = entries  # None = no registry configured: accept anything
        self._lookup: dict[str, Entry] = {}
        for entry in entries or []:
            for key in (entry.id, entry.name):
                self._lookup[key.casefold()] = entry

    @property
    def configured(self) -> bool:
        return self.entries is not None

    def find(self, value: str) -> Entry | None:
        """The registry entry for what an author wrote, or None when it is unknown."""
        text = " ".join(str(value).split())
        if not self.configured:
            return Entry(slugify(text), text)
        return self._lookup.get(text.casefold()) or self._lookup.get(slugify(text))

    def names(self) -> list[str]:
        return [e.name for e in self.entries or []]

    def suggestion(self, value: str) -> str:
        """A 'did you mean' tail for messages."""
        import difflib

        names = self.names()
        close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
        if close:
            return f" Menade du ”{close[0]}”?"
        if names and len(names) <= 12:
            return " Kända: " + ", ".join(names) + "."
        return ""


# Document type -> the roles (bodies) that may adopt ("fastställa") it, canonical names in registry order.
Decisions = dict[str, list[str]]


def _read(path: Path) -> object:
    try:
        return load_data(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: registret kan inte läsas ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date
        raise ConfigError(f"{path}: registret är inte giltig YAML i UTF-8 ({exc})") from None


def load_registry(path: Path | None, key: str, label: str) -> Registry:
    return Registry(label, None) if path is None else _registry_from(_read(path), path, key, label)


def load_roles(path: Path | None, types: list[str]) -> tuple[Registry, Decisions]:
    """The roles registry and its decision rules, from one reading of the roles file."""
    if path is None:
        return Registry("roll", None), {}
    data = _read(path)
    roles = _registry_from(data, path, "roles", "roll")
    return roles, _decisions_from(data, path, roles, types)


def _registry_from(data: object, path: Path, key: str, label: str) -> Registry:
    items = (data or {}).get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{path}: registret ska ha en lista under ”{key}:”")
    entries = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not item.get("name"):
            raise ConfigError(f"{path}: post {number} under ”{key}:” saknar ”name”")
        name = " ".join(str(item["name"]).split())
        entries.append(Entry(str(item.get("id") or slugify(name)), name, str(item.get("description") or "")))
    return Registry(label, entries)


def _decisions_from(data: object, path: Path, roles: Registry, types: list[str]) -> Decisions:
    """The decision rules under `decisions:` in the roles file: which bodies may adopt which document
    type. No `decisions:` means no rules (every approver is accepted)."""
    rules = data.get("decisions") if isinstance(data, dict) else None
    if rules is None:
        return {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}: ”decisions:” ska vara dokumenttyper med en lista av roller under varje typ, "
                          "t.ex. ”riktlinje: [Socialnämnden]”")
    known = {t.casefold(): t for t in types}
    decisions: Decisions = {}
    for written, bodies in rules.items():
        doc_type = known.get(str(written).strip().casefold())
        if doc_type is None:
            raise ConfigError(f"{path}: under ”decisions:” är ”{written}” ingen känd dokumenttyp "
                              f"(kända: {', '.join(types)})")
        items = [bodies] if isinstance(bodies, str) else bodies
        if not isinstance(items, list) or not items:
            raise ConfigError(f"{path}: under ”decisions:” ska ”{written}” ha en lista med roller som får "
                              "fastställa den")
        names: list[str] = []
        for item in items:
            entry = roles.find(str(item)) if isinstance(item, (str, int)) else None
            if entry is None:
                raise ConfigError(f"{path}: under ”decisions:” → ”{written}” finns ”{item}” inte i rollregistret."
                                  f"{roles.suggestion(str(item))}")
            if entry.name not in names:
                names.append(entry.name)
        decisions[doc_type] = names
    return decisions
