"""PDFs read in a process of their own, so a file that crashes or hangs PDFium costs a
page, not the window.

PDFium is native code fed with whatever the user drops. :class:`IsolatedPdfReader`
runs ``cove read-document PATH START`` (``python -m app read-document`` from source,
``Cove read-document`` frozen), which opens the file with :class:`PdfReader` and
sends its page count and then one page after another. If that process dies (a native
crash, the OS killing it) or a page takes longer than :data:`PAGE_TIMEOUT`, the page
counts as a page without text, a new process continues with the next page; when more than
:data:`MAX_FAILURES` pages are lost that way the file is reported damaged. The reader
exits when Cove closes its stdin (or Cove dies), so a hung reader never outlives it.
Extraction stays the same code as in-process (``extract``); only where it runs changes.

Frames on the child's stdout are a 4-byte big-endian length and a UTF-8 JSON object.
The child moves anything native code prints to stderr before it starts, so stdout
carries frames only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from app.documents import detect, errors
from app.documents.pdf import PdfReader
from app.documents.units import Reader, Unit

log = logging.getLogger(__name__)

PAGE_TIMEOUT = 60.0  # seconds one page may take before it is given up
OPEN_TIMEOUT = 120.0  # starting the process and opening the file
MAX_FAILURES = 5  # pages lost to crashes or hangs before the file counts as damaged
_HEADER = struct.Struct(">I")


def reader_command(path: Path, start: int) -> list[str]:
    """How to start a reader: the frozen executable itself, or this interpreter."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    return [*base, "read-document", str(path), str(start)]


class _Child:
    """One reader process and a thread that turns its frames into a queue."""

    def __init__(self, path: Path, start: int) -> None:
        self.next_index = start
        # stdin stays open and unused: when this process ends (or dies), the reader
        # sees it close and exits, even in the middle of a page PDFium hangs on.
        self.proc = subprocess.Popen(
            reader_command(path, start), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        self.frames: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._pump, name="cove-pdf-reader", daemon=True).start()

    def _pump(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                frame = _read_frame(stream)
                self.frames.put(frame)
                if frame is None:
                    return
        except (OSError, ValueError):
            self.frames.put(None)

    def next(self, timeout: float) -> dict[str, Any] | None:
        """The next frame; None when the process died or took too long."""
        try:
            return self.frames.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class IsolatedPdfReader(Reader):
    """A PDF read page by page in a reader process (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self.kind = detect.PDF
        self.failures = 0  # pages given up because the reader crashed or hung
        self._child: _Child | None = None
        self._child = self._start(0)
        header = self._child.next(OPEN_TIMEOUT)
        if header is None:
            self._child.close()
            self._child = None
            raise errors.corrupt(self._path.name)
        if "error" in header:
            self._child.close()
            self._child = None
            raise errors.DocumentError(str(header["error"]), str(header.get("message", "")),
                                       self._path.name)
        self.total: int | None = int(header["total"])

    def _start(self, index: int) -> _Child:
        return _Child(self._path, index)

    def units(self, start: int = 0) -> Iterator[Unit]:
        assert self.total is not None
        index = start
        while index < self.total:
            child = self._child
            if child is None or child.next_index != index:
                if child is not None:
                    child.close()
                child = self._child = self._start(index)
                header = child.next(OPEN_TIMEOUT)
                if header is None or "error" in header:
                    child.next_index = -1  # start afresh at the next page
                    yield self._lost(index)
                    index += 1
                    continue
            frame = child.next(PAGE_TIMEOUT)
            if frame is None or frame.get("index") != index:
                child.close()
                self._child = None
                yield self._lost(index)
                index += 1
                continue
            child.next_index = index + 1
            yield Unit(index, str(frame["text"]), page=frame.get("page"),
                       heading=str(frame.get("heading") or ""), line=frame.get("line"))
            index += 1

    def _lost(self, index: int) -> Unit:
        """A page the reader crashed or hung on: kept as a page without text."""
        self.failures += 1
        log.warning("%s: the PDF reader stopped on page %d (%d so far)", self._path.name,
                    index + 1, self.failures)
        if self.failures > MAX_FAILURES:
            raise errors.corrupt(self._path.name)
        return Unit(index, "", page=index + 1)

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


def _read_frame(stream: IO[bytes]) -> dict[str, Any] | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    frame = json.loads(body.decode("utf-8"))
    return frame if isinstance(frame, dict) else None


def _write_frame(stream: IO[bytes], frame: dict[str, Any]) -> None:
    body = json.dumps(frame, ensure_ascii=False).encode("utf-8")
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _exit_with_parent() -> None:
    """End this process when Cove closes its end of stdin (it quit, or died)."""
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(1024):
            pass
    os._exit(0)


def main(argv: Sequence[str]) -> int:
    """Entry of ``cove read-document PATH START`` (started by Cove itself)."""
    if len(argv) != 2:
        print("usage: cove read-document PATH START (started by Cove itself)",
              file=sys.stderr)
        return 2
    # The frames go to a private copy of stdout; fd 1 goes to stderr, so whatever
    # native code prints never lands between two frames.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    if sys.platform == "win32":  # native code may write to the handle, not the fd
        import ctypes
        import msvcrt

        ctypes.windll.kernel32.SetStdHandle(-11, msvcrt.get_osfhandle(2))  # type: ignore[attr-defined]
    threading.Thread(target=_exit_with_parent, name="cove-reader-watchdog",
                     daemon=True).start()
    path, start = Path(argv[0]), int(argv[1])
    try:
        reader = PdfReader(path)
    except errors.DocumentError as exc:
        _write_frame(out, {"error": exc.reason, "message": str(exc)})
        return 0
    except Exception as exc:  # PDFium (or its import) failed: the file can't be read
        damaged = errors.corrupt(path.name)
        _write_frame(out, {"error": damaged.reason, "message": str(damaged),
                           "detail": repr(exc)})
        return 0
    with reader:
        _write_frame(out, {"total": reader.total})
        for unit in reader.units(start):
            _write_frame(out, {"index": unit.index, "text": unit.text, "page": unit.page,
                               "heading": unit.heading, "line": unit.line})
    return 0
