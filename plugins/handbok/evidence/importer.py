"""`handbok evidens import FILE`: turn an exported reference list (RIS or BibTeX) into evidence entries.

One Markdown file with YAML front matter per reference, in the key order of the design brief.
Parsing is left to the maintained libraries (rispy, bibtexparser 2.x); this module maps their
fields, guesses a `kind`, makes a stable id and writes files without ever replacing one.

Design choices worth knowing:
- A file that cannot be parsed completely is rejected as a whole (exit 1) and nothing is
  written, so a truncated export never produces half a library silently.
- Duplicates inside the import (same DOI, or same title and year) and ids/files that already
  exist are reported and skipped; re-running an import is therefore harmless.
- Every value in the front matter goes through yaml.safe_dump, so titles with ':', '#', quotes,
  a leading '*' etc. come back unchanged when the file is read.
"""

from __future__ import annotations

import codecs
import datetime
import html
import logging
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import bibtexparser
import rispy
import yaml
from bibtexparser.exceptions import BlockAbortedException, PartialMiddlewareException
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    NameParts,
    NormalizeFieldKeys,
    SeparateCoAuthors,
    SplitNameParts,
)
from bibtexparser.model import DuplicateBlockKeyBlock, MiddlewareErrorBlock

from handbok.core.text import slugify
from handbok.source.safewrite import create_exclusive

PLACEHOLDER_SUMMARY = (
    "Sammanfattning saknas – skriv 3–5 meningar om vad källan säger och hur den används i verksamheten."
)
AREAS_COMMENT = ("# Fyll i verksamhetsområden (enhets-id ur registry/units.yml) – "
                 "tom lista godkänns inte av handbok check")

# --- kind (slag) --------------------------------------------------------------------------------
# Reference type -> kind. A first guess only: the output names the kind and the author changes it.
# Note RIS "STAT" is a *statute* in the RIS specification (rispy: "Statute"), so it maps to
# föreskrift/vägledning; data sets are DATA/DBASE/AGGR.
RIS_KINDS: dict[str, str] = {
    **dict.fromkeys(["RPRT", "JOUR", "EJOUR", "JFULL", "THES", "CONF", "CPAPER", "UNPB", "INPR", "SER"],
                    "forskningsrapport"),
    **dict.fromkeys(["BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP", "ENCYC", "DICT"], "kunskapsöversikt"),
    **dict.fromkeys(["GOVDOC", "STAT", "LEGAL", "BILL", "UNBILL", "STAND", "CASE", "HEAR"],
                    "föreskrift/vägledning"),
    **dict.fromkeys(["DATA", "DBASE", "AGGR"], "statistik"),
    **dict.fromkeys(["ELEC", "BLOG", "WEB", "ICOMM", "GEN", "PAMP", "CTLG", "ADVS", "VIDEO", "SLIDE", "NEWS",
                     "MGZN", "COMP"], "metodstöd"),
}
BIBTEX_KINDS: dict[str, str] = {
    **dict.fromkeys(["article", "techreport", "report", "phdthesis", "mastersthesis", "thesis", "inproceedings",
                     "conference", "proceedings", "unpublished"], "forskningsrapport"),
    **dict.fromkeys(["book", "inbook", "incollection", "collection", "mvbook", "reference", "bookinbook"],
                    "kunskapsöversikt"),
    **dict.fromkeys(["legislation", "legal", "jurisdiction", "standard"], "föreskrift/vägledning"),
    **dict.fromkeys(["dataset", "data"], "statistik"),
    **dict.fromkeys(["misc", "online", "electronic", "www", "webpage", "manual", "booklet", "software"],
                    "metodstöd"),
}
DEFAULT_KIND = "metodstöd"
# Words in a (Swedish or English) title that say more than the reference type; first match wins.
TITLE_KINDS: list[tuple[tuple[str, ...], str]] = [
    (("nationella riktlinjer",), "nationella riktlinjer"),
    (("föreskrifter och allmänna råd", "allmänna råd"), "föreskrift/vägledning"),
    (("brukarundersökning",), "brukarundersökning"),
    (("kunskapsöversikt", "systematisk översikt", "forskningsöversikt", "systematic review", "meta-analys",
      "meta-analysis", "scoping review"), "kunskapsöversikt"),
    (("statistik om", "officiell statistik"), "statistik"),
    (("utvärdering",), "utvärdering"),
]

