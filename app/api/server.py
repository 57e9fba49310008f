"""The HTTP side of the local API: an OpenAI-compatible ASGI app and its server.

Why Starlette on uvicorn: a small, maintained ASGI toolkit whose streaming responses
notice a client that went away (so a closed connection cancels its generation at
once), served by uvicorn, which runs in a thread of the window as well as in the main
thread of ``cove serve`` and shuts down cleanly. FastAPI's validation layer would add
pydantic models for a handful of fields we check by hand to give OpenAI's error
objects; aiohttp would add a second HTTP stack beside the one llama-cpp-python's test
server already brings. Both are pure Python wheels, so packaging is unchanged.

Safety: the server binds 127.0.0.1 unless another address is given explicitly (the
caller warns); every request needs the bearer key (:mod:`app.api.keys`); no CORS
header is sent unless origins are configured, so web pages cannot read answers; bodies
over 10 MB are refused before they are read whole.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import json
import logging
import secrets
import socket
import struct
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from app.api.chat_call import ChatCall, parse_chat
from app.api.completion import ANSWER, CALL, REASONING, Ending, Piece, Run
from app.api.errors import ApiError, bad_request, unsupported
from app.api.exchange import Exchange, app_name
from app.api.options import REASONING_FIELDS, ApiOptions
from app.api.request_log import CONTENT_LIMIT, Entry, RequestLog, now

if TYPE_CHECKING:
    from app.api.embeddings import Embeddings
    from app.api.gate import ModelGate
    from app.engine.model_info import ModelInfo
    from app.models.library import LocalModel

log = logging.getLogger(__name__)

MAX_BODY = 10 * 1024 * 1024
T = TypeVar("T")


def model_id(info: ModelInfo) -> str:
    """The name clients use for a model: its file's name without ``.gguf``."""
    return Path(info.path).stem if info.path else info.name


class _Gone(Exception):
    """The client closed the connection before its answer was complete."""


