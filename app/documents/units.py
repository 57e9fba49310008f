"""The unit of extracted text (what a citation can point at), and the reader every
format's opener returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class Unit:
    """A stretch of a document that a source can point at: a PDF page, a section of a
    Word, HTML or Markdown file, or a block of lines of a text, code or CSV file."""

    index: int  # 0-based position among the document's units
    text: str
    page: int | None = None  # 1-based page number, for formats that have pages
    heading: str = ""  # the section's heading path, "Chapter › Section"
    line: int | None = None  # 1-based first line, for text and code files


class Reader:
    """An opened document: its kind, its unit count when known, and its units.

    Formats other than PDF are parsed whole when opened (they are small and fast to
    parse); a PDF is read page by page.
    """

    def __init__(self, kind: str, units: list[Unit]) -> None:
        self.kind = kind
        self._units = units
        self.total: int | None = len(units)

    def units(self, start: int = 0) -> Iterator[Unit]:
        """The units from index ``start`` on (resuming skips what is done)."""
        yield from self._units[start:]

    def close(self) -> None:
        """Release the file; a reader is not used after this."""

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
