"""A small Hugging Face Hub on 127.0.0.1 that the real ``huggingface_hub`` can talk to.

It speaks the part of the Hub's HTTP API that downloads use: model info (with
``blobs=True``: sizes and LFS sha256), paths-info, and ``resolve`` with HEAD, Range,
ETag and the ``X-Repo-Commit`` / ``X-Linked-Size`` / ``X-Linked-Etag`` headers. Errors
carry the Hub's ``X-Error-Code`` header so ``hf_raise_for_status`` maps them to the
same exception classes as the real Hub (gated repos, missing files, missing repos).

Fault injection, so tests can prove that downloads survive the real world: drop the
connection after N bytes, serve wrong bytes, throttle, or ignore Range requests. Every
request is logged (method, path, Range, whether it was authenticated) for assertions.
It binds to the loopback address only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.loopback import ClosingHTTPServer

CHUNK = 1 << 20


@dataclass
class HubFile:
    """One file of a repository: bytes in memory or a file on disk (for big ones)."""

    data: bytes | Path
    sha256: str = ""
    size: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.data, Path):
            self.size = self.data.stat().st_size
            if not self.sha256:
                digest = hashlib.sha256()
                with self.data.open("rb") as f:
                    while block := f.read(CHUNK):
                        digest.update(block)
                self.sha256 = digest.hexdigest()
        else:
            self.size = len(self.data)
            self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()

    def read(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start`` to ``end`` (exclusive), in chunks."""
        if isinstance(self.data, bytes):
            for pos in range(start, end, CHUNK):
                yield self.data[pos:min(end, pos + CHUNK)]
            return
        with self.data.open("rb") as f:
            f.seek(start)
            left = end - start
            while left > 0:
                block = f.read(min(CHUNK, left))
                if not block:
                    return
                left -= len(block)
                yield block


@dataclass
class HubRepo:
    files: dict[str, HubFile]
    commit: str = ""
    gated: bool = False

    def __post_init__(self) -> None:
        if not self.commit:
            names = "".join(sorted(f"{k}:{v.sha256}" for k, v in self.files.items()))
            self.commit = hashlib.sha1(names.encode()).hexdigest()


@dataclass
class Faults:
    """What goes wrong on the next file downloads (GET on ``resolve``)."""

    drop_after: int | None = None  # bytes of body sent before the connection is cut
    drops: int = 0  # how many GETs are cut (counted down)
    corrupt: bool = False  # flip one byte in every chunk served
    throttle_bps: int | None = None  # bytes per second, roughly
    ignore_range: bool = False  # answer 200 with the whole file, like a naive mirror
    status: int | None = None  # answer every file GET with this HTTP error (403, 503 …)


@dataclass
class LoggedRequest:
    method: str
    path: str
    range: str | None
    authorized: bool
    user_agent: str = ""


