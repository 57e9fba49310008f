"""The leak fixture (tests/support/leaks.py) fails what leaks, and only that.

The leaking tests run in a pytest of their own (a subprocess, with the same fixture), so
that their failures are the result checked here and not failures of this suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = '''
import threading

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from tests.support.leaks import no_leaks

RELEASE = threading.Event()  # lets the leaked non-daemon thread end at the session's end


@pytest.fixture(scope="session")
def qapp():
    return QApplication.instance() or QApplication(["leaks"])


@pytest.fixture(scope="session")
def session_things(qapp):
    """What a session fixture keeps for every test: never blamed on a test."""
    thread = threading.Thread(target=RELEASE.wait, name="session-thread")
    thread.start()
    window = QWidget()
    window.setWindowTitle("session window")
    window.show()
    yield window
    RELEASE.set()
    thread.join()
    window.close()
    window.deleteLater()
'''

TESTS = '''
import threading

from PySide6.QtWidgets import QDialog, QWidget

from conftest import RELEASE

KEPT = []  # what the app would hold on to (a Python-owned widget dies with its last ref)


def test_leaks_a_daemon_thread():
    threading.Thread(target=threading.Event().wait, name="daemon-leak", daemon=True).start()


def test_leaks_a_non_daemon_thread():
    threading.Thread(target=RELEASE.wait, name="non-daemon-leak").start()


def test_leaks_a_shown_window(qapp):
    window = QWidget()
    window.setWindowTitle("forgotten window")
    window.show()
    KEPT.append(window)


def test_leaks_a_closed_but_undeleted_dialog(qapp):
    dialog = QDialog()
    dialog.setObjectName("closedDialog")
    dialog.show()
    dialog.close()
    KEPT.append(dialog)


def test_a_thread_that_is_ending_is_waited_for():
    go = threading.Event()
    threading.Thread(target=go.wait, name="ending").start()
    go.set()  # ends soon, not yet: the fixture joins it


def test_a_window_deleted_later_is_no_leak(qapp):
    window = QWidget()
    window.show()
    window.close()
    window.deleteLater()
    KEPT.append(window)


def test_what_a_session_fixture_keeps_is_no_leak(session_things):
    assert session_things.isVisible()
'''


def test_the_leak_fixture_fails_each_leak_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "test_leaky.py").write_text(textwrap.dedent(TESTS))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "COVE_TEST_LEAK_JOIN_S": "3"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    errors = {line.split("::")[1].split()[0] for line in out.splitlines()
              if line.startswith("ERROR ")}
    passed = {line.split("::")[1].split()[0] for line in out.splitlines()
              if line.startswith("PASSED ")}
    assert errors == {"test_leaks_a_daemon_thread", "test_leaks_a_non_daemon_thread",
                      "test_leaks_a_shown_window",
                      "test_leaks_a_closed_but_undeleted_dialog"}, out
    assert passed == {"test_leaks_a_daemon_thread", "test_leaks_a_non_daemon_thread",
                      "test_leaks_a_shown_window", "test_leaks_a_closed_but_undeleted_dialog",
                      "test_a_thread_that_is_ending_is_waited_for",
                      "test_a_window_deleted_later_is_no_leak",
                      "test_what_a_session_fixture_keeps_is_no_leak"}, out
    # The report names what leaked, for whoever has to find it.
    assert "'daemon-leak' (daemon, running threading.Event.wait)" in out
    assert "'non-daemon-leak' (non-daemon, running threading.Event.wait)" in out
    assert "QWidget titled 'forgotten window' (visible)" in out
    assert "QDialog 'closedDialog' (hidden, not deleted)" in out
    assert "session-thread" not in out and "session window" not in out
