"""Saved prompt states (the worker's KV cache of a conversation, app.engine.kv_store)
on an encrypted history: sealed with the history's key, so the file holds neither the
conversation's token ids (which read straight back into its words) nor a plain state.

A grep for the words cannot tell: a state holds token ids and numbers, never the
text, so a plain one passes it too. This checks the token ids' own bytes instead."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from app.chats.store import ChatStore
from app.config import at_rest
from app.engine.client import EngineClient, states_folder
from app.engine.kv_store import PURPOSE, read_state

DOCUMENT = "<documents>\n[1] ledger.txt\n" + " ".join(
    f"Barge {i} of the Quillmere canal carries {i * 3} crates of slate." for i in range(40)
) + "\n</documents>"


def test_a_real_workers_saved_state_is_sealed_with_the_historys_key(
        home: Path, gemma_path: Path, tmp_path: Path) -> None:
    with ChatStore.default() as store:
        assert store.key is not None
    key = at_rest.file_key(PURPOSE)
    assert key is not None
    client = EngineClient(log_path=tmp_path / "worker.log")
    try:
        client.keep_states(states_folder(), key, 1 << 30)  # as the window does
        client.load(gemma_path, n_ctx=4096, seed=1)
        done = client.wait_prefilled(client.prefill(
            [{"role": "user", "content": f"{DOCUMENT}\n\n"}], "Answer briefly."))
        assert done["saved"], done
    finally:
        client.close()
    [state] = states_folder().glob("*.kvs")
    raw = state.read_bytes()
    tokens, _ = read_state(state, key)  # the key opens it
    assert len(tokens) == done["tokens"] > 100
    assert array("i", tokens[:16]).tobytes() not in raw  # no run of its token ids
    assert b"Quillmere" not in raw
    with pytest.raises(ValueError):
        read_state(state, None)  # not a plain state
