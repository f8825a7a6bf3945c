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
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import yaml

from handbok.core.datafile import load_data
from handbok.core.paragraphs import ORDINALS_PATTERN, clean_para, para_key, stycken_named
from handbok.core.provisions import Provision, ProvisionMap, load_provisions
from handbok.core.settings import ConfigError
from handbok.core.text import listing, slugify

# The kinds of act, in the order of the list of governing law (the seeds' "Bilaga 1").
ACT_KINDS = {"lag": "Lagar", "förordning": "Förordningar", "föreskrift": "Föreskrifter och allmänna råd",
             "eu": "EU-rättsakter"}


def kind_of(number: str, title: str) -> str:
    """The kind of an act that does not say: from its number and title ('Socialtjänstförordning' -> förordning).

    A grundlag named förordning (Tryckfrihetsförordningen) must say `kind: lag` in the data."""
    prefix = number.split(" ", 1)[0].upper()
    if prefix == "EU":
        return "eu"
    if prefix != "SFS":
        return "föreskrift"
    words = title.casefold().split()
    if words and words[0] == "förordning":
        return "förordning"
    # 'Offentlighets- och sekretessförordning'; but 'Lag med … EU:s dataskyddsförordning' is a law.
    return "förordning" if words and words[0] != "lag" and words[-1].endswith("förordning") else "lag"


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
    kind: str = "lag"  # one of ACT_KINDS: how the list of governing law groups it
    issuer: str | None = None  # the authority behind a föreskrift: "Socialstyrelsen", "IVO", "MFoF"
    source: str | None = None  # where the facts were checked (a URL or a named document)
    catalogued: bool = True  # False for a well-formed number cited but not in the registry

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

    @property
    def definite(self) -> str:
        """After a paragraph: '20 kap. 2 § socialtjänstlagen (2025:400)'; 'SOSFS 2011:9' for the rest."""
        if self.number.startswith("SFS ") and self.short_title:
            return f"{self.short_title} ({self.number[4:]})"
        return self.citation if self.number.startswith("SFS ") else self.number

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


def cites_by_number(act_text: str) -> bool:
    """'SFS 2001:453' or 'socialtjänstlagen (2025:400)': the act is named by its number, which never
    changes meaning; 'SoL' is read as the act in force on the document's date."""
    return _act_key(act_text)[0] == "number"


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


# A number that names an act even when the registry does not know it: 'SFS 2019:1234',
# 'HSLF-FS 2020:1', 'lagen (2019:1234)', 'EU 2019/1150'.
_WELL_FORMED = re.compile(r"(?:(?P<series>SFS|[A-ZÅÄÖ][A-Za-zÅÄÖåäö-]*FS)\s+|(?P<named>.+?)\s*\()?"
                          r"(?P<year>\d{4}):(?P<serial>\d+)\)?|EU\s+(?P<eu>\d{4}/\d+)")


def well_formed_number(act_text: str) -> tuple[str, int] | None:
    """('SFS 2019:1234', 2019) when the text is an act number (with its series or in 'lagen (yyyy:n)'
    form) that the registry could hold, else None: such a citation is a gap in the registry, not a typo."""
    match = _WELL_FORMED.fullmatch(" ".join(act_text.split()))
    if match is None:
        return None
    if match.group("eu"):
        return f"EU {match.group('eu')}", int(match.group("eu")[:4])
    if match.group("series") is None and match.group("named") is None:
        return None  # a bare '2019:1234' could be any series
    series = match.group("series") or "SFS"
    return f"{series} {match.group('year')}:{match.group('serial')}", int(match.group("year"))


