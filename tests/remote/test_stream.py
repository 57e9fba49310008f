"""How a server's deltas become Cove's events, whichever way the server returns gpt-oss's
reasoning; the request bodies; the address policy. Pure functions: no server."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import backend as codes
from app.engine import protocol
from app.engine.backend import describe
from app.engine.remote import RemoteBackend
from app.engine.remote_errors import RemoteError, retry_after
from app.engine.remote_request import chat_body, normalise_url, responses_body
from app.engine.remote_stream import (
    StreamAssembler,
    StreamCounts,
    StreamError,
    read_chat_chunk,
    read_responses_event,
    sse_data,
)
from app.engine.transcript import Reply

TOKEN = re.compile(r"<\|[A-Za-z0-9_]{1,40}\|>")
HARMONY = ("<|channel|>analysis<|message|>The user greets. Reply kindly.<|end|>"
           "<|start|>assistant<|channel|>final<|message|>Hello! How can I help?")


def replay(chunks: list[dict[str, Any]], gpt_oss: bool = True,
           finish: str | None = None) -> tuple[Reply, list[dict[str, Any]], StreamCounts]:
    out, counts = StreamAssembler(gpt_oss), StreamCounts()
    events = []
    for data in chunks:
        events += read_chat_chunk(data, out, counts)
    events += out.finish(finish or counts.finish_reason)
    msgs = [{"type": "event", "kind": e.kind, "text": e.text, "channel": e.channel,
             "recipient": e.recipient, "truncated": e.truncated} for e in events]
    reply = Reply()
    for m in msgs:
        reply.add(m)
    return reply, msgs, counts


def delta(finish: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": fields, "finish_reason": finish}]}


def kinds(msgs: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    folded: list[tuple[str, str | None]] = []
    for m in msgs:
        step = (m["kind"], m["channel"])
        if not folded or folded[-1] != step or m["kind"] not in ("answer", "reasoning"):
            folded.append(step)
    return folded


EXPECTED = [("message_start", "analysis"), ("reasoning", "analysis"),
            ("message_end", "analysis"), ("message_start", "final"), ("answer", "final"),
            ("message_end", "final")]


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_in_its_own_field(field: str) -> None:
    reply, msgs, _ = replay([
        delta(role="assistant", content=""),
        delta(**{field: "The user greets."}), delta(**{field: " Reply kindly."}),
        delta(content="Hello!"), delta(content=" How can I help?"),
        delta(finish="stop"),
    ])
    assert reply.reasoning == "The user greets. Reply kindly."
    assert reply.answer == "Hello! How can I help?"
    assert kinds(msgs) == EXPECTED
    assert not any(m["truncated"] for m in msgs)


def test_vllm_sends_both_reasoning_fields_once() -> None:
    reply, _, _ = replay([delta(reasoning_content="Think.", reasoning="Think."),
                          delta(content="Done."), delta(finish="stop")])
    assert reply.reasoning == "Think." and reply.answer == "Done."


def test_raw_harmony_text_in_content() -> None:
    pieces = [HARMONY[i:i + 5] for i in range(0, len(HARMONY), 5)]  # tokens split apart
    reply, msgs, _ = replay([delta(content=p) for p in pieces] + [delta(finish="stop")])
    assert reply.reasoning == "The user greets. Reply kindly."
    assert reply.answer == "Hello! How can I help?"
    assert kinds(msgs) == EXPECTED
    assert all("<|" not in m["text"] and "|>" not in m["text"] for m in msgs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(HARMONY) - 1), max_size=12))
def test_raw_harmony_whatever_the_split(cuts: list[int]) -> None:
    bounds = [0, *sorted(set(cuts)), len(HARMONY)]
    pieces = [HARMONY[a:b] for a, b in itertools.pairwise(bounds)]
    reply, msgs, _ = replay([delta(content=p) for p in pieces] + [delta(finish="stop")])
    assert (reply.reasoning, reply.answer) == ("The user greets. Reply kindly.",
                                               "Hello! How can I help?")
    assert all("<|" not in m["text"] for m in msgs)


def test_harmony_whose_tokens_the_server_dropped() -> None:
    # llama-cpp-python's server detokenizes without special tokens.
    flat = "analysisThe user greets. Reply kindly.assistantfinalHello! How can I help?"
    for size in (1, 3, 7, 100):
        pieces = [flat[i:i + size] for i in range(0, len(flat), size)]
        reply, msgs, _ = replay([delta(content=p) for p in pieces] + [delta(finish="stop")])
        assert reply.reasoning == "The user greets. Reply kindly.", size
        assert reply.answer == "Hello! How can I help?", size
        assert kinds(msgs) == EXPECTED


def test_plain_text_is_not_mistaken_for_harmony() -> None:
    reply, _, _ = replay([delta(content="analysis"), delta(content=" of the data: fine")],
                         finish="stop")
    assert reply.answer == "analysis of the data: fine" and reply.reasoning == ""
    other, _, _ = replay([delta(content="analysisWe")], gpt_oss=False, finish="stop")
    assert other.answer == "analysisWe"  # only gpt-oss writes harmony


def test_stray_control_tokens_never_reach_the_text() -> None:
    reply, msgs, _ = replay([delta(content="Hi <|im_"), delta(content="end|> there <"),
                             delta(content="b>")], gpt_oss=False, finish="stop")
    assert reply.answer == "Hi  there <b>"
    assert kinds(msgs) == [("message_start", "final"), ("answer", "final"),
                           ("message_end", "final")]


def test_cut_off_answer_is_marked_truncated() -> None:
    reply, msgs, _ = replay([delta(reasoning_content="Hmm"), delta(content="Par"),
                             delta(finish="length")])
    assert reply.finish_reason is None and reply.truncated
    assert msgs[-1]["kind"] == "message_end" and msgs[-1]["truncated"]
    assert not msgs[2]["truncated"]  # the reasoning did end: the answer began


def test_tool_calls() -> None:
    reply, _, _ = replay([
        delta(reasoning_content="Need weather."),
        delta(tool_calls=[{"index": 0, "id": "c1", "type": "function",
                           "function": {"name": "get_weather", "arguments": ""}}]),
        delta(tool_calls=[{"index": 0, "function": {"arguments": '{"city":'}}]),
        delta(tool_calls=[{"index": 0, "function": {"arguments": '"Paris"}'}}]),
        delta(finish="tool_calls"),
    ])
    assert reply.tool_calls[0]["recipient"] == "functions.get_weather"
    assert reply.tool_calls[0]["arguments"] == '{"city":"Paris"}'
    assert reply.finish_reason is None  # done comes from the backend


def test_malformed_chunks_are_counted() -> None:
    _, _, counts = replay([{"choices": "x"}, [], delta(content=3), delta(content="ok")])
    assert counts.malformed == 3


def test_an_error_inside_the_stream() -> None:
    with pytest.raises(StreamError, match="out of memory"):
        replay([delta(content="Hel"), {"error": {"message": "CUDA out of memory"}}])


def test_responses_api_events() -> None:
    out, counts, tools = StreamAssembler(True), StreamCounts(), {}
    stream = [
        {"type": "response.created", "response": {}},
        {"type": "response.reasoning_text.delta", "delta": "Think."},
        {"type": "response.output_text.delta", "delta": "Hello"},
        {"type": "response.output_text.delta", "delta": "!"},
        {"type": "response.completed",
         "response": {"usage": {"input_tokens": 12, "output_tokens": 5}}},
    ]
    events = []
    for data in stream:
        events += read_responses_event(data, out, counts, tools)
    events += out.finish(counts.finish_reason)
    reply = Reply()
    for e in events:
        reply.add({"type": "event", "kind": e.kind, "text": e.text, "channel": e.channel,
                   "recipient": e.recipient, "truncated": e.truncated})
    assert (reply.reasoning, reply.answer) == ("Think.", "Hello!")
    assert counts.completed and counts.finish_reason == "stop"
    assert counts.usage == {"prompt_tokens": 12, "completion_tokens": 5}
    incomplete = StreamCounts()
    read_responses_event({"type": "response.incomplete", "response": {
        "incomplete_details": {"reason": "max_output_tokens"}}}, out, incomplete, tools)
    assert incomplete.finish_reason == "length"


def test_chat_body() -> None:
    body = chat_body("openai/gpt-oss-20b", [{"role": "user", "content": "Hi"},
                                            {"role": "assistant", "content": "Yo",
                                             "reasoning": "secret"},
                                            {"role": "user", "content": "Again"}],
                     instructions="Be brief.", effort="high",
                     sampling={"temp": 0.2, "top_k": 5}, max_tokens=99, stop=["\nUser:"])
    assert body["messages"] == [{"role": "system", "content": "Be brief."},
                                {"role": "user", "content": "Hi"},
                                {"role": "assistant", "content": "Yo"},
                                {"role": "user", "content": "Again"}]
    assert body["reasoning_effort"] == "high"
    assert body["chat_template_kwargs"] == {"reasoning_effort": "high"}
    assert body["temperature"] == 0.2 and body["top_p"] == 1.0 and body["top_k"] == 5
    assert body["max_tokens"] == 99 and body["stop"] == ["\nUser:"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    plain = chat_body("llama-3", [{"role": "user", "content": "Hi"}])
    assert "temperature" not in plain and "max_tokens" not in plain  # the server's defaults
    with pytest.raises(ValueError, match="unknown sampling"):
        chat_body("m", [], sampling={"mirostat": 2})
    with pytest.raises(ValueError, match="effort"):
        chat_body("m", [], effort="extreme")


def test_responses_body() -> None:
    body = responses_body("gpt-oss-120b", [{"role": "user", "content": "Hi"}],
                          instructions="Be brief.", effort="low", max_tokens=50)
    assert body["reasoning"] == {"effort": "low"} and body["instructions"] == "Be brief."
    assert body["input"] == [{"role": "user", "content": "Hi"}]
    assert body["max_output_tokens"] == 50 and body["stream"] is True


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
    ("http://localhost:11434/v1/", "http://localhost:11434/v1"),
    ("http://[::1]:8000", "http://[::1]:8000/v1"),
    ("localhost:8000", "http://localhost:8000/v1"),
    ("gpu-box.example:8000", "https://gpu-box.example:8000/v1"),
    ("https://gpu-box.example/api/v1", "https://gpu-box.example/api/v1"),
])
def test_addresses(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_plain_http_to_another_computer_needs_consent() -> None:
    with pytest.raises(RemoteError) as caught:
        normalise_url("http://192.168.1.20:8000")
    assert caught.value.code == codes.INSECURE_URL
    assert normalise_url("http://192.168.1.20:8000", allow_insecure=True) == \
        "http://192.168.1.20:8000/v1"
    with pytest.raises(RemoteError) as bad:
        normalise_url("ftp://host/v1")
    assert bad.value.code == protocol.BAD_REQUEST
    with pytest.raises(RemoteError, match="key field"):
        normalise_url("https://user:sk-secret@host/v1")


def testretry_after() -> None:
    assert retry_after("12") == 12.0
    later = datetime.now(timezone.utc) + timedelta(seconds=90)
    assert 80 < (retry_after(format_datetime(later, usegmt=True)) or 0) <= 90
    assert retry_after("soon") is None and retry_after(None) is None


def test_remote_backend_describes_itself_and_hides_its_key() -> None:
    remote = RemoteBackend("https://gpu-box.example/v1", "openai/gpt-oss-120b",
                           "sk-very-secret", name="Team box")
    with remote:
        info = describe(remote)
        assert info.kind == "remote" and info.harmony and not info.can_answer_now
        assert info.where == "Team box (https://gpu-box.example/v1)"
        assert "sk-very-secret" not in repr(remote) + json.dumps(remote.info)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Hello", " world", "<", "|", "<|end|>", "<|im_end|>", "a<b",
                                 ">", " 3 < 4", "|>", "\n"]), min_size=1, max_size=15),
       st.data())
def test_plain_answers_whatever_the_split(words: list[str], data: st.DataObject) -> None:
    text = "".join(words)
    cuts = data.draw(st.lists(st.integers(min_value=1, max_value=max(1, len(text) - 1)),
                              max_size=8))
    bounds = [0, *sorted({c for c in cuts if c < len(text)}), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    reply, msgs, _ = replay([delta(content=p) for p in pieces], gpt_oss=False, finish="stop")
    whole, _, _ = replay([delta(content=text)], gpt_oss=False, finish="stop")
    assert reply.answer == whole.answer
    assert not any(TOKEN.search(m["text"]) for m in msgs)
    assert not TOKEN.search(reply.answer)


def test_server_sent_events_are_read_whatever_the_chunking() -> None:
    stream = (b": ping\r\n\r\nevent: message\r\ndata: {\"a\": 1}\r\n\r\n"
              b"data: {\"b\":\ndata: 2}\n\nid: 7\nretry: 10\n\ndata: [DONE]\n\ndata: tail")
    expected = [b'{"a": 1}', b'{"b":\n2}', b"[DONE]", b"tail"]
    assert list(sse_data([stream])) == expected
    assert list(sse_data(stream[i:i + 1] for i in range(len(stream)))) == expected
