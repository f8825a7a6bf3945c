"""Authoring helpers for document owners: `handbok new` and `handbok revise`.

`new_document` builds a filled-in draft (front matter + Swedish section skeleton);
`revise_text` marks a document as revised by editing the front matter *as text*, so
comments, key order, quoting, indentation, line endings and a BOM survive byte for
byte. Re-dumping YAML would silently reformat what people wrote by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from handbok.core import doctypes
from handbok.core.dates import DateError, coerce_date
from handbok.core.settings import DEFAULT_TYPES, Settings
from handbok.core.text import slugify
from handbok.source.safewrite import create_exclusive, replace_file

# Type -> folder below the unit folder (plural, ASCII).
DOCUMENT_TYPES = list(DEFAULT_TYPES)


# Placeholders are deliberately not registry roles, so `handbok check` flags them (unknown-role).
OWNER_PLACEHOLDER = "ANGE DOKUMENTÄGARE"
ROLE_PLACEHOLDER = "ANGE ROLL"
COMMON_FOLDER = "gemensamt"

NEW_DOCUMENT_NOTE = "Nytt dokument."
DEFAULT_REVISE_NOTE = "Reviderad utan ändringar i sak."


# --------------------------------------------------------------------------- YAML scalars


def yaml_scalar(value: object, *, flow: bool = False) -> str:
    """One YAML scalar that reads back as `value` (quoted only when needed).

    In a flow collection ([...] / {...}) plain scalars may not contain `,[]{}`; a
    double-quoted scalar is valid everywhere, so flow context always gets one.
    """
    out = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style='"' if flow else None)
    if out.endswith("\n...\n"):
        out = out[: -len("\n...\n")]
    return out.rstrip("\n")


def _one_line(text: str) -> str:
    """Titles and notes are single lines; str.split also breaks on U+2028, NEL etc."""
    return " ".join(str(text).split())


# --------------------------------------------------------------------------- handbok new


def normalize_type(doc_type: str, types: list[str] | None = None) -> str:
    """The canonical type name; `types` are the site's types (built-in plus extra_types)."""
    types = types or DOCUMENT_TYPES
    key = str(doc_type).strip().lower()
    key = _ASCII_SPELLINGS.get(key, key)  # typed on keyboards without å, ä, ö
    if key not in types and not doctypes.is_record(key):
        valid = ", ".join(types)
        raise ValueError(f"Okänd dokumenttyp ”{doc_type}”. Giltiga typer: {valid}; poster i kvalitetsarbetet: "
                         f"{', '.join(doctypes.RECORD_NAMES)}.")
    return key


_ASCII_SPELLINGS = {"ansvarsfordelning": "ansvarsfördelning", "sammanstallning": "sammanställning",
                    "arshjul": "årshjul"}
RECORDS_FOLDER = doctypes.RECORDS_FOLDER


def body_template(doc_type: str) -> str:
    """The Swedish section skeleton for a type (package data templates/<folder-name>.md)."""
    templates = resources.files("handbok.authoring").joinpath("templates")
    # A site's own type gets the generic instruction skeleton (its record says so).
    return templates.joinpath(doctypes.get(doc_type).template).read_text(encoding="utf-8")


def _relative_path(doc_type: str, title: str, unit: str | None, unit_slug: str | None) -> Path:
    if doctypes.is_record(doc_type):  # records live together, whatever unit they concern
        return Path(RECORDS_FOLDER) / doctypes.get(doc_type).folder / f"{slugify(title)}.md"
    if unit_slug:
        unit_dir = unit_slug if re.fullmatch(r"[a-z0-9][a-z0-9-]*", unit_slug) else slugify(unit_slug)
    elif unit:
        unit_dir = slugify(unit)
    else:
        unit_dir = COMMON_FOLDER
    return Path(unit_dir) / doctypes.get(doc_type).folder / f"{slugify(title)}.md"


