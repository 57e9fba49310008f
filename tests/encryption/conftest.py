"""The encryption tests' shared fixtures: the release folder (shared with
tests/migration) and a data folder of its own with an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.migration.test_release_folder import folder
from tests.support.memory_keyring import MemoryKeyring

__all__ = ["folder", "home"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``COVE_HOME`` in the test's own folder, the history key in a fresh keyring."""
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path / "home"
    keyring.set_keyring(previous)
