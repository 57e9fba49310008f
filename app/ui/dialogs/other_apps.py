"""Settings › Other apps: whether programs on this computer may use Cove's model through
the local OpenAI-compatible API (app.api), at which address and port, whether they may
switch the model, the key they must send (shown for copying, read from the OS keyring:
it is never written to the settings file; "New key" replaces it at once), whether their
conversations are kept in the history and what the request log keeps, and the log
itself (Requests…).

The address is this computer's (127.0.0.1) unless the user types another: then a
warning says that other computers on the network could use the model with the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.api.options import is_loopback
from app.config.settings import Settings

# The API's modules (asyncio, the keyring) are imported where used: this group is
# imported with the window, and they would slow every start.
if TYPE_CHECKING:
    from app.ui.dialogs.api_requests import ApiRequestsDialog

LOOPBACK = "127.0.0.1"


class OtherApps(QGroupBox):
    """The group; :meth:`show_settings` fills it, :meth:`collect_into` reads it back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Other apps"), parent)
        self.enabled = QCheckBox(self.tr("Let other apps on this computer use Cove"), self)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText(LOOPBACK)
        self.host.setAccessibleName(self.tr("Address"))
        self.host.textChanged.connect(self._show_host_warning)
        self.host_warning = QLabel("⚠ " + self.tr(
            "Other computers on your network could then use Cove's model, with the key. "
            "Leave 127.0.0.1 to keep it to this computer."), self)
        self.host_warning.setObjectName("hostWarning")
        self.host_warning.setWordWrap(True)
        bold = self.host_warning.font()
        bold.setBold(True)
        self.host_warning.setFont(bold)
        self.host_warning.hide()
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setAccessibleName(self.tr("Port"))
        self.allow_switch = QCheckBox(self.tr("Allow apps to switch the model"), self)
        self.keep_history = QCheckBox(
            self.tr("Keep conversations from other apps in the history"), self)
        self.log_content = QCheckBox(self.tr("Log what apps ask and get"), self)
        self.key = QLineEdit(self)
        self.key.setReadOnly(True)
        self.key.setAccessibleName(self.tr("API key"))
        self.key.setPlaceholderText(self.tr("Made when the API is first switched on"))
        self.copy = QPushButton(self.tr("Copy"), self)
        self.copy.setAccessibleName(self.tr("Copy the API key"))
        self.copy.clicked.connect(self._copy)
        self.new_key = QPushButton(self.tr("New key"), self)
        self.new_key.setToolTip(self.tr("Replace the key now: programs using the old one "
                                        "are refused until they are given the new one."))
        self.new_key.clicked.connect(self._replace_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.copy)
        key_row.addWidget(self.new_key)
        self.note = QLabel(self.tr("Programs send this key with each request "
                                   "(Authorization: Bearer KEY). It is kept in the "
                                   "system's keyring, not in a file."), self)
        self.note.setWordWrap(True)
        self.note.setProperty("muted", True)
        self.requests = QPushButton(self.tr("Requests…"), self)
        self.requests.setToolTip(self.tr("When which program used Cove, and how many "
                                         "tokens"))
        self.requests.clicked.connect(self.show_requests)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("A&ddress:"), self.host)
        form.addRow("", self.host_warning)
        form.addRow(self.tr("&Port:"), self.port)
        form.addRow(self.allow_switch)
        key_label = QLabel(self.tr("API &key:"), self)
        key_label.setBuddy(self.key)  # a row of two widgets gets no buddy by itself
        form.addRow(key_label, key_row)
        form.addRow("", self.note)
        form.addRow(self.keep_history)
        form.addRow(self.log_content)
        form.addRow("", self.requests)
        self.enabled.toggled.connect(self._on_toggled)

    def show_settings(self, s: Settings) -> None:
        self.enabled.setChecked(s.api_enabled)
        self.host.setText("" if s.api_host == LOOPBACK else s.api_host)
        self.port.setValue(s.api_port)
        self.allow_switch.setChecked(s.api_allow_switch)
        self.keep_history.setChecked(s.api_keep_history)
        self.log_content.setChecked(s.api_log_content)
        self._on_toggled(s.api_enabled)

    def collect_into(self, s: Settings) -> None:
        s.api_enabled = self.enabled.isChecked()
        s.api_host = self.host.text().strip() or LOOPBACK
        s.api_port = self.port.value()
        s.api_allow_switch = self.allow_switch.isChecked()
        s.api_keep_history = self.keep_history.isChecked()
        s.api_log_content = self.log_content.isChecked()

    def _on_toggled(self, on: bool) -> None:
        """The key is shown once the API is on (switching it on makes the key: a key
        nobody asked for is not put in the keyring)."""
        for widget in (self.host, self.port, self.allow_switch, self.key, self.copy,
                       self.new_key, self.keep_history, self.log_content):
            widget.setEnabled(on)
        if on and not self.key.text():
            from app.api import keys

            self.key.setText(keys.api_key().value)

    def _show_host_warning(self, text: str) -> None:
        self.host_warning.setVisible(not is_loopback(text.strip() or LOOPBACK))

    def _replace_key(self) -> None:
        """A new key, taken at once by the running server: the old one is refused."""
        from app.ui.services import api_server

        self.key.setText(api_server.replace_key().value)
        self.note.setText(self.tr("New key made: the old one no longer works. Give the "
                                  "new one to the programs that use Cove."))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key.text())

    def show_requests(self) -> ApiRequestsDialog:
        from app.ui.dialogs.api_requests import ApiRequestsDialog

        dialog = ApiRequestsDialog(self)
        dialog.open()
        return dialog
