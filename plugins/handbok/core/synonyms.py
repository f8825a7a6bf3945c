"""Search synonyms and the parts of Swedish compounds: the words a stemmer cannot know.

A Snowball stemmer finds "avvikelser" from "avvikelse", but not "orosanmälningar" from
"orosanmälan" (different stems), "försörjningsstöd" from "ekonomiskt bistånd" (other words) or
"anmälan" inside "orosanmälan" (one word to the index). Those relations live in a YAML file:

    synonymer:
      orosanmälan: [orosanmälningar, orosanmälning, anmälan om oro]
    ordled: [anmälan, barn, samtal]

- `synonymer`: a search word and the words and phrases that should find the same documents. A
  document whose title, keywords or description holds any of them is indexed under all of them.
- `ordled`: word parts. A title word made of two known parts (with or without a linking s:
  "oros|anmälan", "barn|samtal") is also indexed as its parts. Every one-word entry of
  `synonymer` is a part too.

The handbook's own file (the `synonyms_file` option) adds to the set shipped in
data/synonymer.yml. Matching is on case-folded words, so "LVU" and "lvu" are one entry.

Engine-free and HTML-free: handbok.render puts the terms into the page, the search engine
indexes them from the built HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from handbok.core import personal_data
from handbok.core.settings import ConfigError

SECTIONS = ("synonymer", "ordled")
# Shortest part a compound is split at: a part is always a listed word, and two letters would
# split words at chance places ("ar", "en").
MIN_PART = 3
# Endings a compound's last part may carry (the indefinite and definite forms of Swedish nouns).
_ENDINGS = ("", "n", "en", "et", "t", "ar", "er", "or", "na", "arna", "erna", "orna", "s", "ns", "ens", "ets")
_WORD = re.compile(r"[\wåäöéü]+(?:-[\wåäöéü]+)*", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The case-folded words of a text, hyphenated words kept whole."""
    return [w.casefold() for w in _WORD.findall(text)]


def _padded(found: list[str]) -> str:
    """Words joined with a space on each side, so that " a b " in it is a match of whole words."""
    return f" {' '.join(found)} "


@dataclass(frozen=True)
class Synonyms:
    """Synonym groups (each a tuple of case-folded terms, the search word first) and word parts."""

    groups: tuple[tuple[str, ...], ...] = ()
    parts: frozenset[str] = frozenset()
    # Derived once: each group's terms as " word word " (to find them in a text's words the same way),
    # and the first word of each term -> the groups holding such a term (one lookup per word of a
    # title instead of a scan of every group).
    _forms: list[tuple[str, ...]] = field(default_factory=list, compare=False, repr=False)
    _by_word: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for number, group in enumerate(self.groups):
            self._forms.append(tuple(_padded(words(term)) for term in group))
            for term in group:
                first = words(term)[:1]
                if first and number not in index.setdefault(first[0], []):
                    index[first[0]].append(number)
        self._by_word.update({word: tuple(numbers) for word, numbers in index.items()})

    def _matching(self, found: list[str]) -> list[int]:
        joined = _padded(found)
        hits = {number for word in set(found) for number in self._by_word.get(word, ())
                if any(form in joined for form in self._forms[number])}
        return sorted(hits)

    def matching(self, text: str) -> list[tuple[str, ...]]:
        """The groups with a term in `text` (as whole words), in file order."""
        return [self.groups[n] for n in self._matching(words(text))]

    def expansions(self, text: str) -> list[str]:
        """Every term of the groups matching `text` that `text` does not already hold."""
        found = words(text)
        present = _padded(found)
        out: list[str] = []
        for number in self._matching(found):
            for term, form in zip(self.groups[number], self._forms[number], strict=True):
                if form not in present and term not in out:
                    out.append(term)
        return out

    def split(self, word: str) -> list[str]:
        """A compound as its known parts ("orosanmälan" -> ["oro", "anmälan"]); [] when it is not
        made of known parts. The last part may carry a noun ending ("barnsamtalen" -> "samtal")."""
        word = word.casefold()
        for at in range(MIN_PART, len(word) - MIN_PART + 1):  # longest last part first
            tail = self._part_of(word[at:])
            if tail is None:
                continue
            left = self._head(word[:at])
            if left:
                return [*left, tail]
        return []

    def _part_of(self, tail: str) -> str | None:
        """The known part `tail` is, with or without a noun ending."""
        for ending in _ENDINGS:
            base = tail[:len(tail) - len(ending)] if ending else tail
            if tail.endswith(ending) and len(base) >= MIN_PART and base in self.parts:
                return base
        return None

    def _head(self, head: str) -> list[str]:
        """The first part(s) of a compound: a known part, with or without the linking s, or itself
        a compound of known parts."""
        for candidate in (head, head[:-1] if head.endswith("s") else None):
            if candidate and len(candidate) >= MIN_PART:
                if candidate in self.parts:
                    return [candidate]
                inner = self.split(candidate)
                if inner:
                    return inner
        return []

    def compound_parts(self, text: str) -> list[str]:
        """The parts of every compound word in `text`, each once, in text order."""
        out: list[str] = []
        for word in words(text):
            for part in self.split(word):
                if part not in out:
                    out.append(part)
        return out


