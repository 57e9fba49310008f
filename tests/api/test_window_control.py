"""Settings › Other apps in the real window (app.ui.services.api_control): the user ticks
the box in Settings and saves, another program gets an answer from the model the window
has loaded (gemma through the real worker) with the key shown there, the sidebar says
where Cove serves and counts the request; unticking it, closing the window, and a port
that another program holds (a card in the chat, no crash) are what the user meets."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.config import settings as settings_mod
from app.config.settings import Settings
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.fixtures import make_window, qapp, store, wait_until

__all__ = ["make_window", "qapp", "store"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]
HI = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 8}


def save_settings(qapp: QApplication, window: Any,
                  change: Callable[[SettingsDialog], None]) -> dict[str, str]:
    """Open Settings as the user does, change it, press Save; returns what the dialog
    showed (the API key field)."""
    shown: dict[str, str] = {}

    def edit() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        change(dialog)
        shown["key"] = dialog.other_apps.key.text()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, edit)
    window.open_settings()
    assert shown, "Settings did not open"
    return shown


def switch_on(port: int) -> Callable[[SettingsDialog], None]:
    def change(dialog: SettingsDialog) -> None:
        dialog.other_apps.enabled.setChecked(True)
        dialog.other_apps.port.setValue(port)
    return change


def ask(port: int, key: str) -> httpx2.Response:
    return httpx2.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=HI,
                       headers={"Authorization": f"Bearer {key}"}, timeout=120)


def test_switched_on_in_settings_another_program_gets_an_answer(
        qapp: QApplication, make_window: Any, gemma_engine: Any, free_tcp_port: int,
        tmp_path: Path) -> None:
    window = make_window(client=gemma_engine)
    wait_until(qapp, lambda: window.model_info is not None, what="the model")
    assert not window.api.running and window.api.status.isHidden()

    shown = save_settings(qapp, window, switch_on(free_tcp_port))
    wait_until(qapp, lambda: window.api.running, what="the server")
    key = shown["key"]
    assert key.startswith("cove-")
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert saved["api_enabled"] is True and saved["api_port"] == free_tcp_port
    assert key not in (tmp_path / "settings.json").read_text()  # the keyring keeps it
    assert settings_mod.load(tmp_path / "settings.json").api_enabled

    before = window.api.service.requests.today
    assert window.api.status.text() == \
        f"Serving on 127.0.0.1:{free_tcp_port} · requests today: {before}"
    assert ask(free_tcp_port, "wrong").status_code == 401
    reply = ask(free_tcp_port, key)
    assert reply.status_code == 200, reply.text
    assert reply.json()["choices"][0]["message"]["content"].strip()
    wait_until(qapp, lambda: window.api.status.text().endswith(
        f"requests today: {before + 2}"), what="the count")
    assert window.api.status.isVisibleTo(window)

    def switch_off(dialog: SettingsDialog) -> None:
        dialog.other_apps.enabled.setChecked(False)

    save_settings(qapp, window, switch_off)
    wait_until(qapp, lambda: not window.api.running, what="the server to stop")
    with pytest.raises(httpx2.ConnectError):
        ask(free_tcp_port, key)
    assert window.api.status.isHidden()
    # The window still answers its own chats with the same model.
    finished: list[object] = []
    window.generation_finished.connect(finished.append)
    window.settings.max_tokens = 8  # a short answer: gemma would go on for long
    window.send("Hi", "low")
    wait_until(qapp, lambda: finished, what="the window's own answer")


def test_the_key_is_copied_and_the_same_after_a_restart(
        qapp: QApplication, make_window: Any, gemma_engine: Any, free_tcp_port: int) -> None:
    window = make_window(client=gemma_engine)
    first = save_settings(qapp, window, switch_on(free_tcp_port))["key"]
    wait_until(qapp, lambda: window.api.running, what="the server")
    window.close()
    assert not window.api.running
    again = make_window(client=gemma_engine,
                        settings=Settings(api_enabled=True, api_port=free_tcp_port))
    assert again.api.running  # saved as on: the next start serves at once

    def copy(dialog: SettingsDialog) -> None:
        dialog.other_apps.copy.click()

    assert save_settings(qapp, again, copy)["key"] == first
    assert QGuiApplication.clipboard().text() == first
    assert ask(free_tcp_port, first).status_code == 200


def test_a_port_in_use_is_a_card_not_a_crash(
        qapp: QApplication, make_window: Any, gemma_engine: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = int(taken.getsockname()[1])
        window = make_window(client=gemma_engine,
                             settings=Settings(api_enabled=True, api_port=port))
        assert not window.api.running and window.api.status.isHidden()
        assert len(window.view.notices) == 1
        text = _card_text(window.view.notices[0])
        assert "Other apps cannot use Cove right now" in text
        assert f"Port {port}" in text and "Settings › Other apps" in text
        # Saving another port in Settings serves there.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            other = int(probe.getsockname()[1])
        save_settings(qapp, window, switch_on(other))
        wait_until(qapp, lambda: window.api.running, what="the server")
        assert f"127.0.0.1:{other}" in window.api.status.text()


def test_closing_the_window_stops_serving(
        qapp: QApplication, make_window: Any, gemma_engine: Any, free_tcp_port: int) -> None:
    window = make_window(client=gemma_engine,
                         settings=Settings(api_enabled=True, api_port=free_tcp_port))
    assert window.api.running
    key = window.api.service.key.value
    assert ask(free_tcp_port, key).status_code == 200
    window.close()
    assert not window.api.running
    with pytest.raises(httpx2.ConnectError):
        ask(free_tcp_port, key)


def test_older_settings_files_load_with_the_api_off(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", "n_ctx": 4096}))
    old = settings_mod.load(path)
    assert (old.api_enabled, old.api_port, old.api_allow_switch) == (False, 8717, False)
    path.write_text(json.dumps({"api_enabled": True, "api_port": 70000,
                                "api_allow_switch": "yes"}))
    odd = settings_mod.load(path)
    assert (odd.api_enabled, odd.api_port, odd.api_allow_switch) == (True, 8717, False)


def _card_text(card: Any) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in card.findChildren(QLabel))
