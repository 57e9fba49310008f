"""Forget everything: the history, the documents, pasted texts and the key, erased.

Settings › "Forget everything" ends here once the window has closed the databases
(``app.ui.app`` then starts Cove again, with an empty history). Every file that holds
what someone wrote or attached is overwritten with zeros, flushed and removed: the two
databases with their write-ahead logs, shared-memory indexes, journals, leftovers of a
migration and copies set aside as damaged; the texts a too-long message was saved as
(``pasted/``); the python tool's working folders and sealed archives (``python/``), the
folders of its runs and the saved prompt states (a KV cache reads back into the
conversation's words; plain when the history is) in the cache folder (``python-runs/``,
``kv/``), the local API's request log, which holds what other apps asked when the
user had it kept, and the MCP servers' stderr logs an earlier version left (``mcp/`` in
the log folder). Then the key goes from the keyring and the remembered protection
choice with it, so the next start makes a new key as a first start does. Models,
settings, the other logs (which hold no message text) and speed tests stay.

A file that cannot be erased (another program holds it, a read-only disk) is named in
:class:`ForgetError`, and the key stays while a database is left, so that Cove still
opens what is there and the user can try again; everything else is erased anyway.
Symbolic links are removed, never followed: a link the python tool made must not
zero a file outside Cove's folder.

Zeroing is what a program can do: on an SSD or a copy-on-write file system the old
blocks may survive until the drive reuses them; they were encrypted, and the key is gone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from app.config import at_rest, paths, secrets

log = logging.getLogger(__name__)

FOLDERS = ("pasted", "python")  # folders of the data folder holding conversation files
# and of the cache folder: python runs, saved prompt states (app.engine.client.states_folder)
CACHE_FOLDERS = ("python-runs", "kv")
LOG_FILES = ("api-requests.log",)  # logs that may hold content (app.api.request_log)
# MCP servers' stderr, which earlier versions kept in plain files (servers log the
# arguments they are called with); app.tools.mcp_client keeps it in memory now.
LOG_FOLDERS = ("mcp",)
_ZEROS = bytes(1 << 20)


class ForgetError(Exception):
    """Some files could not be erased; ``str()`` says which, for the user."""

    def __init__(self, message: str, left: list[Path]) -> None:
        super().__init__(message)
        self.left = left


@dataclass
class Forgotten:
    """What went: the files erased, and whether a key was taken from the keyring."""

    erased: list[Path] = field(default_factory=list)
    key_forgotten: bool = False


def personal_files(folder: Path, cache: Path | None = None,
                   logs: Path | None = None) -> list[Path]:
    """Every file in the data ``folder`` (and the ``cache`` and ``logs`` folders) that
    holds conversation text, the databases' companions included (``cove.db-wal``,
    ``documents.db.damaged-…``, …)."""
    found = [p for p in folder.iterdir() if p.name.startswith(at_rest.HISTORY_FILES)] \
        if folder.is_dir() else []
    if logs is not None:
        found += [p for p in logs.glob("*") if p.name.startswith(LOG_FILES)]
    places = [folder / sub for sub in FOLDERS]
    places += [cache / sub for sub in CACHE_FOLDERS] if cache is not None else []
    places += [logs / sub for sub in LOG_FOLDERS] if logs is not None else []
    for place in places:
        for root, dirs, files in os.walk(place):  # never into linked folders
            found += [Path(root, name) for name in files]
            found += [Path(root, name) for name in dirs if Path(root, name).is_symlink()]
    return sorted(found)


def forget_everything(folder: Path, cache: Path | None = None,
                      logs: Path | None = None) -> Forgotten:
    """Erase the personal files of ``folder`` and the ``cache`` and ``logs`` folders
    (the default ones unless given) and the key (see the module's docstring). The
    databases must be closed. Raises :class:`ForgetError` when files are left."""
    cache = cache if cache is not None else paths.cache_dir()
    logs = logs if logs is not None else paths.log_dir()
    done = Forgotten()
    left: list[Path] = []
    for path in personal_files(folder, cache, logs):
        try:
            erase(path)
            done.erased.append(path)
        except OSError as exc:
            log.error("could not erase %s (%s)", path.name, type(exc).__name__)
            left.append(path)
    for place in ([folder / sub for sub in FOLDERS] + [cache / sub for sub in CACHE_FOLDERS]
                  + [logs / sub for sub in LOG_FOLDERS]):
        _remove_empty(place)
    if any(p.name.startswith(at_rest.HISTORY_FILES) for p in left):
        raise ForgetError(_left_text(left), left)
    try:
        done.key_forgotten = secrets.stored_key() is not None
        secrets.forget_key()
    except secrets.KeyringUnavailable as exc:
        raise ForgetError(
            f"Your conversations and documents were erased, but the key could not be "
            f"taken from the keyring: {exc} It opens nothing any more; you may delete "
            f"“{secrets.SERVICE} / {secrets.KEY_NAME}” there yourself.", []) from exc
    with contextlib.suppress(FileNotFoundError):
        secrets.protection_path().unlink()
    at_rest.remember(None)  # the sealed files' keys went with the history's
    if left:
        raise ForgetError(_left_text(left), left)
    log.info("forgot everything: %d files erased", len(done.erased))
    return done


def erase(path: Path) -> None:
    """Overwrite a regular file with zeros, flush it to the disk, remove it; a link or
    anything else that is not a regular file is only removed."""
    info = path.lstat()
    if stat.S_ISREG(info.st_mode):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_BINARY", 0))
        try:
            left = info.st_size
            while left > 0:
                left -= os.write(fd, _ZEROS[:min(left, len(_ZEROS))])
            os.fsync(fd)
        finally:
            os.close(fd)
    path.unlink()


def _remove_empty(top: Path) -> None:
    """Remove the folders left empty under ``top`` (and ``top``), deepest first."""
    if not top.is_dir() or top.is_symlink():
        return
    for root, dirs, _files in os.walk(top, topdown=False):
        for name in dirs:
            with contextlib.suppress(OSError):
                Path(root, name).rmdir()
    with contextlib.suppress(OSError):
        top.rmdir()


def _left_text(left: list[Path]) -> str:
    names = ", ".join(p.name for p in left[:5]) + (" …" if len(left) > 5 else "")
    return (f"Cove could not erase {len(left)} file(s) ({names}) in {left[0].parent}: "
            "another program may be using them. Everything else was erased. Close "
            "that program and choose Forget everything again.")
