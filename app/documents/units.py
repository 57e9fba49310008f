"""The unit of extracted text: what a citation can point at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A stretch of a document that a source can point at: a PDF page, a section of a
    Word, HTML or Markdown file, or a block of lines of a text, code or CSV file."""

    index: int  # 0-based position among the document's units
    text: str
    page: int | None = None  # 1-based page number, for formats that have pages
    heading: str = ""  # the section's heading path, "Chapter › Section"
    line: int | None = None  # 1-based first line, for text and code files
