"""A keyring in one JSON file, for tests: what the OS keyring does for a user (the key
outlives the process), without touching this machine's keyring.

The session fixture in tests/conftest.py installs it in the test process and names it
in ``PYTHON_KEYRING_BACKEND``, so every ``python -m app`` a test starts (``cove chat``,
the window killed and started again) finds the same history key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
from keyring.errors import PasswordDeleteError

ENV = "COVE_TEST_KEYRING"  # the file's path


class FileKeyring(keyring.backend.KeyringBackend):
    """Passwords in the JSON file named by ``COVE_TEST_KEYRING``."""

    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[ENV])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("no such password")
        self._save(data)
