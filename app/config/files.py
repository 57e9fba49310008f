"""Files replaced in one step: a crash, a full disk or a pulled plug leaves the old file
or the new one, never half of one and never none.

Every file Cove rewrites (settings, servers, the library's references, download
receipts, speed-test results) goes through :func:`write_atomically`: the new content goes
to a temporary file in the same folder (a rename is only atomic within one file
system), is flushed and fsync'ed, then renamed over the old file, and the folder is
fsync'ed so the rename itself survives a power cut. Renaming before the data is on
disk is the classic way to lose a file: after a crash the new name can point at an
empty file. A write that fails midway removes its temporary file and leaves the old
file as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')  # not allowed in a file name somewhere


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), creating its folder if
    needed. Raises OSError (the old file untouched) if the data cannot be written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    new = AtomicFile(path)
    try:
        new.file.write(raw)
        new.commit()
    except BaseException:
        new.discard()
        raise


class AtomicFile:
    """A file that replaces ``path`` in one step, written piece by piece (what
    :func:`write_atomically` does for data in memory): write to ``file`` (a
    temporary file beside ``path``), then :meth:`commit` (flushed, fsync'ed, renamed
    over ``path``, the folder fsync'ed) or :meth:`discard` (removed; ``path`` as it
    was)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}-", suffix=".tmp",
                                   dir=self.path.parent)
        self.tmp = Path(tmp)
        self.file = os.fdopen(fd, "wb")

    def commit(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.tmp, self.path)
        sync_folder(self.path.parent)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def replace_durably(source: Path, target: Path) -> None:
    """Rename a finished file (a verified download, a copied model) over ``target``,
    its data on disk first, so a crash never leaves ``target`` named but empty."""
    with open(source, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(source, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable where the OS allows it. Windows cannot open a
    folder to flush it (NTFS journals the rename itself); some file systems refuse to
    fsync a folder: the rename is still atomic there, only less certain to survive a
    power cut."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def safe_name(text: str, fallback: str) -> str:
    """A file name (without suffix) from ``text`` (a title, a document's name): no
    characters that some system forbids, not too long, never empty."""
    name = " ".join(_UNSAFE.sub(" ", text).split())[:80].strip(" .")
    return name or fallback
