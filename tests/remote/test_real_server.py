"""RemoteBackend against llama-cpp-python's real OpenAI-compatible server on 127.0.0.1:
streaming, stop, effort passthrough, the model list, a wrong key, a server that dies or
goes silent mid-answer, a strict server, and TLS verification."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from app.engine import backend as codes
from app.engine.backend import Backend, describe, status_of
from app.engine.remote import RemoteBackend
from app.engine.servers import ServerConfig, check_connection
from app.engine.transcript import Reply
from tests.remote.conftest import API_KEY, GREEDY
from tests.remote.servers import LlamaServer, RecordingProxy, self_signed

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
LONG = 3000  # tokens: far more than a test waits for


def run(backend: Backend, messages: Any, **kw: Any) -> tuple[Reply, list[dict[str, Any]]]:
    reply, seen = Reply(), []
    for msg in backend.chat(messages, **kw):
        seen.append(msg)
        reply.add(msg)
    return reply, seen


def no_raw_tokens(seen: Iterable[dict[str, Any]]) -> bool:
    return all("<|" not in (m.get("text") or "") for m in seen)


def test_streams_the_same_answer_the_server_gives_at_once(
        gemma_server: LlamaServer, remote_factory: Callable[..., RemoteBackend]) -> None:
    # Greedy decoding: the streamed pieces must add up to the server's whole answer.
    whole = httpx2.post(gemma_server.url + "/chat/completions", timeout=120, json={
        "messages": QUESTION, "max_tokens": 24, "temperature": 0, "repeat_penalty": 1.0,
    }).json()["choices"][0]["message"]["content"]
    remote = remote_factory(gemma_server.url)  # no model named: the server's first
    reply, seen = run(remote, QUESTION, sampling=GREEDY, max_tokens=24)
    answers = [m for m in seen if m["type"] == "event" and m["kind"] == "answer"]
    assert len(answers) > 3, "the answer must stream, not arrive at once"
    assert reply.answer == whole and whole
    assert seen[0]["kind"] == "message_start" and seen[0]["channel"] == "final"
    assert seen[-1]["type"] == "done" and [m["type"] for m in seen].count("done") == 1
    assert reply.reasoning == ""
    stats = reply.stats
    assert stats["completion_tokens"] >= len(answers) and stats["tokens_per_s"] > 0
    assert stats["ttft_ms"] > 0 and stats["malformed_chunks"] == 0
    info = describe(remote)
    assert info.kind == "remote" and info.model == gemma_server.model_id
    assert not info.can_answer_now


def test_gpt_oss_stream_ends_cleanly_without_raw_tokens(oss_remote: RemoteBackend) -> None:
    reply, seen = run(oss_remote, [{"role": "user", "content": "Hi"}], sampling=GREEDY,
                      max_tokens=40)
    assert no_raw_tokens(seen)
    assert reply.finish_reason == "length" and reply.status == "interrupted"
    assert reply.answer and seen[-2]["kind"] == "message_end" and seen[-2]["truncated"]
    assert oss_remote.info["harmony"] is True  # the model's id names gpt-oss


def test_model_list(oss_server: LlamaServer, oss_remote: RemoteBackend) -> None:
    assert oss_remote.models() == [oss_server.model_id]
    verdict = check_connection(ServerConfig("lab", oss_server.url, oss_server.model_id),
                               API_KEY)
    assert verdict.ok and verdict.code == "ok"
    assert verdict.models == (oss_server.model_id,) and verdict.latency_ms is not None
    assert verdict.responses_api is False  # llama_cpp.server has chat completions only
    responses = check_connection(ServerConfig("lab", oss_server.url, api="responses"),
                                 API_KEY)
    assert not responses.ok and "no Responses API" in responses.message
    wrong = check_connection(ServerConfig("lab", oss_server.url, "gpt-oss-120b"), API_KEY)
    assert not wrong.ok and wrong.code == codes.NO_SUCH_MODEL
    assert oss_server.model_id in wrong.message


def test_stop_closes_the_stream_at_once_even_when_the_server_is_silent(
        oss_server: LlamaServer, oss_remote: RemoteBackend) -> None:
    assert oss_server.proc is not None
    log_before = len(oss_server.log_text())
    stream = oss_remote.chat([{"role": "user", "content": "Hi"}], max_tokens=LONG)
    reply, frozen = Reply(), False
    try:
        for msg in stream:
            reply.add(msg)
            if msg["type"] == "event" and msg["kind"] == "answer" and not frozen:
                # Freeze the server: from now on only closing the socket can end the
                # read (or, much later, the read timeout, which would not say
                # "cancelled"). The short pause lets the read block first.
                os.kill(oss_server.proc.pid, signal.SIGSTOP)
                frozen = True
                threading.Timer(0.2, oss_remote.cancel).start()
    finally:
        os.kill(oss_server.proc.pid, signal.SIGCONT)
    # Ended by the stop, not by a timeout (no clock: the silent server cannot end it).
    assert reply.finish_reason == "cancelled" and reply.status == "stopped"
    assert reply.answer, "what was written before the stop is kept"
    # The server saw the client go (and stops generating).
    deadline = time.monotonic() + 60  # a hang limit only
    while "Disconnected from client" not in oss_server.log_text()[log_before:]:
        assert time.monotonic() < deadline, "the server never saw the stream close"
        time.sleep(0.1)
    # And the backend works for the next answer.
    again, _ = run(oss_remote, [{"role": "user", "content": "Hi"}], max_tokens=5)
    assert again.finish_reason == "length"


def test_effort_is_passed_the_ways_servers_read_it(
        oss_server: LlamaServer, remote_factory: Callable[..., RemoteBackend]) -> None:
    with RecordingProxy(oss_server.port) as proxy:
        remote = remote_factory(proxy.url, oss_server.model_id, API_KEY)
        reply, _ = run(remote, [{"role": "user", "content": "Hi"}], effort="high",
                       instructions="Be brief.", max_tokens=4)
        assert reply.finish_reason == "length"
        body = proxy.bodies()[-1]
    assert body["reasoning_effort"] == "high"
    assert body["chat_template_kwargs"] == {"reasoning_effort": "high"}
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["stream"] is True and body["max_tokens"] == 4
    # gpt-oss gets OpenAI's recommended sampling, not the server's generic defaults.
    assert body["temperature"] == 1.0 and body["top_p"] == 1.0


def test_a_strict_server_gets_the_request_again_without_the_field_it_refuses(
        oss_server: LlamaServer, remote_factory: Callable[..., RemoteBackend]) -> None:
    with RecordingProxy(oss_server.port, refuse=("chat_template_kwargs",)) as proxy:
        remote = remote_factory(proxy.url, oss_server.model_id, API_KEY)
        first, _ = run(remote, [{"role": "user", "content": "Hi"}], effort="low",
                       max_tokens=3)
        second, _ = run(remote, [{"role": "user", "content": "Hi"}], effort="low",
                        max_tokens=3)
        bodies = proxy.bodies()
    assert first.error is None and second.error is None
    assert ["chat_template_kwargs" in b for b in bodies] == [True, False, False]
    assert all(b["reasoning_effort"] == "low" for b in bodies)


def test_a_wrong_or_missing_key_is_a_clear_error_and_the_key_never_shows(
        oss_server: LlamaServer, remote_factory: Callable[..., RemoteBackend],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong_key = "sk-wrong-key-555"
    remote = remote_factory(oss_server.url, oss_server.model_id, wrong_key, name="lab")
    reply, seen = run(remote, QUESTION)
    assert reply.error_code == codes.UNAUTHORIZED and seen[-1]["type"] == "error"
    assert "refused the API key" in (reply.error or "")
    keyless = remote_factory(oss_server.url, oss_server.model_id, name="lab")
    reply2, _ = run(keyless, QUESTION)
    assert reply2.error_code == codes.UNAUTHORIZED and "needs an API key" in (reply2.error or "")
    verdict = check_connection(ServerConfig("lab", oss_server.url), wrong_key)
    assert verdict.code == codes.UNAUTHORIZED
    shown = " ".join([str(seen), str(reply2.error), verdict.message, repr(remote),
                      str(remote.info), caplog.text])
    assert wrong_key not in shown and API_KEY not in shown


def test_server_killed_mid_answer_keeps_the_partial_answer(
        tiny_gpt_oss_path: Path, tmp_path: Path,
        remote_factory: Callable[..., RemoteBackend]) -> None:
    with LlamaServer(tiny_gpt_oss_path, tmp_path / "server.log", n_ctx=4096) as server:
        remote = remote_factory(server.url, server.model_id)
        reply, seen = Reply(), []
        for msg in remote.chat([{"role": "user", "content": "Hi"}], max_tokens=LONG):
            seen.append(msg)
            reply.add(msg)
            if msg["type"] == "event" and msg["kind"] == "answer" and server.proc:
                server.proc.kill()
                server.proc.wait()
                server.proc = None
    assert seen[-1]["type"] == "error" and seen[-1]["code"] == codes.SERVER_DISCONNECTED
    assert [m["type"] for m in seen].count("error") == 1
    assert reply.answer, "the partial answer is kept"
    assert "kept" in seen[-1]["message"]
    assert status_of(reply.error_code, reply.finish_reason, reply.error) == "interrupted"
    assert seen[-2]["kind"] == "message_end" and seen[-2]["truncated"]


def test_a_server_that_stops_sending_times_out(
        oss_server: LlamaServer, remote_factory: Callable[..., RemoteBackend]) -> None:
    assert oss_server.proc is not None
    # The timeout must be longer than a busy machine's pause between two tokens, so
    # that only the frozen server trips it.
    remote = remote_factory(oss_server.url, oss_server.model_id, API_KEY, read_timeout=6.0)
    run(remote, [{"role": "user", "content": "Hi"}], max_tokens=1)  # the prompt is cached now
    reply, seen = Reply(), []
    started = 0.0
    try:
        for msg in remote.chat([{"role": "user", "content": "Hi"}], max_tokens=LONG):
            seen.append(msg)
            reply.add(msg)
            if msg["type"] == "event" and msg["kind"] == "answer" and not started:
                os.kill(oss_server.proc.pid, signal.SIGSTOP)
                started = time.perf_counter()
    finally:
        os.kill(oss_server.proc.pid, signal.SIGCONT)
    assert seen[-1]["code"] == codes.TIMEOUT and "stopped answering" in seen[-1]["message"]
    assert reply.answer
    assert status_of(reply.error_code, reply.finish_reason, reply.error) == "interrupted"
    assert 5.0 <= time.perf_counter() - started < 120  # waited about the timeout; no hang


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_is_verified(tiny_gpt_oss_path: Path, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    with LlamaServer(tiny_gpt_oss_path, tmp_path / "tls.log", cert=cert, key=key,
                     n_ctx=512) as server:
        untrusted = check_connection(ServerConfig("tls", server.url))
        trusted = check_connection(ServerConfig("tls", server.url, ca_file=str(cert)))
        remote = RemoteBackend(server.url, server.model_id, ca_file=str(cert))
        with remote:
            reply, _ = run(remote, [{"role": "user", "content": "Hi"}], max_tokens=3)
    assert untrusted.code == codes.TLS_ERROR and "certificate" in untrusted.message
    assert trusted.ok, trusted.message
    assert reply.finish_reason == "length"


def test_unreachable_server() -> None:
    from tests.remote.servers import free_port

    verdict = check_connection(ServerConfig("gone", f"http://127.0.0.1:{free_port()}"))
    assert verdict.code == codes.SERVER_UNREACHABLE and "Cannot reach gone" in verdict.message
    with RemoteBackend(f"http://127.0.0.1:{free_port()}", "m") as remote:
        reply, seen = run(remote, QUESTION)
    assert reply.error_code == codes.SERVER_UNREACHABLE and len(seen) == 1
