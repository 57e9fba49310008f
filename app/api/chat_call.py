"""An OpenAI chat-completions body, checked and turned into what the engine takes.

What is honoured: roles system, developer, user, assistant and tool (system and
developer messages become the instructions, in order; gpt-oss's template puts them in its
developer message), ``tools`` and ``tool_choice`` (``auto``; ``none``: no tools
offered; ``required`` or a named function: the answer starts as that call, see
:func:`app.engine.prompt.forced_call`), an assistant's
``tool_calls`` with its ``reasoning_content`` / ``reasoning`` (kept for the turn's
continuation, as harmony keeps reasoning within a turn) and ``tool`` results paired by
``tool_call_id`` (read by :func:`app.engine.openai_messages.from_openai`, the one
converter), ``reasoning_effort`` and ``reasoning: {effort}``, ``max_tokens`` /
``max_completion_tokens``, ``temperature``, ``top_p``, ``presence_penalty``,
``frequency_penalty``, ``stop`` (applied to the answer text, see
:mod:`app.api.completion`), ``seed`` (the worker seeds this request's sampling with it:
the same seed and request give the same answer), ``stream`` and
``stream_options.include_usage``.

Unknown fields are ignored, as OpenAI-compatible servers do (clients send their own
extras). Fields that would change the answer's meaning and cannot be honoured (``n`` >
1, ``logprobs``, a JSON ``response_format``, images, the older ``functions``) are
refused with an error that names them, rather than silently
answered wrongly.

Text of any field goes to the engine as plain text: the prompt renderer tokenizes user
text so that a spelled ``<|start|>`` stays characters, never a control token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.errors import ApiError, bad_request, unsupported
from app.engine.openai_messages import MessageError, from_openai, tools_from_openai
from app.engine.prompt import ChatMessage, ToolOffer

EFFORTS = ("low", "medium", "high")
_EFFORT_ALIASES = {"minimal": "low"}  # OpenAI's newer lowest setting
MAX_STOPS = 4  # as OpenAI


@dataclass(frozen=True)
class ChatCall:
    """One chat-completions request, as the engine will run it."""

    model: str
    messages: list[ChatMessage]  # the transcript (tool steps one call each)
    instructions: str
    effort: str
    # Offered (none for tool_choice none); those the answer must call marked must_call.
    tools: list[ToolOffer] = field(default_factory=list)
    tool_choice: str = "auto"  # "auto", "none", "required" or the function's name
    sampling: dict[str, Any] = field(default_factory=dict)
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    stream: bool = False
    include_usage: bool = False


def parse_chat(body: Any) -> ChatCall:
    """The request, or :class:`ApiError` (400) saying which field is wrong and why."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    _refuse_unsupported(body)
    messages, instructions = _messages(body.get("messages"))
    tools, choice = _tools(body)
    stream = _optional(body, "stream", bool) or False
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise bad_request("'stream_options' must be an object.", "stream_options")
    include_usage = bool(stream and options and options.get("include_usage"))
    return ChatCall(
        model=_optional(body, "model", str) or "",
        messages=messages, instructions=instructions, effort=_effort(body),
        tools=tools if choice != "none" else [], tool_choice=choice,
        sampling=_sampling(body), max_tokens=_max_tokens(body), stop=_stops(body),
        seed=_optional(body, "seed", int), stream=stream, include_usage=include_usage,
    )


def _refuse_unsupported(body: dict[str, Any]) -> None:
    n = body.get("n")
    if n is not None and n != 1:
        raise unsupported("n", "Cove writes one answer per request: 'n' must be 1.")
    if body.get("logprobs") or body.get("top_logprobs"):
        raise unsupported("logprobs", "Cove does not return log probabilities: leave "
                                      "'logprobs' and 'top_logprobs' out.")
    fmt = body.get("response_format")
    if fmt is not None and not (isinstance(fmt, dict) and fmt.get("type") == "text"):
        raise unsupported("response_format", "Cove cannot force JSON output yet: leave "
                                             "'response_format' out (or use type 'text').")
    if body.get("functions") is not None or body.get("function_call") is not None:
        raise unsupported("functions", "'functions' and 'function_call' are OpenAI's older "
                                       "form: send 'tools' and 'tool_choice' instead.")


def _messages(value: Any) -> tuple[list[ChatMessage], str]:
    if not isinstance(value, list):
        raise bad_request("'messages' must be a list of messages.", "messages")
    if not value:
        raise bad_request("'messages' is empty: send at least one message.", "messages")
    try:
        turns, instructions = from_openai(value)
    except MessageError as exc:
        raise bad_request(str(exc), exc.param) from None
    for i, turn in enumerate(turns):
        answered = i + 1 < len(turns) and turns[i + 1].get("role") == "tool"
        if turn.get("tool_call") and not answered:
            param = _unanswered(value)
            raise bad_request(f"{param} has no result: send a message with role 'tool' "
                              "and its tool_call_id after it.", param)
    if not turns or turns[-1].get("role") not in ("user", "tool"):
        raise bad_request("The last message must be the user's or a tool's result: "
                          "there is nothing to answer.", "messages")
    return turns, instructions


