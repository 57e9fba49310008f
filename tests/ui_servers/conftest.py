"""Fixtures for the Servers dialog and the window on a remote server: the window tests'
QApplication, history and Qt-warning guard, and the remote tests' real
``llama_cpp.server`` processes on 127.0.0.1 and in-memory keyring (autouse: no test
here touches the OS keyring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.servers import ServerStore
from tests.remote.conftest import memory_keyring, oss_server, plain_server, tiny_plain_path
from tests.ui.fixtures import make_window, qapp, qt_warnings_fail, store

__all__ = ["make_window", "memory_keyring", "oss_server", "plain_server", "qapp",
           "qt_warnings_fail", "store", "tiny_plain_path"]


@pytest.fixture
def servers(tmp_path: Path) -> ServerStore:
    """An empty list of servers in the test's own folder."""
    return ServerStore(tmp_path / "servers.json")
