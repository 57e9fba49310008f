"""OpenAI-format messages ⇄ Cove's transcript (app/engine/openai_messages.py): what the
remote backend sends and what the local API reads, rendered with gpt-oss's real
template where it matters."""

from __future__ import annotations

from typing import Any

import pytest

from app.engine.openai_messages import (
    MessageError,
    call_to_openai,
    from_openai,
    next_call_id,
    to_openai,
    tools_from_openai,
    tools_to_openai,
)
from app.engine.prompt import ChatMessage, PromptRenderer

CALL_A = {"id": "a1", "type": "function", "function": {"name": "lookup",
                                                        "arguments": '{"q": "x"}'}}
CALL_B = {"id": "b2", "type": "function", "function": {"name": "weather",
                                                        "arguments": '{"city": "Graz"}'}}


def test_parallel_calls_become_one_step_each_with_its_result() -> None:
    messages, instructions = from_openai([
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": [{"type": "text", "text": "Use tools."}]},
        {"role": "user", "content": "What is x, and the weather?"},
        {"role": "assistant", "content": None, "reasoning_content": "two lookups",
         "tool_calls": [CALL_A, CALL_B]},
        {"role": "tool", "tool_call_id": "b2", "content": "rain"},
        {"role": "tool", "tool_call_id": "a1", "content": "42"},
    ])
    assert instructions == "Be brief.\n\nUse tools."
    assert messages == [
        {"role": "user", "content": "What is x, and the weather?"},
        {"role": "assistant", "content": "", "reasoning": "two lookups", "tool_call": {
            "recipient": "functions.lookup", "channel": "commentary",
            "arguments": '{"q": "x"}', "raw": ""}},
        {"role": "tool", "name": "functions.lookup", "channel": "commentary",
         "content": "42"},
        {"role": "assistant", "content": "", "tool_call": {
            "recipient": "functions.weather", "channel": "commentary",
            "arguments": '{"city": "Graz"}', "raw": ""}},
        {"role": "tool", "name": "functions.weather", "channel": "commentary",
         "content": "rain"},
    ]


def test_the_transcript_goes_out_and_comes_back_the_same() -> None:
    transcript: list[ChatMessage] = [
        {"role": "user", "content": "What is x?"},
        {"role": "assistant", "content": "", "tool_call": {
            "recipient": "functions.lookup", "channel": "commentary",
            "arguments": '{"q": "x"}', "raw": ""}},
        {"role": "tool", "name": "functions.lookup", "channel": "commentary",
         "content": "42"},
        {"role": "assistant", "content": "x is 42."},
        {"role": "user", "content": "Square it."},
        {"role": "assistant", "content": "", "reasoning": "use python", "tool_call": {
            "recipient": "python", "channel": "analysis", "arguments": "print(42 ** 2)",
            "raw": ""}},
        {"role": "tool", "name": "python", "channel": "analysis", "content": "1764"},
    ]
    wire = to_openai(transcript, "Be brief.", reasoning=True)
    assert wire[0] == {"role": "system", "content": "Be brief."}
    assert [m.get("tool_call_id") for m in wire if m["role"] == "tool"] == [
        "call00001", "call00002"]
    assert "reasoning" in wire[-2] and "reasoning" not in wire[2]  # this turn's only
    back, instructions = from_openai(wire, builtin_python=True)
    assert instructions == "Be brief." and back == transcript
    assert next_call_id(back) == "call00003"
    # Without tools offered, a request carries no tool steps of earlier turns; the
    # turn being answered keeps its own (the model answers with what it found).
    assert [m["role"] for m in to_openai(transcript, tools=False)] == [
        "user", "assistant", "user", "assistant", "tool"]
    assert [m["role"] for m in to_openai(transcript[:5], tools=False)] == [
        "user", "assistant", "user"]


def test_a_clients_call_and_result_render_as_the_turn_going_on(gpt_oss_template: str) -> None:
    """The local API's case: the client sends the model's call and the tool's result
    back; the prompt continues the same turn for the model, the result as plain text."""
    messages, _ = from_openai([
        {"role": "user", "content": "What is x?"},
        {"role": "assistant", "content": "", "tool_calls": [CALL_A]},
        {"role": "tool", "tool_call_id": "a1", "content": "42 <|end|>"},
    ])
    segments = PromptRenderer(gpt_oss_template).render(messages)
    text = "".join(s.text for s in segments)
    assert text.endswith(
        "<|start|>user<|message|>What is x?<|end|><|start|>assistant<|channel|>commentary "
        "to=functions.lookup <|constrain|>json<|message|>{\"q\": \"x\"}<|call|>"
        "<|start|>functions.lookup to=assistant<|channel|>commentary<|message|>42 <|end|>"
        "<|end|><|start|>assistant")
    assert "42 <|end|>" in {s.text for s in segments if not s.trusted}


@pytest.mark.parametrize("messages, param", [
    ([{"role": "tool", "tool_call_id": "zz", "content": "?"}], "messages[0].tool_call_id"),
    ([{"role": "assistant", "tool_calls": [CALL_A]},
      {"role": "tool", "tool_call_id": "nope", "content": "?"}], "messages[1].tool_call_id"),
    ([{"role": "function", "name": "f", "content": "?"}], "messages[0].role"),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
     "messages[0].content"),
    ([{"role": "assistant", "tool_calls": [{"id": "x", "function": "lookup"}]}],
     "messages[0].tool_calls[0]"),
    ([{"role": "assistant", "tool_calls": [
        {"id": "x", "function": {"name": "f", "arguments": 3}}]}],
     "messages[0].tool_calls[0].function.arguments"),
    ("hello", "messages"),
])
def test_what_cannot_be_read_names_the_field(messages: Any, param: str) -> None:
    with pytest.raises(MessageError) as caught:
        from_openai(messages)
    assert caught.value.param == param


def test_tools_both_ways() -> None:
    offers = tools_from_openai([{"type": "function", "function": {
        "name": "lookup", "description": "Looks up.",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}])
    assert offers == [{"name": "lookup", "description": "Looks up.", "kind": "function",
                       "parameters": {"type": "object",
                                      "properties": {"q": {"type": "string"}}}}]
    assert tools_to_openai(offers)[0]["function"]["name"] == "lookup"
    for bad, param in (([{"type": "code_interpreter"}], "tools[0]"),
                       ([{"type": "function", "function": {"name": "a b"}}],
                        "tools[0].function.name"),
                       ({"type": "function"}, "tools")):
        with pytest.raises(MessageError) as caught:
            tools_from_openai(bad)
        assert caught.value.param == param
    # A call the model made, as the API answers it.
    assert call_to_openai("functions.lookup", '{"q": "x"}', "call00001") == CALL_A | {
        "id": "call00001"}
