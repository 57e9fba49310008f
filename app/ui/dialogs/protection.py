"""The question Cove asks once when the OS keyring cannot keep the history's key
(``app.config.at_rest``): protect the history with a passphrase, or keep it
unencrypted; and, later, the passphrase at each start. A history encrypted with the
keyring's key whose keyring is locked gets only "unlock it and try again" or Quit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.config.at_rest import ENTER_PASSPHRASE, KEYRING_LOCKED, NO_KEYRING, Answer, Question

translate = QCoreApplication.translate  # lupdate knows this name
Role = QMessageBox.ButtonRole


def ask(question: Question, parent: QWidget | None = None) -> Answer | None:
    """The user's answer to ``question``; None when they quit."""
    if question.kind == KEYRING_LOCKED:
        return _unlock(question, parent)
    if question.kind == NO_KEYRING:
        box = QMessageBox(QMessageBox.Icon.Warning,
                          translate("Protection", "Protect your history"), translate(
            "Protection",
            "Cove keeps your conversations and documents encrypted, with the key in your "
            "system's keyring, but the keyring cannot be used now. You can protect the "
            "history with a passphrase you type at each start, or keep it unencrypted "
            "on this computer."), parent=parent)
        box.setDetailedText(question.detail)
        use = box.addButton(translate("Protection", "Use a passphrase…"), Role.AcceptRole)
        plain = box.addButton(translate("Protection", "Keep unencrypted"),
                              Role.DestructiveRole)
        box.addButton(translate("Protection", "Quit"), Role.RejectRole)
        box.exec()
        if box.clickedButton() is plain:
            return Answer(plain=True)
        if box.clickedButton() is not use:
            return None
    label = (translate("Protection", "Enter the passphrase of your history:")
             if question.kind == ENTER_PASSPHRASE and not question.new
             else translate("Protection", "The passphrase was wrong. Enter it again:")
             if question.kind != NO_KEYRING and not question.new
             else translate("Protection", "Choose a passphrase for your history (you will "
                            "need it at each start; it cannot be recovered):"))
    text, ok = QInputDialog.getText(parent, translate("Protection", "Passphrase"), label,
                                    QLineEdit.EchoMode.Password)
    if not ok or not text:
        return None
    return Answer(passphrase=text)


def _unlock(question: Question, parent: QWidget | None) -> Answer | None:
    box = QMessageBox(QMessageBox.Icon.Warning,
                      translate("Protection", "Unlock your keyring"), translate(
        "Protection",
        "Your keyring is locked or unavailable: unlock it and try again. Cove keeps the "
        "key to your encrypted history there."), parent=parent)
    box.setDetailedText(question.detail)
    again = box.addButton(translate("Protection", "Try again"), Role.AcceptRole)
    box.addButton(translate("Protection", "Quit"), Role.RejectRole)
    box.setDefaultButton(again)
    box.exec()
    return Answer(retry=True) if box.clickedButton() is again else None
