"""Regressions found by reviewing the session: closing during a revive, `cove chat`
going on after Ctrl+C and refusing a conversation in the bin, the window's close not
sending a queued message."""
from __future__ import annotations

import argparse
import io
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chat_loop import chat_loop
from app.chats.store import ChatStore
from app.engine import protocol
from app.engine.model_info import ModelInfo
from app.session import events
from app.session.ports import ChatRequest, Deliver
from app.session.service import Session
from tests.ui.test_window import send


# 1. Closing the window mid-answer with a message queued: old window just finished the
#    answer as stopped; now AnswerFinished reaches the view, which SENDS the queued
#    message while the window closes (a new question + an answer left 'streaming').
def test_closing_mid_answer_does_not_send_the_queued_message(
        qapp: QApplication, make_window: Any, scripted: Any, store: ChatStore) -> None:
    hold = threading.Event()
    window = make_window(scripted([], ["First answer."], hold=hold))
    send(qapp, window, "First")
    box = window.composer.input
    QTest.keyClicks(box, "Second, queued")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert window.composer.queued is not None
    conv = window.conversation_id
    window.close()
    hold.set()
    contents = [(m.role, m.content, m.status) for m in store.path(conv)]
    assert [c for _r, c, _s in contents if _r == "user"] == ["First"], contents


# 2. Session.close() finishes the answer twice when the engine's cancel ends it at once
#    (EngineBridge.cancel does so for a chat waiting on a revive: window closed while
#    "Loading ..." after an idle crash).
class _ReviveLikeEngine:
    """Behaves as EngineBridge while the chat waits for the worker to start again:
    cancel() delivers the chat's end at once, on the calling thread."""

    model = ModelInfo.of({"name": "m", "n_ctx": 1024})
    can_answer_now = False

    def __init__(self) -> None:
        self.deliver: Deliver | None = None

    def chat(self, request: ChatRequest, deliver: Deliver) -> None:
        self.deliver = deliver  # waits (the worker is being started again)

    def cancel(self) -> None:
        if self.deliver is not None:
            deliver, self.deliver = self.deliver, None
            deliver({"type": protocol.DONE, "id": 1, "finish_reason": "cancelled",
                     "stats": {}})

    def answer_now(self) -> None: ...
    def restart(self) -> None: ...


def test_close_during_a_revive_finishes_the_answer_once(tmp_path: Path) -> None:
    with ChatStore(tmp_path / "cove.db") as store:
        session = Session(store, _ReviveLikeEngine())  # type: ignore[arg-type]
        seen: list[events.Event] = []
        session.subscribe(seen.append)
        session.send(None, "Hello", "low")
        session.close(purge=False)
        finished = [e for e in seen if isinstance(e, events.AnswerFinished)]
        assert len(finished) == 1, [(e.status, e.save_error) for e in finished]


# 4. cove chat --continue ID accepts a conversation in the bin: its new messages are
#    purged with it when the window closes.
def test_continue_refuses_a_deleted_conversation(tmp_path: Path, monkeypatch: Any,
                                                  gemma_engine: Any) -> None:
    db = tmp_path / "cove.db"
    with ChatStore(db) as store:
        conv = store.create_conversation("Binned")
        store.add_user_message(conv.id, "old")
        store.delete_conversation(conv.id)
    monkeypatch.setattr(ChatStore, "default", classmethod(lambda cls, *_a, **_k: cls(db)))

    args = argparse.Namespace(prompt="new question", instructions=None, effort="low",
                              max_tokens=None, show_reasoning=False, no_save=False,
                              conversation=conv.id)
    err = io.StringIO()
    code = chat_loop(gemma_engine, args, {}, "", io.StringIO(), io.StringIO(), err)
    assert code != 0, "continued a conversation in the bin: purged at the window's close"
    assert str(conv.id) in err.getvalue()
    with ChatStore(db) as store:
        assert [m.content for m in store.path(conv.id)] == ["old"], "nothing added to it"


# 5. cove chat: Ctrl+C while the client waits for the worker (where the main thread
#    spends nearly all of an answer) ends the client's generator, so DirectEngine's
#    drain gets no 'done'; the session stays "generating" and the next question is
#    refused: cove chat exits 1 without a word, the answer left 'streaming'.
def test_ctrl_c_in_cove_chat_stops_the_answer_and_the_chat_goes_on(
        gemma_path: Path, engine_factory: Any, tmp_path: Path, monkeypatch: Any) -> None:
    db = tmp_path / "cove.db"
    monkeypatch.setattr(ChatStore, "default", classmethod(lambda cls, *_a, **_k: cls(db)))
    client = engine_factory()
    client.load(gemma_path, n_ctx=1024, seed=1)
    real, calls = client._recv, [0]

    def recv(timeout: Any = None) -> Any:
        calls[0] += 1
        if calls[0] == 6:  # SIGINT arrives while blocked reading the worker's pipe
            raise KeyboardInterrupt
        return real(timeout)

    monkeypatch.setattr(client, "_recv", recv)
    args = argparse.Namespace(prompt=None, instructions=None, effort="low",
                              max_tokens=300, show_reasoning=False, no_save=False,
                              conversation=None)
    stdin = io.StringIO("Write a long story about the sea.\nThe capital of France is\n\n")
    err = io.StringIO()
    code = chat_loop(client, args, {}, "", stdin, io.StringIO(), err)
    with ChatStore(db) as store:
        conv = store.conversations()[0]
        saved = [(m.role, m.status) for m in store.path(conv.id)]
    assert code == 0, err.getvalue()
    assert saved[:3] == [("user", "complete"), ("assistant", "stopped"),
                         ("user", "complete")], saved
    assert saved[3][0] == "assistant" and saved[3][1] in ("complete", "interrupted")
