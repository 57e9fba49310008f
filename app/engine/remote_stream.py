"""An OpenAI-compatible server's answer, read: server-sent events → harmony events.

Servers hand gpt-oss's reasoning back in one of three ways, and all three end up as
the same ``reasoning`` / ``answer`` events:

* a separate delta field, ``reasoning_content`` (vLLM, llama-server) or ``reasoning``
  (Ollama, newer vLLM);
* raw harmony text in ``content`` (``<|channel|>analysis<|message|>…``: llama-server
  with ``--reasoning-format none``), fed through :class:`~app.engine.harmony.HarmonyParser`;
* harmony with its control tokens dropped (``analysisWe need…assistantfinalThe
  answer…``: llama-cpp-python's server), which gets its tokens back first.

A plain model's ``content`` goes through the parser too, opened as a ``final`` message,
so a stray control token is removed whatever the model writes.

Pure parsing, no HTTP: :class:`app.engine.remote.RemoteBackend` feeds it the bytes it
receives, and the tests feed it the shapes real servers send.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.engine import harmony, protocol

# -- the answer's text → events ---------------------------------------------------------
_FLAT_MARKERS = {
    "assistantfinal": "final",
    "assistantanalysis": "analysis",
}
_FLAT_START = "analysis"
# Longer than any partial control token the harmony parser may hold back ("<|" + 40 + "|").
_CLEAN_TAIL = 48


class _Unflattener:
    """Puts back the control tokens a server dropped from harmony text.

    ``analysisWe need…assistantfinalParis.`` is what gpt-oss wrote, less its tokens:
    ``<|channel|>analysis<|message|>We need…<|end|><|start|>assistant<|channel|>final
    <|message|>Paris.``. Text that could still grow into a marker is held back.
    """

    def __init__(self) -> None:
        self._held = ""
        self._started = False

    def push(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        prefix = ""
        if not self._started:
            self._started = True
            prefix = harmony.CHANNEL + _FLAT_START + harmony.MESSAGE
            text = text[len(_FLAT_START):]
        for marker, channel in _FLAT_MARKERS.items():
            text = text.replace(marker, harmony.END + harmony.START + "assistant"
                                + harmony.CHANNEL + channel + harmony.MESSAGE)
        keep = 0
        for marker in _FLAT_MARKERS:
            for n in range(min(len(marker) - 1, len(text)), keep, -1):
                if text.endswith(marker[:n]):
                    keep = n
                    break
        if keep:
            text, self._held = text[:-keep], text[-keep:]
        return prefix + text

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


class StreamAssembler:
    """Turns an answer's deltas (reasoning, content, tool calls) into harmony events.

    One per answer. ``gpt_oss`` says the model is gpt-oss, whose harmony text may come
    back with its tokens dropped (see :class:`_Unflattener`).
    """

    def __init__(self, gpt_oss: bool = False) -> None:
        self._gpt_oss = gpt_oss
        self._mode: str | None = None  # plain / harmony / flat, once content starts
        self._pending = ""
        self._parser: harmony.HarmonyParser | None = None
        self._unflatten: _Unflattener | None = None
        self._side: tuple[str, str, str | None] | None = None  # kind, channel, recipient
        self._tool_index: Any = None
        self._suspended = False
        self._saw_reasoning_field = False
        self._plain_clean = False  # see content()
        self._tail = ""
        self.saw_final = False
        self.calls: dict[Any, list[str]] = {}  # the calls streamed: index → [name, arguments]

    # -- deltas ---------------------------------------------------------------------
    def reasoning(self, text: str) -> list[harmony.Event]:
        if not text:
            return []
        self._saw_reasoning_field = True
        events = self._suspend_content()
        if self._side is None or self._side[0] != harmony.REASONING:
            self._close_side(events)
            self._side = (harmony.REASONING, "analysis", None)
            events.append(harmony.Event(harmony.MESSAGE_START, channel="analysis"))
        events.append(harmony.Event(harmony.REASONING, text, "analysis"))
        return events

    def content(self, text: str) -> list[harmony.Event]:
        if not text:
            return []
        if self._plain_clean and "<" not in text:
            # The common case, once per token: a plain answer's text with nothing the
            # parser could hold back or remove, before or now. The parser would pass it
            # through unchanged, so it is emitted directly.
            self._tail = (self._tail + text)[-_CLEAN_TAIL:]
            return [harmony.Event(harmony.ANSWER, text, "final")]
        events: list[harmony.Event] = []
        self._close_side(events)
        if self._mode is None:
            self._pending += text
            mode = self._decide(self._pending, final=False)
            if mode is None:
                return events
            text, self._pending = self._pending, ""
            self._start(mode, events)
        self._feed(text, events)
        return events

    def tool_call(self, index: Any, name: str, arguments: str) -> list[harmony.Event]:
        call = self.calls.setdefault(index, ["", ""])
        call[0] = call[0] or name
        call[1] += arguments
        events = self._suspend_content()
        if self._side is None or self._side[0] != harmony.TOOL_CALL or \
                self._tool_index != index:
            self._close_side(events)
            recipient = f"functions.{name}" if name else "functions"
            self._tool_index = index
            self._side = (harmony.TOOL_CALL, "commentary", recipient)
            events.append(harmony.Event(harmony.MESSAGE_START, channel="commentary",
                                        recipient=recipient))
        if arguments:
            _, channel, to = self._side
            events.append(harmony.Event(harmony.TOOL_CALL, arguments, channel, to))
        return events

    def first_call(self) -> tuple[str, str] | None:
        """The first call streamed (name, arguments), once it has a name. Harmony has one
        call per message, so the rest of a parallel batch is left to the next round
        (the model calls them again if it still needs them)."""
        for name, arguments in self.calls.values():
            if name:
                return name, arguments
        return None

    def finish(self, finish_reason: str | None) -> list[harmony.Event]:
        """End of the answer: ``stop`` closes open messages as complete, anything else
        (``length``, ``cancelled``, an error: None) as truncated."""
        events: list[harmony.Event] = []
        truncated = finish_reason != "stop"
        self._close_side(events, truncated)
        if self._mode is None and self._pending:
            mode = self._decide(self._pending, final=True)
            assert mode is not None
            text, self._pending = self._pending, ""
            self._start(mode, events)
            self._feed(text, events)
        parser = self._parser
        if parser is not None:
            if self._unflatten is not None:
                events += parser.feed(self._unflatten.flush())
            if not truncated and parser.channel is not None:
                # The server swallowed the end token: the message did end.
                events += parser.feed(harmony.RETURN)
            events += parser.finish()
            self.saw_final = self.saw_final or parser.saw_final
        return [ev for ev in events if ev.text or ev.kind in (harmony.MESSAGE_START,
                                                              harmony.MESSAGE_END)]

    # -- helpers ----------------------------------------------------------------------
    def _decide(self, text: str, final: bool) -> str | None:
        """How to read the content, from its first characters (None: not yet known)."""
        if text.startswith("<|"):
            return "harmony"
        if text == "<" and not final:
            return None
        if self._gpt_oss and not self._saw_reasoning_field:
            if _FLAT_START.startswith(text) and not final:
                return None
            if text.startswith(_FLAT_START) and len(text) > len(_FLAT_START) \
                    and not text[len(_FLAT_START)].isspace():
                return "flat"
        return "plain"

    def _start(self, mode: str, events: list[harmony.Event]) -> None:
        self._mode = mode
        if mode == "plain":
            self._parser = harmony.HarmonyParser(in_header=False)
            events += self._parser.feed(harmony.CHANNEL + "final" + harmony.MESSAGE)
        else:
            self._parser = harmony.HarmonyParser(in_header=True)
            if mode == "flat":
                self._unflatten = _Unflattener()

    def _feed(self, text: str, events: list[harmony.Event]) -> None:
        assert self._parser is not None
        if self._suspended:
            self._suspended = False
            events += self._parser.feed(harmony.START + "assistant" + harmony.CHANNEL
                                        + "final" + harmony.MESSAGE)
            self._tail = harmony.MESSAGE
        if self._unflatten is not None:
            text = self._unflatten.push(text)
        events += self._parser.feed(text)
        # What the parser (or its scrubber) holds back is a suffix of what it was fed
        # that starts with "<" and is shorter than _CLEAN_TAIL: with no "<" in that
        # much of the end of the stream, it holds nothing.
        self._tail = (self._tail + text)[-_CLEAN_TAIL:]
        self._plain_clean = (self._mode == "plain" and "<" not in self._tail
                             and self._parser.channel == "final")

    def _suspend_content(self) -> list[harmony.Event]:
        """Close a plain answer's message while reasoning or a tool call interleaves."""
        self._plain_clean = False
        if self._mode == "plain" and self._parser is not None and not self._suspended \
                and self._parser.channel is not None:
            self._suspended = True
            self._tail = harmony.END
            return self._parser.feed(harmony.END)
        return []

    def _close_side(self, events: list[harmony.Event], truncated: bool = False) -> None:
        if self._side is not None:
            _, channel, recipient = self._side
            events.append(harmony.Event(harmony.MESSAGE_END, channel=channel,
                                        recipient=recipient, truncated=truncated))
            self._side = None
            self._tool_index = None


