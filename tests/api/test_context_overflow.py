"""A request that does not fit the loaded model's context is refused as OpenAI refuses
it (400, ``context_length_exceeded``, both numbers in the message), before anything is
generated; the API never leaves turns out as the window's chats do. ``cove serve`` with
gemma (context 2048) and the scripted tiny gpt-oss in this process."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openai
import pytest

from app.engine.client import EngineClient
from tests.api.conftest import InProcess, Served

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Say hello."}]


def conversation(turns: int) -> list[dict[str, str]]:
    """``turns`` user/assistant exchanges and a last question."""
    out: list[dict[str, str]] = []
    for i in range(turns):
        out += [{"role": "user", "content": f"a short turn {i}"},
                {"role": "assistant", "content": f"ok {i}"}]
    return [*out, {"role": "user", "content": "And now?"}]


def refusal(client: Any, messages: list[dict[str, str]], **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="", messages=messages, **kwargs)
    assert caught.value.status_code == 400
    body: dict[str, Any] = caught.value.body
    assert body["code"] == "context_length_exceeded"
    assert body["type"] == "invalid_request_error"
    return body


def test_a_long_conversation_is_refused_with_both_numbers(gemma_serve: Served) -> None:
    client = gemma_serve.client()
    body = refusal(client, conversation(120))
    said = re.search(r"This model's context is (\d+) tokens; your messages take (\d+),",
                     body["message"])
    assert said, body["message"]
    assert int(said.group(1)) == 2048
    assert int(said.group(2)) > 2048 - 512  # the least room an answer needs, of 2048
    # Not trimmed and answered: the same server answers what fits at once.
    reply = client.chat.completions.create(model="", messages=conversation(3), max_tokens=2)
    assert reply.usage.prompt_tokens > 0


def test_a_huge_conversation_is_refused_without_holding_the_model(gemma_serve: Served
                                                                  ) -> None:
    """270,000 short turns (under the 10 MB body limit): refused, saying it is more than
    the context; the model is free for the next request at once (bench/api_overflow.py
    measures how fast)."""
    client = gemma_serve.client(timeout=120)
    turns = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
    body = refusal(client, [*turns * 135_000, QUESTION[0]])
    said = re.search(r"context is 2048 tokens; your messages take more than (\d+)",
                     body["message"])
    assert said and int(said.group(1)) > 2048, body["message"]
    reply = client.chat.completions.create(model="", messages=QUESTION, max_tokens=2)
    assert reply.choices[0].finish_reason in ("length", "stop")


def test_max_tokens_beyond_what_remains_is_refused(gemma_serve: Served) -> None:
    client = gemma_serve.client()
    body = refusal(client, QUESTION, max_tokens=2040)
    assert re.search(r"context is 2048 tokens; your messages take \d+ and max_tokens "
                     r"asks for 2040 more", body["message"]), body["message"]
    # What fits is answered, up to its limit.
    reply = client.chat.completions.create(model="", messages=QUESTION, max_tokens=1500,
                                           temperature=0)
    assert reply.usage.prompt_tokens + 1500 <= 2048


def test_gpt_oss_refuses_before_generating_and_the_window_still_trims(
        in_process: Any, scripted_gpt_oss_path: Path, tmp_path: Path) -> None:
    api: InProcess = in_process(scripted_gpt_oss_path)
    long = conversation(150)
    body = refusal(api.client(), long, stream=True)
    assert "your messages take" in body["message"]
    assert api.tickets[-1].finish_reason is None  # no token was generated for it
    streamed = api.client().chat.completions.create(model="", messages=QUESTION,
                                                    max_tokens=3, stream=True)
    assert [c for c in streamed if c.choices and c.choices[0].finish_reason] != []
    # The same conversation from the window's side (trim on) loses its oldest turns.
    client = EngineClient(log_path=tmp_path / "worker.log")
    try:
        client.load(scripted_gpt_oss_path, n_ctx=2048, n_threads=2)
        seen = [m for m in client.chat(long, max_tokens=2)]
    finally:
        client.close()
    assert any(m.get("type") == "context_trimmed" for m in seen)
    assert seen[-1]["type"] == "done"
