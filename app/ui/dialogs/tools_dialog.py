"""The "Tools" window: what the model may use, switched on and off by the user.

- Python: runs code the model writes, in a sandbox on this computer; the line below
  says how strong the sandbox is here (bubblewrap, namespaces or only an audit hook).
- Web search: leaves this computer; needs a search service the user chose.
- MCP servers: add (a command to start, or an address), remove, trust (run without
  asking). The list is saved at once (app.tools.mcp_servers); the switches are saved
  to the settings on OK. A server that could not start in an open chat says why.
- Tool calls per answer: the tool loop's cap (1-32, default 8), saved on OK.

The domain does the work (app.tools.registry, mcp_servers); this only shows and edits.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.config import settings as settings_mod
from app.config.settings import Settings
from app.tools import mcp_servers, python, registry
from app.tools.mcp_servers import McpServer, ServerError


class ToolsDialog(QDialog):
    """Signals:
        tools_changed(): the switches or the MCP servers changed.
    """

    tools_changed = Signal()

    def __init__(self, settings: Settings, settings_path: Path | None = None,
                 servers_path: Path | None = None, parent: QWidget | None = None,
                 failed: dict[str, str] | None = None) -> None:
        """``failed``: MCP servers that could not start (name → why)."""
        super().__init__(parent)
        self.settings = settings
        self.failed = dict(failed or {})
        self.settings_path = settings_path
        self.servers_path = servers_path
        self.setWindowTitle(self.tr("Tools"))
        self.setObjectName("toolsDialog")
        self.resize(620, 520)

        self.python = QCheckBox(self.tr("Python: run code the model writes"), self)
        self.python.setChecked(registry.is_enabled(settings, registry.PYTHON))
        self.python.setEnabled(python.supported())
        self.python_note = QLabel(self._sandbox_note(), self)
        self.python_note.setWordWrap(True)

        self.web = QCheckBox(self.tr("Web search and opening pages (leaves this computer)"),
                             self)
        self.web.setChecked(registry.is_enabled(settings, registry.WEB))
        self.search_url = QLineEdit(settings.web_search_url, self)
        self.search_url.setAccessibleName(self.tr("Search service"))
        self.search_url.setPlaceholderText("https://searx.example/search")

        self.calls = QSpinBox(self)
        self.calls.setRange(1, 32)
        self.calls.setValue(settings.tool_calls_per_answer)
        self.calls.setAccessibleName(self.tr("Tool calls per answer"))
        self.calls.setToolTip(self.tr("How many tools the model may call before it has "
                                      "to answer"))

        self.servers = QListWidget(self)
        self.servers.setAccessibleName(self.tr("MCP servers"))
        self.servers.currentItemChanged.connect(self._on_current_changed)
        self.trusted = QCheckBox(self.tr("Run this server's tools without asking"), self)
        self.trusted.toggled.connect(self._on_trusted_toggled)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self.remove_server)
        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.target = QLineEdit(self)
        self.target.setAccessibleName(self.tr("Command or address"))
        self.target.setPlaceholderText(self.tr("a command (npx -y server) or https://host/mcp"))
        self.add_button = QPushButton(self.tr("Add server"), self)
        self.add_button.clicked.connect(self.add_server)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self._layout()
        self._refresh()

    def _layout(self) -> None:
        root = QVBoxLayout(self)
        root.addWidget(self.python)
        root.addWidget(self.python_note)
        root.addWidget(self.web)
        web_form = QFormLayout()
        web_form.addRow(self.tr("Search service"), self.search_url)
        web_form.addRow(self.tr("Tool calls per answer"), self.calls)
        root.addLayout(web_form)
        root.addWidget(QLabel(self.tr("MCP servers"), self))
        root.addWidget(self.servers, 1)
        row = QHBoxLayout()
        row.addWidget(self.trusted, 1)
        row.addWidget(self.remove_button)
        root.addLayout(row)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Command or address"), self.target)
        root.addLayout(form)
        root.addWidget(self.add_button)
        root.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def _sandbox_note(self) -> str:
        if not python.supported():
            return self.tr("Not available on this system.")
        backend = python.best_backend()
        if backend == "bwrap":
            return self.tr("Runs in a sandbox: no network, only its own folder, "
                           "time and memory limits.")
        if backend == "unshare":
            return self.tr("Runs without network and with time and memory limits, but can "
                           "read your files. Install bubblewrap for a stronger sandbox.")
        return self.tr("Only a weak sandbox is available here: the code could read and "
                       "change your files. Install bubblewrap for a real sandbox.")

    def _refresh(self) -> None:
        self.servers.clear()
        for server in mcp_servers.load(self.servers_path):
            label = f"{server.name} — {server.describe()}"
            if server.leaves_computer:
                label += self.tr(" (leaves this computer)")
            if server.name in self.failed:
                label += "\n" + self.tr("could not start: %1").replace(
                    "%1", self.failed[server.name])
            item = QListWidgetItem(label, self.servers)
            item.setData(Qt.ItemDataRole.UserRole, server.name)
        self._on_current_changed()

    def _selected(self) -> McpServer | None:
        item = self.servers.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in mcp_servers.load(self.servers_path) if s.name == name), None)

    def _on_current_changed(self, *_args: object) -> None:
        server = self._selected()
        self.remove_button.setEnabled(server is not None)
        self.trusted.setEnabled(server is not None)
        self.trusted.blockSignals(True)
        self.trusted.setChecked(bool(server and server.trusted))
        self.trusted.blockSignals(False)

    def _on_trusted_toggled(self, on: bool) -> None:
        server = self._selected()
        if server is not None:
            mcp_servers.set_trusted(server.name, on, self.servers_path)
            self.tools_changed.emit()

    def add_server(self) -> None:
        """Add the server in the form (a URL, or a command split as a shell would)."""
        target = self.target.text().strip()
        is_url = target.startswith(("http://", "https://"))
        try:
            command = [] if is_url else shlex.split(target)
        except ValueError:
            command = [target]
        server = McpServer(name=self.name.text().strip(), command=command,
                           url=target if is_url else "")
        try:
            mcp_servers.add(server, self.servers_path)
        except (ServerError, OSError):
            self.error.setText(self.tr("This server cannot be added: give a name (letters, "
                                       "digits, spaces) and a command or an http(s) address."))
            return
        self.error.clear()
        self.name.clear()
        self.target.clear()
        self._refresh()
        self.tools_changed.emit()

    def remove_server(self) -> None:
        server = self._selected()
        if server is not None and mcp_servers.remove(server.name, self.servers_path):
            self._refresh()
            self.tools_changed.emit()

    def accept(self) -> None:
        """Save the switches (web only with a search service)."""
        url = self.search_url.text().strip()
        if self.web.isChecked() and not url.startswith(("http://", "https://")):
            self.error.setText(self.tr("Web search needs the address of a search service "
                                       "you chose (for example your SearXNG)."))
            return
        self.settings.web_search_url = url
        self.settings.tool_calls_per_answer = self.calls.value()
        registry.set_enabled(self.settings, registry.PYTHON, self.python.isChecked())
        registry.set_enabled(self.settings, registry.WEB, self.web.isChecked())
        settings_mod.save(self.settings, self.settings_path)
        self.tools_changed.emit()
        super().accept()
