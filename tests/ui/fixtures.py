"""Fixtures for the window's tests: one QApplication on the offscreen platform, a real
history on a temporary SQLite file, windows that are always closed, and a Qt warning
that fails the test (as qutebrowser's ``qt_log_level_fail``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.ui.app import make_app
from app.ui.language import i18n
from app.ui.services.bridge import EngineBridge
from app.ui.widgets import theme
from tests.ui.scripted import ScriptedClient

# Messages of the offscreen platform itself, not of Cove.
_HARMLESS = ("propagateSizeHints", "does not support raise()", "QFont::setPointSizeF",
             "has active key-value", "Populating font family aliases")


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    app = make_app(["cove-test"])
    i18n.install(app, "en")
    theme.apply(app, "light")
    return app


@pytest.fixture(autouse=True)
def qt_warnings_fail() -> Iterator[list[str]]:
    seen: list[str] = []

    def handler(kind: QtMsgType, _context: Any, text: str) -> None:
        if kind != QtMsgType.QtDebugMsg and not any(h in text for h in _HARMLESS):
            seen.append(text)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    assert seen == [], f"Qt warned: {seen}"


HANG_S = 60.0  # the least any wait allows before it calls the test hung


def wait_until(app: QApplication, condition: Callable[[], Any], timeout: float = 60.0,
               what: str = "condition") -> None:
    """Process events until ``condition`` holds. ``timeout`` only catches a hang and
    is never below :data:`HANG_S`: the machine is shared and busy, and what a test
    waits for is an event, not a time."""
    deadline = time.monotonic() + max(timeout, HANG_S)
    while not condition():
        app.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def settle(app: QApplication, seconds: float = 0.05) -> None:
    """Process events for a while. Only for letting layout and posted events run, or
    for checking that something does NOT happen; never to wait for a timer (a busy
    machine may end the loop before the timer fires): use :func:`wait_until`."""
    end = time.monotonic() + seconds
    app.processEvents()  # at least once, however late this thread gets the CPU
    while time.monotonic() < end:
        time.sleep(0.005)
        app.processEvents()


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The test runs with the German translation installed (English again after)."""
    assert i18n.install(qapp, "de") == "de"
    try:
        yield
    finally:
        i18n.install(qapp, "en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChatStore]:
    s = ChatStore(tmp_path / "cove.db")
    yield s
    s.close()


@pytest.fixture
def make_window(qapp: QApplication, store: ChatStore,
                tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build a MainWindow on the test's history; each is closed at the end."""
    from app.ui.window import MainWindow

    windows: list[MainWindow] = []

    def make(client: Any = None, settings: Settings | None = None, show: bool = True,
             history: ChatStore | None = None) -> MainWindow:
        """``history``: another store than the test's (a second file, a reopened one)."""
        bridge = EngineBridge(client=client) if client is not None else None
        window = MainWindow(history or store, settings or Settings(), bridge=bridge,
                            settings_file=tmp_path / "settings.json")
        window.topbar.library_models = []
        if show:
            window.resize(1200, 800)
            window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.deleteLater()
    qapp.processEvents()


@pytest.fixture
def scripted() -> Callable[..., ScriptedClient]:
    return ScriptedClient


@pytest.fixture
def engine_for(tmp_path: Path) -> Iterator[Any]:
    """A factory: a real worker with the given model loaded (closed after the test)."""
    from app.engine.client import EngineClient

    clients: list[EngineClient] = []

    def make(model: Path) -> EngineClient:
        client = EngineClient(log_path=tmp_path / f"worker-{len(clients)}.log")
        clients.append(client)
        client.load(model, n_ctx=4096, seed=1)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def look(qapp: QApplication) -> Iterator[Callable[[str, str], None]]:
    def apply(theme_name: str, lang: str) -> None:
        theme.apply(qapp, theme_name)
        i18n.install(qapp, lang)

    yield apply
    theme.apply(qapp, "light")
    i18n.install(qapp, "en")
