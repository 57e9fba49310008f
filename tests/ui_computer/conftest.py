"""Fixtures for the "This computer" page: one QApplication on the offscreen platform
(shared with tests/ui when both run), a Qt warning that fails the test, and pages whose
background threads are always joined."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.engine.client import EngineClient
from app.ui.dialogs.computer import ComputerPage
from tests.ui.fixtures import qapp, qt_warnings_fail, wait_until

__all__ = ["qapp", "qt_warnings_fail", "wait_until"]  # the Qt fixtures, shared

MakePage = Callable[..., ComputerPage]



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
