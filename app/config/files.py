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
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), creating its folder if
    needed. Raises OSError (the old file untouched) if the data cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)


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