DEFAULT_FILE = "data/synonymer.yml"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise ConfigError(f"{where}:{_line(node)}: här ska stå ett ord eller uttryck (text)")
    return " ".join(str(node.value).split()).casefold()


def _terms(node: yaml.Node, where: str) -> list[str]:
    if isinstance(node, yaml.SequenceNode):
        return [_scalar(item, where) for item in node.value]
    return [_scalar(node, where)]


def parse(text: str, where: str) -> tuple[list[tuple[str, ...]], set[str]]:
    """The groups and parts of one synonym file; ConfigError (Swedish, file:line) when invalid."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}{line}: synonymfilen är inte giltig YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None:
        return [], set()
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{where}:{_line(root)}: synonymfilen ska ha avsnitten ”synonymer:” och ”ordled:”")
    groups: list[tuple[str, ...]] = []
    parts: set[str] = set()
    for key, value in root.value:
        section = str(key.value)
        if section == "synonymer":
            if not isinstance(value, yaml.MappingNode):
                raise ConfigError(f"{where}:{_line(value)}: under ”synonymer:” ska varje rad vara ett sökord med "
                                  "en lista, t.ex. ”orosanmälan: [orosanmälningar, anmälan om oro]”")
            for word, others in value.value:
                head = _scalar(word, where)
                group = tuple(dict.fromkeys([head, *_terms(others, where)]))
                if len(group) < 2:
                    raise ConfigError(f"{where}:{_line(word)}: ”{head}” under ”synonymer:” behöver minst en synonym")
                groups.append(group)
        elif section == "ordled":
            parts.update(_terms(value, where))
        else:
            raise ConfigError(f"{where}:{_line(key)}: okänt avsnitt ”{section}” (kända: {', '.join(SECTIONS)})")
    hit = next((h for h in personal_data.scan(text) if not h.accepted), None)
    if hit is not None:  # every term is published in the pages' search terms
        raise ConfigError(f"{where}:{hit.line}: synonymfilen innehåller ett {hit.kind} ({hit.masked}); "
                          "ta bort det – sökorden publiceras på webbplatsen")
    return groups, parts


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: synonymfilen kan inte läsas ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: synonymfilen är inte sparad som UTF-8") from None


def load(path: Path | None = None, *, defaults: bool = True) -> Synonyms:
    """The shipped set (unless defaults is False) and the handbook's own file, merged: a search
    word in both gets the terms of both."""
    texts: list[tuple[str, str]] = []
    if defaults:
        texts.append((resources.files("handbok.core").joinpath(DEFAULT_FILE).read_text(encoding="utf-8"),
                      f"handbok/core/{DEFAULT_FILE}"))
    if path is not None:
        texts.append((_read(path), str(path)))
    merged: dict[str, list[str]] = {}
    parts: set[str] = set()
    for text, where in texts:
        groups, found = parse(text, where)
        parts |= found
        for group in groups:
            terms = merged.setdefault(group[0], [])
            terms.extend(t for t in group if t not in terms)
    for group_terms in merged.values():  # one-word terms are parts of compounds too
        parts.update(t for t in group_terms if " " not in t and "-" not in t)
    return Synonyms(tuple(tuple(t) for t in merged.values()), frozenset(p for p in parts if len(p) >= MIN_PART))
