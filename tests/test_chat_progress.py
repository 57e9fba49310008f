"""`cove chat` shows the prompt being read on a terminal, as the window does ("Reading
the conversation… 40 % · about 10 s left"), and keeps a pipe's stderr free of it:
a real process, the real worker and gemma."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

# About 900 gemma tokens: read in several chunks, each followed by a progress report.
QUESTION = " ".join(f"Item {i} is a {('red', 'green', 'blue')[i % 3]} box." for i in range(120)) \
    + " Which colour is item 7?"


def command(gemma_path: Path) -> list[str]:
    return [sys.executable, "-m", "app", "chat", "--model", str(gemma_path), "--ctx", "4096",
            "--seed", "1", "--max-tokens", "4", "--no-save", QUESTION]


def test_on_a_terminal_the_reading_shows_and_goes(gemma_path: Path, tmp_path: Path) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(command(gemma_path), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave,
                            env={**os.environ, "COVE_HOME": str(tmp_path)})
    os.close(slave)
    killer = threading.Timer(300, proc.kill)  # a hang fails the test, never blocks it
    killer.start()
    seen = b""
    try:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the process closed its end
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=300)
    finally:
        killer.cancel()
        os.close(master)
    err = seen.decode(errors="replace")
    assert proc.returncode == 0, err
    assert "Reading the conversation… " in err and " %" in err, err
    assert "\r\x1b[K" in err  # rewritten in place, and cleared before the answer


def test_a_pipe_gets_no_progress(gemma_path: Path, tmp_path: Path) -> None:
    done = subprocess.run(command(gemma_path), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COVE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "Reading" not in done.stderr and done.stdout.strip()
