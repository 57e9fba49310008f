"""The key of the history and documents databases, kept in the OS keyring.

A random 256-bit key is made on the first start and stored in the OS keyring (the macOS
Keychain, Windows Credential Manager, the Secret Service of GNOME Keyring or KWallet)
under service "Cove", name ``history-key``; the user never types it, and the files
open only for someone logged in as them. Nothing else holds the key: not the settings,
not a log line, not an exception (``Key``'s repr hides it).

Where there is no usable keyring (a Linux without a Secret Service, a locked keyring,
a keyring that fails), the caller asks the user once (``app.config.at_rest``): a
passphrase (SQLCipher derives the key from it) or staying unencrypted. That choice is
remembered in ``protection.json`` in the config folder, so Cove does not explain the
missing keyring at every start; with a passphrase it only asks for the passphrase.
A key kept in the keyring is written down there too (mode ``keyring``): when that
keyring is locked later, the history it encrypted can only wait for it to be unlocked
(a passphrase could never open it), so Cove asks just that.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from pathlib import Path
from secrets import token_bytes
from types import ModuleType
from typing import Any

from app.config import paths
from app.config.files import write_atomically
from app.config.sqlcipher import Key

log = logging.getLogger(__name__)

SERVICE = "Cove"
KEY_NAME = "history-key"
PROTECTION_FILE = "protection.json"

# How the history is protected (remembered in PROTECTION_FILE).
KEYRING, PASSPHRASE, PLAIN = "keyring", "passphrase", "plain"
MODES = (KEYRING, PASSPHRASE, PLAIN)


class KeyringUnavailable(Exception):
    """The OS keyring cannot keep or give the key; ``str()`` says why, for the user."""


def _keyring() -> ModuleType:
    """The ``keyring`` package, imported on first use (40-80 ms: its backends and their
    helpers): only where the key is needed, not by every module that imports this."""
    import keyring

    return keyring


def keyring_label() -> str:
    """The keyring's own name, a proper noun the windows show in any language."""
    try:
        backend = type(_keyring().get_keyring())
    except Exception:  # a keyring backend that cannot even load
        return "OS keyring"
    module = backend.__module__
    if "macOS" in module or (sys.platform == "darwin" and "OS_X" in module):
        return "macOS Keychain"
    if "Windows" in module:
        return "Windows Credential Manager"
    if "SecretService" in module or "libsecret" in module:
        return "Secret Service (GNOME Keyring, KWallet)"
    if "kwallet" in module.lower():
        return "KWallet"
    return str(getattr(backend, "name", "") or backend.__name__)


def keyring_name() -> str:
    """The keyring's name in an English sentence (messages, logs, the command line)."""
    label = keyring_label()
    return label if label.startswith("Windows") or label == "KWallet" else f"the {label}"


def stored_key() -> Key | None:
    """The key in the keyring, or None when none was stored yet."""
    try:
        value = _keyring().get_password(SERVICE, KEY_NAME)
    except Exception as exc:  # any backend's failure, a broken one included
        raise _unavailable(exc) from exc
    if not value:
        return None
    try:
        raw = bytes.fromhex(value)
        return Key(raw=raw, where=keyring_name())
    except ValueError as exc:
        raise KeyringUnavailable(
            f"The key Cove keeps in {keyring_name()} is not one Cove wrote "
            "(it was changed outside Cove).") from exc


def create_key() -> Key:
    """A new random key, stored in the keyring and read back (a keyring that accepts a
    password and loses it would lose the history with it)."""
    key = Key.random(where=keyring_name())
    assert key.raw is not None
    try:
        _keyring().set_password(SERVICE, KEY_NAME, key.raw.hex())
    except Exception as exc:  # any backend's failure, a broken one included
        raise _unavailable(exc) from exc
    if stored_key() != key:
        raise KeyringUnavailable(f"{keyring_name()} did not keep the key Cove stored.")
    log.info("a new history key was stored in %s", keyring_name())
    return key


def forget_key() -> None:
    """Delete the key from the keyring (nothing happens when none is stored). The
    files it opened can never be read again."""
    from keyring.errors import PasswordDeleteError

    try:
        with contextlib.suppress(PasswordDeleteError):
            _keyring().delete_password(SERVICE, KEY_NAME)
    except Exception as exc:  # any backend's failure, a broken one included
        raise _unavailable(exc) from exc


def _unavailable(exc: BaseException) -> KeyringUnavailable:
    log.warning("the OS keyring failed (%s)", type(exc).__name__)
    if type(exc).__name__ == "NoKeyringError":  # keyring's "fail" backend: none found
        return KeyringUnavailable(
            "This computer has no keyring Cove can use (on Linux: no Secret Service, "
            "such as GNOME Keyring or KWallet, is running).")
    return KeyringUnavailable(
        f"Cove could not use {keyring_name()} ({type(exc).__name__}: {exc}).")


def protection_path() -> Path:
    return paths.config_dir() / PROTECTION_FILE


def _saved() -> dict[str, Any]:
    try:
        saved = json.loads(protection_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def mode() -> str:
    """How the history is protected: KEYRING (the default), PASSPHRASE or PLAIN."""
    saved = _saved().get("mode")
    return saved if saved in MODES else KEYRING


def remember_keyring() -> None:
    """Write down that the history's key is the keyring's (once): a history encrypted
    with it is then told apart from a new install, or from a passphrase's, for good.
    Only a record: a config folder that cannot be written (a full disk) does not stop
    the start, KEYRING being the default anyway."""
    if _saved().get("mode") != KEYRING:
        try:
            set_mode(KEYRING)
        except OSError as exc:
            log.warning("could not write down the keyring mode (%s)", type(exc).__name__)


def set_mode(value: str) -> None:
    """Remember the user's choice (an explicit one: Cove never picks PLAIN itself)."""
    if value not in MODES:
        raise ValueError(value)
    write_atomically(protection_path(), json.dumps({**_saved(), "mode": value}) + "\n")


def files_salt() -> bytes:
    """The random salt with which a passphrase becomes the key of the files sealed
    beside the history (``app.config.at_rest.file_key``); made and kept in
    ``protection.json`` the first time. It is not secret."""
    saved = _saved()
    try:
        salt = bytes.fromhex(str(saved.get("files_salt", "")))
    except ValueError:
        salt = b""
    if len(salt) != 16:
        salt = token_bytes(16)
        write_atomically(protection_path(),
                         json.dumps({**saved, "files_salt": salt.hex()}) + "\n")
    return salt
