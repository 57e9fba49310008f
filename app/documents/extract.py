"""Text out of documents, in *units* that a citation can point at.

A unit is a PDF page, a section of a Word, HTML or Markdown file (split at headings,
and at page breaks where Word recorded them), or a block of lines of a text, code or
CSV file. Units come one at a time so that indexing can show progress per page, stop
between pages, and resume at the page where it stopped.

Every failure a user can cause (a password, a scan without text, a damaged or empty
file, a type Cove does not read) becomes a :class:`~app.documents.errors.DocumentError`
with a message for that user; anything else a parser throws is reported as a damaged
file, with the stack trace in the log.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.documents import detect, errors
from app.documents.pdf import PdfReader, reflow
from app.documents.units import Reader, Unit

__all__ = ["PdfReader", "Reader", "Unit", "open_document", "reflow", "supported_files"]

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 64 * 1024 * 1024
TEXT_UNIT_CHARS = 16_000


def open_document(path: Path, isolate: bool = False) -> Reader:
    """Open ``path`` by what its content is, whatever its name says. ``isolate`` reads
    a PDF in a process of its own (``isolated``): what the app does with dropped files."""
    path = Path(path)
    kind = detect.detect_kind(path)
    try:
        if kind == detect.PDF:
            if isolate:
                from app.documents.isolated import IsolatedPdfReader

                return IsolatedPdfReader(path)
            return PdfReader(path)
        if kind == detect.DOCX:
            from app.documents.word import read_word

            return Reader(kind, read_word(path))
        if kind == detect.HTML:
            from app.documents.webpage import read_html

            return Reader(kind, read_html(_read_bytes(path), path.name))
        text = read_text(path)
        if kind == detect.MARKDOWN:
            from app.documents.markdown import read_markdown

            return Reader(kind, read_markdown(text))
        return Reader(kind, text_units(text, header=kind == detect.CSV))
    except errors.DocumentError:
        raise
    except Exception as exc:  # a parser's own failure means the file is not what it claims
        log.exception("could not read %s as %s", path, kind)
        raise errors.corrupt(path.name) from exc


def _read_bytes(path: Path) -> bytes:
    """The whole file, refusing what is too large to index sensibly as text."""
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise errors.too_large(path.name, MAX_TEXT_BYTES // (1024 * 1024))
    return path.read_bytes()


def read_text(path: Path) -> str:
    """The whole file as text, with its line ends made plain newlines."""
    text = detect.decode_text(_read_bytes(path))
    if text is None:
        raise errors.unsupported(path.name, "not a text document")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise errors.empty(path.name)
    return text


def text_units(text: str, header: bool = False) -> list[Unit]:
    """Blocks of whole lines; for CSV, the header row is every block's heading, so a
    retrieved block of rows still says what its columns are."""
    lines = text.splitlines(keepends=True)
    heading = lines[0].strip() if header and lines else ""
    units: list[Unit] = []
    block: list[str] = []
    size, first = 0, 1
    for number, line in enumerate(lines, start=1):
        if block and size + len(line) > TEXT_UNIT_CHARS:
            units.append(Unit(len(units), "".join(block), heading=heading, line=first))
            block, size, first = [], 0, number
        block.append(line)
        size += len(line)
    if block:
        units.append(Unit(len(units), "".join(block), heading=heading, line=first))
    return units


def supported_files(folder: Path, limit: int = 10_000) -> list[Path]:
    """Files under ``folder`` worth offering for a dropped folder: not hidden, not
    obviously binary by name. Content is still checked when each one is added."""
    skip = {".png", ".jpg", ".jpeg", ".gif", ".zip", ".exe", ".dll", ".so", ".dylib",
            ".mp3", ".mp4", ".mov", ".gguf", ".bin", ".pyc", ".o", ".class", ".db"}
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") or part in ("node_modules", "__pycache__")
               for part in parts):
            continue
        if path.is_file() and path.suffix.lower() not in skip:
            found.append(path)
            if len(found) >= limit:
                break
    return found