class ApiService:
    """The endpoints, over a :class:`app.api.gate.ModelGate`."""

    def __init__(self, gate: ModelGate, key: str, options: ApiOptions | None = None,
                 library: Callable[[], list[LocalModel]] | None = None,
                 embeddings: Embeddings | None = None,
                 requests: RequestLog | None = None,
                 on_request: Callable[[Entry], None] | None = None,
                 on_exchange: Callable[[Exchange], None] | None = None) -> None:
        """``on_request``: each request's log entry; ``on_exchange``: each chat
        answered whole (the history keeps it when asked); both on the server's thread."""
        self.gate = gate
        self.key = key
        self.options = options or ApiOptions()
        if self.options.reasoning_field not in REASONING_FIELDS:
            raise ValueError(f"reasoning_field must be one of {REASONING_FIELDS}")
        self._library = library or (lambda: [])
        self.embeddings = embeddings
        self.requests = requests or RequestLog(None)
        self._on_request = on_request
        self._on_exchange = on_exchange
        self._switching = asyncio.Lock()
        self.runs: set[Run] = set()  # the chats under way (shutdown abandons them)

    # -- the app --------------------------------------------------------------------------
    def app(self) -> Starlette:
        middleware = []
        if self.options.cors_origins:
            middleware.append(Middleware(
                CORSMiddleware, allow_origins=list(self.options.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type"]))
        routes = [Route("/v1/models", self.list_models, methods=["GET"]),
                  Route("/v1/chat/completions", self.chat_completions, methods=["POST"]),
                  Route("/v1/embeddings", self.create_embeddings, methods=["POST"])]
        return Starlette(routes=routes, middleware=middleware, exception_handlers={
            ApiError: _api_error, HTTPException: _http_error, Exception: _crash})

    def abandon_all(self) -> None:
        """Stop every chat under way (the server is shutting down)."""
        for run in list(self.runs):
            run.ticket.abandon()

    # -- /v1/models -----------------------------------------------------------------------
    async def list_models(self, request: Request) -> Response:
        self._check_key(request)
        data = [{"id": i, "object": "model", "created": 0, "owned_by": "cove",
                 "loaded": loaded} for i, loaded in self._model_ids()]
        if self.embeddings is not None and \
                all(d["id"] != self.embeddings.name for d in data):
            data.append({"id": self.embeddings.name, "object": "model", "created": 0,
                         "owned_by": "cove", "loaded": False})
        return JSONResponse({"object": "list", "data": data})

    def _model_ids(self) -> list[tuple[str, bool]]:
        loaded = self.gate.model
        ids = [(model_id(loaded), True)] if loaded is not None else []
        seen = {i for i, _ in ids}
        for model in self._chat_models():
            if model.path.stem not in seen:
                seen.add(model.path.stem)
                ids.append((model.path.stem, False))
        return ids

    def _chat_models(self) -> list[LocalModel]:
        try:
            return [m for m in self._library() if m.usable and not m.embedding]
        except Exception:  # a broken library must not break the loaded model's use
            log.exception("could not list the library's models")
            return []

    # -- /v1/chat/completions -------------------------------------------------------------
    async def chat_completions(self, request: Request) -> Response:
        try:
            return await self._chat(request)
        except _Gone:  # nobody reads it: the connection is closed
            return Response(status_code=499)

    async def _chat(self, request: Request) -> Response:
        self._check_key(request)
        began = time.perf_counter()
        call = parse_chat(await self._json(request))
        name = await self._model_for(call.model)
        self._check_tools(call)
        run = Run(call)
        self.runs.add(run)
        try:
            self.gate.submit(run.ticket)
            await self._watching(request, run, run.started(self.options.queue_timeout))
            first = await self._watching(request, run, run.next())
        except BaseException as exc:
            run.ticket.abandon()
            self.runs.discard(run)
            status = exc.status if isinstance(exc, ApiError) else 499
            self._record(request, "chat", name, status, began)
            raise
        if call.stream:
            return StreamingResponse(self._stream(request, run, first, name, began),
                                     media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache"})
        try:
            return await self._watching(request, run, self._whole(run, first, name, began,
                                                                  request))
        finally:
            run.ticket.abandon()
            self.runs.discard(run)

    async def _model_for(self, name: str) -> str:
        """The id of the model that will answer ``name``: the loaded one, or a library
        model loaded now when the user allows apps to switch."""
        loaded = self.gate.model
        if loaded is not None and (not name or name in (model_id(loaded), loaded.name,
                                                        Path(loaded.path).name)):
            return model_id(loaded)
        if not name:
            return ""
        match = next((m for m in self._chat_models()
                      if name in (m.path.stem, m.path.name, m.name)), None)
        if match is None:
            offered = ", ".join(i for i, _ in self._model_ids()) or "none"
            raise ApiError(404, f"Cove has no model {name!r}. Models: {offered}.",
                           code="model_not_found", param="model")
        if not self.options.allow_switch:
            raise ApiError(400, f"{name!r} is not the model loaded in Cove. Load it in "
                                "Cove, or let apps switch the model in Cove's settings.",
                           code="model_not_loaded", param="model")
        async with self._switching:
            loaded = self.gate.model
            if loaded is None or model_id(loaded) != match.path.stem:
                try:
                    loaded = await run_in_threadpool(self.gate.switch, match.path)
                except Exception as exc:
                    raise ApiError(500, f"Cove could not load {name!r}: {exc}",
                                   type_="server_error", code="load_failed") from exc
            return model_id(loaded)

    def _check_tools(self, call: ChatCall) -> None:
        """Tools and tool steps need a model that calls tools: the local engine renders
        them for gpt-oss (harmony) only, and would drop them for another model."""
        model = self.gate.model
        if model is None or model.harmony or model.remote:
            return
        if call.tools:
            raise unsupported("tools", f"The model loaded in Cove ({model.name}) does not "
                                       "call tools: Cove offers tools to gpt-oss models "
                                       "only. Leave 'tools' out or load a gpt-oss model.")
        if any(m.get("role") == "tool" for m in call.messages):
            raise unsupported("messages", f"The model loaded in Cove ({model.name}) cannot "
                                          "read tool calls and results: load a gpt-oss "
                                          "model, or send them as plain text.")

    async def _whole(self, run: Run, first: Piece, name: str, began: float,
                     request: Request) -> Response:
        reasoning: list[str] = []
        answer: list[str] = []
        piece = first
        while not isinstance(piece, Ending):
            if piece[0] in (REASONING, ANSWER):
                (reasoning if piece[0] == REASONING else answer).append(str(piece[1]))
            piece = await run.next()
        answer.append(run.held_text())
        message: dict[str, Any] = {"role": "assistant", "content": "".join(answer)}
        if run.calls:
            message["content"] = message["content"] or None
            message["tool_calls"] = run.calls
        if reasoning:
            message[self.options.reasoning_field] = "".join(reasoning)
        self._record(request, "chat", name, 200, began, piece, run)
        return JSONResponse({
            "id": _completion_id(), "object": "chat.completion", "created": int(time.time()),
            "model": name, "choices": [{"index": 0, "message": message, "logprobs": None,
                                        "finish_reason": piece.finish_reason}],
            "usage": _usage(piece)})

    async def _stream(self, request: Request, run: Run, first: Piece, name: str,
                      began: float) -> AsyncIterator[bytes]:
        """Server-sent events in OpenAI's chunk format; the connection closing ends the
        generator (Starlette cancels it), and ``finally`` cancels the generation."""
        cid, created = _completion_id(), int(time.time())
        usage_null = {"usage": None} if run.call.include_usage else {}
        status, ending = 200, None

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            return _event({"id": cid, "object": "chat.completion.chunk", "created": created,
                           "model": name, "choices": [{"index": 0, "delta": delta,
                                                       "logprobs": None,
                                                       "finish_reason": finish}],
                           **usage_null})

        try:
            yield chunk({"role": "assistant", "content": ""})
            piece = first
            while not isinstance(piece, Ending):
                yield chunk(self._delta(piece))
                piece = await run.next()
            ending = piece
            held = run.held_text()
            if held:
                yield chunk({"content": held})
            yield chunk({}, ending.finish_reason)
            if run.call.include_usage:
                yield _event({"id": cid, "object": "chat.completion.chunk",
                              "created": created, "model": name, "choices": [],
                              "usage": _usage(ending)})
            yield b"data: [DONE]\n\n"
        except ApiError as exc:
            status = exc.status
            yield _event(exc.body())
            yield b"data: [DONE]\n\n"
        except BaseException:
            status = 499  # the client went away
            raise
        finally:
            run.ticket.abandon()
            self.runs.discard(run)
            self._record(request, "chat", name, status, began, ending, run)

    def _delta(self, piece: tuple[str, Any]) -> dict[str, Any]:
        """A piece as OpenAI's chunk delta: the call's entry (id, type, name, empty
        arguments) when it opens, then its arguments as they are written."""
        kind, value = piece
        if kind == CALL:
            return {"tool_calls": [{"index": 0, **value}]}
        if kind == REASONING:
            return {self.options.reasoning_field: value}
        if kind == ANSWER:
            return {"content": value}
        return {"tool_calls": [{"index": 0, "function": {"arguments": value}}]}

    async def _watching(self, request: Request, run: Run, work: Awaitable[T]) -> T:
        """``work``, unless the client disconnects first: then the ticket is abandoned
        (skipped, or its generation cancelled) and :class:`_Gone` raised."""
        task = asyncio.ensure_future(work)
        watcher = asyncio.ensure_future(_disconnected(request))
        try:
            done, _ = await asyncio.wait({task, watcher},
                                         return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                return task.result()
            run.ticket.abandon()
            task.cancel()
            raise _Gone
        finally:
            watcher.cancel()

    # -- /v1/embeddings -------------------------------------------------------------------
    async def create_embeddings(self, request: Request) -> Response:
        self._check_key(request)
        began = time.perf_counter()
        body = await self._json(request)
        if self.embeddings is None:
            raise ApiError(404, "Cove has no embedding model. Download one in Cove's "
                                "Models window (Document search).", code="model_not_found",
                           param="model")
        texts, encoding = _embedding_input(body)
        try:
            vectors, tokens = await run_in_threadpool(self.embeddings.embed, texts)
        except Exception as exc:
            log.exception("embedding failed")
            raise ApiError(500, f"Cove could not embed the input: {exc}",
                           type_="server_error", code="embedding_failed") from exc
        data = [{"object": "embedding", "index": i,
                 "embedding": _encode(v, encoding)} for i, v in enumerate(vectors)]
        self._record(request, "embeddings", self.embeddings.name, 200, began,
                     Ending("stop", tokens, 0))
        return JSONResponse({"object": "list", "data": data, "model": self.embeddings.name,
                             "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    # -- common -----------------------------------------------------------------------------
    def _check_key(self, request: Request) -> None:
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode(), self.key.encode()):
            self._record(request, request.url.path, "", 401, time.perf_counter())
            raise ApiError(401, "Missing or wrong API key. Send 'Authorization: Bearer "
                                "KEY' with the key Cove shows in Settings (or that "
                                "'cove serve' printed).", code="invalid_api_key")

    async def _json(self, request: Request) -> Any:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            raise _too_large()
        chunks, size = [], 0
        async for part in request.stream():
            size += len(part)
            if size > MAX_BODY:
                raise _too_large()
            chunks.append(part)
        raw = b"".join(chunks)
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_request(f"The request body is not valid JSON ({exc}).",
                              code="invalid_json") from None
        except RecursionError:
            raise bad_request("The request body is nested too deeply to read.",
                              code="invalid_json") from None
        if b"\\u" in raw and _has_lone_surrogate(body):
            raise bad_request("The request body holds an escaped lone surrogate (such as "
                              "\\ud800), which is not a character: send valid UTF-16 "
                              "pairs or UTF-8 text.", code="invalid_json")
        return body

    def _record(self, request: Request, endpoint: str, model: str, status: int,
                began: float, ending: Ending | None = None, run: Run | None = None) -> None:
        """Log the request (its content only when the user asked for it) and hand an
        answered chat to ``on_exchange``."""
        peer = request.client.host if request.client else "?"
        agent = request.headers.get("user-agent", "")
        took_ms = round((time.perf_counter() - began) * 1000, 1)
        content = {}
        if run is not None and self.options.log_content:
            content = {"question": str(run.call.messages[-1].get("content") or ""
                                       )[:CONTENT_LIMIT],
                       "answer": "".join(run.answer)[:CONTENT_LIMIT]}
        entry = Entry(now(), f"{peer} {agent}".strip()[:160], endpoint, model, status,
                      ending.prompt_tokens if ending else 0,
                      ending.completion_tokens if ending else 0, took_ms, **content)
        self.requests.record(entry)
        _tell(self._on_request, entry)
        if self._on_exchange is not None and run is not None and ending is not None \
                and status == 200 and not run.calls:  # kept once the answer is written
            _tell(self._on_exchange, Exchange(
                run.call, model, "".join(run.reasoning), "".join(run.answer), ending,
                app_name(agent), entry.time - took_ms / 1000))


def _tell(listener: Callable[[T], None] | None, value: T) -> None:
    """Hand ``value`` to ``listener``; a listener's failure never fails the request."""
    if listener is None:
        return
    try:
        listener(value)
    except Exception:
        log.exception("a request listener failed")


async def _disconnected(request: Request) -> None:
    """Returns when the client has closed the connection (the body is read by then)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a JSON value holds a string that is not Unicode (JSON's ``\\ud800``
    escape without its pair): no encoder takes it, so it could never reach the model."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack += list(item)
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return False


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n\n"


def _usage(ending: Ending) -> dict[str, Any]:
    return {"prompt_tokens": ending.prompt_tokens,
            "completion_tokens": ending.completion_tokens,
            "total_tokens": ending.prompt_tokens + ending.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": ending.cached_tokens}}


def _completion_id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def _too_large() -> ApiError:
    return ApiError(413, "The request body is larger than 10 MB.", code="request_too_large")


def _embedding_input(body: Any) -> tuple[list[str], str]:
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    value = body.get("input")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or \
            not all(isinstance(t, str) for t in value):
        raise bad_request("'input' must be a string or a non-empty list of strings "
                          "(token arrays are not supported).", "input")
    from app.api.embeddings import MAX_INPUTS

    if len(value) > MAX_INPUTS:
        raise bad_request(f"'input' takes at most {MAX_INPUTS} texts.", "input")
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise bad_request("'encoding_format' must be float or base64.", "encoding_format")
    return value, encoding


def _encode(vector: list[float], encoding: str) -> list[float] | str:
    if encoding == "float":
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
    error = ApiError(exc.status_code, f"{request.method} {request.url.path}: {exc.detail}. "
                     "Cove serves /v1/models, /v1/chat/completions and /v1/embeddings.",
                     code=code)
    return JSONResponse(error.body(), status_code=exc.status_code)


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("an API request failed", exc_info=exc)
    error = ApiError(500, f"Cove failed on this request: {exc}", type_="server_error",
                     code="internal_error")
    return JSONResponse(error.body(), status_code=500)


class ApiServer:
    """Serves an :class:`ApiService` with uvicorn: :meth:`start` on a thread of its
    own (the window), or :meth:`serve` on the calling thread (``cove serve``, whose
    Ctrl+C uvicorn handles). The socket is bound first, so a port in use fails at once
    with OSError, and port 0 picks a free one (:attr:`port`)."""

    def __init__(self, service: ApiService) -> None:
        import uvicorn

        self.service = service
        options = service.options
        self._socket = _bind(options.host, options.port)
        self.host = options.host
        self.port = int(self._socket.getsockname()[1])
        config = uvicorn.Config(service.app(), log_config=None, access_log=False,
                                lifespan="off", timeout_graceful_shutdown=3,
                                ws="none")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def serve(self) -> None:
        """Serve until :meth:`stop` (or Ctrl+C on the main thread)."""
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        finally:
            self.service.abandon_all()
            with contextlib.suppress(OSError):
                self._socket.close()

    def start(self) -> None:
        """Serve on a thread; returns once it accepts connections."""
        self._thread = threading.Thread(target=self.serve, name="cove-api", daemon=True)
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            time.sleep(0.01)
        if not self._server.started:
            raise OSError(f"the API server on {self.address} did not start")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, end the answers under way, and wait for the thread."""
        self.service.abandon_all()
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with contextlib.suppress(OSError):
            self._socket.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock
