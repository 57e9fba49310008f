"""The one way Cove opens its SQLite files: SQLCipher, with or without a key.

Both databases (the history, ``app.chats.database``, and the documents,
``app.documents.db``) connect here, so they are keyed the same way by one key
(``app.config.secrets``). Without a key SQLCipher is plain SQLite (same file format),
so tests and throwaway files keep working unencrypted; with one, every page of the
file, of its write-ahead log and of any temporary file is encrypted (AES-256, an
HMAC per page), and the ``-shm`` index holds no page contents.

The driver is the ``sqlcipher3`` package (a fork of the standard library's
``sqlite3`` module with SQLCipher 4 compiled in and OpenSSL's crypto linked
statically). Its wheels (0.6.4: SQLCipher 4.19, SQLite 3.53) exist for manylinux x86_64
and aarch64, macOS x86_64 (10.9+) and arm64 (11+) and Windows x64, so the installers
bundle the wheel's one extension module (``sqlcipher3/_sqlite3*``) and need no system
library (docs/FACTS.md). Its API is the standard module's, so ``driver`` is typed as
``sqlite3`` for mypy; its exceptions are its own classes, which is why every module
that opens or catches use ``driver`` instead of importing ``sqlite3``.

The cipher settings are set explicitly (``cipher_compatibility = 4``: page size 4096,
PBKDF2-HMAC-SHA512 with 256,000 iterations for a passphrase, HMAC-SHA512 per page), so
a later SQLCipher with other defaults still opens today's files. A raw 256-bit key
(``x'…'``) skips the key derivation: opening costs nothing extra.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3 as driver
else:
    from sqlcipher3 import dbapi2 as driver

__all__ = ["CIPHER_COMPATIBILITY", "Key", "WrongKeyError", "connect", "driver",
           "is_plain", "key_connection"]

CIPHER_COMPATIBILITY = 4
PLAIN_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Key:
    """A database key: 32 random bytes from the keyring, or a passphrase the user typed
    (then SQLCipher derives the key with its KDF and the salt in the file's header).
    Its repr never shows the secret (keys end up in tracebacks and logs)."""

    raw: bytes | None = field(default=None, repr=False)
    passphrase: str | None = field(default=None, repr=False)
    where: str = ""  # said to the user: "the GNOME keyring", "your passphrase"

    @classmethod
    def random(cls, where: str = "") -> Key:
        return cls(raw=secrets.token_bytes(32), where=where)

    def __post_init__(self) -> None:
        if (self.raw is None) == (self.passphrase is None):
            raise ValueError("a key is either raw bytes or a passphrase")
        if self.raw is not None and len(self.raw) != 32:
            raise ValueError("a raw key has 32 bytes")
        if self.passphrase is not None and not self.passphrase:
            raise ValueError("an empty passphrase is no key")

    def sql(self) -> str:
        """The key as the literal ``PRAGMA key`` takes (it cannot be a bound parameter)."""
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        assert self.passphrase is not None
        return "'" + self.passphrase.replace("'", "''") + "'"


class WrongKeyError(Exception):
    """The file is not readable with this key (another key, or not a database at all)."""


def connect(path: Path | str, key: Key | None, timeout: float = 5.0) -> driver.Connection:
    """A connection to ``path`` (created if missing): keyed when ``key`` is given, the
    key checked by reading the schema (``WrongKeyError`` if it does not fit), temp files
    kept in memory, autocommit (callers run their own BEGIN … COMMIT), shareable
    between threads behind the caller's lock."""
    conn = driver.connect(str(path), timeout=timeout, isolation_level=None,
                          check_same_thread=False)
    try:
        if key is not None:
            key_connection(conn, key)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def key_connection(conn: driver.Connection, key: Key) -> None:
    """Key a fresh connection (before anything reads) and prove the key fits. SQLCipher's
    own log (a wrong key is an "hmac check failed" line on stderr, before Cove's message)
    is off: Cove says what happened in words."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {key.sql()}")
    conn.execute(f"PRAGMA cipher_compatibility = {CIPHER_COMPATIBILITY}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            raise WrongKeyError(str(exc)) from exc
        raise


def is_plain(path: Path) -> bool | None:
    """True for a plain SQLite file, False for anything else (an encrypted file starts
    with its random salt), None when there is no file (or an empty one)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(PLAIN_MAGIC))
    except FileNotFoundError:
        return None
    if not header:
        return None
    return header == PLAIN_MAGIC


def has_trigram() -> bool:
    """Whether this SQLite has FTS5's trigram tokenizer (search needs it)."""
    probe = driver.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except driver.Error:
        return False
    finally:
        probe.close()
