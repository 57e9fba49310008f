"""Settings › Other apps in the real window, as the user meets it (the scripted tiny
gpt-oss through the real worker, real HTTP on 127.0.0.1): "New key" refuses the old key
at once, the address field warns about anything but this computer and a wrong address
is a card, not a crash, and "Requests…" lists time, program and tokens — the content
only once the user ticked to log it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from PySide6.QtWidgets import QApplication

from app.api import keys
from app.api.request_log import default_path
from app.config import settings as settings_mod
from app.config.settings import Settings
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.api.test_window_control import _card_text, save_settings
from tests.ui.fixtures import engine_for, make_window, qapp, store, wait_until

__all__ = ["engine_for", "make_window", "qapp", "store"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
ZED = "Zed/0.150.0"


@pytest.fixture(autouse=True)
def no_request_log() -> Iterator[None]:
    default_path().unlink(missing_ok=True)
    yield
    default_path().unlink(missing_ok=True)


@pytest.fixture
def serving(qapp: QApplication, make_window: Any, engine_for: Any,
            scripted_gpt_oss_path: Path, free_tcp_port: int) -> Any:
    window = make_window(client=engine_for(scripted_gpt_oss_path),
                         settings=Settings(api_enabled=True, api_port=free_tcp_port))
    wait_until(qapp, lambda: window.model_info is not None, what="the model")
    assert window.api.running
    return window


def ask(window: Any, key: str, text: str = "Hi") -> httpx2.Response:
    return httpx2.post(window.api.service.base_url + "/chat/completions", timeout=120,
                       json={"messages": [{"role": "user", "content": text}],
                             "max_tokens": 3},
                       headers={"Authorization": f"Bearer {key}", "User-Agent": ZED})


def test_a_new_key_refuses_the_old_one_at_once(qapp: QApplication, serving: Any) -> None:
    old = serving.api.service.key.value
    assert ask(serving, old).status_code == 200
    seen: dict[str, Any] = {}

    def new_key(dialog: SettingsDialog) -> None:
        group = dialog.other_apps
        assert group.new_key.isEnabled()
        group.new_key.click()
        seen["new"] = group.key.text()
        seen["old refused"] = ask(serving, old).status_code  # before Save: at once
        seen["note"] = group.note.text()

    save_settings(qapp, serving, new_key)
    new = seen["new"]
    assert new.startswith("cove-") and new != old
    assert seen["old refused"] == 401 and "old one no longer works" in seen["note"]
    assert keys.api_key().value == new  # kept in the keyring
    assert ask(serving, old).status_code == 401
    assert ask(serving, new).status_code == 200


def test_the_address_warns_unless_it_is_this_computer(qapp: QApplication, serving: Any,
                                                      tmp_path: Path) -> None:
    def type_addresses(dialog: SettingsDialog) -> None:
        group = dialog.other_apps
        assert group.host.text() == "" and group.host.placeholderText() == "127.0.0.1"
        assert not group.host_warning.isVisibleTo(dialog)
        for address, warned in (("0.0.0.0", True), ("localhost", False),
                                ("192.168.1.20", True), ("127.0.0.1", False),
                                ("no such address!", True)):
            group.host.setText(address)
            assert group.host_warning.isVisibleTo(dialog) == warned, address
        assert "Other computers on your network" in group.host_warning.text()

    save_settings(qapp, serving, type_addresses)
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert saved["api_host"] == "no such address!"
    wait_until(qapp, lambda: serving.view.notices, what="the card")
    assert not serving.api.running
    text = _card_text(serving.view.notices[-1])
    assert "at the address no such address!" in text and "127.0.0.1 is this computer" in text

    def back_home(dialog: SettingsDialog) -> None:
        assert dialog.other_apps.host.text() == "no such address!"
        dialog.other_apps.host.clear()

    save_settings(qapp, serving, back_home)
    wait_until(qapp, lambda: serving.api.running, what="the server")
    assert serving.api.service.address.startswith("127.0.0.1:")
    assert settings_mod.load(tmp_path / "settings.json").api_host == "127.0.0.1"


def test_requests_show_time_app_and_tokens_content_only_when_asked(
        qapp: QApplication, serving: Any) -> None:
    key = serving.api.service.key.value
    assert ask(serving, key, "A private question").status_code == 200
    assert ask(serving, "wrong").status_code == 401
    tables: list[Any] = []

    def look_at_requests(dialog: SettingsDialog) -> None:
        shown = dialog.other_apps.show_requests()
        tables.append([[shown.table.item(r, c).text()
                        for c in range(shown.table.columnCount())]
                       for r in range(shown.table.rowCount())])
        shown.close()

    save_settings(qapp, serving, look_at_requests)
    [rows] = tables
    assert len(rows) == 2 and all(len(r) == 6 for r in rows)  # no text columns
    newest, older = rows
    assert newest[1:4] == ["Zed", "—", "wrong key"]
    assert older[1:6] == ["Zed", "scripted-gpt-oss", "answered", older[4], "3"]
    assert int(older[4]) > 0
    assert "A private question" not in default_path().read_text()

    def log_content(dialog: SettingsDialog) -> None:
        dialog.other_apps.log_content.setChecked(True)

    save_settings(qapp, serving, log_content)
    wait_until(qapp, lambda: serving.api.serving is not None
               and serving.api.serving.log_content, what="the server to log content")
    assert ask(serving, key, "Tell me about lighthouses").status_code == 200
    save_settings(qapp, serving, look_at_requests)
    rows = tables[-1]
    assert len(rows[0]) == 8 and rows[0][6] == "Tell me about lighthouses"
    assert rows[0][7] == ""  # the scripted model only reasons: no answer text
    assert rows[1][6] == ""  # what was asked before the tick was never logged
