"""The chat window cannot tell the backends apart: for the same conversation, the local
worker and a remote server running the same model yield the same sequence of message
types and event kinds, the same ending, and a Reply with the same status."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.engine import protocol
from app.engine.backend import Backend, describe
from app.engine.client import EngineClient
from app.engine.remote import RemoteBackend
from app.engine.transcript import Reply
from tests.remote.conftest import API_KEY, GREEDY
from tests.remote.servers import LlamaServer

# Progress of the worker's own prompt evaluation and its context trimming: a server
# does both out of sight.
LOCAL_ONLY = {protocol.PROMPT_PROGRESS, protocol.CONTEXT_TRIMMED}
CONVERSATION = [
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "And of Italy?"},
]


def shape(backend: Backend, **kw: Any) -> tuple[list[tuple[str, ...]], Reply]:
    """The message types and event kinds in order, runs of text deltas folded into one
    (how finely text is split is the transport's business), and the ending."""
    reply = Reply()
    seen: list[tuple[str, ...]] = []
    for msg in backend.chat(CONVERSATION, instructions="Answer briefly.", effort="low",
                            **kw):
        reply.add(msg)
        if msg["type"] in LOCAL_ONLY:
            continue
        if msg["type"] == "event":
            step: tuple[str, ...] = ("event", msg["kind"])
            if msg["kind"] == "message_end":
                step += (str(msg["truncated"]),)
        elif msg["type"] == "done":
            step = ("done", msg["finish_reason"])
        else:
            step = (msg["type"], msg.get("code", ""))
        if not seen or seen[-1] != step or step[-1] not in ("answer", "reasoning"):
            seen.append(step)
    return seen, reply


@pytest.fixture(scope="module")
def local_oss(tiny_gpt_oss_path: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineClient]:
    client = EngineClient(log_path=tmp_path_factory.mktemp("logs") / "worker.log")
    client.load(tiny_gpt_oss_path, n_ctx=1024, seed=3)
    yield client
    client.close()


@pytest.fixture(scope="module")
def local_plain(tiny_plain_path: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineClient]:
    client = EngineClient(log_path=tmp_path_factory.mktemp("logs") / "worker.log")
    client.load(tiny_plain_path, n_ctx=1024, seed=3)
    yield client
    client.close()


@pytest.mark.parametrize("max_tokens", [5, 30])
def test_plain_model_local_and_remote(
        local_plain: EngineClient, plain_server: LlamaServer,
        remote_factory: Callable[..., RemoteBackend], max_tokens: int) -> None:
    remote = remote_factory(plain_server.url, plain_server.model_id)
    local_seen, local_reply = shape(local_plain, sampling=GREEDY, max_tokens=max_tokens)
    remote_seen, remote_reply = shape(remote, sampling=GREEDY, max_tokens=max_tokens)
    assert local_seen == remote_seen
    assert local_seen[0] == ("event", "message_start") and local_seen[1] == ("event", "answer")
    assert local_reply.status == remote_reply.status
    assert local_reply.answer and remote_reply.answer
    assert describe(local_plain).harmony is describe(remote).harmony is False
    assert isinstance(local_plain, Backend) and isinstance(remote, Backend)


def test_gpt_oss_model_local_and_remote(
        local_oss: EngineClient, oss_server: LlamaServer,
        remote_factory: Callable[..., RemoteBackend]) -> None:
    remote = remote_factory(oss_server.url, oss_server.model_id, API_KEY)
    local_seen, local_reply = shape(local_oss, sampling=GREEDY, max_tokens=30)
    remote_seen, remote_reply = shape(remote, sampling=GREEDY, max_tokens=30)
    assert local_seen == remote_seen
    assert local_reply.status == remote_reply.status == "interrupted"  # the token limit
    assert describe(local_oss).harmony is describe(remote).harmony is True
    assert describe(local_oss).can_answer_now and not describe(remote).can_answer_now