class StreamError(Exception):
    """The server put an error object into the stream."""


@dataclass
class StreamCounts:
    """What one answer's stream carried: the stats, and whether it ended or was cut."""

    deltas: int = 0  # chunks that carried text: about one per token
    malformed: int = 0
    usage: dict[str, Any] = field(default_factory=dict)
    finish_reason: str | None = None
    completed: bool = False  # [DONE], or the Responses API's final event
    first_at: float | None = None
    last_at: float | None = None

    def delta(self) -> None:
        now = time.perf_counter()
        self.deltas += 1
        self.first_at = self.first_at or now
        self.last_at = now


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _index(value: Any) -> Any:
    """A call's index as a key: a server's list or object there (unhashable) would
    otherwise raise out of the stream; as text it still tells calls apart."""
    return value if value is None or isinstance(value, (int, str)) else repr(value)


def _finish_reason(value: Any) -> str:
    return "length" if value == "length" else "stop"


def read_chat_chunk(data: Any, out: StreamAssembler,
                    counts: StreamCounts) -> list[harmony.Event]:
    """One ``chat.completion.chunk`` (or a whole ``chat.completion``) → events.

    Anything not shaped like a chunk is counted as malformed and skipped.
    """
    if not isinstance(data, dict):
        counts.malformed += 1
        return []
    if data.get("error") and not data.get("choices"):
        error = data["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise StreamError(str(message or "unknown error"))
    usage = data.get("usage")
    if isinstance(usage, dict):
        counts.usage = usage
    choices = data.get("choices")
    if not isinstance(choices, list):
        if not isinstance(usage, dict):
            counts.malformed += 1
        return []
    if not choices:
        return []
    choice = choices[0]
    if not isinstance(choice, dict):
        counts.malformed += 1
        return []
    delta = choice.get("delta", choice.get("message")) or {}
    if not isinstance(delta, dict):
        counts.malformed += 1
        return []
    reasoning = delta.get("reasoning_content") or delta.get("reasoning") or ""
    content = delta.get("content") or ""
    tool_calls = delta.get("tool_calls") or []
    if not isinstance(reasoning, str) or not isinstance(content, str) \
            or not isinstance(tool_calls, list):
        counts.malformed += 1
        return []
    events: list[harmony.Event] = []
    if reasoning:
        events += out.reasoning(reasoning)
    for call in tool_calls:
        if isinstance(call, dict):
            fn = _obj(call.get("function"))
            events += out.tool_call(_index(call.get("index", 0)), str(fn.get("name") or ""),
                                    str(fn.get("arguments") or ""))
    if content:
        events += out.content(content)
    # A chunk is about a token, even one whose text is empty (a control token the
    # server dropped); the role announcement at the start is not one.
    if reasoning or content or tool_calls or ("role" not in delta and any(
            isinstance(delta.get(k), str) for k in ("content", "reasoning_content",
                                                    "reasoning"))):
        counts.delta()
    if choice.get("finish_reason"):
        counts.finish_reason = _finish_reason(choice["finish_reason"])
    return events


def read_responses_event(data: Any, out: StreamAssembler, counts: StreamCounts,
                         tools: dict[Any, str]) -> list[harmony.Event]:
    """One Responses API stream event → events (``tools``: output index → function)."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        counts.malformed += 1
        return []
    kind = data["type"]
    events: list[harmony.Event] = []
    delta = data.get("delta")
    if kind in ("response.reasoning_text.delta", "response.reasoning.delta",
                "response.reasoning_summary_text.delta"):
        events = out.reasoning(str(delta or ""))
    elif kind == "response.output_text.delta":
        events = out.content(str(delta or ""))
    elif kind == "response.output_item.added":
        item = _obj(data.get("item"))
        if item.get("type") == "function_call":
            tools[_index(data.get("output_index"))] = str(item.get("name") or "")
    elif kind == "response.function_call_arguments.delta":
        index = _index(data.get("output_index"))
        events = out.tool_call(index, tools.get(index, ""), str(delta or ""))
    elif kind == "response.output_item.done":
        item = _obj(data.get("item"))
        index = _index(data.get("output_index"))
        if item.get("type") == "function_call" and not out.calls.get(index, ["", ""])[1]:
            # A server that sent the call whole, without argument deltas.
            events = out.tool_call(index, str(item.get("name") or tools.get(index, "")),
                                   str(item.get("arguments") or ""))
    elif kind in ("response.completed", "response.incomplete"):
        response = _obj(data.get("response"))
        usage = response.get("usage")
        if isinstance(usage, dict):
            counts.usage = {"prompt_tokens": usage.get("input_tokens"),
                            "completion_tokens": usage.get("output_tokens")}
        reason = _obj(response.get("incomplete_details")).get("reason")
        counts.finish_reason = "length" if reason == "max_output_tokens" else "stop"
        counts.completed = True
    elif kind in ("response.failed", "error"):
        response = _obj(data.get("response")) or data
        error = _obj(response.get("error")) or response
        raise StreamError(str(error.get("message") or "the response failed"))
    if delta and kind.endswith(".delta"):
        counts.delta()
    return events


def sse_data(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The data of each server-sent event in a byte stream, as it arrives (one event's
    ``data:`` lines joined by newlines). Comments (``: ping``), ``event:``, ``id:`` and
    ``retry:`` lines are skipped. Works on bytes: no text decoding layer per chunk,
    since ``json.loads`` reads UTF-8 bytes itself."""
    buf = b""
    data: list[bytes] = []
    for piece in pieces:
        buf += piece
        start = 0
        while True:
            end = buf.find(b"\n", start)
            if end < 0:
                break
            line = buf[start:end]
            start = end + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if line:
                if line.startswith(b"data:"):
                    data.append(line[6:] if line[5:6] == b" " else line[5:])
                continue
            if data:
                yield data[0] if len(data) == 1 else b"\n".join(data)
                data = []
        buf = buf[start:]
    line = buf.rstrip(b"\r")
    if line.startswith(b"data:"):  # the last line, cut off without its newline
        data.append(line[6:] if line[5:6] == b" " else line[5:])
    if data:
        yield data[0] if len(data) == 1 else b"\n".join(data)


def event_message(ev: harmony.Event) -> dict[str, Any]:
    """A parsed event as the backend message both backends yield."""
    return {"type": protocol.EVENT, "kind": ev.kind, "text": ev.text, "channel": ev.channel,
            "recipient": ev.recipient, "truncated": ev.truncated}
