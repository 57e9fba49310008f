"""`cove chat --allow-tools` as a user runs it: a real process, the real worker and the
scripted tool-calling gpt-oss (tests/tools/conftest.py), the python tool switched on
with `cove tools enable python` in a data folder of the test's own (COVE_HOME)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.tools import python as python_tool
from tests.tools.conftest import ANSWER, ToolModel

pytestmark = pytest.mark.skipif(not python_tool.supported(),
                                reason="no python sandbox on this OS")

QUESTION = "Run this code? [y/N]"


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "COVE_HOME": str(home)}


def cove(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin,
                          env=env_for(home), capture_output=True, text=True, timeout=300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data folder where the user switched the python tool on."""
    done = cove(tmp_path, "tools", "enable", "python")
    assert done.returncode == 0, done.stderr
    return tmp_path


@pytest.fixture
def python_model(tool_model: ToolModel) -> Path:
    """Calls python with `print("~")`, answers once it reads "~"."""
    return tool_model(channel="analysis", call=" to=python ", args='print("~")')


def chat(model: Path, *flags: str) -> list[str]:
    return ["chat", "--model", str(model), "--ctx", "2048", "--seed", "1", "--no-save",
            *flags, "Run something."]


def test_yes_tools_runs_the_call_and_shows_it_on_stderr(home: Path, python_model: Path
                                                        ) -> None:
    out = cove(home, *chat(python_model, "--allow-tools", "--yes-tools"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ANSWER, "stdout keeps only the answer"
    assert 'print("~")' in out.stderr, "the code is shown"
    assert "[tool python: done in " in out.stderr
    assert "\n~" in out.stderr.split("[tool python: done", 1)[1], "and its result"
    assert QUESTION not in out.stderr, "no terminal: nothing asked"


def test_without_a_terminal_a_call_that_asks_first_is_denied(home: Path,
                                                             python_model: Path) -> None:
    out = cove(home, *chat(python_model, "--allow-tools"))
    assert out.returncode == 0, out.stderr
    assert "[not run: no terminal to ask (--yes-tools runs calls without asking)]" \
        in out.stderr
    assert "[tool python: denied" in out.stderr
    assert "[tool python: done" not in out.stderr and "running]" not in out.stderr
    assert ANSWER not in out.stdout, "the model never read a result"


def test_no_tools_unless_allowed(home: Path, python_model: Path) -> None:
    out = cove(home, *chat(python_model, "--yes-tools"))
    assert out.returncode == 0, out.stderr
    assert "[tool " not in out.stderr, "no --allow-tools: nothing offered, nothing run"


def test_only_the_named_tools_are_offered(home: Path, python_model: Path) -> None:
    out = cove(home, *chat(python_model, "--allow-tools", "web", "--yes-tools"))
    assert out.returncode == 0, out.stderr
    assert "no tool is switched on for --allow-tools" in out.stderr
    assert "[tool python: done" not in out.stderr


@pytest.mark.parametrize(("reply", "ran"), [("y", True), ("n", False)])
def test_on_a_terminal_the_user_is_asked_with_the_code_shown(
        home: Path, python_model: Path, reply: str, ran: bool) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "app", *chat(python_model,
                                                                "--allow-tools")],
                            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_for(home))
    os.close(slave)
    killer = threading.Timer(300, proc.kill)  # a hang fails the test, never blocks it
    killer.start()
    try:
        assert proc.stderr is not None
        seen = b""
        while QUESTION.encode() not in seen:
            chunk = os.read(proc.stderr.fileno(), 4096)
            assert chunk, f"the question never came: {seen.decode(errors='replace')}"
            seen += chunk
        assert b'print("~")' in seen.split(QUESTION.encode())[0], "the code, above it"
        os.write(master, f"{reply}\n".encode())
        # Asked again after a denial (the scripted model repeats its call): deny those.
        for _ in range(3):
            os.write(master, b"n\n")
        stdout, rest = proc.communicate(timeout=300)
    finally:
        killer.cancel()
        os.close(master)
    err = (seen + rest).decode()
    assert proc.returncode == 0, err
    assert ("[tool python: done in " in err) is ran
    assert (stdout.decode().strip() == ANSWER) is ran


def test_a_question_right_after_allow_tools_is_the_question(home: Path,
                                                            python_model: Path) -> None:
    """argparse would take it for NAMES; it is not a tool's name, so it is asked."""
    out = cove(home, "chat", "--model", str(python_model), "--ctx", "2048", "--no-save",
               "--yes-tools", "--allow-tools", "Run something.")
    assert out.returncode == 0, out.stderr
    assert "[tool python: done in " in out.stderr
    assert out.stdout.strip() == ANSWER
