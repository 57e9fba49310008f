"""Real PDF files, written byte by byte for the tests.

A small writer instead of a PDF library keeps the tests free of another dependency and
fast (a 500-page file takes milliseconds), while producing what real producers write:
compressed content streams, a standard font with WinAnsi encoding, an outline
(bookmarks), image-only pages like a scanner's, and a correct cross-reference table.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Page:
    """One page: its lines of text, or a picture only (a scanned page)."""

    lines: Sequence[str] = ()
    scanned: bool = False
    bookmark: str | None = None


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _text_stream(lines: Sequence[str]) -> bytes:
    parts = [b"BT /F1 10 Tf 12 TL 50 800 Td"]
    for line in lines:
        parts.append(b"(" + _escape(line) + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


_SCAN = b"q 495 0 0 742 50 50 cm /Im1 Do Q"


class _Writer:
    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def reserve(self) -> int:
        self.objects.append(b"")
        return len(self.objects)

    def put(self, num: int, body: bytes) -> None:
        self.objects[num - 1] = body

    def add(self, body: bytes) -> int:
        num = self.reserve()
        self.put(num, body)
        return num

    def stream(self, data: bytes, extra: bytes = b"") -> int:
        packed = zlib.compress(data)
        head = b"<< /Length %d /Filter /FlateDecode %s>>" % (len(packed), extra)
        return self.add(head + b"\nstream\n" + packed + b"\nendstream")

    def bytes(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (
            len(self.objects) + 1, root, info)
        out += b"startxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def write_pdf(path: Path, pages: Sequence[Page], title: str = "Test document") -> Path:
    """Write ``pages`` as a PDF at ``path`` and return the path."""
    w = _Writer()
    catalog, tree, outlines = w.reserve(), w.reserve(), w.reserve()
    font = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                 b"/Encoding /WinAnsiEncoding >>")
    pixels = bytes((x * 29 + y * 7) % 256 for y in range(64) for x in range(64))
    image = w.stream(pixels, b"/Type /XObject /Subtype /Image /Width 64 /Height 64 "
                             b"/ColorSpace /DeviceGray /BitsPerComponent 8 ")
    kids = []
    for page in pages:
        content = w.stream(_SCAN if page.scanned else _text_stream(page.lines))
        kids.append(w.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
            % (tree, content, font, image)))
    w.put(tree, b"<< /Type /Pages /Kids [%s] /Count %d >>"
          % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    _outline(w, outlines, pages, kids)
    w.put(catalog, b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R >>" % (tree, outlines))
    info = w.add(b"<< /Title (" + _escape(title) + b") /Producer (Cove tests) >>")
    path.write_bytes(w.bytes(catalog, info))
    return path


def _outline(w: _Writer, outlines: int, pages: Sequence[Page], kids: list[int]) -> None:
    marks = [(p.bookmark, kid) for p, kid in zip(pages, kids) if p.bookmark]
    if not marks:
        w.put(outlines, b"<< /Type /Outlines /Count 0 >>")
        return
    nums = [w.reserve() for _ in marks]
    for i, ((title, kid), num) in enumerate(zip(marks, nums)):
        links = b""
        if i > 0:
            links += b" /Prev %d 0 R" % nums[i - 1]
        if i + 1 < len(nums):
            links += b" /Next %d 0 R" % nums[i + 1]
        w.put(num, b"<< /Title (" + _escape(title) + b") /Parent %d 0 R /Dest [%d 0 R /XYZ "
              b"null null null]%s >>" % (outlines, kid, links))
    w.put(outlines, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
          % (nums[0], nums[-1], len(nums)))


def wrap(text: str, width: int = 95) -> list[str]:
    """Break prose into lines that fit the page, paragraph breaks kept as blank lines."""
    lines: list[str] = []
    for para in text.split("\n\n"):
        line = ""
        for word in para.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        lines.append("")
    return lines[:-1]


def encrypt(source: Path, target: Path, password: str = "secret") -> Path:
    """An encrypted copy of ``source`` made by pypdf, as a password-protected PDF is."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner",
                   algorithm="AES-128")
    with target.open("wb") as fh:
        writer.write(fh)
    return target
