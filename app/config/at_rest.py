"""Getting the data folder's databases ready to open encrypted: the key, the questions
when there is no keyring, and the migration of plain files from older versions.

:func:`prepare` is called once at start (``ChatStore.default``, which the window and
``cove chat`` use) and returns the key both databases open with, or None when the
user chose to stay unencrypted. It never falls back to plain files on its own: when
the keyring fails it asks (``ask``), and without anyone to ask it raises
:class:`ProtectionError` with a text for the user.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.config import encrypt, secrets, sqlcipher
from app.config.sealed import FileKey
from app.config.sqlcipher import Key

log = logging.getLogger(__name__)

# The files under the same key: the history and the documents beside it.
HISTORY_FILES = ("cove.db", "documents.db")
PASSPHRASE_TRIES = 5

# What a question is about (Question.kind).
NO_KEYRING = "no_keyring"  # once: explain, offer a passphrase or staying unencrypted
ENTER_PASSPHRASE = "enter_passphrase"  # a passphrase was chosen before
WRONG_PASSPHRASE = "wrong_passphrase"
# The history is encrypted with the keyring's own key, and the keyring cannot be used
# now (locked, its service not running): only "unlock it and try again" or quit. A
# passphrase could never open these files, and staying unencrypted would lose them.
KEYRING_LOCKED = "keyring_locked"


@dataclass(frozen=True)
class Question:
    """What the front end asks the user; ``detail`` is why (the keyring's error);
    ``new``: no encrypted file exists yet (ask for the passphrase twice)."""

    kind: str
    detail: str = ""
    new: bool = False


@dataclass(frozen=True)
class Answer:
    """The user's answer: a passphrase, ``plain`` (stay unencrypted) or ``retry``
    (read the keyring again, the user having unlocked it)."""

    passphrase: str | None = field(default=None, repr=False)
    plain: bool = False
    retry: bool = False


Ask = Callable[[Question], "Answer | None"]  # None: the user quit


class ProtectionError(Exception):
    """The history cannot be opened; ``str()`` says why and what to do, for the user."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Ready:
    """The key (None: unencrypted, the user's choice) and notices for the user."""

    key: Key | None
    notices: list[str] = field(default_factory=list)


SetAside = Callable[[Path], Path]


@dataclass(frozen=True)
class Protection:
    """How the history in a folder is kept, for Settings › Where your data lives:
    ``encrypted`` (the files on disk are), ``mode`` (``secrets.KEYRING``,
    ``PASSPHRASE`` or ``PLAIN``: where the key comes from) and the keyring's name."""

    encrypted: bool
    mode: str
    keyring: str = ""


def protection(folder: Path) -> Protection:
    """What the files in ``folder`` and the remembered choice say (no key is read)."""
    encrypted = any(sqlcipher.is_plain(folder / name) is False for name in HISTORY_FILES)
    mode = secrets.mode()
    return Protection(encrypted, mode, secrets.keyring_name() if mode == secrets.KEYRING
                      else "")


def prepare(folder: Path, ask: Ask | None, set_aside: SetAside) -> Ready:
    """The key for the databases in ``folder``, their plain files encrypted with it.
    ``set_aside`` moves a damaged file aside (the history's own rule for damage)."""
    files = [folder / name for name in HISTORY_FILES]
    encrypted = any(sqlcipher.is_plain(f) is False for f in files)
    key = _key(files, encrypted, ask)
    ready = Ready(key)
    remember(key)
    if key is None:
        return ready
    for path in files:
        encrypt.finish_leftovers(path)
        if sqlcipher.is_plain(path):
            _migrate(path, key, set_aside, ready)
    return ready


def _key(files: list[Path], encrypted: bool, ask: Ask | None) -> Key | None:
    mode = secrets.mode()
    if mode == secrets.PLAIN:
        if encrypted:
            raise ProtectionError(
                "Your history is encrypted, but Cove was set to keep it unencrypted. "
                "Cove has not changed anything.", "wrong_key")
        return None
    if mode == secrets.PASSPHRASE:
        return _passphrase(files, encrypted, ask, Question(ENTER_PASSPHRASE, new=not encrypted))
    try:
        key = secrets.stored_key()
    except secrets.KeyringUnavailable as exc:
        log.warning("no usable keyring for the history key")
        if encrypted:  # mode KEYRING: these files were encrypted with the keyring's key
            return _keyring_locked(ask, str(exc))
        return _no_keyring(files, encrypted, ask, str(exc))
    if key is None and encrypted:
        raise _missing_key()
    if key is None:
        key = _created(files, ask)
        if key is None or key.raw is None:
            return key
    secrets.remember_keyring()
    return key


def _created(files: list[Path], ask: Ask | None) -> Key | None:
    try:
        return secrets.create_key()
    except secrets.KeyringUnavailable as exc:
        log.warning("no usable keyring for the history key")
        return _no_keyring(files, False, ask, str(exc))


def _missing_key() -> ProtectionError:
    return ProtectionError(
        f"The key to your encrypted history is missing from "
        f"{secrets.keyring_name()}. Cove has not changed your files. If you "
        "restored this folder from another computer or user account, start "
        "Cove there, or use Settings › Forget everything to start anew.",
        "missing_key")


def _keyring_locked(ask: Ask | None, detail: str) -> Key:
    """The keyring's key, read again each time the user says they unlocked it."""
    while True:
        if ask is None:
            raise ProtectionError(
                f"{detail} The key to your encrypted history is kept there: unlock the "
                "keyring, then start Cove again. Nothing was changed.", "keyring_locked")
        answer = ask(Question(KEYRING_LOCKED, detail))
        if answer is None or not answer.retry:
            raise ProtectionError("Cove was closed before the history was opened. "
                                  "Nothing was changed.", "cancelled")
        try:
            key = secrets.stored_key()
        except secrets.KeyringUnavailable as exc:
            detail = str(exc)
            continue
        if key is None:
            raise _missing_key()
        return key


def _no_keyring(files: list[Path], encrypted: bool, ask: Ask | None,
                detail: str) -> Key | None:
    if ask is None:
        raise ProtectionError(
            f"{detail} Cove keeps the key to your history there. Unlock the keyring "
            "(or install one), or start Cove's window (or cove chat in a terminal) once "
            "to choose a passphrase instead. Nothing was changed.", "no_keyring")
    answer = ask(Question(NO_KEYRING, detail, new=not encrypted))
    if answer is None:
        raise ProtectionError("Cove was closed before the history was opened. Nothing "
                              "was changed.", "cancelled")
    if answer.plain:
        if encrypted:
            raise ProtectionError(
                "Your history is already encrypted; it cannot be opened without its "
                "key. Nothing was changed.", "wrong_key")
        secrets.set_mode(secrets.PLAIN)
        log.warning("the user chose to keep the history unencrypted")
        return None
    key = _passphrase(files, encrypted, ask, None, answer)
    secrets.set_mode(secrets.PASSPHRASE)
    return key


def _passphrase(files: list[Path], encrypted: bool, ask: Ask | None,
                question: Question | None, answer: Answer | None = None) -> Key:
    """The passphrase's key, tried on the encrypted files (asked again when wrong)."""
    for _ in range(PASSPHRASE_TRIES):
        if answer is None:
            if ask is None or question is None:
                raise ProtectionError(
                    "Your history is protected by a passphrase; start Cove's window (or "
                    "cove chat in a terminal) to enter it.", "no_keyring")
            answer = ask(question)
            if answer is None or answer.plain or not answer.passphrase:
                raise ProtectionError("Cove was closed before the history was opened. "
                                      "Nothing was changed.", "cancelled")
        assert answer.passphrase is not None
        key = Key(passphrase=answer.passphrase, where="your passphrase")
        if not encrypted or _fits(files, key):
            return key
        answer, question = None, Question(WRONG_PASSPHRASE)
    raise ProtectionError("The passphrase was wrong too many times. Nothing was changed.",
                          "wrong_key")


def _fits(files: list[Path], key: Key) -> bool:
    for path in files:
        if sqlcipher.is_plain(path) is not False:
            continue
        try:
            sqlcipher.connect(path, key).close()
        except sqlcipher.WrongKeyError:
            return False
    return True


def _migrate(path: Path, key: Key, set_aside: SetAside, ready: Ready) -> None:
    try:
        encrypt.encrypt_in_place(path, key)
    except encrypt.DamagedError as exc:
        log.error("%s is damaged (%s); setting it aside unencrypted", path.name, exc)
        aside = set_aside(path)
        ready.notices.append(
            f"Cove's file \"{path.name}\" was damaged and could not be encrypted. Cove "
            f"kept it, unencrypted, as \"{aside.name}\" in {aside.parent} and started "
            "anew with an encrypted one.")
    except encrypt.NoRoomError as exc:
        raise ProtectionError(
            f"There is not enough free disk space to encrypt your history (about "
            f"{exc.needed // (1 << 20) + 1} MB are needed beside {path.parent}). "
            "Nothing was changed and nothing was lost. Free some space, then start Cove "
            "again.", "disk_full") from exc


# -- keys for the files beside the databases ---------------------------------------------
_opened: Key | None = None  # the key the history was opened with in this process
_master: bytes | None = None  # derived from it once (a passphrase costs a KDF)
_lock = threading.Lock()
PASSPHRASE_ROUNDS = 256_000  # PBKDF2-HMAC-SHA512, as SQLCipher derives its own key


def remember(key: Key | None) -> None:
    """The history of this process was opened with ``key`` (:func:`prepare` calls it;
    None: unencrypted, or forgotten)."""
    global _opened, _master
    with _lock:
        _opened, _master = key, None


def history_key() -> Key | None:
    """The key the history was opened with in this process, or None (unencrypted, not
    opened yet, or forgotten)."""
    return _opened


def file_key(purpose: str) -> FileKey | None:
    """The key that seals files of ``purpose`` (``"python"``, ``"kv-states"`` …) with
    ``app.config.sealed``, derived from the history's key: None when the history is
    unencrypted (the user's choice; such files stay plain too) or not opened.

    A raw keyring key is used as it is; a passphrase goes through PBKDF2-HMAC-SHA512
    (as many rounds as SQLCipher's) with a random salt kept beside the choice in
    ``protection.json``, once per process. Each purpose gets its own key (HMAC-SHA256
    of the master and the purpose's name), so one kind of file never opens another."""
    global _master
    with _lock:
        key = _opened
        if key is None:
            return None
        if _master is None:
            if key.raw is not None:
                _master = key.raw
            else:
                assert key.passphrase is not None
                _master = hashlib.pbkdf2_hmac("sha512", key.passphrase.encode("utf-8"),
                                              secrets.files_salt(), PASSPHRASE_ROUNDS, 32)
        master = _master
    return FileKey(hmac.new(master, b"cove file key/" + purpose.encode("utf-8"),
                            hashlib.sha256).digest(), purpose)
