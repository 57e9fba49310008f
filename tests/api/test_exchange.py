"""An answered API chat as the history keeps it (app.api.exchange) in a real ChatStore
file: which program held it, its instructions, the answer with reasoning and counts;
export and import keep the program's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.api.chat_call import parse_chat
from app.api.completion import Ending
from app.api.exchange import Exchange, app_name, conversation_document
from app.chats.store import ChatStore


@pytest.mark.parametrize(("agent", "name"), [
    ("curl/8.5.0", "curl"), ("OpenAI/Python 1.54.0", "OpenAI/Python"),
    ("python-httpx/0.28.1", "python-httpx"), ("Zed", "Zed"), ("", ""), ("   ", ""),
    ("x" * 200, "x" * 60)])
def test_the_program_s_name_comes_from_its_user_agent(agent: str, name: str) -> None:
    assert app_name(agent) == name


def test_an_exchange_becomes_a_conversation_from_that_app(tmp_path: Path) -> None:
    call = parse_chat({"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "Name a colour."}], "reasoning_effort": "high"})
    exchange = Exchange(call, "gpt-oss-20b", "The user wants a colour.", "Teal.",
                        Ending("stop", 40, 7, 0, {"tokens_per_s": 31.5}), "Zed", 1.7e9)
    with ChatStore(tmp_path / "cove.db") as store:
        [conv] = store.import_json(conversation_document(exchange))
        assert (conv.from_app, conv.title, conv.system_prompt) == \
            ("Zed", "Hi", "Be brief.")
        path = store.path(conv.id)
        assert [(m.role, m.content) for m in path] == [
            ("user", "Hi"), ("assistant", "Hello!"), ("user", "Name a colour."),
            ("assistant", "Teal.")]
        answer = path[-1]
        assert (answer.reasoning, answer.model, answer.effort, answer.prompt_tokens,
                answer.completion_tokens, answer.tokens_per_s, answer.status) == \
            ("The user wants a colour.", "gpt-oss-20b", "high", 40, 7, 31.5, "complete")
        assert {h.conversation_id for h in store.search("colour")} == {conv.id}
        [again] = store.import_json(store.export_json(conv.id))
        assert again.from_app == "Zed"
        own = store.create_conversation("Mine")
        assert own.from_app is None
        assert store.import_json(store.export_json(own.id))[0].from_app is None


def test_calls_sent_back_are_kept_with_the_answer_they_led_to(tmp_path: Path) -> None:
    """A program's tool call and its result (two requests; the second is kept) become
    the answer's calls, as the window keeps its own, and a later turn's prompt gets
    them back from the history (app.session.tools.history_steps)."""
    from app.session.tools import history_steps

    call = parse_chat({"messages": [
        {"role": "user", "content": "Weather in Oslo?"},
        {"role": "assistant", "content": None, "reasoning_content": "Look it up.",
         "tool_calls": [{"id": "c1", "type": "function", "function": {
             "name": "weather", "arguments": '{"city":"Oslo"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny, 21 °C"}],
        "tools": [{"type": "function", "function": {"name": "weather"}}]})
    exchange = Exchange(call, "gpt-oss-20b", "", "Sunny and 21 °C.",
                        Ending("stop", 90, 8), "Zed", 1.7e9)
    with ChatStore(tmp_path / "cove.db") as store:
        [conv] = store.import_json(conversation_document(exchange))
        path = store.path(conv.id)
        assert [(m.role, m.content) for m in path] == [
            ("user", "Weather in Oslo?"), ("assistant", "Sunny and 21 °C.")]
        [record] = path[-1].calls()
        assert (record["tool"], record["arguments"], record["result"], record["status"]) \
            == ("weather", '{"city":"Oslo"}', "sunny, 21 °C", "done")
        assert history_steps(path[-1].calls()) == [
            {"role": "assistant", "content": "", "tool_call": {
                "recipient": "functions.weather", "channel": "commentary",
                "arguments": '{"city":"Oslo"}'}},
            {"role": "tool", "name": "functions.weather", "channel": "commentary",
             "content": "sunny, 21 °C"}]
