"""Opening the history file: pragmas, migrations, and what to do when the file is bad.

A damaged file is moved aside (never deleted: it may still hold what someone wants back)
and a new, empty history is started, with a notice for the user saying where the old
file went. A locked file, a read-only file or a file from a newer Cove is never moved:
those are not damage, and the caller gets a :class:`ChatStoreError` instead.

SQLite only notices damage where it reads, so a fault found mid-session leaves a marker
file beside the database; the next start runs ``PRAGMA quick_check`` (too slow to run at
every start on years of history) and sets the file aside if the check fails.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from app.chats import errors, schema
from app.chats.errors import ChatStoreError
from app.config import sqlcipher
from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 5.0
_COMPANIONS = ("-wal", "-shm", "-journal")
_MAGIC = b"SQLite format 3\x00"


@dataclass
class Opened:
    """A ready connection, and the notice to show when the old file had to go aside."""

    conn: sqlite3.Connection
    notice: ChatStoreError | None = None
    set_aside: Path | None = None


def check_marker(path: Path) -> Path:
    """The file whose presence asks the next start to check the database."""
    return path.with_name(path.name + ".check")


def open_database(path: Path, timeout: float = BUSY_TIMEOUT_S,
                  key: Key | None = None) -> Opened:
    """Open (or create) the history at ``path``, migrated and ready, or explain why not.

    With a ``key`` the file is encrypted (SQLCipher); a file the key does not open is
    never set aside (the key may be the wrong one, the file fine): the caller gets a
    :class:`ChatStoreError` of kind ``WRONG_KEY`` and the file stays as it is."""
    _require_trigram()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChatStoreError(errors.user_text(errors.CANNOT_OPEN, path.parent),
                             errors.CANNOT_OPEN) from exc
    if key is None and _foreign(path):
        log.error("history file %s is not an SQLite database; setting it aside", path)
    else:
        try:
            return Opened(_open(path, timeout, key))
        except sqlcipher.WrongKeyError as exc:
            raise ChatStoreError(errors.user_text(errors.WRONG_KEY, path),
                                 errors.WRONG_KEY) from exc
        except sqlite3.Error as exc:
            if errors.kind_of(exc) != errors.CORRUPT:
                raise errors.wrap(exc, path) from exc
            log.exception("history file %s is damaged; setting it aside", path)
    aside = set_aside(path)
    try:
        conn = _open(path, timeout, key)
    except sqlite3.Error as exc:
        raise errors.wrap(exc, path) from exc
    notice = ChatStoreError(
        f"Cove's history file was damaged and could not be read. Cove kept it as "
        f"\"{aside.name}\" in {aside.parent} and started a new, empty history.",
        errors.CORRUPT)
    return Opened(conn, notice, aside)


def _foreign(path: Path) -> bool:
    """True when the file is not SQLite at all. Checked before SQLite sees it: SQLite
    would delete a WAL file beside it on closing, and we keep everything we set aside."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_MAGIC))
    except OSError:
        return False  # missing, or unreadable: SQLite creates it or says why not
    return header != b"" and header != _MAGIC


def _open(path: Path, timeout: float, key: Key | None) -> sqlite3.Connection:
    """Connect (keyed when ``key`` is given), set the pragmas, migrate; the connection
    is closed again on failure."""
    conn = sqlcipher.connect(path, key, timeout)
    try:
        if schema.version(conn) > schema.CURRENT_VERSION:  # before anything writes
            raise schema.NewerVersionError(schema.version(conn))
        _configure(conn)
        schema.migrate(conn)
        _check_if_asked(conn, path)
    except schema.NewerVersionError as exc:
        conn.close()
        raise ChatStoreError(
            f"This history ({path}) was saved by a newer version of Cove. Cove has not "
            "changed it. Install the newer version of Cove again to open it.",
            errors.NEWER_VERSION) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    """WAL so readers never block the streaming writer; FULL sync so a commit survives
    power loss, not just a crash (we commit about once a second, so it costs little)."""
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.warning("history file cannot use WAL (journal mode %s)", mode)
    conn.execute("PRAGMA synchronous = FULL")


def _check_if_asked(conn: sqlite3.Connection, path: Path) -> None:
    """Run the integrity check the previous session asked for; raise if it fails."""
    marker = check_marker(path)
    if not marker.exists():
        return
    result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if result != ["ok"]:
        log.error("quick_check of %s failed: %s", path, result[:10])
        raise sqlite3.DatabaseError("database disk image is malformed")
    marker.unlink(missing_ok=True)


def set_aside(path: Path) -> Path:
    """Rename the database (and its WAL, which may hold the newest data) to a free name
    beside it; returns the new name of the database. Nothing is ever deleted."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.damaged-{stamp}")
    target, n = base, 1
    while any(Path(str(target) + s).exists() for s in ("", *_COMPANIONS)):
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    for suffix in ("", *_COMPANIONS):
        source = Path(str(path) + suffix)
        if source.exists():
            os.rename(source, Path(str(target) + suffix))
    check_marker(path).unlink(missing_ok=True)
    return target


@functools.cache
def _require_trigram() -> None:
    """Search needs FTS5's trigram tokenizer (SQLite 3.34, 2020); say so if missing."""
    if not sqlcipher.has_trigram():
        raise ChatStoreError(
            f"This copy of Cove was built with an SQLite ({sqlite3.sqlite_version}) that "
            "lacks full-text search. Please install Cove from its official download.",
            errors.UNSUPPORTED)
