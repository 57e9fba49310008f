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
