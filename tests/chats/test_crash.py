"""The crash guarantee, proved with a real kill: a separate process streams an answer
through AnswerWriter (default settings) and is SIGKILLed mid-answer. On reopening, the
conversation is there with the partial answer, marked interrupted, and at most about
two seconds of text are missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.chats.store import ChatStore

ROOT = Path(__file__).resolve().parents[2]
STREAM_S = 2.5
MAX_LOSS_S = 2.0

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


def test_killed_mid_answer_keeps_the_partial_answer(db_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        _, conv_id, message_id = proc.stdout.readline().split()
        started = time.monotonic()
        seen: list[tuple[float, int]] = []
        while time.monotonic() - started < STREAM_S:
            seen.append((time.monotonic(), int(proc.stdout.readline())))
        killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL) if hasattr(signal, "SIGKILL") else proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if hasattr(signal, "SIGKILL"):
        assert proc.returncode == -signal.SIGKILL

    appended = seen[-1][1]
    older = [count for when, count in seen if when <= killed_at - MAX_LOSS_S]
    must_have = older[-1] if older else 0
    with ChatStore(db_path) as store:
        assert store.interrupted_on_open == 1
        (conv,) = store.conversations()
        assert conv.id == int(conv_id) and conv.title == "Count for me, forever."
        _question, answer = store.path(conv.id)
        assert answer.id == int(message_id)
        assert (answer.status, answer.reasoning) == ("interrupted", "r" * 50)
        saved = answer.content.count(" ")
        assert answer.content == tokens(saved), "the saved text is an exact prefix"
        assert must_have <= saved <= appended, (
            f"saved {saved} tokens; {must_have} were appended over {MAX_LOSS_S} s "
            f"before the kill, {appended} in all")
        assert must_have > 0
