"""The minimal window on Qt's offscreen platform, talking to the real worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.ui.app import MainWindow


@pytest.fixture(scope="module")
def qapp() -> QApplication:
    app = QApplication.instance() or QApplication(["cove-test"])
    assert isinstance(app, QApplication)
    return app


def wait_until(app: QApplication, condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        app.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_window_loads_a_model_and_streams_an_answer(
    qapp: QApplication, gemma_path: Path, tmp_path: Path
) -> None:
    window = MainWindow()
    window.show()
    try:
        assert not window.send_button.isEnabled()
        window.load_model(str(gemma_path))
        wait_until(qapp, lambda: window.send_button.isEnabled())
        assert "runs on CPU" in window.model_label.text()
        window.sampling = {"temp": 0.0}
        window.input.setPlainText("What is the capital of France?")
        window.send_button.click()
        assert window.stop_button.isEnabled()
        wait_until(qapp, lambda: not window.stop_button.isEnabled())
        text = window.view.toPlainText()
        assert "What is the capital of France?" in text
        assert "Paris" in text
        assert window.history[-1]["role"] == "assistant"
        shots = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
        if os.environ.get("COVE_SCREENSHOTS"):
            window.grab().save(str(shots / "minimal-window.png"))
    finally:
        window.close()


def test_window_shows_load_errors(qapp: QApplication, tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00")
    window = MainWindow()
    try:
        window.load_model(str(bad))
        wait_until(qapp, lambda: window.open_button.isEnabled())
        assert "ends inside its header" in window.view.toPlainText()
        assert window.model_label.text() == "No model loaded."
    finally:
        window.close()