def _front_matter(doc_type: str, title: str, today: dt.date, unit: str | None, owner: str | None,
                  legal_required: set[str]) -> str:
    q = yaml_scalar
    lines = [
        "---",
        f"title: {q(title)}",
        f"type: {q(doc_type)}",
        f"owner: {q(owner)}" if owner else f"owner: {q(OWNER_PLACEHOLDER)}  # roll ur registry/roles.yml",
    ]
    if unit:
        lines.append(f"unit: {q(unit)}")
    lines += [
        f"revised: {today.isoformat()}",
        f"review_interval: {q(doctypes.get(doc_type).interval)}",
        "status: utkast  # ändra till gällande när dokumentet är fastställt",
    ]
    if doc_type in legal_required:
        lines += [
            "legal_basis: []  # krävs: lagrum som dokumentet vilar på, till exempel",
            "#  - SOSFS 2011:9 4 kap. 4 §",
            "#  - socialtjänstlagen (2025:400) X kap. Y §",
        ]
    else:
        lines.append("legal_basis: []  # valfritt för denna dokumenttyp")
    if doc_type in ("rutin", "ansvarsfördelning"):
        lines.append("responsibilities:  # roll -> uppgifter")
        if owner:
            lines += [f"  {q(owner)}:", f"    - {q('Ser till att dokumentet är känt, följs och hålls aktuellt.')}"]
        lines += [f"  {q(ROLE_PLACEHOLDER)}:", f"    - {q('Beskriv rollens ansvar.')}"]
    if doc_type == "process":
        lines += [
            "activities:  # processens aktiviteter i ordning",
            f"  - name: {q('Första aktiviteten')}",
            f"    role: {q(ROLE_PLACEHOLDER)}",
            "    # routine: id eller sökväg till rutinen som beskriver hur",
        ]
    lines += [
        "changes:",
        f"  - date: {today.isoformat()}",
        f"    note: {q(NEW_DOCUMENT_NOTE)}",
        "---",
    ]
    return "\n".join(lines) + "\n"


def _record_text(doc_type: str, title: str, today: dt.date, unit: str | None, owner: str | None) -> str:
    """A record: the common fields, then the type's own fields and body from its template (the template's
    front-matter part is formatted with {today} and {year}; its body follows the closing ---)."""
    q = yaml_scalar
    fields, _, body = body_template(doc_type).partition("---\n")
    lines = [
        "---",
        f"title: {q(title)}",
        f"type: {q(doc_type)}",
        f"id: {q(slugify(title))}",
        f"owner: {q(owner)}" if owner else f"owner: {q(ROLE_PLACEHOLDER)}  # roll ur registry/roles.yml",
    ]
    if unit:
        lines.append(f"unit: {q(unit)}")
    lines.append("status: utkast  # ändra till gällande när posten är klar")
    # A plan is for the year its title names ("Egenkontrollplan 2027"), else this year; a result or a
    # compilation starts out covering the last full quarter, the usual period.
    named = re.search(r"\b(20\d\d)\b", title)
    quarter_end = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    quarter_start = dt.date(quarter_end.year, quarter_end.month - 2, 1)
    text = fields.format(today=today.isoformat(), year=int(named.group(1)) if named else today.year,
                         period_from=quarter_start.isoformat(), period_to=quarter_end.isoformat())
    return "\n".join(lines) + "\n" + text + "---\n\n" + body


def new_document(
    docs_dir: Path,
    doc_type: str,
    title: str,
    *,
    today: dt.date,
    unit: str | None,
    owner: str | None,
    unit_slug: str | None = None,
    settings: Settings | None = None,
) -> tuple[Path, str]:
    """Return (path relative to docs_dir, file text). Pure: writes nothing.

    `docs_dir` is accepted so callers pass the same arguments as to the writer;
    the path returned is relative to it.
    """
    settings = settings or Settings()
    kind = normalize_type(doc_type, settings.types)
    clean_title = _one_line(title)
    if not clean_title:
        raise ValueError("Titeln får inte vara tom.")
    unit = _one_line(unit) if unit else None
    owner = _one_line(owner) if owner else None
    if doctypes.is_record(kind):
        return _relative_path(kind, clean_title, unit, unit_slug), _record_text(kind, clean_title, today, unit, owner)
    text = (_front_matter(kind, clean_title, today, unit or None, owner or None, set(settings.legal_basis_required_for))
            + "\n" + body_template(kind))
    return _relative_path(kind, clean_title, unit, unit_slug), text


