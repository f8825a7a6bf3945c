"""A strict well-formedness check for the HTML handbok writes: every element closed, properly nested.

    from htmlcheck import assert_well_formed
    assert_well_formed(html)  # raises AssertionError with the line and column of the first problem

Browsers repair broken markup silently, so a renderer that puts a stray `</td>` or an unclosed
`<ul>` into a page goes unnoticed there; this checker does not repair anything. Void elements
(`<br>`, `<img>`, `<input>` …) need no end tag; end tags that HTML lets authors omit (`</p>`,
`</li>` …) are still required, because handbok always writes them.
"""

from __future__ import annotations

from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split())
FOREIGN_ELEMENTS = frozenset({"svg", "math"})  # inside them <path … /> closes the element, as in XML


class MalformedHTML(AssertionError):
    """The HTML is not well formed; the message says where."""


class WellFormedChecker(HTMLParser):
    """Keeps a stack of open elements and raises on the first end tag that does not match."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []  # (tag, (line, column) of its start tag)

    def _where(self, position: tuple[int, int] | None = None) -> str:
        line, column = position or self.getpos()
        return f"line {line}, column {column + 1}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise MalformedHTML(f"<{tag}> has the attribute {', '.join(duplicates)} more than once at {self._where()}")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <img … />: nothing stays open; in SVG and MathML any element may close itself.
        # A self-closed HTML element (<div/>) is an open <div> to a browser.
        if tag in VOID_ELEMENTS or tag in FOREIGN_ELEMENTS or any(t in FOREIGN_ELEMENTS for t, _ in self.stack):
            self.handle_starttag(tag, attrs)
            if tag not in VOID_ELEMENTS:
                self.stack.pop()
            return
        raise MalformedHTML(f"<{tag}/> is not a void element and cannot be self-closed at {self._where()}")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            raise MalformedHTML(f"end tag </{tag}> of a void element at {self._where()}")
        if not self.stack:
            raise MalformedHTML(f"unexpected end tag </{tag}> at {self._where()}: no element is open")
        open_tag, position = self.stack[-1]
        if open_tag != tag:
            raise MalformedHTML(f"unexpected end tag </{tag}> at {self._where()}: "
                                f"<{open_tag}> from {self._where(position)} is still open")
        self.stack.pop()

    def finish(self) -> None:
        self.close()
        if self.stack:
            unclosed = ", ".join(f"<{tag}> ({self._where(position)})" for tag, position in self.stack)
            raise MalformedHTML(f"unclosed at the end: {unclosed}")


def assert_well_formed(html: str) -> None:
    """Raise AssertionError unless every element in `html` is closed and properly nested."""
    checker = WellFormedChecker()
    checker.feed(html)
    checker.finish()


class Parsed(HTMLParser):
    """Start tags with attributes and depth, and the text, of a piece of HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], int]] = []
        self.texts: list[str] = []
        self.depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), self.depth))
        if tag not in {"br", "img", "input", "hr", "meta", "link"}:
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def names(self) -> set[str]:
        return {tag for tag, _, _ in self.tags}

    def top_level(self) -> list[tuple[str, dict[str, str | None]]]:
        return [(tag, attrs) for tag, attrs, depth in self.tags if depth == 0]

    def attribute_values(self, name: str) -> list[str | None]:
        return [attrs[name] for _, attrs, _ in self.tags if name in attrs]
