"""Word (.docx) files as sections: split at headings and at page breaks.

A .docx has no fixed pages, but Word records where its pages broke the last time it
laid the document out (``w:lastRenderedPageBreak``). When those marks are there, page
numbers follow them, so a citation's page matches what the user sees in Word; without
them, explicit page breaks (``w:br w:type="page"``, "page break before") are counted
instead; a file with neither has sections but no page numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.documents import errors
from app.documents.units import Unit

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_PAGE_BREAK = object()


def read_word(path: Path) -> list[Unit]:
    """The document's body (paragraphs and tables, in order) as units."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise errors.corrupt(path.name, "Word file") from exc
    body = document.element.body
    rendered = next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None
    hard = any(br.get(f"{_W}type") == "page" for br in body.iter(f"{_W}br")) or \
        next(body.iter(f"{_W}pageBreakBefore"), None) is not None
    builder = _Builder(paged=rendered or hard)
    styles = _heading_levels(document)
    for item in _blocks(body, styles, rendered):
        if item is _PAGE_BREAK:
            builder.page_break()
        elif isinstance(item, tuple):
            builder.heading(*item)
        else:
            builder.text(str(item))
    units = builder.finish()
    if not units:
        raise errors.empty(path.name)
    return units


def _heading_levels(document: Any) -> dict[str, int]:
    """style id → heading level (0 for Title), from the style names Word shows."""
    levels: dict[str, int] = {}
    for style in document.styles:
        name = (style.name or "").strip()
        match = _HEADING_STYLE.match(name)
        if match:
            levels[style.style_id] = int(match.group(1))
        elif name.lower() == "title":
            levels[style.style_id] = 0
    return levels


def _blocks(body: Any, styles: dict[str, int], rendered: bool) -> Iterator[object]:
    """Paragraph text, (level, heading) pairs and page breaks, in reading order."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield from _paragraph(child, styles, rendered)
        elif tag == f"{_W}tbl":
            yield _table(child)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, styles, rendered)


def _paragraph(p: Any, styles: dict[str, int], rendered: bool) -> Iterator[object]:
    props = p.find(f"{_W}pPr")
    style = props.find(f"{_W}pStyle") if props is not None else None
    level = styles.get(style.get(f"{_W}val", "")) if style is not None else None
    if not rendered and props is not None and props.find(f"{_W}pageBreakBefore") is not None:
        yield _PAGE_BREAK
    pieces: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t":
            pieces.append(node.text or "")
        elif tag == f"{_W}tab":
            pieces.append("\t")
        elif tag in (f"{_W}cr", f"{_W}br") and node.get(f"{_W}type") != "page":
            pieces.append("\n")
        elif (tag == f"{_W}lastRenderedPageBreak" and rendered) or (
                tag == f"{_W}br" and node.get(f"{_W}type") == "page" and not rendered):
            if "".join(pieces).strip():
                yield "".join(pieces)
            pieces = []
            yield _PAGE_BREAK
    text = "".join(pieces)
    if level is not None and text.strip():
        yield (level, " ".join(text.split()))
    elif text.strip():
        yield text


def _table(tbl: Any) -> str:
    rows = []
    for tr in tbl.iter(f"{_W}tr"):
        cells = []
        for tc in tr.findall(f"{_W}tc"):
            paragraphs = ("".join(t.text or "" for t in p.iter(f"{_W}t"))
                          for p in tc.iter(f"{_W}p"))
            cells.append(" ".join(x.strip() for x in paragraphs if x.strip()))
        rows.append(" | ".join(cells))
    return "\n".join(row for row in rows if row.strip(" |"))


class _Builder:
    """Gathers paragraphs into units, starting a new one at each heading and page."""

    def __init__(self, paged: bool) -> None:
        self.paged = paged
        self.units: list[Unit] = []
        self.page = 1
        self.path: list[tuple[int, str]] = []
        self.lines: list[str] = []
        self.own_text = False

    def text(self, text: str) -> None:
        self.lines.append(text)
        self.own_text = True

    def heading(self, level: int, text: str) -> None:
        if self.own_text:
            self._flush()
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))
        self.lines.append(text)

    def page_break(self) -> None:
        self._flush()
        self.page += 1

    def _flush(self) -> None:
        text = "\n".join(self.lines).strip()
        if text:
            self.units.append(Unit(
                len(self.units), text + "\n", page=self.page if self.paged else None,
                heading=" › ".join(t for _, t in self.path)))
        self.lines = []
        self.own_text = False

    def finish(self) -> list[Unit]:
        self._flush()
        return self.units
