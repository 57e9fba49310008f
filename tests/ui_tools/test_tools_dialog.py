"""The Tools window with real widgets on the offscreen platform and the real settings
and MCP servers files: switches saved on OK, servers added, trusted and removed at
once, web search refused without a search service."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.config import settings as settings_mod
from app.config.settings import Settings
from app.tools import mcp_servers
from app.ui.dialogs.tools_dialog import ToolsDialog


def dialog(tmp_path: Path, settings: Settings | None = None) -> ToolsDialog:
    return ToolsDialog(settings or Settings(), tmp_path / "settings.json",
                       tmp_path / "mcp.json")


def test_switches_are_off_and_saved_on_ok(qapp: QApplication, tmp_path: Path) -> None:
    d = dialog(tmp_path)
    try:
        assert not d.python.isChecked() and not d.web.isChecked()
        assert d.python_note.text()  # says how strong the sandbox is here
        d.python.setChecked(True)
        d.accept()
        assert settings_mod.load(tmp_path / "settings.json").tools_enabled == ["python"]
    finally:
        d.deleteLater()


def test_web_needs_a_search_service(qapp: QApplication, tmp_path: Path) -> None:
    d = dialog(tmp_path)
    try:
        d.web.setChecked(True)
        d.accept()
        assert "search service" in d.error.text()
        assert not (tmp_path / "settings.json").exists()
        d.search_url.setText("http://127.0.0.1:8888/search")
        d.accept()
        saved = settings_mod.load(tmp_path / "settings.json")
        assert saved.tools_enabled == ["web"]
        assert saved.web_search_url == "http://127.0.0.1:8888/search"
    finally:
        d.deleteLater()


def test_mcp_servers_are_added_trusted_and_removed(qapp: QApplication, tmp_path: Path) -> None:
    d = dialog(tmp_path)
    servers = tmp_path / "mcp.json"
    try:
        changes: list[bool] = []
        d.tools_changed.connect(lambda: changes.append(True))
        d.name.setText("files")
        d.target.setText(f"'{sys.executable}' server.py --root '/my docs'")
        d.add_button.click()
        [server] = mcp_servers.load(servers)
        assert server.command == [sys.executable, "server.py", "--root", "/my docs"]
        assert not server.trusted and d.servers.count() == 1
        d.name.setText("remote")
        d.target.setText("https://mcp.example.org/mcp")
        d.add_button.click()
        assert "leaves this computer" in d.servers.item(1).text()
        d.servers.setCurrentRow(0)
        d.trusted.setChecked(True)
        assert mcp_servers.load(servers)[0].trusted
        d.remove_button.click()
        assert [s.name for s in mcp_servers.load(servers)] == ["remote"]
        d.name.setText("")
        d.target.setText("x")
        d.add_button.click()
        assert "cannot be added" in d.error.text()
        assert len(changes) == 4
    finally:
        d.deleteLater()
