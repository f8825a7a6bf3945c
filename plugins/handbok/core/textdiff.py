"""textdiff.py: the words that changed between two adopted versions of a steering document.

A line diff of Markdown source is of little use to the people who must follow the document: it shows
hashes, asterisks and link targets, and a one-word edit marks a whole reflowed paragraph as changed.
Readers, and screen-reader users above all, need the inserted and removed words in readable text, the
headings as landmarks to know where they are, and the untouched paragraphs out of the way. This module
computes that as plain data; a template renders it. It stays free of any Markdown or template engine so
that the domain core can use it anywhere.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

INSERT, DELETE, EQUAL = "insert", "delete", "equal"
SAME, CHANGED, ADDED, REMOVED, HEADING, SKIPPED = "same", "changed", "added", "removed", "heading", "skipped"

# Below this word similarity a "changed" paragraph is really a new one; interleaving two unrelated texts
# word by word would be harder to read than showing the old one removed and the new one added.
_MIN_SIMILARITY = 0.3

_WORD = re.compile(r"\S+")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# An unclosed comment hides the rest of the block in the rendered page too, so it hides it here.
_COMMENT_UNCLOSED = re.compile(r"<!--.*\Z", re.DOTALL)
_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)", re.MULTILINE)
_QUOTE_MARK = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_REF_LINK = re.compile(r"!?\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+|[^>\s@]+@[^>\s@]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*", re.DOTALL)
# Underscores inside words (snake_case, file names) are not emphasis in Markdown either.
_UNDERSCORE = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.DOTALL)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# Private-use delimiters hold code spans and escaped characters aside while the emphasis rules run, so
# that `a_b_c` or \* keep their characters.
_HOLD = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Span:
    """A run of words with one fate: inserted, deleted or kept."""

    op: str
    text: str
    space_before: bool = True  # False when the run follows the one before without a space ("dag" + ".")


@dataclass(frozen=True)
class Block:
    """One block of the comparison, as a reader sees it."""

    kind: str
    spans: tuple[Span, ...]
    level: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class TextDiff:
    """The whole comparison: blocks in reading order and how many words went in and out."""

    blocks: tuple[Block, ...]
    inserted_words: int
    deleted_words: int

    @property
    def changed(self) -> bool:
        return any(span.op in (INSERT, DELETE) for block in self.blocks for span in block.spans)


def _fence_marker(line: str) -> str:
    """The fence that opens on this line ('```', '~~~~', …), or '' when the line opens none."""
    match = _FENCE_OPEN.match(line)
    # A backtick run followed by another backtick is inline code (```x```), not a fence.
    if not match or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return ""
    return match.group(1)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Splitter:
    """Line-by-line block splitter; state kept on the instance keeps each step small."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.in_item = False
        self.in_table = False
        self.in_comment = False

    def flush(self) -> None:
        text = "\n".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []
        self.in_item = False

    def emit(self, line: str) -> None:
        self.flush()
        if line.strip():
            self.blocks.append(line.strip())

    def take(self, lines: list[str], i: int) -> int:
        """Consume the line at ``i`` (and more for a fence); return the index of the next line."""
        line = lines[i]
        if self.in_comment:
            # A comment may hold blank lines; splitting it would leak its second half as text.
            self.current.append(line)
            self.in_comment = not _closes_comment(line)
            return i + 1
        marker = _fence_marker(line)
        if marker:
            self.flush()
            self.in_table = False
            return self.fence(lines, i, marker)
        if not line.strip():
            self.flush()
            self.in_table = False
        elif _HEADING.match(line):
            self.emit(line)
            self.in_table = False
        elif self.is_table_row(lines, i):
            self.emit(line)
            self.in_table = True
        else:
            self.in_table = False
            self.text_line(line)
        return i + 1

    def text_line(self, line: str) -> None:
        if _LIST_ITEM.match(line):
            self.flush()
            self.in_item = True
        elif self.in_item and not line[:1].isspace():
            self.flush()
        self.current.append(line)
        self.in_comment = _opens_comment(line)

    def is_table_row(self, lines: list[str], i: int) -> bool:
        line = lines[i]
        if "|" not in line:
            return False
        if line.lstrip().startswith("|") or self.in_table:
            return True
        # A table without outer pipes is only recognisable by the separator row under its header.
        return i + 1 < len(lines) and "|" in lines[i + 1] and bool(_TABLE_SEPARATOR.match(lines[i + 1]))

    def fence(self, lines: list[str], i: int, marker: str) -> int:
        closing = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        body = [lines[i]]
        j = i + 1
        while j < len(lines):
            body.append(lines[j])
            j += 1
            if closing.match(lines[j - 1]):
                break
        # An unclosed fence runs to the end of the document, as it does when Markdown renders it.
        text = "\n".join(body).strip()
        if text:
            self.blocks.append(text)
        return j


