"""Paragraph numbers and stycken as Swedish legal citations write them, for legal.py and provisions.py.

'24b', '24 b' and '24 B' are one paragraph; 'andra och tredje styckena' names two stycken.
"""

from __future__ import annotations

import functools
import re

ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde")
ORDINALS_PATTERN = "|".join(ORDINALS)
_STYCKEN = re.compile(rf"\s*((?:(?:{ORDINALS_PATTERN})(?:,\s*|\s+och\s+)?)+)\s*(?:stycket|styckena)")


def clean_para(value: str | None) -> str | None:
    """'24b' -> '24 b', '24' -> '24'; what is not a paragraph number is returned as it is."""
    if value is None:
        return None
    match = re.fullmatch(r"(\d+)\s?([a-z])?", value.strip().lower())
    return f"{match.group(1)} {match.group(2)}" if match and match.group(2) else (match.group(1) if match else value)


@functools.lru_cache(maxsize=1024)
def para_key(value: str) -> tuple[int, str]:
    """'24 b' -> (24, 'b') so that 24 < 24 a < 24 b < 25."""
    match = re.fullmatch(r"(\d+)(?:\s?([a-z]))?", value)
    return (int(match.group(1)), match.group(2) or "") if match else (0, value)


def stycken_named(part: str | None) -> frozenset[str]:
    """The stycken a part names: 'andra och tredje styckena' -> {'andra', 'tredje'}; whole paragraph -> {}."""
    match = _STYCKEN.match((part or "").strip())
    return frozenset(re.findall(ORDINALS_PATTERN, match.group(1))) if match else frozenset()
