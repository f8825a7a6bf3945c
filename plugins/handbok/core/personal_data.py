"""Personal-data guard: find Swedish personnummer and samordningsnummer in handbook text.

A handbook is published to every employee, so a routine must never contain a
real person's identity number. Copy-pasted examples from case files are the
classic leak. ``scan`` finds candidates, validates them with the maintained
``personnummer`` package (date incl. samordningsnummer day + 60, Luhn digit)
and reports each hit with a *masked* form only (``19811218-****``).

Formats found (ASCII digits; separator ``-``/``+``, or a typographic hyphen or
en dash that word processors put in, or none):
``YYMMDD-NNNN``, ``YYMMDD+NNNN`` (100 år eller äldre), ``YYMMDDNNNN``,
``YYYYMMDD-NNNN``, ``YYYYMMDDNNNN`` (century 18, 19 or 20).

Not found, by design:

* a candidate glued to a longer token: a digit, or ``- + . , : /`` followed by
  a digit, right before or after it (``SFS 2001:453``, ``SN 2015/0132``,
  decimals, 11- and 13-digit runs, numbers inside longer dash-joined codes);
* a compact 10-digit run beginning with ``07``: that is how Swedish mobile
  numbers are written (``0701234567``) and ``070``-numbers are often valid
  samordningsnummer/personnummer by accident. The cost is that a person born
  2007 written *without* separator is missed; with a separator or in 12-digit
  form it is still found;
* anything failing the date or Luhn check (ISO dates, phone numbers with
  spaces, postal codes, organisationsnummer – month 20 or more is no date).

Known residual false alarms: a compact timestamp such as ``202603121430`` is a
well-formed 12-digit number and passes Luhn one time in ten. Reformat it or
use the marker.

Accepting an occurrence (the marker)
------------------------------------
The marker accepts every number *on the same line* – nothing above or below::

    Exempel: 811218-9876 <!-- handbok: tillåt-personnummer -->
    exempel_pnr: "811218-9876"  # handbok: tillåt-personnummer

HTML-comment form for Markdown, ``#``-comment form for YAML front matter; the
same regex takes both (case-insensitive, ``tillat`` without ring accepted).
Accepted hits are still returned, with ``accepted=True, reason="markering"``,
so reports can list them.

Skatteverket's test personnummer (``allow_test_numbers=True``)
--------------------------------------------------------------
Skatteverket publishes its test personnummer as open data (dataportal
"Testpersonnummer", skatteverket.entryscape.net catalog 9, dataset 147). It
is a list, not a rule. Read via the generated copy in
ActiveLogin/ActiveLogin.Identity (src/ActiveLogin.Identity.Swedish.TestData/
AllPins.fs), it has this shape:

* born 1890-01-01 … 1910-12-31: one number for every day, födelsenummer 980–988;
* 1911–1986: a sparse, irregular set with födelsenummer all over the range;
* 1987–2019: födelsenummer 238 or 239, but for most days only *one* of the two
  (and days are missing), so "238/239" also matches numbers that are not in
  the list and may belong to real people.

Only the first block can be recognised by a rule without shipping the list,
and over-matching it is harmless (anyone born before 1911 is over 115). So
that is the rule used: birth date 1890-01-01 … 1910-12-31 and födelsenummer
980–989. Everything else – including 238/239 numbers – is reported like any
other number; authors use the marker for those. Failing closed is deliberate:
a wrongly accepted real number is a leak, a wrongly flagged test number costs
one comment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from personnummer import personnummer  # the package __init__ is empty in 3.2.x

ACCEPT_MARKER = "<!-- handbok: tillåt-personnummer -->"
ACCEPT_MARKER_YAML = "# handbok: tillåt-personnummer"

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
REASON_MARKER = "markering"
REASON_TEST = "testnummer"

# Both marker forms: "<!-- handbok: tillåt-personnummer -->" and "# handbok: ...".
_MARKER_RE = re.compile(r"(?:<!--|#)\s*handbok\s*:\s*till[aå]t-personnummer\b", re.IGNORECASE)

# Cheap pre-filter: every candidate contains six digits in a row.
# Spelled out: measured almost twice as fast as [0-9]{6} in CPython's regex engine.
_QUICK_RE = re.compile(r"[0-9][0-9][0-9][0-9][0-9][0-9]")

_NEWLINE_RE = re.compile("\n")

# Hyphen-like characters a word processor may put in place of "-".
_DASHES = "\u2010\u2011\u2013\u2212"

_CANDIDATE_RE = re.compile(
    rf"""
    (?<![0-9])                    # not the tail of a longer digit run
    (?<![0-9][-+.,:/{_DASHES}])   # nor of a token like 2001:453, 2015/0132, 1.5
    (?P<century>1[89]|20)?
    (?P<date>[0-9]{{6}})
    (?P<sep>[-+{_DASHES}]?)
    (?P<tail>[0-9]{{4}})
    (?![0-9])
    (?![-+.,:/{_DASHES}][0-9])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Hit:
    line: int  # 1-based line number in the whole file (first_line offset applied)
    column: int  # 1-based, in characters
    masked: str  # date part as written + "-****" (or "+****"); never the full number
    kind: str  # PERSONNUMMER | SAMORDNINGSNUMMER
    accepted: bool
    reason: str | None  # REASON_MARKER | REASON_TEST | None


