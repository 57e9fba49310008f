"""An in-memory keyring for tests: the OS keyring's behaviour without touching it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError

# The history's key (issue 17) is the test session's, in the keyring every process of
# the session shares (tests/conftest.py): a test's own keyring passes it through, so
# the history that other tests and their `cove` processes wrote stays readable.
HISTORY_KEY = ("Cove", "history-key")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stores passwords in a dict; deleting a missing one fails as the real ones do.
    ``shared``: the keyring the history's key stays in (see HISTORY_KEY)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, shared: keyring.backend.KeyringBackend | None = None) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.shared = shared

    def get_password(self, service: str, username: str) -> str | None:
        if (service, username) == HISTORY_KEY and self.shared is not None:
            return self.shared.get_password(service, username)
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if (service, username) == HISTORY_KEY and self.shared is not None:
            self.shared.set_password(service, username, password)
            return
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) == HISTORY_KEY and self.shared is not None:
            self.shared.delete_password(service, username)
            return
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring (the session's history key passes
    through to the previous one); the previous one is put back."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring(shared=previous)
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Cove's folders in the test's own place (COVE_HOME) and an empty keyring of the
    test's own, the history's key included: a test that makes, loses or replaces the
    key leaves the session's alone."""
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path / "home"
    keyring.set_keyring(previous)
