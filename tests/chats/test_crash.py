"""The crash guarantee, proved with a real kill: a separate process streams an answer
through AnswerWriter (default settings) and is SIGKILLed mid-answer. On reopening, the
conversation is there with the partial answer, marked interrupted, and nothing that
had reached the file is missing (the writer's timer saves while it streams: at most
about its interval of text is lost, which the writer's own tests check)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.chats.records import with_parts
from app.chats.store import ChatStore
from app.config.sqlcipher import driver as sqlite3  # the library Cove uses

ROOT = Path(__file__).resolve().parents[2]
HANG_S = 120.0  # a hang limit only

CHILD = r"""
import sys, time
from pathlib import Path
from app.chats.store import ChatStore

store = ChatStore(Path(sys.argv[1]))
conv = store.create_conversation()
user = store.add_user_message(conv.id, "Count for me, forever.")
writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
print("ready", conv.id, writer.message_id, flush=True)
i = 0
while True:
    writer.append(answer=f"t{i} ", reasoning="r" if i < 50 else "")
    i += 1
    print(i, flush=True)
    time.sleep(0.005)
"""


def tokens(count: int) -> str:
    return "".join(f"t{i} " for i in range(count))


def saved_tokens(db_path: Path, message_id: int) -> int:
    """Tokens of the answer in the file right now, as another process would read it."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        row = conn.execute(f"SELECT {with_parts('messages', 'content')} FROM messages "
                           "WHERE id = ?", (message_id,)).fetchone()
        return str(row[0] if row else "").count(" ")
    finally:
        conn.close()


def test_killed_mid_answer_keeps_the_partial_answer(db_path: Path) -> None:
    # No clock decides what must survive: the kill comes after the writer's timer has
    # saved the answer twice while it kept streaming, and everything the file held
    # then must be there after the kill (a busy machine only makes it all slower).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    appended = [0]
    try:
        _, conv_id, message_id = proc.stdout.readline().split()
        stdout = proc.stdout

        def count() -> None:  # the child's count of appended tokens, read as it goes
            for line in stdout:
                appended[0] = int(line)

        reader = threading.Thread(target=count, daemon=True)
        reader.start()
        flushes: list[int] = []
        deadline = time.monotonic() + HANG_S
        while len(flushes) < 2:
            saved_now = saved_tokens(db_path, int(message_id))
            if saved_now and saved_now != (flushes[-1] if flushes else 0):
                flushes.append(saved_now)
            assert time.monotonic() < deadline, "the answer never reached the file"
            time.sleep(0.02)
        must_have = flushes[-1]
        proc.send_signal(signal.SIGKILL) if hasattr(signal, "SIGKILL") else proc.kill()
        proc.wait(timeout=HANG_S)
        reader.join(HANG_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if hasattr(signal, "SIGKILL"):
        assert proc.returncode == -signal.SIGKILL

    with ChatStore(db_path) as store:
        assert store.interrupted_on_open == 1
        (conv,) = store.conversations()
        assert conv.id == int(conv_id) and conv.title == "Count for me, forever."
        _question, answer = store.path(conv.id)
        assert answer.id == int(message_id)
        assert (answer.status, answer.reasoning) == ("interrupted", "r" * 50)
        saved = answer.content.count(" ")
        assert answer.content == tokens(saved), "the saved text is an exact prefix"
        # (+ 1: the kill may fall between an append, which a flush saved, and its print)
        assert must_have <= saved <= appended[0] + 1, (
            f"saved {saved} tokens; {must_have} were in the file before the kill, "
            f"{appended[0]} appended in all")
