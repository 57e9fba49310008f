"""Servers on 127.0.0.1 for the remote tests.

* :class:`LlamaServer`: llama-cpp-python's own OpenAI-compatible server
  (``python -m llama_cpp.server``), a real server with a real model.
* :class:`RecordingProxy`: a pass-through proxy in front of one, recording what Cove
  sends (to see the effort fields) and, when asked, refusing a field with HTTP 400
  the way a strict server (OpenAI's own API) does.
* :class:`FakeServer`: a scripted server, only for what the real one cannot be made to
  do on demand: a rate limit (429 with Retry-After) and malformed stream chunks.

Every one of them is a context manager that stops what it started.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    def __init__(self, model: Path, log: Path, *, api_key: str | None = None,
                 chat_format: str | None = None, n_ctx: int = 2048, threads: int = 1,
                 cert: Path | None = None, key: Path | None = None,
                 cpus: set[int] | None = None) -> None:
        self.model = model
        self.cpus = cpus  # pin the server to these CPUs (benchmarks)
        self.log_path = log
        self.api_key = api_key
        self.port = free_port()
        self.tls = cert is not None
        self.cert = cert
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(n_ctx),
               "--n_threads", str(threads), "--n_threads_batch", str(threads),
               "--verbose", "False", "--seed", "1"]
        if api_key:
            cmd += ["--api_key", api_key]
        if chat_format:
            cmd += ["--chat_format", chat_format]
        if cert is not None and key is not None:
            cmd += ["--ssl_certfile", str(cert), "--ssl_keyfile", str(key)]
        self._cmd = cmd
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/v1"

    @property
    def model_id(self) -> str:
        return str(self.model)

    def __enter__(self) -> LlamaServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            cpus = self.cpus
            pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
            self.proc = subprocess.Popen(self._cmd, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, preexec_fn=pin)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {self.log_text()[-2000:]}")
            if self._ready():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("llama_cpp.server did not start in time")

    def _ready(self) -> bool:
        conn: http.client.HTTPConnection
        if self.tls:
            ctx = ssl.create_default_context(cafile=str(self.cert))
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=2, context=ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
            conn.request("GET", "/v1/models", headers=headers)
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-stream is part of the tests


class _Loopback:
    """A ThreadingHTTPServer on 127.0.0.1 run on a thread, as a context manager."""

    handler: type[BaseHTTPRequestHandler]

    def __enter__(self) -> Any:
        handler = self.handler
        self.httpd = _Quiet(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


class _ProxyHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _relay(self, method: str) -> None:
        owner: RecordingProxy = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        owner.requests.append((method, self.path, body))
        refused = [f for f in owner.refuse if isinstance(body, dict) and f in body]
        if refused:
            message = f"Unrecognized request argument supplied: {refused[0]}"
            data = json.dumps({"error": {"message": message,
                                         "type": "invalid_request_error"}})
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())
            return
        upstream = http.client.HTTPConnection("127.0.0.1", owner.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("authorization", "content-type", "accept")}
            upstream.request(method, self.path, body=raw or None, headers=headers)
            resp = upstream.getresponse()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "content-length", "connection",
                                     "date", "server"):
                    self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            while True:
                piece = resp.read1(65536)
                if not piece:
                    break
                self.wfile.write(piece)
                self.wfile.flush()
        except OSError:
            pass
        finally:
            upstream.close()
            self.close_connection = True

    def do_GET(self) -> None:
        self._relay("GET")

    def do_POST(self) -> None:
        self._relay("POST")


class RecordingProxy(_Loopback):
    """Relays to a real server on ``upstream_port``; ``requests`` holds (method, path,
    JSON body) of each request; a body with a field in ``refuse`` gets a 400."""

    handler = _ProxyHandler

    def __init__(self, upstream_port: int, refuse: tuple[str, ...] = ()) -> None:
        self.upstream_port = upstream_port
        self.refuse = refuse
        self.requests: list[tuple[str, str, Any]] = []

    def bodies(self) -> list[dict[str, Any]]:
        return [b for m, p, b in self.requests if m == "POST" and isinstance(b, dict)]


class _FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        owner: FakeServer = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        owner.script(self)


class FakeServer(_Loopback):
    """Answers every POST with ``script(handler)``."""

    handler = _FakeHandler

    def __init__(self, script: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.script = script


def send_sse(handler: BaseHTTPRequestHandler, payloads: list[str], delay: float = 0.0) -> None:
    """An event stream of ``data:`` lines, chunked like a real server's."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for payload in payloads:
        data = f"data: {payload}\n\n".encode()
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        handler.wfile.flush()
        if delay:
            time.sleep(delay)
    handler.wfile.write(b"0\r\n\r\n")
    handler.wfile.flush()