LANGUAGES = {
    **dict.fromkeys(["sv", "swe", "sve", "swedish", "svenska", "sv-se", "sv_se"], "sv"),
    **dict.fromkeys(["en", "eng", "english", "engelska", "en-gb", "en-us", "en_gb", "en_us"], "en"),
    **dict.fromkeys(["da", "dan", "danish", "danska"], "da"),
    **dict.fromkeys(["no", "nor", "nob", "nb", "norwegian", "norska"], "no"),
    **dict.fromkeys(["fi", "fin", "finnish", "finska"], "fi"),
    **dict.fromkeys(["de", "ger", "deu", "german", "tyska"], "de"),
}

# Title words that make a poor id ("en-", "the-", "om-" …).
STOPWORDS = set(
    "a an and are as at by for from in into is of on or the to with "
    "att av de den det en ett for fran har hur i med nar och om pa som till under utan vad vid vilka".split()
)

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_BIB_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_RIS_START = re.compile(r"^TY  -", re.M)


class ImportFailure(Exception):
    """The file as a whole cannot be imported; message is Swedish and complete."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Reference:
    """One reference as read from the file, already mapped to evidence fields."""

    line: int | None
    kind: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    family: str = ""  # first author's family name, for the id
    publisher: str = ""
    year: int | None = None
    url: str = ""
    doi: str = ""
    isbn: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    abstract: str = ""
    notes: list[str] = field(default_factory=list)  # warnings to print with the entry


# --- small normalisers ----------------------------------------------------------------------------
def clean(value: object) -> str:
    """One line of text: whitespace collapsed, control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def _year(*candidates: object) -> int | None:
    for candidate in candidates:
        match = _YEAR.search(clean(candidate))
        if match:
            return int(match.group(1))
    return None


def _doi(value: object) -> str:
    text = _DOI_PREFIX.sub("", clean(value))
    match = _DOI.search(text)
    return match.group(0).rstrip(".,;") if match else ""


def _isbn(*values: object) -> str:
    """The first token that is shaped like an ISBN-10/13 (ISSNs such as 1234-5678 are not)."""
    for value in values:
        for token in re.split(r"[\s;,]+", clean(value)):
            token = re.sub(r"^(?:ISBN(?:-1[03])?:?)", "", token, flags=re.I).strip("()")
            digits = token.replace("-", "")
            if re.fullmatch(r"\d{9}[\dXx]", digits) or re.fullmatch(r"97[89]\d{10}", digits):
                return token.upper()
    return ""


