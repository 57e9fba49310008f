"""Fixtures for the models tests: a fake Hub on loopback, an in-memory keyring, small
real GGUF files, and a guard that fails any test trying to reach a non-loopback host."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.models.hub_server import HubServer
from tests.support.memory_keyring import MemoryKeyring, memory_keyring

__all__ = ["MemoryKeyring", "memory_keyring"]  # the keyring fixture, shared


def _is_loopback(address: Any) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # a Unix socket path
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing in these tests may reach the internet (huggingface.co least of all).

    Lookups and connections elsewhere are refused and recorded, and the record is
    checked after the test: huggingface_hub swallows exceptions around its background
    requests, so an error raised here alone went unseen (tests/privacy watches a whole
    session at the audit-hook level as well)."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo
    reached: list[str] = []

    def connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            reached.append(f"connect {address!r}")
            raise AssertionError(f"a test tried to reach {address!r}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback((host,)):
            reached.append(f"lookup {host!r}")
            raise AssertionError(f"a test tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert reached == [], f"a test reached beyond loopback: {reached}"


@pytest.fixture
def hub() -> Iterator[HubServer]:
    with HubServer() as server:
        yield server


GGUFFactory = Callable[..., Path]


@pytest.fixture
def make_gguf(tmp_path: Path) -> GGUFFactory:
    """A factory of small real GGUF files (gguf package, same writer llama.cpp uses)."""
    import gguf

    def make(name: str = "model.gguf", *, arch: str = "gpt-oss", file_type: int = 38,
             context: int = 131072, tensors: int = 2, elements: int = 1024,
             split: tuple[int, int] | None = None, folder: Path | None = None,
             pooling: int | None = None, title: str | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = gguf.GGUFWriter(str(path), arch)
        writer.add_name(title or "Tiny " + arch)
        if pooling is not None:
            writer.add_pooling_type(gguf.PoolingType(pooling))
        writer.add_context_length(context)
        writer.add_file_type(file_type)
        writer.add_size_label("tiny")
        if split is not None:
            writer.add_uint16("split.no", split[0] - 1)
            writer.add_uint16("split.count", split[1])
        for i in range(tensors):
            writer.add_tensor(f"blk.{i}.weight", np.full(elements, i, dtype=np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        return path

    return make
