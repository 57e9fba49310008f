"""Fixtures for the "This computer" page: one QApplication on the offscreen platform
(shared with tests/ui when both run), a Qt warning that fails the test, and pages whose
background threads are always joined."""

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

from app.engine.client import EngineClient
from app.ui.computer import ComputerPage

MakePage = Callable[..., ComputerPage]

_HARMLESS = ("propagateSizeHints", "QFont::setPointSizeF", "has active key-value",
             "Populating font family aliases")


@pytest.fixture(scope="session")
def qapp() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(["cove-test"])
    assert isinstance(app, QApplication)
    from app.ui import theme

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


def wait_until(app: QApplication, condition: Callable[[], Any], timeout: float = 60.0,
               what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        app.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


@pytest.fixture
def make_page(qapp: QApplication, tmp_path: Path) -> Iterator[MakePage]:
    """Pages with their own files in tmp_path; threads joined and widgets closed at the
    end (a leaked thread or window fails the next test, not this one)."""
    pages: list[ComputerPage] = []

    def make(**options: Any) -> ComputerPage:
        options.setdefault("speed_tests_file", tmp_path / "speedtests.json")
        options.setdefault("engine_report_file", tmp_path / "engine.json")
        page = ComputerPage(**options)
        page.resize(780, 1000)
        pages.append(page)
        return page

    yield make
    for page in pages:
        assert page.wait(30), "a background thread of the page is still running"
        qapp.processEvents()
        page.close()
        page.deleteLater()
    qapp.processEvents()


@pytest.fixture(scope="module")
def gemma_client(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[EngineClient]:
    """The real worker with gemma loaded. One thread: on the two shared cores of the test
    machine, two llama.cpp threads spin against other jobs and a test takes a minute."""
    client = EngineClient(log_path=tmp_path_factory.mktemp("logs") / "worker.log")
    client.load(gemma_path, n_ctx=2048, n_threads=1, seed=1)
    yield client
    client.close()
