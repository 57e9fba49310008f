"""Fixtures for the local API: ``cove serve`` in a process of its own (as a user starts
it), and the same server in this process over a real worker, where a test needs to see
the gate (tickets, the queue)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.api.gate import SerialGate, Ticket
from app.api.options import ApiOptions
from app.api.server import ApiServer, ApiService
from app.engine.client import EngineClient
from tests.support.memory_keyring import MemoryKeyring, memory_keyring

__all__ = ["MemoryKeyring", "memory_keyring"]

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    """A running ``cove serve``: its address, key and what it printed."""

    proc: subprocess.Popen[str]
    base_url: str
    key: str
    printed: str
    stderr_path: Path

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def client(self, **kwargs: Any) -> Any:
        import openai

        return openai.OpenAI(base_url=self.base_url, api_key=self.key, max_retries=0,
                             **kwargs)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return code


def start_serve(args: list[str], home: Path) -> Served:
    """``python -m app serve ARGS`` with its own COVE_HOME; returns once it prints its
    key (it has loaded the model and listens), or fails with what it said."""
    env = dict(os.environ, COVE_HOME=str(home), PYTHONPATH=str(REPO))
    err_path = home / "serve.err"
    with err_path.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", "0", *args],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=env,
                                cwd=REPO)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:  # ends at EOF if the process dies
        lines.append(line)
        if line.startswith("Press Ctrl+C"):
            break
    printed = "".join(lines)
    url = re.search(r"at (http://\S+/v1)", printed)
    key = re.search(r"API key: (\S+)", printed)
    if url is None or key is None:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        raise AssertionError(f"cove serve did not start: {printed}\n"
                             f"{err_path.read_text(errors='replace')}")
    return Served(proc, url.group(1), key.group(1), printed, err_path)


@pytest.fixture(scope="module")
def gemma_serve(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Served]:
    """``cove serve`` with gemma, which also embeds (mean pooling)."""
    served = start_serve(["--model", str(gemma_path), "--ctx", "2048", "--threads", "2",
                          "--embedding-model", str(gemma_path)],
                         tmp_path_factory.mktemp("serve-home"))
    yield served
    served.stop()


@dataclass
class InProcess:
    """An API server in this process over a real worker (:class:`SerialGate`)."""

    server: ApiServer
    gate: SerialGate
    key: str
    tickets: list[Ticket] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def client(self, **kwargs: Any) -> Any:
        import openai

        return openai.OpenAI(base_url=self.base_url, api_key=self.key, max_retries=0,
                             **kwargs)


class RecordingGate(SerialGate):
    """The headless gate, keeping the tickets it was given (tests read them)."""

    def __init__(self, client: EngineClient, seen: list[Ticket]) -> None:
        super().__init__(client)
        self._seen = seen

    def submit(self, ticket: Ticket) -> None:
        self._seen.append(ticket)
        super().submit(ticket)


@pytest.fixture
def in_process(tmp_path: Path) -> Iterator[Callable[..., InProcess]]:
    """A factory: ``make(model_path, **ApiOptions fields)`` starts a server on port 0."""
    made: list[InProcess] = []

    def make(model: Path, library: Callable[[], list[Any]] | None = None,
             **options: Any) -> InProcess:
        client = EngineClient(log_path=tmp_path / f"worker-{len(made)}.log")
        client.load(model, n_ctx=2048, n_threads=2)
        seen: list[Ticket] = []
        gate = RecordingGate(client, seen)
        service = ApiService(gate, "test-key", ApiOptions(port=0, **options),
                             library=library)
        server = ApiServer(service)
        server.start()
        made.append(InProcess(server, gate, "test-key", seen))
        return made[-1]

    yield make
    for item in made:
        item.server.stop()
        item.gate.close()
