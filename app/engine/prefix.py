"""Prompt evaluation in the worker: what is already known is not evaluated again.

:class:`PrefixCache` evaluates a prompt's tokens on the loaded model, reusing

* the KV cache in memory: the tokens the last request left there that the new prompt
  starts with (turn N reuses turn N-1);
* a saved state (:mod:`app.engine.kv_store`): when one on disk covers clearly more of
  the prompt than memory does, it is read into the context instead (after a restart,
  or after another conversation used the model).

It evaluates in chunks sized to about a second of this computer's measured prompt
speed, and between chunks it reports progress (with the time left, from that speed),
checks Stop, and, for a background *prefill*, whether a real request is waiting (then
it stops, keeping what it evaluated: the request finds it as its prefix). The speed it
measures is also what the documents step asks (``probe``) to decide whether reading a
whole document would keep the user waiting too long.

llama.cpp reaches this module as the ``llama_cpp`` object the worker imported.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from app.engine import protocol
from app.engine.kv_store import MIN_TOKENS, KvStore

# Smaller batches read the weights more often per token: at 64 a 4-layer gpt-oss read
# 10 tok/s on 2 busy cores. Stop and pre-emption do not wait for a chunk (llama.cpp's
# abort callback stops a decode), so a chunk is only as small as progress needs.
_LEAST_CHUNK = 256
_MOST_CHUNK = 512
_CHUNK_SECONDS = 2.0  # a chunk takes about this long: progress that often
_SAVE_AFTER = 512  # a chat that evaluated at least this many tokens saves its state


class Stopped(Exception):
    """Stop was pressed (``cancelled``) or a request is waiting (``preempted``)."""

    def __init__(self, preempted: bool) -> None:
        super().__init__("preempted" if preempted else "cancelled")
        self.preempted = preempted


class PrefixCache:
    """Evaluation with reuse for one loaded model (see the module docstring)."""

    def __init__(self, llama_cpp: Any, llm: Any, send: Callable[[dict[str, Any]], None],
                 cancel: threading.Event, preempt: threading.Event,
                 store: KvStore | None, model: str) -> None:
        self._llama_cpp = llama_cpp
        self.llm = llm
        self._send = send
        self._cancel = cancel
        self._preempt = preempt
        self.store = store
        self.model = model
        self.rate = 0.0  # prompt tokens per second measured here (0: not yet)
        self.restored = 0  # tokens the last evaluation took from disk
        self.background = False  # a prefill runs: a waiting request stops it
        self._saver: threading.Thread | None = None

    # -- what is known -----------------------------------------------------------------
    def in_memory(self, tokens: Sequence[int]) -> int:
        """How many leading tokens of ``tokens`` the KV cache holds now."""
        cached = 0
        for a, b in zip(self.llm._input_ids.tolist(), tokens):
            if a != b:
                break
            cached += 1
        return cached

    def known(self, tokens: Sequence[int]) -> int:
        """How many leading tokens need no evaluation (memory, or a saved state)."""
        cached = self.in_memory(tokens)
        if self.store is not None:
            saved = self.store.find(self.model, tokens, longer_than=cached)
            if saved is not None:
                cached = saved.n_tokens
        return cached

    def stopping(self) -> bool:
        """What llama.cpp's abort callback asks during a decode: Stop ends an answer's
        prompt; a background prefill ends only for a waiting request (or the client
        gone). Stop is never for a prefill: the window sends it for a question still
        being prepared too, which must not drop the documents' reading."""
        if self.background:
            return self._preempt.is_set()
        return self._cancel.is_set()

    # -- evaluation --------------------------------------------------------------------
    def evaluate(self, request_id: Any, tokens: Sequence[int], progress: str = "") -> int:
        """Evaluate ``tokens`` (all of them), reusing what is known; returns how many
        were known. Raises :class:`Stopped`; what was evaluated before stays.

        ``progress``: the kind of the reports (``prompt_progress``), none when empty."""
        llm = self.llm
        cached = self.in_memory(tokens)
        self.restored = 0
        if len(tokens) - cached > MIN_TOKENS // 4:
            cached = self._restore(tokens, cached)
        llm.n_tokens = cached
        todo = list(tokens[cached:])
        total, done = len(todo), 0
        started = time.perf_counter()
        while done < total:
            self._check()
            chunk = todo[done: done + self._chunk()]
            began = time.perf_counter()
            try:
                llm.eval(chunk)
            except RuntimeError:
                if self.stopping():
                    self._check()
                raise
            self._measured(len(chunk), time.perf_counter() - began)
            done += len(chunk)
            if progress and total > _LEAST_CHUNK:
                left = (total - done) / self.rate if self.rate else None
                self._send({"type": progress, "id": request_id, "done": done,
                            "total": total, "cached": cached,
                            "seconds_left": None if left is None else round(left, 1),
                            "elapsed": round(time.perf_counter() - started, 2)})
        return cached

    def _check(self) -> None:
        if self.background:
            if self._preempt.is_set():
                raise Stopped(True)
        elif self._cancel.is_set():
            raise Stopped(False)

    def _chunk(self) -> int:
        n_batch = int(getattr(self.llm, "n_batch", _MOST_CHUNK) or _MOST_CHUNK)
        if self.background:  # nobody watches a prefill: the fastest batches
            return n_batch
        if not self.rate:
            return min(_LEAST_CHUNK, n_batch)  # the first chunk measures the speed
        return min(n_batch, max(_LEAST_CHUNK, min(_MOST_CHUNK,
                                                  int(self.rate * _CHUNK_SECONDS))))

    def _measured(self, n: int, seconds: float) -> None:
        if n < 8 or seconds <= 0:
            return
        rate = n / seconds
        self.rate = rate if not self.rate else 0.7 * self.rate + 0.3 * rate

    # -- saved states ------------------------------------------------------------------
    def _restore(self, tokens: Sequence[int], cached: int) -> int:
        """Read the longest saved state of a prefix of ``tokens`` (longer than what
        memory holds by a useful margin) into the context; returns its length, or
        ``cached`` when there is none or it does not fit this context."""
        store = self.store
        if store is None:
            return cached
        self._wait_for_save()
        saved = store.find(self.model, tokens, longer_than=cached + MIN_TOKENS // 4)
        if saved is None:
            return cached
        data = store.load(saved, tokens)
        if data is None:
            return cached
        ctx = self.llm._ctx.ctx
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if not self._llama_cpp.llama_state_seq_set_data(ctx, buf, len(data), 0):
            print(f"cove worker: saved state {saved.path.name} does not fit this "
                  "context: removed", file=sys.stderr, flush=True)
            store.discard(saved)
            self.llm.n_tokens = 0
            self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            return 0
        n = saved.n_tokens
        self.llm.input_ids[:n] = tokens[:n]
        self.llm.n_tokens = n
        self.restored = n
        return n

    def save(self, tokens: Sequence[int] | None = None, evaluated: int | None = None,
             then: Callable[[bool], None] | None = None) -> bool:
        """Save the state of what the context holds now (``tokens``: its tokens, by
        default all of them) in the background, unless it is short, was just restored
        whole, or (``evaluated``, a chat) too little of it was new to be worth it.
        Returns whether it is being saved; ``then`` hears whether it was, once on disk
        (on the saving thread)."""
        store = self.store
        llm = self.llm
        held = list(tokens) if tokens is not None else llm._input_ids.tolist()
        if store is None or len(held) < MIN_TOKENS or llm.n_tokens != len(held):
            return False
        if evaluated is not None and evaluated < _SAVE_AFTER:
            return False
        if self.restored >= len(held):
            return False
        if store.find(self.model, held, longer_than=len(held) - 1) is not None:
            return False
        ctx = llm._ctx.ctx
        size = int(self._llama_cpp.llama_state_seq_get_size(ctx, 0))
        if size <= 0 or size > store.cap:
            return False
        buf = (ctypes.c_uint8 * size)()
        written = int(self._llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0))
        if written <= 0:
            return False
        data = bytes(memoryview(buf)[:written])
        self._wait_for_save()
        def work() -> None:
            kept = store.save(self.model, held, data) is not None
            if then is not None:
                then(kept)

        self._saver = threading.Thread(target=work, name="cove-kv-save", daemon=True)
        self._saver.start()
        return True

    def _wait_for_save(self) -> None:
        saver = self._saver
        if saver is not None:
            saver.join()
            self._saver = None

    def close(self) -> None:
        """Let a save in progress finish (the worker is unloading or ending)."""
        self._wait_for_save()


def prefix_end(trusted: Sequence[bool], lengths: Sequence[int]) -> int:
    """Tokens up to the end of the prompt's last text that is not template framing.

    A prefill is rendered with an empty question: what follows the documents (or the
    last answer) is template text (``<|end|><|start|>assistant``, "Assistant:") that
    the real question's prompt would not have at that place, so it is left out.
    ``trusted``/``lengths``: each rendered segment's kind and token count."""
    end = len(trusted)
    while end > 0 and trusted[end - 1]:
        end -= 1
    return sum(lengths[:end])


def send_prefilled(send: Callable[[dict[str, Any]], None], request_id: Any, tokens: int,
                   cached: int, restored: int, finished: bool, saved: bool,
                   seconds: float) -> None:
    send({"type": protocol.PREFILLED, "id": request_id, "tokens": tokens, "cached": cached,
          "restored": restored, "finished": finished, "saved": saved,
          "ms": round(seconds * 1000, 1)})
