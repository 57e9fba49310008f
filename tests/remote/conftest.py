"""Fixtures for the remote backend: real llama_cpp.server processes on 127.0.0.1 (the
tiny gpt-oss GGUF behind an API key, the gemma test model), an in-memory keyring, and
backends that are always closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.engine.remote import RemoteBackend
from tests.remote.servers import LlamaServer
from tests.support import tiny_gpt_oss
from tests.support.memory_keyring import MemoryKeyring, memory_keyring

__all__ = ["MemoryKeyring", "memory_keyring"]  # the keyring fixture, shared

API_KEY = "sk-cove-test-0123456789"
GREEDY = {"temp": 0.0, "repeat_penalty": 1.0}
# A chat template without harmony: the tiny model then stands for any plain model, and
# the local worker and llama_cpp.server render exactly the same prompt from it.
PLAIN_TEMPLATE = (
    "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
    "{% if add_generation_prompt %}assistant:{% endif %}"
)


@pytest.fixture(scope="session")
def oss_server(tiny_gpt_oss_path: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """The tiny gpt-oss model behind llama_cpp.server, which wants an API key."""
    log = tmp_path_factory.mktemp("servers") / "oss.log"
    with LlamaServer(tiny_gpt_oss_path, log, api_key=API_KEY, n_ctx=4096) as server:
        yield server


@pytest.fixture(scope="session")
def tiny_plain_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("models") / "tiny-plain.gguf"
    return tiny_gpt_oss.build(path, PLAIN_TEMPLATE)


@pytest.fixture(scope="session")
def plain_server(tiny_plain_path: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("servers") / "plain.log"
    with LlamaServer(tiny_plain_path, log, n_ctx=1024) as server:
        yield server


@pytest.fixture(scope="session")
def gemma_server(gemma_path: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("servers") / "gemma.log"
    with LlamaServer(gemma_path, log, chat_format="chatml", threads=2) as server:
        yield server


@pytest.fixture
def remote_factory() -> Iterator[Callable[..., RemoteBackend]]:
    made: list[RemoteBackend] = []

    def make(url: str, model: str = "", key: str | None = None, **kw: Any) -> RemoteBackend:
        backend = RemoteBackend(url, model, key, **kw)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def oss_remote(oss_server: LlamaServer,
               remote_factory: Callable[..., RemoteBackend]) -> RemoteBackend:
    return remote_factory(oss_server.url, oss_server.model_id, API_KEY, name="lab")