def scan(text: str, *, first_line: int = 1, allow_test_numbers: bool = False) -> list[Hit]:
    """Return every personnummer/samordningsnummer in ``text``, in text order.

    ``first_line`` is the file line number of the first line of ``text`` (the
    caller may scan a body that starts after the front matter). With
    ``allow_test_numbers`` Skatteverket test numbers (see module docstring) are
    returned as accepted with reason ``"testnummer"``.
    """
    if not text or not _QUICK_RE.search(text):
        return []
    newlines: list[int] | None = None
    hits: list[Hit] = []
    for match in _CANDIDATE_RE.finditer(text):
        century, date, sep, tail = match.group("century", "date", "sep", "tail")
        if not century and not sep and date.startswith("07"):
            continue  # compact Swedish mobile number, see module docstring
        plus = sep == "+"
        if not _valid(century, date, tail, plus):
            continue
        if newlines is None:
            newlines = [m.start() for m in _NEWLINE_RE.finditer(text)]
        start = match.start()
        index = bisect_right(newlines, start)  # newlines before the match
        line_start = newlines[index - 1] + 1 if index else 0
        line_end = newlines[index] if index < len(newlines) else len(text)
        if _MARKER_RE.search(text, line_start, line_end):
            accepted, reason = True, REASON_MARKER
        elif allow_test_numbers and _is_test_number(century, date, tail, plus):
            accepted, reason = True, REASON_TEST
        else:
            accepted, reason = False, None
        hits.append(
            Hit(
                line=first_line + index,
                column=start - line_start + 1,
                masked=f"{century or ''}{date}{'+' if plus else '-'}****",
                kind=SAMORDNINGSNUMMER if int(date[4:6]) > 60 else PERSONNUMMER,
                accepted=accepted,
                reason=reason,
            )
        )
    return hits


def _valid(century: str | None, date: str, tail: str, plus: bool) -> bool:
    """Date (day + 60 allowed) and Luhn digit, checked by the personnummer package.

    A 10-digit number leaves the century open; the package would pick it from
    today's date, which only matters for 29 February. We try the plausible
    centuries instead, so the answer never depends on the clock and a doubtful
    number is reported rather than dropped.
    """
    centuries = (century,) if century else (("18", "19") if plus else ("19", "20"))
    return any(personnummer.valid(f"{c}{date}{tail}") for c in centuries)


def _is_test_number(century: str | None, date: str, tail: str, plus: bool) -> bool:
    serial = int(tail[:3])
    if not 980 <= serial <= 989 or int(date[4:6]) > 60:
        return False
    yy = int(date[:2])
    if century:
        year = int(century) * 100 + yy
    elif plus:
        # "+" means born at least 100 years ago: YY 90-99 -> 1890s, 00-10 -> 1900s.
        year = 1800 + yy if yy >= 90 else 1900 + yy
    else:
        return False  # "-" or no separator: born within the last 100 years
    return 1890 <= year <= 1910
