"""A remote OpenAI-compatible server as a backend: vLLM, llama-server, Ollama, …

:class:`RemoteBackend` streams ``POST {base}/chat/completions`` (or ``{base}/responses``
where the user chose the Responses API) and yields the same messages as the local
:class:`app.engine.client.EngineClient`; see :mod:`app.engine.backend`.

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

``reasoning_effort`` goes where servers read it: top level (vLLM, Ollama, OpenAI) and
``chat_template_kwargs`` (llama-server renders the template with it); the Responses
API gets ``reasoning: {effort}``. A strict server that rejects a field it does not know
(HTTP 400/422 naming it) gets the request again without it, once per field, and the
backend remembers.

HTTP is ``httpx2`` (already a dependency through huggingface_hub): verified HTTPS
with the system's trust store, per-phase timeouts, streaming, no new package. Plain
``http://`` is refused unless the host is this computer or the user allowed it.
Redirects are not followed, and the environment's proxy settings are not used for
this computer, so nothing reaches a host the user did not add. The API key goes only
into the ``Authorization`` header: never into a message, a log line or a ``repr``.

Stop means stop: :meth:`RemoteBackend.cancel` shuts the connection's socket down from
the calling thread, which wakes the blocked read at once; the server sees the client
go and stops generating.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx2

from app import __version__
from app.engine import backend as codes
from app.engine import harmony, protocol
from app.engine.prompt import EFFORTS, ChatMessage

log = logging.getLogger(__name__)

CHAT = "chat"  # POST /chat/completions
RESPONSES = "responses"  # POST /responses
APIS = (CHAT, RESPONSES)

DEFAULT_READ_TIMEOUT = 120.0  # seconds without a byte before "stopped answering"
DEFAULT_CONNECT_TIMEOUT = 10.0
_ERROR_BODY_LIMIT = 64 << 10
_MAX_ATTEMPTS = 4  # one request and at most three without a field the server rejected

# OpenAI's recommendation for gpt-oss; other models keep the server's own defaults.
GPT_OSS_SAMPLING = {"temperature": 1.0, "top_p": 1.0}
_SAMPLING_KEYS = {
    "temp": "temperature", "temperature": "temperature", "top_p": "top_p", "top_k": "top_k",
    "min_p": "min_p", "repeat_penalty": "repeat_penalty",
    "presence_penalty": "presence_penalty", "frequency_penalty": "frequency_penalty",
    "seed": "seed",
}
# Fields not every server knows, in the order they are given up when one is rejected
# without being named.
_OPTIONAL_FIELDS = ("chat_template_kwargs", "stream_options", "top_k", "min_p",
                    "repeat_penalty", "reasoning_effort", "seed")
_UNKNOWN_FIELD_RE = re.compile(
    r"unrecogni[sz]ed|unknown|extra|not permitted|unsupported|additional propert", re.I)
_TOO_LONG_RE = re.compile(
    r"context (length|window|size)|maximum context|too long|exceeds? .*context|n_ctx", re.I)
_GPT_OSS_RE = re.compile(r"gpt[-_ ]?oss", re.I)


class RemoteError(Exception):
    """A request failed; ``code`` is one of :mod:`app.engine.backend`'s codes and the
    text is written for the user. ``retry_after`` is set for rate limits."""

    def __init__(self, message: str, code: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after

    def as_message(self) -> dict[str, Any]:
        msg: dict[str, Any] = {"type": protocol.ERROR, "code": self.code, "message": str(self)}
        if self.retry_after is not None:
            msg["retry_after"] = self.retry_after
        return msg


# -- addresses ------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """This computer: ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_url(base_url: str, allow_insecure: bool = False) -> str:
    """The API's base URL (``…/v1``), or RemoteError when it is not one Cove will use.

    ``http://host:8000`` becomes ``http://host:8000/v1``; a URL with a path keeps it
    (``https://host/api/v1``). Plain HTTP is for this computer only, unless the user
    allowed it for this server.
    """
    text = base_url.strip()
    if "://" not in text:
        text = "http://" + text if is_loopback(text.split("/")[0].rsplit(":", 1)[0]) \
            else "https://" + text
    try:
        url = httpx2.URL(text)
    except httpx2.InvalidURL as exc:
        raise RemoteError(f"{base_url!r} is not a web address.", protocol.BAD_REQUEST) from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise RemoteError(f"{base_url!r} is not an http or https address.",
                          protocol.BAD_REQUEST)
    if url.userinfo:
        raise RemoteError("Put the API key in the key field, not in the address.",
                          protocol.BAD_REQUEST)
    if url.scheme == "http" and not allow_insecure and not is_loopback(url.host):
        raise RemoteError(
            f"{url.host} would be reached over plain HTTP, which anyone on the network "
            "can read. Use an https:// address, or allow plain HTTP for this server if "
            "it is on a network you trust.", codes.INSECURE_URL)
    path = url.path.rstrip("/") or "/v1"
    return str(url.copy_with(path=path, query=None, fragment=None))