def _unanswered(messages: list[Any]) -> str:
    """The field of the first call no ``tool`` message answers (``messages`` if the
    calls are not told apart by id)."""
    answered = {m.get("tool_call_id") for m in messages
                if isinstance(m, dict) and m.get("role") == "tool"}
    for i, message in enumerate(messages):
        calls = message.get("tool_calls") if isinstance(message, dict) else None
        for j, call in enumerate(calls if isinstance(calls, list) else []):
            if isinstance(call, dict) and call.get("id") not in answered:
                return f"messages[{i}].tool_calls[{j}]"
    return "messages"


def _tools(body: dict[str, Any]) -> tuple[list[ToolOffer], str]:
    """The tools and ``tool_choice``: "auto", "none", "required" or the name of the
    function to call; the offers the answer must call are marked ``must_call``."""
    try:
        tools = tools_from_openai(body.get("tools"))
    except MessageError as exc:
        raise bad_request(str(exc), exc.param) from None
    names = [t.get("name", "") for t in tools]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise bad_request(f"tools[{i}]: two tools are named {name!r}.",
                              f"tools[{i}].function.name")
    choice = body.get("tool_choice")
    if choice is None or choice in ("auto", "none"):
        return tools, choice or "auto"
    if choice == "required":
        wanted = names
    else:
        function = choice.get("function") if isinstance(choice, dict) else None
        named = function.get("name") if isinstance(function, dict) else None
        if not isinstance(named, str) or choice.get("type") != "function":
            raise bad_request("'tool_choice' must be 'auto', 'none', 'required' or "
                              "{\"type\": \"function\", \"function\": {\"name\": …}}.",
                              "tool_choice")
        if named not in names:
            raise bad_request(f"'tool_choice' names the function {named!r}, which is not "
                              f"in 'tools' ({', '.join(names) or 'none given'}).",
                              "tool_choice.function.name")
        wanted, choice = [named], named
    if not wanted:
        raise bad_request("'tool_choice' 'required' needs 'tools' to call.", "tool_choice")
    return [{**t, "must_call": True} if t.get("name") in wanted else t
            for t in tools], choice


def _effort(body: dict[str, Any]) -> str:
    effort = body.get("reasoning_effort")
    param = "reasoning_effort"
    reasoning = body.get("reasoning")
    if effort is None and reasoning is not None:
        if not isinstance(reasoning, dict):
            raise bad_request("'reasoning' must be an object such as {\"effort\": \"low\"}.",
                              "reasoning")
        effort, param = reasoning.get("effort"), "reasoning.effort"
    if effort is None:
        return "medium"
    if not isinstance(effort, str):
        raise bad_request(f"'{param}' must be low, medium or high.", param)
    effort = _EFFORT_ALIASES.get(effort, effort)
    if effort not in EFFORTS:
        raise bad_request(f"'{param}' must be low, medium or high (got {effort!r}).", param)
    return effort


def _sampling(body: dict[str, Any]) -> dict[str, Any]:
    sampling: dict[str, Any] = {}
    ranges = {"temperature": ("temp", 0.0, 2.0), "top_p": ("top_p", 0.0, 1.0),
              "presence_penalty": ("presence_penalty", -2.0, 2.0),
              "frequency_penalty": ("frequency_penalty", -2.0, 2.0)}
    for name, (key, low, high) in ranges.items():
        value = _optional(body, name, float)
        if value is None:
            continue
        if not low <= value <= high:
            raise bad_request(f"'{name}' must be between {low:g} and {high:g}.", name)
        sampling[key] = float(value)
    return sampling


def _max_tokens(body: dict[str, Any]) -> int | None:
    for name in ("max_completion_tokens", "max_tokens"):
        value = _optional(body, name, int)
        if value is not None:
            if value < 1:
                raise bad_request(f"'{name}' must be at least 1.", name)
            return value
    return None


def _stops(body: dict[str, Any]) -> tuple[str, ...]:
    value = body.get("stop")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise bad_request("'stop' must be a string or a list of strings.", "stop")
    if len(value) > MAX_STOPS:
        raise bad_request(f"'stop' takes at most {MAX_STOPS} strings.", "stop")
    return tuple(s for s in value if s)


def _optional(body: dict[str, Any], name: str, kind: type) -> Any:
    """``body[name]`` if present and not null, checked against ``kind`` (an int is a
    float too; a bool is not a number)."""
    value = body.get(name)
    if value is None:
        return None
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        raise ApiError(400, f"'{name}' must be {_KIND_WORDS[kind]}.", param=name,
                       code="invalid_type")
    return value


_KIND_WORDS = {str: "a string", bool: "true or false", int: "an integer",
               float: "a number"}
