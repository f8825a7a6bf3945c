"""Legal references (lagrum): the registry of acts and parsing the forms people write.

Forms understood: ``SFS 2001:453``, ``SoL 14 kap. 2 §``, ``14 kap. 2 § SoL``, ``LVU 1 §``,
``SOSFS 2011:9 4 kap. 3 §``, ``24 b § LSS``, ranges ``14 kap. 2–7 §§``,
``socialtjänstlagen (2025:400) 5 kap. 1 §``, ``3 kap. 3 § fjärde stycket``, ``GDPR art. 6``.
An abbreviation is resolved to the act in force on a given day (a document's revision
date), because SoL meant SFS 2001:453 until 2025-07-01 and SFS 2025:400 after.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from handbok.core.datafile import load_data
from handbok.core.settings import ConfigError


@dataclass(frozen=True)
class Act:
    id: str
    title: str
    number: str  # "SFS 2001:453", "SOSFS 2011:9", "EU 2016/679"
    abbreviation: str | None = None
    short_title: str | None = None
    in_force: dt.date | None = None
    repealed: dt.date | None = None
    replaced_by: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    verified: bool = True
    note: str | None = None

    @property
    def label(self) -> str:
        """How the act is named in lists: 'SoL (SFS 2025:400)' or 'SOSFS 2011:9'."""
        return f"{self.abbreviation} ({self.number})" if self.abbreviation else self.number

    @property
    def citation(self) -> str:
        """Running-text citation: 'socialtjänstlag (2025:400)' for SFS, else number + title."""
        if self.number.startswith("SFS "):
            return f"{self.title[:1].lower()}{self.title[1:]} ({self.number[4:]})"
        return f"{self.number} ({self.title})"

    def in_force_on(self, day: dt.date) -> bool:
        return (self.in_force is None or self.in_force <= day) and (self.repealed is None or day < self.repealed)

    def is_repealed(self, day: dt.date) -> bool:
        return self.repealed is not None and self.repealed <= day


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _number_key(number: str) -> str:
    """'SFS 2001:453' -> 'sfs 2001:453'; 'förordning (EU) 2016/679' -> 'eu 2016/679'."""
    text = _norm(number).replace("(", "").replace(")", "")
    text = re.sub(r"^förordning\s+", "", text)
    return re.sub(r"\s*([:/])\s*", r"\1", text)


@functools.lru_cache(maxsize=4096)
def _act_key(act_text: str) -> tuple[str, str]:
    """How an act is named in a citation: ('number', 'sfs 2001:453') or ('name', 'sol')."""
    text = act_text.strip()
    named = re.fullmatch(r"(.+?)\s*\((\d{4}:\d+)\)", text)  # 'socialtjänstlagen (2025:400)'
    if named:
        return "number", _number_key(named.group(2))
    if re.search(r"\d{4}\s*[:/]\s*\d+", text):
        return "number", _number_key(text)
    return "name", text


class LawRegistry:
    def __init__(self, acts: list[Act]):
        self.acts = {act.id: act for act in acts}
        self._by_number: dict[str, Act] = {}
        self._by_name: dict[str, list[Act]] = {}
        for act in acts:
            key = _number_key(act.number)
            self._by_number[key] = act
            self._by_number[key.split(" ", 1)[-1]] = act  # bare '2001:453' for 'lagen (2001:453)'
            for name in (act.abbreviation, act.short_title, act.title, *act.aliases):
                if name:
                    self._by_name.setdefault(_norm(name), []).append(act)
        for candidates in self._by_name.values():
            candidates.sort(key=lambda a: a.in_force or dt.date.min)

    def successor(self, act: Act) -> Act | None:
        return self.acts.get(act.replaced_by) if act.replaced_by else None

    def by_number(self, number: str) -> Act | None:
        return self._by_number.get(_number_key(number))

    def by_name(self, name: str, on: dt.date | None) -> Act | None:
        """The act an abbreviation or name meant on a given day (latest in force if no day)."""
        candidates = self._by_name.get(_norm(name))
        if not candidates:
            return None
        if on is not None:
            for act in reversed(candidates):
                if act.in_force_on(on):
                    return act
            if candidates[0].in_force and on < candidates[0].in_force:
                return candidates[0]
        current = [a for a in candidates if a.repealed is None]
        return (current or candidates)[-1]

    def resolve(self, act_text: str, on: dt.date | None) -> Act | None:
        kind, key = _act_key(act_text)
        if kind == "number":
            return self._by_number.get(key)
        return self.by_name(key, on)

    def repeal_message(self, act: Act) -> str:
        successor = self.successor(act)
        tail = f" och ersattes av {successor.citation}" if successor else ""
        if act.repealed is None:
            raise ValueError(f"{act.number} is not repealed")
        return f"{act.number} upphävdes {act.repealed.isoformat()}{tail}"


def _act_from_yaml(item: dict, source: str) -> Act:
    def date(name):
        value = item.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"{source}: {item.get('id')}: ”{name}” är inget datum: {value!r}") from None

    for required in ("id", "title", "number"):
        if not item.get(required):
            raise ConfigError(f"{source}: en författning saknar ”{required}”: {item!r}")
    return Act(
        id=str(item["id"]), title=str(item["title"]), number=" ".join(str(item["number"]).split()),
        abbreviation=item.get("abbreviation"), short_title=item.get("short_title"),
        in_force=date("in_force"), repealed=date("repealed"), replaced_by=item.get("replaced_by"),
        url=item.get("url"), aliases=tuple(str(a) for a in item.get("aliases") or ()),
        verified=bool(item.get("verified", True)), note=item.get("note"),
    )


def _read_laws(text: str, source: str) -> list[dict]:
    try:
        data = load_data(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2025-13-01
        raise ConfigError(f"{source}: lagrumsregistret är inte giltig YAML ({exc})") from None
    items = data.get("laws") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{source}: lagrumsregistret ska ha en lista under ”laws:”")
    return items


@functools.lru_cache(maxsize=1)
def _builtin_items() -> tuple:
    text = resources.files("handbok.core").joinpath("data/laws.yml").read_text(encoding="utf-8")
    return tuple(_read_laws(text, "laws.yml (inbyggt)"))


def load_laws(override: Path | None = None) -> LawRegistry:
    """The shipped registry, with a site's own file laid over it (same id replaces)."""
    merged = {str(item.get("id")): dict(item) for item in _builtin_items()}
    if override is not None:
        try:
            text = override.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{override}: kan inte läsas ({exc})") from None
        for item in _read_laws(text, str(override)):
            merged[str(item.get("id"))] = {**merged.get(str(item.get("id")), {}), **item}
    acts = [_act_from_yaml(item, str(override or "laws.yml")) for item in merged.values()]
    registry = LawRegistry(acts)
    for act in acts:
        if act.replaced_by and act.replaced_by not in registry.acts:
            raise ConfigError(f"lagrumsregistret: {act.id} ersätts av okänt id ”{act.replaced_by}”")
    return registry


