"""The window's start: on screen first, the history opened after (app.ui.app).

The window is painted before the history's key is read from the keyring; what the user
types while the history opens is neither sent nor lost; the question a missing keyring
raises is asked over the window; a wrong or a missing key is said, the files are left
alone and the start ends with 1. The order is checked in Cove's own ``run_gui`` in a
process of its own, the rest on a real history in a temporary folder with a real
keyring backend (in memory, or keyring's own "no keyring")."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from app.chats.store import ChatStore
from app.config import paths, secrets
from app.config.settings import Settings
from app.ui.app import HistoryStart
from app.ui.services.bridge import EngineBridge
from app.ui.window import MainWindow
from tests.support.memory_keyring import own_home
from tests.ui.fixtures import wait_until
from tests.ui.scripted import ScriptedClient

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["own_home"]  # the fixture
HANG_S = 120  # a hang limit only

# run_gui as `cove` runs it; the key's reading is announced on stdout, in the order
# the process does things (run_gui prints when the window is painted and when whole).
DRIVER = r'''
from app.config import secrets
from app.ui import app as app_module

real = secrets.stored_key
def stored_key():
    print("key_read", flush=True)
    return real()
secrets.stored_key = stored_key
raise SystemExit(app_module.run_gui([app_module.QUIT_AFTER_SHOW]))
'''


def test_the_window_is_painted_before_the_key_is_read(tmp_path: Path) -> None:
    env = {**os.environ, "COVE_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
           "COVE_TEST_KEYRING": str(tmp_path / "keyring.json")}
    env.pop("COVE_MODEL", None)
    lines = []
    for _ in range(2):  # the first start makes the key and the history, the second reads
        done = subprocess.run([sys.executable, "-c", DRIVER], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=HANG_S, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        lines.append([line.split("=")[0] for line in done.stdout.splitlines()])
    assert lines[1] == ["painted_after_ms", "key_read", "shown_after_ms"], lines
    assert lines[0][0] == "painted_after_ms" and lines[0][-1] == "shown_after_ms", lines


# -- in this process -------------------------------------------------------------------
@pytest.fixture
def start(qapp: QApplication, tmp_path: Path, own_home: Path
          ) -> Iterator[Callable[..., tuple[MainWindow, HistoryStart]]]:
    """A window shown without its history, as run_gui shows it, and its start."""
    windows: list[MainWindow] = []

    def make(client: ScriptedClient | None = None) -> tuple[MainWindow, HistoryStart]:
        bridge = EngineBridge(client=client) if client is not None else None
        window = MainWindow(None, Settings(), bridge=bridge,
                            settings_file=tmp_path / "settings.json")
        window.topbar.library_models = []
        history = HistoryStart(window)
        windows.append(window)
        window.resize(1200, 800)
        window.show()
        return window, history

    yield make
    for window in windows:
        window.close()
        window.deleteLater()
    qapp.processEvents()
    for window in windows:
        if window.history_open:
            window.store.close()


def started(qapp: QApplication, history: HistoryStart) -> None:
    wait_until(qapp, lambda: history.store is not None or history.error is not None,
               what="the history to open")


class Asked(QObject):
    """Answers each dialog the start opens (they are modal: exec), in turn."""

    def __init__(self, qapp: QApplication, *answers: Callable[[QWidget], None]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.seen: list[QWidget] = []
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self._check(qapp))
        self.timer.start(10)

    def _check(self, qapp: QApplication) -> None:
        dialog = qapp.activeModalWidget()
        if dialog is None or dialog in self.seen or not dialog.isVisible():
            return
        self.seen.append(dialog)
        self.answers.pop(0)(dialog)
        if not self.answers:
            self.timer.stop()


def click(text: str) -> Callable[[QWidget], None]:
    def do(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()
    return do


def first_start(text: str = "kept") -> None:
    with ChatStore.default() as store:
        store.create_conversation(text)


def test_what_is_typed_while_the_history_opens_is_kept_then_sent(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    seen_at_paint: list[tuple[bool, str, bool]] = []
    window, history = start(ScriptedClient(answer=["Hi", "!"]))

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint and \
                    not seen_at_paint:
                composer = window.composer
                seen_at_paint.append((window.history_open, composer.hint.text(),
                                      composer.send_button.isEnabled()))
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    # typed, and Enter pressed, before the history is open
    QTest.keyClicks(window.composer.input, "Tide tables for Sunday")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert not window.history_open
    started(qapp, history)
    assert history.error is None
    assert seen_at_paint == [(False, "Opening your history…", False)]
    assert window.composer.input.toPlainText() == "Tide tables for Sunday"
    assert window.store.conversations() == []  # nothing was sent meanwhile
    assert not window.composer.hint.isVisible() and window.composer.send_button.isEnabled()
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    wait_until(qapp, lambda: not window.generating and window.store.conversations(),
               what="the answer")
    [conversation] = window.store.conversations()
    assert [m.content for m in window.store.messages(conversation.id)] == \
        ["Tide tables for Sunday", "Hi!"]


def test_without_a_keyring_the_question_is_asked_over_the_window(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    keyring.set_keyring(NoKeyring())
    shown: list[tuple[str, bool, bool]] = []
    window: MainWindow | None = None

    def question(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert window is not None
        shown.append((box.text(), box.parent() is window, window.isVisible()))
        click("Use a passphrase…")(box)

    def passphrase(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("tide tables")
        dialog.accept()

    asked = Asked(qapp, question, passphrase)
    window, history = start()
    started(qapp, history)
    assert not asked.answers
    [(text, over_window, window_shown)] = shown
    assert text.startswith("Cove keeps your conversations and documents encrypted")
    assert over_window and window_shown
    assert history.error is None and window.history_open
    assert window.store.key is not None and window.store.key.passphrase == "tide tables"
    assert secrets.mode() == secrets.PASSPHRASE
    assert window.composer.hint.text() == "Open a model to start."


def test_quitting_at_the_question_changes_nothing(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    keyring.set_keyring(NoKeyring())
    said: list[str] = []

    def told(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    Asked(qapp, click("Quit"), told)
    window, history = start()
    started(qapp, history)
    assert history.store is None and history.error is not None
    assert said == [history.error] and "Nothing was changed" in said[0]
    wait_until(qapp, lambda: not window.isVisible(), what="the window to close")
    assert not window.history_open
    assert not (paths.data_dir() / "cove.db").exists()


@pytest.mark.parametrize("kind", ["wrong_key", "missing_key"])
def test_a_wrong_or_missing_key_is_said_and_the_files_are_left_alone(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]],
        kind: str) -> None:
    first_start()
    before = (paths.data_dir() / "cove.db").read_bytes()
    secrets.forget_key()
    if kind == "wrong_key":
        secrets.create_key()
    said: list[tuple[str, bool]] = []
    window: MainWindow | None = None

    def told(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append((box.text(), box.icon() == QMessageBox.Icon.Critical))
        box.accept()

    Asked(qapp, told)
    window, history = start()
    started(qapp, history)
    wait_until(qapp, lambda: not window.isVisible(), what="the window to close")
    assert history.store is None and not window.history_open
    [(text, critical)] = said
    assert critical and text == history.error
    assert ("missing from" in text) if kind == "missing_key" else ("key" in text)
    assert (paths.data_dir() / "cove.db").read_bytes() == before
    assert not [p for p in paths.data_dir().iterdir() if "damaged" in p.name]


def test_a_bug_while_opening_is_said_and_ends_the_start(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> ChatStore:
        raise RuntimeError("a bug")

    monkeypatch.setattr(ChatStore, "default", broken)
    said: list[str] = []

    def told(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    Asked(qapp, told)
    window, history = start()
    started(qapp, history)
    wait_until(qapp, lambda: not window.isVisible(), what="the window to close")
    assert said == ["Cove could not open your history. What went wrong is written in "
                    "the log file, cove.log."]
    assert history.error == said[0] and not window.history_open


def test_a_window_closed_before_its_history_opens_never_opens_it(
        qapp: QApplication, start: Callable[..., tuple[MainWindow, HistoryStart]]) -> None:
    window, history = start()
    window.close()  # before any event: the paint and the opening never came
    wait_until(qapp, lambda: history._scheduled, what="the start to give up waiting")
    qapp.processEvents()
    assert history.store is None and history.error is None and not window.history_open
    assert not (paths.data_dir() / "cove.db").exists()
