"""PDFs read page by page with PDFium, in the app's own process.

A dropped PDF is read through :mod:`app.documents.isolated`, whose child process uses
this reader; it lives apart from :mod:`app.documents.extract` (which opens every format
and may choose the isolated reader) so that neither of those imports the other.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from app.documents import detect, errors
from app.documents.units import Reader, Unit

log = logging.getLogger(__name__)

# PDFium is not thread-safe, not even across documents: every call goes through this.
_PDFIUM = threading.Lock()


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
