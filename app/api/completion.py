"""One chat request on its way through the engine, as the HTTP side reads it.

The engine thread hands the ticket's messages over with ``call_soon_threadsafe``; the
request's coroutine reads them in order (:meth:`Run.next`) as decoded pieces: text of
the reasoning, text of the answer, and the end (:class:`Ending`). ``stop`` strings are
applied here, to the answer only (OpenAI's meaning: the reasoning is not the output),
with text held back while it could still become one; when one is met the generation is
cancelled, so the worker is free at once, and the answer ends with ``stop``.

A tool call (only when tools were offered) comes as a :data:`CALL` piece when the
model opens a message addressed to a function (its ``tool_calls`` entry, without
arguments yet), then :data:`ARGUMENTS` pieces as it writes them; the generation stops
at ``<|call|>`` and the answer ends with ``tool_calls``. Harmony makes one call per
generation, so a reply holds at most one, with the id
:func:`app.engine.openai_messages.next_call_id` gives for this transcript.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from app.api.chat_call import ChatCall
from app.api.errors import ApiError
from app.api.gate import STARTED, Ticket
from app.engine import backend as codes
from app.engine import events, protocol
from app.engine.openai_messages import call_to_openai, next_call_id
from app.engine.stops import StopFilter

REASONING, ANSWER, CALL, ARGUMENTS = "reasoning", "answer", "call", "arguments"


@dataclass(frozen=True)
class Ending:
    """How the answer ended, with OpenAI's finish reason and token counts."""

    finish_reason: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


# (REASONING | ANSWER | ARGUMENTS, text), (CALL, its tool_calls entry), or the end.
Piece = tuple[str, str] | tuple[str, dict[str, Any]] | Ending


class Run:
    """A ticket and the queue its messages arrive in (created on the event loop)."""

    def __init__(self, call: ChatCall) -> None:
        self.call = call
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.ticket = Ticket(call, self._deliver)
        self._stops = StopFilter(call.stop)
        self._stopped = False  # a stop string was met: the rest is not shown
        self.reasoning: list[str] = []  # the text handed out so far
        self.answer: list[str] = []
        self.calls: list[dict[str, Any]] = []  # tool_calls entries, arguments filled in
        self._call_id = next_call_id(call.messages)
        self._calling = False  # inside a message addressed to a tool
        self.ended = False

    def _deliver(self, msg: dict[str, Any]) -> None:
        """From the engine thread; a loop that is gone (server shut down) abandons."""
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, msg)
        except RuntimeError:
            self.ticket.abandon()

    async def started(self, timeout: float) -> None:
        """Wait for the engine to pick the ticket up; after ``timeout`` seconds the
        ticket is given up and the client told to come back (503, ``Retry-After``)."""
        try:
            msg = await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            self.ticket.abandon()
            raise ApiError(503, "Cove's model is busy with other requests. Try again in a "
                                "moment.", type_="server_error", code="model_busy",
                           headers={"Retry-After": str(max(1, round(timeout)))}) from None
        assert msg.get("type") == STARTED, msg

    async def next(self) -> Piece:
        """The next piece of the answer; the last is an :class:`Ending`. A failure of
        the engine is raised as :class:`ApiError`."""
        while True:
            piece = self._piece(await self._queue.get())
            if piece is not None:
                return piece

    def _piece(self, msg: dict[str, Any]) -> Piece | None:
        event = events.decode(msg)
        if isinstance(event, events.Failed):
            self.ended = True
            raise engine_error(event)
        if isinstance(event, events.Done):
            self.ended = True
            return self._ending(event)
        if self._stopped:
            return None
        if isinstance(event, events.MessageStart):
            return self._call_start(event.recipient)
        if isinstance(event, events.ToolCallText):
            if not self._calling or not event.text:
                return None
            self.calls[-1]["function"]["arguments"] += event.text
            return (ARGUMENTS, event.text)
        if isinstance(event, events.Reasoning) and event.text:
            self.reasoning.append(event.text)
            return (REASONING, event.text)
        if isinstance(event, events.AnswerText):
            text, hit = self._stops.push(event.text)
            if hit:
                self._stopped = True
                self.ticket.abandon()
            self.answer.append(text)
            return (ANSWER, text) if text else None
        return None

    def _call_start(self, recipient: str) -> Piece | None:
        """A message opens: one addressed to a tool (when tools were offered) starts
        the reply's call."""
        self._calling = bool(self.call.tools and recipient.startswith("functions.")
                             and not self.calls)
        if not self._calling:
            return None
        entry = call_to_openai(recipient, "", self._call_id)
        self.calls.append(entry)
        return (CALL, {**entry, "function": dict(entry["function"])})

    def _ending(self, done: events.Done) -> Ending:
        if done.finish_reason == "cancelled" and not self._stopped:
            # Not by this client (it left, or a stop string was met): Cove is shutting
            # down or the model was taken from under it. Never pass it off as complete.
            raise ApiError(503, "Cove stopped this answer before it was complete (it is "
                                "shutting down, or its model was changed); what came so "
                                "far is not the whole answer. Try again.",
                           type_="server_error", code="answer_interrupted",
                           headers={"Retry-After": "1"})
        stats = dict(done.stats)
        reason = "length" if done.finish_reason == "length" and not self._stopped else "stop"
        if done.finish_reason == "tool_call" and self.calls and not self._stopped:
            reason = "tool_calls"
        return Ending(reason, int(stats.get("prompt_tokens") or 0),
                      int(stats.get("completion_tokens") or 0),
                      int(stats.get("cached_tokens") or 0), stats)

    def held_text(self) -> str:
        """Answer text held back as a possible stop string, shown once the answer ends
        without meeting one."""
        held = "" if self._stopped else self._stops.flush()[0]
        self.answer.append(held)
        return held


def engine_error(failed: events.Failed) -> ApiError:
    """An engine failure as the HTTP error a client can act on."""
    if failed.code == protocol.TOO_LONG:
        return ApiError(400, failed.message, code="context_length_exceeded",
                        param="messages")
    if failed.code == protocol.NOT_LOADED:
        return ApiError(503, "No model is loaded in Cove: load one in Cove's window (or "
                             "start 'cove serve --model FILE').", type_="server_error",
                        code="model_not_loaded")
    if failed.code in (protocol.BAD_REQUEST, codes.NO_SUCH_MODEL):
        return ApiError(400, failed.message, code=failed.code)
    if failed.code == protocol.WORKER_CRASHED:
        return ApiError(500, "Cove's model worker stopped while answering; it starts "
                             "again with the next request. " + failed.message,
                        type_="server_error", code="worker_crashed")
    return ApiError(500, failed.message, type_="server_error", code=failed.code)
