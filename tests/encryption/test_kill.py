"""kill -9 mid-answer on an encrypted history: a separate process streams an answer
into the user's own history (``ChatStore.default``: SQLCipher, the key from the
keyring) and is SIGKILLed while the writer's timer is saving. On reopening with the
key, the file opens, the answer is there, marked interrupted, whole up to what was
saved, and what was lost had been written less than the save interval (1 s) before the
kill; the database and its write-ahead log hold none of the answer's words in clear."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.chats.records import with_parts
from app.chats.store import ChatStore
from app.chats.writer import FLUSH_INTERVAL_S
from app.config import paths, secrets, sqlcipher

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 120.0  # a hang limit only
SLACK_S = 0.5  # the timer thread's wake-up and the save's commit on a busy machine

CHILD = r"""
import sys, time
from app.chats.store import ChatStore

store = ChatStore.default()
conv = store.create_conversation()
user = store.add_user_message(conv.id, "Count for me, forever.")
writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
print("ready", conv.id, writer.message_id, flush=True)
i = 0
while True:
    writer.append(answer=f"quokka{i} ")
    print(i, time.monotonic(), flush=True)
    i += 1
    time.sleep(0.005)
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill -9")


def saved_count(db_path: Path, message_id: int) -> int:
    """Tokens of the answer in the file now, read with the key as another process."""
    key = secrets.stored_key()
    conn = sqlcipher.connect(db_path, key)
    try:
        row = conn.execute(f"SELECT {with_parts('messages', 'content')} FROM messages "
                           "WHERE id = ?", (message_id,)).fetchone()
        return str(row[0] if row else "").count(" ")
    except sqlcipher.driver.OperationalError:  # the schema not written yet
        return 0
    finally:
        conn.close()


def test_kill_mid_answer_loses_under_a_second_and_the_file_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    appended: dict[int, float] = {}  # token → when the child appended it
    db_path = paths.data_dir() / "cove.db"
    try:
        _, conv_id, message_id = proc.stdout.readline().split()
        stdout = proc.stdout

        def count() -> None:
            for line in stdout:
                i, at = line.split()
                appended[int(i)] = float(at)

        reader = threading.Thread(target=count, daemon=True)
        reader.start()
        saves: list[int] = []
        deadline = time.monotonic() + HANG_S
        while len(saves) < 3:  # the timer saved three times while it kept streaming
            now = saved_count(db_path, int(message_id))
            if now and now != (saves[-1] if saves else 0):
                saves.append(now)
            assert time.monotonic() < deadline, "the answer never reached the file"
            time.sleep(0.02)
        while len(appended) < saves[-1] + 300:  # past the next save: over 1.5 s of text
            assert time.monotonic() < deadline, "the child stopped appending"
            time.sleep(0.005)
        killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=HANG_S)
        reader.join(HANG_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    for name in ("cove.db", "cove.db-wal"):
        path = db_path.with_name(name)
        if path.exists():
            assert b"quokka" not in path.read_bytes(), f"{name} holds the answer in clear"
    with ChatStore.default() as store:  # the key from the keyring opens it
        assert store.key is not None and store.interrupted_on_open == 1
        answer = store.path(int(conv_id))[-1]
        saved = answer.content.count(" ")
    assert answer.status == "interrupted"
    assert answer.content == "".join(f"quokka{i} " for i in range(saved))
    assert saved >= saves[-1]  # nothing that had reached the file is missing
    if saved in appended:  # else every token appended was saved
        lost_s = killed_at - appended[saved]
        print(f"lost_s={lost_s:.3f} saved={saved} appended={len(appended)}")
        assert lost_s <= FLUSH_INTERVAL_S + SLACK_S
