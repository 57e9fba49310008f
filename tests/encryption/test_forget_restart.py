"""Forget everything through the real window, and the real start after it: Cove's own
``run_gui`` in a process of its own (offscreen, a keyring in a file), a chat, a pasted
text and the python tool's files in the data folder; Settings › Forget everything,
confirmed twice; the window closes, the files and the key are erased, and ``run_gui``
starts the window again: empty, on a new key, with none of the old words on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 120  # a hang limit only
SENTENCE = "The lighthouse keeper counts forty-two gulls"

DRIVER = r'''
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.chats.store import ChatStore
from app.config import paths, secrets
from app.ui import app as app_module
from app.ui.window import MainWindow

SENTENCE = sys.argv[1]
with ChatStore.default() as store:  # the history as the user left it
    conv = store.create_conversation("Gulls")
    user = store.add_user_message(conv.id, SENTENCE)
    store.start_answer(conv.id, user.id, "gpt-oss-20b", "low").finish("complete")
(paths.data_dir() / "pasted").mkdir()
(paths.data_dir() / "pasted" / "Pasted text 2.txt").write_text(SENTENCE)
(paths.data_dir() / "python").mkdir()
(paths.data_dir() / "python" / "1.sealed").write_bytes(b"CoveSL01" + bytes(64))
old_key = secrets.stored_key()
shown = []


def report(**what):
    print("REPORT " + json.dumps(what), flush=True)


def forget(window):
    """Settings › Where your data lives › Forget everything, confirmed twice."""
    def drive():
        dialog = QApplication.activeModalWidget()
        place = dialog.data_place
        place.forget_button.click()
        for text in ("Continue…", "Forget everything"):
            [button] = [b for b in place.question.buttons() if b.text() == text]
            button.click()
    QTimer.singleShot(0, drive)
    window.open_settings()


def on_show(window):
    shown.append(window)
    if len(shown) == 1:
        report(first=[c.title for c in window.store.conversations()])
        QTimer.singleShot(0, lambda: forget(window))
    else:  # the start after Forget everything
        report(second=[c.title for c in window.store.conversations()],
               new_key=window.store.key is not None and window.store.key != old_key,
               encrypted=window.store.key == secrets.stored_key())
        QTimer.singleShot(0, window.close)


real_open = MainWindow.open_history  # the window is whole once its history is open
def open_history(self, store):
    real_open(self, store)
    QTimer.singleShot(0, lambda: on_show(self))
MainWindow.open_history = open_history
code = app_module.run_gui([])
report(exit=code, windows=len(shown))
'''


def test_forget_everything_in_the_window_then_cove_starts_again_empty(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COVE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.FileKeyring",
           "COVE_TEST_KEYRING": str(tmp_path / "keyring.json"),
           "COVE_MODEL": str(tmp_path / "no-model.gguf")}  # not a first run: no welcome
    done = subprocess.run([sys.executable, "-c", DRIVER, SENTENCE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=HANG_S, check=False)
    reports: dict[str, object] = {}
    for line in done.stdout.splitlines():
        if line.startswith("REPORT "):
            reports.update(json.loads(line[len("REPORT "):]))
    assert done.returncode == 0, done.stderr[-3000:]
    assert reports == {"first": ["Gulls"], "second": [], "new_key": True, "encrypted": True,
                       "exit": 0, "windows": 2}, (reports, done.stderr[-3000:])
    assert "Traceback" not in done.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert SENTENCE.encode() not in path.read_bytes(), path
    assert not (home / "data" / "pasted").exists()
    assert not (home / "data" / "python").exists()
