"""Purging deleted conversations tells what else kept something about them (the
documents attached to them) first, and purges nothing when that fails."""

from __future__ import annotations

import pytest

from app.chats.errors import NotFoundError
from app.chats.store import ChatStore
from tests.chats.conftest import exchange


def test_purge_offers_the_ids_before_they_go(store: ChatStore) -> None:
    kept = store.create_conversation("kept")
    first = store.create_conversation("first")
    second = store.create_conversation("second")
    exchange(store, first.id, "question", "answer")
    store.delete_conversation(first.id)
    store.delete_conversation(second.id)
    offered: list[list[int]] = []

    def forget(ids: list[int]) -> None:
        offered.append(ids)
        assert store.conversation(ids[0]).deleted_at is not None, "still there when offered"

    assert store.purge_deleted(3600, forget=forget) == 0
    assert offered == [], "nothing to purge, nothing offered"
    assert store.purge_deleted(0, forget=forget) == 2
    assert offered == [[first.id, second.id]]
    assert [c.id for c in store.conversations()] == [kept.id]
    with pytest.raises(NotFoundError):
        store.conversation(first.id)


def test_a_failing_forget_purges_nothing_and_the_next_purge_tries_again(
        store: ChatStore) -> None:
    conv = store.create_conversation("to delete")
    store.delete_conversation(conv.id)

    def broken(ids: list[int]) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        store.purge_deleted(0, forget=broken)
    assert store.conversation(conv.id).deleted_at is not None
    assert store.conversations() == [], "still deleted to the user"
    offered: list[list[int]] = []
    assert store.purge_deleted(0, forget=offered.append) == 1
    assert offered == [[conv.id]]
