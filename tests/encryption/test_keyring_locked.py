"""A history encrypted with the keyring's key, and the keyring locked (or its service
not running): Cove asks only "unlock it and try again" or quit, in the window and on
the terminal, never a passphrase (it could never open these files) or staying
unencrypted; "try again" reads the keyring again. A new install without a keyring
still gets the passphrase / unencrypted choice. And ``cove chat`` shows its own
words on the terminal, the log lines going to cove.log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.errors import KeyringLocked
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.chats.store import ChatStore, ChatStoreError
from app.config import at_rest, paths, secrets, sqlcipher
from app.config.at_rest import Answer, Question
from app.ui.app import HistoryStart
from app.ui.window import MainWindow
from tests.encryption import lockable_keyring
from tests.encryption.test_terminal_ask import HANG_S, NO_KEYRING, ROOT, Terminal
from tests.support.memory_keyring import MemoryKeyring, own_home
from tests.ui.fixtures import qapp, qt_warnings_fail
from tests.ui.test_start import Asked, click, start, started

__all__ = ["own_home", "qapp", "qt_warnings_fail", "start"]  # fixtures


class Lockable(MemoryKeyring):
    """An in-memory keyring the test locks and unlocks."""

    locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")
        return super().get_password(service, username)


@pytest.fixture
def ring(own_home: Path) -> Iterator[Lockable]:
    ring = Lockable()
    keyring.set_keyring(ring)
    with ChatStore.default() as store:  # the first start: the key made, kept, used
        store.create_conversation("kept")
    ring.locked = True
    yield ring


def test_the_keyring_key_is_written_down(ring: Lockable) -> None:
    assert secrets.mode() == secrets.KEYRING
    assert json.loads(secrets.protection_path().read_text())["mode"] == "keyring"


def test_a_locked_keyring_is_asked_to_be_unlocked_and_read_again(ring: Lockable) -> None:
    asked: list[Question] = []

    def ask(question: Question) -> Answer | None:
        asked.append(question)
        if len(asked) == 2:
            ring.locked = False  # the user unlocked it before the second "try again"
        return Answer(retry=True)

    with ChatStore.default(ask) as store:
        assert [c.title for c in store.conversations()] == ["kept"]
        assert store.key is not None and store.key.raw is not None
    assert [q.kind for q in asked] == [at_rest.KEYRING_LOCKED] * 2
    assert "KeyringLocked" in asked[0].detail
    assert secrets.mode() == secrets.KEYRING


def test_quitting_or_no_one_to_ask_changes_nothing(ring: Lockable) -> None:
    before = (paths.data_dir() / "cove.db").read_bytes()
    with pytest.raises(ChatStoreError) as quit_:
        ChatStore.default(lambda question: None)
    assert quit_.value.kind == "cancelled"
    with pytest.raises(ChatStoreError) as alone:
        ChatStore.default()
    assert alone.value.kind == "keyring_locked" and "unlock the keyring" in str(alone.value)
    assert (paths.data_dir() / "cove.db").read_bytes() == before
    assert secrets.mode() == secrets.KEYRING


def test_a_new_install_with_a_locked_keyring_still_chooses(own_home: Path) -> None:
    ring = Lockable()
    ring.locked = True
    keyring.set_keyring(ring)
    asked: list[Question] = []
    with ChatStore.default(lambda q: asked.append(q) or Answer(plain=True)):
        pass
    assert [(q.kind, q.new) for q in asked] == [(at_rest.NO_KEYRING, True)]
    assert secrets.mode() == secrets.PLAIN


def test_the_window_asks_to_unlock_then_opens_the_history(
        qapp: QApplication, ring: Lockable,
        start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    shown: list[tuple[str, list[str]]] = []

    def question(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append((box.text(), sorted(b.text() for b in box.buttons()
                                         if b.isVisible())))
        if len(shown) == 2:
            ring.locked = False
        click("Try again")(box)

    Asked(qapp, question, question)
    window, history = start()
    started(qapp, history)
    assert history.error is None and window.history_open
    assert [c.title for c in window.store.conversations()] == ["kept"]
    assert len(shown) == 2
    text, buttons = shown[0]
    assert text.startswith("Your keyring is locked or unavailable: unlock it and try again")
    assert buttons == ["Quit", "Show Details...", "Try again"] or \
        buttons == ["Quit", "Try again"], buttons
    assert "passphrase" not in text.lower()


def test_the_window_quit_changes_nothing(
        qapp: QApplication, ring: Lockable,
        start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    Asked(qapp, click("Quit"), lambda error_box: error_box.close())
    _window, history = start()
    started(qapp, history)
    assert history.store is None and "Nothing was changed" in str(history.error)
    assert sqlcipher.is_plain(paths.data_dir() / "cove.db") is False


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pty")
def test_the_terminal_asks_to_unlock_then_opens_the_history(tmp_path: Path) -> None:
    home, ring_file = tmp_path / "home", tmp_path / "keyring.json"
    env = {"PYTHON_KEYRING_BACKEND": lockable_keyring.NAME, "COVE_TEST_KEYRING": str(ring_file)}
    first = subprocess.run([sys.executable, "-m", "app", "chat", "--list"], cwd=ROOT,
                           env={**os.environ, "COVE_HOME": str(home),
                                "PYTHONPATH": str(ROOT), **env},
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=HANG_S, check=False)
    assert first.returncode == 0, first.stderr
    assert sqlcipher.is_plain(home / "data" / "cove.db") is False
    lock = ring_file.with_name(ring_file.name + ".locked")
    lock.touch()

    chat = Terminal(home, **env)
    chat.expect("Your choice [t/q]: ")
    chat.type("t\n")  # still locked: asked again
    chat.seen = chat.seen.replace("Your choice [t/q]: ", "", 1)
    chat.expect("Your choice [t/q]: ")
    lock.unlink()
    chat.type("t\n")
    assert chat.exit_code() == 0, chat.seen
    assert "unlock it and try again" in chat.seen and "KeyringLocked" in chat.seen
    assert "passphrase" not in chat.seen.lower() and "unencrypted" not in chat.seen
    assert "Traceback" not in chat.seen and "WARNING" not in chat.seen


def test_cove_chat_keeps_log_lines_off_the_terminal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-m", "app", "chat", "--list"], cwd=ROOT,
                          env={**os.environ, "COVE_HOME": str(home),
                               "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": NO_KEYRING},
                          stdin=subprocess.PIPE, capture_output=True, text=True,
                          timeout=HANG_S, check=False)
    assert done.returncode == 1
    assert "no keyring Cove can use" in done.stderr  # Cove's own words
    for raw in ("WARNING", "NoKeyringError", "the OS keyring failed", "no usable keyring"):
        assert raw not in done.stderr, done.stderr
    logged = (home / "logs" / "cove.log").read_text(encoding="utf-8")
    assert "WARNING app.config.secrets: the OS keyring failed (NoKeyringError)" in logged
    assert "no usable keyring" in logged

    asked = Terminal(home)  # and on a terminal, under the question
    asked.expect("Your choice [p/u/q]: ")
    asked.type("q\n")
    assert asked.exit_code() == 1
    assert "NoKeyringError" not in asked.seen and "WARNING" not in asked.seen
