"""Small text helpers shared by the CLI, the generators and the site adapter."""

from __future__ import annotations

import re
import unicodedata

_SWEDISH = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", "é": "e", "É": "e", "ü": "u", "Ü": "u"})


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII file/URL slug: 'Förhandsbedömning – 14 dagar' -> 'forhandsbedomning-14-dagar'.

    Swedish letters are folded by hand first (å->a, ä->a, ö->o) because NFKD
    would keep them as 'a' + combining ring, which we then strip the same way,
    but being explicit keeps the rule obvious to readers of the code.
    """
    folded = text.translate(_SWEDISH)
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug or "dokument"


_SV_ORDER = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003", "æ": "z\u0002", "ø": "z\u0003"})


def sv_key(text: str) -> str:
    """Sort key in Swedish alphabetical order (… x y z å ä ö), case-insensitive."""
    return str(text).casefold().translate(_SV_ORDER)
