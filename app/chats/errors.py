"""What can go wrong with the history, said for the person who will read it.

Every SQLite failure that leaves :mod:`app.chats` becomes a :class:`ChatStoreError`.
Its text is written for users (what happened, what is safe, what to do next) and can be
shown as it is; ``kind`` lets the Qt layer pick a translated text instead, because this
package does not import Qt and so cannot call ``tr``.
"""

from __future__ import annotations

from pathlib import Path

from app.config.sqlcipher import driver as sqlite3

# Kinds a caller may branch on.
DISK_FULL = "disk_full"
LOCKED = "locked"
CORRUPT = "corrupt"
NEWER_VERSION = "newer_version"
CANNOT_OPEN = "cannot_open"
READ_ONLY = "read_only"
IO = "io"
NOT_FOUND = "not_found"
CLOSED = "closed"
UNSUPPORTED = "unsupported"
BAD_IMPORT = "bad_import"
WRONG_KEY = "wrong_key"  # an encrypted history that the key at hand does not open
OTHER = "other"

# SQLite primary result codes (extended codes carry them in their low byte).
_CODES = {5: LOCKED, 6: LOCKED, 8: READ_ONLY, 10: IO, 11: CORRUPT, 13: DISK_FULL,
          14: CANNOT_OPEN, 23: CANNOT_OPEN, 26: CORRUPT}
# Python 3.10 has no ``sqlite_errorcode``: fall back on SQLite's own wording.
_WORDS = {"database or disk is full": DISK_FULL, "database is locked": LOCKED,
          "database table is locked": LOCKED, "file is not a database": CORRUPT,
          "malformed": CORRUPT, "readonly database": READ_ONLY, "disk i/o error": IO,
          "unable to open": CANNOT_OPEN}


class ChatStoreError(Exception):
    """A history operation failed; ``str(error)`` is the text to show the user."""

    def __init__(self, message: str, kind: str = OTHER) -> None:
        super().__init__(message)
        self.kind = kind


class NotFoundError(ChatStoreError, LookupError):
    """The conversation or message is gone (deleted, perhaps in another window)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, NOT_FOUND)


def kind_of(exc: sqlite3.Error) -> str:
    """Which of this module's kinds an sqlite3 exception is."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _CODES:
        return _CODES[code & 0xFF]
    text = str(exc).lower()
    for words, kind in _WORDS.items():
        if words in text:
            return kind
    return OTHER


def user_text(kind: str, path: Path | None = None) -> str:
    """The user-facing sentence for one kind of failure."""
    where = f" ({path})" if path is not None else ""
    texts = {
        DISK_FULL: "Cove could not save to its history because the disk is full. Everything "
                   "saved before is safe. Free some disk space, then try again.",
        LOCKED: "Cove's history is in use by another program, perhaps a second Cove window. "
                "Nothing was changed. Close the other program, then try again.",
        CORRUPT: f"Cove's history file{where} is damaged. Cove has kept the file and will "
                 "set it aside and start a new history the next time it starts.",
        READ_ONLY: f"Cove cannot write to its history file{where}: it is read-only. Nothing "
                   "was changed. Check the file's permissions, then try again.",
        IO: f"Cove could not read or write its history file{where} (a disk error). "
            "Everything saved before is kept. Check the disk, then try again.",
        CANNOT_OPEN: f"Cove cannot open its history file{where}. Check that the folder "
                     "exists and that you may write to it, then start Cove again.",
        CLOSED: "The history is closed; nothing more can be saved in this session.",
        WRONG_KEY: f"Cove cannot read its history{where} with the key it has: the history "
                   "is encrypted with another key. Cove has not changed the file. If you "
                   "use a passphrase, check it and start Cove again.",
    }
    return texts.get(kind, "Cove's history could not complete this change. Everything "
                           "saved before is safe. Try again; if it keeps failing, restart Cove.")


def wrap(exc: sqlite3.Error, path: Path | None = None) -> ChatStoreError:
    """An sqlite3 exception as the :class:`ChatStoreError` a user should see."""
    kind = kind_of(exc)
    return ChatStoreError(user_text(kind, path), kind)