def looks_like_gpt_oss(model: str) -> bool:
    return bool(_GPT_OSS_RE.search(model))


# -- request bodies --------------------------------------------------------------------
def _sampling(model: str, sampling: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = dict(GPT_OSS_SAMPLING) if looks_like_gpt_oss(model) else {}
    for key, value in (sampling or {}).items():
        if key not in _SAMPLING_KEYS:
            raise ValueError(f"unknown sampling setting {key!r}")
        params[_SAMPLING_KEYS[key]] = value
    return params


def _check_effort(effort: str) -> None:
    if effort not in EFFORTS:
        raise ValueError(f"unknown reasoning effort {effort!r}")


def chat_body(
    model: str,
    messages: Sequence[ChatMessage],
    instructions: str = "",
    effort: str = "medium",
    sampling: dict[str, Any] | None = None,
    max_tokens: int | None = None,
    stop: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The JSON of a streaming ``/chat/completions`` request.

    Instructions go in a ``system`` message (gpt-oss's template makes it the developer
    message; every template knows ``system``). Earlier turns' reasoning is not sent:
    the template would drop it anyway.
    """
    _check_effort(effort)
    wire: list[dict[str, str]] = []
    if instructions:
        wire.append({"role": "system", "content": instructions})
    wire += [{"role": m["role"], "content": m["content"]} for m in messages]
    body: dict[str, Any] = {
        "model": model, "messages": wire, "stream": True,
        "stream_options": {"include_usage": True},
        "reasoning_effort": effort,
        "chat_template_kwargs": {"reasoning_effort": effort},
        **_sampling(model, sampling),
    }
    if max_tokens:
        body["max_tokens"] = int(max_tokens)
    if stop is not None:
        body["stop"] = list(stop)
    return body


def responses_body(
    model: str,
    messages: Sequence[ChatMessage],
    instructions: str = "",
    effort: str = "medium",
    sampling: dict[str, Any] | None = None,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The JSON of a streaming ``/responses`` request (no stop strings in that API)."""
    _check_effort(effort)
    body: dict[str, Any] = {
        "model": model, "stream": True, "reasoning": {"effort": effort},
        "input": [{"role": m["role"], "content": m["content"]} for m in messages],
    }
    if instructions:
        body["instructions"] = instructions
    params = _sampling(model, sampling)
    body.update({k: v for k, v in params.items() if k in ("temperature", "top_p")})
    if max_tokens:
        body["max_output_tokens"] = int(max_tokens)
    return body


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


class _StreamError(Exception):
    """The server put an error object into the stream."""


@dataclass
class _Counts:
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


def _finish_reason(value: Any) -> str:
    return "length" if value == "length" else "stop"


def read_chat_chunk(data: Any, out: StreamAssembler, counts: _Counts) -> list[harmony.Event]:
    """One ``chat.completion.chunk`` (or a whole ``chat.completion``) → events.

    Anything not shaped like a chunk is counted as malformed and skipped.
    """
    if not isinstance(data, dict):
        counts.malformed += 1
        return []
    if data.get("error") and not data.get("choices"):
        error = data["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise _StreamError(str(message or "unknown error"))
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
            events += out.tool_call(call.get("index", 0), str(fn.get("name") or ""),
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


def read_responses_event(data: Any, out: StreamAssembler, counts: _Counts,
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
            tools[data.get("output_index")] = str(item.get("name") or "")
    elif kind == "response.function_call_arguments.delta":
        index = data.get("output_index")
        events = out.tool_call(index, tools.get(index, ""), str(delta or ""))
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
        raise _StreamError(str(error.get("message") or "the response failed"))
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


def _event_message(ev: harmony.Event) -> dict[str, Any]:
    return {"type": protocol.EVENT, "kind": ev.kind, "text": ev.text, "channel": ev.channel,
            "recipient": ev.recipient, "truncated": ev.truncated}


# -- stopping a stream from another thread -------------------------------------------
class _Abort:
    """One chat's stop switch: a flag, and the socket to shut when it is flipped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self._sock: socket.socket | None = None

    def attach(self, stream: Any) -> None:
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sock = sock
            if self.cancelled:
                _shut(sock)

    def trace(self, name: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: learn the socket as soon as it is connected."""
        if name in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.attach(info.get("return_value"))

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            if self._sock is not None:
                _shut(self._sock)

    def detach(self) -> None:
        with self._lock:
            self._sock = None


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


# -- errors ---------------------------------------------------------------------------
def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    with contextlib.suppress(ValueError):
        return max(0.0, float(value))
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    return None


def _error_text(body: bytes) -> str:
    """The server's own words about an error, from the usual JSON shapes."""
    text = body.decode("utf-8", "replace").strip()
    with contextlib.suppress(ValueError):
        data = json.loads(text)
        if isinstance(data, dict):
            for key in ("error", "detail", "message"):
                value = data.get(key)
                if isinstance(value, dict):
                    value = value.get("message") or value.get("msg") or json.dumps(value)
                elif isinstance(value, list):
                    value = json.dumps(value)
                if value:
                    text = str(value)
                    break
    text = " ".join(text.split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _is_tls_failure(exc: BaseException) -> str | None:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            return cur.verify_message or "the certificate is not trusted"
        if isinstance(cur, ssl.SSLError):
            return cur.reason or str(cur)
        cur = cur.__cause__ or cur.__context__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return text
    return None


# -- the backend ------------------------------------------------------------------------
class RemoteBackend:
    """One model on one OpenAI-compatible server (see the module docstring).

    ``model`` may be empty: the server's first model is used. ``api`` is ``"chat"``
    (chat completions, every server) or ``"responses"`` (the Responses API, where the
    server has it). ``ca_file`` trusts an organisation's own certificate authority
    besides the system's.
    """

    def __init__(
        self,
        base_url: str,
        model: str = "",
        api_key: str | None = None,
        *,
        name: str = "",
        api: str = CHAT,
        allow_insecure: bool = False,
        ca_file: str | None = None,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        if api not in APIS:
            raise RemoteError(f"unknown API {api!r}", protocol.BAD_REQUEST)
        self.base_url = normalise_url(base_url, allow_insecure)
        self.host = httpx2.URL(self.base_url).host
        self.name = name or self.host
        self.model = model
        self.api = api
        self.read_timeout = read_timeout
        self._key = api_key or None
        self._dropped: set[str] = set()
        self._abort = _Abort()
        self._lock = threading.Lock()
        verify: ssl.SSLContext | bool = True
        if ca_file:  # the system's trust store (as httpx2 builds it), plus this CA
            verify = httpx2.create_ssl_context()
            verify.load_verify_locations(cafile=ca_file)
        headers = {"User-Agent": f"Cove/{__version__}", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        self._client = httpx2.Client(
            headers=headers, verify=verify, follow_redirects=False,
            timeout=httpx2.Timeout(connect=connect_timeout, read=read_timeout,
                                   write=connect_timeout, pool=connect_timeout),
            # Proxy settings from the environment are for the network, not this computer.
            trust_env=not is_loopback(self.host),
        )
        self.info: dict[str, Any] = {}
        self._update_info()

    def __repr__(self) -> str:  # never the key
        return f"RemoteBackend({self.name!r}, {self.base_url!r}, model={self.model!r})"

    def _update_info(self) -> None:
        self.info = {
            "name": self.model or "?", "backend": "remote", "server": self.name,
            "base_url": self.base_url, "model": self.model, "api": self.api,
            "harmony": looks_like_gpt_oss(self.model), "chat_template": "server",
        }

    # -- simple requests ---------------------------------------------------------------
    def models(self) -> list[str]:
        """The ids of the models the server offers (RemoteError when it cannot say)."""
        try:
            response = self._client.get(self.base_url + "/models")
        except httpx2.HTTPError as exc:
            raise self._transport_error(exc, midway=False) from None
        if response.status_code != 200:
            raise self._status_error(response, response.content)
        try:
            data = response.json()
            items = data["data"] if isinstance(data, dict) else data
            return [str(item["id"]) for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            raise RemoteError(
                f"{self.name} answered, but not with a model list: is {self.base_url} "
                "an OpenAI-compatible API (it usually ends in /v1)?",
                codes.BAD_RESPONSE) from exc

    def has_responses_api(self) -> bool | None:
        """Whether the server has the Responses API, without generating anything: an
        empty request is refused as invalid (400/422) where the API exists, and not
        found (404/405) where it does not. None when the answer says neither."""
        try:
            response = self._client.post(self.base_url + "/responses", json={})
        except httpx2.HTTPError:
            return None
        if response.status_code in (404, 405, 501):
            return False
        if response.status_code in (400, 422):
            return True
        return None

    def resolve_model(self) -> str:
        """The model to use: the chosen one, or the server's first."""
        if not self.model:
            models = self.models()
            if not models:
                raise RemoteError(f"{self.name} offers no models.", codes.NO_SUCH_MODEL)
            self.model = models[0]
            self._update_info()
        return self.model

    # -- chat -------------------------------------------------------------------------
    def chat(
        self,
        messages: Sequence[ChatMessage],
        instructions: str = "",
        effort: str = "medium",
        sampling: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        stop: Sequence[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stream the answer to the last message; see :mod:`app.engine.backend`."""
        abort = _Abort()
        with self._lock:
            self._abort = abort
        started = time.perf_counter()
        try:
            model = self.resolve_model()
            if self.api == RESPONSES:
                path = "/responses"
                body = responses_body(model, messages, instructions, effort, sampling,
                                      max_tokens)
            else:
                path = "/chat/completions"
                body = chat_body(model, messages, instructions, effort, sampling,
                                 max_tokens, stop)
        except ValueError as exc:
            yield {"type": protocol.ERROR, "code": protocol.BAD_REQUEST, "message": str(exc)}
            return
        except RemoteError as exc:
            yield exc.as_message()
            return
        out = StreamAssembler(gpt_oss=looks_like_gpt_oss(model))
        counts = _Counts()
        error: RemoteError | None = None
        response: httpx2.Response | None = None
        first_event_at: float | None = None
        try:
            response = self._open(path, body, abort)
            tools: dict[Any, str] = {}
            for data in self._payloads(response, counts, abort):
                if self.api == RESPONSES:
                    events = read_responses_event(data, out, counts, tools)
                else:
                    events = read_chat_chunk(data, out, counts)
                for ev in events:
                    if first_event_at is None:
                        first_event_at = time.perf_counter()
                    yield _event_message(ev)
        except RemoteError as exc:
            error = exc
        except _StreamError as exc:
            error = RemoteError(
                f"{self.name} reported an error while answering: {self._clean(str(exc))}. "
                "What was already written is kept.", codes.SERVER_ERROR)
        except httpx2.HTTPError as exc:
            if not abort.cancelled:
                error = self._transport_error(exc, midway=counts.deltas > 0)
        finally:
            abort.detach()
            if response is not None:
                response.close()
        finish: str | None = None
        if abort.cancelled:
            finish, error = "cancelled", None
        elif error is None:
            if counts.completed or counts.finish_reason:
                finish = counts.finish_reason or "stop"
            elif counts.deltas == 0 and counts.malformed:
                error = RemoteError(
                    f"{self.name}'s answer could not be read ({counts.malformed} malformed "
                    "chunks). Is this an OpenAI-compatible server?", codes.BAD_RESPONSE)
            else:
                error = RemoteError(
                    f"The connection to {self.name} ended before the answer did. What was "
                    "already written is kept; try again.", codes.SERVER_DISCONNECTED)
        for ev in out.finish(finish):
            yield _event_message(ev)
        if error is not None:
            yield error.as_message()
            return
        yield {"type": protocol.DONE, "finish_reason": finish,
               "stats": self._stats(counts, out, started, first_event_at)}

    def cancel(self) -> None:
        """Stop the answer being written: the stream is closed at once (any thread)."""
        with self._lock:
            abort = self._abort
        abort.cancel()

    def answer_now(self) -> None:
        """Not possible through an OpenAI-compatible API: the server owns the tokens."""

    def close(self) -> None:
        self.cancel()
        self._client.close()

    def __enter__(self) -> RemoteBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- wire ---------------------------------------------------------------------------
    def _open(self, path: str, body: dict[str, Any], abort: _Abort) -> httpx2.Response:
        """Send the request; a 2xx streaming response, or RemoteError. A strict server
        that rejects an optional field gets the request again without it."""
        body = {k: v for k, v in body.items() if k not in self._dropped}
        for _attempt in range(_MAX_ATTEMPTS):
            request = self._client.build_request(
                "POST", self.base_url + path, json=body,
                headers={"Accept": "text/event-stream"}, extensions={"trace": abort.trace})
            response = self._client.send(request, stream=True)
            abort.attach(response.extensions.get("network_stream"))
            if 200 <= response.status_code < 300:
                return response
            try:
                raw = b""
                for piece in response.iter_bytes():
                    raw += piece
                    if len(raw) > _ERROR_BODY_LIMIT:
                        break
            finally:
                response.close()
            rejected = self._rejected_fields(response.status_code, raw, body)
            if not rejected:
                raise self._status_error(response, raw)
            log.info("%s rejected %s; asking again without", self.name, sorted(rejected))
            self._dropped |= rejected
            body = {k: v for k, v in body.items() if k not in rejected}
        raise RemoteError(f"{self.name} rejected every form of the request.",
                          protocol.BAD_REQUEST)

    @staticmethod
    def _rejected_fields(status: int, raw: bytes, body: dict[str, Any]) -> set[str]:
        if status not in (400, 422):
            return set()
        text = raw.decode("utf-8", "replace")
        present = [k for k in _OPTIONAL_FIELDS if k in body]
        named = {k for k in present if k in text}
        if named:
            return named
        if _UNKNOWN_FIELD_RE.search(text) and not _TOO_LONG_RE.search(text) and present:
            return {present[0]}
        return set()

    def _payloads(self, response: httpx2.Response, counts: _Counts,
                  abort: _Abort) -> Iterator[Any]:
        """The JSON payloads of a server-sent event stream (a plain JSON body, from a
        server that ignored ``stream``, is one payload). Bad JSON is counted, skipped."""
        if response.headers.get("content-type", "").startswith("application/json"):
            try:
                yield json.loads(response.read())
            except ValueError:
                counts.malformed += 1
            counts.completed = True
            return
        for payload in sse_data(response.iter_bytes()):
            if abort.cancelled:
                return
            if payload.strip() == b"[DONE]":
                counts.completed = True
                return
            try:
                yield json.loads(payload)
            except ValueError:
                counts.malformed += 1
                log.debug("%s: skipped a malformed chunk", self.name)

    def _stats(self, counts: _Counts, out: StreamAssembler, started: float,
               first_event_at: float | None) -> dict[str, Any]:
        ended = time.perf_counter()
        usage = counts.usage
        completion = int(usage.get("completion_tokens") or counts.deltas)
        span = (counts.last_at or ended) - (counts.first_at or ended)
        tokens_per_s = (completion - 1) / span if completion > 1 and span > 0 else 0.0
        return {
            "prompt_tokens": int(usage.get("prompt_tokens") or 0),
            "completion_tokens": completion,
            "ttft_ms": round(((first_event_at or ended) - started) * 1000, 2),
            "tokens_per_s": round(tokens_per_s, 2),
            "elapsed_ms": round((ended - started) * 1000, 2),
            "malformed_chunks": counts.malformed,
            "server": self.name,
            "model": self.model,
            "saw_final": out.saw_final,
        }

    def _clean(self, text: str) -> str:
        """Server text for a message, with the key removed should a server echo it."""
        return text.replace(self._key, "…") if self._key else text

    def _status_error(self, response: httpx2.Response, raw: bytes) -> RemoteError:
        status = response.status_code
        detail = self._clean(_error_text(raw)) or response.reason_phrase
        name = self.name
        if status in (401, 403):
            if not self._key:
                return RemoteError(f"{name} needs an API key (HTTP {status}). Add it in "
                                   "the server's settings.", codes.UNAUTHORIZED)
            return RemoteError(f"{name} refused the API key (HTTP {status}). Check the key "
                               "in the server's settings.", codes.UNAUTHORIZED)
        if status == 429:
            wait = _retry_after(response.headers.get("retry-after"))
            when = (f"Try again in {wait:.0f} seconds." if wait is not None
                    else "Try again in a moment.")
            return RemoteError(f"{name} is busy: too many requests (HTTP 429). {when} "
                               "Nothing was lost.", codes.RATE_LIMITED, retry_after=wait)
        if status == 404 and self.model and "model" in detail.lower():
            return RemoteError(f"{name} has no model {self.model!r} ({detail}). Choose one "
                               "of its models in the server's settings.", codes.NO_SUCH_MODEL)
        if status == 404:
            return RemoteError(f"{name} has no such API at {response.request.url.path} "
                               "(HTTP 404). Check the address: it usually ends in /v1.",
                               codes.SERVER_ERROR)
        if status in (400, 413, 422) and _TOO_LONG_RE.search(detail):
            return RemoteError(f"This conversation is too long for the model on {name} "
                               f"({detail}). Start a new chat, or shorten the message.",
                               protocol.TOO_LONG)
        if 300 <= status < 400:
            where = response.headers.get("location", "elsewhere")
            return RemoteError(f"{name} redirects to {where}; Cove does not follow "
                               "redirects. Put the new address in the server's settings.",
                               codes.SERVER_ERROR)
        if status >= 500:
            return RemoteError(f"{name} failed (HTTP {status}: {detail}). Nothing was lost; "
                               "try again in a moment.", codes.SERVER_ERROR)
        return RemoteError(f"{name} did not accept the request (HTTP {status}: {detail}).",
                           protocol.BAD_REQUEST)

    def _transport_error(self, exc: httpx2.HTTPError, midway: bool) -> RemoteError:
        name, url = self.name, self.base_url
        kept = " What was already written is kept." if midway else ""
        if isinstance(exc, httpx2.ConnectTimeout):
            return RemoteError(f"Cannot reach {name} at {url}: no answer to the connection "
                               "attempt. Check that the server is running and reachable "
                               "from this computer.", codes.SERVER_UNREACHABLE)
        if isinstance(exc, httpx2.TimeoutException):
            return RemoteError(f"{name} stopped answering (nothing for "
                               f"{self.read_timeout:.0f} s).{kept} Try again; a busy server "
                               "may need a longer time limit in its settings.", codes.TIMEOUT)
        tls = _is_tls_failure(exc)
        if tls and isinstance(exc, httpx2.ConnectError):
            return RemoteError(f"The secure connection to {name} failed: {tls}. Cove only "
                               "talks to servers whose certificate is trusted; if this "
                               "server uses your organisation's own certificate authority, "
                               "add its CA file in the server's settings.", codes.TLS_ERROR)
        if isinstance(exc, httpx2.ConnectError):
            reason = self._clean(str(exc)) or type(exc).__name__
            return RemoteError(f"Cannot reach {name} at {url} ({reason}). Check that the "
                               "server is running and the address is right.",
                               codes.SERVER_UNREACHABLE)
        if isinstance(exc, httpx2.TransportError):
            if midway:
                return RemoteError(f"The connection to {name} was lost in the middle of the "
                                   f"answer.{kept} Try again when the server is back.",
                                   codes.SERVER_DISCONNECTED)
            return RemoteError(f"{name} closed the connection without answering. Check "
                               "that the server is running and try again.",
                               codes.SERVER_DISCONNECTED)
        return RemoteError(f"The request to {name} failed: {type(exc).__name__}.",
                           protocol.BAD_REQUEST)
