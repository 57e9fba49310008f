"""A stand-in for :class:`EngineClient` that speaks the real protocol from a script.

For the harmony-specific parts of the window (reasoning, "Answer now", errors such as
out of memory) that the test models cannot produce on demand. It behaves like the real
client where the window can tell: ``chat`` is a generator of protocol dicts ending in
exactly one ``done`` or ``error``; ``cancel`` and ``answer_now`` are thread-safe and take
effect at the next token, as in the worker; events come at a steady rate.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from app.engine.client import EngineClient

LOADED = {"name": "gpt-oss-20b", "backend": "CUDA", "n_ctx": 8192,
          "path": "/models/gpt-oss-20b.gguf"}


class ScriptedClient:
    def __init__(self, reasoning: Sequence[str] = (), answer: Sequence[str] = (),
                 delay: float = 0.002, error: dict[str, Any] | None = None,
                 hold: threading.Event | None = None,
                 midway: threading.Event | None = None) -> None:
        self.reasoning = list(reasoning)
        self.answer = list(answer)
        self.delay = delay
        self.error = error
        self.hold = hold  # when set: wait for it before the first answer token
        # midway: after half the answer, wait until it is set (a test that must find
        # the answer still streaming, however busy the machine)
        self.midway = midway
        self.info: dict[str, Any] = dict(LOADED)  # {} before a first load: none is open
        self.alive = True
        self.requests: list[dict[str, Any]] = []
        self.loads: list[dict[str, Any]] = []  # each load's parameters, as sent
        self._cancel = threading.Event()
        self._answer_now = threading.Event()
        self.answer_now_calls = 0
        self.restarts = 0

    def chat(self, messages: Sequence[dict[str, str]], instructions: str = "",
             effort: str = "medium", sampling: dict[str, Any] | None = None,
             max_tokens: int | None = None, stop: Any = None,
             tools: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Like EngineClient.chat (the tools offered are kept with the request; the
        scripted answer calls none)."""
        self.requests.append({"messages": list(messages), "instructions": instructions,
                              "effort": effort, "sampling": sampling,
                              "max_tokens": max_tokens, "tools": list(tools)})
        self._cancel.clear()
        self._answer_now.clear()
        started = time.perf_counter()
        n = 0

        def event(kind: str, text: str = "", channel: str | None = None) -> dict[str, Any]:
            return {"type": "event", "id": 1, "kind": kind, "text": text, "channel": channel,
                    "recipient": None, "truncated": False}

        finish = "stop"
        yield {"type": "prompt_progress", "id": 1, "done": 10, "total": 10}
        if self.reasoning:
            yield event("message_start", channel="analysis")
            for piece in self.reasoning:
                if self._cancel.is_set() or self._answer_now.is_set():
                    break
                time.sleep(self.delay)
                n += 1
                yield event("reasoning", piece, "analysis")
            yield event("message_end", channel="analysis")
        if self.error is not None:
            yield {"type": "error", "id": 1, **self.error}
            return
        if self.hold is not None:
            while not self.hold.wait(0.01):
                if self._cancel.is_set():
                    break
        if not self._cancel.is_set():
            yield event("message_start", channel="final")
            for index, piece in enumerate(self.answer):
                if self._cancel.is_set():
                    break
                if self.midway is not None and index == len(self.answer) // 2:
                    while not self.midway.wait(0.01) and not self._cancel.is_set():
                        pass
                time.sleep(self.delay)
                n += 1
                yield event("answer", piece, "final")
        if self._cancel.is_set():
            finish = "cancelled"
        else:
            yield event("message_end", channel="final")
        elapsed = max(time.perf_counter() - started, 1e-6)
        yield {"type": "done", "id": 1, "finish_reason": finish,
               "stats": {"prompt_tokens": 42, "completion_tokens": n,
                         "tokens_per_s": round(n / elapsed, 1), "ttft_ms": 5.0,
                         "context_used": 42 + n, "n_ctx": self.info["n_ctx"]}}

    def cancel(self) -> None:
        self._cancel.set()

    def answer_now(self) -> None:
        self.answer_now_calls += 1
        self._answer_now.set()

    def load(self, path: str, **options: Any) -> dict[str, Any]:
        """Records the load as the real client would send it: every parameter of
        ``EngineClient.load``, defaults filled in (an unknown option fails, as there)."""
        bound = inspect.signature(EngineClient.load).bind(self, path, **options)
        bound.apply_defaults()
        self.loads.append({k: v for k, v in bound.arguments.items() if k != "self"})
        if not self.info:
            self.info = {**LOADED, "path": path}
        return self.info

    def restart(self) -> None:
        self.restarts += 1

    def close(self) -> None:
        self.alive = False
