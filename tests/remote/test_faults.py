"""What the real server cannot be made to do on demand, from a scripted one on
127.0.0.1: a rate limit with Retry-After, and malformed chunks in the stream."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from app.engine import backend as codes
from app.engine.remote import RemoteBackend
from app.engine.transcript import Reply
from tests.remote.servers import FakeServer, chunk, send_sse

HI = [{"role": "user", "content": "Hi"}]


def rate_limited(handler: BaseHTTPRequestHandler) -> None:
    body = json.dumps({"error": {"message": "Rate limit reached for requests",
                                 "type": "requests", "code": "rate_limit_exceeded"}}).encode()
    handler.send_response(429)
    handler.send_header("Retry-After", "7")
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_rate_limit_says_when_to_try_again(
        remote_factory: Callable[..., RemoteBackend]) -> None:
    with FakeServer(rate_limited) as server:
        remote = remote_factory(server.url, "gpt-oss-20b")
        seen = list(remote.chat(HI))
    assert len(seen) == 1
    error = seen[0]
    assert error["type"] == "error" and error["code"] == codes.RATE_LIMITED
    assert error["retry_after"] == 7.0
    assert "Try again in 7 seconds" in error["message"]
    assert "Nothing was lost" in error["message"]


def malformed(handler: BaseHTTPRequestHandler) -> None:
    send_sse(handler, [
        json.dumps({"choices": [{"index": 0, "delta": {"role": "assistant"}}]}),
        chunk("Hel"),
        "{this is not json",
        chunk("lo"),
        json.dumps({"choices": "nope"}),
        "[1, 2, 3]",
        json.dumps({"choices": [{"delta": {"content": 42}}]}),
        chunk(", world"),
        chunk(finish="stop"),
        json.dumps({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4}}),
        "[DONE]",
    ], delay=0.002)


def test_malformed_chunks_are_skipped_and_counted(
        remote_factory: Callable[..., RemoteBackend]) -> None:
    with FakeServer(malformed) as server:
        remote = remote_factory(server.url, "some-model")
        reply, seen = Reply(), []
        for msg in remote.chat(HI):
            seen.append(msg)
            reply.add(msg)
    assert reply.error is None and reply.finish_reason == "stop"
    assert reply.answer == "Hello, world"
    assert reply.stats["malformed_chunks"] == 4
    assert reply.stats["completion_tokens"] == 4 and reply.stats["prompt_tokens"] == 9
    assert seen[-2] == {"type": "event", "kind": "message_end", "text": "",
                        "channel": "final", "recipient": None, "truncated": False}


def only_garbage(handler: BaseHTTPRequestHandler) -> None:
    send_sse(handler, ["<html>", "{oops", "[DONE"])


def test_a_stream_of_nothing_but_garbage_is_a_clear_error(
        remote_factory: Callable[..., RemoteBackend]) -> None:
    with FakeServer(only_garbage) as server:
        remote = remote_factory(server.url, "some-model")
        seen = list(remote.chat(HI))
    assert seen[-1]["type"] == "error" and seen[-1]["code"] == codes.BAD_RESPONSE
    assert "3 malformed chunks" in seen[-1]["message"]


def odd_call_index(handler: BaseHTTPRequestHandler) -> None:
    send_sse(handler, [
        chunk(tool_calls=[{"index": [0], "id": "c1", "type": "function",
                           "function": {"name": "lookup", "arguments": '{"q":'}}]),
        chunk(tool_calls=[{"index": [0], "function": {"arguments": '"x"}'}}]),
        chunk(finish="tool_calls"),
        "[DONE]",
    ])


def test_a_call_index_that_is_not_a_number_is_still_read(
        remote_factory: Callable[..., RemoteBackend]) -> None:
    """A list as a call's index raised TypeError (unhashable) out of the stream."""
    with FakeServer(odd_call_index) as server:
        remote = remote_factory(server.url, "gpt-oss-20b")
        reply = Reply()
        for msg in remote.chat(HI):
            reply.add(msg)
    assert reply.error is None
    assert [(c["recipient"], c["arguments"]) for c in reply.tool_calls] == [
        ("functions.lookup", '{"q":"x"}')]
