"""Compare two built sites page by page, for refactorings that must not change what readers get.

    python scripts/compare_sites.py SITE_A SITE_B [--show N]

HTML pages are compared as a stream of tags, attributes and text: white space next to block
elements and the spelling of entities (&#45; or -) are ignored, everything else counts. Other
files are compared byte by byte. Prints the number of differing files and a diff of the first N;
exits 1 when anything differs.

Example (the example handbook before and after a change, with the same "today"):

    git stash; SOURCE_DATE_EPOCH=1780000000 .venv/bin/mkdocs build -q -d /tmp/före; git stash pop
    SOURCE_DATE_EPOCH=1780000000 .venv/bin/mkdocs build -q -d /tmp/efter
    .venv/bin/python scripts/compare_sites.py /tmp/före /tmp/efter
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Elements where white space before or after the tag does not show.
BLOCK = set(
    "html head body div section article nav header footer main aside table thead tbody tfoot tr td th caption "
    "ul ol li dl dt dd p h1 h2 h3 h4 h5 h6 form select option details summary blockquote pre hr br figure "
    "figcaption".split())

Token = tuple


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tokens.append((">", tag))

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if self.tokens and self.tokens[-1][0] == "t":
            self.tokens[-1] = ("t", re.sub(r"\s+", " ", self.tokens[-1][1] + text))
        else:
            self.tokens.append(("t", text))


def tokens(html: str) -> list[Token]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    raw = parser.tokens
    result: list[Token] = []
    for i, token in enumerate(raw):
        if token[0] != "t":
            result.append(token)
            continue
        text = token[1]
        if i == 0 or raw[i - 1][1] in BLOCK:
            text = text.lstrip()
        if i + 1 == len(raw) or raw[i + 1][1] in BLOCK:
            text = text.rstrip()
        if text:
            result.append(("t", text))
    return result


def _show(token: Token) -> str:
    if token[0] == "<":
        return "<" + token[1] + "".join(f' {k}="{v}"' for k, v in token[2]) + ">"
    if token[0] == ">":
        return f"</{token[1]}>"
    return repr(token[1])


def compare(a: Path, b: Path) -> tuple[set[Path], set[Path], list[tuple[Path, list[str]]]]:
    """(only in a, only in b, [(differing file, diff lines)])."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differing = []
    for rel in sorted(files_a & files_b):
        x, y = (a / rel).read_bytes(), (b / rel).read_bytes()
        if x == y:
            continue
        if rel.suffix != ".html":
            differing.append((rel, []))
            continue
        ta, tb = tokens(x.decode("utf-8")), tokens(y.decode("utf-8"))
        if ta != tb:
            diff = difflib.unified_diff([_show(t) for t in ta], [_show(t) for t in tb], lineterm="", n=2)
            differing.append((rel, list(diff)))
    return files_a - files_b, files_b - files_a, differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Jämför två byggda webbplatser sida för sida (blanktecken mellan block och hur tecken "
                    "skrivs som entiteter räknas inte). Slutkod 1 om något skiljer sig.",
        epilog="Exempel: python scripts/compare_sites.py /tmp/före /tmp/efter --show 5",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path, help="den första webbplatsens mapp (t.ex. före ändringen)")
    parser.add_argument("b", type=Path, help="den andra webbplatsens mapp")
    parser.add_argument("--show", type=int, default=3, help="hur många skillnader som visas i detalj")
    args = parser.parse_args(argv)
    only_a, only_b, differing = compare(args.a, args.b)
    for label, files in (("bara i A", only_a), ("bara i B", only_b)):
        if files:
            print(f"{label}: {', '.join(sorted(map(str, files))[:20])}")
    common = len({p for p in args.a.rglob("*") if p.is_file()}) - len(only_a)
    print(f"{common} gemensamma filer, {len(differing)} skiljer sig")
    for rel, diff in differing[:args.show]:
        print(f"== {rel}")
        print("\n".join(diff[:60]) if diff else "(binär eller icke-HTML: bytes skiljer sig)")
    for rel, _ in differing[args.show:]:
        print(f"skiljer sig också: {rel}")
    return 1 if differing or only_a or only_b else 0


if __name__ == "__main__":
    sys.exit(main())
