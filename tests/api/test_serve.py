"""``cove serve`` with the gemma test model, spoken to by the official ``openai``
client and by raw HTTP (httpx2), as other programs on the computer would."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import httpx2
import openai
import pytest

from tests.api.conftest import Served, start_serve

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Name three colours."}]


def _post(served: Served, body: bytes | str, key: str | None = None,
          path: str = "/chat/completions") -> httpx2.Response:
    headers = {"Authorization": f"Bearer {key or served.key}",
               "Content-Type": "application/json"}
    return httpx2.post(served.base_url + path, content=body, headers=headers, timeout=120)


def test_it_lists_the_loaded_model(gemma_serve: Served) -> None:
    ids = [m.id for m in gemma_serve.client().models.list().data]
    assert ids[0] == "gemma-3-270m-q4_k_m"


def test_a_chat_is_answered_with_usage(gemma_serve: Served) -> None:
    reply = gemma_serve.client().chat.completions.create(
        model="gemma-3-270m-q4_k_m", messages=QUESTION, max_tokens=12, temperature=0)
    choice = reply.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.model == "gemma-3-270m-q4_k_m"
    usage = reply.usage
    assert usage is not None and usage.prompt_tokens > 5
    assert 0 < usage.completion_tokens <= 12
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_streaming_gives_the_same_answer_and_usage_last(gemma_serve: Served) -> None:
    client = gemma_serve.client()
    whole = client.chat.completions.create(model="", messages=QUESTION, max_tokens=16,
                                           temperature=0)
    chunks = list(client.chat.completions.create(
        model="", messages=QUESTION, max_tokens=16, temperature=0, stream=True,
        stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    finals = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finals[-1] == whole.choices[0].finish_reason and not any(finals[:-1])
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens


def test_raw_sse_is_openai_shaped(gemma_serve: Served) -> None:
    body = json.dumps({"messages": QUESTION, "max_tokens": 4, "stream": True,
                       "temperature": 0})  # greedy: the same 4 tokens, never an early end
    with httpx2.stream("POST", gemma_serve.base_url + "/chat/completions", content=body,
                       headers={"Authorization": f"Bearer {gemma_serve.key}"},
                       timeout=120) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    events = [json.loads(line[6:]) for line in lines[:-1]]
    assert {e["object"] for e in events} == {"chat.completion.chunk"}
    assert len({e["id"] for e in events}) == 1
    assert events[-1]["choices"][0]["finish_reason"] == "length"


def test_stop_strings_end_the_answer_before_them(gemma_serve: Served) -> None:
    client = gemma_serve.client()
    full = client.chat.completions.create(model="", messages=QUESTION, max_tokens=24,
                                          temperature=0).choices[0].message.content
    assert full and len(full) > 6
    stop = full[len(full) // 2: len(full) // 2 + 3]
    cut = full[: full.index(stop)]
    for stream in (False, True):
        reply = client.chat.completions.create(model="", messages=QUESTION, max_tokens=24,
                                               temperature=0, stop=[stop], stream=stream)
        if stream:
            chunks = list(reply)
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            finish = chunks[-1].choices[0].finish_reason
        else:
            text, finish = reply.choices[0].message.content, reply.choices[0].finish_reason
        assert (text, finish) == (cut, "stop")


def test_embeddings_as_floats_and_base64(gemma_serve: Served) -> None:
    client = gemma_serve.client()
    reply = client.embeddings.create(model="gemma-3-270m-q4_k_m",
                                     input=["The cat sat.", "Revenue grew."],
                                     encoding_format="float")
    assert [d.index for d in reply.data] == [0, 1]
    assert len(reply.data[0].embedding) == 640
    assert reply.usage.prompt_tokens > 0
    raw = _post(gemma_serve, json.dumps({"input": "The cat sat.", "model": "x",
                                         "encoding_format": "base64"}), path="/embeddings")
    packed = base64.b64decode(raw.json()["data"][0]["embedding"])
    decoded = struct.unpack(f"<{len(packed) // 4}f", packed)
    assert decoded == pytest.approx(reply.data[0].embedding, abs=1e-6)


def test_requests_without_the_key_get_401(gemma_serve: Served) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        openai.OpenAI(base_url=gemma_serve.base_url, api_key="wrong",
                      max_retries=0).models.list()
    assert caught.value.status_code == 401
    assert caught.value.body["code"] == "invalid_api_key"
    bare = httpx2.post(gemma_serve.base_url + "/chat/completions",
                       json={"messages": QUESTION}, timeout=30)
    assert bare.status_code == 401 and bare.json()["error"]["type"] == "invalid_request_error"
    assert "access-control-allow-origin" not in bare.headers  # no CORS unless configured


@pytest.mark.parametrize(("body", "status", "param"), [
    ("{not json", 400, None),
    ("[1, 2]", 400, None),
    ('{"messages": []}', 400, "messages"),
    ('{"messages": "hi"}', 400, "messages"),
    ('{"messages": [{"role": "user", "content": 5}]}', 400, "messages[0].content"),
    ('{"messages": [{"role": "wizard", "content": "hi"}]}', 400, "messages[0].role"),
    ('{"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}', 400,
     "temperature"),
    ('{"messages": [{"role": "user", "content": "hi"}], "max_tokens": true}', 400,
     "max_tokens"),
    ('{"messages": [{"role": "user", "content": "hi"}], "n": 2}', 400, "n"),
    ('{"messages": [{"role": "user", "content": "hi"}], "logprobs": true}', 400, "logprobs"),
    ('{"messages": [{"role": "user", "content": "hi"}], "reasoning_effort": "max"}', 400,
     "reasoning_effort"),
    ('{"messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function"}]}',
     400, "tools[0].function.name"),
    # an escaped lone surrogate is no character: it could never reach the model (it was
    # a 500 from the worker's pipe)
    ('{"messages": [{"role": "user", "content": "hi \\ud800"}]}', 400, None),
    pytest.param('{"messages": [{"role": "user", "content": "hi"}], "x": '
                 + "[" * 100_000 + "]" * 100_000 + "}", 400, None, id="nested-too-deep"),
    # gemma does not call tools: offering them, or sending a call and its result, is
    # refused rather than silently dropped from its prompt.
    ('{"messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function", '
     '"function": {"name": "f"}}]}', 400, "tools"),
    ('{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "tool_calls": '
     '[{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}, '
     '{"role": "tool", "tool_call_id": "a", "content": "r"}]}', 400, "messages"),
])
def test_bad_input_gets_an_openai_error(gemma_serve: Served, body: str, status: int,
                                        param: str | None) -> None:
    response = _post(gemma_serve, body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"] and error["type"] == "invalid_request_error"
    assert error["param"] == param


def test_a_lone_surrogate_in_embeddings_input_is_a_400(gemma_serve: Served) -> None:
    response = _post(gemma_serve, '{"input": ["fine", "\\udc00 alone"]}', path="/embeddings")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert _post(gemma_serve, json.dumps({"messages": QUESTION, "max_tokens": 2}
                                         )).status_code == 200


def test_a_body_over_10_mb_gets_413_and_the_server_goes_on(gemma_serve: Served) -> None:
    big = json.dumps({"messages": [{"role": "user", "content": "x" * (10 * 1024 * 1024)}]})
    response = _post(gemma_serve, big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    after = gemma_serve.client().chat.completions.create(model="", messages=QUESTION,
                                                         max_tokens=2)
    assert after.choices[0].message.content is not None


def test_unknown_fields_are_ignored(gemma_serve: Served) -> None:
    body = json.dumps({"messages": QUESTION, "max_tokens": 2, "user": "me",
                       "parallel_tool_calls": False, "some_extension": {"a": 1}})
    assert _post(gemma_serve, body).status_code == 200


def test_an_unknown_model_is_a_404_naming_the_models(gemma_serve: Served) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        gemma_serve.client().chat.completions.create(model="gpt-9", messages=QUESTION)
    assert "gemma-3-270m-q4_k_m" in caught.value.body["message"]


def test_it_listens_on_loopback_only_by_default(gemma_serve: Served) -> None:
    assert gemma_serve.base_url.startswith("http://127.0.0.1:")
    assert "listening on" not in gemma_serve.stderr


def test_another_address_is_used_only_when_given_and_warned(
        gemma_path: Path, tmp_path: Path) -> None:
    served = start_serve(["--model", str(gemma_path), "--ctx", "512", "--threads", "1",
                          "--host", "0.0.0.0"], tmp_path)
    try:
        assert served.base_url.startswith("http://0.0.0.0:")
        assert "WARNING: listening on 0.0.0.0" in served.stderr
    finally:
        assert served.stop() == 0


def test_a_request_s_seed_makes_its_answer_repeatable(gemma_serve: Served) -> None:
    """At temperature 1 gemma samples widely: the same seed gives the same text again
    (also after another request sampled with another seed), different seeds differ."""
    client = gemma_serve.client()
    story = [{"role": "user", "content": "Tell me a story about a fox."}]

    def answer(seed: int | None) -> str:
        extra = {} if seed is None else {"seed": seed}
        reply = client.chat.completions.create(model="", messages=story, max_tokens=24,
                                               temperature=1.0, **extra)
        return reply.choices[0].message.content or ""

    first = answer(1234)
    others = {answer(seed) for seed in (1, 2, 3)}
    again = answer(1234)
    assert first and again == first
    assert len(others | {first}) > 1, "different seeds all gave the same text"
