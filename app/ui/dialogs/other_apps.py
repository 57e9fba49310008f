"""Settings › Other apps: whether programs on this computer may use Cove's model through
the local OpenAI-compatible API (app.api), on which port, whether they may switch the
model, and the key they must send (shown for copying, read from the OS keyring: it is
never written to the settings file)."""

from __future__ import annotations

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

from app.config.settings import Settings


class OtherApps(QGroupBox):
    """The group; :meth:`show_settings` fills it, :meth:`collect_into` reads it back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Other apps"), parent)
        self.enabled = QCheckBox(self.tr("Let other apps on this computer use Cove"), self)
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setAccessibleName(self.tr("Port"))
        self.allow_switch = QCheckBox(self.tr("Allow apps to switch the model"), self)
        self.key = QLineEdit(self)
        self.key.setReadOnly(True)
        self.key.setAccessibleName(self.tr("API key"))
        self.key.setPlaceholderText(self.tr("Made when the API is first switched on"))
        self.copy = QPushButton(self.tr("Copy"), self)
        self.copy.setAccessibleName(self.tr("Copy the API key"))
        self.copy.clicked.connect(self._copy)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.copy)
        note = QLabel(self.tr("Programs send this key with each request "
                              "(Authorization: Bearer KEY). It is kept in the system's "
                              "keyring, not in a file."), self)
        note.setWordWrap(True)
        note.setProperty("muted", True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("&Port:"), self.port)
        form.addRow(self.allow_switch)
        key_label = QLabel(self.tr("API &key:"), self)
        key_label.setBuddy(self.key)  # a row of two widgets gets no buddy by itself
        form.addRow(key_label, key_row)
        form.addRow("", note)
        self.enabled.toggled.connect(self._on_toggled)

    def show_settings(self, s: Settings) -> None:
        self.enabled.setChecked(s.api_enabled)
        self.port.setValue(s.api_port)
        self.allow_switch.setChecked(s.api_allow_switch)
        self._on_toggled(s.api_enabled)

    def collect_into(self, s: Settings) -> None:
        s.api_enabled = self.enabled.isChecked()
        s.api_port = self.port.value()
        s.api_allow_switch = self.allow_switch.isChecked()

    def _on_toggled(self, on: bool) -> None:
        """The key is shown once the API is on (switching it on makes the key: a key
        nobody asked for is not put in the keyring)."""
        for widget in (self.port, self.allow_switch, self.key, self.copy):
            widget.setEnabled(on)
        if on and not self.key.text():
            from app.api import keys

            self.key.setText(keys.api_key().value)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key.text())