def _keywords(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        for word in re.split(r"[,;]", value):
            word = clean(word)
            if word and word.casefold() not in seen:
                seen[word.casefold()] = word
    return list(seen.values())


def _language(value: object) -> str:
    text = clean(value)
    return LANGUAGES.get(text.casefold(), text)


def _http_url(values: list[str], ref: Reference) -> str:
    for value in values:
        url = clean(value)
        if re.match(r"https?://\S+$", url, re.I):
            return url
        if url:
            ref.notes.append(f"länken ”{url}” är ingen http(s)-adress och togs inte med")
    return ""


def _kind(table: dict[str, str], ref_type: str, title: str, ref: Reference) -> str:
    folded = title.casefold()
    for needles, kind in TITLE_KINDS:
        if any(needle in folded for needle in needles):
            return kind
    if ref_type in table:
        return table[ref_type]
    ref.notes.append(f"okänd referenstyp ”{ref_type or '(saknas)'}” – slaget satt till {DEFAULT_KIND}, ändra vid behov")
    return DEFAULT_KIND


def _finish(ref: Reference, ref_type: str, table: dict[str, str], urls: list[str], doi: object) -> Reference:
    """Fields shared by both formats: kind, DOI and the url fallback."""
    ref.kind = _kind(table, ref_type, ref.title, ref)
    ref.doi = _doi(doi)
    ref.url = _http_url(urls, ref)
    if not ref.url and ref.doi:
        ref.url = f"https://doi.org/{ref.doi}"
    return ref


# --- reading the file -------------------------------------------------------------------------------
def _decode(raw: bytes, fmt: str, source: str) -> tuple[str, str | None]:
    """Text and, when it was not UTF-8, a note saying which encoding was assumed."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "Obs: filen är kodad som UTF-16; den lästes som UTF-16."
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if fmt != "ris":
            raise ImportFailure(
                f"{source}:{line}: filen är inte UTF-8-kodad. Exportera den igen med teckenkodning UTF-8 "
                "(i Zotero och JabRef går det att välja vid export)."
            ) from None
    # Old EndNote on Windows writes RIS in Windows-1252; latin-1 accepts any byte as a last resort.
    for encoding, label in (("cp1252", "Windows-1252 (cp1252)"), ("latin-1", "ISO-8859-1 (latin-1)")):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, (f"Obs: filen är inte UTF-8 (rad {line}); den lästes som {label}, vanligt i äldre "
                      "EndNote-exporter. Kontrollera å, ä och ö i de skapade posterna.")
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _detect_format(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".ris":
        return "ris"
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    head = raw[:65536].decode("utf-16" if utf16 else "utf-8", errors="replace").lstrip("\ufeff")
    if _RIS_START.search(head):
        return "ris"
    if _BIB_START.search(head):
        return "bibtex"
    raise ImportFailure(
        f"{path}: okänt format – filen ska vara RIS (.ris, rader som ”TY  - JOUR”) eller BibTeX "
        "(.bib, poster som ”@article{…”). Exportera referenslistan i något av de formaten.",
        code=2,
    )


# --- RIS ----------------------------------------------------------------------------------------------
def _ris_record_lines(text: str, source: str) -> list[int]:
    """Line where each record starts; rejects the structures rispy would silently mangle."""
    starts: list[int] = []
    open_at: int | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _RIS_TAG.match(line.rstrip("\r"))
        if not match:
            continue
        tag = match.group(1)
        if tag == "TY":
            if open_at is not None:
                raise ImportFailure(f"{source}:{number}: en ny post (”TY  -”) börjar innan posten på rad {open_at} "
                                    "har avslutats med ”ER  -”.")
            open_at = number
            starts.append(number)
        elif tag == "ER":
            open_at = None
        elif open_at is None:
            raise ImportFailure(f"{source}:{number}: fältet ”{tag}” står utanför en post – "
                                "saknas raden ”TY  - …” som inleder posten?")
    if open_at is not None:
        raise ImportFailure(f"{source}:{open_at}: posten avslutas aldrig med ”ER  -” – filen verkar avklippt.")
    if not starts:
        raise ImportFailure(f"{source}: inga RIS-poster hittades (en post börjar med raden ”TY  - …”).")
    return starts


def _parse_ris(text: str, source: str) -> list[Reference]:
    starts = _ris_record_lines(text, source)
    try:
        records = rispy.loads(text.replace("\r\n", "\n"))
    except Exception as exc:  # rispy raises bare TypeErrors on some malformed continuation lines
        raise ImportFailure(f"{source}: RIS-filen kunde inte tolkas ({type(exc).__name__}) – kontrollera att "
                            "varje rad börjar med ett fältnamn som ”AU  - ”.") from None
    if len(records) != len(starts):
        raise ImportFailure(f"{source}: RIS-filen kunde inte tolkas – hittade {len(starts)} poster men kunde "
                            f"läsa {len(records)}.")
    return [_ris_reference(record, line) for record, line in zip(records, starts, strict=True)]


def _ris_reference(rec: dict, line: int) -> Reference:
    ref_type = clean(rec.get("type_of_reference")).upper()
    ref = Reference(line=line, kind=DEFAULT_KIND)
    ref.title = clean(rec.get("title") or rec.get("primary_title") or rec.get("short_title"))
    authors: list[str] = []
    for name in [*rec.get("authors", []), *rec.get("first_authors", [])]:
        name = clean(name)
        if name and name not in authors:
            authors.append(name)
    ref.authors = authors
    ref.family = authors[0].split(",")[0].strip() if authors else ""
    ref.publisher = clean(rec.get("publisher"))
    ref.year = _year(rec.get("year"), rec.get("publication_year"), rec.get("date"))
    ref.isbn = _isbn(rec.get("issn"))
    ref.keywords = _keywords([clean(k) for k in rec.get("keywords", [])])
    ref.language = _language(rec.get("language"))
    ref.abstract = (str(rec.get("abstract") or rec.get("notes_abstract") or "")).strip()
    return _finish(ref, ref_type, RIS_KINDS, list(rec.get("urls", [])), rec.get("doi"))


# --- BibTeX -------------------------------------------------------------------------------------------
_VERBATIM_FIELDS = {"url", "doi", "howpublished", "eprint", "file"}


class _LatexDecode(LatexDecodingMiddleware):
    """LaTeX -> Unicode for names and text, leaving URL-like fields alone.

    bibtexparser 2.1 decodes plain strings and a single NameParts, but not the list of
    NameParts that SplitNameParts produces, and it would read the '%' in a URL as a LaTeX
    comment. Names are split first (so braces still protect corporate authors) and
    decoded here.
    """

    def transform_entry(self, entry, library):
        errors: list[str] = []
        kept = {f.key: f.value for f in entry.fields if f.key in _VERBATIM_FIELDS}
        for fld in entry.fields:
            if isinstance(fld.value, list):
                for parts in fld.value:
                    if isinstance(parts, NameParts):
                        for attr in ("first", "von", "last", "jr"):
                            setattr(parts, attr, self._transform_all_strings(getattr(parts, attr), errors))
        block = super().transform_entry(entry, library)
        for fld in entry.fields:
            if fld.key in kept:
                fld.value = kept[fld.key]
        errors = [e for e in errors if e]
        if errors and block is entry:
            return MiddlewareErrorBlock(entry, PartialMiddlewareException(errors))
        return block


_ABORT_REASONS = [
    ("end of file", "filen tar slut mitt i posten – saknas en avslutande ”}”?"),
    ("Unexpected block start", "en ny post (@…) börjar innan den här är avslutad – saknas ”}” eller ett citattecken?"),
    ("Expected a `=`", "ett fält saknar likhetstecken (=)"),
    ("Expected either a `,`", "ett kommatecken saknas mellan två fält"),
    ("Expected comma after entry key", "kommatecken saknas efter postens nyckel"),
    ("Expected equals sign", "ett fält saknar likhetstecken (=)"),
]


def _bibtex_failure(block, text: str, source: str) -> str:
    line = (block.start_line or 0) + 1
    error = block.error
    if isinstance(error, BlockAbortedException):
        reason = next((sv for en, sv in _ABORT_REASONS if en in error.abort_reason), None)
        if error.end_index is not None:
            line = text[: error.end_index].count("\n") + 1
        start = (block.start_line or 0) + 1
        detail = reason or f"syntaxfel i BibTeX ({error.abort_reason.strip()})"
        return f"{source}:{line}: posten som börjar på rad {start} kunde inte tolkas: {detail}"
    if isinstance(block, MiddlewareErrorBlock):
        return f"{source}:{line}: posten kunde inte tolkas – kontrollera författarnamn och LaTeX-tecken ({error})"
    return f"{source}:{line}: posten kunde inte tolkas ({error})"


def _parse_bibtex(text: str, source: str) -> tuple[list[Reference], list[str]]:
    """References plus skip messages for repeated citation keys."""
    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record):  # keep bibtexparser's log off the user's terminal
            records.append(record)

    logger = logging.getLogger("bibtexparser")
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        library = bibtexparser.parse_string(
            text, append_middleware=[NormalizeFieldKeys(), SeparateCoAuthors(), SplitNameParts(), _LatexDecode()])
    except Exception as exc:  # parser-internal state errors: still a Swedish message, no traceback
        raise ImportFailure(f"{source}: BibTeX-filen kunde inte tolkas ({type(exc).__name__}).") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate

    skipped: list[str] = []
    failures: list[str] = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            skipped.append(f"Hoppar över posten på rad {(block.start_line or 0) + 1}: nyckeln ”{block.key}” "
                           "förekommer redan tidigare i filen, hoppar över "
                           "(ge posten en egen nyckel om det är en annan källa)")
        else:
            failures.append(_bibtex_failure(block, text, source))
    if failures:
        raise ImportFailure("\n".join(failures + ["Inget importerades. Rätta filen och försök igen."]))
    if not library.entries:
        raise ImportFailure(f"{source}: inga BibTeX-poster hittades (en post börjar med t.ex. ”@article{{”).")
    return [_bibtex_reference(entry) for entry in library.entries], skipped


def _names(value: object) -> tuple[list[str], str]:
    if isinstance(value, list):
        names = [clean(p.merge_last_name_first) if isinstance(p, NameParts) else clean(p) for p in value]
        first = value[0] if value else None
        family = clean(" ".join(first.last)) if isinstance(first, NameParts) else (names[0] if names else "")
        return [n for n in names if n], family
    return [], ""


def _verbatim(value: object) -> str:
    """URL/DOI field text: unwrap \\url{…} and undo the usual escapes, nothing else."""
    text = clean(value)
    match = re.search(r"\\url\{([^}]*)\}", text)
    if match:
        text = match.group(1)
    text = re.sub(r"\\([_%&#~$])", r"\1", text)
    match = re.search(r"https?://[^\s{}]+", text)
    return match.group(0) if match else text.strip("{} ")


def _bibtex_reference(entry) -> Reference:
    fields = {f.key: f.value for f in entry.fields}
    ref = Reference(line=(entry.start_line or 0) + 1, kind=DEFAULT_KIND)
    ref.title = clean(fields.get("title"))
    ref.authors, ref.family = _names(fields.get("author"))
    ref.publisher = next((clean(fields[k]) for k in ("publisher", "institution", "organization", "school")
                          if clean(fields.get(k))), "")
    ref.year = _year(fields.get("year"), fields.get("date"))
    ref.isbn = _isbn(fields.get("isbn"))
    ref.keywords = _keywords([clean(fields.get("keywords"))])
    ref.language = _language(fields.get("language"))
    ref.abstract = str(fields.get("abstract") or "").strip()
    urls = [_verbatim(fields[k]) for k in ("url", "howpublished") if fields.get(k)]
    urls = [u for u in urls if u.lower().startswith(("http", "www")) or "://" in u]
    return _finish(ref, entry.entry_type.lower(), BIBTEX_KINDS, urls, _verbatim(fields.get("doi")))


# --- id, front matter, body ---------------------------------------------------------------------------
def _short(slug: str, limit: int = 24) -> str:
    """Cut a slug at a word boundary so long agency names give readable ids."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def base_id(ref: Reference) -> str:
    """family name + year + first significant title word, e.g. andersson-2021-motiverande."""
    creator = ref.family or ref.publisher
    acronym = re.search(r"\(([A-ZÅÄÖ]{2,10})\)", creator)  # "Statens beredning … (SBU)" -> sbu
    parts = [_short(slugify(acronym.group(1) if acronym else creator)) if creator else ""]
    parts.append(str(ref.year) if ref.year else "")
    words = [w for w in slugify(ref.title).split("-") if w and w not in STOPWORDS and not w.isdigit()]
    parts.append(words[0] if words else "")
    return "-".join(p for p in parts if p) or "kalla"


class _Dumper(yaml.SafeDumper):
    """safe_dump with list items indented under their key, as in the brief's examples."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _yaml(key: str, value: object) -> str:
    return yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)


def front_matter(ref: Reference, entry_id: str, *, today: datetime.date, area: str | None, interval: str) -> str:
    """The YAML between the '---' lines, keys in the brief's order, empty optional keys left out."""
    values: list[tuple[str, object]] = [
        ("id", entry_id), ("title", ref.title), ("kind", ref.kind), ("authors", ref.authors),
        ("publisher", ref.publisher), ("year", ref.year), ("areas", None), ("url", ref.url),
        ("reviewed", today), ("review_interval", interval), ("language", ref.language), ("doi", ref.doi),
        ("isbn", ref.isbn), ("keywords", ref.keywords),
    ]
    lines = []
    for key, value in values:
        if key == "areas":
            lines.append(_yaml(key, [area]) if area else f"areas: []  {AREAS_COMMENT}\n")
        elif value not in (None, "", []):
            lines.append(_yaml(key, value))
    return "".join(lines)


def body(ref: Reference) -> str:
    """The abstract as the summary (paragraphs kept, whitespace tidied), else the placeholder."""
    paragraphs = [clean(p) for p in re.split(r"\n\s*\n", ref.abstract)]
    text = "\n\n".join(p for p in paragraphs if p)
    # Plain text from someone else's database: escape HTML so it cannot inject markup into the site.
    return html.escape(text, quote=False) if text else PLACEHOLDER_SUMMARY


def _dedupe_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


# --- writing: see safewrite.create_exclusive ------------------------------------------------------


# --- the command ----------------------------------------------------------------------------------------
def read_references(source: str | Path) -> tuple[list[Reference], list[str], list[str]]:
    """Parse a RIS/BibTeX file: (references, notes about the file, skip messages). Raises ImportFailure."""
    path = Path(source)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure(f"{source}: filen finns inte.") from None
    except IsADirectoryError:
        raise ImportFailure(f"{source}: är en mapp, inte en fil.") from None
    except OSError as exc:
        raise ImportFailure(f"{source}: filen kunde inte läsas ({exc.strerror or exc}).") from None
    fmt = _detect_format(path, raw)
    text, note = _decode(raw, fmt, str(source))
    notes = [note] if note else []
    if fmt == "ris":
        return _parse_ris(text, str(source)), notes, []
    refs, skipped = _parse_bibtex(text, str(source))
    return refs, notes, skipped


@dataclass(frozen=True)
class NewEntry:
    """One planned evidence file: where it goes, its text, and what to say about it."""

    path: Path
    front_matter: str
    document: str
    label: str  # "(kind, year)" after the file name in the output
    warnings: list[str]

    @property
    def shown(self) -> str:
        return self.path.as_posix()


# A plan is a list of steps in input order: a skip message (str) or an entry to create.
Step = str | NewEntry


def _unique_id(base: str, used_ids: set[str]) -> str:
    entry_id, n = base, 1
    while entry_id in used_ids:
        n += 1
        entry_id = f"{base}-{n}"
    used_ids.add(entry_id)
    return entry_id


def _missing_field_warnings(ref: Reference, today: datetime.date) -> list[str]:
    warnings = []
    if ref.year is None:
        warnings.append("år saknas – fyll i year (fyra siffror); posten behöver ett år")
    elif ref.year > today.year:
        warnings.append(f"året {ref.year} ligger i framtiden – kontrollera year")
    if not ref.authors and not ref.publisher:
        warnings.append("författare och utgivare saknas – fyll i authors eller publisher")
    if not ref.url:
        warnings.append("länk saknas – fyll i url eller lägg till en bifogad fil (file)")
    return warnings


class _Duplicates:
    """The references seen so far, by DOI and by (title, year)."""

    def __init__(self) -> None:
        self.by_doi: dict[str, Reference] = {}
        self.by_title: dict[tuple[str, int | None], Reference] = {}

    def skip_message(self, ref: Reference, where: str) -> str | None:
        """Why `ref` is skipped (no title, or a duplicate), else None after remembering it."""
        if not ref.title:
            return f"Hoppar över posten på {where}: titel saknas."
        title_key = (_dedupe_key(ref.title), ref.year)
        earlier = self.by_doi.get(ref.doi.lower()) if ref.doi else None
        reason = "samma DOI"
        if earlier is None:
            earlier, reason = self.by_title.get(title_key), "samma titel och år"
        if earlier is not None:
            return f"Hoppar över ”{ref.title}” ({where}): dubblett av posten på rad {earlier.line} ({reason})."
        if ref.doi:
            self.by_doi[ref.doi.lower()] = ref
        self.by_title[title_key] = ref
        return None


def plan_entries(refs: list[Reference], source: str | Path, target: Path, *, existing_ids: set[str],
                 today: datetime.date, default_area: str | None, default_interval: str) -> list[Step]:
    """What importing `refs` into `target` means, in input order. Pure: reads and writes nothing."""
    duplicates = _Duplicates()
    used_ids: set[str] = set()
    steps: list[Step] = []
    for ref in refs:
        skip = duplicates.skip_message(ref, f"{source}:{ref.line}")
        if skip is not None:
            steps.append(skip)
            continue
        entry_id = _unique_id(base_id(ref), used_ids)
        path = target / f"{entry_id}.md"
        if entry_id in existing_ids:
            steps.append(f"Hoppar över {path.as_posix()}: id ”{entry_id}” finns redan i evidensbiblioteket, "
                         "hoppar över.")
            continue
        fm = front_matter(ref, entry_id, today=today, area=default_area, interval=default_interval)
        steps.append(NewEntry(path=path, front_matter=fm, document=f"---\n{fm}---\n\n{body(ref)}\n",
                              label=f"({ref.kind}, {ref.year if ref.year else 'år saknas'})",
                              warnings=[*ref.notes, *_missing_field_warnings(ref, today)]))
    return steps


CREATED, SKIPPED, FAILED = "created", "skipped", "failed"


def _create(entry: NewEntry, target: Path, *, dry_run: bool, out: TextIO, err: TextIO) -> str:
    """Write one planned entry (never over an existing file); CREATED, SKIPPED or FAILED."""
    shown = entry.shown
    if os.path.lexists(entry.path):
        print(f"Hoppar över {shown}: filen finns redan, hoppar över (befintliga filer skrivs aldrig över).", file=out)
        return SKIPPED
    if dry_run:
        print(f"Skulle skapa {shown} {entry.label}", file=out)
        print(f"---\n{entry.front_matter}---", file=out)
    else:
        try:
            target.mkdir(parents=True, exist_ok=True)
            ok = create_exclusive(entry.path, entry.document.encode("utf-8"))
        except OSError as exc:
            print(f"Fel: {shown} kunde inte skrivas ({exc.strerror or exc}).", file=err)
            return FAILED
        if not ok:
            print(f"Hoppar över {shown}: filen finns redan, hoppar över (skapades under importen).", file=out)
            return SKIPPED
        print(f"Skapade {shown} {entry.label}", file=out)
    for note in entry.warnings:
        print(f"  Varning: {note}", file=out)
    return CREATED


def _carry_out(steps: list[Step], target: Path, *, dry_run: bool, out: TextIO, err: TextIO) -> dict[str, int]:
    """Print the skips and create the entries of a plan; how many were created, skipped and failed."""
    counts = {CREATED: 0, SKIPPED: 0, FAILED: 0}
    for step in steps:
        if isinstance(step, str):
            print(step, file=out)
            counts[SKIPPED] += 1
        else:
            counts[_create(step, target, dry_run=dry_run, out=out, err=err)] += 1
    return counts


def run_import(source: str | Path, target_dir: str | Path, *, dry_run: bool, existing_ids: set[str],
               today: datetime.date, default_area: str | None = None, default_interval: str = "vartannat år",
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Import a RIS/BibTeX reference list as evidence entries in target_dir.

    Returns the exit code: 0 ok (also when some were skipped as duplicates or because they
    exist), 1 when the file could not be read/parsed or an entry could not be written,
    2 for an unknown format. Progress, skips and per-entry warnings go to `out`; errors to
    `err`. out/err default to sys.stdout/sys.stderr at call time.
    Parse (read_references), plan (plan_entries, pure), then write (_carry_out).
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        refs, notes, skipped = read_references(source)
    except ImportFailure as failure:
        print(f"Fel: {failure}", file=err)
        return failure.code

    target = Path(target_dir)
    if target.exists() and not target.is_dir():
        print(f"Fel: {target.as_posix()} finns redan men är ingen mapp – ange en mapp för evidensposterna.", file=err)
        return 1
    for message in [*notes, *skipped]:
        print(message, file=out)

    steps = plan_entries(refs, source, target, existing_ids=existing_ids, today=today, default_area=default_area,
                         default_interval=default_interval)
    counts = _carry_out(steps, target, dry_run=dry_run, out=out, err=err)
    created, skipped_count = counts[CREATED], counts[SKIPPED] + len(skipped)
    if created and not default_area:
        print("Obs: areas är tom i de nya posterna – fyll i verksamhetsområden (enhets-id ur registry/units.yml); "
              "handbok check godkänner inte en tom lista.", file=out)
    if dry_run:
        print(f"Torrkörning, inget skrevs: {created} skulle skapas, {skipped_count} hoppades över", file=out)
    else:
        print(f"{created} skapade, {skipped_count} hoppades över", file=out)
    return 1 if counts[FAILED] else 0