def chunk(content: str | None = None, finish: str | None = None, **delta: Any) -> str:
    """One chat.completion.chunk as a server writes it."""
    if content is not None:
        delta["content"] = content
    return json.dumps({"id": "c", "object": "chat.completion.chunk", "model": "m",
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost that no system trusts, and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


class _ToolHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, status: int, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        owner: ToolServer = self.server.owner  # type: ignore[attr-defined]
        self._json(200, {"object": "list", "data": [{"id": owner.model, "object": "model"}]})

    def do_POST(self) -> None:
        owner: ToolServer = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        owner.requests.append((self.path, body))
        if owner.refuse_tools and body.get("tools"):
            self._json(400, {"error": {"code": 400, "type": "invalid_request_error",
                                       "message": "tools param requires --jinja flag"}})
            return
        problem = owner.check(self.path, body)
        if problem:
            self._json(400, {"error": {"code": 400, "type": "invalid_request_error",
                                       "message": problem}})
            return
        if self.path.endswith("/responses"):
            send_sse(self, owner.responses_stream(body))
        else:
            send_sse(self, owner.chat_stream(body))


class ToolServer(_Loopback):
    """A gpt-oss server with tool calling on, as vLLM (``--enable-auto-tool-choice
    --tool-call-parser openai``) and llama-server (``--jinja``) behave, for what the
    real llama_cpp.server cannot do (its streamed answers never carry tool calls).

    Offered a tool named ``call``, the model reasons a little and calls it with
    ``arguments`` (streamed in pieces, ``finish_reason: tool_calls``); once the turn
    holds a tool's result, it answers ``It is {result}.``. Requests are checked the way
    those servers check them: a result must answer a call of an earlier assistant
    message by its id, arguments are a string, tools are function tools (else HTTP 400).
    ``refuse_tools``: a server without tool calling (llama-server without --jinja).
    ``strict``: a server that rejects fields it does not know inside messages (the
    reasoning Cove sends with this turn's calls), as OpenAI's own API does.
    ``requests`` holds (path, body) of each POST.
    """

    handler = _ToolHandler

    def __init__(self, call: str = "lookup", arguments: str = '{"q": "x"}', *,
                 refuse_tools: bool = False, strict: bool = False,
                 model: str = "gpt-oss-20b") -> None:
        self.call, self.arguments = call, arguments
        self.refuse_tools = refuse_tools
        self.strict = strict
        self.model = model
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def bodies(self) -> list[dict[str, Any]]:
        return [body for _path, body in self.requests]

    # -- checks -----------------------------------------------------------------------
    def check(self, path: str, body: dict[str, Any]) -> str | None:
        for i, tool in enumerate(body.get("tools") or []):
            function = tool.get("function", tool) if isinstance(tool, dict) else None
            if not isinstance(function, dict) or tool.get("type") != "function" \
                    or not isinstance(function.get("name"), str):
                return f"tools[{i}] is not a function tool"
        if path.endswith("/responses"):
            return self._check_items(body.get("input") or [])
        ids: set[Any] = set()
        for i, message in enumerate(body.get("messages") or []):
            extra = sorted(set(message) - {"role", "content", "tool_calls", "tool_call_id",
                                           "name"})
            if self.strict and extra:
                return (f"Additional properties are not allowed ({extra[0]!r} was "
                        f"unexpected) - 'messages.{i}'")
            for call in message.get("tool_calls") or []:
                if not isinstance(call.get("function", {}).get("arguments"), str):
                    return f"messages[{i}]: tool call arguments must be a string"
                ids.add(call.get("id"))
            if message.get("role") == "tool" and message.get("tool_call_id") not in ids:
                return f"messages[{i}]: tool_call_id {message.get('tool_call_id')!r} not found"
        return None

    @staticmethod
    def _check_items(items: list[dict[str, Any]]) -> str | None:
        ids: set[Any] = set()
        for i, item in enumerate(items):
            if item.get("type") == "function_call":
                ids.add(item.get("call_id"))
            if item.get("type") == "function_call_output" and item.get("call_id") not in ids:
                return f"input[{i}]: no function call with call_id {item.get('call_id')!r}"
        return None

    # -- answers ----------------------------------------------------------------------
    def _offered(self, body: dict[str, Any]) -> bool:
        return any((t.get("function", t)).get("name") == self.call
                   for t in body.get("tools") or [])

    def chat_stream(self, body: dict[str, Any]) -> list[str]:
        messages = body.get("messages") or []
        last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"),
                        default=-1)
        results = [m for m in messages[last_user + 1:] if m.get("role") == "tool"]
        if results:
            text = f"It is {results[-1]['content']}."
            return [chunk(role="assistant", content=""), chunk(reasoning_content="Got it."),
                    *[chunk(text[i:i + 5]) for i in range(0, len(text), 5)],
                    chunk(finish="stop"), "[DONE]"]
        if not self._offered(body):
            return [chunk("No tools."), chunk(finish="stop"), "[DONE]"]
        args = self.arguments
        first = {"index": 0, "id": "chatcmpl-tool-5f1d", "type": "function",
                 "function": {"name": self.call, "arguments": ""}}
        pieces = [args[i:i + 4] for i in range(0, len(args), 4)]
        return [chunk(role="assistant", content=""),
                chunk(reasoning_content="I should look it up."),
                chunk(tool_calls=[first]),
                *[chunk(tool_calls=[{"index": 0, "function": {"arguments": p}}])
                  for p in pieces],
                chunk(finish="tool_calls"), "[DONE]"]

    def responses_stream(self, body: dict[str, Any]) -> list[str]:
        items = body.get("input") or []
        last_user = max((i for i, m in enumerate(items) if m.get("role") == "user"),
                        default=-1)
        outputs = [m for m in items[last_user + 1:]
                   if m.get("type") == "function_call_output"]
        done = json.dumps({"type": "response.completed", "response": {
            "status": "completed", "usage": {"input_tokens": 10, "output_tokens": 5}}})
        if outputs:
            text = f"It is {outputs[-1]['output']}."
            return [json.dumps({"type": "response.output_text.delta", "output_index": 1,
                                "delta": text[i:i + 5]}) for i in range(0, len(text), 5)] \
                + [done]
        if not self._offered(body):
            return [json.dumps({"type": "response.output_text.delta", "output_index": 0,
                                "delta": "No tools."}), done]
        item = {"type": "function_call", "name": self.call, "call_id": "call_9x",
                "arguments": ""}
        args = self.arguments
        return [json.dumps({"type": "response.reasoning_text.delta", "output_index": 0,
                            "delta": "I should look it up."}),
                json.dumps({"type": "response.output_item.added", "output_index": 1,
                            "item": item}),
                *[json.dumps({"type": "response.function_call_arguments.delta",
                              "output_index": 1, "delta": args[i:i + 4]})
                  for i in range(0, len(args), 4)],
                json.dumps({"type": "response.output_item.done", "output_index": 1,
                            "item": {**item, "arguments": args}}),
                done]
