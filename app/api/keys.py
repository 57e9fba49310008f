"""The API's bearer key: made on first use, kept in the OS keyring and nowhere else.

Programs that call Cove must send ``Authorization: Bearer KEY``: a web page in a
browser on this computer can reach 127.0.0.1 too, and the key keeps it out. The key is
never written to a settings file or a log. Without a usable keyring a key is made for
this run only (the caller says so): it works until Cove stops, and the next start makes
another, which is safer than a key in a file.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "Cove"
KEY_NAME = "local-api-key"
PREFIX = "cove-"


@dataclass(frozen=True)
class ApiKey:
    value: str
    kept: bool  # stored in the keyring (False: this run only)


def api_key() -> ApiKey:
    """The stored key, or a new one (stored when the keyring allows)."""
    try:
        stored = keyring.get_password(SERVICE, KEY_NAME)
    except (KeyringError, RuntimeError) as exc:
        log.warning("The OS keyring could not be read (%s); the API key is for this "
                    "run only.", type(exc).__name__)
        return ApiKey(_new(), kept=False)
    if stored:
        return ApiKey(stored, kept=True)
    return _store(_new())


def new_api_key() -> ApiKey:
    """Replace the key (programs using the old one must be given the new one)."""
    with contextlib.suppress(KeyringError, PasswordDeleteError, RuntimeError):
        keyring.delete_password(SERVICE, KEY_NAME)
    return _store(_new())


def _new() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _store(value: str) -> ApiKey:
    try:
        keyring.set_password(SERVICE, KEY_NAME, value)
    except (KeyringError, RuntimeError) as exc:
        log.warning("The OS keyring could not store the API key (%s); it is for this "
                    "run only.", type(exc).__name__)
        return ApiKey(value, kept=False)
    return ApiKey(value, kept=True)
