"""Fixtures for the history tests: a real SQLite file in a private folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.chats.store import ChatStore, Message


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cove.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[ChatStore]:
    """A store whose streaming answers save every 50 ms, so tests need not wait."""
    s = ChatStore(db_path, flush_interval=0.05)
    yield s
    s.close()


def exchange(store: ChatStore, conversation_id: int, question: str, answer: str,
             reasoning: str = "") -> tuple[Message, Message]:
    """One user message and its finished answer, after the current leaf."""
    user = store.add_user_message(conversation_id, question)
    writer = store.start_answer(conversation_id, user.id, "gpt-oss-20b", "low")
    writer.append(answer=answer, reasoning=reasoning)
    return user, writer.finish("complete")
