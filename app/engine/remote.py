"""A remote OpenAI-compatible server as a backend: vLLM, llama-server, Ollama, …

:class:`RemoteBackend` streams ``POST {base}/chat/completions`` (or ``{base}/responses``
where the user chose the Responses API) and yields the same messages as the local
:class:`app.engine.client.EngineClient`; see :mod:`app.engine.backend`. Its parts:

* :mod:`app.engine.remote_request`: the address and the request bodies;
* :mod:`app.engine.remote_stream`: the answer's server-sent events → harmony events
  (the three ways servers hand gpt-oss's reasoning back);
* :mod:`app.engine.remote_errors`: failures in words for the user.

A strict server that rejects a field it does not know (HTTP 400/422 naming it) gets the
request again without it, once per field, and the backend remembers.

Tools: the offered tools go as the API's ``tools``, the calls stream back as
``tool_calls`` deltas (harmony events, as the local worker's), and an answer that ends
in a call ends with ``done`` / ``tool_call`` and the call, exactly as the worker's does,
so the session's tool loop runs unchanged; its continuation is the same request with
the call (an assistant message with ``tool_calls``) and the result (``role: tool``)
added (:mod:`app.engine.openai_messages`). A server that refuses ``tools`` (llama-server
without ``--jinja``, vLLM without ``--enable-auto-tool-choice``, a model without tool
support) is an error that says so and what to do, never a retry without them.

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
import json
import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx2

from app import __version__
from app.engine import backend as codes
from app.engine import protocol
from app.engine.openai_messages import PYTHON, call_from_openai
from app.engine.prompt import ChatMessage, ToolOffer
from app.engine.remote_errors import TOO_LONG_RE, RemoteError, ServerErrors
from app.engine.remote_request import (
    APIS,
    CHAT,
    RESPONSES,
    chat_body,
    is_loopback,
    looks_like_gpt_oss,
    normalise_url,
    responses_body,
)
from app.engine.remote_stream import (
    StreamAssembler,
    StreamCounts,
    StreamError,
    event_message,
    read_chat_chunk,
    read_responses_event,
    sse_data,
)

log = logging.getLogger(__name__)

DEFAULT_READ_TIMEOUT = 120.0  # seconds without a byte before "stopped answering"
DEFAULT_CONNECT_TIMEOUT = 10.0
_ERROR_BODY_LIMIT = 64 << 10
_MAX_ATTEMPTS = 4  # one request and at most three without a field the server rejected
# Fields not every server knows, in the order they are given up when one is rejected
# without being named.
_OPTIONAL_FIELDS = ("chat_template_kwargs", "stream_options", "top_k", "min_p",
                    "repeat_penalty", "reasoning_effort", "seed")
_UNKNOWN_FIELD_RE = re.compile(
    r"unrecogni[sz]ed|unknown|extra|not permitted|unsupported|additional propert", re.I)
# How servers refuse tools: llama-server without --jinja, vLLM without auto tool
# choice, Ollama's "does not support tools", OpenAI-like "tools are not supported".
_TOOLS_REFUSED_RE = re.compile(
    r"--jinja|tool[_ ]choice|tool-call-parser|tools param|"
    r"(not|n't|no) support\w*( for)? (tools|tool|function)|"
    r"(tools?|function calling) (is |are )?not (supported|enabled|available)", re.I)
# The reasoning Cove sends with the calls of the turn being answered, in the messages
# (vLLM reads "reasoning", llama-server "reasoning_content"); a strict server's 400
# naming either gets the request again without them.
_MESSAGE_REASONING = ("reasoning", "reasoning_content")
_REASONING_FIELD_RE = re.compile(r"\breasoning(_content)?\b(?!_effort)")


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


def _without_message_reasoning(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without the reasoning in its messages (itself when there is none)."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not any(
            isinstance(m, dict) and any(k in m for k in _MESSAGE_REASONING) for m in messages):
        return body
    cleaned = [{k: v for k, v in m.items() if k not in _MESSAGE_REASONING}
               if isinstance(m, dict) else m for m in messages]
    return {**body, "messages": cleaned}


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


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
        self._errors = ServerErrors(self.name, self.base_url, self._key, read_timeout)
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
            raise self._errors.transport(exc, midway=False) from None
        if response.status_code != 200:
            raise self._errors.status(response, response.content, self.model)
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
        tools: Sequence[ToolOffer] = (),
    ) -> Iterator[dict[str, Any]]:
        """Stream the answer to the last message; see :mod:`app.engine.backend`.
        ``tools`` are offered; an answer that calls one ends with ``tool_call``."""
        abort = _Abort()
        with self._lock:
            self._abort = abort
        started = time.perf_counter()
        try:
            model = self.resolve_model()
            if self.api == RESPONSES:
                path = "/responses"
                body = responses_body(model, messages, instructions, effort, sampling,
                                      max_tokens, tools)
            else:
                path = "/chat/completions"
                body = chat_body(model, messages, instructions, effort, sampling,
                                 max_tokens, stop, tools)
        except ValueError as exc:
            yield {"type": protocol.ERROR, "code": protocol.BAD_REQUEST, "message": str(exc)}
            return
        except RemoteError as exc:
            yield exc.as_message()
            return
        out = StreamAssembler(gpt_oss=looks_like_gpt_oss(model))
        counts = StreamCounts()
        error: RemoteError | None = None
        response: httpx2.Response | None = None
        first_event_at: float | None = None
        try:
            response = self._open(path, body, abort)
            streamed_tools: dict[Any, str] = {}
            for data in self._payloads(response, counts, abort):
                if self.api == RESPONSES:
                    events = read_responses_event(data, out, counts, streamed_tools)
                else:
                    events = read_chat_chunk(data, out, counts)
                for ev in events:
                    if first_event_at is None:
                        first_event_at = time.perf_counter()
                    yield event_message(ev)
        except RemoteError as exc:
            error = exc
        except StreamError as exc:
            error = RemoteError(
                f"{self.name} reported an error while answering: {self._errors.clean(str(exc))}. "
                "What was already written is kept.", codes.SERVER_ERROR)
        except httpx2.HTTPError as exc:
            if not abort.cancelled:
                error = self._errors.transport(exc, midway=counts.deltas > 0)
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
            yield event_message(ev)
        if error is not None:
            yield error.as_message()
            return
        done: dict[str, Any] = {"type": protocol.DONE, "finish_reason": finish,
                                "stats": self._stats(counts, out, started, first_event_at)}
        call = out.first_call() if tools and finish == "stop" else None
        if call is not None:
            python = any(t.get("kind") == PYTHON for t in tools)
            done["finish_reason"] = "tool_call"
            done["call"] = dict(call_from_openai(*call, builtin_python=python))
        yield done

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
        if "messages.reasoning" in self._dropped:
            body = _without_message_reasoning(body)
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
            if body.get("tools") and response.status_code in (400, 422, 501) \
                    and _TOOLS_REFUSED_RE.search(raw.decode("utf-8", "replace")):
                raise self._errors.tools_refused(response, raw)
            if self._refuses_message_reasoning(response.status_code, raw, body):
                log.info("%s rejected the reasoning in messages; asking again without",
                         self.name)
                self._dropped.add("messages.reasoning")
                body = _without_message_reasoning(body)
                continue
            rejected = self._rejected_fields(response.status_code, raw, body)
            if not rejected:
                raise self._errors.status(response, raw, self.model)
            log.info("%s rejected %s; asking again without", self.name, sorted(rejected))
            self._dropped |= rejected
            body = {k: v for k, v in body.items() if k not in rejected}
        raise RemoteError(f"{self.name} rejected every form of the request.",
                          protocol.BAD_REQUEST)

    @staticmethod
    def _refuses_message_reasoning(status: int, raw: bytes, body: dict[str, Any]) -> bool:
        if status not in (400, 422) or body is _without_message_reasoning(body):
            return False
        return bool(_REASONING_FIELD_RE.search(raw.decode("utf-8", "replace")))

    @staticmethod
    def _rejected_fields(status: int, raw: bytes, body: dict[str, Any]) -> set[str]:
        if status not in (400, 422):
            return set()
        text = raw.decode("utf-8", "replace")
        present = [k for k in _OPTIONAL_FIELDS if k in body]
        named = {k for k in present if k in text}
        if named:
            return named
        if _UNKNOWN_FIELD_RE.search(text) and not TOO_LONG_RE.search(text) and present:
            return {present[0]}
        return set()

    def _payloads(self, response: httpx2.Response, counts: StreamCounts,
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

    def _stats(self, counts: StreamCounts, out: StreamAssembler, started: float,
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