@dataclass
class HubState:
    repos: dict[str, HubRepo] = field(default_factory=dict)
    token: str = "hf_test_token_0123456789"
    faults: Faults = field(default_factory=Faults)
    log: list[LoggedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_RESOLVE = re.compile(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")
_INFO = re.compile(r"^/api/models/([^/]+/[^/]+?)(?:/revision/([^/]+))?$")
_PATHS = re.compile(r"^/api/models/([^/]+/[^/]+)/paths-info/([^/]+)$")
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet in tests
        return

    @property
    def hub(self) -> HubState:
        return self.server.hub

    def _log(self) -> None:
        with self.hub.lock:
            self.hub.log.append(LoggedRequest(
                self.command, unquote(urlsplit(self.path).path), self.headers.get("Range"),
                self.headers.get("Authorization") == f"Bearer {self.hub.token}",
                self.headers.get("User-Agent", ""),
            ))

    def _send_error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _repo(self, repo_id: str, revision: str | None) -> HubRepo | None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self._send_error(401, "RepoNotFound", "Repository not found")
            return None
        if revision not in (None, "main", repo.commit):
            self._send_error(404, "RevisionNotFound", "Invalid rev id")
            return None
        return repo

    # -- routes ------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._log()
        path = unquote(urlsplit(self.path).path)
        if match := _INFO.match(path):
            query = parse_qs(urlsplit(self.path).query)
            self._model_info(match.group(1), match.group(2), "blobs" in query)
        elif match := _RESOLVE.match(path):
            self._resolve(*match.groups(), body=True)
        else:
            self._send_error(404, "NotFound", "Not found")

    def do_HEAD(self) -> None:
        self._log()
        path = unquote(urlsplit(self.path).path)
        if match := _RESOLVE.match(path):
            self._resolve(*match.groups(), body=False)
        else:
            self._send_error(404, "NotFound", "Not found")

    def do_POST(self) -> None:
        self._log()
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        match = _PATHS.match(unquote(urlsplit(self.path).path))
        if not match:
            self._send_error(404, "NotFound", "Not found")
            return
        repo = self._repo(match.group(1), match.group(2))
        if repo is None:
            return
        self._send_json([
            {"type": "file", "path": name, "size": f.size, "oid": f.sha256[:40],
             "lfs": {"oid": f.sha256, "size": f.size, "pointerSize": 134}}
            for name in form.get("paths", []) if (f := repo.files.get(name))
        ])

    def _model_info(self, repo_id: str, revision: str | None, blobs: bool) -> None:
        repo = self._repo(repo_id, revision)
        if repo is None:
            return
        siblings: list[dict[str, object]] = []
        for name, f in sorted(repo.files.items()):
            sibling: dict[str, object] = {"rfilename": name}
            if blobs:
                sibling.update(size=f.size, blobId=f.sha256[:40],
                               lfs={"sha256": f.sha256, "size": f.size, "pointerSize": 134})
            siblings.append(sibling)
        self._send_json({"_id": repo.commit[:24], "id": repo_id, "modelId": repo_id,
                         "sha": repo.commit, "private": False,
                         "gated": "manual" if repo.gated else False,
                         "tags": ["gguf"], "siblings": siblings})

    def _resolve(self, repo_id: str, revision: str, name: str, body: bool) -> None:
        repo = self._repo(repo_id, revision)
        if repo is None:
            return
        if repo.gated and self.headers.get("Authorization") != f"Bearer {self.hub.token}":
            self._send_error(401, "GatedRepo", "Access to model is restricted.")
            return
        if self.hub.faults.status is not None:
            self._send_error(self.hub.faults.status, "", "The server refused the request.")
            return
        f = repo.files.get(name)
        if f is None:
            self._send_error(404, "EntryNotFound", "Entry not found")
            return
        start, end = 0, f.size
        ranged = self.headers.get("Range")
        if ranged and not self.hub.faults.ignore_range:
            match = _RANGE.match(ranged)
            if match is None or int(match.group(1)) >= f.size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{f.size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start = int(match.group(1))
            end = min(f.size, int(match.group(2)) + 1) if match.group(2) else f.size
        self.send_response(206 if start or end != f.size else 200)
        if start or end != f.size:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{f.size}")
        self.send_header("Content-Length", str(end - start))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("ETag", f'"{f.sha256}"')
        self.send_header("X-Repo-Commit", repo.commit)
        self.send_header("X-Linked-Etag", f'"{f.sha256}"')
        self.send_header("X-Linked-Size", str(f.size))
        self.end_headers()
        if body:
            self._send_body(f, start, end)

    def _send_body(self, f: HubFile, start: int, end: int) -> None:
        faults = self.hub.faults
        with self.hub.lock:
            limit = faults.drop_after if faults.drops > 0 else None
            if limit is not None:
                faults.drops -= 1
        sent = 0
        for block in f.read(start, end):
            if faults.corrupt:
                block = bytes([block[0] ^ 0xFF]) + block[1:]
            if limit is not None and sent + len(block) > limit:
                self.wfile.write(block[: limit - sent])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)  # the "Wi-Fi dropped" moment
                return
            self.wfile.write(block)
            sent += len(block)
            if faults.throttle_bps:
                time.sleep(len(block) / faults.throttle_bps)


class _Server(ClosingHTTPServer):
    hub: HubState


class HubServer:
    """The fake Hub, started on a free loopback port in a background thread."""

    def __init__(self) -> None:
        self.state = HubState()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.hub = self.state
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def log(self) -> list[LoggedRequest]:
        return self.state.log

    def add_repo(self, repo_id: str, files: dict[str, bytes | Path], *,
                 gated: bool = False) -> HubRepo:
        repo = HubRepo({name: HubFile(data) for name, data in files.items()}, gated=gated)
        self.state.repos[repo_id] = repo
        return repo

    def file_requests(self, name: str) -> list[LoggedRequest]:
        """GETs of one file's bytes, in order."""
        return [r for r in self.log if r.method == "GET" and r.path.endswith("/" + name)
                and "/resolve/" in r.path]

    def start(self) -> HubServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Serve files from disk until killed (the benchmark runs it in its own process)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    server = HubServer()
    server.add_repo(args.repo, {p.name: p for p in args.files})
    print(server.url, flush=True)
    server._httpd.serve_forever(poll_interval=0.05)


if __name__ == "__main__":
    main()
