"""AnswerWriter: buffered, saved on time from a timer thread, safe from another thread,
and nothing lost when the disk fills up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.chats.errors import ChatStoreError
from app.chats.records import with_parts
from app.chats.store import ChatStore
from app.config.sqlcipher import driver as sqlite3  # the library Cove uses (one per process)
from app.engine import harmony, protocol
from app.engine.transcript import Reply
from tests.chats.conftest import exchange


def saved_text(db_path: Path, message_id: int) -> str:
    """What another process would read from the file right now."""
    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute(f"SELECT {with_parts('messages', 'content')} "
                                "FROM messages WHERE id = ?", (message_id,)).fetchone()[0])
    finally:
        conn.close()


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """True once ``condition`` holds; ``timeout`` only catches a hang (busy machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_append_is_buffered_until_flush(db_path: Path) -> None:
    with ChatStore(db_path, flush_interval=30) as store:
        conv = store.create_conversation()
        user = store.add_user_message(conv.id, "hi")
        writer = store.start_answer(conv.id, user.id, None, None)
        writer.append("Hello")
        assert saved_text(db_path, writer.message_id) == ""
        writer.flush()
        assert saved_text(db_path, writer.message_id) == "Hello"
        writer.flush()  # nothing new: nothing to do
        assert store.message(writer.message_id).status == "streaming"


def test_timer_saves_without_further_tokens(store: ChatStore, db_path: Path) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, None, None)
    writer.append("a pause follows")
    assert wait_for(lambda: saved_text(db_path, writer.message_id) == "a pause follows")
    writer.append(" and more")
    assert wait_for(lambda: saved_text(db_path, writer.message_id).endswith("more"))


def test_fed_from_a_background_thread_while_the_gui_reads(store: ChatStore) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "count")
    writer = store.start_answer(conv.id, user.id, "m", "low")
    tokens = [f"{i} " for i in range(5000)]

    def feed() -> None:
        for i, token in enumerate(tokens):
            writer.append(answer=token, reasoning="r" if i < 100 else "")

    thread = threading.Thread(target=feed)
    thread.start()
    while thread.is_alive():
        store.path(conv.id)
        store.conversations()
    thread.join()
    message = writer.finish("complete")
    assert message.content == "".join(tokens)
    assert message.reasoning == "r" * 100
    assert writer.finished


def test_finish_takes_the_engines_status_and_stats(store: ChatStore) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "medium")
    reply = Reply()
    for kind, text in [(harmony.REASONING, "Let me think."), (harmony.ANSWER, "Hello!")]:
        event = {"type": protocol.EVENT, "kind": kind, "text": text}
        reply.add(event)
        writer.append(answer=text if kind == harmony.ANSWER else "",
                      reasoning=text if kind == harmony.REASONING else "")
        time.sleep(0.03)
    reply.add({"type": protocol.DONE, "finish_reason": "cancelled",
               "stats": {"prompt_tokens": 42, "completion_tokens": 7, "tokens_per_s": 31.5,
                         "ttft_ms": 12.0, "n_ctx": 8192}})
    message = writer.finish(reply.status, reply.error, reply.stats)
    assert (message.status, message.content, message.reasoning) == (
        "stopped", "Hello!", "Let me think.")
    assert (message.prompt_tokens, message.completion_tokens, message.tokens_per_s) == (
        42, 7, 31.5)
    assert message.reasoning_ms is not None and message.reasoning_ms >= 25
    assert (message.model, message.effort) == ("gpt-oss-20b", "medium")


def test_worker_crash_is_kept_as_interrupted_with_its_error(store: ChatStore) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, None, None)
    writer.append("partial")
    reply = Reply()
    reply.add({"type": protocol.ERROR, "code": protocol.WORKER_CRASHED,
               "message": "The model stopped unexpectedly."})
    message = writer.finish(reply.status, reply.error, {"reasoning_ms": 5})
    assert (message.status, message.error, message.content) == (
        "interrupted", "The model stopped unexpectedly.", "partial")
    assert message.reasoning_ms == 5


def test_finish_rules(store: ChatStore) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, None, None)
    with pytest.raises(ValueError):
        writer.finish("streaming")
    writer.finish("error", error="Out of memory")
    writer.append("late token")  # ignored, never raises into the token loop
    with pytest.raises(ChatStoreError):
        writer.finish("complete")
    assert store.message(writer.message_id).content == ""


def test_streaming_answer_is_searchable_once_finished(store: ChatStore) -> None:
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, None, None)
    writer.append("zebracorn")
    writer.flush()
    assert store.search("zebracorn") == []
    writer.finish("complete")
    assert [h.message_id for h in store.search("zebracorn")] == [writer.message_id]


def test_close_saves_and_the_next_start_marks_interrupted(db_path: Path) -> None:
    store = ChatStore(db_path, flush_interval=30)
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    writer = store.start_answer(conv.id, user.id, None, None)
    writer.append("half an ans", reasoning="thought")
    store.close()
    with ChatStore(db_path) as again:
        assert again.interrupted_on_open == 1
        answer = again.path(conv.id)[-1]
        assert (answer.status, answer.content, answer.reasoning) == (
            "interrupted", "half an ans", "thought")
        assert again.search("half an ans")[0].message_id == answer.id


def test_disk_full_keeps_what_was_saved_and_loses_nothing_buffered(db_path: Path) -> None:
    store = ChatStore(db_path, flush_interval=0.05)
    conv = store.create_conversation()
    exchange(store, conv.id, "saved question", "saved answer")
    user = store.add_user_message(conv.id, "next question")
    writer = store.start_answer(conv.id, user.id, None, None)
    failures: list[ChatStoreError] = []
    writer.on_save_error = failures.append
    conn = store._connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is now full

    big = "x" * 200_000
    writer.append(big)
    assert wait_for(lambda: bool(failures))
    assert failures[0].kind == "disk_full" and "disk is full" in str(failures[0])
    assert writer.save_error is failures[0]
    with pytest.raises(ChatStoreError) as info:
        writer.finish("complete")
    assert info.value.kind == "disk_full"
    with pytest.raises(ChatStoreError):
        store.add_user_message(conv.id, big)
    assert [m.content for m in store.path(conv.id)] == [
        "saved question", "saved answer", "next question", ""]

    conn.execute("PRAGMA max_page_count = 1073741823")  # the user made room
    message = writer.finish("complete")
    assert message.content == big
    store.close()
    with ChatStore(db_path) as again:
        assert [m.content for m in again.path(conv.id)] == [
            "saved question", "saved answer", "next question", big]