# --- references -----------------------------------------------------------------

_PARA = r"\d+(?:\s?[a-z])?"  # '24', '24 b', '1a'
_ORDINALS = "första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde"
_SECTION = (
    rf"(?P<section>{_PARA})(?:\s*[–—-]\s*(?P<section_end>{_PARA}))?\s*§§?"
    rf"(?P<detail>(?:\s+(?:(?:{_ORDINALS}|\d+)\s+(?:stycket|st\.)|(?:punkt|p\.)\s*\d+))*)"
)
# Chapter alone ('FB 6 kap.'), chapter and paragraph, or paragraph alone ('LVU 1 §').
_LOCATION = rf"(?:(?P<chapter>{_PARA})\s*kap\.?)?\s*(?:{_SECTION})?"
_ARTICLE = r"(?:art\.?|artikel)\s*(?P<article>\d+(?:\.\d+)?(?:\s*[a-z])?)"
_ACT_FIRST = re.compile(rf"^(?P<act>.+?)\s+(?P<loc>(?:{_ARTICLE}|{_LOCATION}))$", re.IGNORECASE)
_LOC_FIRST = re.compile(rf"^(?P<loc>(?:{_ARTICLE}|{_LOCATION}))\s+(?P<act>\D.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """A parsed reference, not yet tied to an act in the registry."""

    raw: str
    act_text: str
    chapter: str | None = None
    section: str | None = None
    section_end: str | None = None
    detail: str | None = None
    article: str | None = None

    @property
    def location(self) -> str:
        """'14 kap. 2–7 §§', '24 b §', 'art. 6', '' for the whole act."""
        if self.article:
            return f"art. {self.article}"
        parts = []
        if self.chapter:
            parts.append(f"{self.chapter} kap.")
        if self.section:
            if self.section_end:
                parts.append(f"{self.section}–{self.section_end} §§")
            else:
                parts.append(f"{self.section} §")
        if self.detail:
            parts.append(self.detail)
        return " ".join(parts)


class CitationError(ValueError):
    pass


def _clean_para(value: str | None) -> str | None:
    if value is None:
        return None
    match = re.fullmatch(r"(\d+)\s?([a-z])?", value.strip().lower())
    return f"{match.group(1)} {match.group(2)}" if match and match.group(2) else (match.group(1) if match else value)


@functools.lru_cache(maxsize=4096)
def parse_citation(text: str) -> Citation:
    raw = " ".join(str(text).replace("\u00a0", " ").split())
    if not raw:
        raise CitationError("tomt lagrum")
    match = _ACT_FIRST.match(raw) or _LOC_FIRST.match(raw)
    if match and match.group("loc").strip():
        groups = match.groupdict()
        detail = " ".join((groups.get("detail") or "").split()) or None
        return Citation(raw, match.group("act").strip(" ,"), _clean_para(groups.get("chapter")),
                        _clean_para(groups.get("section")), _clean_para(groups.get("section_end")),
                        detail, groups.get("article"))
    if re.search(r"§|kap\b|kap\.", raw):
        raise CitationError("paragrafen eller kapitlet går inte att tolka")
    return Citation(raw, raw.strip(" ,"))


@functools.lru_cache(maxsize=1024)
def para_key(value: str) -> tuple[int, str]:
    """'24 b' -> (24, 'b') so that 24 < 24 a < 24 b < 25."""
    match = re.fullmatch(r"(\d+)(?:\s?([a-z]))?", value)
    return (int(match.group(1)), match.group(2) or "") if match else (0, value)


@dataclass(frozen=True)
class LegalRef:
    citation: Citation
    act: Act

    @property
    def raw(self) -> str:
        return self.citation.raw

    @property
    def location(self) -> str:
        return self.citation.location

    @property
    def display(self) -> str:
        """'SoL 14 kap. 2 §' (abbreviation when the act has one, else its number)."""
        name = self.act.abbreviation or self.act.number
        return f"{name} {self.location}".strip()

    def covers(self, chapter: str | None, section: str) -> bool:
        """Does this reference cite that chapter and paragraph (ranges included)?"""
        cit = self.citation
        if cit.section is None or (cit.chapter or None) != (chapter or None):
            return False
        low, high = para_key(cit.section), para_key(cit.section_end or cit.section)
        return low <= para_key(section) <= high
