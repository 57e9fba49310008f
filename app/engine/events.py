"""A chat's messages as typed events, decoded once.

Backends stream plain dicts (:mod:`app.engine.protocol`: what the worker sends over
its pipe, and what a server's backend builds). :func:`decode` turns each into one of the
frozen records below; everything after it (the transcript, the conversation session,
the window, the command line) matches on types, never on string keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.engine import harmony, protocol


@dataclass(frozen=True)
class Reasoning:
    """Text of the model's reasoning (harmony's analysis channel)."""

    text: str


@dataclass(frozen=True)
class AnswerText:
    """Text of the answer (harmony's final channel, or a plain model's output)."""

    text: str


@dataclass(frozen=True)
class ToolCallText:
    """Arguments of a tool call as they stream (harmony's commentary to=…)."""

    recipient: str
    text: str


@dataclass(frozen=True)
class MessageStart:
    """A harmony message began (its channel and recipient, if any)."""

    channel: str
    recipient: str


@dataclass(frozen=True)
class MessageEnd:
    """A harmony message ended; ``truncated``: cut off by the token limit."""

    channel: str
    recipient: str
    truncated: bool


@dataclass(frozen=True)
class PromptProgress:
    """Prompt evaluation: ``done`` of ``total`` tokens; about ``seconds_left`` to go
    at the speed measured (None: not known yet)."""

    done: int
    total: int
    seconds_left: float | None = None


@dataclass(frozen=True)
class ContextTrimmed:
    """The oldest turns did not fit in the context and were left out."""

    dropped_turns: int


@dataclass(frozen=True)
class ToolCall:
    """The call a generation ended with (at ``<|call|>``): whom it addresses
    (``functions.NAME`` or ``python``), on which channel, the arguments as written, and
    ``raw`` (what the model wrote, the key that lets the continuation replay it)."""

    recipient: str
    channel: str
    arguments: str
    raw: str = ""


@dataclass(frozen=True)
class Done:
    """The chat ended: ``finish_reason`` stop, length, cancelled or tool_call (then
    ``call`` is the call; the answer goes on once its result is sent back)."""

    finish_reason: str
    stats: Mapping[str, Any] = field(default_factory=dict)
    call: ToolCall | None = None


@dataclass(frozen=True)
class Failed:
    """The chat failed: an error code from :mod:`app.engine.protocol` or
    :mod:`app.engine.backend`, its message (English, or a reason id) and, for a server
    that asked to wait, ``retry_after`` seconds."""

    code: str | None
    message: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Other:
    """A message no one reads (kept so that nothing is silently dropped in logs)."""

    type: str


EngineEvent = (Reasoning | AnswerText | ToolCallText | MessageStart | MessageEnd
               | PromptProgress | ContextTrimmed | Done | Failed | Other)
Final = Done | Failed


def decode(msg: Mapping[str, Any]) -> EngineEvent:
    """One backend message as its typed event (unknown ones as :class:`Other`)."""
    kind = msg.get("type")
    if kind == protocol.EVENT:
        ev, text = msg.get("kind"), str(msg.get("text") or "")
        recipient = str(msg.get("recipient") or "")
        if ev == harmony.REASONING:
            return Reasoning(text)
        if ev == harmony.ANSWER:
            return AnswerText(text)
        if ev == harmony.TOOL_CALL:
            return ToolCallText(recipient, text)
        if ev == harmony.MESSAGE_START:
            return MessageStart(str(msg.get("channel") or ""), recipient)
        if ev == harmony.MESSAGE_END:
            return MessageEnd(str(msg.get("channel") or ""), recipient,
                              bool(msg.get("truncated")))
        return Other(f"event:{ev}")
    if kind == protocol.PROMPT_PROGRESS:
        left = msg.get("seconds_left")
        return PromptProgress(_int(msg.get("done")), _int(msg.get("total")),
                              float(left) if isinstance(left, (int, float)) else None)
    if kind == protocol.CONTEXT_TRIMMED:
        return ContextTrimmed(_int(msg.get("dropped_turns")))
    if kind == protocol.DONE:
        call = msg.get("call")
        return Done(str(msg.get("finish_reason") or "stop"), dict(msg.get("stats") or {}),
                    _call(call) if isinstance(call, Mapping) else None)
    if kind == protocol.ERROR:
        retry = msg.get("retry_after")
        return Failed(msg.get("code"), str(msg.get("message") or "error"),
                      float(retry) if isinstance(retry, (int, float)) else None)
    return Other(str(kind))


def _call(call: Mapping[str, Any]) -> ToolCall:
    return ToolCall(str(call.get("recipient") or ""), str(call.get("channel") or ""),
                    str(call.get("arguments") or ""), str(call.get("raw") or ""))


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
