"""Settings › Where your data lives: whether the history is encrypted on disk, where its
key is, the data folder, and "Export everything" / "Forget everything".

What it says comes from the files themselves (``app.config.at_rest.protection``), not
from a setting that could disagree with them. Exporting and forgetting are the window's
(this section only asks): the export goes through the window's export code
(``HistoryFiles.export_everything``: the conversations, the documents' text and the
python tool's files, in a new folder); forgetting closes the window, and Cove erases the files
and the key (``app.config.forget``) and starts again with an empty history
(``app.ui.app``). Forget everything asks twice, and neither question has the
destructive answer as its default button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.config import at_rest, secrets
from app.ui.widgets.plain import plain_box, plain_label


class DataPlace(QGroupBox):
    """The section of Settings.

    Signals:
        export_requested(): the user asked for everything Cove holds, in a folder.
        forget_requested(): the user confirmed, twice, that everything is to go.
    """

    export_requested = Signal()
    forget_requested = Signal()

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Where your data lives"))
        shown = at_rest.protection(folder)
        self.status = self._label(self._status_text(shown))
        self.key = self._label(self._key_text(shown))
        self.folder = plain_label(self._label(str(folder)))
        self.folder.setTextInteractionFlags(
            self.folder.textInteractionFlags().TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export everything…"), self)
        self.export_button.setToolTip(self.tr(
            "Your conversations (Cove JSON, which Cove can import), the text of your "
            "documents and the python tool's files, in a new folder where you choose. "
            "The folder is not encrypted: keep it somewhere safe."))
        self.export_button.clicked.connect(self.export_requested)
        self.forget_button = QPushButton(self.tr("Forget everything…"), self)
        self.forget_button.setToolTip(self.tr(
            "Erase all conversations, documents, pasted texts and the key, then start "
            "again with an empty history."))
        self.forget_button.clicked.connect(self._ask_first)
        self.question: QMessageBox | None = None  # the question on screen, if any
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("Protection:"), self.status)
        form.addRow(self.tr("Key:"), self.key)
        form.addRow(self.tr("Folder:"), self.folder)
        form.addRow("", buttons)

    def _label(self, text: str) -> QLabel:
        label = plain_label(QLabel(text, self))
        label.setWordWrap(True)
        return label

    def _status_text(self, shown: at_rest.Protection) -> str:
        if shown.encrypted:
            return self.tr("Encrypted on this disk (SQLCipher, AES-256): your "
                           "conversations and documents cannot be read without the key.")
        if shown.mode == secrets.PLAIN:
            return self.tr("Not encrypted: you chose to keep your history unencrypted. "
                           "Anyone who can open this folder can read it.")
        return self.tr("Not encrypted.")

    def _key_text(self, shown: at_rest.Protection) -> str:
        if shown.mode == secrets.PASSPHRASE:
            return self.tr("From your passphrase. Cove does not keep it; without it "
                           "the history cannot be opened.")
        if shown.mode == secrets.PLAIN:
            return self.tr("None.")
        return self.tr("In the OS keyring as “%1 / %2” (%3). You never type it.").replace(
            "%1", secrets.SERVICE).replace("%2", secrets.KEY_NAME).replace(
            "%3", secrets.keyring_label())

    # -- Forget everything: two questions ---------------------------------------------
    def _ask_first(self) -> None:
        self._ask(self.tr("Forget everything?"), self.tr(
            "Cove will erase all your conversations, attached documents and pasted "
            "texts, and the key that opens them. Models and settings stay. Export "
            "everything first if you want a copy."),
            self.tr("Continue…"), self._ask_again)

    def _ask_again(self) -> None:
        self._ask(self.tr("Erase your history for good?"), self.tr(
            "This cannot be undone. Cove closes, overwrites the files before removing "
            "them, and starts again with an empty history."),
            self.tr("Forget everything"), self.forget_requested.emit)

    def _ask(self, title: str, text: str, go: str, then: Callable[[], None]) -> None:
        """A window-modal question (open(), not exec(): the dialog stays responsive and
        tests can answer it); ``then`` runs only when ``go`` is clicked."""
        box = plain_box(QMessageBox(QMessageBox.Icon.Warning, title, text,
                                    QMessageBox.StandardButton.NoButton, self))
        proceed = box.addButton(go, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.question = None
            if box.clickedButton() is proceed:
                then()

        box.finished.connect(answered)
        self.question = box
        box.open()
