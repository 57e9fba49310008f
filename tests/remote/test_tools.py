"""Tools through a remote server: the offered tools go as the OpenAI API has them, the
streamed ``tool_calls`` end the answer with the call (as the local worker's do), and the
session's tool loop runs unchanged: the call and its result go back as an assistant
message with ``tool_calls`` and a ``role: tool`` message, and the answer streams. A
loopback server that behaves like vLLM / llama-server with tool calling on
(tests/remote/servers.py: ToolServer), a real history file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chats.store import ChatStore
from app.engine import backend as codes
from app.engine.events import Done, decode
from app.engine.prompt import ChatMessage, ToolOffer
from app.engine.remote import RemoteBackend
from app.session import events
from app.session.direct import DirectEngine
from app.session.service import AnswerOptions, Session
from tests.remote.servers import ToolServer
from tests.tools.test_tool_loop import Lookup, Pump

SCHEMA = {"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}}
LOOKUP: ToolOffer = {"name": "lookup", "kind": "function", "description": "Looks up.",
                     "parameters": SCHEMA}
PYTHON: ToolOffer = {"name": "python", "kind": "python", "description": ""}
QUESTION: list[ChatMessage] = [{"role": "user", "content": "What is x?"}]

Make = Callable[..., RemoteBackend]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChatStore]:
    with ChatStore(tmp_path / "cove.db") as s:
        yield s


def run(backend: RemoteBackend, messages: list[ChatMessage], tools: list[ToolOffer]
        ) -> tuple[list[dict[str, Any]], Done]:
    stream = list(backend.chat(messages, tools=tools))
    final = decode(stream[-1])
    assert isinstance(final, Done), stream[-1]
    return stream, final


def session_over(store: ChatStore, backend: RemoteBackend, tool: Any
                 ) -> tuple[Session, list[Any]]:
    session = Session(store, DirectEngine(backend), options=lambda: AnswerOptions(),
                      tools=lambda _conversation, _answer: [tool])
    seen: list[Any] = []
    session.subscribe(seen.append)
    return session, seen


def finished(seen: list[Any]) -> list[events.AnswerFinished]:
    return [e for e in seen if isinstance(e, events.AnswerFinished)]


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_a_streamed_call_ends_the_answer_with_the_call(remote_factory: Make,
                                                       api: str) -> None:
    with ToolServer() as server:
        backend = remote_factory(server.url, "gpt-oss-20b", api=api)
        stream, done = run(backend, QUESTION, [LOOKUP])
        assert done.finish_reason == "tool_call" and done.call is not None
        assert (done.call.recipient, done.call.channel, done.call.arguments) == (
            "functions.lookup", "commentary", '{"q": "x"}')
        # The reasoning came as reasoning, the call's arguments as a tool call's text.
        assert "".join(m["text"] for m in stream if m.get("kind") == "reasoning") \
            == "I should look it up."
        assert "".join(m["text"] for m in stream if m.get("kind") == "tool_call") \
            == '{"q": "x"}'
        assert not [m for m in stream if m.get("kind") == "answer"]
        body = server.bodies()[0]
        function = {"name": "lookup", "description": "Looks up.", "parameters": SCHEMA}
        assert body["tools"] == ([{"type": "function", "function": function}] if api == "chat"
                                 else [{"type": "function", **function}])


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_the_session_runs_the_tool_and_the_answer_goes_on(store: ChatStore,
                                                          remote_factory: Make,
                                                          api: str) -> None:
    tool = Lookup("sunny")
    with ToolServer() as server:
        backend = remote_factory(server.url, "gpt-oss-20b", api=api)
        session, seen = session_over(store, backend, tool)
        question = session.send(None, "What is x?")
        assert question is not None
        [answer] = finished(seen)
        assert answer.status == "complete" and answer.saved is not None
        assert answer.saved.content == "It is sunny."
        assert tool.calls == [{"q": "x"}]
        [call] = answer.saved.calls()
        assert (call["tool"], call["status"], call["result"]) == ("lookup", "done", "sunny")
        first, second = server.bodies()
        assert second["tools"] == first["tools"]
        if api == "chat":
            # The continuation: the request so far, the call and its result, paired by id;
            # the reasoning before the call kept for gpt-oss (both servers' field names).
            assert second["messages"][:-2] == first["messages"]
            assert second["messages"][-2:] == [
                {"role": "assistant", "content": None,
                 "reasoning": "I should look it up.",
                 "reasoning_content": "I should look it up.",
                 "tool_calls": [{"id": "call00001", "type": "function", "function": {
                     "name": "lookup", "arguments": '{"q": "x"}'}}]},
                {"role": "tool", "tool_call_id": "call00001", "content": "sunny"}]
        else:
            assert second["input"][-2:] == [
                {"type": "function_call", "call_id": "call00001", "name": "lookup",
                 "arguments": '{"q": "x"}'},
                {"type": "function_call_output", "call_id": "call00001", "output": "sunny"}]

        # The next turn sends the earlier call and result again, without its reasoning.
        session.send(question.conversation_id, "And y?")
        assert [a.status for a in finished(seen)] == ["complete", "complete"]
        third, fourth = server.bodies()[2:]
        if api == "chat":
            assert [m["role"] for m in third["messages"]] == [
                "user", "assistant", "tool", "assistant", "user"]
            earlier_call = third["messages"][1]
            assert "reasoning" not in earlier_call and "reasoning_content" not in earlier_call
            assert third["messages"][2] == {"role": "tool", "tool_call_id": "call00001",
                                            "content": "sunny"}
            assert fourth["messages"][-2]["tool_calls"][0]["id"] == "call00002"
            assert fourth["messages"][-1]["tool_call_id"] == "call00002"


def test_malformed_arguments_are_an_error_the_model_reads(store: ChatStore,
                                                          remote_factory: Make) -> None:
    tool = Lookup()
    with ToolServer(arguments='{"q": "x"') as server:
        session, seen = session_over(store, remote_factory(server.url, "gpt-oss-20b"), tool)
        session.send(None, "What is x?")
        [answer] = finished(seen)
        assert answer.status == "complete" and tool.calls == []
        result = server.bodies()[1]["messages"][-1]
        assert result["role"] == "tool"
        assert result["content"].startswith("Error: the arguments are not valid JSON")
        # What the model wrote goes back as it wrote it; the server accepted it.
        assert server.bodies()[1]["messages"][-2]["tool_calls"][0]["function"][
            "arguments"] == '{"q": "x"'
        assert answer.saved is not None and answer.saved.content.startswith("It is Error:")
        [call] = answer.saved.calls()
        assert call["status"] == "failed"


def test_a_strict_server_gets_the_continuation_without_reasoning(
        store: ChatStore, remote_factory: Make) -> None:
    tool = Lookup("sunny")
    with ToolServer(strict=True) as server:
        session, seen = session_over(store, remote_factory(server.url, "gpt-oss-20b"), tool)
        session.send(None, "What is x?")
        [answer] = finished(seen)
        assert answer.status == "complete" and tool.calls == [{"q": "x"}]
        refused, accepted = server.bodies()[1:]
        assert refused["messages"][-2]["reasoning"] == "I should look it up."
        assert [m for m in accepted["messages"] if "reasoning" in m
                or "reasoning_content" in m] == []
        assert accepted["messages"][-1]["content"] == "sunny"


def test_answer_now_during_a_call_answers_with_what_the_turn_found(
        store: ChatStore, remote_factory: Make) -> None:
    tool, pump = Lookup(block=True), Pump()
    with ToolServer() as server:
        session = Session(store, DirectEngine(remote_factory(server.url, "gpt-oss-20b")),
                          call_soon=pump.call_soon, tools=lambda _c, _a: [tool])
        seen: list[Any] = []
        session.subscribe(seen.append)
        session.send(None, "What is x?")
        pump.until(tool.started.is_set)
        session.answer_now()
        pump.until(lambda: bool(finished(seen)))
        [answer] = finished(seen)
        assert answer.status == "complete" and answer.saved is not None
        # No tools offered any more, but the call and its result went with the request.
        continuation = server.bodies()[-1]
        assert "tools" not in continuation
        call, result = continuation["messages"][-2:]
        assert call["tool_calls"][0]["function"]["name"] == "lookup"
        assert result["role"] == "tool" and "answer now" in result["content"]
        assert answer.saved.content.startswith("It is The user asked for the answer now")
        session.close()
        assert tool.saw_cancel


def test_a_server_that_refuses_tools_says_so(store: ChatStore,
                                             remote_factory: Make) -> None:
    with ToolServer(refuse_tools=True) as server:
        backend = remote_factory(server.url, "gpt-oss-20b")
        stream = list(backend.chat(QUESTION, tools=[LOOKUP]))
        assert stream[-1]["type"] == "error" and stream[-1]["code"] == codes.TOOLS_REFUSED
        message = stream[-1]["message"]
        assert "does not accept tools" in message and "--jinja" in message
        assert "tools param requires --jinja flag" in message
        assert len(server.requests) == 1  # not asked again without some other field

        session, seen = session_over(store, backend, Lookup())
        question = session.send(None, "What is x?")
        [answer] = finished(seen)
        assert answer.status == "error" and "does not accept tools" in (answer.error or "")
        assert question is not None
        assert store.path(question.conversation_id)[0].content == "What is x?"
        # Without tools the same server answers.
        plain = list(backend.chat(QUESTION))
        assert "".join(m["text"] for m in plain if m.get("kind") == "answer") == "No tools."


def test_python_goes_as_a_function_and_comes_back_as_the_builtin(remote_factory: Make) -> None:
    code = "print(6 * 7)"
    with ToolServer(call="python", arguments=json.dumps({"code": code})) as server:
        backend = remote_factory(server.url, "gpt-oss-20b")
        _, done = run(backend, QUESTION, [PYTHON])
        assert done.call is not None
        assert (done.call.recipient, done.call.channel, done.call.arguments) == (
            "python", "analysis", code)
        [tool] = server.bodies()[0]["tools"]
        assert tool["function"]["name"] == "python"
        assert tool["function"]["parameters"]["required"] == ["code"]
        # Its continuation sends the code back as the function's arguments.
        steps: list[ChatMessage] = [
            *QUESTION,
            {"role": "assistant", "content": "", "tool_call": {
                "recipient": "python", "channel": "analysis", "arguments": code}},
            {"role": "tool", "name": "python", "channel": "analysis", "content": "42"}]
        stream, final = run(backend, steps, [PYTHON])
        assert final.finish_reason == "stop"
        assert "".join(m["text"] for m in stream if m.get("kind") == "answer") == "It is 42."
        sent = server.bodies()[1]["messages"][-2]["tool_calls"][0]["function"]
        assert json.loads(sent["arguments"]) == {"code": code}


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_a_call_the_answer_must_make_goes_as_tool_choice(remote_factory: Make,
                                                         api: str) -> None:
    """The local API's tool_choice (a named function, or required) reaches a server
    the window uses as that API's tool_choice; a free choice sends none."""
    other: ToolOffer = {**LOOKUP, "name": "other"}
    with ToolServer() as server:
        backend = remote_factory(server.url, "gpt-oss-20b", api=api)
        run(backend, QUESTION, [{**LOOKUP, "must_call": True}, other])
        run(backend, QUESTION, [{**LOOKUP, "must_call": True},
                                {**other, "must_call": True}])
        run(backend, QUESTION, [LOOKUP, other])
        named, required, free = (b.get("tool_choice") for b in server.bodies())
        assert named == ({"type": "function", "function": {"name": "lookup"}}
                         if api == "chat" else {"type": "function", "name": "lookup"})
        assert (required, free) == ("required", None)
        assert all("must_call" not in json.dumps(b["tools"]) for b in server.bodies())
