"""The question Cove asks once when the OS keyring cannot keep the history's key
(``app.config.at_rest``): protect the history with a passphrase, or keep it
unencrypted; and, later, the passphrase at each start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.config.at_rest import ENTER_PASSPHRASE, NO_KEYRING, Answer, Question


def _tr(text: str) -> str:
    return QCoreApplication.translate("Protection", text)


def ask(question: Question, parent: QWidget | None = None) -> Answer | None:
    """The user's answer to ``question``; None when they quit."""
    if question.kind == NO_KEYRING:
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Protect your history"), _tr(
            "Cove keeps your conversations and documents encrypted, with the key in your "
            "system's keyring, but the keyring cannot be used now. You can protect the "
            "history with a passphrase you type at each start, or keep it unencrypted "
            "on this computer."), parent=parent)
        box.setDetailedText(question.detail)
        use = box.addButton(_tr("Use a passphrase…"), QMessageBox.ButtonRole.AcceptRole)
        plain = box.addButton(_tr("Keep unencrypted"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is plain:
            return Answer(plain=True)
        if box.clickedButton() is not use:
            return None
    label = (_tr("Enter the passphrase of your history:")
             if question.kind == ENTER_PASSPHRASE and not question.new
             else _tr("The passphrase was wrong. Enter it again:")
             if question.kind != NO_KEYRING and not question.new
             else _tr("Choose a passphrase for your history (you will need it at each "
                      "start; it cannot be recovered):"))
    text, ok = QInputDialog.getText(parent, _tr("Passphrase"), label,
                                    QLineEdit.EchoMode.Password)
    if not ok or not text:
        return None
    return Answer(passphrase=text)
