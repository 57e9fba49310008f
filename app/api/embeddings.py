"""``/v1/embeddings``: the library's embedding model in a worker of its own.

The embedding model is small and is not the chat model, so it has its own worker
(:class:`app.engine.client.EngineClient` loaded with ``embedding=True``), started by the
first request that needs it and kept until the server stops. Requests take turns on a
lock: the worker embeds one batch at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from app.config import paths
from app.engine.client import EngineClient

MAX_INPUTS = 2048  # as OpenAI


class Embeddings:
    """One embedding model, loaded on first use."""

    def __init__(self, model_path: Path,
                 client_factory: Callable[[], EngineClient] | None = None) -> None:
        self.model_path = Path(model_path)
        self.name = self.model_path.stem
        self._factory = client_factory or (
            lambda: EngineClient(log_path=paths.log_dir() / "api-embedding-worker.log"))
        self._client: EngineClient | None = None
        self._lock = threading.Lock()
        self._closed = False

    def embed(self, texts: Sequence[str]) -> tuple[list[list[float]], int]:
        """One vector per text and the tokens they took (blocking: a worker thread)."""
        with self._lock:
            client = self._ensure()
            vectors = client.embed(texts)
            tokens = sum(client.count_tokens(texts)) if texts else 0
        return vectors, tokens

    def _ensure(self) -> EngineClient:
        if self._closed:
            raise RuntimeError("the embedding model was closed")
        client = self._client
        if client is None or not client.alive:
            if client is not None:
                client.close()
            client = self._factory()
            try:
                client.load(self.model_path, embedding=True)
            except Exception:
                client.close()
                raise
            self._client = client
        return client

    def close(self) -> None:
        self._closed = True
        client = self._client
        if client is not None:
            client.cancel()
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
