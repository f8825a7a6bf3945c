"""Where a provision of a repealed act is found in its successor (SoL 2001:453 -> SoL 2025:400).

Routines keep citing "SoL 11 kap. 1 a §" long after the old law was repealed. When the new
place of a paragraph is known from a source (data/provisions.yml, or a site's own file laid
over it) the repealed-law warning and `handbok revise` name it; otherwise they say to check
the new law. A mapping is never guessed: a paragraph that is not listed has no new place.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from handbok.core.datafile import load_data
from handbok.core.paragraphs import clean_para, stycken_named
from handbok.core.settings import ConfigError

# '11 kap. 1 a §', '20 kap. 2 §', '8 kap. 4 § första stycket', '24 b §'
_LOCATION = re.compile(r"(?:(?P<chapter>\d+(?: ?[a-z])?) kap\. )?(?P<section>\d+(?: ?[a-z])?) §(?P<part>.*)")


def location_key(chapter: str | None, section: str) -> tuple[str, str]:
    """('11', '1 a') for 11 kap. 1 a § however the letter was spaced."""
    return clean_para(chapter) or "", clean_para(section) or ""


@dataclass(frozen=True)
class Provision:
    old_act: str  # registry id
    old_location: str  # '14 kap. 1 §' or a part of it: '14 kap. 1 § fjärde stycket'
    new_act: str
    new_location: str
    subject: str = ""
    source: str = ""
    partial: bool = False  # the new place holds only part of the old provision ("delvis")

    @property
    def stycken(self) -> frozenset[str]:
        match = _LOCATION.fullmatch(self.old_location)
        return stycken_named(match.group("part")) if match else frozenset()


class ProvisionMap:
    def __init__(self, provisions: list[Provision]):
        self.provisions = provisions
        self._by_key: dict[tuple[str, tuple[str, str]], list[Provision]] = {}
        for provision in provisions:
            match = _LOCATION.fullmatch(provision.old_location)
            if match:
                key = (provision.old_act, location_key(match.group("chapter"), match.group("section")))
                same = [p for p in self._by_key.get(key, []) if p.old_location != provision.old_location]
                self._by_key[key] = [*same, provision]  # a later pair for the same place replaces the earlier

    def find(self, act_id: str, chapter: str | None, section: str, detail: str | None = None) -> list[Provision]:
        """Where a cited paragraph (or stycke) went: one place, or one per part of a split paragraph.
        A citation of one stycke gets the pairs that name it, else the whole paragraph's."""
        pairs = self._by_key.get((act_id, location_key(chapter, section)), [])
        wanted = stycken_named(detail)
        if wanted:
            named = [p for p in pairs if p.stycken & wanted]
            if named:
                return named
        whole = [p for p in pairs if not p.stycken]
        return whole or pairs


def _read(text: str, source: str) -> list[Provision]:
    try:
        data = load_data(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"{source}: paragrafnyckeln är inte giltig YAML ({exc})") from None
    items = data.get("provisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{source}: paragrafnyckeln ska ha en lista under ”provisions:”")
    result = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ConfigError(f"{source}: post {number} under ”provisions:” ska ha from, from_location, to och "
                              "to_location")
        missing = [k for k in ("from", "from_location", "to", "to_location") if not str(item.get(k) or "").strip()]
        if missing:
            raise ConfigError(f"{source}: post {number} under ”provisions:” saknar {', '.join(missing)}")
        old_location = " ".join(str(item["from_location"]).split())
        if not _LOCATION.fullmatch(old_location):
            raise ConfigError(f"{source}: post {number}: ”from_location” = ”{old_location}” ska skrivas som "
                              "”11 kap. 1 a §”")
        if item.get("verified") is False:
            continue  # an unconfirmed pair is kept in the file for the record, never used
        result.append(Provision(str(item["from"]).strip(), old_location, str(item["to"]).strip(),
                                " ".join(str(item["to_location"]).split()), str(item.get("subject") or ""),
                                str(item.get("source") or ""), item.get("partial") is True))
    return result


@functools.lru_cache(maxsize=1)
def _builtin() -> tuple[Provision, ...]:
    path = resources.files("handbok.core").joinpath("data/provisions.yml")
    if not path.is_file():
        return ()
    return tuple(_read(path.read_text(encoding="utf-8"), "provisions.yml (inbyggd)"))


def load_provisions(override: Path | None = None) -> ProvisionMap:
    """The shipped pairs, with a site's own file added (a site's pair for the same old paragraph wins)."""
    provisions = list(_builtin())
    if override is not None:
        try:
            text = override.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{override}: paragrafnyckeln kan inte läsas ({exc})") from None
        provisions += _read(text, str(override))  # later entries replace earlier ones in the lookup
    return ProvisionMap(provisions)
