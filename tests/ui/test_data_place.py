"""Settings › Where your data lives, opened from the window on an encrypted history:
what it says, Export everything through the window's export, and Forget everything
(asked twice; Cancel at either question changes nothing), after which the window closes
and Cove starts again with an empty history and a new key."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from app.chats.store import ChatStore
from app.config import paths, secrets
from app.tools import python, registry
from app.ui import app as app_module
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.fixtures import wait_until


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path / "home"
    keyring.set_keyring(previous)


@pytest.fixture
def history(home: Path) -> Iterator[ChatStore]:
    """The user's own history, encrypted with a key from the keyring, with one chat."""
    store = ChatStore.default()
    conv = store.create_conversation("Tide tables")
    user = store.add_user_message(conv.id, "When is high tide at Brest?")
    store.start_answer(conv.id, user.id, "gpt-oss-20b", "low").finish("complete")
    yield store
    store.close()


def in_settings(qapp: QApplication, window: Any,
                steps: Callable[[SettingsDialog], None]) -> None:
    """Open Settings as the window does (modal) and run ``steps`` in it; the dialog is
    cancelled afterwards unless the steps closed it."""
    done: list[bool] = []

    def drive() -> None:
        dialog = qapp.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        try:
            steps(dialog)
        finally:
            done.append(True)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    window.open_settings()
    assert done == [True]


def answer(box: QMessageBox | None, text: str) -> None:
    """Click the question's button labelled ``text``."""
    assert box is not None and box.isVisible()
    (button,) = [b for b in box.buttons() if b.text() == text]
    assert isinstance(button, QPushButton)
    button.click()


def test_it_says_encrypted_where_the_key_is_and_the_folder(
        qapp: QApplication, make_window: Callable[..., Any], history: ChatStore) -> None:
    window = make_window(history=history)

    def check(dialog: SettingsDialog) -> None:
        place = dialog.data_place
        assert place.title() == "Where your data lives"
        assert place.status.text().startswith("Encrypted on this disk")
        assert "OS keyring as “Cove / history-key”" in place.key.text()
        assert secrets.keyring_name() in place.key.text()
        assert place.folder.text() == str(paths.data_dir())

    in_settings(qapp, window, check)


def test_export_everything_writes_a_folder_with_all_cove_holds(
        qapp: QApplication, make_window: Callable[..., Any], history: ChatStore,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversations (importable), the text Cove read of each document and the
    python tool's files (sealed on disk, plain in the export), in a new folder where
    the user chose; a second export never writes into the first."""
    conv = history.conversations()[0]
    ledger = tmp_path / "ledger.txt"
    ledger.write_text("Oil delivered to Brackwater by the schooner Wrenna.\n", encoding="utf-8")
    window = make_window(history=history)
    window.documents.attach(conv.id, [ledger])
    index = window.documents.index
    wait_until(qapp, lambda: [d.status for d in index.documents(conv.id)] == ["ready"], 30,
               "the document read")
    if python.supported():
        tool = registry.python_tool(conv.id)
        assert tool is not None and tool.key is not None
        tool.run({"code": "open('tides.csv', 'w').write('Brest,06:12')"}, threading.Event())
    chosen = tmp_path / "exports"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen))
    in_settings(qapp, window, lambda dialog: dialog.data_place.export_button.click())
    (folder,) = chosen.iterdir()
    assert folder.name.startswith("Cove export ")
    data = json.loads((folder / "conversations.json").read_text(encoding="utf-8"))
    assert "Tide tables" in json.dumps(data) and "When is high tide at Brest?" in json.dumps(data)
    assert (folder / "documents" / "ledger.txt").read_text(encoding="utf-8").strip() == \
        "Oil delivered to Brackwater by the schooner Wrenna."
    if python.supported():
        assert (folder / "python" / str(conv.id) / "tides.csv").read_text() == "Brest,06:12"
    imported = window.files.import_path(folder / "conversations.json")  # Cove reads it
    assert [c.title for c in imported] == ["Tide tables"]
    in_settings(qapp, window, lambda dialog: dialog.data_place.export_button.click())
    assert sorted(p.name for p in chosen.iterdir()) == [folder.name, folder.name + " (2)"]


def test_export_everything_into_a_folder_it_cannot_write_says_so(
        qapp: QApplication, make_window: Callable[..., Any], history: ChatStore,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "read-only"
    chosen.mkdir()
    chosen.chmod(0o500)
    if os.access(chosen, os.W_OK):  # root writes anywhere: a file where the folder goes
        chosen.chmod(0o700)
        chosen = tmp_path / "a file"
        chosen.write_text("not a folder")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen))
    window = make_window(history=history)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: told.append(box.text()))
    in_settings(qapp, window, lambda dialog: dialog.data_place.export_button.click())
    assert told == ["Your data could not be exported"]
    assert not chosen.is_dir() or list(chosen.iterdir()) == []
    chosen.chmod(0o700)


def test_forget_everything_asks_twice_then_starts_empty(
        qapp: QApplication, make_window: Callable[..., Any], history: ChatStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(history=history)
    old_key = history.key

    def cancel_each_question(dialog: SettingsDialog) -> None:
        place = dialog.data_place
        place.forget_button.click()
        answer(place.question, "Cancel")
        assert place.question is None and dialog.isVisible()
        place.forget_button.click()
        answer(place.question, "Continue…")
        assert place.question is not None
        assert place.question.defaultButton().text() == "Cancel"
        answer(place.question, "Cancel")
        assert dialog.isVisible()

    in_settings(qapp, window, cancel_each_question)
    qapp.processEvents()
    assert window.isVisible() and not window.forget_on_close
    assert [c.title for c in history.conversations()] == ["Tide tables"]

    def confirm_twice(dialog: SettingsDialog) -> None:
        place = dialog.data_place
        place.forget_button.click()
        answer(place.question, "Continue…")
        answer(place.question, "Forget everything")
        assert not dialog.isVisible()

    in_settings(qapp, window, confirm_twice)
    wait_until(qapp, lambda: not window.isVisible(), 30, "the window to close")
    assert window.forget_on_close
    history.close()  # as app.ui.run_gui does once the window has closed
    started: list[list[str]] = []
    monkeypatch.setattr(app_module, "run_gui", lambda argv: started.append(list(argv)) or 0)
    assert app_module._forget_and_start_again(["cove"]) == 0
    assert started == [["cove"]]
    assert not (paths.data_dir() / "cove.db").exists()
    assert secrets.stored_key() is None
    with ChatStore.default() as fresh:  # what the start after it opens
        assert fresh.conversations() == []
        assert fresh.key is not None and fresh.key != old_key
