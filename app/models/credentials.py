"""The Hugging Face token, kept in the OS keyring and nowhere else.

A token opens gated and private repositories, so it never goes into a settings file, a
log line, an exception message or a download's sidecar file. When the keyring is
missing or locked, Cove simply downloads without a token (public models still work).
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "Cove"
HF_TOKEN_NAME = "huggingface-token"


def hf_token() -> str | None:
    """The stored token, or None (none stored, or no usable keyring)."""
    try:
        token = keyring.get_password(SERVICE, HF_TOKEN_NAME)
    except (KeyringError, RuntimeError) as exc:
        log.warning("The OS keyring could not be read (%s); downloading without a token.",
                    type(exc).__name__)
        return None
    return token or None


def set_hf_token(token: str) -> None:
    """Store the token; KeyringError (no usable keyring) is left to the caller to show."""
    token = token.strip()
    if not token:
        delete_hf_token()
        return
    keyring.set_password(SERVICE, HF_TOKEN_NAME, token)


def delete_hf_token() -> None:
    """Forget the token (nothing happens when none is stored)."""
    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(SERVICE, HF_TOKEN_NAME)
