"""A file keyring (tests/support/file_keyring.py) that can be locked: while the file
``<keyring>.locked`` exists every call fails with ``KeyringLocked``, as a Secret
Service does whose collection the user has not unlocked. Removing the file is the
user unlocking it. ``PYTHON_KEYRING_BACKEND`` can name it for a ``cove`` subprocess."""

from __future__ import annotations

from pathlib import Path

from keyring.errors import KeyringLocked

from tests.support.file_keyring import FileKeyring

NAME = "tests.encryption.lockable_keyring.LockableKeyring"


class LockableKeyring(FileKeyring):
    @property
    def lock(self) -> Path:
        return self.path.with_name(self.path.name + ".locked")

    def _check(self) -> None:
        if self.lock.exists():
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        super().delete_password(service, username)