def write_new(path: Path, text: str) -> None:
    """Create the file atomically; raise FileExistsError if it exists (never overwrite)."""
    path = Path(path)
    if path.is_symlink() or path.exists():
        raise FileExistsError(f"{path} finns redan; befintliga filer skrivs aldrig över.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not create_exclusive(path, text.encode("utf-8")):
        raise FileExistsError(f"{path} finns redan; befintliga filer skrivs aldrig över.")


# --------------------------------------------------------------------------- handbok revise


class ReviseError(Exception):
    """Swedish message naming file, line and field."""

    def __init__(self, path_label: str, message: str, *, line: int | None = None, field: str | None = None):
        self.path = path_label
        self.line = line
        self.field = field
        self.detail = message
        where = path_label + (f", rad {line}" if line else "")
        what = f"fält ”{field}”: " if field else ""
        super().__init__(f"{where}: {what}{message}")


def _split_lines(text: str) -> list[str]:
    """Lines with their endings kept; only \\n ends a line (\\r\\n keeps its \\r)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _bare(line: str) -> str:
    return line.rstrip("\n").rstrip("\r")


def _find_front_matter(lines: list[str], label: str) -> int:
    """Index of the closing `---`/`...` line; the opening `---` must be line 1."""
    if not lines or _bare(lines[0]).rstrip() != "---":
        raise ReviseError(label, "dokumentet börjar inte med ett dokumenthuvud (en rad med ---)", line=1)
    for index in range(1, len(lines)):
        if _bare(lines[index]).rstrip() in ("---", "..."):
            return index
    raise ReviseError(label, "dokumenthuvudet avslutas aldrig (raden --- efter huvudet saknas)", line=1)


def _top_level(node: yaml.Node, key: str, label: str) -> tuple[yaml.Node, yaml.Node] | None:
    found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(found) > 1:
        raise ReviseError(label, "fältet förekommer flera gånger i dokumenthuvudet",
                          line=_fm_line(found[1][0].start_mark), field=key)
    return found[0] if found else None


def _content_end(node: yaml.Node) -> int:
    """Index just after the last character that belongs to `node` itself.

    Block collections' end marks point at the *next* token (after comments and blank
    lines), so descend to the last scalar or flow collection, whose marks are exact.
    """
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False) or not node.value:
        return node.end_mark.index
    if isinstance(node, yaml.MappingNode):
        return max(max(_content_end(k), _content_end(v)) for k, v in node.value)
    return max(_content_end(item) for item in node.value)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    """Where to insert new lines after the content ending at `index`."""
    start = _line_start(text, index)
    if text[start:index].strip() == "":
        return start  # content ended with its line break (block scalars): insert here
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _oldest_first(entries: list) -> bool:
    """The rule for where a new entry goes: compare the dates of the first and the last
    entry that have a readable date. Oldest first only if first < last; otherwise
    (newest first, one entry, equal or unreadable dates) the new entry goes on top."""
    dates = []
    for entry in entries:
        if isinstance(entry, dict) and "date" in entry:
            try:
                dates.append(coerce_date(entry["date"]))
            except DateError:
                continue
    return len(dates) >= 2 and dates[0] < dates[-1]


# A planned edit of the front matter: replace fm[start:end] with the text.
_Edit = tuple[int, int, str]


@dataclass(frozen=True)
class _Split:
    """A document cut at its front matter: BOM, the opening `---` line, the header, the rest."""

    bom: str
    head: str
    fm: str
    body: str
    eol: str


def _split_document(text: str, label: str) -> _Split:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _split_lines(text[len(bom):])
    close = _find_front_matter(lines, label)
    eol = "\r\n" if lines[0].endswith("\r\n") else "\n"
    return _Split(bom, lines[0], "".join(lines[1:close]), "".join(lines[close:]), eol)


def _fm_line(mark) -> int:
    """YAML mark (0-based, inside the block) -> file line (1-based)."""
    return mark.line + 2


def _parse_front_matter(fm: str, label: str) -> tuple[dict, yaml.MappingNode]:
    """The header as data and as a node tree (whose marks locate the edits)."""
    try:
        data = yaml.safe_load(fm)
        root = yaml.compose(fm, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        if isinstance(error, yaml.reader.ReaderError):  # a control character, no mark
            line = fm.count("\n", 0, error.position) + 2
            problem = f"otillåtet tecken U+{error.character:04X}" if isinstance(error.character, int) else str(error)
            raise ReviseError(label, f"dokumenthuvudet innehåller ett {problem}", line=line) from None
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ReviseError(label, f"dokumenthuvudet är inte giltig YAML ({problem})",
                          line=_fm_line(mark) if mark else None) from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise ReviseError(label, "dokumenthuvudet måste vara en samling fält (nyckel: värde)", line=2)
    return data, root


def _revised_edit(data: dict, root: yaml.MappingNode, date: dt.date, label: str) -> _Edit:
    """The edit that sets `revised` to `date`, keeping its quotes; refuses to go back in time."""
    revised = _top_level(root, "revised", label)
    if revised is None or "revised" not in data:
        raise ReviseError(label, "fältet saknas; lägg till ”revised: ÅÅÅÅ-MM-DD” i dokumenthuvudet", line=2,
                          field="revised")
    _, node = revised
    line = _fm_line(node.start_mark)
    if not isinstance(node, yaml.ScalarNode):
        raise ReviseError(label, "värdet måste vara ett datum (ÅÅÅÅ-MM-DD)", line=line, field="revised")
    try:
        old_date = coerce_date(data["revised"])
    except DateError as error:
        raise ReviseError(label, str(error), line=line, field="revised") from None
    if date < old_date:
        raise ReviseError(
            label,
            f"det nya datumet {date.isoformat()} är tidigare än det nuvarande {old_date.isoformat()}; "
            "ett dokument kan inte revideras bakåt i tiden",
            line=line,
            field="revised",
        )
    quote = node.style if node.style in ('"', "'") else ""
    return node.start_mark.index, node.end_mark.index, f"{quote}{date.isoformat()}{quote}"


def _changes_edit(doc: _Split, data: dict, root: yaml.MappingNode, iso: str, note: str,
                  label: str) -> tuple[_Edit, bool]:
    """The edit that adds the new `changes` entry, and whether it goes on top of the list."""
    fm, eol = doc.fm, doc.eol
    changes = _top_level(root, "changes", label)
    if changes is None:
        items = "".join(f"  {line}{eol}" for line in _block_entry(iso, note))
        return (len(fm), len(fm), "changes:" + eol + items), True
    key_node, node = changes
    changes_line = _fm_line(key_node.start_mark)
    old_changes = data.get("changes")
    if not (old_changes is None or isinstance(old_changes, list)):
        raise ReviseError(label, "värdet måste vara en lista med date och note", line=changes_line, field="changes")
    if isinstance(node, yaml.ScalarNode) or (isinstance(node, yaml.SequenceNode) and not node.value):
        return _empty_changes_edit(fm, eol, node, iso, note, changes_line, label), True
    entries: list = old_changes or []
    at_top = not _oldest_first(entries)
    if getattr(node, "flow_style", False):
        return _flow_changes_edit(node, iso, note, at_top), at_top
    return _block_changes_edit(fm, eol, node, iso, note, at_top, changes_line, label), at_top


def _block_entry(iso: str, note: str) -> list[str]:
    return [f"- date: {iso}", f"  note: {yaml_scalar(note)}"]


def _empty_changes_edit(fm: str, eol: str, node: yaml.Node, iso: str, note: str, changes_line: int,
                        label: str) -> _Edit:
    """`changes:` (empty) or `changes: []`: only this line changes, into a block list."""
    start, end = node.start_mark.index, node.end_mark.index
    if _line_start(fm, end) != _line_start(fm, start):
        raise ReviseError(label, "kunde inte tolka den tomma listan", line=changes_line, field="changes")
    line_end = fm.find("\n", end)
    line_end = len(fm) if line_end < 0 else line_end
    key_line_start = _line_start(fm, start)
    before = fm[key_line_start:start].rstrip(" \t")
    after = fm[end:line_end].rstrip("\r").strip(" \t")  # an inline comment, if any
    if start == end:  # `changes:` with nothing after it: keep the line byte for byte
        new_key_line = fm[key_line_start : line_end + 1]
    else:
        new_key_line = before + (" " + after if after else "") + eol
    items = "".join(f"  {line}{eol}" for line in _block_entry(iso, note))
    return key_line_start, line_end + 1 if line_end < len(fm) else line_end, new_key_line + items


def _flow_changes_edit(node: yaml.Node, iso: str, note: str, at_top: bool) -> _Edit:
    """A flow list keeps being one: insert a flow mapping, leave the rest as written."""
    item = f"{{date: {iso}, note: {yaml_scalar(note, flow=True)}}}"
    if at_top:
        pos = node.start_mark.index + 1  # just after "["
        return pos, pos, item + ", "
    pos = _content_end(node.value[-1])
    return pos, pos, ", " + item


def _block_changes_edit(fm: str, eol: str, node: yaml.Node, iso: str, note: str, at_top: bool, changes_line: int,
                        label: str) -> _Edit:
    """A block list: a new item indented like the first one, on top or after the last."""
    first = node.value[0]
    dash = first.start_mark.index - 1
    while dash >= 0 and fm[dash] in " \t\r\n":
        dash -= 1
    if dash < 0 or fm[dash] != "-":
        raise ReviseError(label, "kunde inte tolka listans form", line=changes_line, field="changes")
    dash_col = dash - _line_start(fm, dash)
    same_line = _line_start(fm, first.start_mark.index) == _line_start(fm, dash)
    content_col = first.start_mark.column if same_line else dash_col + 2
    items = (
        " " * dash_col + "-" + " " * (content_col - dash_col - 1) + f"date: {iso}{eol}"
        + " " * content_col + f"note: {yaml_scalar(note)}{eol}"
    )
    pos = _line_start(fm, dash) if at_top else _after_line(fm, _content_end(node.value[-1]))
    return pos, pos, items


def _apply_edits(fm: str, edits: list[_Edit]) -> str:
    """Apply the spans right to left, so earlier offsets stay valid."""
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        fm = fm[:start] + replacement + fm[end:]
    return fm


def revise_text(text: str, *, date: dt.date, note: str | None, path_label: str,
                legal: dict[str, str] | None = None) -> str:
    """Return `text` with `revised` set to `date` and a new `changes` entry, and the references in
    `legal` (old text -> new text) replaced in `legal_basis` when the owner asked for it.

    Only those values and the lines of the new changes entry differ from the input;
    everything else (comments, key order, quoting, CRLF, BOM, body) is kept.
    Pure: the edits are planned as spans of the header, then applied and verified.
    """
    label = path_label
    doc = _split_document(text, label)
    data, root = _parse_front_matter(doc.fm, label)
    revised_edit = _revised_edit(data, root, date, label)
    note_text = (_one_line(note) if note is not None else "") or DEFAULT_REVISE_NOTE
    changes_edit, at_top = _changes_edit(doc, data, root, date.isoformat(), note_text, label)
    new_fm = _apply_edits(doc.fm, [revised_edit, changes_edit, *_legal_edits(root, legal or {}, label)])
    _verify(label, data, new_fm, date, {"date": date, "note": note_text}, at_top, legal or {})
    return doc.bom + doc.head + new_fm + doc.body


def _legal_edits(root: yaml.MappingNode, replace: dict[str, str], label: str) -> list[_Edit]:
    """Spans of the `legal_basis` items to replace, in the quoting their list allows."""
    found = _top_level(root, "legal_basis", label) if replace else None
    if found is None:
        return []
    node = found[1]
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    flow = bool(getattr(node, "flow_style", False))
    return [(item.start_mark.index, item.end_mark.index, yaml_scalar(replace[item.value], flow=flow))
            for item in items if isinstance(item, yaml.ScalarNode) and item.value in replace]


def _verify(label: str, before: dict, new_fm: str, date: dt.date, entry: dict, at_top: bool,
            legal: dict[str, str]) -> None:
    """Safety net: the edited header must parse and differ only as intended."""
    try:
        after = yaml.safe_load(new_fm)
    except yaml.YAMLError:
        after = None
    problem = None
    if not isinstance(after, dict):
        problem = "resultatet gick inte att läsa som YAML"
    else:
        try:
            ok_date = coerce_date(after.get("revised")) == date
        except DateError:
            ok_date = False
        old_list = before.get("changes") or []
        new_list = after.get("changes")
        expected = [entry, *old_list] if at_top else [*old_list, entry]
        rest_before = {k: v for k, v in before.items() if k not in ("revised", "changes")}
        rest_after = {k: v for k, v in after.items() if k not in ("revised", "changes")}
        if legal and "legal_basis" in rest_before:
            old_legal = rest_before["legal_basis"]
            rest_before["legal_basis"] = ([legal.get(str(i), i) for i in old_legal] if isinstance(old_legal, list)
                                          else legal.get(str(old_legal), old_legal))
        if not ok_date:
            problem = "revised fick inte det nya datumet"
        elif new_list != expected:
            problem = "changes fick inte exakt den nya posten"
        elif rest_before != rest_after:
            problem = "andra fält i dokumenthuvudet skulle ha ändrats"
    if problem:
        raise ReviseError(label, f"ändringen avbröts, inget skrevs: {problem}. Revidera dokumentet för hand.", line=2)


def revise_file(path: Path, *, date: dt.date, note: str | None, legal: dict[str, str] | None = None) -> None:
    """Revise `path` in place: atomic replace (temp file in same dir + os.replace), keeps file mode."""
    path = Path(path)
    label = str(path)
    target = Path(os.path.realpath(path))  # edit a symlink's target, keep the link
    try:
        raw = target.read_bytes()
    except OSError as error:
        raise ReviseError(label, f"filen kunde inte läsas ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ReviseError(
            label,
            f"filen är inte sparad som UTF-8 (ogiltig byte 0x{raw[error.start]:02x}); "
            "spara om den som UTF-8 och försök igen",
            line=line,
        ) from None
    new_text = revise_text(text, date=date, note=note, path_label=label, legal=legal)
    replace_file(target, new_text.encode("utf-8"))
