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

import bisect
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from app.documents import detect, errors
from app.documents.units import Unit

__all__ = ["PdfReader", "Reader", "Unit", "open_document", "reflow", "supported_files"]

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 64 * 1024 * 1024
TEXT_UNIT_CHARS = 16_000

# PDFium is not thread-safe, not even across documents: every call goes through this.
_PDFIUM = threading.Lock()


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


class PdfReader(Reader):
    """A PDF read page by page with PDFium; headings come from its bookmarks."""

    def __init__(self, path: Path) -> None:
        import pypdfium2 as pdfium

        self._name = path.name
        with _PDFIUM:
            try:
                self._pdf = pdfium.PdfDocument(str(path))
            except pdfium.PdfiumError as exc:
                raise _pdf_error(path.name, exc) from exc
            self.total = len(self._pdf)
            self._marks = _outline(self._pdf)
        self.kind = detect.PDF
        self._starts = [page for page, _ in self._marks]

    def units(self, start: int = 0) -> Iterator[Unit]:
        assert self.total is not None
        for index in range(start, self.total):
            yield Unit(index, reflow(self._page_text(index)), page=index + 1,
                       heading=self._heading(index))

    def _page_text(self, index: int) -> str:
        """One page's text; a page PDFium cannot parse counts as a page without text."""
        import pypdfium2 as pdfium

        with _PDFIUM:
            try:
                page = self._pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        return str(textpage.get_text_range())
                    finally:
                        textpage.close()
                finally:
                    page.close()
            except pdfium.PdfiumError:
                log.warning("%s: page %d could not be read", self._name, index + 1)
                return ""

    def _heading(self, index: int) -> str:
        at = bisect.bisect_right(self._starts, index)
        return self._marks[at - 1][1] if at else ""

    def close(self) -> None:
        with _PDFIUM:
            self._pdf.close()


def _pdf_error(name: str, exc: Exception) -> errors.DocumentError:
    code = getattr(exc, "err_code", None)
    if code in (4, 6):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
        return errors.encrypted(name)
    return errors.corrupt(name, "PDF")


def _outline(pdf: object) -> list[tuple[int, str]]:
    """(first page index, heading path) for each bookmark, in page order."""
    marks: list[tuple[int, str]] = []
    path: list[str] = []
    try:
        for item in pdf.get_toc(max_depth=6):  # type: ignore[attr-defined]
            dest = item.get_dest()
            page = dest.get_index() if dest is not None else None
            del path[item.level:]
            path.append(" ".join(item.get_title().split()))
            if page is not None:
                marks.append((page, " › ".join(p for p in path if p)))
    except Exception:  # a broken outline costs the headings, never the text
        log.warning("could not read a PDF's bookmarks", exc_info=True)
    marks.sort(key=lambda mark: mark[0])
    return marks


_SOFT_HYPHENS = re.compile("[\u00ad\ufffe\x02]")


def reflow(text: str) -> str:
    """Join a PDF page's visual lines back into paragraphs.

    PDFs store lines, not paragraphs. On a page of prose, a line much shorter than the
    page's full lines ends a paragraph; other lines continue into the next one. A line
    ending in a hyphen is joined without a space and keeps its hyphen ("well-known"
    must survive; a word hyphenated across lines becomes "renova-tion", still readable).
    """
    text = _SOFT_HYPHENS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in text.split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    full = lengths[(len(lengths) * 4) // 5]
    if full < 40:  # no prose here (a table, a form, a slide): keep the lines as they are
        return "\n".join(line for line in lines if line)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and current[-2:-1].isalpha():
            current += line
        else:
            current += " " + line
        if len(line) < full * 0.7:
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return "\n".join(p for p in paragraphs if p)


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