class LawRegistry:
    def __init__(self, acts: list[Act], provisions: ProvisionMap | None = None):
        self.acts = {act.id: act for act in acts}
        self.provisions = provisions or ProvisionMap([])
        self._uncatalogued: dict[str, Act] = {}
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

    def uncatalogued(self, number: str) -> Act:
        """A stand-in for a well-formed number the registry lacks (one per number, so lists can group it)."""
        act = self._uncatalogued.get(number)
        if act is None:
            act = Act(id=f"okand-{slugify(number)}",
                      title="Saknas i lagrumsregistret", number=number, kind=kind_of(number, ""), verified=False,
                      catalogued=False)
            self._uncatalogued[number] = act
        return act

    @property
    def cited_uncatalogued(self) -> list[Act]:
        return list(self._uncatalogued.values())

    def new_place(self, act: Act, citation: Citation) -> list[Provision]:
        """Where the cited provision of a repealed act is in its successor, when that is known: one place,
        one per stycke of a paragraph that was split, or one per paragraph of a range; [] when unknown."""
        if not citation.section:
            return []
        if citation.section_end is None:
            return self.provisions.find(act.id, citation.chapter, citation.section, citation.detail)
        low, high = para_key(citation.section), para_key(citation.section_end)
        if low[1] or high[1] or high[0] - low[0] > 50:  # '24 b–24 g §§': letters cannot be counted through
            return []
        return [pair for number in range(low[0], high[0] + 1)
                for pair in self.provisions.find(act.id, citation.chapter, str(number))]

    def new_place_text(self, act: Act, citation: Citation, by_number: bool = False) -> tuple[str, str | None] | None:
        """('11 kap. 1 a § första stycket motsvaras delvis av 20 kap. 1 § och andra stycket av 20 kap. 2 §
        socialtjänstlagen (2025:400)', 'SoL 20 kap. 2 §' or None) — the reference to write is offered only
        when one new place holds the whole of what is cited (named by number when `by_number`, as the
        author did); None when nothing is known."""
        successor = self.successor(act)
        pairs = self.new_place(act, citation)
        if successor is None or not pairs:
            return None
        parts = []
        for number, pair in enumerate(pairs):
            old = pair.old_location
            if number > 0 and old.split("§", 1)[0] == pairs[number - 1].old_location.split("§", 1)[0]:
                old = old.split("§", 1)[1].strip()  # '… och andra stycket av …' within the same paragraph
            elif number > 0 and citation.chapter:
                old = old.split(" kap. ", 1)[-1]  # '… 3 § av …' within the same chapter
            verb = "motsvaras" if number == 0 else ""
            verb = f"{verb} delvis av" if pair.partial else f"{verb} av"
            parts.append(f"{old} {verb.strip()} {pair.new_location}")
        joined = listing(parts)
        pair = pairs[0]
        cited = stycken_named(citation.detail)
        whole = (len(pairs) == 1 and not pair.partial and not citation.section_end
                 and (not pair.stycken or (cited and cited <= pair.stycken)))
        name = successor.number if by_number or not successor.abbreviation else successor.abbreviation
        return f"{joined} {successor.definite}", f"{name} {pair.new_location}" if whole else None

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
    number = " ".join(str(item["number"]).split())
    kind = str(item.get("kind") or kind_of(number, str(item["title"])))
    if kind not in ACT_KINDS:
        raise ConfigError(f"{source}: {item['id']}: ”kind” = ”{kind}” är inget känt slag av författning "
                          f"(tillåtna: {', '.join(ACT_KINDS)})")
    return Act(
        id=str(item["id"]), title=str(item["title"]), number=number,
        abbreviation=item.get("abbreviation"), short_title=item.get("short_title"),
        in_force=date("in_force"), repealed=date("repealed"), replaced_by=item.get("replaced_by"),
        url=item.get("url"), aliases=tuple(str(a) for a in item.get("aliases") or ()),
        verified=bool(item.get("verified", True)), note=item.get("note"), kind=kind,
        issuer=item.get("issuer"), source=item.get("source"),
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


# 'SFS 2025:400', 'HSLF-FS 2016:40', 'EU 2016/679'; and the older EU numbering 'EU 604/2013'.
_SERIES_NUMBER = (re.compile(r"(?P<series>\S+) (?P<number>(?P<year>\d{4})[:/](?P<serial>\d+))"),
                  re.compile(r"(?P<series>EU) (?P<number>(?P<serial>\d+)/(?P<year>\d{4}))"))


def linked(act: Act, template: str | None) -> Act:
    """The act with its link on the site's own mirror (the option law_links), when the site has one.

    The template's placeholders were checked with the settings; an act whose number has no
    year and serial keeps its official address."""
    match = next((m for m in (p.fullmatch(act.number) for p in _SERIES_NUMBER) if m), None) if template else None
    if template is None or match is None:
        return act
    values = {**match.groupdict(), "id": act.id}
    return replace(act, url=template.format(**{k: quote(v, safe=":/") for k, v in values.items()}))


def load_laws(override: Path | None = None, provisions: Path | None = None,
              link_template: str | None = None) -> LawRegistry:
    """The shipped registry, with a site's own file laid over it (same id replaces), and the
    shipped map of old paragraphs to new ones with a site's own pairs added; each act linked to
    the site's mirror when `link_template` (the option law_links) is set."""
    merged = {str(item.get("id")): dict(item) for item in _builtin_items()}
    if override is not None:
        try:
            text = override.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{override}: kan inte läsas ({exc})") from None
        for item in _read_laws(text, str(override)):
            merged[str(item.get("id"))] = {**merged.get(str(item.get("id")), {}), **item}
    acts = [linked(_act_from_yaml(item, str(override or "laws.yml")), link_template or None)
            for item in merged.values()]
    registry = LawRegistry(acts, load_provisions(provisions))
    for act in acts:
        if act.replaced_by and act.replaced_by not in registry.acts:
            raise ConfigError(f"lagrumsregistret: {act.id} ersätts av okänt id ”{act.replaced_by}”")
    for pair in registry.provisions.provisions:
        for act_id in (pair.old_act, pair.new_act):
            if act_id not in registry.acts:
                raise ConfigError(f"paragrafnyckeln: {pair.old_location} hänvisar till okänt id ”{act_id}” "
                                  "i lagrumsregistret")
    return registry


# --- references -----------------------------------------------------------------

_PARA = r"\d+(?:\s?[a-z])?"  # '24', '24 b', '1a'
_SECTION = (
    rf"(?P<section>{_PARA})(?:\s*[–—-]\s*(?P<section_end>{_PARA}))?\s*§§?"
    rf"(?P<detail>(?:\s+(?:(?:{ORDINALS_PATTERN}|\d+)\s+(?:stycket|st\.)|(?:punkt|p\.)\s*\d+))*)"
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


@functools.lru_cache(maxsize=4096)
def parse_citation(text: str) -> Citation:
    raw = " ".join(str(text).replace("\u00a0", " ").split())
    if not raw:
        raise CitationError("tomt lagrum")
    match = _ACT_FIRST.match(raw) or _LOC_FIRST.match(raw)
    if match and match.group("loc").strip():
        groups = match.groupdict()
        detail = " ".join((groups.get("detail") or "").split()) or None
        return Citation(raw, match.group("act").strip(" ,"), clean_para(groups.get("chapter")),
                        clean_para(groups.get("section")), clean_para(groups.get("section_end")),
                        detail, groups.get("article"))
    if re.search(r"§|kap\b|kap\.", raw):
        raise CitationError("paragrafen eller kapitlet går inte att tolka")
    return Citation(raw, raw.strip(" ,"))


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
