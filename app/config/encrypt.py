"""Encrypting a plain SQLite file in place, so that a crash or a full disk at any
moment leaves one complete history that opens.

The steps (``STEPS``; tests stop the work after each one, as a crash would):

1. ``checked``: the plain file passes ``PRAGMA integrity_check`` and its write-ahead
   log is folded into it (the WAL file is then gone: a plain WAL left beside the
   encrypted file would be read as the new file's). A damaged file raises
   :class:`DamagedError`: the caller sets it aside, as it does any damaged history.
2. ``exported``: ``sqlcipher_export`` writes an encrypted copy to ``NAME.encrypting``
   (``PRAGMA user_version`` copied too), flushed to disk.
3. ``verified``: the copy, opened with the key, passes ``integrity_check``, has the
   same rows in every table, and each full-text index passes FTS5's own
   ``integrity-check`` and finds what the plain one finds.
4. ``swapped``: the plain file gets a second name (``NAME.plain``, a hard link), then the
   copy is renamed over ``NAME`` (``os.replace``) and the folder fsync'ed.
5. ``erased``: the plain file (``NAME.plain``) is overwritten with zeros, flushed and
   removed.

Before step 4 the plain file is the history and a leftover copy is deleted at the
next start; from step 4 on the encrypted file is, and a leftover ``NAME.plain`` is
erased at the next start (:func:`finish_leftovers`). A full disk (``OSError`` or
SQLite's "disk is full") fails the step it happens in, removes the partial copy and
raises :class:`NoRoomError`; the plain file is untouched.

Zeroing is what a program can do: on an SSD or a copy-on-write file system the old
blocks may survive until the drive reuses them; whole-disk encryption is the answer
there, and Settings says so.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from app.config import sqlcipher
from app.config.files import replace_durably, sync_folder
from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3

log = logging.getLogger(__name__)

STEPS = ("checked", "exported", "verified", "swapped", "erased")
COPY_SUFFIX, PLAIN_SUFFIX = ".encrypting", ".plain"
_COMPANIONS = ("-wal", "-shm", "-journal")
_ZEROS = bytes(1 << 20)

Step = Callable[[str], None]


class DamagedError(Exception):
    """The plain file is damaged; it was not changed."""


class NoRoomError(Exception):
    """Not enough disk space for the encrypted copy; nothing was changed."""

    def __init__(self, path: Path, needed: int) -> None:
        super().__init__(f"not enough room beside {path} ({needed} bytes needed)")
        self.path = path
        self.needed = needed


def encrypt_in_place(path: Path, key: Key, step: Step = lambda name: None) -> None:
    """Replace the plain SQLite file ``path`` with an encrypted copy (see the module's
    docstring). ``step`` is told each step done (the tests stop there)."""
    finish_leftovers(path)
    copy = _with(path, COPY_SUFFIX)
    try:
        counts = _check_and_fold(path)
        step("checked")
        _room_for(path)
        _export(path, copy, key)
        step("exported")
        _verify(path, copy, key, counts)
        step("verified")
    except BaseException as exc:
        _remove(copy)
        if _is_full(exc) and not isinstance(exc, NoRoomError):
            raise NoRoomError(path, _size(path)) from exc
        raise
    _swap(path, copy)
    step("swapped")
    _erase(_with(path, PLAIN_SUFFIX))
    step("erased")
    log.info("%s is encrypted now", path.name)


def finish_leftovers(path: Path) -> None:
    """What a crash during :func:`encrypt_in_place` left: a partial copy goes; a plain
    file's second name goes too, erased when it no longer is ``path`` itself."""
    _remove(_with(path, COPY_SUFFIX))
    old = _with(path, PLAIN_SUFFIX)
    if not old.exists():
        return
    if path.exists() and os.path.samefile(old, path):
        old.unlink()  # a crash before the swap: the same file, still the history
        sync_folder(path.parent)
    else:
        _erase(old)


def _check_and_fold(path: Path) -> dict[str, int]:
    conn = sqlcipher.connect(path, None)
    try:
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise DamagedError(str(exc)) from exc
        if result != ["ok"]:
            raise DamagedError("; ".join(map(str, result[:5])))
        counts = _counts(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")  # the WAL is in the file now
    finally:
        conn.close()
    return counts


def _export(path: Path, copy: Path, key: Key) -> None:
    _remove(copy)
    conn = sqlcipher.connect(path, None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.sql()}", (str(copy),))
        conn.execute(f"PRAGMA encrypted.cipher_compatibility = "
                     f"{sqlcipher.CIPHER_COMPATIBILITY}")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    with open(copy, "rb+") as fh:
        os.fsync(fh.fileno())


def _verify(path: Path, copy: Path, key: Key, counts: dict[str, int]) -> None:
    conn = sqlcipher.connect(copy, key)
    plain = sqlcipher.connect(path, None)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise DamagedError(f"the encrypted copy fails its check: {result[:5]}")
        if _counts(conn) != counts:
            raise DamagedError("the encrypted copy lacks rows")
        for table in _fts_tables(conn):
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            probe = _probe(plain, table)
            if probe and _hits(conn, table, probe) != _hits(plain, table, probe):
                raise DamagedError(f"search in {table} finds other rows")
        conn.execute("PRAGMA journal_mode = WAL")  # as the stores keep it
    finally:
        conn.close()
        plain.close()


def _swap(path: Path, copy: Path) -> None:
    old = _with(path, PLAIN_SUFFIX)
    _remove(old)
    try:
        os.link(path, old)
    except OSError:  # no hard links here (FAT): copy, so that it can be erased
        shutil.copyfile(path, old)
    sync_folder(path.parent)
    replace_durably(copy, path)


def _erase(path: Path) -> None:
    """Overwrite with zeros, flush, remove (and its companions, which hold pages too)."""
    for name in (path, *(_with(path, s) for s in _COMPANIONS)):
        try:
            size = name.stat().st_size
        except FileNotFoundError:
            continue
        with open(name, "rb+") as fh:
            left = size
            while left > 0:
                left -= fh.write(_ZEROS[:min(left, len(_ZEROS))])
            fh.flush()
            os.fsync(fh.fileno())
        name.unlink()
    sync_folder(path.parent)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
        "'CREATE VIRTUAL TABLE%' ORDER BY name")]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _fts_tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND "
        "sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'")]


def _probe(conn: sqlite3.Connection, table: str) -> str | None:
    """A word the index holds (from its first row), quoted as an FTS5 string."""
    row = conn.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone()
    words = [w for value in (row or ()) if isinstance(value, str)
             for w in value.split() if len(w) >= 3]
    return '"' + words[0].replace('"', '""') + '"' if words else None


def _hits(conn: sqlite3.Connection, table: str, probe: str) -> list[int]:
    return [row[0] for row in conn.execute(
        f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH ? ORDER BY rowid', (probe,))]


def _room_for(path: Path) -> None:
    needed = _size(path) + (16 << 20)
    if shutil.disk_usage(path.parent).free < needed:
        raise NoRoomError(path, needed)


def _is_full(exc: BaseException) -> bool:
    if isinstance(exc, NoRoomError):
        return True
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.Error) and "disk is full" in str(exc).lower()


def _size(path: Path) -> int:
    with contextlib.suppress(OSError):
        return path.stat().st_size
    return 0


def _with(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove(path: Path) -> None:
    for name in (path, *(_with(path, s) for s in _COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            name.unlink()
