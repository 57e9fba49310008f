"""Screenshots of Settings › Other apps (an address typed that is not this computer's,
with its warning), its Requests view, and the sidebar with conversations from other
apps (saved to docs/screenshots/ when COVE_SCREENSHOTS is set, as
tests/ui/test_screenshots.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.api.request_log import Entry, RequestLog
from app.config.settings import Settings
from app.ui.dialogs.api_requests import ApiRequestsDialog
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.fixtures import settle
from tests.ui.test_screenshots import save


@pytest.mark.parametrize("lang", ["en", "de"])
def test_other_apps_settings(qapp: QApplication, make_window: Any, look: Any,
                             tmp_path: Path, lang: str) -> None:
    look("light", lang)
    window = make_window()
    dialog = SettingsDialog(Settings(api_enabled=True, api_keep_history=True), window)
    dialog.resize(640, 900)
    dialog.show()
    group = dialog.other_apps
    group.host.setText("192.168.1.20")
    settle(qapp, 0.2)
    assert group.host_warning.isVisible() and group.new_key.isVisible()
    save(group, f"other-apps-{lang}.png", tmp_path)
    dialog.close()
    dialog.deleteLater()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_other_apps_requests(qapp: QApplication, make_window: Any, look: Any,
                             tmp_path: Path, lang: str) -> None:
    look("light", lang)
    log = RequestLog(tmp_path / "api-requests.log")
    start = time.time() - 3600
    for n, (agent, status, prompt, out) in enumerate([
            ("Zed/0.150.0", 200, 412, 96), ("OpenAI/Python 1.54.0", 200, 88, 240),
            ("curl/8.5.0", 401, 0, 0), ("Zed/0.150.0", 200, 1630, 182),
            ("continue/1.0", 503, 0, 0), ("OpenAI/Python 1.54.0", 200, 95, 31)]):
        log.record(Entry(start + n * 420, f"127.0.0.1 {agent}", "chat",
                         "gpt-oss-20b" if status == 200 else "", status, prompt, out, 900.0))
    window = make_window()
    dialog = ApiRequestsDialog(window, log)
    dialog.show()
    settle(qapp, 0.2)
    assert dialog.table.rowCount() == 6
    save(dialog, f"other-apps-requests-{lang}.png", tmp_path)
    dialog.close()
    dialog.deleteLater()


def test_conversations_from_other_apps_in_the_sidebar(qapp: QApplication, make_window: Any,
                                                      look: Any, store: Any,
                                                      tmp_path: Path) -> None:
    look("light", "en")
    for title in ("Trip to Lisbon", "Sourdough starter"):
        conv = store.create_conversation(title)
        store.add_user_message(conv.id, title)
    for title, app in (("Explain this regex", "Zed"), ("Summarise the release notes",
                                                         "OpenAI/Python")):
        store.import_json({"format": "cove.conversation", "version": 1, "conversation": {
            "title": title, "from_app": app}, "messages": [
            {"id": 1, "role": "user", "content": title}]})
    window = make_window()
    window.resize(1100, 640)
    window.refresh_sidebar()
    settle(qapp, 0.3)
    rows = [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
    assert rows[2] == "From other apps"
    save(window, "from-other-apps.png", tmp_path)
