"""`cove chat` without a keyring, in a real terminal (a pty): asked once, the person
chooses a passphrase (typed twice, not echoed); later starts ask only for it, a wrong
one is said so and asked again, Ctrl+D quits with nothing changed; without a terminal
the command explains instead of prompting. Never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import sqlcipher

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 60.0  # a hang limit only
NO_KEYRING = "keyring.backends.fail.Keyring"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pty")
_started: list[int] = []


@pytest.fixture(autouse=True)
def _no_cove_left() -> Iterator[None]:
    """A failed expectation leaves no cove waiting at its prompt."""
    yield
    while _started:
        pid = _started.pop()
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG) == (0, 0):
                os.kill(pid, 9)
                os.waitpid(pid, 0)


class Terminal:
    """``cove chat --list`` (or ``command``) in a pseudo-terminal of its own (its
    controlling tty, so getpass reads from it as from a person's terminal)."""

    def __init__(self, home: Path, command: tuple[str, ...] = ("chat", "--list"),
                 **env_: str) -> None:
        env = {**os.environ, "COVE_HOME": str(home), "PYTHONPATH": str(ROOT),
               "PYTHON_KEYRING_BACKEND": NO_KEYRING, **env_}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes cove at once
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "app", *command], env)
        _started.append(self.pid)
        self.seen = ""

    def expect(self, text: str) -> str:
        """Read until ``text`` has been shown; returns everything shown so far."""
        deadline = time.monotonic() + HANG_S
        while text not in self.seen:
            assert time.monotonic() < deadline, f"never saw {text!r} in {self.seen!r}"
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child ended: nothing more will come
                    chunk = b""
                if not chunk:
                    assert text in self.seen, f"ended without {text!r}: {self.seen!r}"
                self.seen += chunk.decode("utf-8", "replace")
        return self.seen

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def exit_code(self) -> int:
        deadline = time.monotonic() + HANG_S
        while True:  # drain, so the child never blocks on a full terminal
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                os.close(self.fd)
                raise AssertionError(f"cove did not end: {self.seen!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            try:
                chunk = os.read(self.fd, 4096) if ready else b""
            except OSError:
                chunk = b""
            self.seen += chunk.decode("utf-8", "replace")
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)


def test_a_passphrase_chosen_and_asked_for_on_the_terminal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = Terminal(home)
    first.expect("Your choice [p/u/q]: ")
    first.type("p\n")
    first.expect("New passphrase: ")
    first.type("sea otter tide\n")
    first.expect("The same passphrase again: ")
    first.type("sea otter tide\n")
    assert first.exit_code() == 0, first.seen
    assert "sea otter" not in first.seen  # never echoed
    assert "cannot be used now" in first.seen and "Traceback" not in first.seen
    assert json.loads((home / "config" / "protection.json").read_text())["mode"] == \
        "passphrase"
    assert sqlcipher.is_plain(home / "data" / "cove.db") is False

    again = Terminal(home)
    again.expect("Passphrase of your history: ")
    assert "Your choice" not in again.seen  # the choice is asked once
    again.type("wrong otter\n")
    # getpass discards what was typed before its prompt: wait for the prompt itself
    again.expect("does not open your history.\r\nPassphrase of your history (again): ")
    again.type("sea otter tide\n")
    assert again.exit_code() == 0, again.seen
    assert "Traceback" not in again.seen

    quits = Terminal(home)
    quits.expect("Passphrase of your history: ")
    quits.type("\x04")  # Ctrl+D
    assert quits.exit_code() == 1
    assert "Nothing was changed" in quits.seen and "Traceback" not in quits.seen


def test_cove_chat_asks_before_it_loads_the_model(tmp_path: Path, gemma_path: Path) -> None:
    """Loading a model can take a minute: the question comes first, and quitting there
    never starts the model's worker."""
    home = tmp_path / "home"
    chat = Terminal(home, ("chat", "--model", str(gemma_path), "Say hello"))
    chat.expect("Your choice [p/u/q]: ")
    assert not (home / "logs" / "worker.log").exists()  # no worker started yet
    chat.type("q\n")
    assert chat.exit_code() == 1
    assert "Nothing was changed" in chat.seen and "Traceback" not in chat.seen
    assert not (home / "logs" / "worker.log").exists()


def test_without_a_terminal_it_explains_instead_of_asking(tmp_path: Path) -> None:
    env = {**os.environ, "COVE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": NO_KEYRING}
    done = subprocess.run([sys.executable, "-m", "app", "chat", "--list"], cwd=ROOT,
                          env=env, stdin=subprocess.PIPE, capture_output=True, text=True,
                          timeout=HANG_S, check=False)
    assert done.returncode == 1
    assert "keyring" in done.stderr and "passphrase" in done.stderr
    assert "cove chat in a terminal" in done.stderr and "Nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "home" / "data" / "cove.db").exists()
