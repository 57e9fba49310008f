"""HTML pages as sections: split at headings, without scripts, styles or markup.

The standard library's parser is enough: it tolerates broken markup the way browsers
do, and a saved web page needs its visible text and its headings, not a DOM.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from app.documents import errors
from app.documents.detect import decode_text
from app.documents.units import Unit

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
         "canvas", "select", "button"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
          "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "pre",
          "figure", "figcaption", "dl", "dt", "dd", "hr", "br", "form", "fieldset",
          "details", "summary", "address", "caption", "body", "html"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def decode_html(data: bytes) -> str:
    """Text by BOM, then the page's declared charset, then the usual guesses."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _CHARSET.search(data[:4096])
        if match:
            try:
                return data.decode(match.group(1).decode("ascii"), "replace")
            except LookupError:
                pass
    return decode_text(data) or data.decode("utf-8", "replace")


class _Sections(HTMLParser):
    """Collects (heading path, text) sections from the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, str]] = []
        self.title = ""
        self._path: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._skip = 0
        self._pre = 0
        self._heading: list[str] | None = None
        self._in_title = False
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = True
        elif tag in _HEADINGS:
            self._flush()
            self._heading = []
        elif tag == "li":
            self._parts.append("\n- ")
        elif tag == "tr":
            self._parts.append("\n")
            self._cells = 0
        elif tag in ("td", "th"):
            self._parts.append(" | " if self._cells else "")
            self._cells += 1
        elif tag in _BLOCK:
            self._pre += tag == "pre"
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = False
        elif tag in _HEADINGS and self._heading is not None:
            self._start_section(_HEADINGS[tag], " ".join("".join(self._heading).split()))
        elif tag in _BLOCK:
            self._pre = max(0, self._pre - (tag == "pre"))
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        elif self._heading is not None:
            self._heading.append(data)
        elif self._pre:
            self._parts.append(data)
        else:
            self._parts.append(re.sub(r"\s+", " ", data))

    def _start_section(self, level: int, text: str) -> None:
        self._heading = None
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        if text:
            self._path.append((level, text))
            self._parts.append(text + "\n")

    def _flush(self) -> None:
        text = _tidy("".join(self._parts))
        if text:
            self.sections.append((" › ".join(t for _, t in self._path), text))
        self._parts = []

    def close(self) -> None:
        super().close()
        if self._heading is not None:  # a heading left open by broken markup
            self._start_section(1, " ".join("".join(self._heading).split()))
        self._flush()


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def read_html(data: bytes, name: str) -> list[Unit]:
    """The page's sections as units; the title heads text before the first heading."""
    parser = _Sections()
    parser.feed(decode_html(data))
    parser.close()
    title = " ".join(parser.title.split())
    units = [Unit(i, text, heading=heading or title)
             for i, (heading, text) in enumerate(parser.sections)]
    if not units:
        raise errors.empty(name)
    return units
