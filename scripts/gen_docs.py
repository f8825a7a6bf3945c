#!/usr/bin/env python3
"""Regenerate the marked reference sections in docs/ from the code.

The field tables come from handbok.schema (DOCUMENT_FIELDS, EVIDENCE_FIELDS), the
option table from handbok.settings (OPTION_HELP with the defaults of Settings) and the
table of problem codes from handbok.core.problems (CODES), so the docs cannot drift from
what `handbok check` and the MkDocs plugin actually accept and report.

A section is everything between a start and an end marker, e.g.

    <!-- handbok:fields:document -->
    ...generated...
    <!-- /handbok:fields:document -->

Usage (from the repository root):

    .venv/bin/python scripts/gen_docs.py           # rewrite the sections in place
    .venv/bin/python scripts/gen_docs.py --check   # exit 1 if any section is out of date

Only text between the markers is replaced; a file without markers is left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _default(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(value) + "]`" if value else "`[]`"
    return f"`{value}`"


def options_table() -> str:
    from handbok.core.settings import OPTION_HELP, Settings

    defaults = Settings()
    rows = ["| Inställning | Standard | Betydelse |", "|---|---|---|"]
    for name, help_text in OPTION_HELP.items():
        rows.append(f"| `{name}` | {_default(getattr(defaults, name))} | {help_text} |")
    return "\n".join(rows) + "\n"


def codes_table() -> str:
    from handbok.core.problems import CODES, ERROR

    rows = ["| Kod | Allvarsgrad | Stoppar strikt bygge | Förklaring |", "|---|---|---|---|"]
    for code, spec in CODES.items():
        severity = "fel" if spec.severity == ERROR else "varning"
        if spec.critical:
            severity += " (*critical* i GitLab)"
        rows.append(f"| `{code}` | {severity} | {'ja' if spec.blocks_build else 'nej'} | {spec.explanation} |")
    return "\n".join(rows) + "\n"


def sections() -> dict[str, str]:
    """Marker name -> generated Markdown."""
    from handbok.core.schema import DOCUMENT_FIELDS, EVIDENCE_FIELDS, RECORD_FIELDS, markdown_reference

    return {
        "handbok:fields:document": markdown_reference(DOCUMENT_FIELDS),
        "handbok:fields:evidence": markdown_reference(EVIDENCE_FIELDS),
        "handbok:fields:record": markdown_reference(RECORD_FIELDS),
        "handbok:options": options_table(),
        "handbok:codes": codes_table(),
    }


def render(text: str, generated: dict[str, str]) -> str:
    """`text` with every marked section replaced by its generated content."""
    for name, content in generated.items():
        pattern = re.compile(rf"(<!-- {re.escape(name)} -->\n).*?(<!-- /{re.escape(name)} -->)", re.DOTALL)
        text = pattern.sub(_between_markers(content), text)
    return text


def _between_markers(content: str):
    def replace(match: re.Match[str]) -> str:
        return match.group(1) + content + match.group(2)

    return replace


def outdated(docs_dir: Path = DOCS) -> dict[Path, str]:
    """Files whose marked sections differ from the generated text -> their new text."""
    generated = sections()
    changed = {}
    for path in sorted(docs_dir.rglob("*.md")):
        old = path.read_text(encoding="utf-8")
        new = render(old, generated)
        if new != old:
            changed[path] = new
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 when docs are out of date")
    args = parser.parse_args(argv)
    changed = outdated()
    for path, text in changed.items():
        rel = path.relative_to(ROOT)
        if args.check:
            print(f"inaktuell: {rel} (kör scripts/gen_docs.py)")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"uppdaterade {rel}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