def _opens_comment(line: str) -> bool:
    return line.rfind("<!--") > line.rfind("-->")


def _closes_comment(line: str) -> bool:
    return "-->" in line


def blocks_of(markdown: str) -> list[str]:
    """Split a Markdown body into blocks.

    Paragraphs are separated by blank lines; each ATX heading line, each list item (with its indented
    continuation lines) and each table row is its own block; a fenced code block is one block. Trailing
    whitespace is stripped and empty blocks are dropped.
    """
    lines = [line.rstrip() for line in _normalise_newlines(markdown).split("\n")]
    splitter = _Splitter()
    i = 0
    while i < len(lines):
        i = splitter.take(lines, i)
    splitter.flush()
    return splitter.blocks


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _inline(text: str) -> str:
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return f"\ue000{len(held) - 1}\ue001"

    text = _CODE_SPAN.sub(lambda m: hold(m.group(2).strip()), text)
    text = _ESCAPE.sub(lambda m: hold(m.group(1)), text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    # Repeat so that nested emphasis (***both***, **bold _and italic_**) loses every layer.
    for _ in range(3):
        before = text
        text = _STRONG.sub(r"\2", text)
        text = _STAR.sub(r"\1", text)
        text = _UNDERSCORE.sub(r"\1", text)
        text = _STRIKE.sub(r"\1", text)
        if text == before:
            break

    def restore(m: re.Match[str]) -> str:
        index = int(m.group(1))
        return held[index] if index < len(held) else m.group(0)

    return _HOLD.sub(restore, text)


def _plain_code(block: str) -> str:
    lines = block.split("\n")
    marker = _fence_marker(lines[0])
    body = lines[1:]
    if body and re.match(r"^ {0,3}" + re.escape(marker[:1]) + "{" + str(len(marker)) + r",}[ \t]*$", body[-1]):
        body = body[:-1]
    # Code is shown as written: its underscores and asterisks are content, not emphasis.
    return _collapse("\n".join(body))


def _plain_row(row: str) -> str:
    if _TABLE_SEPARATOR.match(row):
        return ""
    inner = row.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    cells = [_collapse(_inline(cell)) for cell in _CELL_SPLIT.split(inner)]
    return _collapse(" | ".join(cells))


def plain(block: str) -> str:
    """Readable text of one block, without Markdown syntax, with whitespace collapsed."""
    block = _normalise_newlines(block).strip()
    # Code is checked before comments: inside a fence "<!--" is content, not markup.
    if _fence_marker(block.split("\n", 1)[0]):
        return _plain_code(block)
    block = _COMMENT_UNCLOSED.sub("", _COMMENT.sub("", block)).strip()
    if not block:
        return ""
    if _THEMATIC_BREAK.match(block):
        return ""
    if block.startswith("|") or ("|" in block and _TABLE_SEPARATOR.match(block)):
        return _plain_row(block)
    if _HEADING.match(block):
        block = _HEADING_CLOSE.sub("", _HEADING_MARK.sub("", block, count=1))
    else:
        block = _QUOTE_MARK.sub("", block)
        block = _LIST_MARK.sub("", block, count=1)
    return _collapse(_inline(_collapse(block)))


def _level(block: str) -> int:
    match = _HEADING.match(block)
    return len(match.group(1)) if match else 0


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# Words and punctuation apart, so that "dag." -> "dag av två." is "av två" inserted, not "dag." replaced.
_TOKEN = re.compile(r"\w+|[^\w\s]+")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, preceded by white space or the start) for each word and each run of punctuation."""
    return [(m.group(), m.start() == 0 or text[m.start() - 1].isspace()) for m in _TOKEN.finditer(text)]


def joined(parts: Iterable[tuple[str, bool]]) -> str:
    """Pieces of text (tokens, or spans as someone renders them) put back together as they stood:
    (text, preceded by a space) each, and never a space before the first."""
    return "".join((" " if space and n else "") + text for n, (text, space) in enumerate(parts))


def _run(op: str, tokens: list[tuple[str, bool]]) -> Span:
    return Span(op, joined(tokens), tokens[0][1] if tokens else True)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].op == span.op:
            text = joined([(merged[-1].text, False), (span.text, span.space_before)])
            merged[-1] = Span(span.op, text, merged[-1].space_before)
        else:
            merged.append(span)
    return tuple(merged)


def _pair(old: tuple[str, int], new: tuple[str, int]) -> list[Block]:
    (old_text, old_level), (new_text, new_level) = old, new
    a, b = _tokens(old_text), _tokens(new_text)
    matcher = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    if matcher.ratio() < _MIN_SIMILARITY:
        return [
            Block(REMOVED, (Span(DELETE, old_text),), old_level),
            Block(ADDED, (Span(INSERT, new_text),), new_level),
        ]
    spans: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            spans.append(_run(DELETE, a[i1:i2]))
        if tag in ("insert", "replace"):
            spans.append(_run(INSERT, b[j1:j2]))
        if tag == "equal":
            spans.append(_run(EQUAL, b[j1:j2]))
    return [Block(CHANGED, _merge(spans), new_level or old_level)]


def _equal_run(items: Sequence[tuple[str, int]], change_before: bool, change_after: bool, context: int) -> list[Block]:
    out: list[Block] = []
    pending = 0

    def collapse() -> None:
        nonlocal pending
        if pending:
            out.append(Block(SKIPPED, (), 0, pending))
            pending = 0

    last = len(items) - 1
    for k, (text, level) in enumerate(items):
        near = (change_before and k < context) or (change_after and last - k < context)
        if level or near:
            collapse()
            out.append(Block(HEADING if level else SAME, (Span(EQUAL, text),), level))
        else:
            pending += 1
    collapse()
    return out


# Each version is compared twice (with the one before and the one after): parse its text once.
@functools.lru_cache(maxsize=256)
def _parsed(markdown: str) -> tuple[tuple[str, int], ...]:
    parsed = ((plain(block), _level(block)) for block in blocks_of(markdown))
    return tuple((text, level) for text, level in parsed if text)


def diff(old: str, new: str, *, context: int = 1) -> TextDiff:
    """Compare two Markdown bodies block by block, and changed blocks word by word."""
    old_items, new_items = _parsed(old), _parsed(new)
    matcher = difflib.SequenceMatcher(
        None, [text for text, _ in old_items], [text for text, _ in new_items], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    blocks: list[Block] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        olds, news = old_items[i1:i2], new_items[j1:j2]
        if tag == "equal":
            # The new version's structure is the one the reader now follows.
            blocks.extend(_equal_run(news, index > 0, index < len(opcodes) - 1, context))
            continue
        for pair in zip(olds, news, strict=False):
            blocks.extend(_pair(*pair))
        blocks.extend(Block(REMOVED, (Span(DELETE, text),), level) for text, level in olds[len(news):])
        blocks.extend(Block(ADDED, (Span(INSERT, text),), level) for text, level in news[len(olds):])
    inserted = sum(len(_words(s.text)) for b in blocks for s in b.spans if s.op == INSERT)
    deleted = sum(len(_words(s.text)) for b in blocks for s in b.spans if s.op == DELETE)
    return TextDiff(tuple(blocks), inserted, deleted)
