"""An OpenAI chat-completions body, checked and turned into what the engine takes.

What is honoured: roles system, developer, user and assistant (system and developer
messages become the instructions, in order; gpt-oss's template puts them in its
developer message), ``reasoning_effort`` and ``reasoning: {effort}``, ``max_tokens`` /
``max_completion_tokens``, ``temperature``, ``top_p``, ``presence_penalty``,
``frequency_penalty``, ``stop`` (applied to the answer text, see
:mod:`app.api.completion`), ``seed`` (the worker seeds this request's sampling with it:
the same seed and request give the same answer), ``stream`` and ``stream_options.include_usage``.

Unknown fields are ignored, as OpenAI-compatible servers do (clients send their own
extras). Fields that would change the answer's meaning and cannot be honoured (``n`` >
1, ``logprobs``, a JSON ``response_format``, images) are refused with an error that
names them, rather than silently answered wrongly. Tool calling (``tools``, role
``tool``, an assistant's ``tool_calls``) waits for the engine's tool support and is
refused the same way until then.

Text of any field goes to the engine as plain text: the prompt renderer tokenizes user
text so that a spelled ``<|start|>`` stays characters, never a control token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.errors import ApiError, bad_request, unsupported

EFFORTS = ("low", "medium", "high")
_EFFORT_ALIASES = {"minimal": "low"}  # OpenAI's newer lowest setting
MAX_STOPS = 4  # as OpenAI


@dataclass(frozen=True)
class ChatCall:
    """One chat-completions request, as the engine will run it."""

    model: str
    messages: list[dict[str, str]]
    instructions: str
    effort: str
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
    stream = _optional(body, "stream", bool) or False
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise bad_request("'stream_options' must be an object.", "stream_options")
    include_usage = bool(stream and options and options.get("include_usage"))
    return ChatCall(
        model=_optional(body, "model", str) or "",
        messages=messages, instructions=instructions, effort=_effort(body),
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
    if body.get("tools") or body.get("functions"):
        raise unsupported("tools", "Tool calling through Cove's API is not available yet: "
                                   "leave 'tools' out.")


def _messages(value: Any) -> tuple[list[dict[str, str]], str]:
    if not isinstance(value, list):
        raise bad_request("'messages' must be a list of messages.", "messages")
    if not value:
        raise bad_request("'messages' is empty: send at least one message.", "messages")
    turns: list[dict[str, str]] = []
    instructions: list[str] = []
    for i, message in enumerate(value):
        param = f"messages[{i}]"
        if not isinstance(message, dict):
            raise bad_request(f"{param} must be an object with 'role' and 'content'.", param)
        role = message.get("role")
        if role in ("tool", "function") or message.get("tool_calls"):
            raise unsupported(param, "Tool calling through Cove's API is not available "
                                     "yet: messages with role 'tool' or 'tool_calls' "
                                     "cannot be answered.")
        text = _content(message.get("content"), param, allow_none=role == "assistant")
        if role in ("system", "developer"):
            instructions.append(text)
        elif role in ("user", "assistant"):
            turns.append({"role": role, "content": text})
        else:
            raise bad_request(f"{param}.role must be system, developer, user or assistant "
                              f"(got {role!r}).", f"{param}.role")
    if not turns or turns[-1]["role"] != "user":
        raise bad_request("The last message must be the user's: there is nothing to "
                          "answer.", "messages")
    return turns, "\n\n".join(t for t in instructions if t.strip())


def _content(value: Any, param: str, allow_none: bool) -> str:
    """A message's text: a string, or a list of text parts (images are refused)."""
    if value is None and allow_none:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        texts = []
        for part in value:
            if not isinstance(part, dict) or part.get("type") != "text" \
                    or not isinstance(part.get("text"), str):
                raise unsupported(f"{param}.content", "Cove reads text only: each content "
                                                      "part must be {'type': 'text', 'text': ...}.")
            texts.append(part["text"])
        return "".join(texts)
    raise bad_request(f"{param}.content must be a string or a list of text parts.",
                      f"{param}.content")


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
