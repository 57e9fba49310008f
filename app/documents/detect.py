"""What kind of document a file is, judged by its content rather than its name.

Users rename files, download them without extensions, and save Word files as ``.pdf``
by mistake; the first bytes tell the truth. The extension only decides between text
flavours that look alike (a Python file's ``# comment`` is not a Markdown heading).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from app.documents import errors

PDF, DOCX, HTML, MARKDOWN, TEXT, CODE, CSV = (
    "pdf", "docx", "html", "markdown", "text", "code", "csv")
KINDS = (PDF, DOCX, HTML, MARKDOWN, TEXT, CODE, CSV)

SNIFF_BYTES = 64 * 1024

MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}
CSV_EXTS = {".csv", ".tsv"}
CODE_EXTS = {
    ".py", ".pyi", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts",
    ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cs", ".go", ".rs", ".rb", ".php",
    ".swift", ".m", ".mm", ".scala", ".sh", ".bash", ".zsh", ".fish", ".ps1", ".bat",
    ".sql", ".r", ".lua", ".pl", ".pm", ".json", ".jsonl", ".yaml", ".yml", ".toml",
    ".ini", ".cfg", ".conf", ".xml", ".css", ".scss", ".less", ".vue", ".svelte",
    ".dart", ".ex", ".exs", ".erl", ".hs", ".ml", ".clj", ".jl", ".zig", ".nim",
    ".gradle", ".cmake", ".mk", ".proto", ".graphql", ".tex", ".rst", ".ipynb",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (b"II*\x00", "an image (TIFF)"),
    (b"MM\x00*", "an image (TIFF)"),
    (b"{\\rtf", "a Rich Text (RTF) document — save it as .docx or PDF first"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an audio file"),
    (b"OggS", "an audio file"),
    (b"fLaC", "an audio file"),
]
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.I | re.S)
_MD_HEADING = re.compile(r"^(#{1,6}[ \t]+\S|\S[^\n]*\n(=+|-+)[ \t]*$)", re.M)
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def detect_kind(path: Path) -> str:
    """The kind of ``path`` (one of :data:`KINDS`), or a :class:`DocumentError`."""
    name = path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise errors.missing(name) from None
    except OSError as exc:
        raise errors.DocumentError(errors.CORRUPT, f"“{name}” can't be opened: {exc.strerror}.",
                                   name) from exc
    if not head.strip():
        raise errors.empty(name)
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        raise _ole2_error(path, head)
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise errors.unsupported(name, what)
    if head[8:12] == b"WEBP" or head[4:12] in (b"ftypheic", b"ftypavif"):
        raise errors.unsupported(name, "an image")
    return _text_kind(path, head)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") \
                if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        if path.suffix.lower() == ".docx":
            raise errors.corrupt(path.name, "Word file") from exc
        raise errors.corrupt(path.name) from exc
    if "word/document.xml" in names:
        return DOCX
    what = "a ZIP archive"
    if any(n.startswith("xl/") for n in names):
        what = "an Excel workbook — save it as CSV to attach its data"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation — export it as PDF first"
    elif "opendocument" in mimetype:
        what = "an OpenDocument file — save it as .docx or PDF first"
    elif "epub" in mimetype:
        what = "an e-book (EPUB)"
    raise errors.unsupported(path.name, what)


def _ole2_error(path: Path, head: bytes) -> errors.DocumentError:
    """Old Office files and password-protected new ones share one container format."""
    data = head if len(head) < SNIFF_BYTES else path.read_bytes()[: 4 * 1024 * 1024]
    if "EncryptedPackage".encode("utf-16-le") in data:
        return errors.DocumentError(errors.ENCRYPTED, (
            f"“{path.name}” is protected by a password, so Cove can't read it. Open it in "
            "Word, save a copy without the password, and attach that copy."), path.name)
    return errors.unsupported(
        path.name, "an older Office file (.doc, .xls or .ppt) — save it as .docx or PDF first")


def _text_kind(path: Path, head: bytes) -> str:
    text = decode_text(head, partial=True)
    if text is None:
        raise errors.unsupported(path.name, "not a text document")
    start = head.removeprefix(codecs.BOM_UTF8)
    if _HTML_START.match(start) or (start.lstrip().startswith(b"<?xml")
                                    and b"<html" in start[:2048].lower()):
        return HTML
    ext = path.suffix.lower()
    if ext in MARKDOWN_EXTS:
        return MARKDOWN
    if ext in CSV_EXTS:
        return CSV
    if ext in CODE_EXTS:
        return CODE
    return MARKDOWN if _MD_HEADING.search(text) else TEXT


def decode_text(data: bytes, partial: bool = False) -> str | None:
    """Text from bytes in the encodings users' files really use; None for binary.

    A BOM decides (UTF-8, UTF-16, UTF-32). Without one, UTF-8 is read first, and one
    bad byte must not cost the rest of the file: a file saved as UTF-8 and later
    edited by an "ANSI" program, or pasted into from one, holds valid UTF-8 with a few
    Windows-1252 bytes in it. Those bytes alone are read as Windows-1252 (what "ANSI"
    text from Windows is), and the valid UTF-8 around them is kept. Only a file whose
    non-ASCII bytes are mostly not UTF-8 is Windows-1252 throughout: such a file holds a
    valid UTF-8 pair only by accident (an "ß" before a curly quote), which read as UTF-8
    would turn two letters into one foreign one. A sequence cut off by the end of a
    file that is surely UTF-8 becomes U+FFFD; in any other whole file those last bytes
    are stray bytes like the rest ("Caf\\xe9" is "Café" in Windows-1252, not a cut-off
    UTF-8 letter); ``partial`` (a sniffed prefix) drops them instead.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            decoder = codecs.getincrementaldecoder(codec)("replace")
            return decoder.decode(data, final=not partial)
    declared = data.startswith(codecs.BOM_UTF8)
    if declared:
        data = data[len(codecs.BOM_UTF8):]
    elif b"\x00" in data:
        return None
    text = _utf8_with_stray_bytes(data, partial, declared)
    controls = len(_TEXT_CONTROLS.findall(text))
    return None if controls > max(8, len(text) // 100) else text


_STRAY = re.compile("[\udc80-\udcff]+")
# Non-ASCII characters that Windows-1252 text almost never forms by accident when read
# as UTF-8: U+0080-U+00FF ("Ã" or "Â" before a symbol) and 3- and 4-byte sequences.
_SURE_UTF8 = re.compile("[\x80-\xff\u0800-\udc7f\ue000-\U0010ffff]")
# Those an upper-case accented letter or "ß" before a curly quote or a dash forms.
_MAYBE_UTF8 = re.compile("[\u0100-\u07ff]")


def _utf8_with_stray_bytes(data: bytes, partial: bool, declared: bool) -> str:
    """UTF-8 with each invalid byte read as Windows-1252; or all of ``data`` as
    Windows-1252 when none of its non-ASCII text is surely UTF-8 and most of it is
    not UTF-8 at all (never when a BOM declared UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    text = decoder.decode(data, final=False)
    tail = decoder.getstate()[0]
    if partial:
        data = data[: len(data) - len(tail)]
    strays = sum(m.end() - m.start() for m in _STRAY.finditer(text))
    if tail and not partial:
        if not strays and (declared or _SURE_UTF8.search(text)):
            return text + "\ufffd"  # a UTF-8 file cut off inside its last character
        text += tail.decode("utf-8", "surrogateescape")
        strays += len(tail)
    if not strays:
        return text
    if not declared and not _SURE_UTF8.search(text) \
            and len(_MAYBE_UTF8.findall(text)) < strays:
        return data.decode("cp1252", "replace")
    return _STRAY.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode(
        "cp1252", "replace"), text)
